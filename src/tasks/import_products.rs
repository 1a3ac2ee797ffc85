//! `import products from FILE success FILE fail FILE`: Connect XML products into stock records.
use std::sync::LazyLock;

use super::ledger_io::{ImportKind, ImportStep, apply_options, import_params};
use super::output_encoding::encoding_option;
use super::{Param, Task};
use crate::check::{Args, Checker};
use crate::ledger::ProductImportOptions;
use crate::runtime::Step;

pub(super) struct ImportProducts;

static PARAMS: LazyLock<Vec<Param>> =
    LazyLock::new(|| import_params(&ProductImportOptions::specs()));

impl Task for ImportProducts {
    fn head(&self) -> &'static [&'static str] {
        &["import", "products"]
    }
    fn summary(&self) -> &'static str {
        "Create or update the ledger's stock records from Connect XML products, by stock code; every record ends in the success or the fail file"
    }
    fn params(&self) -> &'static [Param] {
        &PARAMS
    }
    fn results(&self) -> &'static [(&'static str, &'static str)] {
        super::ledger_io::IMPORT_RESULTS
    }
    fn example(&self) -> &'static str {
        "import products from \"products.xml\" success \"product_success.xml\" fail \"product_fail.xml\""
    }
    fn compile(&self, args: &mut Args, cx: &mut Checker<'_>) -> Option<Box<dyn Step>> {
        let mut options = ProductImportOptions::default();
        if !apply_options(args, &PARAMS, cx, |name, value| options.set(name, value)) {
            return None;
        }
        options.encoding = encoding_option(args, cx)?;
        Some(Box::new(ImportStep::new(
            ImportKind::Products(options),
            args,
        )?))
    }
}
