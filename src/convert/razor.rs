//! Razor in setting values: `@Context.Current["Name"]` and friends become `${file.name}`-style
//! fields and params; anything else is reported as having no zynk equivalent.
use super::writer::Piece;

/// What the loop around a task gives its values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Current {
    /// No repeater: `Context.Current` means nothing.
    None,
    /// A file repeater: the loop variable's name.
    File(String),
    /// An XML repeater: the record variable's name.
    Record(String),
}

/// The names Razor may refer to.
pub(crate) struct Scope<'a> {
    pub current: &'a Current,
    /// The script name of a workflow variable, if the workflow declares it.
    pub variable: &'a dyn Fn(&str) -> Option<String>,
}

/// Zynk's `Context.Current` keys of a file and the zynk field each one is.
pub(crate) const FILE_KEYS: &[(&str, &str)] = &[
    ("FullName", ""),
    ("Name", "name"),
    ("NameWithoutExtension", "stem"),
    ("Extension", "ext"),
    ("DirectoryName", "dir"),
    ("Directory", "dir"),
    ("Length", "size"),
    ("LastWriteTime", "modified"),
];

/// Translates a value through Razor; the error names the expression zynk cannot write.
pub(crate) fn translate(text: &str, scope: &Scope<'_>) -> Result<Vec<Piece>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c != '@' {
            literal.push(c);
            i += 1;
            continue;
        }
        let next = chars.get(i + 1).copied();
        let after_word = i > 0 && chars[i - 1].is_alphanumeric();
        let (expr, end) = match next {
            Some('@') => {
                literal.push('@');
                i += 2;
                continue;
            }
            _ if after_word => {
                literal.push('@');
                i += 1;
                continue;
            }
            Some('(') => {
                let close = matching(&chars, i + 1)
                    .ok_or_else(|| format!("`{}` is not closed", text_from(&chars, i)))?;
                (chars[i + 2..close].iter().collect::<String>(), close + 1)
            }
            Some('{') => {
                return Err(format!(
                    "the Razor code block `{}`",
                    abbreviate(&text_from(&chars, i))
                ));
            }
            Some(n) if n.is_alphabetic() || n == '_' => {
                let end = implicit_end(&chars, i + 1);
                (chars[i + 1..end].iter().collect::<String>(), end)
            }
            _ => {
                literal.push('@');
                i += 1;
                continue;
            }
        };
        let piece = expression(expr.trim(), scope)?;
        if !literal.is_empty() {
            pieces.push(Piece::Text(std::mem::take(&mut literal)));
        }
        pieces.push(piece);
        i = end;
    }
    if !literal.is_empty() {
        pieces.push(Piece::Text(literal));
    }
    Ok(pieces)
}

/// Whether a value looks like Razor even when its `UseRazorEngine` flag is off (Zynk's
/// own seed workflow deletes `@(Context.Current["FullName"])` with the flag off).
#[must_use]
pub(crate) fn looks_like_razor(text: &str) -> bool {
    ["@(", "@Context", "@{", "@Model", "@DateTime"]
        .iter()
        .any(|p| text.contains(p))
}

fn expression(expr: &str, scope: &Scope<'_>) -> Result<Piece, String> {
    let unsupported = || format!("the Razor expression `@{expr}`");
    if let Some(key) = indexed(expr, "Context.Current") {
        return match scope.current {
            Current::File(var) => file_field(var, &key).ok_or_else(|| {
                format!("`Context.Current[\"{key}\"]`, which a file loop does not have")
            }),
            Current::Record(var) => record_field(var, &key),
            Current::None => Err(format!(
                "`Context.Current[\"{key}\"]` outside a loop zynk can write"
            )),
        };
    }
    if let Some(key) = indexed(expr, "Context.Workflow") {
        return (scope.variable)(&key).map(Piece::Var).ok_or_else(|| {
            format!("`Context.Workflow[\"{key}\"]`, a variable the workflow does not declare")
        });
    }
    if let Current::Record(var) = scope.current
        && let Some(rest) = expr.strip_prefix("Context.Object.")
    {
        if matches!(rest, "OuterXml") {
            return Ok(Piece::Var(var.clone()));
        }
        if let Some(path) = rest
            .strip_prefix("SelectSingleNode(\"")
            .and_then(|r| r.strip_suffix("\").InnerText"))
        {
            return record_field(var, path);
        }
    }
    if let Some(member) = expr.strip_prefix("Context.Object.")
        && let Current::File(var) = scope.current
        && let Some(piece) = file_field(var, member)
    {
        return Ok(piece);
    }
    Err(unsupported())
}

/// A field of the current record, read by an XPath relative to it.
fn record_field(var: &str, path: &str) -> Result<Piece, String> {
    let ok = !path.is_empty()
        && path
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '/' | '@'));
    if !ok {
        return Err(format!(
            "the record field `{path}`, which is not a path of element names"
        ));
    }
    Ok(Piece::Field {
        var: var.to_string(),
        xpath: path.to_string(),
    })
}

fn file_field(var: &str, key: &str) -> Option<Piece> {
    let field = FILE_KEYS
        .iter()
        .find(|(k, _)| *k == key)
        .or_else(|| FILE_KEYS.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)))?
        .1;
    Some(Piece::Var(if field.is_empty() {
        var.to_string()
    } else {
        format!("{var}.{field}")
    }))
}

