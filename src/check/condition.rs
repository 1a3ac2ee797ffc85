//! Conditions of `if`: read from a statement's words and values, typed at check time.
//!
//! ```text
//! condition  := and ("or" and)*
//! and        := unary ("and" unary)*
//! unary      := "not" unary | comparison
//! comparison := operand (("==" | "!=" | "<" | "<=" | ">" | ">=") operand)?
//! operand    := "exists" FILE | "size" "of" FILE | "count" `XPATH` "in" FILE
//!             | NAME `XPATH` | a value, param, let, file field or statement result
//! ```
use super::program::Template;
use super::scope::{Const, Resolved};
use super::{CheckError, Checker};
use crate::source::{Span, Spanned};
use crate::syntax::ast::{Arg, Expr};

/// A checked condition.
#[derive(Debug, Clone)]
pub enum Condition {
    And(Box<Condition>, Box<Condition>),
    Or(Box<Condition>, Box<Condition>),
    Not(Box<Condition>),
    Compare {
        op: CompareOp,
        left: Operand,
        right: Operand,
        span: Span,
    },
    /// A boolean operand on its own: `exists "a.xml"`, `dry_run`.
    Is(Operand),
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
    fn parse(text: &str) -> Option<CompareOp> {
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
    fn is_equality(self) -> bool {
        matches!(self, CompareOp::Eq | CompareOp::Ne)
    }
}

/// One side of a comparison, or a condition on its own.
#[derive(Debug, Clone)]
pub enum Operand {
    Number(f64),
    Bool(bool),
    /// Text known at check time.
    Text(String),
    /// Text known only while running (a record field, a file field, `env(…)`); compared
    /// with a number, it is read as one.
    Runtime(Template),
    /// A named statement's result (a whole number).
    Result(Template),
    /// `exists FILE`.
    Exists(Template),
    /// `size of FILE`, in bytes.
    Size(Template),
    /// `count `XPATH` in FILE`: how many nodes the XPath selects in the file.
    Count {
        xpath: crate::xpath::XPath,
        file: Template,
    },
}

/// What an operand is, for type checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Type {
    Number,
    Bool,
    Text,
    /// Text read while running: compares as text, or as a number against a number.
    RuntimeText,
}

impl Type {
    fn describe(self) -> &'static str {
        match self {
            Type::Number => "a number",
            Type::Bool => "true or false",
            Type::Text | Type::RuntimeText => "text",
        }
    }
}

impl Operand {
    fn ty(&self) -> Type {
        match self {
            Operand::Number(_) | Operand::Result(_) | Operand::Size(_) | Operand::Count { .. } => {
                Type::Number
            }
            Operand::Bool(_) | Operand::Exists(_) => Type::Bool,
            Operand::Text(_) => Type::Text,
            Operand::Runtime(_) => Type::RuntimeText,
        }
    }
}

const EXAMPLES: &str = "a condition reads like `exists \"orders.xml\"`, `size of \"orders.xml\" > 0`, `count `//SalesOrder` in \"orders.xml\" > 0`, `orders.imported > 0`, `site == \"https://shop\"`, joined with `and`, `or`, `not`";

/// A cursor over a condition's words and values.
struct Reader<'a> {
    args: &'a [Arg],
    at: usize,
    /// Where the condition is, for errors about a missing part.
    whole: Span,
}

