//! `format-date(date, from, to)`: zynk's date helper outside XPath 1.0, reading and writing dates with explicit strftime patterns.
//!
//! `from` and `to` use strftime directives (`%Y-%m-%d`, `%d/%m/%Y`, `%H:%M:%S`, `%z`,
//! `%b`, …; see docs/xpath.md). A date that does not match `from` gives `''`, so a
//! field's `default` applies. A time or offset missing from the input reads as midnight
//! and no offset.

use jiff::civil::DateTime;
use jiff::fmt::strtime::{self, BrokenDownTime};

/// `value` read with the pattern `from` and written with `to`; `None` when it does not match.
pub(crate) fn format_date(value: &str, from: &str, to: &str) -> Option<String> {
    let parsed = strtime::parse(from, value.trim()).ok()?;
    let datetime = parsed.to_datetime().ok()?;
    let mut out = BrokenDownTime::from(datetime);
    out.set_offset(parsed.offset());
    out.to_string(to).ok()
}

/// Why a pattern is not valid, for the compile-time diagnostic.
pub(crate) fn check_pattern(pattern: &str) -> Result<(), String> {
    let sample = DateTime::constant(2024, 7, 14, 21, 14, 59, 0);
    let mut time = BrokenDownTime::from(sample);
    time.set_offset(Some(jiff::tz::Offset::UTC));
    time.to_string(pattern)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_between_patterns() {
        let f = |v, a, b| format_date(v, a, b);
        assert_eq!(
            f("2024-03-05T14:30:00", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y").as_deref(),
            Some("05/03/2024")
        );
        assert_eq!(
            f("05/03/2024", "%d/%m/%Y", "%Y-%m-%d").as_deref(),
            Some("2024-03-05")
        );
        assert_eq!(
            f(
                "2024-03-05 14:30:00 +0100",
                "%Y-%m-%d %H:%M:%S %z",
                "%d %b %Y %H:%M"
            )
            .as_deref(),
            Some("05 Mar 2024 14:30")
        );
        assert_eq!(f("not a date", "%Y-%m-%d", "%d/%m/%Y"), None);
        assert_eq!(f("2024-02-30", "%Y-%m-%d", "%d/%m/%Y"), None);
    }

    #[test]
    fn bad_patterns() {
        assert!(check_pattern("%d/%m/%Y").is_ok());
        assert!(check_pattern("%Y %").is_err());
    }
}
