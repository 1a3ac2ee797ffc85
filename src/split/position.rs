//! Line and column (1-based, columns in characters) of a byte offset, for error messages.

use std::io::{self, Read};

/// Line and column of byte `offset` in `bytes`.
pub(crate) fn line_column(bytes: &[u8], offset: usize) -> (u64, u64) {
    let mut counter = Counter::default();
    counter.feed(bytes.get(..offset).unwrap_or(bytes));
    counter.position()
}

/// Line and column of byte `offset` in a reader, read from its start (used only on errors).
pub(crate) fn line_column_in(reader: impl Read, offset: u64) -> io::Result<(u64, u64)> {
    let mut counter = Counter::default();
    let mut limited = reader.take(offset);
    let mut buf = vec![0u8; 64 << 10];
    loop {
        let n = limited.read(&mut buf)?;
        if n == 0 {
            break;
        }
        counter.feed(buf.get(..n).unwrap_or_default());
    }
    Ok(counter.position())
}

#[derive(Default)]
struct Counter {
    newlines: u64,
    /// Characters since the last newline.
    chars: u64,
}

impl Counter {
    fn feed(&mut self, bytes: &[u8]) {
        for &b in bytes {
            if b == b'\n' {
                self.newlines += 1;
                self.chars = 0;
            } else if b & 0xC0 != 0x80 {
                // Count the lead byte of each UTF-8 sequence once.
                self.chars += 1;
            }
        }
    }

    fn position(&self) -> (u64, u64) {
        (self.newlines + 1, self.chars + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_lines_and_characters() {
        let text = "ab\ncé<x";
        assert_eq!(line_column(text.as_bytes(), 0), (1, 1));
        assert_eq!(line_column(text.as_bytes(), 3), (2, 1));
        let lt = text.find('<').unwrap_or(0);
        assert_eq!(line_column(text.as_bytes(), lt), (2, 3));
        assert_eq!(
            line_column_in(text.as_bytes(), lt as u64).ok(),
            Some((2, 3))
        );
    }
}
