//! Line and column (1-based, columns in characters) of byte offsets in XML inputs, for error messages.

use std::io::{self, Read};

/// Line and column of byte `offset` in `bytes`.
pub(crate) fn line_column(bytes: &[u8], offset: usize) -> (u64, u64) {
    let mut counter = Counter::default();
    counter.feed(bytes.get(..offset).unwrap_or(bytes));
    counter.position()
}

/// Line and column of byte `offset` in what `reader` yields (read from its start).
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

/// The byte offset in `text` of 1-based `row` and character `col` (clamped to the text).
pub(crate) fn offset_of(text: &str, row: u32, col: u32) -> usize {
    let mut offset = 0;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        if index + 1 == row as usize {
            let chars = line.char_indices().nth(col.saturating_sub(1) as usize);
            return offset + chars.map_or(line.len(), |(i, _)| i);
        }
        offset += line.len();
    }
    text.len()
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
    fn offsets_and_positions_agree() {
        let text = "ab\ncé<x\n";
        let lt = text.find('<').unwrap_or(0);
        assert_eq!(line_column(text.as_bytes(), lt), (2, 3));
        assert_eq!(
            line_column_in(text.as_bytes(), lt as u64).ok(),
            Some((2, 3))
        );
        assert_eq!(offset_of(text, 2, 3), lt);
        assert_eq!(offset_of(text, 1, 1), 0);
        assert_eq!(offset_of(text, 9, 1), text.len());
    }
}
