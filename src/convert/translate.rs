//! Turning a workflow's tasks into script lines by the mapping table, at any depth.
use super::razor::{self, Current};
use super::report::{Report, Unconverted};
use super::table::{self, As, DISABLED, Emit, Row, Rule, Shape};
use super::value::{ZynkObject, ZynkValue};
use super::wkf::{Setting, SettingValue, Task, Workflow};
use super::writer::{Line, Piece, Statement, Value};
use crate::tasks;

/// Zynk's system variables: read-only, filled in when the workflow runs.
const SYSTEM_VARIABLES: &[&str] = &[
    "Guid",
    "CurrentDate",
    "CurrentDateTime",
    "CurrentDay",
    "CurrentMonth",
    "CurrentYear",
    "CurrentDayName",
    "CurrentLongDate",
];

/// Settings whose values are secrets: named in comments, never copied.
const SECRETS: &[&str] = &["Password", "SmtpPassword", "Passphrase", "PrivateKeyFile"];

/// A workflow variable and the name the script gives it.
#[derive(Debug, Clone)]
pub(crate) struct Binding {
    pub key: String,
    pub name: String,
    /// The environment variable an encrypted variable is read from.
    pub env: Option<String>,
    /// Declared by the workflow (otherwise a global variable the tasks use).
    pub declared: bool,
}

/// Where a task sits: the loop around it, whether it runs at all, whether failures stop.
#[derive(Debug, Clone)]
struct Cx {
    current: Current,
    loops: usize,
    disabled: bool,
    or_continue: bool,
}

/// A task whose statement must not be written (the check rejected it), with the reason.
pub(crate) type Blocked = Vec<(String, String)>;

/// Walks a workflow and collects the script lines and the report.
pub(crate) struct Converter<'w> {
    pub workflow: &'w Workflow,
    pub bindings: Vec<Binding>,
    pub report: Report,
    previous: Option<Value>,
    blocked: &'w Blocked,
    /// The workflow's folder, where the stylesheets of its XSLT tasks are.
    pub folder: Option<std::path::PathBuf>,
    /// The folder of Zynk's Auto Mapper stylesheets (`--stylesheets`), when given.
    pub stylesheets: Option<std::path::PathBuf>,
}

/// Zynk's XSLT task, whose stylesheet a `map` can replace.
const XSLT_TASK: &str = "Documents.XML.XsltTransform";

/// Zynk's Auto Mapper task: a built-in stylesheet named by its `Mapping`.
const AUTO_MAPPER_TASK: &str = "Tasks.AutoMapperTask";

/// How deep below `--stylesheets` an Auto Mapper stylesheet is looked for.
const STYLESHEET_SEARCH_DEPTH: usize = 4;

/// A setting that could not be carried over.
struct Issue {
    setting: String,
    value: String,
    reason: String,
}

