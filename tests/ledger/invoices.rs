//! `import invoices` on the Zynk invoice samples: rows, totals, VAT, balances, numbering,
//! payments, credit notes and duplicates.
use zynk::ledger::{CustomerImportOptions, Duplicates, InvoiceImportOptions};
use zynk::state::TRUTH_INVOICE;

use crate::ledger::common::{Env, TestResult, WORKFLOW, customer, fixture, invoice, item};

/// Imports the sample's customers, then its invoices; returns the invoices' outcome.
fn customer_then_invoices(
    env: &mut Env,
    sample: &str,
    opts: &InvoiceImportOptions,
) -> Result<crate::ledger::common::Outcome, Box<dyn std::error::Error>> {
    let input = fixture(sample);
    let c = env.customers(&input, &CustomerImportOptions::default())?;
    assert_eq!(c.report.failed, 0, "{:?}", c.report.failures);
    Ok(env.invoices(&input, opts)?)
}

#[test]
fn customer_with_invoice_posts_the_invoice_to_the_new_account() -> TestResult {
    let mut env = Env::new()?;
    let o = customer_then_invoices(&mut env, "Customer with Invoice.xml", &Default::default())?;
    assert_eq!(
        (o.report.records, o.report.succeeded, o.report.failed),
        (1, 1, 0),
        "{:?}",
        o.report.failures
    );
    let s = &o.success[0];
    assert_eq!(s.text_of("InvoiceNumber"), Some("1"));
    let account = s
        .text_of("AccountReference")
        .ok_or("no account")?
        .to_string();
    assert_eq!(account, "INT001");
    let inv = env.ledger.invoice(1)?.ok_or("no invoice 1")?;
    assert_eq!(inv.invoice_type, "ProductInvoice");
    assert_eq!(inv.invoice_date, "2011-01-01");
    assert_eq!(inv.account_ref, account);
    assert_eq!(inv.lines, 2);
    assert_eq!((inv.items_net, inv.items_tax), (1090.0, 218.0));
    assert_eq!((inv.carr_net, inv.carr_tax), (5.0, 1.0));
    assert_eq!(
        (inv.invoice_net, inv.invoice_tax, inv.invoice_gross),
        (1095.0, 219.0, 1314.0)
    );
    assert_eq!(inv.amount_paid, 0.0);
    let lines = env.ledger.invoice_lines(1)?;
    assert_eq!(lines[0].stock_code, "HV20");
    assert_eq!(
        (
            lines[0].discount_amount,
            lines[0].net_amount,
            lines[0].tax_amount
        ),
        (10.0, 90.0, 18.0)
    );
    assert_eq!((lines[1].net_amount, lines[1].tax_amount), (1000.0, 200.0));
    assert_eq!(env.balance(&account), 1314.0);
    let trans = env.ledger.transactions()?;
    assert_eq!(trans.len(), 1);
    assert_eq!(trans[0].tran_type, "SI");
    assert_eq!((trans[0].amount, trans[0].balance_effect), (1314.0, 1314.0));
    assert_eq!(
        env.state
            .truth_lookup(WORKFLOW, TRUTH_INVOICE, "1")?
            .as_deref(),
        Some("1")
    );
    // Unknown codes were created as stock records.
    assert!(env.ledger.product("HV20")?.is_some());
    Ok(())
}

#[test]
fn a_second_import_of_the_same_file_is_already_imported() -> TestResult {
    let mut env = Env::new()?;
    let sample = "Customer with Invoice and Payment.xml";
    customer_then_invoices(&mut env, sample, &Default::default())?;
    let again = env.invoices(&fixture(sample), &Default::default())?;
    assert_eq!(
        (
            again.report.records,
            again.report.succeeded,
            again.report.already_imported
        ),
        (1, 0, 1)
    );
    assert_eq!(again.success[0].text_of("InvoiceNumber"), Some("1"));
    assert_eq!(again.success[0].text_of("AccountReference"), Some("INT001"));
    assert!(again.fail.is_empty());
    assert_eq!(env.ledger.invoices()?.len(), 1);
    assert_eq!(env.balance("INT001"), 27.37, "posted once");

    let strict = InvoiceImportOptions {
        order: zynk::ledger::SalesOrderImportOptions {
            duplicates: Duplicates::Fail,
            ..Default::default()
        },
        ..Default::default()
    };
    let failed = env.invoices(&fixture(sample), &strict)?;
    assert_eq!((failed.report.failed, failed.success.len()), (1, 0));
    assert_eq!(
        failed.error(0),
        "invoice Id 1 was already imported as invoice 1"
    );
    Ok(())
}

