//! `Backend`: what a state store keeps, the same on a SQLite file and on PostgreSQL.
//!
//! The store's own logic (staged watermarks, batched task rows) lives once in
//! [`super::StateStore`]; a backend only reads and writes rows. Times are Unix microseconds.
use std::path::Path;
use std::time::Duration;

use super::{RunSummary, StateError, TaskRunRow};
use crate::state::LockError;

/// A task-run row waiting to be written.
#[derive(Debug, Clone)]
pub(super) struct PendingTask {
    pub(super) run: i64,
    pub(super) name: String,
    pub(super) line: u32,
    pub(super) started: i64,
    pub(super) ended: i64,
    pub(super) result: String,
    pub(super) counts: [i64; 3],
}

/// A watermark to write: workflow, task, time.
pub(super) type WatermarkRow = (String, String, i64);

/// Who starts a run: this host's name and this process.
#[derive(Debug, Clone)]
pub(super) struct Starter<'a> {
    pub(super) workflow: &'a str,
    pub(super) script: &'a str,
    pub(super) host: &'a str,
    pub(super) pid: u32,
    pub(super) at: i64,
}

/// The rows of a state store.
pub(super) trait Backend {
    /// The store as messages name it: a file path, or a URL without its password.
    fn describe(&self) -> String;
    /// The SQLite file, when the store is one (imports attach it to the ledger).
    fn file(&self) -> Option<&Path>;
    /// Whether hosts share the store (a server), as opposed to a file of this host.
    fn shared(&self) -> bool;
    /// Where the store is, to open another connection to it.
    fn location(&self) -> super::StateLocation;

    fn truth_lookup(
        &self,
        workflow: &str,
        kind: &str,
        internal_id: &str,
    ) -> Result<Option<String>, StateError>;
    /// The external id and the content fingerprint stored for `internal_id`.
    fn truth_row(
        &self,
        workflow: &str,
        kind: &str,
        internal_id: &str,
    ) -> Result<Option<(String, Option<String>)>, StateError>;
    /// Stores (or replaces) a truth row; a `None` fingerprint keeps the stored one.
    fn truth_store(
        &self,
        workflow: &str,
        kind: &str,
        internal_id: &str,
        external_id: &str,
        hash: Option<&str>,
    ) -> Result<(), StateError>;
    fn truth_count(&self, workflow: &str, kind: &str) -> Result<u64, StateError>;

    fn watermark(&self, workflow: &str, task: &str) -> Result<Option<i64>, StateError>;
    /// Writes the rows in one transaction.
    fn write_watermarks(&self, rows: &[WatermarkRow]) -> Result<(), StateError>;

    fn begin_run(&self, starter: &Starter<'_>) -> Result<i64, StateError>;
    fn mark_died(&self, workflow: &str) -> Result<u64, StateError>;
    fn run_exists(&self, run: i64) -> Result<bool, StateError>;
    /// Writes the rows in one transaction; `NoSuchRun` if a row's run is gone.
    fn insert_tasks(&self, rows: &[PendingTask]) -> Result<(), StateError>;
    fn log(&self, run: i64, level: &str, at: i64, message: &str) -> Result<(), StateError>;
    /// Returns whether the run existed.
    fn end_run(
        &self,
        run: i64,
        at: i64,
        result: &str,
        archive: Option<&str>,
    ) -> Result<bool, StateError>;
    /// Writes the last task rows and ends the run; the SQLite store does both in one
    /// commit (one round of syncs where two would wait for the disk).
    fn end_run_with_tasks(
        &self,
        rows: &[PendingTask],
        run: i64,
        at: i64,
        result: &str,
        archive: Option<&str>,
    ) -> Result<bool, StateError> {
        if !rows.is_empty() {
            self.insert_tasks(rows)?;
        }
        self.end_run(run, at, result, archive)
    }
    fn recent_runs(&self, limit: usize) -> Result<Vec<RunSummary>, StateError>;
    fn task_runs(&self, run: i64) -> Result<Vec<TaskRunRow>, StateError>;
    fn log_lines(&self, run: i64) -> Result<Vec<(String, i64, String)>, StateError>;
    /// Deletes runs started before `cutoff`; returns how many.
    fn prune_runs(&self, cutoff: i64) -> Result<u64, StateError>;

    /// Takes the workflow's run lock for this store's session, waiting up to `wait`. A
    /// store of one host has none (the runtime locks the working directory).
    fn lock_workflow(
        &self,
        workflow: &str,
        host: &str,
        wait: Option<Duration>,
    ) -> Result<(), LockError> {
        let _ = (workflow, host, wait);
        Ok(())
    }

    /// `ConnectionLost` when the store's session is gone (and with it any run lock); unless
    /// `now`, a session that answered a moment ago is not asked.
    fn check_alive(&self, now: bool) -> Result<(), StateError> {
        let _ = now;
        Ok(())
    }
}
