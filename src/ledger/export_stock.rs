//! `export stock all|new|modified`: stock records to Connect XML, with a watermark per workflow.
use std::path::{Path, PathBuf};

use jiff::Timestamp;

use crate::state::StateStore;

use super::export_records::{ExportQuery, export_records, where_clause};
use super::import_error::ImportError;
use super::product::{PRODUCT_COLUMNS, full_product};
use super::{Ledger, LedgerError};

/// Which stock records an export takes (Zynk `ExportSettings/ExportType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportMode {
    /// Every record.
    All,
    /// Records created since the watermark.
    New,
    /// Records created or changed since the watermark.
    Modified,
}

impl ExportMode {
    /// Parses `all`, `new` or `modified` (any case).
    pub fn parse(text: &str) -> Option<ExportMode> {
        match text.to_ascii_lowercase().as_str() {
            "all" => Some(ExportMode::All),
            "new" => Some(ExportMode::New),
            "modified" => Some(ExportMode::Modified),
            _ => None,
        }
    }

    /// The word a script writes for this mode.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ExportMode::All => "all",
            ExportMode::New => "new",
            ExportMode::Modified => "modified",
        }
    }
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportReport {
    /// Products written.
    pub products: u64,
    /// The file written.
    pub output: PathBuf,
    /// The watermark used as the lower bound (`None` = everything).
    pub since: Option<Timestamp>,
    /// The new watermark saved (the time the export started).
    pub watermark: Timestamp,
    /// Products the export would have taken but left out: the ledger was never told their
    /// stock level, and sending 0 would empty the shop's stock.
    pub unknown_stock: u64,
}

impl ExportReport {
    /// Zynk's task result: `Success`, or `SuccessNoData` when nothing was exported.
    pub fn result_code(&self) -> &'static str {
        if self.products == 0 {
            "SuccessNoData"
        } else {
            "Success"
        }
    }
}

/// Watermark key used by [`export_stock`].
pub const DEFAULT_EXPORT_TASK: &str = "export_stock";

/// Exports stock records to `output` as `<Company><Products><Product>…` (reference §5).
///
/// The clock is read before the query; the new watermark is saved only after the file has been
/// written and renamed into place, so a failed run exports the same records again.
pub fn export_stock(
    ledger: &Ledger,
    state: &StateStore,
    workflow: &str,
    mode: ExportMode,
    published_only: bool,
    output: &Path,
) -> Result<ExportReport, ImportError> {
    export_stock_task(
        ledger,
        state,
        workflow,
        DEFAULT_EXPORT_TASK,
        mode,
        published_only,
        output,
    )
}

fn published_filter(published_only: bool) -> Vec<String> {
    if published_only {
        vec!["web_publish = 1".to_string()]
    } else {
        Vec::new()
    }
}

/// The condition a product's stock level must meet to be exported.
const STOCK_KNOWN: &str = "stock_known = 1";

/// How many products `mode` would take whose stock level the ledger was never told: an export
/// leaves them out.
pub(super) fn unknown_stock_count(
    ledger: &Ledger,
    mode: ExportMode,
    since: Option<Timestamp>,
    published_only: bool,
) -> Result<u64, LedgerError> {
    let mut filters = published_filter(published_only);
    filters.push("stock_known = 0".to_string());
    let sql = format!(
        "SELECT count(*) FROM product {}",
        where_clause(mode, since, &filters)
    );
    let n: i64 = ledger.conn.query_row(&sql, [], |r| r.get(0))?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// As [`export_stock`], with the watermark kept under `task` (for several exports in one workflow).
pub fn export_stock_task(
    ledger: &Ledger,
    state: &StateStore,
    workflow: &str,
    task: &str,
    mode: ExportMode,
    published_only: bool,
    output: &Path,
) -> Result<ExportReport, ImportError> {
    let to = ExportTarget {
        output,
        encoding: None,
    };
    export_stock_encoded(ledger, state, workflow, task, mode, published_only, &to)
}

/// Where an export writes, and in which encoding (UTF-8 when `None`).
#[derive(Debug, Clone, Copy)]
pub struct ExportTarget<'a> {
    /// The file written.
    pub output: &'a Path,
    /// Its encoding, declared in its XML declaration.
    pub encoding: Option<crate::xml_input::OutputEncoding>,
}

impl<'a> ExportTarget<'a> {
    /// `output`, in UTF-8.
    #[must_use]
    pub fn utf8(output: &'a Path) -> ExportTarget<'a> {
        ExportTarget {
            output,
            encoding: None,
        }
    }
}

/// As [`export_stock_task`], written to `to` in its encoding.
pub fn export_stock_encoded(
    ledger: &Ledger,
    state: &StateStore,
    workflow: &str,
    task: &str,
    mode: ExportMode,
    published_only: bool,
    to: &ExportTarget<'_>,
) -> Result<ExportReport, ImportError> {
    let mut filters = published_filter(published_only);
    filters.push(STOCK_KNOWN.to_string());
    let mut report = export_records(
        ledger,
        state,
        workflow,
        task,
        mode,
        to,
        ExportQuery {
            collection: "Products",
            select: format!("SELECT {PRODUCT_COLUMNS} FROM product"),
            filters,
            order_by: "stock_code",
            to_node: &|_, row| Ok(full_product(row)?.to_node()),
        },
    )?;
    report.unknown_stock = unknown_stock_count(ledger, mode, report.since, published_only)?;
    Ok(report)
}
