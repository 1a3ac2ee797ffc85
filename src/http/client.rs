//! The client for one run and one exchange's attempts: send, classify, retry.
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use reqwest::Url;
use reqwest::blocking;
use reqwest::header::{self, HeaderMap};
use reqwest::redirect::Policy;

use super::address::{parse_url, take_url_credentials};
use super::cause::{cause_text, looks_like_tls, reason_text};
use super::defaults::DEFAULT_TIMEOUT;
use super::error::duration_text;
use super::error::{HttpError, UnexpectedAnswer};
use super::headers::build_headers;
use super::payload::Payload;
use super::redact::{redact_url, scrub};
use super::request::Request;
use super::retry::{Failed, backoff, drain, retry_after};
use super::tls;

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
    /// What the user should know about the answer (a site that declares its encoding wrongly).
    pub notes: Vec<String>,
    /// The answer's headers (names in lower case), for pagination: `Link`, `X-WP-TotalPages`.
    pub headers: Vec<(String, String)>,
}

impl Response {
    /// The value of the header `name` (lower case), if the answer sent it.
    #[must_use]
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A wait between two attempts, announced before it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wait {
    /// How long zynk waits.
    pub wait: Duration,
    /// What the site's `Retry-After` asked for, when it sent one.
    pub asked: Option<Duration>,
    /// Whether `max_retry_wait` shortened the wait.
    pub capped: bool,
    /// The attempt that follows the wait, and how many attempts there are at most.
    pub next_attempt: u32,
    pub attempts: u32,
    /// Why the last attempt failed, with the URL redacted.
    pub reason: String,
}

impl std::fmt::Display for Wait {
    /// `waiting 5 min (Retry-After asked for 100000 s, capped by max_retry_wait) before attempt 2 of 2: …`
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "waiting {}", duration_text(self.wait))?;
        match (self.asked, self.capped) {
            (Some(asked), true) => write!(
                f,
                " (the site's Retry-After asked for {}; `max_retry_wait` caps it)",
                duration_text(asked)
            )?,
            (Some(_), false) => f.write_str(" (as the site's Retry-After asked)")?,
            (None, true) => f.write_str(" (capped by `max_retry_wait`)")?,
            (None, false) => {}
        }
        write!(
            f,
            " before attempt {} of {}: {}",
            self.next_attempt, self.attempts, self.reason
        )
    }
}

/// The HTTP client for one run: redirects off, connections reused, rustls for TLS.
#[derive(Debug, Clone)]
pub struct Client {
    inner: blocking::Client,
    /// Clients that also trust a `ca_cert` file, one per file, made on first use.
    with_ca: Arc<Mutex<Vec<(PathBuf, blocking::Client)>>>,
    /// Asked while a request or a back-off is under way: true cancels it.
    cancel: Option<fn() -> bool>,
    /// OAuth2 tokens fetched in this run.
    pub(super) tokens: Arc<super::oauth2::Tokens>,
}

impl Client {
    /// Builds the client.
    ///
    /// # Errors
    ///
    /// [`HttpError::Client`] if the TLS setup fails.
    pub fn new() -> Result<Client, HttpError> {
        let inner = build(Vec::new()).map_err(|err| HttpError::Client {
            cause: cause_text(&err.without_url(), &[]),
        })?;
        Ok(Client {
            inner,
            with_ca: Arc::default(),
            cancel: None,
            tokens: Arc::default(),
        })
    }

    /// Makes requests and back-off waits cancellable: `cancelled` is asked every 100 ms, and
    /// when it says true the exchange fails at once with [`HttpError::Interrupted`], its
    /// partial download discarded.
    #[must_use]
    pub fn cancelled_by(mut self, cancelled: fn() -> bool) -> Client {
        self.cancel = Some(cancelled);
        self
    }

    /// The client for a request: the shared one, or one that also trusts its `ca_cert`.
    fn for_request(&self, req: &Request) -> Result<blocking::Client, HttpError> {
        let Some(path) = &req.ca_cert else {
            return Ok(self.inner.clone());
        };
        let mut clients = self.with_ca.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((_, client)) = clients.iter().find(|(p, _)| p == path) {
            return Ok(client.clone());
        }
        let client = build(tls::load_ca(path)?).map_err(|err| HttpError::CaCert {
            path: path.clone(),
            reason: cause_text(&err.without_url(), &[]),
        })?;
        clients.push((path.clone(), client.clone()));
        Ok(client)
    }

