//! What a good answer is: rules a 2xx body must keep, for sites that report errors with
//! `200 OK` and a line of text (`die("Could not connect: …")`).
use std::fmt;
use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};

use quick_xml::events::Event;

/// How much of a body the text rules (`expect_text`, `fail_on`) look at.
pub(crate) const TEXT_RULE_BYTES: u64 = 16 * 1024 * 1024;

/// One rule a successful answer's body must keep.
#[derive(Debug, Clone)]
pub enum Rule {
    /// The body is one well-formed XML document (not an HTML page).
    Xml,
    /// The body is empty or only white space.
    Empty,
    /// The body contains this text.
    Contains(String),
    /// The body must not match this regular expression.
    FailOn(regex::Regex),
}

impl PartialEq for Rule {
    fn eq(&self, other: &Rule) -> bool {
        match (self, other) {
            (Rule::Xml, Rule::Xml) | (Rule::Empty, Rule::Empty) => true,
            (Rule::Contains(a), Rule::Contains(b)) => a == b,
            (Rule::FailOn(a), Rule::FailOn(b)) => a.as_str() == b.as_str(),
            _ => false,
        }
    }
}

impl Eq for Rule {}

/// A rule and why it applies, as the error names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expectation {
    pub rule: Rule,
    /// Why the rule applies when the script does not say it, e.g. "line 4 imports it as Connect XML".
    pub implied_by: Option<String>,
}

impl Expectation {
    /// A rule the statement states itself.
    #[must_use]
    pub fn stated(rule: Rule) -> Expectation {
        Expectation {
            rule,
            implied_by: None,
        }
    }
}

impl fmt::Display for Expectation {
    /// The rule as a script writes it: `expect xml`, `fail_on "Could not"`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.rule {
            Rule::Xml => f.write_str("expect xml")?,
            Rule::Empty => f.write_str("expect empty")?,
            Rule::Contains(text) => write!(f, "expect_text {text:?}")?,
            Rule::FailOn(regex) => write!(f, "fail_on {:?}", regex.as_str())?,
        }
        Ok(())
    }
}

/// Which rule a body broke, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Broken {
    /// The rule as written, e.g. `fail_on "Could not connect"`.
    pub rule: String,
    /// What is wrong with the body, e.g. "it matched `Could not connect`".
    pub reason: String,
    /// Why the rule applies when the script did not state it.
    pub implied_by: Option<String>,
}

/// Checks the body in `file` (read from its start) against every rule, in order.
///
/// # Errors
///
/// The first rule the body breaks; an I/O error reading the file.
pub(crate) fn check(
    rules: &[Expectation],
    file: &mut File,
    charset: Option<&str>,
) -> Result<Option<Broken>, io::Error> {
    for expectation in rules {
        file.seek(SeekFrom::Start(0))?;
        let reason = match &expectation.rule {
            Rule::Xml => xml_problem(file)?,
            Rule::Empty => empty_problem(file)?,
            Rule::Contains(text) => {
                let body = text_of(file, charset)?;
                (!body.contains(text.as_str())).then(|| format!("it does not contain {text:?}"))
            }
            Rule::FailOn(regex) => {
                let body = text_of(file, charset)?;
                regex
                    .find(&body)
                    .map(|found| format!("it matched {:?}", found.as_str()))
            }
        };
        if let Some(reason) = reason {
            return Ok(Some(Broken {
                rule: expectation.to_string(),
                reason,
                implied_by: expectation.implied_by.clone(),
            }));
        }
    }
    Ok(None)
}

/// Why the body is not empty, if it is not.
fn empty_problem(file: &mut File) -> io::Result<Option<String>> {
    let mut buf = [0u8; 8192];
    let mut total: u64 = 0;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            return Ok(None);
        }
        if buf[..n].iter().any(|b| !b.is_ascii_whitespace()) {
            return Ok(Some("it is not empty".to_string()));
        }
        total += n as u64;
        if total > TEXT_RULE_BYTES {
            return Ok(Some("it is not empty".to_string()));
        }
    }
}

