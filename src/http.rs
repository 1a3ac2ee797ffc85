//! The HTTP client behind `fetch`, `notify` and `http`: retries, timeouts, no redirects, atomic output.
//!
//! One [`Client`] is made per run so that connections are reused. [`Client::execute`] sends a
//! [`Request`], retrying connection errors, timeouts, 429 and 503 with exponential backoff, and
//! streams the response body into the output file through a temporary file that is renamed into
//! place. Redirects are never followed. Credentials never reach a message, `Debug` output or log.

use std::fmt::{self, Write as _};
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::{Duration, Instant};

use reqwest::Url;
use reqwest::blocking;
use reqwest::header::{self, HeaderMap, HeaderName, HeaderValue};
use reqwest::redirect::Policy;

/// Zynk's default whole-request timeout (the task's `Timeout` of 120000 ms).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(120);
/// Zynk's default number of extra attempts after the first.
pub const DEFAULT_RETRIES: u32 = 1;
/// The default wait before the first retry; each later retry waits twice as long.
pub const DEFAULT_RETRY_WAIT: Duration = Duration::from_secs(1);
/// Zynk's default `User-Agent`.
pub const DEFAULT_USER_AGENT: &str = "Zynk Software Ltd/Zynk";
/// The longest wait between two attempts, whatever the backoff or `Retry-After` say.
pub const MAX_RETRY_WAIT: Duration = Duration::from_secs(300);

/// How much of a failed response's body an error quotes.
const BODY_HEAD_BYTES: usize = 1024;
const BODY_HEAD_LINES: usize = 10;
/// How much of a 429/503 body is read (and thrown away) before retrying.
const DRAIN_LIMIT: u64 = 64 * 1024;
/// How many bytes of a file are looked at to decide whether it is XML.
const SNIFF_BYTES: usize = 512;
/// Shown instead of a secret.
const REDACTED: &str = "***";

/// An HTTP method a script can use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
    Head,
}

impl Method {
    /// Every method, in the order the docs list them.
    pub const ALL: [Method; 6] = [
        Method::Get,
        Method::Post,
        Method::Put,
        Method::Patch,
        Method::Delete,
        Method::Head,
    ];

    /// The method's upper-case name, as sent on the wire.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
            Method::Head => "HEAD",
        }
    }

    /// Whether a request with this method carries a body (GET and HEAD never do).
    #[must_use]
    pub fn sends_body(self) -> bool {
        !matches!(self, Method::Get | Method::Head)
    }

    /// Whether sending the request twice has the same effect as sending it once.
    fn is_idempotent(self) -> bool {
        !matches!(self, Method::Post | Method::Patch)
    }

    fn to_reqwest(self) -> reqwest::Method {
        match self {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Patch => reqwest::Method::PATCH,
            Method::Delete => reqwest::Method::DELETE,
            Method::Head => reqwest::Method::HEAD,
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Method {
    type Err = UnknownMethod;

    /// Parses a method name in any case (`get`, `Post`, `DELETE`).
    fn from_str(s: &str) -> Result<Method, UnknownMethod> {
        Method::ALL
            .into_iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| UnknownMethod {
                given: s.to_string(),
            })
    }
}

/// A method name that is not one of GET, POST, PUT, PATCH, DELETE, HEAD.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown HTTP method `{given}`: expected GET, POST, PUT, PATCH, DELETE or HEAD")]
pub struct UnknownMethod {
    /// The name as written.
    pub given: String,
}

/// The body of a request. Which one a statement sends is the caller's choice.
#[derive(Clone, PartialEq, Eq)]
pub enum Body {
    /// No body.
    None,
    /// Text sent as UTF-8.
    Text(String),
    /// A file whose bytes are streamed as the body, with a `Content-Length`.
    File(PathBuf),
    /// Name/value pairs sent as `application/x-www-form-urlencoded`.
    Form(Vec<(String, String)>),
}

impl fmt::Debug for Body {
    /// Shows the body's shape, never text or form values that may hold secrets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Body::None => f.write_str("None"),
            Body::Text(text) => write!(f, "Text({} bytes)", text.len()),
            Body::File(path) => f.debug_tuple("File").field(path).finish(),
            Body::Form(pairs) => {
                let names: Vec<&str> = pairs.iter().map(|(name, _)| name.as_str()).collect();
                f.debug_tuple("Form").field(&names).finish()
            }
        }
    }
}

