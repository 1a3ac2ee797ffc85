//! Reading the records of an XML file one at a time, in constant memory, for `foreach` and `count`.
//!
//! The same checking pass as a streaming split finds the records; each record's bytes are
//! then read back from the file by their offsets, so at most one record is in memory.
use std::fs::File;
use std::io::{BufReader, ErrorKind, Read, Seek, SeekFrom};
use std::ops::ControlFlow;
use std::path::Path;

use super::child_path::ChildPath;
use super::error::SplitError;
use super::sink::Sink;
use super::whitespace::is_xml_space;
use crate::xml_input::{DecodeReader, SourceError, XmlSource};

/// Calls `each` with the XML text of every record `path` selects in `input`, in order,
/// until it returns `Break`; returns how many records it was given. A fault in the XML is
/// found when the pass reaches it, after the records before it were given.
pub fn for_each_record(
    input: &Path,
    path: &ChildPath,
    each: impl FnMut(&str) -> ControlFlow<()>,
) -> Result<u64, SplitError> {
    let open = || {
        File::open(input).map_err(|source| match source.kind() {
            ErrorKind::NotFound => SplitError::NotFound {
                path: input.to_path_buf(),
            },
            _ => SplitError::Read {
                path: input.to_path_buf(),
                source,
            },
        })
    };
    let file = XmlSource::new(open()?, input).map_err(|e| source_error(input, e))?;
    let source = if file.detected().is_utf8() {
        Source::Plain(open()?)
    } else {
        let mut raw = open()?;
        let bom = file.detected().bom as u64;
        raw.seek(SeekFrom::Start(bom))
            .map_err(|source| SplitError::Read {
                path: input.to_path_buf(),
                source,
            })?;
        let reader = BufReader::with_capacity(64 << 10, raw);
        Source::Decoded {
            reader: Box::new(DecodeReader::new(reader, file.detected().encoding, bom)),
            at: 0,
        }
    };
    let mut sink = RecordSink {
        input,
        source,
        start: 0,
        buf: Vec::new(),
        records: 0,
        each,
    };
    match super::stream::split_stream(input, file, path, &mut sink) {
        Ok(()) | Err(SplitError::Interrupted) => Ok(sink.records),
        Err(e) => Err(e),
    }
}

fn source_error(input: &Path, error: SourceError) -> SplitError {
    match error {
        SourceError::Io(source) => SplitError::Read {
            path: input.to_path_buf(),
            source,
        },
        SourceError::Encoding(e) => SplitError::Encoding(e),
    }
}

/// A second reader of the input, to read each record back by its offsets: the file itself
/// (UTF-8), or the file decoded again from the start, read forwards (other encodings).
enum Source {
    Plain(File),
    Decoded {
        reader: Box<DecodeReader<BufReader<File>>>,
        at: u64,
    },
}

impl Source {
    /// Reads the text at `start..start + buf.len()` into `buf` (offsets in UTF-8 text).
    fn read_at(&mut self, start: u64, buf: &mut [u8]) -> std::io::Result<()> {
        match self {
            Source::Plain(file) => {
                file.seek(SeekFrom::Start(start))?;
                file.read_exact(buf)
            }
            Source::Decoded { reader, at } => {
                let skip = start.saturating_sub(*at);
                std::io::copy(&mut reader.take(skip), &mut std::io::sink())?;
                reader.read_exact(buf)?;
                *at = start.max(*at) + buf.len() as u64;
                Ok(())
            }
        }
    }
}

struct RecordSink<'p, F> {
    input: &'p Path,
    source: Source,
    start: u64,
    buf: Vec<u8>,
    records: u64,
    each: F,
}

impl<F: FnMut(&str) -> ControlFlow<()>> Sink for RecordSink<'_, F> {
    fn skeleton(&mut self, _bytes: &[u8]) -> Result<(), SplitError> {
        Ok(())
    }

    fn begin_record(&mut self, offset: u64) {
        self.start = offset;
    }

    fn end_record(&mut self, offset: u64) -> Result<(), SplitError> {
        let read_err = |source| SplitError::Read {
            path: self.input.to_path_buf(),
            source,
        };
        let len = usize::try_from(offset.saturating_sub(self.start)).unwrap_or(usize::MAX);
        self.buf.clear();
        self.buf.resize(len, 0);
        self.source
            .read_at(self.start, &mut self.buf)
            .map_err(read_err)?;
        let lead = self.buf.iter().take_while(|&&b| is_xml_space(b)).count();
        let text = std::str::from_utf8(self.buf.get(lead..).unwrap_or_default())
            .map_err(|e| read_err(std::io::Error::new(ErrorKind::InvalidData, e.to_string())))?;
        self.records += 1;
        match (self.each)(text) {
            ControlFlow::Continue(()) => Ok(()),
            ControlFlow::Break(()) => Err(SplitError::Interrupted),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gives_each_record_and_stops_on_break() {
        let dir = tempfile::tempdir().expect("temp dir");
        let input = dir.path().join("in.xml");
        std::fs::write(
            &input,
            "<?xml version=\"1.0\"?>\n<Company>\n  <SalesOrders>\n    <SalesOrder><Id>1</Id></SalesOrder>\n    <SalesOrder><Id>2</Id></SalesOrder>\n    <SalesOrder><Id>3</Id></SalesOrder>\n  </SalesOrders>\n</Company>\n",
        )
        .expect("write");
        let path = ChildPath::parse("/Company/SalesOrders/SalesOrder").expect("path");
        let mut seen = Vec::new();
        let n = for_each_record(&input, &path, |r| {
            seen.push(r.to_string());
            ControlFlow::Continue(())
        })
        .expect("records");
        assert_eq!(n, 3);
        assert_eq!(seen[1], "<SalesOrder><Id>2</Id></SalesOrder>");
        let mut first = 0;
        let n = for_each_record(&input, &path, |_| {
            first += 1;
            ControlFlow::Break(())
        })
        .expect("records");
        assert_eq!((n, first), (1, 1));
    }

    #[test]
    fn malformed_input_is_an_error() {
        let dir = tempfile::tempdir().expect("temp dir");
        let input = dir.path().join("in.xml");
        std::fs::write(&input, "<A><B>1</B><B>2</A>").expect("write");
        let path = ChildPath::parse("/A/B").expect("path");
        let result = for_each_record(&input, &path, |_| ControlFlow::Continue(()));
        assert!(
            matches!(result, Err(SplitError::Malformed { .. })),
            "{result:?}"
        );
    }
}
