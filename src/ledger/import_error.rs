//! `ImportError` (a task-level failure of an import or export) and `ImportReport` (its counts).
use std::path::PathBuf;

use crate::connect::ConnectError;
use crate::state::StateError;

use super::LedgerError;

/// Why an import or export as a whole did not run. Record-level problems never come here:
/// they go to the fail file and [`ImportReport::failures`].
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ImportError {
    /// The input file is missing (Zynk result `NotFound`).
    #[error("input file `{path}` does not exist")]
    #[diagnostic(
        code(zynk::import::not_found),
        help("check the path, or the step that should have written the file")
    )]
    NotFound {
        /// The missing file.
        path: PathBuf,
    },
    /// The input is not well-formed Connect XML; nothing was imported (Zynk result `Fail`).
    #[error("`{path}` is not valid Connect XML at line {line}, column {column}: {message}")]
    #[diagnostic(
        code(zynk::import::malformed_xml),
        help("fix the XML at that position and run again; nothing was imported from this file")
    )]
    MalformedXml {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: u64,
        /// 1-based column.
        column: u64,
        /// What is wrong.
        message: String,
    },
    /// The input exists but cannot be read.
    #[error("cannot read `{path}`")]
    #[diagnostic(code(zynk::import::unreadable), help("check the file's permissions"))]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The ledger (or the state store attached to it) failed; the import was rolled back.
    #[error("the ledger is unavailable: {source}")]
    #[diagnostic(
        code(zynk::import::ledger_unavailable),
        help(
            "check free disk space and that no other process holds the ledger locked; nothing was imported"
        )
    )]
    Ledger {
        /// The cause.
        #[source]
        source: rusqlite::Error,
    },
    /// The state store failed (truth table or watermark).
    #[error("the state store is unavailable")]
    #[diagnostic(
        code(zynk::import::state_unavailable),
        help("check free disk space and the data folder's permissions")
    )]
    State {
        /// The cause.
        #[source]
        source: StateError,
    },
    /// A success, fail or export file could not be written; the import was rolled back.
    #[error("cannot write `{path}`")]
    #[diagnostic(
        code(zynk::import::output_unwritable),
        help("check that the folder is writable and the disk is not full")
    )]
    OutputUnwritable {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The input's encoding, nesting or field sizes are beyond what can be read.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Input(ConnectError),
}

impl ImportError {
    /// Zynk's task result for this error: `NotFound` for a missing input, else `Fail`.
    pub fn result_code(&self) -> &'static str {
        match self {
            ImportError::NotFound { .. } => "NotFound",
            _ => "Fail",
        }
    }

    /// True for a missing input file.
    pub fn is_not_found(&self) -> bool {
        matches!(self, ImportError::NotFound { .. })
    }
}

impl From<ConnectError> for ImportError {
    fn from(e: ConnectError) -> Self {
        match e {
            ConnectError::NotFound { path } => ImportError::NotFound { path },
            ConnectError::Malformed {
                path,
                line,
                column,
                message,
            } => ImportError::MalformedXml {
                path,
                line,
                column,
                message,
            },
            ConnectError::Read { path, source } => ImportError::Unreadable { path, source },
            ConnectError::Write { path, source } => ImportError::OutputUnwritable { path, source },
            other => ImportError::Input(other),
        }
    }
}

impl From<rusqlite::Error> for ImportError {
    fn from(source: rusqlite::Error) -> Self {
        ImportError::Ledger { source }
    }
}

impl From<LedgerError> for ImportError {
    fn from(e: LedgerError) -> Self {
        match e {
            LedgerError::Query { source } | LedgerError::Open { source, .. } => {
                ImportError::Ledger { source }
            }
            other => ImportError::Ledger {
                source: rusqlite::Error::ToSqlConversionFailure(Box::new(other)),
            },
        }
    }
}

impl From<StateError> for ImportError {
    fn from(source: StateError) -> Self {
        ImportError::State { source }
    }
}

/// What an import did: counts for the run log plus messages for the log lines.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportReport {
    /// Records read (Zynk `InCount`).
    pub records: u64,
    /// Records imported, now in the success file (Zynk `OutCount`).
    pub succeeded: u64,
    /// Records in the fail file (Zynk `ErrorCount`).
    pub failed: u64,
    /// Records whose `Id` was imported by an earlier run (same workflow, truth table): sent to
    /// the success file again with what the ledger gave them then (not in `succeeded`), or,
    /// with `duplicates fail`, to the fail file (then also in `failed`).
    pub already_imported: u64,
    /// Data cut or skipped on records that still imported, one line each.
    pub warnings: Vec<String>,
    /// Why each failed record failed, one line each.
    pub failures: Vec<String>,
}

impl ImportReport {
    /// Zynk's task result: `Success`, or `SuccessNoData` when the input held no records.
    pub fn result_code(&self) -> &'static str {
        if self.records == 0 {
            "SuccessNoData"
        } else {
            "Success"
        }
    }
}

#[cfg(test)]
mod tests {
    use miette::Diagnostic;

    use super::*;

    #[test]
    fn errors_carry_stable_codes_and_help() {
        let e = ImportError::MalformedXml {
            path: PathBuf::from("download.xml"),
            line: 3,
            column: 7,
            message: "bad".into(),
        };
        assert_eq!(
            e.code().map(|c| c.to_string()).as_deref(),
            Some("zynk::import::malformed_xml")
        );
        assert!(e.help().is_some());
        assert_eq!(
            e.to_string(),
            "`download.xml` is not valid Connect XML at line 3, column 7: bad"
        );
        let nf = ImportError::from(ConnectError::NotFound {
            path: PathBuf::from("x.xml"),
        });
        assert_eq!(nf.result_code(), "NotFound");
        assert_eq!(
            nf.code().map(|c| c.to_string()).as_deref(),
            Some("zynk::import::not_found")
        );
    }
}