/// One HTTP request as a statement describes it, with Zynk's defaults.
#[derive(Clone, PartialEq, Eq)]
pub struct Request {
    pub method: Method,
    pub url: String,
    /// Extra headers, sent in order; a `Content-Type` or `User-Agent` here wins over the defaults.
    pub headers: Vec<(String, String)>,
    /// Username and password for HTTP Basic authentication.
    pub basic_auth: Option<(String, String)>,
    pub body: Body,
    /// The limit for one whole attempt: connecting, sending, and reading the whole response.
    pub timeout: Duration,
    /// Extra attempts after the first (0 means one attempt).
    pub retries: u32,
    /// The wait before the first retry; it doubles for each later one.
    pub retry_wait: Duration,
    /// Sent as `User-Agent` unless `headers` has one; empty sends none.
    pub user_agent: String,
}

impl Request {
    /// A request with Zynk's defaults: no headers, no body, 120 s timeout, 1 retry after 1 s.
    pub fn new(method: Method, url: impl Into<String>) -> Request {
        Request {
            method,
            url: url.into(),
            headers: Vec::new(),
            basic_auth: None,
            body: Body::None,
            timeout: DEFAULT_TIMEOUT,
            retries: DEFAULT_RETRIES,
            retry_wait: DEFAULT_RETRY_WAIT,
            user_agent: DEFAULT_USER_AGENT.to_string(),
        }
    }

    /// The secrets to scrub from any text that came from outside (passwords of any length ≥ 3).
    fn secrets(&self) -> Vec<String> {
        let mut secrets = Vec::new();
        // A site may echo the `Authorization` header back, so its encoded form is a secret too.
        let mut add_credentials = |user: &str, password: &str| {
            secrets.push(password.to_string());
            secrets.push(base64(format!("{user}:{password}").as_bytes()));
        };
        if let Some((user, password)) = &self.basic_auth {
            add_credentials(user, password);
        }
        if let Ok(url) = Url::parse(&self.url)
            && let Some(password) = url.password()
        {
            add_credentials(url.username(), password);
            add_credentials(&percent_decode(url.username()), &percent_decode(password));
        }
        for (name, value) in &self.headers {
            if is_sensitive_name(name) {
                secrets.push(value.clone());
            }
        }
        secrets.retain(|s| s.len() >= 3);
        secrets
    }
}

impl fmt::Debug for Request {
    /// Like a derived `Debug`, but passwords, credential headers and URL passwords are hidden.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(name, value)| {
                let shown = if is_sensitive_name(name) {
                    REDACTED
                } else {
                    value.as_str()
                };
                (name.as_str(), shown)
            })
            .collect();
        let basic_auth = self
            .basic_auth
            .as_ref()
            .map(|(user, _)| (user.as_str(), REDACTED));
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("url", &redact_url(&self.url))
            .field("headers", &headers)
            .field("basic_auth", &basic_auth)
            .field("body", &self.body)
            .field("timeout", &self.timeout)
            .field("retries", &self.retries)
            .field("retry_wait", &self.retry_wait)
            .field("user_agent", &self.user_agent)
            .finish()
    }
}

/// What a successful (2xx) exchange gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    /// The length of the response body in bytes.
    pub bytes: u64,
    /// How many attempts were made, counting the one that succeeded.
    pub attempts: u32,
    /// The response's `Content-Type`, if it sent one.
    pub content_type: Option<String>,
}

/// How a failed HTTP statement ends, in Zynk's task result terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FailureKind {
    Fail,
    NotFound,
    NotAuthorised,
}

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
    #[error("`{url}` answered {status} {reason}{}", after_attempts(*attempts))]
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

    /// The last part of the diagnostic code `zynk::http::<name>`.
    #[must_use]
    pub fn code_name(&self) -> &'static str {
        match self {
            HttpError::InvalidUrl { .. } => "invalid_url",
            HttpError::InvalidHeader { .. } => "invalid_header",
            HttpError::Connect { .. } => "connect",
            HttpError::Timeout { .. } => "timeout",
            HttpError::Tls { .. } => "tls",
            HttpError::Status { .. } => "status",
            HttpError::Redirect { .. } => "redirect",
            HttpError::InputMissing { .. } => "input_missing",
            HttpError::InputRead { .. } => "input_read",
            HttpError::Output { .. } => "output",
            HttpError::BodyRead { .. } => "body_read",
            HttpError::Request { .. } => "request",
            HttpError::Client { .. } => "client",
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
            HttpError::Tls { .. } | HttpError::Redirect { .. } | HttpError::Output { .. } => 1,
            HttpError::InvalidUrl { .. }
            | HttpError::InvalidHeader { .. }
            | HttpError::InputMissing { .. }
            | HttpError::InputRead { .. }
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
            HttpError::Output { .. } => {
                "check that the output folder can be written and the disk has room".to_string()
            }
            HttpError::BodyRead { .. } => {
                "the connection dropped mid-transfer: run again, or raise `retries`".to_string()
            }
            HttpError::Request { .. } => "check the URL and that the site is up".to_string(),
            HttpError::Client { .. } => "this is a problem with the machine's TLS setup".to_string(),
        }
    }
}

