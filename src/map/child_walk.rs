//! Child-step XPaths (`billing-address/city`, `line-items/line-item`) walked directly on the tree, without the general evaluator's node-set allocations.
//!
//! For a relative path of child steps the result is exactly what the evaluator gives:
//! the nodes sit at one depth, so a depth-first walk in child order meets them in
//! document order, and the first one met is the node-set's first node.

use roxmltree::Node;

use crate::xpath::{ChildPath, ChildStep, XPath};

/// The child steps of `xpath` when it is relative and made only of child steps.
pub(crate) fn relative_steps(xpath: &XPath) -> Option<Vec<ChildStep>> {
    xpath
        .child_steps()
        .filter(|path: &ChildPath| !path.absolute)
        .map(|path| path.steps)
}

/// Every element below `node` reached by `steps`, in document order.
pub(crate) fn descend<'a, 'i>(node: Node<'a, 'i>, steps: &[ChildStep]) -> Vec<Node<'a, 'i>> {
    let mut current = vec![node];
    for step in steps {
        current = current
            .iter()
            .flat_map(|parent| parent.children())
            .filter(|child| matches(step, *child))
            .collect();
    }
    current
}

/// XPath `string()` of the node-set `steps` select from `node`.
pub(crate) fn string_value(node: Node, steps: &[ChildStep]) -> String {
    first(node, steps).map(text_of).unwrap_or_default()
}

fn first<'a, 'i>(node: Node<'a, 'i>, steps: &[ChildStep]) -> Option<Node<'a, 'i>> {
    let Some((step, rest)) = steps.split_first() else {
        return Some(node);
    };
    node.children()
        .filter(|child| matches(step, *child))
        .find_map(|child| first(child, rest))
}

/// The string-value of an element: all the text below it.
fn text_of(node: Node) -> String {
    match (node.first_child(), node.last_child()) {
        (None, _) => String::new(),
        (Some(only), Some(last)) if only == last && only.is_text() => {
            only.text().unwrap_or_default().to_owned()
        }
        _ => node
            .descendants()
            .filter(Node::is_text)
            .filter_map(|text| text.text())
            .collect(),
    }
}

fn matches(step: &ChildStep, node: Node) -> bool {
    node.is_element()
        && node.tag_name().name() == step.name
        && step.attr_equals.iter().all(|(name, value)| {
            node.attributes()
                .any(|a| a.name() == name && a.value() == value)
        })
}
