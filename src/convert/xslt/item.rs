//! What a stylesheet translates into: the lines of a `map` block, each tied to the stylesheet line it came from.
use crate::convert::writer::{Line, Statement, Value};

/// A field's or a `let`'s value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Val {
    /// An XPath, relative to the record.
    XPath(String),
    /// Fixed text.
    Text(String),
}

impl Val {
    fn render(&self) -> String {
        match self {
            Val::XPath(x) => Value::XPath(one_line(x)).render(),
            Val::Text(t) => Value::text(t).render(),
        }
    }

    /// The value as an XPath string expression.
    #[must_use]
    pub(crate) fn as_xpath(&self) -> String {
        match self {
            Val::XPath(x) => x.clone(),
            Val::Text(t) => super::expr::literal(t),
        }
    }
}

/// One line (or block) of the `map` block.
#[derive(Debug, Clone)]
pub(crate) struct Item {
    /// The stylesheet line of the instruction or element it translates.
    pub line: u32,
    /// A name unique in the translation, to trace `zynk check` errors back to it.
    pub id: usize,
    pub kind: Kind,
}

/// An `xsl:sort` as `sorted by `KEY` [numeric] [descending]`.
#[derive(Debug, Clone)]
pub(crate) struct Sort {
    pub key: String,
    pub numeric: bool,
    pub descending: bool,
}

/// What an item is.
#[derive(Debug, Clone)]
pub(crate) enum Kind {
    /// `"Target" = VALUE [if `COND`]`.
    Field {
        target: String,
        value: Val,
        condition: Option<String>,
    },
    /// `let NAME = VALUE`.
    Let { name: String, value: Val },
    /// `choose "Target" { when `T` VALUE … otherwise VALUE }`.
    Choose {
        target: String,
        branches: Vec<(String, Val)>,
        otherwise: Option<Val>,
    },
    /// `for each [distinct `KEY` in] `SELECT` [sorted by `KEY` …] as "Target" { … }`.
    Each {
        select: String,
        distinct: Option<String>,
        sort: Option<Sort>,
        target: String,
        items: Vec<Item>,
    },
    /// `lookup "FILE" as NAME by `ROWS` key `KEY` value `VALUE``.
    Lookup {
        file: String,
        name: String,
        rows: String,
        key: String,
        value: String,
    },
    /// A stylesheet part kept as a comment.
    Skipped { what: String, reason: String },
}

/// Collapses white space outside string literals, so an XPath fits on one script line.
#[must_use]
pub(crate) fn one_line(xpath: &str) -> String {
    let mut out = String::with_capacity(xpath.len());
    let mut quote: Option<char> = None;
    let mut space = false;
    for c in xpath.trim().chars() {
        if let Some(q) = quote {
            out.push(c);
            if c == q {
                quote = None;
            }
            continue;
        }
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        if c == '\'' || c == '"' {
            quote = Some(c);
        }
        out.push(c);
    }
    out
}

/// The comment an item not converted becomes.
#[must_use]
pub(crate) fn skipped_comment(line: u32, what: &str, reason: &str) -> String {
    format!("[not converted] line {line}: {what}: {reason}")
}

/// Renders items as script lines; `blocked` items (by id, with a reason) become comments.
#[must_use]
pub(crate) fn render(items: &[Item], blocked: &[(usize, String)]) -> Vec<Line> {
    items
        .iter()
        .map(|item| render_item(item, blocked))
        .collect()
}

