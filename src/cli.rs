//! Command-line interface: argument parsing, diagnostics rendering and exit codes.
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use miette::Diagnostic;

use crate::check::Program;
use crate::diagnostic::{self, Style};
use crate::launch;
use crate::runtime::LogFormat;
use crate::source::SourceFile;

/// Every statement succeeded.
pub const EXIT_OK: u8 = 0;
/// A statement failed while running.
pub const EXIT_FAILED: u8 = 1;
/// The script is invalid: it does not parse or check, or cannot be read.
pub const EXIT_INVALID: u8 = 2;
/// The command line is wrong.
pub const EXIT_USAGE: u8 = 64;

/// Run website-to-accounting integrations written as `.zynk` scripts.
#[derive(Debug, Parser)]
#[command(name = "zynk", version, about, long_about = None)]
#[command(
    after_help = "Exit codes: 0 success, 1 a statement failed, 2 the script is invalid, 64 usage error."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a script and run it.
    Run {
        /// The `.zynk` script.
        script: PathBuf,
        /// Override a param: `--var site=https://shop.example` (repeatable).
        #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_var)]
        vars: Vec<(String, String)>,
        /// The data folder: the working directory is `<data>/<workflow name>/`
        /// [default: `data/` beside the script].
        #[arg(long, value_name = "DIR")]
        data: Option<PathBuf>,
        /// How to print progress.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        log_format: Format,
    },
    /// Check scripts without running them: no file or network is touched.
    Check {
        /// The `.zynk` scripts.
        #[arg(required = true)]
        scripts: Vec<PathBuf>,
        /// Check as if these params were given (`--var name=value`).
        #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_var)]
        vars: Vec<(String, String)>,
    },
    /// Start the demo shop, run the seed workflow against it, and show both sides.
    Demo {
        /// Where the shop, the ledger, the run log and the working files live.
        #[arg(long, value_name = "DIR", default_value = "zynk-demo")]
        data: PathBuf,
        /// Port for the shop on 127.0.0.1 (0 picks a free one).
        #[arg(long, default_value_t = 8080)]
        port: u16,
        /// Keep the shop running after the run, for your own scripts.
        #[arg(long)]
        serve: bool,
    },
    /// Show what the ledger holds: customers, products (stock) or orders.
    Ledger {
        /// What to list.
        #[arg(value_enum)]
        what: Listing,
        /// The data folder [default: `data`].
        #[arg(long, value_name = "DIR", default_value = "data")]
        data: PathBuf,
        /// Another ledger file than `<data>/ledger.sqlite` (relative to the data folder).
        #[arg(long, value_name = "FILE")]
        ledger: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListingFormat::Table)]
        format: ListingFormat,
    },
    /// List recent runs, or one run's statements and messages.
    Runs {
        /// The data folder [default: `data`].
        #[arg(long, value_name = "DIR", default_value = "data")]
        data: PathBuf,
        /// How many runs to list.
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// Show the statements and messages of this run.
        #[arg(long, value_name = "ID")]
        run: Option<i64>,
    },
    /// Evaluate an XPath against XML files: one node's text per line, or the value.
    Xpath {
        /// The expression, e.g. `/Company/Products/Product/Sku`.
        expr: String,
        /// The XML files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Print the statement reference (Markdown), generated from the statements themselves.
    #[command(hide = true)]
    Reference,
}

/// What `zynk ledger` lists.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Listing {
    Customers,
    Products,
    Orders,
}

/// Output format of `zynk ledger`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ListingFormat {
    Table,
    Csv,
    Json,
}

/// Output format of `zynk run`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

fn parse_var(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.trim().is_empty() => {
            Ok((name.trim().to_string(), value.to_string()))
        }
        _ => Err(format!("expected NAME=VALUE, got `{text}`")),
    }
}

