//! A ledger written before the stock movements existed (schema version 1) is brought up to date
//! when it is opened, keeping its rows.
use zynk::ledger::Ledger;

type TestResult = Result<(), Box<dyn std::error::Error>>;

#[test]
fn a_version_1_ledger_gets_the_stock_transaction_table_and_keeps_its_stock() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("ledger.sqlite");
    {
        let ledger = Ledger::open(&path)?;
        ledger.connection().execute_batch(
            "INSERT INTO product (stock_code, qty_in_stock, created, modified) VALUES ('OLD1', 7, 1, 1);
             DROP TABLE stock_transaction;
             PRAGMA user_version = 1;",
        )?;
    }
    let ledger = Ledger::open(&path)?;
    let version: i64 = ledger
        .connection()
        .query_row("PRAGMA user_version", [], |r| r.get(0))?;
    assert_eq!(version, 2);
    assert!(ledger.stock_transactions()?.is_empty());
    let old = ledger.product_row("OLD1")?.ok_or("OLD1 kept")?;
    assert_eq!(old.qty_in_stock, 7.0);
    Ok(())
}
