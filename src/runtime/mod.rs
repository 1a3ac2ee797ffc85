//! Running a checked `Program`: statements in order, stopping at the first failure
//! that is not marked `or continue`.
pub(crate) mod backend;
pub mod codes;
pub(crate) mod condition;
pub(crate) mod error;
pub(crate) mod file_info;
pub(crate) mod litter;
pub(crate) mod outcome;
pub(crate) mod progress;
pub(crate) mod report;
pub(crate) mod shared_ledger;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use backend::{Backend, tryton_failure};
pub use codes::RunCode;
pub use error::RunError;
pub use file_info::FileInfo;
pub use outcome::{Counts, Outcome, Status};
pub use report::{LogFormat, Reporter};

use crate::check::{CompiledStatement, Part, Program, Template};
use crate::process::{FailureKind, Signal, fault, interrupt};
use crate::source::Span;
use crate::state::{LockError, RunLock};

/// Something the runtime can execute: the compiled form of one statement.
pub trait Step: std::any::Any + std::fmt::Debug + Send + Sync {
    fn run(&self, rt: &mut Runtime<'_>) -> Result<Outcome, RunError>;

    /// Whether the step runs nested statements (which report progress themselves).
    fn is_block(&self) -> bool {
        false
    }

    /// Describes what the step would do, for `zynk plan`, without doing it; by default
    /// only that the statement runs.
    fn plan(&self, plan: &mut crate::plan::Planner<'_>) {
        plan.runs();
    }
}

/// Text rendered from a template, and the same text as it may be shown (secrets hidden).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub text: String,
    pub display: String,
}

/// The state of a run: where it works, its loop variables, its connections.
pub struct Runtime<'r> {
    pub workflow: String,
    /// `<data>/<workflow>/`: relative paths resolve here.
    pub workdir: PathBuf,
    /// `<data>/`: the ledger and the state store live here.
    pub data_dir: PathBuf,
    pub reporter: Reporter<'r>,
    loop_vars: Vec<(String, FileInfo)>,
    http: Option<crate::http::Client>,
    ledger: Option<crate::ledger::Ledger>,
    /// The remote ledger chosen by `ledger tryton`, if any (else the embedded one).
    remote: Option<backend::Remote>,
    state: crate::state::StateStore,
    run_id: Option<crate::state::RunId>,
    depth: usize,
    /// The archive written by this run, if any.
    pub archive_path: Option<PathBuf>,
    /// The ledger the import and export statements use.
    pub ledger_path: PathBuf,
    statements: usize,
    failed: usize,
    /// Set by `stop`: no further statement runs.
    stopping: bool,
    /// The signal that stopped the run at a safe point, if one came.
    interrupted: Option<Signal>,
    /// The state store's connection was found lost (reported once).
    state_lost: bool,
    /// Held for the whole run: no other run of this workflow can start.
    _lock: RunLock,
    /// The records of the `foreach` loops being run: name and XML text.
    records: Vec<(String, String)>,
    /// The results of named statements (`… as orders`), latest run of each.
    results: Vec<(String, Vec<(&'static str, u64)>)>,
}

/// How many days of run history are kept (Zynk's LogHouseKeeping default).
pub const RUN_LOG_DAYS: u32 = 90;

/// The state store's file name inside the data folder.
pub const STATE_FILE: &str = "state.sqlite";

/// The ledger file in the data folder, unless a script names another.
pub const LEDGER_FILE: &str = "ledger.sqlite";

/// A run could not start.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum StartError {
    /// The working directory cannot be created.
    #[error("cannot create the working directory `{path}`: {reason}")]
    #[diagnostic(
        code(zynk::run::workdir),
        help("choose another data folder with `--data DIR`")
    )]
    Workdir { path: String, reason: String },
    /// The state store cannot be opened.
    #[error(transparent)]
    #[diagnostic(transparent)]
    State(crate::state::StateError),
    /// Another run of the workflow holds the run lock.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Locked(LockError),
}

