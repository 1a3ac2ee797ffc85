//! Streaming, atomic writer of Connect XML `<Company>` documents (success, fail and export files).
use std::io::Write;
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use super::error::ConnectError;
use super::node::Node;
use crate::xml_input::{EncodedOutput, OutputEncoding};

/// The collections of `<Company>` in schema order, written empty around the records in Zynk's shape.
pub const COMPANY_COLLECTIONS: &[&str] = &[
    "Products",
    "Styles",
    "Inventories",
    "Customers",
    "Suppliers",
    "SalesOrders",
    "PurchaseOrders",
    "Invoices",
    "ProductGroups",
    "Transactions",
    "TaxRates",
    "PriceLists",
    "StockTransactions",
];

/// Which collections a written document carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Every `<Company>` collection, the others empty (as Zynk's success and fail files).
    Full,
    /// Only the records' own collection (as a stock export).
    Only,
}

/// Writes records into a temporary file beside the target; [`CompanyWriter::finish`] then
/// [`PendingFile::commit`] renames it into place, so readers never see a half-written file.
pub struct CompanyWriter {
    out: EncodedOutput,
    target: PathBuf,
    collection: String,
    after: Vec<&'static str>,
    opened: bool,
    count: u64,
    /// One record's text, reused from record to record.
    text: String,
}

impl CompanyWriter {
    /// Starts a document at `target` (parent folders are created) whose records go in `collection`.
    pub fn create(
        target: &Path,
        collection: &str,
        shape: Shape,
    ) -> Result<CompanyWriter, ConnectError> {
        CompanyWriter::create_encoded(target, collection, shape, None)
    }

    /// As [`CompanyWriter::create`], in `encoding` (UTF-8 when `None`), declared in the XML
    /// declaration; characters the encoding lacks are written as character references.
    pub fn create_encoded(
        target: &Path,
        collection: &str,
        shape: Shape,
        encoding: Option<&'static encoding_rs::Encoding>,
    ) -> Result<CompanyWriter, ConnectError> {
        CompanyWriter::create_in(target, collection, shape, encoding.map(OutputEncoding::of))
    }

    /// As [`CompanyWriter::create`], in `encoding` (UTF-8 when `None`) as a script asked for
    /// it, declared by the name it was asked by; characters it cannot hold are written as
    /// character references.
    pub fn create_in(
        target: &Path,
        collection: &str,
        shape: Shape,
        encoding: Option<OutputEncoding>,
    ) -> Result<CompanyWriter, ConnectError> {
        let err = |source| ConnectError::Write {
            path: target.to_path_buf(),
            source,
        };
        let temp = crate::output_file::create_for(target).map_err(err)?;
        let label = match encoding {
            Some(e) if !e.is_utf8() => e.label,
            _ => "utf-8",
        };
        let mut out = EncodedOutput::new(temp, 256 * 1024, encoding);
        let (before, after): (Vec<&'static str>, Vec<&'static str>) = match shape {
            Shape::Only => (Vec::new(), Vec::new()),
            Shape::Full => {
                let at = COMPANY_COLLECTIONS.iter().position(|c| *c == collection);
                match at {
                    Some(i) => (
                        COMPANY_COLLECTIONS[..i].to_vec(),
                        COMPANY_COLLECTIONS[i + 1..].to_vec(),
                    ),
                    None => (COMPANY_COLLECTIONS.to_vec(), Vec::new()),
                }
            }
        };
        let mut head = format!(
            "<?xml version=\"1.0\" encoding=\"{label}\"?>\n<Company xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\">\n",
        );
        for name in before {
            head.push_str(&format!("  <{name} />\n"));
        }
        out.write_all(head.as_bytes()).map_err(err)?;
        Ok(CompanyWriter {
            out,
            target: target.to_path_buf(),
            collection: collection.to_string(),
            after,
            opened: false,
            count: 0,
            text: String::with_capacity(8 * 1024),
        })
    }

    /// Appends one record.
    pub fn write(&mut self, record: &Node) -> Result<(), ConnectError> {
        let mut text = std::mem::take(&mut self.text);
        text.clear();
        if !self.opened {
            text.push_str(&format!("  <{}>\n", self.collection));
            self.opened = true;
        }
        write_node(&mut text, record, 2);
        self.count += 1;
        let written = self.out.write_all(text.as_bytes());
        self.text = text;
        written.map_err(|source| self.write_error(source))
    }

    /// How many records were written so far.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Closes the document and flushes it to disk; the target is not touched until `commit`.
    pub fn finish(mut self) -> Result<PendingFile, ConnectError> {
        let mut tail = String::new();
        if self.opened {
            tail.push_str(&format!("  </{}>\n", self.collection));
        } else {
            tail.push_str(&format!("  <{} />\n", self.collection));
        }
        for name in &self.after {
            tail.push_str(&format!("  <{name} />\n"));
        }
        tail.push_str("</Company>\n");
        if let Err(source) = self.out.write_all(tail.as_bytes()) {
            return Err(self.write_error(source));
        }
        let target = self.target.clone();
        let temp = self.out.finish().map_err(|source| ConnectError::Write {
            path: target.clone(),
            source,
        })?;
        temp.as_file()
            .sync_all()
            .map_err(|source| ConnectError::Write {
                path: target.clone(),
                source,
            })?;
        Ok(PendingFile { temp, target })
    }

    fn write_error(&self, source: std::io::Error) -> ConnectError {
        ConnectError::Write {
            path: self.target.clone(),
            source,
        }
    }
}

