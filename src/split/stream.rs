//! Streaming mode: one checking pass of quick-xml over the file, planning chunks by a `ChildPath` in constant memory.
//!
//! The parser reads through a [`TeeReader`], so the bytes of each event are at hand
//! exactly as they are in the input. Outside records, bytes go to the skeleton event by
//! event, except the whitespace that ends a text node: it is held back, because if the
//! next tag starts a record that whitespace belongs to the record. A record's start tag
//! hands over to the [`RecordScanner`], which checks the record's content and stops at
//! its end tag; the assembler only notes where the record begins and ends and copies it
//! from the file later. Memory is the read buffer, the largest single event outside
//! records, the element stack and the skeleton (spilled to disk when big).

use std::io::Read;
use std::path::Path;

use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

use super::checks::{check_attributes, check_declaration, check_name, check_reference};
use super::child_path::{ChildPath, ChildStep};
use super::error::SplitError;
use super::record_scanner::INVALID_UTF8;
use super::record_scanner::{RecordScanner, ScanError};
use super::sink::Sink;
use super::tee_reader::TeeReader;
use super::whitespace::{is_xml_space, trailing_space_len};
use crate::xml_input;

/// Read buffer size.
const READ_BUFFER: usize = 256 << 10;

/// Splits `input` by `path`, feeding `asm`; the file is already known to exist.
pub(crate) fn split_stream(
    input: &Path,
    file: impl Read,
    path: &ChildPath,
    asm: &mut dyn Sink,
) -> Result<(), SplitError> {
    split_stream_buffered(input, file, path, asm, READ_BUFFER)
}

/// [`split_stream`] with a given read buffer size (small ones test buffer boundaries).
fn split_stream_buffered(
    input: &Path,
    file: impl Read,
    path: &ChildPath,
    asm: &mut dyn Sink,
    buffer: usize,
) -> Result<(), SplitError> {
    let tee = TeeReader::new(file, buffer);
    let mut reader = Reader::from_reader(tee);
    reader.config_mut().check_comments = true;
    let mut state = State {
        steps: &path.steps,
        depth: 0,
        matched: 0,
        in_record: false,
        root_seen: false,
        doctype_seen: false,
        scanner: RecordScanner::default(),
    };
    let mut buf = Vec::with_capacity(64 << 10);
    loop {
        buf.clear();
        let event_start = reader.get_ref().consumed;
        let event = match reader.read_event_into(&mut buf) {
            Ok(event) => event,
            Err(err) => {
                let bom = reader.get_ref().consumed - reader.buffer_position();
                return Err(parse_error(
                    input,
                    &err,
                    event_start,
                    reader.error_position() + bom,
                ));
            }
        };
        let tee = reader.get_mut();
        let fault = |message: String| malformed(input, event_start, message);
        let done = matches!(event, Event::Eof);
        state
            .step(event, event_start, tee, asm)
            .map_err(|e| match e {
                Step::Split(e) => e,
                Step::Malformed(message) if message == INVALID_UTF8 => {
                    SplitError::Encoding(xml_input::utf8_error(input, event_start))
                }
                Step::Malformed(message) => fault(message),
                Step::MalformedAt(offset, message) if message == INVALID_UTF8 => {
                    SplitError::Encoding(xml_input::utf8_error(input, offset))
                }
                Step::MalformedAt(offset, message) => malformed(input, offset, message),
                Step::Io(source) => read_error(input, &source),
            })?;
        if done {
            return Ok(());
        }
    }
}

/// What went wrong while handling one event.
enum Step {
    Split(SplitError),
    /// Not well-formed at the event's start.
    Malformed(String),
    /// Not well-formed at this absolute offset.
    MalformedAt(u64, String),
    Io(std::io::Error),
}

impl From<ScanError> for Step {
    fn from(e: ScanError) -> Self {
        match e {
            ScanError::Malformed { offset, message } => Step::MalformedAt(offset, message),
            ScanError::Read(e) => Step::Io(e),
        }
    }
}

impl From<SplitError> for Step {
    fn from(e: SplitError) -> Self {
        Step::Split(e)
    }
}

