//! `zynk ledger`: what the ledger holds.
use std::path::Path;

use super::error::MissingStore;
use super::{EXIT_FAILED, EXIT_OK, Listing, ListingFormat, data_dir, output, stderr_style};
use crate::diagnostic;

pub(super) fn ledger_command(
    what: Listing,
    data: Option<&Path>,
    ledger: Option<&Path>,
    format: ListingFormat,
) -> u8 {
    use crate::ledger::{ListFormat, ListKind};
    let style = stderr_style();
    let data = data_dir::resolve(data, None);
    let file = ledger.unwrap_or(Path::new(crate::runtime::LEDGER_FILE));
    let path = data.join(file);
    if !path.is_file() {
        let diag = MissingStore::new("ledger", &path, &file.to_string_lossy());
        output::err(&diagnostic::render_plain(&diag, style));
        return EXIT_FAILED;
    }
    if format == ListingFormat::Table {
        output::err(&super::error::reading_note(
            "ledger",
            &path,
            &file.to_string_lossy(),
        ));
    }
    let kind = match what {
        Listing::Customers => ListKind::Customers,
        Listing::Products => ListKind::Products,
        Listing::Orders => ListKind::Orders,
        Listing::Invoices => ListKind::Invoices,
        Listing::Transactions => ListKind::Transactions,
        Listing::StockTransactions => ListKind::StockTransactions,
    };
    let format = match format {
        ListingFormat::Table => ListFormat::Table,
        ListingFormat::Csv => ListFormat::Csv,
        ListingFormat::Json => ListFormat::Json,
    };
    match crate::ledger::Ledger::open(&path)
        .and_then(|l| crate::ledger::render_rows(&l, kind, format))
    {
        Ok(text) => {
            output::out(&text);
            EXIT_OK
        }
        Err(error) => {
            output::err(&diagnostic::render_plain(&error, style));
            EXIT_FAILED
        }
    }
}

/// `zynk ledger … --tryton URL`: customers, orders or products of a Tryton database; the other
/// listings have no Tryton counterpart and say so.
pub(super) fn tryton_command(
    what: Listing,
    url: String,
    database: String,
    user: String,
    format: ListingFormat,
) -> u8 {
    use crate::tryton::TrytonListing;
    let listing = match what {
        Listing::Customers => TrytonListing::Customers,
        Listing::Orders => TrytonListing::Orders,
        Listing::Products => TrytonListing::Products,
        Listing::Invoices | Listing::Transactions | Listing::StockTransactions => {
            output::err(
                "zynk imports only customers, sales orders and stock into Tryton: \
                 `zynk ledger customers|orders|products --tryton URL` list them; invoices, \
                 transactions and stock transactions are the embedded ledger's\n",
            );
            return EXIT_FAILED;
        }
    };
    let Ok(password) = std::env::var("TRYTON_PASSWORD") else {
        output::err("set TRYTON_PASSWORD to the Tryton user's password\n");
        return EXIT_FAILED;
    };
    let target = crate::tryton::TrytonTarget {
        url,
        database,
        user,
        ca_cert: None,
        timeout: crate::tryton::DEFAULT_TIMEOUT,
        confirm: true,
        carriage_product: None,
        warehouse: crate::tryton::DEFAULT_WAREHOUSE.to_string(),
        product_category: None,
        batch: crate::tryton::DEFAULT_BATCH,
    };
    let format = match format {
        ListingFormat::Table => crate::ledger::ListFormat::Table,
        ListingFormat::Csv => crate::ledger::ListFormat::Csv,
        ListingFormat::Json => crate::ledger::ListFormat::Json,
    };
    let result = crate::tryton::Session::open(&target, password)
        .and_then(|mut s| crate::tryton::table(&mut s, listing, &target.warehouse));
    match result {
        Ok(table) => {
            output::out(&table.render(format));
            EXIT_OK
        }
        Err(error) => {
            output::err(&diagnostic::render_plain(&error, stderr_style()));
            EXIT_FAILED
        }
    }
}
