//! Parsing Connect XML field values (numbers, booleans, dates) with record-level errors.
use jiff::civil::DateTime;

use super::node::Node;

/// A field whose text is not a valid value of its type; the record fails, the import goes on.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("`{field}` holds `{value}`, which is not {expected}")]
pub struct FieldError {
    /// Element name (with its parent for nested fields, e.g. `Item/QtyOrdered`).
    pub field: String,
    /// The text found.
    pub value: String,
    /// What was expected, e.g. "a number".
    pub expected: &'static str,
}

/// Optional trimmed text of child `name` as an owned string.
pub(crate) fn text(node: &Node, name: &str) -> Option<String> {
    node.text_of(name).map(str::to_string)
}

/// Optional number in child `name`; missing, nil or empty gives `None`.
pub(crate) fn number(node: &Node, name: &str) -> Result<Option<f64>, FieldError> {
    number_in(node, name, node.text_of(name))
}

/// [`number`] of `text`, the value of `node`'s child `name` found already.
pub(crate) fn number_in(
    node: &Node,
    name: &str,
    text: Option<&str>,
) -> Result<Option<f64>, FieldError> {
    match text {
        None => Ok(None),
        Some(t) => t
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .map(Some)
            .ok_or_else(|| field_error(node, name, t, "a number")),
    }
}

/// Optional integer in child `name`.
pub(crate) fn integer(node: &Node, name: &str) -> Result<Option<i64>, FieldError> {
    integer_in(node, name, node.text_of(name))
}

/// [`integer`] of `text`, the value of `node`'s child `name` found already.
pub(crate) fn integer_in(
    node: &Node,
    name: &str,
    text: Option<&str>,
) -> Result<Option<i64>, FieldError> {
    match text {
        None => Ok(None),
        Some(t) => t
            .parse::<i64>()
            .map(Some)
            .map_err(|_| field_error(node, name, t, "a whole number")),
    }
}

/// Optional boolean in child `name` (`true`/`false`/`1`/`0`, any case).
pub(crate) fn boolean(node: &Node, name: &str) -> Result<Option<bool>, FieldError> {
    boolean_in(node, name, node.text_of(name))
}

/// [`boolean`] of `text`, the value of `node`'s child `name` found already.
pub(crate) fn boolean_in(
    node: &Node,
    name: &str,
    text: Option<&str>,
) -> Result<Option<bool>, FieldError> {
    match text {
        None => Ok(None),
        Some(t) => parse_bool(t)
            .map(Some)
            .ok_or_else(|| field_error(node, name, t, "true or false")),
    }
}

/// Optional date-time in child `name`; the .NET "unset" value `0001-01-01T00:00:00` gives `None`.
pub(crate) fn datetime(node: &Node, name: &str) -> Result<Option<DateTime>, FieldError> {
    datetime_in(node, name, node.text_of(name))
}

/// [`datetime`] of `text`, the value of `node`'s child `name` found already.
pub(crate) fn datetime_in(
    node: &Node,
    name: &str,
    text: Option<&str>,
) -> Result<Option<DateTime>, FieldError> {
    match text {
        None => Ok(None),
        Some(t) => {
            let parsed =
                parse_datetime(t).ok_or_else(|| field_error(node, name, t, "a date and time"))?;
            Ok((parsed.year() > 1).then_some(parsed))
        }
    }
}

/// Parses `true`/`false`/`1`/`0` case-insensitively.
pub fn parse_bool(text: &str) -> Option<bool> {
    let t = text.trim();
    if t == "1" || t.eq_ignore_ascii_case("true") {
        Some(true)
    } else if t == "0" || t.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// Parses an XSD date or dateTime; a zone or offset, if any, is dropped (Sage stores local times).
pub fn parse_datetime(text: &str) -> Option<DateTime> {
    let t = text.trim();
    let cut = if t.len() > 10 {
        let tail = &t[10..];
        let zone = tail.find(['Z', '+']).or_else(|| tail.rfind('-'));
        zone.map_or(t, |i| &t[..10 + i])
    } else {
        t
    };
    if let Ok(dt) = cut.parse::<DateTime>() {
        return Some(dt);
    }
    cut.parse::<jiff::civil::Date>()
        .ok()
        .map(|d| d.to_datetime(jiff::civil::Time::midnight()))
}

fn field_error(node: &Node, name: &str, value: &str, expected: &'static str) -> FieldError {
    FieldError {
        field: format!("{}/{}", node.name, name),
        value: value.to_string(),
        expected,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_accept_offsets_and_plain_dates() {
        let want = "2011-01-01T11:11:11".parse::<DateTime>().ok();
        assert_eq!(parse_datetime("2011-01-01T11:11:11"), want);
        assert_eq!(parse_datetime("2011-01-01T11:11:11+01:00"), want);
        assert_eq!(parse_datetime("2011-01-01T11:11:11Z"), want);
        assert!(parse_datetime("2011-01-01").is_some());
        assert!(parse_datetime("yesterday").is_none());
    }

    #[test]
    fn numbers_report_the_field() {
        let node = Node::new("Item").with(Node::leaf("QtyOrdered", "two"));
        let err = number(&node, "QtyOrdered").err();
        assert_eq!(
            err.map(|e| e.to_string()),
            Some("`Item/QtyOrdered` holds `two`, which is not a number".to_string())
        );
    }
}
