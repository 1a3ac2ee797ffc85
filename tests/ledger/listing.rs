//! Listings for `zynk ledger customers|products|orders` as table, CSV and JSON.
use zynk::ledger::{
    CustomerImportOptions, ListFormat, ListKind, SalesOrderImportOptions, render_rows,
};

use crate::ledger::common::{Env, TestResult, fixture};

#[test]
fn listings_render_as_table_csv_and_json() -> TestResult {
    let mut env = Env::new()?;
    let input = fixture("Customer with Sales Order and Card Payment [DOWNLOAD].xml");
    env.customers(&input, &CustomerImportOptions::default())?;
    env.orders(&input, &SalesOrderImportOptions::default())?;

    let table = render_rows(&env.ledger, ListKind::Customers, ListFormat::Table)?;
    let mut lines = table.lines();
    assert!(
        lines
            .next()
            .is_some_and(|h| h.starts_with("account_ref  name")),
        "{table}"
    );
    assert!(
        lines
            .next()
            .is_some_and(|r| r.starts_with("INTE001      Internetware")),
        "{table}"
    );

    let csv = render_rows(&env.ledger, ListKind::Orders, ListFormat::Csv)?;
    assert_eq!(
        csv.lines().next(),
        Some("order_number,account_ref,date,name,lines,net,vat,gross,prepaid,allocated")
    );
    assert_eq!(
        csv.lines().nth(1),
        Some("1,INTE001,2011-01-01,Internetware,1,204.24,40.85,245.09,234.88,None")
    );

    let json: serde_json::Value = serde_json::from_str(&render_rows(
        &env.ledger,
        ListKind::Products,
        ListFormat::Json,
    )?)?;
    assert_eq!(json[0]["stock_code"], "TEST01");
    assert_eq!(json[0]["price"], "200.00", "money as a decimal string");
    assert_eq!(json[0]["free"], "0.00");
    let modified = json[0]["modified"].as_str().expect("time");
    assert_eq!(modified.len(), 25, "RFC 3339 with an offset: {modified}");
    assert_eq!(&modified[10..11], "T");

    assert!("receipts".parse::<ListKind>().is_err());
    assert!("xml".parse::<ListFormat>().is_err());
    let empty = Env::new()?;
    assert!(render_rows(&empty.ledger, ListKind::Orders, ListFormat::Table)?.contains("(none)"));
    assert_eq!(
        render_rows(&empty.ledger, ListKind::Orders, ListFormat::Json)?,
        "[]\n"
    );
    Ok(())
}

#[test]
fn invoices_transactions_and_balances_list_in_every_format() -> TestResult {
    let mut env = Env::new()?;
    let input = fixture("Customer with Invoice and Payment.xml");
    env.customers(&input, &CustomerImportOptions::default())?;
    env.invoices(&input, &Default::default())?;

    let csv = render_rows(&env.ledger, ListKind::Invoices, ListFormat::Csv)?;
    assert_eq!(
        csv.lines().next(),
        Some(
            "invoice_number,type,account_ref,date,name,lines,net,vat,gross,paid,outstanding,created"
        )
    );
    assert!(
        csv.lines().nth(1).is_some_and(|l| l.starts_with(
            "1,ProductInvoice,INT001,2011-01-01,Internetware,2,1095,219,1314,1286.63,27.37,"
        )),
        "{csv}"
    );
    let table = render_rows(&env.ledger, ListKind::Transactions, ListFormat::Table)?;
    let rows: Vec<&str> = table.lines().collect();
    assert!(
        rows[0].starts_with("tran_number  type  account_ref  bank"),
        "{table}"
    );
    assert!(rows[1].starts_with("1            SI    INT001"), "{table}");
    assert!(
        rows[2].starts_with("2            SR    INT001       1200"),
        "{table}"
    );

    let json: serde_json::Value = serde_json::from_str(&render_rows(
        &env.ledger,
        ListKind::Transactions,
        ListFormat::Json,
    )?)?;
    assert_eq!(json[1]["gross"], "1286.63", "money as a decimal string");
    assert_eq!(json[1]["balance_effect"], "-1286.63");
    assert_eq!(json[1]["invoice"], 1);
    assert_eq!(json[0]["bank"], serde_json::Value::Null);
    let created = json[0]["created"].as_str().expect("time");
    assert_eq!(
        (created.len(), &created[10..11]),
        (25, "T"),
        "RFC 3339: {created}"
    );

    let customers: serde_json::Value = serde_json::from_str(&render_rows(
        &env.ledger,
        ListKind::Customers,
        ListFormat::Json,
    )?)?;
    assert_eq!(customers[0]["balance"], "27.37");
    let invoices: serde_json::Value = serde_json::from_str(&render_rows(
        &env.ledger,
        ListKind::Invoices,
        ListFormat::Json,
    )?)?;
    assert_eq!(invoices[0]["outstanding"], "27.37");
    assert_eq!(
        render_rows(&Env::new()?.ledger, ListKind::Invoices, ListFormat::Json)?,
        "[]\n"
    );
    Ok(())
}
