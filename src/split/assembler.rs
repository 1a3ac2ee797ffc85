//! `Assembler`: turns a stream of skeleton and record bytes into chunk files, atomically.
//!
//! Both modes feed it the same segmentation of the input, so they write the same bytes.
//! Chunk k is `skeleton[..p]`, then the input from its first record to its last
//! (records and the non-record content between them), then `skeleton[q..]`, where `p` and
//! `q` are the skeleton lengths when its first record began and its last record ended.
//! Every chunk is written to a temporary file in the output folder; the tails are
//! appended once the whole input has been read, and only then are all chunks renamed
//! into place, so a failure leaves no chunk from the run.

use std::ffi::OsString;
use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use tempfile::TempPath;

use super::error::SplitError;
use super::skeleton::Skeleton;

/// Capacity of each chunk's write buffer.
const WRITE_BUFFER: usize = 256 << 10;

/// The chunk being filled.
struct OpenChunk {
    out: BufWriter<File>,
    path: TempPath,
    records: usize,
    /// Skeleton length when this chunk's last record ended.
    skeleton_mark: u64,
}

/// A chunk whose records are all written; its tail is still to come.
struct PendingChunk {
    path: TempPath,
    skeleton_mark: u64,
}

/// Builds chunk files from skeleton and record bytes, in input order.
pub(crate) struct Assembler {
    out_dir: PathBuf,
    stem: OsString,
    limit: usize,
    skeleton: Skeleton,
    current: Option<OpenChunk>,
    pending: Vec<PendingChunk>,
    records: u64,
}

impl Assembler {
    /// Makes `out_dir` (if missing) and an empty assembler for chunks `<stem>_<n>.xml`.
    pub(crate) fn new(out_dir: &Path, stem: OsString, limit: usize) -> Result<Self, SplitError> {
        std::fs::create_dir_all(out_dir).map_err(|source| SplitError::OutputFolder {
            path: out_dir.to_path_buf(),
            source,
        })?;
        Ok(Assembler {
            out_dir: out_dir.to_path_buf(),
            stem,
            limit,
            skeleton: Skeleton::new(),
            current: None,
            pending: Vec::new(),
            records: 0,
        })
    }

    /// Non-record bytes: kept in every chunk.
    pub(crate) fn skeleton(&mut self, bytes: &[u8]) -> Result<(), SplitError> {
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

    /// A new record begins; its bytes follow through [`Assembler::record`].
    pub(crate) fn begin_record(&mut self) -> Result<(), SplitError> {
        if self
            .current
            .as_ref()
            .is_some_and(|c| c.records >= self.limit)
        {
            self.close_current()?;
        }
        let skeleton_len = self.skeleton.len();
        let current = match self.current.as_mut() {
            Some(current) => {
                // Non-record content between this chunk's records stays where it was.
                let from = current.skeleton_mark;
                copy_skeleton(&mut self.skeleton, from, skeleton_len, current)?;
                current
            }
            None => {
                let mut builder = tempfile::Builder::new();
                builder.prefix(".zynk-split-").suffix(".tmp");
                // Chunks get ordinary file permissions (the umask applies), not 0600.
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    builder.permissions(std::fs::Permissions::from_mode(0o666));
                }
                let file =
                    builder
                        .tempfile_in(&self.out_dir)
                        .map_err(|source| SplitError::Write {
                            path: self.out_dir.clone(),
                            source,
                        })?;
                let (file, path) = file.into_parts();
                let current = self.current.insert(OpenChunk {
                    out: BufWriter::with_capacity(WRITE_BUFFER, file),
                    path,
                    records: 0,
                    skeleton_mark: 0,
                });
                copy_skeleton(&mut self.skeleton, 0, skeleton_len, current)?;
                current
            }
        };
        current.records += 1;
        self.records += 1;
        Ok(())
    }

    /// Bytes of the current record (whitespace before it included).
    pub(crate) fn record(&mut self, bytes: &[u8]) -> Result<(), SplitError> {
        if let Some(current) = self.current.as_mut() {
            current
                .out
                .write_all(bytes)
                .map_err(|source| SplitError::Write {
                    path: current.path.to_path_buf(),
                    source,
                })?;
        }
        Ok(())
    }

    /// The current record is complete.
    pub(crate) fn end_record(&mut self) {
        let len = self.skeleton.len();
        if let Some(current) = self.current.as_mut() {
            current.skeleton_mark = len;
        }
    }

    fn close_current(&mut self) -> Result<(), SplitError> {
        if let Some(current) = self.current.take() {
            let OpenChunk {
                out,
                path,
                skeleton_mark,
                ..
            } = current;
            out.into_inner().map_err(|e| SplitError::Write {
                path: path.to_path_buf(),
                source: e.into_error(),
            })?;
            self.pending.push(PendingChunk {
                path,
                skeleton_mark,
            });
        }
        Ok(())
    }

    /// Appends every chunk's tail and renames all chunks into place, in order.
    pub(crate) fn finish(mut self) -> Result<(u64, Vec<PathBuf>), SplitError> {
        self.close_current()?;
        let end = self.skeleton.len();
        for chunk in &self.pending {
            let write_err = |source| SplitError::Write {
                path: chunk.path.to_path_buf(),
                source,
            };
            let file = OpenOptions::new()
                .append(true)
                .open(&chunk.path)
                .map_err(write_err)?;
            let mut out = BufWriter::with_capacity(WRITE_BUFFER, file);
            self.skeleton
                .copy_range(chunk.skeleton_mark, end, &mut out)
                .map_err(write_err)?;
            out.into_inner().map_err(|e| write_err(e.into_error()))?;
        }
        let mut done: Vec<PathBuf> = Vec::with_capacity(self.pending.len());
        for (n, chunk) in self.pending.into_iter().enumerate() {
            let mut name = self.stem.clone();
            name.push(format!("_{}.xml", n + 1));
            let target = self.out_dir.join(name);
            if let Err(e) = chunk.path.persist(&target) {
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
}

fn copy_skeleton(
    skeleton: &mut Skeleton,
    from: u64,
    to: u64,
    chunk: &mut OpenChunk,
) -> Result<(), SplitError> {
    skeleton
        .copy_range(from, to, &mut chunk.out)
        .map_err(|source| SplitError::Write {
            path: chunk.path.to_path_buf(),
            source,
        })
}
