//! `DecodeReader`: an incremental decoder from any encoding to UTF-8, as a `Read`.
use std::io::{self, Read};

use encoding_rs::{Decoder, DecoderResult, Encoding};

/// Size of the raw and the decoded buffers.
const BUFFER: usize = 64 << 10;

/// Bytes of a file that do not decode, found by [`DecodeReader`]; it travels inside the
/// `io::Error` the reader returns, so the parser above hands it back unchanged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("bytes at offset {offset} do not decode as {encoding}")]
pub struct Undecodable {
    /// Offset in the file of the first bad byte.
    pub offset: u64,
    /// The bad bytes (one or a few).
    pub bytes: Vec<u8>,
    /// The encoding they were decoded with.
    pub encoding: &'static str,
}

impl Undecodable {
    /// The `Undecodable` inside an I/O error, if that is what it holds.
    pub fn from_io(error: &io::Error) -> Option<&Undecodable> {
        error.get_ref()?.downcast_ref::<Undecodable>()
    }
}

/// Decodes what `inner` yields (positioned after any byte order mark) into UTF-8.
pub struct DecodeReader<R> {
    inner: R,
    decoder: Decoder,
    encoding: &'static Encoding,
    raw: Box<[u8]>,
    raw_start: usize,
    raw_end: usize,
    /// File offset of `raw[raw_start]`.
    raw_offset: u64,
    out: Box<[u8]>,
    out_start: usize,
    out_end: usize,
    eof: bool,
    failed: Option<Undecodable>,
}

impl<R: Read> DecodeReader<R> {
    /// A reader of `inner`, whose first byte is at file offset `offset`, in `encoding`.
    pub fn new(inner: R, encoding: &'static Encoding, offset: u64) -> DecodeReader<R> {
        DecodeReader {
            inner,
            decoder: encoding.new_decoder_without_bom_handling(),
            encoding,
            raw: vec![0; BUFFER].into_boxed_slice(),
            raw_start: 0,
            raw_end: 0,
            raw_offset: offset,
            out: vec![0; BUFFER].into_boxed_slice(),
            out_start: 0,
            out_end: 0,
            eof: false,
            failed: None,
        }
    }

    /// Decodes more into `out`; false at the end of the input.
    fn decode_more(&mut self) -> io::Result<bool> {
        loop {
            if let Some(failed) = &self.failed {
                return Err(io::Error::new(io::ErrorKind::InvalidData, failed.clone()));
            }
            if self.raw_start == self.raw_end && !self.eof {
                self.raw_start = 0;
                self.raw_end = loop {
                    match self.inner.read(&mut self.raw) {
                        Ok(n) => break n,
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                        Err(e) => return Err(e),
                    }
                };
                self.eof = self.raw_end == 0;
            }
            let input = self
                .raw
                .get(self.raw_start..self.raw_end)
                .unwrap_or_default();
            let (result, read, written) =
                self.decoder
                    .decode_to_utf8_without_replacement(input, &mut self.out, self.eof);
            self.raw_start += read;
            self.raw_offset += read as u64;
            self.out_start = 0;
            self.out_end = written;
            if let DecoderResult::Malformed(bad, after) = result {
                let end = self.raw_start.saturating_sub(usize::from(after));
                let from = end.saturating_sub(usize::from(bad));
                self.failed = Some(Undecodable {
                    offset: self.raw_offset - u64::from(after) - u64::from(bad),
                    bytes: self
                        .raw
                        .get(from..end)
                        .map(<[u8]>::to_vec)
                        .unwrap_or_default(),
                    encoding: self.encoding.name(),
                });
            }
            if written > 0 {
                return Ok(true);
            }
            if self.eof && result == DecoderResult::InputEmpty {
                return Ok(false);
            }
        }
    }
}

impl<R: Read> Read for DecodeReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.out_start == self.out_end && !self.decode_more()? {
            return Ok(0);
        }
        let available = self
            .out
            .get(self.out_start..self.out_end)
            .unwrap_or_default();
        let n = available.len().min(buf.len());
        if let (Some(dst), Some(src)) = (buf.get_mut(..n), available.get(..n)) {
            dst.copy_from_slice(src);
        }
        self.out_start += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::{UTF_16LE, WINDOWS_1252};

    #[test]
    fn decodes_across_small_reads() {
        let latin1 = b"<n>Zo\xEB Bront\xEB \x80 \x93x\x94</n>";
        let mut reader = DecodeReader::new(&latin1[..], WINDOWS_1252, 0);
        let mut out = Vec::new();
        let mut byte = [0u8; 1];
        while let Ok(1) = reader.read(&mut byte) {
            out.push(byte[0]);
        }
        assert_eq!(
            String::from_utf8(out).ok().as_deref(),
            Some("<n>Zoë Brontë € \u{201C}x\u{201D}</n>")
        );
    }

    #[test]
    fn unpaired_surrogates_are_reported_at_their_offset() {
        let bytes: Vec<u8> = vec![b'a', 0, 0x00, 0xD8, b'b', 0];
        let mut reader = DecodeReader::new(&bytes[..], UTF_16LE, 2);
        let mut out = Vec::new();
        let error = reader.read_to_end(&mut out).err();
        let bad = error.as_ref().and_then(Undecodable::from_io);
        assert_eq!(bad.map(|b| b.offset), Some(4));
        assert_eq!(out, b"a");
    }
}
