//! `zynk convert`: a Zynk workflow (`.wkf`) becomes a `.zynk` script.
//!
//! `wkf::read` → `translate::Converter` (by `table::TABLE`, values through `razor`) →
//! `writer` lines → the script is parsed and checked before it is handed out, and a
//! statement the checker rejects is kept as a comment instead, so what is written always
//! passes `zynk check`.
pub mod doc;
pub(crate) mod error;
pub(crate) mod razor;
pub(crate) mod report;
pub mod table;
pub(crate) mod translate;
pub(crate) mod value;
pub(crate) mod wkf;
pub(crate) mod writer;
pub(crate) mod xslt;

pub use error::ConvertError;
pub use report::{Report, Unconverted};

use crate::source::SourceFile;
use translate::{Blocked, Converter};
use wkf::{Setting, SettingValue, Workflow};
use writer::{Line, Value};

/// `zynk convert`'s exit code when the script was written but something was left as a comment.
pub const EXIT_PARTIAL: u8 = 3;

/// A converted workflow.
#[derive(Debug, Clone)]
pub struct Conversion {
    /// The script text; it passes `zynk check`.
    pub script: String,
    pub report: Report,
}

/// Converts the text of a `.wkf` file; `name` is how the file is shown in diagnostics and
/// in the script's header.
pub fn convert(name: &str, text: &str) -> Result<Conversion, Box<ConvertError>> {
    convert_in(name, text, None)
}

/// As [`convert`], for a workflow in `folder`: its XSLT tasks whose stylesheet is there
/// become `map` statements.
pub fn convert_in(
    name: &str,
    text: &str,
    folder: Option<&std::path::Path>,
) -> Result<Conversion, Box<ConvertError>> {
    convert_with_stylesheets(name, text, folder, None)
}

/// As [`convert_in`], with the folder of Zynk's Auto Mapper stylesheets (`--stylesheets`):
/// its Auto Mapper tasks become `map` statements too.
pub fn convert_with_stylesheets(
    name: &str,
    text: &str,
    folder: Option<&std::path::Path>,
    stylesheets: Option<&std::path::Path>,
) -> Result<Conversion, Box<ConvertError>> {
    let workflow = wkf::read(name, text)?;
    let mut blocked: Blocked = Vec::new();
    loop {
        let (script, origins, report) = write(&workflow, name, &blocked, folder, stylesheets);
        let source = SourceFile::from_text(&script_name(name), &script);
        let problems = problems(&source);
        if problems.is_empty() {
            return Ok(Conversion { script, report });
        }
        let before = blocked.len();
        for (offset, message) in &problems {
            let line = source.line_col(*offset).0;
            if let Some(Some(origin)) = origins.get(line.saturating_sub(1))
                && !blocked.iter().any(|(o, _)| o == origin)
            {
                blocked.push((origin.clone(), format!("zynk check rejects it: {message}")));
            }
        }
        if blocked.len() == before {
            let details = problems
                .iter()
                .map(|(_, m)| format!("  {m}"))
                .collect::<Vec<_>>()
                .join("\n");
            return Err(Box::new(ConvertError::InvalidOutput {
                name: name.to_string(),
                problems: format!(
                    "{} problem{}",
                    problems.len(),
                    if problems.len() == 1 { "" } else { "s" }
                ),
                details: format!("{details}\n\nThe script:\n{script}"),
            }));
        }
    }
}

/// The name the converted script is checked under.
fn script_name(wkf_name: &str) -> String {
    let stem = wkf_name.strip_suffix(".wkf").unwrap_or(wkf_name);
    format!("{stem}.zynk")
}

/// Every problem `zynk check` finds in a script: where it is and what it says.
pub(crate) fn problems(source: &SourceFile) -> Vec<(usize, String)> {
    let diagnostics = match crate::check::compile(source, crate::tasks::Registry::standard(), &[]) {
        Ok(_) => Vec::new(),
        Err(problems) => problems.into_diagnostics(),
    };
    diagnostics
        .iter()
        .map(|d| {
            let offset = d
                .labels()
                .and_then(|mut l| l.next())
                .map_or(0, |l| l.offset());
            let help = d.help().map(|h| format!(" ({h})")).unwrap_or_default();
            (offset, format!("{d}{help}"))
        })
        .collect()
}

