//! The grammar of `if` conditions, read from the words and values after `if` into typed
//! nodes, one `parse_<rule>` per rule; the checker types and resolves them.
//!
//! ```text
//! condition  := and ("or" and)*
//! and        := unary ("and" unary)*
//! unary      := "not" unary | comparison
//! comparison := operand (("==" | "!=" | "<" | "<=" | ">" | ">=") operand)?
//! operand    := "exists" FILE | "size" "of" FILE | "count" `XPATH` "in" FILE
//!             | NAME `XPATH` | a value, param, let, file field or statement result
//! ```
//!
//! Reading never fails: a part that does not follow the grammar is an [`Node::Invalid`]
//! node where it stands, so the checker, walking the tree in the order it was written,
//! reports the first mistake whether it is one of grammar or of meaning.
use super::ast::{Arg, Expr};
use crate::source::{Span, Spanned};

/// A condition as written.
#[derive(Debug, Clone)]
pub(crate) struct Condition {
    pub tree: Node,
    /// What follows a complete condition (`if a b`): reported once the tree is checked.
    pub trailing: Option<ConditionError>,
}

/// A node of a condition.
#[derive(Debug, Clone)]
pub(crate) enum Node {
    Or(Box<Node>, Box<Node>),
    And(Box<Node>, Box<Node>),
    Not(Box<Node>),
    Compare {
        op: CompareOp,
        left: Operand,
        right: Operand,
        span: Span,
    },
    /// An operand on its own, which must be true or false; `span` runs to its end.
    Is {
        operand: Operand,
        span: Span,
    },
    /// A part that does not follow the grammar.
    Invalid(ConditionError),
}

/// One side of a comparison, or a condition on its own.
#[derive(Debug, Clone)]
pub(crate) enum Operand {
    /// `exists FILE`.
    Exists(File),
    /// `size of FILE`.
    Size(File),
    /// `count `XPATH` in FILE`; `file` is invalid when `in` is missing.
    Count {
        xpath: Spanned<String>,
        file: File,
    },
    /// `NAME `XPATH``: a field of a `foreach` record.
    RecordField {
        record: Spanned<String>,
        xpath: Spanned<String>,
        span: Span,
    },
    /// A value or a name. `bare`: a word, which may be a misspelt word of the grammar;
    /// `takes_file`: what follows it could name a file (`exist "a.xml"`).
    Value {
        expr: Expr,
        bare: bool,
        takes_file: bool,
    },
    Invalid(ConditionError),
}

/// The file of `exists`, `size of` or `count … in`.
#[derive(Debug, Clone)]
pub(crate) enum File {
    Given(Expr),
    Invalid(ConditionError),
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CompareOp {
    #[must_use]
    pub fn parse(text: &str) -> Option<CompareOp> {
        Some(match text {
            "==" => CompareOp::Eq,
            "!=" => CompareOp::Ne,
            "<" => CompareOp::Lt,
            "<=" => CompareOp::Le,
            ">" => CompareOp::Gt,
            ">=" => CompareOp::Ge,
            _ => return None,
        })
    }

    /// Whether the operator only tells equal from different.
    #[must_use]
    pub fn is_equality(self) -> bool {
        matches!(self, CompareOp::Eq | CompareOp::Ne)
    }
}

/// A part of a condition that does not follow the grammar.
#[derive(Debug, Clone)]
pub(crate) struct ConditionError {
    pub message: String,
    pub span: Span,
    pub label: String,
    pub help: String,
}

/// Examples of conditions, for help texts.
pub(crate) const EXAMPLES: &str = "a condition reads like `exists \"orders.xml\"`, `size of \"orders.xml\" > 0`, `count `//SalesOrder` in \"orders.xml\" > 0`, `orders.imported > 0`, `site == \"https://shop\"`, joined with `and`, `or`, `not`";

/// Reads the condition of an `if` from the words and values after it (`head`: the `if`).
#[must_use]
pub(crate) fn parse_condition(args: &[Arg], head: Span) -> Condition {
    let whole = match (args.first(), args.last()) {
        (Some(a), Some(b)) => a.span().join(b.span()),
        _ => head,
    };
    if args.is_empty() {
        return Condition {
            tree: Node::Invalid(ConditionError {
                message: "`if` needs a condition".into(),
                span: head,
                label: "no condition after this".into(),
                help: EXAMPLES.into(),
            }),
            trailing: None,
        };
    }
    let mut r = Reader {
        args,
        at: 0,
        whole,
        failed: false,
    };
    let tree = r.parse_or();
    let trailing = match args.get(r.at) {
        Some(extra) if !r.failed => Some(ConditionError {
            message: "the condition goes on after it is complete".into(),
            span: extra.span().join(whole),
            label: "not part of the condition".into(),
            help: format!("join conditions with `and` or `or`; {EXAMPLES}"),
        }),
        _ => None,
    };
    Condition { tree, trailing }
}

/// A cursor over a condition's words and values.
struct Reader<'a> {
    args: &'a [Arg],
    at: usize,
    /// Where the condition is, for errors about a missing part.
    whole: Span,
    /// Whether a part was invalid: reading stops there (the first mistake is the one told).
    failed: bool,
}