impl StartError {
    /// Whether another run holds the lock (the caller exits 75), as opposed to a failure.
    #[must_use]
    pub fn is_locked(&self) -> bool {
        matches!(
            self,
            StartError::Locked(LockError::Busy { .. } | LockError::SharedBusy { .. })
        )
    }
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunSummary {
    pub ok: bool,
    pub statements: usize,
    pub failed: usize,
    /// The run stopped early because of this signal.
    pub interrupted: Option<Signal>,
}

impl<'r> Runtime<'r> {
    /// Prepares a run in `<data_dir>/<workflow>/`: creates the folder, takes its run lock
    /// (waiting up to `wait` for a run in progress), removes the temporary files a killed
    /// run left, and opens the state store (run log, truth table, watermarks), in which
    /// this run's export watermarks are staged. The store is `<data_dir>/state.sqlite`
    /// unless `state` names a shared one, whose workflow lock is then taken as well.
    pub fn new(
        program: &Program,
        data_dir: &Path,
        reporter: Reporter<'r>,
        wait: Option<Duration>,
        state: Option<&crate::state::StateLocation>,
    ) -> Result<Runtime<'r>, StartError> {
        let data_dir = &std::path::absolute(data_dir).unwrap_or_else(|_| data_dir.to_path_buf());
        let workdir = data_dir.join(&program.workflow);
        std::fs::create_dir_all(&workdir).map_err(|e| StartError::Workdir {
            path: workdir.display().to_string(),
            reason: e.to_string(),
        })?;
        let started = Instant::now();
        let lock = RunLock::acquire(&workdir, wait).map_err(StartError::Locked)?;
        litter::sweep(&workdir);
        let state = match state {
            Some(location) => crate::state::StateStore::connect(location),
            None => crate::state::StateStore::open(&data_dir.join(STATE_FILE)),
        }
        .map_err(StartError::State)?;
        // The shared lock waits only what is left of `--wait` after the local one.
        let left = wait.map(|w| w.saturating_sub(started.elapsed()));
        state
            .lock_workflow(&program.workflow, left)
            .map_err(StartError::Locked)?;
        state.stage_watermarks();
        // Holding the lock, no other run of this workflow is alive.
        let _ = state.mark_died(&program.workflow);
        Ok(Runtime {
            workflow: program.workflow.clone(),
            workdir,
            data_dir: data_dir.to_path_buf(),
            reporter,
            loop_vars: Vec::new(),
            http: None,
            ledger: None,
            remote: None,
            state,
            run_id: None,
            depth: 0,
            archive_path: None,
            ledger_path: data_dir.join(LEDGER_FILE),
            statements: 0,
            failed: 0,
            stopping: false,
            interrupted: None,
            state_lost: false,
            _lock: lock,
            records: Vec::new(),
            results: Vec::new(),
        })
    }

