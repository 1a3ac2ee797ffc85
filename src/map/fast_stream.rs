//! Streaming mode's fast pass: the records are found by a byte scan of the markup instead of the event reader, then parsed and mapped as the event pass maps them.
//!
//! The event pass reads every event inside every record with quick-xml only to find
//! where the record ends, then parses the record again with roxmltree. This pass finds the
//! end with [`record_end`](super::record_end) and leaves every check inside the record to
//! roxmltree. Outside records it takes a plain subset (a declaration at the very start,
//! comments, tags, text without references) and checks what it takes as the event pass
//! does, with the same functions.
//!
//! It gives up ([`Bail`]) on anything else, and on any fault: a record roxmltree
//! rejects, invalid UTF-8, a DOCTYPE, a processing instruction, a reference outside a
//! record, a read error. The caller then maps the whole input again with the event pass,
//! into a fresh output, which reads it the same way or reports the fault with its line
//! and column. An error of the mapping itself (an XPath that fails, the output that
//! cannot be written) is the event pass's error too, met at the same record, and is
//! returned as it is.

use std::io::Read;
use std::path::Path;

use memchr::{memchr, memmem};
use quick_xml::events::BytesStart;
use roxmltree::Document;

use super::error::MapError;
use super::output::Output;
use super::record::Builder;
use super::record_end::{self, End};
use super::spec::MapSpec;
use super::stream::{Walk, check_fragment, check_tag};
use crate::connect::{FieldLimit, MAX_FIELD_BYTES};
use crate::xml_input::XmlSource;
use crate::xpath::ChildPath;

/// Bytes read at a time.
const READ_SIZE: usize = 256 << 10;

/// How the fast pass ended.
pub(super) enum Fast {
    /// Every record was mapped.
    Done,
    /// Map the whole input again with the event pass (nothing this pass wrote counts).
    Bail,
}

/// Why the pass stopped before the end.
enum Stop {
    Bail,
    Failed(MapError),
}

impl From<MapError> for Stop {
    fn from(error: MapError) -> Stop {
        Stop::Failed(error)
    }
}

/// Maps `file` (the input at `input`) by each rule's child-step path (`paths[i]` for
/// `spec.rules[i]`), or gives up.
pub(super) fn map_fast(
    input: &Path,
    file: XmlSource,
    spec: &MapSpec,
    paths: &[ChildPath],
    builder: &Builder,
    output: &mut Output,
) -> Result<Fast, MapError> {
    let mut pass = Pass {
        input,
        file: FieldLimit::new(file, MAX_FIELD_BYTES),
        buf: Vec::with_capacity(READ_SIZE * 2),
        pos: 0,
        base: 0,
        eof: false,
        walk: Walk::new(input, spec, paths, builder),
        open: Vec::new(),
    };
    match pass.run(output) {
        Ok(()) => Ok(Fast::Done),
        Err(Stop::Bail) => Ok(Fast::Bail),
        Err(Stop::Failed(error)) => Err(error),
    }
}

struct Pass<'a, 'w> {
    input: &'a Path,
    file: FieldLimit<XmlSource>,
    /// Bytes read and not yet dropped; `buf[pos..]` is still to be scanned.
    buf: Vec<u8>,
    pos: usize,
    /// The input offset of `buf[0]`.
    base: u64,
    eof: bool,
    walk: Walk<'w>,
    /// The names of the open elements outside records.
    open: Vec<Vec<u8>>,
}

impl Pass<'_, '_> {
    fn run(&mut self, output: &mut Output) -> Result<(), Stop> {
        self.fill()?;
        if self.buf.first() != Some(&b'<') {
            return Err(Stop::Bail);
        }
        loop {
            let rest = self.buf.get(self.pos..).unwrap_or_default();
            let text_len = memchr(b'<', rest).unwrap_or(rest.len());
            self.text(text_len)?;
            self.pos += text_len;
            if self.pos == self.buf.len() {
                if self.eof {
                    return self.finish();
                }
                self.fill()?;
                continue;
            }
            match self.markup(output)? {
                Some(len) => self.pos += len,
                None if self.eof => return Err(Stop::Bail),
                None => self.fill()?,
            }
        }
    }

    /// Text outside records: only whitespace outside the root, no references, UTF-8.
    fn text(&self, len: usize) -> Result<(), Stop> {
        let text = self.buf.get(self.pos..self.pos + len).unwrap_or_default();
        let fine = if self.walk.depth == 0 {
            text.iter()
                .all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
        } else {
            memchr(b'&', text).is_none() && std::str::from_utf8(text).is_ok()
        };
        if fine { Ok(()) } else { Err(Stop::Bail) }
    }

    /// Handles the markup at `pos`: its length, or `None` when more bytes are needed.
    fn markup(&mut self, output: &mut Output) -> Result<Option<usize>, Stop> {
        let rest = self.buf.get(self.pos..).unwrap_or_default();
        match rest.get(1) {
            None => Ok(None),
            Some(b'?') => self.declaration(),
            Some(b'!') => comment(rest),
            Some(b'/') => self.end_tag(),
            Some(_) => self.start_tag(output),
        }
    }

