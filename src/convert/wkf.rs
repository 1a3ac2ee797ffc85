//! Reading a Zynk workflow file (`.wkf`): its name, variables, settings and tasks at any depth.
use roxmltree::{Document, Node};

use super::error::ConvertError;
use super::value::{ZynkValue, child, child_text};

/// A workflow as its file holds it.
#[derive(Debug, Clone)]
pub(crate) struct Workflow {
    pub name: Option<String>,
    pub variables: Vec<Variable>,
    pub tasks: Vec<Task>,
    /// The workflow's own settings (`Schedule`, `UseMutex`, `WorkingDirectory`, …).
    pub settings: Vec<Setting>,
}

/// `<Variable Key="…" Encrypt="…">`.
#[derive(Debug, Clone)]
pub(crate) struct Variable {
    pub key: String,
    pub encrypted: bool,
    pub value: Option<ZynkValue>,
}

/// One `<Task>`.
#[derive(Debug, Clone)]
pub struct Task {
    /// The class without `Zynk.` and the assembly, e.g. `Internet.Http.HttpTask`.
    pub kind: String,
    pub name: String,
    pub enabled: bool,
    pub break_on_failure: bool,
    /// The task's own settings, without the ones every task has.
    pub settings: Vec<Setting>,
    /// Nested tasks (containers, repeaters, conditions).
    pub children: Vec<Task>,
    /// Where the task is: an XPath to its `<Task>` element, e.g. `/Workflow/Tasks/Task[8]`.
    pub xpath: String,
    /// The names of the tasks above it and its own, e.g. `Download › For each file`.
    pub trail: String,
    /// 1-based line of the `<Task>` element in the file.
    pub line: usize,
}

/// One setting element of a task or of the workflow.
#[derive(Debug, Clone)]
pub struct Setting {
    pub name: String,
    pub value: SettingValue,
}

/// What a setting element holds.
#[derive(Debug, Clone)]
pub enum SettingValue {
    /// A `ZynkObject`.
    Object(ZynkValue),
    /// Plain text: a number, a boolean, an enum name.
    Text(String),
    /// `xsi:nil="true"` or an empty element.
    Nil,
    /// A list of `<Variable Key="…">` (headers, form values, XSLT parameters).
    Pairs(Vec<(String, ZynkValue)>),
    /// Nested settings (`ExportSettings`, `HouseKeepingSettings`, `VatSettings`).
    Group(Vec<Setting>),
}

/// The settings every task has; they are read into `Task` fields or mean nothing to zynk.
pub(crate) const COMMON: &[&str] = &[
    "Name",
    "Id",
    "Enabled",
    "BreakOnFailure",
    "LastRan",
    "LastResult",
    "DebugLoggingEnabled",
    "CanResume",
    "ConnectionPointer",
    "Tasks",
];

/// Values that say "not set": they carry nothing a script needs.
const UNSET: &[&str] = &[
    "",
    "false",
    "0",
    "1753-01-01T00:00:00",
    "0001-01-01T00:00:00",
];

impl SettingValue {
    /// Whether the setting carries something beyond empty, false, zero or "never".
    #[must_use]
    pub fn is_set(&self) -> bool {
        match self {
            SettingValue::Object(v) => v.is_set(),
            SettingValue::Text(t) => !UNSET.iter().any(|u| t.eq_ignore_ascii_case(u)),
            SettingValue::Nil => false,
            SettingValue::Pairs(pairs) => !pairs.is_empty(),
            SettingValue::Group(settings) => settings.iter().any(|s| s.value.is_set()),
        }
    }

    /// The plain text, for `Text` settings.
    #[must_use]
    pub fn text(&self) -> Option<&str> {
        match self {
            SettingValue::Text(t) => Some(t),
            _ => None,
        }
    }

    /// Whether a group is switched off: an `Enabled` of false, or a `Type`/`Option` of
    /// `NotEnabled`, in it or in every group inside it.
    #[must_use]
    pub fn is_disabled_group(&self) -> bool {
        let SettingValue::Group(settings) = self else {
            return false;
        };
        let flag = |name: &str| {
            settings
                .iter()
                .find(|s| s.name == name)
                .and_then(|s| s.value.text())
        };
        if flag("Enabled").is_some_and(|t| t.eq_ignore_ascii_case("false"))
            || ["Type", "Option"]
                .iter()
                .any(|n| flag(n).is_some_and(|t| t == "NotEnabled"))
        {
            return true;
        }
        let groups: Vec<&Setting> = settings
            .iter()
            .filter(|s| matches!(s.value, SettingValue::Group(_)))
            .collect();
        !groups.is_empty()
            && groups.len() == settings.len()
            && groups.iter().all(|g| g.value.is_disabled_group())
    }
}

impl Setting {
    /// The setting at a `/`-separated path inside this one (`ExportSettings/ExportType`).
    #[must_use]
    pub fn find<'s>(settings: &'s [Setting], path: &str) -> Option<&'s Setting> {
        let (first, rest) = match path.split_once('/') {
            Some((first, rest)) => (first, Some(rest)),
            None => (path, None),
        };
        let setting = settings.iter().find(|s| s.name == first)?;
        match (rest, &setting.value) {
            (None, _) => Some(setting),
            (Some(rest), SettingValue::Group(inner)) => Setting::find(inner, rest),
            (Some(_), _) => None,
        }
    }

    /// Every set leaf under this setting as `(path, value)`, for comment blocks.
    #[must_use]
    pub fn leaves(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        self.collect_leaves(&self.name, &mut out);
        out
    }

    fn collect_leaves(&self, path: &str, out: &mut Vec<(String, String)>) {
        match &self.value {
            SettingValue::Group(inner) => {
                for s in inner {
                    s.collect_leaves(&format!("{path}/{}", s.name), out);
                }
            }
            SettingValue::Pairs(pairs) => {
                for (key, value) in pairs {
                    out.push((format!("{path}[{key}]"), value.describe()));
                }
            }
            SettingValue::Object(v) if v.is_set() => out.push((path.to_string(), v.describe())),
            SettingValue::Text(t) if self.value.is_set() => out.push((path.to_string(), t.clone())),
            _ => {}
        }
    }
}

