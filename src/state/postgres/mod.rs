//! `PgState`: the state store on a PostgreSQL server that several hosts share, through
//! rust-postgres' synchronous client.
mod lock;
mod pgpass;
mod tls;
mod url;

use std::cell::{Cell, RefCell};
use std::path::Path;
use std::time::{Duration, Instant};

use postgres::error::SqlState;
use postgres::types::ToSql;
use postgres::{Client, Row};

pub use url::{PgUrl, SslMode};

use super::backend::{Backend, PendingTask, Starter, WatermarkRow};
use super::{RunSummary, StateError, TaskRunRow, from_micros};
use crate::state::LockError;

/// Schema migrations, applied in order; `zynk.migration` lists those applied.
const MIGRATIONS: &[&str] = &[include_str!("schema_1.sql")];

/// Advisory-lock class of schema migrations (the run locks use [`lock::CLASS`]).
const MIGRATION_CLASS: i32 = 0x7a79_6e6c;

/// A connection used less than this long ago is taken to be alive without asking.
const ALIVE_FOR: Duration = Duration::from_millis(250);

/// The state store on a PostgreSQL server.
pub struct PgState {
    client: RefCell<Client>,
    url: PgUrl,
    /// When the server last answered.
    answered: Cell<Instant>,
    /// Why the connection is known to be gone.
    lost: RefCell<Option<String>>,
}

impl PgState {
    /// Connects (password from the URL, `PGPASSWORD` or `.pgpass`) and migrates the schema.
    pub fn connect(url: &PgUrl) -> Result<PgState, StateError> {
        let state = PgState::session(url)?;
        state.migrate()?;
        Ok(state)
    }

    /// Connects to read a store that may not exist yet, creating nothing: `None` when the
    /// database has no zynk schema.
    pub fn connect_existing(url: &PgUrl) -> Result<Option<PgState>, StateError> {
        let state = PgState::session(url)?;
        let known = i32::try_from(MIGRATIONS.len()).unwrap_or(i32::MAX);
        match state.with(schema_version)? {
            -1 => Ok(None),
            found if found > known => Err(state.too_new(found, known)),
            _ => Ok(Some(state)),
        }
    }

    fn session(url: &PgUrl) -> Result<PgState, StateError> {
        let mut config = postgres::Config::new();
        config
            .host(&url.host)
            .port(url.port)
            .user(&url.user)
            .dbname(&url.dbname)
            .application_name(&url.application_name)
            .connect_timeout(Duration::from_secs(url.connect_timeout.max(1)))
            .keepalives_idle(Duration::from_secs(30))
            // The server's side of this session: a holder whose machine vanishes frees its
            // run lock about a minute later, not after the system's two hours.
            .options(
                "-c tcp_keepalives_idle=30 -c tcp_keepalives_interval=10 -c tcp_keepalives_count=3",
            );
        if let Some(password) = url.password.clone().or_else(|| pgpass::password_for(url)) {
            config.password(password);
        }
        let connect_error = |reason: String| StateError::Connect {
            store: url.to_string(),
            reason,
        };
        let client = match url.sslmode {
            SslMode::Disable => config
                .ssl_mode(postgres::config::SslMode::Disable)
                .connect(postgres::NoTls),
            mode => {
                config.ssl_mode(if mode == SslMode::Prefer {
                    postgres::config::SslMode::Prefer
                } else {
                    postgres::config::SslMode::Require
                });
                config.connect(tls::connector(url).map_err(connect_error)?)
            }
        }
        .map_err(|e| connect_error(describe(&e)))?;
        Ok(PgState {
            client: RefCell::new(client),
            url: url.clone(),
            answered: Cell::new(Instant::now()),
            lost: RefCell::new(None),
        })
    }

    /// Runs `f` on the connection; a failure that closed it becomes `ConnectionLost`.
    fn with<T>(
        &self,
        f: impl FnOnce(&mut Client) -> Result<T, postgres::Error>,
    ) -> Result<T, StateError> {
        self.with_run(None, f)
    }

