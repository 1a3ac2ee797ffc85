//! How a failed step ended, after Zynk's task result codes: shared by the HTTP client, the
//! ledgers and the interpreter.

/// How a failed statement ended, after Zynk's task result codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    /// Anything that went wrong.
    Fail,
    /// The input (a file, a URL) was not there.
    NotFound,
    /// The server refused the credentials.
    NotAuthorised,
}

impl FailureKind {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            FailureKind::Fail => "Fail",
            FailureKind::NotFound => "NotFound",
            FailureKind::NotAuthorised => "NotAuthorised",
        }
    }
}
