//! Streaming mode's event pass: one quick-xml pass finds the record elements; each record alone is parsed into a small roxmltree document and mapped there.
//!
//! It runs when the fast pass ([`super::fast_stream`]) gives up, and reports faults with
//! their line and column. Outside records the reader keeps only the open elements' depth,
//! how far each rule's child-step path has matched, and the namespace declarations in
//! scope. A record's bytes are logged while quick-xml reads to its end tag, the in-scope
//! declarations are added to its start tag, and the record is parsed and mapped on its
//! own, so memory is bounded by the largest record whatever the input's size.

use std::borrow::Cow;
use std::io::Read;
use std::path::Path;

use quick_xml::events::{BytesDecl, BytesStart, Event};
use quick_xml::{Reader, XmlVersion};
use roxmltree::Document;

use super::child_walk::descend;
use super::error::MapError;
use super::log_reader::LogReader;
use super::namespaces::Namespaces;
use super::output::Output;
use super::record::Builder;
use super::spec::MapSpec;
use crate::connect::{FieldLimit, FieldTooLarge, MAX_FIELD_BYTES};
use crate::text_position::offset_of;
use crate::xml_input::{self, XmlSource};
use crate::xpath::{ChildPath, ChildStep};

/// Read buffer size.
const READ_BUFFER: usize = 256 << 10;

/// How a streaming pass ended.
pub(crate) enum Streamed {
    /// Every record was mapped.
    Done,
    /// The input has a DOCTYPE (its entities may be used inside records): nothing was
    /// mapped, use tree mode.
    NeedsTree,
}

/// Maps `file` (the input at `input`) by each rule's child-step path (`paths[i]` for
/// `spec.rules[i]`).
pub(crate) fn map_stream(
    input: &Path,
    file: XmlSource,
    spec: &MapSpec,
    paths: &[ChildPath],
    builder: &Builder,
    output: &mut Output,
) -> Result<Streamed, MapError> {
    let limited = FieldLimit::new(file, MAX_FIELD_BYTES);
    let mut reader = Reader::from_reader(LogReader::new(limited, READ_BUFFER));
    reader.config_mut().check_comments = true;
    let mut walk = Walk::new(input, spec, paths, builder);
    let mut buf = Vec::with_capacity(64 << 10);
    loop {
        buf.clear();
        let event_start = reader.get_ref().consumed;
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| parse_error(input, &reader, &e, event_start))?;
        if let Some(end) = walk.event(event, event_start, &mut reader, output)? {
            return Ok(end);
        }
    }
}

/// The reader's position relative to the rules' paths.
pub(super) struct Walk<'a> {
    input: &'a Path,
    spec: &'a MapSpec,
    paths: &'a [ChildPath],
    /// Per rule: how many open elements, from the root down, match its path's steps.
    matched: Vec<usize>,
    /// Open elements.
    pub(super) depth: usize,
    root_seen: bool,
    pub(super) namespaces: Namespaces,
    builder: &'a Builder<'a>,
}

