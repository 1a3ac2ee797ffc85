//! The lossless token stream of a script: every byte in exactly one token, comments,
//! spaces and line breaks included, so that the formatter and the language server read
//! the script as the parser's layer cuts it.
use crate::source::Span;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// `# …` to the end of the line (its trailing spaces included).
    Comment,
    /// A string, with its `${…}` parts.
    String,
    /// An XPath between backticks (it may span lines).
    XPath,
    /// A name, a keyword or a dotted path: `fetch`, `file.stem`, `not-empty`.
    Word,
    /// A word that starts with a digit (or `-` and a digit): `2`, `1.5`, `30s`, `-1`.
    Number,
    /// A run of `=`, `<`, `>` and `!`: `=`, `>=`, `!=`.
    Operator,
    /// One of `{`, `}`, `(`, `)`, `[`, `]`.
    Brace,
    /// Any other single character: `,`, `'`, `$`, a symbol.
    Punct,
    /// A run of spaces and tabs.
    Whitespace,
    /// One line break: `\n`, `\r\n` or a lone `\r`, as the grammar counts them.
    Newline,
}

impl TokenKind {
    /// Whether the token only separates others (spaces and line breaks).
    #[must_use]
    pub fn is_trivia(self) -> bool {
        matches!(self, TokenKind::Whitespace | TokenKind::Newline)
    }
}

/// One token of a script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub span: Span,
}

impl Token {
    /// The token as written in `text`, the script it was read from.
    #[must_use]
    pub fn text(self, text: &str) -> &str {
        &text[self.span.start..self.span.end]
    }
}

/// Splits `text` into tokens. Their spans follow each other without gap or overlap from
/// the start of the text to its end, and none is empty. A string or XPath that is not
/// closed runs to the end of its line.
#[must_use]
pub fn tokens(text: &str) -> Vec<Token> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        let kind = match bytes[i] {
            b' ' | b'\t' => {
                while i < bytes.len() && matches!(bytes[i], b' ' | b'\t') {
                    i += 1;
                }
                TokenKind::Whitespace
            }
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                i += 2;
                TokenKind::Newline
            }
            b'\n' | b'\r' => {
                i += 1;
                TokenKind::Newline
            }
            b'#' => {
                i = line_end(bytes, i);
                TokenKind::Comment
            }
            b'"' => {
                i = string_end(bytes, i);
                TokenKind::String
            }
            b'`' => {
                i = xpath_end(bytes, i);
                TokenKind::XPath
            }
            b if is_word_byte(b) => {
                while i < bytes.len() && (is_word_byte(bytes[i]) || bytes[i] == b'.') {
                    i += 1;
                }
                word_kind(&bytes[start..i])
            }
            b'=' | b'<' | b'>' | b'!' => {
                while i < bytes.len() && matches!(bytes[i], b'=' | b'<' | b'>' | b'!') {
                    i += 1;
                }
                TokenKind::Operator
            }
            b'{' | b'}' | b'(' | b')' | b'[' | b']' => {
                i += 1;
                TokenKind::Brace
            }
            _ => {
                i += text[i..].chars().next().map_or(1, char::len_utf8);
                TokenKind::Punct
            }
        };
        out.push(Token {
            kind,
            span: Span::new(start, i),
        });
    }
    out
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

fn word_kind(word: &[u8]) -> TokenKind {
    let digits = word.strip_prefix(b"-").unwrap_or(word);
    if digits.first().is_some_and(u8::is_ascii_digit) {
        TokenKind::Number
    } else if word.iter().any(|&b| b != b'-' && b != b'.') {
        TokenKind::Word
    } else {
        TokenKind::Operator
    }
}

/// Where the line holding `from` ends (at its line break, or the end of the text).
fn line_end(bytes: &[u8], from: usize) -> usize {
    bytes[from..]
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .map_or(bytes.len(), |p| from + p)
}

/// The end of the string starting at `from` (just past its closing quote).
fn string_end(bytes: &[u8], from: usize) -> usize {
    let mut i = from + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            b'\n' | b'\r' => return i,
            b'$' if bytes.get(i + 1) == Some(&b'{') => i = interp_end(bytes, i + 2),
            _ => i += 1,
        }
    }
    bytes.len()
}

