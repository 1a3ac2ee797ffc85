//! `LogReader`: a buffered reader that can keep a copy of the bytes the XML parser consumes.

use std::io::{self, BufRead, BufReader, Read};

/// Wraps a reader; while `logging` is on, every consumed byte is appended to `log`.
pub(crate) struct LogReader<R> {
    inner: BufReader<R>,
    pub(crate) log: Vec<u8>,
    pub(crate) logging: bool,
    /// Bytes consumed since the start of the input.
    pub(crate) consumed: u64,
}

impl<R: Read> LogReader<R> {
    pub(crate) fn new(inner: R, capacity: usize) -> Self {
        LogReader {
            inner: BufReader::with_capacity(capacity, inner),
            log: Vec::new(),
            logging: false,
            consumed: 0,
        }
    }
}

impl<R: Read> Read for LogReader<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        if let (Some(dst), Some(src)) = (out.get_mut(..n), available.get(..n)) {
            dst.copy_from_slice(src);
        }
        self.consume(n);
        Ok(n)
    }
}

impl<R: Read> BufRead for LogReader<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        let buffered = self.inner.buffer();
        let amt = amt.min(buffered.len());
        if self.logging
            && let Some(bytes) = buffered.get(..amt)
        {
            self.log.extend_from_slice(bytes);
        }
        self.inner.consume(amt);
        self.consumed += amt as u64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logs_only_while_logging() {
        let mut reader = LogReader::new(&b"hello world"[..], 4);
        let mut word = [0u8; 6];
        assert!(reader.read_exact(&mut word).is_ok());
        assert!(reader.log.is_empty());
        reader.logging = true;
        let mut rest = Vec::new();
        assert!(reader.read_to_end(&mut rest).is_ok());
        assert_eq!(reader.log, b"world");
        assert_eq!(reader.consumed, 11);
    }
}
