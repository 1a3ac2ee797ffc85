//! Why an HTTP request failed: one variant per cause, each with a stable `zynk::http::…` code.
use std::fmt::{self, Write as _};
use std::io;
use std::path::PathBuf;
use std::time::Duration;

use crate::process::FailureKind;

/// Why an HTTP request failed.
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    /// The URL does not parse or is not `http`/`https`: `fetch "shop.example/x"`.
    #[error("invalid URL `{url}`: {reason}")]
    InvalidUrl { url: String, reason: String },

    /// A header name or value cannot be sent: a name with a space, a value with a line break.
    #[error("invalid request header `{name}`: {reason}")]
    InvalidHeader { name: String, reason: String },

    /// No connection could be made (refused, DNS failure, reset) on any attempt.
    #[error("could not connect to `{url}`{}: {cause}", after_attempts(*attempts))]
    Connect {
        url: String,
        attempts: u32,
        cause: String,
    },

    /// An attempt did not complete (connect, send, whole response) within the timeout.
    #[error(
        "no complete response from `{url}` within the {} timeout{}",
        duration_text(*timeout),
        on_each_attempt(*attempts)
    )]
    Timeout {
        url: String,
        timeout: Duration,
        attempts: u32,
    },

    /// The TLS handshake failed: an untrusted or expired certificate, or no common protocol.
    #[error("TLS handshake with `{url}` failed: {cause}")]
    Tls { url: String, cause: String },

    /// The server answered with a 4xx or 5xx status.
    #[error("`{url}` answered {status} {reason}{}{}", site_says(body_head), after_attempts(*attempts))]
    Status {
        status: u16,
        reason: String,
        url: String,
        /// The first lines (at most 1 KB) of the response body, as lossy UTF-8.
        body_head: String,
        /// Where the whole body was saved, when the request had an output file.
        saved_to: Option<PathBuf>,
        attempts: u32,
    },

    /// The server answered with a redirect (3xx), which is never followed.
    #[error("`{url}` redirected ({status}) to {}; redirects are not followed", location_text(location.as_deref()))]
    Redirect {
        status: u16,
        url: String,
        /// The absolute URL the `Location` header names, if it sent one.
        location: Option<String>,
        /// Where the redirect's body was saved, when the request had an output file.
        saved_to: Option<PathBuf>,
    },

    /// The file to send does not exist.
    #[error("the file to send `{}` does not exist", path.display())]
    InputMissing { path: PathBuf },

    /// The file to send exists but cannot be read.
    #[error("could not read the file to send `{}`: {source}", path.display())]
    InputRead { path: PathBuf, source: io::Error },

    /// The response could not be written to the output file (no permission, disk full).
    #[error("could not write the response to `{}`: {source}", path.display())]
    Output { path: PathBuf, source: io::Error },

    /// The connection broke while the response body was being read.
    #[error(
        "the response from `{url}` broke off after {bytes} bytes{}: {cause}",
        on_each_attempt(*attempts)
    )]
    BodyRead {
        url: String,
        bytes: u64,
        attempts: u32,
        cause: String,
    },

    /// Any other failure to send the request.
    #[error("request to `{url}` failed{}: {cause}", after_attempts(*attempts))]
    Request {
        url: String,
        attempts: u32,
        cause: String,
    },

    /// The HTTP client could not be set up (for example, no TLS roots).
    #[error("could not set up the HTTP client: {cause}")]
    Client { cause: String },

    /// The site answered 2xx, but the body breaks a rule the statement gave (`expect xml`,
    /// `fail_on "…"`), as a legacy script's `die("Could not connect: …")` does.
    #[error("{0}")]
    Unexpected(Box<UnexpectedAnswer>),

    /// The response body is larger than `max_size`; nothing was saved.
    #[error(
        "the response from `{url}` is larger than the {} limit{}",
        size_text(*limit),
        length.map(|l| format!(" (it announced {})", size_text(l))).unwrap_or_default()
    )]
    TooLarge {
        url: String,
        limit: u64,
        /// The `Content-Length` the site announced, if it did.
        length: Option<u64>,
    },

    /// The `ca_cert` file cannot be read or holds no certificate.
    #[error("cannot use the CA certificate file `{}`: {reason}", path.display())]
    CaCert { path: PathBuf, reason: String },

    /// The OAuth2 token endpoint answered 2xx without a usable token.
    #[error("no OAuth2 token from `{url}`: {reason}")]
    Token { url: String, reason: String },

    /// The run was asked to stop (SIGINT, SIGTERM) while the exchange was under way.
    #[error("the request to `{url}` was cancelled: the run is stopping")]
    Interrupted { url: String },
}

