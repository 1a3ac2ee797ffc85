//! Evaluates a compiled expression over a roxmltree document with XPath 1.0 semantics.

use std::collections::HashMap;

use roxmltree::NodeType;

use super::ast::{Axis, BinaryOp, Expr, ExprKind, NodeTest, Path, PathStart, Step};
use super::env::Env;
use super::function::{Function, call};
use super::node::XNode;
use super::value::{Value, parse_number};

/// The evaluation context: context node, proximity position and context size.
#[derive(Clone, Copy)]
pub(crate) struct Context<'a, 'i> {
    pub(crate) node: XNode<'a, 'i>,
    pub(crate) position: usize,
    pub(crate) size: usize,
}

/// Evaluates `expr` in `context`, with variables and tables from `env`.
///
/// Type errors were ruled out at compile time, so evaluation itself cannot fail.
pub(crate) fn eval<'a, 'i>(
    expr: &Expr,
    context: Context<'a, 'i>,
    env: &dyn Env<'a, 'i>,
) -> Value<'a, 'i> {
    Evaluator {
        absolute: HashMap::new(),
        predicate_depth: 0,
        current: context.node,
        env,
    }
    .eval(expr, context)
}

/// State for one evaluation: absolute paths met inside predicates are evaluated once.
///
/// An absolute path does not depend on the context node, so in
/// `//Product[Sku = //ProductBom/Sku]` the inner path is the same for every product;
/// caching it turns a quadratic walk into a linear one.
struct Evaluator<'e, 'a, 'i> {
    absolute: HashMap<*const Path, Vec<XNode<'a, 'i>>>,
    predicate_depth: usize,
    /// XSLT's `current()`: the context node the whole expression is evaluated from.
    current: XNode<'a, 'i>,
    env: &'e dyn Env<'a, 'i>,
}

impl<'a, 'i> Evaluator<'_, 'a, 'i> {
    fn eval(&mut self, expr: &Expr, context: Context<'a, 'i>) -> Value<'a, 'i> {
        match &expr.kind {
            ExprKind::Literal(text) => Value::String(text.clone()),
            ExprKind::Number(n) => Value::Number(*n),
            ExprKind::Negate(operand) => Value::Number(-self.eval(operand, context).to_number()),
            ExprKind::Call {
                function: Function::SumOf,
                args,
            } => self.sum_of(args, context),
            ExprKind::Call {
                function: Function::Current,
                ..
            } => Value::Nodes(vec![self.current]),
            ExprKind::Call { function, args } => {
                let values: Vec<_> = args.iter().map(|arg| self.eval(arg, context)).collect();
                call(*function, &values, &context, self.env)
            }
            ExprKind::Variable { name, .. } => self
                .env
                .variable(name)
                .cloned()
                .unwrap_or_else(|| Value::String(String::new())),
            ExprKind::Path(path) => Value::Nodes(self.path_cached(path, context)),
            ExprKind::Binary { op, lhs, rhs } => self.binary(*op, lhs, rhs, context),
        }
    }

    fn binary(
        &mut self,
        op: BinaryOp,
        lhs: &Expr,
        rhs: &Expr,
        context: Context<'a, 'i>,
    ) -> Value<'a, 'i> {
        match op {
            BinaryOp::Or => Value::Boolean(
                self.eval(lhs, context).to_boolean() || self.eval(rhs, context).to_boolean(),
            ),
            BinaryOp::And => Value::Boolean(
                self.eval(lhs, context).to_boolean() && self.eval(rhs, context).to_boolean(),
            ),
            BinaryOp::Union => {
                let mut nodes = into_nodes(self.eval(lhs, context));
                nodes.extend(into_nodes(self.eval(rhs, context)));
                sort_unique(&mut nodes);
                Value::Nodes(nodes)
            }
            BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div | BinaryOp::Mod => {
                let a = self.eval(lhs, context).to_number();
                let b = self.eval(rhs, context).to_number();
                Value::Number(match op {
                    BinaryOp::Add => a + b,
                    BinaryOp::Sub => a - b,
                    BinaryOp::Mul => a * b,
                    BinaryOp::Div => a / b,
                    _ => a % b,
                })
            }
            BinaryOp::Eq
            | BinaryOp::NotEq
            | BinaryOp::Lt
            | BinaryOp::LtEq
            | BinaryOp::Gt
            | BinaryOp::GtEq => {
                let left = self.eval(lhs, context);
                let right = self.eval(rhs, context);
                Value::Boolean(compare(op, &left, &right))
            }
        }
    }

    /// `sum-of(nodes, expr)`: `expr` evaluated with each node as context, summed.
    fn sum_of(&mut self, args: &[Expr], context: Context<'a, 'i>) -> Value<'a, 'i> {
        let (Some(nodes), Some(per_node)) = (args.first(), args.get(1)) else {
            return Value::Number(f64::NAN);
        };
        let nodes = into_nodes(self.eval(nodes, context));
        let size = nodes.len();
        let mut total = 0.0;
        for (index, node) in nodes.into_iter().enumerate() {
            let inner = Context {
                node,
                position: index + 1,
                size,
            };
            total += self.eval(per_node, inner).to_number();
        }
        Value::Number(total)
    }

    /// `path`, from the cache when it is absolute and met inside a predicate.
    fn path_cached(&mut self, path: &Path, context: Context<'a, 'i>) -> Vec<XNode<'a, 'i>> {
        let cacheable = self.predicate_depth > 0 && path.start == PathStart::Root;
        if !cacheable {
            return self.path(path, context);
        }
        let key: *const Path = path;
        if let Some(nodes) = self.absolute.get(&key) {
            return nodes.clone();
        }
        let nodes = self.path(path, context);
        self.absolute.insert(key, nodes.clone());
        nodes
    }

    fn path(&mut self, path: &Path, context: Context<'a, 'i>) -> Vec<XNode<'a, 'i>> {
        let mut nodes = match &path.start {
            PathStart::Root => vec![context.node.root()],
            PathStart::Context => vec![context.node],
            PathStart::Filter {
                primary,
                predicates,
            } => {
                let mut nodes = into_nodes(self.eval(primary, context));
                for predicate in predicates {
                    nodes = self.filter(nodes, predicate);
                }
                nodes
            }
        };
        for step in &path.steps {
            let single = nodes.len() == 1 && !step.axis.is_reverse();
            let mut next = Vec::new();
            for node in nodes {
                let mut selected = match (step.axis, node) {
                    // The usual step: the children that pass, without a list of them all.
                    (Axis::Child, XNode::Node(parent)) => parent
                        .children()
                        .map(XNode::Node)
                        .filter(|child| matches_test(step, child))
                        .collect(),
                    _ => {
                        let mut all = axis_nodes(step.axis, node);
                        all.retain(|candidate| matches_test(step, candidate));
                        all
                    }
                };
                for predicate in &step.predicates {
                    selected = self.filter(selected, predicate);
                }
                next.extend(selected);
            }
            if !single {
                sort_unique(&mut next);
            }
            nodes = next;
        }
        nodes
    }

    /// Keeps the nodes for which `predicate` holds; a number means "is at this position".
    fn filter(&mut self, nodes: Vec<XNode<'a, 'i>>, predicate: &Expr) -> Vec<XNode<'a, 'i>> {
        let size = nodes.len();
        self.predicate_depth += 1;
        let kept = nodes
            .into_iter()
            .enumerate()
            .filter(|(index, node)| {
                let context = Context {
                    node: *node,
                    position: index + 1,
                    size,
                };
                match self.eval(predicate, context) {
                    #[allow(clippy::cast_precision_loss)]
                    Value::Number(n) => n == (index + 1) as f64,
                    other => other.to_boolean(),
                }
            })
            .map(|(_, node)| node)
            .collect();
        self.predicate_depth -= 1;
        kept
    }
}