impl miette::Diagnostic for HttpError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(format!("zynk::http::{}", self.code_name())))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.help_text()))
    }
}

/// The HTTP client for one run: redirects off, connections reused, rustls for TLS.
#[derive(Debug, Clone)]
pub struct Client {
    inner: blocking::Client,
}

impl Client {
    /// Builds the client.
    ///
    /// # Errors
    ///
    /// [`HttpError::Client`] if the TLS setup fails.
    pub fn new() -> Result<Client, HttpError> {
        let inner = blocking::Client::builder()
            .redirect(Policy::none())
            .use_rustls_tls()
            .timeout(DEFAULT_TIMEOUT)
            .pool_idle_timeout(Duration::from_secs(60))
            .build()
            .map_err(|err| HttpError::Client {
                cause: cause_text(&err.without_url(), &[]),
            })?;
        Ok(Client { inner })
    }

    /// Sends `req`, retrying as the request allows, and writes the response body to `output`
    /// (atomically, also for failure statuses). Only a 2xx answer is `Ok`.
    ///
    /// # Errors
    ///
    /// Any [`HttpError`]: a bad URL, header or input file before sending; a failed connection,
    /// timeout or broken body after the retries; a non-2xx status; an unwritable output.
    pub fn execute(&self, req: &Request, output: Option<&Path>) -> Result<Response, HttpError> {
        let shown_url = redact_url(&req.url);
        let mut url = parse_url(&req.url, &shown_url)?;
        // Credentials in the URL become basic auth, unless the request names its own.
        let url_auth = take_url_credentials(&mut url);
        let basic_auth = req.basic_auth.clone().or(url_auth);
        let headers = build_headers(req)?;
        let payload = Payload::prepare(req)?;
        let exchange = Exchange {
            req,
            url,
            shown_url,
            headers,
            payload,
            output,
            basic_auth,
            secrets: req.secrets(),
        };
        let mut attempt = 1;
        loop {
            let last = attempt > req.retries;
            match self.attempt(&exchange, attempt, last) {
                Ok(response) => return Ok(response),
                Err(Failed::Final(error)) => return Err(error),
                Err(Failed::Retry { error, after }) => {
                    if last {
                        return Err(error);
                    }
                    let wait = after.unwrap_or_else(|| backoff(req.retry_wait, attempt));
                    std::thread::sleep(wait.min(MAX_RETRY_WAIT));
                }
            }
            attempt += 1;
        }
    }

    /// One attempt. `last` says whether a retryable status will be reported rather than retried.
    fn attempt(&self, ex: &Exchange<'_>, attempt: u32, last: bool) -> Result<Response, Failed> {
        let req = ex.req;
        let started = Instant::now();
        let mut builder = self
            .inner
            .request(req.method.to_reqwest(), ex.url.clone())
            .timeout(req.timeout)
            .headers(ex.headers.clone());
        if let Some((user, password)) = &ex.basic_auth {
            builder = builder.basic_auth(user, Some(password));
        }
        if let Some(payload) = &ex.payload {
            let (body, content_type) = payload.open().map_err(Failed::Final)?;
            if let Some(content_type) = content_type {
                builder = builder.header(header::CONTENT_TYPE, content_type);
            }
            builder = builder.body(body);
        }
        let response = builder
            .send()
            .map_err(|err| ex.send_failure(err, attempt))?;

        let status = response.status();
        let content_type = response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let deadline = started + req.timeout;
        let code = status.as_u16();

        if status.is_success() {
            let body = ex.read_body(response, ex.output, deadline, attempt)?;
            return Ok(Response {
                status: code,
                bytes: body.bytes,
                attempts: attempt,
                content_type,
            });
        }
        if status.is_redirection() {
            let location = response
                .headers()
                .get(header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .map(|loc| match ex.url.join(loc) {
                    Ok(resolved) => redact_url(resolved.as_str()),
                    Err(_) => redact_url(loc),
                });
            // The redirect is the error to report, even if its body cannot be kept.
            let saved_to = ex
                .read_body(response, ex.output, deadline, attempt)
                .ok()
                .and_then(|body| body.saved_to);
            return Err(Failed::Final(HttpError::Redirect {
                status: code,
                url: ex.shown_url.clone(),
                location,
                saved_to,
            }));
        }
        if matches!(code, 429 | 503) && !last {
            let after = retry_after(response.headers());
            drain(response, deadline);
            return Err(Failed::Retry {
                error: HttpError::Status {
                    status: code,
                    reason: reason_text(status),
                    url: ex.shown_url.clone(),
                    body_head: String::new(),
                    saved_to: None,
                    attempts: attempt,
                },
                after,
            });
        }
        // A failure status: keep the body for the user, and quote its start.
        let (body_head, saved_to) = match ex.read_body(response, ex.output, deadline, attempt) {
            Ok(body) => (body.head, body.saved_to),
            Err(_) => (String::new(), None),
        };
        Err(Failed::Final(HttpError::Status {
            status: code,
            reason: reason_text(status),
            url: ex.shown_url.clone(),
            body_head: scrub(&body_head, &ex.secrets),
            saved_to,
            attempts: attempt,
        }))
    }
}

/// Everything one `execute` call needs across its attempts.
struct Exchange<'a> {
    req: &'a Request,
    url: Url,
    /// The URL with any password hidden, for messages.
    shown_url: String,
    headers: HeaderMap,
    payload: Option<Payload>,
    output: Option<&'a Path>,
    basic_auth: Option<(String, String)>,
    secrets: Vec<String>,
}