/// A 2xx answer whose body broke one of the statement's rules.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{url}` answered {status} {reason}, but the answer breaks `{rule}`: {problem}{}",
    after_attempts(*attempts)
)]
pub struct UnexpectedAnswer {
    pub url: String,
    pub status: u16,
    pub reason: String,
    /// The rule as written, e.g. `expect xml`.
    pub rule: String,
    /// What is wrong with the body.
    pub problem: String,
    /// Why the rule applies when the script did not state it.
    pub implied_by: Option<String>,
    /// The first lines (at most 1 KB) of the body, as lossy UTF-8.
    pub body_head: String,
    pub attempts: u32,
}

impl HttpError {
    /// The Zynk task result this failure maps to: 401/403 → `NotAuthorised`, 404 or a missing
    /// input file → `NotFound`, anything else → `Fail`.
    #[must_use]
    pub fn kind(&self) -> FailureKind {
        match self {
            HttpError::Status {
                status: 401 | 403, ..
            } => FailureKind::NotAuthorised,
            HttpError::Status { status: 404, .. } | HttpError::InputMissing { .. } => {
                FailureKind::NotFound
            }
            _ => FailureKind::Fail,
        }
    }

    /// The diagnostic code, `zynk::http::<name>`.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            HttpError::InvalidUrl { .. } => "zynk::http::invalid_url",
            HttpError::InvalidHeader { .. } => "zynk::http::invalid_header",
            HttpError::Connect { .. } => "zynk::http::connect",
            HttpError::Timeout { .. } => "zynk::http::timeout",
            HttpError::Tls { .. } => "zynk::http::tls",
            HttpError::Status { .. } => "zynk::http::status",
            HttpError::Redirect { .. } => "zynk::http::redirect",
            HttpError::InputMissing { .. } => "zynk::http::input_missing",
            HttpError::InputRead { .. } => "zynk::http::input_read",
            HttpError::Output { .. } => "zynk::http::output",
            HttpError::BodyRead { .. } => "zynk::http::body_read",
            HttpError::Request { .. } => "zynk::http::request",
            HttpError::Client { .. } => "zynk::http::client",
            HttpError::Unexpected(_) => "zynk::http::unexpected_answer",
            HttpError::TooLarge { .. } => "zynk::http::too_large",
            HttpError::CaCert { .. } => "zynk::http::ca_cert",
            HttpError::Interrupted { .. } => "zynk::http::interrupted",
            HttpError::Token { .. } => "zynk::http::token",
        }
    }

    /// How many attempts were made before giving up (0 when nothing was sent).
    #[must_use]
    pub fn attempts(&self) -> u32 {
        match self {
            HttpError::Connect { attempts, .. }
            | HttpError::Timeout { attempts, .. }
            | HttpError::Status { attempts, .. }
            | HttpError::BodyRead { attempts, .. }
            | HttpError::Request { attempts, .. } => *attempts,
            HttpError::Unexpected(answer) => answer.attempts,
            HttpError::Tls { .. }
            | HttpError::Redirect { .. }
            | HttpError::Output { .. }
            | HttpError::Interrupted { .. }
            | HttpError::Token { .. }
            | HttpError::TooLarge { .. } => 1,
            HttpError::InvalidUrl { .. }
            | HttpError::InvalidHeader { .. }
            | HttpError::InputMissing { .. }
            | HttpError::InputRead { .. }
            | HttpError::CaCert { .. }
            | HttpError::Client { .. } => 0,
        }
    }

    fn help_text(&self) -> String {
        match self {
            HttpError::InvalidUrl { .. } => {
                "write the full URL, starting with `http://` or `https://`".to_string()
            }
            HttpError::InvalidHeader { .. } => {
                "header names are letters, digits and `-`; values must fit on one line".to_string()
            }
            HttpError::Connect { .. } => {
                "check the URL's host and port and that the site is up; raise `retries` if it is often briefly down".to_string()
            }
            HttpError::Timeout { .. } => {
                "the site may be slow or stuck: raise `timeout` if the site needs longer, or check the site".to_string()
            }
            HttpError::Tls { .. } => {
                "check the URL's scheme (`https` needs a site that serves TLS) and that the site's certificate is trusted, not expired and made for its host name".to_string()
            }
            HttpError::Status {
                status,
                body_head,
                saved_to,
                ..
            } => {
                let advice = match status {
                    401 | 403 => "check the username and password or the credential headers the site expects",
                    404 => "check the URL's path: the site has nothing there",
                    429 | 503 => "the site is busy: raise `retries` or run again later",
                    400..=499 => "the site refused the request: check the body and headers sent",
                    _ => "the site failed to handle the request: its reply may say why",
                };
                let mut help = advice.to_string();
                if !body_head.is_empty() {
                    help.push_str("\nthe reply begins:\n");
                    help.push_str(body_head);
                }
                if let Some(path) = saved_to {
                    let _ = write!(help, "\nthe whole reply was saved to `{}`", path.display());
                }
                help
            }
            HttpError::Redirect { location, .. } => match location {
                Some(location) => format!("use the final URL `{location}` in the script"),
                None => "use the final URL in the script; the site did not say where it redirects".to_string(),
            },
            HttpError::InputMissing { .. } => {
                "check the path; a relative path is resolved against the working directory".to_string()
            }
            HttpError::InputRead { .. } => "check that the path names a readable file".to_string(),
            HttpError::Output { source, .. } if source.kind() == io::ErrorKind::StorageFull => {
                "the disk is full: free some space and run again; the previous file, if any, is untouched".to_string()
            }
            HttpError::Output { .. } => {
                "check that the output folder can be written and the disk has room".to_string()
            }
            HttpError::Unexpected(answer) => {
                let UnexpectedAnswer {
                    body_head,
                    implied_by,
                    ..
                } = answer.as_ref();
                let mut help = match implied_by {
                    Some(why) => format!("the site reported success, but {why}, so the answer must be XML; the file was left as it was (write `expect any` to skip this check)"),
                    None => "the site reported success, but its answer is not what the statement expects; the output file, if any, was left as it was".to_string(),
                };
                if body_head.is_empty() {
                    help.push_str("\nthe answer was empty");
                } else {
                    help.push_str("\nthe answer begins:\n");
                    help.push_str(body_head);
                }
                help
            }
            HttpError::TooLarge { .. } => {
                "nothing was saved; if the site really sends this much, raise `max_size` (e.g. `max_size 4 GB`)".to_string()
            }
            HttpError::CaCert { .. } => {
                "give a PEM file holding the CA's certificate (`-----BEGIN CERTIFICATE-----`)".to_string()
            }
            HttpError::BodyRead { .. } => {
                "the connection dropped mid-transfer: run again, or raise `retries`".to_string()
            }
            HttpError::Request { .. } => "check the URL and that the site is up".to_string(),
            HttpError::Client { .. } => "this is a problem with the machine's TLS setup".to_string(),
            HttpError::Interrupted { .. } => {
                "nothing of this answer was kept; the next run sends the request again".to_string()
            }
            HttpError::Token { .. } => {
                "check `oauth2` (the token endpoint's URL) and `client` (the client id and secret): the endpoint should answer {\"access_token\": …}".to_string()
            }
        }
    }
}

