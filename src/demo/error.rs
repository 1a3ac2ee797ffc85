//! `DemoError`: what can go wrong opening, seeding or serving the demo shop.
use std::io;
use std::path::PathBuf;

use miette::Diagnostic;
use thiserror::Error;

/// An error from the demo shop. Problems with a single request never become a `DemoError`:
/// they are answered with a 4xx status and a one-line reason instead.
#[derive(Debug, Error, Diagnostic)]
pub enum DemoError {
    /// The shop's SQLite file could not be opened or created (missing folder, permissions).
    #[error("cannot open the shop database {}", path.display())]
    #[diagnostic(
        code(zynk::demo::open),
        help(
            "check that the folder exists and is writable, and that the file is a SQLite database"
        )
    )]
    Open {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },

    /// A query against the shop database failed (a locked or corrupt file).
    #[error("the shop database failed: {0}")]
    #[diagnostic(
        code(zynk::demo::database),
        help(
            "another process may hold the file locked; if it is damaged, delete it and let the shop seed a new one"
        )
    )]
    Database(#[from] rusqlite::Error),

    /// The demo's data folder or ledger could not be prepared or read.
    #[error("cannot use `{}`: {reason}", path.display())]
    #[diagnostic(
        code(zynk::demo::ledger),
        help(
            "choose another data folder with `zynk demo --data DIR`, or delete this one to start afresh"
        )
    )]
    Ledger { path: PathBuf, reason: String },

    /// The file opened by `ShopState::open` is a SQLite file without the shop's tables.
    #[error("{} is not a demo shop database", path.display())]
    #[diagnostic(
        code(zynk::demo::not_a_shop),
        help("start the shop once with `Shop::start` (or `zynk demo`) to create and seed it")
    )]
    NotAShop { path: PathBuf },

    /// `seed` was called on a database that already holds shop data.
    #[error("the shop database is already seeded (seed {seed})")]
    #[diagnostic(
        code(zynk::demo::already_seeded),
        help("seed a new, empty database file, or delete this one first")
    )]
    AlreadySeeded { seed: u64 },

    /// The listening address could not be bound (in use, not local, malformed).
    #[error("cannot listen on {addr}")]
    #[diagnostic(
        code(zynk::demo::bind),
        help("pass `--port 0` to let the system pick a free port, or another `--port`")
    )]
    Bind {
        addr: String,
        #[source]
        source: io::Error,
    },

    /// The server's background thread or async runtime could not be started.
    #[error("cannot start the shop's server thread")]
    #[diagnostic(
        code(zynk::demo::server),
        help(
            "the system may be out of threads or file descriptors; close other programs and retry"
        )
    )]
    Server(#[source] io::Error),
}
