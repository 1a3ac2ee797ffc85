//! What can fail a whole statement against Tryton; a record's own failure is not here (it goes to the fail file).
use miette::Diagnostic;

/// A statement-level failure talking to Tryton. Every URL in it is already redacted.
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum TrytonError {
    /// No answer: connection refused or reset, DNS, TLS, timeout.
    #[error("Tryton at {url} cannot be reached: {reason}")]
    #[diagnostic(
        code(zynk::tryton::unreachable),
        help(
            "is trytond running and listening on that address? Nothing was lost: run again once it answers"
        )
    )]
    Unreachable { url: String, reason: String },

    /// The user name or password was refused.
    #[error("Tryton at {url} refused the login of user `{user}` to database `{database}`")]
    #[diagnostic(
        code(zynk::tryton::login),
        help(
            "check the user and the password given to `ledger tryton` (the password is never shown)"
        )
    )]
    Login {
        url: String,
        user: String,
        database: String,
    },

    /// An HTTP status other than 200 (5xx, 404 for an unknown database, 403, 429).
    #[error("Tryton at {url} answered {method} with HTTP {status}{detail}")]
    #[diagnostic(code(zynk::tryton::server), help("{help}"))]
    Server {
        url: String,
        method: String,
        status: u16,
        detail: String,
        help: String,
    },

    /// An error inside a 200 answer that is not about one record (a programming error,
    /// a concurrent change, an access rule on the whole model).
    #[error("Tryton at {url} failed {method}: {message}")]
    #[diagnostic(
        code(zynk::tryton::fault),
        help(
            "the records already done are in the success file of the next run; fix the cause in Tryton and run again"
        )
    )]
    Fault {
        url: String,
        method: String,
        message: String,
    },

    /// The answer is not Tryton's JSON-RPC.
    #[error("Tryton at {url} gave an answer to {method} zynk cannot read: {reason}")]
    #[diagnostic(
        code(zynk::tryton::answer),
        help("is the URL the Tryton server itself (not a proxy or another site)?")
    )]
    Answer {
        url: String,
        method: String,
        reason: String,
    },

    /// The company lacks something every import needs.
    #[error("the Tryton database `{database}` is not ready for zynk: {what}")]
    #[diagnostic(code(zynk::tryton::setup), help("{help}"))]
    Setup {
        database: String,
        what: String,
        help: String,
    },

    /// A create whose answer was lost, and a search found nothing it made.
    #[error(
        "the answer to creating {what} in Tryton at {url} was lost ({reason}) and a search finds none of them"
    )]
    #[diagnostic(
        code(zynk::tryton::lost_answer),
        help("nothing is created twice: run again, and the search before each create decides")
    )]
    LostAnswer {
        url: String,
        what: String,
        reason: String,
    },

    /// A signal (Ctrl-C) asked the run to stop; the batch in progress was finished first.
    #[error(
        "stopped between two batches by a signal: the orders of the finished batches are in Tryton"
    )]
    #[diagnostic(
        code(zynk::tryton::interrupted),
        help("run again: what is in Tryton goes to the success file again, the rest is imported")
    )]
    Interrupted,

    /// A success or fail file, or the export, could not be written or the input read.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Import(#[from] crate::ledger::ImportError),
}
