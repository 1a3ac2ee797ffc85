//! Path conflicts within one statement: an output that overwrites an input, two outputs
//! on one file, chunks written into their input's own folder.
use std::path::{Component, Path, PathBuf};

use super::program::{Part, Template};
use super::{Args, Bound, CheckError, Checker};
use crate::source::Span;

/// Params that name a file the statement reads.
const INPUTS: &[&str] = &["with", "from", "input"];
/// Params that name a file the statement writes.
const OUTPUTS: &[&str] = &["to", "success", "fail"];
/// Params that name a folder the statement writes files into.
const OUTPUT_FOLDERS: &[&str] = &["into"];

/// One path argument of a statement.
struct PathArg<'a> {
    param: &'static str,
    key: String,
    template: &'a Template,
    span: Span,
}

impl Checker<'_> {
    /// Reports every pair of a statement's paths that would collide when it runs.
    pub(super) fn check_paths(&mut self, args: &Args) {
        let paths = |names: &[&str]| -> Vec<PathArg<'_>> {
            args.values
                .iter()
                .filter(|a| names.contains(&a.name))
                .filter_map(|a| match &a.value {
                    Bound::Text(t) => Some(PathArg {
                        param: a.name,
                        key: path_key(t),
                        template: t,
                        span: a.span,
                    }),
                    _ => None,
                })
                .collect()
        };
        let inputs = paths(INPUTS);
        let outputs = paths(OUTPUTS);
        let statement = &args.statement;
        for input in &inputs {
            if let Some(text) = input.template.constant()
                && (input.param != "with" || crate::tasks::looks_like_file(&text))
            {
                self.note_read(&text, input.span, statement);
            }
        }
        for output in &outputs {
            if let Some(text) = output.template.constant() {
                self.note_write(&text);
            }
        }
        for output in &outputs {
            if let Some(input) = inputs.iter().find(|i| i.key == output.key) {
                self.error(CheckError::PathConflict {
                    message: format!("`{statement}` would overwrite the file it reads"),
                    first_span: input.span.into(),
                    first_label: format!("`{}` reads this file", input.param),
                    span: output.span.into(),
                    label: format!("`{}` writes over it", output.param),
                    help: format!(
                        "give `{}` a file of its own, e.g. \"{}\"",
                        output.param,
                        suggestion(output, statement)
                    ),
                });
            }
        }
        for (i, later) in outputs.iter().enumerate() {
            if let Some(first) = outputs[..i].iter().find(|o| o.key == later.key) {
                self.error(CheckError::PathConflict {
                    message: format!("`{statement}` writes two results to one file"),
                    first_span: first.span.into(),
                    first_label: format!("`{}` writes this file", first.param),
                    span: later.span.into(),
                    label: format!("`{}` writes it too", later.param),
                    help: format!(
                        "give `{}` and `{}` a file each; the second would overwrite the first",
                        first.param, later.param
                    ),
                });
            }
        }
        for folder in paths(OUTPUT_FOLDERS) {
            let Some(into) = folder.template.constant() else {
                continue;
            };
            for input in &inputs {
                let Some(file) = input.template.constant() else {
                    continue;
                };
                let parent = normalize(&file).parent().map(Path::to_path_buf);
                if parent.unwrap_or_default() == normalize(&into) {
                    self.error(CheckError::PathConflict {
                        message: format!(
                            "`{statement}` writes into the folder its input is in"
                        ),
                        first_span: input.span.into(),
                        first_label: format!("`{}` is in this folder", input.param),
                        span: folder.span.into(),
                        label: format!("`{}` writes into it", folder.param),
                        help: "write the chunks into a folder of their own: a `foreach` over it would otherwise pick up the input with them".into(),
                    });
                }
            }
        }
    }
}

/// What two paths must share to be the same file: constant text compares as a path
/// (`./a.xml` is `a.xml`); text known only while running compares part by part.
fn path_key(template: &Template) -> String {
    if let Some(text) = template.constant() {
        return normalize(&text).to_string_lossy().into_owned();
    }
    let mut key = String::new();
    for part in &template.parts {
        match part {
            Part::Text(t) => key.push_str(t),
            Part::Env { name, .. } => key.push_str(&format!("\u{0}env:{name}\u{0}")),
            Part::Loop {
                variable, field, ..
            } => key.push_str(&format!("\u{0}{variable}.{field:?}\u{0}")),
            Part::Record {
                variable, field, ..
            } => {
                let xpath = field.as_ref().map(|f| f.0.source()).unwrap_or_default();
                key.push_str(&format!("\u{0}{variable}`{xpath}`\u{0}"));
            }
            Part::Result {
                variable, field, ..
            } => key.push_str(&format!("\u{0}{variable}.{field}\u{0}")),
        }
    }
    key.strip_prefix("./").map(str::to_string).unwrap_or(key)
}

/// A path with `.` steps and repeated separators removed; `\` counts as a separator.
fn normalize(text: &str) -> PathBuf {
    let text = text.replace('\\', "/");
    Path::new(&text)
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect()
}

/// Another file name for an output: `a.xml` becomes `a_response.xml`.
fn suggestion(output: &PathArg<'_>, statement: &str) -> String {
    let loop_variable = output.template.parts.iter().find_map(|p| match p {
        Part::Loop { variable, .. } => Some(variable.as_str()),
        _ => None,
    });
    let text = match (output.template.constant(), loop_variable) {
        (Some(text), _) => text,
        (None, Some(variable)) => format!("${{{variable}.stem}}.xml"),
        (None, None) => "file.xml".to_string(),
    };
    let path = Path::new(&text);
    let stem = path
        .file_stem()
        .map_or_else(|| "file".into(), |s| s.to_string_lossy().into_owned());
    let ext = path
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    let word = if statement.starts_with("import") {
        output.param
    } else {
        "response"
    };
    format!("{stem}_{word}{ext}")
}
