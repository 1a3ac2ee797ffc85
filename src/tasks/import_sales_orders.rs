//! `import sales orders from FILE success FILE fail FILE`: Connect XML orders into the ledger.
use std::sync::LazyLock;

use super::ledger_io::{ImportKind, ImportStep, apply_options, import_params};
use super::output_encoding::encoding_option;
use super::{Param, Task};
use crate::check::{Args, Checker};
use crate::ledger::SalesOrderImportOptions;
use crate::runtime::Step;

pub(super) struct ImportSalesOrders;

static PARAMS: LazyLock<Vec<Param>> =
    LazyLock::new(|| import_params(&SalesOrderImportOptions::specs()));

impl Task for ImportSalesOrders {
    fn head(&self) -> &'static [&'static str] {
        &["import", "sales", "orders"]
    }
    fn summary(&self) -> &'static str {
        "Import Connect XML sales orders into the ledger; every order ends in the success or the fail file, none twice"
    }
    fn params(&self) -> &'static [Param] {
        &PARAMS
    }
    fn results(&self) -> &'static [(&'static str, &'static str)] {
        super::ledger_io::IMPORT_RESULTS
    }
    fn example(&self) -> &'static str {
        "import sales orders from \"download.xml\" success \"salesorder_success.xml\" fail \"salesorder_fail.xml\""
    }
    fn compile(&self, args: &mut Args, cx: &mut Checker<'_>) -> Option<Box<dyn Step>> {
        let mut options = SalesOrderImportOptions::default();
        if !apply_options(args, &PARAMS, cx, |name, value| options.set(name, value)) {
            return None;
        }
        options.customer.encoding = encoding_option(args, cx)?;
        Some(Box::new(ImportStep::new(
            ImportKind::SalesOrders(options),
            args,
        )?))
    }
}