    /// Sends `req` like [`Client::execute_with`], without announcing waits.
    ///
    /// # Errors
    ///
    /// As [`Client::execute_with`].
    pub fn execute(&self, req: &Request, output: Option<&Path>) -> Result<Response, HttpError> {
        self.execute_with(req, output, &mut |_| {})
    }

    /// Sends `req`, retrying as the request allows, and writes the response body to `output`
    /// (atomically, also for failure statuses). Only a 2xx answer that keeps the request's
    /// rules is `Ok`. `on_wait` hears of each wait before another attempt.
    ///
    /// # Errors
    ///
    /// Any [`HttpError`]: a bad URL, header or input file before sending; a failed connection,
    /// timeout or broken body after the retries; a non-2xx status; a body that breaks a rule or
    /// is over `max_size`; an unwritable output.
    pub fn execute_with(
        &self,
        req: &Request,
        output: Option<&Path>,
        on_wait: &mut dyn FnMut(&Wait),
    ) -> Result<Response, HttpError> {
        if let Some(oauth) = &req.oauth2 {
            return self.execute_oauth2(req, oauth, output, on_wait);
        }
        let shown_url = redact_url(&req.url);
        let mut url = parse_url(&req.url, &shown_url)?;
        // Credentials in the URL become basic auth, unless the request names its own.
        let url_auth = take_url_credentials(&mut url);
        let basic_auth = req.basic_auth.clone().or(url_auth);
        let headers = build_headers(req)?;
        let payload = Payload::prepare(req)?;
        let client = self.for_request(req)?;
        let exchange = Arc::new(Exchange {
            client,
            req: req.clone(),
            url,
            shown_url,
            headers,
            payload,
            output: output.map(Path::to_path_buf),
            basic_auth,
            secrets: req.secrets(),
            cancel: self.cancel,
        });
        let mut attempt = 1;
        loop {
            if exchange.cancelled() {
                return Err(exchange.interrupted());
            }
            let last = attempt > req.retries;
            match run_attempt(&exchange, attempt, last) {
                Ok(response) => return Ok(response),
                Err(Failed::Final(error)) => return Err(error),
                Err(Failed::Retry { error, after }) => {
                    if last {
                        return Err(error);
                    }
                    let wanted = after.unwrap_or_else(|| backoff(req.retry_wait, attempt));
                    let wait = wanted.min(req.max_retry_wait);
                    on_wait(&Wait {
                        wait,
                        asked: after,
                        capped: wait < wanted,
                        next_attempt: attempt + 1,
                        attempts: req.retries.saturating_add(1),
                        reason: error.to_string(),
                    });
                    if !pause(wait, self.cancel) {
                        return Err(exchange.interrupted());
                    }
                }
            }
            attempt += 1;
        }
    }
}

/// One attempt: on the caller's thread, or — when the client can be cancelled — on a thread of
/// its own that the caller leaves behind when the run stops (a stalled site then holds up
/// nothing; what that thread would still write is discarded, see `read_body`).
fn run_attempt(ex: &Arc<Exchange>, attempt: u32, last: bool) -> Result<Response, Failed> {
    let Some(cancel) = ex.cancel else {
        return ex.attempt(attempt, last);
    };
    let (tx, rx) = std::sync::mpsc::channel();
    let job = Arc::clone(ex);
    let spawned = std::thread::Builder::new()
        .name("zynk-http".into())
        .spawn(move || {
            let _ = tx.send(job.attempt(attempt, last));
        });
    if spawned.is_err() {
        return ex.attempt(attempt, last);
    }
    loop {
        match rx.recv_timeout(CANCEL_POLL) {
            Ok(result) => return result,
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                if cancel() {
                    return Err(Failed::Final(ex.interrupted()));
                }
            }
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                return Err(Failed::Final(ex.interrupted()));
            }
        }
    }
}

/// How often a caller waiting on an attempt or a back-off looks for a cancel.
const CANCEL_POLL: Duration = Duration::from_millis(100);

/// Sleeps `wait`, in steps, unless cancelled: false when the run asked to stop.
fn pause(wait: Duration, cancel: Option<fn() -> bool>) -> bool {
    let Some(cancel) = cancel else {
        std::thread::sleep(wait);
        return true;
    };
    let until = Instant::now() + wait;
    loop {
        if cancel() {
            return false;
        }
        let now = Instant::now();
        if now >= until {
            return true;
        }
        std::thread::sleep(CANCEL_POLL.min(until - now));
    }
}

