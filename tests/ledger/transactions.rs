//! `import transactions` on the Zynk transaction samples: balances, banks, numbering,
//! duplicates and the records that fail.
use zynk::ledger::{CustomerImportOptions, Duplicates, TransactionImportOptions};

use crate::ledger::common::{Env, TestResult, fixture, invoice, item};

#[test]
fn sales_receipt_on_account_lowers_the_balance_and_fills_the_bank() -> TestResult {
    let mut env = Env::with_abc001()?;
    let o = env.transactions(
        &fixture("Sales Receipt on Account.xml"),
        &Default::default(),
    )?;
    assert_eq!(
        (o.report.records, o.report.succeeded),
        (1, 1),
        "{:?}",
        o.report.failures
    );
    assert_eq!(o.success[0].text_of("TransactionNumber"), Some("1"));
    assert_eq!(env.balance("ABC001"), -120.0);
    assert_eq!(env.ledger.bank_balance("1200")?, Some(120.0));
    let t = &env.ledger.transactions()?[0];
    assert_eq!(t.tran_type, "SA");
    assert_eq!(t.reference.as_deref(), Some("INV#456"));
    assert_eq!(t.details.as_deref(), Some("Payment on Account via website"));
    assert_eq!(
        (t.net_amount, t.tax_amount, t.amount, t.tax_code),
        (120.0, 0.0, 120.0, Some(9))
    );
    assert_eq!(t.tran_date, "2018-01-01");
    Ok(())
}

#[test]
fn bank_receipts_go_to_the_bank_without_a_customer() -> TestResult {
    for sample in [
        "Transaction with Bank Receipt.xml",
        "Transactions - Bank Receipt.xml",
    ] {
        let mut env = Env::new()?;
        let o = env.transactions(&fixture(sample), &Default::default())?;
        assert_eq!(o.report.succeeded, 1, "{sample}: {:?}", o.report.failures);
        assert_eq!(env.ledger.bank_balance("1200")?, Some(120.0), "{sample}");
        let t = &env.ledger.transactions()?[0];
        assert_eq!(t.tran_type, "BR");
        assert_eq!(
            (t.account_ref.as_deref(), t.nominal_code.as_deref()),
            (None, Some("4000"))
        );
        assert_eq!((t.net_amount, t.tax_amount), (100.0, 20.0));
        let again = env.transactions(&fixture(sample), &Default::default())?;
        assert_eq!(
            (again.report.succeeded, again.report.already_imported),
            (0, 1)
        );
        assert_eq!(again.success[0].text_of("TransactionNumber"), Some("1"));
        assert_eq!(env.ledger.bank_balance("1200")?, Some(120.0), "posted once");
    }
    Ok(())
}

#[test]
fn sales_invoice_and_receipt_leave_the_account_square() -> TestResult {
    let mut env = Env::with_abc001()?;
    let o = env.transactions(
        &fixture("Transactions - Sales Invoice and Receipt.xml"),
        &Default::default(),
    )?;
    assert_eq!(
        (o.report.records, o.report.succeeded),
        (2, 2),
        "{:?}",
        o.report.failures
    );
    let numbers: Vec<_> = o
        .success
        .iter()
        .map(|s| s.text_of("TransactionNumber"))
        .collect();
    assert_eq!(numbers, [Some("1"), Some("2")]);
    assert_eq!(env.balance("ABC001"), 0.0);
    assert_eq!(env.ledger.bank_balance("1200")?, Some(120.0));
    let kinds: Vec<String> = env
        .ledger
        .transactions()?
        .into_iter()
        .map(|t| t.tran_type)
        .collect();
    assert_eq!(kinds, ["SI", "SR"]);
    Ok(())
}

