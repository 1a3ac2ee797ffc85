//! `split FILE by xpath `…` limit N into DIR`: cut an XML file into chunks of N records.
use super::{Kind, Param, Task};
use crate::check::{Args, CheckError, Checker, Template};
use crate::plan::{Action, Effect, FileState, Planner};
use crate::process::FailureKind;
use crate::runtime::{Counts, Outcome, RunError, Runtime, Step};
use crate::source::Span;
use crate::split::{ChildPath, ChunkNames, Selection, SplitError};
use crate::xpath::XPath;

pub(super) struct Split;

/// Zynk's default RecordLimit.
const DEFAULT_LIMIT: u64 = 200;

static PARAMS: [Param; 4] = [
    Param::positional("input", Kind::Path, "the XML file to split (left in place)"),
    Param::required(
        "by xpath",
        Kind::XPath,
        "selects the records, e.g. `/Company/Products/Product`",
    ),
    Param::option(
        "limit",
        Kind::Count,
        "the most records per chunk (default 200)",
    ),
    Param::required(
        "into",
        Kind::Path,
        "the folder the chunks are written to, as <input stem>_<n>.xml",
    ),
];

impl Task for Split {
    fn head(&self) -> &'static [&'static str] {
        &["split"]
    }
    fn summary(&self) -> &'static str {
        "Split an XML file into chunks of at most N records selected by an XPath; child-step paths stream in constant memory"
    }
    fn params(&self) -> &'static [Param] {
        &PARAMS
    }
    fn example(&self) -> &'static str {
        "split \"product_export.xml\" by xpath `/Company/Products/Product` limit 200 into \"Stock Export\""
    }
    fn compile(&self, args: &mut Args, cx: &mut Checker<'_>) -> Option<Box<dyn Step>> {
        let limit = args.count("limit").unwrap_or(DEFAULT_LIMIT);
        let Ok(limit) = usize::try_from(limit) else {
            return None;
        };
        if limit == 0 {
            cx.error(CheckError::OutOfRange {
                message: "the limit must be at least 1".into(),
                span: args.span_of("limit").into(),
                label: "zero records per chunk".into(),
                help: "Zynk's default is `limit 200`".into(),
            });
            return None;
        }
        let (xpath, xpath_span) = args.xpath("by xpath")?;
        if let Some(found) = xpath.scalar_result() {
            cx.error(CheckError::XPathNotNodes {
                found: found.to_string(),
                purpose: "split".into(),
                span: xpath_span.into(),
            });
            return None;
        }
        if let Some(found) = xpath.non_element_result() {
            cx.error(CheckError::XPathNotElements {
                found: found.into(),
                purpose: "split".into(),
                span: xpath_span.into(),
            });
            return None;
        }
        let stream = xpath.child_steps();
        Some(Box::new(SplitStep {
            input: args.text("input")?,
            into: args.text("into")?,
            xpath,
            xpath_span,
            stream,
            limit,
            span: args.head_span,
        }))
    }
}

#[derive(Debug)]
struct SplitStep {
    input: Template,
    into: Template,
    xpath: XPath,
    xpath_span: Span,
    stream: Option<ChildPath>,
    limit: usize,
    span: Span,
}

impl Step for SplitStep {
    fn plan(&self, p: &mut Planner<'_>) {
        let input = p.file(&self.input);
        let records = p.read(&input, |path| crate::plan::count_nodes(path, &self.xpath));
        let into = p.file(&self.into);
        p.effect(Effect::new(Action::CreateFolder).path(&into.shown));
        let limit = self.limit as u64;
        let chunks = records.map(|n| n.div_ceil(limit));
        let names = if into.state == FileState::Unknown {
            ChunkNames::fresh(&input.path)
        } else {
            ChunkNames::after_waiting(&input.path, &into.path)
        };
        match chunks {
            Some(n) if into.state != FileState::Unknown => {
                for k in 1..=n {
                    let chunk = p.known_file(&into.path.join(names.name(k)));
                    p.write(&chunk);
                }
                if n == 0 {
                    p.effect(Effect::new(Action::Write).path(&into.shown).detail(format!(
                        "no chunks: no record matches {}",
                        self.xpath.source()
                    )));
                }
            }
            _ => {
                let mut detail = format!("chunks of at most {limit} records");
                if let Some(note) = names.waiting_note() {
                    detail.push_str(&format!(", {note}"));
                }
                let mut effect = Effect::new(Action::Write)
                    .path(format!("{}/{}", into.shown, names.pattern()))
                    .detail(detail)
                    .depends_on(input.depends_on);
                effect.records = records;
                p.effect(effect);
                p.fills_folder(&into);
            }
        }
    }

    fn run(&self, rt: &mut Runtime<'_>) -> Result<Outcome, RunError> {
        let input = rt.path(&self.input)?;
        let into = rt.path(&self.into)?;
        // The folder exists after a split even when nothing matched, so a `foreach`
        // over it sees an empty folder rather than a missing one.
        std::fs::create_dir_all(&into)
            .map_err(|e| RunError::io(&e, "create the folder", &into, self.into.span))?;
        let eval_error = std::cell::RefCell::new(None);
        let select = |doc: &roxmltree::Document| -> Vec<roxmltree::NodeId> {
            match self.xpath.select(doc.root()) {
                Ok(nodes) => nodes
                    .into_iter()
                    .filter(roxmltree::Node::is_element)
                    .map(|n| n.id())
                    .collect(),
                Err(e) => {
                    *eval_error.borrow_mut() = Some(e);
                    Vec::new()
                }
            }
        };
        let selection = match &self.stream {
            Some(path) => Selection::Stream(path),
            None => Selection::Tree(&select),
        };
        let names = ChunkNames::after_waiting(&input, &into);
        let result = crate::split::split_named(&input, selection, self.limit, &into, &names);
        if let Some(error) = eval_error.into_inner() {
            return Err(RunError::from_diagnostic(
                &error,
                FailureKind::Fail,
                self.xpath_span,
                "this XPath selects no elements",
            ));
        }
        let report = result.map_err(|error| {
            let (kind, span, label) = match &error {
                SplitError::NotFound { .. } => (
                    FailureKind::NotFound,
                    self.input.span,
                    "this file is missing",
                ),
                SplitError::Malformed { .. } => (
                    FailureKind::Fail,
                    self.input.span,
                    "this file is not well-formed XML",
                ),
                SplitError::OutputFolder { .. } => {
                    (FailureKind::Fail, self.into.span, "this folder")
                }
                _ => (FailureKind::Fail, self.span, "while splitting"),
            };
            RunError::from_diagnostic(&error, kind, span, label)
        })?;
        let mode = if self.stream.is_some() {
            "streamed"
        } else {
            "tree"
        };
        let waiting_note = names
            .waiting_note()
            .map_or_else(String::new, |note| format!(", {note}"));
        if report.records == 0 {
            return Ok(Outcome::no_data(format!(
                "no record in {} matched {}",
                rt.show(&input),
                self.xpath.source()
            )));
        }
        let chunks = report.chunks.len() as u64;
        Ok(Outcome::success(format!(
            "{} record{} → {chunks} chunk{} in {} ({mode}{waiting_note})",
            report.records,
            if report.records == 1 { "" } else { "s" },
            if chunks == 1 { "" } else { "s" },
            rt.show(&into)
        ))
        .with_counts(Counts {
            input: report.records,
            output: report.records,
            failed: 0,
        }))
    }
}
