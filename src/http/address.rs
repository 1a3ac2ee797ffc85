//! The URL of a request: parsed, limited to `http`/`https`, its credentials taken out.
use reqwest::Url;

use super::error::HttpError;
use super::request::percent_decode;

/// Parses the URL and accepts only `http` and `https`.
pub(super) fn parse_url(raw: &str, shown: &str) -> Result<Url, HttpError> {
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
pub(super) fn take_url_credentials(url: &mut Url) -> Option<(String, String)> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_credentials_are_taken_out_and_decoded() {
        let mut url = Url::parse("http://me%40shop:p%3Ass@h/x").expect("a URL");
        let taken = take_url_credentials(&mut url);
        assert_eq!(taken, Some(("me@shop".to_string(), "p:ss".to_string())));
        assert_eq!(url.as_str(), "http://h/x");
    }
}
