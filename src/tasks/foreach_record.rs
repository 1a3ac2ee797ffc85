//! `foreach RECORD in FILE by xpath `…` { … }`: Zynk's XML Repeater, one record at a time.
//!
//! A path of child steps (`/Company/SalesOrders/SalesOrder`) is followed by split's
//! streaming pass, so only the current record is in memory, whatever the file's size;
//! any other XPath selects the records from a tree of the whole file.
use std::ops::ControlFlow;

use crate::check::{CompiledStatement, Template};
use crate::plan::Planner;
use crate::process::FailureKind;
use crate::runtime::{Counts, Outcome, RunCode, RunError, Runtime, Step};
use crate::source::Span;
use crate::xpath::{ChildPath, XPath};

/// A compiled record loop.
#[derive(Debug)]
pub(super) struct RecordLoop {
    pub variable: String,
    pub file: Template,
    pub xpath: XPath,
    pub xpath_span: Span,
    pub body: Vec<CompiledStatement>,
    pub span: Span,
}

impl RecordLoop {
    /// The path to stream by, when the XPath is made of child steps from the root.
    fn stream_path(&self) -> Option<ChildPath> {
        self.xpath.child_steps().filter(|p| p.absolute)
    }

    /// Runs the block for one record; false when the loop must end here.
    fn one(&self, rt: &mut Runtime<'_>, record: &str, counts: &mut Counts) -> bool {
        counts.input += 1;
        let failures_before = rt.failures();
        rt.push_record(&self.variable, record.to_string());
        let completed = rt.run_block(&self.body);
        rt.pop_record();
        if rt.failures() == failures_before {
            counts.output += 1;
        } else {
            counts.failed += 1;
        }
        completed
    }
}

impl Step for RecordLoop {
    fn is_block(&self) -> bool {
        true
    }

    fn plan(&self, p: &mut Planner<'_>) {
        let file = p.file(&self.file);
        let total = p.read(&file, |path| crate::plan::count_nodes(path, &self.xpath));
        let Some(total) = total else {
            let label = format!("for each record of {}", file.shown);
            p.block_with_record(&self.variable, None, label, true, &self.body);
            return;
        };
        let mut index = 0;
        let mut each = |p: &mut Planner<'_>, record: String| {
            index += 1;
            let label = format!("record {index} of {total} in {}", file.shown);
            p.block_with_record(&self.variable, Some(record), label, false, &self.body);
        };
        if let Some(steps) = self.stream_path() {
            let _ = crate::split::for_each_record(&file.path, &steps, |record| {
                each(p, record.to_string());
                if p.is_stopped() {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            });
            return;
        }
        let Ok(text) = crate::xml_input::read_text(&file.path) else {
            return;
        };
        let Ok(doc) = roxmltree::Document::parse(&text) else {
            return;
        };
        for node in self.xpath.select(doc.root()).unwrap_or_default() {
            let record =
                crate::split::with_namespaces(text.get(node.range()).unwrap_or_default(), node);
            each(p, record);
            if p.is_stopped() {
                break;
            }
        }
    }

    fn run(&self, rt: &mut Runtime<'_>) -> Result<Outcome, RunError> {
        let path = rt.path(&self.file)?;
        if !path.is_file() {
            return Err(RunError::not_found(&path, self.file.span, "the XML file"));
        }
        let shown = rt.show(&path);
        let mut counts = Counts::default();
        let mut completed = true;
        if let Some(steps) = self.stream_path() {
            crate::split::for_each_record(&path, &steps, |record| {
                if self.one(rt, record, &mut counts) {
                    ControlFlow::Continue(())
                } else {
                    completed = false;
                    ControlFlow::Break(())
                }
            })
            .map_err(|e| {
                RunError::from_diagnostic(
                    &e,
                    FailureKind::Fail,
                    self.file.span,
                    "reading records from this file",
                )
            })?;
        } else {
            let text = crate::xml_input::read_text(&path).map_err(|e| match e {
                crate::xml_input::SourceError::Io(e) => {
                    RunError::io(&e, "read", &path, self.file.span)
                }
                crate::xml_input::SourceError::Encoding(e) => RunError::from_diagnostic(
                    &e,
                    FailureKind::Fail,
                    self.file.span,
                    "reading records from this file",
                ),
            })?;
            let doc = roxmltree::Document::parse(&text).map_err(|e| {
                RunError::raise(
                    RunCode::Record,
                    format!("`{shown}` is not well-formed XML: {e}"),
                    self.file.span,
                    "reading records from this file",
                )
            })?;
            let nodes = self.xpath.select(doc.root()).map_err(|e| {
                RunError::from_diagnostic(
                    &e,
                    FailureKind::Fail,
                    self.xpath_span,
                    "selecting the records",
                )
            })?;
            for node in nodes {
                let record =
                    crate::split::with_namespaces(text.get(node.range()).unwrap_or_default(), node);
                if !self.one(rt, &record, &mut counts) {
                    completed = false;
                    break;
                }
            }
        }
        let total = counts.input;
        let plural = if total == 1 { "" } else { "s" };
        if !completed && rt.stopped() {
            return Ok(
                Outcome::success(format!("stopped at record {total} in {shown}"))
                    .with_counts(counts),
            );
        }
        if !completed {
            return Err(RunError::raise(
                RunCode::LoopStopped,
                format!("the loop stopped at record {total} of `{shown}`"),
                self.span,
                "this loop",
            )
            .with_help("fix the failure above and run again; add `or continue` to a statement in the block to carry on past its failures"));
        }
        if total == 0 {
            return Ok(Outcome::no_data(format!("no records in {shown}")).with_counts(counts));
        }
        Ok(Outcome::success(format!("{total} record{plural} in {shown}")).with_counts(counts))
    }
}
