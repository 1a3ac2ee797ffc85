//! `zynk run`: check a script, then run it in its working directory.
use std::path::Path;

use super::check_cmd::load;
use super::{EXIT_FAILED, EXIT_OK, Format};
use crate::launch;
use crate::runtime::LogFormat;

pub(super) fn run(
    script: &Path,
    vars: &[(String, String)],
    data: Option<&Path>,
    format: Format,
) -> u8 {
    let (source, program) = match load(script, vars) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let data_dir = data.map_or_else(
        || script.parent().unwrap_or(Path::new(".")).join("data"),
        Path::to_path_buf,
    );
    let format = match format {
        Format::Text => LogFormat::Text,
        Format::Json => LogFormat::Json,
    };
    match launch::run_program(&source, &program, &data_dir, format) {
        Some(summary) if summary.ok => EXIT_OK,
        _ => EXIT_FAILED,
    }
}