impl Reader<'_> {
    fn peek_word(&self) -> Option<&str> {
        self.word_at(0)
    }

    fn word_at(&self, offset: usize) -> Option<&str> {
        match self.args.get(self.at + offset) {
            Some(Arg::Word(w)) => Some(w.value.as_str()),
            _ => None,
        }
    }

    fn xpath_at(&self, offset: usize) -> Option<Spanned<String>> {
        match self.args.get(self.at + offset) {
            Some(Arg::Value(Expr::XPath {
                text, text_span, ..
            })) => Some(Spanned::new(text.clone(), *text_span)),
            _ => None,
        }
    }

    fn end_span(&self) -> Span {
        let end = self
            .args
            .get(self.at.saturating_sub(1))
            .map_or(self.whole.end, |a| a.span().end);
        Span::new(end, end)
    }

    fn invalid(&mut self, error: ConditionError) -> ConditionError {
        self.failed = true;
        error
    }

    fn parse_or(&mut self) -> Node {
        let mut left = self.parse_and();
        while !self.failed && self.peek_word() == Some("or") {
            self.at += 1;
            let right = self.parse_and();
            left = Node::Or(Box::new(left), Box::new(right));
        }
        left
    }

    fn parse_and(&mut self) -> Node {
        let mut left = self.parse_unary();
        while !self.failed && self.peek_word() == Some("and") {
            self.at += 1;
            let right = self.parse_unary();
            left = Node::And(Box::new(left), Box::new(right));
        }
        left
    }

    fn parse_unary(&mut self) -> Node {
        if self.peek_word() == Some("not") {
            self.at += 1;
            return Node::Not(Box::new(self.parse_unary()));
        }
        self.parse_comparison()
    }

    fn parse_comparison(&mut self) -> Node {
        let start = self.args.get(self.at).map_or(self.whole, Arg::span);
        let left = self.parse_operand();
        let op = self.peek_word().and_then(CompareOp::parse);
        let Some(op) = op.filter(|_| !self.failed) else {
            let span = start.join(self.end_span());
            return Node::Is {
                operand: left,
                span,
            };
        };
        self.at += 1;
        let right = self.parse_operand();
        let span = start.join(self.end_span());
        Node::Compare {
            op,
            left,
            right,
            span,
        }
    }

    fn parse_operand(&mut self) -> Operand {
        let Some(arg) = self.args.get(self.at) else {
            let span = self.end_span();
            return Operand::Invalid(self.invalid(ConditionError {
                message: "the condition ends too early".into(),
                span,
                label: "expected a value here".into(),
                help: EXAMPLES.into(),
            }));
        };
        match (arg, self.peek_word()) {
            (_, Some("exists")) if self.args.get(self.at + 1).is_some_and(takes_path) => {
                self.at += 1;
                return Operand::Exists(self.parse_file());
            }
            (_, Some("size")) if self.word_at(1) == Some("of") => {
                self.at += 2;
                return Operand::Size(self.parse_file());
            }
            (_, Some("count")) if self.xpath_at(1).is_some() => return self.parse_count(),
            (Arg::Word(w), _) => {
                if let (Some(xpath), Some(Arg::Value(x))) =
                    (self.xpath_at(1), self.args.get(self.at + 1))
                {
                    self.at += 2;
                    return Operand::RecordField {
                        record: w.clone(),
                        xpath,
                        span: w.span.join(x.span()),
                    };
                }
            }
            _ => {}
        }
        self.at += 1;
        let expr = match arg {
            Arg::Word(w) if CompareOp::parse(&w.value).is_some() || is_joiner(&w.value) => {
                let after_less = self.at >= 2
                    && matches!(&self.args[self.at - 2], Arg::Word(p) if p.value == "<" && p.span.end == w.span.start);
                let (span, help) = if after_less && w.value == ">" {
                    (
                        self.args[self.at - 2].span().join(w.span),
                        super::habits::habit_help("", "<>").unwrap_or_default(),
                    )
                } else {
                    (w.span, EXAMPLES.to_string())
                };
                return Operand::Invalid(self.invalid(ConditionError {
                    message: format!("`{}` needs a value before it", w.value),
                    span,
                    label: "expected a value before this".into(),
                    help,
                }));
            }
            Arg::Word(w) => Expr::Path(w.clone()),
            Arg::Value(v) => v.clone(),
        };
        if let Expr::XPath { span, .. } = expr {
            return Operand::Invalid(self.invalid(ConditionError {
                message: "an XPath alone is not a condition".into(),
                span,
                label: "which file does it read?".into(),
                help: "count what it finds in a file: `count `//SalesOrder` in \"orders.xml\" > 0`"
                    .into(),
            }));
        }
        let takes_file = self.args.get(self.at).is_some_and(takes_path);
        Operand::Value {
            expr,
            bare: matches!(arg, Arg::Word(_)),
            takes_file,
        }
    }

    /// `count `XPATH` in FILE`: the XPath is read even when `in` is missing, so that a
    /// mistake in it is told first.
    fn parse_count(&mut self) -> Operand {
        let xpath = self.xpath_at(1);
        debug_assert!(xpath.is_some(), "`count` is read only before an XPath");
        let xpath = xpath.unwrap_or_else(|| Spanned::new(String::new(), self.end_span()));
        self.at += 2;
        if self.peek_word() != Some("in") {
            let file = File::Invalid(self.invalid(ConditionError {
                message: "`count` needs the file it reads".into(),
                span: xpath.span,
                label: "in which file?".into(),
                help: format!("write `count `{}` in \"orders.xml\"`", xpath.value),
            }));
            return Operand::Count { xpath, file };
        }
        self.at += 1;
        let file = self.parse_file();
        Operand::Count { xpath, file }
    }

    /// The file after `exists`, `size of` or `count … in`.
    fn parse_file(&mut self) -> File {
        let Some(arg) = self.args.get(self.at).filter(|a| takes_path(a)) else {
            let span = self.end_span();
            return File::Invalid(self.invalid(ConditionError {
                message: "a file name is missing".into(),
                span,
                label: "expected a file here".into(),
                help: "write the file as a string or a variable: `exists \"orders.xml\"`".into(),
            }));
        };
        self.at += 1;
        File::Given(match arg {
            Arg::Word(w) => Expr::Path(w.clone()),
            Arg::Value(v) => v.clone(),
        })
    }
}

