//! `Skeleton`: the input's non-record bytes, in memory while small and spilled to a temp file past a limit.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::Path;

/// Above this many bytes the skeleton moves to an unnamed temporary file, so even a file
/// that is almost all non-record content splits in bounded memory.
const SPILL_AT: usize = 4 << 20;

/// An append-only store of the document's non-record bytes, read back by range.
pub(crate) struct Skeleton {
    /// Bytes not yet moved to `file` (all of them while nothing has spilled).
    tail: Vec<u8>,
    /// The spill file, holding the first `spilled` bytes.
    file: Option<File>,
    spilled: u64,
    spill_at: usize,
}

impl Skeleton {
    pub(crate) fn new() -> Self {
        Self::with_spill_at(SPILL_AT)
    }

    pub(crate) fn with_spill_at(spill_at: usize) -> Self {
        Skeleton {
            tail: Vec::new(),
            file: None,
            spilled: 0,
            spill_at,
        }
    }

    /// The number of bytes stored so far.
    pub(crate) fn len(&self) -> u64 {
        self.spilled + self.tail.len() as u64
    }

    /// The first `len` bytes, when none of them has moved to the spill file.
    pub(crate) fn in_memory_prefix(&self, len: u64) -> Option<&[u8]> {
        if self.spilled > 0 {
            return None;
        }
        self.tail.get(..usize::try_from(len).ok()?)
    }

    /// Appends bytes; `dir` is where a spill file is made if one is needed.
    pub(crate) fn push(&mut self, bytes: &[u8], dir: &Path) -> io::Result<()> {
        self.tail.extend_from_slice(bytes);
        if self.tail.len() >= self.spill_at {
            let file = match &mut self.file {
                Some(file) => file,
                None => self.file.insert(tempfile::tempfile_in(dir)?),
            };
            file.seek(SeekFrom::End(0))?;
            file.write_all(&self.tail)?;
            self.spilled += self.tail.len() as u64;
            self.tail.clear();
        }
        Ok(())
    }

    /// Writes the stored bytes `from..to` to `out`.
    pub(crate) fn copy_range(
        &mut self,
        from: u64,
        to: u64,
        out: &mut impl Write,
    ) -> io::Result<()> {
        let to = to.min(self.len());
        if from >= to {
            return Ok(());
        }
        if from < self.spilled {
            let file_end = to.min(self.spilled);
            if let Some(file) = &mut self.file {
                file.seek(SeekFrom::Start(from))?;
                let mut limited = (&*file).take(file_end - from);
                io::copy(&mut limited, out)?;
            }
        }
        let tail_from =
            usize::try_from(from.max(self.spilled) - self.spilled).unwrap_or(usize::MAX);
        let tail_to = usize::try_from(to - self.spilled.min(to)).unwrap_or(usize::MAX);
        if let Some(bytes) = self.tail.get(tail_from..tail_to) {
            out.write_all(bytes)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(s: &mut Skeleton, from: u64, to: u64) -> Vec<u8> {
        let mut out = Vec::new();
        s.copy_range(from, to, &mut out).ok();
        out
    }

    #[test]
    fn reads_ranges_in_memory_and_after_spilling() {
        let dir = tempfile::tempdir().ok();
        let dir = dir.as_ref().map_or(Path::new("."), |d| d.path());
        let mut s = Skeleton::with_spill_at(4);
        for piece in [&b"ab"[..], b"cdef", b"g", b"hi"] {
            assert!(s.push(piece, dir).is_ok());
        }
        assert_eq!(s.len(), 9);
        assert_eq!(read(&mut s, 0, 9), b"abcdefghi");
        assert_eq!(read(&mut s, 3, 8), b"defgh");
        assert_eq!(read(&mut s, 7, 9), b"hi");
        assert_eq!(read(&mut s, 5, 5), b"");
        assert_eq!(read(&mut s, 2, 100), b"cdefghi");
        assert_eq!(s.in_memory_prefix(2), None, "spilled");
        let mut small = Skeleton::new();
        assert!(small.push(b"abc", dir).is_ok());
        assert_eq!(small.in_memory_prefix(2), Some(&b"ab"[..]));
        assert_eq!(small.in_memory_prefix(4), None);
    }
}