/// The end of a `${…}` whose content starts at `from` (just past its `}`).
fn interp_end(bytes: &[u8], from: usize) -> usize {
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            b'}' => return i + 1,
            b'"' => i = string_end(bytes, i),
            b'`' => i = xpath_end(bytes, i),
            b'\n' | b'\r' => return i,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// The end of the XPath starting at `from` (just past its closing backtick), read as the
/// grammar reads it: up to the next backtick, over line breaks only inside a `( … )` or
/// `[ … ]` (whose quotes may hold brackets). One that does not close so runs to the end
/// of its first line.
fn xpath_end(bytes: &[u8], from: usize) -> usize {
    let unclosed = line_end(bytes, from);
    let mut depth = 0usize;
    let mut crossed_line = false;
    let mut i = from + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'`' if depth == 0 || !crossed_line => return i + 1,
            b'`' => return unclosed,
            b'\n' | b'\r' if depth == 0 => return unclosed,
            b'\n' | b'\r' => crossed_line = true,
            b'(' | b'[' => depth += 1,
            b')' | b']' => depth = depth.saturating_sub(1),
            quote @ (b'\'' | b'"') if depth > 0 => {
                let rest = &bytes[i + 1..];
                if let Some(p) = rest.iter().position(|&b| b == quote || b == b'`')
                    && rest[p] == quote
                {
                    crossed_line |= rest[..p].iter().any(|&b| b == b'\n' || b == b'\r');
                    i += 1 + p;
                }
            }
            _ => {}
        }
        i += 1;
    }
    unclosed
}

