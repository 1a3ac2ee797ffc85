//! `export customers` and `export invoices`: the Connect XML shape, balances and payments, the
//! watermark, and a round trip of both files into a second ledger.
use zynk::connect::read_all;
use zynk::ledger::{
    CustomerImportOptions, ExportMode, ExportTarget, export_customers, export_invoices,
};

use crate::ledger::common::{Env, TestResult, WORKFLOW, fixture};

const SAMPLE: &str = "Customer with Invoice and Payment.xml";

fn posted() -> Result<Env, Box<dyn std::error::Error>> {
    let mut env = Env::new()?;
    env.customers(&fixture(SAMPLE), &CustomerImportOptions::default())?;
    let o = env.invoices(&fixture(SAMPLE), &Default::default())?;
    assert_eq!(o.report.succeeded, 1, "{:?}", o.report.failures);
    Ok(env)
}

#[test]
fn customers_export_with_balances_and_addresses_then_only_what_changed() -> TestResult {
    let mut env = posted()?;
    let out = env.path("customer_export.xml");
    let all = export_customers(
        &env.ledger,
        &env.state,
        WORKFLOW,
        ExportMode::Modified,
        &ExportTarget::utf8(&out),
    )?;
    assert_eq!((all.products, all.since), (1, None));
    let text = std::fs::read_to_string(&out)?;
    assert!(text.contains("<Customers>"), "{text}");
    let c = &read_all(&out, "Customers", "Customer")?[0];
    assert_eq!(c.text_of("AccountReference"), Some("INT001"));
    assert_eq!(c.text_of("CompanyName"), Some("Internetware"));
    assert_eq!(c.text_of("Balance"), Some("27.37"));
    assert_eq!(c.text_of("Currency"), Some("GBP"));
    let a = c.child("CustomerInvoiceAddress").ok_or("no address")?;
    assert_eq!(a.text_of("Forename"), Some("Support"));
    assert_eq!(a.text_of("Surname"), Some("Person"));
    assert_eq!(a.text_of("Address1"), Some("6-8 Charlotte Square"));
    assert_eq!(a.text_of("Postcode"), Some("NE1 4XF"));
    assert_eq!(a.text_of("Email"), Some("support@internetware.co.uk"));

    let none = export_customers(
        &env.ledger,
        &env.state,
        WORKFLOW,
        ExportMode::Modified,
        &ExportTarget::utf8(&out),
    )?;
    assert_eq!((none.products, none.result_code()), (0, "SuccessNoData"));
    assert!(read_all(&out, "Customers", "Customer")?.is_empty());

    // A receipt moves the balance: the account counts as modified.
    let receipt = env.write(
        "r.xml",
        "<Transactions><Transaction><Id>r1</Id><TransactionType>SalesReceipt</TransactionType><AccountReference>INT001</AccountReference><NominalCode>1200</NominalCode><NetAmount>27.37</NetAmount></Transaction></Transactions>",
    )?;
    env.transactions(&receipt, &Default::default())?;
    let changed = export_customers(
        &env.ledger,
        &env.state,
        WORKFLOW,
        ExportMode::Modified,
        &ExportTarget::utf8(&out),
    )?;
    assert_eq!(changed.products, 1);
    assert_eq!(
        read_all(&out, "Customers", "Customer")?[0].text_of("Balance"),
        Some("0")
    );
    Ok(())
}