    /// Runs every statement of the program, recording the run in the state store. The
    /// staged export watermarks are committed only when every statement succeeded.
    pub fn run(&mut self, program: &Program, script: &str) -> RunSummary {
        let started = Instant::now();
        let workdir = self.workdir.display().to_string();
        // Zynk's log housekeeping default: keep 90 days of run history.
        let _ = self.state.prune_runs(RUN_LOG_DAYS);
        self.run_id = self.state.begin_run(&program.workflow, script).ok();
        // A second signal records the run as interrupted through a connection of its own
        // (the run's may be in the middle of a statement), then the process exits.
        if let Some(run) = self.run_id {
            let location = self.state.location();
            interrupt::on_second_signal(move |_| match &location {
                crate::state::StateLocation::File(path) => {
                    let _ = crate::state::StateStore::record_interrupted_at(path, run);
                }
                shared => {
                    if let Ok(Some(store)) = crate::state::StateStore::connect_existing(shared) {
                        let _ = store.end_run(run, "Interrupted", None);
                    }
                }
            });
        }
        self.reporter.set_run_id(self.run_id.map(|r| r.0));
        self.reporter.run_started(&program.workflow, &workdir);
        let completed = self.inputs_present(program) && self.run_statements(&program.statements)
            || self.stopping;
        let mut ok = completed && self.failed == 0 && self.interrupted.is_none();
        // The lock must have lasted to the end for the run to count as done.
        ok = ok && self.state_alive(true);
        if ok {
            fault::point("watermark:commit");
            if let Err(e) = self.state.commit_watermarks() {
                ok = false;
                let code = miette::Diagnostic::code(&e)
                    .map_or_else(|| "zynk::state::query".to_string(), |c| c.to_string());
                self.reporter.run_problem(
                    &code,
                    &format!("could not save the export watermark: {e}"),
                    "the next `export … modified` exports the same records again; free disk space and run again",
                );
            }
        }
        let summary = RunSummary {
            ok,
            statements: self.statements,
            failed: self.failed,
            interrupted: self.interrupted,
        };
        if let Some(run) = self.run_id {
            let archive = self.archive_path.as_ref().map(|p| p.display().to_string());
            let result = match (summary.ok, summary.interrupted) {
                (_, Some(signal)) => {
                    let _ = self.state.log(
                        run,
                        "Warning",
                        &format!("interrupted by {}", signal.name()),
                    );
                    "Interrupted"
                }
                (true, None) => "Success",
                (false, None) => "Fail",
            };
            let _ = self.state.end_run(run, result, archive.as_deref());
        }
        self.reporter.run_finished(&summary, started.elapsed());
        summary
    }

    /// Before the first statement: every file a top-level statement reads that no earlier
    /// statement writes must be there, so that a misspelt input stops the run before anything
    /// changed (not after an import changed the ledger).
    fn inputs_present(&mut self, program: &Program) -> bool {
        for input in &program.inputs {
            let path = self.resolve(&input.path);
            if path.exists() {
                continue;
            }
            self.failed += 1;
            let error = RunError::not_found(&path, input.span, "the input")
                .with_help(format!(
                    "`{}` on line {} reads this file and no statement before it writes it, so the run stopped before its first statement and nothing was changed; check the name, or put the file there",
                    input.statement, input.line
                ));
            self.reporter.run_refused(&error);
            if let Some(run) = self.run_id {
                let _ = self.state.log(run, "Error", &error.message);
            }
            return false;
        }
        true
    }

    /// Runs statements in order. Returns false when a failure or a signal stopped them.
    pub fn run_statements(&mut self, statements: &[CompiledStatement]) -> bool {
        for (index, statement) in statements.iter().enumerate() {
            if let Some(signal) = self.interrupted.or_else(interrupt::requested) {
                self.interrupted = Some(signal);
                return false;
            }
            // A shared store's connection holds the run lock: once it is gone another host
            // may start, so the run stops between top-level statements or loop iterations
            // (a loop body's statements finish together).
            if (self.depth == 0 || index == 0) && !self.state_alive(false) {
                return false;
            }
            fault::point(&format!("before:{}", statement.line));
            let started = Instant::now();
            let started_at = jiff::Timestamp::now();
            self.statements += 1;
            let progress = progress::Progress::start(
                format!("{} · line {}", statement.name, statement.line),
                self.reporter.format == LogFormat::Text && !statement.step.is_block(),
            );
            let result = statement.step.run(self);
            drop(progress);
            let elapsed = started.elapsed();
            self.log_task(statement, started_at, &result);
            fault::point(&format!("after:{}", statement.line));
            if let Some(name) = &statement.result_name {
                self.results.retain(|(n, _)| n != name);
                if let Ok(outcome) = &result {
                    self.results.push((name.clone(), outcome.results.clone()));
                }
            }
            match result {
                Ok(outcome) => self
                    .reporter
                    .statement_done(statement, self.depth, &outcome, elapsed),
                Err(error) if self.interrupted.or_else(interrupt::requested).is_some() => {
                    // The signal cut the statement short: it did not fail.
                    let signal = self.interrupted.or_else(interrupt::requested);
                    self.interrupted = signal;
                    if let Some(signal) = signal {
                        self.reporter
                            .statement_interrupted(statement, self.depth, &error, signal, elapsed);
                    }
                    return false;
                }
                Err(error) => {
                    self.failed += 1;
                    let continued = statement.continue_on_failure;
                    self.reporter
                        .statement_failed(statement, self.depth, &error, elapsed, continued);
                    if !continued {
                        return false;
                    }
                }
            }
            if self.stopping {
                return false;
            }
        }
        true
    }

