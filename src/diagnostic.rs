//! Rendering diagnostics against their script, for the terminal and for snapshot tests.
use std::fmt;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};

use crate::source::SourceFile;

/// A diagnostic together with the script its spans point into.
pub struct WithSource<'a> {
    pub inner: &'a dyn Diagnostic,
    pub source: Script<'a>,
}

/// A script as miette reads it to draw a diagnostic. miette's own reading counts lines from
/// the start of the text for every span (so a script with thousands of warnings took
/// quadratic time to report); this finds the span's lines through the script's line index
/// and lets miette read only from the first line it shows.
pub struct Script<'a> {
    source: &'a SourceFile,
}

impl SourceCode for Script<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let starts = self.source.line_starts();
        let line = starts
            .partition_point(|&start| start <= span.offset())
            .saturating_sub(1);
        // One line more than the context: miette stops a character early for an empty
        // span, so it must see the line break before the span's line.
        let first = line.saturating_sub(context_lines_before + 1);
        let from = starts.get(first).copied().unwrap_or(0);
        let rest = self
            .source
            .text
            .get(from..)
            .ok_or(MietteError::OutOfBounds)?;
        let shifted = SourceSpan::new((span.offset() - from).into(), span.len());
        let inner = rest.read_span(&shifted, context_lines_before, context_lines_after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.source.name.clone(),
            inner.data(),
            SourceSpan::new((inner.span().offset() + from).into(), inner.span().len()),
            inner.line() + first,
            inner.column(),
            inner.line_count() + first,
        )))
    }
}

impl fmt::Debug for WithSource<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.inner, f)
    }
}

impl fmt::Display for WithSource<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.inner, f)
    }
}

impl std::error::Error for WithSource<'_> {}

impl Diagnostic for WithSource<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.inner.code()
    }
    fn severity(&self) -> Option<miette::Severity> {
        self.inner.severity()
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.inner.help()
    }
    fn url<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.inner.url()
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        // A diagnostic with a source of its own (a `--var` value) is shown there.
        self.inner.source_code().or(Some(&self.source))
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.inner.labels()
    }
    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn Diagnostic> + 'b>> {
        self.inner.related()
    }
    fn diagnostic_source(&self) -> Option<&dyn Diagnostic> {
        self.inner.diagnostic_source()
    }
}

/// How to draw diagnostics.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    pub width: usize,
}

impl Style {
    /// No colour, 80 columns: what the snapshot tests use.
    pub const PLAIN: Style = Style {
        color: false,
        width: 80,
    };
}

/// Renders one diagnostic with its script.
#[must_use]
pub fn render(source: &SourceFile, diagnostic: &dyn Diagnostic, style: Style) -> String {
    let wrapped = WithSource {
        inner: diagnostic,
        source: Script { source },
    };
    render_plain(&wrapped, style)
}

/// Renders a diagnostic that has no script (or carries its own source).
#[must_use]
pub fn render_plain(diagnostic: &dyn Diagnostic, style: Style) -> String {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .without_syntax_highlighting();
    let mut out = String::new();
    if handler.render_report(&mut out, diagnostic).is_err() {
        out = format!("error: {diagnostic}\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use miette::{SourceCode, SourceSpan};

    use super::Script;
    use crate::source::SourceFile;

    /// The windowed reading gives what miette's own reading of the whole text gives, for
    /// every span of every length and context, whatever the line endings.
    #[test]
    fn script_reads_spans_as_miette_does() {
        for text in [
            "fetch \"a\" to \"b\"\n\nnotify \"c\"\n  delete x\n",
            "one\r\ntwo\r\n\r\nthree",
            "a\rb\r\rc\nd\r\n",
            "",
            "single line, no newline",
        ] {
            let source = SourceFile::from_text("t.zynk", text);
            let script = Script { source: &source };
            for offset in 0..=text.len() {
                for len in 0..=3 {
                    for before in 0..=3 {
                        for after in 0..=3 {
                            let span = SourceSpan::new(offset.into(), len);
                            let ours = script.read_span(&span, before, after);
                            let theirs = text.read_span(&span, before, after);
                            match (ours, theirs) {
                                (Ok(a), Ok(b)) => {
                                    let at = format!("{text:?} {offset}+{len} ({before}, {after})");
                                    assert_eq!(a.data(), b.data(), "{at}");
                                    assert_eq!(a.span(), b.span(), "{at}");
                                    assert_eq!(a.line(), b.line(), "{at}");
                                    assert_eq!(a.column(), b.column(), "{at}");
                                    assert_eq!(a.line_count(), b.line_count(), "{at}");
                                    assert_eq!(a.name(), Some("t.zynk"));
                                }
                                (Err(_), Err(_)) => {}
                                (a, b) => panic!(
                                    "{text:?} {offset}+{len}: {:?} vs {:?}",
                                    a.is_ok(),
                                    b.is_ok()
                                ),
                            }
                        }
                    }
                }
            }
        }
    }
}
