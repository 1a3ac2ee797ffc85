//! A record's child-step field (`Sku`, `Address/City`) read straight from its XML text in one pass, without building a tree.
//!
//! A record loop reads a field of each record; parsing the record into a roxmltree
//! document for that was most of a loop's time. [`child_text`] gives XPath `string()` of
//! the node-set the steps select from the record's element, exactly as the tree would,
//! for the plain XML records are made of: it returns `None` for anything outside that
//! subset (a DOCTYPE, processing instructions, carriage returns, non-ASCII or undeclared
//! names, namespace declarations below the record's start tag, spaces around `=`, …) and
//! for anything not well-formed, and the caller then parses the record as before, which
//! gives the same value or the same error. The whole record is scanned even after the
//! field is found, so a fault anywhere in it still reaches the caller's parser.

use memchr::{memchr, memchr2, memmem};

use super::ChildStep;

/// How deep the scan follows elements; deeper records take the tree.
const MAX_DEPTH: usize = 256;
/// Attributes of one tag that the duplicate check keeps; more take the tree.
const MAX_ATTRIBUTES: usize = 32;

/// XPath `string()` of what `steps` (relative, without predicates) select from the
/// element `record` is the text of; `None` when the caller must parse the record instead.
#[must_use]
pub fn child_text(record: &str, steps: &[ChildStep]) -> Option<String> {
    if steps.is_empty() || steps.iter().any(|s| !s.attr_equals.is_empty()) {
        return None;
    }
    let bytes = record.as_bytes();
    // Control characters (a carriage return among them: the tree normalises line ends)
    // and the two non-characters U+FFFE and U+FFFF are left to the tree.
    if bytes.iter().any(|&b| b < 0x20 && b != b'\t' && b != b'\n')
        || memmem::find(bytes, b"\xEF\xBF\xBE").is_some()
        || memmem::find(bytes, b"\xEF\xBF\xBF").is_some()
    {
        return None;
    }
    let mut scan = Scan {
        bytes,
        steps,
        open: Vec::with_capacity(16),
        prefixes: Vec::new(),
        matched: 0,
        capture: None,
        found: None,
        text: String::new(),
    };
    scan.run()?;
    Some(scan.found.unwrap_or_default())
}

struct Scan<'a> {
    bytes: &'a [u8],
    steps: &'a [ChildStep],
    /// The names of the open elements, the record's own first.
    open: Vec<&'a [u8]>,
    /// The prefixes the record's start tag declares.
    prefixes: Vec<&'a [u8]>,
    /// How many open elements below the record match the steps, from the top.
    matched: usize,
    /// The depth (in `open`) of the element whose text is being collected.
    capture: Option<usize>,
    /// The first selected element's text, once it has closed.
    found: Option<String>,
    text: String,
}

impl<'a> Scan<'a> {
    fn run(&mut self) -> Option<()> {
        let bytes = self.bytes;
        if bytes.first() != Some(&b'<') {
            return None;
        }
        let mut i = 0;
        loop {
            let rest = bytes.get(i..)?;
            let k = memchr2(b'<', b'&', rest).unwrap_or(rest.len());
            if k > 0 {
                let text = rest.get(..k)?;
                if self.open.is_empty() || memchr(b']', text).is_some() {
                    // Text after the record's end tag, or a `]` that may start `]]>`.
                    if self.open.is_empty() || memmem::find(text, b"]]>").is_some() {
                        return None;
                    }
                }
                self.keep(text);
                i += k;
            }
            let rest = bytes.get(i..)?;
            match rest.first() {
                None => return self.open.is_empty().then_some(()),
                Some(b'&') => {
                    let (len, ch) = reference(rest)?;
                    if self.capture.is_some() {
                        self.text.push(ch);
                    }
                    i += len;
                }
                Some(_) => match rest.get(1)? {
                    b'/' => i += self.end_tag(rest)?,
                    b'!' => i += self.bang(rest)?,
                    b'?' => return None,
                    _ => i += self.start_tag(rest)?,
                },
            }
            if self.open.is_empty() && i < bytes.len() {
                return None;
            }
        }
    }

    /// Character data inside the element being collected.
    fn keep(&mut self, text: &[u8]) {
        if self.capture.is_some()
            && let Ok(text) = std::str::from_utf8(text)
        {
            self.text.push_str(text);
        }
    }

    /// `<!--…-->` or `<![CDATA[…]]>` inside the record; anything else takes the tree.
    fn bang(&mut self, rest: &'a [u8]) -> Option<usize> {
        if let Some(body) = rest.strip_prefix(b"<!--") {
            let p = memmem::find(body, b"--")?;
            return (body.get(p + 2) == Some(&b'>')).then_some(4 + p + 3);
        }
        let body = rest.strip_prefix(b"<![CDATA[")?;
        let p = memmem::find(body, b"]]>")?;
        self.keep(body.get(..p)?);
        Some(9 + p + 3)
    }