/// The start of the body as text: Latin-1 when the charset says so, else lossy UTF-8.
fn text_of(file: &mut File, charset: Option<&str>) -> io::Result<String> {
    let mut bytes = Vec::new();
    file.take(TEXT_RULE_BYTES).read_to_end(&mut bytes)?;
    let latin = charset.is_some_and(is_single_byte)
        || declared_encoding(&bytes).is_some_and(|name| is_single_byte(&name));
    if latin && std::str::from_utf8(&bytes).is_err() {
        return Ok(bytes.iter().map(|b| char::from(*b)).collect());
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Why the body is not one well-formed XML document, if it is not. Reads it as a stream.
fn xml_problem(file: &mut File) -> io::Result<Option<String>> {
    let mut head = Vec::with_capacity(512);
    (&mut *file).take(512).read_to_end(&mut head)?;
    file.seek(SeekFrom::Start(0))?;
    if crate::json::looks_like_json(&head) {
        return Ok(Some(
            "it is JSON, not XML: to import it, `map` the JSON (read as XML, docs/json.md) to Connect XML first".to_string(),
        ));
    }
    let utf16 = match head.get(..2).unwrap_or(&head) {
        [0xFF, 0xFE] => Some(false),
        [0xFE, 0xFF] => Some(true),
        _ => None,
    };
    let single_byte = utf16.is_none() && declares_single_byte(file)?;
    file.seek(SeekFrom::Start(0))?;
    let problem = match utf16 {
        Some(big_endian) => {
            let mut raw = BufReader::new(&mut *file);
            let mut skip = [0u8; 2];
            raw.read_exact(&mut skip)?;
            xml_stream_problem(BufReader::new(Utf16ToUtf8::new(raw, big_endian)))
        }
        None if single_byte => xml_stream_problem(BufReader::new(Latin1ToUtf8::new(
            BufReader::new(&mut *file),
        ))),
        None => xml_stream_problem(BufReader::new(&mut *file)),
    };
    let Some((offset, reason)) = problem? else {
        return Ok(None);
    };
    if utf16.is_some() || single_byte {
        // The offset counts decoded bytes, not the file's.
        return Ok(Some(reason));
    }
    if let Some((at, byte)) = first_non_utf8(file)?
        && at <= offset.saturating_add(64 * 1024)
    {
        // quick-xml reports bad UTF-8 at the start of the event that holds it: name the byte.
        let (line, column) = line_col(file, at)?;
        return Ok(Some(format!(
            "at {line}:{column}: byte 0x{byte:02X} is not UTF-8 (the answer may be ISO-8859-1 or windows-1252 without saying so in its XML declaration or Content-Type)"
        )));
    }
    let (line, column) = line_col(file, offset)?;
    Ok(Some(format!("at {line}:{column}: {reason}")))
}

/// The offset and value of the first byte that is not UTF-8, if any.
fn first_non_utf8(file: &mut File) -> io::Result<Option<(u64, u8)>> {
    file.seek(SeekFrom::Start(0))?;
    let mut buf = vec![0u8; 64 * 1024];
    let mut carry: Vec<u8> = Vec::new();
    let mut base: u64 = 0;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            return Ok(carry.first().map(|b| (base, *b)));
        }
        carry.extend_from_slice(&buf[..n]);
        match std::str::from_utf8(&carry) {
            Ok(_) => {
                base += carry.len() as u64;
                carry.clear();
            }
            Err(e) if e.error_len().is_none() => {
                let valid = e.valid_up_to();
                base += valid as u64;
                carry.drain(..valid);
            }
            Err(e) => {
                let at = e.valid_up_to();
                return Ok(Some((base + at as u64, carry[at])));
            }
        }
    }
}

/// Whether the XML declaration names a one-byte-per-character encoding (ISO-8859-*, windows-125*).
fn declares_single_byte(file: &mut File) -> io::Result<bool> {
    let mut start = Vec::with_capacity(256);
    file.take(256).read_to_end(&mut start)?;
    Ok(declared_encoding(&start).is_some_and(|name| is_single_byte(&name)))
}