impl<'w> Converter<'w> {
    #[must_use]
    pub(crate) fn new(workflow: &'w Workflow, blocked: &'w Blocked) -> Converter<'w> {
        let mut converter = Converter {
            workflow,
            bindings: Vec::new(),
            report: Report::default(),
            previous: None,
            blocked,
            folder: None,
            stylesheets: None,
        };
        for variable in &workflow.variables {
            let name = converter.fresh_name(&variable.key);
            let env = variable.encrypted.then(|| env_name(&variable.key));
            converter.bindings.push(Binding {
                key: variable.key.clone(),
                name,
                env,
                declared: true,
            });
        }
        converter
    }

    /// The lines of every top-level task.
    pub(crate) fn tasks(&mut self) -> Vec<Line> {
        let cx = Cx {
            current: Current::None,
            loops: 0,
            disabled: false,
            or_continue: false,
        };
        let mut lines = Vec::new();
        for task in &self.workflow.tasks {
            lines.push(Line::Blank);
            lines.extend(self.task(task, &cx));
        }
        lines
    }

    fn children(&mut self, tasks: &[Task], cx: &Cx) -> Vec<Line> {
        tasks.iter().flat_map(|t| self.task(t, cx)).collect()
    }

    fn task(&mut self, task: &Task, cx: &Cx) -> Vec<Line> {
        self.report.tasks += 1;
        let disabled = cx.disabled || !task.enabled;
        let mut lines = Vec::new();
        if !task.enabled && !cx.disabled {
            self.report.disabled.push(task.trail.clone());
        }
        let rows: Vec<&'static Row> = table::rows_for(&task.kind).collect();
        if rows.first().is_some_and(|r| r.shape == Shape::Flatten) {
            self.report.flattened += 1;
            let mut title = format!("── {} ──", display_name(task));
            if !task.enabled && !cx.disabled {
                title.push_str(" (disabled in Zynk)");
            }
            lines.push(Line::Comment(title));
            let inner = Cx {
                disabled,
                or_continue: cx.or_continue || !task.break_on_failure,
                ..cx.clone()
            };
            if !task.break_on_failure && !task.children.is_empty() {
                self.report.notes.push(format!(
                    "\"{}\" goes on when it fails (BreakOnFailure false): its tasks each get `or continue`",
                    task.trail
                ));
            }
            lines.extend(self.children(&task.children, &inner));
            return lines;
        }
        let blocked = self
            .blocked
            .iter()
            .find(|(path, _)| *path == task.xpath)
            .map(|(_, why)| why.clone());
        let row = rows.iter().copied().find(|r| match r.when {
            None => true,
            Some((setting, values)) => Setting::find(&task.settings, setting)
                .and_then(|s| s.value.text())
                .is_some_and(|v| values.iter().any(|w| w.eq_ignore_ascii_case(v))),
        });
        let built = match (blocked, row) {
            (Some(why), _) => Err(why),
            (None, None) if rows.is_empty() => Err(table::why_not(&task.kind)),
            (None, None) => Err(format!(
                "its {} is not one zynk knows",
                rows[0].when.map_or("setting", |w| w.0)
            )),
            (None, Some(row)) => self.build(task, row, cx, disabled),
        };
        let built = match built {
            Err(_)
                if task.kind == XSLT_TASK
                    && !self.blocked.iter().any(|(p, _)| *p == task.xpath) =>
            {
                self.xslt_task(task, cx)
                    .map(|statement| (statement, Vec::new()))
            }
            Err(_)
                if task.kind == AUTO_MAPPER_TASK
                    && self.stylesheets.is_some()
                    && !self.blocked.iter().any(|(p, _)| *p == task.xpath) =>
            {
                self.auto_mapper_task(task, cx)
                    .map(|statement| (statement, Vec::new()))
            }
            other => other,
        };
        match built {
            Ok((statement, issues)) => {
                self.report.converted += 1;
                if !task.name.is_empty() {
                    let note = if !task.enabled && !cx.disabled {
                        " (disabled in Zynk: kept as a comment)"
                    } else {
                        ""
                    };
                    lines.push(Line::Comment(format!("{}{note}", task.name)));
                }
                for issue in issues {
                    lines.push(Line::Comment(format!(
                        "[setting not converted] {} = {}: {}",
                        issue.setting, issue.value, issue.reason
                    )));
                    self.report.not_converted.push(Unconverted::setting(
                        task,
                        &issue.setting,
                        &issue.reason,
                    ));
                }
                lines.push(if disabled {
                    Line::Disabled(statement)
                } else {
                    Line::Statement(statement)
                });
            }
            Err(reason) => {
                let reason = if disabled {
                    format!("disabled in Zynk; {reason}")
                } else {
                    reason
                };
                lines.push(Line::Comment(self.block(task, &reason, "")));
            }
        }
        self.previous = output_of(task).and_then(|s| self.value(s, As::Text, cx).ok());
        lines
    }

    /// An XSLT task whose stylesheet is beside the workflow: a `map` translated from it.
    fn xslt_task(&mut self, task: &Task, cx: &Cx) -> Result<Statement, String> {
        let why_not = table::why_not(&task.kind);
        let folder = self.folder.clone().ok_or_else(|| why_not.clone())?;
        let setting = |name: &str| {
            Setting::find(&task.settings, name)
                .ok_or_else(|| format!("{why_not} (it has no {name})"))
        };
        let file = self.value(setting("XsltFile")?, As::Text, cx)?;
        let file = fixed_text(file)
            .ok_or_else(|| format!("{why_not} (its XsltFile is not fixed text)"))?;
        let path = folder.join(file.replace('\\', "/"));
        let text = std::fs::read(&path)
            .map(|b| {
                String::from_utf8_lossy(&b)
                    .trim_start_matches('\u{feff}')
                    .to_string()
            })
            .map_err(|e| {
                format!("{why_not} (its stylesheet {file} cannot be read beside the workflow: {e})")
            })?;
        let params = self.stylesheet_params(task, "Parameters", cx)?;
        self.stylesheet_map(task, cx, &file, &path, &text, params, "XsltFile")
    }

    /// An Auto Mapper task whose stylesheet is in the `--stylesheets` folder: Zynk names it
    /// `From {InputFormat} {InputType} To {OutputFormat} {OutputType}.xslt`, in a folder
    /// named by the task's id or not; found at any depth below the folder.
    fn auto_mapper_task(&mut self, task: &Task, cx: &Cx) -> Result<Statement, String> {
        let why_not = table::why_not(&task.kind);
        let root = self.stylesheets.clone().ok_or_else(|| why_not.clone())?;
        let text_of = |path: &str| {
            Setting::find(&task.settings, path)
                .and_then(|s| s.value.text())
                .map(str::to_string)
        };
        let part = |name: &str| {
            text_of(&format!("Mapping/{name}"))
                .ok_or_else(|| format!("{why_not} (its Mapping has no {name})"))
        };
        let file = format!(
            "From {} {} To {} {}.xslt",
            part("InputFormat")?,
            part("InputType")?,
            part("OutputFormat")?,
            part("OutputType")?
        );
        let mut candidates = Vec::new();
        if let Some(id) = text_of("Mapping/TaskId").or_else(|| text_of("Id")) {
            candidates.push(root.join(id).join(&file));
        }
        candidates.push(root.join(&file));
        let path = candidates
            .into_iter()
            .find(|p| p.is_file())
            .or_else(|| find_file(&root, &file, STYLESHEET_SEARCH_DEPTH))
            .ok_or_else(|| {
                format!(
                    "{why_not} (its stylesheet \"{file}\" is not in {})",
                    root.display()
                )
            })?;
        let text = std::fs::read(&path)
            .map(|b| {
                String::from_utf8_lossy(&b)
                    .trim_start_matches('\u{feff}')
                    .to_string()
            })
            .map_err(|e| {
                format!(
                    "{why_not} (its stylesheet {} cannot be read: {e})",
                    path.display()
                )
            })?;
        let params = self.stylesheet_params(task, "Mapping/Parameters", cx)?;
        self.stylesheet_map(task, cx, &file, &path, &text, params, "Mapping")
    }

    /// A stylesheet task's parameter values, from its `Parameters` setting at `at`.
    fn stylesheet_params(
        &mut self,
        task: &Task,
        at: &str,
        cx: &Cx,
    ) -> Result<Vec<(String, String)>, String> {
        let why_not = table::why_not(&task.kind);
        let mut params = Vec::new();
        if let Some(Setting {
            value: SettingValue::Pairs(pairs),
            ..
        }) = Setting::find(&task.settings, at)
        {
            for (key, value) in pairs.clone() {
                let value = self.object(&value, As::Text, cx)?;
                let value = fixed_text(value)
                    .ok_or_else(|| format!("{why_not} (its parameter {key} is not fixed text)"))?;
                params.push((key, value));
            }
        }
        Ok(params)
    }

    /// The `map` statement a stylesheet task becomes: from its `InputFile` to its
    /// `OutputFile`, the stylesheet at `path` translated with the task's `params`; what
    /// did not translate is reported as the task's `setting`.
    #[allow(clippy::too_many_arguments)]
    fn stylesheet_map(
        &mut self,
        task: &Task,
        cx: &Cx,
        file: &str,
        path: &std::path::Path,
        text: &str,
        params: Vec<(String, String)>,
        setting_name: &str,
    ) -> Result<Statement, String> {
        let why_not = table::why_not(&task.kind);
        let setting = |name: &str| {
            Setting::find(&task.settings, name)
                .ok_or_else(|| format!("{why_not} (it has no {name})"))
        };
        let stylesheet_folder = path
            .parent()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        let (body, encoding, report) =
            super::xslt::map_block(file, text, &stylesheet_folder, params)
                .map_err(|e| format!("{why_not} (its stylesheet {file}: {e})"))?;
        let input = self.value(setting("InputFile")?, As::Text, cx)?;
        let output = self.value(setting("OutputFile")?, As::Text, cx)?;
        let mut statement = Statement::new("map");
        statement.value(&input);
        statement.word("to");
        statement.value(&output);
        if let Some(encoding) = encoding {
            statement.word("encoding");
            statement.word(&encoding);
        }
        statement.block = Some(
            body.into_iter()
                .map(|l| {
                    if l.trim().is_empty() {
                        Line::Blank
                    } else {
                        Line::Declaration(l)
                    }
                })
                .collect(),
        );
        statement.origin = Some(task.xpath.clone());
        for part in report.not_converted {
            self.report.not_converted.push(Unconverted::setting(
                task,
                &format!("{setting_name} ({file}, line {}: {})", part.line, part.path),
                &part.reason,
            ));
        }
        self.report.notes.push(format!(
            "\"{}\": the stylesheet {file} is translated into a `map`",
            task.trail
        ));
        self.report.maps += 1;
        Ok(statement)
    }

    /// A task kept as a comment block, with its settings and its child tasks; every one of
    /// them goes to the report.
    fn block(&mut self, task: &Task, reason: &str, indent: &str) -> String {
        self.report
            .not_converted
            .push(Unconverted::task(task, reason));
        let mut out = format!(
            "{indent}[not converted] {} {}: {reason}\n",
            task.kind,
            display_name(task)
        );
        for (path, value) in task.settings.iter().flat_map(Setting::leaves) {
            let secret = SECRETS
                .iter()
                .any(|s| path == *s || path.ends_with(&format!("/{s}")));
            let value = if secret && !value.starts_with("variable ") {
                "(set in the workflow; not copied)".to_string()
            } else {
                value
            };
            let mut value_lines = value.lines();
            let first = value_lines.next().unwrap_or_default();
            out.push_str(&format!("{indent}    {path} = {first}\n"));
            for more in value_lines {
                out.push_str(&format!("{indent}        {more}\n"));
            }
        }
        if !task.enabled {
            out.push_str(&format!("{indent}    (disabled in Zynk)\n"));
        }
        if !task.children.is_empty() {
            let why = format!("inside {}, which is not converted", display_name(task));
            for child in &task.children {
                self.report.tasks += 1;
                out.push_str(&self.block(child, &why, &format!("{indent}    ")));
            }
            out.push_str(&format!(
                "{indent}[end of not converted] {} {}\n",
                task.kind,
                display_name(task)
            ));
        }
        out
    }

    /// Builds the statement for a row; `Err` when the task cannot be written at all.
    fn build(
        &mut self,
        task: &Task,
        row: &Row,
        cx: &Cx,
        disabled: bool,
    ) -> Result<(Statement, Vec<Issue>), String> {
        let statement_def = tasks::Registry::standard()
            .named(row.statement)
            .ok_or_else(|| format!("zynk has no `{}` statement", row.statement))?;
        let mut statement = Statement::new(row.statement);
        statement.origin = Some(task.xpath.clone());
        let mut issues = Vec::new();
        let mut consumed: Vec<&str> = Vec::new();
        let mut present: Vec<&str> = Vec::new();
        let mut emitted: Vec<(&str, &str)> = Vec::new();
        let mut positionals = 0;
        let mut failed: Vec<(&str, String)> = Vec::new();
        let mut fatal: Option<String> = None;
        let loop_var = match row.shape {
            Shape::FileLoop => Some(loop_name("file", cx.loops)),
            Shape::RecordLoop => Some(loop_name("record", cx.loops)),
            _ => None,
        };
        if let Some(var) = &loop_var {
            statement.word(var);
        }
        if row.shape == Shape::IfFile {
            for word in self.file_condition(task, cx)? {
                statement.word(&word);
            }
        }
        for rule in row.rules {
            let names: Vec<&str> = rule.setting.split('|').collect();
            consumed.extend(&names);
            let keyword = keyword_of(rule);
            if rule.fallback && present.contains(&keyword) {
                continue;
            }
            let setting = Setting::find(&task.settings, names[0]);
            if setting.is_some() || rule.setting.contains('|') {
                present.push(keyword);
            }
            let has_option = !matches!(rule.emit, Emit::None);
            let mut issue = |setting: &Setting, reason: String| {
                if has_option && fatal.is_none() && !reason.starts_with("zynk takes") {
                    fatal = Some(format!("its {} cannot be written: {reason}", rule.setting));
                }
                failed.push((keyword, reason.clone()));
                issues.push(Issue {
                    setting: rule.setting.to_string(),
                    value: describe(setting),
                    reason,
                });
            };
            let words: Vec<String> = match rule.emit {
                Emit::Used | Emit::Condition => continue,
                Emit::ExportMode => {
                    let all = Setting::find(&task.settings, "ExportAll")
                        .and_then(|s| s.value.text())
                        .is_some_and(|t| t.eq_ignore_ascii_case("true"));
                    let kind = Setting::find(&task.settings, "ExportSettings/ExportType")
                        .and_then(|s| s.value.text())
                        .unwrap_or(rule.default);
                    let word = if all {
                        "all"
                    } else {
                        &kind.to_ascii_lowercase()
                    };
                    match word {
                        "all" | "new" => vec![word.to_string()],
                        "modified" => Vec::new(),
                        other => {
                            if let Some(s) =
                                Setting::find(&task.settings, "ExportSettings/ExportType")
                            {
                                issue(s, format!("`{other}` is not all, new or modified"));
                            }
                            Vec::new()
                        }
                    }
                }
                Emit::Keep => match setting.map(keep) {
                    Some(Ok(words)) => words,
                    Some(Err(reason)) => {
                        if let Some(s) = setting {
                            issue(s, reason);
                        }
                        Vec::new()
                    }
                    None => Vec::new(),
                },
                _ => {
                    let Some(setting) = setting else { continue };
                    if at_default(setting, rule.default) {
                        continue;
                    }
                    if !matches!(rule.emit, Emit::None)
                        && emitted.iter().any(|(k, _)| *k == keyword && !k.is_empty())
                    {
                        let from = emitted
                            .iter()
                            .find(|(k, _)| *k == keyword)
                            .map_or("", |(_, s)| *s);
                        issue(
                            setting,
                            format!("zynk takes `{keyword}` once, and it comes from {from}"),
                        );
                        continue;
                    }
                    match self.emit(task, rule, setting, cx) {
                        Ok(words) => words,
                        Err(reason) => {
                            issue(setting, reason);
                            continue;
                        }
                    }
                }
            };
            if words.is_empty() {
                continue;
            }
            if matches!(
                rule.emit,
                Emit::Arg(_) | Emit::Choice("", _) | Emit::ExportMode
            ) {
                positionals += 1;
            }
            emitted.push((keyword, rule.setting));
            for w in words {
                statement.word(&w);
            }
        }
        for setting in &task.settings {
            for (path, value) in setting.leaves() {
                let taken = consumed.iter().any(|c| {
                    path == *c
                        || path.starts_with(&format!("{c}/"))
                        || path.starts_with(&format!("{c}["))
                });
                if !taken {
                    issues.push(Issue {
                        setting: path,
                        value: first_line(&value),
                        reason: format!("`{}` has no option for it", row.statement),
                    });
                }
            }
        }
        let needed_positionals = statement_def
            .params()
            .iter()
            .filter(|p| p.required && p.keyword.is_none() && p.kind != tasks::Kind::Binding)
            .count();
        if positionals < needed_positionals {
            let reason = failed
                .iter()
                .find(|(k, _)| k.is_empty())
                .map_or_else(|| "its value is empty".to_string(), |(_, r)| r.clone());
            return Err(format!(
                "`{}` needs its {}, and {reason}",
                row.statement,
                row.rules.first().map_or("value", |r| r.setting)
            ));
        }
        for param in statement_def.params().iter().filter(|p| p.required) {
            let Some(keyword) = param.keyword else {
                continue;
            };
            if !emitted.iter().any(|(k, _)| *k == keyword) {
                let setting = row
                    .rules
                    .iter()
                    .find(|r| keyword_of(r) == keyword)
                    .map_or("setting", |r| r.setting);
                let reason = failed
                    .iter()
                    .find(|(k, _)| *k == keyword)
                    .map_or_else(|| format!("its {setting} is empty"), |(_, r)| r.clone());
                return Err(format!("`{}` needs `{keyword}`: {reason}", row.statement));
            }
        }
        if let Some(reason) = fatal {
            return Err(reason);
        }
        statement.or_continue = (cx.or_continue || !task.break_on_failure) && !disabled;
        if row.shape == Shape::IfFile {
            let inner = Cx {
                disabled,
                or_continue: false,
                ..cx.clone()
            };
            statement.block = Some(self.children(&task.children, &inner));
        } else if let Some(var) = loop_var {
            let current = if row.shape == Shape::RecordLoop {
                Current::Record(var)
            } else {
                Current::File(var)
            };
            let inner = Cx {
                current,
                loops: cx.loops + 1,
                disabled,
                or_continue: false,
            };
            let saved = self.previous.take();
            statement.block = Some(self.children(&task.children, &inner));
            self.previous = saved;
        } else if !task.children.is_empty() {
            return Err(format!(
                "`{}` takes no block for its child tasks",
                row.statement
            ));
        }
        Ok((statement, issues))
    }

    /// The condition of a File Exists task: `exists FILE`, with `and size of FILE >= N` for a
    /// minimum length, negated when `Equal` is false.
    fn file_condition(&mut self, task: &Task, cx: &Cx) -> Result<Vec<String>, String> {
        let file = Setting::find(&task.settings, "InputFile")
            .filter(|s| s.value.is_set())
            .ok_or("`if exists` needs a file, and its InputFile is empty")?;
        let file = self
            .value(file, As::Text, cx)
            .map_err(|r| format!("its InputFile cannot be written: {r}"))?
            .render();
        let text = |name: &str| {
            Setting::find(&task.settings, name)
                .and_then(|s| s.value.text())
                .map(str::to_string)
        };
        let equal = text("Equal").is_none_or(|t| !t.eq_ignore_ascii_case("false"));
        let min: u64 = match text("MinimumLength") {
            None => 0,
            Some(t) => t
                .parse()
                .map_err(|_| format!("its MinimumLength `{t}` is not a whole number"))?,
        };
        let mut words: Vec<String> = Vec::new();
        if !equal {
            words.push("not".into());
        }
        words.extend(["exists".to_string(), file.clone()]);
        if min > 0 {
            let (join, op) = if equal { ("and", ">=") } else { ("or", "<") };
            words.extend([join, "size", "of"].map(String::from));
            words.extend([file, op.to_string(), min.to_string()]);
        }
        Ok(words)
    }

    /// The words one rule writes for a setting that is not at its default.
    fn emit(
        &mut self,
        task: &Task,
        rule: &Rule,
        setting: &Setting,
        cx: &Cx,
    ) -> Result<Vec<String>, String> {
        let keyword_then = |k: &str, v: String| {
            if k.is_empty() {
                vec![v]
            } else {
                vec![k.to_string(), v]
            }
        };
        Ok(match rule.emit {
            Emit::Arg(kind) => vec![self.value(setting, kind, cx)?.render()],
            Emit::Opt(k, kind) => keyword_then(k, self.value(setting, kind, cx)?.render()),
            Emit::Flag(k) => match plain(setting, self)? {
                t if t.eq_ignore_ascii_case("true") => vec![k.to_string()],
                t if t.eq_ignore_ascii_case("false") => Vec::new(),
                t => return Err(format!("`{t}` is not true or false")),
            },
            Emit::Bool(k) => match plain(setting, self)?.to_ascii_lowercase().as_str() {
                b @ ("true" | "false") => vec![k.to_string(), b.to_string()],
                t => return Err(format!("`{t}` is not true or false")),
            },
            Emit::Choice(k, words) => {
                let text = plain(setting, self)?;
                let word = words
                    .iter()
                    .find(|(z, _)| z.eq_ignore_ascii_case(&text))
                    .map(|(_, w)| (*w).to_string())
                    .ok_or_else(|| format!("`{text}` has no zynk equivalent"))?;
                keyword_then(k, word)
            }
            Emit::Millis(k) => {
                let text = plain(setting, self)?;
                let ms: u64 = text
                    .parse()
                    .map_err(|_| format!("`{text}` is not a number of milliseconds"))?;
                if ms == 0 {
                    return Ok(Vec::new());
                }
                let duration = if ms % 1000 == 0 {
                    format!("{}s", ms / 1000)
                } else {
                    format!("{ms}ms")
                };
                vec![k.to_string(), duration]
            }
            Emit::Pairs(k) => {
                let SettingValue::Pairs(pairs) = &setting.value else {
                    return Err("not a list of names and values".into());
                };
                let mut words = Vec::new();
                for (name, value) in pairs {
                    words.push(k.to_string());
                    words.push(Value::text(name).render());
                    words.push(self.object(value, As::Text, cx)?.render());
                }
                words
            }
            Emit::Auth => {
                let user = self.value(setting, As::Text, cx)?;
                let password = match Setting::find(&task.settings, "Password") {
                    Some(p) if p.value.is_set() => self.value(p, As::Text, cx)?,
                    _ => Value::text(""),
                };
                vec!["auth".into(), user.render(), password.render()]
            }
            Emit::MatchFields => {
                let names: Vec<String> = setting
                    .leaves()
                    .into_iter()
                    .map(|(_, v)| snake(&v.replace(' ', "")))
                    .collect();
                vec![
                    "match_fields".into(),
                    Value::text(&names.join(", ")).render(),
                ]
            }
            Emit::None => {
                return Err("zynk has no option for it".into());
            }
            Emit::Keep | Emit::ExportMode | Emit::Used | Emit::Condition => Vec::new(),
        })
    }

    /// A setting's value as a zynk value.
    fn value(&mut self, setting: &Setting, kind: As, cx: &Cx) -> Result<Value, String> {
        match &setting.value {
            SettingValue::Object(v) => self.object(v, kind, cx),
            SettingValue::Text(t) => typed(vec![Piece::Text(t.clone())], kind),
            SettingValue::Nil => typed(vec![Piece::Text(String::new())], kind),
            SettingValue::Pairs(_) | SettingValue::Group(_) => {
                Err("a group of settings, where zynk takes one value".into())
            }
        }
    }

    fn object(&mut self, value: &ZynkValue, kind: As, cx: &Cx) -> Result<Value, String> {
        if value.read_contents && kind != As::Body {
            return Err("ReadContentsOfFile: zynk cannot put a file's text here".into());
        }
        match &value.object {
            ZynkObject::Static(text) | ZynkObject::File(text) | ZynkObject::Uri(text) => {
                let pieces = if value.razor || razor::looks_like_razor(text) {
                    let bindings = &self.bindings;
                    let lookup = |key: &str| {
                        bindings
                            .iter()
                            .find(|b| b.key == key)
                            .map(|b| b.name.clone())
                    };
                    razor::translate(
                        text,
                        &razor::Scope {
                            current: &cx.current,
                            variable: &lookup,
                        },
                    )?
                } else {
                    vec![Piece::Text(text.clone())]
                };
                typed(pieces, kind)
            }
            ZynkObject::Variable(key) => {
                let name = self.variable(key)?;
                typed(vec![Piece::Var(name)], kind)
            }
            ZynkObject::List(items) => {
                let set: Vec<&ZynkValue> = items.iter().filter(|i| i.is_set()).collect();
                match set.as_slice() {
                    [] => typed(vec![Piece::Text(String::new())], kind),
                    [one] => self.object(one, kind, cx),
                    many => Err(format!(
                        "a list of {} values, where zynk takes one",
                        many.len()
                    )),
                }
            }
            ZynkObject::Previous => self.previous.clone().ok_or_else(|| {
                "PreviousValue, and the task before writes no file zynk knows".into()
            }),
        }
    }

    /// The script name of a variable a value refers to; a variable the workflow does not
    /// declare is a Zynk global variable, read from the environment.
    fn variable(&mut self, key: &str) -> Result<String, String> {
        if let Some(b) = self.bindings.iter().find(|b| b.key == key) {
            return Ok(b.name.clone());
        }
        if SYSTEM_VARIABLES.iter().any(|s| s.eq_ignore_ascii_case(key)) {
            return Err(format!(
                "the Zynk system variable {key}, which zynk does not have"
            ));
        }
        let name = self.fresh_name(key);
        self.bindings.push(Binding {
            key: key.to_string(),
            name: name.clone(),
            env: Some(env_name(key)),
            declared: false,
        });
        Ok(name)
    }

    /// A zynk identifier for a Zynk variable key, not yet taken.
    fn fresh_name(&self, key: &str) -> String {
        let mut base: String = key
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        if base.is_empty() || base.starts_with(|c: char| c.is_ascii_digit()) {
            base.insert(0, '_');
        }
        let reserved = |n: &str| {
            tasks::Registry::standard().is_statement_head(n)
                || matches!(n, "true" | "false" | "or" | "continue" | "env")
                || matches!(
                    n,
                    "file" | "record" | "not" | "exists" | "size" | "of" | "count" | "in" | "and"
                )
                || n.starts_with("file_")
                || n.starts_with("record_")
        };
        if reserved(&base) {
            base.push_str("_var");
        }
        let mut name = base.clone();
        let mut n = 2;
        while self.bindings.iter().any(|b| b.name == name) {
            name = format!("{base}_{n}");
            n += 1;
        }
        name
    }
}