    /// Whether the state store (and with it a shared run lock) is still there; if not, the
    /// run fails with the reason. Once lost, the connection stays lost. Unless `now`, a
    /// connection that answered a moment ago is not asked again.
    fn state_alive(&mut self, now: bool) -> bool {
        match self.state.check_alive(now) {
            Ok(()) => true,
            Err(error) => {
                if !self.state_lost {
                    self.state_lost = true;
                    let code = miette::Diagnostic::code(&error).map_or_else(
                        || "zynk::state::connection_lost".to_string(),
                        |c| c.to_string(),
                    );
                    let help = miette::Diagnostic::help(&error)
                        .map(|h| h.to_string())
                        .unwrap_or_default();
                    self.reporter.run_problem(&code, &error.to_string(), &help);
                }
                false
            }
        }
    }

    /// Ends the run after the current statement (`stop`).
    pub fn request_stop(&mut self) {
        self.stopping = true;
    }

    /// Whether `stop` ended the run: a block that returned early did not fail.
    #[must_use]
    pub fn stopped(&self) -> bool {
        self.stopping
    }

    /// Says at once that a request waits before its next attempt: a note on stderr, or a
    /// `retry` event on stdout with `--log-format json`.
    pub fn note_wait(&mut self, request: &str, wait: &crate::http::Wait) {
        self.reporter.retry(request, wait);
    }

    /// Adds a message to the run log (`log`); the log never fails a run.
    pub fn log_message(&self, level: &str, text: &str) {
        if let Some(run) = self.run_id {
            let _ = self.state.log(run, level, text);
        }
    }

    /// Records a statement's result in the run log; the log never fails a run.
    fn log_task(
        &self,
        statement: &CompiledStatement,
        started: jiff::Timestamp,
        result: &Result<Outcome, RunError>,
    ) {
        let Some(run) = self.run_id else { return };
        let line = u32::try_from(statement.line).unwrap_or(u32::MAX);
        let (code, counts) = match result {
            Ok(o) => (
                match o.status {
                    Status::Success => "Success",
                    Status::NoData => "SuccessNoData",
                },
                o.counts.unwrap_or_default(),
            ),
            Err(e) => (e.kind.as_str(), Counts::default()),
        };
        let _ = self.state.record_task(
            run,
            &statement.name,
            line,
            started,
            jiff::Timestamp::now(),
            code,
            counts.input,
            counts.output,
            counts.failed,
        );
        match result {
            Ok(o) => {
                let already = o.result("already_imported");
                if already > 0 {
                    let _ = self.state.log(
                        run,
                        "Info",
                        &format!("line {line}: {already} already imported by an earlier run"),
                    );
                }
                for w in &o.warnings {
                    let _ = self.state.log(run, "Warning", &format!("line {line}: {w}"));
                }
            }
            Err(e) => {
                let _ = self.state.log(
                    run,
                    "Error",
                    &format!("line {line}: {} [{}]", e.message, e.code),
                );
            }
        }
    }

    /// Runs a nested block (a `foreach` body) one level deeper.
    pub fn run_block(&mut self, statements: &[CompiledStatement]) -> bool {
        self.depth += 1;
        let ok = self.run_statements(statements);
        self.depth -= 1;
        ok
    }

