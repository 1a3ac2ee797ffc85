//! XPath text as the translator handles it: literals, `$name` substitution, top-level `|` and
//! predicates, and the Muenchian-grouping and `document()` patterns.

/// An XPath string literal for `text` (`concat()` when it holds both quote characters).
#[must_use]
pub(crate) fn literal(text: &str) -> String {
    if !text.contains('\'') {
        format!("'{text}'")
    } else if !text.contains('"') {
        format!("\"{text}\"")
    } else {
        let mut args = Vec::new();
        for (i, part) in text.split('\'').enumerate() {
            if i > 0 {
                args.push("\"'\"".to_string());
            }
            if !part.is_empty() {
                args.push(format!("'{part}'"));
            }
        }
        if args.len() == 1 {
            args.push("''".to_string());
        }
        format!("concat({})", args.join(", "))
    }
}

/// The text with each `$name` in `subst` replaced by its XPath (string literals untouched).
#[must_use]
pub(crate) fn substitute(text: &str, subst: &[(String, String)]) -> String {
    if subst.is_empty() || !text.contains('$') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.char_indices().peekable();
    let mut quote: Option<char> = None;
    while let Some((i, c)) = chars.next() {
        if let Some(q) = quote {
            out.push(c);
            if c == q {
                quote = None;
            }
            continue;
        }
        if c == '\'' || c == '"' {
            quote = Some(c);
            out.push(c);
            continue;
        }
        if c == '$' {
            let rest = &text[i + 1..];
            let len = rest
                .find(|ch: char| !(ch.is_alphanumeric() || matches!(ch, '_' | '-' | '.' | ':')))
                .unwrap_or(rest.len());
            let name = &rest[..len];
            if let Some((_, with)) = subst.iter().rev().find(|(n, _)| n == name) {
                out.push_str(with);
                for _ in 0..name.chars().count() {
                    chars.next();
                }
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// Positions of characters outside string literals at bracket depth 0, for which `pick` is true.
fn top_level(text: &str, pick: impl Fn(char) -> bool) -> Vec<usize> {
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let mut found = Vec::new();
    for (i, c) in text.char_indices() {
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '\'' | '"' => quote = Some(c),
            '(' | '[' => depth += 1,
            ')' | ']' => {
                if depth == 0 && pick(c) {
                    found.push(i);
                }
                depth -= 1;
            }
            _ if depth == 0 && pick(c) => found.push(i),
            _ => {}
        }
    }
    found
}

/// The alternatives of a top-level union (`a | b`), trimmed.
#[must_use]
pub(crate) fn union_parts(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    for at in top_level(text, |c| c == '|') {
        parts.push(text[start..at].trim());
        start = at + 1;
    }
    parts.push(text[start..].trim());
    parts
}

/// Splits `path[predicate]` at its last top-level predicate: `(path, predicate)`.
#[must_use]
pub(crate) fn last_predicate(text: &str) -> Option<(&str, &str)> {
    let text = text.trim();
    if !text.ends_with(']') {
        return None;
    }
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let mut open = None;
    for (i, c) in text.char_indices() {
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '\'' | '"' => quote = Some(c),
            '[' | '(' => {
                if depth == 0 && c == '[' {
                    open = Some(i);
                }
                depth += 1;
            }
            ']' | ')' => depth -= 1,
            _ => {}
        }
    }
    let open = open?;
    Some((&text[..open], &text[open + 1..text.len() - 1]))
}

/// Whether `test` reads nothing but `key`: with each `key` (or `./key`) taken out, only
/// literals, operators and function calls are left (`KEY != ''`, `string-length(KEY) > 0`).
#[must_use]
pub(crate) fn reads_only(test: &str, key: &str) -> bool {
    let key = squeeze(key);
    let key = key.strip_prefix("./").unwrap_or(&key);
    if key.is_empty() {
        return false;
    }
    let is_name_char = |c: char| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':');
    // Take the key out where it stands as a whole path.
    let mut rest = String::new();
    let mut text = test.trim();
    while let Some(at) = text.find(key) {
        let (before, after) = (&text[..at], &text[at + key.len()..]);
        let before = before.strip_suffix("./").unwrap_or(before);
        let joined_before = before
            .chars()
            .next_back()
            .is_some_and(|c| is_name_char(c) || matches!(c, '/' | '@' | '$'));
        let joined_after = after
            .chars()
            .next()
            .is_some_and(|c| is_name_char(c) || matches!(c, '/' | '['));
        if joined_before || joined_after {
            return false;
        }
        rest.push_str(before);
        rest.push(' ');
        text = after;
    }
    rest.push_str(text);
    let chars: Vec<char> = rest.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' || c == '"' {
            match chars[i + 1..].iter().position(|d| *d == c) {
                Some(end) => i += end + 2,
                None => return false,
            }
            continue;
        }
        if c.is_ascii_digit() {
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            continue;
        }
        if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && is_name_char(chars[i]) {
                i += 1;
            }
            let name: String = chars[start..i].iter().collect();
            let call = chars[i..].iter().find(|c| !c.is_whitespace()) == Some(&'(');
            if !(call || matches!(name.as_str(), "and" | "or" | "div" | "mod")) {
                return false;
            }
            continue;
        }
        if !(c.is_whitespace() || "=!<>+-(),".contains(c)) {
            return false;
        }
        i += 1;
    }
    true
}