/// The keyword a rule writes, for telling which rules compete for one option.
fn keyword_of(rule: &Rule) -> &'static str {
    match rule.emit {
        Emit::Opt(k, _)
        | Emit::Flag(k)
        | Emit::Bool(k)
        | Emit::Choice(k, _)
        | Emit::Millis(k)
        | Emit::Pairs(k) => k,
        Emit::Auth => "auth",
        Emit::Keep => "keep",
        Emit::MatchFields => "match_fields",
        Emit::Arg(_) | Emit::ExportMode | Emit::Used | Emit::Condition | Emit::None => "",
    }
}

/// Whether the setting is at the value that means the same as leaving the option out.
fn at_default(setting: &Setting, default: &str) -> bool {
    if !setting.value.is_set() && !matches!(setting.value, SettingValue::Text(_)) {
        return true;
    }
    if default.is_empty() {
        return !setting.value.is_set();
    }
    if default == DISABLED {
        return !setting.value.is_set() || setting.value.is_disabled_group();
    }
    let text = match &setting.value {
        SettingValue::Text(t) => t.clone(),
        SettingValue::Object(v) => match &v.object {
            ZynkObject::Static(t) | ZynkObject::File(t) | ZynkObject::Uri(t)
                if !v.read_contents =>
            {
                t.clone()
            }
            _ => return false,
        },
        _ => return false,
    };
    text.is_empty()
        || default.split('|').any(|d| {
            text.eq_ignore_ascii_case(d)
                || (text.parse::<f64>().ok()).is_some_and(|n| d.parse::<f64>().ok() == Some(n))
        })
}

