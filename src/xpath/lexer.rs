//! Splits XPath expression text into spanned tokens.

use std::ops::Range;

use super::error::XPathError;

/// One lexical token of an XPath expression.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum TokenKind {
    Slash,
    DoubleSlash,
    LBracket,
    RBracket,
    LParen,
    RParen,
    At,
    Comma,
    DoubleColon,
    Dot,
    DotDot,
    Pipe,
    Plus,
    Minus,
    Star,
    Eq,
    NotEq,
    Lt,
    LtEq,
    Gt,
    GtEq,
    Dollar,
    Literal(String),
    Number(f64),
    /// A (possibly prefixed) name: `Product`, `xsi:nil`.
    Name {
        prefix: Option<String>,
        local: String,
    },
    /// `prefix:*`.
    PrefixStar(String),
}

impl TokenKind {
    /// How the token is named in "unexpected …" messages.
    pub(crate) fn describe(&self) -> String {
        let symbol = match self {
            Self::Slash => "/",
            Self::DoubleSlash => "//",
            Self::LBracket => "[",
            Self::RBracket => "]",
            Self::LParen => "(",
            Self::RParen => ")",
            Self::At => "@",
            Self::Comma => ",",
            Self::DoubleColon => "::",
            Self::Dot => ".",
            Self::DotDot => "..",
            Self::Pipe => "|",
            Self::Plus => "+",
            Self::Minus => "-",
            Self::Star => "*",
            Self::Eq => "=",
            Self::NotEq => "!=",
            Self::Lt => "<",
            Self::LtEq => "<=",
            Self::Gt => ">",
            Self::GtEq => ">=",
            Self::Dollar => "$",
            Self::Literal(_) => return "string literal".to_owned(),
            Self::Number(_) => return "number".to_owned(),
            Self::Name { prefix, local } => {
                return match prefix {
                    Some(prefix) => format!("name `{prefix}:{local}`"),
                    None => format!("name `{local}`"),
                };
            }
            Self::PrefixStar(prefix) => return format!("`{prefix}:*`"),
        };
        format!("`{symbol}`")
    }
}

/// A token with its byte range in the expression text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    pub(crate) kind: TokenKind,
    pub(crate) span: Range<usize>,
}

/// XPath's whitespace: space, tab, carriage return, line feed.
pub(crate) fn is_xml_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

/// XML 1.0 (fifth edition) `NameStartChar`, without the colon.
fn is_name_start(c: char) -> bool {
    matches!(c,
        'A'..='Z' | '_' | 'a'..='z'
        | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{2FF}'
        | '\u{370}'..='\u{37D}' | '\u{37F}'..='\u{1FFF}' | '\u{200C}'..='\u{200D}'
        | '\u{2070}'..='\u{218F}' | '\u{2C00}'..='\u{2FEF}' | '\u{3001}'..='\u{D7FF}'
        | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}' | '\u{10000}'..='\u{EFFFF}')
}

/// XML 1.0 (fifth edition) `NameChar`, without the colon.
fn is_name_char(c: char) -> bool {
    is_name_start(c)
        || matches!(c,
            '-' | '.' | '0'..='9' | '\u{B7}' | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
}

/// Turns `text` into tokens, or reports the first character that cannot be lexed.
pub(crate) fn lex(text: &str) -> Result<Vec<Token>, XPathError> {
    Lexer { text, pos: 0 }.run()
}

struct Lexer<'t> {
    text: &'t str,
    pos: usize,
}

