//! The compiled form of an XPath expression: spanned expression nodes and location steps.

use std::ops::Range;

use super::env::VarType;
use super::function::Function;

/// An expression with the byte range of its source text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Expr {
    pub(crate) kind: ExprKind,
    pub(crate) span: Range<usize>,
    /// Levels of expressions below and including this one; bounded so evaluation cannot
    /// exhaust the stack.
    pub(crate) height: usize,
}

impl Expr {
    /// A node over `kind`, with its height computed from its children.
    pub(crate) fn new(kind: ExprKind, span: Range<usize>) -> Self {
        let max = |exprs: &[Expr]| exprs.iter().map(|e| e.height).max().unwrap_or(0);
        let below = match &kind {
            ExprKind::Binary { lhs, rhs, .. } => lhs.height.max(rhs.height),
            ExprKind::Negate(operand) => operand.height,
            ExprKind::Literal(_) | ExprKind::Number(_) | ExprKind::Variable { .. } => 0,
            ExprKind::Call { args, .. } => max(args),
            ExprKind::Path(path) => {
                let start = match &path.start {
                    PathStart::Filter {
                        primary,
                        predicates,
                    } => primary.height.max(max(predicates)),
                    PathStart::Root | PathStart::Context => 0,
                };
                path.steps
                    .iter()
                    .map(|step| max(&step.predicates))
                    .fold(start, usize::max)
            }
        };
        Self {
            kind,
            span,
            height: below + 1,
        }
    }
}

/// What an expression computes.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ExprKind {
    Binary {
        op: BinaryOp,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    Negate(Box<Expr>),
    Literal(String),
    Number(f64),
    Call {
        function: Function,
        args: Vec<Expr>,
    },
    Path(Path),
    /// `$name`: a param or `let` bound by the caller.
    Variable {
        name: String,
        kind: VarType,
    },
}

/// A binary operator, from loosest to tightest binding group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BinaryOp {
    Or,
    And,
    Eq,
    NotEq,
    Lt,
    LtEq,
    Gt,
    GtEq,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Union,
}

/// A location path or a filter expression followed by steps.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Path {
    pub(crate) start: PathStart,
    pub(crate) steps: Vec<Step>,
}

/// Where a path starts.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum PathStart {
    /// `/…`: the document root.
    Root,
    /// A relative path: the context node.
    Context,
    /// `(expr)[pred]/…`: a node-set expression with predicates.
    Filter {
        primary: Box<Expr>,
        predicates: Vec<Expr>,
    },
}

/// One location step: `axis::test[predicate]…`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Step {
    pub(crate) axis: Axis,
    pub(crate) test: NodeTest,
    pub(crate) predicates: Vec<Expr>,
}

/// The XPath 1.0 axes zynk evaluates (all but `namespace`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Axis {
    Ancestor,
    AncestorOrSelf,
    Attribute,
    Child,
    Descendant,
    DescendantOrSelf,
    Following,
    FollowingSibling,
    Parent,
    Preceding,
    PrecedingSibling,
    /// `self::`
    Itself,
}

impl Axis {
    /// Whether proximity positions count backwards from the context node.
    pub(crate) fn is_reverse(self) -> bool {
        matches!(
            self,
            Axis::Ancestor | Axis::AncestorOrSelf | Axis::Preceding | Axis::PrecedingSibling
        )
    }
}

/// What a step keeps from its axis.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum NodeTest {
    /// A name, matched by local name; the prefix is kept only for display.
    Name {
        prefix: Option<String>,
        local: String,
    },
    /// `*` or `prefix:*`: any node of the axis' principal type.
    Any,
    Text,
    Node,
    Comment,
    ProcessingInstruction(Option<String>),
}

/// Calls `f` on `expr` and every expression below it.
pub(crate) fn visit(expr: &Expr, f: &mut dyn FnMut(&Expr)) {
    f(expr);
    match &expr.kind {
        ExprKind::Binary { lhs, rhs, .. } => {
            visit(lhs, f);
            visit(rhs, f);
        }
        ExprKind::Negate(operand) => visit(operand, f),
        ExprKind::Call { args, .. } => args.iter().for_each(|a| visit(a, f)),
        ExprKind::Path(path) => {
            if let PathStart::Filter {
                primary,
                predicates,
            } = &path.start
            {
                visit(primary, f);
                predicates.iter().for_each(|p| visit(p, f));
            }
            for step in &path.steps {
                step.predicates.iter().for_each(|p| visit(p, f));
            }
        }
        ExprKind::Literal(_) | ExprKind::Number(_) | ExprKind::Variable { .. } => {}
    }
}
