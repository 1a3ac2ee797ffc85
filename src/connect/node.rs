//! A generic Connect XML element tree: one record kept whole so it can be written back out.

/// One XML element: its name, `xsi:nil` flag, text (for leaves) and child elements in document order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Node {
    /// Element name as written in the file (no namespace prefix in Connect XML).
    pub name: String,
    /// True when the element carried `xsi:nil="true"`.
    pub nil: bool,
    /// Text content (character data joined); whitespace-only text beside child elements is dropped.
    pub text: String,
    /// Child elements in document order.
    pub children: Vec<Node>,
}

impl Node {
    /// An empty element called `name`.
    pub fn new(name: impl Into<String>) -> Node {
        Node {
            name: name.into(),
            ..Node::default()
        }
    }

    /// A leaf element holding `text`.
    pub fn leaf(name: impl Into<String>, text: impl Into<String>) -> Node {
        Node {
            name: name.into(),
            text: text.into(),
            ..Node::default()
        }
    }

    /// A leaf element marked `xsi:nil="true"`.
    pub fn nil(name: impl Into<String>) -> Node {
        Node {
            name: name.into(),
            nil: true,
            ..Node::default()
        }
    }

    /// Appends a child and returns `self` for chaining.
    pub fn with(mut self, child: Node) -> Node {
        self.children.push(child);
        self
    }

    /// The first child called `name`.
    pub fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }

    /// The first child called `name`, mutably.
    pub fn child_mut(&mut self, name: &str) -> Option<&mut Node> {
        self.children.iter_mut().find(|c| c.name == name)
    }

    /// Every child called `name`.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The trimmed text of child `name`, or `None` when it is missing, nil or empty.
    pub fn text_of(&self, name: &str) -> Option<&str> {
        self.child(name)?.value()
    }

    /// This element's trimmed text, or `None` when it is nil or empty.
    pub fn value(&self) -> Option<&str> {
        if self.nil {
            return None;
        }
        let text = self.text.trim();
        (!text.is_empty()).then_some(text)
    }

    /// Sets child `name` to `value` (clearing nil), inserting it after the last child whose
    /// name is in `after` (or first) when it is missing.
    pub fn set_child_text(&mut self, name: &str, value: &str, after: &[&str]) {
        if let Some(child) = self.child_mut(name) {
            child.nil = false;
            child.children.clear();
            child.text = value.to_string();
            return;
        }
        let position = self
            .children
            .iter()
            .rposition(|c| after.contains(&c.name.as_str()))
            .map_or(0, |i| i + 1);
        self.children.insert(position, Node::leaf(name, value));
    }

    /// Removes every child called `name`.
    pub fn remove_children(&mut self, name: &str) {
        self.children.retain(|c| c.name != name);
    }
}