/// Entry point used by the binary.
#[must_use]
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let code = if error.use_stderr() {
                EXIT_USAGE
            } else {
                EXIT_OK
            };
            let _ = error.print();
            return ExitCode::from(code);
        }
    };
    ExitCode::from(match cli.command {
        Command::Run {
            script,
            vars,
            data,
            log_format,
        } => run(&script, &vars, data.as_deref(), log_format),
        Command::Check { scripts, vars } => check_scripts(&scripts, &vars),
        Command::Xpath { expr, files } => xpath_command(&expr, &files),
        Command::Ledger {
            what,
            data,
            ledger,
            format,
        } => ledger_command(what, &data, ledger.as_deref(), format),
        Command::Runs { data, limit, run } => runs_command(&data, limit, run),
        Command::Demo { data, port, serve } => {
            let options = crate::demo::DemoOptions { data, port, serve };
            match crate::demo::run_demo(&options) {
                Ok(true) => EXIT_OK,
                Ok(false) => EXIT_FAILED,
                Err(error) => {
                    eprint!("{}", diagnostic::render_plain(&error, stderr_style()));
                    EXIT_FAILED
                }
            }
        }
        Command::Reference => {
            print!("{}", crate::reference::statements_markdown());
            EXIT_OK
        }
    })
}

fn stderr_style() -> Style {
    launch::stderr_style()
}

/// Reads, parses and checks a script, printing every problem.
fn load(path: &Path, vars: &[(String, String)]) -> Result<(SourceFile, Program), u8> {
    let source = match SourceFile::read(path) {
        Ok(source) => source,
        Err(error) => {
            let diag = UnreadableScript {
                path: path.display().to_string(),
                reason: error.to_string(),
            };
            eprint!("{}", diagnostic::render_plain(&diag, stderr_style()));
            return Err(EXIT_INVALID);
        }
    };
    let program = launch::compile(&source, vars).ok_or(EXIT_INVALID)?;
    Ok((source, program))
}

fn check_scripts(scripts: &[PathBuf], vars: &[(String, String)]) -> u8 {
    let mut code = EXIT_OK;
    for script in scripts {
        match load(script, vars) {
            Ok((source, program)) => println!(
                "ok: {} (workflow {:?}, {} statement{})",
                source.name,
                program.workflow,
                program.statements.len(),
                if program.statements.len() == 1 {
                    ""
                } else {
                    "s"
                }
            ),
            Err(c) => code = c,
        }
    }
    code
}

fn run(script: &Path, vars: &[(String, String)], data: Option<&Path>, format: Format) -> u8 {
    let (source, program) = match load(script, vars) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let data_dir = data.map_or_else(
        || script.parent().unwrap_or(Path::new(".")).join("data"),
        Path::to_path_buf,
    );
    let format = match format {
        Format::Text => LogFormat::Text,
        Format::Json => LogFormat::Json,
    };
    match launch::run_program(&source, &program, &data_dir, format) {
        Some(summary) if summary.ok => EXIT_OK,
        _ => EXIT_FAILED,
    }
}

/// The script file cannot be read.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("cannot read script `{path}`: {reason}")]
#[diagnostic(
    code(zynk::cli::unreadable_script),
    help("check the path; scripts are UTF-8 text files")
)]
struct UnreadableScript {
    path: String,
    reason: String,
}

fn xpath_command(expr: &str, files: &[PathBuf]) -> u8 {
    let style = stderr_style();
    let xpath = match crate::xpath::compile(expr) {
        Ok(xpath) => xpath,
        Err(error) => {
            let source = SourceFile::from_text("xpath", expr);
            eprint!("{}", diagnostic::render(&source, &error, style));
            return EXIT_INVALID;
        }
    };
    let mut code = EXIT_OK;
    for file in files {
        let text = match std::fs::read_to_string(file) {
            Ok(text) => text,
            Err(error) => {
                let diag = XmlInputError::Unreadable {
                    path: file.display().to_string(),
                    reason: error.to_string(),
                };
                eprint!("{}", diagnostic::render_plain(&diag, style));
                code = EXIT_FAILED;
                continue;
            }
        };
        let options = roxmltree::ParsingOptions {
            allow_dtd: true,
            ..roxmltree::ParsingOptions::default()
        };
        let doc = match roxmltree::Document::parse_with_options(&text, options) {
            Ok(doc) => doc,
            Err(error) => {
                let pos = error.pos();
                let diag = XmlInputError::Malformed {
                    path: file.display().to_string(),
                    line: pos.row,
                    column: pos.col,
                    reason: error.to_string(),
                };
                eprint!("{}", diagnostic::render_plain(&diag, style));
                code = EXIT_FAILED;
                continue;
            }
        };
        match xpath.evaluate(doc.root()) {
            Ok(value) => {
                let rendered = crate::xpath::render(&value);
                let empty = matches!(&value, crate::xpath::Value::Nodes(n) if n.is_empty());
                if empty {
                    continue;
                }
                for line in rendered.split('\n') {
                    if files.len() > 1 {
                        println!("{}: {line}", file.display());
                    } else {
                        println!("{line}");
                    }
                }
            }
            Err(error) => {
                let source = SourceFile::from_text("xpath", expr);
                eprint!("{}", diagnostic::render(&source, &error, style));
                code = EXIT_FAILED;
            }
        }
    }
    code
}