    pub fn push_loop_var(&mut self, name: &str, file: FileInfo) {
        self.loop_vars.push((name.to_string(), file));
    }

    /// Whether a signal asked the run to stop (checked at each safe point).
    #[must_use]
    pub fn interrupted(&self) -> bool {
        self.interrupted.is_some() || interrupt::requested().is_some()
    }

    /// How many statements have failed so far in this run.
    #[must_use]
    pub fn failures(&self) -> usize {
        self.failed
    }

    pub fn pop_loop_var(&mut self) {
        self.loop_vars.pop();
    }

    /// Binds a `foreach` record (its XML) for the statements of the loop's block.
    pub fn push_record(&mut self, name: &str, xml: String) {
        self.records.push((name.to_string(), xml));
    }

    pub fn pop_record(&mut self) {
        self.records.pop();
    }

    /// A result of a named statement, if that statement has run and succeeded.
    #[must_use]
    pub fn result(&self, name: &str, field: &str) -> Option<u64> {
        let (_, values) = self.results.iter().find(|(n, _)| n == name)?;
        values.iter().find(|(f, _)| *f == field).map(|(_, v)| *v)
    }

    /// The text of a record part: the record's XML, or a field's string value.
    fn record_text(
        &self,
        variable: &str,
        field: Option<&crate::check::RecordXPath>,
        span: Span,
    ) -> Result<String, RunError> {
        let xml = self
            .records
            .iter()
            .rev()
            .find(|(n, _)| n == variable)
            .map(|(_, x)| x)
            .ok_or_else(|| {
                RunError::raise(
                    RunCode::Internal,
                    format!("`{variable}` is not bound"),
                    span,
                    "here",
                )
            })?;
        let Some(field) = field else {
            return Ok(xml.clone());
        };
        // A plain field of a plain record is read from its text; anything else from a tree.
        if let Some(path) = field.0.child_steps().filter(|p| !p.absolute)
            && let Some(text) = crate::xpath::child_text(xml, &path.steps)
        {
            return Ok(text);
        }
        let doc = roxmltree::Document::parse(xml).map_err(|e| {
            RunError::raise(
                RunCode::Record,
                format!("the record `{variable}` cannot be read: {e}"),
                span,
                "reading this field",
            )
        })?;
        let value = field.0.evaluate(doc.root_element()).map_err(|e| {
            RunError::raise(
                RunCode::Record,
                format!("`{}` failed on the record: {e}", field.0.source()),
                span,
                "this field",
            )
        })?;
        Ok(value.to_string_value())
    }

    /// Renders a template with the run's variables and environment.
    pub fn render(&self, template: &Template) -> Result<Rendered, RunError> {
        let mut text = String::new();
        let mut display = String::new();
        for part in &template.parts {
            match part {
                Part::Text(t) => {
                    text.push_str(t);
                    display.push_str(t);
                }
                Part::Env { name, span } => {
                    let value = std::env::var(name).map_err(|_| {
                        RunError::raise(
                            RunCode::MissingEnv,
                            format!("the environment variable `{name}` is not set"),
                            *span,
                            "read here",
                        )
                        .with_help(format!("set it before running, e.g. `{name}=… zynk run …`"))
                    })?;
                    text.push_str(&value);
                    display.push_str("***");
                }
                Part::Loop {
                    variable,
                    field,
                    span,
                } => {
                    let file = self
                        .loop_vars
                        .iter()
                        .rev()
                        .find(|(n, _)| n == variable)
                        .map(|(_, f)| f)
                        .ok_or_else(|| {
                            RunError::raise(
                                RunCode::Internal,
                                format!("`{variable}` is not bound"),
                                *span,
                                "here",
                            )
                        })?;
                    let value = file.field(*field);
                    text.push_str(&value);
                    display.push_str(&value);
                }
                Part::Record {
                    variable,
                    field,
                    span,
                } => {
                    let value = self.record_text(variable, field.as_deref(), *span)?;
                    text.push_str(&value);
                    display.push_str(&value);
                }
                Part::Result {
                    variable,
                    field,
                    span,
                } => {
                    let value = self.result(variable, field).ok_or_else(|| {
                        RunError::raise(
                            RunCode::NoResult,
                            format!("`{variable}` has no results: its statement failed or has not run"),
                            *span,
                            "read here",
                        )
                        .with_help("results are kept only from a statement that succeeded; with `or continue` check that it ran before reading them")
                    })?;
                    text.push_str(&value.to_string());
                    display.push_str(&value.to_string());
                }
            }
        }
        Ok(Rendered { text, display })
    }