    /// As [`PgState::with`]; a foreign-key failure means `run` is gone (`NoSuchRun`).
    fn with_run<T>(
        &self,
        run: Option<i64>,
        f: impl FnOnce(&mut Client) -> Result<T, postgres::Error>,
    ) -> Result<T, StateError> {
        if let Some(reason) = self.lost.borrow().clone() {
            return Err(self.lost_error(reason));
        }
        let mut client = self.client.borrow_mut();
        match f(&mut client) {
            Ok(value) => {
                self.answered.set(Instant::now());
                Ok(value)
            }
            Err(e) if client.is_closed() || connection_gone(&e) => {
                let reason = describe(&e);
                *self.lost.borrow_mut() = Some(reason.clone());
                Err(self.lost_error(reason))
            }
            Err(e) => match run {
                Some(run) if e.code() == Some(&SqlState::FOREIGN_KEY_VIOLATION) => {
                    Err(StateError::NoSuchRun { run })
                }
                _ => Err(self.server_error(&e)),
            },
        }
    }

    fn lost_error(&self, reason: String) -> StateError {
        StateError::ConnectionLost {
            store: self.url.to_string(),
            reason,
        }
    }

    fn query(&self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Vec<Row>, StateError> {
        self.with(|c| c.query(sql, params))
    }

    fn execute(&self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<u64, StateError> {
        self.with(|c| c.execute(sql, params))
    }

    /// Applies the missing migrations once: the first host to get the migration lock
    /// applies them in one transaction; the others wait for it, then find them applied.
    fn migrate(&self) -> Result<(), StateError> {
        let known = i32::try_from(MIGRATIONS.len()).unwrap_or(i32::MAX);
        let found = match self.with(schema_version)? {
            v if v == known => return Ok(()),
            v => v,
        };
        if found > known {
            return Err(self.too_new(found, known));
        }
        let found = self.with(|c| {
            let mut tx = c.transaction()?;
            tx.execute("SELECT pg_advisory_xact_lock($1, 0)", &[&MIGRATION_CLASS])?;
            tx.batch_execute(
                "CREATE SCHEMA IF NOT EXISTS zynk;
                 CREATE TABLE IF NOT EXISTS zynk.migration (
                     version integer PRIMARY KEY, applied bigint NOT NULL)",
            )?;
            let found: i32 = tx
                .query_one("SELECT coalesce(max(version), 0) FROM zynk.migration", &[])?
                .try_get(0)?;
            if found > known {
                return Ok(found);
            }
            for (i, sql) in MIGRATIONS
                .iter()
                .enumerate()
                .skip(usize::try_from(found).unwrap_or(0))
            {
                tx.batch_execute(sql)?;
                let version = i32::try_from(i + 1).unwrap_or(i32::MAX);
                tx.execute(
                    "INSERT INTO zynk.migration (version, applied) VALUES ($1, $2)",
                    &[&version, &super::now_micros()],
                )?;
            }
            tx.commit()?;
            Ok(found)
        })?;
        if found > known {
            return Err(self.too_new(found, known));
        }
        Ok(())
    }

    fn too_new(&self, found: i32, known: i32) -> StateError {
        StateError::TooNew {
            store: self.url.to_string(),
            found: i64::from(found),
            known: i64::from(known),
        }
    }

    fn server_error(&self, e: &postgres::Error) -> StateError {
        StateError::Server {
            store: self.url.to_string(),
            reason: describe(e),
        }
    }
}

/// The schema version applied, or -1 when there is no zynk schema.
fn schema_version(c: &mut Client) -> Result<i32, postgres::Error> {
    let exists: bool = c
        .query_one("SELECT to_regclass('zynk.migration') IS NOT NULL", &[])?
        .try_get(0)?;
    if !exists {
        return Ok(-1);
    }
    c.query_one("SELECT coalesce(max(version), 0) FROM zynk.migration", &[])?
        .try_get(0)
}

/// An error in words: the server's message when it sent one.
fn describe(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{}: {}", db.severity(), db.message()),
        None => {
            let mut text = e.to_string();
            let mut source = std::error::Error::source(e);
            while let Some(cause) = source {
                let cause_text = cause.to_string();
                if !text.contains(&cause_text) {
                    text.push_str(": ");
                    text.push_str(&cause_text);
                }
                source = cause.source();
            }
            text
        }
    }
}

/// Whether the server ended the session (an administrator, a shutdown, a crash).
fn connection_gone(e: &postgres::Error) -> bool {
    e.is_closed()
        || e.as_db_error()
            .is_some_and(|db| db.code().code().starts_with("57P") || db.severity() == "FATAL")
}

fn get<'a, T: postgres::types::FromSql<'a>>(row: &'a Row, i: usize) -> Result<T, postgres::Error> {
    row.try_get(i)
}

impl Backend for PgState {
    fn describe(&self) -> String {
        self.url.to_string()
    }

