//! A small indenting XML writer for the Connect XML the shop sends.

/// Builds an XML document as a string, two spaces per level, as the Zynk samples are laid out.
#[derive(Debug, Default)]
pub(super) struct XmlWriter {
    out: String,
    depth: usize,
}

/// Escapes text for element content (quotes need no escaping there, and stay readable).
#[must_use]
pub(super) fn escape(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => s.push_str("&amp;"),
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            c => s.push(c),
        }
    }
    s
}

impl XmlWriter {
    /// A document with the XML declaration.
    #[must_use]
    pub(super) fn document() -> XmlWriter {
        XmlWriter {
            out: "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n".to_string(),
            depth: 0,
        }
    }

    fn indent(&mut self) {
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
    }

    /// Opens `<tag attrs>`; `attrs` is written as given.
    pub(super) fn open_with(&mut self, tag: &str, attrs: &str) {
        self.indent();
        self.out.push('<');
        self.out.push_str(tag);
        if !attrs.is_empty() {
            self.out.push(' ');
            self.out.push_str(attrs);
        }
        self.out.push_str(">\n");
        self.depth += 1;
    }

    pub(super) fn open(&mut self, tag: &str) {
        self.open_with(tag, "");
    }

    pub(super) fn close(&mut self, tag: &str) {
        self.depth = self.depth.saturating_sub(1);
        self.indent();
        self.out.push_str("</");
        self.out.push_str(tag);
        self.out.push_str(">\n");
    }

    /// `<tag>text</tag>`.
    pub(super) fn leaf(&mut self, tag: &str, text: &str) {
        self.indent();
        self.out
            .push_str(&format!("<{tag}>{}</{tag}>\n", escape(text)));
    }

    /// `<tag>text</tag>`, or nothing when `text` is empty.
    pub(super) fn leaf_opt(&mut self, tag: &str, text: &str) {
        if !text.is_empty() {
            self.leaf(tag, text);
        }
    }

    /// `<tag />`.
    pub(super) fn empty(&mut self, tag: &str) {
        self.indent();
        self.out.push_str(&format!("<{tag} />\n"));
    }

    #[must_use]
    pub(super) fn finish(self) -> String {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_indents() {
        let mut w = XmlWriter::document();
        w.open("Company");
        w.leaf("Name", "Smith & Sons <Ltd>");
        w.leaf_opt("Skip", "");
        w.empty("Products");
        w.close("Company");
        assert_eq!(
            w.finish(),
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Company>\n  <Name>Smith &amp; Sons &lt;Ltd&gt;</Name>\n  <Products />\n</Company>\n"
        );
    }
}
