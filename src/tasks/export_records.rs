//! `export customers|invoices [all|new|modified] to FILE`: ledger accounts or invoices as
//! Connect XML, new or modified since the last successful export.
use super::{Kind, Param, Task};
use crate::check::{Args, Checker, Template};
use crate::ledger::ExportMode;
use crate::process::FailureKind;
use crate::runtime::{Outcome, RunError, Runtime, Step};
use crate::source::Span;

/// `export customers`.
pub(super) struct ExportCustomers;
/// `export invoices`.
pub(super) struct ExportInvoices;

static PARAMS: [Param; 3] = [
    Param::positional("mode", Kind::Choice(&["all", "new", "modified"]), "which records: all, new since the last export, or new and modified since then (default modified)").optional(),
    Param::required("to", Kind::Path, "the Connect XML file to write"),
    super::output_encoding::ENCODING,
];

/// Which records an export takes.
#[derive(Debug, Clone, Copy)]
enum What {
    Customers,
    Invoices,
}

impl Task for ExportCustomers {
    fn head(&self) -> &'static [&'static str] {
        &["export", "customers"]
    }
    fn summary(&self) -> &'static str {
        "Export the ledger's customer accounts, with their balances (all, or new or modified since the last successful export), as Connect XML"
    }
    fn params(&self) -> &'static [Param] {
        &PARAMS
    }
    fn example(&self) -> &'static str {
        "export customers modified to \"customer_export.xml\""
    }
    fn compile(&self, args: &mut Args, cx: &mut Checker<'_>) -> Option<Box<dyn Step>> {
        compile(What::Customers, args, cx)
    }
}

impl Task for ExportInvoices {
    fn head(&self) -> &'static [&'static str] {
        &["export", "invoices"]
    }
    fn summary(&self) -> &'static str {
        "Export the ledger's invoices and credit notes, with what has been paid (all, or new or modified since the last successful export), as Connect XML"
    }
    fn params(&self) -> &'static [Param] {
        &PARAMS
    }
    fn example(&self) -> &'static str {
        "export invoices new to \"invoice_export.xml\""
    }
    fn compile(&self, args: &mut Args, cx: &mut Checker<'_>) -> Option<Box<dyn Step>> {
        compile(What::Invoices, args, cx)
    }
}

fn compile(what: What, args: &mut Args, cx: &mut Checker<'_>) -> Option<Box<dyn Step>> {
    if !cx.ledger_serves(&args.statement, args.head_span) {
        return None;
    }
    let encoding = super::output_encoding::encoding_option(args, cx)?;
    let mode = super::ledger_io::export_mode(args);
    Some(Box::new(ExportRecordsStep {
        what,
        output: args.text("to")?,
        mode,
        encoding,
        span: args.head_span,
    }))
}

#[derive(Debug)]
struct ExportRecordsStep {
    what: What,
    output: Template,
    mode: ExportMode,
    encoding: Option<crate::xml_input::OutputEncoding>,
    span: Span,
}

impl Step for ExportRecordsStep {
    fn plan(&self, p: &mut crate::plan::Planner<'_>) {
        let mode = self.mode.as_str();
        let what = match self.what {
            What::Customers => "customers",
            What::Invoices => "invoices",
        };
        let written_by = p.ledger_written_by();
        let effect = super::ledger_io::ledger_effect(p, &format!("export {what} {mode}"), None)
            .depends_on(written_by);
        p.effect(effect);
        let output = p.file(&self.output);
        p.write(&output);
    }

    fn run(&self, rt: &mut Runtime<'_>) -> Result<Outcome, RunError> {
        let output = rt.path(&self.output)?;
        let workflow = rt.workflow.clone();
        let (ledger, state) = rt.ledger(self.span)?;
        let to = crate::ledger::ExportTarget {
            output: &output,
            encoding: self.encoding,
        };
        let (noun, result) = match self.what {
            What::Customers => (
                "customer",
                crate::ledger::export_customers(ledger, state, &workflow, self.mode, &to),
            ),
            What::Invoices => (
                "invoice",
                crate::ledger::export_invoices(ledger, state, &workflow, self.mode, &to),
            ),
        };
        let report = result.map_err(|e| {
            RunError::from_diagnostic(&e, FailureKind::Fail, self.span, "while exporting")
        })?;
        Ok(super::ledger_io::export_outcome(
            rt,
            noun,
            report.products,
            &output,
        ))
    }
}
