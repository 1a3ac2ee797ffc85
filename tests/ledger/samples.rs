//! Imports of the real Zynk sample files: ledger rows, success/fail files, numbers and totals.
use zynk::connect::{Product, read_all};
use zynk::ledger::{
    CustomerImportOptions, CustomerRecord, Duplicates, ExportMode, ProductImportOptions,
    SalesOrderImportOptions, export_stock, import_products,
};
use zynk::state::{TRUTH_CUSTOMER, TRUTH_SALES_ORDER};

use crate::ledger::common::{Env, TestResult, WORKFLOW, fixture};

const DOWNLOAD: &str = "Customer with Sales Order and Card Payment [DOWNLOAD].xml";

#[test]
fn download_sample_imports_customer_then_order() -> TestResult {
    let mut env = Env::new()?;
    let input = fixture(DOWNLOAD);
    let c = env.customers(&input, &CustomerImportOptions::default())?;
    assert_eq!(
        (c.report.records, c.report.succeeded, c.report.failed),
        (1, 1, 0)
    );
    assert_eq!(c.report.result_code(), "Success");
    assert_eq!(c.success[0].text_of("AccountReference"), Some("INTE001"));
    assert_eq!(c.success[0].text_of("UniqueId"), Some("INTE001"));
    assert!(c.fail.is_empty());
    assert!(c.fail_text.contains("<Customers />"), "{}", c.fail_text);
    assert!(c.success_text.contains("<SalesOrders />"));

    let row = env.ledger.customer("INTE001")?.ok_or("no INTE001")?;
    assert_eq!(row.name, "Internetware");
    assert_eq!(row.contact_name.as_deref(), Some("Mr Test Person"));
    assert_eq!(row.address[0].as_deref(), Some("i6 Building"));
    assert_eq!(row.address[2].as_deref(), Some("Newcastle Upon Tyne"));
    assert_eq!(row.address[4].as_deref(), Some("NE1 4XF"));
    assert_eq!(row.country_code.as_deref(), Some("GB"));
    assert_eq!(row.currency, "GBP");
    assert_eq!(row.del_name.as_deref(), Some("Internetware"));
    assert_eq!(
        env.state
            .truth_lookup(WORKFLOW, TRUTH_CUSTOMER, "123")?
            .as_deref(),
        Some("INTE001")
    );

    let o = env.orders(&input, &SalesOrderImportOptions::default())?;
    assert_eq!(
        (o.report.records, o.report.succeeded, o.report.failed),
        (1, 1, 0),
        "{:?}",
        o.report.failures
    );
    let s = &o.success[0];
    assert_eq!(
        s.text_of("SalesOrderNumber"),
        Some("1"),
        "the ledger numbers the order, not the XML's 789"
    );
    assert_eq!(s.text_of("AccountReference"), Some("INTE001"));
    assert_eq!(
        env.state
            .truth_lookup(WORKFLOW, TRUTH_SALES_ORDER, "456")?
            .as_deref(),
        Some("1")
    );

    let order = env.ledger.order(1)?.ok_or("no order 1")?;
    assert_eq!(order.account_ref, "INTE001");
    assert_eq!(order.order_date, "2011-01-01");
    assert_eq!((order.items_net, order.items_tax), (200.0, 40.0));
    assert_eq!((order.carr_net, order.carr_tax), (4.24, 0.85));
    assert_eq!(order.invoice_gross, 245.09);
    assert_eq!(order.amount_prepaid, 234.88);
    assert_eq!(order.bank_ref.as_deref(), Some("1200"));
    assert_eq!(order.payment_ref.as_deref(), Some("VISA"));
    assert_eq!(order.payment_type.as_deref(), Some("SalesReceipt"));
    let lines = env.ledger.order_lines(1)?;
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0].stock_code, "TEST01");
    assert_eq!(lines[0].description.as_deref(), Some("Test Item 01 - NAME"));
    assert_eq!(lines[0].tax_code, Some(1));
    // The unknown Sku was auto-created (reference open question 15).
    let p = env
        .ledger
        .product_row("TEST01")?
        .ok_or("TEST01 not created")?;
    assert_eq!((p.sales_price, p.qty_in_stock, p.tax_code), (200.0, 0.0, 1));
    assert_eq!(p.nominal_code, "4000");
    // Carriage is not a product.
    assert!(env.ledger.product_row("CARR001")?.is_none());
    Ok(())
}

#[test]
fn download_sample_totals_match_zynk_at_fifteen_percent() -> TestResult {
    let mut env = Env::new()?;
    env.ledger.set_tax_code(1, 15.0, "Standard rate (2010)")?;
    let input = fixture(DOWNLOAD);
    env.customers(&input, &CustomerImportOptions::default())?;
    let o = env.orders(&input, &SalesOrderImportOptions::default())?;
    assert_eq!(o.report.succeeded, 1);
    let order = env.ledger.order(1)?.ok_or("no order")?;
    assert_eq!(
        order.invoice_gross, order.amount_prepaid,
        "PaymentAmount 234.88"
    );
    Ok(())
}

