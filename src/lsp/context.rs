//! What surrounds a place in a script being edited: the word there, the statement it
//! belongs to, and the names the script declares. Read from the text and the token
//! stream of the syntax layer, so it works on a script that does not parse yet.
use crate::source::Span;
use crate::syntax::{Token, TokenKind};
use crate::tasks::{Registry, Task};

use super::position::LineIndex;

/// A name the script declares.
#[derive(Debug, Clone)]
pub(crate) struct Declaration {
    pub name: String,
    pub kind: DeclarationKind,
    /// The name where it is declared.
    pub span: Span,
    /// The declaring line, as written.
    pub line: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DeclarationKind {
    Param,
    Let,
    /// `foreach NAME in …`: a file (or a record, with `by xpath`).
    Loop,
    /// `… as NAME`: the results of a statement, `(field, doc)` each.
    Results {
        statement: String,
        fields: &'static [(&'static str, &'static str)],
    },
}

/// The words of the statement around a line.
#[derive(Clone)]
pub(crate) struct StatementContext<'t> {
    /// Every token of the statement, comments left out, each with its span.
    pub tokens: Vec<(&'t str, Span)>,
    pub task: Option<&'static dyn Task>,
}

impl StatementContext<'_> {
    /// How many leading tokens the statement's name takes.
    #[must_use]
    pub(crate) fn head_len(&self) -> usize {
        self.task.map_or(0, |t| t.head().len())
    }
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '.'
}

/// The word (a name, or a dotted path such as `file.stem`) touching `offset`.
#[must_use]
pub(crate) fn word_at(text: &str, offset: usize) -> Option<(Span, &str)> {
    let offset = offset.min(text.len());
    let start = text[..offset]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_ident(*c))
        .last()
        .map_or(offset, |(i, _)| i);
    let end = text[offset..]
        .char_indices()
        .find(|(_, c)| !is_ident(*c))
        .map_or(text.len(), |(i, _)| offset + i);
    let word = text[start..end].trim_matches('.');
    let start = start + text[start..end].find(word).unwrap_or(0);
    (!word.is_empty() && !word.starts_with(|c: char| c.is_ascii_digit()))
        .then(|| (Span::new(start, start + word.len()), word))
}

fn indent_of(line: &str) -> usize {
    line.chars()
        .take_while(|c| c.is_whitespace())
        .map(|c| if c == '\t' { 4 } else { 1 })
        .sum()
}

/// A script being edited, cut into lines and tokens once for the questions asked of it.
pub(crate) struct Script<'t> {
    text: &'t str,
    index: LineIndex<'t>,
    /// The script's tokens but its spaces and line breaks.
    tokens: Vec<Token>,
}

impl<'t> Script<'t> {
    #[must_use]
    pub(crate) fn new(text: &'t str) -> Script<'t> {
        let tokens = crate::syntax::lex(text)
            .into_iter()
            .filter(|t| !t.kind.is_trivia())
            .collect();
        Script {
            text,
            index: LineIndex::new(text),
            tokens,
        }
    }

    #[must_use]
    pub(crate) fn index(&self) -> &LineIndex<'t> {
        &self.index
    }

    /// The tokens that start on line `line`, comments left out (a multi-line string or
    /// XPath counts on its first line).
    fn line_tokens(&self, line: usize) -> Vec<(&'t str, Span)> {
        let start = self.index.line_start(line);
        let end = start + self.index.line(line).len();
        let first = self.tokens.partition_point(|t| t.span.start < start);
        let last = self.tokens.partition_point(|t| t.span.start < end);
        self.tokens[first..last.max(first)]
            .iter()
            .filter(|t| t.kind != TokenKind::Comment)
            .map(|t| (t.text(self.text), t.span))
            .collect()
    }

