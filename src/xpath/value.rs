//! The four XPath 1.0 value types and the conversions between them.

use super::lexer::is_xml_space;
use super::node::XNode;

/// The result of evaluating an XPath expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a, 'i> {
    /// A node-set, in document order without duplicates.
    Nodes(Vec<XNode<'a, 'i>>),
    String(String),
    Number(f64),
    Boolean(bool),
}

impl Value<'_, '_> {
    /// XPath `string()`: the first node's string-value for a node-set.
    pub fn to_string_value(&self) -> String {
        match self {
            Self::Nodes(nodes) => nodes.first().map(XNode::string_value).unwrap_or_default(),
            Self::String(s) => s.clone(),
            Self::Number(n) => format_number(*n),
            Self::Boolean(b) => b.to_string(),
        }
    }

    /// XPath `number()`.
    #[must_use]
    pub fn to_number(&self) -> f64 {
        match self {
            Self::Nodes(_) => parse_number(&self.to_string_value()),
            Self::String(s) => parse_number(s),
            Self::Number(n) => *n,
            Self::Boolean(b) => f64::from(u8::from(*b)),
        }
    }

    /// XPath `boolean()`.
    #[must_use]
    pub fn to_boolean(&self) -> bool {
        match self {
            Self::Nodes(nodes) => !nodes.is_empty(),
            Self::String(s) => !s.is_empty(),
            Self::Number(n) => *n != 0.0 && !n.is_nan(),
            Self::Boolean(b) => *b,
        }
    }

    /// The value's type as named in messages: "a node-set", "a string", ….
    #[must_use]
    pub fn type_name(&self) -> &'static str {
        match self {
            Self::Nodes(_) => "a node-set",
            Self::String(_) => "a string",
            Self::Number(_) => "a number",
            Self::Boolean(_) => "a boolean",
        }
    }
}

/// One line per node string-value for a node-set, else the scalar as XPath `string()` gives it.
pub fn render(value: &Value) -> String {
    match value {
        Value::Nodes(nodes) => nodes
            .iter()
            .map(XNode::string_value)
            .collect::<Vec<_>>()
            .join("\n"),
        scalar => scalar.to_string_value(),
    }
}

/// XPath `number()` of a string: optional whitespace, an optional `-`, digits with an
/// optional decimal point; anything else is NaN.
pub(crate) fn parse_number(text: &str) -> f64 {
    let trimmed = text.trim_matches(is_xml_space);
    let (negative, body) = match trimmed.strip_prefix('-') {
        Some(body) => (true, body),
        None => (false, trimmed),
    };
    let mut digits = 0;
    let mut points = 0;
    for c in body.chars() {
        match c {
            '0'..='9' => digits += 1,
            '.' => points += 1,
            _ => return f64::NAN,
        }
    }
    if digits == 0 || points > 1 {
        return f64::NAN;
    }
    let magnitude = body.parse::<f64>().unwrap_or(f64::NAN);
    if negative { -magnitude } else { magnitude }
}

/// XPath `string()` of a number: `3` not `3.0`, `NaN`, `Infinity`, `-Infinity`, no exponent.
///
/// Like libxml2, the number is first rounded to 15 significant digits, so
/// `0.1 + 0.2` gives `0.3` rather than `0.30000000000000004`.
pub(crate) fn format_number(n: f64) -> String {
    if n.is_nan() {
        return "NaN".to_owned();
    }
    if n.is_infinite() {
        return if n > 0.0 { "Infinity" } else { "-Infinity" }.to_owned();
    }
    if n == 0.0 {
        return "0".to_owned();
    }
    let rounded = format!("{n:.14e}").parse::<f64>().unwrap_or(n);
    format!("{rounded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_format_like_xpath_string() {
        assert_eq!(format_number(3.0), "3");
        assert_eq!(format_number(-0.0), "0");
        assert_eq!(format_number(0.5), "0.5");
        assert_eq!(format_number(0.1 + 0.2), "0.3");
        assert_eq!(format_number(1.0 / 3.0), "0.333333333333333");
        assert_eq!(format_number(f64::NAN), "NaN");
        assert_eq!(format_number(f64::INFINITY), "Infinity");
        assert_eq!(format_number(f64::NEG_INFINITY), "-Infinity");
        assert_eq!(format_number(1e21), "1000000000000000000000");
        assert_eq!(format_number(-12.25), "-12.25");
    }

    #[test]
    fn strings_convert_to_numbers_like_xpath() {
        assert_eq!(parse_number(" 12 "), 12.0);
        assert_eq!(parse_number("-1.5"), -1.5);
        assert_eq!(parse_number(".5"), 0.5);
        assert_eq!(parse_number("5."), 5.0);
        assert!(parse_number("").is_nan());
        assert!(parse_number("+1").is_nan());
        assert!(parse_number("1e3").is_nan());
        assert!(parse_number("1.2.3").is_nan());
        assert!(parse_number("-").is_nan());
        assert!(parse_number(".").is_nan());
    }
}
