//! Parsing: script text to `Ast`, with every syntax error collected.
pub mod ast;
pub mod condition;
pub mod error;
pub mod field_words;
pub mod habits;
pub mod map_block;
mod parser;

pub use ast::Ast;
pub use error::SyntaxError;
pub use parser::{MAX_DURATION, MAX_NESTING, MAX_NUMBER, parse_duration};

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