fn is_joiner(word: &str) -> bool {
    matches!(word, "and" | "or")
}

/// Whether an argument can name a file: a string, or a variable.
fn takes_path(arg: &Arg) -> bool {
    match arg {
        Arg::Word(w) => {
            CompareOp::parse(&w.value).is_none() && !is_joiner(&w.value) && w.value != "not"
        }
        Arg::Value(v) => matches!(v, Expr::String(_) | Expr::Path(_) | Expr::Call { .. }),
    }
}

#[cfg(test)]
mod tests {
    use super::{File, Node, Operand, parse_condition};
    use crate::source::SourceFile;
    use crate::syntax::ast::{Expr, Item};

    /// The one statement these tests parse.
    struct IfOnly;

    impl crate::syntax::Statements for IfOnly {
        fn is_statement_head(&self, word: &str) -> bool {
            word == "if"
        }
    }

    fn operand(o: &Operand) -> String {
        let file = |f: &File| match f {
            File::Given(Expr::String(_)) => "\"…\"".to_string(),
            File::Given(_) => "name".to_string(),
            File::Invalid(e) => format!("!{}", e.message),
        };
        match o {
            Operand::Exists(f) => format!("(exists {})", file(f)),
            Operand::Size(f) => format!("(size {})", file(f)),
            Operand::Count { xpath, file: f } => format!("(count {} {})", xpath.value, file(f)),
            Operand::RecordField { record, xpath, .. } => {
                format!("(field {} {})", record.value, xpath.value)
            }
            Operand::Value {
                expr: Expr::Path(p),
                ..
            } => p.value.clone(),
            Operand::Value { .. } => "value".to_string(),
            Operand::Invalid(e) => format!("!{}", e.message),
        }
    }

