//! `import customers from FILE success FILE fail FILE`: Connect XML customers into the ledger.
use std::sync::LazyLock;

use super::ledger_io::{ImportKind, ImportStep, apply_options, import_params};
use super::output_encoding::encoding_option;
use super::{Param, Task};
use crate::check::{Args, Checker};
use crate::ledger::CustomerImportOptions;
use crate::runtime::Step;

pub(super) struct ImportCustomers;

static PARAMS: LazyLock<Vec<Param>> =
    LazyLock::new(|| import_params(&CustomerImportOptions::specs()));

impl Task for ImportCustomers {
    fn head(&self) -> &'static [&'static str] {
        &["import", "customers"]
    }
    fn summary(&self) -> &'static str {
        "Import Connect XML customers into the ledger; every record ends in the success or the fail file"
    }
    fn params(&self) -> &'static [Param] {
        &PARAMS
    }
    fn results(&self) -> &'static [(&'static str, &'static str)] {
        super::ledger_io::IMPORT_RESULTS
    }
    fn example(&self) -> &'static str {
        "import customers from \"download.xml\" success \"customer_success.xml\" fail \"customer_fail.xml\""
    }
    fn compile(&self, args: &mut Args, cx: &mut Checker<'_>) -> Option<Box<dyn Step>> {
        let mut options = CustomerImportOptions::default();
        if !apply_options(args, &PARAMS, cx, |name, value| options.set(name, value)) {
            return None;
        }
        options.encoding = encoding_option(args, cx)?;
        Some(Box::new(ImportStep::new(
            ImportKind::Customers(options),
            args,
        )?))
    }
}
