//! Reading XML files in any common encoding: the BOM and the XML declaration decide, the parsers get UTF-8.
//!
//! UTF-8 files (the usual case) are read as they are, so the streaming readers keep their
//! speed; every other encoding is decoded to UTF-8 incrementally by [`DecodeReader`], so
//! memory stays flat. Positions in errors are counted in characters of the decoded text,
//! which are the characters of the file. Writing back in an encoding is [`EncodeWriter`].
//! See `docs/encodings.md`.
mod decode_reader;
mod encode_writer;
mod encoded_output;
mod error;
mod output_encoding;
mod position;
mod sniff;
mod source;

pub use decode_reader::{DecodeReader, Undecodable};
pub use encode_writer::{EncodeWriter, output_encoding};
pub use encoded_output::EncodedOutput;
pub use error::EncodingError;
pub use output_encoding::OutputEncoding;
pub use position::{line_column, utf8_error};
pub use sniff::{Detected, sniff};
pub use source::{SourceError, XmlSource, encoding_error, read_text};