fn render_item(item: &Item, blocked: &[(usize, String)]) -> Line {
    if let Some((_, reason)) = blocked.iter().find(|(id, _)| *id == item.id) {
        return Line::Comment(skipped_comment(item.line, &describe(item), reason));
    }
    let mut statement = Statement {
        origin: Some(item.id.to_string()),
        ..Statement::default()
    };
    let quoted = |t: &str| Value::text(t).render();
    match &item.kind {
        Kind::Field {
            target,
            value,
            condition,
        } => {
            statement.words = vec![quoted(target), "=".into(), value.render()];
            if let Some(c) = condition {
                statement.words.push("if".into());
                statement.words.push(Value::XPath(one_line(c)).render());
            }
        }
        Kind::Let { name, value } => {
            statement.words = vec!["let".into(), name.clone(), "=".into(), value.render()];
        }
        Kind::Choose {
            target,
            branches,
            otherwise,
        } => {
            statement.words = vec!["choose".into(), quoted(target)];
            let mut block: Vec<Line> = branches
                .iter()
                .map(|(test, value)| {
                    Line::Declaration(format!(
                        "when {} {}",
                        Value::XPath(one_line(test)).render(),
                        value.render()
                    ))
                })
                .collect();
            if let Some(value) = otherwise {
                block.push(Line::Declaration(format!("otherwise {}", value.render())));
            }
            statement.block = Some(block);
        }
        Kind::Each {
            select,
            distinct,
            sort,
            target,
            items,
        } => {
            statement.words = vec!["for".into(), "each".into()];
            if let Some(key) = distinct {
                statement.words.push("distinct".into());
                statement.words.push(Value::XPath(one_line(key)).render());
                statement.words.push("in".into());
            }
            statement
                .words
                .push(Value::XPath(one_line(select)).render());
            if let Some(sort) = sort {
                statement.words.push("sorted".into());
                statement.words.push("by".into());
                statement
                    .words
                    .push(Value::XPath(one_line(&sort.key)).render());
                if sort.numeric {
                    statement.words.push("numeric".into());
                }
                if sort.descending {
                    statement.words.push("descending".into());
                }
            }
            statement.words.push("as".into());
            statement.words.push(quoted(target));
            statement.block = Some(render(items, blocked));
        }
        Kind::Lookup {
            file,
            name,
            rows,
            key,
            value,
        } => {
            statement.words = vec![
                "lookup".into(),
                file.clone(),
                "as".into(),
                name.clone(),
                "by".into(),
                Value::XPath(one_line(rows)).render(),
                "key".into(),
                Value::XPath(one_line(key)).render(),
                "value".into(),
                Value::XPath(one_line(value)).render(),
            ];
        }
        Kind::Skipped { what, reason } => {
            return Line::Comment(skipped_comment(item.line, what, reason));
        }
    }
    Line::Statement(statement)
}

/// A short name for an item, for its comment when `zynk check` rejects it.
fn describe(item: &Item) -> String {
    match &item.kind {
        Kind::Field { target, .. } | Kind::Choose { target, .. } => format!("<{target}>"),
        Kind::Let { name, .. } => format!("variable `{name}`"),
        Kind::Each { select, .. } => format!("records of `{}`", one_line(select)),
        Kind::Lookup { name, .. } => format!("table `{name}`"),
        Kind::Skipped { what, .. } => what.clone(),
    }
}

/// Every item not converted, with its line and reason, in order (nested ones included).
pub(crate) fn skipped(
    items: &[Item],
    blocked: &[(usize, String)],
    out: &mut Vec<(u32, String, String)>,
) {
    for item in items {
        if let Some((_, reason)) = blocked.iter().find(|(id, _)| *id == item.id) {
            out.push((item.line, describe(item), reason.clone()));
            continue;
        }
        match &item.kind {
            Kind::Skipped { what, reason } => out.push((item.line, what.clone(), reason.clone())),
            Kind::Each { items, .. } => skipped(items, blocked, out),
            _ => {}
        }
    }
}

/// How many items were translated (not skipped, not blocked), nested ones included.
#[must_use]
pub(crate) fn translated(items: &[Item], blocked: &[(usize, String)]) -> usize {
    items
        .iter()
        .filter(|i| !blocked.iter().any(|(id, _)| *id == i.id))
        .map(|i| match &i.kind {
            Kind::Skipped { .. } => 0,
            Kind::Each { items, .. } => 1 + translated(items, blocked),
            _ => 1,
        })
        .sum()
}
