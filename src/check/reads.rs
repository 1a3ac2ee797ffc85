//! The files a script writes and reads: a file read that no statement writes is either one
//! the user puts there before the run, or a misspelling. `check` warns about it (an error
//! with `--strict`) and the run makes sure it exists before its first statement.
use std::collections::HashMap;

use super::downloads::XmlReason;
use super::program::RequiredInput;
use super::{CheckWarning, Checker};
use crate::source::Span;

/// What the statements checked so far write and read.
#[derive(Debug, Default)]
pub(super) struct Files {
    /// The paths written, each with the reason cell of the latest `fetch` to it (see
    /// `downloads.rs`), one entry per path for both.
    pub(super) written: HashMap<Box<str>, Option<XmlReason>>,
    /// The reads of files that no statement before them wrote.
    reads: Vec<Read>,
    /// Whether a top-level `if` came before: after one, whether a statement runs at all is
    /// decided while running (`if not exists "x" { stop }`).
    pub(super) branched: bool,
}

#[derive(Debug)]
struct Read {
    key: String,
    path: String,
    span: Span,
    statement: String,
    at_top: bool,
}

impl Checker<'_> {
    /// A statement reads the file `path` (constant text).
    pub(super) fn note_read(&mut self, path: &str, span: Span, statement: &str) {
        let key = key(path);
        // A file an earlier statement wrote is neither warned about nor checked before
        // the run: only the others are kept.
        if self.files.written.contains_key(key.as_str()) {
            return;
        }
        self.files.reads.push(Read {
            key,
            path: path.to_string(),
            span,
            statement: statement.to_string(),
            at_top: self.at_top && !self.files.branched,
        });
    }

    /// A statement writes the file `path` (constant text).
    pub(super) fn note_write(&mut self, path: &str) {
        self.files.written.entry(key(path).into()).or_insert(None);
    }

    /// Warns about every file read that no statement writes, and returns those of them a
    /// top-level statement reads (a run checks they exist before it starts).
    pub(super) fn unwritten_reads(&mut self) -> Vec<RequiredInput> {
        let reads = std::mem::take(&mut self.files.reads);
        let mut written: Vec<&str> = self.files.written.keys().map(AsRef::as_ref).collect();
        written.sort();
        let mut warnings = Vec::new();
        let mut inputs = Vec::new();
        for read in &reads {
            // A file named through a param (`map "${input}" …`) is the user's input, given
            // with `--var`: no misspelling to warn about, but the run still checks it.
            let named_by_param = self
                .source
                .text
                .get(read.span.start..read.span.end)
                .is_some_and(|raw| raw.contains("${"));
            if !self.files.written.contains_key(read.key.as_str()) && !named_by_param {
                let near = written
                    .iter()
                    .filter(|w| strsim::damerau_levenshtein(w, &read.key) <= 3)
                    .min_by_key(|w| strsim::damerau_levenshtein(w, &read.key));
                let help = match near {
                    Some(name) => format!(
                        "did you mean \"{name}\", which an earlier statement writes? Otherwise put `{}` in the working folder before the run",
                        read.path
                    ),
                    None => format!(
                        "no statement writes it: put `{}` in the working folder before the run (the run checks it is there before it changes anything)",
                        read.path
                    ),
                };
                warnings.push(CheckWarning::ReadNotWritten {
                    file: read.path.clone(),
                    statement: read.statement.clone(),
                    span: read.span.into(),
                    help,
                });
            }
            if read.at_top {
                inputs.push(RequiredInput {
                    path: read.path.clone(),
                    span: read.span,
                    statement: read.statement.clone(),
                    line: self.source.line_col(read.span.start).0,
                });
            }
        }
        for w in warnings {
            self.warn(w);
        }
        inputs
    }
}

/// A path as written, in a form two spellings of the same relative path share.
pub(super) fn key(path: &str) -> String {
    let path = path.trim();
    let body = path.strip_prefix('/').unwrap_or(path);
    if !path.contains('\\')
        && !body.is_empty()
        && body.split('/').all(|p| !p.is_empty() && p != ".")
    {
        return path.to_string();
    }
    let path = path.replace('\\', "/");
    let mut parts: Vec<&str> = path
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    if path.starts_with('/') {
        parts.insert(0, "");
    }
    parts.join("/")
}
