//! Conditions of `if`, as checked: the nodes `syntax::condition` reads (the grammar is
//! there) typed and resolved, names to values and files to templates.
use super::program::Template;
use super::scope::{Const, Resolved};
use super::{CheckError, Checker};
use crate::source::{Span, Spanned};
use crate::syntax::ast::{Arg, Expr};
pub(crate) use crate::syntax::condition::CompareOp;
use crate::syntax::condition::{
    ConditionError, EXAMPLES, File, Node, Operand as SyntaxOperand, parse_condition,
};

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

impl Checker<'_> {
    /// Reads and checks the condition of an `if` from the words after `if`: the syntax
    /// layer reads it into nodes, which are typed and resolved here in the order written,
    /// so the first mistake told is the first one made.
    pub fn condition(&mut self, args: &[Arg], head: Span) -> Option<Condition> {
        let parsed = parse_condition(args, head);
        let condition = self.check_node(parsed.tree)?;
        if let Some(error) = parsed.trailing {
            self.invalid_condition(error);
            return None;
        }
        Some(condition)
    }

    fn invalid_condition(&mut self, error: ConditionError) {
        self.error(CheckError::InvalidCondition {
            message: error.message,
            span: error.span.into(),
            label: error.label,
            help: error.help,
        });
    }

    fn check_node(&mut self, node: Node) -> Option<Condition> {
        match node {
            Node::Or(a, b) => {
                let a = self.check_node(*a)?;
                let b = self.check_node(*b)?;
                Some(Condition::Or(Box::new(a), Box::new(b)))
            }
            Node::And(a, b) => {
                let a = self.check_node(*a)?;
                let b = self.check_node(*b)?;
                Some(Condition::And(Box::new(a), Box::new(b)))
            }
            Node::Not(inner) => Some(Condition::Not(Box::new(self.check_node(*inner)?))),
            Node::Is { operand, span } => {
                let operand = self.check_operand(operand)?;
                if operand.ty() != Type::Bool {
                    self.error(CheckError::ConditionType {
                        found: operand.ty().describe().into(),
                        span: span.into(),
                        help: format!(
                            "compare it with something, e.g. `… > 0` or `… == \"text\"`; {EXAMPLES}"
                        ),
                    });
                    return None;
                }
                Some(Condition::Is(operand))
            }
            Node::Compare {
                op,
                left,
                right,
                span,
            } => {
                let left = self.check_operand(left)?;
                let right = self.check_operand(right)?;
                self.check_comparison(op, &left, &right, span)?;
                Some(Condition::Compare {
                    op,
                    left,
                    right,
                    span,
                })
            }
            Node::Invalid(error) => {
                self.invalid_condition(error);
                None
            }
        }
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

    fn check_operand(&mut self, operand: SyntaxOperand) -> Option<Operand> {
        match operand {
            SyntaxOperand::Exists(file) => Some(Operand::Exists(self.check_file(file)?)),
            SyntaxOperand::Size(file) => Some(Operand::Size(self.check_file(file)?)),
            SyntaxOperand::Count { xpath, file } => {
                let compiled = match crate::xpath::compile(&xpath.value) {
                    Ok(x) => x,
                    Err(e) => {
                        self.error(CheckError::invalid_xpath(&e, xpath.span));
                        return None;
                    }
                };
                if let Some(found) = compiled.scalar_result() {
                    self.error(CheckError::XPathNotNodes {
                        found: found.into(),
                        purpose: "count".into(),
                        span: xpath.span.into(),
                    });
                    return None;
                }
                let file = self.check_file(file)?;
                Some(Operand::Count {
                    xpath: compiled,
                    file,
                })
            }
            SyntaxOperand::RecordField {
                record,
                xpath,
                span,
            } => {
                let resolved =
                    self.resolve_record_field(&record, &xpath.value, xpath.span, span)?;
                Some(operand_of(resolved, span))
            }
            SyntaxOperand::Value {
                expr,
                bare,
                takes_file,
            } => {
                if let Expr::Path(word) = &expr
                    && bare
                    && self.misspelt_condition_word(word, takes_file)
                {
                    return None;
                }
                let span = expr.span();
                let resolved = self.resolve(&expr)?;
                Some(operand_of(resolved, span))
            }
            SyntaxOperand::Invalid(error) => {
                self.invalid_condition(error);
                None
            }
        }
    }

    /// Reports a bare word that is no variable but most likely a condition's own word
    /// (`exist "a.xml"`, `size off "a.xml"`, `True`); `true` when it did.
    fn misspelt_condition_word(&mut self, word: &Spanned<String>, takes_file: bool) -> bool {
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
    fn check_file(&mut self, file: File) -> Option<Template> {
        let expr = match file {
            File::Given(expr) => expr,
            File::Invalid(error) => {
                self.invalid_condition(error);
                return None;
            }
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