struct State<'p> {
    steps: &'p [ChildStep],
    /// Open elements.
    depth: usize,
    /// How many of the open elements, from the root down, match the path's steps.
    matched: usize,
    in_record: bool,
    root_seen: bool,
    doctype_seen: bool,
    scanner: RecordScanner,
}

impl State<'_> {
    fn step<R: Read>(
        &mut self,
        event: Event<'_>,
        event_start: u64,
        tee: &mut TeeReader<R>,
        asm: &mut dyn Sink,
    ) -> Result<(), Step> {
        if self.in_record {
            return self.in_record(event, tee, asm);
        }
        match event {
            Event::Start(e) => {
                check_attributes(&e, self.doctype_seen).map_err(Step::Malformed)?;
                self.open_root()?;
                let is_record = self.enter(&e)?;
                self.depth += 1;
                if is_record {
                    self.in_record = true;
                    begin_record(tee, e.len() + 2, asm)?;
                    // The content goes through the fast scanner; quick-xml reads the end tag.
                    self.scanner.scan(tee, self.doctype_seen)?;
                } else {
                    to_skeleton(tee, asm)?;
                }
            }
            Event::Empty(e) => {
                check_attributes(&e, self.doctype_seen).map_err(Step::Malformed)?;
                self.open_root()?;
                if self.enter(&e)? {
                    begin_record(tee, e.len() + 3, asm)?;
                    asm.end_record(tee.consumed)?;
                    if self.matched > self.depth {
                        self.matched = self.depth;
                    }
                } else {
                    to_skeleton(tee, asm)?;
                    self.matched = self.matched.min(self.depth);
                }
            }
            Event::End(e) => {
                check_name(e.name().as_ref().as_bytes()).map_err(Step::Malformed)?;
                self.close();
                to_skeleton(tee, asm)?;
            }
            Event::Text(text) => {
                if self.depth == 0 && !text.bytes().all(is_xml_space) {
                    return Err(Step::Malformed("text outside the root element".into()));
                }
                // Hold back trailing whitespace: it may belong to a record that follows.
                let keep = trailing_space_len(&tee.log);
                let cut = tee.log.len() - keep;
                asm.skeleton(tee.log.get(..cut).unwrap_or_default())?;
                tee.log.drain(..cut);
            }
            Event::GeneralRef(r) => {
                if self.depth == 0 {
                    return Err(Step::Malformed(
                        "a reference outside the root element".into(),
                    ));
                }
                check_reference(r.as_bytes(), self.doctype_seen).map_err(Step::Malformed)?;
                to_skeleton(tee, asm)?;
            }
            Event::CData(_) => {
                if self.depth == 0 {
                    return Err(Step::Malformed("CDATA outside the root element".into()));
                }
                to_skeleton(tee, asm)?;
            }
            Event::Decl(decl) => {
                if event_start != 0 {
                    return Err(Step::Malformed(
                        "an XML declaration is only allowed at the very start".into(),
                    ));
                }
                check_declaration(&decl).map_err(Step::Malformed)?;
                to_skeleton(tee, asm)?;
            }
            Event::DocType(_) => {
                if self.root_seen || self.doctype_seen {
                    return Err(Step::Malformed("a misplaced DOCTYPE".into()));
                }
                self.doctype_seen = true;
                to_skeleton(tee, asm)?;
            }
            Event::PI(_) | Event::Comment(_) => to_skeleton(tee, asm)?,
            Event::Eof => {
                if self.depth > 0 {
                    return Err(Step::Malformed(
                        "the file ends before every element is closed".into(),
                    ));
                }
                if !self.root_seen {
                    return Err(Step::Malformed("no root element".into()));
                }
                to_skeleton(tee, asm)?;
            }
        }
        Ok(())
    }

    /// Inside a record: keep depth, check, and pass bytes to the chunk.
    fn in_record<R: Read>(
        &mut self,
        event: Event<'_>,
        tee: &mut TeeReader<R>,
        asm: &mut dyn Sink,
    ) -> Result<(), Step> {
        match event {
            Event::Start(e) => {
                check_attributes(&e, self.doctype_seen).map_err(Step::Malformed)?;
                self.depth += 1;
            }
            Event::Empty(e) => check_attributes(&e, self.doctype_seen).map_err(Step::Malformed)?,
            Event::End(_) => {
                if self.depth == self.steps.len() {
                    self.in_record = false;
                    self.close();
                    tee.log.clear();
                    asm.end_record(tee.consumed)?;
                    return Ok(());
                }
                self.depth -= 1;
            }
            Event::GeneralRef(r) => {
                check_reference(r.as_bytes(), self.doctype_seen).map_err(Step::Malformed)?
            }
            Event::Decl(_) => {
                return Err(Step::Malformed(
                    "an XML declaration is only allowed at the very start".into(),
                ));
            }
            Event::DocType(_) => return Err(Step::Malformed("a misplaced DOCTYPE".into())),
            Event::Eof => {
                return Err(Step::Malformed(
                    "the file ends before every element is closed".into(),
                ));
            }
            Event::Text(_) | Event::CData(_) | Event::PI(_) | Event::Comment(_) => {}
        }
        // Record bytes are copied from the file later, by offset.
        tee.log.clear();
        Ok(())
    }

    fn open_root(&mut self) -> Result<(), Step> {
        if self.depth == 0 {
            if self.root_seen {
                return Err(Step::Malformed("a second root element".into()));
            }
            self.root_seen = true;
        }
        Ok(())
    }

    /// Matches a new element at `depth + 1`; true when it is a record.
    fn enter(&mut self, e: &BytesStart<'_>) -> Result<bool, Step> {
        let Some(step) = self.steps.get(self.depth) else {
            return Ok(false);
        };
        if self.matched != self.depth || !step_matches(step, e)? {
            return Ok(false);
        }
        self.matched = self.depth + 1;
        Ok(self.matched == self.steps.len())
    }

    fn close(&mut self) {
        if self.matched == self.depth {
            self.matched = self.matched.saturating_sub(1);
        }
        self.depth = self.depth.saturating_sub(1);
    }
}

