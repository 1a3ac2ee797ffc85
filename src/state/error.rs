//! `StateError`: the state store (`<data>/state.sqlite`) could not be opened, read or written.
use std::path::PathBuf;

/// A failure of the state store.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum StateError {
    /// The file could not be created or opened, e.g. its folder is read-only.
    #[error("cannot open the state store `{path}`")]
    #[diagnostic(
        code(zynk::state::open),
        help("check that the data folder exists and is writable")
    )]
    Open {
        /// The state file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: rusqlite::Error,
    },
    /// The file was written by a newer zynk (its schema version is unknown).
    #[error(
        "the state store `{path}` has schema version {found}, newer than this zynk knows ({known})"
    )]
    #[diagnostic(
        code(zynk::state::too_new),
        help("upgrade zynk, or point `--data` at another folder")
    )]
    TooNew {
        /// The state file.
        path: PathBuf,
        /// Version in the file.
        found: i64,
        /// Latest version this build knows.
        known: i64,
    },
    /// A query failed (disk full, file locked, corrupt file).
    #[error("the state store failed: {source}")]
    #[diagnostic(
        code(zynk::state::query),
        help("check free disk space; another zynk may hold the file locked")
    )]
    Query {
        /// The cause.
        #[from]
        source: rusqlite::Error,
    },
    /// A run id that does not exist was passed.
    #[error("run {run} does not exist")]
    #[diagnostic(
        code(zynk::state::no_such_run),
        help(
            "`zynk runs` lists the runs with their ids (add `--data DIR` or `--state URL` for another store)"
        )
    )]
    NoSuchRun {
        /// The id.
        run: i64,
    },
}