/// Writes the whole script: header, declarations and the tasks.
fn write(
    workflow: &Workflow,
    file_name: &str,
    blocked: &Blocked,
    folder: Option<&std::path::Path>,
    stylesheets: Option<&std::path::Path>,
) -> (String, Vec<Option<String>>, Report) {
    let mut converter = Converter::new(workflow, blocked);
    converter.folder = folder.map(std::path::Path::to_path_buf);
    converter.stylesheets = stylesheets.map(std::path::Path::to_path_buf);
    let body = converter.tasks();
    let mut report = std::mem::take(&mut converter.report);
    let stem = file_name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(file_name)
        .trim_end_matches(".wkf");
    let raw_name = workflow.name.clone().unwrap_or_else(|| stem.to_string());
    let name = folder_safe(&raw_name);
    report.workflow.clone_from(&name);

    let mut lines = vec![Line::Comment(format!(
        "Converted by `zynk convert` from the Zynk workflow \"{raw_name}\"."
    ))];
    if name != raw_name {
        lines.push(Line::Comment(format!(
            "Its name has characters a folder name cannot hold: the working directory is \"{name}\"."
        )));
        report.notes.push(format!(
            "the workflow \"{raw_name}\" is named \"{name}\" (its name names a folder)"
        ));
    }
    lines.push(Line::Comment(
        "Tasks and settings zynk has no equivalent for are kept as comments marked [not converted].".into(),
    ));
    lines.extend(workflow_settings(workflow, &mut report));
    lines.push(Line::Blank);
    lines.push(Line::Declaration(format!(
        "workflow {}",
        Value::text(&name).render()
    )));
    for (index, binding) in converter.bindings.iter().enumerate() {
        lines.push(Line::Blank);
        let variable = workflow.variables.iter().find(|v| v.key == binding.key);
        if binding.name != binding.key {
            lines.push(Line::Comment(format!(
                "Zynk variable `{}`, renamed `{}`: a zynk name is letters, digits and _.",
                binding.key, binding.name
            )));
            report.notes.push(format!(
                "variable {} is renamed {}",
                binding.key, binding.name
            ));
        }
        if let Some(env) = &binding.env {
            let why = if binding.declared {
                format!("`{}` is encrypted in the workflow", binding.key)
            } else {
                format!(
                    "`{}` is not declared in the workflow (a Zynk global variable)",
                    binding.key
                )
            };
            lines.push(Line::Comment(format!(
                "{why}: set the environment variable {env} to its value."
            )));
            lines.push(Line::Declaration(format!(
                "let {} = env({})",
                binding.name,
                Value::text(env).render()
            )));
            report
                .notes
                .push(format!("{why}: set the environment variable {env}"));
            continue;
        }
        let earlier = &converter.bindings[..index];
        let value = match variable.and_then(|v| v.value.as_ref()) {
            None => Value::text(""),
            Some(v) => match param_value(v, earlier) {
                Ok(value) => value,
                Err(reason) => {
                    lines.push(Line::Comment(format!(
                        "[setting not converted] the value of `{}` = {}: {reason}",
                        binding.key,
                        v.describe()
                    )));
                    report.not_converted.push(Unconverted {
                        path: format!("/Workflow/Variables/Variable[@Key='{}']", binding.key),
                        trail: raw_name.clone(),
                        line: 1,
                        task: "Workflow".into(),
                        setting: Some(format!("Variables/{}", binding.key)),
                        reason,
                    });
                    Value::text("")
                }
            },
        };
        lines.push(Line::Declaration(format!(
            "param {} = {}",
            binding.name,
            value.render()
        )));
    }
    lines.extend(body);
    let (script, origins) = writer::render_traced(&lines);
    (script, origins, report)
}