/// A complete document waiting to be renamed over its target.
pub struct PendingFile {
    temp: NamedTempFile,
    target: PathBuf,
}

impl PendingFile {
    /// Renames the document into place (atomic on one file system).
    pub fn commit(self) -> Result<PathBuf, ConnectError> {
        let target = self.target;
        crate::output_file::keep(self.temp, &target, true).map_err(|e| ConnectError::Write {
            path: target.clone(),
            source: e.error,
        })?;
        Ok(target)
    }
}

/// Writes a whole `<Company>` document holding `records` in `collection`, atomically.
pub fn write_document(
    target: &Path,
    collection: &str,
    shape: Shape,
    records: &[Node],
) -> Result<PathBuf, ConnectError> {
    let mut writer = CompanyWriter::create(target, collection, shape)?;
    for record in records {
        writer.write(record)?;
    }
    writer.finish()?.commit()
}

/// Two spaces per level, for the indentation of written elements.
const INDENT: &str = "                                                                ";

fn indent(out: &mut String, level: usize) {
    let mut n = level * 2;
    while n > INDENT.len() {
        out.push_str(INDENT);
        n -= INDENT.len();
    }
    out.push_str(&INDENT[..n]);
}

/// Serialises `node` as indented XML at `level` (two spaces per level).
pub fn write_node(out: &mut String, node: &Node, level: usize) {
    indent(out, level);
    out.push('<');
    out.push_str(&node.name);
    if node.nil {
        out.push_str(" xsi:nil=\"true\" />\n");
        return;
    }
    if node.children.is_empty() {
        if node.text.is_empty() {
            out.push_str(" />\n");
        } else {
            out.push('>');
            escape_into(out, &node.text);
            out.push_str("</");
            out.push_str(&node.name);
            out.push_str(">\n");
        }
        return;
    }
    out.push_str(">\n");
    for child in &node.children {
        write_node(out, child, level + 1);
    }
    indent(out, level);
    out.push_str("</");
    out.push_str(&node.name);
    out.push_str(">\n");
}

/// True for a byte that may start something [`escape_into`] changes: markup characters,
/// control characters, and `0xEF`, the first byte of U+FFFE and U+FFFF in UTF-8.
fn needs_escaping(b: u8) -> bool {
    NEEDS_ESCAPING[b as usize]
}

/// [`needs_escaping`] for every byte value, looked up instead of compared byte by byte.
const NEEDS_ESCAPING: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        table[b] = matches!(byte, b'&' | b'<' | b'>' | 0xEF)
            || (byte < 0x20 && byte != b'\t' && byte != b'\n');
        b += 1;
    }
    table
};

/// Escapes text content, dropping characters XML 1.0 does not allow.
pub fn escape_into(out: &mut String, text: &str) {
    // Most values need no escaping: copy them whole.
    let Some(first) = text.bytes().position(needs_escaping) else {
        out.push_str(text);
        return;
    };
    out.push_str(&text[..first]);
    for ch in text[first..].chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#xD;"),
            '\t' | '\n' => out.push(ch),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_keeps_plain_text_and_fixes_the_rest() {
        let mut out = String::new();
        escape_into(&mut out, "plain text \u{e9}\u{20ac}\u{FFFD}");
        assert_eq!(out, "plain text \u{e9}\u{20ac}\u{FFFD}");
        out.clear();
        escape_into(
            &mut out,
            "a \u{e9} & <b>\r\n\tc\u{1}\u{FFFE}\u{FFFF}\u{FFFD}d",
        );
        assert_eq!(out, "a \u{e9} &amp; &lt;b&gt;&#xD;\n\tc\u{FFFD}d");
    }

    #[test]
    fn an_encoded_document_says_so_and_references_what_it_lacks() {
        let dir = tempfile::tempdir().ok();
        let Some(dir) = dir else { return };
        let target = dir.path().join("success.xml");
        let written = CompanyWriter::create_encoded(
            &target,
            "Customers",
            Shape::Only,
            Some(encoding_rs::WINDOWS_1252),
        )
        .and_then(|mut w| {
            w.write(&Node::new("Customer").with(Node::leaf("CompanyName", "Café € \u{3042}")))?;
            w.finish()?.commit()
        });
        assert!(written.is_ok(), "{written:?}");
        let bytes = std::fs::read(&target).unwrap_or_default();
        assert!(bytes.starts_with(b"<?xml version=\"1.0\" encoding=\"windows-1252\"?>"));
        let needle = b"<CompanyName>Caf\xE9 \x80 &#12354;</CompanyName>";
        assert!(bytes.windows(needle.len()).any(|w| w == needle));
        let back = crate::connect::read_all(&target, "Customers", "Customer");
        let name = back
            .ok()
            .and_then(|r| r.first()?.text_of("CompanyName").map(String::from));
        assert_eq!(name.as_deref(), Some("Café € \u{3042}"));
    }

    #[test]
    fn deep_elements_are_indented_two_spaces_a_level() {
        let mut out = String::new();
        let mut node = Node::leaf("Leaf", "x");
        for _ in 0..40 {
            node = Node::new("Level").with(node);
        }
        write_node(&mut out, &node, 0);
        let leaf = out
            .lines()
            .find(|l| l.contains("<Leaf>"))
            .unwrap_or_default();
        assert_eq!(leaf, format!("{}<Leaf>x</Leaf>", " ".repeat(80)));
    }
}