#[test]
fn invoice_with_payment_posts_a_receipt_to_the_bank() -> TestResult {
    let mut env = Env::new()?;
    let o = customer_then_invoices(
        &mut env,
        "Customer with Invoice and Payment.xml",
        &Default::default(),
    )?;
    assert_eq!(o.report.succeeded, 1, "{:?}", o.report.failures);
    let inv = env.ledger.invoice(1)?.ok_or("no invoice")?;
    assert_eq!(inv.invoice_gross, 1314.0);
    // The sample's payment was worked out at 17.5 %; at 20 % 27.37 is still owed.
    assert_eq!(inv.amount_paid, 1286.63);
    assert_eq!(inv.outstanding(), 27.37);
    assert_eq!(inv.payment_ref.as_deref(), Some("CREDIT CARD"));
    assert_eq!(env.balance("INT001"), 27.37);
    assert_eq!(env.ledger.bank_balance("1200")?, Some(1286.63));
    let trans = env.ledger.transactions()?;
    let kinds: Vec<&str> = trans.iter().map(|t| t.tran_type.as_str()).collect();
    assert_eq!(kinds, ["SI", "SR"]);
    assert_eq!(trans[1].reference.as_deref(), Some("CREDIT CARD"));
    assert_eq!(
        (trans[1].bank_effect, trans[1].balance_effect),
        (1286.63, -1286.63)
    );
    Ok(())
}

#[test]
fn service_invoice_with_a_part_payment() -> TestResult {
    let mut env = Env::new()?;
    let o = customer_then_invoices(
        &mut env,
        "Customer with Service Invoice and Payment.xml",
        &Default::default(),
    )?;
    assert_eq!(o.report.succeeded, 1, "{:?}", o.report.failures);
    let inv = env.ledger.invoice(1)?.ok_or("no invoice")?;
    assert_eq!(inv.invoice_type, "ServiceInvoice");
    // 2.5 hours at 75 on the default product S1: 187.50 + 37.50 VAT, carriage 5 + 1.
    assert_eq!((inv.items_net, inv.items_tax), (187.5, 37.5));
    assert_eq!(inv.invoice_gross, 231.0);
    let lines = env.ledger.invoice_lines(1)?;
    assert_eq!(lines[0].stock_code, "S1");
    assert_eq!(
        lines[0].description.as_deref(),
        Some("Setup new PC and Software")
    );
    assert_eq!(inv.amount_paid, 28.0);
    assert_eq!(env.balance("INT001"), 203.0);
    Ok(())
}

#[test]
fn credit_note_lowers_the_balance_and_the_sales_payment_refunds_it() -> TestResult {
    let mut env = Env::new()?;
    let sample = "Credit note with Sales Payment.xml";
    let o = customer_then_invoices(&mut env, sample, &Default::default())?;
    assert_eq!(o.report.succeeded, 1, "{:?}", o.report.failures);
    assert_eq!(o.success[0].text_of("AccountReference"), Some("INTE001"));
    let note = env.ledger.invoice(1)?.ok_or("no credit note")?;
    assert_eq!(note.invoice_type, "ProductCredit");
    assert!(note.is_credit());
    assert_eq!(note.invoice_gross, 1314.0);
    assert_eq!(env.balance("INTE001"), -1314.0);
    let t = env.transactions(&fixture(sample), &Default::default())?;
    assert_eq!(
        (t.report.succeeded, t.report.failed),
        (1, 0),
        "{:?}",
        t.report.failures
    );
    // A refund of 100 to the customer: the balance goes up, the bank down.
    assert_eq!(env.balance("INTE001"), -1214.0);
    assert_eq!(env.ledger.bank_balance("1200")?, Some(-100.0));
    let kinds: Vec<String> = env
        .ledger
        .transactions()?
        .into_iter()
        .map(|t| t.tran_type)
        .collect();
    assert_eq!(kinds, ["SC", "SP"]);
    Ok(())
}

