//! The statement reference and the run-time codes in Markdown, generated from the task
//! registry and the code registry.
use std::fmt::Write;

use crate::runtime::codes::{CodeResult, RunCode};
use crate::tasks::{self, Param};

/// The reference section of `docs/language.md` (a test keeps the two in step).
#[must_use]
pub fn statements_markdown() -> String {
    let mut out = String::new();
    for task in tasks::Registry::standard().tasks() {
        let name = task.name();
        let _ = writeln!(out, "### `{name}`\n\n{}.\n", task.summary());
        let usage: Vec<String> = task
            .params()
            .iter()
            .filter(|p| p.required)
            .map(Param::usage)
            .collect();
        let block = match (task.takes_block(), task.takes_condition()) {
            (true, true) => " CONDITION { … } [else { … }]",
            (true, false) => " { … }",
            _ => "",
        };
        let line = format!("{name} {}", usage.join(" "));
        let _ = writeln!(out, "```\n{}{block}\n```\n", line.trim_end());
        if task.params().is_empty() {
            let _ = writeln!(out, "It takes no options.");
            let _ = writeln!(out, "\nExample:\n\n```\n{}\n```\n", task.example());
            continue;
        }
        let _ = writeln!(out, "| argument | required | meaning |\n|---|---|---|");
        for param in task.params() {
            let required = if param.required { "yes" } else { "no" };
            let repeat = if param.repeat { " (repeatable)" } else { "" };
            let _ = writeln!(
                out,
                "| `{}` | {required} | {}{repeat} |",
                param.usage().replace('|', "\\|"),
                param.doc.replace('|', "\\|")
            );
        }
        if !task.results().is_empty() {
            let fields: Vec<String> = task
                .results()
                .iter()
                .map(|(name, doc)| format!("`{name}` ({doc})"))
                .collect();
            let _ = writeln!(out, "\nResults, after `as NAME`: {}.", fields.join(", "));
        }
        let _ = writeln!(out, "\nExample:\n\n```\n{}\n```\n", task.example());
    }
    out
}

/// The `zynk::run::*` table of `docs/diagnostics.md` (a test keeps the two in step): each code,
/// when it fires and the result the failed statement gets (`—` when the run does not start).
#[must_use]
pub fn run_codes_markdown() -> String {
    let mut out = String::from("| code | fires when | result |\n|---|---|---|\n");
    for code in RunCode::ALL
        .iter()
        .filter(|c| c.code().starts_with("zynk::run::"))
    {
        let result = code.result().map_or("—", CodeResult::as_str);
        let _ = writeln!(out, "| `{code}` | {} | {result} |", code.meaning());
    }
    out
}
