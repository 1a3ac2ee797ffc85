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
/// Between 1e-5 and 1e9 the digits follow libxml2, so results agree with it: 15 digits
/// after the point below 1, 15 significant digits from 10 on, 16 between 1 and 10, and
/// trailing zeros dropped (`0.1 + 0.2` gives `0.3`, `10 div 3` gives `3.333333333333333`).
/// Outside that range, where libxml2 switches to an exponent, zynk writes plain digits as
/// XPath requires, rounded to 15 significant digits.
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
    let magnitude = n.abs();
    if (1e-5..=1e9).contains(&magnitude) {
        // Truncation towards zero is the point: it is the integer part of log10.
        #[allow(clippy::cast_possible_truncation)]
        let integer_place = magnitude.log10() as i32;
        let decimals = if integer_place > 0 {
            14 - integer_place
        } else {
            15 - integer_place
        };
        let fixed = format!("{n:.*}", usize::try_from(decimals).unwrap_or(0));
        return trim_fraction(&fixed).to_owned();
    }
    let rounded = format!("{n:.14e}").parse::<f64>().unwrap_or(n);
    format!("{rounded}")
}

/// Drops trailing zeros after a decimal point, and the point itself if nothing is left.
fn trim_fraction(fixed: &str) -> &str {
    if fixed.contains('.') {
        fixed.trim_end_matches('0').trim_end_matches('.')
    } else {
        fixed
    }
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
        assert_eq!(format_number(10.0 / 3.0), "3.333333333333333");
        assert_eq!(format_number(100.0 / 3.0), "33.3333333333333");
        assert_eq!(format_number(0.02 / 3.0), "0.00666666666666667");
        assert_eq!(format_number(1e-5), "0.00001");
        assert_eq!(format_number(1e9), "1000000000");
        assert_eq!(format_number(2_147_483_648.0), "2147483648");
        assert_eq!(format_number(12_345_678_901.5), "12345678901.5");
        assert_eq!(format_number(0.000_001_234_5), "0.0000012345");
        assert_eq!(format_number(9.999_999_999_999_999_9), "10");
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