fn into_nodes<'a, 'i>(value: Value<'a, 'i>) -> Vec<XNode<'a, 'i>> {
    match value {
        Value::Nodes(nodes) => nodes,
        _ => Vec::new(),
    }
}

/// A scalar operand of a comparison.
enum Atom<'s> {
    Str(&'s str),
    Num(f64),
    Bool(bool),
}

impl Atom<'_> {
    fn number(&self) -> f64 {
        match self {
            Atom::Str(s) => parse_number(s),
            Atom::Num(n) => *n,
            Atom::Bool(b) => f64::from(u8::from(*b)),
        }
    }

    fn boolean(&self) -> bool {
        match self {
            Atom::Str(s) => !s.is_empty(),
            Atom::Num(n) => *n != 0.0 && !n.is_nan(),
            Atom::Bool(b) => *b,
        }
    }
}

/// Compares two scalars with XPath 1.0's conversion rules.
fn compare_atoms(op: BinaryOp, a: &Atom, b: &Atom) -> bool {
    match op {
        BinaryOp::Eq | BinaryOp::NotEq => {
            let equal = match (a, b) {
                (Atom::Bool(_), _) | (_, Atom::Bool(_)) => a.boolean() == b.boolean(),
                (Atom::Num(_), _) | (_, Atom::Num(_)) => a.number() == b.number(),
                (Atom::Str(x), Atom::Str(y)) => x == y,
            };
            if op == BinaryOp::Eq { equal } else { !equal }
        }
        BinaryOp::Lt => a.number() < b.number(),
        BinaryOp::LtEq => a.number() <= b.number(),
        BinaryOp::Gt => a.number() > b.number(),
        _ => a.number() >= b.number(),
    }
}

fn atom<'v>(value: &'v Value) -> Atom<'v> {
    match value {
        Value::String(s) => Atom::Str(s),
        Value::Number(n) => Atom::Num(*n),
        Value::Boolean(b) => Atom::Bool(*b),
        Value::Nodes(nodes) => Atom::Bool(!nodes.is_empty()),
    }
}

