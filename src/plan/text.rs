//! A plan as text: one line per statement, its effects indented below it.
use std::fmt::Write as _;

use super::model::{Action, Effect, Plan, PlannedStatement};

/// The whole plan as `zynk plan` prints it.
#[must_use]
pub(crate) fn render_text(plan: &Plan) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "plan of workflow {:?}", plan.workflow);
    let _ = writeln!(out, "working folder: {}", plan.workdir);
    let _ = writeln!(
        out,
        "nothing was run: no file was changed and no request was sent\n"
    );
    for statement in &plan.statements {
        statement_text(&mut out, statement, 0);
    }
    if plan.statements.is_empty() {
        out.push_str("no statements\n");
    }
    out
}

fn statement_text(out: &mut String, statement: &PlannedStatement, indent: usize) {
    let pad = " ".repeat(indent);
    let head = format!("line {}", statement.line);
    let _ = writeln!(out, "{pad}{head:<8} {}", statement.statement);
    let inner = " ".repeat(indent + 9);
    for effect in &statement.effects {
        let _ = writeln!(out, "{inner}{}", effect_text(effect));
        if effect.action == Action::Archive {
            for file in effect.files.iter().flatten() {
                let _ = writeln!(out, "{inner}  - {file}");
            }
        }
    }
    for block in &statement.blocks {
        let mark = if block.conditional {
            " (conditional)"
        } else {
            ""
        };
        let _ = writeln!(out, "{inner}[{}]{mark}", block.label);
        for nested in &block.statements {
            statement_text(out, nested, indent + 11);
        }
        if block.statements.is_empty() {
            let _ = writeln!(out, "{inner}  nothing");
        }
    }
}

fn plural(n: u64, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// One effect in words.
#[must_use]
pub(super) fn effect_text(effect: &Effect) -> String {
    let path = effect.path.as_deref().unwrap_or_default();
    let mut line = match effect.action {
        Action::Request => {
            let mut text = format!(
                "{} {}",
                effect.method.as_deref().unwrap_or_default(),
                effect.url.as_deref().unwrap_or_default()
            );
            if let Some(body) = &effect.body {
                let _ = write!(text, " with {body}");
            }
            text
        }
        Action::Read => format!("read {path}"),
        Action::Write => format!("write {path}"),
        Action::Delete => format!("delete {path}"),
        Action::Move => format!("move {path} → {}", effect.to.as_deref().unwrap_or_default()),
        Action::CreateFolder => format!("create folder {path} if missing"),
        Action::List => format!(
            "list {path}: {}",
            plural(effect.files.as_ref().map_or(0, |f| f.len() as u64), "file")
        ),
        Action::Archive => format!(
            "zip {} into {path}, then remove them",
            plural(effect.files.as_ref().map_or(0, |f| f.len() as u64), "file")
        ),
        Action::Ledger => {
            let mut text = format!(
                "ledger {path}: {}",
                effect.detail.as_deref().unwrap_or_default()
            );
            if let Some(n) = effect.records {
                let _ = write!(text, ", {}", plural(n, "record"));
            }
            return text;
        }
        Action::Test => {
            let verdict = match effect.holds {
                Some(true) => "holds",
                Some(false) => "does not hold",
                None => "known only while running",
            };
            format!(
                "test {}: {verdict}",
                effect.condition.as_deref().unwrap_or_default()
            )
        }
        Action::Log => "log".to_string(),
        Action::Stop => "stop".to_string(),
        Action::Runs => String::new(),
    };
    if let Some(n) = effect.records {
        let _ = write!(line, ": {}", plural(n, "record"));
    }
    match (&effect.detail, effect.action) {
        (Some(detail), Action::Runs) => line.push_str(detail),
        (Some(detail), Action::Log | Action::Stop) => {
            let _ = write!(line, ": {detail}");
        }
        (Some(detail), _) => {
            let _ = write!(line, " ({detail})");
        }
        (None, Action::Test) if effect.depends_on.is_some() => {
            let _ = write!(
                line,
                " (depends on line {})",
                effect.depends_on.unwrap_or_default()
            );
        }
        (None, _) => {}
    }
    line
}