/// Whether `text` is one relative location path (`a/b[c = 'x (y)']/@d`): no operator, union
/// or function call outside its predicates and string literals.
#[must_use]
pub(crate) fn is_relative_path(text: &str) -> bool {
    let text = text.trim();
    let first_name_end = text
        .find(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':')))
        .unwrap_or(text.len());
    text.starts_with(|c: char| c.is_alphabetic() || matches!(c, '@' | '_'))
        && !text[first_name_end..].trim_start().starts_with('(')
        && !text.contains("::")
        && top_level(text, |c| {
            c.is_whitespace() || matches!(c, '|' | '=' | '!' | '<' | '>' | '+' | ',' | '(')
        })
        .is_empty()
}

/// A match pattern of child steps (`ss:Row/ss:Cell[@i = 1]/ss:Data`) as a test on the node
/// itself: `self::ss:Data[parent::ss:Cell[@i = 1][parent::ss:Row]]`. `None` for other
/// patterns (`//`, unions, attributes, absolute ones).
#[must_use]
pub(crate) fn pattern_test(pattern: &str) -> Option<String> {
    let pattern = pattern.trim();
    if pattern.starts_with('/') || pattern.contains("//") || union_parts(pattern).len() > 1 {
        return None;
    }
    let mut steps = Vec::new();
    let mut start = 0;
    for at in top_level(pattern, |c| c == '/') {
        steps.push(pattern[start..at].trim());
        start = at + 1;
    }
    steps.push(pattern[start..].trim());
    if steps
        .iter()
        .any(|s| s.is_empty() || s.starts_with('@') || s.contains("::") || s.starts_with('.'))
    {
        return None;
    }
    let (last, above) = steps.split_last()?;
    let mut parents = String::new();
    for step in above {
        parents = format!("[parent::{step}{parents}]");
    }
    Some(format!("self::{last}{parents}"))
}

/// Whether a select path ends with the steps of `pattern` (`/orders/order` and `order`):
/// every node it selects matches the pattern.
#[must_use]
pub(crate) fn ends_with_pattern(path: &str, pattern: &str) -> bool {
    let path = squeeze(path);
    let pattern = squeeze(pattern);
    let pattern = pattern.trim_start_matches('/');
    path == pattern || path.ends_with(&format!("/{pattern}"))
}

/// The text with white space outside string literals removed.
fn squeeze(text: &str) -> String {
    let mut out = String::new();
    let mut quote: Option<char> = None;
    for c in text.chars() {
        if let Some(q) = quote {
            out.push(c);
            if c == q {
                quote = None;
            }
        } else if c == '\'' || c == '"' {
            quote = Some(c);
            out.push(c);
        } else if !c.is_whitespace() {
            out.push(c);
        }
    }
    out
}

