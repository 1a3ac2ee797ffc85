//! Streaming reader for the records of one Connect XML collection (`/Company/<Collection>/<Record>`).
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::error::ConnectError;
use super::field_limit::{FieldLimit, FieldTooLarge};
use super::node::Node;
use super::pool::Pool;
use crate::xml_input::{self, SourceError, XmlSource};

/// How deep elements may nest inside one record (below the record element). Connect XML
/// needs five levels at most; the limit keeps hostile files from costing memory and stack.
pub const MAX_RECORD_DEPTH: usize = 64;

/// The largest text, in bytes, one element may hold (and the longest run of bytes without
/// markup the reader buffers), so one huge text node cannot exhaust memory.
pub const MAX_FIELD_BYTES: usize = 8 << 20;

/// Reads the records of one collection one at a time, in constant memory.
///
/// Unknown elements, other collections and any element order are tolerated; `xsi:nil` is kept.
pub struct RecordReader {
    reader: Reader<BufReader<FieldLimit<XmlSource>>>,
    source: xml_input::Detected,
    path: PathBuf,
    collection: String,
    record: String,
    buf: Vec<u8>,
    depth: usize,
    in_collection: bool,
    seen_root: bool,
    finished: bool,
    syntax_error: bool,
    /// Whether the last event was a character reference: whitespace after one is content
    /// (`&#8364; &#8220;` keeps its space).
    after_ref: bool,
    pool: Pool,
}

impl RecordReader {
    /// Opens `path` to read `/Company/<collection>/<record>` elements.
    pub fn open(path: &Path, collection: &str, record: &str) -> Result<RecordReader, ConnectError> {
        let file = File::open(path).map_err(|source| {
            if source.kind() == std::io::ErrorKind::NotFound {
                ConnectError::NotFound {
                    path: path.to_path_buf(),
                }
            } else {
                ConnectError::Read {
                    path: path.to_path_buf(),
                    source,
                }
            }
        })?;
        let source = XmlSource::new(file, path).map_err(|e| match e {
            SourceError::Io(source) => ConnectError::Read {
                path: path.to_path_buf(),
                source,
            },
            SourceError::Encoding(e) => ConnectError::Encoding(e),
        })?;
        if source.reopen_json().is_some() {
            return Err(ConnectError::Encoding(
                crate::xml_input::EncodingError::JsonNotConnect {
                    path: path.to_path_buf(),
                },
            ));
        }
        let detected = source.detected().clone();
        let limited = FieldLimit::new(source, MAX_FIELD_BYTES);
        let mut reader = Reader::from_reader(BufReader::with_capacity(64 * 1024, limited));
        reader.config_mut().check_end_names = true;
        Ok(RecordReader {
            reader,
            source: detected,
            path: path.to_path_buf(),
            collection: collection.to_string(),
            record: record.to_string(),
            buf: Vec::with_capacity(4096),
            depth: 0,
            in_collection: false,
            seen_root: false,
            finished: false,
            syntax_error: false,
            after_ref: false,
            pool: Pool::default(),
        })
    }

    /// Reads the whole file once without building records: checks that it is well-formed
    /// Connect XML and returns how many records of the collection it holds.
    pub fn count(path: &Path, collection: &str, record: &str) -> Result<u64, ConnectError> {
        let mut reader = RecordReader::open(path, collection, record)?;
        let mut count = 0;
        while reader.next_record(false)?.is_some() {
            count += 1;
        }
        Ok(count)
    }

    /// The file being read.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The next record, or `None` at the end of the file.
    pub fn next_node(&mut self) -> Result<Option<Node>, ConnectError> {
        self.next_record(true)
    }

    /// Hands back a record that is no longer needed, so the next records reuse its memory.
    pub fn recycle(&mut self, record: Node) {
        self.pool.put(record);
    }

