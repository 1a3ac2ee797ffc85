//! Habits from other languages: what a mistake at a spot most likely meant, as a `help`
//! line. One table for the parser (`&&`, `=` in a condition, `-` in a name, `elif`, …) and
//! the checker (`elif` as a statement, `<>`), so each habit is explained the same way
//! wherever it is met.

/// Help for a mistake that starts at `rest` on a line whose text before it is `before`.
#[must_use]
pub(crate) fn habit_help(before: &str, rest: &str) -> Option<String> {
    let line = before.trim_start();
    let in_condition = starts_with_word(line, "if") || line.starts_with("} else if");
    let word_before = before
        .trim_end()
        .rsplit(|c: char| !(c.is_alphanumeric() || c == '_'))
        .next()
        .unwrap_or_default();
    if rest.starts_with("&&") {
        return Some("conditions are joined with `and`: write `and` instead of `&&`".into());
    }
    if rest.starts_with("||") {
        return Some("conditions are joined with `or`: write `or` instead of `||`".into());
    }
    if rest.starts_with('!') && !rest.starts_with("!=") {
        return Some(
            "a condition is negated with `not`: write `not exists \"a.xml\"`, not `!`".into(),
        );
    }
    if rest.starts_with('&') || (rest.starts_with('|') && in_condition) {
        return Some("conditions are joined with `and` and `or`".into());
    }
    if rest.starts_with('=') && !rest.starts_with("==") && in_condition {
        return Some(
            "a condition compares with `==`: write `if mode == \"full\"`; a single `=` only gives a `param` or `let` its value".into(),
        );
    }
    if rest.starts_with('=') && !rest.starts_with("==") && !word_before.is_empty() {
        let value: String = rest[1..]
            .trim_start()
            .chars()
            .take_while(|c| !c.is_whitespace())
            .collect();
        return Some(format!(
            "an option takes its value without `=`: write `{word_before} {value}`"
        ));
    }
    if rest.starts_with(':') && in_condition {
        return Some("an `if` line ends with `{`, not `:`: `if CONDITION {`".into());
    }
    if rest.starts_with(':') && before.trim_end().ends_with('"') {
        return Some("a field gets its value with `=`, not `:`: `\"Field\" = VALUE`".into());
    }
    if rest.starts_with('@') || (rest.starts_with('/') && before.trim_end().ends_with('=')) {
        let xpath: String = rest.chars().take_while(|c| !c.is_whitespace()).collect();
        return Some(format!("an XPath goes between backticks: `{xpath}`"));
    }
    if rest.starts_with('/')
        && !word_before.is_empty()
        && before.ends_with(word_before)
        && starts_with_word(line, "for")
        && !before[..before.len() - word_before.len()]
            .trim_end()
            .ends_with(" as")
    {
        let xpath: String = rest.chars().take_while(|c| !c.is_whitespace()).collect();
        return Some(format!(
            "an XPath goes between backticks: `{word_before}{xpath}`"
        ));
    }
    if rest.starts_with('/') && !word_before.is_empty() && before.ends_with(word_before) {
        let path: String = rest
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '{')
            .collect();
        return Some(format!(
            "a path is a string in double quotes: write \"{word_before}{path}\""
        ));
    }
    if let Some(xpath) = xpath_call_without_backticks(before, rest) {
        return Some(format!("an XPath goes between backticks: `{xpath}`"));
    }
    if let Some(name) = rest.strip_prefix('$')
        && starts_with_word(line, "let")
        && line.trim_end() == "let"
    {
        let name: String = name
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        return Some(format!(
            "a `let` name is written without `$`: `let {name} = …`; an XPath reads it as `${name}`"
        ));
    }
    if rest.starts_with("<>") {
        return Some("`!=` means not equal: write `a != b`".into());
    }
    if rest.starts_with(';') {
        return Some("a statement ends at the end of its line: remove the `;`".into());
    }
    if let Some(quoted) = rest.strip_prefix('\'') {
        let line_end = quoted.find(['\n', '\r']).unwrap_or(quoted.len());
        return Some(match quoted[..line_end].split_once('\'') {
            Some((text, _)) if !text.contains('"') => {
                format!("strings use double quotes: write \"{text}\"")
            }
            _ => "strings use double quotes: \"like this\"".into(),
        });
    }
    if (rest.starts_with('(') || before.trim_end().ends_with('(')) && in_condition {
        return Some(
            "conditions have no parentheses: `not` binds tightest, then `and`, then `or`".into(),
        );
    }
    if rest.starts_with('-')
        && !word_before.is_empty()
        && before.ends_with(word_before)
        && rest[1..].starts_with(|c: char| c.is_ascii_alphabetic())
    {
        let tail: String = rest[1..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
            .collect();
        let name = format!("{word_before}_{}", tail.replace('-', "_"));
        return Some(format!(
            "names are written with `_`, not `-`: write `{name}`"
        ));
    }
    let word: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    word_help(&word)
}

