//! `zynk check` and the script loading shared with `zynk run`.
use std::io::Read;
use std::path::{Path, PathBuf};

use super::error::UnreadableScript;
use super::{EXIT_INVALID, EXIT_OK, Verbosity, output, stderr_style};
use crate::check::Program;
use crate::diagnostic;
use crate::launch;
use crate::source::SourceFile;

/// The name a script read from standard input is shown by.
const STDIN_NAME: &str = "<stdin>";

/// Reads a script from a path, or from standard input for `-`.
pub(super) fn read_script(path: &Path) -> std::io::Result<SourceFile> {
    if path == Path::new("-") {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text)?;
        Ok(SourceFile::from_text(STDIN_NAME, &text))
    } else {
        SourceFile::read(path)
    }
}

/// Reads, parses and checks a script, printing every problem.
pub(super) fn load(path: &Path, vars: &[(String, String)]) -> Result<(SourceFile, Program), u8> {
    load_for(path, vars, crate::runtime::LogFormat::Text, false)
}

/// Like [`load`], for a run: problems also as JSON events for `--log-format json`, and
/// without the warnings a run answers itself (a read file no statement writes).
pub(super) fn load_as(
    path: &Path,
    vars: &[(String, String)],
    format: crate::runtime::LogFormat,
) -> Result<(SourceFile, Program), u8> {
    load_for(path, vars, format, true)
}

fn load_for(
    path: &Path,
    vars: &[(String, String)],
    format: crate::runtime::LogFormat,
    for_run: bool,
) -> Result<(SourceFile, Program), u8> {
    let source = match read_script(path) {
        Ok(source) => source,
        Err(error) => {
            let diag = UnreadableScript {
                path: path.display().to_string(),
                reason: error.to_string(),
            };
            output::err(&diagnostic::render_plain(&diag, stderr_style()));
            return Err(EXIT_INVALID);
        }
    };
    let program = launch::compile_as(&source, vars, format, for_run).ok_or(EXIT_INVALID)?;
    Ok((source, program))
}

/// Every `.zynk` file below `dir`, in path order.
fn scripts_below(dir: &Path, found: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    entries.sort();
    for path in entries {
        if path.is_dir() {
            scripts_below(&path, found)?;
        } else if path.extension().is_some_and(|e| e == "zynk") {
            found.push(path);
        }
    }
    Ok(())
}

/// The scripts named on the command line, folders expanded.
pub(super) fn expand(scripts: &[PathBuf]) -> Result<Vec<PathBuf>, u8> {
    let mut all = Vec::new();
    for script in scripts {
        if script.is_dir() {
            if let Err(error) = scripts_below(script, &mut all) {
                let diag = UnreadableScript {
                    path: script.display().to_string(),
                    reason: error.to_string(),
                };
                output::err(&diagnostic::render_plain(&diag, stderr_style()));
                return Err(EXIT_INVALID);
            }
        } else {
            all.push(script.clone());
        }
    }
    Ok(all)
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

pub(super) fn check_scripts(
    scripts: &[PathBuf],
    vars: &[(String, String)],
    strict: bool,
    verbosity: Verbosity,
) -> u8 {
    let scripts = match expand(scripts) {
        Ok(scripts) => scripts,
        Err(code) => return code,
    };
    let mut code = EXIT_OK;
    for (n, script) in scripts.iter().enumerate() {
        match load(script, vars) {
            Ok((source, program)) => {
                let warnings = program.warnings.len();
                let failed = strict && warnings > 0;
                if failed {
                    code = EXIT_INVALID;
                    output::err(&format!(
                        "{}: {} (--strict fails on warnings)\n",
                        source.name,
                        plural(warnings, "warning")
                    ));
                } else if verbosity != Verbosity::Quiet {
                    let mut line = format!(
                        "ok: {} (workflow {:?}, {}",
                        source.name,
                        program.workflow,
                        plural(program.statements.len(), "statement")
                    );
                    if warnings > 0 {
                        line.push_str(&format!(", {}", plural(warnings, "warning")));
                    }
                    line.push_str(")\n");
                    if output::out(&line) == output::Sink::Closed {
                        return code;
                    }
                }
                if n + 1 == scripts.len() {
                    // The process ends next: freeing a big program's allocations one by
                    // one would take longer than the operating system's reclaiming them.
                    std::mem::forget(program);
                }
            }
            Err(c) => code = c,
        }
    }
    if scripts.is_empty() {
        output::err("zynk check: no `.zynk` scripts found\n");
        return EXIT_INVALID;
    }
    code
}