impl Reader<'_> {
    fn peek_word(&self) -> Option<&str> {
        match self.args.get(self.at) {
            Some(Arg::Word(w)) => Some(w.value.as_str()),
            _ => None,
        }
    }

    fn peek_word_at(&self, offset: usize) -> Option<&str> {
        match self.args.get(self.at + offset) {
            Some(Arg::Word(w)) => Some(w.value.as_str()),
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
}

impl Checker<'_> {
    /// Reads and checks the condition of an `if` from the words after `if`.
    pub fn condition(&mut self, args: &[Arg], head: Span) -> Option<Condition> {
        let whole = match (args.first(), args.last()) {
            (Some(a), Some(b)) => a.span().join(b.span()),
            _ => head,
        };
        if args.is_empty() {
            self.error(CheckError::InvalidCondition {
                message: "`if` needs a condition".into(),
                span: head.into(),
                label: "no condition after this".into(),
                help: EXAMPLES.into(),
            });
            return None;
        }
        let mut reader = Reader { args, at: 0, whole };
        let condition = self.or_condition(&mut reader)?;
        if let Some(extra) = args.get(reader.at) {
            self.error(CheckError::InvalidCondition {
                message: "the condition goes on after it is complete".into(),
                span: extra.span().join(whole).into(),
                label: "not part of the condition".into(),
                help: format!("join conditions with `and` or `or`; {EXAMPLES}"),
            });
            return None;
        }
        Some(condition)
    }

    fn or_condition(&mut self, r: &mut Reader<'_>) -> Option<Condition> {
        let mut left = self.and_condition(r)?;
        while r.peek_word() == Some("or") {
            r.at += 1;
            let right = self.and_condition(r)?;
            left = Condition::Or(Box::new(left), Box::new(right));
        }
        Some(left)
    }

    fn and_condition(&mut self, r: &mut Reader<'_>) -> Option<Condition> {
        let mut left = self.unary_condition(r)?;
        while r.peek_word() == Some("and") {
            r.at += 1;
            let right = self.unary_condition(r)?;
            left = Condition::And(Box::new(left), Box::new(right));
        }
        Some(left)
    }

    fn unary_condition(&mut self, r: &mut Reader<'_>) -> Option<Condition> {
        if r.peek_word() == Some("not") {
            r.at += 1;
            return Some(Condition::Not(Box::new(self.unary_condition(r)?)));
        }
        let start = r.args.get(r.at).map_or(r.whole, Arg::span);
        let left = self.operand(r)?;
        let Some(op) = r.peek_word().and_then(CompareOp::parse) else {
            if left.ty() != Type::Bool {
                let span = start.join(r.end_span());
                self.error(CheckError::ConditionType {
                    found: left.ty().describe().into(),
                    span: span.into(),
                    help: format!(
                        "compare it with something, e.g. `… > 0` or `… == \"text\"`; {EXAMPLES}"
                    ),
                });
                return None;
            }
            return Some(Condition::Is(left));
        };
        r.at += 1;
        let right = self.operand(r)?;
        let span = start.join(r.end_span());
        self.check_comparison(op, &left, &right, span)?;
        Some(Condition::Compare {
            op,
            left,
            right,
            span,
        })
    }

    fn check_comparison(
        &mut self,
        op: CompareOp,
        left: &Operand,
        right: &Operand,
        span: Span,
    ) -> Option<()> {
        let (a, b) = (left.ty(), right.ty());
        let ok = match (a, b) {
            (Type::Number, Type::Number | Type::RuntimeText)
            | (Type::RuntimeText, Type::Number) => true,
            (Type::Text | Type::RuntimeText, Type::Text | Type::RuntimeText)
            | (Type::Bool, Type::Bool) => op.is_equality(),
            _ => false,
        };
        if ok {
            return Some(());
        }
        let (message, help) = if a == b
            || (a != Type::Number && b != Type::Number && a != Type::Bool && b != Type::Bool)
        {
            (
                format!("{} can only be compared with `==` and `!=`", a.describe()),
                "`<`, `<=`, `>` and `>=` compare numbers".to_string(),
            )
        } else {
            (
                format!("cannot compare {} with {}", a.describe(), b.describe()),
                "both sides must be numbers, text, or true/false; a number in quotes is text: write `5`, not `\"5\"`".to_string(),
            )
        };
        self.error(CheckError::Incomparable {
            message,
            span: span.into(),
            label: format!("{} and {}", a.describe(), b.describe()),
            help,
        });
        None
    }

    fn operand(&mut self, r: &mut Reader<'_>) -> Option<Operand> {
        let Some(arg) = r.args.get(r.at) else {
            self.error(CheckError::InvalidCondition {
                message: "the condition ends too early".into(),
                span: r.end_span().into(),
                label: "expected a value here".into(),
                help: EXAMPLES.into(),
            });
            return None;
        };
        match (arg, r.peek_word()) {
            (_, Some("exists")) if r.args.get(r.at + 1).is_some_and(takes_path) => {
                r.at += 1;
                let file = self.file_operand(r)?;
                return Some(Operand::Exists(file));
            }
            (_, Some("size")) if r.peek_word_at(1) == Some("of") => {
                r.at += 2;
                let file = self.file_operand(r)?;
                return Some(Operand::Size(file));
            }
            (_, Some("count"))
                if matches!(r.args.get(r.at + 1), Some(Arg::Value(Expr::XPath { .. }))) =>
            {
                return self.count_operand(r);
            }
            (Arg::Word(w), _)
                if matches!(r.args.get(r.at + 1), Some(Arg::Value(Expr::XPath { .. }))) =>
            {
                let Some(Arg::Value(Expr::XPath {
                    text,
                    text_span,
                    span,
                })) = r.args.get(r.at + 1)
                else {
                    return None;
                };
                r.at += 2;
                let resolved =
                    self.resolve_record_field(w, text, *text_span, w.span.join(*span))?;
                return Some(operand_of(resolved, w.span.join(*span)));
            }
            _ => {}
        }
        r.at += 1;
        let expr = match arg {
            Arg::Word(w) if CompareOp::parse(&w.value).is_some() || is_joiner(&w.value) => {
                let after_less = r.at >= 2
                    && matches!(&r.args[r.at - 2], Arg::Word(p) if p.value == "<" && p.span.end == w.span.start);
                let (span, help) = if after_less && w.value == ">" {
                    (
                        r.args[r.at - 2].span().join(w.span),
                        crate::syntax::habits::habit_help("", "<>").unwrap_or_default(),
                    )
                } else {
                    (w.span, EXAMPLES.to_string())
                };
                self.error(CheckError::InvalidCondition {
                    message: format!("`{}` needs a value before it", w.value),
                    span: span.into(),
                    label: "expected a value before this".into(),
                    help,
                });
                return None;
            }
            Arg::Word(w) if self.misspelt_condition_word(w, r.args.get(r.at)) => return None,
            Arg::Word(w) => Expr::Path(w.clone()),
            Arg::Value(v) => v.clone(),
        };
        let span = expr.span();
        if let Expr::XPath { .. } = expr {
            self.error(CheckError::InvalidCondition {
                message: "an XPath alone is not a condition".into(),
                span: span.into(),
                label: "which file does it read?".into(),
                help: "count what it finds in a file: `count `//SalesOrder` in \"orders.xml\" > 0`"
                    .into(),
            });
            return None;
        }
        let resolved = self.resolve(&expr)?;
        Some(operand_of(resolved, span))
    }

    /// Reports a bare word that is no variable but most likely a condition's own word
    /// (`exist "a.xml"`, `size off "a.xml"`, `True`); `true` when it did.
    fn misspelt_condition_word(&mut self, word: &Spanned<String>, next: Option<&Arg>) -> bool {
        let name = word.value.as_str();
        if name.contains('.')
            || matches!(name, "true" | "false")
            || self.scope.lookup(name).is_some()
        {
            return false;
        }
        let help = if let Some(help) = crate::syntax::habits::word_help(name) {
            help
        } else if name == "size" {
            "the size of a file is `size of FILE`, e.g. `size of \"orders.xml\" > 0`".to_string()
        } else if name == "count" {
            "`count` takes an XPath between backticks and a file: `count `/Company/SalesOrders/SalesOrder` in \"orders.xml\" > 0`".to_string()
        } else {
            let takes_file = next.is_some_and(takes_path);
            let words: &[&str] = if takes_file {
                &["exists", "size of", "count", "not"]
            } else {
                &["exists", "not", "true", "false", "and", "or"]
            };
            match crate::suggest::closest(name, words.iter()) {
                Some(guess) => format!(
                    "did you mean `{guess}`? A bare word in a condition is a param, a `let` or one of `exists`, `size of`, `count`, `not`, `true`, `false`"
                ),
                None => return false,
            }
        };
        self.error(CheckError::InvalidCondition {
            message: format!("`{name}` is not a word a condition knows"),
            span: word.span.into(),
            label: "unknown word".into(),
            help,
        });
        true
    }

    /// The file after `exists`, `size of` or `count … in`.
    fn file_operand(&mut self, r: &mut Reader<'_>) -> Option<Template> {
        let Some(arg) = r.args.get(r.at).filter(|a| takes_path(a)) else {
            self.error(CheckError::InvalidCondition {
                message: "a file name is missing".into(),
                span: r.end_span().into(),
                label: "expected a file here".into(),
                help: "write the file as a string or a variable: `exists \"orders.xml\"`".into(),
            });
            return None;
        };
        r.at += 1;
        let expr = match arg {
            Arg::Word(w) => Expr::Path(w.clone()),
            Arg::Value(v) => v.clone(),
        };
        match self.resolve(&expr)? {
            Resolved::Const(Const::Text(t)) => Some(Template::text(t, expr.span())),
            Resolved::Template(t) if !t.is_result() => Some(t),
            other => {
                let found = match other {
                    Resolved::Const(c) => c.describe(),
                    Resolved::Template(_) => "a statement's result",
                };
                self.error(CheckError::InvalidCondition {
                    message: format!("a file name must be text, not {found}"),
                    span: expr.span().into(),
                    label: "not a file name".into(),
                    help: "write the file as a string: `exists \"orders.xml\"`".into(),
                });
                None
            }
        }
    }

    fn count_operand(&mut self, r: &mut Reader<'_>) -> Option<Operand> {
        let Some(Arg::Value(Expr::XPath {
            text, text_span, ..
        })) = r.args.get(r.at + 1)
        else {
            return None;
        };
        r.at += 2;
        let xpath = match crate::xpath::compile(text) {
            Ok(x) => x,
            Err(e) => {
                self.error(CheckError::invalid_xpath(&e, *text_span));
                return None;
            }
        };
        if let Some(found) = xpath.scalar_result() {
            self.error(CheckError::XPathNotNodes {
                found: found.into(),
                purpose: "count".into(),
                span: (*text_span).into(),
            });
            return None;
        }
        if r.peek_word() != Some("in") {
            self.error(CheckError::InvalidCondition {
                message: "`count` needs the file it reads".into(),
                span: (*text_span).into(),
                label: "in which file?".into(),
                help: format!("write `count `{text}` in \"orders.xml\"`"),
            });
            return None;
        }
        r.at += 1;
        let file = self.file_operand(r)?;
        Some(Operand::Count { xpath, file })
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

fn operand_of(resolved: Resolved, span: Span) -> Operand {
    match resolved {
        Resolved::Const(Const::Number(n)) => Operand::Number(n),
        Resolved::Const(Const::Bool(b)) => Operand::Bool(b),
        Resolved::Const(Const::Text(t)) => Operand::Text(t),
        Resolved::Const(Const::Duration(d)) => Operand::Number(d.as_secs_f64()),
        Resolved::Const(Const::XPath { text, .. }) => Operand::Runtime(Template::text(text, span)),
        Resolved::Template(t) if t.is_result() => Operand::Result(t),
        Resolved::Template(t) => Operand::Runtime(t),
    }
}
