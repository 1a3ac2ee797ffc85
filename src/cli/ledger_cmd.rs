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
