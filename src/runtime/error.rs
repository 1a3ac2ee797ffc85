//! Runtime errors: a statement that failed while running, with the statement's span.
use std::fmt;

use miette::{Diagnostic, LabeledSpan};

use super::codes::RunCode;
use crate::process::FailureKind;
use crate::source::Span;

/// A statement failed. It carries the span of what failed and, where the failure came
/// from a library (HTTP, XML, the ledger), that library's code and message.
#[derive(Debug)]
pub struct RunError {
    pub kind: FailureKind,
    /// Stable code, e.g. `zynk::run::file_not_found` or `zynk::http::status`.
    pub code: String,
    pub message: String,
    pub label: String,
    pub span: Span,
    pub help: Option<String>,
}

impl RunError {
    /// A failure raised by a statement itself, with its code from the registry.
    pub fn raise(
        code: RunCode,
        message: impl Into<String>,
        span: Span,
        label: impl Into<String>,
    ) -> RunError {
        RunError {
            kind: FailureKind::Fail,
            code: code.code().to_string(),
            message: message.into(),
            label: label.into(),
            span,
            help: None,
        }
    }

    /// Wraps a library's diagnostic, pointing at the statement (or argument) at `span`. The
    /// causes behind it (e.g. `No space left on device (os error 28)`) are added to the
    /// message unless it already says them.
    pub fn from_diagnostic(
        error: &dyn Diagnostic,
        kind: FailureKind,
        span: Span,
        label: impl Into<String>,
    ) -> RunError {
        RunError {
            kind,
            code: error
                .code()
                .map_or_else(|| RunCode::Failed.code().to_string(), |c| c.to_string()),
            message: with_causes(error),
            label: label.into(),
            span,
            help: error.help().map(|h| h.to_string()),
        }
    }

    /// Whether the failure only says that a statement inside its block failed, which was
    /// reported already: the block's status line says it, not a diagnostic of its own.
    #[must_use]
    pub fn follows_on(&self) -> bool {
        [RunCode::LoopStopped, RunCode::BranchFailed]
            .iter()
            .any(|code| code.code() == self.code)
    }

    /// The line printed instead of a diagnostic for a follow-on failure: where a loop
    /// stopped (the file or record, and what is left), which the failure inside does not
    /// say; nothing for an `if`.
    #[must_use]
    pub fn follow_on_note(&self) -> Option<String> {
        (self.code == RunCode::LoopStopped.code()).then(|| format!("note: {}", self.message))
    }

    #[must_use]
    pub fn with_kind(mut self, kind: FailureKind) -> RunError {
        self.kind = kind;
        self
    }

    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> RunError {
        self.help = Some(help.into());
        self
    }

    /// A file the statement needs is missing.
    pub fn not_found(path: &std::path::Path, span: Span, what: &str) -> RunError {
        RunError::raise(
            RunCode::FileNotFound,
            format!("{what} `{}` does not exist", path.display()),
            span,
            "this file is missing",
        )
        .with_kind(FailureKind::NotFound)
        .with_help("relative paths are resolved against the workflow's working directory; check the name and the step that should have written it")
    }

    /// A file-system operation failed.
    pub fn io(error: &std::io::Error, what: &str, path: &std::path::Path, span: Span) -> RunError {
        let kind = if error.kind() == std::io::ErrorKind::NotFound {
            FailureKind::NotFound
        } else {
            FailureKind::Fail
        };
        RunError::raise(
            RunCode::Io,
            format!("could not {what} `{}`: {error}", path.display()),
            span,
            "while running this",
        )
        .with_kind(kind)
    }
}

/// An error's message followed by each cause it does not already include.
fn with_causes(error: &dyn Diagnostic) -> String {
    let mut message = error.to_string();
    let mut cause = error.source();
    while let Some(c) = cause {
        let text = c.to_string();
        if !text.is_empty() && !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        cause = c.source();
    }
    message
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RunError {}

impl Diagnostic for RunError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(&self.code))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            Some(self.label.clone()),
            self.span,
        ))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error, miette::Diagnostic)]
    #[error("cannot write `out.xml`")]
    struct Unwritable(#[source] std::io::Error);

    #[test]
    fn the_os_cause_is_part_of_the_message() {
        let full = std::io::Error::from_raw_os_error(28);
        let error = RunError::from_diagnostic(
            &Unwritable(full),
            FailureKind::Fail,
            Span::new(0, 0),
            "here",
        );
        assert!(
            error
                .message
                .starts_with("cannot write `out.xml`: No space left on device"),
            "{}",
            error.message
        );
    }
}
