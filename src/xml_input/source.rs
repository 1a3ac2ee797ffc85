//! `XmlSource`: an opened XML file, read as UTF-8 whatever its encoding.
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;

use super::decode_reader::{DecodeReader, Undecodable};
use super::error::EncodingError;
use super::sniff::{Detected, SNIFF_LEN, sniff};

/// An XML file's bytes as UTF-8: the file itself when it is UTF-8 (byte order mark
/// included, as the parsers expect), decoded otherwise (without the byte order mark).
pub struct XmlSource {
    detected: Detected,
    reader: Inner,
    /// For a JSON file, the XML it was written as (removed when the source is dropped).
    json_as_xml: Option<tempfile::TempPath>,
}

enum Inner {
    Plain(File),
    Decoded(DecodeReader<File>),
}

impl XmlSource {
    /// Reads the start of `file` (opened from `path`) for its encoding and positions it
    /// to be read from the beginning. A JSON file (`{` or `[` first) is read as the XML it
    /// corresponds to (`docs/json.md`).
    pub fn new(mut file: File, path: &Path) -> Result<XmlSource, SourceError> {
        let mut head = Vec::with_capacity(SNIFF_LEN);
        (&mut file)
            .take(SNIFF_LEN as u64)
            .read_to_end(&mut head)
            .map_err(SourceError::Io)?;
        if crate::json::looks_like_json(&head) {
            return XmlSource::from_json(file, path, head.starts_with(b"\xEF\xBB\xBF"));
        }
        let detected = sniff(&head).map_err(|label| {
            SourceError::Encoding(EncodingError::Unsupported {
                path: path.to_path_buf(),
                label,
            })
        })?;
        let reader = if detected.is_utf8() {
            file.seek(SeekFrom::Start(0)).map_err(SourceError::Io)?;
            Inner::Plain(file)
        } else {
            let bom = detected.bom as u64;
            file.seek(SeekFrom::Start(bom)).map_err(SourceError::Io)?;
            Inner::Decoded(DecodeReader::new(file, detected.encoding, bom))
        };
        Ok(XmlSource {
            detected,
            reader,
            json_as_xml: None,
        })
    }

    /// A JSON file, written as XML (`crate::json`) into an unnamed temporary file that is
    /// then read: memory stays flat, and the file goes when the source is dropped.
    fn from_json(mut file: File, path: &Path, bom: bool) -> Result<XmlSource, SourceError> {
        file.seek(SeekFrom::Start(if bom { 3 } else { 0 }))
            .map_err(SourceError::Io)?;
        let temp = tempfile::NamedTempFile::new().map_err(SourceError::Io)?;
        let mut out = io::BufWriter::with_capacity(1 << 16, temp);
        crate::json::json_to_xml(file, &mut out).map_err(|e| match e {
            crate::json::ToXmlError::Io(e) => SourceError::Io(e),
            crate::json::ToXmlError::Syntax {
                line,
                column,
                reason,
            } => SourceError::Encoding(EncodingError::InvalidJson {
                path: path.to_path_buf(),
                line,
                column,
                reason,
            }),
        })?;
        let (mut temp, temp_path) = out
            .into_inner()
            .map_err(|e| SourceError::Io(e.into_error()))?
            .into_parts();
        temp.seek(SeekFrom::Start(0)).map_err(SourceError::Io)?;
        let detected = sniff(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>").map_err(|label| {
            SourceError::Encoding(EncodingError::Unsupported {
                path: path.to_path_buf(),
                label,
            })
        })?;
        Ok(XmlSource {
            detected,
            reader: Inner::Plain(temp),
            json_as_xml: Some(temp_path),
        })
    }

    /// Opens `path` (see [`XmlSource::new`]).
    pub fn open(path: &Path) -> Result<XmlSource, SourceError> {
        let file = File::open(path).map_err(SourceError::Io)?;
        XmlSource::new(file, path)
    }

    /// A second reader of a JSON file's XML, from its start (for readers that read records
    /// back by their offsets); `None` for an XML file, which is opened again by its path.
    pub fn reopen_json(&self) -> Option<io::Result<File>> {
        self.json_as_xml.as_ref().map(File::open)
    }

    /// The encoding found at the start of the file.
    pub fn detected(&self) -> &Detected {
        &self.detected
    }

    /// Reads the whole file as text (the tree modes); a UTF-8 byte order mark is kept.
    pub fn read_to_text(mut self, path: &Path) -> Result<String, SourceError> {
        let mut bytes = Vec::new();
        let detected = self.detected.clone();
        self.read_to_end(&mut bytes)
            .map_err(|e| SourceError::from_io(e, path, &detected))?;
        String::from_utf8(bytes).map_err(|e| {
            let offset = e.utf8_error().valid_up_to() as u64;
            SourceError::Encoding(super::position::utf8_error(path, offset))
        })
    }
}

impl Read for XmlSource {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match &mut self.reader {
            Inner::Plain(file) => file.read(buf),
            Inner::Decoded(reader) => reader.read(buf),
        }
    }
}

/// Opening or reading an XML source failed.
#[derive(Debug)]
pub enum SourceError {
    /// The file could not be opened or read.
    Io(io::Error),
    /// Its encoding is unknown or its bytes do not decode.
    Encoding(EncodingError),
}

/// The whole of the XML file `path` as text, decoded by its byte order mark and declaration.
pub fn read_text(path: &Path) -> Result<String, SourceError> {
    XmlSource::open(path)?.read_to_text(path)
}

/// The [`EncodingError`] an I/O error from reading an [`XmlSource`] stands for, if any.
pub fn encoding_error(
    error: &io::Error,
    path: &Path,
    detected: &Detected,
) -> Option<EncodingError> {
    Undecodable::from_io(error).map(|bad| EncodingError::undecodable(path, detected, bad))
}

impl SourceError {
    /// An I/O error from reading a source: a decoding failure becomes an [`EncodingError`].
    pub fn from_io(error: io::Error, path: &Path, detected: &Detected) -> SourceError {
        match Undecodable::from_io(&error) {
            Some(bad) => SourceError::Encoding(EncodingError::undecodable(path, detected, bad)),
            None => SourceError::Io(error),
        }
    }
}
