//! Parsing: script text to `Ast`, with every syntax error collected, and the lossless
//! token stream of the script that the formatter and the language server read.
pub mod ast;
pub(crate) mod condition;
pub(crate) mod error;
pub(crate) mod field_words;
pub(crate) mod habits;
pub mod map_block;
mod parser;
pub mod tokens;

pub use ast::Ast;
pub use error::SyntaxError;
pub use parser::{MAX_DURATION, MAX_NESTING, MAX_NUMBER, parse_duration};
pub use tokens::{Token, TokenKind};

use crate::source::SourceFile;

/// What the parser knows of the statements: which words start one, so that an indented line
/// of options can continue the statement above it. The checker's registry
/// ([`crate::tasks::Registry`]) answers it.
pub trait Statements {
    fn is_statement_head(&self, word: &str) -> bool;

    /// Whether words separated by single spaces name a statement or an option of one
    /// (`published only`), to explain them written with hyphens.
    fn is_phrase(&self, _words: &str) -> bool {
        false
    }
}

/// Parses a script whose statements are `statements`.
pub fn parse(source: &SourceFile, statements: &dyn Statements) -> Result<Ast, Vec<SyntaxError>> {
    let mut ast = Ast::default();
    let errors = parse_each(source, statements, &mut |item| ast.items.push(item));
    if errors.is_empty() {
        Ok(ast)
    } else {
        Err(errors)
    }
}

/// A script read whole: its tokens, and its tree or its syntax errors.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// Every byte of the script in one token, comments and line breaks included.
    pub tokens: Vec<Token>,
    pub ast: Result<Ast, Vec<SyntaxError>>,
}

/// Parses a script whose statements are `statements`, and gives its tokens with the tree.
#[must_use]
pub fn parse_with_tokens(source: &SourceFile, statements: &dyn Statements) -> Parsed {
    Parsed {
        tokens: lex(&source.text),
        ast: parse(source, statements),
    }
}

/// The tokens of a script, whether or not it parses (see [`tokens::tokens`]).
#[must_use]
pub fn lex(text: &str) -> Vec<Token> {
    tokens::tokens(text)
}

/// Parses a script, handing each top-level line (with its block) to `each` as soon as it
/// is complete, so that the whole tree need not be held; returns the syntax errors.
pub fn parse_each(
    source: &SourceFile,
    statements: &dyn Statements,
    each: &mut dyn FnMut(ast::Item),
) -> Vec<SyntaxError> {
    let is_head = |word: &str| statements.is_statement_head(word);
    let is_phrase = |words: &str| statements.is_phrase(words);
    let mut builder = parser::Builder::new(&source.text, &is_head, &is_phrase);
    builder.parse_script(each);
    builder.errors
}
