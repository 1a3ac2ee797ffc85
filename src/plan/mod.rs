//! `zynk plan`: what a run would do, statement by statement, without doing any of it.
//!
//! Each compiled step describes its own effects through [`Step::plan`](crate::runtime::Step::plan)
//! on a [`Planner`], which renders templates as far as they are known before the run,
//! tracks which files earlier statements write or remove, and expands loops over the
//! files and records there are now.
mod condition;
mod files;
mod model;
mod stored;
mod text;

use std::path::{Path, PathBuf};

pub(crate) use condition::count_nodes;
pub(crate) use files::{LoopFile, PlanFile};
pub(crate) use model::{Action, Block, Effect, FileState, Plan, PlannedStatement};
pub(crate) use text::render_text;

use crate::check::{CompiledStatement, FileField, Part, Program, Template};
use crate::source::Span;

/// Text rendered from a template as far as it is known before the run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    /// The value; parts known only while running are written as `${name.field}`.
    pub text: String,
    /// The same, as it may be shown: `env(…)` values hidden.
    pub display: String,
    /// Whether every part is known.
    pub known: bool,
    /// The line of the earlier statement an unknown part comes from.
    pub depends_on: Option<usize>,
}

/// Plans a checked program run in `<data_dir>/<workflow>/`; `source` is the script's text.
#[must_use]
pub(crate) fn plan_program(program: &Program, source: &str, data_dir: &Path) -> Plan {
    plan_program_with(program, source, data_dir, None)
}

/// As [`plan_program`], reading the watermarks from `state` (a shared store) instead of the
/// data folder's file.
#[must_use]
pub(crate) fn plan_program_with(
    program: &Program,
    source: &str,
    data_dir: &Path,
    state: Option<&crate::state::StateStore>,
) -> Plan {
    let absolute = std::path::absolute(data_dir).unwrap_or_else(|_| data_dir.to_path_buf());
    let mut planner = Planner::new(&absolute, &program.workflow, source);
    planner.state = state;
    planner.data_shown = data_dir.to_path_buf();
    let statements = planner.plan_statements(&program.statements);
    Plan {
        workflow: program.workflow.clone(),
        workdir: data_dir.join(&program.workflow).display().to_string(),
        data_dir: data_dir.display().to_string(),
        statements,
    }
}

/// The state of a plan: the files earlier statements change, the loop variables, the
/// statement being planned.
pub struct Planner<'a> {
    /// `<data>/<workflow>/`: relative paths resolve here.
    pub workdir: PathBuf,
    /// `<data>/`: the ledger lives here.
    pub data_dir: PathBuf,
    /// The workflow name: it keys the watermarks in the state store.
    pub workflow: String,
    /// The data folder as the command line gave it, for showing the ledger.
    data_shown: PathBuf,
    source: &'a str,
    ledger_path: PathBuf,
    /// The remote ledger (`ledger tryton`) in use, as shown.
    remote_ledger: Option<String>,
    /// Ledgers earlier statements write to, with their lines.
    ledger_writes: Vec<(PathBuf, usize)>,
    files: files::Changes,
    loop_files: Vec<(String, LoopFile)>,
    /// Records of `foreach … by xpath`: the XML when the file is there now.
    records: Vec<(String, Option<String>)>,
    /// Named statements (`… as NAME`) planned so far, with their lines.
    results: Vec<(String, usize)>,
    /// The statement being planned, and the ones enclosing it.
    stack: Vec<PlannedStatement>,
    conditional: bool,
    stopped: bool,
    /// A shared state store to read watermarks from.
    state: Option<&'a crate::state::StateStore>,
}

