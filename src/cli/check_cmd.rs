//! `zynk check` and the script loading shared with `zynk run`.
use std::path::{Path, PathBuf};

use super::error::UnreadableScript;
use super::{EXIT_INVALID, EXIT_OK, stderr_style};
use crate::check::Program;
use crate::diagnostic;
use crate::launch;
use crate::source::SourceFile;

/// Reads, parses and checks a script, printing every problem.
pub(super) fn load(path: &Path, vars: &[(String, String)]) -> Result<(SourceFile, Program), u8> {
    let source = match SourceFile::read(path) {
        Ok(source) => source,
        Err(error) => {
            let diag = UnreadableScript {
                path: path.display().to_string(),
                reason: error.to_string(),
            };
            eprint!("{}", diagnostic::render_plain(&diag, stderr_style()));
            return Err(EXIT_INVALID);
        }
    };
    let program = launch::compile(&source, vars).ok_or(EXIT_INVALID)?;
    Ok((source, program))
}

pub(super) fn check_scripts(scripts: &[PathBuf], vars: &[(String, String)]) -> u8 {
    let mut code = EXIT_OK;
    for script in scripts {
        match load(script, vars) {
            Ok((source, program)) => println!(
                "ok: {} (workflow {:?}, {} statement{})",
                source.name,
                program.workflow,
                program.statements.len(),
                if program.statements.len() == 1 {
                    ""
                } else {
                    "s"
                }
            ),
            Err(c) => code = c,
        }
    }
    code
}
