//! The run log (Zynk's Job / JobItem / Log): `run`, `task_run` and `log_line` rows.
use std::time::{Duration, Instant};

use jiff::Timestamp;

use super::backend::{PendingTask, Starter};
use super::{StateError, StateStore, from_micros, now_micros};

/// The id of one workflow run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RunId(pub i64);

/// One run as `zynk runs` lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct RunSummary {
    /// Run id.
    pub id: i64,
    /// Workflow name.
    pub workflow: String,
    /// Script path or name.
    pub script: String,
    /// Start time.
    pub started: Timestamp,
    /// End time (`None` while running, or when the process died).
    pub ended: Option<Timestamp>,
    /// Result code (`Success`, `Fail`, …); `None` = `Unknown` (still running or killed).
    pub result: Option<String>,
    /// The archive written during the run, if any.
    pub archive_path: Option<String>,
    /// Number of task runs.
    pub tasks: u64,
    /// Failed records, plus one for each statement that failed without a record count.
    pub errors: u64,
    /// The process that ran it (`None` for runs recorded before zynk kept it).
    pub pid: Option<u32>,
    /// The host that ran it (`None` for runs recorded before zynk kept it).
    pub host: Option<String>,
    /// Whether the run may still be going: its process lives (on this host), or its
    /// session still holds the workflow's lock (on a shared store).
    pub alive: bool,
}

impl RunSummary {
    /// The result as `zynk runs` shows it: the stored result, else `running` while its
    /// process lives, else `died` (killed, or the machine stopped).
    #[must_use]
    pub fn status(&self) -> String {
        match &self.result {
            Some(result) => result.clone(),
            None if !self.alive => "died".to_string(),
            None => "running".to_string(),
        }
    }
}

/// Whether a process with this id exists (Linux: `/proc`; elsewhere assumed alive).
pub(super) fn process_alive(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        std::path::Path::new("/proc").join(pid.to_string()).exists()
    } else {
        true
    }
}

/// One task run of a run.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskRunRow {
    /// Task (statement) name.
    pub name: String,
    /// Script line.
    pub line: u32,
    /// Start time.
    pub started: Timestamp,
    /// End time.
    pub ended: Timestamp,
    /// Result code.
    pub result: String,
    /// Records in.
    pub in_count: u64,
    /// Records out (imported).
    pub out_count: u64,
    /// Records failed.
    pub error_count: u64,
}

/// Task rows are written together once this many wait (about 2 MB of rows)...
const BATCH_ROWS: usize = 16_384;
/// ...or once the oldest has waited this long, so a record loop over a big file does not
/// pay one SQLite commit (a journal write and its syncs, milliseconds on a disk) per
/// statement per record: a loop of 60,000 records a second commits about four times a
/// second, not 120 times.
const BATCH_WAIT: Duration = Duration::from_secs(1);

impl StateStore {
    /// Starts a run of `workflow` from `script`, recording this host and process.
    pub fn begin_run(&self, workflow: &str, script: &str) -> Result<RunId, StateError> {
        let host = super::host_name();
        let id = self.backend.begin_run(&Starter {
            workflow,
            script,
            host: &host,
            pid: std::process::id(),
            at: now_micros(),
        })?;
        Ok(RunId(id))
    }

    /// Marks the runs of `workflow` still recorded as running as `Died`: call it holding
    /// the workflow's run lock, when no run of it can be alive. Returns how many.
    pub fn mark_died(&self, workflow: &str) -> Result<u64, StateError> {
        self.backend.mark_died(workflow)
    }

