//! Hover text: what a statement, an option, a variable or a file field is, from the
//! statement registry.
use std::fmt::Write;

use super::context::{self, DeclarationKind, Script};
use crate::check::FileField;
use crate::source::Span;
use crate::tasks::{Param, Task};

/// The Markdown to show over `offset`, and the span it is about.
#[must_use]
pub fn hover(text: &str, offset: usize) -> Option<(String, Span)> {
    let (span, word) = context::word_at(text, offset)?;
    let script = Script::new(text);
    let line = script.index().position(offset).line as usize;
    let statement = script.statement_at(line);
    let position = statement.tokens.iter().position(|(_, s)| *s == span);
    if let (Some(task), Some(at)) = (statement.task, position) {
        if at < statement.head_len() {
            return Some((statement_doc(task), span));
        }
        let words: Vec<&str> = statement.tokens[at..].iter().map(|(w, _)| *w).collect();
        if let Some(param) = option_at(task, &words) {
            return Some((param_doc(task, param), span));
        }
    }
    let declarations = script.declarations();
    let (base, field) = match word.split_once('.') {
        Some((base, field)) => (base, Some(field)),
        None => (word, None),
    };
    let declared = declarations.iter().rev().find(|d| d.name == base);
    match (declared.map(|d| &d.kind), field) {
        (Some(DeclarationKind::Results { statement, fields }), Some(f)) => {
            let (_, doc) = fields.iter().find(|(n, _)| *n == f)?;
            Some((
                format!("`{base}.{f}`: {doc} (a result of `{statement}`)"),
                span,
            ))
        }
        (Some(DeclarationKind::Loop) | None, Some(f)) => {
            let field = FileField::from_name(f)?;
            Some((format!("`{base}.{f}`: {}", field.doc()), span))
        }
        (Some(_), _) => declared.map(|d| (format!("```zynk\n{}\n```", d.line), span)),
        (None, None) => keyword_doc(word).map(|doc| (doc.to_string(), span)),
    }
}

/// The option whose keyword starts `words` (the longest that matches).
pub(super) fn option_at(task: &dyn Task, words: &[&str]) -> Option<&'static Param> {
    task.params()
        .iter()
        .filter(|p| {
            p.keyword.is_some_and(|k| {
                let parts: Vec<&str> = k.split(' ').collect();
                parts.len() <= words.len() && parts.iter().zip(words).all(|(a, b)| a == b)
            })
        })
        .max_by_key(|p| p.keyword.map_or(0, str::len))
}

/// A statement's summary, usage and example.
#[must_use]
pub fn statement_doc(task: &dyn Task) -> String {
    let usage: Vec<String> = task
        .params()
        .iter()
        .filter(|p| p.required)
        .map(Param::usage)
        .collect();
    let mut out = format!(
        "**{}**: {}.\n\n```zynk\n{} {}\n```\n",
        task.name(),
        task.summary(),
        task.name(),
        usage.join(" ")
    );
    let options: Vec<String> = task
        .params()
        .iter()
        .filter(|p| !p.required)
        .map(|p| format!("- `{}`: {}", p.usage(), p.doc))
        .collect();
    if !options.is_empty() {
        let _ = write!(out, "\nOptions:\n{}\n", options.join("\n"));
    }
    let _ = write!(out, "\nExample:\n```zynk\n{}\n```", task.example());
    out
}

/// An option's usage and doc.
#[must_use]
pub fn param_doc(task: &dyn Task, param: &Param) -> String {
    let mut notes = Vec::new();
    if param.required {
        notes.push("required");
    }
    if param.repeat {
        notes.push("repeatable");
    }
    let notes = if notes.is_empty() {
        String::new()
    } else {
        format!(" ({})", notes.join(", "))
    };
    format!(
        "`{}`: {}{notes}\n\nAn option of `{}`.",
        param.usage(),
        param.doc,
        task.name()
    )
}

fn keyword_doc(word: &str) -> Option<&'static str> {
    Some(match word {
        "workflow" => {
            "`workflow \"Name\"`: names the workflow; its working directory is `<data>/<name>/`."
        }
        "param" => {
            "`param name = value`: a value the command line can override with `--var name=value`."
        }
        "let" => "`let name = value`: a named value for the lines below.",
        _ => return None,
    })
}