/// XPath 1.0 comparison: a node-set compares existentially through its nodes'
/// string-values, except against a boolean, where the node-set becomes a boolean.
fn compare(op: BinaryOp, lhs: &Value, rhs: &Value) -> bool {
    match (lhs, rhs) {
        (Value::Nodes(a), Value::Nodes(b)) => {
            let right: Vec<String> = b.iter().map(XNode::string_value).collect();
            a.iter().any(|x| {
                let left = x.string_value();
                right
                    .iter()
                    .any(|y| compare_atoms(op, &Atom::Str(&left), &Atom::Str(y)))
            })
        }
        (Value::Nodes(_), Value::Boolean(_)) | (Value::Boolean(_), Value::Nodes(_)) => {
            compare_atoms(op, &atom(lhs), &atom(rhs))
        }
        (Value::Nodes(a), scalar) => {
            let other = atom(scalar);
            a.iter()
                .any(|x| compare_atoms(op, &Atom::Str(&x.string_value()), &other))
        }
        (scalar, Value::Nodes(b)) => {
            let other = atom(scalar);
            b.iter()
                .any(|y| compare_atoms(op, &other, &Atom::Str(&y.string_value())))
        }
        _ => compare_atoms(op, &atom(lhs), &atom(rhs)),
    }
}

/// Sorts nodes into document order and drops duplicates.
pub(crate) fn sort_unique(nodes: &mut Vec<XNode>) {
    nodes.sort_unstable();
    nodes.dedup();
}

/// The nodes on `axis` from `node`, in proximity order: document order for forward
/// axes, nearest first for reverse ones.
fn axis_nodes<'a, 'i>(axis: Axis, node: XNode<'a, 'i>) -> Vec<XNode<'a, 'i>> {
    let tree = |f: fn(roxmltree::Node<'a, 'i>) -> Vec<XNode<'a, 'i>>| match node {
        XNode::Node(n) => f(n),
        XNode::Attribute { .. } => Vec::new(),
    };
    match axis {
        Axis::Itself => vec![node],
        Axis::Parent => node.parent().into_iter().collect(),
        Axis::Ancestor => std::iter::successors(node.parent(), XNode::parent).collect(),
        Axis::AncestorOrSelf => std::iter::successors(Some(node), XNode::parent).collect(),
        Axis::Child => tree(|n| n.children().map(XNode::Node).collect()),
        Axis::Descendant => tree(|n| n.descendants().skip(1).map(XNode::Node).collect()),
        Axis::DescendantOrSelf => match node {
            XNode::Node(n) => n.descendants().map(XNode::Node).collect(),
            XNode::Attribute { .. } => vec![node],
        },
        Axis::FollowingSibling => tree(|n| n.next_siblings().skip(1).map(XNode::Node).collect()),
        Axis::PrecedingSibling => tree(|n| n.prev_siblings().skip(1).map(XNode::Node).collect()),
        Axis::Following => following(node),
        Axis::Preceding => preceding(node),
        Axis::Attribute => match node {
            XNode::Node(owner) if owner.is_element() => owner
                .attributes()
                .enumerate()
                .map(|(index, attribute)| XNode::Attribute {
                    owner,
                    attribute,
                    index,
                })
                .collect(),
            _ => Vec::new(),
        },
    }
}

/// Every node after `node` in document order except its descendants; from an attribute,
/// the nodes after its owner element's subtree (as libxml2 gives them).
fn following<'a, 'i>(node: XNode<'a, 'i>) -> Vec<XNode<'a, 'i>> {
    let start = match node {
        XNode::Node(n) => n,
        XNode::Attribute { owner, .. } => owner,
    };
    let mut out = Vec::new();
    for level in start.ancestors() {
        for sibling in level.next_siblings().skip(1) {
            out.extend(sibling.descendants().map(XNode::Node));
        }
    }
    out
}

/// Every node before `node` in document order except its ancestors, nearest first.
fn preceding<'a, 'i>(node: XNode<'a, 'i>) -> Vec<XNode<'a, 'i>> {
    let start = match node {
        XNode::Node(n) => n,
        XNode::Attribute { owner, .. } => owner,
    };
    let mut out = Vec::new();
    for level in start.ancestors() {
        for sibling in level.prev_siblings().skip(1) {
            let mut subtree: Vec<_> = sibling.descendants().map(XNode::Node).collect();
            subtree.reverse();
            out.extend(subtree);
        }
    }
    out
}

/// Whether `node` passes the step's node test. Names match by local name.
fn matches_test(step: &Step, node: &XNode) -> bool {
    let principal = |node: &XNode| match step.axis {
        Axis::Attribute => matches!(node, XNode::Attribute { .. }),
        _ => node.is_element(),
    };
    match &step.test {
        NodeTest::Node => true,
        NodeTest::Any => principal(node),
        NodeTest::Name { local, .. } => principal(node) && node.has_local_name(local),
        NodeTest::Text => node_type(node) == Some(NodeType::Text),
        NodeTest::Comment => node_type(node) == Some(NodeType::Comment),
        NodeTest::ProcessingInstruction(target) => {
            node_type(node) == Some(NodeType::PI)
                && target.as_ref().is_none_or(|t| node.has_local_name(t))
        }
    }
}

fn node_type(node: &XNode) -> Option<NodeType> {
    node.as_node().map(|n| n.node_type())
}