impl<'a> Walk<'a> {
    /// At the start of the input, before the root element.
    pub(super) fn new(
        input: &'a Path,
        spec: &'a MapSpec,
        paths: &'a [ChildPath],
        builder: &'a Builder<'a>,
    ) -> Walk<'a> {
        Walk {
            input,
            spec,
            paths,
            matched: vec![0; paths.len()],
            depth: 0,
            root_seen: false,
            namespaces: Namespaces::default(),
            builder,
        }
    }

    /// Whether the root element has been opened.
    pub(super) fn root_seen(&self) -> bool {
        self.root_seen
    }
    /// Handles one event outside records; `Some` when the pass is over.
    fn event(
        &mut self,
        event: Event,
        event_start: u64,
        reader: &mut Reader<LogReader<FieldLimit<XmlSource>>>,
        output: &mut Output,
    ) -> Result<Option<Streamed>, MapError> {
        let fault = |message: &str| malformed(self.input, event_start, message);
        match event {
            Event::Start(start) => self.start(&start, event_start, reader, output)?,
            Event::Empty(start) => self.empty(&start, event_start, output)?,
            Event::End(_) => {
                self.namespaces.close(self.depth);
                self.close();
            }
            Event::Text(text) => {
                if self.depth == 0 && !text.trim_ascii().is_empty() {
                    return Err(fault("text outside the root element"));
                }
            }
            Event::GeneralRef(reference) => {
                if self.depth == 0 {
                    return Err(fault("content outside the root element"));
                }
                let text = format!("<a>&{};</a>", &*reference);
                check_fragment(self.input, &text, 3, event_start)?;
            }
            Event::CData(_) => {
                if self.depth == 0 {
                    return Err(fault("content outside the root element"));
                }
            }
            Event::Decl(decl) => {
                if event_start > 3 {
                    return Err(fault(
                        "an XML declaration is only allowed at the very start",
                    ));
                }
                check_declaration(self.input, &decl, event_start)?;
            }
            Event::DocType(_) => {
                if self.root_seen {
                    return Err(fault("a DOCTYPE after the root element"));
                }
                return Ok(Some(Streamed::NeedsTree));
            }
            Event::PI(_) | Event::Comment(_) => {}
            Event::Eof => {
                if self.depth > 0 {
                    return Err(fault("the file ends before every element is closed"));
                }
                if !self.root_seen {
                    return Err(fault("no root element"));
                }
                return Ok(Some(Streamed::Done));
            }
        }
        Ok(None)
    }

    /// A start tag: a record is read to its end tag and mapped, anything else is checked
    /// and its namespace declarations noted.
    fn start(
        &mut self,
        start: &BytesStart,
        event_start: u64,
        reader: &mut Reader<LogReader<FieldLimit<XmlSource>>>,
        output: &mut Output,
    ) -> Result<(), MapError> {
        self.open(start)
            .map_err(|m| malformed(self.input, event_start, &m))?;
        if !self.is_record() {
            check_tag(self.input, start, &self.namespaces, event_start)?;
            self.namespaces.open(self.depth, start);
            return Ok(());
        }
        let start = start.clone().into_owned();
        let bytes = read_record(self.input, reader, &start)?;
        let record_start = reader.get_ref().consumed - bytes.len() as u64;
        self.map_record(&start, &bytes, record_start, output)?;
        self.close();
        Ok(())
    }

    /// An empty-element tag: a record is mapped, anything else checked.
    fn empty(
        &mut self,
        start: &BytesStart,
        event_start: u64,
        output: &mut Output,
    ) -> Result<(), MapError> {
        self.open(start)
            .map_err(|m| malformed(self.input, event_start, &m))?;
        if self.is_record() {
            let bytes = format!("<{}/>", &**start).into_bytes();
            self.map_record(start, &bytes, event_start, output)?;
        } else {
            check_tag(self.input, start, &self.namespaces, event_start)?;
        }
        self.close();
        Ok(())
    }

    /// A start tag (of a start or empty element): checks it and matches it against every path.
    pub(super) fn open(&mut self, start: &BytesStart) -> Result<(), String> {
        if self.depth == 0 {
            if self.root_seen {
                return Err("a second root element".into());
            }
            self.root_seen = true;
        }
        let attrs = attributes(start)?;
        let local = start.local_name();
        for (path, matched) in self.paths.iter().zip(self.matched.iter_mut()) {
            if *matched == self.depth
                && let Some(step) = path.steps.get(self.depth)
                && step_matches(step, local.as_ref(), &attrs)
            {
                *matched += 1;
            }
        }
        self.depth += 1;
        Ok(())
    }

    /// Whether the element just opened is a record of some rule.
    pub(super) fn is_record(&self) -> bool {
        self.paths
            .iter()
            .zip(&self.matched)
            .any(|(path, matched)| *matched == self.depth && path.steps.len() == self.depth)
    }

    pub(super) fn close(&mut self) {
        for matched in &mut self.matched {
            if *matched == self.depth {
                *matched -= 1;
            }
        }
        self.depth = self.depth.saturating_sub(1);
    }

    /// Parses one record (`bytes`, starting at byte `record_start` of the input) and maps
    /// it for every rule it belongs to, or that selects records inside it.
    fn map_record(
        &self,
        start: &BytesStart,
        bytes: &[u8],
        record_start: u64,
        output: &mut Output,
    ) -> Result<(), MapError> {
        let (text, carried) = self.record_text(start, bytes, record_start)?;
        let name_end = 1 + start.name().as_ref().len();
        let doc = Document::parse(&text).map_err(|e| {
            let pos = e.pos();
            let mut offset = offset_of(&text, pos.row, pos.col);
            if offset > name_end {
                offset = offset.saturating_sub(carried).max(name_end);
            }
            malformed(self.input, record_start + offset as u64, &e.to_string())
        })?;
        self.map_document(&doc, output)
    }

    /// The text of one record (`bytes`, starting at byte `record_start` of the input) to
    /// parse on its own: the namespace declarations in scope added after its name. Also
    /// the length of what was added.
    pub(super) fn record_text<'b>(
        &self,
        start: &BytesStart,
        bytes: &'b [u8],
        record_start: u64,
    ) -> Result<(Cow<'b, str>, usize), MapError> {
        let text = std::str::from_utf8(bytes).map_err(|e| {
            MapError::Encoding(xml_input::utf8_error(
                self.input,
                record_start + e.valid_up_to() as u64,
            ))
        })?;
        if self.namespaces.is_empty() {
            return Ok((Cow::Borrowed(text), 0));
        }
        let carried = self.namespaces.carried(start);
        if carried.is_empty() {
            return Ok((Cow::Borrowed(text), 0));
        }
        let name_end = 1 + start.name().as_ref().len();
        let (head, tail) = text.split_at(name_end.min(text.len()));
        Ok((Cow::Owned(format!("{head}{carried}{tail}")), carried.len()))
    }

    /// Maps the parsed record `doc` for every rule it belongs to, or that selects records
    /// inside it.
    pub(super) fn map_document(&self, doc: &Document, output: &mut Output) -> Result<(), MapError> {
        let record = doc.root_element();
        let mut read: Vec<usize> = Vec::new();
        for (index, (rule, path)) in self.spec.rules.iter().zip(self.paths).enumerate() {
            if self.matched.get(index) != Some(&self.depth) {
                continue;
            }
            let rest = path.steps.get(self.depth..).unwrap_or_default();
            for node in descend(record, rest) {
                if self.builder.admits(index, rule, node)? {
                    output.record(index, &self.builder.record(rule, node)?)?;
                    read.push(node.id().get_usize());
                }
            }
        }
        read.sort_unstable();
        read.dedup();
        output.read(read.len() as u64);
        Ok(())
    }
}

