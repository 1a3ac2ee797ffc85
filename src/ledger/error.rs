//! `LedgerError`: the ledger file could not be opened, migrated or queried.
use std::path::PathBuf;

/// A failure of the ledger as a whole (record-level problems are import failures instead).
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum LedgerError {
    /// The ledger file could not be created or opened, e.g. its folder is read-only.
    #[error("cannot open the ledger `{path}`")]
    #[diagnostic(
        code(zynk::ledger::open),
        help("check that the folder exists and is writable, or pass another file with `--ledger`")
    )]
    Open {
        /// The ledger file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: rusqlite::Error,
    },
    /// The file is not a zynk ledger (another SQLite database, or not SQLite at all).
    #[error("`{path}` is not a zynk ledger")]
    #[diagnostic(
        code(zynk::ledger::not_a_ledger),
        help("point `ledger` or `--ledger` at a zynk ledger file, or at a new path to create one")
    )]
    NotALedger {
        /// The file.
        path: PathBuf,
    },
    /// The file was written by a newer zynk.
    #[error("the ledger `{path}` has schema version {found}, newer than this zynk knows ({known})")]
    #[diagnostic(code(zynk::ledger::too_new), help("upgrade zynk to open this ledger"))]
    TooNew {
        /// The ledger file.
        path: PathBuf,
        /// Version in the file.
        found: i64,
        /// Latest version this build knows.
        known: i64,
    },
    /// A query failed (disk full, file locked, corrupt file).
    #[error("the ledger failed: {source}")]
    #[diagnostic(
        code(zynk::ledger::query),
        help("check free disk space; another process may hold the ledger locked")
    )]
    Query {
        /// The cause.
        #[from]
        source: rusqlite::Error,
    },
    /// An unknown listing kind or format was asked for, e.g. `zynk ledger invoices`.
    #[error("unknown {what} `{given}`")]
    #[diagnostic(code(zynk::ledger::unknown_listing), help("use one of: {choices}"))]
    UnknownListing {
        /// "listing" or "format".
        what: &'static str,
        /// What was given.
        given: String,
        /// The valid choices, comma separated.
        choices: String,
    },
}
