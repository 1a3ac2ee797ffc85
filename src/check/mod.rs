//! Checking: turns an `Ast` into a `Program`, reporting every mistake in one pass.
//!
//! The checker touches no file and no network: it resolves names, binds each
//! statement's arguments to its task's parameters, checks their types, and lets each
//! task validate and compile what it was given.
mod args;
pub(crate) mod condition;
pub(crate) mod downloads;
pub(crate) mod error;
mod paths;
pub(crate) mod program;
mod reads;
pub(crate) mod scope;
mod session;
mod urls;

pub use args::{Args, Bound, BoundArg, format_number};
pub use error::{CheckError, CheckWarning, VarSource};
pub use program::{CompiledStatement, FileField, Part, Program, RecordXPath, Template};
pub use session::{Problems, compile};

use scope::{Const, Resolved, Scope, Var, VarKind};

use miette::SourceSpan;

use crate::source::{SourceFile, Span, Spanned};
use crate::suggest;
use crate::syntax;
use crate::syntax::ast::{Arg, Binding, Block, Expr, Item, Statement, StrPart};
use crate::tasks::{self, Registry};

/// The lines of one block (or of the script) checked so far.
#[derive(Default)]
struct Lines {
    out: Vec<CompiledStatement>,
    /// The `stop` met in these lines: what follows it cannot run.
    stopped_at: Option<Span>,
    unreachable_reported: bool,
}

/// The workflow name when the script declares none: the script's file stem.
fn default_workflow_name(source: &SourceFile) -> String {
    source.path.file_stem().map_or_else(
        || "workflow".to_string(),
        |s| s.to_string_lossy().into_owned(),
    )
}

