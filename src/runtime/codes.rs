//! Every run-time code (`zynk::run::*`) with its one-line meaning, in one table, as vrl's `codes.rs`.
//!
//! A statement that fails names one of these codes; `docs/diagnostics.md` lists exactly these,
//! with the same meanings and result kinds (a test compares them), and a code used in `src/`
//! that is missing here fails that test.

/// One run-time code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunCode {
    /// The stable code, e.g. `zynk::run::file_not_found`.
    pub code: &'static str,
    /// The result the failed statement gets (`Fail`, `NotFound`); `None` when the code
    /// ends the run before any statement (the run lock, the working directory).
    pub kind: Option<&'static str>,
    /// One line: when it happens.
    pub meaning: &'static str,
}

macro_rules! codes {
    ($($name:ident = $code:literal, $kind:expr, $meaning:literal;)*) => {
        $(#[doc = $meaning] pub const $name: &str = $code;)*
        /// Every run-time code, in the order `docs/diagnostics.md` lists them.
        pub const ALL: &[RunCode] = &[$(RunCode { code: $code, kind: $kind, meaning: $meaning },)*];
    };
}

codes! {
    FILE_NOT_FOUND = "zynk::run::file_not_found", Some("NotFound"),
        "a file or folder a statement needs is missing";
    IO = "zynk::run::io", Some("Fail"),
        "reading, writing or listing a file failed (the message has the OS reason)";
    IS_A_FOLDER = "zynk::run::is_a_folder", Some("Fail"),
        "`delete`, `copy`, `move` or `write` was given a folder where a file belongs";
    EMPTY_PATH = "zynk::run::empty_path", Some("Fail"),
        "a path rendered to empty text";
    INVALID_PATTERN = "zynk::run::invalid_pattern", Some("Fail"),
        "a `fail_on` pattern built from variables is not a valid regular expression";
    MISSING_ENV = "zynk::run::missing_env", Some("Fail"),
        "`env(\"NAME\")` is not set";
    INVALID_GLOB = "zynk::run::invalid_glob", Some("Fail"),
        "a pattern built at run time does not compile";
    LOOP_STOPPED = "zynk::run::loop_stopped", Some("Fail"),
        "a statement inside `foreach` failed; names the file and how many are left";
    INTERRUPTED = "zynk::run::interrupted", Some("Interrupted"),
        "a `foreach` cut short by SIGINT or SIGTERM; names the file and how many are left for the next run";
    ARCHIVE = "zynk::run::archive", Some("Fail"),
        "the zip could not be written; nothing was deleted";
    ARCHIVE_CLEANUP = "zynk::run::archive_cleanup", Some("Fail"),
        "the zip is complete but some files could not be removed";
    ARCHIVE_IN_WORKDIR = "zynk::run::archive_in_workdir", Some("Fail"),
        "the archive folder is the working directory itself";
    TARGET_EXISTS = "zynk::run::target_exists", Some("Fail"),
        "`copy` or `move` found its target already there and `overwrite` was not given; nothing changed";
    SAME_FILE = "zynk::run::same_file", Some("Fail"),
        "`copy` was asked to copy a file onto itself";
    BRANCH_FAILED = "zynk::run::branch_failed", Some("Fail"),
        "a statement inside an `if` or `else` block failed, so the `if` fails too";
    STOPPED = "zynk::run::stopped", Some("Fail"),
        "`stop failed \"reason\"` ran: the run ends as failed, on purpose";
    NOT_A_NUMBER = "zynk::run::not_a_number", Some("Fail"),
        "a comparison in an `if` read text that is not a number (e.g. a record field)";
    NO_RESULT = "zynk::run::no_result", Some("Fail"),
        "an `if` read a result of a named statement that failed (under `or continue`) before reporting it";
    RECORD = "zynk::run::record", Some("Fail"),
        "a `foreach` record could not be read: the file is not well-formed XML, or a record's field XPath failed";
    LOCKED = "zynk::run::locked", None,
        "another run of the workflow holds the run lock; names its pid and start time, and its host on a shared state store (exit code 75; see [safety.md](safety.md))";
    LOCK_IO = "zynk::run::lock_io", None,
        "the run lock file cannot be created or locked";
    LOCK_SERVER = "zynk::run::lock_server", None,
        "the shared state store failed while the run lock was being taken (the run does not start)";
    SHARED_STATE_FILE_LEDGER = "zynk::run::shared_state_file_ledger", Some("Fail"),
        "the state store is shared by hosts (`--state postgres://…`) but the script uses a file ledger: refused before the run starts (exit code 2; see [deploy.md](deploy.md))";
    FAILED = "zynk::run::failed", Some("Fail"),
        "a library error without a code of its own (should not happen)";
    INTERNAL = "zynk::run::internal", Some("Fail"),
        "an internal inconsistency (a bug: please report it)";
    WORKDIR = "zynk::run::workdir", None,
        "the working directory cannot be created (the run does not start)";
}