/// An XML file given to `zynk xpath` cannot be used.
#[derive(Debug, thiserror::Error, Diagnostic)]
enum XmlInputError {
    #[error("cannot read `{path}`: {reason}")]
    #[diagnostic(code(zynk::cli::unreadable_input), help("check the path"))]
    Unreadable { path: String, reason: String },
    #[error("`{path}` is not well-formed XML at line {line}, column {column}: {reason}")]
    #[diagnostic(
        code(zynk::cli::malformed_xml),
        help("fix the XML at that position; zynk reads XML 1.0")
    )]
    Malformed {
        path: String,
        line: u32,
        column: u32,
        reason: String,
    },
}

fn ledger_command(what: Listing, data: &Path, ledger: Option<&Path>, format: ListingFormat) -> u8 {
    use crate::ledger::{ListFormat, ListKind};
    let style = stderr_style();
    let path = data.join(ledger.unwrap_or(Path::new("ledger.sqlite")));
    if !path.is_file() {
        let diag = MissingStore {
            what: "ledger",
            path: path.display().to_string(),
        };
        eprint!("{}", diagnostic::render_plain(&diag, style));
        return EXIT_FAILED;
    }
    let kind = match what {
        Listing::Customers => ListKind::Customers,
        Listing::Products => ListKind::Products,
        Listing::Orders => ListKind::Orders,
    };
    let format = match format {
        ListingFormat::Table => ListFormat::Table,
        ListingFormat::Csv => ListFormat::Csv,
        ListingFormat::Json => ListFormat::Json,
    };
    match crate::ledger::Ledger::open(&path)
        .and_then(|l| crate::ledger::render_rows(&l, kind, format))
    {
        Ok(text) => {
            print!("{text}");
            EXIT_OK
        }
        Err(error) => {
            eprint!("{}", diagnostic::render_plain(&error, style));
            EXIT_FAILED
        }
    }
}

fn runs_command(data: &Path, limit: usize, run: Option<i64>) -> u8 {
    let style = stderr_style();
    let path = data.join(crate::runtime::STATE_FILE);
    if !path.is_file() {
        let diag = MissingStore {
            what: "run log",
            path: path.display().to_string(),
        };
        eprint!("{}", diagnostic::render_plain(&diag, style));
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
                let result = r.result.unwrap_or_else(|| "running".into());
                out.push_str(&format!(
                    "{:>5}  {started:<19}  {result:<8}  {:>5}  {:>6}  {}\n",
                    r.id, r.tasks, r.errors, r.workflow
                ));
            }
            out
        }),
        Some(id) => {
            let run = crate::state::RunId(id);
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
            print!("{text}");
            EXIT_OK
        }
        Err(error) => {
            eprint!("{}", diagnostic::render_plain(&error, style));
            EXIT_FAILED
        }
    }
}

/// `zynk ledger` or `zynk runs` found nothing to show.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("no {what} at `{path}`")]
#[diagnostic(
    code(zynk::cli::no_store),
    help(
        "run a script first, or point at its data folder with `--data DIR` (the folder beside the script named `data` by default)"
    )
)]
struct MissingStore {
    what: &'static str,
    path: String,
}
