//! The HTTP client behind `fetch`, `notify` and `http`: retries, timeouts, no redirects, atomic output.
//!
//! One [`Client`] is made per run so that connections are reused. [`Client::execute`] sends a
//! [`Request`], retrying connection errors, timeouts, 429 and 503 with exponential backoff, and
//! streams the response body into the output file through a temporary file that is renamed into
//! place. Redirects are never followed. Credentials never reach a message, `Debug` output or log:
//! every URL that is shown goes through [`redact`].
mod address;
mod body;
mod cause;
mod charset;
mod client;
pub(crate) mod defaults;
mod error;
pub(crate) mod expect;
mod headers;
mod method;
mod oauth2;
mod output;
mod payload;
mod redact;
mod request;
mod retry;
mod tls;

pub use crate::process::FailureKind;
pub use client::{Client, Response, Wait, blocking_client, failure_text};
pub use defaults::{
    DEFAULT_RETRIES, DEFAULT_RETRY_WAIT, DEFAULT_TIMEOUT, DEFAULT_USER_AGENT, MAX_RETRY_WAIT,
    MAX_SIZE,
};
pub use error::{HttpError, UnexpectedAnswer};
pub use expect::{Expectation, Rule};
pub use method::{Method, UnknownMethod};
pub use redact::{Redacted, mask, redact, redact_url};
pub use request::{Body, OAuth2, Request};
