//! `Assembler`: collects the chunk plan while the input is read, then writes the chunk files from the input, atomically.
//!
//! Both modes feed it the same facts about the input — its non-record bytes (the
//! skeleton) and the byte offsets where records begin and end — so they write the same
//! bytes. Chunk k is `skeleton[..p] + input[a..b] + skeleton[q..]`, where `a` is where its
//! first record begins (leading whitespace included), `b` where its last record ends,
//! and `p`, `q` the skeleton's length at those two points; `input[a..b]` is copied file to
//! file (in the kernel where the platform can). Nothing is written until the whole input
//! has been read and checked; each chunk goes to a temporary file in the output folder,
//! and only when all are complete are they renamed into place, so a failure leaves no
//! chunk from the run. For a UTF-8 input a [`ChunkWriter`] thread writes each chunk's
//! head and records as soon as the next chunk begins, while the input is still being
//! read; the tails are appended at the end.

use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tempfile::TempPath;

use super::chunk_names::ChunkNames;
use super::chunk_writer::ChunkWriter;
use super::error::SplitError;
use super::skeleton::Skeleton;
use crate::xml_input::{DecodeReader, Detected, EncodeWriter};

/// The input decoded again for writing chunks, and how far it has been read.
struct Decoded {
    reader: DecodeReader<io::BufReader<File>>,
    at: u64,
}

/// Capacity of the buffer that writes skeleton bytes into a chunk.
const WRITE_BUFFER: usize = 64 << 10;

/// Where one chunk's pieces are.
#[derive(Debug, Clone, Copy)]
struct ChunkSpan {
    /// Input offset where the chunk's first record begins.
    start: u64,
    /// Input offset just past the chunk's last record.
    end: u64,
    /// Skeleton length when the first record began.
    skeleton_start: u64,
    /// Skeleton length when the last record ended.
    skeleton_end: u64,
    records: usize,
}

/// Plans chunks from skeleton bytes and record offsets, then writes them.
pub(crate) struct Assembler {
    out_dir: PathBuf,
    names: ChunkNames,
    limit: usize,
    skeleton: Skeleton,
    spans: Vec<ChunkSpan>,
    records: u64,
    /// Writes finished chunks' heads and records early (a UTF-8 input).
    writer: Option<ChunkWriter>,
    /// How many of `spans`, from the first, went to the writer.
    early: usize,
    /// The head last sent to the writer, shared by the chunks that have the same.
    last_head: Option<Arc<Vec<u8>>>,
}

impl Assembler {
    /// Makes `out_dir` (if missing) and an empty plan for chunks named by `names`.
    pub(crate) fn new(out_dir: &Path, names: ChunkNames, limit: usize) -> Result<Self, SplitError> {
        std::fs::create_dir_all(out_dir).map_err(|source| SplitError::OutputFolder {
            path: out_dir.to_path_buf(),
            source,
        })?;
        Ok(Assembler {
            out_dir: out_dir.to_path_buf(),
            names,
            limit,
            skeleton: Skeleton::new(),
            spans: Vec::new(),
            records: 0,
            writer: None,
            early: 0,
            last_head: None,
        })
    }

    /// Writes each chunk's head and records on a thread of its own as soon as the next
    /// chunk begins (for a UTF-8 `input`, whose records are copied from the file as they are).
    pub(crate) fn write_early(&mut self, input: &Path) -> Result<(), SplitError> {
        self.writer = Some(ChunkWriter::start(input, &self.out_dir)?);
        Ok(())
    }

    /// Hands the last span, finished, to the writer, if every span before it went there
    /// too and its head is still in memory.
    fn send_last_span(&mut self) {
        let (Some(writer), Some(span)) = (&self.writer, self.spans.last()) else {
            return;
        };
        if self.early + 1 != self.spans.len() {
            return;
        }
        let head = match &self.last_head {
            Some(head) if head.len() as u64 == span.skeleton_start => Arc::clone(head),
            _ => match self.skeleton.in_memory_prefix(span.skeleton_start) {
                Some(bytes) => Arc::new(bytes.to_vec()),
                None => return,
            },
        };
        writer.send(Arc::clone(&head), span.start, span.end);
        self.last_head = Some(head);
        self.early += 1;
    }

