//! `zynk ledger`: what the ledger holds.
use std::path::Path;

use super::error::MissingStore;
use super::{EXIT_FAILED, EXIT_OK, Listing, ListingFormat, stderr_style};
use crate::diagnostic;

pub(super) fn ledger_command(
    what: Listing,
    data: &Path,
    ledger: Option<&Path>,
    format: ListingFormat,
) -> u8 {
    use crate::ledger::{ListFormat, ListKind};
    let style = stderr_style();
    let path = data.join(ledger.unwrap_or(Path::new("ledger.sqlite")));
    if !path.is_file() {
        let diag = MissingStore {
            what: "ledger",
            path: path.display().to_string(),
        };
        eprint!("{}", diagnostic::render_plain(&diag, style));
        return EXIT_FAILED;
    }
    let kind = match what {
        Listing::Customers => ListKind::Customers,
        Listing::Products => ListKind::Products,
        Listing::Orders => ListKind::Orders,
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
            print!("{text}");
            EXIT_OK
        }
        Err(error) => {
            eprint!("{}", diagnostic::render_plain(&error, style));
            EXIT_FAILED
        }
    }
}
