//! Property test over random mixes of valid and invalid invoices and credit notes (seeded):
//! every record lands in exactly one of success/fail, the ledger holds exactly the successful
//! ones, every balance is what its invoices leave outstanding, and a second run posts nothing.
use std::collections::{BTreeMap, BTreeSet};

use zynk::ledger::{CustomerImportOptions, InvoiceImportOptions, SalesOrderImportOptions};

use crate::ledger::common::{Env, Outcome, TestResult, customer};
use crate::ledger::property::{Rng, check_partition, ids};

const ACCOUNTS: &[&str] = &["ACME01", "BITS01", "ZYNK01"];
const SKUS: &[&str] = &["WIDGET", "GADGET", "S1", "S2", "M", "NEWTHING"];
const TYPES: &[&str] = &[
    "ProductInvoice",
    "ServiceInvoice",
    "ProductCredit",
    "ServiceCredit",
    "Product",
];

fn random_invoice(rng: &mut Rng, i: u64) -> String {
    let id = if i > 0 && rng.below(8) == 0 {
        format!("I{}", rng.below(i))
    } else {
        format!("I{i}")
    };
    let who = match rng.below(6) {
        0 => "<AccountReference>NOSUCH</AccountReference>".to_string(),
        1 => "<CustomerId>nobody</CustomerId>".to_string(),
        _ => format!(
            "<AccountReference>{}</AccountReference>",
            rng.pick(ACCOUNTS)
        ),
    };
    let kind = match rng.below(10) {
        0 => "Quote",
        _ => rng.pick(TYPES),
    };
    let mut items = String::new();
    for _ in 0..=rng.below(3) {
        let sku = rng.pick(SKUS);
        let qty = if rng.below(12) == 0 {
            "x".to_string()
        } else {
            (1 + rng.below(4)).to_string()
        };
        let code = match rng.below(10) {
            0 => "<TaxCode>42</TaxCode>",
            1 => "<TaxCode>5</TaxCode>",
            _ => "",
        };
        items.push_str(&format!(
            "<Item><Sku>{sku}</Sku><QtyOrdered>{qty}</QtyOrdered><UnitPrice>{}.{:02}</UnitPrice>{code}</Item>",
            1 + rng.below(100),
            rng.below(100)
        ));
    }
    let extra = match rng.below(8) {
        0 => "<NetValueDiscount>0.5</NetValueDiscount>",
        1 => "<NetValueDiscount>100000</NetValueDiscount>",
        2 => "<PaymentAmount>0.25</PaymentAmount><PaymentRef>CARD</PaymentRef>",
        3 => "<PaymentAmount>0.25</PaymentAmount><BankAccount>4000</BankAccount>",
        4 => "<Carriage><UnitPrice>4.99</UnitPrice></Carriage>",
        _ => "",
    };
    format!(
        "<Invoice><Id>{id}</Id>{who}<InvoiceType>{kind}</InvoiceType><InvoiceItems>{items}</InvoiceItems>{extra}</Invoice>"
    )
}

/// Each account's balance as its invoices leave it: invoices add their gross, credit notes
/// take it off, and the payment each carried (a receipt, or a refund for a credit note) works
/// the other way; a payment never exceeds what the invoice allocates plus what stays on account.
fn balances_from_invoices(env: &Env) -> Result<BTreeMap<String, f64>, Box<dyn std::error::Error>> {
    let mut paid: BTreeMap<i64, f64> = BTreeMap::new();
    for t in env.ledger.transactions()? {
        if let (Some(n), "SR" | "SP") = (t.invoice_number, t.tran_type.as_str()) {
            *paid.entry(n).or_insert(0.0) += t.amount;
        }
    }
    let mut out = BTreeMap::new();
    for i in env.ledger.invoices()? {
        let sign = if i.is_credit() { -1.0 } else { 1.0 };
        let payment = paid.get(&i.invoice_number).copied().unwrap_or(0.0);
        assert!(i.amount_paid <= payment + 0.005 && i.amount_paid <= i.invoice_gross + 0.005);
        *out.entry(i.account_ref.clone()).or_insert(0.0) += sign * (i.invoice_gross - payment);
    }
    Ok(out)
}

fn numbers(out: &Outcome) -> BTreeMap<String, String> {
    out.success
        .iter()
        .map(|n| {
            (
                n.text_of("Id").unwrap_or("").to_string(),
                n.text_of("InvoiceNumber").unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn random_invoice_mixes_land_once_and_balances_follow_them() -> TestResult {
    for seed in 1..=20u64 {
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let mut env = Env::new()?;
        let accounts: String = ACCOUNTS
            .iter()
            .map(|a| customer(a, a, &format!("<AccountReference>{a}</AccountReference>")))
            .collect();
        let c = env.write("c.xml", &format!("<Customers>{accounts}</Customers>"))?;
        env.customers(&c, &CustomerImportOptions::default())?;
        let n = 5 + rng.below(40);
        let invoices: Vec<String> = (0..n).map(|i| random_invoice(&mut rng, i)).collect();
        let input = env.write(
            "inv.xml",
            &format!("<Invoices>{}</Invoices>", invoices.concat()),
        )?;
        let input_ids: Vec<String> = zynk::connect::read_all(&input, "Invoices", "Invoice")?
            .iter()
            .map(|n| n.text_of("Id").unwrap_or("").to_string())
            .collect();
        let opts = InvoiceImportOptions {
            order: SalesOrderImportOptions {
                auto_create_products: seed % 3 != 0,
                ..Default::default()
            },
            ..Default::default()
        };

        let o = env.invoices(&input, &opts)?;
        check_partition(&input_ids, &o);
        let success_numbers: BTreeSet<i64> = o
            .success
            .iter()
            .filter_map(|n| n.text_of("InvoiceNumber").and_then(|t| t.parse().ok()))
            .collect();
        let ledger_numbers: BTreeSet<i64> = env
            .ledger
            .invoices()?
            .iter()
            .map(|i| i.invoice_number)
            .collect();
        assert_eq!(ledger_numbers, success_numbers, "seed {seed}");
        assert_eq!(
            ledger_numbers.len() as u64,
            o.report.succeeded,
            "seed {seed}"
        );
        let expected = balances_from_invoices(&env)?;
        for account in ACCOUNTS {
            let want = expected.get(*account).copied().unwrap_or(0.0);
            assert!(
                (env.balance(account) - want).abs() < 0.005,
                "seed {seed}: {account} balance {} but its invoices leave {want}",
                env.balance(account)
            );
        }
        let posted: Vec<_> = env.ledger.transactions()?;
        assert!(
            posted
                .iter()
                .filter(|t| t.tran_type == "SI" || t.tran_type == "SC")
                .count()
                == ledger_numbers.len(),
            "seed {seed}: one posting per invoice"
        );

        // The same file again: nothing posted, the same numbers back.
        let o2 = env.invoices(&input, &opts)?;
        check_partition(&input_ids, &o2);
        assert_eq!(
            o2.report.succeeded,
            0,
            "seed {seed}: {:?}",
            ids(&o2.success)
        );
        assert_eq!(numbers(&o2), numbers(&o), "seed {seed}");
        assert_eq!(
            env.ledger.transactions()?.len(),
            posted.len(),
            "seed {seed}"
        );
        for account in ACCOUNTS {
            let want = expected.get(*account).copied().unwrap_or(0.0);
            assert!((env.balance(account) - want).abs() < 0.005, "seed {seed}");
        }
    }
    Ok(())
}
