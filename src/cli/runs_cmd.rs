//! `zynk runs`: recent runs, or one run's statements and messages.
use std::path::Path;

use super::error::MissingStore;
use super::{EXIT_FAILED, EXIT_OK, data_dir, output, stderr_style};
use crate::diagnostic;

pub(super) fn runs_command(data: Option<&Path>, limit: usize, run: Option<i64>) -> u8 {
    let style = stderr_style();
    let data = data_dir::resolve(data, None);
    let path = data.join(crate::runtime::STATE_FILE);
    if !path.is_file() {
        let diag = MissingStore::new("run log", &path, crate::runtime::STATE_FILE);
        output::err(&diagnostic::render_plain(&diag, style));
        return EXIT_FAILED;
    }
    let result = crate::state::StateStore::open(&path).and_then(|state| match run {
        None => state.recent_runs(limit).map(|runs| {
            let mut out = format!(
                "{:>5}  {:<19}  {:<8}  {:>5}  {:>6}  {}\n",
                "run", "started", "result", "steps", "errors", "workflow"
            );
            for r in runs {
                let started = r
                    .started
                    .to_zoned(jiff::tz::TimeZone::system())
                    .strftime("%Y-%m-%d %H:%M:%S")
                    .to_string();
                let result = r.status();
                out.push_str(&format!(
                    "{:>5}  {started:<19}  {result:<8}  {:>5}  {:>6}  {}\n",
                    r.id, r.tasks, r.errors, r.workflow
                ));
            }
            out
        }),
        Some(id) => {
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
