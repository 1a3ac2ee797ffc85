//! Tryton's typed JSON values: `Decimal` and `date` as tagged objects, read back from answers.
use serde_json::{Value, json};

/// A decimal sent exactly (a float with binary noise is refused by Tryton).
#[must_use]
pub(super) fn decimal(amount: f64, places: usize) -> Value {
    let text = format!("{amount:.places$}");
    let text = if text.starts_with('-') && text.trim_start_matches(['-', '0', '.']).is_empty() {
        text.trim_start_matches('-').to_string()
    } else {
        text
    };
    json!({ "__class__": "Decimal", "decimal": text })
}

/// A date.
#[must_use]
pub(super) fn date(d: jiff::civil::Date) -> Value {
    json!({ "__class__": "date", "year": d.year(), "month": d.month(), "day": d.day() })
}

/// A number from an answer: a tagged `Decimal`, or a plain JSON number.
#[must_use]
pub(super) fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::Object(o) => o.get("decimal")?.as_str()?.parse().ok(),
        _ => None,
    }
}

/// A text field from an answer (`null` is none).
#[must_use]
pub(super) fn text(v: &Value, field: &str) -> Option<String> {
    v.get(field).and_then(Value::as_str).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_exact_text() {
        assert_eq!(decimal(0.1 + 0.2, 2)["decimal"], "0.30");
        assert_eq!(decimal(-0.0001, 2)["decimal"], "0.00");
        assert_eq!(decimal(166.6667, 4)["decimal"], "166.6667");
        assert_eq!(number(&decimal(12.5, 2)), Some(12.5));
    }
}
