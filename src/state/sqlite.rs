//! `SqliteState`: the state store as a SQLite file of one host, `<data>/state.sqlite`.
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, params};

use super::backend::{Backend, PendingTask, Starter, WatermarkRow};
use super::{RunSummary, StateError, TaskRunRow, from_micros, truth};

/// Schema migrations, applied in order; `PRAGMA user_version` counts those applied.
const MIGRATIONS: &[&str] = &[
    include_str!("schema.sql"),
    include_str!("schema_2.sql"),
    include_str!("schema_3.sql"),
];

/// A state store in a SQLite file.
pub(super) struct SqliteState {
    conn: Connection,
    path: PathBuf,
}

impl SqliteState {
    /// Opens (creating the file and its parent folders if needed) and migrates the store.
    pub(super) fn open(path: &Path) -> Result<SqliteState, StateError> {
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
        Ok(SqliteState {
            conn,
            path: path.to_path_buf(),
        })
    }
}

impl SqliteState {
    /// The task rows' inserts, inside the caller's transaction.
    fn insert_task_rows(&self, rows: &[PendingTask]) -> Result<(), StateError> {
        let mut insert = self.conn.prepare_cached(
                "INSERT INTO task_run (run_id, name, line, started, ended, result, in_count, out_count, error_count)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?;
        for row in rows {
            let [input, output, failed] = row.counts;
            insert
                .execute(params![
                    row.run,
                    row.name,
                    row.line,
                    row.started,
                    row.ended,
                    row.result,
                    input,
                    output,
                    failed
                ])
                .map_err(|e| no_such_run_on_constraint(e, row.run))?;
        }
        Ok(())
    }
}

/// Ends run `run` as `Interrupted` through a connection of its own (see
/// [`super::StateStore::record_interrupted_at`]); waits for a write lock at most half a second.
pub(super) fn record_interrupted_at(path: &Path, run: i64, at: i64) -> Result<(), StateError> {
    let conn = Connection::open(path).map_err(|source| StateError::Open {
        path: path.to_path_buf(),
        source,
    })?;
    conn.busy_timeout(std::time::Duration::from_millis(500))?;
    conn.execute(
        "UPDATE run SET ended = ?2, result = 'Interrupted' WHERE id = ?1",
        params![run, at],
    )?;
    Ok(())
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
            store: path.display().to_string(),
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

impl Backend for SqliteState {
    fn describe(&self) -> String {
        self.path.display().to_string()
    }

    fn file(&self) -> Option<&Path> {
        Some(&self.path)
    }

    fn location(&self) -> super::StateLocation {
        super::StateLocation::File(self.path.clone())
    }

    fn shared(&self) -> bool {
        false
    }

    fn truth_lookup(
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

    fn truth_row(
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

    fn truth_store(
        &self,
        workflow: &str,
        kind: &str,
        internal_id: &str,
        external_id: &str,
        hash: Option<&str>,
    ) -> Result<(), StateError> {
        Ok(truth::store_with(
            &self.conn,
            "main",
            workflow,
            kind,
            internal_id,
            external_id,
            hash,
        )?)
    }

    fn truth_count(&self, workflow: &str, kind: &str) -> Result<u64, StateError> {
        let n: i64 = self.conn.query_row(
            "SELECT count(*) FROM truth WHERE profile = ?1 AND type = ?2",
            params![workflow, kind],
            |r| r.get(0),
        )?;
        Ok(u64::try_from(n).unwrap_or_default())
    }

    fn watermark(&self, workflow: &str, task: &str) -> Result<Option<i64>, StateError> {
        Ok(self
            .conn
            .query_row(
                "SELECT value FROM watermark WHERE profile = ?1 AND task = ?2",
                params![workflow, task],
                |r| r.get(0),
            )
            .optional()?)
    }

    fn write_watermarks(&self, rows: &[WatermarkRow]) -> Result<(), StateError> {
        let tx = self.conn.unchecked_transaction()?;
        for (workflow, task, at) in rows {
            tx.execute(
                "INSERT INTO watermark (profile, task, value) VALUES (?1, ?2, ?3)
                 ON CONFLICT (profile, task) DO UPDATE SET value = excluded.value",
                params![workflow, task, at],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    fn begin_run(&self, s: &Starter<'_>) -> Result<i64, StateError> {
        self.conn.execute(
            "INSERT INTO run (workflow, script, started, pid, host) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![s.workflow, s.script, s.at, s.pid, s.host],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    fn mark_died(&self, workflow: &str) -> Result<u64, StateError> {
        let n = self.conn.execute(
            "UPDATE run SET result = 'Died' WHERE workflow = ?1 AND result IS NULL",
            [workflow],
        )?;
        Ok(n as u64)
    }

    fn run_exists(&self, run: i64) -> Result<bool, StateError> {
        let found: Option<i64> = self
            .conn
            .query_row("SELECT id FROM run WHERE id = ?1", [run], |r| r.get(0))
            .optional()?;
        Ok(found.is_some())
    }

    fn insert_tasks(&self, rows: &[PendingTask]) -> Result<(), StateError> {
        let tx = self.conn.unchecked_transaction()?;
        self.insert_task_rows(rows)?;
        tx.commit()?;
        Ok(())
    }

    fn end_run_with_tasks(
        &self,
        rows: &[PendingTask],
        run: i64,
        at: i64,
        result: &str,
        archive: Option<&str>,
    ) -> Result<bool, StateError> {
        let tx = self.conn.unchecked_transaction()?;
        self.insert_task_rows(rows)?;
        let ended = self.end_run(run, at, result, archive)?;
        tx.commit()?;
        Ok(ended)
    }

    fn log(&self, run: i64, level: &str, at: i64, message: &str) -> Result<(), StateError> {
        self.conn
            .execute(
                "INSERT INTO log_line (run_id, level, at, message) VALUES (?1, ?2, ?3, ?4)",
                params![run, level, at, message],
            )
            .map_err(|e| no_such_run_on_constraint(e, run))?;
        Ok(())
    }

    fn end_run(
        &self,
        run: i64,
        at: i64,
        result: &str,
        archive: Option<&str>,
    ) -> Result<bool, StateError> {
        let n = self.conn.execute(
            "UPDATE run SET ended = ?2, result = ?3, archive_path = coalesce(?4, archive_path) WHERE id = ?1",
            params![run, at, result, archive],
        )?;
        Ok(n > 0)
    }

    fn recent_runs(&self, limit: usize) -> Result<Vec<RunSummary>, StateError> {
        let here = super::host_name();
        let mut stmt = self.conn.prepare(
            "SELECT r.id, r.workflow, r.script, r.started, r.ended, r.result, r.archive_path,
                    (SELECT count(*) FROM task_run t WHERE t.run_id = r.id),
                    (SELECT coalesce(sum(CASE WHEN error_count = 0 AND result NOT LIKE 'Success%' THEN 1 ELSE error_count END), 0) FROM task_run t WHERE t.run_id = r.id),
                    r.pid, r.host
             FROM run r ORDER BY r.id DESC LIMIT ?1",
        )?;
        let rows = stmt.query_map([i64::try_from(limit).unwrap_or(i64::MAX)], |r| {
            let pid: Option<u32> = r.get(9)?;
            let host: Option<String> = r.get(10)?;
            // A process of another host (a copied data folder) cannot be looked up here.
            let local = host.as_deref().is_none_or(|h| h == here);
            Ok(RunSummary {
                id: r.get(0)?,
                workflow: r.get(1)?,
                script: r.get(2)?,
                started: from_micros(r.get(3)?),
                ended: r.get::<_, Option<i64>>(4)?.map(from_micros),
                result: r.get(5)?,
                archive_path: r.get(6)?,
                tasks: r.get::<_, i64>(7)? as u64,
                errors: r.get::<_, i64>(8)? as u64,
                pid,
                alive: !local || pid.is_none_or(super::run_log::process_alive),
                host,
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    fn task_runs(&self, run: i64) -> Result<Vec<TaskRunRow>, StateError> {
        let mut stmt = self.conn.prepare(
            "SELECT name, line, started, ended, result, in_count, out_count, error_count
             FROM task_run WHERE run_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([run], |r| {
            Ok(TaskRunRow {
                name: r.get(0)?,
                line: r.get(1)?,
                started: from_micros(r.get(2)?),
                ended: from_micros(r.get(3)?),
                result: r.get(4)?,
                in_count: r.get::<_, i64>(5)? as u64,
                out_count: r.get::<_, i64>(6)? as u64,
                error_count: r.get::<_, i64>(7)? as u64,
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    fn log_lines(&self, run: i64) -> Result<Vec<(String, i64, String)>, StateError> {
        let mut stmt = self
            .conn
            .prepare("SELECT level, at, message FROM log_line WHERE run_id = ?1 ORDER BY id")?;
        let rows = stmt.query_map([run], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    fn prune_runs(&self, cutoff: i64) -> Result<u64, StateError> {
        let n = self
            .conn
            .execute("DELETE FROM run WHERE started < ?1", [cutoff])?;
        Ok(n as u64)
    }
}

/// A foreign-key failure on a run-log row means its run is gone.
fn no_such_run_on_constraint(e: rusqlite::Error, run: i64) -> StateError {
    match e {
        rusqlite::Error::SqliteFailure(f, _)
            if f.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            StateError::NoSuchRun { run }
        }
        other => other.into(),
    }
}
