//! `RecordScanner`: checks and copies a record's content at memchr speed, up to the record's end tag.
//!
//! Inside a record nothing needs matching, only checking and copying, so instead of
//! going event by event through quick-xml the scanner walks the read buffer directly:
//! `memchr` to the next `<` or `&`, then one markup token at a time. It applies the same
//! checks as the event path (names, matching end tags, attributes, references,
//! comments, UTF-8) and consumes the bytes in large slices without copying them: the
//! assembler later copies the record from the file by its offsets. It stops just
//! before the record's own end tag, which quick-xml then reads and matches against the
//! start tag it saw, so the parser's state stays exact.

use std::io::{self, Read};

use memchr::{memchr, memchr2, memchr3, memmem};
use quick_xml::events::BytesStart;

use super::checks::{check_attributes, check_name, check_reference};
use super::tee_reader::TeeReader;
use super::whitespace::{is_xml_space, trailing_space_len};

/// The message of a UTF-8 fault, which the caller turns into an encoding diagnostic.
pub(crate) const INVALID_UTF8: &str = "invalid UTF-8";

/// Why a scan stopped early.
pub(crate) enum ScanError {
    /// Not well-formed at this absolute byte offset.
    Malformed { offset: u64, message: String },
    /// Reading the input failed.
    Read(io::Error),
}

/// What the token at the scan position is.
enum Token {
    /// A complete token of this many bytes, checked.
    Complete(usize),
    /// The end tag of the record itself.
    RecordEnd,
    /// The token runs past the buffered bytes.
    Incomplete,
    /// Not well-formed.
    Bad(String),
}

/// Scans record content; keeps the open-element names between uses to reuse the memory.
#[derive(Default)]
pub(crate) struct RecordScanner {
    names: Vec<u8>,
    starts: Vec<usize>,
}

impl RecordScanner {
    /// Checks and consumes the content of the record whose start tag was just read,
    /// leaving the record's end tag unread.
    pub(crate) fn scan<R: Read>(
        &mut self,
        tee: &mut TeeReader<R>,
        doctype_seen: bool,
    ) -> Result<(), ScanError> {
        self.names.clear();
        self.starts.clear();
        let mut i = 0;
        loop {
            let buf = tee.buffer();
            let Some(k) = buf.get(i..).and_then(find_markup) else {
                // Only text is buffered: pass it on, but keep a split UTF-8 character whole.
                let end = buf.len() - incomplete_utf8_tail(buf);
                more(tee, end.max(i), i)?;
                i = 0;
                continue;
            };
            i += k;
            let rest = buf.get(i..).unwrap_or_default();
            let token = match rest.first() {
                Some(b'&') => reference(rest, doctype_seen),
                _ => self.markup(rest, doctype_seen),
            };
            match token {
                Token::Complete(n) => i += n,
                Token::RecordEnd => return pass(tee, i),
                Token::Incomplete => {
                    more(tee, i, i)?;
                    i = 0;
                }
                Token::Bad(message) => {
                    return Err(ScanError::Malformed {
                        offset: tee.consumed + i as u64,
                        message,
                    });
                }
            }
        }
    }

    /// A token starting with `<`.
    fn markup(&mut self, rest: &[u8], doctype_seen: bool) -> Token {
        let Some(&second) = rest.get(1) else {
            return Token::Incomplete;
        };
        match second {
            b'/' => self.end_tag(rest),
            b'!' => bang(rest),
            b'?' => processing_instruction(rest),
            _ => self.start_tag(rest, doctype_seen),
        }
    }