/// A Muenchian grouping select, `PATH[generate-id() = generate-id(key('K', E)[1])]` or
/// `PATH[count(. | key('K', E)[1]) = 1]`: `(PATH, K, E)`.
#[must_use]
pub(crate) fn muenchian(select: &str) -> Option<(String, String, String)> {
    let (path, predicate) = last_predicate(select)?;
    let p = squeeze(predicate);
    let inner = p
        .strip_prefix("generate-id()=generate-id(key(")
        .or_else(|| p.strip_prefix("generate-id(.)=generate-id(key("))
        .and_then(|r| r.strip_suffix(")[1])"))
        .or_else(|| {
            p.strip_prefix("count(.|key(")
                .and_then(|r| r.strip_suffix(")[1])=1"))
        })?;
    let comma = top_level(inner, |c| c == ',').first().copied()?;
    let name = inner[..comma].trim_matches(['\'', '"']).to_string();
    let key_expr = inner[comma + 1..].to_string();
    Some((path.trim().to_string(), name, key_expr))
}

/// Muenchian grouping on a descendant whose ancestors are the records,
/// `PATH/A/B[generate-id() = generate-id(key('K', .)[1])]/../..` (one `/..` a step):
/// `(PATH, K, A/B)`, the first record of each distinct `A/B`.
#[must_use]
pub(crate) fn muenchian_parent(select: &str) -> Option<(String, String, String)> {
    let mut grouped = select.trim();
    let mut up = 0;
    while let Some(rest) = grouped.strip_suffix("/..") {
        grouped = rest;
        up += 1;
    }
    if up == 0 {
        return None;
    }
    let (path, name, key_expr) = muenchian(grouped)?;
    if key_expr.trim() != "." {
        return None;
    }
    let steps: Vec<&str> = path.split('/').collect();
    if steps.len() <= up {
        return None;
    }
    let (records, key) = steps.split_at(steps.len() - up);
    let simple = |step: &&str| {
        !step.is_empty()
            && step
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':'))
    };
    let records = records.join("/");
    (key.iter().all(simple) && !records.trim_start_matches('/').is_empty())
        .then(|| (records, name, key.join("/")))
}

/// Byte offsets of calls of `name()` outside predicates and string literals.
#[must_use]
pub(crate) fn calls_outside_predicates(text: &str, name: &str) -> Vec<usize> {
    let mut found = Vec::new();
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    for (i, c) in text.char_indices() {
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '\'' | '"' => quote = Some(c),
            '[' => depth += 1,
            ']' => depth -= 1,
            _ if depth == 0
                && text[i..].starts_with(name)
                && text[i + name.len()..].trim_start().starts_with('(')
                && text[..i].chars().next_back().is_none_or(|b| {
                    !(b.is_alphanumeric() || matches!(b, '_' | '-' | ':' | '$'))
                }) =>
            {
                found.push(i);
            }
            _ => {}
        }
    }
    found
}

/// Whether the text is a relative location path of plain steps (`customer/email`, `@id`).
#[must_use]
pub(crate) fn is_simple_path(text: &str) -> bool {
    let text = text.trim();
    !text.is_empty()
        && !text.starts_with('/')
        && text
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':' | '/' | '@'))
}

