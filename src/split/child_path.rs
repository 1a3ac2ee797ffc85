//! Parsing and matching record paths made only of child steps, as streaming mode needs.

/// The same type as the XPath module's: a compiled XPath's `child_steps()` is what the
/// splitter streams by.
pub use crate::xpath::{ChildPath, ChildStep};

impl ChildPath {
    /// Parses `/A/B[@k='v']/C` or `A/B/C`; `None` for anything else (`//`, `*`, axes,
    /// functions, other predicates), which the caller sends to tree mode instead.
    pub fn parse(s: &str) -> Option<ChildPath> {
        let s = s.trim();
        let (absolute, rest) = match s.strip_prefix('/') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        let mut steps = Vec::new();
        let mut cursor = Cursor { text: rest, pos: 0 };
        loop {
            steps.push(cursor.step()?);
            if cursor.at_end() {
                break;
            }
            cursor.expect(b'/')?;
        }
        Some(ChildPath { absolute, steps })
    }
}

impl ChildStep {
    /// Whether an element's local name matches the step's name.
    pub(crate) fn matches_name(&self, local_name: &[u8]) -> bool {
        self.name.as_bytes() == local_name
    }

    /// Whether every predicate finds an attribute with its local name and value among
    /// `attrs` (`(local name, normalised value)` pairs, namespace declarations excluded).
    pub(crate) fn matches_attrs(&self, attrs: &[(&[u8], &str)]) -> bool {
        self.attr_equals.iter().all(|(name, value)| {
            attrs
                .iter()
                .any(|(n, v)| *n == name.as_bytes() && *v == value.as_str())
        })
    }
}

/// Strips a namespace prefix: `p:Name` gives `Name`.
pub(crate) fn local_part(qname: &[u8]) -> &[u8] {
    match qname.iter().position(|&b| b == b':') {
        Some(i) => &qname[i + 1..],
        None => qname,
    }
}

/// A tiny hand-written scanner over the path text.
struct Cursor<'a> {
    text: &'a str,
    pos: usize,
}

impl Cursor<'_> {
    fn at_end(&self) -> bool {
        self.pos >= self.text.len()
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn expect(&mut self, b: u8) -> Option<()> {
        (self.peek()? == b).then(|| self.pos += 1)
    }

    fn skip_spaces(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            self.pos += 1;
        }
    }

    /// A QName; the prefix, if any, is dropped.
    fn name(&mut self) -> Option<String> {
        let start = self.pos;
        let rest = self.text.get(start..)?;
        let len: usize = rest
            .chars()
            .take_while(|&c| is_name_char(c))
            .map(char::len_utf8)
            .sum();
        let qname = rest.get(..len)?;
        let first = qname.chars().next()?;
        if first.is_ascii_digit() || matches!(first, '-' | '.' | ':') {
            return None;
        }
        let local = match qname.split_once(':') {
            Some((prefix, local)) if !prefix.is_empty() && !local.contains(':') => local,
            Some(_) => return None,
            None => qname,
        };
        if local.is_empty() {
            return None;
        }
        self.pos += len;
        Some(local.to_owned())
    }

    fn step(&mut self) -> Option<ChildStep> {
        let name = self.name()?;
        let mut attr_equals = Vec::new();
        while self.peek() == Some(b'[') {
            self.pos += 1;
            self.skip_spaces();
            self.expect(b'@')?;
            let attr = self.name()?;
            self.skip_spaces();
            self.expect(b'=')?;
            self.skip_spaces();
            let value = self.literal()?;
            self.skip_spaces();
            self.expect(b']')?;
            attr_equals.push((attr, value));
        }
        Some(ChildStep { name, attr_equals })
    }

    fn literal(&mut self) -> Option<String> {
        let quote = self.peek().filter(|q| matches!(q, b'\'' | b'"'))?;
        self.pos += 1;
        let rest = self.text.get(self.pos..)?;
        let end = rest.bytes().position(|b| b == quote)?;
        let value = rest.get(..end)?.to_owned();
        self.pos += end + 1;
        Some(value)
    }
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric()
        || matches!(c, '_' | '-' | '.' | ':')
        || (!c.is_ascii() && !c.is_whitespace())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(name: &str, attrs: &[(&str, &str)]) -> ChildStep {
        ChildStep {
            name: name.into(),
            attr_equals: attrs
                .iter()
                .map(|(k, v)| ((*k).into(), (*v).into()))
                .collect(),
        }
    }

    #[test]
    fn parses_absolute_and_relative_paths() {
        let abs = ChildPath::parse("/Company/Products/Product");
        assert_eq!(
            abs,
            Some(ChildPath {
                absolute: true,
                steps: vec![
                    step("Company", &[]),
                    step("Products", &[]),
                    step("Product", &[])
                ],
            })
        );
        let rel = ChildPath::parse("Company/StockTransactions/StockTransaction");
        assert_eq!(rel.map(|p| (p.absolute, p.steps.len())), Some((false, 3)));
    }

    #[test]
    fn parses_predicates_and_drops_prefixes() {
        let p = ChildPath::parse("/c:Company/Products/Product[@type='a b'][ @id = \"7\" ]");
        assert_eq!(
            p.map(|p| p.steps),
            Some(vec![
                step("Company", &[]),
                step("Products", &[]),
                step("Product", &[("type", "a b"), ("id", "7")]),
            ])
        );
    }

    #[test]
    fn rejects_anything_but_child_steps() {
        for bad in [
            "",
            "/",
            "//Product",
            "/a//b",
            "/a/*",
            "/a/b[1]",
            "/a/..",
            "/a/@x",
            "a/",
            "/a[@x='1'",
            "/a/text()",
            "/a[@x=1]",
            "/1a",
            "/a:b:c",
            "/:a",
        ] {
            assert_eq!(ChildPath::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn local_part_strips_prefixes() {
        assert_eq!(local_part(b"xsi:nil"), b"nil");
        assert_eq!(local_part(b"Product"), b"Product");
    }
}
