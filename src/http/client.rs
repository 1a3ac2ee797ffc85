//! The client for one run and one exchange's attempts: send, classify, retry.
use std::path::Path;
use std::time::{Duration, Instant};

use reqwest::Url;
use reqwest::blocking;
use reqwest::header::{self, HeaderMap};
use reqwest::redirect::Policy;

use super::address::{parse_url, take_url_credentials};
use super::cause::{cause_text, looks_like_tls, reason_text};
use super::defaults::{DEFAULT_TIMEOUT, MAX_RETRY_WAIT};
use super::error::HttpError;
use super::headers::build_headers;
use super::payload::Payload;
use super::redact::{redact_url, scrub};
use super::request::Request;
use super::retry::{Failed, backoff, drain, retry_after};

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
pub(super) struct Exchange<'a> {
    pub(super) req: &'a Request,
    pub(super) url: Url,
    /// The URL with any password hidden, for messages.
    pub(super) shown_url: String,
    headers: HeaderMap,
    payload: Option<Payload>,
    pub(super) output: Option<&'a Path>,
    basic_auth: Option<(String, String)>,
    pub(super) secrets: Vec<String>,
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