    fn next_record(&mut self, build: bool) -> Result<Option<Node>, ConnectError> {
        if self.finished {
            return Ok(None);
        }
        loop {
            match self.step(false) {
                Step::Start(start) => {
                    self.check_root(&start.name)?;
                    if self.depth == 1 && start.name == self.collection {
                        self.in_collection = true;
                        self.depth += 1;
                    } else if self.depth == 2 && self.in_collection && start.name == self.record {
                        let mut node = start;
                        if build {
                            self.read_children(&mut node)?;
                        } else {
                            self.skip_children()?;
                        }
                        return Ok(Some(node));
                    } else if self.depth >= 1 {
                        self.skip_children()?;
                    } else {
                        self.depth += 1;
                    }
                }
                Step::Empty(start) => {
                    self.check_root(&start.name)?;
                    if self.depth == 2 && self.in_collection && start.name == self.record {
                        return Ok(Some(start));
                    }
                }
                Step::End => {
                    self.depth = self.depth.saturating_sub(1);
                    if self.depth == 1 {
                        self.in_collection = false;
                    }
                }
                Step::Text(blank, _) => {
                    if self.depth == 0 && !blank {
                        return Err(self.malformed("text outside the root element".into()));
                    }
                }
                Step::Ref(r) => {
                    self.resolve_ref(&r)?;
                    if self.depth == 0 {
                        return Err(self.malformed("text outside the root element".into()));
                    }
                }
                Step::Error(error) => return Err(self.xml_error(error)),
                Step::Eof => {
                    self.finished = true;
                    if self.depth > 0 {
                        return Err(self
                            .malformed("the file ends before the root element is closed".into()));
                    }
                    if !self.seen_root {
                        return Err(self.malformed("the file holds no root element".into()));
                    }
                    return Ok(None);
                }
                Step::Other => {}
            }
        }
    }

    /// Reads one event and turns it into an owned step (text is copied only when `keep_text`).
    fn step(&mut self, keep_text: bool) -> Step {
        self.buf.clear();
        let after_ref = std::mem::replace(&mut self.after_ref, false);
        match self.reader.read_event_into(&mut self.buf) {
            Ok(Event::Start(start)) => Step::Start(start_node(&mut self.pool, &start)),
            Ok(Event::Empty(start)) => Step::Empty(start_node(&mut self.pool, &start)),
            Ok(Event::End(_)) => Step::End,
            Ok(Event::Text(text)) => {
                let blank = is_blank(&text);
                let kept = if keep_text && (!blank || after_ref) {
                    self.pool.string(&text.xml10_content())
                } else {
                    String::new()
                };
                Step::Text(blank, kept)
            }
            Ok(Event::CData(data)) => Step::Text(false, data.into_inner().into_owned()),
            Ok(Event::GeneralRef(r)) => {
                self.after_ref = true;
                Step::Ref(r.to_string())
            }
            Ok(Event::Eof) => Step::Eof,
            Ok(_) => Step::Other,
            Err(err) => Step::Error(err),
        }
    }

    /// The error for a failed read: bytes that do not decode, a field over the size
    /// limit, or XML that is not well-formed.
    fn xml_error(&mut self, error: quick_xml::Error) -> ConnectError {
        self.finished = true;
        match &error {
            quick_xml::Error::Io(io) => {
                if let Some(big) = FieldTooLarge::from_io(io) {
                    let (line, column) = xml_input::line_column(&self.path, big.offset);
                    return ConnectError::FieldTooLarge {
                        path: self.path.clone(),
                        line,
                        column,
                        limit: MAX_FIELD_BYTES as u64,
                    };
                }
                if let Some(e) = xml_input::encoding_error(io, &self.path, &self.source) {
                    return ConnectError::Encoding(e);
                }
                ConnectError::Read {
                    path: self.path.clone(),
                    source: std::io::Error::new(io.kind(), io.to_string()),
                }
            }
            quick_xml::Error::Encoding(_) => {
                ConnectError::Encoding(xml_input::utf8_error(&self.path, 0))
            }
            _ => {
                self.syntax_error = true;
                self.malformed(error.to_string())
            }
        }
    }

