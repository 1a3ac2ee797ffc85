//! An XPath 1.0 subset over roxmltree: compile once at check time, evaluate at run time.
//!
//! See `docs/xpath.md` for the supported subset. In short: location paths with every
//! axis but `namespace`, predicates, the usual operators, `$variables`, the core function
//! library minus `id()` and `lang()`, XSLT's `format-number()` and zynk's extensions
//! (`format-date()`, `sum-of()`, `lookup()`). Name tests match by **local name**, so
//! `/Orders/Order` finds elements in a default namespace.

mod ast;
mod child_path;
mod env;
mod error;
mod eval;
mod format_date;
mod format_number;
mod function;
mod lexer;
mod node;
mod parser;
mod record_field;
mod subtree;
mod suggest;
mod value;

use std::fmt;

pub use child_path::{ChildPath, ChildStep};
pub use env::{Env, Names, VarType};
pub use error::{EvalError, XPathError};
pub use node::XNode;
pub use record_field::child_text;
pub use value::{Value, render};

use ast::Expr;
use eval::Context;

/// A compiled XPath expression.
#[derive(Clone)]
pub struct XPath {
    source: String,
    expr: Expr,
}

/// Compiles `expr`, reporting the first mistake with a span inside `expr`.
///
/// # Errors
///
/// An [`XPathError`] for text that is not XPath 1.0 or uses something outside zynk's
/// subset; its [`span`](XPathError::span) is a byte range inside `expr`.
pub fn compile(expr: &str) -> Result<XPath, XPathError> {
    compile_with(expr, &Names::default())
}

/// Compiles `expr`, which may use the variables and lookup tables of `names`.
///
/// # Errors
///
/// As [`compile`]; a `$name` or `lookup('table', …)` that `names` does not hold is an
/// error too.
pub fn compile_with(expr: &str, names: &Names) -> Result<XPath, XPathError> {
    let tokens = lexer::lex(expr)?;
    let parsed = parser::parse(expr, tokens, names)?;
    Ok(XPath {
        source: expr.to_owned(),
        expr: parsed,
    })
}

impl XPath {
    /// The expression text as compiled.
    #[must_use]
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Evaluates the expression with `context` as context node (position 1 of 1).
    ///
    /// # Errors
    ///
    /// None at present: type errors are caught by [`compile`]. The `Result` leaves room
    /// for run-time limits.
    pub fn evaluate<'a, 'i>(
        &self,
        context: roxmltree::Node<'a, 'i>,
    ) -> Result<Value<'a, 'i>, EvalError> {
        self.evaluate_in(context, &env::NoEnv)
    }

    /// Evaluates the expression with `context` as context node, taking the values of
    /// `$name` variables and `lookup()` tables from `env`.
    ///
    /// # Errors
    ///
    /// As [`evaluate`](Self::evaluate).
    pub fn evaluate_in<'a, 'i>(
        &self,
        context: roxmltree::Node<'a, 'i>,
        env: &dyn Env<'a, 'i>,
    ) -> Result<Value<'a, 'i>, EvalError> {
        Ok(eval::eval(
            &self.expr,
            Context {
                node: XNode::Node(context),
                position: 1,
                size: 1,
            },
            env,
        ))
    }

    /// The names of the `$variables` the expression uses, in order of first use.
    #[must_use]
    pub fn variables(&self) -> Vec<String> {
        let mut out = Vec::new();
        ast::visit(&self.expr, &mut |e| {
            if let ast::ExprKind::Variable { name, .. } = &e.kind
                && !out.contains(name)
            {
                out.push(name.clone());
            }
        });
        out
    }

    /// The selected tree nodes in document order.
    ///
    /// # Errors
    ///
    /// [`EvalError::NotANodeSet`] when the expression yields a scalar and
    /// [`EvalError::AttributeSelected`] when it yields attributes, which are not tree nodes.
    pub fn select<'a, 'i>(
        &self,
        context: roxmltree::Node<'a, 'i>,
    ) -> Result<Vec<roxmltree::Node<'a, 'i>>, EvalError> {
        let span = 0..self.source.len();
        match self.evaluate(context)? {
            Value::Nodes(nodes) => nodes
                .iter()
                .map(|node| {
                    node.as_node()
                        .ok_or_else(|| EvalError::AttributeSelected { span: span.clone() })
                })
                .collect(),
            other => Err(EvalError::NotANodeSet {
                found: other.type_name().to_owned(),
                span,
            }),
        }
    }

    /// `None` when the expression yields a node-set; otherwise what it yields instead
    /// ("a number", "a string", "a boolean"), known without evaluating it.
    #[must_use]
    pub fn scalar_result(&self) -> Option<&'static str> {
        if parser::is_node_set(&self.expr) {
            None
        } else {
            Some(parser::scalar_kind(&self.expr))
        }
    }

    /// What a node-set expression selects when that is certainly not elements ("text
    /// nodes", "attributes", "comments", "processing instructions"): its last step says so,
    /// on every side of a union. Known without evaluating it.
    #[must_use]
    pub fn non_element_result(&self) -> Option<&'static str> {
        non_element(&self.expr)
    }

    /// `Some` when the path is only child steps (optionally absolute) with optional
    /// `[@attr='literal']` predicates, e.g. `/Company/Products/Product` or
    /// `Company/Items/Item[@type='x']`: the shape a streaming splitter can follow.
    #[must_use]
    pub fn child_steps(&self) -> Option<ChildPath> {
        child_path::child_path(&self.expr)
    }

    /// Whether the expression stays inside the subtree of an ancestor A of its context
    /// node, when the context node is `depth` levels below A (0: the context node is A).
    ///
    /// `Some(d)` when every node it can visit is A, a descendant of A or an attribute of
    /// one, so it gives the same value on a copy of A's subtree; `d` is the least depth
    /// below A of the nodes it yields (`depth` for a scalar). `None` when it may leave:
    /// an absolute path (`/…`, `//…`) anywhere, or more `..` steps than levels below A.
    #[must_use]
    pub fn subtree_reach(&self, depth: usize) -> Option<usize> {
        subtree::reach(&self.expr, depth)
    }
}

impl fmt::Debug for XPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("XPath").field(&self.source).finish()
    }
}

/// See [`XPath::non_element_result`].
fn non_element(e: &Expr) -> Option<&'static str> {
    use ast::{Axis, BinaryOp, ExprKind, NodeTest};
    match &e.kind {
        ExprKind::Path(path) => {
            let last = path.steps.last()?;
            if last.axis == Axis::Attribute {
                return Some("attributes");
            }
            match last.test {
                NodeTest::Text => Some("text nodes"),
                NodeTest::Comment => Some("comments"),
                NodeTest::ProcessingInstruction(_) => Some("processing instructions"),
                _ => None,
            }
        }
        ExprKind::Binary {
            op: BinaryOp::Union,
            lhs,
            rhs,
        } => non_element(lhs).and(non_element(rhs)),
        _ => None,
    }
}
