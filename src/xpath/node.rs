//! `XNode`: a node of the XPath data model, i.e. a roxmltree node or an attribute of an element.

use std::cmp::Ordering;
use std::fmt;

use roxmltree::{Attribute, Node, NodeType};

/// A node an XPath expression can select.
///
/// roxmltree keeps attributes outside its node tree, so an attribute is held together with
/// the element that owns it.
#[derive(Clone, Copy)]
pub enum XNode<'a, 'i> {
    /// The root, an element, a text node, a comment or a processing instruction.
    Node(Node<'a, 'i>),
    /// An attribute, with its owner element and its index among the owner's attributes.
    Attribute {
        owner: Node<'a, 'i>,
        attribute: Attribute<'a, 'i>,
        index: usize,
    },
}

impl<'a, 'i> XNode<'a, 'i> {
    /// The tree node, or `None` for an attribute.
    #[must_use]
    pub fn as_node(&self) -> Option<Node<'a, 'i>> {
        match self {
            Self::Node(node) => Some(*node),
            Self::Attribute { .. } => None,
        }
    }

    /// The attribute, or `None` for a tree node.
    #[must_use]
    pub fn as_attribute(&self) -> Option<Attribute<'a, 'i>> {
        match self {
            Self::Node(_) => None,
            Self::Attribute { attribute, .. } => Some(*attribute),
        }
    }

    /// The XPath string-value: text of all descendant text nodes, or the attribute's value.
    pub fn string_value(&self) -> String {
        match self {
            Self::Attribute { attribute, .. } => attribute.value().to_owned(),
            Self::Node(node) => match node.node_type() {
                NodeType::Root | NodeType::Element => node
                    .descendants()
                    .filter(Node::is_text)
                    .filter_map(|text| text.text())
                    .collect(),
                NodeType::Text | NodeType::Comment => node.text().unwrap_or_default().to_owned(),
                NodeType::PI => node
                    .pi()
                    .and_then(|pi| pi.value)
                    .unwrap_or_default()
                    .to_owned(),
            },
        }
    }

    /// The local part of the node's name; empty for nodes without a name.
    #[must_use]
    pub fn local_name(&self) -> String {
        match self {
            Self::Attribute { attribute, .. } => attribute.name().to_owned(),
            Self::Node(node) => match node.node_type() {
                NodeType::Element => node.tag_name().name().to_owned(),
                NodeType::PI => node.pi().map(|pi| pi.target).unwrap_or_default().to_owned(),
                _ => String::new(),
            },
        }
    }

    /// Whether the node's local name is `name` (no allocation, unlike `local_name`).
    pub(crate) fn has_local_name(&self, name: &str) -> bool {
        match self {
            Self::Attribute { attribute, .. } => attribute.name() == name,
            Self::Node(node) if node.is_element() => node.tag_name().name() == name,
            Self::Node(_) => self.local_name() == name,
        }
    }

    /// The qualified name as written with the prefix in scope, e.g. `xsi:nil`.
    #[must_use]
    pub fn name(&self) -> String {
        let (scope, namespace) = match self {
            Self::Attribute {
                owner, attribute, ..
            } => (*owner, attribute.namespace()),
            Self::Node(node) if node.is_element() => (*node, node.tag_name().namespace()),
            Self::Node(_) => return self.local_name(),
        };
        match namespace.and_then(|uri| scope.lookup_prefix(uri)) {
            Some(prefix) if !prefix.is_empty() => format!("{prefix}:{}", self.local_name()),
            _ => self.local_name(),
        }
    }

    /// The namespace URI of an element or attribute; empty when it has none.
    #[must_use]
    pub fn namespace_uri(&self) -> String {
        let namespace = match self {
            Self::Attribute { attribute, .. } => attribute.namespace(),
            Self::Node(node) if node.is_element() => node.tag_name().namespace(),
            Self::Node(_) => None,
        };
        namespace.unwrap_or_default().to_owned()
    }

    /// Whether this is an element.
    #[must_use]
    pub fn is_element(&self) -> bool {
        matches!(self, Self::Node(node) if node.is_element())
    }

    /// The parent: an attribute's owner, a node's parent (none for the root).
    pub fn parent(&self) -> Option<Self> {
        match self {
            Self::Attribute { owner, .. } => Some(Self::Node(*owner)),
            Self::Node(node) => node.parent().map(Self::Node),
        }
    }

    /// The document root node.
    #[must_use]
    pub fn root(&self) -> Self {
        match self {
            Self::Attribute { owner, .. } => Self::Node(owner.document().root()),
            Self::Node(node) => Self::Node(node.document().root()),
        }
    }

    /// A key that sorts nodes of one document in document order: an element's attributes
    /// come after the element and before its children.
    pub(crate) fn order_key(&self) -> (usize, usize) {
        match self {
            Self::Node(node) => (node.id().get_usize(), 0),
            Self::Attribute { owner, index, .. } => (owner.id().get_usize(), index + 1),
        }
    }
}

impl PartialEq for XNode<'_, '_> {
    fn eq(&self, other: &Self) -> bool {
        self.order_key() == other.order_key()
    }
}

impl Eq for XNode<'_, '_> {}

impl PartialOrd for XNode<'_, '_> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for XNode<'_, '_> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.order_key().cmp(&other.order_key())
    }
}

impl fmt::Debug for XNode<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Node(node) => write!(f, "{node:?}"),
            Self::Attribute { attribute, .. } => write!(f, "{attribute:?}"),
        }
    }
}

impl<'a, 'i> From<Node<'a, 'i>> for XNode<'a, 'i> {
    fn from(node: Node<'a, 'i>) -> Self {
        Self::Node(node)
    }
}
