//! `map FILE to FILE { for each `XPATH` as "Wrapper/Record" { "Field" = VALUE … } }`:
//! turn a shop's own XML into Connect XML with XPath field mappings.
mod block;
mod mistake;
mod names;
mod rule;
mod target;

use super::{Kind, Param, Task};
use crate::check::{Args, Checker, Template};
use crate::map::MapSpec;
use crate::plan::Planner;
use crate::process::FailureKind;
use crate::runtime::Counts;
use crate::runtime::{Outcome, RunError, Runtime, Step};
use crate::source::Span;

pub(super) struct Map;

static PARAMS: [Param; 4] = [
    Param::positional("input", Kind::Path, "the shop's XML file"),
    Param::required("to", Kind::Path, "the Connect XML file to write"),
    super::output_encoding::ENCODING,
    Param::option(
        "allow_empty",
        Kind::Bool,
        "accept an input whose record path leads to other elements (no record selected), writing an empty document; without it such a map fails (zynk::map::nothing_matched), while a path whose tests no record passes, or that ends at an empty element, maps to an empty document either way (default false)",
    ),
];

impl Task for Map {
    fn head(&self) -> &'static [&'static str] {
        &["map"]
    }
    fn summary(&self) -> &'static str {
        "Map a shop's XML export into Connect XML with XPath field mappings; child-step record paths stream"
    }
    fn params(&self) -> &'static [Param] {
        &PARAMS
    }
    fn takes_block(&self) -> bool {
        true
    }
    fn example(&self) -> &'static str {
        "map \"shop_orders.xml\" to \"orders.xml\" {\n    for each `/orders/order` as \"SalesOrders/SalesOrder\" {\n        \"Id\" = `@id`\n        \"Currency\" = `currency` default \"GBP\"\n        for each `items/item` as \"SalesOrderItems/Item\" {\n            \"Sku\" = `sku`\n            \"QtyOrdered\" = `qty`\n        }\n    }\n}"
    }
    fn compile(&self, args: &mut Args, cx: &mut Checker<'_>) -> Option<Box<dyn Step>> {
        let block = args.block.take()?;
        let encoding = super::output_encoding::encoding_option(args, cx);
        let mut checked = block::check_block(block, cx)?;
        checked.spec.shape.encoding = encoding?;
        checked.spec.allow_empty = args.bool("allow_empty").unwrap_or(false);
        Some(Box::new(MapStep {
            input: args.text("input")?,
            output: args.text("to")?,
            spec: checked.spec,
            lookup_files: checked.lookup_files,
            span: args.head_span,
        }))
    }
}

#[derive(Debug)]
struct MapStep {
    input: Template,
    output: Template,
    spec: MapSpec,
    /// The file of each of `spec.lookups`, resolved when the step runs.
    lookup_files: Vec<Template>,
    span: Span,
}

impl Step for MapStep {
    fn plan(&self, p: &mut Planner<'_>) {
        let input = p.file(&self.input);
        p.read_file(&input);
        for lookup in &self.lookup_files {
            let file = p.file(lookup);
            p.read_file(&file);
        }
        let output = p.file(&self.output);
        p.write(&output);
    }

    fn run(&self, rt: &mut Runtime<'_>) -> Result<Outcome, RunError> {
        let input = rt.path(&self.input)?;
        let output = rt.path(&self.output)?;
        if !input.is_file() {
            return Err(RunError::not_found(
                &input,
                self.input.span,
                "the file to map",
            ));
        }
        let mut spec = self.spec.clone();
        for (lookup, file) in spec.lookups.iter_mut().zip(&self.lookup_files) {
            lookup.file = rt.path(file)?;
        }
        let report = crate::map::map_file(&input, &spec, &output).map_err(|e| {
            let lookup = e.lookup_table().and_then(|name| {
                spec.lookups
                    .iter()
                    .zip(&self.lookup_files)
                    .find(|(l, _)| l.name == name)
                    .map(|(_, file)| file.span)
            });
            let (kind, span, label) = if e.is_not_found() {
                (
                    FailureKind::NotFound,
                    self.input.span,
                    "this file is missing",
                )
            } else if let Some(span) = lookup {
                (FailureKind::Fail, span, "this lookup table")
            } else {
                (FailureKind::Fail, self.span, "while mapping")
            };
            RunError::from_diagnostic(&e, kind, span, label)
        })?;
        let mode = if report.streamed { "streamed" } else { "tree" };
        let n = report.records;
        let from = if report.read == n {
            String::new()
        } else {
            format!(" from {}", report.read)
        };
        let detail = format!(
            "{n} record{}{from} → {} ({mode})",
            if n == 1 { "" } else { "s" },
            rt.show(&output)
        );
        let outcome = if n == 0 {
            Outcome::no_data(detail)
        } else {
            Outcome::success(detail)
        };
        Ok(outcome.with_counts(Counts {
            input: report.read,
            output: n,
            failed: 0,
        }))
    }
}

/// The mappings of a checked program's top-level `map` statements, in script order: the
/// specs the runtime will execute, for tests and tools that drive the engine directly.
#[must_use]
pub fn map_specs(program: &crate::check::Program) -> Vec<&MapSpec> {
    program
        .statements
        .iter()
        .filter_map(|statement| {
            let step: &dyn std::any::Any = statement.step.as_ref();
            step.downcast_ref::<MapStep>().map(|m| &m.spec)
        })
        .collect()
}