impl<'a> Planner<'a> {
    fn new(data_dir: &Path, workflow: &str, source: &'a str) -> Planner<'a> {
        Planner {
            workdir: data_dir.join(workflow),
            data_dir: data_dir.to_path_buf(),
            data_shown: data_dir.to_path_buf(),
            workflow: workflow.to_string(),
            source,
            ledger_path: data_dir.join(crate::runtime::LEDGER_FILE),
            remote_ledger: None,
            ledger_writes: Vec::new(),
            files: files::Changes::default(),
            loop_files: Vec::new(),
            records: Vec::new(),
            results: Vec::new(),
            stack: Vec::new(),
            conditional: false,
            stopped: false,
            state: None,
        }
    }

    /// Plans statements in order, up to a `stop` that certainly runs.
    pub fn plan_statements(&mut self, statements: &[CompiledStatement]) -> Vec<PlannedStatement> {
        let mut planned = Vec::new();
        for statement in statements {
            if self.stopped {
                break;
            }
            self.stack.push(PlannedStatement {
                line: statement.line,
                statement: statement.name.to_string(),
                conditional: self.conditional,
                effects: Vec::new(),
                blocks: Vec::new(),
            });
            statement.step.plan(self);
            if let Some(name) = &statement.result_name {
                self.results.retain(|(n, _)| n != name);
                self.results.push((name.clone(), statement.line));
            }
            if let Some(done) = self.stack.pop() {
                planned.push(done);
            }
        }
        planned
    }

    /// The line of the statement being planned.
    #[must_use]
    pub fn line(&self) -> usize {
        self.stack.last().map_or(0, |s| s.line)
    }

    /// Whether the statement being planned runs only if a condition holds.
    #[must_use]
    pub fn is_conditional(&self) -> bool {
        self.conditional
    }

    /// Adds an effect to the statement being planned.
    pub fn effect(&mut self, effect: Effect) {
        if let Some(current) = self.stack.last_mut() {
            current.effects.push(effect);
        }
    }

    /// The default plan of a statement that does not describe its effects.
    pub fn runs(&mut self) {
        let name = self
            .stack
            .last()
            .map(|s| s.statement.clone())
            .unwrap_or_default();
        self.effect(Effect::new(Action::Runs).detail(format!("runs {name}")));
    }

    /// Plans a block the statement runs once, as `label`; `conditional` when it runs only
    /// if something the plan cannot know holds.
    pub fn block(
        &mut self,
        label: impl Into<String>,
        conditional: bool,
        body: &[CompiledStatement],
    ) {
        let outer = self.conditional;
        self.conditional |= conditional;
        let statements = self.plan_statements(body);
        self.conditional = outer;
        if let Some(current) = self.stack.last_mut() {
            current.blocks.push(Block {
                label: label.into(),
                conditional,
                statements,
            });
        }
    }

    /// Plans a block with a `foreach` file bound to `name`.
    pub fn block_with_file(
        &mut self,
        name: &str,
        file: LoopFile,
        label: impl Into<String>,
        conditional: bool,
        body: &[CompiledStatement],
    ) {
        self.loop_files.push((name.to_string(), file));
        self.block(label, conditional, body);
        self.loop_files.pop();
    }

    /// Plans a block with a `foreach` record bound to `name`: its XML, if known.
    pub fn block_with_record(
        &mut self,
        name: &str,
        xml: Option<String>,
        label: impl Into<String>,
        conditional: bool,
        body: &[CompiledStatement],
    ) {
        self.records.push((name.to_string(), xml));
        self.block(label, conditional, body);
        self.records.pop();
    }

    /// Whether a `stop` that certainly runs ended the plan: loops take no further turn.
    #[must_use]
    pub fn is_stopped(&self) -> bool {
        self.stopped
    }

    /// `stop`: when it runs for certain, nothing after it is planned.
    pub fn stop(&mut self) {
        if !self.conditional {
            self.stopped = true;
        }
    }

    /// The script's text at `span`, secrets masked.
    #[must_use]
    pub fn source_text(&self, span: Span) -> String {
        let text = self.source.get(span.start..span.end).unwrap_or_default();
        crate::http::redact(text).into_owned()
    }

    /// The ledger the import and export statements use.
    #[must_use]
    pub fn ledger_path(&self) -> &Path {
        &self.ledger_path
    }

    /// The statement being planned writes records into the ledger.
    pub fn writes_ledger(&mut self) {
        let line = self.line();
        self.ledger_writes.push((self.ledger_path.clone(), line));
    }

    /// The last earlier statement that writes into the ledger in use, if any.
    #[must_use]
    pub fn ledger_written_by(&self) -> Option<usize> {
        self.ledger_writes
            .iter()
            .rev()
            .find(|(path, _)| *path == self.ledger_path)
            .map(|(_, line)| *line)
    }

    /// `ledger "FILE"`: the following statements use another ledger.
    pub fn set_ledger(&mut self, path: PathBuf) {
        self.ledger_path = path;
        self.remote_ledger = None;
    }

    /// `ledger tryton …`: the following statements post into a remote ledger, shown as
    /// `shown` (its writes are told apart from other ledgers' by that name).
    pub fn set_remote_ledger(&mut self, shown: String) {
        self.ledger_path = PathBuf::from(&shown);
        self.remote_ledger = Some(shown);
    }

    /// The remote ledger in use, as shown, if any.
    #[must_use]
    pub fn remote_ledger(&self) -> Option<&str> {
        self.remote_ledger.as_deref()
    }

    /// A path as shown: relative to the working directory when inside it.
    #[must_use]
    pub fn show(&self, path: &Path) -> String {
        path.strip_prefix(&self.workdir)
            .unwrap_or(path)
            .display()
            .to_string()
    }

    /// A path in the data folder as shown: below the data folder as it was given.
    #[must_use]
    pub fn show_data(&self, path: &Path) -> String {
        match path.strip_prefix(&self.data_dir) {
            Ok(rest) => self.data_shown.join(rest).display().to_string(),
            Err(_) => path.display().to_string(),
        }
    }

    /// The line whose result `name` is, if a statement so named was planned.
    fn result_line(&self, name: &str) -> Option<usize> {
        self.results
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, line)| *line)
    }

    /// Renders a template with what is known before the run.
    #[must_use]
    pub fn render(&self, template: &Template) -> Shown {
        let mut shown = Shown {
            text: String::new(),
            display: String::new(),
            known: true,
            depends_on: None,
        };
        let unknown = |shown: &mut Shown, placeholder: String, line: Option<usize>| {
            shown.text.push_str(&placeholder);
            shown.display.push_str(&placeholder);
            shown.known = false;
            shown.depends_on = shown.depends_on.or(line);
        };
        for part in &template.parts {
            match part {
                Part::Text(t) => {
                    shown.text.push_str(t);
                    shown.display.push_str(t);
                }
                Part::Env { name, .. } => {
                    shown
                        .text
                        .push_str(&std::env::var(name).unwrap_or_default());
                    shown.display.push_str("***");
                }
                Part::Loop {
                    variable, field, ..
                } => {
                    let file = self
                        .loop_files
                        .iter()
                        .rev()
                        .find(|(n, _)| n == variable)
                        .map(|(_, f)| f);
                    match file.and_then(|f| f.field(*field)) {
                        Some(value) => {
                            shown.text.push_str(&value);
                            shown.display.push_str(&value);
                        }
                        None => unknown(
                            &mut shown,
                            placeholder(variable, field_name(*field)),
                            file.and_then(LoopFile::written_by),
                        ),
                    }
                }
                Part::Record {
                    variable, field, ..
                } => {
                    let xml = self
                        .records
                        .iter()
                        .rev()
                        .find(|(n, _)| n == variable)
                        .and_then(|(_, xml)| xml.as_deref());
                    let value = xml.and_then(|xml| match field {
                        None => Some(xml.to_string()),
                        Some(xpath) => record_field(xml, &xpath.0),
                    });
                    match value {
                        Some(value) => {
                            shown.text.push_str(&value);
                            shown.display.push_str(&value);
                        }
                        None => {
                            let name = field.as_ref().map_or_else(
                                || format!("${{{variable}}}"),
                                |x| format!("${{{variable} `{}`}}", x.0.source()),
                            );
                            unknown(&mut shown, name, None);
                        }
                    }
                }
                Part::Result {
                    variable, field, ..
                } => unknown(
                    &mut shown,
                    placeholder(variable, field),
                    self.result_line(variable),
                ),
            }
        }
        shown
    }
}

