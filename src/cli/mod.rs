//! The `zynk` command line: arguments, dispatch to one file per command, exit codes.
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};

mod check_cmd;
mod convert_cmd;
pub(crate) mod data_dir;
#[cfg(feature = "demo")]
mod demo_cmd;
mod error;
mod fmt_cmd;
mod ledger_cmd;
mod output;
mod plan_cmd;
mod run_cmd;
mod runs_cmd;
mod state_arg;
mod version;
mod xpath_cmd;

use crate::diagnostic::Style;
use crate::launch;

/// Every statement succeeded.
pub const EXIT_OK: u8 = 0;
/// A statement failed while running.
pub const EXIT_FAILED: u8 = 1;
/// The script is invalid: it does not parse or check, or cannot be read.
pub const EXIT_INVALID: u8 = 2;
/// The command line is wrong.
pub const EXIT_USAGE: u8 = 64;
/// Another run of the same workflow holds its run lock (BSD `EX_TEMPFAIL`: try again later).
pub const EXIT_LOCKED: u8 = 75;

/// Run website-to-accounting integrations written as `.zynk` scripts.
#[derive(Debug, Parser)]
#[command(name = "zynk", version = version::SHORT, long_version = version::LONG, about, long_about = None)]
#[command(after_help = AFTER_HELP)]
pub struct Cli {
    /// When to use colour in diagnostics [default: auto: on a terminal, unless NO_COLOR is
    /// set; CLICOLOR_FORCE forces it].
    #[arg(long, global = true, value_enum, value_name = "WHEN")]
    pub color: Option<ColorWhen>,
    /// Print only problems: no status lines, no summaries.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print more: where data is read from and written to.
    #[arg(short, long, global = true)]
    pub verbose: bool,
    #[command(subcommand)]
    pub command: Command,
}

const AFTER_HELP: &str =
    "The data folder is `--data DIR`, else $ZYNK_DATA, else `data/` beside the script \
(in the current folder for commands without a script). The state store is `--state URL`, \
else $ZYNK_STATE, else `state.sqlite` in the data folder.
Exit codes: 0 success, 1 a statement failed, 2 the script is invalid, 64 usage error, \
75 another run of the workflow is in progress, 130/143 stopped by SIGINT/SIGTERM.";