    fn end_tag(&mut self, rest: &[u8]) -> Token {
        // Fast path: `</name>` exactly as opened.
        if let Some(&top) = self.starts.last() {
            let expected = self.names.get(top..).unwrap_or_default();
            let n = expected.len();
            if rest.get(2 + n) == Some(&b'>') && same_bytes(rest.get(2..2 + n), expected) {
                self.starts.pop();
                self.names.truncate(top);
                return Token::Complete(n + 3);
            }
        }
        let Some(gt) = memchr(b'>', rest) else {
            return Token::Incomplete;
        };
        let Some(top) = self.starts.pop() else {
            return Token::RecordEnd;
        };
        let raw = rest.get(2..gt).unwrap_or_default();
        let name = raw
            .get(..raw.len() - trailing_space_len(raw))
            .unwrap_or_default();
        let expected = self.names.get(top..).unwrap_or_default();
        if name != expected {
            return Token::Bad(format!(
                "expecting `</{}>` but `</{}>` was found",
                String::from_utf8_lossy(expected),
                String::from_utf8_lossy(name)
            ));
        }
        self.names.truncate(top);
        Token::Complete(gt + 1)
    }

    fn start_tag(&mut self, rest: &[u8], doctype_seen: bool) -> Token {
        // Find the `>` that closes the tag, skipping quoted attribute values.
        let mut j = 1;
        let gt = loop {
            let Some(p) = rest.get(j..).and_then(find_tag_stop) else {
                return Token::Incomplete;
            };
            let at = j + p;
            let quote = rest.get(at).copied().unwrap_or(b'>');
            if quote == b'>' {
                break at;
            }
            let Some(close) = rest.get(at + 1..).and_then(|r| memchr(quote, r)) else {
                return Token::Incomplete;
            };
            j = at + 1 + close + 1;
        };
        let content = rest.get(1..gt).unwrap_or_default();
        let (content, empty) = match content.strip_suffix(b"/") {
            Some(c) => (c, true),
            None => (content, false),
        };
        let checked = match plain_name_len(content) {
            // The common case, an ASCII name and no attributes: nothing more to check.
            Some(n)
                if content
                    .get(n..)
                    .is_none_or(|a| a.iter().all(|&b| is_xml_space(b))) =>
            {
                Ok(n)
            }
            _ => {
                let name_len = name_length(content);
                let attrs = content.get(name_len..).unwrap_or_default();
                if attrs.iter().all(|&b| is_xml_space(b)) {
                    check_name(content.get(..name_len).unwrap_or_default()).map(|()| name_len)
                } else {
                    match std::str::from_utf8(content) {
                        Ok(text) => check_attributes(
                            &BytesStart::from_content(text, name_len),
                            doctype_seen,
                        )
                        .map(|()| name_len),
                        Err(_) => Err(INVALID_UTF8.into()),
                    }
                }
            }
        };
        let name_len = match checked {
            Ok(n) => n,
            Err(message) => return Token::Bad(message),
        };
        if !empty {
            self.starts.push(self.names.len());
            self.names
                .extend_from_slice(content.get(..name_len).unwrap_or_default());
        }
        Token::Complete(gt + 1)
    }
}

/// Byte equality with a plain loop (names are short; this avoids a library call).
fn same_bytes(a: Option<&[u8]>, b: &[u8]) -> bool {
    a.is_some_and(|a| a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y))
}

/// Offset of the next `<` or `&`: a plain loop for the short runs between tags, `memchr`
/// for long text.
fn find_markup(text: &[u8]) -> Option<usize> {
    const SHORT: usize = 24;
    for (i, &b) in text.iter().take(SHORT).enumerate() {
        if b == b'<' || b == b'&' {
            return Some(i);
        }
    }
    let rest = text.get(SHORT..)?;
    memchr2(b'<', b'&', rest).map(|k| k + SHORT)
}

/// Offset of the next `>` or quote in a tag: a plain loop for short tags, `memchr` after.
fn find_tag_stop(tag: &[u8]) -> Option<usize> {
    const SHORT: usize = 32;
    for (i, &b) in tag.iter().take(SHORT).enumerate() {
        if matches!(b, b'>' | b'"' | b'\'') {
            return Some(i);
        }
    }
    let rest = tag.get(SHORT..)?;
    memchr3(b'>', b'"', b'\'', rest).map(|k| k + SHORT)
}

/// Length of the tag name at the start of `content` (up to whitespace or the end).
fn name_length(content: &[u8]) -> usize {
    content
        .iter()
        .position(|&b| is_xml_space(b))
        .unwrap_or(content.len())
}