impl miette::Diagnostic for HttpError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(HttpError::code(self)))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.help_text()))
    }
}

/// `: Consumer secret is invalid. (woocommerce_rest_authentication_error)` when the body is a
/// JSON API's error object (`{"code": …, "message": …}`, WooCommerce, WordPress, Shopify's
/// `{"errors": …}`), or nothing.
fn site_says(body_head: &str) -> String {
    let Ok(serde_json::Value::Object(error)) = serde_json::from_str(body_head.trim()) else {
        return String::new();
    };
    let text = |v: Option<&serde_json::Value>| match v {
        Some(serde_json::Value::String(s)) => Some(s.clone()),
        Some(v @ (serde_json::Value::Object(_) | serde_json::Value::Array(_))) => {
            Some(v.to_string())
        }
        _ => None,
    };
    match (
        text(error.get("message")).or_else(|| text(error.get("errors"))),
        text(error.get("code")),
    ) {
        (Some(message), Some(code)) => format!(": {message} ({code})"),
        (Some(message), None) => format!(": {message}"),
        _ => String::new(),
    }
}

/// ` after 3 attempts`, or nothing for a single attempt.
fn after_attempts(attempts: u32) -> String {
    if attempts > 1 {
        format!(" after {attempts} attempts")
    } else {
        String::new()
    }
}