/// Reads from just after a record's start tag to just after its end tag; the record's
/// bytes, start tag included.
fn read_record(
    input: &Path,
    reader: &mut Reader<LogReader<FieldLimit<XmlSource>>>,
    start: &BytesStart,
) -> Result<Vec<u8>, MapError> {
    let log = &mut reader.get_mut().log;
    log.clear();
    log.push(b'<');
    log.extend_from_slice(start.as_bytes());
    log.push(b'>');
    reader.get_mut().logging = true;
    let mut buf = Vec::new();
    let mut depth = 0usize;
    loop {
        buf.clear();
        let event_start = reader.get_ref().consumed;
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| parse_error(input, reader, &e, event_start))?;
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) if depth == 0 => break,
            Event::End(_) => depth -= 1,
            Event::Eof => {
                return Err(malformed(
                    input,
                    event_start,
                    "the file ends before every element is closed",
                ));
            }
            Event::Decl(_) | Event::DocType(_) => {
                return Err(malformed(input, event_start, "a misplaced declaration"));
            }
            _ => {}
        }
    }
    let tee = reader.get_mut();
    tee.logging = false;
    Ok(std::mem::take(&mut tee.log))
}

/// quick-xml reads a declaration leniently: roxmltree checks it, on a one-element document.
fn check_declaration(input: &Path, decl: &BytesDecl, event_start: u64) -> Result<(), MapError> {
    check_fragment(input, &format!("<?{}?><a/>", &**decl), 0, event_start)
}

/// quick-xml reads the start tags around records leniently (names, attribute values,
/// references, prefixes): roxmltree checks each one as an empty element, with the
/// namespace declarations in scope added after its name.
pub(super) fn check_tag(
    input: &Path,
    start: &BytesStart,
    namespaces: &Namespaces,
    event_start: u64,
) -> Result<(), MapError> {
    let content: &str = start;
    let name_len = start.name().as_ref().len();
    let (name, rest) = content.split_at(name_len.min(content.len()));
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    let carried = namespaces.carried(start);
    let text = format!("<{name}{carried}{rest}/>");
    match Document::parse(&text) {
        Ok(_) => Ok(()),
        Err(e) => {
            let pos = e.pos();
            let mut offset = offset_of(&text, pos.row, pos.col);
            if offset > 1 + name_len {
                offset = offset.saturating_sub(carried.len()).max(1 + name_len);
            }
            Err(malformed(
                input,
                event_start + offset as u64,
                &e.to_string(),
            ))
        }
    }
}

