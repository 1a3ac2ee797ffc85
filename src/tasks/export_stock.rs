//! `export stock [all|new|modified] to FILE [published only]`: ledger products as Connect XML.
use super::{Kind, Param, Task};
use crate::check::{Args, Checker, Template};
use crate::ledger::ExportMode;
use crate::plan::Planner;
use crate::process::FailureKind;
use crate::runtime::{Outcome, RunError, Runtime, Step};
use crate::source::Span;

pub(super) struct ExportStock;

static PARAMS: [Param; 4] = [
    Param::positional("mode", Kind::Choice(&["all", "new", "modified"]), "which products: all, new since the last export, or new and modified since then (default modified)").optional(),
    Param::required("to", Kind::Path, "the Connect XML file to write"),
    Param::option("published only", Kind::Flag, "only products marked to publish on the web"),
    super::output_encoding::ENCODING,
];

impl Task for ExportStock {
    fn head(&self) -> &'static [&'static str] {
        &["export", "stock"]
    }
    fn summary(&self) -> &'static str {
        "Export the ledger's products (all, or new or modified since the last successful export) as Connect XML"
    }
    fn params(&self) -> &'static [Param] {
        &PARAMS
    }
    fn example(&self) -> &'static str {
        "export stock modified to \"product_export.xml\""
    }
    fn compile(&self, args: &mut Args, cx: &mut Checker<'_>) -> Option<Box<dyn Step>> {
        if !cx.ledger_serves(&args.statement, args.head_span) {
            return None;
        }
        if self.published_only_against_tryton(args, cx) {
            return None;
        }
        let encoding = super::output_encoding::encoding_option(args, cx)?;
        let mode = super::ledger_io::export_mode(args);
        Some(Box::new(ExportStockStep {
            output: args.text("to")?,
            mode,
            published_only: args.flag("published only"),
            encoding,
            span: args.head_span,
        }))
    }
}

impl ExportStock {
    /// `published only` has no meaning in Tryton (no web flag in the modules zynk needs).
    fn published_only_against_tryton(&self, args: &Args, cx: &mut Checker<'_>) -> bool {
        if !args.flag("published only") || !cx.uses_remote_ledger() {
            return false;
        }
        cx.error(crate::check::CheckError::InvalidValue {
            message: "`published only` cannot be used against Tryton".into(),
            span: args.span_of("published only").into(),
            label: "Tryton products have no web flag".into(),
            help: "remove `published only`: every good with a code is exported".into(),
        });
        true
    }
}

#[derive(Debug)]
struct ExportStockStep {
    output: Template,
    mode: ExportMode,
    published_only: bool,
    encoding: Option<crate::xml_input::OutputEncoding>,
    span: Span,
}

impl Step for ExportStockStep {
    fn plan(&self, p: &mut Planner<'_>) {
        let mode = self.mode.as_str();
        let published = if self.published_only {
            ", published only"
        } else {
            ""
        };
        let what = format!("export stock {mode}{published}");
        let plural = |n: u64| format!("{n} product{}", if n == 1 { "" } else { "s" });
        let written_by = p.ledger_written_by();
        if p.remote_ledger().is_some() {
            let effect = super::ledger_io::ledger_effect(p, &what, None).depends_on(written_by);
            p.effect(effect);
            let output = p.file(&self.output);
            p.write(&output);
            return;
        }
        let unknown = |n: u64| {
            if n == 0 {
                String::new()
            } else {
                format!("; {} with unknown stock left out", plural(n))
            }
        };
        let (detail, records) = match (p.export_count(self.mode, self.published_only), written_by) {
            (Ok((n, u)), Some(line)) => (
                format!(
                    "{what}; {} now{}, count unknown: line {line} writes to the ledger \
                     (products it creates have unknown stock and are left out)",
                    plural(n),
                    unknown(u)
                ),
                None,
            ),
            (Ok((n, u)), None) => (format!("{what}{}", unknown(u)), Some(n)),
            (Err(reason), _) => (format!("{what}; products not counted: {reason}"), None),
        };
        let effect = super::ledger_io::ledger_effect(p, &detail, records).depends_on(written_by);
        p.effect(effect);
        let output = p.file(&self.output);
        p.write(&output);
    }

    fn run(&self, rt: &mut Runtime<'_>) -> Result<Outcome, RunError> {
        let output = rt.path(&self.output)?;
        let workflow = rt.workflow.clone();
        let to = crate::ledger::ExportTarget {
            output: &output,
            encoding: self.encoding,
        };
        let (ledger, state) = match rt.backend(self.span)? {
            crate::runtime::Backend::Embedded(ledger, state) => (ledger, state),
            crate::runtime::Backend::Tryton(session, target, state) => {
                let warehouse = target.warehouse.clone();
                let report = crate::tryton::export_stock(
                    session, state, &workflow, self.mode, &to, &warehouse,
                )
                .map_err(|e| crate::runtime::tryton_failure(&e, self.span))?;
                return Ok(super::ledger_io::export_outcome(
                    rt,
                    "product",
                    report.products,
                    &output,
                ));
            }
        };
        let report = crate::ledger::export_stock_encoded(
            ledger,
            state,
            &workflow,
            crate::ledger::DEFAULT_EXPORT_TASK,
            self.mode,
            self.published_only,
            &to,
        )
        .map_err(|e| {
            RunError::from_diagnostic(&e, FailureKind::Fail, self.span, "while exporting")
        })?;
        let mut outcome = super::ledger_io::export_outcome(rt, "product", report.products, &output);
        if report.unknown_stock > 0 {
            let n = report.unknown_stock;
            let s = if n == 1 { "" } else { "s" };
            outcome
                .detail
                .push_str(&format!(" ({n} with unknown stock left out)"));
            outcome.warnings.push(format!(
                "{n} product{s} left out: the ledger was never told their stock level (created \
                 by an order or invoice import, or imported without a quantity), and sending 0 \
                 would empty the shop's stock; import products with QtyInStock to send them"
            ));
        }
        Ok(outcome)
    }
}
