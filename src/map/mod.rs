//! The engine behind the `map` statement: turn a shop's own XML export into Connect XML.
//!
//! A [`MapSpec`] (built by the checker from a `map` block) lists `for each` rules; each
//! selected node (the first of each key, for a `distinct` rule) becomes one record element
//! under its wrappers in a `<Company>` document, or under the root the spec names. [`map_file`] streams the input when every top-level rule can be evaluated
//! on one record at a time (see [`plan`]) and builds one tree otherwise; both give the
//! same bytes. See `docs/mapping.md`.

mod address_hash;
mod check_target;
mod child_walk;
mod error;
mod fast_stream;
mod log_reader;
mod lookup;
mod namespaces;
mod nothing_matched;
mod output;
#[cfg(test)]
mod pass_agreement;
mod plan;
mod record;
mod record_end;
mod record_env;
mod spec;
mod stream;
mod tree;

use std::fs::File;
use std::io::ErrorKind;
use std::path::Path;

pub use check_target::check_target;
pub use error::MapError;
pub use plan::stream_paths;
pub use spec::{
    ChoiceRule, Condition, Constant, FieldRule, FieldValue, LetRule, Lookup, LookupFormat, MapItem,
    MapReport, MapSpec, OutputShape, RecordRule, SortKey, XmlTable,
};

use crate::xml_input::{SourceError, XmlSource};
use fast_stream::Fast;
use lookup::Tables;
use output::Output;
use record::Builder;
use stream::Streamed;

/// Maps `input` by `spec` into the Connect XML document `output`.
///
/// The output is written to a temporary file beside `output` and renamed over it when
/// complete, so on any error the previous `output`, if any, is left as it was.
///
/// # Errors
///
/// A [`MapError`]: the input is missing or unreadable or not well-formed XML (with its
/// line and column), a `for each` XPath does not select elements, a target is not made
/// of XML names, or the output cannot be written.
pub fn map_file(input: &Path, spec: &MapSpec, output: &Path) -> Result<MapReport, MapError> {
    plan::check_targets(spec)?;
    let tables = Tables::load(&spec.lookups)?;
    let builder = Builder::new(input, spec, tables);
    let file = open(input)?;
    let mut out = Output::create(output, &spec.rules, &spec.shape)?;
    let streamed = match stream_paths(spec) {
        Some(paths) => {
            let fast = fast_stream::map_fast(input, file, spec, &paths, &builder, &mut out)?;
            let done = matches!(fast, Fast::Done) || {
                // The fast pass gave up: start again from the top with the event pass.
                builder.forget_keys();
                out = Output::create(output, &spec.rules, &spec.shape)?;
                let file = open(input)?;
                matches!(
                    stream::map_stream(input, file, spec, &paths, &builder, &mut out)?,
                    Streamed::Done
                )
            };
            if !done {
                // Nothing was mapped yet: a DOCTYPE comes before the root element.
                map_whole(input, open(input)?, spec, &builder, &mut out)?;
            }
            done
        }
        None => {
            map_whole(input, file, spec, &builder, &mut out)?;
            false
        }
    };
    if out.records_read() == 0 && !spec.allow_empty {
        nothing_matched::check(input, spec, open)?;
    }
    let (records, read) = out.commit()?;
    Ok(MapReport {
        records,
        read,
        streamed,
    })
}

/// Tree mode over the whole file.
fn map_whole(
    input: &Path,
    file: XmlSource,
    spec: &MapSpec,
    builder: &Builder,
    out: &mut Output,
) -> Result<(), MapError> {
    let text = file
        .read_to_text(input)
        .map_err(|e| source_error(input, e))?;
    tree::map_tree(input, text.as_bytes(), spec, builder, out)
}

fn source_error(input: &Path, error: SourceError) -> MapError {
    match error {
        SourceError::Io(source) => MapError::Read {
            path: input.to_path_buf(),
            source,
        },
        SourceError::Encoding(e) => MapError::Encoding(e),
    }
}

/// Opens the input, telling a missing file from an unreadable one, and finds its encoding.
fn open(input: &Path) -> Result<XmlSource, MapError> {
    let file = File::open(input).map_err(|source| match source.kind() {
        ErrorKind::NotFound => MapError::InputNotFound {
            path: input.to_path_buf(),
        },
        _ => MapError::Read {
            path: input.to_path_buf(),
            source,
        },
    })?;
    let is_dir = file.metadata().map(|m| m.is_dir()).unwrap_or(false);
    if is_dir {
        return Err(MapError::Read {
            path: input.to_path_buf(),
            source: std::io::Error::new(ErrorKind::IsADirectory, "it is a folder"),
        });
    }
    XmlSource::new(file, input).map_err(|e| source_error(input, e))
}