#[test]
fn a_second_run_sends_the_order_to_the_success_file_again_as_already_imported() -> TestResult {
    let mut env = Env::new()?;
    let input = fixture(DOWNLOAD);
    env.customers(&input, &CustomerImportOptions::default())?;
    env.orders(&input, &SalesOrderImportOptions::default())?;
    let again = env.orders(&input, &SalesOrderImportOptions::default())?;
    assert_eq!(
        (
            again.report.succeeded,
            again.report.already_imported,
            again.report.failed
        ),
        (0, 1, 0)
    );
    assert!(
        again.fail_text.contains("<SalesOrders />"),
        "{}",
        again.fail_text
    );
    assert_eq!(again.success.len(), 1);
    assert_eq!(again.success[0].text_of("Id"), Some("456"));
    assert_eq!(again.success[0].text_of("SalesOrderNumber"), Some("1"));
    assert_eq!(
        again.success[0].text_of("AccountReference"),
        Some("INTE001")
    );
    assert_eq!(
        env.ledger.orders()?.len(),
        1,
        "the ledger holds the order once"
    );
    Ok(())
}

#[test]
fn with_duplicates_fail_a_second_run_puts_the_order_in_the_fail_file() -> TestResult {
    let mut env = Env::new()?;
    let strict = SalesOrderImportOptions {
        duplicates: Duplicates::Fail,
        ..SalesOrderImportOptions::default()
    };
    let input = fixture(DOWNLOAD);
    env.customers(&input, &CustomerImportOptions::default())?;
    env.orders(&input, &strict)?;
    let again = env.orders(&input, &strict)?;
    assert_eq!((again.report.succeeded, again.report.failed), (0, 1));
    assert_eq!(
        again.report.already_imported, 1,
        "counted, and in the fail file"
    );
    assert!(again.success_text.contains("<SalesOrders />"));
    let err = again.fail[0]
        .child("Errors")
        .and_then(|e| e.child("Error"))
        .ok_or("no Errors")?;
    assert_eq!(err.text_of("Name"), Some("Duplicate"));
    assert!(err.text_of("Date").is_some());
    assert_eq!(
        again.error(0),
        "sales order Id 456 was already imported as order 1"
    );
    assert_eq!(
        again.fail[0].children[0].name, "Errors",
        "Errors is the first child"
    );
    assert_eq!(env.ledger.orders()?.len(), 1);
    // Customers are not duplicate-checked: the account is updated and keeps its reference.
    let c = env.customers(&input, &CustomerImportOptions::default())?;
    assert_eq!(c.success[0].text_of("AccountReference"), Some("INTE001"));
    assert_eq!(env.ledger.customers()?.len(), 1);
    Ok(())
}

#[test]
fn minimal_order_needs_its_account() -> TestResult {
    let mut env = Env::new()?;
    let input = fixture("Sales Order with Minimal Information.xml");
    let o = env.orders(&input, &SalesOrderImportOptions::default())?;
    assert_eq!((o.report.succeeded, o.report.failed), (0, 1));
    assert_eq!(
        o.error(0),
        "account `INTE001` does not exist and auto_create_customer is off"
    );
    assert!(
        env.ledger.products()?.is_empty(),
        "the failed order's product was rolled back"
    );

    let opts = SalesOrderImportOptions {
        auto_create_customer: true,
        ..Default::default()
    };
    let o = env.orders(&input, &opts)?;
    assert_eq!(o.report.succeeded, 1, "{:?}", o.report.failures);
    let c = env.ledger.customer("INTE001")?.ok_or("not created")?;
    assert_eq!(c.name, "Internetware");
    assert_eq!(c.address[4].as_deref(), Some("NE1 4XF"));
    let order = env.ledger.order(1)?.ok_or("no order")?;
    assert_eq!(
        (order.invoice_net, order.invoice_tax, order.invoice_gross),
        (200.0, 40.0, 240.0)
    );
    assert_eq!(order.amount_prepaid, 0.0);
    assert_eq!(order.name.as_deref(), Some("Internetware"));
    Ok(())
}

#[test]
fn websales_invoice_sample_is_not_a_sales_order() -> TestResult {
    let mut env = Env::new()?;
    let input = fixture("Invoice and Payment to Single WEBSALES Account.xml");
    let o = env.orders(&input, &SalesOrderImportOptions::default())?;
    assert_eq!(o.report.records, 0);
    assert_eq!(o.report.result_code(), "SuccessNoData");
    assert!(o.success_text.contains("<SalesOrders />") && o.fail_text.contains("<SalesOrders />"));
    Ok(())
}