    /// Renders a path template and resolves it against the working directory.
    pub fn path(&self, template: &Template) -> Result<PathBuf, RunError> {
        let rendered = self.render(template)?;
        if rendered.text.trim().is_empty() {
            return Err(RunError::raise(
                RunCode::EmptyPath,
                "the path is empty",
                template.span,
                "this renders to an empty path",
            ));
        }
        Ok(self.resolve(&rendered.text))
    }

    /// A path relative to the working directory, without `.` steps (`"."` is the working
    /// directory itself, `"./in/./a.txt"` is `in/a.txt` in it).
    #[must_use]
    pub fn resolve(&self, path: &str) -> PathBuf {
        let p = Path::new(path);
        let base = if p.is_absolute() {
            PathBuf::new()
        } else {
            self.workdir.clone()
        };
        p.components()
            .filter(|c| *c != std::path::Component::CurDir)
            .fold(base, |mut out, c| {
                out.push(c);
                out
            })
    }

    /// A path as shown in status lines: relative to the working directory when inside it.
    #[must_use]
    pub fn show(&self, path: &Path) -> String {
        match path.strip_prefix(&self.workdir) {
            Ok(rel) if rel.as_os_str().is_empty() => ".".to_string(),
            Ok(rel) => rel.display().to_string(),
            Err(_) => path.display().to_string(),
        }
    }

    /// The state store: truth table, watermarks, run log.
    #[must_use]
    pub fn state(&self) -> &crate::state::StateStore {
        &self.state
    }

    /// The ledger (opened on first use) and the state store together.
    pub fn ledger(
        &mut self,
        span: Span,
    ) -> Result<(&mut crate::ledger::Ledger, &crate::state::StateStore), RunError> {
        if self.state.shared() {
            return Err(shared_ledger::refusal(
                span,
                &self.ledger_path,
                &self.state.describe(),
            ));
        }
        let stale = self
            .ledger
            .as_ref()
            .is_some_and(|l| l.path() != self.ledger_path);
        if self.ledger.is_none() || stale {
            let ledger = crate::ledger::Ledger::open(&self.ledger_path).map_err(|e| {
                RunError::from_diagnostic(&e, FailureKind::Fail, span, "needs the ledger")
            })?;
            self.ledger = Some(ledger);
        }
        match self.ledger.as_mut() {
            Some(ledger) => Ok((ledger, &self.state)),
            None => Err(RunError::raise(
                RunCode::Internal,
                "no ledger",
                span,
                "here",
            )),
        }
    }

    /// The run's HTTP client, created on first use so connections are reused.
    pub fn http(&mut self, span: Span) -> Result<&crate::http::Client, RunError> {
        if self.http.is_none() {
            let client = crate::http::Client::new()
                .map_err(|e| RunError::from_diagnostic(&e, FailureKind::Fail, span, "needed here"))?
                .cancelled_by(interrupt::cancelled);
            self.http = Some(client);
        }
        self.http
            .as_ref()
            .ok_or_else(|| RunError::raise(RunCode::Internal, "no HTTP client", span, "here"))
    }
}
