//! The text of a transport error: its innermost cause, with secrets scrubbed.
use super::redact::scrub;

/// The canonical reason phrase for a status, or "" for an unknown code.
pub(super) fn reason_text(status: reqwest::StatusCode) -> String {
    status.canonical_reason().unwrap_or("").to_string()
}

/// Whether a send error came from the TLS layer.
pub(super) fn looks_like_tls(err: &reqwest::Error) -> bool {
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
pub(super) fn cause_text(err: &(dyn std::error::Error + 'static), secrets: &[String]) -> String {
    let mut innermost = err;
    while let Some(next) = innermost.source() {
        innermost = next;
    }
    scrub(&innermost.to_string(), secrets)
}
