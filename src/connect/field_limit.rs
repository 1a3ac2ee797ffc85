//! `FieldLimit`: a reader that fails once the bytes between two `<` exceed a limit, so the
//! XML parser above never buffers one huge text node.
use std::io::{self, Read};

/// A run of text longer than the limit, found by [`FieldLimit`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a text of more than {limit} bytes starts at offset {offset}")]
pub(crate) struct FieldTooLarge {
    /// Offset where the over-long text starts.
    pub offset: u64,
    /// The limit in bytes.
    pub limit: usize,
}

impl FieldTooLarge {
    /// The `FieldTooLarge` inside an I/O error, if that is what it holds.
    pub(crate) fn from_io(error: &io::Error) -> Option<FieldTooLarge> {
        error.get_ref()?.downcast_ref::<FieldTooLarge>().copied()
    }
}

/// Passes `inner` through, checking that no run of bytes without `<` exceeds `limit`.
pub(crate) struct FieldLimit<R> {
    inner: R,
    limit: usize,
    /// Bytes read so far.
    offset: u64,
    /// Offset just after the last `<` (where the current run started).
    run_start: u64,
    /// Offset just after the first `>` of the current run: where its text starts.
    text_start: Option<u64>,
}

impl<R: Read> FieldLimit<R> {
    pub(crate) fn new(inner: R, limit: usize) -> FieldLimit<R> {
        FieldLimit {
            inner,
            limit,
            offset: 0,
            run_start: 0,
            text_start: None,
        }
    }
}

impl<R: Read> Read for FieldLimit<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let bytes = buf.get(..n).unwrap_or_default();
        let mut from = 0;
        for at in memchr::memchr_iter(b'<', bytes) {
            self.note_text_start(bytes.get(from..at).unwrap_or_default(), from);
            self.check(self.offset + at as u64)?;
            self.run_start = self.offset + at as u64 + 1;
            self.text_start = None;
            from = at + 1;
        }
        self.note_text_start(bytes.get(from..).unwrap_or_default(), from);
        self.offset += n as u64;
        self.check(self.offset)?;
        Ok(n)
    }
}

impl<R> FieldLimit<R> {
    /// Notes where the current run's text starts, from `segment` (at `from` in this read).
    fn note_text_start(&mut self, segment: &[u8], from: usize) {
        if self.text_start.is_none() {
            if let Some(gt) = memchr::memchr(b'>', segment) {
                self.text_start = Some(self.offset + (from + gt + 1) as u64);
            }
        }
    }

    fn check(&self, at: u64) -> io::Result<()> {
        if at - self.run_start > self.limit as u64 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                FieldTooLarge {
                    offset: self.text_start.unwrap_or(self.run_start),
                    limit: self.limit,
                },
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fails_on_a_long_run_without_markup() {
        let mut ok = FieldLimit::new(&b"<a>12345</a><b>1234</b>"[..], 7);
        assert!(io::copy(&mut ok, &mut io::sink()).is_ok());
        let text = b"<a>1234567</a>";
        let mut long = FieldLimit::new(&text[..], 7);
        let error = io::copy(&mut long, &mut io::sink()).err();
        let found = error.as_ref().and_then(FieldTooLarge::from_io);
        assert_eq!(found.map(|f| f.offset), Some(3));
    }
}