/// The length of a plain ASCII name (`[A-Za-z_][A-Za-z0-9_.:-]*`) ending at whitespace or
/// the end of `content`; `None` for anything else, which takes the full check.
fn plain_name_len(content: &[u8]) -> Option<usize> {
    let first = *content.first()?;
    if !(first.is_ascii_alphabetic() || first == b'_') {
        return None;
    }
    for (i, &b) in content.iter().enumerate().skip(1) {
        if b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b':') {
            continue;
        }
        return is_xml_space(b).then_some(i);
    }
    Some(content.len())
}

/// `&name;` in text.
fn reference(rest: &[u8], doctype_seen: bool) -> Token {
    let Some(p) = rest.get(1..).and_then(|r| memchr3(b';', b'&', b'<', r)) else {
        return Token::Incomplete;
    };
    if rest.get(1 + p) != Some(&b';') {
        return Token::Bad("an unterminated reference (`&` must be written `&amp;`)".into());
    }
    match check_reference(rest.get(1..1 + p).unwrap_or_default(), doctype_seen) {
        Ok(()) => Token::Complete(p + 2),
        Err(message) => Token::Bad(message),
    }
}

/// `<!--…-->` or `<![CDATA[…]]>`; anything else starting `<!` is out of place in an element.
fn bang(rest: &[u8]) -> Token {
    const COMMENT: &[u8] = b"<!--";
    const CDATA: &[u8] = b"<![CDATA[";
    if rest.starts_with(COMMENT) {
        let body = rest.get(COMMENT.len()..).unwrap_or_default();
        let Some(p) = memmem::find(body, b"--") else {
            return Token::Incomplete;
        };
        return match body.get(p + 2) {
            None => Token::Incomplete,
            Some(b'>') => Token::Complete(COMMENT.len() + p + 3),
            Some(_) => Token::Bad("`--` inside a comment".into()),
        };
    }
    if rest.starts_with(CDATA) {
        let body = rest.get(CDATA.len()..).unwrap_or_default();
        return match memmem::find(body, b"]]>") {
            Some(p) => Token::Complete(CDATA.len() + p + 3),
            None => Token::Incomplete,
        };
    }
    if COMMENT.starts_with(rest) || CDATA.starts_with(rest) {
        return Token::Incomplete;
    }
    Token::Bad("only comments and CDATA may start with `<!` inside an element".into())
}

/// `<?target …?>`.
fn processing_instruction(rest: &[u8]) -> Token {
    let Some(p) = memmem::find(rest.get(2..).unwrap_or_default(), b"?>") else {
        return Token::Incomplete;
    };
    let body = rest.get(2..2 + p).unwrap_or_default();
    let target = body
        .get(
            ..body
                .iter()
                .position(|&b| is_xml_space(b))
                .unwrap_or(body.len()),
        )
        .unwrap_or_default();
    if target.eq_ignore_ascii_case(b"xml") {
        return Token::Bad("an XML declaration is only allowed at the very start".into());
    }
    match check_name(target) {
        Ok(()) => Token::Complete(p + 4),
        Err(message) => Token::Bad(message),
    }
}

/// Consumes `buf[..n]` after checking it is UTF-8.
fn pass<R: Read>(tee: &mut TeeReader<R>, n: usize) -> Result<(), ScanError> {
    let bytes = tee.buffer().get(..n).unwrap_or_default();
    if let Err(e) = std::str::from_utf8(bytes) {
        return Err(ScanError::Malformed {
            offset: tee.consumed + e.valid_up_to() as u64,
            message: INVALID_UTF8.into(),
        });
    }
    tee.consume_unlogged(n);
    Ok(())
}

/// Passes `buf[..n]` and reads more; the input ending here (token at `at`) is an error.
fn more<R: Read>(tee: &mut TeeReader<R>, n: usize, at: usize) -> Result<(), ScanError> {
    let at_offset = tee.consumed + at as u64;
    pass(tee, n)?;
    if tee.fill_more().map_err(ScanError::Read)? {
        Ok(())
    } else {
        Err(ScanError::Malformed {
            offset: at_offset.max(tee.consumed),
            message: "the file ends before every element is closed".into(),
        })
    }
}

