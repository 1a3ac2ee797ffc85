//! OAuth2 client credentials (RFC 6749 §4.4): a token fetched once per run and endpoint,
//! kept until it expires, fetched again when the API answers 401; sent as a bearer token.
use std::path::Path;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use super::client::{Client, Wait};
use super::error::HttpError;
use super::method::Method;
use super::request::{Body, OAuth2, Request};

/// A token is fetched again this long before the expiry the endpoint gave.
const EXPIRY_MARGIN: Duration = Duration::from_secs(30);

/// Which token: the endpoint, the client id and the scope.
type TokenKey = (String, String, String);

/// Tokens fetched in this run: key → token and when it expires.
#[derive(Debug, Default)]
pub(super) struct Tokens(Mutex<Vec<(TokenKey, String, Option<Instant>)>>);

impl Tokens {
    fn get(&self, key: &TokenKey) -> Option<String> {
        let tokens = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        tokens
            .iter()
            .find(|(k, _, until)| k == key && until.is_none_or(|t| Instant::now() < t))
            .map(|(_, token, _)| token.clone())
    }

    fn put(&self, key: TokenKey, token: String, until: Option<Instant>) {
        let mut tokens = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        tokens.retain(|(k, _, _)| *k != key);
        tokens.push((key, token, until));
    }
}

impl Client {
    /// Sends `req` with a bearer token from its OAuth2 endpoint: the cached one, or a new one;
    /// a 401 answer gets one new token and one more try.
    pub(super) fn execute_oauth2(
        &self,
        req: &Request,
        oauth: &OAuth2,
        output: Option<&Path>,
        on_wait: &mut dyn FnMut(&Wait),
    ) -> Result<super::Response, HttpError> {
        let key = (
            oauth.token_url.clone(),
            oauth.client_id.clone(),
            oauth.scope.clone().unwrap_or_default(),
        );
        let mut fresh = false;
        let token = match self.tokens.get(&key) {
            Some(token) => token,
            None => {
                fresh = true;
                self.fetch_token(req, oauth, &key, on_wait)?
            }
        };
        let mut inner = req.clone();
        inner.oauth2 = None;
        inner
            .headers
            .push(("Authorization".into(), format!("Bearer {token}")));
        match self.execute_with(&inner, output, on_wait) {
            Err(HttpError::Status { status: 401, .. }) if !fresh => {
                let token = self.fetch_token(req, oauth, &key, on_wait)?;
                if let Some(last) = inner.headers.last_mut() {
                    last.1 = format!("Bearer {token}");
                }
                self.execute_with(&inner, output, on_wait)
            }
            other => other,
        }
    }

    /// Asks the token endpoint for a token with the client's credentials, and keeps it.
    fn fetch_token(
        &self,
        req: &Request,
        oauth: &OAuth2,
        key: &TokenKey,
        on_wait: &mut dyn FnMut(&Wait),
    ) -> Result<String, HttpError> {
        let mut ask = Request::new(Method::Post, oauth.token_url.clone());
        ask.basic_auth = Some((oauth.client_id.clone(), oauth.client_secret.clone()));
        let mut form = vec![("grant_type".to_string(), "client_credentials".to_string())];
        if let Some(scope) = &oauth.scope {
            form.push(("scope".into(), scope.clone()));
        }
        ask.body = Body::Form(form);
        ask.timeout = req.timeout;
        ask.retries = req.retries;
        ask.retry_wait = req.retry_wait;
        ask.max_retry_wait = req.max_retry_wait;
        ask.ca_cert.clone_from(&req.ca_cert);
        ask.user_agent.clone_from(&req.user_agent);
        ask.headers
            .push(("Accept".into(), "application/json".into()));
        let spool = tempfile::NamedTempFile::new().map_err(|e| HttpError::Token {
            url: super::redact_url(&oauth.token_url),
            reason: format!("no temporary file for the answer: {e}"),
        })?;
        self.execute_with(&ask, Some(spool.path()), on_wait)?;
        let text = std::fs::read_to_string(spool.path()).unwrap_or_default();
        let bad = |reason: &str| HttpError::Token {
            url: super::redact_url(&oauth.token_url),
            reason: reason.to_string(),
        };
        let answer: serde_json::Value =
            serde_json::from_str(&text).map_err(|_| bad("the answer is not JSON"))?;
        let token = answer
            .get("access_token")
            .and_then(serde_json::Value::as_str)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| bad("the answer has no access_token"))?
            .to_string();
        let until = answer
            .get("expires_in")
            .and_then(|v| v.as_u64().or_else(|| v.as_str()?.parse().ok()))
            .map(|secs| Instant::now() + Duration::from_secs(secs).saturating_sub(EXPIRY_MARGIN));
        self.tokens.put(key.clone(), token.clone(), until);
        Ok(token)
    }
}
