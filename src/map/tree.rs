//! Tree mode: parse the whole input with roxmltree and evaluate every rule on it.

use std::path::Path;

use roxmltree::{Document, ParsingOptions};

use super::error::MapError;
use super::output::Output;
use super::record::Builder;
use super::spec::MapSpec;
use crate::connect::{FieldLimit, FieldTooLarge, MAX_FIELD_BYTES};
use crate::text_position::line_column;

/// Maps the whole of `bytes` (the input file's content) into `output`.
pub(crate) fn map_tree(
    input: &Path,
    bytes: &[u8],
    spec: &MapSpec,
    builder: &Builder,
    output: &mut Output,
) -> Result<(), MapError> {
    check_fields(input, bytes)?;
    let doc = parse(input, bytes)?;
    let mut read = vec![false; doc.descendants().count()];
    let mut count = 0;
    for (index, rule) in spec.rules.iter().enumerate() {
        let mut picked = Vec::new();
        for node in builder.select(rule, doc.root())? {
            if builder.admits(index, rule, node)? {
                picked.push(node);
            }
        }
        for node in builder.sorted(rule, picked, &[])? {
            output.record(index, &builder.record(rule, node)?)?;
            if let Some(seen) = read.get_mut(node.id().get_usize()) {
                count += u64::from(!*seen);
                *seen = true;
            }
        }
    }
    output.read(count);
    Ok(())
}

/// The streaming reader's field limit, applied to the whole text: both modes reject the
/// same inputs.
fn check_fields(input: &Path, bytes: &[u8]) -> Result<(), MapError> {
    let mut limited = FieldLimit::new(bytes, MAX_FIELD_BYTES);
    match std::io::copy(&mut limited, &mut std::io::sink()) {
        Ok(_) => Ok(()),
        Err(error) => {
            let offset = FieldTooLarge::from_io(&error).map_or(0, |big| big.offset);
            let (line, column) = line_column(bytes, usize::try_from(offset).unwrap_or(0));
            Err(MapError::FieldTooLarge {
                path: input.to_path_buf(),
                line,
                column,
                limit: MAX_FIELD_BYTES as u64,
            })
        }
    }
}

/// Parses a whole document (a leading byte order mark is skipped; a DTD is allowed).
pub(crate) fn parse<'b>(input: &Path, bytes: &'b [u8]) -> Result<Document<'b>, MapError> {
    let bom = if bytes.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let malformed = |offset: usize, message: String| {
        let (line, column) = line_column(bytes, offset);
        MapError::Malformed {
            path: input.to_path_buf(),
            line,
            column,
            message,
        }
    };
    let body = bytes.get(bom..).unwrap_or_default();
    let text = std::str::from_utf8(body)
        .map_err(|e| malformed(bom + e.valid_up_to(), "invalid UTF-8".into()))?;
    let options = ParsingOptions {
        allow_dtd: true,
        ..ParsingOptions::default()
    };
    Document::parse_with_options(text, options).map_err(|e| {
        use roxmltree::Error as E;
        let message = e.to_string();
        match e {
            // These carry no useful position: the end of the file is where they show.
            E::UnclosedRootNode | E::UnexpectedEndOfStream | E::NoRootNode => {
                malformed(bytes.len(), message)
            }
            _ => {
                let pos = e.pos();
                let offset = crate::text_position::offset_of(text, pos.row, pos.col);
                malformed(bom + offset, message)
            }
        }
    })
}
