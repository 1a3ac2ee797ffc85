//! The step of a statement that checks but does not run yet.
use crate::runtime::{Outcome, RunError, Runtime, Step};
use crate::source::Span;

/// Fails at run time with a clear "not implemented yet" diagnostic.
#[derive(Debug)]
pub struct Pending {
    pub statement: String,
    pub span: Span,
}

impl Step for Pending {
    fn run(&self, _rt: &mut Runtime<'_>) -> Result<Outcome, RunError> {
        Err(RunError::new(
            "zynk::run::not_implemented",
            format!("`{}` is not implemented yet", self.statement),
            self.span,
            "this statement checks but cannot run yet",
        )
        .with_help("this version of zynk parses and checks the statement, so the script is valid; running it needs a later release"))
    }
}
