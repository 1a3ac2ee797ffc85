//! A shared state store with a file ledger is refused: each host would post the same
//! orders into its own ledger file.
use std::path::Path;

use super::{RunCode, RunError};
use crate::check::Program;
use crate::plan::{Action, PlannedStatement};
use crate::source::Span;

/// The refusal, pointing at the statement that uses the ledger `ledger`.
#[must_use]
pub(crate) fn refusal(span: Span, ledger: &Path, state: &str) -> RunError {
    RunError::raise(
        RunCode::SharedStateFileLedger,
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
/// by planning it (nothing is run); `None` when no statement uses one. The plan walks a
/// loop over the files there now, so a use it cannot see is refused by the runtime when
/// the statement runs ([`crate::runtime::Runtime::ledger`]). A `ledger` statement
/// only selects the ledger for the statements after it: one naming a server (a URL) makes
/// them post there, one naming a file makes them use that file.
#[must_use]
pub(crate) fn check(
    program: &Program,
    source: &str,
    data_dir: &Path,
    state: &str,
) -> Option<RunError> {
    let plan = crate::plan::plan_program(program, source, data_dir);
    let mut walk = Walk {
        server: false,
        found: None,
    };
    walk.statements(&plan.statements);
    let (line, ledger) = walk.found?;
    // The top-level statement that is, or holds, that line carries the label.
    let statement = program
        .statements
        .iter()
        .take_while(|s| s.line <= line)
        .last()?;
    Some(refusal(statement.span, Path::new(&ledger), state))
}

/// The planned statements in run order, with the ledger in force.
struct Walk {
    /// Whether a server ledger is in force.
    server: bool,
    /// The line and ledger of the first use of a file ledger.
    found: Option<(usize, String)>,
}

impl Walk {
    fn statements(&mut self, statements: &[PlannedStatement]) {
        for statement in statements {
            if self.found.is_some() {
                return;
            }
            for effect in statement
                .effects
                .iter()
                .filter(|e| e.action == Action::Ledger)
            {
                let path = effect.path.clone().unwrap_or_default();
                if statement.statement.starts_with("ledger") {
                    self.server = path.contains("://");
                } else if !self.server {
                    self.found = Some((statement.line, path));
                    return;
                }
            }
            for block in &statement.blocks {
                self.statements(&block.statements);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn refused_line(text: &str) -> Option<usize> {
        let source = SourceFile::from_text("shop.zynk", text);
        let program =
            crate::check::compile(&source, crate::tasks::Registry::standard(), &[]).ok()?;
        let dir = tempfile::tempdir().ok()?;
        // The plan walks a loop once per file there now.
        std::fs::create_dir_all(dir.path().join("Shop/inbox")).ok()?;
        std::fs::write(dir.path().join("Shop/inbox/a.xml"), "<a/>").ok()?;
        let error = check(&program, text, dir.path(), "postgres://u@h:5432/d")?;
        let offset = error.span.start;
        Some(text[..offset].matches('\n').count() + 1)
    }

    #[test]
    fn the_first_use_of_a_file_ledger_is_refused_not_its_choice() {
        let fetch_only = "workflow \"Shop\"\nfetch \"http://127.0.0.1:9/d\" to \"d.xml\"\n";
        assert_eq!(refused_line(fetch_only), None);
        let chosen = "workflow \"Shop\"\nledger \"other.sqlite\"\nlog \"x\"\n";
        assert_eq!(
            refused_line(chosen),
            None,
            "choosing a file is not using it"
        );
        let nested = "workflow \"Shop\"\nlog \"x\"\nforeach f in \"inbox\" {\n    export stock all to \"s.xml\"\n}\n";
        assert_eq!(refused_line(nested), Some(3), "the loop that holds the use");
        let used = "workflow \"Shop\"\nledger \"other.sqlite\"\nexport stock all to \"s.xml\"\n";
        assert_eq!(refused_line(used), Some(3));
    }
}