#[test]
fn net_value_discount_comes_off_the_goods_with_its_vat() -> TestResult {
    let mut env = Env::new()?;
    let input = fixture("Invoice with NetValueDiscount Applied.xml");
    env.customers(
        &env.write(
            "web.xml",
            &format!(
                "<Customers>{}</Customers>",
                customer(
                    "w",
                    "Web Sales",
                    "<AccountReference>WEBSALES</AccountReference>"
                )
            ),
        )?,
        &CustomerImportOptions::default(),
    )?;
    let o = env.invoices(&input, &Default::default())?;
    assert_eq!(o.report.succeeded, 1, "{:?}", o.report.failures);
    let inv = env.ledger.invoice(1)?.ok_or("no invoice")?;
    assert_eq!(
        (inv.net_value_discount, inv.net_value_discount_tax),
        (10.0, 2.0)
    );
    assert_eq!((inv.items_net, inv.items_tax), (1090.0, 218.0));
    assert_eq!(
        (inv.invoice_net, inv.invoice_tax, inv.invoice_gross),
        (1085.0, 217.0, 1302.0)
    );
    assert_eq!(env.balance("WEBSALES"), 1302.0);
    Ok(())
}

#[test]
fn every_invoice_to_one_websales_account() -> TestResult {
    let mut env = Env::new()?;
    env.customers(
        &env.write(
            "web.xml",
            &format!(
                "<Customers>{}</Customers>",
                customer(
                    "w",
                    "Web Sales",
                    "<AccountReference>WEBSALES</AccountReference>"
                )
            ),
        )?,
        &CustomerImportOptions::default(),
    )?;
    let input = fixture("Invoice and Payment to Single WEBSALES Account.xml");
    let o = env.invoices(&input, &Default::default())?;
    assert_eq!(o.report.succeeded, 1, "{:?}", o.report.failures);
    assert_eq!(o.success[0].text_of("AccountReference"), Some("WEBSALES"));
    assert_eq!(env.balance("WEBSALES"), 27.37);
    // Without the account the invoice fails and nothing is posted.
    let mut bare = Env::new()?;
    let f = bare.invoices(&input, &Default::default())?;
    assert_eq!((f.report.succeeded, f.report.failed), (0, 1));
    assert_eq!(
        f.error(0),
        "account `WEBSALES` does not exist and auto_create_customer is off"
    );
    assert!(bare.ledger.transactions()?.is_empty());
    Ok(())
}