/// The log ends with a record's start tag of `tag_len` bytes: route what is before its
/// leading whitespace to the skeleton and the rest to a new record.
fn begin_record<R: Read>(
    tee: &mut TeeReader<R>,
    tag_len: usize,
    asm: &mut dyn Sink,
) -> Result<(), Step> {
    let log = &tee.log;
    let tag_start = log.len().saturating_sub(tag_len);
    if log.get(tag_start) != Some(&b'<') {
        return Err(Step::Malformed(
            "cannot locate the record's start tag".into(),
        ));
    }
    let head = log.get(..tag_start).unwrap_or_default();
    let ws_start = tag_start - trailing_space_len(head);
    asm.skeleton(log.get(..ws_start).unwrap_or_default())?;
    asm.begin_record(tee.consumed - (log.len() - ws_start) as u64);
    tee.log.clear();
    Ok(())
}

fn to_skeleton<R: Read>(tee: &mut TeeReader<R>, asm: &mut dyn Sink) -> Result<(), Step> {
    asm.skeleton(&tee.log)?;
    tee.log.clear();
    Ok(())
}

fn step_matches(step: &ChildStep, e: &BytesStart<'_>) -> Result<bool, Step> {
    if !step.matches_name(e.local_name().as_ref().as_bytes()) {
        return Ok(false);
    }
    if step.attr_equals.is_empty() {
        return Ok(true);
    }
    let mut attrs = Vec::new();
    for attr in e.attributes() {
        let attr = attr.map_err(|err| Step::Malformed(err.to_string()))?;
        if attr.key.as_namespace_binding().is_some() {
            continue;
        }
        let value = attr
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|err| Step::Malformed(err.to_string()))?;
        attrs.push((attr.key.local_name().into_inner().as_bytes(), value));
    }
    let pairs: Vec<(&[u8], &str)> = attrs.iter().map(|(k, v)| (*k, v.as_ref())).collect();
    Ok(step.matches_attrs(&pairs))
}

