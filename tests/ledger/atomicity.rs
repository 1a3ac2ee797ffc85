//! Each record is checked completely before its first write, so a rejected record leaves
//! nothing behind (no account, stock record, allocation or truth row), and a failure while
//! writing can only fail the whole import, which then imports nothing.
use zynk::connect::Product;
use zynk::ledger::{CustomerImportOptions, CustomerRecord, ImportError, SalesOrderImportOptions};

use crate::ledger::common::{Env, TestResult, WORKFLOW, customer, item, order};

fn env_with_stock() -> Result<Env, Box<dyn std::error::Error>> {
    let env = Env::new()?;
    env.ledger.insert_customer(&CustomerRecord {
        account_ref: "ACME01".into(),
        name: Some("Acme".into()),
        ..Default::default()
    })?;
    env.ledger.upsert_product(&Product {
        sku: "WIDGET".into(),
        name: Some("Widget".into()),
        sale_price: 10.0,
        tax_code: 1,
        qty_in_stock: 3.0,
        item_type: "Stock".into(),
        ..Default::default()
    })?;
    Ok(env)
}

/// An order for a new customer (by `CustomerId`) with a new product and a stock line.
fn new_customer_order(id: &str, customer_id: &str, extra: &str) -> String {
    format!(
        "<SalesOrder><Id>{id}</Id><CustomerId>{customer_id}</CustomerId><SalesOrderAddress><Company>New Shop {customer_id}</Company><Address1>1 Low St</Address1></SalesOrderAddress><SalesOrderItems>{}{}</SalesOrderItems>{extra}</SalesOrder>",
        item("NEWTHING", 1.0, 5.0, ""),
        item("WIDGET", 2.0, 10.0, "")
    )
}

#[test]
fn an_order_rejected_by_its_last_check_leaves_nothing_behind() -> TestResult {
    let mut env = env_with_stock()?;
    // The payment is checked after the account, the lines and the stock allocation were
    // decided: all of them must be dropped with the order.
    let body = [
        new_customer_order(
            "1",
            "C1",
            "<PaymentAmount>5</PaymentAmount><BankAccount>9999</BankAccount>",
        ),
        new_customer_order("2", "C2", ""),
    ]
    .concat();
    let input = env.write("o.xml", &format!("<SalesOrders>{body}</SalesOrders>"))?;
    let opts = SalesOrderImportOptions {
        auto_create_customer: true,
        allocate_stock: true,
        ..Default::default()
    };
    let out = env.orders(&input, &opts)?;
    assert_eq!((out.report.succeeded, out.report.failed), (1, 1));
    assert!(out.error(0).contains("`9999` is not a bank account"));
    assert_eq!(out.fail[0].text_of("Id"), Some("1"));

    // Only order 2's account, truth rows and allocation exist.
    let accounts: Vec<String> = env
        .ledger
        .customers()?
        .into_iter()
        .map(|c| c.account_ref)
        .collect();
    assert_eq!(accounts, ["ACME01", "NEW001"]);
    assert_eq!(env.state.truth_lookup(WORKFLOW, "Customer", "C1")?, None);
    assert_eq!(env.state.truth_lookup(WORKFLOW, "SalesOrder", "1")?, None);
    assert_eq!(
        env.state
            .truth_lookup(WORKFLOW, "Customer", "C2")?
            .as_deref(),
        Some("NEW001")
    );
    assert_eq!(
        env.state
            .truth_lookup(WORKFLOW, "SalesOrder", "2")?
            .as_deref(),
        Some("1")
    );
    let widget = env.ledger.product_row("WIDGET")?.ok_or("no WIDGET")?;
    assert_eq!(widget.qty_allocated, 2.0, "only order 2 allocated stock");
    assert!(env.ledger.product_row("NEWTHING")?.is_some());
    assert_eq!(env.ledger.orders()?.len(), 1);
    Ok(())
}