/// Why an attempt failed, and whether another attempt may help.
enum Failed {
    Final(HttpError),
    /// Retry after the given wait, or after the backoff when `None`.
    Retry {
        error: HttpError,
        after: Option<Duration>,
    },
}

/// A response body that was read to its end.
struct ReadBody {
    bytes: u64,
    head: String,
    saved_to: Option<PathBuf>,
}

impl Exchange<'_> {
    /// Turns an error from sending the request into an `HttpError`, deciding whether to retry.
    fn send_failure(&self, err: reqwest::Error, attempt: u32) -> Failed {
        let url = self.shown_url.clone();
        let err = err.without_url();
        let cause = cause_text(&err, &self.secrets);
        if err.is_timeout() {
            return Failed::Retry {
                error: HttpError::Timeout {
                    url,
                    timeout: self.req.timeout,
                    attempts: attempt,
                },
                after: None,
            };
        }
        if err.is_builder() {
            return Failed::Final(HttpError::Request {
                url,
                attempts: attempt,
                cause,
            });
        }
        if self.url.scheme() == "https" && looks_like_tls(&err) {
            return Failed::Final(HttpError::Tls { url, cause });
        }
        if err.is_connect() {
            return Failed::Retry {
                error: HttpError::Connect {
                    url,
                    attempts: attempt,
                    cause,
                },
                after: None,
            };
        }
        Failed::Retry {
            error: HttpError::Request {
                url,
                attempts: attempt,
                cause,
            },
            after: None,
        }
    }

    /// Reads the whole body, streaming it into a temporary file beside `output` that is renamed
    /// into place once the body is complete. Keeps the first lines for error messages.
    fn read_body(
        &self,
        mut response: blocking::Response,
        output: Option<&Path>,
        deadline: Instant,
        attempt: u32,
    ) -> Result<ReadBody, Failed> {
        let mut sink = match output {
            Some(path) => Some(TempOutput::create(path).map_err(Failed::Final)?),
            None => None,
        };
        let mut head = Vec::new();
        let mut bytes: u64 = 0;
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = match response.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
                Err(err) => {
                    let error = if is_timeout_io(&err) || Instant::now() >= deadline {
                        self.timeout_error(attempt)
                    } else {
                        HttpError::BodyRead {
                            url: self.shown_url.clone(),
                            bytes,
                            attempts: attempt,
                            cause: cause_text(&err, &self.secrets),
                        }
                    };
                    return Err(self.retry_if_safe(error));
                }
            };
            let chunk = &buf[..n];
            if head.len() < BODY_HEAD_BYTES {
                let take = (BODY_HEAD_BYTES - head.len()).min(n);
                head.extend_from_slice(&chunk[..take]);
            }
            if let Some(sink) = sink.as_mut() {
                sink.write(chunk).map_err(Failed::Final)?;
            }
            bytes += n as u64;
            if Instant::now() > deadline {
                return Err(self.retry_if_safe(self.timeout_error(attempt)));
            }
        }
        let saved_to = match sink {
            Some(sink) => Some(sink.finish().map_err(Failed::Final)?),
            None => None,
        };
        Ok(ReadBody {
            bytes,
            head: body_head(&head),
            saved_to,
        })
    }

    fn timeout_error(&self, attempt: u32) -> HttpError {
        HttpError::Timeout {
            url: self.shown_url.clone(),
            timeout: self.req.timeout,
            attempts: attempt,
        }
    }

    /// A failure after the server got the request is retried only when repeating it is harmless.
    fn retry_if_safe(&self, error: HttpError) -> Failed {
        if self.req.method.is_idempotent() {
            Failed::Retry { error, after: None }
        } else {
            Failed::Final(error)
        }
    }
}