/// A read failure: bytes that did not decode, or an I/O error.
fn read_error(input: &Path, source: &std::io::Error) -> SplitError {
    match xml_input::Undecodable::from_io(source) {
        Some(_) => {
            let detected = xml_input::XmlSource::open(input)
                .map(|s| s.detected().clone())
                .ok();
            match detected.and_then(|d| xml_input::encoding_error(source, input, &d)) {
                Some(e) => SplitError::Encoding(e),
                None => SplitError::Read {
                    path: input.to_path_buf(),
                    source: std::io::Error::new(source.kind(), source.to_string()),
                },
            }
        }
        None => SplitError::Read {
            path: input.to_path_buf(),
            source: std::io::Error::new(source.kind(), source.to_string()),
        },
    }
}

fn malformed(input: &Path, offset: u64, message: String) -> SplitError {
    let (line, column) = xml_input::line_column(input, offset);
    SplitError::Malformed {
        path: input.to_path_buf(),
        line,
        column,
        message,
    }
}

fn parse_error(
    input: &Path,
    err: &quick_xml::Error,
    event_start: u64,
    error_at: u64,
) -> SplitError {
    match err {
        quick_xml::Error::Io(source) => read_error(input, source),
        quick_xml::Error::Syntax(_) | quick_xml::Error::IllFormed(_) => {
            malformed(input, error_at, err.to_string())
        }
        quick_xml::Error::Encoding(quick_xml::encoding::EncodingError::Utf8(utf8)) => {
            SplitError::Encoding(xml_input::utf8_error(
                input,
                event_start + utf8.valid_up_to() as u64,
            ))
        }
        _ => malformed(input, event_start, err.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs::File;

    /// Splits with a given buffer size; the chunks' bytes, or the error's text.
    fn run(input: &Path, path: &ChildPath, buffer: usize) -> Result<Vec<Vec<u8>>, String> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let file = File::open(input).map_err(|e| e.to_string())?;
        let mut asm = super::super::assembler::Assembler::new(
            dir.path(),
            crate::split::ChunkNames::fresh(std::path::Path::new("x.xml")),
            2,
        )
        .map_err(|e| e.to_string())?;
        split_stream_buffered(input, file, path, &mut asm, buffer).map_err(|e| e.to_string())?;
        let detected = xml_input::XmlSource::open(input)
            .map_err(|_| "cannot sniff".to_string())?
            .detected()
            .clone();
        let (_, chunks) = asm
            .finish(input, None, &detected)
            .map_err(|e| e.to_string())?;
        Ok(chunks
            .iter()
            .map(|c| std::fs::read(c).unwrap_or_default())
            .collect())
    }

    #[test]
    fn tiny_read_buffers_give_the_same_chunks_and_errors() {
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/split/mixed.xml");
        let original = std::fs::read(&fixture).unwrap_or_default();
        let dir = tempfile::tempdir().ok();
        let Some(dir) = dir else { return };
        let input = dir.path().join("in.xml");
        let path = ChildPath::parse("/Company/Products/Product");
        let Some(path) = path else { return };
        // The fixture, and damaged copies whose faults fall inside records.
        let mut variants = vec![original.clone()];
        for (at, b) in [
            (260, b'<'),
            (300, b'&'),
            (420, 0xff),
            (455, b'-'),
            (520, b'"'),
        ] {
            let mut v = original.clone();
            if let Some(byte) = v.get_mut(at) {
                *byte = b;
            }
            variants.push(v);
        }
        for (n, v) in variants.iter().enumerate() {
            assert!(std::fs::write(&input, v).is_ok());
            let expected = run(&input, &path, 1 << 16);
            if n == 0 {
                assert!(expected.is_ok(), "{expected:?}");
            }
            for buffer in [1, 2, 3, 4, 5, 7, 9, 13, 31, 64] {
                assert_eq!(
                    run(&input, &path, buffer),
                    expected,
                    "variant {n}, buffer {buffer}"
                );
            }
        }
    }
}