impl Lexer<'_> {
    fn peek(&self) -> Option<char> {
        self.text[self.pos..].chars().next()
    }

    fn peek_at(&self, skip: usize) -> Option<char> {
        self.text[self.pos..].chars().nth(skip)
    }

    fn run(mut self) -> Result<Vec<Token>, XPathError> {
        let mut tokens = Vec::new();
        while let Some(c) = self.peek() {
            if is_xml_space(c) {
                self.pos += c.len_utf8();
                continue;
            }
            let start = self.pos;
            let kind = self.token(c)?;
            tokens.push(Token {
                kind,
                span: start..self.pos,
            });
        }
        Ok(tokens)
    }

    fn symbol(&mut self, len: usize, kind: TokenKind) -> Result<TokenKind, XPathError> {
        self.pos += len;
        Ok(kind)
    }

    fn token(&mut self, c: char) -> Result<TokenKind, XPathError> {
        let next = self.peek_at(1);
        match c {
            '/' if next == Some('/') => self.symbol(2, TokenKind::DoubleSlash),
            '/' => self.symbol(1, TokenKind::Slash),
            '[' => self.symbol(1, TokenKind::LBracket),
            ']' => self.symbol(1, TokenKind::RBracket),
            '(' => self.symbol(1, TokenKind::LParen),
            ')' => self.symbol(1, TokenKind::RParen),
            '@' => self.symbol(1, TokenKind::At),
            ',' => self.symbol(1, TokenKind::Comma),
            ':' if next == Some(':') => self.symbol(2, TokenKind::DoubleColon),
            '.' if next == Some('.') => self.symbol(2, TokenKind::DotDot),
            '.' if next.is_some_and(|n| n.is_ascii_digit()) => Ok(self.number()),
            '.' => self.symbol(1, TokenKind::Dot),
            '|' => self.symbol(1, TokenKind::Pipe),
            '+' => self.symbol(1, TokenKind::Plus),
            '-' => self.symbol(1, TokenKind::Minus),
            '*' => self.symbol(1, TokenKind::Star),
            '=' => self.symbol(1, TokenKind::Eq),
            '!' if next == Some('=') => self.symbol(2, TokenKind::NotEq),
            '<' if next == Some('=') => self.symbol(2, TokenKind::LtEq),
            '<' => self.symbol(1, TokenKind::Lt),
            '>' if next == Some('=') => self.symbol(2, TokenKind::GtEq),
            '>' => self.symbol(1, TokenKind::Gt),
            '$' => self.symbol(1, TokenKind::Dollar),
            '"' | '\'' => self.literal(c),
            _ if c.is_ascii_digit() => Ok(self.number()),
            _ if is_name_start(c) => self.name(),
            _ => Err(self.unexpected(c)),
        }
    }

    fn unexpected(&self, c: char) -> XPathError {
        let next = self.peek_at(1);
        let help = match c {
            '!' => "XPath writes \"not equal\" as `!=` and negation as `not(…)`".to_owned(),
            '&' if next == Some('&') => "XPath writes logical and as `and`".to_owned(),
            '&' => "write `&` inside a string literal, e.g. 'Smith & Co', or use `and`".to_owned(),
            '%' => "XPath writes the remainder operator as `mod`".to_owned(),
            '`' => "quote text with '…' or \"…\"".to_owned(),
            '\u{2018}' | '\u{2019}' | '\u{201C}' | '\u{201D}' => {
                "this is a typographic quote; XPath literals use straight quotes, '…' or \"…\"".to_owned()
            }
            '#' | ';' | '{' | '}' | '?' | '\\' | '^' | '~' => {
                "this character can only appear inside a string literal such as '…'".to_owned()
            }
            _ => "XPath expressions use names, '…' literals, numbers, `/`, `@`, `[ ]`, `( )` and operators".to_owned(),
        };
        XPathError::UnexpectedCharacter {
            found: c,
            span: self.pos..self.pos + c.len_utf8(),
            help,
        }
    }

    fn literal(&mut self, quote: char) -> Result<TokenKind, XPathError> {
        let start = self.pos;
        let body_start = start + 1;
        match self.text[body_start..].find(quote) {
            Some(len) => {
                let value = self.text[body_start..body_start + len].to_owned();
                self.pos = body_start + len + 1;
                Ok(TokenKind::Literal(value))
            }
            None => Err(XPathError::UnterminatedLiteral {
                span: start..self.text.len(),
                help: format!(
                    "close the literal with a matching {quote}; XPath 1.0 has no escapes, so put text containing {quote} in the other kind of quotes"
                ),
            }),
        }
    }

    fn digits(&mut self) {
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
    }

    fn number(&mut self) -> TokenKind {
        let start = self.pos;
        self.digits();
        if self.peek() == Some('.') && self.peek_at(1) != Some('.') {
            self.pos += 1;
            self.digits();
        }
        let text = &self.text[start..self.pos];
        TokenKind::Number(super::value::parse_number(text))
    }

    fn ncname(&mut self) -> &str {
        let start = self.pos;
        while let Some(c) = self.peek() {
            if !is_name_char(c) {
                break;
            }
            self.pos += c.len_utf8();
        }
        &self.text[start..self.pos]
    }

    fn name(&mut self) -> Result<TokenKind, XPathError> {
        let first = self.ncname().to_owned();
        if self.peek() == Some(':') && self.peek_at(1) != Some(':') {
            match self.peek_at(1) {
                Some('*') => {
                    self.pos += 2;
                    return Ok(TokenKind::PrefixStar(first));
                }
                Some(c) if is_name_start(c) => {
                    self.pos += 1;
                    let local = self.ncname().to_owned();
                    return Ok(TokenKind::Name {
                        prefix: Some(first),
                        local,
                    });
                }
                _ => {
                    return Err(XPathError::UnexpectedCharacter {
                        found: ':',
                        span: self.pos..self.pos + 1,
                        help: "a prefixed name is written `prefix:name` with no spaces, and an axis `axis::name`".to_owned(),
                    });
                }
            }
        }
        Ok(TokenKind::Name {
            prefix: None,
            local: first,
        })
    }
}
