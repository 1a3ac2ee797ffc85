//! `TeeReader`: a buffered reader that keeps every byte the XML parser consumes, so output is cut from the input's own bytes.
//!
//! Unlike `std::io::BufReader` it can read more while unconsumed bytes are still
//! buffered ([`TeeReader::fill_more`]), which lets the record scanner look ahead across
//! the end of its buffer.

use std::io::{self, BufRead, ErrorKind, Read};

/// A buffered reader that logs consumed bytes until the owner drains `log`.
pub(crate) struct TeeReader<R> {
    inner: R,
    buf: Vec<u8>,
    pos: usize,
    filled: usize,
    /// Bytes consumed through `BufRead::consume` and not yet routed anywhere.
    pub(crate) log: Vec<u8>,
    /// Total bytes consumed since the start of the input.
    pub(crate) consumed: u64,
}

impl<R: Read> TeeReader<R> {
    pub(crate) fn new(inner: R, capacity: usize) -> Self {
        TeeReader {
            inner,
            buf: vec![0; capacity.max(1)],
            pos: 0,
            filled: 0,
            log: Vec::with_capacity(128 << 10),
            consumed: 0,
        }
    }

    /// The buffered, unconsumed bytes.
    pub(crate) fn buffer(&self) -> &[u8] {
        self.buf.get(self.pos..self.filled).unwrap_or_default()
    }

    /// Reads more input behind the unconsumed bytes (growing the buffer if it is full);
    /// `false` at the end of the input.
    pub(crate) fn fill_more(&mut self) -> io::Result<bool> {
        if self.pos > 0 {
            self.buf.copy_within(self.pos..self.filled, 0);
            self.filled -= self.pos;
            self.pos = 0;
        }
        if self.filled == self.buf.len() {
            self.buf.resize(self.buf.len() * 2, 0);
        }
        loop {
            let space = self.buf.get_mut(self.filled..).unwrap_or_default();
            match self.inner.read(space) {
                Ok(0) => return Ok(false),
                Ok(n) => {
                    self.filled += n;
                    return Ok(true);
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }

    /// Consumes `amt` bytes that the caller has routed itself (they are not logged).
    pub(crate) fn consume_unlogged(&mut self, amt: usize) {
        let amt = amt.min(self.filled - self.pos);
        self.pos += amt;
        self.consumed += amt as u64;
    }
}

impl<R: Read> Read for TeeReader<R> {
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

impl<R: Read> BufRead for TeeReader<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.pos == self.filled {
            self.pos = 0;
            self.filled = 0;
            self.fill_more()?;
        }
        Ok(self.buffer())
    }

    fn consume(&mut self, amt: usize) {
        let amt = amt.min(self.filled - self.pos);
        if let Some(bytes) = self.buf.get(self.pos..self.pos + amt) {
            self.log.extend_from_slice(bytes);
        }
        self.pos += amt;
        self.consumed += amt as u64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logs_exactly_what_is_consumed() {
        let mut tee = TeeReader::new(&b"hello world"[..], 4);
        let mut word = [0u8; 5];
        assert!(tee.read_exact(&mut word).is_ok());
        assert_eq!(&tee.log, b"hello");
        tee.log.clear();
        tee.consume(1);
        assert_eq!(&tee.log, b" ");
        assert_eq!(tee.consumed, 6);
    }

    #[test]
    fn reads_more_behind_unconsumed_bytes() {
        let mut tee = TeeReader::new(&b"abcdefghij"[..], 4);
        assert_eq!(tee.fill_buf().ok(), Some(&b"abcd"[..]));
        tee.consume_unlogged(2);
        assert!(tee.log.is_empty());
        assert_eq!(tee.fill_more().ok(), Some(true));
        assert_eq!(tee.buffer(), b"cdef");
        assert_eq!(tee.fill_more().ok(), Some(true));
        assert_eq!(tee.buffer(), b"cdefghij");
        assert_eq!(tee.fill_more().ok(), Some(false));
        assert_eq!(tee.consumed, 2);
    }
}
