//! `subtree_reach`: whether an expression stays inside the subtree of an ancestor of its context node.

use super::ast::{Axis, BinaryOp, Expr, ExprKind, PathStart};
use super::function::Function;

/// See [`super::XPath::subtree_reach`].
pub(crate) fn reach(expr: &Expr, depth: usize) -> Option<usize> {
    match &expr.kind {
        ExprKind::Literal(_) | ExprKind::Number(_) => Some(depth),
        // A variable's nodes, if any, are the record's or below it (its `let` stays inside).
        ExprKind::Variable { .. } => Some(0),
        ExprKind::Negate(operand) => reach(operand, depth).map(|_| depth),
        ExprKind::Binary { op, lhs, rhs } => {
            let left = reach(lhs, depth)?;
            let right = reach(rhs, depth)?;
            Some(if *op == BinaryOp::Union {
                left.min(right)
            } else {
                depth
            })
        }
        ExprKind::Call {
            function: Function::SumOf,
            args,
        } => {
            let nodes = reach(args.first()?, depth)?;
            reach(args.get(1)?, nodes)?;
            Some(depth)
        }
        // `lang()` reads the ancestors' `xml:lang`; `generate-id()` must differ between
        // nodes of different records; `current()` is the outermost context, whatever
        // level the call stands at: all three need the whole document.
        ExprKind::Call {
            function: Function::Lang | Function::GenerateId | Function::Current,
            ..
        } => None,
        ExprKind::Call { args, .. } => {
            for arg in args {
                reach(arg, depth)?;
            }
            Some(depth)
        }
        ExprKind::Path(path) => {
            let mut level = match &path.start {
                PathStart::Root => return None,
                PathStart::Context => depth,
                PathStart::Filter {
                    primary,
                    predicates,
                } => {
                    let level = reach(primary, depth)?;
                    for predicate in predicates {
                        reach(predicate, level)?;
                    }
                    level
                }
            };
            for step in &path.steps {
                level = match step.axis {
                    Axis::Child | Axis::Attribute | Axis::Descendant => level + 1,
                    Axis::DescendantOrSelf | Axis::Itself => level,
                    Axis::Parent => level.checked_sub(1)?,
                    // Siblings of a node below A are below A; A's own are not.
                    Axis::FollowingSibling | Axis::PrecedingSibling if level > 0 => level,
                    Axis::FollowingSibling
                    | Axis::PrecedingSibling
                    | Axis::Ancestor
                    | Axis::AncestorOrSelf
                    | Axis::Following
                    | Axis::Preceding => return None,
                };
                for predicate in &step.predicates {
                    reach(predicate, level)?;
                }
            }
            Some(level)
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::xpath::compile;

    fn reach(expr: &str, depth: usize) -> Option<usize> {
        compile(expr).ok().and_then(|x| x.subtree_reach(depth))
    }

    #[test]
    fn relative_paths_stay_below_the_record() {
        assert_eq!(reach("id", 0), Some(1));
        assert_eq!(reach("customer/first-name", 0), Some(2));
        assert_eq!(reach("@id", 0), Some(1));
        assert_eq!(reach(".", 0), Some(0));
        assert_eq!(reach(".//sku", 0), Some(1));
        assert_eq!(reach("line-items/line-item", 0), Some(2));
        assert_eq!(reach("../../id", 2), Some(1));
        assert_eq!(reach("sum(items/item[qty > 1]/price)", 0), Some(0));
        assert_eq!(reach("a | b/c", 0), Some(1));
        assert_eq!(reach("(a/b)[1]/c", 0), Some(3));
        assert_eq!(reach("concat(first, ' ', last)", 0), Some(0));
        assert_eq!(reach("x[../y = 1]", 0), Some(1));
        assert_eq!(reach("'literal'", 3), Some(3));
    }

    #[test]
    fn paths_that_leave_the_record_are_none() {
        assert_eq!(reach("/orders/currency", 0), None);
        assert_eq!(reach("//currency", 0), None);
        assert_eq!(reach("..", 0), None);
        assert_eq!(reach("../currency", 0), None);
        assert_eq!(reach("../../../id", 2), None);
        assert_eq!(reach(".//..", 0), None);
        assert_eq!(reach("parent::*/x", 0), None);
        assert_eq!(reach("x[../../y]", 0), None);
        assert_eq!(reach("concat(id, /orders/@shop)", 0), None);
        assert_eq!(reach("-(../n)", 0), None);
        assert_eq!(reach("a | //b", 0), None);
        assert_eq!(reach("lang('en')", 0), None);
        assert_eq!(reach("generate-id(.)", 0), None);
        assert_eq!(reach("x[. = current()/y]", 0), None);
    }
}