    fn check_root(&mut self, name: &str) -> Result<(), ConnectError> {
        if self.depth == 0 {
            if self.seen_root {
                return Err(self.malformed("a second root element".into()));
            }
            if name != "Company" {
                self.finished = true;
                return Err(ConnectError::NotConnectXml {
                    path: self.path.clone(),
                    file: self
                        .path
                        .file_name()
                        .map(|f| f.to_string_lossy().into_owned())
                        .unwrap_or_default(),
                    root: name.to_string(),
                });
            }
            self.seen_root = true;
        }
        Ok(())
    }

    /// Reads the content of an element whose start tag was just read, up to its end tag.
    fn read_children(&mut self, root: &mut Node) -> Result<(), ConnectError> {
        let mut stack: Vec<Node> = Vec::new();
        loop {
            let event_start = self.reader.buffer_position();
            match self.step(true) {
                Step::Start(start) => {
                    if stack.len() >= MAX_RECORD_DEPTH {
                        self.finished = true;
                        let offset = event_start;
                        let (line, column) = xml_input::line_column(&self.path, offset);
                        return Err(ConnectError::TooDeep {
                            path: self.path.clone(),
                            line,
                            column,
                            record: root.name.clone(),
                            limit: MAX_RECORD_DEPTH,
                        });
                    }
                    stack.push(start);
                }
                Step::Empty(start) => top(&mut stack, root).children.push(start),
                Step::End => match stack.pop() {
                    Some(mut done) => {
                        tidy(&mut done);
                        top(&mut stack, root).children.push(done);
                    }
                    None => {
                        tidy(root);
                        return Ok(());
                    }
                },
                Step::Text(_, text) => {
                    let node = top(&mut stack, root);
                    if node.text.len() + text.len() > MAX_FIELD_BYTES {
                        return Err(self.field_too_large());
                    }
                    if node.text.is_empty() {
                        let spare = std::mem::replace(&mut node.text, text);
                        self.pool.put_string(spare);
                    } else {
                        node.text.push_str(&text);
                        self.pool.put_string(text);
                    }
                }
                Step::Ref(r) => {
                    let ch = self.resolve_ref(&r)?;
                    let node = top(&mut stack, root);
                    if node.text.len() >= MAX_FIELD_BYTES {
                        return Err(self.field_too_large());
                    }
                    node.text.push(ch);
                }
                Step::Error(error) => return Err(self.xml_error(error)),
                Step::Eof => {
                    self.finished = true;
                    let name = root.name.clone();
                    return Err(self.malformed(format!("the file ends inside `<{name}>`")));
                }
                Step::Other => {}
            }
        }
    }

    /// Skips the content of an element whose start tag was just read, checking it is
    /// well-formed but building nothing.
    fn skip_children(&mut self) -> Result<(), ConnectError> {
        let mut depth = 1usize;
        loop {
            self.buf.clear();
            let problem = match self.reader.read_event_into(&mut self.buf) {
                Ok(Event::Start(_)) => {
                    depth += 1;
                    None
                }
                Ok(Event::End(_)) => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(());
                    }
                    None
                }
                Ok(Event::GeneralRef(r)) => Some(Ok(r.to_string())),
                Ok(Event::Eof) => Some(Err(())),
                Ok(_) => None,
                Err(err) => return Err(self.xml_error(err)),
            };
            match problem {
                None => {}
                Some(Ok(r)) => {
                    self.resolve_ref(&r)?;
                }
                Some(Err(_)) => {
                    return Err(self.malformed("the file ends inside an element".into()));
                }
            }
        }
    }

    fn field_too_large(&mut self) -> ConnectError {
        self.finished = true;
        let offset = self.reader.buffer_position();
        let (line, column) = xml_input::line_column(&self.path, offset);
        ConnectError::FieldTooLarge {
            path: self.path.clone(),
            line,
            column,
            limit: MAX_FIELD_BYTES as u64,
        }
    }

    fn resolve_ref(&mut self, r: &str) -> Result<char, ConnectError> {
        match quick_xml::events::BytesRef::new(r).resolve_char_ref() {
            Ok(Some(ch)) => Ok(ch),
            Ok(None) => match r {
                "lt" => Ok('<'),
                "gt" => Ok('>'),
                "amp" => Ok('&'),
                "apos" => Ok('\''),
                "quot" => Ok('"'),
                other => {
                    Err(self.malformed_back(format!("unknown entity `&{other};`"), other.len() + 2))
                }
            },
            Err(err) => Err(self.malformed_back(
                format!("bad character reference `&{r};`: {err}"),
                r.len() + 2,
            )),
        }
    }

    fn malformed(&mut self, message: String) -> ConnectError {
        self.malformed_back(message, 0)
    }

    /// A malformed-XML error `back` bytes before the reader's position (or at quick-xml's
    /// own error position for syntax errors).
    fn malformed_back(&mut self, message: String, back: usize) -> ConnectError {
        self.finished = true;
        let offset = if self.syntax_error {
            self.reader.error_position()
        } else {
            self.reader.buffer_position().saturating_sub(back as u64)
        };
        let (line, column) = xml_input::line_column(&self.path, offset);
        ConnectError::Malformed {
            path: self.path.clone(),
            line,
            column,
            message,
        }
    }
}

