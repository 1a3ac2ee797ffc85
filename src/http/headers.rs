//! The headers a request is sent with: the statement's own, `User-Agent`, secrets marked sensitive.
use reqwest::header::{self, HeaderMap, HeaderName, HeaderValue};

use super::error::HttpError;
use super::redact::is_sensitive_name;
use super::request::Request;

/// The request's own headers plus `User-Agent`; basic auth replaces any `Authorization` header.
pub(super) fn build_headers(req: &Request) -> Result<HeaderMap, HttpError> {
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