    fn end_tag(&mut self, rest: &[u8]) -> Option<usize> {
        let top = *self.open.last()?;
        let after = rest.get(2..)?.strip_prefix(top)?;
        let spaces = after.iter().take_while(|&&b| is_space(b)).count();
        if after.get(spaces) != Some(&b'>') {
            return None;
        }
        self.close();
        Some(2 + top.len() + spaces + 1)
    }

    /// The innermost open element ends.
    fn close(&mut self) {
        let depth = self.open.len() - 1;
        if self.capture == Some(depth) {
            self.capture = None;
            self.found = Some(std::mem::take(&mut self.text));
        }
        if depth > 0 && self.matched == depth {
            self.matched -= 1;
        }
        self.open.pop();
    }

    fn start_tag(&mut self, rest: &'a [u8]) -> Option<usize> {
        let name_len = name_length(rest.get(1..)?)?;
        let name = rest.get(1..1 + name_len)?;
        let root = self.open.is_empty();
        let mut j = 1 + name_len;
        let mut attributes: Vec<(&[u8], &[u8])> = Vec::new();
        let empty = loop {
            let spaces = rest.get(j..)?.iter().take_while(|&&b| is_space(b)).count();
            j += spaces;
            match rest.get(j)? {
                b'>' => {
                    j += 1;
                    break false;
                }
                b'/' => {
                    if rest.get(j + 1) != Some(&b'>') {
                        return None;
                    }
                    j += 2;
                    break true;
                }
                _ if spaces == 0 => return None,
                _ => {
                    let len = name_length(rest.get(j..)?)?;
                    let attribute = rest.get(j..j + len)?;
                    j += len;
                    if rest.get(j) != Some(&b'=') {
                        return None;
                    }
                    j += 1;
                    let quote = *rest.get(j)?;
                    if quote != b'"' && quote != b'\'' {
                        return None;
                    }
                    let value_len = memchr(quote, rest.get(j + 1..)?)?;
                    let value = rest.get(j + 1..j + 1 + value_len)?;
                    check_value(value)?;
                    j += value_len + 2;
                    if attributes.len() == MAX_ATTRIBUTES
                        || attributes.iter().any(|(other, _)| *other == attribute)
                    {
                        return None;
                    }
                    attributes.push((attribute, value));
                }
            }
        };
        if root {
            self.declare(&attributes)?;
        }
        self.check_names(name, &attributes, root)?;
        self.open(name, empty)?;
        Some(j)
    }

