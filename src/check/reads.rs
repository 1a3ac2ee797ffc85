//! The files a script writes and reads: a file read that no statement writes is either one
//! the user puts there before the run, or a misspelling. `check` warns about it (an error
//! with `--strict`) and the run makes sure it exists before its first statement.
use std::collections::HashSet;

use super::program::RequiredInput;
use super::{CheckWarning, Checker};
use crate::source::Span;

/// What the statements checked so far write and read.
#[derive(Debug, Default)]
pub struct Files {
    written: HashSet<String>,
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
    /// Whether an earlier statement wrote it.
    written_before: bool,
    at_top: bool,
}

impl Checker<'_> {
    /// A statement reads the file `path` (constant text).
    pub(super) fn note_read(&mut self, path: &str, span: Span, statement: &str) {
        let key = key(path);
        let written_before = self.files.written.contains(&key);
        self.files.reads.push(Read {
            key,
            path: path.to_string(),
            span,
            statement: statement.to_string(),
            written_before,
            at_top: self.at_top && !self.files.branched,
        });
    }

    /// A statement writes the file `path` (constant text).
    pub(super) fn note_write(&mut self, path: &str) {
        self.files.written.insert(key(path));
    }

    /// Warns about every file read that no statement writes, and returns those of them a
    /// top-level statement reads (a run checks they exist before it starts).
    pub(super) fn unwritten_reads(&mut self) -> Vec<RequiredInput> {
        let reads = std::mem::take(&mut self.files.reads);
        let mut written: Vec<&String> = self.files.written.iter().collect();
        written.sort();
        let mut warnings = Vec::new();
        let mut inputs = Vec::new();
        for read in &reads {
            if read.written_before {
                continue;
            }
            // A file named through a param (`map "${input}" …`) is the user's input, given
            // with `--var`: no misspelling to warn about, but the run still checks it.
            let named_by_param = self
                .source
                .text
                .get(read.span.start..read.span.end)
                .is_some_and(|raw| raw.contains("${"));
            if !self.files.written.contains(&read.key) && !named_by_param {
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

/// A path as written, without `./` and repeated separators.
fn key(path: &str) -> String {
    let path = path.trim().replace('\\', "/");
    path.split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect::<Vec<_>>()
        .join("/")
}
