//! The words a `map` field line takes after its value (`if not empty`, `if VALUE`,
//! `default VALUE`): a misspelt one is named with the word it most likely meant.

/// The shape of a field line, ending the help.
const FIELD_SHAPE: &str =
    "a field line is `\"Field/Path\" = VALUE [if not empty | if `XPATH`] [default VALUE]`";

/// Help for an unexpected word at `rest` on a field line whose text before it is `before`;
/// `None` when the line is no field line or the word is like none of its words.
#[must_use]
pub(crate) fn field_word_help(before: &str, rest: &str) -> Option<String> {
    let line = before.trim_start();
    if !line.starts_with('"') || !line.contains('=') {
        return None;
    }
    if let Some(condition) = condition_without_backticks(before, rest) {
        return Some(format!(
            "a field's condition is `if not empty` or an XPath between backticks: `if `{condition}``"
        ));
    }
    let word: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    if word.is_empty() {
        return None;
    }
    let after_if_not = before.trim_end().ends_with(" if not");
    let candidates: &[&str] = if after_if_not {
        &["empty"]
    } else {
        &["default", "if"]
    };
    let guess = crate::suggest::closest(&word, candidates.iter().copied())?;
    Some(format!("did you mean `{guess}`? {FIELD_SHAPE}"))
}

/// `"Notes1" = `note` if note != ''`: the condition as written from the word after `if`
/// to the end of the line, when that word is bare (not `not`, not an XPath).
fn condition_without_backticks(before: &str, rest: &str) -> Option<String> {
    let (_, after_if) = before.rsplit_once(" if ")?;
    let first = after_if.trim();
    let bare = !first.is_empty()
        && first != "not"
        && first
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '/' | '@' | '.'));
    if !bare {
        return None;
    }
    let line_end = rest.find(['\n', '\r']).unwrap_or(rest.len());
    Some(format!("{after_if}{}", rest[..line_end].trim_end()))
}

#[cfg(test)]
mod tests {
    use super::field_word_help;

    #[test]
    fn a_misspelt_default_is_named() {
        let help = field_word_help("    \"Currency\" = `currency` ", "defualt \"GBP\"");
        assert!(help.is_some_and(|h| h.starts_with("did you mean `default`?")));
    }

    #[test]
    fn a_misspelt_empty_after_if_not_is_named() {
        let help = field_word_help("    \"Sku\" = `sku` if not ", "emtpy");
        assert!(help.is_some_and(|h| h.starts_with("did you mean `empty`?")));
    }

    #[test]
    fn a_condition_without_backticks_is_shown_with_them() {
        let help = field_word_help("    \"Notes1\" = `note` if note ", "!= ''");
        assert!(help.is_some_and(|h| h.ends_with("`if `note != ''``")));
    }

    #[test]
    fn a_statement_line_gets_no_field_help() {
        assert_eq!(field_word_help("fetch \"a\" ", "defualt"), None);
    }
}
