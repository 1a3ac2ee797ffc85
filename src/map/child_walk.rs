//! Child-step XPaths (`billing-address/city`, `line-items/line-item`) walked directly on the tree, without the general evaluator's node-set allocations.
//!
//! For a relative path of child steps the result is exactly what the evaluator gives:
//! the nodes sit at one depth, so a depth-first walk in child order meets them in
//! document order, and the first one met is the node-set's first node.

use std::borrow::Cow;

use roxmltree::{Node, NodeId};

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
pub(crate) fn string_value<'a>(node: Node<'a, '_>, steps: &[ChildStep]) -> Cow<'a, str> {
    first(node, steps).map(text_of).unwrap_or_default()
}

/// The children of one node that one first step matches, kept for the fields that follow:
/// a record's fields often start with the same step (`billing-address/…`), and its
/// children need not be walked again for each.
#[derive(Default)]
pub(crate) struct HeadMemo {
    /// `(generation, document, node, head)`: the generation (see
    /// [`HeadMemo::string_value`]), the document's address, the node's id in it, and the
    /// number of the first step among the spec's.
    key: Option<(u64, usize, usize, usize)>,
    matches: Vec<NodeId>,
}

impl HeadMemo {
    /// XPath `string()` of the node-set `steps` select from `node`, as [`string_value`];
    /// `head` numbers `steps[0]` (equal steps, equal numbers), and `generation` must
    /// change whenever `node` may be of another document than the last call's.
    pub(crate) fn string_value<'a>(
        &mut self,
        generation: u64,
        node: Node<'a, '_>,
        head: usize,
        steps: &[ChildStep],
    ) -> Cow<'a, str> {
        let Some((step, rest)) = steps.split_first() else {
            return text_of(node);
        };
        if rest.is_empty() {
            return string_value(node, steps);
        }
        let doc = node.document();
        let address = std::ptr::from_ref(doc).addr();
        let key = (generation, address, node.id().get_usize(), head);
        if self.key != Some(key) {
            self.matches.clear();
            self.matches.extend(
                node.children()
                    .filter(|child| matches(step, *child))
                    .map(|child| child.id()),
            );
            self.key = Some(key);
        }
        self.matches
            .iter()
            .filter_map(|id| doc.get_node(*id))
            .find_map(|child| first(child, rest))
            .map(text_of)
            .unwrap_or_default()
    }
}

fn first<'a, 'i>(node: Node<'a, 'i>, steps: &[ChildStep]) -> Option<Node<'a, 'i>> {
    let Some((step, rest)) = steps.split_first() else {
        return Some(node);
    };
    node.children()
        .filter(|child| matches(step, *child))
        .find_map(|child| first(child, rest))
}

/// The string-value of an element: all the text below it (borrowed when it is one text).
fn text_of<'a>(node: Node<'a, '_>) -> Cow<'a, str> {
    match (node.first_child(), node.last_child()) {
        (None, _) => Cow::Borrowed(""),
        (Some(only), Some(last)) if only == last && only.is_text() => {
            Cow::Borrowed(only.text().unwrap_or_default())
        }
        _ => Cow::Owned(
            node.descendants()
                .filter(Node::is_text)
                .filter_map(|text| text.text())
                .collect(),
        ),
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