/// `"Total" = sum(price)` or `let net = sum(price)`: an XPath function called without
/// backticks (the parser stops inside its parentheses). The call as written, to the end of
/// the line; `None` for `env(…)`, the one function of the language.
fn xpath_call_without_backticks(before: &str, rest: &str) -> Option<String> {
    let (_, value) = before.rsplit_once('=')?;
    let value = value.trim_start();
    let name = value.split('(').next().unwrap_or_default();
    let is_call = value.ends_with('(')
        && !name.is_empty()
        && name != "env"
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_');
    if !is_call {
        return None;
    }
    let line_end = rest.find(['\n', '\r', '#']).unwrap_or(rest.len());
    Some(format!("{value}{}", rest[..line_end].trim_end()))
}

/// The phrases of the language itself, whose words are separated by spaces.
const PHRASES: &[&str] = &[
    "for each",
    "else if",
    "if not empty",
    "sorted by",
    "size of",
    "or continue",
    "modified since last run",
];

/// Help for a name written with hyphens whose words, separated by spaces, are a phrase of
/// the language or, as `is_phrase` tells, a statement or an option (`published-only`).
#[must_use]
pub(crate) fn hyphenated_phrase(
    before: &str,
    rest: &str,
    is_phrase: &dyn Fn(&str) -> bool,
) -> Option<String> {
    let tail = rest.strip_prefix('-')?;
    let first = before
        .rsplit(|c: char| !(c.is_alphanumeric() || c == '_'))
        .next()
        .filter(|w| !w.is_empty())?;
    let tail: String = tail
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
        .collect();
    let words = format!("{first} {}", tail.replace('-', " "));
    (PHRASES.contains(&words.as_str()) || is_phrase(&words))
        .then(|| format!("the words of `{words}` are separated by spaces: write `{words}`"))
}

/// Help for a word another language uses where zynk has another.
#[must_use]
pub(crate) fn word_help(word: &str) -> Option<String> {
    Some(match word {
        "elif" | "elsif" | "elseif" | "elseIf" | "ElseIf" => {
            format!("zynk writes `else if`: `}} else if CONDITION {{`, not `{word}`")
        }
        "then" => "an `if` line ends with `{`, not `then`: `if CONDITION {`".into(),
        "True" | "TRUE" => "write `true` in lower case".into(),
        "False" | "FALSE" => "write `false` in lower case".into(),
        "AND" | "And" => "conditions are joined with `and`, in lower case".into(),
        "OR" | "Or" => "conditions are joined with `or`, in lower case".into(),
        "NOT" | "Not" => "a condition is negated with `not`, in lower case".into(),
        "null" | "nil" | "None" | "undefined" => {
            "there is no empty value: compare with \"\" or use `exists`".into()
        }
        _ => return None,
    })
}

fn starts_with_word(line: &str, word: &str) -> bool {
    line.strip_prefix(word)
        .is_some_and(|rest| rest.starts_with([' ', '\t']))
}
