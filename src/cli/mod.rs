//! The `zynk` command line: arguments, dispatch to one file per command, exit codes.
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

mod check_cmd;
mod error;
mod ledger_cmd;
mod run_cmd;
mod runs_cmd;
mod xpath_cmd;

use crate::diagnostic::{self, Style};
use crate::launch;

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
        } => run_cmd::run(&script, &vars, data.as_deref(), log_format),
        Command::Check { scripts, vars } => check_cmd::check_scripts(&scripts, &vars),
        Command::Xpath { expr, files } => xpath_cmd::xpath_command(&expr, &files),
        Command::Ledger {
            what,
            data,
            ledger,
            format,
        } => ledger_cmd::ledger_command(what, &data, ledger.as_deref(), format),
        Command::Runs { data, limit, run } => runs_cmd::runs_command(&data, limit, run),
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

pub(super) fn stderr_style() -> Style {
    launch::stderr_style()
}