/// How many bytes at the end of `buf` are an incomplete UTF-8 sequence.
fn incomplete_utf8_tail(buf: &[u8]) -> usize {
    for k in 1..=buf.len().min(3) {
        let b = buf.get(buf.len() - k).copied().unwrap_or(0);
        if b & 0xC0 == 0x80 {
            continue;
        }
        let needed = match b {
            0xF0.. => 4,
            0xE0.. => 3,
            0xC0.. => 2,
            _ => 1,
        };
        return if needed > k { k } else { 0 };
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn incomplete_utf8_tails() {
        let e_acute = "é".as_bytes();
        assert_eq!(incomplete_utf8_tail(b"abc"), 0);
        assert_eq!(incomplete_utf8_tail(e_acute), 0);
        assert_eq!(incomplete_utf8_tail(&e_acute[..1]), 1);
        let yen = "日".as_bytes();
        assert_eq!(incomplete_utf8_tail(&yen[..2]), 2);
        assert_eq!(incomplete_utf8_tail(yen), 0);
    }

    #[test]
    fn finds_markup_in_short_and_long_text() {
        assert_eq!(find_markup(b"\n  <a>"), Some(3));
        assert_eq!(find_markup(b"abc"), None);
        let long = [b"x".repeat(23), b"&".to_vec()].concat();
        assert_eq!(find_markup(&long), Some(23));
        let longer = [b"x".repeat(24), b"<".to_vec()].concat();
        assert_eq!(find_markup(&longer), Some(24));
        let longest = [b"x".repeat(100), b"<".to_vec()].concat();
        assert_eq!(find_markup(&longest), Some(100));
    }

    #[test]
    fn finds_tag_stops() {
        assert_eq!(find_tag_stop(b"a x='1'>"), Some(4));
        assert_eq!(find_tag_stop(b"a>"), Some(1));
        let long = [b"a".repeat(40), b">".to_vec()].concat();
        assert_eq!(find_tag_stop(&long), Some(40));
        assert_eq!(find_tag_stop(&b"a".repeat(40)), None);
    }

    #[test]
    fn plain_names() {
        assert_eq!(plain_name_len(b"Product"), Some(7));
        assert_eq!(plain_name_len(b"xsi:nil x='1'"), Some(7));
        assert_eq!(plain_name_len(b"a\tb"), Some(1));
        assert_eq!(plain_name_len("Größe".as_bytes()), None);
        assert_eq!(plain_name_len(b"1a"), None);
        assert_eq!(plain_name_len(b"a<b"), None);
        assert_eq!(plain_name_len(b""), None);
    }

    #[test]
    fn tokens() {
        let mut s = RecordScanner::default();
        assert!(matches!(
            s.markup(b"<a x='>'>rest", false),
            Token::Complete(9)
        ));
        assert!(matches!(s.markup(b"</a >", false), Token::Complete(5)));
        assert!(matches!(s.markup(b"</b>", false), Token::RecordEnd));
        assert!(matches!(s.markup(b"<a/>", false), Token::Complete(4)));
        assert!(matches!(s.markup(b"<a x='1", false), Token::Incomplete));
        assert!(matches!(
            s.markup(b"<!-- c -->", false),
            Token::Complete(10)
        ));
        assert!(matches!(s.markup(b"<!-- c -- d -->", false), Token::Bad(_)));
        assert!(matches!(
            s.markup(b"<![CDATA[ ]] ]]>", false),
            Token::Complete(16)
        ));
        assert!(matches!(s.markup(b"<![CDA", false), Token::Incomplete));
        assert!(matches!(s.markup(b"<!DOCTYPE a>", false), Token::Bad(_)));
        assert!(matches!(s.markup(b"<?pi x?>", false), Token::Complete(8)));
        assert!(matches!(s.markup(b"<?xml x?>", false), Token::Bad(_)));
        assert!(matches!(reference(b"&amp; x", false), Token::Complete(5)));
        assert!(matches!(reference(b"&am p; x", false), Token::Bad(_)));
        assert!(matches!(reference(b"&amp", false), Token::Incomplete));
    }
}
