//! Loading stock records from a Connect XML product file (seeding a ledger, round trips, demos).
use std::path::Path;

use crate::connect::{Product, RecordReader};

use super::Ledger;
use super::import_error::{ImportError, ImportReport};
use super::limits::stock_code;

/// Creates or replaces a stock record for each `Company/Products/Product` in `input`.
///
/// This is not one of the sample workflow's tasks; it seeds the ledger. Products with a
/// missing or invalid `Sku` are counted as failed. All products go in one transaction: a
/// malformed file imports nothing.
pub fn import_products(ledger: &mut Ledger, input: &Path) -> Result<ImportReport, ImportError> {
    RecordReader::count(input, "Products", "Product")?;
    let mut reader = RecordReader::open(input, "Products", "Product")?;
    ledger.conn.execute_batch("BEGIN IMMEDIATE")?;
    let result = load(ledger, &mut reader);
    match result {
        Ok(report) => {
            ledger.conn.execute_batch("COMMIT")?;
            Ok(report)
        }
        Err(e) => {
            // Best effort: the error being reported matters more than a failed rollback.
            let _ = ledger.conn.execute_batch("ROLLBACK");
            Err(e)
        }
    }
}

fn load(ledger: &Ledger, reader: &mut RecordReader) -> Result<ImportReport, ImportError> {
    let mut report = ImportReport::default();
    while let Some(node) = reader.next_node()? {
        report.records += 1;
        let parsed = Product::from_node(&node)
            .map_err(|e| e.to_string())
            .and_then(|mut p| {
                p.sku = stock_code(&p.sku)?;
                Ok(p)
            });
        match parsed {
            Ok(p) => {
                ledger.upsert_product(&p)?;
                report.succeeded += 1;
            }
            Err(message) => {
                report.failed += 1;
                report
                    .failures
                    .push(format!("Product #{}: {message}", report.records));
            }
        }
    }
    Ok(report)
}
