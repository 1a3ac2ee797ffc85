//! The one redaction of secrets in URLs: every path that shows a URL (status lines, JSON
//! events, diagnostics, the run log) passes its text through [`redact`] or [`Redacted`].
//!
//! A secret is the password of a URL's `user:password@` part, and the value of a query
//! parameter whose name says it holds a credential (`?token=…`, `&api_key=…`).
use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

/// Shown instead of a secret.
pub(super) const REDACTED: &str = "***";

/// `text` with the secrets of every URL in it replaced by `***`; `text` may be one URL or
/// free text holding URLs (a message, a script line).
#[must_use]
pub fn redact(text: &str) -> Cow<'_, str> {
    let ranges = secret_ranges(text);
    if ranges.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for range in ranges {
        out.push_str(&text[at..range.start]);
        out.push_str(REDACTED);
        at = range.end;
    }
    out.push_str(&text[at..]);
    Cow::Owned(out)
}

/// The URL with the password of any `user:password@` part (and credential query values)
/// replaced by `***`.
#[must_use]
pub fn redact_url(url: &str) -> String {
    redact(url).into_owned()
}

/// `text` with every byte of each URL secret replaced by `*`, so that byte offsets into it
/// (the spans of a script's diagnostics) stay valid.
#[must_use]
pub fn mask(text: &str) -> Cow<'_, str> {
    let ranges = secret_ranges(text);
    if ranges.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = text.to_string();
    for range in ranges {
        out.replace_range(range.clone(), &"*".repeat(range.len()));
    }
    Cow::Owned(out)
}

/// Shows its text through [`redact`]: `format!("{}", Redacted(&url))`.
#[derive(Debug, Clone, Copy)]
pub struct Redacted<'a>(pub &'a str);

impl fmt::Display for Redacted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&redact(self.0))
    }
}

/// Replaces every secret in `text` with `***`.
pub(super) fn scrub(text: &str, secrets: &[String]) -> String {
    secrets.iter().fold(text.to_string(), |text, secret| {
        text.replace(secret.as_str(), REDACTED)
    })
}

/// Header, form and query names whose values are treated as secrets.
pub(super) fn is_sensitive_name(name: &str) -> bool {
    let name = name.trim().to_ascii_lowercase();
    [
        "auth", "cookie", "token", "secret", "password", "passwd", "key", "session",
    ]
    .iter()
    .any(|word| name.contains(word))
}

/// The byte ranges of the secrets in the URLs of `text`, in order, not overlapping.
fn secret_ranges(text: &str) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut from = 0;
    while let Some(found) = text[from..].find("://") {
        let authority_start = from + found + 3;
        let rest = &text[authority_start..];
        let url_len = rest.find(ends_url).unwrap_or(rest.len());
        let url = &rest[..url_len];
        let authority_len = url.find(['/', '?', '#']).unwrap_or(url.len());
        if let Some(at) = url[..authority_len].rfind('@')
            && let Some(colon) = url[..at].find(':')
            && colon + 1 < at
        {
            ranges.push(authority_start + colon + 1..authority_start + at);
        }
        if let Some(query_start) = url.find('?') {
            let query_end = url.find('#').unwrap_or(url.len()).max(query_start);
            let mut pair_start = authority_start + query_start + 1;
            for pair in url[query_start + 1..query_end].split('&') {
                if let Some((name, value)) = pair.split_once('=')
                    && !value.is_empty()
                    && is_sensitive_name(name)
                {
                    let value_start = pair_start + name.len() + 1;
                    ranges.push(value_start..value_start + value.len());
                }
                pair_start += pair.len() + 1;
            }
        }
        from = authority_start + url_len;
    }
    ranges
}

/// Whether a character ends a URL written in free text.
fn ends_url(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '"' | '\'' | '`' | '<' | '>' | '(' | ')' | '[' | ']' | '{' | '}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

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
            (
                "https://h/x?id=1&api_key=s3cret&token=t#k=v",
                "https://h/x?id=1&api_key=***&token=***#k=v",
            ),
            (
                "GET `http://shop:pw@127.0.0.1:80/a` failed; see http://a:b@c/",
                "GET `http://shop:***@127.0.0.1:80/a` failed; see http://a:***@c/",
            ),
        ];
        for (url, shown) in cases {
            assert_eq!(redact(url), shown, "{url}");
            assert_eq!(Redacted(url).to_string(), shown, "{url}");
        }
    }

    #[test]
    fn masking_keeps_every_offset() {
        let line = "fetch \"http://shop:pé@h/a?key=k1\" to \"a.xml\"";
        let masked = mask(line);
        assert_eq!(masked.len(), line.len());
        assert_eq!(masked, "fetch \"http://shop:***@h/a?key=**\" to \"a.xml\"");
    }
}