/// The fixed text of a setting (an enum, a number), refusing anything run-time.
fn plain(setting: &Setting, cv: &mut Converter<'_>) -> Result<String, String> {
    let cx = Cx {
        current: Current::None,
        loops: 0,
        disabled: false,
        or_continue: false,
    };
    match cv.value(setting, As::Text, &cx)? {
        Value::Str(pieces) => match pieces.as_slice() {
            [] => Ok(String::new()),
            [Piece::Text(t)] => Ok(t.trim().to_string()),
            _ => Err("a value known only while running, where zynk needs a fixed one".into()),
        },
        Value::Raw(r) | Value::XPath(r) => Ok(r),
    }
}

/// Pieces as the kind of value a rule wants.
fn typed(pieces: Vec<Piece>, kind: As) -> Result<Value, String> {
    let fixed = || match pieces.as_slice() {
        [] => Some(String::new()),
        [Piece::Text(t)] => Some(t.trim().to_string()),
        _ => None,
    };
    match kind {
        As::Text | As::Body => Ok(Value::Str(pieces.clone())),
        As::Message => {
            let mut pieces = pieces.clone();
            pieces.push(Piece::Text(String::new()));
            Ok(Value::Str(pieces))
        }
        As::Count => {
            let text =
                fixed().ok_or("a value known only while running, where zynk needs a number")?;
            text.parse::<u64>()
                .map(|n| Value::Raw(n.to_string()))
                .map_err(|_| format!("`{text}` is not a whole number"))
        }
        As::XPath => {
            let text =
                fixed().ok_or("an XPath made while running, where zynk needs a fixed one")?;
            if text.contains('`') {
                return Err("an XPath with a backtick, which zynk cannot quote".into());
            }
            Ok(Value::XPath(text))
        }
    }
}

