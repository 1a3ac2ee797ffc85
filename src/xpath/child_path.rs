//! `ChildPath`: the shape of a path a streaming splitter can follow without building a tree.

use super::ast::{Axis, BinaryOp, Expr, ExprKind, NodeTest, Path, PathStart};

/// A path made only of child steps, e.g. `/Company/Products/Product`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChildPath {
    /// Whether the path starts at the document root (`/…`).
    pub absolute: bool,
    pub steps: Vec<ChildStep>,
}

/// One child step: an element local name plus `[@attr='literal']` conditions, all of which must hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChildStep {
    /// The element's local name (any prefix in the expression is dropped).
    pub name: String,
    /// `(attribute local name, value)` pairs the element's attributes must equal.
    pub attr_equals: Vec<(String, String)>,
}

/// The child-step shape of `expr`, if it has one.
pub(crate) fn child_path(expr: &Expr) -> Option<ChildPath> {
    let ExprKind::Path(Path { start, steps }) = &expr.kind else {
        return None;
    };
    let absolute = match start {
        PathStart::Root => true,
        PathStart::Context => false,
        PathStart::Filter { .. } => return None,
    };
    if steps.is_empty() {
        return None;
    }
    let steps = steps
        .iter()
        .map(|step| {
            let NodeTest::Name { local, .. } = &step.test else {
                return None;
            };
            if step.axis != Axis::Child {
                return None;
            }
            let mut attr_equals = Vec::new();
            for predicate in &step.predicates {
                collect_attr_equals(predicate, &mut attr_equals)?;
            }
            Some(ChildStep {
                name: local.clone(),
                attr_equals,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    Some(ChildPath { absolute, steps })
}

/// Adds the conditions of `@a='x'`, `'x'=@a` or an `and` of them; `None` for anything else.
fn collect_attr_equals(predicate: &Expr, out: &mut Vec<(String, String)>) -> Option<()> {
    let ExprKind::Binary { op, lhs, rhs } = &predicate.kind else {
        return None;
    };
    match op {
        BinaryOp::And => {
            collect_attr_equals(lhs, out)?;
            collect_attr_equals(rhs, out)
        }
        BinaryOp::Eq => {
            let pair = match (
                attribute_name(lhs),
                &rhs.kind,
                attribute_name(rhs),
                &lhs.kind,
            ) {
                (Some(name), ExprKind::Literal(value), _, _)
                | (_, _, Some(name), ExprKind::Literal(value)) => (name, value.clone()),
                _ => return None,
            };
            out.push(pair);
            Some(())
        }
        _ => None,
    }
}

/// The local name in a bare `@name` path.
fn attribute_name(expr: &Expr) -> Option<String> {
    match &expr.kind {
        ExprKind::Path(Path {
            start: PathStart::Context,
            steps,
        }) => match steps.as_slice() {
            [step] if step.axis == Axis::Attribute && step.predicates.is_empty() => {
                match &step.test {
                    NodeTest::Name { local, .. } => Some(local.clone()),
                    _ => None,
                }
            }
            _ => None,
        },
        _ => None,
    }
}
