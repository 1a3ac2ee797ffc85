//! The `error` of a Tryton JSON-RPC answer, read into what zynk does with it.
use serde_json::Value;

/// What an `error` member says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum ErrorShape {
    /// `["UserError", [message, description, domain]]`: about the records sent.
    User(String),
    /// `["UserWarning", [name, message, description]]`: asks to be confirmed.
    Warning(String),
    /// `["LoginException", …]`: the login is refused.
    Login,
    /// `["ConcurrencyException", [message]]`: someone changed the records meanwhile.
    Concurrency(String),
    /// Anything else: a programming error, with its text (`["'no.such'", ""]`).
    Other(String),
}

/// Reads an answer's `error`.
pub(super) fn error_shape(error: &Value) -> ErrorShape {
    let kind = error.get(0).and_then(Value::as_str).unwrap_or_default();
    let args = error.get(1);
    let text_at = |i: usize| {
        args.and_then(|a| a.get(i))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .trim()
            .to_string()
    };
    let joined = |a: String, b: String| if b.is_empty() { a } else { format!("{a} {b}") };
    match kind {
        "UserError" => ErrorShape::User(joined(text_at(0), text_at(1))),
        "UserWarning" => ErrorShape::Warning(joined(text_at(1), text_at(2))),
        "LoginException" => ErrorShape::Login,
        "ConcurrencyException" => ErrorShape::Concurrency(text_at(0)),
        "" => ErrorShape::Other(error.to_string()),
        other => ErrorShape::Other(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_shapes_tryton_8_2_answers() {
        assert_eq!(
            error_shape(&json!([
                "UserError",
                ["The code on party must be unique.", "", null]
            ])),
            ErrorShape::User("The code on party must be unique.".into())
        );
        assert_eq!(
            error_shape(&json!(["UserError", ["Bad.", "Fix it.", null]])),
            ErrorShape::User("Bad. Fix it.".into())
        );
        assert_eq!(
            error_shape(&json!([
                "UserWarning",
                [
                    "sale.check_move_quantity",
                    "Quantity is less than shipped.",
                    ""
                ]
            ])),
            ErrorShape::Warning("Quantity is less than shipped.".into())
        );
        assert_eq!(
            error_shape(&json!([
                "LoginException",
                ["password", "Password for admin", "password"]
            ])),
            ErrorShape::Login
        );
        assert_eq!(
            error_shape(&json!([
                "ConcurrencyException",
                ["Records were modified in the meanwhile"]
            ])),
            ErrorShape::Concurrency("Records were modified in the meanwhile".into())
        );
        assert_eq!(
            error_shape(&json!(["'no.such'", ""])),
            ErrorShape::Other("'no.such'".into())
        );
    }
}