/// The `encoding` of an XML declaration at the start of `bytes`, lower-cased.
fn declared_encoding(bytes: &[u8]) -> Option<String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let declaration = bytes.strip_prefix(b"<?xml")?;
    let end = declaration.windows(2).position(|w| w == b"?>")?;
    let declaration = String::from_utf8_lossy(&declaration[..end]).to_ascii_lowercase();
    let (_, rest) = declaration.split_once("encoding")?;
    let rest = rest.trim_start().strip_prefix('=')?.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = rest[1..].split(quote).next()?;
    Some(value.trim().to_string())
}

fn is_single_byte(encoding: &str) -> bool {
    let e = encoding.trim().to_ascii_lowercase();
    e.starts_with("iso-8859-")
        || e.starts_with("windows-125")
        || e.starts_with("cp125")
        || matches!(
            e.as_str(),
            "latin1" | "latin-1" | "l1" | "us-ascii" | "ascii"
        )
}

/// The offset and description of the first well-formedness problem in the stream.
fn xml_stream_problem<R: io::BufRead>(input: R) -> io::Result<Option<(u64, String)>> {
    let mut reader = quick_xml::Reader::from_reader(input);
    reader.config_mut().check_end_names = true;
    let mut buf = Vec::new();
    let mut open: Vec<String> = Vec::new();
    let mut roots = 0usize;
    loop {
        let position = reader.buffer_position();
        let event = match reader.read_event_into(&mut buf) {
            Ok(event) => event,
            Err(quick_xml::Error::Io(err)) => {
                return Err(io::Error::new(err.kind(), err.to_string()));
            }
            Err(err) => return Ok(Some((reader.error_position(), err.to_string()))),
        };
        let at_top = open.is_empty();
        match event {
            Event::Start(e) | Event::Empty(e) if at_top && roots > 0 => {
                let name = e.name().into_inner().to_string();
                return Ok(Some((
                    position,
                    format!("a second root element <{name}> follows the first"),
                )));
            }
            Event::Start(e) | Event::Empty(e) if at_top && is_html(e.name().into_inner()) => {
                return Ok(Some((
                    position,
                    "it is an HTML page, not XML data".to_string(),
                )));
            }
            Event::Start(e) => {
                if let Some(problem) = attribute_problem(&e) {
                    return Ok(Some((position, problem)));
                }
                roots += usize::from(at_top);
                open.push(e.name().into_inner().to_string());
            }
            Event::Empty(e) => {
                if let Some(problem) = attribute_problem(&e) {
                    return Ok(Some((position, problem)));
                }
                roots += usize::from(at_top);
            }
            Event::End(_) => {
                open.pop();
            }
            Event::Text(text) if at_top && !text.trim().is_empty() => {
                let shown: String = text.trim().chars().take(60).collect();
                return Ok(Some((
                    position,
                    format!("text outside any element: {shown:?}"),
                )));
            }
            Event::GeneralRef(_) | Event::CData(_) if at_top => {
                return Ok(Some((position, "text outside any element".to_string())));
            }
            Event::Eof => {
                if let Some(name) = open.last() {
                    return Ok(Some((
                        position,
                        format!("the body ends before <{name}> is closed"),
                    )));
                }
                if roots == 0 {
                    return Ok(Some((position, "it holds no XML element".to_string())));
                }
                return Ok(None);
            }
            _ => {}
        }
        buf.clear();
    }
}

fn is_html(name: &str) -> bool {
    name.eq_ignore_ascii_case("html")
}

fn attribute_problem(element: &quick_xml::events::BytesStart<'_>) -> Option<String> {
    element
        .attributes()
        .find_map(Result::err)
        .map(|err| err.to_string())
}

/// The 1-based line and column of a byte offset in the file.
fn line_col(file: &mut File, offset: u64) -> io::Result<(u64, u64)> {
    file.seek(SeekFrom::Start(0))?;
    let mut line = 1;
    let mut column = 1;
    let mut buf = [0u8; 8192];
    let mut left = offset;
    while left > 0 {
        let want = usize::try_from(left.min(buf.len() as u64)).unwrap_or(buf.len());
        let n = file.read(&mut buf[..want])?;
        if n == 0 {
            break;
        }
        for byte in &buf[..n] {
            if *byte == b'\n' {
                line += 1;
                column = 1;
            } else if *byte & 0xC0 != 0x80 {
                column += 1;
            }
        }
        left -= n as u64;
    }
    Ok((line, column))
}