    /// Non-record bytes, in input order: kept in every chunk.
    fn push_skeleton(&mut self, bytes: &[u8]) -> Result<(), SplitError> {
        if bytes.is_empty() {
            return Ok(());
        }
        let dir = &self.out_dir;
        self.skeleton
            .push(bytes, dir)
            .map_err(|source| SplitError::Write {
                path: dir.clone(),
                source,
            })
    }

    /// A record begins at input offset `offset` (its leading whitespace included).
    fn open_record(&mut self, offset: u64) {
        let skeleton_len = self.skeleton.len();
        match self.spans.last_mut() {
            Some(span) if span.records < self.limit => span.records += 1,
            last => {
                if last.is_some() {
                    self.send_last_span();
                }
                self.spans.push(ChunkSpan {
                    start: offset,
                    end: offset,
                    skeleton_start: skeleton_len,
                    skeleton_end: skeleton_len,
                    records: 1,
                });
            }
        }
        self.records += 1;
    }

    /// The current record ends just before input offset `offset`.
    fn close_record(&mut self, offset: u64) {
        let skeleton_len = self.skeleton.len();
        if let Some(span) = self.spans.last_mut() {
            span.end = offset;
            span.skeleton_end = skeleton_len;
        }
    }

    /// Writes every chunk from `input` (in `detected`'s encoding; `json_as_xml`, the XML a
    /// JSON input reads as, instead when given) and renames them all into place, in order.
    pub(crate) fn finish(
        mut self,
        input: &Path,
        json_as_xml: Option<File>,
        detected: &Detected,
    ) -> Result<(u64, Vec<PathBuf>), SplitError> {
        let mut source = match json_as_xml {
            Some(file) => file,
            None => File::open(input).map_err(|source| SplitError::Read {
                path: input.to_path_buf(),
                source,
            })?,
        };
        let mut written: Vec<TempPath> = Vec::with_capacity(self.spans.len());
        if let Some(writer) = self.writer.take() {
            written = writer.finish()?;
            if written.len() != self.early {
                return Err(SplitError::Write {
                    path: self.out_dir.clone(),
                    source: io::Error::other("a chunk was not written"),
                });
            }
        }
        if detected.is_utf8() {
            let spans = std::mem::take(&mut self.spans);
            for (span, path) in spans.iter().zip(&written) {
                self.append_tail(*span, path)?;
            }
            for span in spans.into_iter().skip(written.len()) {
                written.push(self.write_chunk(span, input, &mut source)?);
            }
        } else {
            // Offsets are in the decoded text: decode the input again, front to back.
            let bom = detected.bom as u64;
            source
                .seek(SeekFrom::Start(bom))
                .map_err(|source| SplitError::Read {
                    path: input.to_path_buf(),
                    source,
                })?;
            let reader = io::BufReader::with_capacity(WRITE_BUFFER, source);
            let mut decoded = Decoded {
                reader: DecodeReader::new(reader, detected.encoding, bom),
                at: 0,
            };
            for span in std::mem::take(&mut self.spans) {
                written.push(self.write_encoded_chunk(span, input, &mut decoded, detected)?);
            }
        }
        let mut done: Vec<PathBuf> = Vec::with_capacity(written.len());
        for (n, path) in written.into_iter().enumerate() {
            let target = self.out_dir.join(self.names.name(n as u64 + 1));
            if let Err(e) = path.persist(&target) {
                // Best effort: take back what this run already put in place.
                for path in &done {
                    let _ = std::fs::remove_file(path);
                }
                return Err(SplitError::Write {
                    path: target,
                    source: e.error,
                });
            }
            done.push(target);
        }
        Ok((self.records, done))
    }

