//! The conversion report: what was converted, and every task and setting left as a comment.
use std::fmt::Write;

use serde::Serialize;

use super::wkf::Task;

/// What `zynk convert` did with a workflow.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// The workflow's name (the stylesheet's, without its extension).
    pub workflow: String,
    /// Whether the file was an XSLT stylesheet: `tasks` then counts its instructions.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub stylesheet: bool,
    /// Every task, containers and nested tasks included.
    pub tasks: usize,
    /// Tasks written as statements (disabled ones as commented statements).
    pub converted: usize,
    /// Containers whose tasks were written in their place.
    pub flattened: usize,
    /// XSLT and Auto Mapper tasks whose stylesheet was translated into a `map` statement.
    #[serde(skip_serializing_if = "is_zero")]
    pub maps: usize,
    /// Tasks Zynk has switched off (`Enabled` false), by their names.
    pub disabled: Vec<String>,
    /// Every task and setting kept as a comment, in workflow order.
    pub not_converted: Vec<Unconverted>,
    /// Renames, environment variables to set, and other things worth knowing.
    pub notes: Vec<String>,
}

/// A task or setting with no zynk equivalent, kept as a comment in the script.
#[derive(Debug, Clone, Serialize)]
pub struct Unconverted {
    /// An XPath to the `<Task>` in the workflow file, e.g. `/Workflow/Tasks/Task[2]`.
    pub path: String,
    /// The names of the tasks above it and its own.
    pub trail: String,
    /// The line of the `<Task>` element in the workflow file.
    pub line: usize,
    /// The task's type, e.g. `Internet.Ftp.FtpRepeater`.
    pub task: String,
    /// The setting, when the task was converted but this setting was not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub setting: Option<String>,
    pub reason: String,
}

impl Unconverted {
    /// A whole task.
    #[must_use]
    pub fn task(task: &Task, reason: &str) -> Unconverted {
        Unconverted {
            path: task.xpath.clone(),
            trail: task.trail.clone(),
            line: task.line,
            task: task.kind.clone(),
            setting: None,
            reason: reason.to_string(),
        }
    }

    /// One setting of a converted task.
    #[must_use]
    pub fn setting(task: &Task, setting: &str, reason: &str) -> Unconverted {
        Unconverted {
            setting: Some(setting.to_string()),
            ..Unconverted::task(task, reason)
        }
    }
}

impl Report {
    /// Whether every task and setting has a zynk equivalent.
    #[must_use]
    pub fn complete(&self) -> bool {
        self.not_converted.is_empty()
    }

    /// The report for people.
    #[must_use]
    pub fn text(&self) -> String {
        if self.stylesheet {
            return self.stylesheet_text();
        }
        let mut out = String::new();
        let tasks_left = self
            .not_converted
            .iter()
            .filter(|u| u.setting.is_none())
            .count();
        let settings_left = self.not_converted.len() - tasks_left;
        let _ = writeln!(
            out,
            "converted \"{}\": {} of {} tasks as statements, {} container{} flattened, {} task{} and {} setting{} kept as comments",
            self.workflow,
            self.converted,
            self.tasks,
            self.flattened,
            plural(self.flattened),
            tasks_left,
            plural(tasks_left),
            settings_left,
            plural(settings_left),
        );
        if self.maps > 0 {
            let _ = writeln!(
                out,
                "{} stylesheet{} of XSLT and Auto Mapper tasks translated into `map` statements",
                self.maps,
                plural(self.maps)
            );
        }
        if !self.not_converted.is_empty() {
            let _ = writeln!(out, "not converted:");
            for u in &self.not_converted {
                let what = match &u.setting {
                    Some(s) => format!("{} \"{}\", setting {s}", u.task, u.trail),
                    None => format!("{} \"{}\"", u.task, u.trail),
                };
                let _ = writeln!(out, "  line {}: {what}: {}", u.line, u.reason);
                let _ = writeln!(out, "    at {}", u.path);
            }
        }
        if !self.disabled.is_empty() {
            let _ = writeln!(out, "disabled in Zynk (written as comments):");
            for d in &self.disabled {
                let _ = writeln!(out, "  {d}");
            }
        }
        if !self.notes.is_empty() {
            let _ = writeln!(out, "notes:");
            for n in &self.notes {
                let _ = writeln!(out, "  {n}");
            }
        }
        out
    }

    /// The report of a stylesheet for people.
    fn stylesheet_text(&self) -> String {
        let mut out = String::new();
        let left = self.not_converted.len();
        let _ = writeln!(
            out,
            "converted stylesheet \"{}\": {} of {} parts translated into a map, {} kept as comment{}",
            self.workflow,
            self.converted,
            self.tasks,
            left,
            plural(left),
        );
        if !self.not_converted.is_empty() {
            let _ = writeln!(out, "not converted:");
            for u in &self.not_converted {
                let _ = writeln!(out, "  line {}: {}: {}", u.line, u.path, u.reason);
            }
        }
        for n in &self.notes {
            let _ = writeln!(out, "note: {n}");
        }
        out
    }

    /// The report as one JSON object.
    #[must_use]
    pub fn json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
            + "\n"
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[allow(clippy::trivially_copy_pass_by_ref)]
fn is_zero(n: &usize) -> bool {
    *n == 0
}
