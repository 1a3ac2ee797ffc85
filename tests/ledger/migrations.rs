//! A ledger written before the stock movements existed (schema version 1) is brought up to date
//! when it is opened, keeping its rows.
use zynk::ledger::Ledger;

type TestResult = Result<(), Box<dyn std::error::Error>>;

#[test]
fn a_version_1_ledger_gets_the_stock_transaction_table_and_keeps_its_stock() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("ledger.sqlite");
    {
        // Exactly what a version-1 zynk wrote: migration 1 only.
        let conn = rusqlite::Connection::open(&path)?;
        conn.execute_batch(include_str!("../../src/ledger/schema.sql"))?;
        conn.execute_batch(
            "INSERT INTO product (stock_code, qty_in_stock, created, modified) VALUES ('OLD1', 7, 1, 1);
             PRAGMA user_version = 1;",
        )?;
    }
    let ledger = Ledger::open(&path)?;
    let version: i64 = ledger
        .connection()
        .query_row("PRAGMA user_version", [], |r| r.get(0))?;
    assert_eq!(version, 6, "migrated to the latest version");
    assert!(ledger.stock_transactions()?.is_empty());
    let old = ledger.product_row("OLD1")?.ok_or("OLD1 kept")?;
    assert_eq!(old.qty_in_stock, 7.0);
    Ok(())
}

#[test]
fn a_version_3_ledger_keeps_its_invoices_and_postings_through_the_rebuilds_of_versions_4_and_5()
-> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("ledger.sqlite");
    {
        // What a version-3 zynk wrote: migrations 1 to 3, an invoice with a line and a posting.
        let conn = rusqlite::Connection::open(&path)?;
        conn.execute_batch("PRAGMA foreign_keys = ON")?;
        conn.execute_batch(include_str!("../../src/ledger/schema.sql"))?;
        conn.execute_batch(include_str!("../../src/ledger/schema_2_stock.sql"))?;
        conn.execute_batch(include_str!("../../src/ledger/schema_3_invoices.sql"))?;
        conn.execute_batch(
            "INSERT INTO customer (account_ref, name, currency, balance, date_account_opened, created, modified)
                 VALUES ('OLD001', 'Old Account', 'GBP', 110, '2020-01-01', 1, 1);
             INSERT INTO invoice (invoice_number, account_ref, invoice_date, invoice_type, currency,
                 items_net, items_tax, items_gross, carr_net, carr_tax, carr_gross, invoice_net,
                 invoice_tax, invoice_gross, amount_paid, created, modified)
                 VALUES (7, 'OLD001', '2020-02-01', 'ServiceInvoice', 'GBP', 100, 20, 120, 0, 0, 0,
                 100, 20, 120, 10, 2, 3);
             INSERT INTO invoice_item (invoice_number, item_number, stock_code, qty_order, unit_price,
                 full_net_amount, net_amount, tax_amount, gross_amount)
                 VALUES (7, 1, 'S3', 1, 100, 100, 100, 20, 120);
             INSERT INTO ledger_transaction (tran_type, account_ref, invoice_number, tran_date,
                 net_amount, tax_amount, amount, balance_effect, created, modified)
                 VALUES ('SI', 'OLD001', 7, '2020-02-01', 100, 20, 120, 120, 2, 2);
             INSERT INTO ledger_transaction (tran_type, account_ref, bank_code, invoice_number,
                 tran_date, net_amount, tax_amount, amount, balance_effect, bank_effect, created, modified)
                 VALUES ('SR', 'OLD001', '1200', 7, '2020-02-01', 10, 0, 10, -10, 10, 2, 2);
             PRAGMA user_version = 3;",
        )?;
    }
    let ledger = Ledger::open(&path)?;
    let conn = ledger.connection();
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    assert_eq!(version, 6);
    let invoice = ledger.invoice(7)?.ok_or("invoice 7 kept")?;
    assert_eq!(
        (
            invoice.invoice_type.as_str(),
            invoice.invoice_gross,
            invoice.amount_paid
        ),
        ("ServiceInvoice", 120.0, 10.0)
    );
    assert_eq!(
        (invoice.lines, invoice.created, invoice.modified),
        (1, 2, 3)
    );
    let postings = ledger.transactions()?;
    let types: Vec<&str> = postings.iter().map(|t| t.tran_type.as_str()).collect();
    assert_eq!(types, ["SI", "SR"]);
    assert_eq!(postings[1].bank_code.as_deref(), Some("1200"));
    assert_eq!(ledger.customer_balance("OLD001")?, Some(110.0));
    // The invoice exports read in number order, a scan of the table: the indexes by `created`
    // and `modified` that version 5 dropped were never used.
    let plan: Vec<String> = conn
        .prepare(
            "EXPLAIN QUERY PLAN SELECT * FROM invoice WHERE (created >= 5 OR modified >= 5)
             ORDER BY invoice_number",
        )?
        .query_map([], |r| r.get(3))?
        .collect::<Result<_, _>>()?;
    assert_eq!(plan, ["SCAN invoice"]);
    let lines = ledger.invoice_lines(7)?;
    assert_eq!((lines.len(), lines[0].gross_amount), (1, 120.0));
    // The rebuilt tables keep their checks and references.
    let bad_type = conn.execute(
        "INSERT INTO ledger_transaction (tran_type, tran_date, net_amount, tax_amount, amount,
             created, modified) VALUES ('XX', '2020-02-01', 0, 0, 0, 0, 0)",
        [],
    );
    assert!(bad_type.is_err(), "an unknown transaction type is refused");
    let bad_account = conn.execute(
        "INSERT INTO invoice (invoice_number, account_ref, invoice_date, invoice_type, currency,
             items_net, items_tax, items_gross, carr_net, carr_tax, carr_gross, invoice_net,
             invoice_tax, invoice_gross, created, modified)
             VALUES (8, 'NOBODY', '2020-02-01', 'ProductInvoice', 'GBP', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)",
        [],
    );
    assert!(
        bad_account.is_err(),
        "an invoice for a missing account is refused"
    );
    let bad_invoice_type = conn.execute(
        "INSERT INTO invoice (invoice_number, account_ref, invoice_date, invoice_type, currency,
             items_net, items_tax, items_gross, carr_net, carr_tax, carr_gross, invoice_net,
             invoice_tax, invoice_gross, created, modified)
             VALUES (9, 'OLD001', '2020-02-01', 'SopQuote', 'GBP', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)",
        [],
    );
    assert!(
        bad_invoice_type.is_err(),
        "an order type is no invoice type"
    );
    let line_of_nothing = conn.execute(
        "INSERT INTO invoice_item (invoice_number, item_number, stock_code, qty_order, unit_price,
             full_net_amount, net_amount, tax_amount, gross_amount)
             VALUES (99, 1, 'S3', 1, 1, 1, 1, 0, 1)",
        [],
    );
    assert!(line_of_nothing.is_err(), "lines still need their invoice");
    Ok(())
}
