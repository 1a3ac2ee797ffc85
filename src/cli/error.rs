//! The diagnostics of the command line itself: unreadable scripts and inputs, missing stores.
use miette::Diagnostic;

/// The script file cannot be read.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("cannot read script `{path}`: {reason}")]
#[diagnostic(
    code(zynk::cli::unreadable_script),
    help("check the path; scripts are UTF-8 text files")
)]
pub(super) struct UnreadableScript {
    pub(super) path: String,
    pub(super) reason: String,
}

/// An XML file given to `zynk xpath` cannot be used.
#[derive(Debug, thiserror::Error, Diagnostic)]
pub(super) enum XmlInputError {
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

/// `zynk ledger` or `zynk runs` found nothing to show.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("no {what} at `{path}`")]
#[diagnostic(code(zynk::cli::no_store))]
pub(super) struct MissingStore {
    pub(super) what: &'static str,
    pub(super) path: String,
    #[help]
    pub(super) help: String,
}

impl MissingStore {
    /// Names the data folders nearby that do hold `file`, if any.
    pub(super) fn new(what: &'static str, path: &std::path::Path, file: &str) -> MissingStore {
        let nearby = super::data_dir::nearby_holding(file);
        let help = if nearby.is_empty() {
            format!(
                "run a script first, or point at its data folder with `--data DIR` or {} (by default `data/` beside the script)",
                super::data_dir::ENV_VAR
            )
        } else {
            let list: Vec<String> = nearby
                .iter()
                .map(|p| format!("`--data {}`", p.display()))
                .collect();
            format!("a data folder nearby has one: try {}", list.join(" or "))
        };
        MissingStore {
            what,
            path: path.display().to_string(),
            help,
        }
    }
}

/// The line a listing says first (on stderr, so its standard output stays the listing): which
/// file it read, and the data folders nearby that hold one too (`zynk run scripts/x.zynk`
/// keeps its data in `scripts/data`).
pub(super) fn reading_note(what: &str, path: &std::path::Path, file: &str) -> String {
    let shown = path.display().to_string();
    let others: Vec<String> = super::data_dir::nearby_holding(file)
        .into_iter()
        .map(|p| p.join(file))
        .filter(|p| p.display().to_string() != shown)
        .map(|p| format!("`--data {}`", p.parent().unwrap_or(&p).display()))
        .collect();
    if others.is_empty() {
        format!("{what} in {shown}\n")
    } else {
        format!(
            "{what} in {shown} (another data folder nearby has its own: {})\n",
            others.join(", ")
        )
    }
}