    fn location(&self) -> crate::state::StateLocation {
        crate::state::StateLocation::Postgres(self.url.clone())
    }

    fn file(&self) -> Option<&Path> {
        None
    }

    fn shared(&self) -> bool {
        true
    }

    fn truth_lookup(
        &self,
        workflow: &str,
        kind: &str,
        internal_id: &str,
    ) -> Result<Option<String>, StateError> {
        let rows = self.query(
            "SELECT external_id FROM zynk.truth WHERE profile = $1 AND type = $2 AND internal_id = $3",
            &[&workflow, &kind, &internal_id],
        )?;
        rows.first()
            .map(|r| get(r, 0))
            .transpose()
            .map_err(|e| self.server_error(&e))
    }

    fn truth_row(
        &self,
        workflow: &str,
        kind: &str,
        internal_id: &str,
    ) -> Result<Option<(String, Option<String>)>, StateError> {
        let rows = self.query(
            "SELECT external_id, hash FROM zynk.truth
             WHERE profile = $1 AND type = $2 AND internal_id = $3",
            &[&workflow, &kind, &internal_id],
        )?;
        rows.first()
            .map(|r| Ok((get(r, 0)?, get(r, 1)?)))
            .transpose()
            .map_err(|e: postgres::Error| self.server_error(&e))
    }

    fn truth_store(
        &self,
        workflow: &str,
        kind: &str,
        internal_id: &str,
        external_id: &str,
        hash: Option<&str>,
    ) -> Result<(), StateError> {
        self.execute(
            "INSERT INTO zynk.truth (profile, type, internal_id, external_id, hash, created, modified)
             VALUES ($1, $2, $3, $4, $5, $6, $6)
             ON CONFLICT (profile, type, internal_id)
             DO UPDATE SET external_id = excluded.external_id,
                           hash = coalesce(excluded.hash, zynk.truth.hash),
                           modified = excluded.modified",
            &[&workflow, &kind, &internal_id, &external_id, &hash, &super::now_micros()],
        )?;
        Ok(())
    }

    fn truth_count(&self, workflow: &str, kind: &str) -> Result<u64, StateError> {
        let n: i64 = self.with(|c| {
            c.query_one(
                "SELECT count(*) FROM zynk.truth WHERE profile = $1 AND type = $2",
                &[&workflow, &kind],
            )?
            .try_get(0)
        })?;
        Ok(u64::try_from(n).unwrap_or_default())
    }

    fn watermark(&self, workflow: &str, task: &str) -> Result<Option<i64>, StateError> {
        let rows = self.query(
            "SELECT value FROM zynk.watermark WHERE profile = $1 AND task = $2",
            &[&workflow, &task],
        )?;
        rows.first()
            .map(|r| get(r, 0))
            .transpose()
            .map_err(|e| self.server_error(&e))
    }