#[test]
fn websales_sample_as_an_order_matches_zynk_at_seventeen_and_a_half_percent() -> TestResult {
    let mut env = Env::new()?;
    env.ledger.set_tax_code(1, 17.5, "Standard rate (2008)")?;
    env.ledger.insert_customer(&CustomerRecord {
        account_ref: "WEBSALES".into(),
        name: Some("Web Sales".into()),
        ..Default::default()
    })?;
    let text = std::fs::read_to_string(fixture(
        "Invoice and Payment to Single WEBSALES Account.xml",
    ))?;
    let text = text
        .replace("InvoiceItems", "SalesOrderItems")
        .replace("InvoiceDeliveryAddress", "SalesOrderDeliveryAddress")
        .replace("InvoiceAddress", "SalesOrderAddress")
        .replace("InvoiceDate", "SalesOrderDate")
        .replace("InvoiceNumber", "SalesOrderNumber")
        .replace("InvoiceType", "SalesOrderType")
        .replace("<Invoices>", "<SalesOrders>")
        .replace("</Invoices>", "</SalesOrders>")
        .replace("<Invoice>", "<SalesOrder>")
        .replace("</Invoice>", "</SalesOrder>");
    let input = env.path("websales.xml");
    std::fs::create_dir_all(input.parent().ok_or("no parent")?)?;
    std::fs::write(&input, text)?;
    let o = env.orders(&input, &SalesOrderImportOptions::default())?;
    assert_eq!(o.report.succeeded, 1, "{:?}", o.report.failures);
    let order = env.ledger.order(1)?.ok_or("no order")?;
    assert_eq!(order.account_ref, "WEBSALES");
    assert_eq!(
        order.items_net, 1090.0,
        "HV20 100 less 10 discount, MCM240 1000"
    );
    assert_eq!(order.carr_net, 5.0);
    assert_eq!(order.invoice_gross, 1286.63);
    assert_eq!(order.amount_prepaid, 1286.63);
    let lines = env.ledger.order_lines(1)?;
    assert_eq!(lines[0].discount_amount, 10.0);
    assert_eq!(lines[0].net_amount, 90.0);
    Ok(())
}

#[test]
fn notify_sample_reads_nil_fields_and_round_trips() -> TestResult {
    let input = fixture("Customer with Sales Order and Card Payment [NOTIFY] .xml");
    let customers = read_all(&input, "Customers", "Customer")?;
    assert_eq!(customers.len(), 1);
    assert!(customers[0].child("Balance").is_some_and(|b| b.nil));
    let orders = read_all(&input, "SalesOrders", "SalesOrder")?;
    let order = zynk::connect::SalesOrder::from_node(&orders[0])?;
    assert_eq!(order.sales_order_number.as_deref(), Some("90130"));
    assert_eq!(order.foreign_rate, None, "xsi:nil numbers read as unset");
    Ok(())
}

#[test]
fn product_samples_load_and_export_round_trips() -> TestResult {
    let mut env = Env::new()?;
    let (success, fail) = (
        env.path("product_success.xml"),
        env.path("product_fail.xml"),
    );
    let r = import_products(
        &mut env.ledger,
        &env.state,
        WORKFLOW,
        &fixture("Product Import or Export Sample.xml"),
        &success,
        &fail,
        &ProductImportOptions::default(),
    )?;
    assert_eq!((r.records, r.succeeded), (1, 1));
    let tr = env.ledger.product_row("TR002")?.ok_or("no TR002")?;
    assert_eq!(
        (tr.qty_in_stock, tr.sales_price, tr.web_publish),
        (10.0, 5.7, false)
    );
    let r = import_products(
        &mut env.ledger,
        &env.state,
        WORKFLOW,
        &fixture("Stationary & Computer Mart - Product Export.xml"),
        &success,
        &fail,
        &ProductImportOptions::default(),
    )?;
    assert_eq!((r.records, r.succeeded, r.failed), (105, 105, 0));
    let tr = env.ledger.product_row("TR002")?.ok_or("no TR002")?;
    assert_eq!(
        (tr.qty_in_stock, tr.sales_price, tr.web_publish),
        (5.0, 6.0, true),
        "replaced by the second file"
    );
    assert_eq!(env.ledger.products()?.len(), 105);
    let board = env.ledger.product_row("BOARD002")?.ok_or("no BOARD002")?;
    assert_eq!(board.qty_in_stock, -22.0, "negative stock is kept");

    let out = env.path("product_export.xml");
    let report = export_stock(
        &env.ledger,
        &env.state,
        WORKFLOW,
        ExportMode::All,
        false,
        &out,
    )?;
    assert_eq!(report.products, 105);
    let exported = read_all(&out, "Products", "Product")?;
    assert_eq!(exported.len(), 105);
    for node in &exported {
        let p = Product::from_node(node)?;
        let original = env
            .ledger
            .product(&p.sku)?
            .ok_or("exported product not in ledger")?;
        assert_eq!(p, original, "round trip of {}", p.sku);
        assert_eq!(node.text_of("UniqueId"), Some(p.sku.as_str()));
    }
    let text = std::fs::read_to_string(&out)?;
    assert!(text.contains("<RRPPrice xsi:nil=\"true\" />"));
    assert!(text.contains("<ProductQtyBreaks />"));
    Ok(())
}
