//! A shared state store with a file ledger is refused: each host would post the same
//! orders into its own ledger file.
use std::path::Path;

use super::RunError;
use crate::check::Program;
use crate::plan::{Action, PlannedStatement};
use crate::source::Span;

/// The refusal, pointing at the statement that uses the ledger `ledger`.
#[must_use]
pub fn refusal(span: Span, ledger: &Path, state: &str) -> RunError {
    RunError::new(
        "zynk::run::shared_state_file_ledger",
        format!(
            "the ledger `{}` is a file of this host, but the state store `{state}` is shared by hosts",
            ledger.display()
        ),
        span,
        "this statement uses the file ledger",
    )
    .with_help(
        "every host would post the same orders into its own ledger file: use a server ledger that all hosts share, or run the workflow on one host without `--state`",
    )
}

/// The refusal for the first statement of `program` that would use a file ledger, found
/// by planning it (nothing is run); `None` when no statement uses one.
#[must_use]
pub fn check(program: &Program, source: &str, data_dir: &Path, state: &str) -> Option<RunError> {
    let plan = crate::plan::plan_program(program, source, data_dir);
    let (line, ledger) = plan.statements.iter().find_map(first_ledger)?;
    // The top-level statement that is, or holds, that line carries the label.
    let statement = program
        .statements
        .iter()
        .take_while(|s| s.line <= line)
        .last()?;
    Some(refusal(statement.span, Path::new(&ledger), state))
}

fn first_ledger(statement: &PlannedStatement) -> Option<(usize, String)> {
    statement
        .effects
        .iter()
        .find(|e| e.action == Action::Ledger)
        .map(|e| (statement.line, e.path.clone().unwrap_or_default()))
        .or_else(|| {
            statement
                .blocks
                .iter()
                .flat_map(|b| &b.statements)
                .find_map(first_ledger)
        })
}
