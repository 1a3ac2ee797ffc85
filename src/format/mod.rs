//! `zynk fmt`: one canonical layout for scripts, from the syntax tree and the registry.
//!
//! Statements are indented four spaces a level, tokens are separated by one space, a
//! statement's options follow the order of the statement reference, and a statement
//! longer than [`MAX_WIDTH`] puts each option on an indented line of its own. Comments
//! and single blank lines between groups are kept. The result is parsed again and
//! compared with the original before it is returned, so formatting never loses a token.
mod error;
pub(crate) mod options;
mod printer;

pub use error::FormatError;
pub use printer::MAX_WIDTH;

use crate::source::SourceFile;
use crate::syntax::ast::{Arg, Expr, FieldCondition, Item};
use crate::syntax::{Token, TokenKind};

/// The script in the canonical layout.
///
/// # Errors
/// The script's syntax errors, or [`FormatError::Unsafe`] when the formatted text would
/// not read back as the same script.
pub fn format(text: &str) -> Result<String, FormatError> {
    let source = SourceFile::from_text("script", text);
    let parsed = crate::syntax::parse_with_tokens(&source, crate::tasks::Registry::standard());
    let ast = parsed.ast.map_err(FormatError::Syntax)?;
    let mut printer = printer::Printer::new(text, &parsed.tokens);
    printer.items(&ast.items, 0, 0, text.len());
    let formatted = printer.finish();
    let again = crate::syntax::parse_with_tokens(
        &SourceFile::from_text("script", &formatted),
        crate::tasks::Registry::standard(),
    );
    let again_ast = again.ast.map_err(|_| FormatError::Unsafe)?;
    let same = multiset(text, &parsed.tokens) == multiset(&formatted, &again.tokens)
        && fingerprint(&ast.items, text) == fingerprint(&again_ast.items, &formatted);
    if same {
        Ok(formatted)
    } else {
        Err(FormatError::Unsafe)
    }
}

/// The text of every token of `text` but spaces and line breaks (a comment without its
/// trailing spaces), sorted: two scripts with the same multiset hold the same tokens,
/// whatever their order and layout.
fn multiset<'t>(text: &'t str, tokens: &[Token]) -> Vec<&'t str> {
    let mut all: Vec<&str> = tokens
        .iter()
        .filter(|t| !t.kind.is_trivia())
        .map(|t| {
            let s = t.text(text);
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

/// [`multiset`] of a piece of text.
pub(crate) fn token_multiset(text: &str) -> Vec<&str> {
    multiset(text, &crate::syntax::lex(text))
}

/// What a script says, independent of layout and option order: each item's kind and
/// nesting, and each statement's arguments as a sorted list of their tokens.
fn fingerprint(items: &[Item], text: &str) -> String {
    let mut out = String::new();
    for item in items {
        match item {
            Item::Workflow(w) => out.push_str(&format!("W({})", expr(&w.name, text))),
            Item::Param(b) => {
                out.push_str(&format!("P({}={})", b.name.value, expr(&b.value, text)))
            }
            Item::Let(b) => out.push_str(&format!("L({}={})", b.name.value, expr(&b.value, text))),
            Item::Field(f) => {
                let condition = match &f.condition {
                    None => String::new(),
                    Some(FieldCondition::NotEmpty(_)) => "not empty".into(),
                    Some(FieldCondition::When(e)) => expr(e, text),
                };
                let default = f
                    .default
                    .as_ref()
                    .map(|d| expr(d, text))
                    .unwrap_or_default();
                out.push_str(&format!(
                    "F({}={};{condition};{default})",
                    tokens_of(&text[f.target.span.start..f.target.span.end]),
                    expr(&f.value, text)
                ));
            }
            Item::Statement(s) => {
                let head: Vec<String> = s
                    .args
                    .iter()
                    .take_while(|a| matches!(a, Arg::Word(_)))
                    .map(|a| arg(a, text))
                    .collect();
                let mut rest: Vec<String> = s.args.iter().map(|a| arg(a, text)).collect();
                rest.sort();
                out.push_str(&format!("S({};{})", head.join(" "), rest.join(" ")));
                if let Some(block) = &s.block {
                    out.push_str(&format!("{{{}}}", fingerprint(&block.items, text)));
                }
                if let Some(otherwise) = &s.otherwise {
                    out.push_str(&format!("else{{{}}}", fingerprint(&otherwise.items, text)));
                }
                if s.continue_on_failure.is_some() {
                    out.push_str("or continue");
                }
            }
        }
        out.push(';');
    }
    out
}

fn arg(arg: &Arg, text: &str) -> String {
    match arg {
        Arg::Word(w) => w.value.clone(),
        Arg::Value(v) => expr(v, text),
    }
}

fn expr(value: &Expr, text: &str) -> String {
    tokens_of(&text[value.span().start..value.span().end])
}

fn tokens_of(text: &str) -> String {
    crate::syntax::lex(text)
        .iter()
        .filter(|t| !t.kind.is_trivia())
        .map(|t| t.text(text))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether the script is already in the canonical layout.
///
/// # Errors
/// As [`format`].
pub fn is_formatted(text: &str) -> Result<bool, FormatError> {
    Ok(format(text)? == text)
}
