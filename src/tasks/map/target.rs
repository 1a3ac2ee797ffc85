//! Target paths of a `map` block (`"SalesOrderAddress/Town"`, `"Price/@currency"`, `"g:price"`).

use crate::check::{CheckError, Checker};
use crate::syntax::ast::{StrPart, StringLit};

/// An XML name, optionally with a prefix (`g:price`).
pub(super) fn is_name(name: &str) -> bool {
    let plain = |s: &str| {
        let mut chars = s.chars();
        chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
            && chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
    };
    match name.split_once(':') {
        Some((prefix, local)) => plain(prefix) && plain(local),
        None => plain(name),
    }
}

/// `"A/B/C"` as its segments, each a valid element name; for a field (`field`), the last
/// may be an attribute, `@name`.
pub(super) fn target_path(
    target: &StringLit,
    field: bool,
    cx: &mut Checker<'_>,
) -> Option<Vec<String>> {
    let text = match target.parts.as_slice() {
        [StrPart::Text(t)] => t.clone(),
        _ => {
            cx.error(CheckError::InvalidTarget {
                message: "a target path must be fixed text".into(),
                span: target.span.into(),
                label: "uses `${…}`".into(),
                help: "write the element path literally, e.g. \"SalesOrderAddress/Town\"".into(),
            });
            return None;
        }
    };
    let segments: Vec<String> = text.split('/').map(str::to_string).collect();
    let last = segments.len().saturating_sub(1);
    let bad = segments
        .iter()
        .enumerate()
        .find(|(index, s)| match s.strip_prefix('@') {
            Some(attribute) => {
                !(field && *index == last && is_name(attribute))
                    || attribute == "xmlns"
                    || attribute.starts_with("xmlns:")
            }
            None => !is_name(s),
        });
    if let Some((index, bad)) = bad {
        let help = if bad.starts_with('@') && index != last {
            "an attribute (`@name`) can only be the last name of a field's target, e.g. \"Price/@currency\""
        } else if bad.starts_with('@') && !field {
            "a `for each` target names elements; set the record's attributes with fields such as `\"@code\" = …`"
        } else {
            "a target is element names separated by `/`, e.g. \"SalesOrderAddress/Town\", ending in an attribute `@name` for a field"
        };
        cx.error(CheckError::InvalidTarget {
            message: format!("`{bad}` is not an element name"),
            span: target.span.into(),
            label: "invalid target".into(),
            help: help.into(),
        });
        return None;
    }
    Some(segments)
}