#[test]
fn manual_numbers_types_and_bad_records_each_land_in_one_file() -> TestResult {
    let mut env = Env::new()?;
    env.customers(
        &env.write(
            "c.xml",
            &format!(
                "<Customers>{}</Customers>",
                customer("1", "Acme", "<AccountReference>ACME01</AccountReference>")
            ),
        )?,
        &CustomerImportOptions::default(),
    )?;
    let line = item("WIDGET", 2.0, 10.0, "<TaxCode>1</TaxCode>");
    let body = [
        invoice("a", "ACME01", &line, "<InvoiceNumber>500</InvoiceNumber>"),
        invoice("b", "ACME01", &line, "<InvoiceNumber>500</InvoiceNumber>"),
        invoice(
            "c",
            "ACME01",
            &line,
            "<InvoiceType>Quote</InvoiceType><InvoiceNumber>501</InvoiceNumber>",
        ),
        invoice(
            "d",
            "ACME01",
            &line,
            "<InvoiceType>ServiceCredit</InvoiceType><InvoiceNumber>502</InvoiceNumber>",
        ),
        invoice("e", "ACME01", &line, ""),
        invoice("f", "NOSUCH", &line, "<InvoiceNumber>503</InvoiceNumber>"),
    ]
    .concat();
    let input = env.write("inv.xml", &format!("<Invoices>{body}</Invoices>"))?;
    let opts = InvoiceImportOptions {
        manual_invoice_numbers: true,
        ..Default::default()
    };
    let o = env.invoices(&input, &opts)?;
    assert_eq!(
        (o.report.records, o.report.succeeded, o.report.failed),
        (6, 2, 4)
    );
    assert_eq!(o.success.len() + o.fail.len(), 6);
    let numbers: Vec<_> = o
        .success
        .iter()
        .map(|s| s.text_of("InvoiceNumber"))
        .collect();
    assert_eq!(numbers, [Some("500"), Some("502")]);
    assert_eq!(
        o.error(0),
        "invoice number 500 already exists in the ledger"
    );
    assert_eq!(
        o.error(1),
        "`InvoiceType` `Quote` is not one of ProductInvoice, Product, ServiceInvoice, Service, ProductCredit, ServiceCredit"
    );
    assert_eq!(
        o.error(2),
        "manual_invoice_numbers is on but the invoice has no InvoiceNumber"
    );
    // 2 × 10 + VAT = 24 invoiced, 24 credited.
    assert_eq!(env.balance("ACME01"), 0.0);
    // Ledger numbering carries on after the highest number.
    let next = env.write(
        "next.xml",
        &format!("<Invoices>{}</Invoices>", invoice("g", "ACME01", &line, "")),
    )?;
    let n = env.invoices(&next, &Default::default())?;
    assert_eq!(n.success[0].text_of("InvoiceNumber"), Some("503"));
    assert_eq!(env.balance("ACME01"), 24.0);
    Ok(())
}

#[test]
fn prices_including_tax_and_options_shared_with_orders() -> TestResult {
    let mut env = Env::new()?;
    let line = item("", 1.0, 120.0, "");
    let body = format!(
        "<Invoices><Invoice><Id>x</Id><CustomerId>77</CustomerId><InvoiceAddress><Company>New Shop</Company><Postcode>LS1 1AA</Postcode></InvoiceAddress><InvoiceItems>{line}</InvoiceItems></Invoice></Invoices>"
    );
    let input = env.write("inv.xml", &body)?;
    let mut opts = InvoiceImportOptions::default();
    for (name, value) in [
        (
            "auto_create_customer",
            zynk::ledger::OptionValue::Bool(true),
        ),
        ("prices_include_tax", zynk::ledger::OptionValue::Bool(true)),
        (
            "default_product",
            zynk::ledger::OptionValue::Text("MISC".into()),
        ),
    ] {
        opts.set(name, value)?;
    }
    assert!(
        opts.set("allocate_stock", zynk::ledger::OptionValue::Bool(true))
            .is_err()
    );
    let o = env.invoices(&input, &opts)?;
    assert_eq!(o.report.succeeded, 1, "{:?}", o.report.failures);
    let account = o.success[0]
        .text_of("AccountReference")
        .ok_or("no account")?;
    assert_eq!(account, "NEW001");
    let inv = env.ledger.invoice(1)?.ok_or("no invoice")?;
    assert_eq!(
        (inv.invoice_net, inv.invoice_tax, inv.invoice_gross),
        (100.0, 20.0, 120.0)
    );
    assert_eq!(env.ledger.invoice_lines(1)?[0].stock_code, "MISC");
    assert_eq!(env.balance("NEW001"), 120.0);
    Ok(())
}

