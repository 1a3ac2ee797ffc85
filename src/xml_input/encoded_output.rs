//! An output file's byte stream: UTF-8 straight into the file, or through an encoder.
use std::io::{BufWriter, Write};

use tempfile::NamedTempFile;

use super::{EncodeWriter, OutputEncoding};

/// Where a document's bytes go: straight to the (temporary) file when it is UTF-8, or
/// through an [`EncodeWriter`] for another [`OutputEncoding`].
pub enum EncodedOutput {
    /// UTF-8, written as it is.
    Plain(BufWriter<NamedTempFile>),
    /// Another encoding.
    Encoded(EncodeWriter<BufWriter<NamedTempFile>>),
}

impl EncodedOutput {
    /// Writes into `temp` through a buffer of `capacity` bytes, in `encoding` (UTF-8 when
    /// `None`).
    pub fn new(
        temp: NamedTempFile,
        capacity: usize,
        encoding: Option<OutputEncoding>,
    ) -> EncodedOutput {
        let buffered = BufWriter::with_capacity(capacity, temp);
        match encoding {
            Some(e) if !e.is_utf8() => EncodedOutput::Encoded(
                EncodeWriter::new(buffered, e.encoding, e.label == "UTF-16").with_limit(e.max_char),
            ),
            _ => EncodedOutput::Plain(buffered),
        }
    }

    /// Appends the rest of `file` (already in the output's encoding); for UTF-8, from file
    /// to file without passing through this process (the kernel copies).
    pub fn append_file(&mut self, file: &mut std::fs::File) -> std::io::Result<u64> {
        match self {
            EncodedOutput::Plain(out) => {
                out.flush()?;
                std::io::copy(file, out.get_mut().as_file_mut())
            }
            EncodedOutput::Encoded(_) => std::io::copy(file, self),
        }
    }

    /// Flushes everything and hands back the temporary file, ready to be renamed.
    pub fn finish(self) -> std::io::Result<NamedTempFile> {
        let buffered = match self {
            EncodedOutput::Plain(out) => out,
            EncodedOutput::Encoded(out) => out.finish()?,
        };
        buffered.into_inner().map_err(|e| e.into_error())
    }
}

impl Write for EncodedOutput {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            EncodedOutput::Plain(out) => out.write(buf),
            EncodedOutput::Encoded(out) => out.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        match self {
            EncodedOutput::Plain(out) => out.write_all(buf),
            EncodedOutput::Encoded(out) => out.write_all(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            EncodedOutput::Plain(out) => out.flush(),
            EncodedOutput::Encoded(out) => out.flush(),
        }
    }
}