impl Exchange {
    /// One attempt. `last` says whether a retryable status will be reported rather than retried.
    fn attempt(&self, attempt: u32, last: bool) -> Result<Response, Failed> {
        let ex = self;
        let req = &ex.req;
        let output = ex.output.as_deref();
        let started = Instant::now();
        let mut builder = ex
            .client
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
        let headers: Vec<(String, String)> = response
            .headers()
            .iter()
            .filter_map(|(n, v)| Some((n.as_str().to_string(), v.to_str().ok()?.to_string())))
            .collect();

        if status.is_success() {
            let body = ex.read_body(response, output, deadline, attempt, &req.expect)?;
            if let Some(broken) = body.broken {
                return Err(Failed::Final(HttpError::Unexpected(Box::new(
                    UnexpectedAnswer {
                        url: ex.shown_url.clone(),
                        status: code,
                        reason: reason_text(status),
                        rule: broken.rule,
                        problem: scrub(&broken.reason, &ex.secrets),
                        implied_by: broken.implied_by,
                        body_head: scrub(&body.head, &ex.secrets),
                        attempts: attempt,
                    },
                ))));
            }
            return Ok(Response {
                status: code,
                bytes: body.bytes,
                attempts: attempt,
                content_type,
                notes: body.notes,
                headers,
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
                .read_body(response, output, deadline, attempt, &[])
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
        let (body_head, saved_to) = match ex.read_body(response, output, deadline, attempt, &[]) {
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

/// Everything one `execute` call needs across its attempts, owned, so that an attempt can
/// run on a thread of its own while the caller watches for a cancel.
pub(super) struct Exchange {
    client: blocking::Client,
    pub(super) req: Request,
    pub(super) url: Url,
    /// The URL with any password hidden, for messages.
    pub(super) shown_url: String,
    headers: HeaderMap,
    payload: Option<Payload>,
    pub(super) output: Option<PathBuf>,
    basic_auth: Option<(String, String)>,
    pub(super) secrets: Vec<String>,
    /// Asked between reads and before the body is kept: true when the run is stopping.
    pub(super) cancel: Option<fn() -> bool>,
}

impl Exchange {
    /// Whether the run asked to stop.
    pub(super) fn cancelled(&self) -> bool {
        self.cancel.is_some_and(|c| c())
    }

    /// The error of an exchange the run stopped.
    pub(super) fn interrupted(&self) -> HttpError {
        HttpError::Interrupted {
            url: self.shown_url.clone(),
        }
    }

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
        if self.url.scheme() == "https"
            && let Some(cause) = tls::describe(&err)
        {
            return Failed::Final(HttpError::Tls { url, cause });
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

    pub(super) fn timeout_error(&self, attempt: u32) -> HttpError {
        HttpError::Timeout {
            url: self.shown_url.clone(),
            timeout: self.req.timeout,
            attempts: attempt,
        }
    }

    /// A failure after the server got the request is retried only when repeating it is harmless.
    pub(super) fn retry_if_safe(&self, error: HttpError) -> Failed {
        if self.req.method.is_idempotent() {
            Failed::Retry { error, after: None }
        } else {
            Failed::Final(error)
        }
    }
}

/// A reqwest client with zynk's settings, trusting the built-in roots and `extra_roots`.
/// A blocking client like the run's (redirects off, rustls, connections kept alive) that also
/// trusts the certificates of `ca_cert`, for clients of other protocols over HTTP (an ERP's
/// JSON-RPC).
///
/// # Errors
///
/// [`HttpError::CaCert`] for an unreadable or invalid `ca_cert`, [`HttpError::Client`] if the
/// TLS setup fails.
pub fn blocking_client(ca_cert: Option<&Path>) -> Result<blocking::Client, HttpError> {
    let roots = match ca_cert {
        Some(path) => tls::load_ca(path)?,
        None => Vec::new(),
    };
    build(roots).map_err(|err| HttpError::Client {
        cause: cause_text(&err.without_url(), &[]),
    })
}

/// The text of a failed exchange's cause, for people (TLS failures in words).
#[must_use]
pub fn failure_text(err: &reqwest::Error) -> String {
    tls::describe(err).unwrap_or_else(|| cause_text(err, &[]))
}

fn build(extra_roots: Vec<reqwest::Certificate>) -> reqwest::Result<blocking::Client> {
    let mut builder = blocking::Client::builder()
        .redirect(Policy::none())
        .use_rustls_tls()
        .timeout(DEFAULT_TIMEOUT)
        .pool_idle_timeout(Duration::from_secs(60));
    for root in extra_roots {
        builder = builder.add_root_certificate(root);
    }
    builder.build()
}