/// The output file being written: a temporary file in the same folder until it is complete.
struct TempOutput {
    file: tempfile::NamedTempFile,
    path: PathBuf,
}

impl TempOutput {
    fn create(path: &Path) -> Result<TempOutput, HttpError> {
        let output_error = |source| HttpError::Output {
            path: path.to_path_buf(),
            source,
        };
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&dir).map_err(output_error)?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let file = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".part")
            .tempfile_in(&dir)
            .map_err(output_error)?;
        Ok(TempOutput {
            file,
            path: path.to_path_buf(),
        })
    }

    fn write(&mut self, chunk: &[u8]) -> Result<(), HttpError> {
        self.file
            .as_file_mut()
            .write_all(chunk)
            .map_err(|source| HttpError::Output {
                path: self.path.clone(),
                source,
            })
    }

    /// Flushes the file to disk and renames it over the output path.
    fn finish(self) -> Result<PathBuf, HttpError> {
        let path = self.path;
        let output_error = |source| HttpError::Output {
            path: path.clone(),
            source,
        };
        self.file.as_file().sync_all().map_err(output_error)?;
        self.file
            .persist(&path)
            .map_err(|err| output_error(err.error))?;
        Ok(path)
    }
}

/// The request body, checked once before the first attempt and reopened for each.
enum Payload {
    Bytes {
        data: Vec<u8>,
        content_type: Option<&'static str>,
    },
    File {
        path: PathBuf,
        content_type: Option<&'static str>,
    },
}

impl Payload {
    /// Checks the body: `None` for GET/HEAD and `Body::None`, an error for a missing file.
    fn prepare(req: &Request) -> Result<Option<Payload>, HttpError> {
        if !req.method.sends_body() {
            return Ok(None);
        }
        let typed = req
            .headers
            .iter()
            .any(|(name, _)| name.trim().eq_ignore_ascii_case("content-type"));
        let pick = |content_type: &'static str| (!typed).then_some(content_type);
        let payload = match &req.body {
            Body::None => return Ok(None),
            Body::Text(text) => Payload::Bytes {
                content_type: pick(
                    xml_content_type(text.as_bytes()).unwrap_or("text/plain; charset=utf-8"),
                ),
                data: text.as_bytes().to_vec(),
            },
            Body::Form(pairs) => Payload::Bytes {
                data: form_urlencode(pairs).into_bytes(),
                content_type: pick("application/x-www-form-urlencoded"),
            },
            Body::File(path) => {
                let mut file = open_input(path)?;
                let mut start = Vec::with_capacity(SNIFF_BYTES);
                (&mut file)
                    .take(SNIFF_BYTES as u64)
                    .read_to_end(&mut start)
                    .map_err(|source| HttpError::InputRead {
                        path: path.clone(),
                        source,
                    })?;
                Payload::File {
                    path: path.clone(),
                    content_type: pick(
                        xml_content_type(&start).unwrap_or("application/octet-stream"),
                    ),
                }
            }
        };
        Ok(Some(payload))
    }

    /// A fresh body for one attempt, and the `Content-Type` to send with it.
    fn open(&self) -> Result<(blocking::Body, Option<&'static str>), HttpError> {
        match self {
            Payload::Bytes { data, content_type } => {
                Ok((blocking::Body::from(data.clone()), *content_type))
            }
            Payload::File { path, content_type } => {
                // A `File` body knows its length, so it is sent with `Content-Length`.
                Ok((blocking::Body::from(open_input(path)?), *content_type))
            }
        }
    }
}

