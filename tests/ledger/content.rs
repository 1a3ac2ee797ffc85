//! A record sent again under an `Id` already imported is the same record (a lost notify: sent to
//! the success file again) only when its content agrees; other content under the old `Id` fails
//! with what differs and the ledger number that holds the first version.
use zynk::ledger::{Duplicates, SalesOrderImportOptions};

use crate::ledger::common::{Env, TestResult, fixture, invoice, item, order};

#[test]
fn a_different_order_under_the_same_id_in_one_file_fails_with_what_differs() -> TestResult {
    let mut env = Env::with_abc001()?;
    let input = env.write(
        "o.xml",
        &format!(
            "<SalesOrders>{}{}</SalesOrders>",
            order("77", "ABC001", &item("A1", 1.0, 10.0, ""), ""),
            order("77", "ABC001", &item("B2", 9.0, 99.0, ""), "")
        ),
    )?;
    let out = env.orders(&input, &SalesOrderImportOptions::default())?;
    assert_eq!((out.report.succeeded, out.report.failed), (1, 1));
    assert_eq!(out.success.len(), 1, "only the first is told to the site");
    assert_eq!(out.success[0].text_of("SalesOrderNumber"), Some("1"));
    let orders = env.ledger.orders()?;
    assert_eq!(orders.len(), 1);
    assert_eq!(
        orders[0].items_net, 10.0,
        "the ledger keeps the first version"
    );
    let reason = out.error(0);
    assert!(
        reason.contains("Id 77 was already imported as order 1 with other content")
            && reason.contains("line 1 B2 × 9 @ 99 (first version: A1 × 1 @ 10)"),
        "{reason}"
    );
    Ok(())
}

#[test]
fn across_runs_the_same_order_is_resent_and_a_different_one_fails() -> TestResult {
    let mut env = Env::with_abc001()?;
    let first = order("77", "ABC001", &item("A1", 2.0, 9.9, ""), "");
    let input = env.write("o.xml", &format!("<SalesOrders>{first}</SalesOrders>"))?;
    let out = env.orders(&input, &SalesOrderImportOptions::default())?;
    assert_eq!(out.report.succeeded, 1);

    // The same order again, its numbers spelt another way: already imported, resent.
    let same = order("77", "ABC001", &item("A1", 2.0, 9.90, ""), "");
    let input = env.write("o.xml", &format!("<SalesOrders>{same}</SalesOrders>"))?;
    let out = env.orders(&input, &SalesOrderImportOptions::default())?;
    assert_eq!(
        (out.report.already_imported, out.report.failed),
        (1, 0),
        "{:?}",
        out.report.failures
    );
    assert_eq!(out.success[0].text_of("SalesOrderNumber"), Some("1"));

    // Other lines under Id 77: not imported, not told to the site as posted.
    let other = order(
        "77",
        "ABC001",
        &item("B2", 9.0, 99.0, ""),
        "<Carriage><UnitPrice>4.95</UnitPrice></Carriage>",
    );
    let input = env.write("o.xml", &format!("<SalesOrders>{other}</SalesOrders>"))?;
    let out = env.orders(&input, &SalesOrderImportOptions::default())?;
    assert_eq!((out.report.failed, out.success.len()), (1, 0));
    let reason = out.error(0);
    assert!(reason.contains("as order 1 with other content"), "{reason}");
    assert!(reason.contains("carriage"), "{reason}");
    assert_eq!(env.ledger.orders()?.len(), 1);

    // `duplicates fail` refuses the same order as before, and the different one the same way.
    let opts = SalesOrderImportOptions {
        duplicates: Duplicates::Fail,
        ..SalesOrderImportOptions::default()
    };
    let out = env.orders(&input, &opts)?;
    assert!(
        out.error(0).contains("with other content"),
        "{}",
        out.error(0)
    );
    Ok(())
}

#[test]
fn an_order_the_site_later_sends_with_its_account_reference_is_the_same_order() -> TestResult {
    let mut env = Env::with_abc001()?;
    // First sent with the customer's site Id only; after the customer notify, the site sends
    // the account reference it was told.
    let by_id = format!(
        "<SalesOrder><Id>5</Id><CustomerId>1001</CustomerId><SalesOrderDate>2024-03-01T10:00:00</SalesOrderDate><SalesOrderItems>{}</SalesOrderItems></SalesOrder>",
        item("A1", 1.0, 5.0, "")
    );
    let input = env.write("o.xml", &format!("<SalesOrders>{by_id}</SalesOrders>"))?;
    let out = env.orders(&input, &SalesOrderImportOptions::default())?;
    assert_eq!(out.report.succeeded, 1, "{:?}", out.report.failures);
    let by_ref = order("5", "ABC001", &item("A1", 1.0, 5.0, ""), "");
    let input = env.write("o.xml", &format!("<SalesOrders>{by_ref}</SalesOrders>"))?;
    let out = env.orders(&input, &SalesOrderImportOptions::default())?;
    assert_eq!(
        (out.report.already_imported, out.report.failed),
        (1, 0),
        "{:?}",
        out.report.failures
    );
    // Sent to another account, it is another order.
    let moved = order("5", "XYZ001", &item("A1", 1.0, 5.0, ""), "");
    let input = env.write("o.xml", &format!("<SalesOrders>{moved}</SalesOrders>"))?;
    let out = env.orders(&input, &SalesOrderImportOptions::default())?;
    assert!(
        out.error(0)
            .contains("account XYZ001 (first version: ABC001)"),
        "{}",
        out.error(0)
    );
    Ok(())
}

#[test]
fn invoices_and_credit_notes_keep_their_first_version() -> TestResult {
    let mut env = Env::with_abc001()?;
    let input = env.write(
        "i.xml",
        &format!(
            "<Invoices>{}</Invoices>",
            invoice("9", "ABC001", &item("A1", 1.0, 10.0, ""), "")
        ),
    )?;
    let out = env.invoices(&input, &Default::default())?;
    assert_eq!(out.report.succeeded, 1, "{:?}", out.report.failures);
    let input = env.write(
        "i.xml",
        &format!(
            "<Invoices>{}</Invoices>",
            invoice("9", "ABC001", &item("A1", 3.0, 10.0, ""), "")
        ),
    )?;
    let out = env.invoices(&input, &Default::default())?;
    assert_eq!(out.report.failed, 1);
    assert!(
        out.error(0)
            .contains("invoice Id 9 was already imported as invoice 1 with other content"),
        "{}",
        out.error(0)
    );
    assert_eq!(env.ledger.invoices()?.len(), 1);
    Ok(())
}

#[test]
fn a_transaction_with_other_amounts_under_an_old_id_fails() -> TestResult {
    let mut env = Env::with_abc001()?;
    let sample = fixture("Sales Receipt on Account.xml");
    let out = env.transactions(&sample, &Default::default())?;
    assert_eq!(out.report.succeeded, 1);
    let again = env.transactions(&sample, &Default::default())?;
    assert_eq!((again.report.already_imported, again.report.failed), (1, 0));
    let changed = env.path("changed.xml");
    std::fs::write(
        &changed,
        std::fs::read_to_string(&sample)?
            .replace("<NetAmount>120</NetAmount>", "<NetAmount>150</NetAmount>"),
    )?;
    let out = env.transactions(&changed, &Default::default())?;
    assert_eq!(out.report.failed, 1);
    assert!(
        out.error(0).contains("net 150 (first version: 120)"),
        "{}",
        out.error(0)
    );
    assert_eq!(env.ledger.transactions()?.len(), 1);
    Ok(())
}