/// Replaces `key('NAME', E)` (E a plain relative path) with the nodes it selects, written
/// as a predicate over the key's `match` pattern; `None` when some `key()` call is not of
/// that form.
#[must_use]
pub(crate) fn expand_keys(
    text: &str,
    key: &dyn Fn(&str) -> Option<(String, String)>,
) -> Option<String> {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = find_call(rest, "key") {
        out.push_str(&rest[..at]);
        let args_start = at + rest[at..].find('(')? + 1;
        let close = args_start
            + top_level(&rest[args_start..], |c| c == ')')
                .first()
                .copied()?;
        let args = &rest[args_start..close];
        let comma = top_level(args, |c| c == ',').first().copied()?;
        let name = args[..comma].trim().trim_matches(['\'', '"']);
        let value = args[comma + 1..].trim();
        let (matches, uses) = key(name)?;
        if !is_simple_path(value) || !is_simple_path(&uses) || matches.contains('|') {
            return None;
        }
        let matches = matches.trim_start_matches('/');
        let _ = std::fmt::Write::write_fmt(
            &mut out,
            format_args!("(//{matches}[{uses} = current()/{value}])"),
        );
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    Some(out)
}

/// The byte offset of a call of `name(` outside literals, not part of a longer name.
#[must_use]
pub(crate) fn find_call(text: &str, name: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    let bytes = text.as_bytes();
    for (i, c) in text.char_indices() {
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            continue;
        }
        if c == '\'' || c == '"' {
            quote = Some(c);
            continue;
        }
        if text[i..].starts_with(name) {
            let before = i.checked_sub(1).map(|b| bytes[b] as char);
            let boundary = before
                .is_none_or(|b| !(b.is_alphanumeric() || matches!(b, '_' | '-' | '.' | ':' | '$')));
            let after = text[i + name.len()..].trim_start();
            if boundary && after.starts_with('(') {
                return Some(i);
            }
        }
    }
    None
}

