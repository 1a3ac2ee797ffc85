//! Parsing: script text to `Ast`, with every syntax error collected.
pub mod ast;
pub mod error;
mod parser;

pub use ast::Ast;
pub use error::SyntaxError;
pub use parser::{MAX_DURATION, MAX_NESTING, MAX_NUMBER, parse_duration};

use crate::source::SourceFile;

/// Parses a script. Statement names come from the task registry so that an indented
/// line of options can continue the statement above it.
pub fn parse(source: &SourceFile) -> Result<Ast, Vec<SyntaxError>> {
    let is_head = |word: &str| crate::tasks::is_statement_head(word);
    let mut builder = parser::Builder::new(&source.text, &is_head);
    let ast = builder.parse_script();
    if builder.errors.is_empty() {
        Ok(ast)
    } else {
        Err(builder.errors)
    }
}