/// `--color`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a script and run it (`-` reads the script from standard input).
    Run {
        /// The `.zynk` script, or `-` for standard input.
        script: PathBuf,
        /// Override a param: `--var site=https://shop.example` (repeatable).
        #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_var)]
        vars: Vec<(String, String)>,
        /// The data folder: the working directory is `<data>/<workflow name>/`
        /// [default: $ZYNK_DATA, else `data/` beside the script].
        #[arg(long, value_name = "DIR")]
        data: Option<PathBuf>,
        /// How to print progress.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        log_format: Format,
        /// If another run of the workflow is in progress, wait up to this long for it
        /// (`30s`, `10m`, `1h`) instead of exiting with code 75.
        #[arg(long, value_name = "DURATION", value_parser = crate::state::run_lock::parse_wait)]
        wait: Option<std::time::Duration>,
        /// A state store that several hosts share: `postgres://USER@HOST:PORT/DB`
        /// [default: $ZYNK_STATE, else `state.sqlite` in the data folder]. The password comes
        /// from PGPASSWORD or ~/.pgpass.
        #[arg(long, value_name = "URL")]
        state: Option<String>,
    },
    /// Check scripts without running them: no file or network is touched.
    Check {
        /// The `.zynk` scripts; a folder checks every `.zynk` below it; `-` reads standard
        /// input.
        #[arg(required = true)]
        scripts: Vec<PathBuf>,
        /// Check as if these params were given (`--var name=value`).
        #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_var)]
        vars: Vec<(String, String)>,
        /// Fail (exit 2) when a script has warnings, not only errors: for CI.
        #[arg(long)]
        strict: bool,
    },
    /// Show every effect a run of the script would have, in order, without running it:
    /// no file is changed and no request is sent.
    Plan {
        /// The `.zynk` script, or `-` for standard input.
        script: PathBuf,
        /// Override a param: `--var site=https://shop.example` (repeatable).
        #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_var)]
        vars: Vec<(String, String)>,
        /// The data folder, found as `zynk run` finds it
        /// [default: $ZYNK_DATA, else `data/` beside the script].
        #[arg(long, value_name = "DIR")]
        data: Option<PathBuf>,
        /// How to print the plan (JSON: see docs/plan.md).
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// A state store that several hosts share: `postgres://USER@HOST:PORT/DB`
        /// [default: $ZYNK_STATE, else `state.sqlite` in the data folder]. The password comes
        /// from PGPASSWORD or ~/.pgpass.
        #[arg(long, value_name = "URL")]
        state: Option<String>,
    },
    /// Start the demo shop, run the seed workflow against it, and show both sides.
    #[cfg(feature = "demo")]
    Demo(demo_cmd::DemoArgs),
    /// Show what the ledger holds: customers, products (stock), orders, invoices, transactions
    /// or stock transactions.
    Ledger {
        /// What to list.
        #[arg(value_enum)]
        what: Listing,
        /// The data folder [default: $ZYNK_DATA, else `data/`].
        #[arg(long, value_name = "DIR")]
        data: Option<PathBuf>,
        /// Another ledger file than `<data>/ledger.sqlite` (relative to the data folder).
        #[arg(long, value_name = "FILE")]
        ledger: Option<PathBuf>,
        /// List from a Tryton server instead (`http(s)://host:port`); the password is read
        /// from `TRYTON_PASSWORD`.
        #[arg(long, value_name = "URL", conflicts_with = "ledger")]
        tryton: Option<String>,
        /// The Tryton database.
        #[arg(long, value_name = "NAME", default_value = "zynk", requires = "tryton")]
        database: String,
        /// The Tryton user.
        #[arg(
            long,
            value_name = "NAME",
            default_value = "admin",
            requires = "tryton"
        )]
        user: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListingFormat::Table)]
        format: ListingFormat,
    },
    /// List recent runs, or one run's statements and messages.
    Runs {
        /// The data folder [default: $ZYNK_DATA, else `data/`].
        #[arg(long, value_name = "DIR")]
        data: Option<PathBuf>,
        /// How many runs to list.
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// Show the statements and messages of this run.
        #[arg(long, value_name = "ID")]
        run: Option<i64>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = RunsFormat::Table)]
        format: RunsFormat,
        /// A state store that several hosts share: `postgres://USER@HOST:PORT/DB`
        /// [default: $ZYNK_STATE, else `state.sqlite` in the data folder]. The password comes
        /// from PGPASSWORD or ~/.pgpass.
        #[arg(long, value_name = "URL")]
        state: Option<String>,
    },
    /// Evaluate an XPath against XML files: one node's text per line, or the value.
    Xpath {
        /// The expression, e.g. `/Company/Products/Product/Sku`.
        expr: String,
        /// The XML files (`-` reads standard input).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Print a shell completion script: `zynk completions bash > /etc/bash_completion.d/zynk`.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print a manual page (roff): `zynk man | man -l -`, `zynk man run | man -l -`; or write
    /// every page (zynk.1, zynk-run.1, …) into a folder with `--out-dir`.
    Man {
        /// The subcommand whose page to print (`run`, `check`, …); without it, zynk(1).
        command: Option<String>,
        /// Write every page into this folder (e.g. /usr/local/share/man/man1) instead.
        #[arg(long, value_name = "DIR", conflicts_with = "command")]
        out_dir: Option<PathBuf>,
    },
    /// Convert a Zynk workflow (`.wkf`) or an XSLT stylesheet (a `map`) into a script that passes `zynk check`.
    #[command(
        after_help = "Exit codes: 0 everything converted, 3 the script was written but some tasks, settings or stylesheet parts were kept as comments, 2 the file is not a Zynk workflow or stylesheet."
    )]
    Convert {
        /// The Zynk workflow file, or an XSLT stylesheet (`.xsl`, `.xslt`).
        workflow: PathBuf,
        /// Where to write the script [default: standard output].
        #[arg(short, long, value_name = "SCRIPT")]
        output: Option<PathBuf>,
        /// How to print the report (on standard error without `-o`).
        #[arg(long, value_enum, default_value_t = Format::Text)]
        report: Format,
        /// The folder of Zynk's Auto Mapper stylesheets (`Data/Auto Mapper Files`): a
        /// workflow's Auto Mapper tasks become `map` statements.
        #[arg(long, value_name = "DIR")]
        stylesheets: Option<PathBuf>,
    },
    /// Rewrite scripts in the one canonical layout (`--check`: list those that are not).
    #[command(
        after_help = "Exit codes: 0 every script is formatted, 1 with --check some script would change (listed on stdout), 2 a script does not parse or cannot be read."
    )]
    Fmt {
        /// The `.zynk` scripts; a folder formats every `.zynk` below it; `-` reads standard
        /// input and prints the result [default: the current folder].
        files: Vec<PathBuf>,
        /// Change nothing: list the scripts that would change and exit 1 if any would.
        #[arg(long)]
        check: bool,
    },
    /// Serve the Language Server Protocol on standard input and output, for editors.
    Lsp,
    /// Print the TextMate grammar of `editors/`, generated from the statements themselves.
    #[command(hide = true)]
    EditorsGrammar,
    /// Print the mapping table of `docs/convert.md`, generated from the converter's own table.
    #[command(hide = true)]
    ConvertTable,
    /// Print the statement reference (Markdown), generated from the statements themselves.
    #[command(hide = true)]
    Reference,
    /// Print the run-time codes table of `docs/diagnostics.md`, generated from the code registry.
    #[command(hide = true)]
    RunCodes,
}