/// `keep N archives|days` from Zynk's housekeeping settings; nothing when it is off.
fn keep(setting: &Setting) -> Result<Vec<String>, String> {
    if setting.value.is_disabled_group() || !setting.value.is_set() {
        return Ok(Vec::new());
    }
    let SettingValue::Group(inner) = &setting.value else {
        return Err("not a group of settings".into());
    };
    let get = |n: &str| {
        inner
            .iter()
            .find(|s| s.name == n)
            .and_then(|s| s.value.text())
    };
    let number = get("Number").unwrap_or("0");
    let n: u64 = number
        .parse()
        .map_err(|_| format!("`{number}` is not a whole number"))?;
    let unit = match get("Type") {
        Some("NumberOfDays") => "days",
        Some("NumberOfArchives" | "NumberOfJobs") => "archives",
        Some(other) => {
            return Err(format!(
                "housekeeping by `{other}`, which zynk does not have"
            ));
        }
        None => return Err("housekeeping with no type".into()),
    };
    if n == 0 {
        return Ok(Vec::new());
    }
    Ok(vec!["keep".into(), n.to_string(), unit.into()])
}

/// The setting a task's output is in, for a later `PreviousValue`.
fn output_of(task: &Task) -> Option<&Setting> {
    ["OutputFile", "SuccessFile", "OutputFolder"]
        .iter()
        .find_map(|n| Setting::find(&task.settings, n).filter(|s| s.value.is_set()))
}