    fn write_watermarks(&self, rows: &[WatermarkRow]) -> Result<(), StateError> {
        self.with(|c| {
            let mut tx = c.transaction()?;
            for (workflow, task, at) in rows {
                tx.execute(
                    "INSERT INTO zynk.watermark (profile, task, value) VALUES ($1, $2, $3)
                     ON CONFLICT (profile, task) DO UPDATE SET value = excluded.value",
                    &[workflow, task, at],
                )?;
            }
            tx.commit()
        })
    }

    fn begin_run(&self, s: &Starter<'_>) -> Result<i64, StateError> {
        self.with(|c| {
            c.query_one(
                "INSERT INTO zynk.run (workflow, script, started, host, pid, backend_pid)
                 VALUES ($1, $2, $3, $4, $5, pg_backend_pid()) RETURNING id",
                &[&s.workflow, &s.script, &s.at, &s.host, &i64::from(s.pid)],
            )?
            .try_get(0)
        })
    }

    fn mark_died(&self, workflow: &str) -> Result<u64, StateError> {
        self.execute(
            "UPDATE zynk.run SET result = 'Died' WHERE workflow = $1 AND result IS NULL",
            &[&workflow],
        )
    }

    fn run_exists(&self, run: i64) -> Result<bool, StateError> {
        Ok(!self
            .query("SELECT 1 FROM zynk.run WHERE id = $1", &[&run])?
            .is_empty())
    }

    fn insert_tasks(&self, rows: &[PendingTask]) -> Result<(), StateError> {
        // One statement per batch (the columns as arrays), so a batch costs one round trip
        // however far away the server is.
        let column = |f: &dyn Fn(&PendingTask) -> i64| rows.iter().map(f).collect::<Vec<i64>>();
        let runs = column(&|r| r.run);
        let lines = column(&|r| i64::from(r.line));
        let started = column(&|r| r.started);
        let ended = column(&|r| r.ended);
        let input = column(&|r| r.counts[0]);
        let output = column(&|r| r.counts[1]);
        let failed = column(&|r| r.counts[2]);
        let names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
        let results: Vec<&str> = rows.iter().map(|r| r.result.as_str()).collect();
        let run = rows.first().map_or(0, |r| r.run);
        self.with_run(Some(run), |c| {
            c.execute(
                "INSERT INTO zynk.task_run
                     (run_id, name, line, started, ended, result, in_count, out_count, error_count)
                 SELECT r, n, l, s, e, res, i, o, f FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::bigint[],
                                      $5::bigint[], $6::text[], $7::bigint[], $8::bigint[],
                                      $9::bigint[])
                 WITH ORDINALITY AS t(r, n, l, s, e, res, i, o, f, ord) ORDER BY ord",
                &[
                    &runs, &names, &lines, &started, &ended, &results, &input, &output, &failed,
                ],
            )
        })?;
        Ok(())
    }

    fn log(&self, run: i64, level: &str, at: i64, message: &str) -> Result<(), StateError> {
        self.with_run(Some(run), |c| {
            c.execute(
                "INSERT INTO zynk.log_line (run_id, level, at, message) VALUES ($1, $2, $3, $4)",
                &[&run, &level, &at, &message],
            )
        })?;
        Ok(())
    }

    fn end_run(
        &self,
        run: i64,
        at: i64,
        result: &str,
        archive: Option<&str>,
    ) -> Result<bool, StateError> {
        let n = self.execute(
            "UPDATE zynk.run SET ended = $2, result = $3, archive_path = coalesce($4, archive_path)
             WHERE id = $1",
            &[&run, &at, &result, &archive],
        )?;
        Ok(n > 0)
    }

