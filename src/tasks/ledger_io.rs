//! What the ledger statements share: option values for the ledger and import results.
use super::{Kind, Param};
use crate::check::{Args, Bound, CheckError, Checker, Template};
use crate::ledger::{
    CustomerImportOptions, ImportError, ImportReport, OptionError, OptionKind, OptionSpec,
    OptionValue, SalesOrderImportOptions,
};
use crate::ledger::{InvoiceImportOptions, TransactionImportOptions};
use crate::ledger::{ProductImportOptions, StockTransactionImportOptions};
use crate::plan::{Action, Effect, Planner};
use crate::process::FailureKind;
use crate::runtime::{Backend, Counts, Outcome, RunCode, RunError, Runtime, Step};
use crate::source::Span;

/// The file arguments every import takes.
pub(super) const FILES: [Param; 3] = [
    Param::required("from", Kind::Path, "the Connect XML file to import"),
    Param::required(
        "success",
        Kind::Path,
        "where imported records are written, with the reference or number the ledger gave them",
    ),
    Param::required(
        "fail",
        Kind::Path,
        "where records that failed are written, with the reasons",
    ),
];

/// The parameters of an import: its file arguments, then one option per declared spec, its
/// doc line ending with the default.
pub(super) fn option_params(files: &[Param], specs: &[&'static OptionSpec]) -> Vec<Param> {
    let options = specs.iter().map(|spec| {
        let kind = match spec.kind {
            OptionKind::Bool => Kind::Bool,
            OptionKind::Int => Kind::Count,
            OptionKind::Text | OptionKind::TaxCode => Kind::Text,
            OptionKind::Enum(words) => Kind::Choice(words),
            OptionKind::List(_) => Kind::List,
        };
        let doc = format!("{} (default {})", spec.doc, (spec.default)());
        // Built once per statement for the life of the process.
        Param::option(spec.name, kind, Box::leak(doc.into_boxed_str()))
    });
    files.iter().copied().chain(options).collect()
}

/// The parameters of an import statement: [`FILES`], its ledger options, then `encoding`.
pub(super) fn import_params(specs: &[&'static OptionSpec]) -> Vec<Param> {
    let mut params = option_params(&FILES, specs);
    params.push(super::output_encoding::ENCODING);
    params
}

/// Feeds every given option (not the file arguments) to `set`, reporting rejected values
/// at their span. Returns false when any was rejected. Also tells the checker that the
/// import's `from` file is read as Connect XML, so a `fetch` that saves it checks for XML.
pub(super) fn apply_options(
    args: &Args,
    params: &[Param],
    cx: &mut Checker<'_>,
    mut set: impl FnMut(&str, OptionValue) -> Result<(), OptionError>,
) -> bool {
    if let Some(from) = args.text("from") {
        cx.reads_connect_xml(&from, &args.statement);
    }
    let mut ok = cx.ledger_serves(&args.statement, args.head_span);
    let file_options = [super::output_encoding::ENCODING.name];
    for param in params
        .iter()
        .filter(|p| p.kind != Kind::Path && !file_options.contains(&p.name))
    {
        let Some(value) = option_value(args, param, cx) else {
            continue;
        };
        if let Err(error) = set(param.name, value) {
            let span = args.span_of(param.name);
            cx.error(CheckError::InvalidValue {
                message: error.to_string(),
                span: span.into(),
                label: "not accepted".into(),
                help: miette::Diagnostic::help(&error).map_or_else(
                    || "see docs/ledger.md for the options".to_string(),
                    |h| h.to_string(),
                ),
            });
            ok = false;
        }
    }
    ok
}

fn option_value(args: &Args, param: &Param, cx: &mut Checker<'_>) -> Option<OptionValue> {
    let bound = args.values.iter().find(|a| a.name == param.name)?;
    Some(match &bound.value {
        Bound::Bool(b) => OptionValue::Bool(*b),
        Bound::Flag => OptionValue::Bool(true),
        Bound::Count(n) => OptionValue::Int(i64::try_from(*n).unwrap_or(i64::MAX)),
        Bound::Choice(c) => OptionValue::Text((*c).to_string()),
        Bound::Text(t) => OptionValue::Text(constant(t, param.name, bound.span, cx)?),
        _ => return None,
    })
}

fn constant(t: &Template, option: &str, span: Span, cx: &mut Checker<'_>) -> Option<String> {
    if let Some(text) = t.constant() {
        return Some(text);
    }
    cx.error(CheckError::NotConstant {
        option: option.to_string(),
        span: span.into(),
    });
    None
}

/// Turns an import's task-level error into a statement failure at the right span.
pub(super) fn import_failure(error: &ImportError, input: &Template, statement: Span) -> RunError {
    let (kind, span, label) = match error {
        ImportError::NotFound { .. } => (FailureKind::NotFound, input.span, "this file is missing"),
        ImportError::MalformedXml { .. } => (
            FailureKind::Fail,
            input.span,
            "this file is not well-formed XML",
        ),
        ImportError::Input(crate::connect::ConnectError::NotConnectXml { .. }) => (
            FailureKind::Fail,
            input.span,
            "not Connect XML: map it first",
        ),
        _ => (FailureKind::Fail, statement, "while importing"),
    };
    RunError::from_diagnostic(error, kind, span, label)
}

/// Turns a Tryton import's failure into a statement failure: input problems point at the
/// input, the rest at the statement.
fn tryton_import_failure(
    error: &crate::tryton::TrytonError,
    input: &Template,
    statement: Span,
) -> RunError {
    match error {
        crate::tryton::TrytonError::Import(e) => import_failure(e, input, statement),
        other => crate::runtime::tryton_failure(other, statement),
    }
}

/// What `import … as NAME` lets later lines read.
pub(super) static IMPORT_RESULTS: &[(&str, &str)] = &[
    ("records", "records read from the input"),
    ("imported", "records imported (in the success file)"),
    ("failed", "records that failed (in the fail file)"),
    (
        "already_imported",
        "records whose `Id` was imported before: in the success file again (or, with `duplicates fail`, failed)",
    ),
];

/// The `all|new|modified` word of an export (`modified` when left out).
pub(super) fn export_mode(args: &Args) -> crate::ledger::ExportMode {
    args.choice("mode")
        .and_then(crate::ledger::ExportMode::parse)
        .unwrap_or(crate::ledger::ExportMode::Modified)
}

/// The status line of an export that wrote `n` records (`noun`s) to `output`.
pub(super) fn export_outcome(
    rt: &Runtime<'_>,
    noun: &str,
    n: u64,
    output: &std::path::Path,
) -> Outcome {
    let detail = format!(
        "{n} {noun}{} → {}",
        if n == 1 { "" } else { "s" },
        rt.show(output)
    );
    let outcome = if n == 0 {
        Outcome::no_data(detail)
    } else {
        Outcome::success(detail)
    };
    outcome.with_counts(Counts {
        input: n,
        output: n,
        failed: 0,
    })
}

/// The status line and warnings of an import.
pub(super) fn import_outcome(
    rt: &Runtime<'_>,
    what: &str,
    report: &ImportReport,
    success: &std::path::Path,
    fail: &std::path::Path,
) -> Outcome {
    // Records sent to the success file again; with `duplicates fail` they are failures instead.
    let resent = report
        .records
        .saturating_sub(report.succeeded + report.failed);
    let failed_before = report.already_imported.saturating_sub(resent);
    let counts = Counts {
        input: report.records,
        output: report.succeeded + resent,
        failed: report.failed,
    };
    let already = if resent > 0 {
        format!(", {resent} already imported")
    } else {
        String::new()
    };
    let failed = if failed_before > 0 {
        format!(
            "{} failed ({failed_before} already imported)",
            report.failed
        )
    } else {
        format!("{} failed", report.failed)
    };
    let detail = format!(
        "{} {}: {} imported{already}, {failed} → {}, {}",
        report.records,
        if report.records == 1 {
            what.trim_end_matches('s')
        } else {
            what
        },
        report.succeeded,
        rt.show(success),
        rt.show(fail)
    );
    let mut outcome = if report.records == 0 {
        Outcome::no_data(format!(
            "no {what} in the input → {}, {}",
            rt.show(success),
            rt.show(fail)
        ))
    } else {
        Outcome::success(detail)
    };
    outcome = outcome
        .with_counts(counts)
        .with_result("records", report.records)
        .with_result("imported", report.succeeded)
        .with_result("failed", report.failed)
        .with_result("already_imported", report.already_imported);
    const SHOWN: usize = 10;
    let mut notes: Vec<String> = report
        .failures
        .iter()
        .map(|f| format!("failed: {f}"))
        .collect();
    notes.extend(report.warnings.iter().cloned());
    let more = notes.len().saturating_sub(SHOWN);
    notes.truncate(SHOWN);
    if more > 0 {
        notes.push(format!(
            "… and {more} more (see the fail file and `zynk runs`)"
        ));
    }
    outcome.warnings = notes;
    outcome
}

/// The plan's effect on the ledger the statements use: `what` it does, with how many records.
pub(super) fn ledger_effect(p: &Planner<'_>, what: &str, records: Option<u64>) -> Effect {
    if let Some(remote) = p.remote_ledger() {
        return Effect::new(Action::Ledger)
            .path(remote.to_string())
            .records(records)
            .detail(format!(
                "{what}; what exists there already is not looked up"
            ));
    }
    let ledger = p.ledger_path();
    let created = if ledger.exists() {
        ""
    } else {
        "; the ledger does not exist yet and is created"
    };
    Effect::new(Action::Ledger)
        .path(p.show_data(ledger))
        .records(records)
        .detail(format!("{what}{created}"))
}

/// What an import statement imports, with its options.
#[derive(Debug)]
pub(super) enum ImportKind {
    Customers(CustomerImportOptions),
    SalesOrders(SalesOrderImportOptions),
    Invoices(InvoiceImportOptions),
    Transactions(TransactionImportOptions),
    Products(ProductImportOptions),
    StockTransactions(StockTransactionImportOptions),
}

/// A compiled `import customers` or `import sales orders`.
#[derive(Debug)]
pub(super) struct ImportStep {
    pub kind: ImportKind,
    pub input: Template,
    pub success: Template,
    pub fail: Template,
    pub span: Span,
}

impl ImportStep {
    /// Builds the step from the statement's `from`, `success` and `fail` arguments.
    pub(super) fn new(kind: ImportKind, args: &Args) -> Option<ImportStep> {
        Some(ImportStep {
            kind,
            input: args.text("from")?,
            success: args.text("success")?,
            fail: args.text("fail")?,
            span: args.head_span,
        })
    }
}

impl Step for ImportStep {
    fn plan(&self, p: &mut Planner<'_>) {
        let (what, collection, record) = match &self.kind {
            ImportKind::Customers(_) => ("customers", "Customers", "Customer"),
            ImportKind::SalesOrders(_) => ("sales orders", "SalesOrders", "SalesOrder"),
            ImportKind::Products(_) => ("products", "Products", "Product"),
            ImportKind::StockTransactions(_) => (
                "stock transactions",
                "StockTransactions",
                "StockTransaction",
            ),
            ImportKind::Invoices(_) => ("invoices", "Invoices", "Invoice"),
            ImportKind::Transactions(_) => ("transactions", "Transactions", "Transaction"),
        };
        let input = p.file(&self.input);
        let records = p.read(&input, |path| {
            crate::connect::RecordReader::count(path, collection, record).map_err(|e| e.to_string())
        });
        p.effect(ledger_effect(p, &format!("import {what}"), records).depends_on(input.depends_on));
        p.writes_ledger();
        for output in [&self.success, &self.fail] {
            let file = p.file(output);
            p.write(&file);
        }
    }

    fn run(&self, rt: &mut Runtime<'_>) -> Result<Outcome, RunError> {
        let input = rt.path(&self.input)?;
        let success = rt.path(&self.success)?;
        let fail = rt.path(&self.fail)?;
        let workflow = rt.workflow.clone();
        let (ledger, state) = match rt.backend(self.span)? {
            Backend::Embedded(ledger, state) => (ledger, state),
            Backend::Tryton(session, target, state) => {
                let started = std::time::Instant::now();
                let files = crate::tryton::Files {
                    state,
                    workflow: &workflow,
                    input: &input,
                    success: &success,
                    fail: &fail,
                };
                let (what, result) = match &self.kind {
                    ImportKind::Customers(options) => (
                        "customers",
                        crate::tryton::import_customers(
                            session,
                            &files,
                            options,
                            target.batch,
                            &target.warehouse,
                        ),
                    ),
                    ImportKind::SalesOrders(options) => (
                        "orders",
                        crate::tryton::import_sales_orders(session, &files, options, target),
                    ),
                    _ => {
                        return Err(RunError::raise(
                            RunCode::Internal,
                            "Tryton does not serve this import (the checker should have said so)",
                            self.span,
                            "here",
                        ));
                    }
                };
                let report =
                    result.map_err(|e| tryton_import_failure(&e, &self.input, self.span))?;
                let mut outcome = import_outcome(rt, what, &report, &success, &fail);
                let seconds = started.elapsed().as_secs_f64();
                if report.succeeded > 0 && seconds > 0.0 {
                    outcome.detail.push_str(&format!(
                        "; {:.1} {what}/s into Tryton",
                        report.succeeded as f64 / seconds
                    ));
                }
                return Ok(outcome);
            }
        };
        let (what, result) = match &self.kind {
            ImportKind::Customers(options) => (
                "customers",
                crate::ledger::import_customers(
                    ledger, state, &workflow, &input, &success, &fail, options,
                ),
            ),
            ImportKind::SalesOrders(options) => (
                "orders",
                crate::ledger::import_sales_orders(
                    ledger, state, &workflow, &input, &success, &fail, options,
                ),
            ),
            ImportKind::Invoices(options) => (
                "invoices",
                crate::ledger::import_invoices(
                    ledger, state, &workflow, &input, &success, &fail, options,
                ),
            ),
            ImportKind::Transactions(options) => (
                "transactions",
                crate::ledger::import_transactions(
                    ledger, state, &workflow, &input, &success, &fail, options,
                ),
            ),
            ImportKind::Products(options) => (
                "products",
                crate::ledger::import_products(
                    ledger, state, &workflow, &input, &success, &fail, options,
                ),
            ),
            ImportKind::StockTransactions(options) => (
                "stock transactions",
                crate::ledger::import_stock_transactions(
                    ledger, state, &workflow, &input, &success, &fail, options,
                ),
            ),
        };
        let report = result.map_err(|e| import_failure(&e, &self.input, self.span))?;
        Ok(import_outcome(rt, what, &report, &success, &fail))
    }
}

/// Declares an import statement: its head words, options type, `ImportKind` variant, the
/// options field that takes `encoding`, summary and example; parameters are the file
/// arguments, the declared options and `encoding`.
macro_rules! import_task {
    (
        $task:ident, [$($word:literal),+], $options:ty, $kind:ident, encoding $($encoding:ident).+,
        $summary:literal, $example:literal
    ) => {
        pub(crate) struct $task;

        static PARAMS: std::sync::LazyLock<Vec<$crate::tasks::Param>> = std::sync::LazyLock::new(|| {
            $crate::tasks::ledger_io::import_params(&<$options>::specs())
        });

        impl $crate::tasks::Task for $task {
            fn head(&self) -> &'static [&'static str] {
                &[$($word),+]
            }
            fn summary(&self) -> &'static str {
                $summary
            }
            fn params(&self) -> &'static [$crate::tasks::Param] {
                &PARAMS
            }
            fn results(&self) -> &'static [(&'static str, &'static str)] {
                $crate::tasks::ledger_io::IMPORT_RESULTS
            }
            fn example(&self) -> &'static str {
                $example
            }
            fn compile(
                &self,
                args: &mut $crate::check::Args,
                cx: &mut $crate::check::Checker<'_>,
            ) -> Option<Box<dyn $crate::runtime::Step>> {
                let mut options = <$options>::default();
                if !$crate::tasks::ledger_io::apply_options(args, &PARAMS, cx, |name, value| {
                    options.set(name, value)
                }) {
                    return None;
                }
                options.$($encoding).+ = $crate::tasks::output_encoding::encoding_option(args, cx)?;
                Some(Box::new($crate::tasks::ledger_io::ImportStep::new(
                    $crate::tasks::ledger_io::ImportKind::$kind(options),
                    args,
                )?))
            }
        }
    };
}
pub(crate) use import_task;