/// How a setting reads in a comment.
fn describe(setting: &Setting) -> String {
    let leaves = setting.leaves();
    match leaves.as_slice() {
        [] => "(empty)".into(),
        [(_, v)] => first_line(v),
        many => many
            .iter()
            .map(|(p, v)| format!("{p}={}", first_line(v)))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

fn first_line(text: &str) -> String {
    let mut lines = text.lines();
    let first = lines.next().unwrap_or_default().to_string();
    if lines.next().is_some() {
        format!("{first} …")
    } else {
        first
    }
}

/// A task's name for comments: quoted, or its type when it has none.
fn display_name(task: &Task) -> String {
    if task.name.is_empty() {
        format!("({})", task.kind)
    } else {
        format!("\"{}\"", task.name)
    }
}

/// The loop variable at a nesting depth: `file` (or `record`), then `file_2`, ….
fn loop_name(base: &str, depth: usize) -> String {
    if depth == 0 {
        base.into()
    } else {
        format!("{base}_{}", depth + 1)
    }
}

/// `CompanyName` → `company_name`.
fn snake(text: &str) -> String {
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push('_');
        }
        out.extend(c.to_lowercase());
    }
    out
}

/// The environment variable an encrypted workflow variable is read from: `FtpPassword` →
/// `FTP_PASSWORD`.
#[must_use]
pub(crate) fn env_name(key: &str) -> String {
    let mut out = String::new();
    let mut prev_lower = false;
    for c in key.chars() {
        if c.is_ascii_alphanumeric() {
            if c.is_ascii_uppercase() && prev_lower {
                out.push('_');
            }
            prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
            out.push(c.to_ascii_uppercase());
        } else {
            if !out.ends_with('_') && !out.is_empty() {
                out.push('_');
            }
            prev_lower = false;
        }
    }
    out.trim_end_matches('_').to_string()
}

