//! `import customers from FILE success FILE fail FILE`: Connect XML customers into the ledger.
use super::ledger_io::{ImportKind, ImportStep, apply_options};
use super::{Kind, Param, Task};
use crate::check::{Args, Checker};
use crate::ledger::CustomerImportOptions;
use crate::runtime::Step;

pub struct ImportCustomers;

/// Zynk's account reference conventions.
pub const CONVENTIONS: &[&str] = &[
    "company_otherwise_fullname",
    "company_otherwise_forename_surname",
    "company_otherwise_surname_forename",
    "forename_surname",
    "surname_forename",
];

/// The account-reference options shared with `import sales orders`.
pub const REFERENCE_OPTIONS: [Param; 7] = [
    Param::option(
        "auto_reference",
        Kind::Bool,
        "generate an account reference when none is given or found (default true)",
    ),
    Param::option(
        "reference_convention",
        Kind::Choice(CONVENTIONS),
        "which name gives the reference's letters (default company_otherwise_fullname)",
    ),
    Param::option(
        "alpha_length",
        Kind::Count,
        "letters at the start of a generated reference (default 3)",
    ),
    Param::option(
        "numeric_length",
        Kind::Count,
        "digits after the letters, zero-padded (default 3)",
    ),
    Param::option(
        "mask",
        Kind::Text,
        "template for generated references: each ? takes the next character; no ? makes it a prefix",
    ),
    Param::option(
        "match_fields",
        Kind::List,
        "find an existing account by these fields when no reference is given, e.g. \"email, postcode\" (company_name, telephone, mobile, fax, email, website, postcode)",
    ),
    Param::option(
        "multiple_delivery_addresses",
        Kind::Bool,
        "add a delivery address record for each new delivery address (default false)",
    ),
];

/// The file arguments every import takes.
pub const FILES: [Param; 3] = [
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

static PARAMS: [Param; 10] = [
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
];

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
    fn example(&self) -> &'static str {
        "import customers from \"download.xml\" success \"customer_success.xml\" fail \"customer_fail.xml\""
    }
    fn compile(&self, args: &mut Args, cx: &mut Checker<'_>) -> Option<Box<dyn Step>> {
        let mut options = CustomerImportOptions::default();
        if !apply_options(args, &PARAMS, cx, |name, value| options.set(name, value)) {
            return None;
        }
        Some(Box::new(ImportStep::new(
            ImportKind::Customers(options),
            args,
        )?))
    }
}
