//! Sales order import rules: lines, special codes, VAT, numbering, payments, allocation.
use zynk::connect::Product;
use zynk::ledger::{CustomerRecord, SalesOrderImportOptions};

use crate::ledger::common::{Env, TestResult, item, order};

fn env_with_account() -> Result<Env, Box<dyn std::error::Error>> {
    let env = Env::new()?;
    env.ledger.insert_customer(&CustomerRecord {
        account_ref: "ACME01".into(),
        name: Some("Acme".into()),
        address: [
            Some("1 High St".into()),
            None,
            Some("Leeds".into()),
            None,
            Some("LS1 1AA".into()),
        ],
        ..Default::default()
    })?;
    env.ledger.upsert_product(&Product {
        sku: "WIDGET".into(),
        name: Some("Widget".into()),
        sale_price: 10.0,
        tax_code: 5,
        qty_in_stock: 3.0,
        item_type: "Stock".into(),
        ..Default::default()
    })?;
    Ok(env)
}

#[test]
fn line_kinds_defaults_and_tax_code_precedence() -> TestResult {
    let mut env = env_with_account()?;
    let items = [
        "<Item><QtyOrdered>1</QtyOrdered><UnitPrice>50</UnitPrice></Item>".to_string(),
        item("S2", 2.0, 10.0, ""),
        "<Item><Sku>M</Sku><Name>Leave at the back door</Name></Item>".to_string(),
        "<Item><Sku>WIDGET</Sku><QtyOrdered>2</QtyOrdered></Item>".to_string(),
        item("WIDGET", 1.0, 10.0, "<TaxCode>0</TaxCode>"),
        item(
            "S3",
            1.0,
            100.0,
            "<UnitDiscountPercentage>10</UnitDiscountPercentage><Text>Fitting</Text>",
        ),
    ]
    .concat();
    let input = env.write(
        "o.xml",
        &format!(
            "<SalesOrders>{}</SalesOrders>",
            order("1", "ACME01", &items, "")
        ),
    )?;
    let out = env.orders(&input, &SalesOrderImportOptions::default())?;
    assert_eq!(out.report.succeeded, 1, "{:?}", out.report.failures);
    let lines = env.ledger.order_lines(1)?;
    let summary: Vec<(&str, Option<i64>, f64, f64)> = lines
        .iter()
        .map(|l| {
            (
                l.stock_code.as_str(),
                l.tax_code,
                l.net_amount,
                l.tax_amount,
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("S1", Some(1), 50.0, 10.0),
            ("S2", Some(0), 20.0, 0.0),
            ("M", None, 0.0, 0.0),
            ("WIDGET", Some(5), 20.0, 1.0),
            ("WIDGET", Some(0), 10.0, 0.0),
            ("S3", Some(1), 90.0, 18.0),
        ]
    );
    assert_eq!(
        lines[2].description.as_deref(),
        Some("Leave at the back door")
    );
    assert_eq!(
        lines[3].description.as_deref(),
        Some("Widget"),
        "the product's description by default"
    );
    assert!(
        env.ledger.product_row("S1")?.is_none(),
        "special codes are never stock records"
    );
    let o = env.ledger.order(1)?.ok_or("no order")?;
    assert_eq!(
        (o.items_net, o.items_tax, o.invoice_gross),
        (190.0, 29.0, 219.0)
    );
    // The order had no delivery address: the account's invoice address is used.
    assert_eq!(o.del_name.as_deref(), Some("Acme"));
    Ok(())
}

#[test]
fn unknown_products_fail_without_auto_create_and_bad_values_fail_the_order() -> TestResult {
    let mut env = env_with_account()?;
    let body = [
        order("1", "ACME01", &item("NEW1", 1.0, 5.0, ""), ""),
        order(
            "2",
            "ACME01",
            &item("WIDGET", 1.0, 5.0, "<TaxCode>12</TaxCode>"),
            "",
        ),
        order(
            "3",
            "ACME01",
            "<Item><Sku>WIDGET</Sku><QtyOrdered>two</QtyOrdered></Item>",
            "",
        ),
        order("4", "ACME01", &item(&"X".repeat(31), 1.0, 5.0, ""), ""),
        order(
            "5",
            "ACME01",
            &item("WIDGET", 1.0, 5.0, ""),
            "<PaymentAmount>6</PaymentAmount><BankAccount>9999</BankAccount>",
        ),
        order(
            "6",
            "ACME01",
            &item("WIDGET", 1.0, 5.0, ""),
            "<Currency>USD</Currency>",
        ),
    ]
    .concat();
    let input = env.write("o.xml", &format!("<SalesOrders>{body}</SalesOrders>"))?;
    let opts = SalesOrderImportOptions {
        auto_create_products: false,
        ..Default::default()
    };
    let out = env.orders(&input, &opts)?;
    assert_eq!((out.report.succeeded, out.report.failed), (0, 6));
    let errors: Vec<String> = (0..6).map(|i| out.error(i)).collect();
    assert!(
        errors[0].contains("product `NEW1` does not exist"),
        "{errors:?}"
    );
    assert!(errors[1].contains("T12 is not set up"), "{errors:?}");
    assert!(
        errors[2].contains("`Item/QtyOrdered` holds `two`"),
        "{errors:?}"
    );
    assert!(errors[3].contains("longer than 30"), "{errors:?}");
    assert!(
        errors[4].contains("`9999` is not a bank account"),
        "{errors:?}"
    );
    assert!(errors[5].contains("in USD"), "{errors:?}");
    assert!(env.ledger.orders()?.is_empty());
    assert!(env.ledger.product_row("NEW1")?.is_none());
    Ok(())
}

#[test]
fn manual_order_numbers_must_be_new() -> TestResult {
    let mut env = env_with_account()?;
    let body = [
        order(
            "1",
            "ACME01",
            &item("WIDGET", 1.0, 5.0, ""),
            "<SalesOrderNumber>500</SalesOrderNumber>",
        ),
        order(
            "2",
            "ACME01",
            &item("WIDGET", 1.0, 5.0, ""),
            "<SalesOrderNumber>500</SalesOrderNumber>",
        ),
        order(
            "3",
            "ACME01",
            &item("WIDGET", 1.0, 5.0, ""),
            "<SalesOrderNumber>12345678</SalesOrderNumber>",
        ),
    ]
    .concat();
    let input = env.write("o.xml", &format!("<SalesOrders>{body}</SalesOrders>"))?;
    let opts = SalesOrderImportOptions {
        manual_order_numbers: true,
        ..Default::default()
    };
    let out = env.orders(&input, &opts)?;
    assert_eq!((out.report.succeeded, out.report.failed), (1, 2));
    assert_eq!(out.success[0].text_of("SalesOrderNumber"), Some("500"));
    assert!(out.error(0).contains("500 already exists"));
    assert!(out.error(1).contains("1 to 9999999"));
    // Ledger numbering continues after the highest number.
    let next = env.write(
        "p.xml",
        &format!(
            "<SalesOrders>{}</SalesOrders>",
            order("9", "ACME01", &item("WIDGET", 1.0, 5.0, ""), "")
        ),
    )?;
    let out = env.orders(&next, &SalesOrderImportOptions::default())?;
    assert_eq!(out.success[0].text_of("SalesOrderNumber"), Some("501"));
    Ok(())
}

#[test]
fn prices_including_tax_are_split_per_line() -> TestResult {
    let mut env = env_with_account()?;
    let input = env.write(
        "o.xml",
        &format!(
            "<SalesOrders>{}</SalesOrders>",
            order("1", "ACME01", &item("S1", 1.0, 120.0, ""), "")
        ),
    )?;
    let opts = SalesOrderImportOptions {
        prices_include_tax: true,
        ..Default::default()
    };
    env.orders(&input, &opts)?;
    let o = env.ledger.order(1)?.ok_or("no order")?;
    assert_eq!(
        (o.items_net, o.items_tax, o.invoice_gross),
        (100.0, 20.0, 120.0)
    );
    Ok(())
}

#[test]
fn stock_allocation_takes_free_stock_only() -> TestResult {
    let mut env = env_with_account()?;
    let body = [
        order("1", "ACME01", &item("WIDGET", 2.0, 10.0, ""), ""),
        order(
            "2",
            "ACME01",
            &[item("WIDGET", 5.0, 10.0, ""), item("S1", 1.0, 1.0, "")].concat(),
            "",
        ),
    ]
    .concat();
    let input = env.write("o.xml", &format!("<SalesOrders>{body}</SalesOrders>"))?;
    let opts = SalesOrderImportOptions {
        allocate_stock: true,
        ..Default::default()
    };
    let out = env.orders(&input, &opts)?;
    assert_eq!(out.report.succeeded, 2);
    let allocated = |i: usize, line: usize| -> Option<String> {
        out.success[i]
            .child("SalesOrderItems")?
            .children_named("Item")
            .nth(line)?
            .text_of("QtyAllocated")
            .map(str::to_string)
    };
    assert_eq!(allocated(0, 0).as_deref(), Some("2"));
    assert_eq!(
        allocated(1, 0).as_deref(),
        Some("1"),
        "only 1 of 3 left free"
    );
    assert_eq!(
        allocated(1, 1).as_deref(),
        Some("0"),
        "special lines are not allocated"
    );
    let p = env.ledger.product_row("WIDGET")?.ok_or("no WIDGET")?;
    assert_eq!(
        (p.qty_in_stock, p.qty_allocated, p.free_stock()),
        (3.0, 3.0, 0.0)
    );
    assert_eq!(
        env.ledger.order(2)?.map(|o| o.allocated_status),
        Some("Part".to_string())
    );
    Ok(())
}

#[test]
fn customer_id_finds_the_account_through_the_truth_table_and_default_account_is_last() -> TestResult
{
    let mut env = env_with_account()?;
    env.state
        .truth_store(crate::ledger::common::WORKFLOW, "Customer", "77", "ACME01")?;
    let body = [
        "<SalesOrder><Id>1</Id><CustomerId>77</CustomerId><SalesOrderItems>".to_string()
            + &item("S1", 1.0, 1.0, "")
            + "</SalesOrderItems></SalesOrder>",
        "<SalesOrder><Id>2</Id><CustomerId>78</CustomerId><SalesOrderItems>".to_string()
            + &item("S1", 1.0, 1.0, "")
            + "</SalesOrderItems></SalesOrder>",
        "<SalesOrder><Id>3</Id><SalesOrderItems>".to_string()
            + &item("S1", 1.0, 1.0, "")
            + "</SalesOrderItems></SalesOrder>",
    ]
    .concat();
    let input = env.write("o.xml", &format!("<SalesOrders>{body}</SalesOrders>"))?;
    let opts = SalesOrderImportOptions {
        default_account: Some("acme01".into()),
        ..Default::default()
    };
    let out = env.orders(&input, &opts)?;
    assert_eq!((out.report.succeeded, out.report.failed), (2, 1));
    assert!(
        out.error(0)
            .contains("CustomerId 78 is not in the truth table"),
        "{}",
        out.error(0)
    );
    assert!(
        out.success
            .iter()
            .all(|n| n.text_of("AccountReference") == Some("ACME01"))
    );
    Ok(())
}
