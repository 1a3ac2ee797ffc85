//! `Namespaces`: the namespace declarations in scope while streaming, carried onto each record before it is parsed alone.

use quick_xml::events::BytesStart;

/// Declarations (`xmlns="…"`, `xmlns:p="…"`) of the open elements above the reader.
#[derive(Default)]
pub(crate) struct Namespaces {
    /// `(depth of the declaring element, attribute name, raw value)`.
    scope: Vec<(usize, String, String)>,
}

impl Namespaces {
    /// Records the declarations on the start tag of an element opened at `depth`.
    pub(crate) fn open(&mut self, depth: usize, start: &BytesStart) {
        for attr in start.attributes().flatten() {
            if attr.key.as_namespace_binding().is_some() {
                self.scope
                    .push((depth, attr.key.as_ref().to_owned(), attr.value.to_string()));
            }
        }
    }

    /// Whether no declaration is in scope.
    pub(crate) fn is_empty(&self) -> bool {
        self.scope.is_empty()
    }

    /// Forgets the declarations of the element at `depth`, which has closed.
    pub(crate) fn close(&mut self, depth: usize) {
        while self.scope.last().is_some_and(|(d, _, _)| *d >= depth) {
            self.scope.pop();
        }
    }

    /// The declarations in scope that the record's own start tag does not make, as
    /// attribute text to insert after the record's name (empty when there are none).
    pub(crate) fn carried(&self, record: &BytesStart) -> String {
        let own: Vec<String> = record
            .attributes()
            .flatten()
            .filter(|a| a.key.as_namespace_binding().is_some())
            .map(|a| a.key.as_ref().to_owned())
            .collect();
        let mut text = String::new();
        let mut seen: Vec<&str> = Vec::new();
        // Innermost first, so a redeclaration hides the outer binding.
        for (_, name, value) in self.scope.iter().rev() {
            if own.contains(name) || seen.contains(&name.as_str()) {
                continue;
            }
            seen.push(name);
            text.push(' ');
            text.push_str(name);
            text.push_str("=\"");
            for c in value.chars() {
                match c {
                    '"' => text.push_str("&quot;"),
                    '\n' | '\r' | '\t' => text.push(' '),
                    c => text.push(c),
                }
            }
            text.push('"');
        }
        text
    }
}