/// The text of a value that is one fixed piece of text.
fn fixed_text(value: Value) -> Option<String> {
    match value {
        Value::Str(pieces) => match pieces.as_slice() {
            [Piece::Text(t)] => Some(t.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// The first file named `name` below `root`, at most `depth` folders down, in name order.
fn find_file(root: &std::path::Path, name: &str, depth: usize) -> Option<std::path::PathBuf> {
    let mut entries: Vec<std::path::PathBuf> = std::fs::read_dir(root)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    if let Some(found) = entries
        .iter()
        .find(|p| p.is_file() && p.file_name().is_some_and(|n| n == name))
    {
        return Some(found.clone());
    }
    if depth == 0 {
        return None;
    }
    entries
        .iter()
        .filter(|p| p.is_dir())
        .find_map(|p| find_file(p, name, depth - 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_names_are_shouted_snake_case() {
        assert_eq!(env_name("FtpPassword"), "FTP_PASSWORD");
        assert_eq!(env_name("SAGE50_PASSWORD"), "SAGE50_PASSWORD");
        assert_eq!(env_name("Url.Download"), "URL_DOWNLOAD");
    }

    #[test]
    fn snake_case_of_zynk_names() {
        assert_eq!(snake("CompanyName"), "company_name");
        assert_eq!(snake("Email"), "email");
    }
}
