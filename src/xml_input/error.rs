//! `EncodingError`: an XML file in an unknown encoding, or with bytes that its encoding cannot hold.
use std::path::{Path, PathBuf};

use super::decode_reader::Undecodable;
use super::sniff::Detected;

/// A file's bytes could not be turned into text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
pub enum EncodingError {
    /// The XML declaration names an encoding zynk cannot decode, e.g. `encoding="klingon"`.
    #[error("`{path}` declares the encoding `{label}`, which zynk cannot read")]
    #[diagnostic(
        code(zynk::encoding::unsupported),
        help(
            "zynk reads UTF-8, UTF-16 (with a byte order mark), ISO-8859-1/-15, windows-1252 and the other WHATWG encodings; fix the declaration or re-export the file"
        )
    )]
    Unsupported {
        /// The file.
        path: PathBuf,
        /// The encoding name as declared.
        label: String,
    },
    /// A file that starts as JSON (`{` or `[`), which zynk reads as XML, is not valid JSON, e.g.
    /// an answer cut short: `[{"id": 1},`.
    #[error(
        "`{path}` is JSON (it starts with `{{` or `[`), but not valid JSON at {line}:{column}: {reason}"
    )]
    #[diagnostic(
        code(zynk::json::invalid),
        help(
            "zynk reads a JSON file as XML (docs/json.md), so it must be one complete JSON document; an answer cut short or a page of HTML is the usual cause — look at the file"
        )
    )]
    InvalidJson {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the JSON parser expected there.
        reason: String,
    },
    /// A JSON file given to a statement that reads Connect XML (an import): JSON reads as
    /// `<json>…`, which is a shop's shape, not Connect XML's.
    #[error("`{path}` is JSON, and an import reads Connect XML (`<Company>…`)")]
    #[diagnostic(
        code(zynk::json::not_connect_xml),
        help(
            "map the JSON to Connect XML first — `map \"orders.json\" to \"download.xml\" {{ for each `/json/item` as \"SalesOrders/SalesOrder\" {{ … }} }}` (docs/json.md), as scripts/woocommerce-sage50.zynk does — and import the map's output"
        )
    )]
    JsonNotConnect {
        /// The file.
        path: PathBuf,
    },
    /// A byte (or sequence) is not valid in the encoding the file is read as, e.g. a Latin-1
    /// `ë` (0xEB) in a file with no declaration, which is therefore UTF-8.
    #[error("`{path}`: {what} at {line}:{column} is not {encoding} ({declared})")]
    #[diagnostic(code(zynk::encoding::invalid_byte))]
    InvalidByte {
        /// The file.
        path: PathBuf,
        /// 1-based line of the bad byte.
        line: u64,
        /// 1-based column, in characters, of the bad byte.
        column: u64,
        /// The bad bytes, e.g. `byte 0xEB`.
        what: Box<str>,
        /// The encoding the file was read as.
        encoding: &'static str,
        /// Why it was read as that, e.g. `declared UTF-8`.
        declared: Box<str>,
        /// What to do about it.
        #[help]
        help: Box<str>,
    },
}

impl EncodingError {
    /// The error for bytes that did not decode in `detected`'s encoding.
    pub(crate) fn undecodable(path: &Path, detected: &Detected, bad: &Undecodable) -> Self {
        let (line, column) = super::position::raw_line_column(path, detected, bad.offset);
        EncodingError::InvalidByte {
            path: path.to_path_buf(),
            line,
            column,
            what: describe_bytes(&bad.bytes).into(),
            encoding: bad.encoding,
            declared: detected.describe().into(),
            help: "the bytes there are not text in that encoding: re-export the file, or fix what wrote it".into(),
        }
    }

    /// The error for a file read as UTF-8 whose byte at `offset` is `byte`.
    pub(crate) fn not_utf8(
        path: &Path,
        detected: &Detected,
        (line, column): (u64, u64),
        bytes: &[u8],
    ) -> Self {
        let guess = match bytes.first() {
            Some(0x80..=0x9F) => "windows-1252",
            _ => "ISO-8859-1",
        };
        let help = if detected.declared.is_some() {
            format!(
                "the file may be {guess} — correct the XML declaration to <?xml version=\"1.0\" encoding=\"{guess}\"?>, or re-export the file as UTF-8"
            )
        } else {
            format!(
                "the file may be {guess} — declare it in the XML declaration: <?xml version=\"1.0\" encoding=\"{guess}\"?>"
            )
        };
        EncodingError::InvalidByte {
            path: path.to_path_buf(),
            line,
            column,
            what: describe_bytes(bytes).into(),
            encoding: "UTF-8",
            declared: detected.describe().into(),
            help: help.into(),
        }
    }
}

/// `byte 0xEB`, or `bytes 0x00 0xD8`.
fn describe_bytes(bytes: &[u8]) -> String {
    let hex: Vec<String> = bytes.iter().map(|b| format!("0x{b:02X}")).collect();
    match hex.len() {
        1 => format!("byte {}", hex.join(" ")),
        _ => format!("bytes {}", hex.join(" ")),
    }
}
