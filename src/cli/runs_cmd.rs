//! `zynk runs`: recent runs, or one run's statements and messages.
use std::path::Path;

use super::error::MissingStore;
use super::{EXIT_FAILED, EXIT_OK, RunsFormat, data_dir, output, stderr_style};
use crate::diagnostic;

pub(super) fn runs_command(
    data: Option<&Path>,
    limit: usize,
    run: Option<i64>,
    format: RunsFormat,
    state: Option<&str>,
) -> u8 {
    let style = stderr_style();
    let shared = match super::state_arg::shared_state(state) {
        Ok(shared) => shared,
        Err(code) => return code,
    };
    let opened = match &shared {
        Some(location) => crate::state::StateStore::connect(location),
        None => {
            let data = data_dir::resolve(data, None);
            let path = data.join(crate::runtime::STATE_FILE);
            if !path.is_file() {
                let diag = MissingStore::new("run log", &path, crate::runtime::STATE_FILE);
                output::err(&diagnostic::render_plain(&diag, style));
                return EXIT_FAILED;
            }
            if format == RunsFormat::Table {
                output::err(&super::error::reading_note(
                    "runs",
                    &path,
                    crate::runtime::STATE_FILE,
                ));
            }
            crate::state::StateStore::open(&path)
        }
    };
    let hosts = shared.is_some();
    let result = opened.and_then(|state| match (run, format) {
        (None, RunsFormat::Json) => state.recent_runs(limit).map(|runs| {
            let rows: Vec<serde_json::Value> = runs
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "run": r.id, "workflow": r.workflow, "script": r.script,
                        "started": rfc3339(r.started), "ended": r.ended.map(rfc3339),
                        "result": r.status(), "statements": r.tasks, "errors": r.errors,
                        "archive": r.archive_path, "host": r.host,
                    })
                })
                .collect();
            format!("{}\n", serde_json::Value::Array(rows))
        }),
        (Some(id), RunsFormat::Json) => {
            let run = crate::state::RunId(id);
            state.require_run(run)?;
            let tasks = state.task_runs(run)?;
            let statements: Vec<serde_json::Value> = tasks
                .iter()
                .map(|t| {
                    serde_json::json!({
                        "line": t.line, "statement": t.name, "result": t.result,
                        "started": rfc3339(t.started), "ended": rfc3339(t.ended),
                        "in": t.in_count, "out": t.out_count, "failed": t.error_count,
                    })
                })
                .collect();
            let messages: Vec<serde_json::Value> = state
                .log_lines(run)?
                .into_iter()
                .map(|(level, at, message)| {
                    serde_json::json!({"level": level, "at": rfc3339(at), "message": message})
                })
                .collect();
            Ok(format!(
                "{}\n",
                serde_json::json!({"run": id, "statements": statements, "messages": messages})
            ))
        }
        (None, RunsFormat::Table) => state.recent_runs(limit).map(|runs| {
            let width = runs
                .iter()
                .filter_map(|r| r.host.as_ref().map(|h| h.chars().count()))
                .max()
                .unwrap_or(0)
                .max(4);
            let result_width = runs
                .iter()
                .map(|r| r.status().chars().count())
                .max()
                .unwrap_or(0)
                .max(8);
            let host = |name: &str| {
                if hosts {
                    format!("{name:<width$}  ")
                } else {
                    String::new()
                }
            };
            let mut out = format!(
                "{:>5}  {:<19}  {}{:<result_width$}  {:>5}  {:>6}  {}\n",
                "run",
                "started",
                host("host"),
                "result",
                "steps",
                "errors",
                "workflow"
            );
            for r in runs {
                let started = r
                    .started
                    .to_zoned(jiff::tz::TimeZone::system())
                    .strftime("%Y-%m-%d %H:%M:%S")
                    .to_string();
                let result = r.status();
                out.push_str(&format!(
                    "{:>5}  {started:<19}  {}{result:<result_width$}  {:>5}  {:>6}  {}\n",
                    r.id,
                    host(r.host.as_deref().unwrap_or("-")),
                    r.tasks,
                    r.errors,
                    r.workflow
                ));
            }
            out
        }),
        (Some(id), RunsFormat::Table) => {
            let run = crate::state::RunId(id);
            state.require_run(run)?;
            state.task_runs(run).and_then(|tasks| {
                let mut out = format!(
                    "{:>5}  {:<22}  {:<13}  {:>6}  {:>6}  {:>6}\n",
                    "line", "statement", "result", "in", "out", "failed"
                );
                for t in tasks {
                    out.push_str(&format!(
                        "{:>5}  {:<22}  {:<13}  {:>6}  {:>6}  {:>6}\n",
                        t.line, t.name, t.result, t.in_count, t.out_count, t.error_count
                    ));
                }
                for (level, _, message) in state.log_lines(run)? {
                    out.push_str(&format!("{level}: {message}\n"));
                }
                Ok(out)
            })
        }
    });
    match result {
        Ok(text) => {
            output::out(&text);
            EXIT_OK
        }
        Err(error) => {
            output::err(&diagnostic::render_plain(&error, style));
            EXIT_FAILED
        }
    }
}

/// A time as RFC 3339 with the local offset, e.g. `2026-12-01T10:15:03+00:00`.
fn rfc3339(t: jiff::Timestamp) -> String {
    t.to_zoned(jiff::tz::TimeZone::system())
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}
