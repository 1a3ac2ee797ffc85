//! When and how long to wait before another attempt: backoff, `Retry-After`, draining a busy answer.
use std::io::Read;
use std::time::{Duration, Instant};

use reqwest::blocking;
use reqwest::header::{self, HeaderMap};

use super::error::HttpError;

/// How much of a 429/503 body is read (and thrown away) before retrying.
const DRAIN_LIMIT: u64 = 64 * 1024;

/// Why an attempt failed, and whether another attempt may help.
pub(super) enum Failed {
    Final(HttpError),
    /// Retry after the given wait, or after the backoff when `None`.
    Retry {
        error: HttpError,
        after: Option<Duration>,
    },
}

/// The wait before retry number `attempt` (1-based): `base`, `2×base`, `4×base`, … (the
/// caller caps it).
pub(super) fn backoff(base: Duration, attempt: u32) -> Duration {
    let factor = 2u32.saturating_pow(attempt.saturating_sub(1));
    base.saturating_mul(factor)
}

/// The wait a `Retry-After` header asks for: delta-seconds or an HTTP-date (the caller caps it).
pub(super) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(header::RETRY_AFTER)?.to_str().ok()?.trim();
    parse_retry_after(value, jiff::Timestamp::now())
}

fn parse_retry_after(value: &str, now: jiff::Timestamp) -> Option<Duration> {
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    // Shopify writes fractional seconds (`2.0`).
    if let Ok(seconds) = value.parse::<f64>() {
        return Duration::try_from_secs_f64(seconds).ok();
    }
    let at = jiff::fmt::rfc2822::DateTimeParser::new()
        .parse_timestamp(value)
        .ok()?;
    let wait = Duration::try_from(at.duration_since(now)).unwrap_or(Duration::ZERO);
    Some(wait)
}

/// Reads and discards up to `DRAIN_LIMIT` bytes so a connection can be reused for the retry.
pub(super) fn drain(response: blocking::Response, deadline: Instant) {
    let mut limited = response.take(DRAIN_LIMIT);
    let mut buf = [0u8; 8192];
    while Instant::now() < deadline {
        match limited.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_saturates() {
        let base = Duration::from_secs(1);
        assert_eq!(backoff(base, 1), Duration::from_secs(1));
        assert_eq!(backoff(base, 2), Duration::from_secs(2));
        assert_eq!(backoff(base, 4), Duration::from_secs(8));
        assert!(
            backoff(base, 40) > Duration::from_secs(1 << 30),
            "saturates"
        );
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let now: jiff::Timestamp = "2024-01-31T09:30:00Z".parse().expect("a timestamp");
        assert_eq!(parse_retry_after("7", now), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_retry_after("100000", now),
            Some(Duration::from_secs(100_000))
        );
        assert_eq!(
            parse_retry_after("Wed, 31 Jan 2024 09:30:20 GMT", now),
            Some(Duration::from_secs(20))
        );
        assert_eq!(
            parse_retry_after("Wed, 31 Jan 2024 09:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("2.0", now), Some(Duration::from_secs(2)));
        assert_eq!(
            parse_retry_after("0.25", now),
            Some(Duration::from_millis(250))
        );
        assert_eq!(parse_retry_after("-1.5", now), None);
        assert_eq!(parse_retry_after("soon", now), None);
    }
}
