//! `ChunkWriter`: writes each finished chunk's head and records on a thread of its own while the scan goes on, so writing overlaps reading.
//!
//! A chunk is `head + records + tail`. Its head (the skeleton before its first record)
//! and its records (a byte range of the input, copied file to file) are known as soon as
//! the next chunk begins; its tail (the skeleton after its last record) only at the end
//! of the input. So the writer thread creates each chunk's temporary file and writes the
//! head and the records while the main thread reads on; the assembler appends the tails
//! and renames the files into place once the whole input has been checked. Until then
//! every file is a hidden temporary one, removed if anything fails.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

use tempfile::TempPath;

use super::error::SplitError;

/// Chunks waiting for the writer; a full queue makes the scan wait.
const QUEUE: usize = 64;

/// One chunk's head and the input range of its records.
struct Job {
    head: Arc<Vec<u8>>,
    start: u64,
    end: u64,
}

/// The writer thread and the queue to it.
pub(crate) struct ChunkWriter {
    jobs: Option<SyncSender<Job>>,
    thread: Option<JoinHandle<Result<Vec<TempPath>, SplitError>>>,
}

impl ChunkWriter {
    /// Starts a writer of temporary chunk files in `out_dir`, copying records from `input`.
    pub(crate) fn start(input: &Path, out_dir: &Path) -> Result<ChunkWriter, SplitError> {
        let source = File::open(input).map_err(|source| SplitError::Read {
            path: input.to_path_buf(),
            source,
        })?;
        let (jobs, queue) = sync_channel(QUEUE);
        let (input, out_dir) = (input.to_path_buf(), out_dir.to_path_buf());
        let thread = std::thread::Builder::new()
            .name("split-writer".into())
            .spawn(move || write_all(&queue, source, &input, &out_dir))
            .map_err(|source| SplitError::Write {
                path: PathBuf::new(),
                source,
            })?;
        Ok(ChunkWriter {
            jobs: Some(jobs),
            thread: Some(thread),
        })
    }

    /// Queues a chunk: `head`, then the input's bytes `start..end`. A writer that has
    /// stopped on an error drops the job; [`ChunkWriter::finish`] reports the error.
    pub(crate) fn send(&self, head: Arc<Vec<u8>>, start: u64, end: u64) {
        if let Some(jobs) = &self.jobs {
            let _ = jobs.send(Job { head, start, end });
        }
    }

    /// Waits for the queued chunks; their temporary files, in the order queued.
    pub(crate) fn finish(mut self) -> Result<Vec<TempPath>, SplitError> {
        self.jobs = None;
        match self.thread.take().map(JoinHandle::join) {
            Some(Ok(result)) => result,
            Some(Err(_)) => Err(SplitError::Write {
                path: PathBuf::new(),
                source: io::Error::other("the chunk writer stopped"),
            }),
            None => Ok(Vec::new()),
        }
    }
}

impl Drop for ChunkWriter {
    /// Stops the writer; the files it wrote are removed with its result.
    fn drop(&mut self) {
        self.jobs = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The writer thread: one temporary file per job, until the queue closes.
fn write_all(
    queue: &Receiver<Job>,
    mut source: File,
    input: &Path,
    out_dir: &Path,
) -> Result<Vec<TempPath>, SplitError> {
    let mut written = Vec::new();
    for job in queue {
        let file =
            crate::output_file::create_in_existing(out_dir, ".zynk-split-").map_err(|source| {
                SplitError::Write {
                    path: out_dir.to_path_buf(),
                    source,
                }
            })?;
        let (mut file, path) = file.into_parts();
        let write_err = |source| SplitError::Write {
            path: path.to_path_buf(),
            source,
        };
        file.write_all(&job.head).map_err(write_err)?;
        let len = job.end.saturating_sub(job.start);
        let copied = source
            .seek(SeekFrom::Start(job.start))
            .and_then(|_| io::copy(&mut (&source).take(len), &mut file))
            .map_err(write_err)?;
        if copied != len {
            return Err(SplitError::Read {
                path: input.to_path_buf(),
                source: io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the input changed while it was being split",
                ),
            });
        }
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_heads_and_record_ranges_in_order_and_removes_them_when_dropped() {
        let Ok(dir) = tempfile::tempdir() else {
            return;
        };
        let input = dir.path().join("in.xml");
        assert!(std::fs::write(&input, b"0123456789").is_ok());
        let Ok(writer) = ChunkWriter::start(&input, dir.path()) else {
            panic!("cannot start the writer");
        };
        let head = Arc::new(b"<h>".to_vec());
        writer.send(Arc::clone(&head), 2, 5);
        writer.send(head, 5, 10);
        let written = writer.finish().unwrap_or_default();
        let bytes: Vec<Vec<u8>> = written
            .iter()
            .map(|p| std::fs::read(p).unwrap_or_default())
            .collect();
        assert_eq!(bytes, [b"<h>234".to_vec(), b"<h>56789".to_vec()]);
        let paths: Vec<PathBuf> = written.iter().map(|p| p.to_path_buf()).collect();
        drop(written);
        assert!(paths.iter().all(|p| !p.exists()), "temporary files removed");

        // A range past the end of the input: the input changed, nothing is left.
        let Ok(writer) = ChunkWriter::start(&input, dir.path()) else {
            panic!("cannot start the writer");
        };
        writer.send(Arc::new(Vec::new()), 8, 20);
        assert!(matches!(writer.finish(), Err(SplitError::Read { .. })));
        let left = std::fs::read_dir(dir.path()).map_or(0, Iterator::count);
        assert_eq!(left, 1, "only the input is left");
    }
}