    /// Records one finished task run. Rows are written in batches (at most [`BATCH_ROWS`]
    /// or [`BATCH_WAIT`] late, and always before the run ends or the log is read), so a
    /// process killed mid-run can lose the last second of task rows, never a run row.
    #[allow(clippy::too_many_arguments)]
    pub fn record_task(
        &self,
        run: RunId,
        name: &str,
        line: u32,
        started: Timestamp,
        ended: Timestamp,
        result: &str,
        in_count: u64,
        out_count: u64,
        error_count: u64,
    ) -> Result<(), StateError> {
        if self.known_run.get() != Some(run.0) {
            self.check_run(run)?;
            self.known_run.set(Some(run.0));
        }
        let count = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        let waiting = {
            let mut pending = self.pending.borrow_mut();
            pending.push(PendingTask {
                run: run.0,
                name: name.to_string(),
                line,
                started: started.as_microsecond(),
                ended: ended.as_microsecond(),
                result: result.to_string(),
                counts: [count(in_count), count(out_count), count(error_count)],
            });
            pending.len()
        };
        if waiting >= BATCH_ROWS || self.flushed_at.get().elapsed() >= BATCH_WAIT {
            self.flush_tasks()?;
        }
        Ok(())
    }

    /// Writes the waiting task rows in one transaction.
    pub fn flush_tasks(&self) -> Result<(), StateError> {
        let rows = std::mem::take(&mut *self.pending.borrow_mut());
        self.flushed_at.set(Instant::now());
        if rows.is_empty() {
            return Ok(());
        }
        self.backend.insert_tasks(&rows)
    }

    /// Adds a log line (`level`: `Error`, `Warning`, `Info` or `Debug`).
    pub fn log(&self, run: RunId, level: &str, message: &str) -> Result<(), StateError> {
        self.backend.log(run.0, level, now_micros(), message)
    }

    /// Ends a run with its result and the archive it wrote, if any.
    pub fn end_run(
        &self,
        run: RunId,
        result: &str,
        archive_path: Option<&str>,
    ) -> Result<(), StateError> {
        let rows = std::mem::take(&mut *self.pending.borrow_mut());
        self.flushed_at.set(Instant::now());
        if self
            .backend
            .end_run_with_tasks(&rows, run.0, now_micros(), result, archive_path)?
        {
            Ok(())
        } else {
            Err(StateError::NoSuchRun { run: run.0 })
        }
    }

    /// Marks `run` ended as `Interrupted` through a connection of its own: what a second
    /// signal does from its own thread, just before the process exits, while the run's
    /// connection may be in the middle of a statement. Best effort: waits for a write lock
    /// at most half a second.
    pub fn record_interrupted_at(path: &std::path::Path, run: RunId) -> Result<(), StateError> {
        super::sqlite::record_interrupted_at(path, run.0, now_micros())
    }

    /// The latest runs, newest first.
    pub fn recent_runs(&self, limit: usize) -> Result<Vec<RunSummary>, StateError> {
        self.flush_tasks()?;
        self.backend.recent_runs(limit)
    }

    /// The task runs of one run, in order.
    pub fn task_runs(&self, run: RunId) -> Result<Vec<TaskRunRow>, StateError> {
        self.flush_tasks()?;
        self.backend.task_runs(run.0)
    }

    /// The log lines of one run as `(level, time, message)`, in order.
    pub fn log_lines(&self, run: RunId) -> Result<Vec<(String, Timestamp, String)>, StateError> {
        Ok(self
            .backend
            .log_lines(run.0)?
            .into_iter()
            .map(|(level, at, message)| (level, from_micros(at), message))
            .collect())
    }

    /// Deletes runs (with their tasks and log lines) that started more than `days` days ago
    /// (Zynk's log housekeeping, 90 days by default); returns how many runs went.
    pub fn prune_runs(&self, days: u32) -> Result<u64, StateError> {
        self.flush_tasks()?;
        let cutoff = now_micros() - i64::from(days) * 86_400_000_000;
        self.backend.prune_runs(cutoff)
    }

    /// `NoSuchRun` unless the run exists.
    pub fn require_run(&self, run: RunId) -> Result<(), StateError> {
        self.check_run(run)
    }

    fn check_run(&self, run: RunId) -> Result<(), StateError> {
        if self.backend.run_exists(run.0)? {
            Ok(())
        } else {
            Err(StateError::NoSuchRun { run: run.0 })
        }
    }
}

