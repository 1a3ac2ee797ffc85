//! Split an XML file by a record path into chunk files, streaming or from a tree.
//!
//! Each chunk is the whole input minus the records that belong to other chunks, cut
//! from the input's own bytes: the declaration, the root with its namespaces and
//! attributes, the wrappers and any other content appear in every chunk, byte for byte.
//! The XML whitespace directly before a record's start tag belongs to that record, so a
//! removed record takes its indentation with it. An input in another encoding than
//! UTF-8 is split as decoded text and its chunks encoded back, so they hold the input's
//! own bytes too. See `docs/split.md` and `docs/encodings.md`.

mod assembler;
mod block_reader;
mod byte_scan;
mod checks;
mod child_path;
mod chunk_names;
mod chunk_writer;
mod error;
mod record_scanner;
mod records;
mod sink;
mod skeleton;
mod stream;
mod tee_reader;
mod tree;
mod whitespace;

use std::fs::File;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

pub use child_path::{ChildPath, ChildStep};
pub use chunk_names::ChunkNames;
pub use error::SplitError;
pub use records::{for_each_record, with_namespaces};
pub use tree::select_child_path;

use crate::xml_input::{SourceError, XmlSource};
use assembler::Assembler;

/// How the records are found.
pub enum Selection<'s> {
    /// Constant-memory streaming, for paths made of child steps: the byte scanner's fast
    /// path where it applies (a UTF-8 file, no attribute predicates, records below the
    /// root), else quick-xml's events.
    Stream(&'s ChildPath),
    /// Constant-memory streaming on quick-xml's events only, never the fast path: what
    /// the fast path is checked against, byte for byte.
    StreamEvents(&'s ChildPath),
    /// Build a roxmltree `Document`, call the selector to get the record elements (any
    /// XPath), and split from the tree.
    Tree(&'s dyn Fn(&roxmltree::Document) -> Vec<roxmltree::NodeId>),
}

/// What a split wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitReport {
    /// How many records were found.
    pub records: u64,
    /// The chunk files, in order (`<stem>_1.xml`, `<stem>_2.xml`, ...); empty when
    /// there were no records (the caller reports "no data").
    pub chunks: Vec<PathBuf>,
}

/// Splits `input` into chunks of at most `limit` records named `<input stem>_<n>.xml`
/// in `out_dir` (created if missing, same-named files overwritten, the input left in
/// place). Either every chunk is written or, on error, none from this run is left.
pub fn split_file(
    input: &Path,
    selection: Selection,
    limit: usize,
    out_dir: &Path,
) -> Result<SplitReport, SplitError> {
    split_named(input, selection, limit, out_dir, &ChunkNames::fresh(input))
}

/// As [`split_file`], the chunks named by `names` (numbered after those waiting, say).
pub fn split_named(
    input: &Path,
    selection: Selection,
    limit: usize,
    out_dir: &Path,
    names: &ChunkNames,
) -> Result<SplitReport, SplitError> {
    if limit == 0 {
        return Err(SplitError::ZeroLimit);
    }
    let file = File::open(input).map_err(|source| match source.kind() {
        ErrorKind::NotFound => SplitError::NotFound {
            path: input.to_path_buf(),
        },
        _ => SplitError::Read {
            path: input.to_path_buf(),
            source,
        },
    })?;
    let read_err = |source| SplitError::Read {
        path: input.to_path_buf(),
        source,
    };
    if file.metadata().map_err(read_err)?.is_dir() {
        return Err(read_err(std::io::Error::new(
            ErrorKind::IsADirectory,
            "it is a folder",
        )));
    }
    let source = XmlSource::new(file, input).map_err(|e| match e {
        SourceError::Io(source) => read_err(source),
        SourceError::Encoding(e) => SplitError::Encoding(e),
    })?;
    let detected = source.detected().clone();
    // A JSON input is split as the XML it reads as: the chunks are cut from that XML.
    let json_as_xml = source.reopen_json().transpose().map_err(read_err)?;
    let mut asm = Assembler::new(out_dir, names.clone(), limit)?;
    match selection {
        Selection::Stream(path) => {
            let fast = json_as_xml.is_none()
                && detected.is_utf8()
                && byte_scan::handles(&path.steps)
                && asm.write_early(input).is_ok()
                && File::open(input)
                    .ok()
                    .is_some_and(|file| byte_scan::scan(file, &path.steps, &mut asm).is_ok());
            if !fast {
                // From the start on quick-xml's events: the same chunks, or the fault
                // with its line and column.
                asm = Assembler::new(out_dir, names.clone(), limit)?;
                stream::split_stream(input, source, path, &mut asm)?;
            }
        }
        Selection::StreamEvents(path) => stream::split_stream(input, source, path, &mut asm)?,
        Selection::Tree(select) => {
            let text = source.read_to_text(input).map_err(|e| match e {
                SourceError::Io(source) => read_err(source),
                SourceError::Encoding(e) => SplitError::Encoding(e),
            })?;
            tree::split_tree(input, text.as_bytes(), select, &mut asm)?;
        }
    }
    let (records, chunks) = asm.finish(input, json_as_xml, &detected)?;
    Ok(SplitReport { records, chunks })
}