/// A param's default: fixed text, which may name params declared before it.
fn param_value(value: &value::ZynkValue, earlier: &[translate::Binding]) -> Result<Value, String> {
    if value.read_contents {
        return Err("ReadContentsOfFile: a param cannot read a file".into());
    }
    let text = match &value.object {
        value::ZynkObject::Static(t) | value::ZynkObject::File(t) | value::ZynkObject::Uri(t) => t,
        value::ZynkObject::List(items) if items.iter().all(|i| !i.is_set()) => {
            return Ok(Value::text(""));
        }
        _ => {
            return Err(format!(
                "a {}, where a param takes fixed text",
                value.kind()
            ));
        }
    };
    if !(value.razor || razor::looks_like_razor(text)) {
        return Ok(Value::text(text));
    }
    let lookup = |key: &str| {
        earlier
            .iter()
            .find(|b| b.key == key && b.env.is_none())
            .map(|b| b.name.clone())
    };
    let pieces = razor::translate(
        text,
        &razor::Scope {
            current: &razor::Current::None,
            variable: &lookup,
        },
    )?;
    Ok(Value::Str(pieces))
}

/// A workflow name usable as a folder name (what `workflow` requires).
fn folder_safe(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '-'
            } else {
                c
            }
        })
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_string();
    if cleaned.is_empty() {
        "workflow".into()
    } else {
        cleaned
    }
}

/// The workflow's own settings: comments for those zynk does differently, report entries
/// for those it cannot do.
fn workflow_settings(workflow: &Workflow, report: &mut Report) -> Vec<Line> {
    let mut lines = Vec::new();
    let get = |name: &str| Setting::find(&workflow.settings, name);
    let text = |name: &str| {
        get(name)
            .and_then(|s| s.value.text())
            .unwrap_or_default()
            .to_string()
    };
    let mut unconverted = |setting: &str, reason: String, lines: &mut Vec<Line>| {
        lines.push(Line::Comment(format!(
            "[setting not converted] {setting}: {reason}"
        )));
        report.not_converted.push(Unconverted {
            path: format!("/Workflow/{}", setting.split(' ').next().unwrap_or(setting)),
            trail: workflow.name.clone().unwrap_or_default(),
            line: 1,
            task: "Workflow".into(),
            setting: Some(setting.to_string()),
            reason,
        });
    };
    let occurrence = text("Schedule/Occurence");
    if !occurrence.is_empty() && occurrence != "Never" {
        unconverted(
            &format!("Schedule ({occurrence})"),
            "zynk has no scheduler: run `zynk run` from cron or a systemd timer".into(),
            &mut lines,
        );
    }
    if text("UseMutex").eq_ignore_ascii_case("true") {
        unconverted(
            "UseMutex",
            "zynk has no option to refuse a second run of the same workflow".into(),
            &mut lines,
        );
    }
    let email = text("EmailReport");
    if !email.is_empty() && email != "Never" {
        unconverted(
            &format!("EmailReport ({email})"),
            "zynk sends no e-mail; `zynk runs` shows every run".into(),
            &mut lines,
        );
    }
    if let Some(keep) = get("LogHouseKeeping")
        && let SettingValue::Group(_) = keep.value
    {
        let kind = text("LogHouseKeeping/Type");
        let number = text("LogHouseKeeping/Number");
        if !(keep.value.is_disabled_group() || kind == "NumberOfDays" && number == "90") {
            unconverted(
                &format!("LogHouseKeeping ({kind} {number})"),
                "zynk keeps 90 days of run history".into(),
                &mut lines,
            );
        }
    }
    let dir = text("WorkingDirectory");
    if !dir.is_empty() {
        lines.push(Line::Comment(format!(
            "Zynk's working directory was {dir}; zynk works in <data>/<workflow name>/ (choose <data> with --data)."
        )));
        report.notes.push(format!(
            "Zynk's working directory {dir} is <data>/<workflow name>/ here (--data)"
        ));
    }
    for field in ["Description", "Documentation"] {
        let t = text(field);
        if !t.is_empty() {
            lines.push(Line::Comment(format!("{field}:\n{t}")));
        }
    }
    lines
}