/// Opens a file to send, telling a missing file from an unreadable one.
fn open_input(path: &Path) -> Result<File, HttpError> {
    let input_error = |source: io::Error| {
        if source.kind() == io::ErrorKind::NotFound {
            HttpError::InputMissing {
                path: path.to_path_buf(),
            }
        } else {
            HttpError::InputRead {
                path: path.to_path_buf(),
                source,
            }
        }
    };
    let file = File::open(path).map_err(input_error)?;
    let metadata = file.metadata().map_err(input_error)?;
    if !metadata.is_file() {
        return Err(HttpError::InputRead {
            path: path.to_path_buf(),
            source: io::Error::other("it is a folder, not a file"),
        });
    }
    Ok(file)
}

/// Parses the URL and accepts only `http` and `https`.
fn parse_url(raw: &str, shown: &str) -> Result<Url, HttpError> {
    let invalid = |reason: String| HttpError::InvalidUrl {
        url: shown.to_string(),
        reason,
    };
    let url = Url::parse(raw.trim()).map_err(|err| invalid(err.to_string()))?;
    match url.scheme() {
        "http" | "https" => {}
        other => {
            return Err(invalid(format!(
                "the scheme `{other}` is not http or https"
            )));
        }
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(invalid("it names no host".to_string()));
    }
    Ok(url)
}

/// Removes `user:password@` from the URL and returns them, percent-decoded.
fn take_url_credentials(url: &mut Url) -> Option<(String, String)> {
    if url.username().is_empty() && url.password().is_none() {
        return None;
    }
    let user = percent_decode(url.username());
    let password = percent_decode(url.password().unwrap_or(""));
    // Both only fail for URLs that cannot have credentials, which `parse_url` rejects.
    let _ = url.set_username("");
    let _ = url.set_password(None);
    Some((user, password))
}

/// Decodes `%XX` escapes (invalid UTF-8 becomes U+FFFD).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The request's own headers plus `User-Agent`; basic auth replaces any `Authorization` header.
fn build_headers(req: &Request) -> Result<HeaderMap, HttpError> {
    let mut map = HeaderMap::new();
    for (name, value) in &req.headers {
        let name = name.trim();
        if req.basic_auth.is_some() && name.eq_ignore_ascii_case("authorization") {
            continue;
        }
        let header_name =
            HeaderName::from_bytes(name.as_bytes()).map_err(|_| HttpError::InvalidHeader {
                name: name.to_string(),
                reason: "it is not a valid header name".to_string(),
            })?;
        let mut header_value =
            HeaderValue::from_str(value.trim()).map_err(|_| HttpError::InvalidHeader {
                name: name.to_string(),
                reason: "its value holds a character a header cannot carry".to_string(),
            })?;
        if is_sensitive_name(name) {
            header_value.set_sensitive(true);
        }
        map.append(header_name, header_value);
    }
    if !map.contains_key(header::USER_AGENT) && !req.user_agent.is_empty() {
        let agent =
            HeaderValue::from_str(&req.user_agent).map_err(|_| HttpError::InvalidHeader {
                name: "User-Agent".to_string(),
                reason: "the user agent holds a character a header cannot carry".to_string(),
            })?;
        map.insert(header::USER_AGENT, agent);
    }
    Ok(map)
}

/// Header and form names whose values are treated as secrets.
fn is_sensitive_name(name: &str) -> bool {
    let name = name.trim().to_ascii_lowercase();
    [
        "auth", "cookie", "token", "secret", "password", "key", "session",
    ]
    .iter()
    .any(|word| name.contains(word))
}

/// `text/xml` with a charset when the bytes look like XML (a `<` after an optional BOM and
/// whitespace), else `None`.
fn xml_content_type(bytes: &[u8]) -> Option<&'static str> {
    let is_space = |b: u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n');
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        // UTF-16 little-endian: each ASCII character is followed by a zero byte.
        let first = rest
            .chunks_exact(2)
            .find(|pair| !(is_space(pair[0]) && pair[1] == 0))?;
        return (first == [b'<', 0]).then_some("text/xml; charset=utf-16");
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let first = rest
            .chunks_exact(2)
            .find(|pair| !(pair[0] == 0 && is_space(pair[1])))?;
        return (first == [0, b'<']).then_some("text/xml; charset=utf-16");
    }
    let rest = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    let first = rest.iter().copied().find(|b| !is_space(*b))?;
    (first == b'<').then_some("text/xml; charset=utf-8")
}

/// Encodes pairs as `application/x-www-form-urlencoded`.
fn form_urlencode(pairs: &[(String, String)]) -> String {
    fn encode(text: &str, out: &mut String) {
        for byte in text.bytes() {
            match byte {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                    out.push(char::from(byte));
                }
                b' ' => out.push('+'),
                _ => {
                    let _ = write!(out, "%{byte:02X}");
                }
            }
        }
    }
    let mut out = String::new();
    for (i, (name, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        encode(name, &mut out);
        out.push('=');
        encode(value, &mut out);
    }
    out
}