fn placeholder(variable: &str, field: &str) -> String {
    if field.is_empty() {
        format!("${{{variable}}}")
    } else {
        format!("${{{variable}.{field}}}")
    }
}

fn field_name(field: FileField) -> &'static str {
    match field {
        FileField::Path => "",
        other => FileField::ALL
            .iter()
            .find(|(_, f)| *f == other)
            .map_or("", |(name, _)| name),
    }
}

/// The string value of an XPath on a record, when the record parses.
fn record_field(xml: &str, xpath: &crate::xpath::XPath) -> Option<String> {
    let doc = roxmltree::Document::parse(xml).ok()?;
    let value = xpath.evaluate(doc.root_element()).ok()?;
    Some(value.to_string_value())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::CompiledStatement;
    use crate::runtime::{Outcome, RunError, Runtime, Step};

    /// A statement that does not describe its effects, as one added later might be.
    #[derive(Debug)]
    struct Silent;

    impl Step for Silent {
        fn run(&self, _rt: &mut Runtime<'_>) -> Result<Outcome, RunError> {
            Ok(Outcome::success("done"))
        }
    }

    #[test]
    fn a_statement_without_a_plan_of_its_own_is_shown_as_running() {
        let program = Program {
            workflow: "t".into(),
            statements: vec![CompiledStatement {
                name: "email".into(),
                span: Span::new(0, 5),
                line: 2,
                continue_on_failure: false,
                step: Box::new(Silent),
                result_name: None,
            }],
            inputs: Vec::new(),
            statement_count: 1,
            warnings: Vec::new(),
        };
        let dir = tempfile::tempdir().expect("temp dir");
        let plan = plan_program(&program, "", dir.path());
        let effects = &plan.statements[0].effects;
        assert_eq!(effects.len(), 1);
        assert_eq!(effects[0].action, Action::Runs);
        assert_eq!(effects[0].detail.as_deref(), Some("runs email"));
        assert!(render_text(&plan).contains("line 2   email\n         runs email\n"));
        assert_eq!(std::fs::read_dir(dir.path()).expect("list").count(), 0);
    }
}