/// Parses `text`, whose byte `skip` is byte `event_start` of the input, and reports an
/// error there.
pub(super) fn check_fragment(
    input: &Path,
    text: &str,
    skip: usize,
    event_start: u64,
) -> Result<(), MapError> {
    match Document::parse(text) {
        Ok(_) => Ok(()),
        Err(e) => {
            let pos = e.pos();
            let offset = offset_of(text, pos.row, pos.col).saturating_sub(skip) as u64;
            Err(malformed(input, event_start + offset, &e.to_string()))
        }
    }
}

/// The attributes of a start tag as `(local name, normalised value)`, namespace
/// declarations left out.
fn attributes(start: &BytesStart) -> Result<Vec<(String, String)>, String> {
    let name = start.name();
    if !is_name(name.as_ref()) {
        return Err(format!("`{}` is not an element name", name.as_ref()));
    }
    let mut out = Vec::new();
    for attr in start.attributes() {
        let attr = attr.map_err(|e| e.to_string())?;
        if !is_name(attr.key.as_ref()) {
            return Err(format!("`{}` is not an attribute name", attr.key.as_ref()));
        }
        if attr.key.as_namespace_binding().is_some() {
            continue;
        }
        let value = attr
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|e| e.to_string())?;
        out.push((
            attr.key.local_name().as_ref().to_owned(),
            value.into_owned(),
        ));
    }
    Ok(out)
}

/// An XML name (checked on its ASCII characters; others are left to UTF-8 checking).
fn is_name(name: &str) -> bool {
    let mut chars = name.chars();
    let start = |c: char| c.is_ascii_alphabetic() || matches!(c, '_' | ':') || !c.is_ascii();
    chars.next().is_some_and(start)
        && chars.all(|c| start(c) || c.is_ascii_digit() || matches!(c, '-' | '.'))
}

fn step_matches(step: &ChildStep, local: &str, attrs: &[(String, String)]) -> bool {
    step.name == local
        && step
            .attr_equals
            .iter()
            .all(|(name, value)| attrs.iter().any(|(n, v)| n == name && v == value))
}

/// A malformed-XML error at byte `offset` of the input (the file is read again to find
/// the line and column).
fn malformed(input: &Path, offset: u64, message: &str) -> MapError {
    let (line, column) = xml_input::line_column(input, offset);
    MapError::Malformed {
        path: input.to_path_buf(),
        line,
        column,
        message: message.to_owned(),
    }
}

fn parse_error<R: Read>(
    input: &Path,
    reader: &Reader<LogReader<R>>,
    err: &quick_xml::Error,
    event_start: u64,
) -> MapError {
    match err {
        quick_xml::Error::Io(source) if FieldTooLarge::from_io(source).is_some() => {
            let offset = FieldTooLarge::from_io(source).map_or(event_start, |big| big.offset);
            let (line, column) = xml_input::line_column(input, offset);
            MapError::FieldTooLarge {
                path: input.to_path_buf(),
                line,
                column,
                limit: MAX_FIELD_BYTES as u64,
            }
        }
        quick_xml::Error::Io(source) => {
            let detected = xml_input::XmlSource::open(input)
                .map(|s| s.detected().clone())
                .ok();
            match detected.and_then(|d| xml_input::encoding_error(source, input, &d)) {
                Some(e) => MapError::Encoding(e),
                None => MapError::Read {
                    path: input.to_path_buf(),
                    source: std::io::Error::new(source.kind(), source.to_string()),
                },
            }
        }
        quick_xml::Error::Syntax(_) | quick_xml::Error::IllFormed(_) => {
            let bom = reader.get_ref().consumed - reader.buffer_position();
            malformed(input, reader.error_position() + bom, &err.to_string())
        }
        quick_xml::Error::Encoding(quick_xml::encoding::EncodingError::Utf8(utf8)) => {
            MapError::Encoding(xml_input::utf8_error(
                input,
                event_start + utf8.valid_up_to() as u64,
            ))
        }
        _ => malformed(input, event_start, &err.to_string()),
    }
}