/// `Context.Current["Key"]` → `Key`.
fn indexed(expr: &str, head: &str) -> Option<String> {
    let rest = expr.strip_prefix(head)?.trim_start();
    let inner = rest.strip_prefix('[')?.strip_suffix(']')?.trim();
    let key = inner.strip_prefix('"').and_then(|k| k.strip_suffix('"'))?;
    (!key.contains('"')).then(|| key.to_string())
}

/// The index of the bracket closing the one at `open`, skipping string literals.
fn matching(chars: &[char], open: usize) -> Option<usize> {
    let (start, end) = match chars.get(open)? {
        '(' => ('(', ')'),
        '[' => ('[', ']'),
        _ => return None,
    };
    let mut depth = 0;
    let mut in_string = false;
    for (i, &c) in chars.iter().enumerate().skip(open) {
        match c {
            '"' => in_string = !in_string,
            _ if in_string => {}
            c if c == start => depth += 1,
            c if c == end => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// Where an implicit expression (`@Context.Current["Id"]`) ends: identifiers joined by
/// `.`, each followed by any `[…]` or `(…)`.
fn implicit_end(chars: &[char], start: usize) -> usize {
    let mut i = start;
    loop {
        while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
            i += 1;
        }
        while let Some(close) = chars
            .get(i)
            .filter(|c| matches!(c, '[' | '('))
            .and_then(|_| matching(chars, i))
        {
            i = close + 1;
        }
        match (chars.get(i), chars.get(i + 1)) {
            (Some('.'), Some(n)) if n.is_alphabetic() || *n == '_' => i += 1,
            _ => return i,
        }
    }
}

fn text_from(chars: &[char], start: usize) -> String {
    chars[start..].iter().collect()
}

fn abbreviate(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default();
    if line.chars().count() > 40 || text.contains('\n') {
        format!("{}…", line.chars().take(40).collect::<String>())
    } else {
        line.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, current: &Current) -> Result<Vec<Piece>, String> {
        let lookup = |k: &str| (k == "URL").then(|| "URL".to_string());
        translate(
            text,
            &Scope {
                current,
                variable: &lookup,
            },
        )
    }

    fn file() -> Current {
        Current::File("file".into())
    }

    #[test]
    fn current_keys_become_file_fields() {
        assert_eq!(
            run("@(Context.Current[\"FullName\"])", &file()),
            Ok(vec![Piece::Var("file".into())])
        );
        assert_eq!(
            run(
                "@(Context.Current[\"NameWithoutExtension\"])_response.txt",
                &file()
            ),
            Ok(vec![
                Piece::Var("file.stem".into()),
                Piece::Text("_response.txt".into())
            ])
        );
        assert_eq!(
            run("/download/processed/@Context.Current[\"Name\"]", &file()),
            Ok(vec![
                Piece::Text("/download/processed/".into()),
                Piece::Var("file.name".into())
            ])
        );
        assert_eq!(
            run("@Context.Object.Extension", &file()),
            Ok(vec![Piece::Var("file.ext".into())])
        );
    }

    #[test]
    fn record_fields_become_xpaths() {
        let record = Current::Record("record".into());
        assert_eq!(
            run("order_@(Context.Current[\"Id\"]).xml", &record),
            Ok(vec![
                Piece::Text("order_".into()),
                Piece::Field {
                    var: "record".into(),
                    xpath: "Id".into()
                },
                Piece::Text(".xml".into())
            ])
        );
        assert_eq!(
            run(
                "@Context.Object.SelectSingleNode(\"Address/Email\").InnerText",
                &record
            ),
            Ok(vec![Piece::Field {
                var: "record".into(),
                xpath: "Address/Email".into()
            }])
        );
        assert!(run("@Context.Current[\"Two words\"]", &record).is_err());
    }

    #[test]
    fn workflow_variables_become_params() {
        assert_eq!(
            run("@(Context.Workflow[\"URL\"])/success", &Current::None),
            Ok(vec![
                Piece::Var("URL".into()),
                Piece::Text("/success".into())
            ])
        );
        assert!(run("@Context.Workflow[\"Nope\"]", &Current::None).is_err());
    }

    #[test]
    fn literal_at_signs_stay() {
        assert_eq!(
            run("accounts@zynk.com and @@ and @ alone", &Current::None),
            Ok(vec![Piece::Text(
                "accounts@zynk.com and @ and @ alone".into()
            )])
        );
    }

    #[test]
    fn what_zynk_cannot_write_is_named() {
        let err = run(
            "products_@(DateTime.Now.ToString(\"yyyy\")).xml",
            &Current::None,
        )
        .expect_err("unsupported");
        assert!(err.contains("DateTime.Now"), "{err}");
        assert!(run("@{ var x = 1; }", &Current::None).is_err());
        assert!(run("@Context.Current[\"Name\"]", &Current::None).is_err());
        assert!(run("@Context.Current[\"Id\"]", &file()).is_err());
        assert!(run("@(Context.Current[\"Name\"]", &file()).is_err());
        assert!(
            run(
                "@Context.Object.SelectSingleNode(\"A/B\").InnerText",
                &file()
            )
            .is_err()
        );
    }
}
