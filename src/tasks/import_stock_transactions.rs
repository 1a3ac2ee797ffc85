//! `import stock transactions from FILE success FILE fail FILE`: stock movements into the ledger.
use std::sync::LazyLock;

use super::ledger_io::{ImportKind, ImportStep, apply_options, import_params};
use super::output_encoding::encoding_option;
use super::{Param, Task};
use crate::check::{Args, Checker};
use crate::ledger::StockTransactionImportOptions;
use crate::runtime::Step;

pub(super) struct ImportStockTransactions;

static PARAMS: LazyLock<Vec<Param>> =
    LazyLock::new(|| import_params(&StockTransactionImportOptions::specs()));

impl Task for ImportStockTransactions {
    fn head(&self) -> &'static [&'static str] {
        &["import", "stock", "transactions"]
    }
    fn summary(&self) -> &'static str {
        "Post Connect XML stock transactions (adjustments in and out, goods in and out, …) to the ledger's stock, each once; every record ends in the success or the fail file"
    }
    fn params(&self) -> &'static [Param] {
        &PARAMS
    }
    fn results(&self) -> &'static [(&'static str, &'static str)] {
        super::ledger_io::IMPORT_RESULTS
    }
    fn example(&self) -> &'static str {
        "import stock transactions from \"stock.xml\" success \"stock_success.xml\" fail \"stock_fail.xml\""
    }
    fn compile(&self, args: &mut Args, cx: &mut Checker<'_>) -> Option<Box<dyn Step>> {
        let mut options = StockTransactionImportOptions::default();
        if !apply_options(args, &PARAMS, cx, |name, value| options.set(name, value)) {
            return None;
        }
        options.encoding = encoding_option(args, cx)?;
        Some(Box::new(ImportStep::new(
            ImportKind::StockTransactions(options),
            args,
        )?))
    }
}
