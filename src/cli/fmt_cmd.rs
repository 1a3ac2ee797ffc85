//! `zynk fmt`: rewrites scripts in the canonical layout, or with `--check` lists those
//! that are not in it.
use std::path::{Path, PathBuf};

use super::check_cmd::{expand, read_script};
use super::error::UnreadableScript;
use super::{EXIT_FAILED, EXIT_INVALID, EXIT_OK, Verbosity, output, stderr_style};
use crate::diagnostic;
use crate::format::{self, FormatError};
use crate::source::SourceFile;

pub(super) fn fmt_command(files: &[PathBuf], check: bool, verbosity: Verbosity) -> u8 {
    let default = [PathBuf::from(".")];
    let files = if files.is_empty() {
        &default[..]
    } else {
        files
    };
    if files.iter().any(|f| f == Path::new("-")) {
        if files.len() > 1 {
            output::err("zynk fmt: `-` (standard input) cannot be mixed with files\n");
            return super::EXIT_USAGE;
        }
        return fmt_stdin(check);
    }
    let scripts = match expand(files) {
        Ok(scripts) => scripts,
        Err(code) => return code,
    };
    if scripts.is_empty() {
        output::err("zynk fmt: no `.zynk` scripts found\n");
        return EXIT_INVALID;
    }
    let mut code = EXIT_OK;
    for script in &scripts {
        let source = match read_script(script) {
            Ok(source) => source,
            Err(error) => {
                unreadable(script, &error.to_string());
                code = EXIT_INVALID;
                continue;
            }
        };
        let formatted = match format::format(&source.text) {
            Ok(formatted) => formatted,
            Err(error) => {
                report(&source, &error);
                code = EXIT_INVALID;
                continue;
            }
        };
        if formatted == source.text {
            continue;
        }
        if check {
            output::out(&format!("{}\n", script.display()));
            if code == EXIT_OK {
                code = EXIT_FAILED;
            }
        } else if let Err(error) = write_atomically(script, &formatted) {
            unreadable(script, &format!("cannot write it: {error}"));
            code = EXIT_INVALID;
        } else if verbosity != Verbosity::Quiet {
            output::out(&format!("formatted {}\n", script.display()));
        }
    }
    code
}

/// `zynk fmt -`: the formatted script on standard output; with `--check`, nothing printed
/// and exit 1 when it would change.
fn fmt_stdin(check: bool) -> u8 {
    let source = match read_script(Path::new("-")) {
        Ok(source) => source,
        Err(error) => {
            unreadable(Path::new("-"), &error.to_string());
            return EXIT_INVALID;
        }
    };
    match format::format(&source.text) {
        Ok(formatted) if check => {
            if formatted == source.text {
                EXIT_OK
            } else {
                output::out("<stdin>\n");
                EXIT_FAILED
            }
        }
        Ok(formatted) => {
            output::out(&formatted);
            EXIT_OK
        }
        Err(error) => {
            report(&source, &error);
            EXIT_INVALID
        }
    }
}

fn report(source: &SourceFile, error: &FormatError) {
    let style = stderr_style();
    match error {
        FormatError::Syntax(errors) => {
            for e in errors {
                output::err(&diagnostic::render(source, e, style));
            }
            output::err(&format!("{}: {error}\n", source.name));
        }
        FormatError::Unsafe => {
            output::err(&format!("{}:\n", source.name));
            output::err(&diagnostic::render_plain(error, style));
        }
    }
}

fn unreadable(path: &Path, reason: &str) {
    let diag = UnreadableScript {
        path: path.display().to_string(),
        reason: reason.to_string(),
    };
    output::err(&diagnostic::render_plain(&diag, stderr_style()));
}

/// Replaces `path` with `text` through a temporary file beside it, so an interrupted
/// write never leaves half a script.
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut temp = tempfile::NamedTempFile::new_in(dir)?;
    temp.write_all(text.as_bytes())?;
    if let Ok(meta) = std::fs::metadata(path) {
        let _ = temp.as_file().set_permissions(meta.permissions());
    }
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