    fn recent_runs(&self, limit: usize) -> Result<Vec<RunSummary>, StateError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = self.query(
            "SELECT r.id, r.workflow, r.script, r.started, r.ended, r.result, r.archive_path,
                    (SELECT count(*) FROM zynk.task_run t WHERE t.run_id = r.id),
                    (SELECT coalesce(sum(CASE WHEN error_count = 0 AND result NOT LIKE 'Success%'
                                         THEN 1 ELSE error_count END), 0)::bigint
                       FROM zynk.task_run t WHERE t.run_id = r.id),
                    r.pid, r.host,
                    EXISTS (SELECT 1 FROM pg_locks l
                             WHERE l.pid = r.backend_pid AND l.locktype = 'advisory'
                               AND l.granted AND l.classid = $2::int4::oid)
             FROM zynk.run r ORDER BY r.id DESC LIMIT $1",
            &[&limit, &lock::CLASS],
        )?;
        let summary = |r: &Row| -> Result<RunSummary, postgres::Error> {
            Ok(RunSummary {
                id: get(r, 0)?,
                workflow: get(r, 1)?,
                script: get(r, 2)?,
                started: from_micros(get(r, 3)?),
                ended: get::<Option<i64>>(r, 4)?.map(from_micros),
                result: get(r, 5)?,
                archive_path: get(r, 6)?,
                tasks: u64::try_from(get::<i64>(r, 7)?).unwrap_or_default(),
                errors: u64::try_from(get::<i64>(r, 8)?).unwrap_or_default(),
                pid: get::<Option<i64>>(r, 9)?.and_then(|p| u32::try_from(p).ok()),
                host: get(r, 10)?,
                alive: get(r, 11)?,
            })
        };
        rows.iter()
            .map(summary)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.server_error(&e))
    }

    fn task_runs(&self, run: i64) -> Result<Vec<TaskRunRow>, StateError> {
        let rows = self.query(
            "SELECT name, line, started, ended, result, in_count, out_count, error_count
             FROM zynk.task_run WHERE run_id = $1 ORDER BY id",
            &[&run],
        )?;
        let count = |r: &Row, i| get::<i64>(r, i).map(|n| u64::try_from(n).unwrap_or_default());
        let task = |r: &Row| -> Result<TaskRunRow, postgres::Error> {
            Ok(TaskRunRow {
                name: get(r, 0)?,
                line: u32::try_from(get::<i64>(r, 1)?).unwrap_or(u32::MAX),
                started: from_micros(get(r, 2)?),
                ended: from_micros(get(r, 3)?),
                result: get(r, 4)?,
                in_count: count(r, 5)?,
                out_count: count(r, 6)?,
                error_count: count(r, 7)?,
            })
        };
        rows.iter()
            .map(task)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.server_error(&e))
    }

    fn log_lines(&self, run: i64) -> Result<Vec<(String, i64, String)>, StateError> {
        let rows = self.query(
            "SELECT level, at, message FROM zynk.log_line WHERE run_id = $1 ORDER BY id",
            &[&run],
        )?;
        rows.iter()
            .map(|r| Ok((get(r, 0)?, get(r, 1)?, get(r, 2)?)))
            .collect::<Result<Vec<_>, postgres::Error>>()
            .map_err(|e| self.server_error(&e))
    }

    fn prune_runs(&self, cutoff: i64) -> Result<u64, StateError> {
        self.execute("DELETE FROM zynk.run WHERE started < $1", &[&cutoff])
    }

    fn lock_workflow(
        &self,
        workflow: &str,
        host: &str,
        wait: Option<Duration>,
    ) -> Result<(), LockError> {
        lock::acquire(self, workflow, host, wait)
    }

    fn check_alive(&self, now: bool) -> Result<(), StateError> {
        if let Some(reason) = self.lost.borrow().clone() {
            return Err(self.lost_error(reason));
        }
        if !now && self.answered.get().elapsed() < ALIVE_FOR {
            return Ok(());
        }
        self.with(|c| c.is_valid(Duration::from_secs(10)))
    }
}
