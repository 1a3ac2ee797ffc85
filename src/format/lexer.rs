//! The tokens of a script as written, comments included, for the formatter's checks.
//!
//! The grammar drops comments, so the formatter finds them here, and compares the tokens
//! of a script before and after formatting to prove that none was lost.
use crate::source::Span;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// `# …` to the end of the line.
    Comment,
    /// A string, with its `${…}` parts.
    String,
    /// An XPath between backticks (it may span lines).
    XPath,
    /// Anything else: a word, a number, an operator, a brace.
    Other,
}

/// One token of a script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub span: Span,
}

/// Splits `text` into tokens; whitespace and line breaks separate them. Text the lexer
/// cannot read as a string or XPath (an unclosed quote) runs to the end of its line.
#[must_use]
pub fn tokens(text: &str) -> Vec<Token> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        let kind = match bytes[i] {
            b' ' | b'\t' | b'\r' | b'\n' => {
                i += 1;
                continue;
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
                TokenKind::Other
            }
            b'=' | b'<' | b'>' | b'!' => {
                i += 1;
                while i < bytes.len() && matches!(bytes[i], b'=' | b'<' | b'>' | b'!') {
                    i += 1;
                }
                TokenKind::Other
            }
            _ => {
                i += text[i..].chars().next().map_or(1, char::len_utf8);
                TokenKind::Other
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

/// The end of the XPath starting at `from` (just past its closing backtick); an XPath
/// never holds a backtick, so it ends at the next one.
fn xpath_end(bytes: &[u8], from: usize) -> usize {
    match bytes[from + 1..].iter().position(|&b| b == b'`') {
        Some(p) => from + 1 + p + 1,
        None => line_end(bytes, from),
    }
}

/// The text of every token, sorted: two scripts with the same multiset hold the same
/// tokens, whatever their order and layout.
#[must_use]
pub fn token_multiset(text: &str) -> Vec<&str> {
    let mut all: Vec<&str> = tokens(text)
        .iter()
        .map(|t| {
            let s = &text[t.span.start..t.span.end];
            if t.kind == TokenKind::Comment {
                s.trim_end()
            } else {
                s
            }
        })
        .collect();
    all.sort_unstable();
    all
}

#[cfg(test)]
mod tests {
    use super::{TokenKind, tokens};

    fn texts(text: &str) -> Vec<(TokenKind, &str)> {
        tokens(text)
            .iter()
            .map(|t| (t.kind, &text[t.span.start..t.span.end]))
            .collect()
    }

    #[test]
    fn strings_xpaths_and_comments_are_single_tokens() {
        let text = "fetch \"${env(\"A\")}/x # y\" by `a[b = '#']\n  and c` # note\n";
        let got = texts(text);
        assert_eq!(
            got,
            vec![
                (TokenKind::Other, "fetch"),
                (TokenKind::String, "\"${env(\"A\")}/x # y\""),
                (TokenKind::Other, "by"),
                (TokenKind::XPath, "`a[b = '#']\n  and c`"),
                (TokenKind::Comment, "# note"),
            ]
        );
    }

    #[test]
    fn operators_and_calls_split() {
        let got = texts("if a.b>=2 {\n} else if env(\"X\")!=\"\" {");
        let words: Vec<&str> = got.iter().map(|(_, s)| *s).collect();
        assert_eq!(
            words,
            [
                "if", "a.b", ">=", "2", "{", "}", "else", "if", "env", "(", "\"X\"", ")", "!=",
                "\"\"", "{"
            ]
        );
    }
}
