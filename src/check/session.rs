//! A check in progress, fed one top-level line at a time, and [`compile`], which feeds it
//! from the parser as the script is read.
use std::sync::mpsc;

use super::scope::Scope;
use super::{CheckError, Checker, Lines, Program, default_workflow_name, downloads, urls};
use crate::source::{SourceFile, Span};
use crate::syntax;
use crate::syntax::ast::Item;

/// Top-level lines handed from the parser to the checker at a time.
const BATCH: usize = 256;

/// Batches parsed ahead of the checker at most (bounding the syntax tree held at once).
const BATCHES_IN_FLIGHT: usize = 4;

/// Parses and checks a script in one pass: each top-level line is checked as soon as it
/// is read and its syntax tree dropped, so memory holds the program, not the program and
/// the whole tree. Syntax errors win: when there are any, the check's are not reported.
///
/// The parser runs on a thread of its own, handing lines over in batches, so that on two
/// cores parsing and checking take turns no longer.
pub fn compile(source: &SourceFile, vars: &[(String, String)]) -> Result<Program, Problems> {
    let mut session = Session::new(source, vars);
    let syntax_errors = std::thread::scope(|scope| {
        let (send, lines) = mpsc::sync_channel::<Vec<Item>>(BATCHES_IN_FLIGHT);
        let parser = std::thread::Builder::new()
            .name("zynk-parse".into())
            .spawn_scoped(scope, move || {
                let mut batch = Vec::with_capacity(BATCH);
                let errors = syntax::parse_each(source, &mut |item| {
                    batch.push(item);
                    if batch.len() == BATCH {
                        let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                        let _ = send.send(full);
                    }
                });
                let _ = send.send(batch);
                errors
            });
        let Ok(parser) = parser else {
            // No thread to be had: parse and check in turn on this one.
            return syntax::parse_each(source, &mut |item| session.item(item));
        };
        for batch in lines {
            for item in batch {
                session.item(item);
            }
        }
        parser
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    });
    if syntax_errors.is_empty() {
        session.finish().map_err(Problems::Check)
    } else {
        Err(Problems::Syntax(syntax_errors))
    }
}

/// Why a script did not compile: its syntax errors, or, when it has none, its check errors.
#[derive(Debug)]
pub enum Problems {
    Syntax(Vec<syntax::SyntaxError>),
    Check(Vec<CheckError>),
}

impl Problems {
    /// Every problem, in the order found, as diagnostics.
    #[must_use]
    pub fn into_diagnostics(self) -> Vec<Box<dyn miette::Diagnostic>> {
        match self {
            Problems::Syntax(errors) => errors
                .into_iter()
                .map(|e| Box::new(e) as Box<dyn miette::Diagnostic>)
                .collect(),
            Problems::Check(errors) => errors
                .into_iter()
                .map(|e| Box::new(e) as Box<dyn miette::Diagnostic>)
                .collect(),
        }
    }
}

/// A check in progress: the top-level lines are given one at a time.
pub struct Session<'a> {
    checker: Checker<'a>,
    top: Lines,
    /// The params the script declares, for `--var` names.
    params: Vec<String>,
}

impl<'a> Session<'a> {
    #[must_use]
    pub fn new(source: &'a SourceFile, vars: &'a [(String, String)]) -> Session<'a> {
        let mut checker = Checker {
            source,
            vars,
            errors: Vec::new(),
            warnings: Vec::new(),
            scope: Scope::default(),
            workflow: None,
            ended_records: Vec::new(),
            downloads: downloads::Downloads::default(),
            hosts: urls::Hosts::default(),
            remote_ledger: None,
            seen: 0,
            compiled: 0,
        };
        checker.scope.push();
        Session {
            checker,
            top: Lines::default(),
            params: Vec::new(),
        }
    }

    /// Checks the next top-level line.
    pub fn item(&mut self, mut item: Item) {
        if let Item::Param(b) = &item {
            self.params.push(b.name.value.clone());
        }
        self.checker.check_item(&mut self.top, &mut item, true);
    }

    /// The program, or every mistake found.
    pub fn finish(self) -> Result<Program, Vec<CheckError>> {
        let Session {
            mut checker,
            top,
            params,
        } = self;
        checker.check_unused_vars(&params);
        if checker.errors.is_empty() && checker.compiled != checker.seen {
            debug_assert_eq!(
                checker.compiled, checker.seen,
                "a statement was dropped without an error"
            );
            checker.error(CheckError::Internal {
                statement: "script".into(),
                span: Span::new(0, 0).into(),
            });
        }
        let workflow = match checker.workflow.take() {
            Some((name, _)) => name,
            None => default_workflow_name(checker.source),
        };
        if checker.errors.is_empty() {
            Ok(Program {
                workflow,
                statements: top.out,
                statement_count: checker.compiled,
                warnings: checker.warnings,
            })
        } else {
            Err(checker.errors)
        }
    }
}