#[test]
fn lines_of_one_order_see_the_stock_records_and_allocations_of_the_lines_before() -> TestResult {
    let mut env = env_with_stock()?;
    let items = [
        item("NEW2", 1.0, 4.0, "<Name>Brand new</Name>"),
        item("WIDGET", 2.0, 10.0, ""),
        item("new2", 2.0, 4.0, ""),
        item("WIDGET", 2.0, 10.0, ""),
    ]
    .concat();
    let input = env.write(
        "o.xml",
        &format!(
            "<SalesOrders>{}</SalesOrders>",
            order("1", "ACME01", &items, "")
        ),
    )?;
    let opts = SalesOrderImportOptions {
        allocate_stock: true,
        ..Default::default()
    };
    let out = env.orders(&input, &opts)?;
    assert_eq!(out.report.succeeded, 1, "{:?}", out.report.failures);
    let lines = env.ledger.order_lines(1)?;
    let got: Vec<(&str, Option<&str>, f64)> = lines
        .iter()
        .map(|l| {
            (
                l.stock_code.as_str(),
                l.description.as_deref(),
                l.qty_allocated,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("NEW2", Some("Brand new"), 0.0),
            ("WIDGET", Some("Widget"), 2.0),
            // The record created by line 1 gives the description; it has no stock.
            ("NEW2", Some("Brand new"), 0.0),
            // Line 2 took 2 of the 3 in stock.
            ("WIDGET", Some("Widget"), 1.0),
        ]
    );
    assert_eq!(
        env.ledger.order(1)?.map(|o| o.allocated_status).as_deref(),
        Some("Part")
    );
    let new2 = env.ledger.product_row("NEW2")?.ok_or("no NEW2")?;
    assert_eq!(
        (new2.sales_price, new2.nominal_code.as_str()),
        (4.0, "4000")
    );
    assert_eq!(env.ledger.products()?.len(), 2);
    Ok(())
}

#[test]
fn a_failed_order_write_fails_the_import_and_imports_nothing() -> TestResult {
    let mut env = env_with_stock()?;
    // A ledger that refuses one order's row: the error comes in the write phase.
    env.ledger.connection().execute_batch(
        "CREATE TRIGGER refuse BEFORE INSERT ON sales_order WHEN NEW.cust_order_number = 'BOOM'
         BEGIN SELECT RAISE(ABORT, 'refused'); END;",
    )?;
    let body = [
        new_customer_order("1", "C1", ""),
        order("2", "ACME01", &item("WIDGET", 1.0, 10.0, ""), ""),
        order(
            "3",
            "ACME01",
            &item("OTHER", 1.0, 10.0, ""),
            "<CustomerOrderNumber>BOOM</CustomerOrderNumber>",
        ),
        order("4", "ACME01", &item("WIDGET", 1.0, 10.0, ""), ""),
    ]
    .concat();
    let input = env.write("o.xml", &format!("<SalesOrders>{body}</SalesOrders>"))?;
    let opts = SalesOrderImportOptions {
        auto_create_customer: true,
        allocate_stock: true,
        ..Default::default()
    };
    let err = env.orders(&input, &opts).err();
    assert!(matches!(err, Some(ImportError::Ledger { .. })), "{err:?}");
    assert!(env.ledger.orders()?.is_empty());
    assert_eq!(env.ledger.customers()?.len(), 1);
    assert_eq!(env.ledger.products()?.len(), 1, "no NEWTHING, no OTHER");
    let widget = env.ledger.product_row("WIDGET")?.ok_or("no WIDGET")?;
    assert_eq!(widget.qty_allocated, 0.0);
    assert_eq!(env.state.truth_count(WORKFLOW, "SalesOrder")?, 0);
    assert_eq!(env.state.truth_count(WORKFLOW, "Customer")?, 0);
    assert!(!env.path("salesorder_success.xml").exists());
    assert!(!env.path("salesorder_fail.xml").exists());

    // Without the refusal the same file imports whole, once.
    env.ledger
        .connection()
        .execute_batch("DROP TRIGGER refuse")?;
    let out = env.orders(&input, &opts)?;
    assert_eq!((out.report.succeeded, out.report.failed), (4, 0));
    let again = env.orders(&input, &opts)?;
    assert_eq!(
        (
            again.report.succeeded,
            again.report.already_imported,
            again.report.failed
        ),
        (0, 4, 0)
    );
    assert_eq!(env.ledger.orders()?.len(), 4);
    Ok(())
}

#[test]
fn a_failed_customer_write_fails_the_import_and_imports_nothing() -> TestResult {
    let mut env = Env::new()?;
    env.ledger.connection().execute_batch(
        "CREATE TRIGGER refuse BEFORE INSERT ON customer WHEN NEW.name = 'Boom'
         BEGIN SELECT RAISE(ABORT, 'refused'); END;",
    )?;
    let body = [
        customer("1", "Acme", ""),
        customer("2", "Boom", ""),
        customer("3", "Zynk", ""),
    ]
    .concat();
    let input = env.write("c.xml", &format!("<Customers>{body}</Customers>"))?;
    let opts = CustomerImportOptions {
        multiple_delivery_addresses: true,
        ..Default::default()
    };
    let err = env.customers(&input, &opts).err();
    assert!(matches!(err, Some(ImportError::Ledger { .. })), "{err:?}");
    assert!(env.ledger.customers()?.is_empty());
    assert_eq!(env.state.truth_count(WORKFLOW, "Customer")?, 0);
    assert!(!env.path("customer_success.xml").exists());

    env.ledger
        .connection()
        .execute_batch("DROP TRIGGER refuse")?;
    let out = env.customers(&input, &opts)?;
    assert_eq!((out.report.succeeded, out.report.failed), (3, 0));
    assert_eq!(env.state.truth_count(WORKFLOW, "Customer")?, 3);
    Ok(())
}

#[test]
fn the_ledger_and_state_store_keep_the_rollback_journal() -> TestResult {
    // docs/ledger.md: the import's commit is atomic across both files and crash-safe.
    let env = Env::new()?;
    let state = rusqlite::Connection::open(env.state.file().expect("a SQLite store"))?;
    for conn in [env.ledger.connection(), &state] {
        let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
        assert_eq!(mode, "delete");
    }
    Ok(())
}
