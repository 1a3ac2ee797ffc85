//! `zynk xpath`: evaluate an XPath against XML files while writing a script.
use std::path::{Path, PathBuf};

use super::error::XmlInputError;
use super::{EXIT_FAILED, EXIT_INVALID, EXIT_OK, output, stderr_style};
use crate::diagnostic;
use crate::source::SourceFile;
use crate::xml_input::{SourceError, XmlSource};

/// The file to read; `-` is standard input, kept in a temporary file so its encoding can
/// be sniffed as a file's is.
fn open(file: &Path) -> Result<XmlSource, SourceError> {
    if file != Path::new("-") {
        return XmlSource::open(file);
    }
    let mut temp = tempfile::tempfile().map_err(SourceError::Io)?;
    std::io::copy(&mut std::io::stdin().lock(), &mut temp)
        .and_then(|_| std::io::Seek::rewind(&mut temp))
        .map_err(SourceError::Io)?;
    XmlSource::new(temp, file)
}

pub(super) fn xpath_command(expr: &str, files: &[PathBuf]) -> u8 {
    let style = stderr_style();
    let xpath = match crate::xpath::compile(expr) {
        Ok(xpath) => xpath,
        Err(error) => {
            let source = SourceFile::from_text("xpath", expr);
            output::err(&diagnostic::render(&source, &error, style));
            return EXIT_INVALID;
        }
    };
    let mut code = EXIT_OK;
    for file in files {
        let read = open(file).and_then(|source| source.read_to_text(file));
        let text = match read {
            Ok(text) => text,
            Err(SourceError::Encoding(diag)) => {
                output::err(&diagnostic::render_plain(&diag, style));
                code = EXIT_FAILED;
                continue;
            }
            Err(SourceError::Io(error)) => {
                let diag = XmlInputError::Unreadable {
                    path: file.display().to_string(),
                    reason: error.to_string(),
                };
                output::err(&diagnostic::render_plain(&diag, style));
                code = EXIT_FAILED;
                continue;
            }
        };
        let options = roxmltree::ParsingOptions {
            allow_dtd: true,
            ..roxmltree::ParsingOptions::default()
        };
        let doc = match roxmltree::Document::parse_with_options(&text, options) {
            Ok(doc) => doc,
            Err(error) => {
                let pos = error.pos();
                let diag = XmlInputError::Malformed {
                    path: file.display().to_string(),
                    line: pos.row,
                    column: pos.col,
                    reason: error.to_string(),
                };
                output::err(&diagnostic::render_plain(&diag, style));
                code = EXIT_FAILED;
                continue;
            }
        };
        match xpath.evaluate(doc.root()) {
            Ok(value) => {
                let prefix = if files.len() > 1 {
                    format!("{}: ", file.display())
                } else {
                    String::new()
                };
                let mut text = String::new();
                for line in value_lines(&value) {
                    text.push_str(&prefix);
                    text.push_str(&line);
                    text.push('\n');
                }
                if output::out(&text) == output::Sink::Closed {
                    return code;
                }
            }
            Err(error) => {
                let source = SourceFile::from_text("xpath", expr);
                output::err(&diagnostic::render(&source, &error, style));
                code = EXIT_FAILED;
            }
        }
    }
    code
}

/// One line per node, or the one scalar value. A node holding elements prints its text
/// with each run of whitespace made one space, so a record is one line, not its layout.
fn value_lines(value: &crate::xpath::Value<'_, '_>) -> Vec<String> {
    match value {
        crate::xpath::Value::Nodes(nodes) => nodes
            .iter()
            .map(|node| {
                let holds_elements = node
                    .as_node()
                    .is_some_and(|n| n.children().any(|c| c.is_element()));
                let text = node.string_value();
                if holds_elements {
                    text.split_ascii_whitespace().collect::<Vec<_>>().join(" ")
                } else {
                    text
                }
            })
            .collect(),
        scalar => vec![crate::xpath::render(scalar)],
    }
}
