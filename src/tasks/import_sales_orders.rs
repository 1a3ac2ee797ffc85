//! `import sales orders from FILE success FILE fail FILE`: Connect XML orders into the ledger.
use super::import_customers::{FILES, REFERENCE_OPTIONS};
use super::ledger_io::{ImportKind, ImportStep, apply_options};
use super::{Kind, Param, Task};
use crate::check::{Args, Checker};
use crate::ledger::SalesOrderImportOptions;
use crate::runtime::Step;

pub struct ImportSalesOrders;

static PARAMS: [Param; 20] = [
    FILES[0],
    FILES[1],
    FILES[2],
    REFERENCE_OPTIONS[0],
    REFERENCE_OPTIONS[1],
    REFERENCE_OPTIONS[2],
    REFERENCE_OPTIONS[3],
    REFERENCE_OPTIONS[4],
    REFERENCE_OPTIONS[5],
    REFERENCE_OPTIONS[6],
    Param::option(
        "auto_create_customer",
        Kind::Bool,
        "create the account when it does not exist (default false: the order fails)",
    ),
    Param::option(
        "auto_create_products",
        Kind::Bool,
        "create a product for an unknown Sku (default true)",
    ),
    Param::option(
        "default_product",
        Kind::Text,
        "product code for lines without a Sku (default \"S1\")",
    ),
    Param::option(
        "prevent_duplicates",
        Kind::Bool,
        "send an order whose Id was already imported to the fail file (default true)",
    ),
    Param::option(
        "manual_order_numbers",
        Kind::Bool,
        "use SalesOrderNumber from the file instead of the ledger's next number (default false)",
    ),
    Param::option(
        "allocate_stock",
        Kind::Bool,
        "allocate free stock to the lines (default false)",
    ),
    Param::option(
        "prices_include_tax",
        Kind::Bool,
        "unit prices include VAT (default false)",
    ),
    Param::option(
        "default_bank_account",
        Kind::Text,
        "bank nominal code for payments without one (default \"1200\")",
    ),
    Param::option(
        "default_account",
        Kind::Text,
        "account for orders with neither AccountReference nor CustomerId (default none)",
    ),
    Param::option(
        "default_tax_code",
        Kind::Text,
        "tax code for lines and products without one, e.g. \"T1\" (default T1)",
    ),
];

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
    fn example(&self) -> &'static str {
        "import sales orders from \"download.xml\" success \"salesorder_success.xml\" fail \"salesorder_fail.xml\""
    }
    fn compile(&self, args: &mut Args, cx: &mut Checker<'_>) -> Option<Box<dyn Step>> {
        let mut options = SalesOrderImportOptions::default();
        if !apply_options(args, &PARAMS, cx, |name, value| options.set(name, value)) {
            return None;
        }
        Some(Box::new(ImportStep::new(
            ImportKind::SalesOrders(options),
            args,
        )?))
    }
}
