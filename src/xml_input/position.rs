//! Where a fault is in an XML file: line and column (in characters) from decoded or raw offsets.
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;

use super::decode_reader::DecodeReader;
use super::error::EncodingError;
use super::sniff::{Detected, SNIFF_LEN, sniff};
use super::source::XmlSource;
use crate::text_position::line_column_in;

/// Line and column of `offset` in the UTF-8 text an [`XmlSource`] of `path` yields (the
/// offsets the parsers report); (0, 0) if the file cannot be read again.
pub fn line_column(path: &Path, offset: u64) -> (u64, u64) {
    XmlSource::open(path)
        .ok()
        .and_then(|source| line_column_in(source, offset).ok())
        .unwrap_or((0, 0))
}

/// Line and column of file offset `offset` of bytes in `detected`'s encoding.
pub(crate) fn raw_line_column(path: &Path, detected: &Detected, offset: u64) -> (u64, u64) {
    let count = || -> io::Result<(u64, u64)> {
        let bom = detected.bom as u64;
        let mut file = File::open(path)?;
        file.seek(SeekFrom::Start(bom))?;
        let raw = file.take(offset.saturating_sub(bom));
        if detected.is_utf8() {
            line_column_in(raw, offset.saturating_sub(bom))
        } else {
            line_column_in(DecodeReader::new(raw, detected.encoding, bom), u64::MAX)
        }
    };
    count().unwrap_or((0, 0))
}

/// The error for a file read as UTF-8 that is not: finds its first invalid byte (a parser
/// may notice only later, at `hint`) and says where it is and what the file may be.
pub fn utf8_error(path: &Path, hint: u64) -> EncodingError {
    let found = first_invalid_utf8(path).ok().flatten();
    let (offset, bytes) = found.unwrap_or((hint, Vec::new()));
    let detected = detect(path).unwrap_or(Detected {
        encoding: encoding_rs::UTF_8,
        bom: 0,
        declared: None,
    });
    let position = raw_line_column(path, &detected, offset);
    EncodingError::not_utf8(path, &detected, position, &bytes)
}

fn detect(path: &Path) -> Option<Detected> {
    let mut head = Vec::new();
    File::open(path)
        .ok()?
        .take(SNIFF_LEN as u64)
        .read_to_end(&mut head)
        .ok()?;
    sniff(&head).ok()
}

/// The offset and bytes of the first invalid UTF-8 sequence in `path`, if any.
fn first_invalid_utf8(path: &Path) -> io::Result<Option<(u64, Vec<u8>)>> {
    let mut file = File::open(path)?;
    let mut buf = vec![0u8; 64 << 10];
    // `buf[..carry]` is an incomplete sequence left from the previous read.
    let mut carry = 0usize;
    let mut base = 0u64;
    loop {
        let n = file.read(buf.get_mut(carry..).unwrap_or_default())?;
        let filled = carry + n;
        let chunk = buf.get(..filled).unwrap_or_default();
        match std::str::from_utf8(chunk) {
            Ok(_) if n == 0 => return Ok(None),
            Ok(_) => {
                base += filled as u64;
                carry = 0;
            }
            Err(e) => {
                let at = e.valid_up_to();
                match e.error_len() {
                    Some(len) => {
                        let bytes = chunk.get(at..at + len).unwrap_or_default().to_vec();
                        return Ok(Some((base + at as u64, bytes)));
                    }
                    None if n == 0 => {
                        let bytes = chunk.get(at..).unwrap_or_default().to_vec();
                        return Ok(Some((base + at as u64, bytes)));
                    }
                    None => {
                        buf.copy_within(at..filled, 0);
                        base += at as u64;
                        carry = filled - at;
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_first_bad_byte_with_its_line_and_column() {
        let dir = tempfile::tempdir().ok();
        let Some(dir) = dir else { return };
        let path = dir.path().join("latin1.xml");
        let mut text = b"<Company>\n  <Name>Caf\xC3\xA9 ".to_vec();
        text.extend_from_slice(&vec![b'x'; 70_000]);
        text.extend_from_slice(b"\n  <Name>Zo\xEB</Name>\n</Company>\n");
        assert!(std::fs::write(&path, &text).is_ok());
        let error = utf8_error(&path, 0);
        let EncodingError::InvalidByte {
            line, column, what, ..
        } = error
        else {
            panic!("not an invalid byte: {error:?}");
        };
        assert_eq!((line, column, &*what), (3, 11, "byte 0xEB"));
    }
}