/// The wait before retry number `attempt` (1-based): `base`, `2×base`, `4×base`, … capped.
fn backoff(base: Duration, attempt: u32) -> Duration {
    let factor = 2u32.saturating_pow(attempt.saturating_sub(1));
    base.saturating_mul(factor).min(MAX_RETRY_WAIT)
}

/// The wait a `Retry-After` header asks for: delta-seconds or an HTTP-date, capped.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(header::RETRY_AFTER)?.to_str().ok()?.trim();
    parse_retry_after(value, jiff::Timestamp::now())
}

fn parse_retry_after(value: &str, now: jiff::Timestamp) -> Option<Duration> {
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds).min(MAX_RETRY_WAIT));
    }
    let at = jiff::fmt::rfc2822::DateTimeParser::new()
        .parse_timestamp(value)
        .ok()?;
    let wait = Duration::try_from(at.duration_since(now)).unwrap_or(Duration::ZERO);
    Some(wait.min(MAX_RETRY_WAIT))
}

/// Reads and discards up to `DRAIN_LIMIT` bytes so a connection can be reused for the retry.
fn drain(response: blocking::Response, deadline: Instant) {
    let mut limited = response.take(DRAIN_LIMIT);
    let mut buf = [0u8; 8192];
    while Instant::now() < deadline {
        match limited.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
    }
}

/// The first lines (at most `BODY_HEAD_LINES`, 1 KB) of a body as text.
fn body_head(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let lines: Vec<&str> = text
        .lines()
        .take(BODY_HEAD_LINES)
        .map(str::trim_end)
        .collect();
    lines.join("\n").trim().to_string()
}

/// The canonical reason phrase for a status, or "" for an unknown code.
fn reason_text(status: reqwest::StatusCode) -> String {
    status.canonical_reason().unwrap_or("").to_string()
}

/// Whether an I/O error from reading a body is a timeout.
fn is_timeout_io(err: &io::Error) -> bool {
    if err.kind() == io::ErrorKind::TimedOut {
        return true;
    }
    err.get_ref()
        .and_then(|inner| inner.downcast_ref::<reqwest::Error>())
        .is_some_and(reqwest::Error::is_timeout)
}

/// Whether a send error came from the TLS layer.
fn looks_like_tls(err: &reqwest::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(current) = source {
        let text = current.to_string().to_ascii_lowercase();
        if ["certificate", "tls", "handshake"]
            .iter()
            .any(|word| text.contains(word))
        {
            return true;
        }
        source = current.source();
    }
    false
}

/// The most specific description of an error: the innermost cause, with secrets scrubbed.
fn cause_text(err: &(dyn std::error::Error + 'static), secrets: &[String]) -> String {
    let mut innermost = err;
    while let Some(next) = innermost.source() {
        innermost = next;
    }
    scrub(&innermost.to_string(), secrets)
}

/// Replaces every secret in `text` with `***`.
fn scrub(text: &str, secrets: &[String]) -> String {
    secrets.iter().fold(text.to_string(), |text, secret| {
        text.replace(secret.as_str(), REDACTED)
    })
}

/// The URL with the password of any `user:password@` part replaced by `***`.
#[must_use]
pub fn redact_url(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_string();
    };
    let authority_start = scheme_end + 3;
    let rest = &url[authority_start..];
    let authority_len = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_len];
    let Some(at) = authority.rfind('@') else {
        return url.to_string();
    };
    let userinfo = &authority[..at];
    let Some(colon) = userinfo.find(':') else {
        return url.to_string();
    };
    format!(
        "{}{}:{REDACTED}{}",
        &url[..authority_start],
        &userinfo[..colon],
        &url[authority_start + at..]
    )
}

/// Standard base64 with padding, as the `Authorization: Basic` header uses.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
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