#[test]
fn invoices_export_like_the_zynk_sample_and_show_what_was_paid() -> TestResult {
    let env = posted()?;
    let out = env.path("invoice_export.xml");
    let r = export_invoices(
        &env.ledger,
        &env.state,
        WORKFLOW,
        ExportMode::All,
        &ExportTarget::utf8(&out),
    )?;
    assert_eq!(r.products, 1);
    let inv = &read_all(&out, "Invoices", "Invoice")?[0];
    assert_eq!(inv.text_of("InvoiceNumber"), Some("1"));
    assert_eq!(inv.text_of("AccountReference"), Some("INT001"));
    assert_eq!(inv.text_of("InvoiceDate"), Some("2011-01-01T00:00:00"));
    assert_eq!(inv.text_of("InvoiceType"), Some("ProductInvoice"));
    assert_eq!(inv.text_of("ItemsNet"), Some("1090"));
    assert_eq!(inv.text_of("ItemsTax"), Some("218"));
    assert_eq!(inv.text_of("ItemsTotal"), Some("1308"));
    assert_eq!(inv.text_of("AmountPaid"), Some("1286.63"));
    assert_eq!(inv.text_of("PaymentRef"), Some("CREDIT CARD"));
    assert_eq!(inv.text_of("PaidFlag"), Some("false"));
    let items: Vec<_> = inv
        .child("InvoiceItems")
        .ok_or("no items")?
        .children_named("Item")
        .collect();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].text_of("Sku"), Some("HV20"));
    assert_eq!(items[0].text_of("TaxRate"), Some("20"));
    assert_eq!(items[0].text_of("TotalNet"), Some("90"));
    assert_eq!(items[0].text_of("TotalTax"), Some("18"));
    let carriage = inv.child("Carriage").ok_or("no carriage")?;
    assert_eq!(carriage.text_of("TotalNet"), Some("5"));
    // New since then: nothing.
    let again = export_invoices(
        &env.ledger,
        &env.state,
        WORKFLOW,
        ExportMode::New,
        &ExportTarget::utf8(&out),
    )?;
    assert_eq!(again.products, 0);
    Ok(())
}

#[test]
fn a_watermark_staged_by_a_run_that_fails_is_not_kept() -> TestResult {
    let env = posted()?;
    let out = env.path("invoice_export.xml");
    env.state.stage_watermarks();
    let first = export_invoices(
        &env.ledger,
        &env.state,
        WORKFLOW,
        ExportMode::Modified,
        &ExportTarget::utf8(&out),
    )?;
    assert_eq!(first.products, 1);
    // The run fails before committing: the next export sends the same invoice again.
    let fresh = zynk::state::StateStore::open(env.state.file().expect("a SQLite store"))?;
    let retry = export_invoices(
        &env.ledger,
        &fresh,
        WORKFLOW,
        ExportMode::Modified,
        &ExportTarget::utf8(&out),
    )?;
    assert_eq!((retry.products, retry.since), (1, None));
    assert_eq!(env.state.commit_watermarks()?, 1);
    Ok(())
}

#[test]
fn both_exports_import_into_a_second_ledger_with_the_same_totals() -> TestResult {
    let env = posted()?;
    let customers = env.path("customer_export.xml");
    let invoices = env.path("invoice_export.xml");
    export_customers(
        &env.ledger,
        &env.state,
        WORKFLOW,
        ExportMode::All,
        &ExportTarget::utf8(&customers),
    )?;
    export_invoices(
        &env.ledger,
        &env.state,
        WORKFLOW,
        ExportMode::All,
        &ExportTarget::utf8(&invoices),
    )?;
    let mut other = Env::new()?;
    let c = other.customers(&customers, &CustomerImportOptions::default())?;
    assert_eq!(
        c.success[0].text_of("AccountReference"),
        Some("INT001"),
        "{:?}",
        c.report.failures
    );
    let i = other.invoices(&invoices, &Default::default())?;
    assert_eq!(i.report.succeeded, 1, "{:?}", i.report.failures);
    let (a, b) = (
        env.ledger.invoice(1)?.ok_or("no invoice")?,
        other.ledger.invoice(1)?.ok_or("no invoice")?,
    );
    assert_eq!(
        (a.invoice_net, a.invoice_tax, a.invoice_gross, a.lines),
        (b.invoice_net, b.invoice_tax, b.invoice_gross, b.lines)
    );
    Ok(())
}
