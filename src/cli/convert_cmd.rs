//! `zynk convert`: a Zynk workflow (`.wkf`) or an XSLT stylesheet becomes a script; the report says what did not.
use std::path::Path;

use super::{EXIT_INVALID, EXIT_OK, Format, Verbosity, output, stderr_style};
use crate::convert::{self, ConvertError};
use crate::diagnostic;

pub(super) fn convert_command(
    workflow: &Path,
    script: Option<&Path>,
    stylesheets: Option<&Path>,
    format: Format,
    verbosity: Verbosity,
) -> u8 {
    let fail = |error: &ConvertError| {
        output::err(&diagnostic::render_plain(error, stderr_style()));
        EXIT_INVALID
    };
    let text = match std::fs::read(workflow) {
        Ok(bytes) => match bytes.get(..2) {
            Some([0xFF, 0xFE]) => encoding_rs::UTF_16LE.decode(&bytes).0.into_owned(),
            Some([0xFE, 0xFF]) => encoding_rs::UTF_16BE.decode(&bytes).0.into_owned(),
            _ => String::from_utf8_lossy(&bytes).into_owned(),
        },
        Err(error) => {
            return fail(&ConvertError::Unreadable {
                path: workflow.display().to_string(),
                reason: error.to_string(),
            });
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let name = workflow.display().to_string();
    let is_xslt = convert::xslt::is_stylesheet(text)
        || workflow
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("xsl") || e.eq_ignore_ascii_case("xslt"));
    let converted = if is_xslt {
        let folder = std::path::absolute(workflow)
            .ok()
            .and_then(|p| p.parent().map(Path::to_path_buf))
            .unwrap_or_default();
        convert::xslt::convert(&name, text, &folder.display().to_string())
    } else {
        let folder = std::path::absolute(workflow)
            .ok()
            .and_then(|p| p.parent().map(Path::to_path_buf));
        let stylesheets =
            stylesheets.map(|s| std::path::absolute(s).unwrap_or_else(|_| s.to_path_buf()));
        convert::convert_with_stylesheets(&name, text, folder.as_deref(), stylesheets.as_deref())
    };
    let conversion = match converted {
        Ok(c) => c,
        Err(error) => return fail(&error),
    };
    let report = match format {
        Format::Text => conversion.report.text(),
        Format::Json => conversion.report.json(),
    };
    let quiet = verbosity == Verbosity::Quiet;
    match script {
        Some(path) => {
            if let Err(error) = std::fs::write(path, &conversion.script) {
                return fail(&ConvertError::Unwritable {
                    path: path.display().to_string(),
                    reason: error.to_string(),
                });
            }
            if !quiet {
                output::out(&report);
            }
        }
        None => {
            output::out(&conversion.script);
            if !quiet {
                output::err(&report);
            }
        }
    }
    if conversion.report.complete() {
        EXIT_OK
    } else {
        convert::EXIT_PARTIAL
    }
}