    /// The statement that line `line` belongs to: the line itself, and the lines above it
    /// that it continues (indented deeper, starting with a word that names no statement).
    #[must_use]
    pub(crate) fn statement_at(&self, line: usize) -> StatementContext<'t> {
        let starts_option = |l: usize| {
            self.line_tokens(l).first().is_some_and(|(w, _)| {
                w.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                    && !Registry::standard().is_statement_head(w)
            })
        };
        let mut first = line;
        if starts_option(line) {
            let start = (0..line)
                .rev()
                .find(|&l| !self.line_tokens(l).is_empty() && !starts_option(l));
            if let Some(start) = start {
                let closes = self
                    .line_tokens(start)
                    .last()
                    .is_some_and(|(w, _)| *w == "{" || *w == "}");
                if !closes && indent_of(self.index.line(line)) > indent_of(self.index.line(start)) {
                    first = start;
                }
            }
        }
        let mut all = Vec::new();
        for l in first..=line {
            all.extend(self.line_tokens(l));
        }
        if let Some(open) = all.iter().position(|(w, _)| *w == "}") {
            // `} else if …`: the statement starts after the brace and `else`.
            let skip = open + 1 + usize::from(all.get(open + 1).is_some_and(|(w, _)| *w == "else"));
            all.drain(..skip);
        }
        let words: Vec<&str> = all.iter().map(|(w, _)| *w).collect();
        let task = Registry::standard().find(words.iter().copied());
        StatementContext { tokens: all, task }
    }

    /// Every name the script declares, in order.
    #[must_use]
    pub(crate) fn declarations(&self) -> Vec<Declaration> {
        let mut out = Vec::new();
        for line in 0..self.index.line_count() {
            let words = self.line_tokens(line);
            let line_text = self.index.line(line).trim().to_string();
            let mut push = |word: Option<&(&str, Span)>, kind| {
                if let Some((name, span)) = word
                    && name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                {
                    out.push(Declaration {
                        name: (*name).to_string(),
                        kind,
                        span: *span,
                        line: line_text.clone(),
                    });
                }
            };
            match words.first().map(|(w, _)| *w) {
                Some("param") => push(words.get(1), DeclarationKind::Param),
                Some("let") => push(words.get(1), DeclarationKind::Let),
                Some("foreach") => push(words.get(1), DeclarationKind::Loop),
                _ => {}
            }
            if let [.., (as_word, _), name] = words.as_slice()
                && *as_word == "as"
            {
                let context = self.statement_at(line);
                if let Some(task) = context.task.filter(|t| !t.results().is_empty()) {
                    let kind = DeclarationKind::Results {
                        statement: task.name(),
                        fields: task.results(),
                    };
                    push(Some(name), kind);
                }
            }
        }
        out
    }

    /// Whether `offset` is inside a string, and if so, inside one of its `${…}`.
    #[must_use]
    pub(crate) fn in_string(&self, offset: usize) -> Option<bool> {
        let offset = offset.min(self.text.len());
        let at = self.tokens.partition_point(|t| t.span.start < offset);
        let token = self.tokens[..at].last()?;
        if token.kind != TokenKind::String || token.span.end < offset {
            return None;
        }
        let written = &self.text[token.span.start..offset];
        if token.span.end == offset && written.len() > 1 && closes(written) {
            return None;
        }
        let interp = written
            .rfind("${")
            .is_some_and(|i| !written[i..].contains('}'));
        Some(interp)
    }
}

/// Whether a string token as written has its closing quote.
fn closes(written: &str) -> bool {
    written.ends_with('"') && !written.ends_with("\\\"")
}

#[cfg(test)]
mod tests {
    use super::{DeclarationKind, Script, word_at};

    #[test]
    fn words_and_statements_across_continuation_lines() {
        let text = "param site = \"x\"\nfetch \"${site}/a\"\n    to \"a.xml\"\n    retries 2\n";
        let script = Script::new(text);
        let context = script.statement_at(3);
        assert_eq!(context.task.map(|t| t.name()).as_deref(), Some("fetch"));
        assert_eq!(context.tokens.len(), 6);
        let at = text.find("site}").expect("site");
        assert_eq!(word_at(text, at + 2).map(|(_, w)| w), Some("site"));
        let decls = script.declarations();
        assert_eq!(decls.len(), 1);
        assert_eq!(decls[0].kind, DeclarationKind::Param);
        assert_eq!(script.in_string(at), Some(true));
        assert_eq!(script.in_string(text.find("to").expect("to")), None);
    }

    #[test]
    fn an_xpath_left_open_stays_on_its_line() {
        let text = "let a = `x[y\nlet b = `z`\nlog \"${b}\" here\n";
        let script = Script::new(text);
        let names: Vec<String> = script.declarations().into_iter().map(|d| d.name).collect();
        assert_eq!(names, ["a", "b"]);
        let inside = text.find("{b").expect("interp") + 1;
        assert_eq!(script.in_string(inside), Some(true));
        let after = text.find("\" here").expect("quote") + 1;
        assert_eq!(script.in_string(after), None);
    }
}