/// What `zynk ledger` lists.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Listing {
    Customers,
    Products,
    Orders,
    Invoices,
    Transactions,
    StockTransactions,
}

/// Output format of `zynk ledger`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListingFormat {
    Table,
    Csv,
    Json,
}

/// Output format of `zynk runs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RunsFormat {
    Table,
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
    launch::set_color_choice(match cli.color {
        None | Some(ColorWhen::Auto) => launch::ColorChoice::Auto,
        Some(ColorWhen::Always) => launch::ColorChoice::Always,
        Some(ColorWhen::Never) => launch::ColorChoice::Never,
    });
    let verbosity = Verbosity::of(cli.quiet, cli.verbose);
    ExitCode::from(dispatch(cli.command, verbosity))
}

/// How much a command prints besides its problems (`-q`, `-v`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

impl Verbosity {
    fn of(quiet: bool, verbose: bool) -> Verbosity {
        match (quiet, verbose) {
            (true, _) => Verbosity::Quiet,
            (false, true) => Verbosity::Verbose,
            (false, false) => Verbosity::Normal,
        }
    }
}

fn dispatch(command: Command, verbosity: Verbosity) -> u8 {
    match command {
        Command::Run {
            script,
            vars,
            data,
            log_format,
            wait,
            state,
        } => run_cmd::run(
            &script,
            &vars,
            data.as_deref(),
            log_format,
            verbosity,
            wait,
            state.as_deref(),
        ),
        Command::Check {
            scripts,
            vars,
            strict,
        } => check_cmd::check_scripts(&scripts, &vars, strict, verbosity),
        Command::Plan {
            script,
            vars,
            data,
            format,
            state,
        } => plan_cmd::plan(&script, &vars, data.as_deref(), format, state.as_deref()),
        Command::Xpath { expr, files } => xpath_cmd::xpath_command(&expr, &files),
        Command::Ledger {
            what,
            data,
            ledger,
            tryton: Some(url),
            database,
            user,
            format,
        } => {
            let _ = (data, ledger);
            ledger_cmd::tryton_command(what, url, database, user, format)
        }
        Command::Ledger {
            what,
            data,
            ledger,
            tryton: None,
            format,
            ..
        } => ledger_cmd::ledger_command(what, data.as_deref(), ledger.as_deref(), format),
        Command::Runs {
            data,
            limit,
            run,
            format,
            state,
        } => runs_cmd::runs_command(data.as_deref(), limit, run, format, state.as_deref()),
        #[cfg(feature = "demo")]
        Command::Demo(args) => demo_cmd::demo_command(args),
        Command::Completions { shell } => {
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "zynk", &mut buf);
            output::out(&String::from_utf8_lossy(&buf));
            EXIT_OK
        }
        Command::Man { command, out_dir } => man_command(command.as_deref(), out_dir.as_deref()),
        Command::Convert {
            workflow,
            output,
            report,
            stylesheets,
        } => convert_cmd::convert_command(
            &workflow,
            output.as_deref(),
            stylesheets.as_deref(),
            report,
            verbosity,
        ),
        Command::Fmt { files, check } => fmt_cmd::fmt_command(&files, check, verbosity),
        Command::Lsp => match crate::lsp::serve() {
            Ok(()) => EXIT_OK,
            Err(error) => {
                output::err(&format!("zynk lsp: {error}\n"));
                EXIT_FAILED
            }
        },
        Command::EditorsGrammar => {
            output::out(&crate::editor_grammar::textmate_grammar());
            EXIT_OK
        }
        Command::ConvertTable => {
            output::out(&crate::convert::doc::markdown());
            EXIT_OK
        }
        Command::Reference => {
            output::out(&crate::reference::statements_markdown());
            EXIT_OK
        }
        Command::RunCodes => {
            output::out(&crate::reference::run_codes_markdown());
            EXIT_OK
        }
    }
}

