//! The script writer: zynk values, statements and comment blocks, rendered as `.zynk` text.
use std::fmt::Write;

/// A piece of a zynk string: text, or a variable path such as `file.stem`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Piece {
    Text(String),
    Var(String),
    /// A field of a record loop's record: `${record `Id`}`.
    Field {
        var: String,
        xpath: String,
    },
}

/// A value as the script writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Value {
    /// A string of text and `${…}` parts; a single variable is written bare.
    Str(Vec<Piece>),
    /// A number, a boolean, a duration, a word: written as is.
    Raw(String),
    /// An XPath, written between backticks.
    XPath(String),
}

impl Value {
    #[must_use]
    pub(crate) fn text(text: &str) -> Value {
        Value::Str(vec![Piece::Text(text.to_string())])
    }

    /// The script text of the value.
    #[must_use]
    pub(crate) fn render(&self) -> String {
        match self {
            Value::Raw(raw) => raw.clone(),
            Value::XPath(x) => format!("`{x}`"),
            Value::Str(pieces) => match pieces.as_slice() {
                [Piece::Var(v)] => v.clone(),
                _ => {
                    let mut out = String::from("\"");
                    for piece in pieces {
                        match piece {
                            Piece::Text(t) => out.push_str(&escape(t)),
                            Piece::Var(v) => {
                                let _ = write!(out, "${{{v}}}");
                            }
                            Piece::Field { var, xpath } => {
                                let _ = write!(out, "${{{var} `{xpath}`}}");
                            }
                        }
                    }
                    out.push('"');
                    out
                }
            },
        }
    }
}

/// Escapes text for a double-quoted zynk string.
#[must_use]
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '$' => out.push_str("\\$"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out
}

/// A statement: its words and values in order, an optional block, `or continue`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Statement {
    pub words: Vec<String>,
    pub block: Option<Vec<Line>>,
    pub or_continue: bool,
    /// Where the task it comes from is in the workflow (an XPath), to trace check errors.
    pub origin: Option<String>,
}

impl Statement {
    #[must_use]
    pub(crate) fn new(head: &str) -> Statement {
        Statement {
            words: vec![head.to_string()],
            ..Statement::default()
        }
    }

    pub(crate) fn word(&mut self, word: &str) {
        self.words.push(word.to_string());
    }

    pub(crate) fn value(&mut self, value: &Value) {
        self.words.push(value.render());
    }
}

/// A line of the script (a block statement spans several).
#[derive(Debug, Clone)]
pub(crate) enum Line {
    Blank,
    /// `# …`; several lines of text give several comment lines.
    Comment(String),
    /// `workflow`, `param` and `let` lines, written as given.
    Declaration(String),
    Statement(Statement),
    /// A statement written as comments: a task Zynk has switched off.
    Disabled(Statement),
}

/// Renders lines, and gives for each output line the origin of the statement on it.
#[must_use]
pub(crate) fn render_traced(lines: &[Line]) -> (String, Vec<Option<String>>) {
    let mut out = Out::default();
    render_into(lines, 0, false, &mut out);
    (out.text, out.origins)
}

/// Script text being written, with the origin of every line.
#[derive(Default)]
struct Out {
    text: String,
    origins: Vec<Option<String>>,
    current: Option<String>,
}

impl Out {
    fn push_str(&mut self, s: &str) {
        for c in s.chars() {
            self.push(c);
        }
    }

    fn push(&mut self, c: char) {
        self.text.push(c);
        if c == '\n' {
            self.origins.push(self.current.clone());
        }
    }
}

impl Write for Out {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.push_str(s);
        Ok(())
    }
}

fn render_into(lines: &[Line], depth: usize, commented: bool, out: &mut Out) {
    let indent = "    ".repeat(depth);
    let prefix = if commented { "# " } else { "" };
    for line in lines {
        match line {
            Line::Blank => out.push('\n'),
            Line::Comment(text) => {
                for l in text.lines() {
                    let l = l.trim_end();
                    if l.is_empty() {
                        let _ = writeln!(out, "{indent}{prefix}#");
                    } else {
                        let _ = writeln!(out, "{indent}{prefix}# {l}");
                    }
                }
            }
            Line::Declaration(text) => {
                let _ = writeln!(out, "{indent}{prefix}{text}");
            }
            Line::Statement(s) => render_statement(s, &indent, depth, commented, out),
            Line::Disabled(s) => render_statement(s, &indent, depth, true, out),
        }
    }
}

fn render_statement(s: &Statement, indent: &str, depth: usize, commented: bool, out: &mut Out) {
    let prefix = if commented { "# " } else { "" };
    let outer = out.current.clone();
    out.current.clone_from(&s.origin);
    let _ = write!(out, "{indent}{prefix}{}", s.words.join(" "));
    if let Some(block) = &s.block {
        out.push_str(" {\n");
        render_into(block, depth + 1, commented, out);
        out.current.clone_from(&s.origin);
        let _ = write!(out, "{indent}{prefix}}}");
    }
    if s.or_continue {
        out.push_str(" or continue");
    }
    out.push('\n');
    out.current = outer;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_render_as_zynk_writes_them() {
        assert_eq!(Value::Str(vec![Piece::Var("file".into())]).render(), "file");
        assert_eq!(
            Value::Str(vec![
                Piece::Var("file.stem".into()),
                Piece::Text("_\"$x\".txt\\".into())
            ])
            .render(),
            r#""${file.stem}_\"\$x\".txt\\""#
        );
        assert_eq!(Value::text("").render(), "\"\"");
        assert_eq!(Value::XPath("/a/b".into()).render(), "`/a/b`");
    }

    #[test]
    fn blocks_nest_and_disabled_lines_are_comments() {
        let mut inner = Statement::new("delete");
        inner.value(&Value::Str(vec![Piece::Var("file".into())]));
        let mut outer = Statement::new("foreach");
        outer.word("file");
        outer.block = Some(vec![
            Line::Comment("two\nlines".into()),
            Line::Statement(inner),
        ]);
        outer.or_continue = true;
        let text = render_traced(&[Line::Statement(outer.clone()), Line::Disabled(outer)]).0;
        assert_eq!(
            text,
            "foreach file {\n    # two\n    # lines\n    delete file\n} or continue\n\
             # foreach file {\n    # # two\n    # # lines\n    # delete file\n# } or continue\n"
        );
    }
}
