//! A check in progress, fed one top-level line at a time, and [`compile`], which feeds it
//! from the parser as the script is read.
use super::scope::Scope;
use super::{CheckError, Checker, Lines, Program, default_workflow_name, urls};
use crate::source::{SourceFile, Span};
use crate::syntax;
use crate::syntax::ast::Item;
use crate::tasks::Registry;

/// Parses and checks a script in one pass: each top-level line is checked as soon as it
/// is read and its syntax tree dropped, so memory holds the program, not the program and
/// the whole tree. With syntax errors, the check's errors they explain are dropped.
pub fn compile(
    source: &SourceFile,
    registry: &Registry,
    vars: &[(String, String)],
) -> Result<Program, Problems> {
    let mut session = Session::new(source, registry, vars);
    let syntax_errors = syntax::parse_each(source, registry, &mut |item| session.item(item));
    if syntax_errors.is_empty() {
        session.finish().map_err(Problems::Check)
    } else {
        let check = session.finish().err().unwrap_or_default();
        let independent = independent_of(check, &syntax_errors, source);
        Err(Problems::Syntax(syntax_errors, independent))
    }
}

/// The check errors that a script's syntax errors do not explain. The parser skips a line it
/// cannot read and goes on at the next, so the lines after it are still checked; what is
/// dropped is what follows from the skipped lines: errors on those lines, and uses of a
/// variable that a skipped `let` or `param` would have declared.
fn independent_of(
    check: Vec<CheckError>,
    syntax_errors: &[syntax::SyntaxError],
    source: &SourceFile,
) -> Vec<CheckError> {
    let line_of = |d: &dyn miette::Diagnostic| {
        d.labels()
            .and_then(|mut labels| labels.next())
            .map(|l| source.line_col(l.offset()).0)
    };
    let bad_lines: Vec<usize> = syntax_errors.iter().filter_map(|e| line_of(e)).collect();
    let lines: Vec<&str> = source.text.lines().collect();
    let undeclared: Vec<&str> = bad_lines
        .iter()
        .filter_map(|&line| lines.get(line.checked_sub(1)?))
        .filter_map(|text| {
            let mut words = text.split_whitespace();
            match words.next()? {
                "let" | "param" => words.next().map(|w| w.trim_end_matches('=')),
                _ => None,
            }
        })
        .collect();
    let error_offsets: Vec<usize> = syntax_errors
        .iter()
        .filter_map(|e| {
            miette::Diagnostic::labels(e)
                .and_then(|mut l| l.next())
                .map(|l| l.offset())
        })
        .collect();
    check
        .into_iter()
        .filter(|e| !line_of(e).is_some_and(|line| bad_lines.contains(&line)))
        // A complaint about a whole block (empty, maps nothing) that holds a line the
        // parser could not read follows from that line.
        .filter(|e| {
            let span = match e {
                CheckError::EmptyBlock { block_span, .. } => Some(*block_span),
                _ => miette::Diagnostic::labels(e)
                    .and_then(|mut l| l.next())
                    .map(|l| *l.inner()),
            };
            !span.is_some_and(|span| {
                error_offsets
                    .iter()
                    .any(|&at| at >= span.offset() && at < span.offset() + span.len())
            })
        })
        .filter(|e| {
            !matches!(e, CheckError::UnknownVariable { name, .. }
                if undeclared.contains(&name.split('.').next().unwrap_or(name)))
        })
        .collect()
}

/// Why a script did not compile: its syntax errors with the check errors of the lines that
/// could be read (those the syntax errors do not explain), or, with no syntax error, its check
/// errors.
#[derive(Debug)]
pub enum Problems {
    Syntax(Vec<syntax::SyntaxError>, Vec<CheckError>),
    Check(Vec<CheckError>),
}

impl Problems {
    /// Every problem, in the order found (by position in the script), as diagnostics.
    #[must_use]
    pub fn into_diagnostics(self) -> Vec<Box<dyn miette::Diagnostic>> {
        match self {
            Problems::Syntax(errors, check) => {
                let mut all: Vec<(usize, Box<dyn miette::Diagnostic>)> = errors
                    .into_iter()
                    .map(|e| (offset(&e), Box::new(e) as Box<dyn miette::Diagnostic>))
                    .chain(
                        check
                            .into_iter()
                            .map(|e| (offset(&e), Box::new(e) as Box<dyn miette::Diagnostic>)),
                    )
                    .collect();
                all.sort_by_key(|(at, _)| *at);
                all.into_iter().map(|(_, d)| d).collect()
            }
            Problems::Check(errors) => errors
                .into_iter()
                .map(|e| Box::new(e) as Box<dyn miette::Diagnostic>)
                .collect(),
        }
    }
}

/// Where a diagnostic's first label starts.
fn offset(d: &dyn miette::Diagnostic) -> usize {
    d.labels()
        .and_then(|mut labels| labels.next())
        .map_or(usize::MAX, |l| l.offset())
}

/// A check in progress: the top-level lines are given one at a time.
struct Session<'a> {
    checker: Checker<'a>,
    top: Lines,
    /// The params the script declares, for `--var` names.
    params: Vec<String>,
}

impl<'a> Session<'a> {
    #[must_use]
    pub(crate) fn new(
        source: &'a SourceFile,
        registry: &'a Registry,
        vars: &'a [(String, String)],
    ) -> Session<'a> {
        let mut checker = Checker {
            source,
            registry,
            vars,
            errors: Vec::new(),
            warnings: Vec::new(),
            scope: Scope::default(),
            workflow: None,
            ended_records: Vec::new(),
            hosts: urls::Hosts::default(),
            remote_ledger: None,
            seen: 0,
            compiled: 0,
            files: super::reads::Files::default(),
            at_top: true,
        };
        checker.scope.push();
        Session {
            checker,
            top: Lines::default(),
            params: Vec::new(),
        }
    }

    /// Checks the next top-level line.
    pub(crate) fn item(&mut self, mut item: Item) {
        if let Item::Param(b) = &item {
            self.params.push(b.name.value.clone());
        }
        self.checker.check_item(&mut self.top, &mut item, true);
    }

    /// The program, or every mistake found.
    pub(crate) fn finish(self) -> Result<Program, Vec<CheckError>> {
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
        let inputs = checker.unwritten_reads();
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
                inputs,
            })
        } else {
            Err(checker.errors)
        }
    }
}
