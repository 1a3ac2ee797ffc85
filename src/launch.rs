//! Checking and running a script, printing diagnostics: shared by `zynk run` and `zynk demo`.
use std::io::IsTerminal;
use std::path::Path;

use miette::Diagnostic;

use crate::check::{self, Program};
use crate::diagnostic::{self, Style};
use crate::runtime::{LogFormat, Reporter, RunSummary, Runtime};
use crate::source::SourceFile;
use crate::syntax;

/// How diagnostics are drawn on this terminal: colour only on a terminal without
/// `NO_COLOR`, at `COLUMNS` (default 100) columns.
#[must_use]
pub fn stderr_style() -> Style {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let width = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100);
    Style { color, width }
}

/// Parses and checks a script, printing every problem to stderr; `None` when invalid.
#[must_use]
pub fn compile(source: &SourceFile, vars: &[(String, String)]) -> Option<Program> {
    let style = stderr_style();
    let shown = masked(source);
    let problems: Vec<Box<dyn Diagnostic>> = match syntax::parse(source) {
        Err(errors) => errors
            .into_iter()
            .map(|e| Box::new(e) as Box<dyn Diagnostic>)
            .collect(),
        Ok(ast) => match check::check(&ast, source, vars) {
            Ok(program) => {
                for warning in &program.warnings {
                    eprint!("{}", diagnostic::render(&shown, warning, style));
                }
                return Some(program);
            }
            Err(errors) => errors
                .into_iter()
                .map(|e| Box::new(e) as Box<dyn Diagnostic>)
                .collect(),
        },
    };
    for problem in &problems {
        eprint!("{}", diagnostic::render(&shown, problem.as_ref(), style));
    }
    let n = problems.len();
    eprintln!(
        "{}: {n} problem{} found",
        source.name,
        if n == 1 { "" } else { "s" }
    );
    None
}

/// Runs a checked program with status lines on stdout and diagnostics on stderr;
/// `None` when the run could not start (the reason is printed).
#[must_use]
pub fn run_program(
    source: &SourceFile,
    program: &Program,
    data_dir: &Path,
    format: LogFormat,
) -> Option<RunSummary> {
    let style = stderr_style();
    let render = {
        let source = masked(source);
        Box::new(move |e: &crate::runtime::RunError| diagnostic::render(&source, e, style))
    };
    let reporter = Reporter::new(
        format,
        Box::new(std::io::stdout()),
        Box::new(std::io::stderr()),
        render,
    );
    let mut runtime = match Runtime::new(program, data_dir, reporter) {
        Ok(rt) => rt,
        Err(error) => {
            eprint!("{}", diagnostic::render_plain(&error, style));
            return None;
        }
    };
    Some(runtime.run(program, &source.name))
}

/// The script as diagnostics show it: URL passwords masked, every offset unchanged.
fn masked(source: &SourceFile) -> SourceFile {
    SourceFile {
        text: crate::http::mask(&source.text).into_owned(),
        ..source.clone()
    }
}