/// `, on each of 3 attempts`, or nothing for a single attempt.
fn on_each_attempt(attempts: u32) -> String {
    if attempts > 1 {
        format!(", on each of {attempts} attempts")
    } else {
        String::new()
    }
}

/// `1 GB`, `512 KB`, `10 bytes` (1 KB = 1024 bytes).
pub(super) fn size_text(bytes: u64) -> String {
    const UNITS: [(u64, &str); 3] = [(1 << 30, "GB"), (1 << 20, "MB"), (1 << 10, "KB")];
    for (size, unit) in UNITS {
        if bytes >= size && bytes % size == 0 {
            return format!("{} {unit}", bytes / size);
        }
    }
    match UNITS.iter().find(|(size, _)| bytes >= *size) {
        #[allow(clippy::cast_precision_loss)]
        Some((size, unit)) => format!("{:.1} {unit}", bytes as f64 / *size as f64),
        None => format!("{bytes} bytes"),
    }
}

/// `120 s`, `1.5 s`, `250 ms`.
pub(super) fn duration_text(duration: Duration) -> String {
    let millis = duration.as_millis();
    if millis < 1000 {
        format!("{millis} ms")
    } else if millis % 1000 == 0 {
        format!("{} s", millis / 1000)
    } else {
        format!("{:.1} s", duration.as_secs_f64())
    }
}

fn location_text(location: Option<&str>) -> String {
    match location {
        Some(location) => format!("`{location}`"),
        None => "an unnamed location".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_errors_are_quoted() {
        assert_eq!(
            site_says(
                r#"{"code":"woocommerce_rest_authentication_error","message":"Consumer secret is invalid.","data":{"status":401}}"#
            ),
            ": Consumer secret is invalid. (woocommerce_rest_authentication_error)"
        );
        assert_eq!(
            site_says(r#"{"errors":"[API] Invalid API key or access token"}"#),
            ": [API] Invalid API key or access token"
        );
        assert_eq!(site_says("<html>nope</html>"), "");
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration_text(Duration::from_secs(120)), "120 s");
        assert_eq!(duration_text(Duration::from_millis(1500)), "1.5 s");
        assert_eq!(duration_text(Duration::from_millis(250)), "250 ms");
        assert_eq!(size_text(1 << 30), "1 GB");
        assert_eq!(size_text(1536), "1.5 KB");
        assert_eq!(size_text(10), "10 bytes");
    }
}