/// `line` up to its comment, if it has one.
#[must_use]
pub fn before_comment(line: &str) -> &str {
    tokens(line)
        .iter()
        .find(|t| t.kind == TokenKind::Comment)
        .map_or(line, |t| &line[..t.span.start])
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::{TokenKind, before_comment, tokens};

    fn texts(text: &str) -> Vec<(TokenKind, &str)> {
        tokens(text)
            .iter()
            .map(|t| (t.kind, t.text(text)))
            .collect()
    }

    /// The tokens that are not spaces or line breaks.
    fn solid(text: &str) -> Vec<(TokenKind, &str)> {
        texts(text)
            .into_iter()
            .filter(|(k, _)| !k.is_trivia())
            .collect()
    }

    /// The stream covers `text` exactly: back to back, none empty.
    fn assert_lossless(name: &str, text: &str) {
        let all = tokens(text);
        let mut cursor = 0;
        for token in &all {
            assert_eq!(
                token.span.start, cursor,
                "{name}: a gap or overlap at {cursor}"
            );
            assert!(
                token.span.end > token.span.start,
                "{name}: an empty token at {cursor}"
            );
            cursor = token.span.end;
        }
        assert_eq!(cursor, text.len(), "{name}: the tokens stop short");
        let joined: String = all.iter().map(|t| t.text(text)).collect();
        assert_eq!(joined, text, "{name}: the tokens do not give the text back");
    }

    #[test]
    fn tricky_inputs_cut_as_expected() {
        use TokenKind::{
            Brace, Comment, Newline, Number, Operator, Punct, String, Whitespace, Word, XPath,
        };
        let table: Vec<(&str, Vec<(TokenKind, &str)>)> = vec![
            (
                "log \"a # b\" # c",
                vec![
                    (Word, "log"),
                    (Whitespace, " "),
                    (String, "\"a # b\""),
                    (Whitespace, " "),
                    (Comment, "# c"),
                ],
            ),
            (
                "if `a[b = '#']` {",
                vec![
                    (Word, "if"),
                    (Whitespace, " "),
                    (XPath, "`a[b = '#']`"),
                    (Whitespace, " "),
                    (Brace, "{"),
                ],
            ),
            (
                "fetch \"${env(\"A}\")}/x\" to",
                vec![
                    (Word, "fetch"),
                    (Whitespace, " "),
                    (String, "\"${env(\"A}\")}/x\""),
                    (Whitespace, " "),
                    (Word, "to"),
                ],
            ),
            (
                "x = `a[b\n  and c = ')']` # n\n",
                vec![
                    (Word, "x"),
                    (Whitespace, " "),
                    (Operator, "="),
                    (Whitespace, " "),
                    (XPath, "`a[b\n  and c = ')']`"),
                    (Whitespace, " "),
                    (Comment, "# n"),
                    (Newline, "\n"),
                ],
            ),
            (
                "if `a\nand b` {",
                vec![
                    (Word, "if"),
                    (Whitespace, " "),
                    (XPath, "`a"),
                    (Newline, "\n"),
                    (Word, "and"),
                    (Whitespace, " "),
                    (Word, "b"),
                    (XPath, "` {"),
                ],
            ),
            (
                "log `a[b # x\nlog `c`",
                vec![
                    (Word, "log"),
                    (Whitespace, " "),
                    (XPath, "`a[b # x"),
                    (Newline, "\n"),
                    (Word, "log"),
                    (Whitespace, " "),
                    (XPath, "`c`"),
                ],
            ),
            (
                "a\r\n\r\n\tb # c \r\n",
                vec![
                    (Word, "a"),
                    (Newline, "\r\n"),
                    (Newline, "\r\n"),
                    (Whitespace, "\t"),
                    (Word, "b"),
                    (Whitespace, " "),
                    (Comment, "# c "),
                    (Newline, "\r\n"),
                ],
            ),
            (
                "log \"never closed # x\nnext `open\nretries 2",
                vec![
                    (Word, "log"),
                    (Whitespace, " "),
                    (String, "\"never closed # x"),
                    (Newline, "\n"),
                    (Word, "next"),
                    (Whitespace, " "),
                    (XPath, "`open"),
                    (Newline, "\n"),
                    (Word, "retries"),
                    (Whitespace, " "),
                    (Number, "2"),
                ],
            ),
            (
                "keep -1 30s 1.5 a-b, é\r",
                vec![
                    (Word, "keep"),
                    (Whitespace, " "),
                    (Number, "-1"),
                    (Whitespace, " "),
                    (Number, "30s"),
                    (Whitespace, " "),
                    (Number, "1.5"),
                    (Whitespace, " "),
                    (Word, "a-b"),
                    (Punct, ","),
                    (Whitespace, " "),
                    (Punct, "é"),
                    (Newline, "\r"),
                ],
            ),
        ];
        for (text, expected) in table {
            assert_eq!(texts(text), expected, "{text:?}");
            assert_lossless(text, text);
        }
    }

    #[test]
    fn blank_lines_are_tokens() {
        let got = texts("a\n\n  \nb");
        let newlines = got.iter().filter(|(k, _)| *k == TokenKind::Newline).count();
        assert_eq!(newlines, 3);
        assert_eq!(got[2], (TokenKind::Newline, "\n"));
        assert_eq!(got[3], (TokenKind::Whitespace, "  "));
    }

    #[test]
    fn operators_and_calls_split() {
        let got = solid("if a.b>=2 {\n} else if env(\"X\")!=\"\" {");
        let words: Vec<&str> = got.iter().map(|(_, s)| *s).collect();
        assert_eq!(
            words,
            [
                "if", "a.b", ">=", "2", "{", "}", "else", "if", "env", "(", "\"X\"", ")", "!=",
                "\"\"", "{"
            ]
        );
    }

    #[test]
    fn a_comment_starts_outside_strings_and_xpaths_only() {
        assert_eq!(before_comment("} elif \"#\" { # x"), "} elif \"#\" { ");
        assert_eq!(before_comment("if `a[@b='#']` {"), "if `a[@b='#']` {");
        assert_eq!(before_comment("log \"${\"#\"}\""), "log \"${\"#\"}\"");
    }

    #[test]
    fn text_that_is_no_script_still_round_trips() {
        let samples = [
            "",
            "\"",
            "`",
            "\"\\",
            "\"${",
            "\"${\"`",
            "#",
            "\r",
            "\u{feff}x\u{a0}y\u{2028}",
            "} else { or continue }}}",
            "\"a\\\nb\" `c\r\nd` \"${`e\nf`}\"",
        ];
        for text in samples {
            assert_lossless(&format!("{text:?}"), text);
        }
    }

    fn scripts(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                scripts(&path, out);
            } else if path.extension().is_some_and(|e| e == "zynk" || e == "md") {
                out.push(path);
            }
        }
    }

    /// The ```zynk blocks of a Markdown file, or the whole of a script.
    fn script_texts(path: &Path, text: &str) -> Vec<String> {
        if path.extension().is_some_and(|e| e == "zynk") {
            return vec![text.to_string()];
        }
        let mut out = Vec::new();
        let mut block: Option<String> = None;
        for line in text.split_inclusive('\n') {
            let fence = line.trim_start().starts_with("```");
            match block.take() {
                None if line.trim_start().starts_with("```zynk") => block = Some(String::new()),
                None => {}
                Some(done) if fence => out.push(done),
                Some(mut open) => {
                    open.push_str(line);
                    block = Some(open);
                }
            }
        }
        out
    }

    #[test]
    fn every_script_in_the_repository_round_trips() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        for dir in ["examples", "scripts", "tests", "docs"] {
            scripts(&root.join(dir), &mut files);
        }
        files.push(root.join("README.md"));
        let mut checked = 0;
        for path in files {
            let Ok(bytes) = std::fs::read(&path) else {
                continue;
            };
            let text = String::from_utf8_lossy(&bytes);
            for script in script_texts(&path, &text) {
                assert_lossless(&path.display().to_string(), &script);
                checked += 1;
            }
        }
        assert!(checked > 200, "only {checked} scripts found");
    }
}
