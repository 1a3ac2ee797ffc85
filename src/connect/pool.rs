//! Spare strings and child lists of records already handled, reused for the next records so
//! reading a large file does not allocate and free every element's name, text and children.
use super::node::Node;

/// How many spare strings (and child lists) are kept at most: a few records' worth.
const MAX_SPARE: usize = 4096;

/// A free list of the allocations a [`Node`] tree is made of.
#[derive(Debug, Default)]
pub(crate) struct Pool {
    strings: Vec<String>,
    lists: Vec<Vec<Node>>,
}

impl Pool {
    /// A string holding `text`, reusing a spare allocation when there is one.
    pub(crate) fn string(&mut self, text: &str) -> String {
        match self.strings.pop() {
            Some(mut s) => {
                s.push_str(text);
                s
            }
            None => text.to_string(),
        }
    }

    /// An element called `name` with no text and no children.
    pub(crate) fn node(&mut self, name: &str) -> Node {
        Node {
            name: self.string(name),
            nil: false,
            text: self.strings.pop().unwrap_or_default(),
            children: self.lists.pop().unwrap_or_default(),
        }
    }

    /// Keeps a string's allocation for later (cleared).
    pub(crate) fn put_string(&mut self, mut s: String) {
        if s.capacity() > 0 && self.strings.len() < MAX_SPARE {
            s.clear();
            self.strings.push(s);
        }
    }

    /// Takes a whole tree apart and keeps its allocations for later.
    pub(crate) fn put(&mut self, node: Node) {
        let Node {
            name,
            text,
            mut children,
            ..
        } = node;
        self.put_string(name);
        self.put_string(text);
        while let Some(child) = children.pop() {
            self.put(child);
        }
        if children.capacity() > 0 && self.lists.len() < MAX_SPARE {
            self.lists.push(children);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reused_allocations_come_back_empty() {
        let mut pool = Pool::default();
        let tree = Node::new("Customer")
            .with(Node::leaf("Id", "7"))
            .with(Node::leaf("CompanyName", "Acme"));
        pool.put(tree);
        let node = pool.node("Sku");
        assert_eq!(node, Node::new("Sku"));
        assert_eq!(pool.string("x"), "x");
    }
}