/// The manual page of `zynk` in roff.
#[must_use]
pub fn man_page() -> String {
    man_page_of(None).unwrap_or_default()
}

/// The page of `zynk` or of one of its subcommands (`None` when there is no such subcommand).
#[must_use]
pub fn man_page_of(subcommand: Option<&str>) -> Option<String> {
    let mut zynk = Cli::command().disable_help_subcommand(true);
    zynk.build();
    let page = match subcommand {
        None => zynk,
        Some(name) => zynk.find_subcommand(name)?.clone(),
    };
    let mut buf = Vec::new();
    clap_mangen::Man::new(page).render(&mut buf).ok()?;
    Some(String::from_utf8_lossy(&buf).into_owned())
}

fn man_command(subcommand: Option<&str>, out_dir: Option<&Path>) -> u8 {
    if let Some(dir) = out_dir {
        let written = std::fs::create_dir_all(dir)
            .and_then(|()| clap_mangen::generate_to(Cli::command(), dir));
        return match written {
            Ok(()) => {
                output::out(&format!("wrote the manual pages into {}\n", dir.display()));
                EXIT_OK
            }
            Err(e) => {
                output::err(&format!(
                    "error: cannot write the manual pages into {}: {e}\n",
                    dir.display()
                ));
                EXIT_FAILED
            }
        };
    }
    match man_page_of(subcommand) {
        Some(page) => {
            output::out(&page);
            EXIT_OK
        }
        None => {
            let names: Vec<String> = Cli::command()
                .get_subcommands()
                .filter(|c| !c.is_hide_set())
                .map(|c| c.get_name().to_string())
                .collect();
            output::err(&format!(
                "error: zynk has no command `{}`; its pages: {}\n",
                subcommand.unwrap_or_default(),
                names.join(", ")
            ));
            EXIT_USAGE
        }
    }
}

pub(super) fn stderr_style() -> Style {
    launch::stderr_style()
}