/// Parses a `.wkf` file. `name` is how the file is shown in diagnostics.
pub(crate) fn read(name: &str, text: &str) -> Result<Workflow, Box<ConvertError>> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = Document::parse_with_options(text, options)
        .map_err(|error| Box::new(ConvertError::malformed(name, text, &error)))?;
    let root = doc.root_element();
    if root.tag_name().name() != "Workflow" {
        return Err(Box::new(ConvertError::not_a_workflow(
            name,
            text,
            root.range().start,
            format!(
                "the root element is <{}>, not <Workflow>",
                root.tag_name().name()
            ),
        )));
    }
    let Some(tasks) = child(root, "Tasks") else {
        return Err(Box::new(ConvertError::not_a_workflow(
            name,
            text,
            root.range().start,
            "<Workflow> has no <Tasks>".to_string(),
        )));
    };
    let variables = child(root, "Variables")
        .map(|v| {
            v.children()
                .filter(|c| c.is_element() && c.tag_name().name() == "Variable")
                .map(|c| Variable {
                    key: c.attribute("Key").unwrap_or_default().to_string(),
                    encrypted: c
                        .attribute("Encrypt")
                        .or_else(|| c.attribute("Encrypted"))
                        .is_some_and(|e| e.eq_ignore_ascii_case("true")),
                    value: child(c, "ZynkObject").and_then(ZynkValue::read),
                })
                .collect()
        })
        .unwrap_or_default();
    let settings = root
        .children()
        .filter(|c| c.is_element())
        .filter(|c| !matches!(c.tag_name().name(), "Tasks" | "Variables" | "Name"))
        .map(read_setting)
        .collect();
    Ok(Workflow {
        name: child_text(root, "Name").filter(|n| !n.is_empty()),
        variables,
        tasks: read_tasks(tasks, "/Workflow/Tasks", "", text),
        settings,
    })
}

fn read_tasks(tasks: Node<'_, '_>, xpath: &str, trail: &str, text: &str) -> Vec<Task> {
    tasks
        .children()
        .filter(|c| c.is_element() && c.tag_name().name() == "Task")
        .enumerate()
        .filter_map(|(i, node)| read_task(node, &format!("{xpath}/Task[{}]", i + 1), trail, text))
        .collect()
}

fn read_task(node: Node<'_, '_>, xpath: &str, trail: &str, text: &str) -> Option<Task> {
    let body = node.children().find(Node::is_element)?;
    let kind = node.attribute("type").map_or_else(
        || body.tag_name().name().to_string(),
        |t| {
            let class = t.split(',').next().unwrap_or(t).trim();
            class.strip_prefix("Zynk.").unwrap_or(class).to_string()
        },
    );
    let name = child_text(body, "Name").unwrap_or_default();
    let flag = |n: &str| child_text(body, n).is_none_or(|t| !t.eq_ignore_ascii_case("false"));
    let trail = if trail.is_empty() {
        name.clone()
    } else {
        format!("{trail} › {name}")
    };
    let children = child(body, "Tasks").map_or_else(Vec::new, |t| {
        read_tasks(
            t,
            &format!("{xpath}/{}/Tasks", body.tag_name().name()),
            &trail,
            text,
        )
    });
    let settings = body
        .children()
        .filter(|c| c.is_element() && !COMMON.contains(&c.tag_name().name()))
        .map(read_setting)
        .collect();
    let start = node.range().start.min(text.len());
    Some(Task {
        kind,
        enabled: flag("Enabled"),
        break_on_failure: flag("BreakOnFailure"),
        name,
        settings,
        children,
        xpath: xpath.to_string(),
        trail,
        line: text[..start].matches('\n').count() + 1,
    })
}

fn read_setting(node: Node<'_, '_>) -> Setting {
    let name = node.tag_name().name().to_string();
    let elements: Vec<Node<'_, '_>> = node.children().filter(Node::is_element).collect();
    let nil = node
        .attributes()
        .any(|a| a.name() == "nil" && a.value() == "true");
    let value = if let Some(v) = ZynkValue::read(node) {
        SettingValue::Object(v)
    } else if nil {
        SettingValue::Nil
    } else if elements.is_empty() {
        match node.text().map(str::trim) {
            None | Some("") => SettingValue::Nil,
            Some(t) => SettingValue::Text(t.to_string()),
        }
    } else if elements
        .iter()
        .all(|e| matches!(e.tag_name().name(), "Variable" | "VariableWithDescription"))
    {
        SettingValue::Pairs(
            elements
                .iter()
                .filter_map(|e| {
                    let key = e.attribute("Key")?.to_string();
                    let value = child(*e, "ZynkObject").and_then(ZynkValue::read)?;
                    Some((key, value))
                })
                .collect(),
        )
    } else {
        SettingValue::Group(elements.into_iter().map(read_setting).collect())
    };
    Setting { name, value }
}
