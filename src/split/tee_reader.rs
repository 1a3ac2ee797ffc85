//! `TeeReader`: a `BufRead` that keeps every byte the XML parser consumes, so output is cut from the input's own bytes.

use std::io::{self, BufRead, Read};

/// Wraps a `BufRead` and appends each consumed byte to `log` until the owner drains it.
pub(crate) struct TeeReader<R> {
    inner: R,
    /// Consumed bytes not yet routed to a chunk or the skeleton.
    pub(crate) log: Vec<u8>,
    /// Total bytes consumed since the start of the input.
    pub(crate) consumed: u64,
}

impl<R: BufRead> TeeReader<R> {
    pub(crate) fn new(inner: R) -> Self {
        TeeReader {
            inner,
            log: Vec::with_capacity(128 << 10),
            consumed: 0,
        }
    }
}

impl<R: BufRead> Read for TeeReader<R> {
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

impl<R: BufRead> BufRead for TeeReader<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        if amt == 0 {
            return;
        }
        if let Ok(available) = self.inner.fill_buf() {
            let n = amt.min(available.len());
            self.log
                .extend_from_slice(available.get(..n).unwrap_or_default());
        }
        self.consumed += amt as u64;
        self.inner.consume(amt);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logs_exactly_what_is_consumed() {
        let mut tee = TeeReader::new(&b"hello world"[..]);
        let mut word = [0u8; 5];
        assert!(tee.read_exact(&mut word).is_ok());
        assert_eq!(&tee.log, b"hello");
        tee.log.clear();
        tee.consume(1);
        assert_eq!(&tee.log, b" ");
        assert_eq!(tee.consumed, 6);
    }
}
