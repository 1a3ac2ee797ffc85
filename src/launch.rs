//! Checking and running a script, printing diagnostics: shared by `zynk run` and `zynk demo`.
use std::io::IsTerminal;
use std::path::Path;

use miette::Diagnostic;

use crate::check::{self, Program};
use crate::diagnostic::{self, Style};
use crate::runtime::{LogFormat, Reporter, RunSummary, Runtime};
use crate::source::SourceFile;

/// When diagnostics and status output use colour (`--color`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum ColorChoice {
    /// On a terminal, unless `NO_COLOR` is set; always when `CLICOLOR_FORCE` is set.
    #[default]
    Auto,
    Always,
    Never,
}

static COLOR_CHOICE: std::sync::OnceLock<ColorChoice> = std::sync::OnceLock::new();

/// Sets the colour choice for this process; the first call wins.
pub(crate) fn set_color_choice(choice: ColorChoice) {
    let _ = COLOR_CHOICE.set(choice);
}

/// How diagnostics are drawn on this terminal: colour as `--color` says (by default only
/// on a terminal without `NO_COLOR`, or with `CLICOLOR_FORCE`), at `COLUMNS` columns, else
/// the terminal's own width, else 100.
#[must_use]
pub(crate) fn stderr_style() -> Style {
    let is_terminal = std::io::stderr().is_terminal();
    let color = match COLOR_CHOICE.get().copied().unwrap_or_default() {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            let forced =
                std::env::var_os("CLICOLOR_FORCE").is_some_and(|v| !v.is_empty() && v != "0");
            forced || (is_terminal && std::env::var_os("NO_COLOR").is_none())
        }
    };
    let width = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|&w: &usize| w > 0)
        .or_else(|| {
            terminal_size::terminal_size_of(std::io::stderr())
                .map(|(terminal_size::Width(w), _)| usize::from(w))
        })
        .unwrap_or(100);
    Style { color, width }
}

/// Parses and checks a script, printing every problem to stderr; `None` when invalid.
#[must_use]
#[cfg(feature = "demo")]
pub(crate) fn compile(source: &SourceFile, vars: &[(String, String)]) -> Option<Program> {
    compile_as(source, vars, LogFormat::Text, true)
}

/// Like [`compile`]; with `LogFormat::Json` every problem and warning is also a JSON
/// `diagnostic` event on stdout, and an invalid script ends with a `check_failed` event.
#[must_use]
pub(crate) fn compile_as(
    source: &SourceFile,
    vars: &[(String, String)],
    format: LogFormat,
    for_run: bool,
) -> Option<Program> {
    let style = stderr_style();
    let problems = match check::compile(source, crate::tasks::Registry::standard(), vars) {
        Ok(program) => {
            if program.warnings.is_empty() {
                return Some(program);
            }
            let shown = masked(source);
            // A read file no statement writes is `check`'s to point out: a run makes sure it
            // is there before its first statement instead.
            let warnings = program
                .warnings
                .iter()
                .filter(|w| !(for_run && matches!(w, check::CheckWarning::ReadNotWritten { .. })));
            for warning in warnings {
                eprint!("{}", diagnostic::render(&shown, warning, style));
                if format == LogFormat::Json {
                    json_event(&diagnostic_event(&shown, warning));
                }
            }
            return Some(program);
        }
        Err(problems) => problems.into_diagnostics(),
    };
    let shown = masked(source);
    for problem in &problems {
        eprint!("{}", diagnostic::render(&shown, problem.as_ref(), style));
        if format == LogFormat::Json {
            json_event(&diagnostic_event(&shown, problem.as_ref()));
        }
    }
    let n = problems.len();
    eprintln!(
        "{}: {n} problem{} found",
        source.name,
        if n == 1 { "" } else { "s" }
    );
    if format == LogFormat::Json {
        json_event(&serde_json::json!({
            "event": "check_failed", "file": source.name, "problems": n,
        }));
    }
    None
}