    /// The XML declaration, only at the very start of the input.
    fn declaration(&self) -> Result<Option<usize>, Stop> {
        let rest = self.buf.get(self.pos..).unwrap_or_default();
        let at_start = self.base + self.pos as u64 == 0;
        let is_declaration = rest
            .get(5)
            .is_some_and(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
            && rest.starts_with(b"<?xml");
        if !at_start || !is_declaration {
            return if rest.len() < 6 {
                Ok(None)
            } else {
                Err(Stop::Bail)
            };
        }
        let Some(end) = memmem::find(rest, b"?>") else {
            return Ok(None);
        };
        let declaration = rest.get(..end + 2).unwrap_or_default();
        let text = std::str::from_utf8(declaration).map_err(|_| Stop::Bail)?;
        check_fragment(self.input, &format!("{text}<a/>"), 0, 0).map_err(|_| Stop::Bail)?;
        Ok(Some(end + 2))
    }

    fn end_tag(&mut self) -> Result<Option<usize>, Stop> {
        let rest = self.buf.get(self.pos..).unwrap_or_default();
        let Some(gt) = memchr(b'>', rest) else {
            return Ok(None);
        };
        let tag = rest.get(2..gt).unwrap_or_default();
        let name = tag
            .get(..tag.len() - record_end::trailing_space(tag))
            .unwrap_or_default();
        if self.open.last().map(Vec::as_slice) != Some(name) {
            return Err(Stop::Bail);
        }
        self.open.pop();
        self.walk.namespaces.close(self.walk.depth);
        self.walk.close();
        Ok(Some(gt + 1))
    }

    /// A start or empty-element tag: a record is mapped whole, anything else checked.
    fn start_tag(&mut self, output: &mut Output) -> Result<Option<usize>, Stop> {
        let rest = self.buf.get(self.pos..).unwrap_or_default();
        let Some(gt) = record_end::tag_end(rest) else {
            return Ok(None);
        };
        let empty = rest.get(gt - 1) == Some(&b'/');
        let content_end = if empty { gt - 1 } else { gt };
        let (start, name_len) = start_of(rest, content_end)?;
        self.walk.open(&start).map_err(|_| Stop::Bail)?;
        if !self.walk.is_record() {
            check_tag(self.input, &start, &self.walk.namespaces, 0).map_err(|_| Stop::Bail)?;
            if empty {
                self.walk.close();
            } else {
                self.walk.namespaces.open(self.walk.depth, &start);
                self.open.push(start.name().as_ref().as_bytes().to_vec());
            }
            return Ok(Some(gt + 1));
        }
        let len = if empty {
            gt + 1
        } else {
            loop {
                let rest = self.buf.get(self.pos..).unwrap_or_default();
                let name = rest.get(1..1 + name_len).unwrap_or_default();
                match record_end::find(rest, gt + 1, name) {
                    End::At(len) => break len,
                    End::More if !self.eof => self.fill()?,
                    End::More | End::GiveUp => return Err(Stop::Bail),
                }
            }
        };
        let rest = self.buf.get(self.pos..).unwrap_or_default();
        let (start, _) = start_of(rest, content_end)?;
        let bytes = rest.get(..len).unwrap_or_default();
        let record_start = self.base + self.pos as u64;
        let (text, _) = self
            .walk
            .record_text(&start, bytes, record_start)
            .map_err(|_| Stop::Bail)?;
        let doc = Document::parse(&text).map_err(|_| Stop::Bail)?;
        self.walk.map_document(&doc, output)?;
        self.walk.close();
        Ok(Some(len))
    }

    /// The end of the input: the root element must have been read and closed.
    fn finish(&self) -> Result<(), Stop> {
        if self.walk.depth == 0 && self.walk.root_seen() {
            Ok(())
        } else {
            Err(Stop::Bail)
        }
    }

    /// Drops the bytes scanned and reads more; `eof` once the input is exhausted.
    fn fill(&mut self) -> Result<(), Stop> {
        if self.eof {
            return Ok(());
        }
        self.buf.drain(..self.pos);
        self.base += self.pos as u64;
        self.pos = 0;
        let had = self.buf.len();
        // A record longer than a read is scanned again from its start after each read:
        // reading as much again as is held keeps that linear.
        self.buf.resize(had + READ_SIZE.max(had), 0);
        let mut filled = had;
        while filled < self.buf.len() {
            let target = self.buf.get_mut(filled..).unwrap_or_default();
            match self.file.read(target) {
                Ok(0) => {
                    self.eof = true;
                    break;
                }
                Ok(n) => filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => return Err(Stop::Bail),
            }
        }
        self.buf.truncate(filled);
        Ok(())
    }
}

/// The start tag at the start of `rest` whose content (name and attributes) ends at
/// `content_end`, as the event reader gives it, and the length of its name.
fn start_of(rest: &[u8], content_end: usize) -> Result<(BytesStart<'_>, usize), Stop> {
    let content = rest.get(1..content_end).unwrap_or_default();
    let content = std::str::from_utf8(content).map_err(|_| Stop::Bail)?;
    let name_len = content
        .bytes()
        .position(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
        .unwrap_or(content.len());
    Ok((BytesStart::from_content(content, name_len), name_len))
}

/// A comment outside records (`--` inside it, or bytes that are not UTF-8, are left to the
/// event pass); anything else that starts `<!` gives up.
fn comment(rest: &[u8]) -> Result<Option<usize>, Stop> {
    let Some(body) = rest.strip_prefix(b"<!--") else {
        return if b"<!--".starts_with(rest) {
            Ok(None)
        } else {
            Err(Stop::Bail)
        };
    };
    let Some(dashes) = memmem::find(body, b"--") else {
        return Ok(None);
    };
    match body.get(dashes + 2) {
        None => Ok(None),
        Some(b'>') if std::str::from_utf8(body.get(..dashes).unwrap_or_default()).is_ok() => {
            Ok(Some(4 + dashes + 3))
        }
        Some(_) => Err(Stop::Bail),
    }
}
