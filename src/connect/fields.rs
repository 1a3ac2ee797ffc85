//! The first child of each wanted name, found in one pass over a record's children (instead of
//! one scan of the children per field).
use super::node::Node;

/// The first child for each of `N` slots; `slot` maps an element name to its slot.
pub(crate) struct Fields<'a, const N: usize> {
    found: [Option<&'a Node>; N],
}

impl<'a, const N: usize> Fields<'a, N> {
    /// Looks at each child of `parent` once; a later child with the same name is ignored, as
    /// [`Node::child`] finds the first.
    pub(crate) fn collect(parent: &'a Node, slot: impl Fn(&str) -> Option<usize>) -> Self {
        let mut found = [None; N];
        for child in &parent.children {
            if let Some(i) = slot(&child.name)
                && let Some(place @ None) = found.get_mut(i)
            {
                *place = Some(child);
            }
        }
        Fields { found }
    }

    /// The trimmed text of slot `i`, as [`Node::text_of`] gives it.
    pub(crate) fn str(&self, i: usize) -> Option<&'a str> {
        self.node(i).and_then(Node::value)
    }

    /// [`Fields::str`] as an owned string.
    pub(crate) fn text(&self, i: usize) -> Option<String> {
        self.str(i).map(str::to_string)
    }

    /// The element in slot `i`.
    pub(crate) fn node(&self, i: usize) -> Option<&'a Node> {
        self.found.get(i).copied().flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_child_of_a_name_counts_even_when_nil() {
        let node = Node::new("R")
            .with(Node::nil("A"))
            .with(Node::leaf("A", "later"))
            .with(Node::leaf("B", "  b  "))
            .with(Node::leaf("C", " "));
        let slot = |n: &str| match n {
            "A" => Some(0),
            "B" => Some(1),
            "C" => Some(2),
            _ => Some(9),
        };
        let f = Fields::<3>::collect(&node, slot);
        assert_eq!(f.str(0), None);
        assert_eq!(f.text(1).as_deref(), Some("b"));
        assert_eq!(f.str(2), None);
        assert_eq!(f.node(2).map(|n| n.name.as_str()), Some("C"));
        assert!(f.node(3).is_none());
    }
}
