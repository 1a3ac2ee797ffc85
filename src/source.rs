//! Script sources and byte spans into them.
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use miette::SourceSpan;

/// A byte range in a script.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    #[must_use]
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// The smallest span covering both.
    #[must_use]
    pub fn join(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    #[must_use]
    pub fn len(self) -> usize {
        self.end - self.start
    }

    #[must_use]
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }
}

impl From<Span> for SourceSpan {
    fn from(span: Span) -> SourceSpan {
        SourceSpan::new(span.start.into(), span.len())
    }
}

impl From<pest::Span<'_>> for Span {
    fn from(span: pest::Span<'_>) -> Span {
        Span::new(span.start(), span.end())
    }
}

/// A value with the span it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span) -> Spanned<T> {
        Spanned { value, span }
    }
}

/// A script: its display name, where it lives, and its text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub name: String,
    pub path: PathBuf,
    pub text: String,
    /// Byte offsets where lines start, built on first use.
    line_starts: OnceLock<Vec<usize>>,
}

impl SourceFile {
    /// Reads a script from disk; the display name is the path as given.
    pub fn read(path: &Path) -> std::io::Result<SourceFile> {
        let mut text = std::fs::read_to_string(path)?;
        // Windows editors (Notepad) save UTF-8 with a byte order mark.
        if text.starts_with('\u{FEFF}') {
            text.drain(..'\u{FEFF}'.len_utf8());
        }
        Ok(SourceFile {
            name: path.display().to_string(),
            path: path.to_path_buf(),
            text,
            line_starts: OnceLock::new(),
        })
    }

    /// A script held in memory (tests, `zynk demo`).
    #[must_use]
    pub fn from_text(name: &str, text: &str) -> SourceFile {
        SourceFile {
            name: name.to_string(),
            path: PathBuf::from(name),
            text: text.to_string(),
            line_starts: OnceLock::new(),
        }
    }

    /// The same script with other text (e.g. secrets masked), keeping its name and path.
    #[must_use]
    pub fn with_text(&self, text: String) -> SourceFile {
        SourceFile {
            name: self.name.clone(),
            path: self.path.clone(),
            text,
            line_starts: OnceLock::new(),
        }
    }

    /// Byte offsets where lines start. A line ends at `\n`, `\r\n` or a lone `\r`, as in
    /// the grammar and in miette's rendering.
    #[must_use]
    pub fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            let bytes = self.text.as_bytes();
            std::iter::once(0)
                .chain(memchr::memchr2_iter(b'\n', b'\r', bytes).filter_map(|i| {
                    let crlf = bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n');
                    (!crlf).then_some(i + 1)
                }))
                .collect()
        })
    }

    /// 1-based line and column of a byte offset.
    #[must_use]
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let starts = self.line_starts();
        let offset = offset.min(self.text.len());
        let line = starts.partition_point(|&start| start <= offset);
        let start = starts.get(line.wrapping_sub(1)).copied().unwrap_or(0);
        let col = self
            .text
            .get(start..offset)
            .map_or(0, |l| l.chars().count())
            + 1;
        (line, col)
    }
}

#[cfg(test)]
mod tests {
    use super::SourceFile;

    #[test]
    fn line_col_counts_lines_and_characters() {
        let source = SourceFile::from_text("t.zynk", "ab\nçd\n\nx");
        assert_eq!(source.line_col(0), (1, 1));
        assert_eq!(source.line_col(2), (1, 3));
        assert_eq!(source.line_col(3), (2, 1));
        assert_eq!(source.line_col(6), (2, 3));
        assert_eq!(source.line_col(7), (3, 1));
        assert_eq!(source.line_col(8), (4, 1));
        assert_eq!(source.line_col(99), (4, 2));
    }

    #[test]
    fn lines_end_at_lf_crlf_and_a_lone_cr() {
        let source = SourceFile::from_text("t.zynk", "a\r\nb\rc\nd");
        assert_eq!(source.line_starts(), &[0, 3, 5, 7]);
        assert_eq!(source.line_col(3), (2, 1));
        assert_eq!(source.line_col(5), (3, 1));
        assert_eq!(source.line_col(7), (4, 1));
    }
}