/// One diagnostic as a JSON event: severity, code, message, help and where it points.
fn diagnostic_event(source: &SourceFile, diagnostic: &dyn Diagnostic) -> serde_json::Value {
    let severity = match diagnostic.severity() {
        Some(miette::Severity::Warning) => "warning",
        Some(miette::Severity::Advice) => "advice",
        _ => "error",
    };
    let offset = diagnostic
        .labels()
        .and_then(|mut labels| labels.next())
        .map(|label| label.offset());
    let (line, column) = offset.map_or((None, None), |offset| {
        let before = &source.text[..offset.min(source.text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        (Some(line), Some(column))
    });
    serde_json::json!({
        "event": "diagnostic",
        "severity": severity,
        "code": diagnostic.code().map(|c| c.to_string()),
        "message": diagnostic.to_string(),
        "help": diagnostic.help().map(|h| h.to_string()),
        "file": source.name,
        "line": line,
        "column": column,
    })
}

/// Writes one JSON event line on stdout, stamped like the run's events (no run id: the
/// script never ran).
fn json_event(value: &serde_json::Value) {
    use std::io::Write;
    let mut value = value.clone();
    if let Some(object) = value.as_object_mut() {
        object.insert(
            "ts".into(),
            serde_json::Value::String(crate::runtime::report::now_rfc3339()),
        );
        object.insert("run_id".into(), serde_json::Value::Null);
    }
    let _ = writeln!(std::io::stdout(), "{value}");
}

/// A run that could not start (the lock is held, the state store is out of reach, a file
/// ledger meets a shared store) as a `run_error` event, so a log shipper sees why.
fn not_started_event(code: &str, message: &str, help: Option<&str>) {
    json_event(&serde_json::json!({
        "event": "run_error", "code": code, "message": message, "help": help.unwrap_or_default(),
    }));
}

/// Why `run_program` did not run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NotRun {
    /// Another run of the workflow holds its lock.
    Locked,
    /// The working directory or the state store could not be opened.
    Failed,
    /// The script uses a file ledger and the state store is shared.
    Refused,
}

/// Runs a checked program with status lines on stdout and diagnostics on stderr; SIGINT
/// and SIGTERM stop it at the next safe point. Waits up to `wait` for another run of the
/// same workflow to finish. The reason it could not start is printed.
#[cfg(feature = "demo")]
pub(crate) fn run_program(
    source: &SourceFile,
    program: &Program,
    data_dir: &Path,
    format: LogFormat,
    wait: Option<std::time::Duration>,
) -> Result<RunSummary, NotRun> {
    run_program_to(
        source,
        program,
        data_dir,
        format,
        Box::new(std::io::stdout()),
        wait,
        None,
    )
}

/// Like [`run_program`], with status lines written to `out` (`io::sink()` for `--quiet`),
/// and the state store at `state` (`None`: `<data>/state.sqlite`).
pub(crate) fn run_program_to(
    source: &SourceFile,
    program: &Program,
    data_dir: &Path,
    format: LogFormat,
    out: Box<dyn std::io::Write>,
    wait: Option<std::time::Duration>,
    state: Option<&crate::state::StateLocation>,
) -> Result<RunSummary, NotRun> {
    let style = stderr_style();
    let render = {
        let source = masked(source);
        Box::new(move |e: &crate::runtime::RunError| diagnostic::render(&source, e, style))
    };
    if let Some(location) = state.filter(|s| s.shared()) {
        let refusal = crate::runtime::shared_ledger::check(
            program,
            &source.text,
            data_dir,
            &location.describe(),
        );
        if let Some(error) = refusal {
            eprint!("{}", render(&error));
            if format == LogFormat::Json {
                not_started_event(&error.code, &error.message, error.help.as_deref());
            }
            return Err(NotRun::Refused);
        }
    }
    let reporter = Reporter::new(format, out, Box::new(std::io::stderr()), render);
    let mut runtime = match Runtime::new(program, data_dir, reporter, wait, state) {
        Ok(rt) => rt,
        Err(error) => {
            eprint!("{}", diagnostic::render_plain(&error, style));
            if format == LogFormat::Json {
                let code = error.code().map(|c| c.to_string()).unwrap_or_default();
                let help = error.help().map(|h| h.to_string());
                not_started_event(&code, &error.to_string(), help.as_deref());
            }
            return Err(if error.is_locked() {
                NotRun::Locked
            } else {
                NotRun::Failed
            });
        }
    };
    crate::process::interrupt::install();
    Ok(runtime.run(program, &source.name))
}

/// The script as diagnostics show it: URL passwords masked, every offset unchanged.
fn masked(source: &SourceFile) -> SourceFile {
    source.with_text(crate::http::mask(&source.text).into_owned())
}
