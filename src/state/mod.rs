//! The state store `<data>/state.sqlite`: truth table, export watermarks and run log.
mod clock;
mod error;
mod run_log;
mod truth;
mod watermark;

use std::cell::{Cell, RefCell};
use std::path::{Path, PathBuf};

use rusqlite::Connection;

pub use clock::{from_micros, now_micros};
pub use error::StateError;
pub use run_log::{RunId, RunSummary, TaskRunRow};
pub use truth::{TRUTH_CUSTOMER, TRUTH_INVOICE, TRUTH_SALES_ORDER, TRUTH_TRANSACTION};
pub(crate) use truth::{
    lookup as truth_lookup_on, lookup_row as truth_row_on, store as truth_store_on,
    store_with as truth_store_with_on,
};

/// Schema migrations, applied in order; `PRAGMA user_version` counts those applied.
const MIGRATIONS: &[&str] = &[include_str!("schema.sql"), include_str!("schema_2.sql")];

/// The project's own state: a SQLite file kept beside the ledger, outside any working folder.
pub struct StateStore {
    conn: Connection,
    path: PathBuf,
    /// Export watermarks set during a run, committed when it succeeds (`None`: not staging).
    staged: RefCell<Option<Vec<watermark::Staged>>>,
    /// Task-run rows not yet written (the run log writes them in batches).
    pending: RefCell<Vec<run_log::PendingTask>>,
    /// When the pending task rows were last written.
    flushed_at: Cell<std::time::Instant>,
    /// The run already checked to exist, so each task row need not ask again.
    known_run: Cell<Option<i64>>,
}

impl StateStore {
    /// Opens (creating the file and its parent folders if needed) and migrates the state store.
    pub fn open(path: &Path) -> Result<StateStore, StateError> {
        let open_err = |source| StateError::Open {
            path: path.to_path_buf(),
            source,
        };
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .map_err(|e| open_err(rusqlite::Error::ToSqlConversionFailure(Box::new(e))))?;
        }
        let mut conn = Connection::open(path).map_err(open_err)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(open_err)?;
        conn.execute_batch("PRAGMA foreign_keys = ON;")
            .map_err(open_err)?;
        migrate(&mut conn, path)?;
        Ok(StateStore {
            conn,
            path: path.to_path_buf(),
            staged: RefCell::new(None),
            pending: RefCell::new(Vec::new()),
            flushed_at: Cell::new(std::time::Instant::now()),
            known_run: Cell::new(None),
        })
    }

    /// The file this store lives in (imports attach it to the ledger's connection).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The external id stored for a website `internal_id` (e.g. customer `Id` → account reference).
    pub fn truth_lookup(
        &self,
        workflow: &str,
        kind: &str,
        internal_id: &str,
    ) -> Result<Option<String>, StateError> {
        Ok(truth::lookup(
            &self.conn,
            "main",
            workflow,
            kind,
            internal_id,
        )?)
    }

    /// Stores a truth row (used by tests and helper statements; imports write theirs themselves).
    pub fn truth_store(
        &self,
        workflow: &str,
        kind: &str,
        internal_id: &str,
        external_id: &str,
    ) -> Result<(), StateError> {
        Ok(truth::store(
            &self.conn,
            "main",
            workflow,
            kind,
            internal_id,
            external_id,
        )?)
    }

    /// The external id and the fingerprint stored for a website `internal_id`.
    pub fn truth_row(
        &self,
        workflow: &str,
        kind: &str,
        internal_id: &str,
    ) -> Result<Option<(String, Option<String>)>, StateError> {
        Ok(truth::lookup_row(
            &self.conn,
            "main",
            workflow,
            kind,
            internal_id,
        )?)
    }

    /// Stores a truth row with the record's fingerprint.
    pub fn truth_store_with(
        &self,
        workflow: &str,
        kind: &str,
        internal_id: &str,
        external_id: &str,
        fingerprint: &str,
    ) -> Result<(), StateError> {
        Ok(truth::store_with(
            &self.conn,
            "main",
            workflow,
            kind,
            internal_id,
            external_id,
            Some(fingerprint),
        )?)
    }

    /// How many truth rows a workflow holds for a type.
    pub fn truth_count(&self, workflow: &str, kind: &str) -> Result<u64, StateError> {
        let n: i64 = self.conn.query_row(
            "SELECT count(*) FROM truth WHERE profile = ?1 AND type = ?2",
            rusqlite::params![workflow, kind],
            |r| r.get(0),
        )?;
        Ok(n as u64)
    }
}

fn migrate(conn: &mut Connection, path: &Path) -> Result<(), StateError> {
    // The version is read inside an immediate (write-locked) transaction, so two processes
    // opening a new store at once migrate it once: the second waits (busy timeout), then
    // finds the work done.
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let known = MIGRATIONS.len() as i64;
    if version > known {
        return Err(StateError::TooNew {
            path: path.to_path_buf(),
            found: version,
            known,
        });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
    }
    tx.commit()?;
    Ok(())
}
