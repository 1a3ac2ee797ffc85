//! The syntax tree of a script, as written: every node carries its span.
use std::time::Duration;

use crate::source::{Span, Spanned};

/// A parsed script.
#[derive(Debug, Clone, Default)]
pub struct Ast {
    pub items: Vec<Item>,
}

/// A line of a script.
#[derive(Debug, Clone)]
pub enum Item {
    Workflow(Workflow),
    Param(Binding),
    Let(Binding),
    Statement(Statement),
    /// A field mapping, only meaningful inside `map`.
    Field(Field),
}

/// `"Target/Path" = VALUE [if not empty | if VALUE] [default VALUE]`.
#[derive(Debug, Clone)]
pub struct Field {
    pub target: StringLit,
    pub value: Expr,
    pub condition: Option<FieldCondition>,
    pub default: Option<Expr>,
    pub span: Span,
}

/// When a field is written.
#[derive(Debug, Clone)]
pub enum FieldCondition {
    /// `if not empty`
    NotEmpty(Span),
    /// `if VALUE` (an XPath)
    When(Expr),
}

/// `workflow "Name"`.
#[derive(Debug, Clone)]
pub struct Workflow {
    pub name: Expr,
    pub span: Span,
}

/// `param name = value` or `let name = value`.
#[derive(Debug, Clone)]
pub struct Binding {
    pub name: Spanned<String>,
    pub value: Expr,
    pub span: Span,
}

/// A statement: its words and values, an optional block and `or continue`.
#[derive(Debug, Clone)]
pub struct Statement {
    pub args: Vec<Arg>,
    pub block: Option<Block>,
    /// `else { … }` after the block (`else if …` is a block holding one `if`).
    pub otherwise: Option<Block>,
    pub continue_on_failure: Option<Span>,
    pub span: Span,
}

/// `{ … }` after a statement.
#[derive(Debug, Clone)]
pub struct Block {
    pub items: Vec<Item>,
    pub span: Span,
}

/// One element of a statement.
#[derive(Debug, Clone)]
pub enum Arg {
    /// A bare name: a keyword, an option, or a variable, decided by the checker.
    Word(Spanned<String>),
    Value(Expr),
}

impl Arg {
    #[must_use]
    pub fn span(&self) -> Span {
        match self {
            Arg::Word(w) => w.span,
            Arg::Value(v) => v.span(),
        }
    }
}

/// A value as written.
#[derive(Debug, Clone)]
pub enum Expr {
    String(StringLit),
    Number {
        value: f64,
        span: Span,
    },
    Duration {
        value: Duration,
        span: Span,
    },
    /// An XPath literal; `text_span` covers the text between the backticks.
    XPath {
        text: String,
        text_span: Span,
        span: Span,
    },
    Call {
        name: Spanned<String>,
        args: Vec<Expr>,
        span: Span,
    },
    /// A variable path such as `site` or `file.stem`; also `true` and `false`.
    Path(Spanned<String>),
    /// A field of a `foreach` record: `order `Id`` (in a string: `${order `Id`}`).
    RecordField {
        record: Spanned<String>,
        xpath: String,
        text_span: Span,
        span: Span,
    },
}

impl Expr {
    #[must_use]
    pub fn span(&self) -> Span {
        match self {
            Expr::String(s) => s.span,
            Expr::Number { span, .. }
            | Expr::Duration { span, .. }
            | Expr::XPath { span, .. }
            | Expr::Call { span, .. }
            | Expr::RecordField { span, .. } => *span,
            Expr::Path(p) => p.span,
        }
    }
}

/// A string literal, split into text and `${…}` parts.
#[derive(Debug, Clone)]
pub struct StringLit {
    pub parts: Vec<StrPart>,
    pub span: Span,
}

/// A piece of a string literal.
#[derive(Debug, Clone)]
pub enum StrPart {
    Text(String),
    Interp(Expr),
}