/// `120 s`, `1.5 s`, `250 ms`.
fn duration_text(duration: Duration) -> String {
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
    fn methods_parse_in_any_case_and_print_upper_case() {
        for method in Method::ALL {
            assert_eq!(method.as_str().to_lowercase().parse::<Method>(), Ok(method));
            assert_eq!(method.to_string(), method.as_str());
        }
        assert!("FETCH".parse::<Method>().is_err());
    }

    #[test]
    fn urls_lose_their_passwords() {
        let cases = [
            (
                "https://user:pw@shop.example/x",
                "https://user:***@shop.example/x",
            ),
            ("http://u:p@ss@h:8/a?b#c", "http://u:***@h:8/a?b#c"),
            ("https://user@shop.example/", "https://user@shop.example/"),
            ("https://shop.example/a@b:c", "https://shop.example/a@b:c"),
            ("not a url", "not a url"),
        ];
        for (url, shown) in cases {
            assert_eq!(redact_url(url), shown, "{url}");
        }
    }

    #[test]
    fn xml_is_recognised_after_bom_and_whitespace() {
        let utf8 = Some("text/xml; charset=utf-8");
        assert_eq!(xml_content_type(b"<Company/>"), utf8);
        assert_eq!(xml_content_type(b"\xEF\xBB\xBF \r\n<?xml?>"), utf8);
        assert_eq!(xml_content_type(b"  hello <b>"), None);
        assert_eq!(xml_content_type(b""), None);
        let utf16 = Some("text/xml; charset=utf-16");
        assert_eq!(xml_content_type(b"\xFF\xFE \0<\0?\0"), utf16);
        assert_eq!(xml_content_type(b"\xFE\xFF\0<\0?"), utf16);
        assert_eq!(xml_content_type(b"\xFF\xFEh\0"), None);
    }

    #[test]
    fn forms_are_url_encoded() {
        let pairs = vec![
            ("a b".to_string(), "x&y=z".to_string()),
            ("é".to_string(), "~*-._".to_string()),
        ];
        assert_eq!(form_urlencode(&pairs), "a+b=x%26y%3Dz&%C3%A9=%7E*-._");
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        let base = Duration::from_secs(1);
        assert_eq!(backoff(base, 1), Duration::from_secs(1));
        assert_eq!(backoff(base, 2), Duration::from_secs(2));
        assert_eq!(backoff(base, 4), Duration::from_secs(8));
        assert_eq!(backoff(base, 40), MAX_RETRY_WAIT);
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let now: jiff::Timestamp = "2024-01-31T09:30:00Z".parse().expect("a timestamp");
        assert_eq!(parse_retry_after("7", now), Some(Duration::from_secs(7)));
        assert_eq!(parse_retry_after("99999", now), Some(MAX_RETRY_WAIT));
        assert_eq!(
            parse_retry_after("Wed, 31 Jan 2024 09:30:20 GMT", now),
            Some(Duration::from_secs(20))
        );
        assert_eq!(
            parse_retry_after("Wed, 31 Jan 2024 09:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
    }

    #[test]
    fn body_head_keeps_ten_lines() {
        let body: String = (1..=20).map(|i| format!("line {i}\r\n")).collect();
        let head = body_head(body.as_bytes());
        assert_eq!(head.lines().count(), 10);
        assert!(head.ends_with("line 10"));
        assert_eq!(body_head(b"\xFFok"), "\u{FFFD}ok");
    }

    #[test]
    fn base64_matches_basic_auth_encoding() {
        assert_eq!(base64(b"user:secret"), "dXNlcjpzZWNyZXQ=");
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(base64(b"abc"), "YWJj");
        assert_eq!(base64(b""), "");
    }

    #[test]
    fn url_credentials_are_taken_out_and_decoded() {
        let mut url = Url::parse("http://me%40shop:p%3Ass@h/x").expect("a URL");
        let taken = take_url_credentials(&mut url);
        assert_eq!(taken, Some(("me@shop".to_string(), "p:ss".to_string())));
        assert_eq!(url.as_str(), "http://h/x");
        assert_eq!(percent_decode("100%"), "100%");
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration_text(Duration::from_secs(120)), "120 s");
        assert_eq!(duration_text(Duration::from_millis(1500)), "1.5 s");
        assert_eq!(duration_text(Duration::from_millis(250)), "250 ms");
    }

    #[test]
    fn request_debug_hides_credentials() {
        let mut req = Request::new(Method::Post, "https://me:hunter22@shop.example/");
        req.basic_auth = Some(("me".to_string(), "hunter22".to_string()));
        req.headers
            .push(("Authorization".to_string(), "Bearer tok3n".to_string()));
        req.headers
            .push(("X-Api-Key".to_string(), "k3y42".to_string()));
        req.body = Body::Form(vec![("password".to_string(), "hunter22".to_string())]);
        let shown = format!("{req:?}");
        for secret in ["hunter22", "tok3n", "k3y42"] {
            assert!(!shown.contains(secret), "{shown}");
        }
        assert!(shown.contains("me"));
    }
}