    /// A chunk of a file in another encoding than UTF-8: its pieces come from the decoded
    /// input and are encoded back, so the chunk holds the input's own bytes.
    fn write_encoded_chunk(
        &mut self,
        span: ChunkSpan,
        input: &Path,
        decoded: &mut Decoded,
        detected: &Detected,
    ) -> Result<TempPath, SplitError> {
        let (file, path) = self.temp_chunk()?;
        let write_err = |source| SplitError::Write {
            path: path.to_path_buf(),
            source,
        };
        let out = BufWriter::with_capacity(WRITE_BUFFER, file);
        let mut out = EncodeWriter::new(out, detected.encoding, detected.bom > 0);
        self.skeleton
            .copy_range(0, span.skeleton_start, &mut out)
            .map_err(write_err)?;
        let read_err = |source| SplitError::Read {
            path: input.to_path_buf(),
            source,
        };
        let skip = span.start.saturating_sub(decoded.at);
        io::copy(&mut (&mut decoded.reader).take(skip), &mut io::sink()).map_err(read_err)?;
        let len = span.end.saturating_sub(span.start);
        let copied =
            io::copy(&mut (&mut decoded.reader).take(len), &mut out).map_err(|e| {
                match e.kind() {
                    io::ErrorKind::InvalidData => read_err(e),
                    _ => write_err(e),
                }
            })?;
        decoded.at = span.start.max(decoded.at) + copied;
        if copied != len {
            return Err(read_err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the input changed while it was being split",
            )));
        }
        let end = self.skeleton.len();
        self.skeleton
            .copy_range(span.skeleton_end, end, &mut out)
            .map_err(write_err)?;
        let out = out.finish().map_err(write_err)?;
        out.into_inner().map_err(|e| write_err(e.into_error()))?;
        Ok(path)
    }

    /// Appends a chunk's tail to its file, which the writer thread began.
    fn append_tail(&mut self, span: ChunkSpan, path: &Path) -> Result<(), SplitError> {
        let write_err = |source| SplitError::Write {
            path: path.to_path_buf(),
            source,
        };
        let file = std::fs::OpenOptions::new()
            .append(true)
            .open(path)
            .map_err(write_err)?;
        let mut out = BufWriter::with_capacity(WRITE_BUFFER, file);
        let end = self.skeleton.len();
        self.skeleton
            .copy_range(span.skeleton_end, end, &mut out)
            .map_err(write_err)?;
        out.flush().map_err(write_err)?;
        Ok(())
    }

    /// A new temporary chunk file in the output folder.
    fn temp_chunk(&self) -> Result<(File, TempPath), SplitError> {
        let file = crate::output_file::create_in_existing(&self.out_dir, ".zynk-split-").map_err(
            |source| SplitError::Write {
                path: self.out_dir.clone(),
                source,
            },
        )?;
        Ok(file.into_parts())
    }

    fn write_chunk(
        &mut self,
        span: ChunkSpan,
        input: &Path,
        source: &mut File,
    ) -> Result<TempPath, SplitError> {
        let (file, path) = self.temp_chunk()?;
        let write_err = |source| SplitError::Write {
            path: path.to_path_buf(),
            source,
        };
        let mut out = BufWriter::with_capacity(WRITE_BUFFER, file);
        self.skeleton
            .copy_range(0, span.skeleton_start, &mut out)
            .map_err(write_err)?;
        let mut file = out.into_inner().map_err(|e| write_err(e.into_error()))?;
        let len = span.end.saturating_sub(span.start);
        source
            .seek(SeekFrom::Start(span.start))
            .and_then(|_| io::copy(&mut (&*source).take(len), &mut file))
            .and_then(|copied| {
                if copied == len {
                    Ok(())
                } else {
                    Err(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        "the input changed while it was being split",
                    ))
                }
            })
            .map_err(|source| match source.kind() {
                io::ErrorKind::UnexpectedEof => SplitError::Read {
                    path: input.to_path_buf(),
                    source,
                },
                _ => write_err(source),
            })?;
        let mut out = BufWriter::with_capacity(WRITE_BUFFER, file);
        let end = self.skeleton.len();
        self.skeleton
            .copy_range(span.skeleton_end, end, &mut out)
            .map_err(write_err)?;
        out.into_inner().map_err(|e| write_err(e.into_error()))?;
        Ok(path)
    }
}

impl super::sink::Sink for Assembler {
    fn skeleton(&mut self, bytes: &[u8]) -> Result<(), SplitError> {
        self.push_skeleton(bytes)
    }

    fn begin_record(&mut self, offset: u64) {
        self.open_record(offset);
    }

    fn end_record(&mut self, offset: u64) -> Result<(), SplitError> {
        self.close_record(offset);
        Ok(())
    }
}
