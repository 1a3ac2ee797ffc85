//! What a run prints: one status line per statement, as text or as JSON events.
use std::io::Write;
use std::time::Duration;

use super::RunSummary;
use super::error::RunError;
use super::outcome::{Counts, Outcome, Status};
use crate::check::CompiledStatement;

/// The format of run output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

/// Writes status lines to stdout; diagnostics are rendered by the caller's closure.
pub struct Reporter<'a> {
    pub format: LogFormat,
    out: Box<dyn Write + 'a>,
    render: Box<dyn Fn(&RunError) -> String + 'a>,
    err: Box<dyn Write + 'a>,
    /// The run's id in the run log (`zynk runs --run ID`), once it has one.
    run_id: Option<i64>,
}

impl<'a> Reporter<'a> {
    pub fn new(
        format: LogFormat,
        out: Box<dyn Write + 'a>,
        err: Box<dyn Write + 'a>,
        render: Box<dyn Fn(&RunError) -> String + 'a>,
    ) -> Reporter<'a> {
        Reporter {
            format,
            out,
            render,
            err,
            run_id: None,
        }
    }

    /// The run's id in the run log, carried by every JSON event from now on.
    pub fn set_run_id(&mut self, run_id: Option<i64>) {
        self.run_id = run_id;
    }

    pub fn run_started(&mut self, workflow: &str, workdir: &str) {
        match self.format {
            LogFormat::Text => {
                let _ = writeln!(self.out, "workflow {workflow:?} in {workdir}");
            }
            LogFormat::Json => self.json(&serde_json::json!({
                "event": "run_started", "workflow": workflow, "workdir": workdir,
            })),
        }
    }

    pub fn statement_done(
        &mut self,
        statement: &CompiledStatement,
        depth: usize,
        outcome: &Outcome,
        elapsed: Duration,
    ) {
        match self.format {
            LogFormat::Text => {
                let status = match outcome.status {
                    Status::Success => "ok",
                    Status::NoData => "no data",
                };
                let counts = outcome.counts.map(format_counts).unwrap_or_default();
                let _ = writeln!(
                    self.out,
                    "{status:<8}{}{} · {}{counts} ({})",
                    "  ".repeat(depth),
                    statement.name,
                    outcome.detail,
                    format_elapsed(elapsed)
                );
                for warning in &outcome.warnings {
                    let _ = writeln!(
                        self.out,
                        "{:<8}{}  warning: {warning}",
                        "",
                        "  ".repeat(depth)
                    );
                }
            }
            LogFormat::Json => {
                let counts = outcome.counts.unwrap_or_default();
                let status = match outcome.status {
                    Status::Success => "ok",
                    Status::NoData => "no_data",
                };
                self.json(&serde_json::json!({
                    "event": "statement", "line": statement.line, "statement": statement.name,
                    "status": status, "detail": outcome.detail,
                    "in": counts.input, "out": counts.output, "failed": counts.failed,
                    "already_imported": outcome.result("already_imported"),
                    "warnings": outcome.warnings, "elapsed_ms": elapsed.as_millis() as u64,
                }));
            }
        }
    }

    pub fn statement_failed(
        &mut self,
        statement: &CompiledStatement,
        depth: usize,
        error: &RunError,
        elapsed: Duration,
        continued: bool,
    ) {
        match self.format {
            LogFormat::Text => {
                let tail = if continued { ", continuing" } else { "" };
                let what = format!(
                    "{}{} · {}{tail} ({})",
                    "  ".repeat(depth),
                    statement.name,
                    error.kind.as_str(),
                    format_elapsed(elapsed)
                );
                self.failed_text(&what, error);
            }
            LogFormat::Json => self.json(&serde_json::json!({
                "event": "statement", "line": statement.line, "statement": statement.name,
                "status": "failed", "kind": error.kind.as_str(), "code": error.code,
                "message": error.message, "help": error.help, "continued": continued,
                "elapsed_ms": elapsed.as_millis() as u64,
            })),
        }
    }

    /// A request waits before another attempt.
    pub fn retry(&mut self, request: &str, wait: &crate::http::Wait) {
        match self.format {
            LogFormat::Text => {
                let _ = self.out.flush();
                let _ = writeln!(self.err, "note: {request}: {wait}");
            }
            LogFormat::Json => self.json(&serde_json::json!({
                "event": "retry", "request": request,
                "wait_ms": wait.wait.as_millis() as u64,
                "retry_after_ms": wait.asked.map(|a| a.as_millis() as u64),
                "capped": wait.capped, "next_attempt": wait.next_attempt,
                "attempts": wait.attempts, "reason": wait.reason,
            })),
        }
    }

    /// A statement a signal cut short: not a failure, the run is stopping.
    pub fn statement_interrupted(
        &mut self,
        statement: &CompiledStatement,
        depth: usize,
        error: &RunError,
        signal: crate::process::Signal,
        elapsed: Duration,
    ) {
        match self.format {
            LogFormat::Text => {
                let _ = writeln!(
                    self.out,
                    "{:<8}{}{} · Interrupted by {} ({}) · {}",
                    "STOPPED",
                    "  ".repeat(depth),
                    statement.name,
                    signal.name(),
                    format_elapsed(elapsed),
                    one_line(&error.message)
                );
                let _ = self.out.flush();
            }
            LogFormat::Json => self.json(&serde_json::json!({
                "event": "statement", "line": statement.line, "statement": statement.name,
                "status": "interrupted", "signal": signal.name(), "code": error.code,
                "message": error.message, "elapsed_ms": elapsed.as_millis() as u64,
            })),
        }
    }

    /// The run could not start: it stopped before its first statement.
    pub fn run_refused(&mut self, error: &RunError) {
        match self.format {
            LogFormat::Text => {
                let what = format!("start · {}", error.kind.as_str());
                self.failed_text(&what, error);
            }
            LogFormat::Json => self.json(&serde_json::json!({
                "event": "run_error", "code": error.code, "message": error.message,
                "help": error.help.clone().unwrap_or_default(),
            })),
        }
    }

    /// A problem of the run itself, outside any statement (e.g. the watermarks could not be
    /// saved).
    pub fn run_problem(&mut self, code: &str, message: &str, help: &str) {
        match self.format {
            LogFormat::Text => {
                let _ = self.out.flush();
                let _ = writeln!(self.err, "error[{code}]: {message}\n  help: {help}");
            }
            LogFormat::Json => self.json(&serde_json::json!({
                "event": "run_error", "code": code, "message": message, "help": help,
            })),
        }
    }

    pub fn run_finished(&mut self, summary: &RunSummary, elapsed: Duration) {
        let RunSummary {
            ok,
            statements,
            failed,
            interrupted,
        } = *summary;
        match self.format {
            LogFormat::Text => {
                let verdict = match interrupted {
                    Some(signal) => format!("interrupted by {}", signal.name()),
                    None if ok => "succeeded".to_string(),
                    None => "failed".to_string(),
                };
                let plural = if statements == 1 { "" } else { "s" };
                let _ = writeln!(
                    self.out,
                    "run {verdict}: {statements} statement{plural}, {failed} failed ({})",
                    format_elapsed(elapsed)
                );
            }
            LogFormat::Json => {
                let status = match interrupted {
                    Some(_) => "interrupted",
                    None if ok => "succeeded",
                    None => "failed",
                };
                self.json(&serde_json::json!({
                    "event": "run_finished", "status": status,
                    "signal": interrupted.map(crate::process::Signal::name),
                    "statements": statements, "failed": failed,
                    "elapsed_ms": elapsed.as_millis() as u64,
                }));
            }
        }
        let _ = self.out.flush();
    }

    /// A `FAILED` status line naming the error's code and cause on stdout, then the whole
    /// diagnostic on stderr.
    fn failed_text(&mut self, what: &str, error: &RunError) {
        let _ = writeln!(
            self.out,
            "{:<8}{what} · {}: {}",
            "FAILED",
            error.code,
            one_line(&error.message)
        );
        let _ = self.out.flush();
        if !error.follows_on() {
            let rendered = (self.render)(error);
            let _ = write!(self.err, "{rendered}");
        } else if let Some(note) = error.follow_on_note() {
            let _ = writeln!(self.err, "{note}");
        }
    }

    fn json(&mut self, value: &serde_json::Value) {
        let mut value = value.clone();
        if let Some(object) = value.as_object_mut() {
            object.insert("ts".into(), serde_json::Value::String(now_rfc3339()));
            object.insert("run_id".into(), serde_json::json!(self.run_id));
        }
        let _ = writeln!(self.out, "{value}");
    }
}

fn format_counts(c: Counts) -> String {
    format!(" [in {}, out {}, failed {}]", c.input, c.output, c.failed)
}

fn format_elapsed(d: Duration) -> String {
    format!("{:.2}s", d.as_secs_f64())
}

/// The current time as RFC 3339 in UTC with milliseconds, e.g. `2026-12-01T10:15:03.271Z`.
#[must_use]
pub(crate) fn now_rfc3339() -> String {
    jiff::Timestamp::now()
        .strftime("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}

/// The first line of a message, cut to fit a status line.
fn one_line(message: &str) -> String {
    const MAX: usize = 200;
    let line = message.lines().next().unwrap_or_default().trim();
    if line.chars().count() <= MAX {
        return line.to_string();
    }
    let cut: String = line.chars().take(MAX - 1).collect();
    format!("{cut}…")
}
