//! The statement reference in Markdown, generated from the task registry.
use std::fmt::Write;

use crate::tasks::{self, Param};

/// The reference section of `docs/language.md` (a test keeps the two in step).
#[must_use]
pub fn statements_markdown() -> String {
    let mut out = String::new();
    for task in tasks::ALL {
        let name = task.name();
        let _ = writeln!(out, "### `{name}`\n\n{}.\n", task.summary());
        let usage: Vec<String> = task
            .params()
            .iter()
            .filter(|p| p.required)
            .map(Param::usage)
            .collect();
        let block = if task.takes_block() { " { … }" } else { "" };
        let _ = writeln!(out, "```\n{name} {}{block}\n```\n", usage.join(" "));
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
        let _ = writeln!(out, "\nExample:\n\n```\n{}\n```\n", task.example());
    }
    out
}
