//! `EncodeWriter`: writes UTF-8 text out in another encoding, characters it lacks as character references.
use std::io::{self, Write};

use encoding_rs::{EncoderResult, Encoding, UTF_16BE, UTF_16LE};

/// The encoding for an `encoding` option's value (`ISO-8859-1`, `windows-1252`, `UTF-16`…).
pub fn output_encoding(label: &str) -> Option<&'static Encoding> {
    let encoding = Encoding::for_label(label.trim().as_bytes())?;
    (encoding.output_encoding() == encoding || encoding == UTF_16LE || encoding == UTF_16BE)
        .then_some(encoding)
}

/// Encodes the UTF-8 bytes written to it into `encoding` and passes them to `inner`.
///
/// Bytes may arrive split anywhere: an incomplete character waits for the next write.
pub struct EncodeWriter<W: Write> {
    inner: W,
    encoding: &'static Encoding,
    encoder: encoding_rs::Encoder,
    pending: Vec<u8>,
    out: Vec<u8>,
    bom_due: bool,
    max_char: Option<u32>,
}

impl<W: Write> EncodeWriter<W> {
    /// A writer into `inner` in `encoding`; `bom` writes a byte order mark first (UTF-16).
    pub fn new(inner: W, encoding: &'static Encoding, bom: bool) -> EncodeWriter<W> {
        EncodeWriter {
            inner,
            encoding,
            encoder: encoding.new_encoder(),
            pending: Vec::new(),
            out: Vec::with_capacity(64 << 10),
            bom_due: bom,
            max_char: None,
        }
    }

    /// Writes characters above `max` as character references even where the encoding has
    /// them (strict ISO-8859-1 or US-ASCII over the windows-1252 encoder).
    #[must_use]
    pub fn with_limit(mut self, max: Option<u32>) -> EncodeWriter<W> {
        self.max_char = max;
        self
    }

    /// Writes what is left and hands back the inner writer.
    pub fn finish(mut self) -> io::Result<W> {
        if !self.pending.is_empty() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "the text ends inside a UTF-8 character",
            ));
        }
        self.encode("", true)?;
        self.inner.flush()?;
        Ok(self.inner)
    }

    fn encode(&mut self, text: &str, last: bool) -> io::Result<()> {
        let limited;
        let text = match self.max_char {
            Some(max) if text.chars().any(|c| u32::from(c) > max) => {
                let mut escaped = String::with_capacity(text.len() + 16);
                for c in text.chars() {
                    if u32::from(c) > max {
                        escaped.push_str(&format!("&#{};", u32::from(c)));
                    } else {
                        escaped.push(c);
                    }
                }
                limited = escaped;
                limited.as_str()
            }
            _ => text,
        };
        self.out.clear();
        if self.bom_due {
            self.bom_due = false;
            match self.encoding {
                e if e == UTF_16LE => self.out.extend_from_slice(&[0xFF, 0xFE]),
                e if e == UTF_16BE => self.out.extend_from_slice(&[0xFE, 0xFF]),
                _ => {}
            }
        }
        if self.encoding == UTF_16LE || self.encoding == UTF_16BE {
            let big = self.encoding == UTF_16BE;
            for unit in text.encode_utf16() {
                let bytes = if big {
                    unit.to_be_bytes()
                } else {
                    unit.to_le_bytes()
                };
                self.out.extend_from_slice(&bytes);
            }
            return self.inner.write_all(&self.out);
        }
        let mut rest = text;
        loop {
            let room = rest.len() * 2 + 16;
            let start = self.out.len();
            self.out.resize(start + room, 0);
            let (result, read, written) = self.encoder.encode_from_utf8_without_replacement(
                rest,
                self.out.get_mut(start..).unwrap_or_default(),
                last,
            );
            self.out.truncate(start + written);
            rest = rest.get(read..).unwrap_or_default();
            match result {
                EncoderResult::InputEmpty => break,
                EncoderResult::OutputFull => {}
                EncoderResult::Unmappable(ch) => {
                    self.out
                        .extend_from_slice(format!("&#{};", u32::from(ch)).as_bytes());
                }
            }
        }
        self.inner.write_all(&self.out)
    }
}

impl<W: Write> Write for EncodeWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let owned;
        let bytes: &[u8] = if self.pending.is_empty() {
            buf
        } else {
            self.pending.extend_from_slice(buf);
            owned = std::mem::take(&mut self.pending);
            &owned
        };
        let (text, tail) = match std::str::from_utf8(bytes) {
            Ok(text) => (text, &[][..]),
            Err(e) if e.error_len().is_none() => {
                let (good, tail) = bytes.split_at(e.valid_up_to());
                (std::str::from_utf8(good).unwrap_or_default(), tail)
            }
            Err(_) => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "text to encode is not UTF-8",
                ));
            }
        };
        let tail = tail.to_vec();
        self.encode(text, false)?;
        self.pending = tail;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::WINDOWS_1252;

    #[test]
    fn encodes_split_characters_and_references_the_missing_ones() {
        let text = "Zoë € \u{201C}x\u{201D} \u{3042}".as_bytes();
        let mut writer = EncodeWriter::new(Vec::new(), WINDOWS_1252, false);
        for byte in text {
            assert!(writer.write_all(&[*byte]).is_ok());
        }
        let out = writer.finish().unwrap_or_default();
        assert_eq!(out, b"Zo\xEB \x80 \x93x\x94 &#12354;");
        let mut writer = EncodeWriter::new(Vec::new(), UTF_16LE, true);
        assert!(writer.write_all("a€".as_bytes()).is_ok());
        assert_eq!(
            writer.finish().unwrap_or_default(),
            b"\xFF\xFEa\x00\xAC\x20"
        );
    }
}