/// Unwraps `msxsl:node-set($v)` and `exsl:node-set($v)` to `$v`; `None` when another
/// argument is given.
#[must_use]
pub(crate) fn unwrap_node_set(text: &str) -> Option<String> {
    let mut out = text.to_string();
    while let Some(colon) = out.find(":node-set(") {
        let prefix_start = out[..colon]
            .rfind(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .map_or(0, |p| p + 1);
        let open = colon + ":node-set(".len();
        let close = open + top_level(&out[open..], |c| c == ')').first().copied()?;
        let arg = out[open..close].trim().to_string();
        if !arg.starts_with('$') || arg.contains(['/', '[', '(']) {
            return None;
        }
        out.replace_range(prefix_start..=close, &arg);
    }
    Some(out)
}

/// `document('FILE')` (or `document($param)`, giving `${param}`) followed by an optional
/// path: `(FILE, PATH)`.
#[must_use]
pub(crate) fn document_call(text: &str) -> Option<(String, String)> {
    let text = text.trim();
    let rest = text.strip_prefix("document(")?;
    let close = top_level(rest, |c| c == ')').first().copied()?;
    let arg = rest[..close].trim();
    let file = match arg.strip_prefix('$') {
        Some(param) if is_simple_path(param) && !param.contains('/') => {
            format!("${{{}}}", param.replace(['-', '.'], "_"))
        }
        _ => arg
            .strip_prefix('\'')
            .and_then(|a| a.strip_suffix('\''))
            .or_else(|| arg.strip_prefix('"').and_then(|a| a.strip_suffix('"')))?
            .to_string(),
    };
    Some((file, rest[close + 1..].trim().to_string()))
}

/// The name of the last step of a location path (`orders/order[1]` → `order`).
#[must_use]
pub(crate) fn last_step_name(path: &str) -> Option<String> {
    let path = path.trim();
    let path = match last_predicate(path) {
        Some((p, _)) => p,
        None => path,
    };
    let last = path.rsplit('/').next()?.trim();
    let last = last.strip_prefix("child::").unwrap_or(last);
    if last.is_empty() || last.contains(['(', '[', '@', '$']) {
        return None;
    }
    Some(last.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouping_by_a_child_keeps_its_parents() {
        assert_eq!(
            muenchian_parent(
                "orders/order/Customer_ID[generate-id() = generate-id(key('CustId',.)[1])]/.."
            ),
            Some(("orders/order".into(), "CustId".into(), "Customer_ID".into()))
        );
        assert_eq!(muenchian_parent("orders/order/Customer_ID/.."), None);
        assert_eq!(
            muenchian_parent(
                "/Shop/Order/Other/CustomerID[generate-id() = generate-id(key('C',.)[1])]/../.."
            ),
            Some(("/Shop/Order".into(), "C".into(), "Other/CustomerID".into()))
        );
    }

    #[test]
    fn literals_quote_what_they_can() {
        assert_eq!(literal("a"), "'a'");
        assert_eq!(literal("it's"), "\"it's\"");
        assert_eq!(literal("a'b\"c"), "concat('a', \"'\", 'b\"c')");
    }

    #[test]
    fn variables_are_substituted_outside_literals() {
        let subst = vec![("v".to_string(), "(x/y)".to_string())];
        assert_eq!(substitute("$v + '$v' + $vv", &subst), "(x/y) + '$v' + $vv");
    }

    #[test]
    fn muenchian_selects_are_recognised() {
        assert_eq!(
            muenchian("/orders/order[generate-id() = generate-id(key('c', customer/id)[1])]"),
            Some(("/orders/order".into(), "c".into(), "customer/id".into()))
        );
        assert_eq!(
            muenchian("row[count(. | key('k', @sku)[1]) = 1]"),
            Some(("row".into(), "k".into(), "@sku".into()))
        );
        assert_eq!(muenchian("row[@a = 1]"), None);
    }

    #[test]
    fn keys_expand_to_predicates() {
        let key = |_: &str| Some(("order".to_string(), "email".to_string()));
        assert_eq!(
            expand_keys("sum(key('k', email)/total)", &key).as_deref(),
            Some("sum((//order[email = current()/email])/total)")
        );
    }

    #[test]
    fn position_calls_are_found_outside_predicates() {
        assert_eq!(
            calls_outside_predicates("concat(position(), x[position() = 1])", "position"),
            vec![7]
        );
        assert!(calls_outside_predicates("'position()'", "position").is_empty());
    }

    #[test]
    fn node_set_calls_unwrap() {
        assert_eq!(
            unwrap_node_set("count(exsl:node-set($v)/x)").as_deref(),
            Some("count($v/x)")
        );
        assert_eq!(unwrap_node_set("msxsl:node-set(a/b)"), None);
    }

    #[test]
    fn documents_and_steps() {
        assert_eq!(
            document_call("document('codes.xml')/codes"),
            Some(("codes.xml".into(), "/codes".into()))
        );
        assert_eq!(
            last_step_name("/orders/order[@a=1]").as_deref(),
            Some("order")
        );
        assert_eq!(union_parts("a | b[x|y]"), vec!["a", "b[x|y]"]);
    }

    #[test]
    fn tests_that_read_only_a_key() {
        assert!(reads_only("./Other/CustomerID != ''", "Other/CustomerID"));
        assert!(reads_only("string-length(CustomerID) > 0", "CustomerID"));
        assert!(reads_only(". != ''", "."));
        assert!(!reads_only(
            "Other/CustomerID != '' and Total > 0",
            "Other/CustomerID"
        ));
        assert!(!reads_only("CustomerIDs != ''", "CustomerID"));
        assert!(!reads_only("$v = CustomerID", "CustomerID"));
    }

    #[test]
    fn key_patterns_as_tests() {
        assert_eq!(
            pattern_test("ss:Row/ss:Cell[@i = 1]/ss:Data").as_deref(),
            Some("self::ss:Data[parent::ss:Cell[@i = 1][parent::ss:Row]]")
        );
        assert_eq!(pattern_test("order").as_deref(), Some("self::order"));
        assert_eq!(pattern_test("/a/b"), None);
        assert_eq!(pattern_test("a//b"), None);
        assert_eq!(pattern_test("a | b"), None);
        assert_eq!(pattern_test("a/@b"), None);
        assert!(ends_with_pattern("/orders/order", "order"));
        assert!(ends_with_pattern("Company/Row", "Company/Row"));
        assert!(!ends_with_pattern("rows/row/cell", "row/cell[1]"));
        assert!(!ends_with_pattern("a/border", "order"));
    }

    #[test]
    fn relative_paths() {
        assert!(is_relative_path(
            "ss:Workbook/ss:Row[ss:Data = 'Email (1)']/@ss:Index"
        ));
        assert!(is_relative_path("orders/order[position() = 1]"));
        assert!(!is_relative_path("concat(a, b)"));
        assert!(!is_relative_path("a + b"));
        assert!(!is_relative_path("a | b"));
        assert!(!is_relative_path("/a/b"));
        assert!(!is_relative_path("'text'"));
        assert!(!is_relative_path("a and b"));
    }
}
