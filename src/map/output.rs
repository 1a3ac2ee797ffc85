//! `Output`: the Connect XML document being written — wrapper layout, one record stream per rule, atomic commit.
//!
//! Records of different top-level rules may arrive interleaved (one pass over the input
//! feeds them all), but each rule's records belong together under its wrappers. The first
//! rule in document layout order writes straight into the output; the others collect in
//! memory, spilling to an unnamed temporary file past [`SPILL_AT`], and are copied in
//! when the document is finished. The document is written to a temporary file beside the
//! target and renamed over it only when complete.

use std::fs::File;
use std::io::{BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::error::MapError;
use super::record::Element;
use super::spec::{OutputShape, RecordRule};
use crate::xml_input::EncodedOutput;

/// Bytes a rule's records may take in memory before they go to a temporary file.
const SPILL_AT: usize = 4 << 20;

/// Connect XML's declarations on `<Company>`, written when the map names no root.
const CONNECT_NAMESPACES: [(&str, &str); 2] = [
    ("xsi", "http://www.w3.org/2001/XMLSchema-instance"),
    ("xsd", "http://www.w3.org/2001/XMLSchema"),
];

/// The declaration and the root's start tag, and the root's name.
fn head(shape: &OutputShape) -> (String, String) {
    let root = shape.root.clone().unwrap_or_else(|| "Company".to_owned());
    let label = shape.encoding.map_or("utf-8", |e| e.label);
    let mut head = format!("<?xml version=\"1.0\" encoding=\"{label}\"?>\n<{root}");
    let connect = CONNECT_NAMESPACES
        .iter()
        .filter(|_| shape.root.is_none())
        .map(|(prefix, uri)| (Some(*prefix), *uri));
    let declared = shape
        .namespaces
        .iter()
        .map(|(prefix, uri)| (prefix.as_deref(), uri.as_str()));
    for (prefix, uri) in connect.chain(declared) {
        match prefix {
            Some(prefix) => head.push_str(&format!(" xmlns:{prefix}=\"")),
            None => head.push_str(" xmlns=\""),
        }
        for c in uri.chars() {
            match c {
                '&' => head.push_str("&amp;"),
                '<' => head.push_str("&lt;"),
                '"' => head.push_str("&quot;"),
                c => head.push(c),
            }
        }
        head.push('"');
    }
    head.push_str(">\n");
    (head, root)
}

/// A child of `<Company>` or of a wrapper: a shared wrapper element (`rule` is `None`),
/// or the place of one rule's records.
struct Slot {
    name: String,
    rule: Option<usize>,
    slots: Vec<Slot>,
}

/// Where a rule's records wait until the document is finished.
enum Stream {
    Memory(Vec<u8>),
    File(BufWriter<File>),
}

/// The output document under construction.
pub(crate) struct Output {
    target: PathBuf,
    dir: PathBuf,
    root: String,
    out: EncodedOutput,
    slots: Vec<Slot>,
    /// Per rule: the indentation level of its record elements.
    levels: Vec<usize>,
    /// Per rule: the wrapper names above its records.
    wrappers: Vec<Vec<String>>,
    streams: Vec<Stream>,
    counts: Vec<u64>,
    /// Input nodes that became at least one record (a node two rules map counts once).
    read: u64,
    /// The rule whose records go straight into `out`.
    direct: Option<usize>,
    /// Whether the direct rule's wrappers have been opened in `out`.
    direct_open: bool,
    scratch: String,
}

impl Output {
    /// Starts the document at `target` (its folder is created if missing) for `rules`.
    pub(crate) fn create(
        target: &Path,
        rules: &[RecordRule],
        shape: &OutputShape,
    ) -> Result<Output, MapError> {
        let err = write_error(target);
        let dir = crate::output_file::folder_of(target);
        let temp = crate::output_file::create_for(target).map_err(&err)?;
        let mut out = EncodedOutput::new(temp, 256 << 10, shape.encoding);
        let (head, root) = head(shape);
        out.write_all(head.as_bytes()).map_err(&err)?;
        let mut slots = Vec::new();
        let mut levels = Vec::new();
        let mut wrappers = Vec::new();
        for (index, rule) in rules.iter().enumerate() {
            let names = rule
                .target
                .split_last()
                .map_or(&[][..], |(_, w)| w)
                .to_vec();
            let mut list = &mut slots;
            for name in &names {
                list = wrapper_slots(list, name);
            }
            list.push(Slot {
                name: String::new(),
                rule: Some(index),
                slots: Vec::new(),
            });
            levels.push(names.len() + 1);
            wrappers.push(names);
        }
        Ok(Output {
            target: target.to_path_buf(),
            dir,
            root,
            out,
            direct: first_rule(&slots),
            slots,
            levels,
            wrappers,
            streams: rules.iter().map(|_| Stream::Memory(Vec::new())).collect(),
            counts: vec![0; rules.len()],
            read: 0,
            direct_open: false,
            scratch: String::with_capacity(8 << 10),
        })
    }

    /// Appends one record of rule `rule`.
    pub(crate) fn record(&mut self, rule: usize, element: &Element) -> Result<(), MapError> {
        let err = write_error(&self.target);
        self.scratch.clear();
        let level = self.levels.get(rule).copied().unwrap_or(1);
        if self.direct == Some(rule) && !self.direct_open {
            for (depth, name) in self.wrappers.get(rule).into_iter().flatten().enumerate() {
                indent(&mut self.scratch, depth + 1);
                self.scratch.push('<');
                self.scratch.push_str(name);
                self.scratch.push_str(">\n");
            }
            self.direct_open = true;
        }
        element.write(&mut self.scratch, level);
        if let Some(count) = self.counts.get_mut(rule) {
            *count += 1;
        }
        if self.direct == Some(rule) {
            return self.out.write_all(self.scratch.as_bytes()).map_err(err);
        }
        let Some(stream) = self.streams.get_mut(rule) else {
            return Ok(());
        };
        match stream {
            Stream::Memory(bytes) => {
                bytes.extend_from_slice(self.scratch.as_bytes());
                if bytes.len() > SPILL_AT {
                    let file = tempfile::tempfile_in(&self.dir).map_err(&err)?;
                    let mut file = BufWriter::with_capacity(256 << 10, file);
                    file.write_all(bytes).map_err(&err)?;
                    *stream = Stream::File(file);
                }
                Ok(())
            }
            Stream::File(file) => file.write_all(self.scratch.as_bytes()).map_err(err),
        }
    }

    /// Counts `n` input nodes read as records.
    pub(crate) fn read(&mut self, n: u64) {
        self.read += n;
    }

    /// Closes every wrapper, writes the records that waited, and renames the document
    /// over the target.
    /// Returns the records written and the input records they were made from.
    /// Input nodes that became at least one record so far.
    pub(crate) fn records_read(&self) -> u64 {
        self.read
    }

    pub(crate) fn commit(mut self) -> Result<(u64, u64), MapError> {
        let target = self.target.clone();
        let err = write_error(&target);
        let slots = std::mem::take(&mut self.slots);
        self.emit(&slots, 1, self.direct_open)?;
        let close = format!("</{}>\n", self.root);
        self.out.write_all(close.as_bytes()).map_err(&err)?;
        let temp = self.out.finish().map_err(&err)?;
        // No fsync: the rename already keeps readers from a half-written file, and a map
        // can simply run again after a crash; syncing would cost a second per 100 MB.
        crate::output_file::keep(temp, &target, true).map_err(|e| err(e.error))?;
        Ok((self.counts.iter().sum(), self.read))
    }

    /// Writes `slots` at `level`; `chain` when the first of them leads to the direct rule
    /// and is already open.
    fn emit(&mut self, slots: &[Slot], level: usize, chain: bool) -> Result<(), MapError> {
        let target = self.target.clone();
        let err = write_error(&target);
        for (k, slot) in slots.iter().enumerate() {
            let on_chain = chain && k == 0;
            match slot.rule {
                None => {
                    let (name, slots) = (&slot.name, &slot.slots);
                    let mut text = String::new();
                    indent(&mut text, level);
                    if on_chain {
                        self.emit(slots, level + 1, true)?;
                    } else if self.records_in(slots) == 0 {
                        text.push_str(&format!("<{name} />\n"));
                        self.out.write_all(text.as_bytes()).map_err(&err)?;
                        continue;
                    } else {
                        text.push_str(&format!("<{name}>\n"));
                        self.out.write_all(text.as_bytes()).map_err(&err)?;
                        self.emit(slots, level + 1, false)?;
                    }
                    let mut close = String::new();
                    indent(&mut close, level);
                    close.push_str(&format!("</{name}>\n"));
                    self.out.write_all(close.as_bytes()).map_err(&err)?;
                }
                Some(rule) if on_chain && self.direct == Some(rule) => {}
                Some(rule) => {
                    let stream = self
                        .streams
                        .get_mut(rule)
                        .map(|s| std::mem::replace(s, Stream::Memory(Vec::new())));
                    match stream {
                        Some(Stream::Memory(bytes)) => self.out.write_all(&bytes).map_err(&err)?,
                        Some(Stream::File(file)) => {
                            let mut file = file.into_inner().map_err(|e| err(e.into_error()))?;
                            file.seek(SeekFrom::Start(0)).map_err(&err)?;
                            self.out.append_file(&mut file).map_err(&err)?;
                        }
                        None => {}
                    }
                }
            }
        }
        Ok(())
    }

    fn records_in(&self, slots: &[Slot]) -> u64 {
        slots
            .iter()
            .map(|slot| match slot.rule {
                None => self.records_in(&slot.slots),
                Some(rule) => self.counts.get(rule).copied().unwrap_or(0),
            })
            .sum()
    }
}

/// The slots inside the wrapper `name` among `slots`, created at the end if missing.
fn wrapper_slots<'s>(slots: &'s mut Vec<Slot>, name: &str) -> &'s mut Vec<Slot> {
    let found = slots
        .iter()
        .position(|s| s.rule.is_none() && s.name == name);
    let index = found.unwrap_or_else(|| {
        slots.push(Slot {
            name: name.to_owned(),
            rule: None,
            slots: Vec::new(),
        });
        slots.len() - 1
    });
    &mut slots[index].slots
}

/// The first rule in layout order: the first slot, descending into first children.
fn first_rule(slots: &[Slot]) -> Option<usize> {
    let first = slots.first()?;
    match first.rule {
        None => first_rule(&first.slots),
        Some(rule) => Some(rule),
    }
}

fn indent(out: &mut String, level: usize) {
    for _ in 0..level {
        out.push_str("  ");
    }
}

fn write_error(target: &Path) -> impl Fn(std::io::Error) -> MapError + '_ {
    move |source| MapError::Write {
        path: target.to_path_buf(),
        source,
    }
}