/// The checker's state while it walks a script.
pub struct Checker<'a> {
    source: &'a SourceFile,
    /// The statements the script may use.
    registry: &'a Registry,
    vars: &'a [(String, String)],
    errors: Vec<CheckError>,
    warnings: Vec<CheckWarning>,
    scope: Scope,
    workflow: Option<(String, Span)>,
    /// Records of `foreach` loops that have ended, to explain a use after the loop.
    ended_records: Vec<(String, Span)>,
    hosts: urls::Hosts,
    /// The remote ledger chosen by the last `ledger tryton` met: its name, the statements it
    /// serves and where it was chosen (`None`: the embedded ledger).
    remote_ledger: Option<(&'static str, &'static [&'static str], Span)>,
    /// Statements met, and statements compiled: equal unless an error was reported.
    seen: usize,
    compiled: usize,
    /// The files statements write, and those they read (see `reads.rs`).
    files: reads::Files,
    /// Whether the statement being checked is at the top level of the script.
    at_top: bool,
}

impl Checker<'_> {
    /// The statements the script may use.
    #[must_use]
    pub fn registry(&self) -> &Registry {
        self.registry
    }

    /// Records a mistake.
    pub fn error(&mut self, error: CheckError) {
        let error = self.against_var(error);
        self.errors.push(error);
    }

    /// A mistake labelled on a param whose value came from `--var NAME=VALUE` is the
    /// `--var`'s mistake: it is shown against the `--var` text, naming the script line that
    /// rejected the value.
    fn against_var(&self, error: CheckError) -> CheckError {
        if self.vars.is_empty() || matches!(error, CheckError::InvalidParamValue { .. }) {
            return error;
        }
        let Some(label) = miette::Diagnostic::labels(&error).and_then(|mut l| l.next()) else {
            return error;
        };
        let Some(text) = self
            .source
            .text
            .get(label.offset()..label.offset() + label.len())
        else {
            return error;
        };
        // A value with its unit (`keep days days`) is the value's mistake too.
        let mut words = text.split_whitespace();
        let first = words.next().unwrap_or_default();
        let with_unit = matches!(
            (words.next(), words.next()),
            (Some(unit), None) if unit.chars().all(char::is_alphabetic)
        );
        let name = if with_unit { first } else { text };
        let name = name.split('.').next().unwrap_or_default();
        let Some((name, value)) = self.vars.iter().find(|(n, _)| n == name) else {
            return error;
        };
        if self.scope.lookup(name).is_none() {
            return error;
        }
        let (line, _) = self.source.line_col(label.offset());
        let reason = label.label().unwrap_or("not accepted here").to_string();
        let help = miette::Diagnostic::help(&error).map(|h| h.to_string());
        CheckError::VarRejected {
            message: error.to_string(),
            var: VarSource::new(name, value),
            span: VarSource::value_span(name, value),
            reason,
            help: format!(
                "`{name}` is used on line {line} of {}{}",
                self.source.name,
                help.map(|h| format!(": {h}")).unwrap_or_default()
            ),
        }
    }

    /// Records something that is allowed but probably wrong.
    pub fn warn(&mut self, warning: CheckWarning) {
        self.warnings.push(warning);
    }

    /// The following statements use a remote ledger `name` that serves only `serves`.
    pub fn use_remote_ledger(
        &mut self,
        name: &'static str,
        serves: &'static [&'static str],
        span: Span,
    ) {
        self.remote_ledger = Some((name, serves, span));
    }

    /// Whether a remote ledger is in force.
    #[must_use]
    pub fn uses_remote_ledger(&self) -> bool {
        self.remote_ledger.is_some()
    }

    /// The following statements use the embedded ledger.
    pub fn use_embedded_ledger(&mut self) {
        self.remote_ledger = None;
    }

    /// Reports `statement` at `span` when the ledger in force cannot serve it; returns
    /// whether it can.
    pub fn ledger_serves(&mut self, statement: &str, span: Span) -> bool {
        let Some((name, serves, chosen)) = self.remote_ledger else {
            return true;
        };
        if serves.contains(&statement) {
            return true;
        }
        self.error(CheckError::LedgerCannot {
            statement: statement.to_string(),
            ledger: name.to_string(),
            span: span.into(),
            ledger_span: chosen.into(),
            help: format!(
                "{name} serves {}; run this statement against the embedded ledger (a `ledger \"FILE\"` line before it)",
                serves
                    .iter()
                    .map(|s| format!("`{s}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        });
        false
    }

    /// Whether a param, let or loop variable `name` is in scope (nothing is reported).
    #[must_use]
    pub fn has_var(&self, name: &str) -> bool {
        self.scope.lookup(name).is_some()
    }

    /// Every variable name in scope, for suggestions.
    #[must_use]
    pub fn var_names(&self) -> Vec<String> {
        self.scope.names()
    }

    /// Checks a block's lines, dropping each one's syntax once it is compiled.
    fn check_items(&mut self, items: &mut Vec<Item>, top: bool) -> Vec<CompiledStatement> {
        let mut lines = Lines::default();
        for mut item in std::mem::take(items) {
            self.check_item(&mut lines, &mut item, top);
        }
        lines.out
    }

    fn check_item(&mut self, lines: &mut Lines, item: &mut Item, top: bool) {
        match item {
            Item::Workflow(w) => self.check_workflow(w.span, &w.name, top),
            Item::Param(b) => self.check_binding(b, true, top),
            Item::Let(b) => self.check_binding(b, false, top),
            Item::Statement(s) if lines.stopped_at.is_some() => {
                if !lines.unreachable_reported
                    && let Some(stop) = lines.stopped_at
                {
                    lines.unreachable_reported = true;
                    self.error(CheckError::Unreachable {
                        span: s.span.into(),
                        stop_span: stop.into(),
                        help: "remove it, or put the `stop` inside an `if` so the run goes on when the condition is false".into(),
                    });
                }
                let _ = self.check_statement(s);
            }
            Item::Statement(s) => {
                self.seen += 1;
                self.at_top = top;
                let before = self.errors.len();
                match self.check_statement(s) {
                    Some(compiled) => {
                        self.compiled += 1;
                        if compiled.name == "stop" {
                            lines.stopped_at = Some(compiled.span);
                        }
                        if top && compiled.name == "if" {
                            self.files.branched = true;
                        }
                        lines.out.push(compiled);
                    }
                    None if self.errors.len() == before => {
                        self.error(CheckError::Internal {
                            statement: statement_words(s),
                            span: s.span.into(),
                        });
                    }
                    None => {}
                }
            }
            Item::Field(f) => self.error(CheckError::MisplacedField {
                span: f.span.into(),
            }),
        }
    }

    fn check_workflow(&mut self, span: Span, name: &Expr, top: bool) {
        if !top {
            self.error(CheckError::InvalidWorkflowName {
                message: "`workflow` must be at the top level".into(),
                span: span.into(),
                help: "move the `workflow` line to the start of the script".into(),
            });
            return;
        }
        if let Some((_, first)) = &self.workflow {
            self.error(CheckError::DuplicateWorkflow {
                span: span.into(),
                first_span: (*first).into(),
            });
            return;
        }
        let name_span = name.span();
        let text = match self.resolve(name) {
            Some(Resolved::Const(Const::Text(t))) => t,
            Some(_) => {
                self.error(CheckError::InvalidWorkflowName {
                    message: "the workflow name must be fixed text".into(),
                    span: name_span.into(),
                    help: "write the name as a string: workflow \"Website Sync\"".into(),
                });
                return;
            }
            None => return,
        };
        let bad = text.trim().is_empty()
            || text.contains(['/', '\\', ':', '*', '?', '"', '<', '>', '|'])
            || text.starts_with('.');
        if bad {
            self.error(CheckError::InvalidWorkflowName {
                message: format!("`{text}` cannot name the working directory"),
                span: name_span.into(),
                help: "the workflow name is a folder name: avoid / \\ : * ? \" < > | and a leading dot".into(),
            });
            return;
        }
        self.workflow = Some((text, span));
    }

    fn check_binding(&mut self, binding: &Binding, is_param: bool, top: bool) {
        if is_param && !top {
            self.error(CheckError::InvalidValue {
                message: "`param` must be at the top level".into(),
                span: binding.span.into(),
                label: "inside a block".into(),
                help: "declare params at the start of the script; use `let` inside blocks".into(),
            });
        }
        let name = &binding.name;
        if let Some(first) = self.scope.lookup(&name.value) {
            self.error(CheckError::DuplicateVariable {
                name: name.value.clone(),
                span: name.span.into(),
                first_span: first.span.into(),
            });
            return;
        }
        if matches!(name.value.as_str(), "true" | "false") {
            self.error(CheckError::InvalidValue {
                message: format!("`{}` cannot be a variable name", name.value),
                span: name.span.into(),
                label: "reserved".into(),
                help: "pick another name".into(),
            });
            return;
        }
        let Some(mut value) = self.resolve(&binding.value) else {
            // Define it anyway so later uses do not cascade into unknown-variable errors.
            self.scope.define(Var {
                name: name.value.clone(),
                span: name.span,
                kind: VarKind::Value(Resolved::Const(Const::Text(String::new()))),
            });
            return;
        };
        if is_param && let Some((_, raw)) = self.vars.iter().find(|(n, _)| *n == name.value) {
            match override_value(&value, raw) {
                Ok(v) => value = v,
                Err(reason) => {
                    let (line, _) = self.source.line_col(binding.span.start);
                    let expected = if reason.starts_with("out of range") {
                        format!("{} in range", describe_resolved(&value))
                    } else {
                        describe_resolved(&value).into()
                    };
                    self.error(CheckError::InvalidParamValue {
                        name: name.value.clone(),
                        value: raw.clone(),
                        expected,
                        var: VarSource::new(&name.value, raw),
                        span: VarSource::value_span(&name.value, raw),
                        reason,
                        help: format!(
                            "`{}` is declared as {} on line {line} of {}",
                            name.value,
                            describe_resolved(&value),
                            self.source.name
                        ),
                    });
                }
            }
        }
        self.scope.define(Var {
            name: name.value.clone(),
            span: name.span,
            kind: VarKind::Value(value),
        });
    }

    /// `--var` names must be declared params.
    fn check_unused_vars(&mut self, params: &[String]) {
        for (name, _) in self.vars {
            if !params.contains(name) {
                let help = if params.is_empty() {
                    "this script declares no params; add `param NAME = default` to it".to_string()
                } else {
                    suggest::did_you_mean(name, params.iter(), "the script's params are")
                };
                let value = self
                    .vars
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default();
                self.error(CheckError::UndeclaredParam {
                    name: name.clone(),
                    var: VarSource::new(name, &value),
                    span: SourceSpan::new("--var ".len().into(), name.len()),
                    help,
                });
            }
        }
    }

    /// Checks and compiles one statement; its block and `else` block are moved into the
    /// task's arguments, not copied.
    fn check_statement(&mut self, statement: &mut Statement) -> Option<CompiledStatement> {
        let words: Vec<&Spanned<String>> = statement
            .args
            .iter()
            .map_while(|a| match a {
                Arg::Word(w) => Some(w),
                Arg::Value(_) => None,
            })
            .collect();
        let first = statement.args.first()?;
        if let Some(word) = words.first().filter(|w| w.value == "else") {
            self.error(CheckError::ElseWithoutIf {
                span: word.span.into(),
                help: "write `else` on the line of the `}` that closes the `if` block: `} else {`"
                    .into(),
            });
            return None;
        }
        if let Some(keyword) = words.first().map(|w| w.value.as_str())
            && matches!(keyword, "param" | "let" | "workflow")
        {
            let written = self
                .source
                .text
                .get(statement.span.start..statement.span.end)
                .unwrap_or_default();
            let name = words.get(1).filter(|_| keyword != "workflow");
            let help = match name {
                None if keyword == "workflow" => "write `workflow \"Name\"`".to_string(),
                Some(name) if written.contains("==") => format!(
                    "a `{keyword}` gets its value with one `=`: write `{keyword} {} = value`",
                    name.value
                ),
                _ => format!("write `{keyword} name = value`"),
            };
            self.error(CheckError::MalformedDeclaration {
                keyword: keyword.to_string(),
                span: statement.span.into(),
                help,
            });
            // The name is declared all the same, so its uses are not mistakes of their own.
            if let Some(name) = name
                && self.scope.lookup(&name.value).is_none()
            {
                self.scope.define(Var {
                    name: name.value.clone(),
                    span: name.span,
                    kind: VarKind::Value(Resolved::Const(Const::Text(String::new()))),
                });
            }
            return None;
        }
        let task = self.registry.find(words.iter().map(|w| w.value.as_str()));
        let Some(task) = task else {
            if words.is_empty() {
                let (_, column) = self.source.line_col(first.span().start);
                let help = if column > 1 {
                    "an indented line continues the statement above only when it starts with one of its words (e.g. `to`, `overwrite`): put the value at the end of the line above, or begin this line with its word"
                } else {
                    "a statement starts with its name, e.g. `copy \"a.xml\" to \"b.xml\"`"
                };
                self.error(CheckError::NoStatementName {
                    span: first.span().into(),
                    help: help.to_string(),
                });
                return None;
            }
            let written: Vec<&str> = words.iter().take(3).map(|w| w.value.as_str()).collect();
            let (name, span) = match words.first() {
                Some(w) => (w.value.clone(), w.span),
                None => (String::new(), first.span()),
            };
            let candidates = self.registry.names();
            let guess = (1..=written.len()).rev().find_map(|n| {
                suggest::closest(&written[..n].join(" "), candidates.iter()).map(|g| (g, n))
            });
            let (help_guess, span, name) = match guess {
                Some((g, n)) => (
                    Some(g),
                    span.join(words[n - 1].span),
                    written[..n].join(" "),
                ),
                None => (None, span, name),
            };
            let guess = help_guess;
            let habit = words
                .first()
                .and_then(|w| syntax::habits::word_help(&w.value));
            let help = match guess {
                _ if habit.is_some() => habit.unwrap_or_default(),
                Some(g) => format!("did you mean `{g}`?"),
                None if words.is_empty() => {
                    "a statement starts with its name, e.g. `fetch`, `notify` or `foreach`"
                        .to_string()
                }
                None => format!(
                    "the statements are {}",
                    candidates
                        .iter()
                        .map(|c| format!("`{c}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            self.error(CheckError::UnknownStatement {
                name,
                span: span.into(),
                help,
            });
            return None;
        };
        let head_len = task.head().len();
        let head_span = words[0].span.join(words[head_len - 1].span);
        let mut rest = &statement.args[head_len..];
        let result_name = if task.takes_condition() {
            None
        } else {
            self.result_name(task, &mut rest)
        };
        let mut args = Args {
            statement: task.name(),
            head_span,
            span: statement.span,
            values: Vec::new(),
            block: statement.block.take(),
            otherwise: statement.otherwise.take(),
            raw: Vec::new(),
            given: Vec::new(),
        };
        let before = self.errors.len();
        if task.takes_condition() {
            args.raw = rest.to_vec();
        } else {
            self.bind(task, rest, &mut args);
        }
        if let Some(otherwise) = &args.otherwise
            && !task.takes_condition()
        {
            self.error(CheckError::ElseWithoutIf {
                span: Span::new(otherwise.span.start, otherwise.span.start + 1).into(),
                help: format!(
                    "only `if` takes an `else` block; `{}` does not",
                    task.name()
                ),
            });
        }
        match (&args.block, task.takes_block()) {
            (None, true) => self.error(CheckError::BlockMismatch {
                message: format!("`{}` needs a block", task.name()),
                span: head_span.into(),
                label: "no `{ … }` after this statement".into(),
                help: format!(
                    "for example:\n    {}",
                    task.example().replace('\n', "\n    ")
                ),
            }),
            (Some(block), false) => self.error(CheckError::BlockMismatch {
                message: format!("`{}` does not take a block", task.name()),
                span: Span::new(block.span.start, block.span.start + 1).into(),
                label: "unexpected block".into(),
                help: block_takers(self.registry),
            }),
            _ => {}
        }
        if self.errors.len() == before {
            self.check_paths(&args);
        }
        if self.errors.len() > before {
            return None;
        }
        let step = task.compile(&mut args, self)?;
        if let Some(name) = &result_name {
            self.scope.define(Var {
                name: name.value.clone(),
                span: name.span,
                kind: VarKind::Result {
                    statement: task.name(),
                    fields: task.results(),
                },
            });
        }
        Some(CompiledStatement {
            name: match task.head() {
                [word] => std::borrow::Cow::Borrowed(*word),
                _ => std::borrow::Cow::Owned(task.name()),
            },
            span: statement.span,
            line: self.source.line_col(statement.span.start).0,
            continue_on_failure: statement.continue_on_failure.is_some(),
            step,
            result_name: result_name.map(|n| n.value),
        })
    }

    /// Takes `as NAME` off the end of a statement's arguments.
    fn result_name(
        &mut self,
        task: &dyn tasks::Task,
        rest: &mut &[Arg],
    ) -> Option<Spanned<String>> {
        let [before @ .., Arg::Word(as_word), Arg::Word(name)] = *rest else {
            return None;
        };
        if as_word.value != "as" {
            return None;
        }
        *rest = before;
        if task.results().is_empty() {
            let takers: Vec<String> = self
                .registry
                .tasks()
                .filter(|t| !t.results().is_empty())
                .map(|t| format!("`{}`", t.name()))
                .collect();
            self.error(CheckError::NoResults {
                statement: task.name(),
                span: as_word.span.join(name.span).into(),
                help: format!("statements with results are {}", takers.join(", ")),
            });
            return None;
        }
        if let Some(first) = self.scope.lookup(&name.value) {
            let first_span = first.span;
            self.error(CheckError::DuplicateVariable {
                name: name.value.clone(),
                span: name.span.into(),
                first_span: first_span.into(),
            });
            return None;
        }
        Some(name.clone())
    }

    /// Checks a block in a scope of its own (the branches of `if`).
    pub fn check_block(&mut self, block: &mut Block) -> Vec<CompiledStatement> {
        self.scope.push();
        let out = self.check_items(&mut block.items, false);
        self.scope.pop();
        out
    }

    /// Checks a `foreach` block with its record in scope.
    pub fn check_block_with_record(
        &mut self,
        block: &mut Block,
        variable: &Spanned<String>,
        loop_span: Span,
    ) -> Vec<CompiledStatement> {
        let out = self.check_block_with(block, variable, VarKind::Record);
        self.ended_records.push((variable.value.clone(), loop_span));
        out
    }

    /// Checks a block with a loop variable in scope; used by `foreach`.
    pub fn check_block_with_file(
        &mut self,
        block: &mut Block,
        variable: &Spanned<String>,
    ) -> Vec<CompiledStatement> {
        self.check_block_with(block, variable, VarKind::File)
    }

    /// Checks a block in a scope of its own holding the loop variable; a name already in
    /// scope is a duplicate.
    fn check_block_with(
        &mut self,
        block: &mut Block,
        variable: &Spanned<String>,
        kind: VarKind,
    ) -> Vec<CompiledStatement> {
        if let Some(first) = self.scope.lookup(&variable.value) {
            let first_span = first.span;
            self.error(CheckError::DuplicateVariable {
                name: variable.value.clone(),
                span: variable.span.into(),
                first_span: first_span.into(),
            });
        }
        self.scope.push();
        self.scope.define(Var {
            name: variable.value.clone(),
            span: variable.span,
            kind,
        });
        let out = self.check_items(&mut block.items, false);
        self.scope.pop();
        out
    }

    /// Resolves an expression to a constant or a run-time template.
    pub(crate) fn resolve(&mut self, expr: &Expr) -> Option<Resolved> {
        match expr {
            Expr::Number { value, .. } => Some(Resolved::Const(Const::Number(*value))),
            Expr::Duration { value, .. } => Some(Resolved::Const(Const::Duration(*value))),
            Expr::XPath {
                text, text_span, ..
            } => Some(Resolved::Const(Const::XPath {
                text: text.clone(),
                text_span: *text_span,
            })),
            Expr::String(s) => {
                let mut parts: Vec<Part> = Vec::new();
                let mut ok = true;
                for part in &s.parts {
                    match part {
                        StrPart::Text(t) => push_text(&mut parts, t),
                        StrPart::Interp(e) => match self.resolve(e) {
                            Some(Resolved::Const(c)) => match const_text(&c) {
                                Some(t) => push_text(&mut parts, &t),
                                None => {
                                    self.error(CheckError::WrongType {
                                        option: "${…}".into(),
                                        expected: "text".into(),
                                        found: c.describe().into(),
                                        span: e.span().into(),
                                        help: "an XPath cannot be interpolated into text".into(),
                                    });
                                    ok = false;
                                }
                            },
                            Some(Resolved::Template(t)) => {
                                for p in t.parts {
                                    match p {
                                        Part::Text(t) => push_text(&mut parts, &t),
                                        other => parts.push(other),
                                    }
                                }
                            }
                            None => ok = false,
                        },
                    }
                }
                if !ok {
                    return None;
                }
                let template = Template {
                    parts,
                    span: s.span,
                };
                Some(match template.constant() {
                    Some(t) => Resolved::Const(Const::Text(t)),
                    None => Resolved::Template(template),
                })
            }
            Expr::Path(path) => self.resolve_path(path),
            Expr::Call { name, args, span } => self.resolve_call(name, args, *span),
            Expr::RecordField {
                record,
                xpath,
                text_span,
                span,
            } => self.resolve_record_field(record, xpath, *text_span, *span),
        }
    }

    /// `order `Id``: the string value of an XPath relative to a `foreach` record.
    pub(crate) fn resolve_record_field(
        &mut self,
        record: &Spanned<String>,
        xpath: &str,
        text_span: Span,
        span: Span,
    ) -> Option<Resolved> {
        match self.scope.lookup(&record.value).map(|v| v.kind.clone()) {
            Some(VarKind::Record) => {}
            Some(kind) => {
                let found = match kind {
                    VarKind::File => "a file: its fields are `.name`, `.stem`, `.size`, …",
                    VarKind::Result { .. } => "a statement's results: read them as `name.field`",
                    _ => "a value",
                };
                self.error(CheckError::NotRecordLoop {
                    variable: record.value.clone(),
                    span: record.span.into(),
                    found: found.into(),
                    help:
                        "an XPath field reads from a record of `foreach NAME in FILE by xpath `…``"
                            .into(),
                });
                return None;
            }
            None => {
                self.unknown_or_ended(record);
                return None;
            }
        }
        let compiled = match crate::xpath::compile(xpath) {
            Ok(x) => x,
            Err(e) => {
                self.error(CheckError::invalid_xpath(&e, text_span));
                return None;
            }
        };
        if compiled.subtree_reach(0).is_none() {
            self.error(CheckError::InvalidValue {
                message: format!("`{xpath}` reaches outside the record"),
                span: text_span.into(),
                label: "not relative to the record".into(),
                help: format!(
                    "a field is read inside each record on its own: write a relative path such as `{}`",
                    xpath.trim_start_matches('/').rsplit('/').next().unwrap_or("Id")
                ),
            });
            return None;
        }
        Some(Resolved::Template(Template {
            parts: vec![Part::Record {
                variable: record.value.clone(),
                field: Some(Box::new(program::RecordXPath(compiled))),
                span,
            }],
            span,
        }))
    }

    /// Reports a name that is not in scope, explaining a record used after its loop.
    fn unknown_or_ended(&mut self, name: &Spanned<String>) {
        if let Some((_, loop_span)) = self
            .ended_records
            .iter()
            .rev()
            .find(|(n, _)| *n == name.value)
        {
            self.error(CheckError::RecordOutsideLoop {
                variable: name.value.clone(),
                span: name.span.into(),
                loop_span: (*loop_span).into(),
                help: "use the record inside the loop's block, or `write` what you need to a file there and read the file later".into(),
            });
            return;
        }
        let help = match suggest::closest(&name.value, self.scope.names()) {
            Some(c) => format!("did you mean `{c}`?"),
            None => format!(
                "declare it with `let {0} = …` or `param {0} = …`",
                name.value
            ),
        };
        self.error(CheckError::UnknownVariable {
            name: name.value.clone(),
            span: name.span.into(),
            help,
        });
    }

    fn resolve_path(&mut self, path: &Spanned<String>) -> Option<Resolved> {
        match path.value.as_str() {
            "true" => return Some(Resolved::Const(Const::Bool(true))),
            "false" => return Some(Resolved::Const(Const::Bool(false))),
            _ => {}
        }
        let mut pieces = path.value.split('.');
        let name = pieces.next().unwrap_or_default();
        let field = pieces.next();
        let extra = pieces.next();
        let name_span = Span::new(path.span.start, path.span.start + name.len());
        let Some(var) = self.scope.lookup(name).cloned() else {
            if self.ended_records.iter().any(|(n, _)| n == name) {
                self.unknown_or_ended(&Spanned::new(name.to_string(), name_span));
                return None;
            }
            let yes_no = match name.to_ascii_lowercase().as_str() {
                "yes" | "y" | "on" => Some("true"),
                "no" | "n" | "off" => Some("false"),
                _ => None,
            };
            let habit = syntax::habits::word_help(name);
            const NUMBERS: [&str; 11] = [
                "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                "ten",
            ];
            let digits = NUMBERS.iter().position(|n| name.eq_ignore_ascii_case(n));
            let help = match (yes_no, suggest::closest(name, self.scope.names())) {
                _ if habit.is_some() => habit.unwrap_or_default(),
                _ if digits.is_some() => format!(
                    "a number is written in digits: write `{}`",
                    digits.unwrap_or_default()
                ),
                (Some(b), _) => format!(
                    "a yes/no option takes `true` or `false`: write `{b}`; to write text, put it in double quotes: \"{}\"",
                    path.value
                ),
                (None, Some(c)) => format!("did you mean `{c}`?"),
                (None, None) => format!(
                    "declare it with `let {name} = …` or `param {name} = …`; to write text, put it in double quotes: \"{}\"",
                    path.value
                ),
            };
            self.error(CheckError::UnknownVariable {
                name: name.to_string(),
                span: name_span.into(),
                help,
            });
            return None;
        };
        match (&var.kind, field) {
            (VarKind::Value(v), None) => Some(v.clone()),
            (VarKind::Value(_), Some(_)) => {
                self.error(CheckError::NotARecord {
                    variable: name.to_string(),
                    span: path.span.into(),
                });
                None
            }
            (VarKind::Record, None) => Some(Resolved::Template(Template {
                parts: vec![Part::Record {
                    variable: name.to_string(),
                    field: None,
                    span: path.span,
                }],
                span: path.span,
            })),
            (VarKind::Record, Some(_)) => {
                self.error(CheckError::NotRecordLoop {
                    variable: path.value.clone(),
                    span: path.span.into(),
                    found: "a record's fields are read with an XPath".into(),
                    help: format!("write `${{{name} `…`}}` with a path relative to the record, e.g. `${{{name} `Id`}}`"),
                });
                None
            }
            (VarKind::Result { .. }, None) => {
                self.error(CheckError::InvalidValue {
                    message: format!("`{name}` names a statement's results, not a value"),
                    span: path.span.into(),
                    label: "which result?".into(),
                    help: format!(
                        "read one of them, e.g. `{name}.{}`",
                        result_fields(&var.kind)
                            .first()
                            .copied()
                            .unwrap_or("imported")
                    ),
                });
                None
            }
            (VarKind::Result { statement, fields }, Some(f)) => {
                let field_start = name_span.end + 1;
                let field_span = Span::new(field_start, field_start + f.len());
                match fields.iter().find(|(n, _)| *n == f) {
                    Some((field, _)) if extra.is_none() => Some(Resolved::Template(Template {
                        parts: vec![Part::Result {
                            variable: name.to_string(),
                            field,
                            span: path.span,
                        }],
                        span: path.span,
                    })),
                    Some(_) => {
                        self.error(CheckError::NotARecord {
                            variable: format!("{name}.{f}"),
                            span: path.span.into(),
                        });
                        None
                    }
                    None => {
                        self.error(CheckError::UnknownResult {
                            statement: statement.clone(),
                            field: f.to_string(),
                            span: field_span.into(),
                            help: suggest::did_you_mean(
                                f,
                                fields.iter().map(|(n, _)| *n),
                                &format!("the results of `{statement}` are"),
                            ),
                        });
                        None
                    }
                }
            }
            (VarKind::File, None) => Some(loop_template(name, FileField::Path, path.span)),
            (VarKind::File, Some(f)) => {
                let field_start = name_span.end + 1;
                let field_span = Span::new(field_start, field_start + f.len());
                match (FileField::from_name(f), extra) {
                    (Some(field), None) => Some(loop_template(name, field, path.span)),
                    (None, _) => {
                        let names = FileField::ALL.iter().map(|(n, _)| *n);
                        self.error(CheckError::UnknownField {
                            variable: name.to_string(),
                            field: f.to_string(),
                            span: field_span.into(),
                            help: suggest::did_you_mean(f, names, "the fields are"),
                        });
                        None
                    }
                    (Some(_), Some(_)) => {
                        self.error(CheckError::NotARecord {
                            variable: format!("{name}.{f}"),
                            span: path.span.into(),
                        });
                        None
                    }
                }
            }
        }
    }

    fn resolve_call(
        &mut self,
        name: &Spanned<String>,
        args: &[Expr],
        span: Span,
    ) -> Option<Resolved> {
        if name.value != "env" {
            self.error(CheckError::UnknownFunction {
                name: name.value.clone(),
                span: name.span.into(),
                help: suggest::did_you_mean(&name.value, ["env"], "the functions are"),
            });
            return None;
        }
        let [arg] = args else {
            self.error(CheckError::WrongArguments {
                name: "env".into(),
                expected: "one argument, the variable's name".into(),
                span: span.into(),
                found: format!("{} arguments", args.len()),
                help: "write `env(\"NAME\")`".into(),
            });
            return None;
        };
        match self.resolve(arg)? {
            Resolved::Const(Const::Text(var)) if !var.is_empty() => {
                Some(Resolved::Template(Template {
                    parts: vec![Part::Env { name: var, span }],
                    span,
                }))
            }
            other => {
                self.error(CheckError::WrongArguments {
                    name: "env".into(),
                    expected: "the name of an environment variable as fixed text".into(),
                    span: arg.span().into(),
                    found: describe_resolved(&other).into(),
                    help: "write `env(\"NAME\")`".into(),
                });
                None
            }
        }
    }
}

fn result_fields(kind: &VarKind) -> Vec<&'static str> {
    match kind {
        VarKind::Result { fields, .. } => fields.iter().map(|(n, _)| *n).collect(),
        _ => Vec::new(),
    }
}

/// The leading words of a statement, for messages.
fn statement_words(statement: &Statement) -> String {
    let words: Vec<&str> = statement
        .args
        .iter()
        .map_while(|a| match a {
            Arg::Word(w) => Some(w.value.as_str()),
            Arg::Value(_) => None,
        })
        .take(2)
        .collect();
    if words.is_empty() {
        "statement".into()
    } else {
        words.join(" ")
    }
}

fn loop_template(variable: &str, field: FileField, span: Span) -> Resolved {
    Resolved::Template(Template {
        parts: vec![Part::Loop {
            variable: variable.to_string(),
            field,
            span,
        }],
        span,
    })
}

fn push_text(parts: &mut Vec<Part>, text: &str) {
    if let Some(Part::Text(last)) = parts.last_mut() {
        last.push_str(text);
    } else {
        parts.push(Part::Text(text.to_string()));
    }
}

fn const_text(c: &Const) -> Option<String> {
    match c {
        Const::Text(t) => Some(t.clone()),
        Const::Number(n) => Some(format_number(*n)),
        Const::Bool(b) => Some(b.to_string()),
        Const::Duration(d) => Some(format!("{}s", d.as_secs_f64())),
        Const::XPath { .. } => None,
    }
}

fn describe_resolved(value: &Resolved) -> &'static str {
    match value {
        Resolved::Const(c) => c.describe(),
        Resolved::Template(_) => "text known only while running",
    }
}

/// Parses a `--var` value as the same type as the param's default; the error says what
/// is wrong with it.
fn override_value(default: &Resolved, raw: &str) -> Result<Resolved, String> {
    let text = raw.trim();
    let value = match default {
        Resolved::Const(Const::Number(_)) => match text.parse::<f64>() {
            Ok(n) if n.abs() <= syntax::MAX_NUMBER => Const::Number(n),
            Ok(_) => {
                return Err(format!(
                    "out of range: numbers range from -{max} to {max}",
                    max = format_number(syntax::MAX_NUMBER)
                ));
            }
            Err(_) => return Err("not a number".into()),
        },
        Resolved::Const(Const::Bool(_)) => {
            Const::Bool(text.parse().map_err(|_| "not `true` or `false`")?)
        }
        Resolved::Const(Const::Duration(_)) => {
            let is_duration = text.len() > 1
                && text.starts_with(|c: char| c.is_ascii_digit())
                && ["ms", "s", "m", "h"].iter().any(|unit| {
                    text.strip_suffix(unit)
                        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
                });
            if !is_duration {
                return Err("not a duration such as `30s`, `2m` or `500ms`".into());
            }
            Const::Duration(
                syntax::parse_duration(text)
                    .ok_or("out of range: durations range from `0ms` to `24h`")?,
            )
        }
        Resolved::Const(Const::XPath { text_span, .. }) => {
            if let Err(error) = crate::xpath::compile(raw) {
                return Err(format!("not a valid XPath: {error}"));
            }
            Const::XPath {
                text: raw.to_string(),
                text_span: *text_span,
            }
        }
        Resolved::Const(Const::Text(_)) | Resolved::Template(_) => Const::Text(raw.to_string()),
    };
    Ok(Resolved::Const(value))
}

fn block_takers(registry: &Registry) -> String {
    let names: Vec<String> = registry
        .tasks()
        .filter(|t| t.takes_block())
        .map(|t| format!("`{}`", t.name()))
        .collect();
    format!("only {} take a `{{ … }}` block", names.join(" and "))
}