#[test]
fn a_ledger_made_before_invoices_gains_them_and_keeps_its_accounts() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("old.sqlite");
    {
        let conn = rusqlite::Connection::open(&path)?;
        conn.execute_batch(include_str!("../../src/ledger/schema.sql"))?;
        conn.pragma_update(None, "user_version", 1)?;
        conn.execute(
            "INSERT INTO customer (account_ref, name, currency, date_account_opened, created, modified)
             VALUES ('OLD001', 'Old Account', 'GBP', '2020-01-01', 0, 0)",
            [],
        )?;
    }
    let ledger = zynk::ledger::Ledger::open(&path)?;
    let version: i64 = ledger
        .connection()
        .query_row("PRAGMA user_version", [], |r| r.get(0))?;
    assert_eq!(version, 6);
    assert_eq!(ledger.customer_balance("OLD001")?, Some(0.0));
    assert!(ledger.invoices()?.is_empty());
    assert_eq!(ledger.bank_balance("1200")?, Some(0.0));
    Ok(())
}

#[test]
fn balances_moved_by_many_invoices_of_one_file_are_their_sum() -> TestResult {
    let mut env = Env::new()?;
    env.customers(
        &env.write(
            "c.xml",
            &format!(
                "<Customers>{}{}{}</Customers>",
                customer("1", "Acme", "<AccountReference>ACME01</AccountReference>"),
                customer("2", "Brill", "<AccountReference>BRILL01</AccountReference>"),
                customer("3", "Calm", "<AccountReference>CALM01</AccountReference>")
            ),
        )?,
        &CustomerImportOptions::default(),
    )?;
    let modified = |env: &Env, account: &str| -> rusqlite::Result<i64> {
        env.ledger.connection().query_row(
            "SELECT modified FROM customer WHERE account_ref = ?1",
            [account],
            |r| r.get(0),
        )
    };
    let calm_before = modified(&env, "CALM01")?;
    let brill_before = modified(&env, "BRILL01")?;
    let line = item("WIDGET", 2.0, 10.0, "<TaxCode>1</TaxCode>");
    let paid = "<PaymentRef>CARD</PaymentRef><PaymentAmount>5</PaymentAmount><PaymentType>SalesReceipt</PaymentType>";
    let body = [
        invoice("a", "ACME01", &line, paid),
        invoice("b", "BRILL01", &line, ""),
        invoice("c", "ACME01", &line, ""),
        invoice(
            "d",
            "BRILL01",
            &line,
            "<InvoiceType>ProductCredit</InvoiceType>",
        ),
        invoice("e", "ACME01", &line, paid),
        // The same Id again in the same file: already imported, posted once.
        invoice("a", "ACME01", &line, paid),
    ]
    .concat();
    let input = env.write("inv.xml", &format!("<Invoices>{body}</Invoices>"))?;
    let bank_before = env.ledger.bank_balance("1200")?.ok_or("no bank 1200")?;
    let o = env.invoices(&input, &Default::default())?;
    assert_eq!(
        (
            o.report.succeeded,
            o.report.already_imported,
            o.report.failed
        ),
        (5, 1, 0),
        "{:?}",
        o.report.failures
    );
    let numbers: Vec<_> = o
        .success
        .iter()
        .map(|s| s.text_of("InvoiceNumber"))
        .collect();
    assert_eq!(
        numbers,
        [
            Some("1"),
            Some("2"),
            Some("3"),
            Some("4"),
            Some("5"),
            Some("1")
        ]
    );
    // Three invoices of 24 less two receipts of 5; 24 invoiced and 24 credited.
    assert_eq!(env.balance("ACME01"), 62.0);
    assert_eq!(env.balance("BRILL01"), 0.0);
    assert_eq!(env.ledger.bank_balance("1200")?, Some(bank_before + 10.0));
    assert_eq!(env.ledger.transactions()?.len(), 7);
    // An account whose moves cancelled out was still moved (export `modified` sends it); an
    // account without invoices was not.
    assert!(modified(&env, "BRILL01")? > brill_before);
    assert_eq!(modified(&env, "CALM01")?, calm_before);
    // The truth rows were written with the import: a second run resends every invoice.
    let again = env.invoices(&input, &Default::default())?;
    assert_eq!(
        (again.report.succeeded, again.report.already_imported),
        (0, 6)
    );
    assert_eq!(env.balance("ACME01"), 62.0);
    Ok(())
}
