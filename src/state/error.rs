//! `StateError`: the state store (`<data>/state.sqlite`, or a PostgreSQL server) could not be
//! opened, read or written.
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
    /// The store was written by a newer zynk (its schema version is unknown).
    #[error(
        "the state store `{store}` has schema version {found}, newer than this zynk knows ({known})"
    )]
    #[diagnostic(
        code(zynk::state::too_new),
        help(
            "upgrade zynk (every host sharing the store), or point `--data` or `--state` elsewhere"
        )
    )]
    TooNew {
        /// The state file, or the server's URL without password.
        store: String,
        /// Version in the store.
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
    /// `--state` (or `ZYNK_STATE`) is not a state store zynk can use.
    #[error("`--state` {reason}")]
    #[diagnostic(
        code(zynk::state::url),
        help(
            "give `postgres://USER@HOST:PORT/DATABASE` (options: `?sslmode=disable|prefer|require|verify-full&sslrootcert=FILE`); the password comes from PGPASSWORD or ~/.pgpass"
        )
    )]
    BadUrl {
        /// What is wrong, never quoting a password.
        reason: String,
    },
    /// The server could not be reached, or refused the login.
    #[error("cannot connect to the state store `{store}`: {reason}")]
    #[diagnostic(
        code(zynk::state::connect),
        help(
            "check that the server runs and accepts this host, the user and database exist, and the password is in PGPASSWORD or ~/.pgpass"
        )
    )]
    Connect {
        /// The URL without password.
        store: String,
        /// The cause.
        reason: String,
    },
    /// A query on the server failed.
    #[error("the state store `{store}` failed: {reason}")]
    #[diagnostic(
        code(zynk::state::server),
        help("check the server's log; the user needs to create tables in the database")
    )]
    Server {
        /// The URL without password.
        store: String,
        /// The cause.
        reason: String,
    },
    /// The connection to the server broke during a run; the run lock went with it.
    #[error("the connection to the state store `{store}` was lost: {reason}")]
    #[diagnostic(
        code(zynk::state::connection_lost),
        help(
            "the run stopped at the next safe point and another host may now run the workflow; run it again: what finished is not repeated"
        )
    )]
    ConnectionLost {
        /// The URL without password.
        store: String,
        /// The cause.
        reason: String,
    },
}