#[test]
fn bad_transactions_fail_alone_and_post_nothing() -> TestResult {
    let mut env = Env::with_abc001()?;
    let t = |id: &str, kind: &str, account: &str, nominal: &str, net: &str| {
        format!(
            "<Transaction><Id>{id}</Id><TransactionType>{kind}</TransactionType><AccountReference>{account}</AccountReference><NominalCode>{nominal}</NominalCode><NetAmount>{net}</NetAmount></Transaction>"
        )
    };
    let body = [
        t("1", "PurchaseInvoice", "ABC001", "1200", "10"),
        t("2", "SalesReceipt", "NOSUCH", "1200", "10"),
        t("3", "SalesReceipt", "ABC001", "4000", "10"),
        t("4", "SalesReceipt", "ABC001", "1200", "-5"),
        t("5", "BankReceipt", "9999", "4000", "10"),
        t("6", "SalesReceipt", "ABC001", "1210", "10"),
        "<Transaction><Id>7</Id><TransactionType>SalesInvoice</TransactionType><CustomerId>1001</CustomerId><NominalCode>4000</NominalCode><NetAmount>50</NetAmount><TaxCode>1</TaxCode></Transaction>".to_string(),
    ]
    .concat();
    let input = env.write("t.xml", &format!("<Transactions>{body}</Transactions>"))?;
    let o = env.transactions(&input, &Default::default())?;
    assert_eq!(
        (o.report.records, o.report.succeeded, o.report.failed),
        (7, 2, 5)
    );
    assert_eq!(o.success.len() + o.fail.len(), 7);
    assert!(
        o.error(0).starts_with(
            "`TransactionType` `PurchaseInvoice` is not one the ledger posts (SalesInvoice, "
        ),
        "{}",
        o.error(0)
    );
    assert_eq!(o.error(1), "account `NOSUCH` does not exist in the ledger");
    assert_eq!(
        o.error(2),
        "`NominalCode` `4000` is not a bank account in the ledger"
    );
    assert_eq!(o.error(3), "`NetAmount` -5 is not a positive amount");
    assert_eq!(
        o.error(4),
        "`AccountReference` `9999` is not a bank account in the ledger"
    );
    // CustomerId 1001 is ABC001 through the truth table; VAT from T1 when TaxAmount is missing.
    assert_eq!(env.balance("ABC001"), 60.0 - 10.0);
    assert_eq!(env.ledger.bank_balance("1210")?, Some(10.0));
    let strict = TransactionImportOptions {
        duplicates: Duplicates::Fail,
        ..Default::default()
    };
    let again = env.transactions(&input, &strict)?;
    assert_eq!(again.report.succeeded, 0);
    assert!(again.fail.iter().any(|_| true));
    assert_eq!(again.fail.len(), 7);
    Ok(())
}

#[test]
fn receipts_can_be_allocated_to_the_oldest_invoices() -> TestResult {
    let mut env = Env::with_abc001()?;
    let line = item("W", 1.0, 100.0, "<TaxCode>1</TaxCode>");
    let inv = env.write(
        "i.xml",
        &format!(
            "<Invoices>{}{}</Invoices>",
            invoice("a", "ABC001", &line, ""),
            invoice("b", "ABC001", &line, "")
        ),
    )?;
    env.invoices(&inv, &Default::default())?;
    assert_eq!(env.balance("ABC001"), 240.0);
    let r = env.write(
        "r.xml",
        "<Transactions><Transaction><Id>r</Id><TransactionType>SalesReceipt</TransactionType><AccountReference>ABC001</AccountReference><NominalCode>1200</NominalCode><NetAmount>150</NetAmount></Transaction></Transactions>",
    )?;
    let opts = TransactionImportOptions {
        allocate_receipts: true,
        ..Default::default()
    };
    let o = env.transactions(&r, &opts)?;
    assert_eq!(o.report.succeeded, 1, "{:?}", o.report.failures);
    assert_eq!(env.balance("ABC001"), 90.0);
    let paid: Vec<f64> = env
        .ledger
        .invoices()?
        .iter()
        .map(|i| i.amount_paid)
        .collect();
    assert_eq!(paid, [120.0, 30.0]);
    Ok(())
}

#[test]
fn customer_with_receipt_transactions_posts_a_repeated_id_once() -> TestResult {
    let mut env = Env::new()?;
    let input = fixture("Customer with Receipt Transactions.xml");
    let c = env.customers(&input, &CustomerImportOptions::default())?;
    assert_eq!(c.success[0].text_of("AccountReference"), Some("INTE001"));
    let o = env.transactions(&input, &Default::default())?;
    // The sample sends transaction 239 twice: the second copy is already imported.
    assert_eq!(
        (
            o.report.records,
            o.report.succeeded,
            o.report.already_imported,
            o.report.failed
        ),
        (3, 2, 1, 0),
        "{:?}",
        o.report.failures
    );
    let numbers: Vec<_> = o
        .success
        .iter()
        .map(|s| s.text_of("TransactionNumber"))
        .collect();
    assert_eq!(numbers, [Some("1"), Some("1"), Some("2")]);
    assert_eq!(env.balance("INTE001"), 120.0 - 235.0);
    assert_eq!(env.ledger.bank_balance("1200")?, Some(235.0));
    Ok(())
}
