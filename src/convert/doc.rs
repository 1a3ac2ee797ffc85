//! The mapping table of `docs/convert.md`, generated from `table::TABLE` (a test keeps the
//! two in step).
use std::fmt::Write;

use super::table::{self, As, DISABLED, Emit, Rule, Shape};

/// The generated part of `docs/convert.md`.
#[must_use]
pub fn markdown() -> String {
    let mut out = String::new();
    let _ = writeln!(out, "### Tasks that become statements\n");
    for row in table::TABLE {
        let when = row
            .when
            .map(|(s, v)| format!(" ({s} {})", v.join(", ")))
            .unwrap_or_default();
        let becomes = match row.shape {
            Shape::Flatten => "its tasks, in its place; its name becomes a comment".to_string(),
            Shape::FileLoop => format!(
                "`{} file in … {{ … }}` with its tasks in the block",
                row.statement
            ),
            Shape::Plain => format!("`{}`", row.statement),
            Shape::RecordLoop => format!(
                "`{} record in FILE by xpath `…` {{ … }}` with its tasks in the block",
                row.statement
            ),
            Shape::IfFile => "`if exists FILE …` with its tasks in the block".to_string(),
        };
        let _ = writeln!(out, "#### `{}`{when} → {becomes}\n", row.task);
        if row.rules.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "| Zynk setting | zynk | left out when |\n|---|---|---|"
        );
        for rule in row.rules {
            let _ = writeln!(
                out,
                "| `{}` | {} | {} |",
                rule.setting.replace('|', "` + `"),
                written(rule).replace('|', "\\|"),
                left_out(rule).replace('|', "\\|"),
            );
        }
        out.push('\n');
    }
    let _ = writeln!(out, "### Tasks kept as comments\n");
    let _ = writeln!(out, "| Zynk task | why |\n|---|---|");
    for (task, why) in table::UNCONVERTED {
        let _ = writeln!(out, "| `{task}` | {} |", why.replace('|', "\\|"));
    }
    for (prefix, why) in table::FAMILIES {
        let _ = writeln!(out, "| `{prefix}*` | {} |", why.replace('|', "\\|"));
    }
    let _ = writeln!(out, "| any other | {} |", table::why_not(""));
    out
}

fn written(rule: &Rule) -> String {
    let value = |a: As| match a {
        As::Text => "VALUE",
        As::Body => "VALUE (a file or text)",
        As::Count => "NUMBER",
        As::XPath => "`XPATH`",
        As::Message => "\"TEXT\"",
    };
    let text = match rule.emit {
        Emit::Arg(a) => format!("`{}` (first)", value(a)),
        Emit::Opt(k, a) => format!("`{k} {}`", value(a)),
        Emit::Flag(k) => format!("`{k}` when true"),
        Emit::Bool(k) => format!("`{k} true|false`"),
        Emit::Choice(k, words) => {
            let pairs: Vec<String> = words.iter().map(|(z, w)| format!("{z} → `{w}`")).collect();
            if k.is_empty() {
                pairs.join(", ")
            } else {
                format!("`{k}`: {}", pairs.join(", "))
            }
        }
        Emit::Millis(k) => format!("`{k} DURATION` (milliseconds → seconds)"),
        Emit::Pairs(k) => format!("`{k} \"NAME\" VALUE` for each"),
        Emit::Auth => "`auth USER PASSWORD` (with `Password`)".into(),
        Emit::Keep => "`keep N days|archives` (NumberOfDays, NumberOfArchives/NumberOfJobs)".into(),
        Emit::MatchFields => "`match_fields \"a, b\"`".into(),
        Emit::ExportMode => "`all` (ExportAll true), `new`, `modified` (ExportType)".into(),
        Emit::Condition => match rule.setting {
            "InputFile" => "the FILE of `exists FILE`".into(),
            "MinimumLength" => "`and size of FILE >= N` when above 0".into(),
            _ => "`not exists FILE` when false (`or size of FILE < N`)".into(),
        },
        Emit::Used if rule.setting == "Method" => "chooses the statement".into(),
        Emit::Used => "read with the setting above".into(),
        Emit::None => "— (a comment, and in the report, when set)".into(),
    };
    if rule.fallback {
        format!("{text}, when the grouped setting is absent")
    } else {
        text
    }
}

fn left_out(rule: &Rule) -> String {
    match (rule.emit, rule.default) {
        (Emit::Used | Emit::Condition, _) => "—".into(),
        (Emit::Keep, _) => "Enabled false or Type NotEnabled".into(),
        (_, "") => "empty".into(),
        (_, d) if d == DISABLED => "switched off (Enabled false)".into(),
        (_, d) => d
            .split('|')
            .map(|d| format!("`{d}`"))
            .collect::<Vec<_>>()
            .join(" or "),
    }
}
