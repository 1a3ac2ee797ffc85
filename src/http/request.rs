//! One HTTP request as a statement describes it, and the secrets it carries.
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use base64::Engine as _;
use reqwest::Url;

use super::defaults::{
    DEFAULT_RETRIES, DEFAULT_RETRY_WAIT, DEFAULT_TIMEOUT, DEFAULT_USER_AGENT, MAX_RETRY_WAIT,
    MAX_SIZE,
};
use super::expect::Expectation;
use super::method::Method;
use super::redact::{REDACTED, is_sensitive_name, redact};

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

/// OAuth2 client credentials: where to get a token, and as whom.
#[derive(Clone, PartialEq, Eq)]
pub struct OAuth2 {
    pub token_url: String,
    pub client_id: String,
    pub client_secret: String,
    pub scope: Option<String>,
}

impl fmt::Debug for OAuth2 {
    /// Never shows the secret.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuth2")
            .field("token_url", &redact(&self.token_url))
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
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
    /// The longest wait between two attempts, whatever the backoff or `Retry-After` ask.
    pub max_retry_wait: Duration,
    /// The largest response body read; a larger one fails and nothing is saved.
    pub max_size: u64,
    /// Rules a 2xx answer's body must keep; an answer that breaks one fails.
    pub expect: Vec<Expectation>,
    /// A PEM file of extra certificate authorities to trust (a private CA).
    pub ca_cert: Option<PathBuf>,
    /// Sent with a bearer token from this OAuth2 client-credentials endpoint.
    pub oauth2: Option<OAuth2>,
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
            max_retry_wait: MAX_RETRY_WAIT,
            max_size: MAX_SIZE,
            expect: Vec::new(),
            ca_cert: None,
            oauth2: None,
        }
    }

    /// The secrets to scrub from any text that came from outside (passwords of any length ≥ 3).
    pub(super) fn secrets(&self) -> Vec<String> {
        let mut secrets = Vec::new();
        // A site may echo the `Authorization` header back, so its encoded form is a secret too.
        let mut add_credentials = |user: &str, password: &str| {
            secrets.push(password.to_string());
            secrets.push(
                base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}")),
            );
        };
        if let Some((user, password)) = &self.basic_auth {
            add_credentials(user, password);
        }
        if let Some(oauth) = &self.oauth2 {
            add_credentials(&oauth.client_id, &oauth.client_secret);
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
                // `Authorization: Bearer TOKEN`: a site may echo the token alone.
                if let Some((_, token)) = value.split_once(' ') {
                    secrets.push(token.trim().to_string());
                }
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
            .field("url", &redact(&self.url))
            .field("headers", &headers)
            .field("basic_auth", &basic_auth)
            .field("body", &self.body)
            .field("timeout", &self.timeout)
            .field("retries", &self.retries)
            .field("retry_wait", &self.retry_wait)
            .field("user_agent", &self.user_agent)
            .field("max_retry_wait", &self.max_retry_wait)
            .field("max_size", &self.max_size)
            .field("expect", &self.expect)
            .field("ca_cert", &self.ca_cert)
            .finish()
    }
}

/// Decodes `%XX` escapes (invalid UTF-8 becomes U+FFFD).
pub(super) fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn secrets_include_the_encoded_authorization() {
        let mut req = Request::new(Method::Get, "http://h/");
        req.basic_auth = Some(("user".to_string(), "secret".to_string()));
        assert!(req.secrets().contains(&"dXNlcjpzZWNyZXQ=".to_string()));
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("p%3Ass"), "p:ss");
    }
}
