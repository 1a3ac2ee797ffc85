//! Every code a statement raises at run time, with its one-line meaning, in one enum, as
//! vrl's `codes.rs`.
//!
//! A statement fails with [`RunError::raise`](super::RunError::raise), which takes a
//! [`RunCode`], so a raise site cannot spell a code that is not here. The `zynk::run::*`
//! table of `docs/diagnostics.md` is generated from this enum
//! ([`crate::reference::run_codes_markdown`], printed by `zynk run-codes`); a test keeps the
//! page in step, including the rows of the codes of other namespaces listed at the end.

/// The result a failed statement gets, as the run's report names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeResult {
    Fail,
    NotFound,
    Interrupted,
}

impl CodeResult {
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            CodeResult::Fail => "Fail",
            CodeResult::NotFound => "NotFound",
            CodeResult::Interrupted => "Interrupted",
        }
    }
}

macro_rules! result {
    (None) => {
        None
    };
    ($kind:ident) => {
        Some(CodeResult::$kind)
    };
}

macro_rules! codes {
    ($($(#[$attr:meta])* $name:ident = $code:literal, $kind:tt, $meaning:literal;)*) => {
        /// One run-time code. Its variants' docs are their meanings.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum RunCode {
            $($(#[$attr])* #[doc = $meaning] $name,)*
        }

        impl RunCode {
            /// Every code, in the order `docs/diagnostics.md` lists them.
            pub const ALL: &[RunCode] = &[$(RunCode::$name,)*];

            /// The stable code, e.g. `zynk::run::file_not_found`.
            #[must_use]
            pub const fn code(self) -> &'static str {
                match self {
                    $(RunCode::$name => $code,)*
                }
            }

            /// The result the failed statement gets; `None` when the code ends the run before
            /// any statement (the run lock, the working directory).
            #[must_use]
            pub const fn result(self) -> Option<CodeResult> {
                match self {
                    $(RunCode::$name => result!($kind),)*
                }
            }

            /// One line: when it fires.
            #[must_use]
            pub const fn meaning(self) -> &'static str {
                match self {
                    $(RunCode::$name => $meaning,)*
                }
            }
        }
    };
}

impl std::fmt::Display for RunCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// Every run-time code, in the order `docs/diagnostics.md` lists them.
pub const ALL: &[RunCode] = RunCode::ALL;

codes! {
    FileNotFound = "zynk::run::file_not_found", NotFound,
        "a file or folder a statement needs is missing";
    Io = "zynk::run::io", Fail,
        "reading, writing or listing a file failed (the message has the OS reason)";
    IsAFolder = "zynk::run::is_a_folder", Fail,
        "`delete`, `copy`, `move` or `write` was given a folder where a file belongs";
    EmptyPath = "zynk::run::empty_path", Fail,
        "a path rendered to empty text";
    InvalidPattern = "zynk::run::invalid_pattern", Fail,
        "a `fail_on` pattern built from variables is not a valid regular expression";
    MissingEnv = "zynk::run::missing_env", Fail,
        "`env(\"NAME\")` is not set";
    InvalidGlob = "zynk::run::invalid_glob", Fail,
        "a pattern built at run time does not compile";
    LoopStopped = "zynk::run::loop_stopped", Fail,
        "a statement inside `foreach` failed; names the file and how many are left, on the loop's status line and in a note after the failure inside (which is the one diagnostic)";
    Interrupted = "zynk::run::interrupted", Interrupted,
        "a `foreach` cut short by SIGINT or SIGTERM; names the file and how many are left for the next run";
    Archive = "zynk::run::archive", Fail,
        "the zip could not be written; nothing was deleted";
    ArchiveCleanup = "zynk::run::archive_cleanup", Fail,
        "the zip is complete but some files could not be removed";
    ArchiveInWorkdir = "zynk::run::archive_in_workdir", Fail,
        "the archive folder is the working directory itself";
    TargetExists = "zynk::run::target_exists", Fail,
        "`copy` or `move` found its target already there and `overwrite` was not given; nothing changed";
    SameFile = "zynk::run::same_file", Fail,
        "`copy` was asked to copy a file onto itself";
    BranchFailed = "zynk::run::branch_failed", Fail,
        "a statement inside an `if` or `else` block failed, so the `if` fails too; on the `if`'s status line (the failure inside is the one diagnostic)";
    Stopped = "zynk::run::stopped", Fail,
        "`stop failed \"reason\"` ran: the run ends as failed, on purpose";
    NotANumber = "zynk::run::not_a_number", Fail,
        "a comparison in an `if` read text that is not a number (e.g. a record field)";
    NoResult = "zynk::run::no_result", Fail,
        "an `if` read a result of a named statement that failed (under `or continue`) before reporting it";
    Record = "zynk::run::record", Fail,
        "a `foreach` record could not be read: the file is not well-formed XML, or a record's field XPath failed";
    Locked = "zynk::run::locked", None,
        "another run of the workflow holds the run lock; names its pid and start time, and its host on a shared state store (exit code 75; see [safety.md](safety.md))";
    LockIo = "zynk::run::lock_io", None,
        "the run lock file cannot be created or locked";
    LockServer = "zynk::run::lock_server", None,
        "the shared state store failed while the run lock was being taken (the run does not start)";
    SharedStateFileLedger = "zynk::run::shared_state_file_ledger", Fail,
        "the state store is shared by hosts (`--state postgres://…`) but the script uses a file ledger: refused before the run starts (exit code 2; see [deploy.md](deploy.md))";
    Failed = "zynk::run::failed", Fail,
        "a library error without a code of its own (should not happen)";
    Internal = "zynk::run::internal", Fail,
        "an internal inconsistency (a bug: please report it)";
    Workdir = "zynk::run::workdir", None,
        "the working directory cannot be created (the run does not start)";
    // Codes of other namespaces that statements raise themselves; `docs/diagnostics.md`
    // lists them in the tables of their namespace.
    TooManyPages = "zynk::http::too_many_pages", Fail,
        "`fetch … pages` found more pages than `max_pages` (default 1000); nothing is saved ([json.md](json.md#fetching-pages))";
    PageNotJson = "zynk::http::page_not_json", Fail,
        "a page of `fetch … pages` is not JSON, or not an array (or an object holding one array) of records";
    ItemErrors = "zynk::http::item_errors", Fail,
        "a `json` request was answered 2xx but items in the answer carry an `error` (WooCommerce batches); every batch was sent, the message quotes the first errors ([json.md](json.md#sending-json))";
    JsonMalformedXml = "zynk::json::malformed_xml", Fail,
        "the file a `json` request sends is not well-formed XML";
    TrytonUnreachable = "zynk::tryton::unreachable", Fail,
        "the server does not answer: connection refused or reset, DNS, TLS, a timeout, or a URL that is not `http(s)://`";
}
