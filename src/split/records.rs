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
/// until it returns `Break`; returns how many records it was given. The namespace
/// declarations of the record's ancestors are added to its start tag (where it does not
/// declare the prefix itself), so each record stands on its own as XML. A fault in the XML
/// is found when the pass reaches it, after the records before it were given.
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
    let source = if let Some(json) = file.reopen_json() {
        Source::Plain(json.map_err(|source| SplitError::Read {
            path: input.to_path_buf(),
            source,
        })?)
    } else if file.detected().is_utf8() {
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
        namespaces: Vec::new(),
        record: String::new(),
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
    /// Namespace declarations seen outside records: `(prefix, uri)`, `""` for the default.
    namespaces: Vec<(String, String)>,
    record: String,
    records: u64,
    each: F,
}

impl<F: FnMut(&str) -> ControlFlow<()>> Sink for RecordSink<'_, F> {
    fn skeleton(&mut self, bytes: &[u8]) -> Result<(), SplitError> {
        collect_declarations(bytes, &mut self.namespaces);
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
        let text = if self.namespaces.is_empty() {
            text
        } else {
            self.record.clear();
            add_declarations(text, &self.namespaces, &mut self.record);
            self.record.as_str()
        };
        match (self.each)(text) {
            ControlFlow::Continue(()) => Ok(()),
            ControlFlow::Break(()) => Err(SplitError::Interrupted),
        }
    }
}

/// `record` (the text of `node`) with the namespace declarations in scope at `node` that
/// it does not make itself, so it stands on its own as XML.
#[must_use]
pub fn with_namespaces(record: &str, node: roxmltree::Node<'_, '_>) -> String {
    let namespaces: Vec<(String, String)> = node
        .namespaces()
        .filter(|ns| ns.name() != Some("xml"))
        .map(|ns| {
            (
                ns.name().unwrap_or_default().to_string(),
                ns.uri().to_string(),
            )
        })
        .collect();
    let mut out = String::with_capacity(record.len());
    add_declarations(record, &namespaces, &mut out);
    out
}

/// Notes every `xmlns[:prefix]="uri"` in `bytes` (later ones win for the same prefix).
fn collect_declarations(bytes: &[u8], out: &mut Vec<(String, String)>) {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let mut rest = text;
    while let Some(at) = rest.find("xmlns") {
        let before = rest[..at].chars().last();
        rest = &rest[at + 5..];
        if !before.is_some_and(char::is_whitespace) {
            continue;
        }
        let (prefix, after) = match rest.strip_prefix(':') {
            Some(r) => {
                let end = r
                    .find(|c: char| c == '=' || c.is_whitespace())
                    .unwrap_or(r.len());
                (&r[..end], &r[end..])
            }
            None => ("", rest),
        };
        let after = after.trim_start();
        let Some(after) = after.strip_prefix('=') else {
            continue;
        };
        let after = after.trim_start();
        let Some(quote) = after.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            continue;
        };
        let Some(end) = after[1..].find(quote) else {
            continue;
        };
        let uri = &after[1..=end];
        out.retain(|(p, _)| p != prefix);
        out.push((prefix.to_string(), uri.to_string()));
        rest = &after[end + 1..];
    }
}

/// Writes `record` into `out` with the declarations it lacks added to its start tag.
pub(crate) fn add_declarations(record: &str, namespaces: &[(String, String)], out: &mut String) {
    let name_end = record
        .char_indices()
        .skip(1)
        .find(|(_, c)| c.is_whitespace() || *c == '>' || *c == '/')
        .map_or(record.len(), |(i, _)| i);
    let tag_end = record.find('>').unwrap_or(record.len());
    let own = &record[..tag_end];
    out.push_str(&record[..name_end]);
    for (prefix, uri) in namespaces {
        let attr = if prefix.is_empty() {
            "xmlns".to_string()
        } else {
            format!("xmlns:{prefix}")
        };
        let declared = own
            .match_indices(&attr)
            .any(|(i, _)| own[i + attr.len()..].trim_start().starts_with('='));
        if !declared {
            let quote = if uri.contains('"') { '\'' } else { '"' };
            out.push(' ');
            out.push_str(&attr);
            out.push('=');
            out.push(quote);
            out.push_str(uri);
            out.push(quote);
        }
    }
    out.push_str(&record[name_end..]);
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
    fn records_carry_their_ancestors_namespaces() {
        let dir = tempfile::tempdir().expect("temp dir");
        let input = dir.path().join("in.xml");
        std::fs::write(
            &input,
            "<Company xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns=\"urn:c\"><P><A xsi:nil=\"true\"/></P><P xmlns=\"urn:own\"/></Company>",
        )
        .expect("write");
        let path = ChildPath::parse("/Company/P").expect("path");
        let mut seen = Vec::new();
        for_each_record(&input, &path, |r| {
            seen.push(r.to_string());
            ControlFlow::Continue(())
        })
        .expect("records");
        assert_eq!(
            seen,
            [
                "<P xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns=\"urn:c\"><A xsi:nil=\"true\"/></P>",
                "<P xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns=\"urn:own\"/>",
            ]
        );
        for record in &seen {
            assert!(roxmltree::Document::parse(record).is_ok(), "{record}");
        }
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