/// Turns a one-byte-per-character stream into UTF-8 as it is read (each byte as the character
/// of the same number: exact for ISO-8859-1, and enough to check the structure of the others).
struct Latin1ToUtf8<R> {
    inner: R,
    pending: Vec<u8>,
}

impl<R: Read> Latin1ToUtf8<R> {
    fn new(inner: R) -> Latin1ToUtf8<R> {
        Latin1ToUtf8 {
            inner,
            pending: Vec::new(),
        }
    }
}

impl<R: Read> Read for Latin1ToUtf8<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.pending.is_empty() {
            let mut raw = [0u8; 8192];
            let n = self.inner.read(&mut raw)?;
            if n == 0 {
                return Ok(0);
            }
            let mut chars = [0u8; 2];
            for byte in &raw[..n] {
                self.pending
                    .extend_from_slice(char::from(*byte).encode_utf8(&mut chars).as_bytes());
            }
        }
        let n = out.len().min(self.pending.len());
        out[..n].copy_from_slice(&self.pending[..n]);
        self.pending.drain(..n);
        Ok(n)
    }
}

/// Turns a UTF-16 byte stream (after its byte order mark) into UTF-8 as it is read.
struct Utf16ToUtf8<R> {
    inner: R,
    big_endian: bool,
    /// Decoded UTF-8 not yet handed out.
    pending: Vec<u8>,
    /// A byte of a code unit split across two reads.
    odd: Option<u8>,
    /// A high surrogate waiting for its pair.
    high: Option<u16>,
}

impl<R: Read> Utf16ToUtf8<R> {
    fn new(inner: R, big_endian: bool) -> Utf16ToUtf8<R> {
        Utf16ToUtf8 {
            inner,
            big_endian,
            pending: Vec::new(),
            odd: None,
            high: None,
        }
    }

    fn push_unit(&mut self, unit: u16) {
        let mut chars = [0u8; 4];
        let decoded = match (self.high.take(), unit) {
            (Some(high), 0xDC00..=0xDFFF) => {
                let c = 0x10000 + ((u32::from(high) - 0xD800) << 10) + (u32::from(unit) - 0xDC00);
                char::from_u32(c)
            }
            (_, 0xD800..=0xDBFF) => {
                self.high = Some(unit);
                return;
            }
            (_, unit) => char::from_u32(u32::from(unit)),
        };
        let c = decoded.unwrap_or(char::REPLACEMENT_CHARACTER);
        self.pending
            .extend_from_slice(c.encode_utf8(&mut chars).as_bytes());
    }
}

impl<R: Read> Read for Utf16ToUtf8<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let mut raw = [0u8; 8192];
        while self.pending.is_empty() {
            let n = self.inner.read(&mut raw)?;
            if n == 0 {
                return Ok(0);
            }
            let mut bytes = &raw[..n];
            if let Some(first) = self.odd.take() {
                let pair = [first, bytes[0]];
                bytes = &bytes[1..];
                self.push_unit(self.unit(pair));
            }
            let mut pairs = bytes.chunks_exact(2);
            for pair in pairs.by_ref() {
                self.push_unit(self.unit([pair[0], pair[1]]));
            }
            self.odd = pairs.remainder().first().copied();
        }
        let n = out.len().min(self.pending.len());
        out[..n].copy_from_slice(&self.pending[..n]);
        self.pending.drain(..n);
        Ok(n)
    }
}