    /// Notes the prefixes the record's start tag declares.
    fn declare(&mut self, attributes: &[(&'a [u8], &[u8])]) -> Option<()> {
        const RESERVED: [&[u8]; 2] = [
            b"http://www.w3.org/XML/1998/namespace",
            b"http://www.w3.org/2000/xmlns/",
        ];
        for (attribute, value) in attributes {
            let declaration = *attribute == b"xmlns" || attribute.starts_with(b"xmlns:");
            if declaration && (value.is_empty() || RESERVED.contains(value)) {
                return None;
            }
            if let Some(prefix) = attribute.strip_prefix(b"xmlns:") {
                if prefix.starts_with(b"xml") || prefix.contains(&b':') {
                    return None;
                }
                self.prefixes.push(prefix);
            }
        }
        Some(())
    }

    /// Every prefix used must be declared on the record's start tag, and only there may
    /// namespaces be declared; two prefixed attributes may not share a local name (their
    /// prefixes might name the same namespace).
    fn check_names(&self, name: &[u8], attributes: &[(&[u8], &[u8])], root: bool) -> Option<()> {
        self.check_prefix(name)?;
        for (index, (attribute, _)) in attributes.iter().enumerate() {
            if *attribute == b"xmlns" || attribute.starts_with(b"xmlns:") {
                if !root {
                    return None;
                }
                continue;
            }
            self.check_prefix(attribute)?;
            if let Some(colon) = memchr(b':', attribute) {
                let local = attribute.get(colon..)?;
                let clash = attributes
                    .iter()
                    .take(index)
                    .any(|(other, _)| memchr(b':', other).is_some() && other.ends_with(local));
                if clash {
                    return None;
                }
            }
        }
        Some(())
    }

    fn check_prefix(&self, name: &[u8]) -> Option<()> {
        match memchr(b':', name) {
            None => Some(()),
            Some(colon) => {
                let prefix = name.get(..colon)?;
                let local = name.get(colon + 1..)?;
                (!local.is_empty() && !local.contains(&b':') && self.prefixes.contains(&prefix))
                    .then_some(())
            }
        }
    }

    /// An element opens below the open ones (and closes at once when `empty`).
    fn open(&mut self, name: &'a [u8], empty: bool) -> Option<()> {
        let depth = self.open.len();
        if depth >= MAX_DEPTH {
            return None;
        }
        let local = memchr(b':', name).map_or(name, |c| name.get(c + 1..).unwrap_or_default());
        if depth > 0
            && self.found.is_none()
            && self.capture.is_none()
            && self.matched == depth - 1
            && self
                .steps
                .get(depth - 1)
                .is_some_and(|s| s.name.as_bytes() == local)
        {
            self.matched = depth;
            if depth == self.steps.len() {
                self.capture = Some(depth);
            }
        }
        self.open.push(name);
        if empty {
            self.close();
        }
        Some(())
    }
}

/// The length of the ASCII XML name at the start of `bytes`; `None` when there is none
/// (or it has non-ASCII characters, left to the tree).
fn name_length(bytes: &[u8]) -> Option<usize> {
    let first = *bytes.first()?;
    if !(first.is_ascii_alphabetic() || first == b'_') {
        return None;
    }
    let len = bytes
        .iter()
        .take_while(|&&b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b':'))
        .count();
    match bytes.get(len) {
        Some(b) if !b.is_ascii() => None,
        _ => Some(len),
    }
}

/// An attribute value: no `<`, and only well-formed references.
fn check_value(value: &[u8]) -> Option<()> {
    if memchr(b'<', value).is_some() {
        return None;
    }
    let mut rest = value;
    while let Some(at) = memchr(b'&', rest) {
        let (len, _) = reference(rest.get(at..)?)?;
        rest = rest.get(at + len..)?;
    }
    Some(())
}

/// The reference at the start of `rest` (`&amp;`, `&#233;`, `&#xE9;`): its length and
/// character; `None` for any other entity.
fn reference(rest: &[u8]) -> Option<(usize, char)> {
    let end = memchr(b';', rest.get(..rest.len().min(12))?)?;
    let body = rest.get(1..end)?;
    let ch = match body {
        b"amp" => '&',
        b"lt" => '<',
        b"gt" => '>',
        b"quot" => '"',
        b"apos" => '\'',
        _ => {
            let digits = body.strip_prefix(b"#")?;
            let (digits, radix) = match digits.strip_prefix(b"x") {
                Some(hex) => (hex, 16),
                None => (digits, 10),
            };
            if digits.is_empty() || !digits.iter().all(|b| b.is_ascii_hexdigit()) {
                return None;
            }
            let code = u32::from_str_radix(std::str::from_utf8(digits).ok()?, radix).ok()?;
            let ch = char::from_u32(code)?;
            let xml_char = matches!(code, 0x9 | 0xA | 0xD | 0x20..=0xD7FF | 0xE000..=0xFFFD | 0x1_0000..=0x10_FFFF);
            if !xml_char {
                return None;
            }
            ch
        }
    };
    Some((end + 1, ch))
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the tree gives: the record parsed, the path evaluated, its string value.
    fn by_tree(record: &str, path: &str) -> Result<String, String> {
        let doc = roxmltree::Document::parse(record).map_err(|e| e.to_string())?;
        let xpath = crate::xpath::compile(path).map_err(|e| e.to_string())?;
        xpath
            .evaluate(doc.root_element())
            .map(|v| v.to_string_value())
            .map_err(|e| e.to_string())
    }

    fn steps(path: &str) -> Vec<ChildStep> {
        crate::xpath::compile(path)
            .ok()
            .and_then(|x| x.child_steps())
            .map(|p| p.steps)
            .unwrap_or_default()
    }

    /// The scan agrees with the tree whenever it answers, and answers the plain cases.
    fn agrees(record: &str, path: &str) -> Option<String> {
        let fast = child_text(record, &steps(path));
        if let Some(value) = &fast {
            assert_eq!(
                Ok(value.clone()),
                by_tree(record, path),
                "{record} / {path}"
            );
        }
        fast
    }

    const PRODUCT: &str = "<Product xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n  <Sku>SKU&amp;1</Sku>\n  <Name>Caf&#233; &lt;Cr&#xE8;me&gt;</Name>\n  <Long><![CDATA[a <b>bold</b> & more]]> tail</Long>\n  <Empty />\n  <RRP xsi:nil=\"true\" />\n  <Address kind='home'><City>Leeds<!-- note --></City><City>York</City></Address>\n  <Nested><A>x<B>y</B>z</A></Nested>\n</Product>";

    #[test]
    fn plain_records_are_read_as_the_tree_reads_them() {
        assert_eq!(agrees(PRODUCT, "Sku").as_deref(), Some("SKU&1"));
        assert_eq!(agrees(PRODUCT, "Name").as_deref(), Some("Café <Crème>"));
        assert_eq!(
            agrees(PRODUCT, "Long").as_deref(),
            Some("a <b>bold</b> & more tail")
        );
        assert_eq!(agrees(PRODUCT, "Empty").as_deref(), Some(""));
        assert_eq!(agrees(PRODUCT, "RRP").as_deref(), Some(""));
        assert_eq!(agrees(PRODUCT, "Missing").as_deref(), Some(""));
        assert_eq!(agrees(PRODUCT, "Address/City").as_deref(), Some("Leeds"));
        assert_eq!(agrees(PRODUCT, "Nested/A").as_deref(), Some("xyz"));
        assert_eq!(agrees(PRODUCT, "Nested/A/B").as_deref(), Some("y"));
        assert_eq!(agrees(PRODUCT, "Nested").as_deref(), Some("xyz"));
        assert_eq!(agrees(PRODUCT, "Sku/Nothing").as_deref(), Some(""));
    }

    #[test]
    fn a_later_match_in_another_branch_is_found() {
        let record = "<R><A><X>1</X></A><A><B>2</B></A></R>";
        assert_eq!(agrees(record, "A/B").as_deref(), Some("2"));
        assert_eq!(agrees(record, "A/X").as_deref(), Some("1"));
    }

    #[test]
    fn prefixed_names_match_by_local_name_when_declared() {
        let record = "<R xmlns:p=\"urn:p\" xmlns=\"urn:d\"><p:Sku>7</p:Sku><Sku>8</Sku></R>";
        assert_eq!(agrees(record, "Sku").as_deref(), Some("7"));
    }

    #[test]
    fn anything_unusual_or_malformed_is_left_to_the_tree() {
        for (record, why) in [
            ("<R><Sku>1</Sku>\r\n</R>", "a carriage return"),
            ("<R><?pi x?><Sku>1</Sku></R>", "a processing instruction"),
            ("<R><p:Sku>1</p:Sku></R>", "an undeclared prefix"),
            (
                "<R><Sku xmlns:p=\"urn:p\">1</Sku></R>",
                "a declaration below the record",
            ),
            ("<R><Sku>&nbsp;</Sku></R>", "an unknown entity"),
            ("<R><Sku>1</Sku></R><X/>", "a second element"),
            ("<R><Sku>1</Sku>", "an unclosed record"),
            ("<R><Sku>1</sku></R>", "a mismatched end tag"),
            (
                "<R><Sku a=\"1\" a=\"2\">1</Sku></R>",
                "a duplicate attribute",
            ),
            ("<R><Sku a = \"1\">1</Sku></R>", "spaces around ="),
            ("<R><Sku a=\"<\">1</Sku></R>", "< in a value"),
            ("<R><Sku>]]></Sku></R>", "]]> in text"),
            ("<R><Sku>&#0;</Sku></R>", "a reference to NUL"),
            ("<R><Sku>\u{1}</Sku></R>", "a control character"),
            ("<R><!-- a -- b --><Sku>1</Sku></R>", "-- in a comment"),
            ("<R><Größe>1</Größe></R>", "a non-ASCII name"),
            (
                "<R><Sku a=\"1\"b=\"2\">1</Sku></R>",
                "no space between attributes",
            ),
            (
                "<R xmlns:a=\"urn:x\" xmlns:b=\"urn:x\"><Sku a:n=\"1\" b:n=\"2\"/></R>",
                "attributes that may be the same",
            ),
            ("<R xmlns:a=\"\"><Sku/></R>", "an empty namespace"),
            (
                "<R xmlns:a=\"http://www.w3.org/2000/xmlns/\"><Sku/></R>",
                "a reserved namespace",
            ),
            ("<R xml:lang=\"en\"><Sku/></R>", "the xml prefix"),
        ] {
            assert_eq!(agrees(record, "Sku"), None, "{why}: {record}");
        }
    }

    #[test]
    fn predicates_and_empty_paths_are_left_to_the_tree() {
        assert_eq!(child_text("<R><A k=\"1\"/></R>", &steps("A[@k='1']")), None);
        assert_eq!(child_text("<R/>", &[]), None);
    }

    #[test]
    fn deep_records_are_left_to_the_tree() {
        let record = format!("{}{}", "<a>".repeat(300), "</a>".repeat(300));
        assert_eq!(child_text(&record, &steps("a")), None);
        let shallow = format!("{}{}", "<a>".repeat(20), "</a>".repeat(20));
        assert_eq!(agrees(&shallow, "a/a").as_deref(), Some(""));
    }
}