    fn show(node: &Node) -> String {
        match node {
            Node::Or(a, b) => format!("(or {} {})", show(a), show(b)),
            Node::And(a, b) => format!("(and {} {})", show(a), show(b)),
            Node::Not(a) => format!("(not {})", show(a)),
            Node::Compare {
                op, left, right, ..
            } => format!("({op:?} {} {})", operand(left), operand(right)),
            Node::Is { operand: o, .. } => operand(o),
            Node::Invalid(e) => format!("!{}", e.message),
        }
    }

    /// The tree read from `if CONDITION {`, and what follows it.
    fn read(condition: &str) -> String {
        let source = SourceFile::from_text("t.zynk", &format!("if {condition} {{\n}}\n"));
        let Ok(ast) = crate::syntax::parse(&source, &IfOnly) else {
            return "syntax error".into();
        };
        let Some(Item::Statement(s)) = ast.items.first() else {
            return "no statement".into();
        };
        let head = s.args[0].span();
        let parsed = parse_condition(&s.args[1..], head);
        match parsed.trailing {
            Some(t) => format!("{} !{}", show(&parsed.tree), t.message),
            None => show(&parsed.tree),
        }
    }

    #[test]
    fn conditions_read_into_nodes_with_their_precedence() {
        let rows = [
            ("a", "a"),
            ("a or b and c", "(or a (and b c))"),
            ("a and b or c", "(or (and a b) c)"),
            ("not a and b", "(and (not a) b)"),
            ("not not a", "(not (not a))"),
            ("a == 1 or b != \"x\"", "(or (Eq a value) (Ne b value))"),
            ("x <= 2 and y > 3", "(and (Le x value) (Gt y value))"),
            ("exists \"a.xml\"", "(exists \"…\")"),
            ("exists f", "(exists name)"),
            ("size of \"a.xml\" >= 10", "(Ge (size \"…\") value)"),
            (
                "count `//S` in \"a.xml\" > 0",
                "(Gt (count //S \"…\") value)",
            ),
            ("order `Total` > 100", "(Gt (field order Total) value)"),
            (
                "not exists \"a.xml\" or dry_run",
                "(or (not (exists \"…\")) dry_run)",
            ),
            (
                "count `//S` \"a.xml\"",
                "(count //S !`count` needs the file it reads)",
            ),
            ("size of", "(size !a file name is missing)"),
            ("a ==", "(Eq a !the condition ends too early)"),
            ("== 1", "!`==` needs a value before it"),
            ("a and", "(and a !the condition ends too early)"),
            ("`//S` > 0", "!an XPath alone is not a condition"),
            ("a b", "a !the condition goes on after it is complete"),
            ("a < > b", "(Lt a !`>` needs a value before it)"),
        ];
        let wrong: Vec<String> = rows
            .iter()
            .filter_map(|(condition, want)| {
                let got = read(condition);
                (got != *want).then(|| format!("{condition:?}: want {want}, got {got}"))
            })
            .collect();
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }
}
