//! The problems `zynk check` reports, as LSP diagnostics: same codes, messages and help.
use lsp_types::{
    Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, Uri,
};

use super::position::LineIndex;
use crate::source::SourceFile;

/// Parses and checks `source` as `zynk check` does (params at their defaults).
#[must_use]
pub(crate) fn diagnose(source: &SourceFile, uri: &Uri) -> Vec<Diagnostic> {
    let index = LineIndex::new(&source.text);
    let problems: Vec<Box<dyn miette::Diagnostic>> =
        match crate::check::compile(source, crate::tasks::Registry::standard(), &[]) {
            Ok(program) => program
                .warnings
                .into_iter()
                .map(|w| Box::new(w) as _)
                .collect(),
            Err(problems) => problems.into_diagnostics(),
        };
    problems
        .iter()
        .map(|p| to_lsp(p.as_ref(), &index, uri))
        .collect()
}

fn to_lsp(problem: &dyn miette::Diagnostic, index: &LineIndex<'_>, uri: &Uri) -> Diagnostic {
    let labels: Vec<miette::LabeledSpan> =
        problem.labels().map(Iterator::collect).unwrap_or_default();
    let label = labels
        .iter()
        .find(|l| l.primary())
        .or_else(|| labels.first());
    let range = label.map_or_else(
        || index.range(0, 0),
        |l| index.range(l.offset(), l.offset() + l.len()),
    );
    let severity = match problem.severity() {
        Some(miette::Severity::Warning) => DiagnosticSeverity::WARNING,
        Some(miette::Severity::Advice) => DiagnosticSeverity::HINT,
        _ => DiagnosticSeverity::ERROR,
    };
    let mut message = problem.to_string();
    if let Some(text) = label.and_then(|l| l.label()) {
        message.push_str(&format!(" ({text})"));
    }
    if let Some(help) = problem.help() {
        message.push_str(&format!("\nhelp: {help}"));
    }
    // The other places it points at (`first given here`), as related information.
    let related: Vec<DiagnosticRelatedInformation> = labels
        .iter()
        .filter(|l| label.is_none_or(|main| !std::ptr::eq(*l, main)))
        .map(|l| DiagnosticRelatedInformation {
            location: Location::new(uri.clone(), index.range(l.offset(), l.offset() + l.len())),
            message: l.label().unwrap_or("here").to_string(),
        })
        .collect();
    Diagnostic {
        range,
        related_information: (!related.is_empty()).then_some(related),
        severity: Some(severity),
        code: problem
            .code()
            .map(|c| NumberOrString::String(c.to_string())),
        source: Some("zynk".into()),
        message,
        ..Diagnostic::default()
    }
}
