//! `zynk run`: check a script, then run it in its working directory.
use std::path::Path;

use super::check_cmd::load_as;
use super::{EXIT_FAILED, EXIT_INVALID, EXIT_LOCKED, EXIT_OK, Format, Verbosity, data_dir, output};
use crate::launch;
use crate::runtime::LogFormat;

pub(super) fn run(
    script: &Path,
    vars: &[(String, String)],
    data: Option<&Path>,
    format: Format,
    verbosity: Verbosity,
    wait: Option<std::time::Duration>,
    state: Option<&str>,
) -> u8 {
    let log_format = match format {
        Format::Text => LogFormat::Text,
        Format::Json => LogFormat::Json,
    };
    let state = match super::state_arg::shared_state(state) {
        Ok(state) => state,
        Err(code) => return code,
    };
    let (source, program) = match load_as(script, vars, log_format) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let script_path = (script != Path::new("-")).then_some(script);
    let data_dir = data_dir::resolve(data, script_path);
    if verbosity == Verbosity::Verbose {
        output::err(&format!("data folder: {}\n", data_dir.display()));
    }
    let format = match format {
        Format::Text => LogFormat::Text,
        Format::Json => LogFormat::Json,
    };
    let out: Box<dyn std::io::Write> = if verbosity == Verbosity::Quiet {
        Box::new(std::io::sink())
    } else {
        Box::new(std::io::stdout())
    };
    if verbosity == Verbosity::Verbose {
        if let Some(state) = &state {
            output::err(&format!("state store: {}\n", state.describe()));
        }
    }
    match launch::run_program_to(
        &source,
        &program,
        &data_dir,
        format,
        out,
        wait,
        state.as_ref(),
    ) {
        Ok(summary) => match summary.interrupted {
            Some(signal) => signal.exit_code(),
            None if summary.ok => EXIT_OK,
            None => EXIT_FAILED,
        },
        Err(launch::NotRun::Locked) => EXIT_LOCKED,
        Err(launch::NotRun::Failed) => EXIT_FAILED,
        Err(launch::NotRun::Refused) => EXIT_INVALID,
    }
}