impl Drop for StateStore {
    fn drop(&mut self) {
        let _ = self.flush_tasks();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::TRUTH_CUSTOMER;

    #[test]
    fn batched_task_rows_are_all_written_when_read_or_when_the_store_closes()
    -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("state.sqlite");
        let t = Timestamp::now();
        let store = StateStore::open(&path)?;
        let run = store.begin_run("Shop", "shop.zynk")?;
        let rows = BATCH_ROWS as u32 * 2 + 76;
        for line in 0..rows {
            store.record_task(run, "log", line, t, t, "Success", 0, 0, 0)?;
        }
        // At least two full batches are written by now (more if a second has passed).
        let other = StateStore::open(&path)?;
        assert!(other.task_runs(run)?.len() >= BATCH_ROWS * 2);
        assert_eq!(
            store.task_runs(run)?.len(),
            rows as usize,
            "reading writes what waits"
        );
        for line in 0..7 {
            store.record_task(run, "log", line, t, t, "Success", 0, 0, 0)?;
        }
        drop(store);
        assert_eq!(
            other.task_runs(run)?.len(),
            rows as usize + 7,
            "closing writes what waits"
        );
        let missing = RunId(run.0 + 1);
        assert!(matches!(
            other.record_task(missing, "log", 1, t, t, "Success", 0, 0, 0),
            Err(StateError::NoSuchRun { .. })
        ));
        Ok(())
    }

    #[test]
    fn a_run_with_tasks_and_logs_is_listed() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let store = StateStore::open(&dir.path().join("nested/state.sqlite"))?;
        let run = store.begin_run("Shop", "shop.zynk")?;
        let t = Timestamp::now();
        store.record_task(run, "import customers", 3, t, t, "Success", 5, 4, 1)?;
        store.log(run, "Warning", "customer 7 failed")?;
        store.end_run(run, "Success", Some("Archive/x_archive.zip"))?;
        let runs = store.recent_runs(10)?;
        assert_eq!(runs.len(), 1);
        assert_eq!(runs[0].tasks, 1);
        assert_eq!(runs[0].errors, 1);
        assert_eq!(runs[0].result.as_deref(), Some("Success"));
        assert_eq!(
            runs[0].archive_path.as_deref(),
            Some("Archive/x_archive.zip")
        );
        assert_eq!(store.log_lines(run)?.len(), 1);
        assert_eq!(runs[0].pid, Some(std::process::id()));
        let open = store.begin_run("Shop", "shop.zynk")?;
        let mut listed = store.recent_runs(1)?;
        assert_eq!(listed[0].status(), "running");
        assert_eq!(listed[0].host, Some(crate::state::host_name()));
        listed[0].alive = false;
        assert_eq!(listed[0].status(), "died");
        assert_eq!(store.mark_died("Other")?, 0);
        assert_eq!(store.mark_died("Shop")?, 1);
        assert_eq!(store.recent_runs(1)?[0].result.as_deref(), Some("Died"));
        assert_eq!(store.recent_runs(1)?[0].id, open.0);
        assert!(matches!(
            store.end_run(RunId(99), "Fail", None),
            Err(StateError::NoSuchRun { run: 99 })
        ));
        Ok(())
    }

    #[test]
    fn watermarks_and_truth_survive_reopening() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("state.sqlite");
        let at = Timestamp::from_second(1_700_000_000)?;
        {
            let store = StateStore::open(&path)?;
            store.set_watermark("Shop", "export_stock", at)?;
            store.truth_store("Shop", TRUTH_CUSTOMER, "123", "INTE001")?;
        }
        let store = StateStore::open(&path)?;
        assert_eq!(store.watermark("Shop", "export_stock")?, Some(at));
        assert_eq!(
            store
                .truth_lookup("Shop", TRUTH_CUSTOMER, "123")?
                .as_deref(),
            Some("INTE001")
        );
        assert_eq!(store.truth_lookup("Other", TRUTH_CUSTOMER, "123")?, None);
        Ok(())
    }
}