/// One reader event, owned, so the reader can be borrowed again while it is handled.
enum Step {
    Start(Node),
    Empty(Node),
    End,
    /// Whether the text is blank, and the text when it was kept.
    Text(bool, String),
    Ref(String),
    Error(quick_xml::Error),
    Eof,
    Other,
}

fn top<'a>(stack: &'a mut [Node], root: &'a mut Node) -> &'a mut Node {
    match stack.last_mut() {
        Some(node) => node,
        None => root,
    }
}

/// `text.trim().is_empty()`, without decoding characters for the usual case: the whitespace
/// between elements is ASCII, and an ASCII character that is not whitespace settles it.
fn is_blank(text: &str) -> bool {
    let mut ascii = true;
    for b in text.bytes() {
        if !b.is_ascii() {
            ascii = false;
        } else if !matches!(b, b' ' | b'\t'..=b'\r') {
            return false;
        }
    }
    ascii || text.trim().is_empty()
}

/// Drops whitespace-only text next to child elements.
fn tidy(node: &mut Node) {
    if !node.children.is_empty() && is_blank(&node.text) {
        node.text.clear();
    }
}

fn start_node(pool: &mut Pool, start: &BytesStart<'_>) -> Node {
    let mut node = pool.node(start.name().0);
    if start.attributes_raw().trim().is_empty() {
        return node;
    }
    for attr in start.attributes().flatten() {
        let key = attr.key.0;
        if (key == "nil" || key.ends_with(":nil")) && matches!(attr.value.trim(), "true" | "1") {
            node.nil = true;
        }
    }
    node
}

/// 1-based line and column (in characters) of offset `offset` in the file's text, as
/// decoded to UTF-8 (the offsets the reader reports).
pub fn line_column(path: &Path, offset: u64) -> (u64, u64) {
    xml_input::line_column(path, offset)
}

#[cfg(test)]
mod tests {
    use super::is_blank;

    #[test]
    fn blank_is_what_trim_leaves_empty() {
        for text in [
            "",
            " ",
            "\n    ",
            "\t\r\n",
            "\u{0B}\u{0C}",
            "\u{A0}",
            " \u{3000} ",
            "x",
            " x ",
            "\u{A0}x",
            "é",
            "\u{1C}",
        ] {
            assert_eq!(is_blank(text), text.trim().is_empty(), "{text:?}");
        }
    }

    #[test]
    fn whitespace_between_character_references_is_text() {
        let Ok(dir) = tempfile::tempdir() else { return };
        let path = dir.path().join("c.xml");
        let xml = "<Company><Customers><Customer>\n  <CompanyName> &#8364; &#8220;x&#8221; &amp; \n</CompanyName>\n</Customer></Customers></Company>";
        assert!(std::fs::write(&path, xml).is_ok());
        let records = crate::connect::read_all(&path, "Customers", "Customer").unwrap_or_default();
        let name = records.first().and_then(|r| r.text_of("CompanyName"));
        assert_eq!(name, Some("\u{20AC} \u{201C}x\u{201D} &"));
        assert_eq!(records.first().map(|r| r.text.as_str()), Some(""));
    }
}
