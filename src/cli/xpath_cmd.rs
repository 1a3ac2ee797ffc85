//! `zynk xpath`: evaluate an XPath against XML files while writing a script.
use std::path::PathBuf;

use super::error::XmlInputError;
use super::{EXIT_FAILED, EXIT_INVALID, EXIT_OK, stderr_style};
use crate::diagnostic;
use crate::source::SourceFile;

pub(super) fn xpath_command(expr: &str, files: &[PathBuf]) -> u8 {
    let style = stderr_style();
    let xpath = match crate::xpath::compile(expr) {
        Ok(xpath) => xpath,
        Err(error) => {
            let source = SourceFile::from_text("xpath", expr);
            eprint!("{}", diagnostic::render(&source, &error, style));
            return EXIT_INVALID;
        }
    };
    let mut code = EXIT_OK;
    for file in files {
        let text = match std::fs::read_to_string(file) {
            Ok(text) => text,
            Err(error) => {
                let diag = XmlInputError::Unreadable {
                    path: file.display().to_string(),
                    reason: error.to_string(),
                };
                eprint!("{}", diagnostic::render_plain(&diag, style));
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
                eprint!("{}", diagnostic::render_plain(&diag, style));
                code = EXIT_FAILED;
                continue;
            }
        };
        match xpath.evaluate(doc.root()) {
            Ok(value) => {
                let rendered = crate::xpath::render(&value);
                let empty = matches!(&value, crate::xpath::Value::Nodes(n) if n.is_empty());
                if empty {
                    continue;
                }
                for line in rendered.split('\n') {
                    if files.len() > 1 {
                        println!("{}: {line}", file.display());
                    } else {
                        println!("{line}");
                    }
                }
            }
            Err(error) => {
                let source = SourceFile::from_text("xpath", expr);
                eprint!("{}", diagnostic::render(&source, &error, style));
                code = EXIT_FAILED;
            }
        }
    }
    code
}