impl<R> Utf16ToUtf8<R> {
    fn unit(&self, pair: [u8; 2]) -> u16 {
        if self.big_endian {
            u16::from_be_bytes(pair)
        } else {
            u16::from_le_bytes(pair)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn body(bytes: &[u8]) -> File {
        let mut file = tempfile::tempfile().expect("a temp file");
        file.write_all(bytes).expect("write");
        file
    }

    fn broken(rule: Rule, bytes: &[u8]) -> Option<String> {
        check(&[Expectation::stated(rule)], &mut body(bytes), None)
            .expect("read")
            .map(|b| b.reason)
    }

    #[test]
    fn xml_rule_accepts_documents_and_rejects_error_pages() {
        assert_eq!(
            broken(
                Rule::Xml,
                b"<?xml version=\"1.0\"?>\n<Company><A/></Company>\n"
            ),
            None
        );
        assert_eq!(broken(Rule::Xml, b"\xEF\xBB\xBF<Company/>"), None);
        let die = broken(
            Rule::Xml,
            b"Could not connect: Access denied for user 'shop'@'localhost'",
        );
        assert_eq!(
            die.as_deref(),
            Some(
                "at 1:1: text outside any element: \"Could not connect: Access denied for user 'shop'@'localhost'\""
            )
        );
        let html = broken(
            Rule::Xml,
            b"<!DOCTYPE html>\n<html><body>Error</body></html>",
        );
        assert_eq!(
            html.as_deref(),
            Some("at 2:1: it is an HTML page, not XML data")
        );
        let cut = broken(Rule::Xml, b"<Company>\n  <Customers>\n");
        assert!(
            cut.as_deref()
                .is_some_and(|r| r.contains("<Customers> is closed")),
            "{cut:?}"
        );
        assert_eq!(
            broken(Rule::Xml, b"").as_deref(),
            Some("at 1:1: it holds no XML element")
        );
        let mismatched = broken(Rule::Xml, b"<a>\n<b></a>");
        assert!(
            mismatched
                .as_deref()
                .is_some_and(|r| r.starts_with("at 2:")),
            "{mismatched:?}"
        );
    }

    #[test]
    fn xml_rule_reads_utf16_with_a_byte_order_mark() {
        let text = "<Company><Name>Zoë 😀</Name></Company>";
        let mut le = vec![0xFF, 0xFE];
        le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(broken(Rule::Xml, &le), None);
        let mut be = vec![0xFE, 0xFF];
        be.extend("<a><b></a>".encode_utf16().flat_map(u16::to_be_bytes));
        assert!(broken(Rule::Xml, &be).is_some());
    }

    #[test]
    fn text_rules_look_for_text_and_patterns() {
        assert_eq!(broken(Rule::Empty, b" \r\n"), None);
        assert_eq!(
            broken(Rule::Empty, b"x").as_deref(),
            Some("it is not empty")
        );
        assert_eq!(broken(Rule::Contains("OK".into()), b"all OK"), None);
        assert_eq!(
            broken(Rule::Contains("OK".into()), b"error").as_deref(),
            Some("it does not contain \"OK\"")
        );
        let regex = regex::Regex::new("(?i)could not|error").expect("a regex");
        assert_eq!(
            broken(Rule::FailOn(regex.clone()), b"Could not connect: x").as_deref(),
            Some("it matched \"Could not\"")
        );
        assert_eq!(broken(Rule::FailOn(regex), b"<ok/>"), None);
    }

    #[test]
    fn xml_rule_reads_single_byte_encodings_by_their_declaration() {
        let latin1 = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<Company><Name>Zo\xEB Bront\xEB</Name></Company>";
        assert_eq!(broken(Rule::Xml, latin1), None);
        let undeclared = b"<Company><Name>Zo\xEB</Name></Company>";
        assert!(broken(Rule::Xml, undeclared).is_some_and(|r| r.contains("UTF-8")));
        let rules = [Expectation::stated(Rule::Contains("Zoë".into()))];
        assert_eq!(check(&rules, &mut body(latin1), None).expect("read"), None);
    }

    #[test]
    fn a_byte_that_is_not_utf8_is_named_where_it_is() {
        let mut text = b"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<a><b>".to_vec();
        text.extend_from_slice(&[b'x'; 300]);
        text.extend_from_slice(b"Caf\xE9</b></a>");
        let rules = [Expectation::stated(Rule::Xml)];
        let broken = check(&rules, &mut body(&text), None)
            .expect("read")
            .expect("broken");
        assert!(
            broken
                .reason
                .starts_with("at 2:310: byte 0xE9 is not UTF-8"),
            "{}",
            broken.reason
        );
    }

    #[test]
    fn latin1_bodies_are_read_as_latin1_when_the_charset_says_so() {
        let rules = [Expectation::stated(Rule::Contains("Zoë".into()))];
        let found = check(&rules, &mut body(b"Zo\xEB"), Some("ISO-8859-1")).expect("read");
        assert_eq!(found, None);
    }
}
