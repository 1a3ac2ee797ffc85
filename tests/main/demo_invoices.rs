//! The reverse direction against the real demo shop: its orders handed out as invoices,
//! posted to the customers' balances, and the accounts uploaded back with those balances.
use std::path::Path;

use zynk::demo::{INVALID_ORDER_ID, Shop, ShopState};
use zynk::ledger::Ledger;

use crate::harness::Project;

fn run(project: &Project, shop: &Shop) -> crate::harness::Outcome {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/website-sage50-invoices.zynk");
    let site = format!("site={}", shop.url());
    project.zynk(&[
        "run",
        script.to_str().expect("utf-8"),
        "--data",
        "data",
        "--var",
        &site,
    ])
}

#[test]
fn shop_invoices_post_to_balances_and_the_accounts_go_back_to_the_shop() {
    let project = Project::new();
    std::fs::create_dir_all(project.path("data")).expect("data");
    let shop = Shop::start(&project.path("shop.sqlite"), "127.0.0.1:0").expect("shop");
    shop.download_invoices(true).expect("setting");
    let before = ShopState::open(shop.db())
        .expect("state")
        .summary()
        .expect("summary");

    let out = run(&project, &shop);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let pending = before.orders_pending;
    assert!(
        out.stdout.contains(&format!(
            "import invoices · {pending} invoices: {} imported, 1 failed",
            pending - 1
        )),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains(&format!("Invoice Id {INVALID_ORDER_ID}")),
        "{}",
        out.stdout
    );

    let ledger = Ledger::open(&project.path("data/ledger.sqlite")).expect("ledger");
    let invoices = ledger.invoices().expect("invoices");
    assert_eq!(invoices.len() as u64, pending - 1);
    assert!(
        ledger.orders().expect("orders").is_empty(),
        "no sales orders"
    );
    let site = ShopState::open(shop.db()).expect("state");
    let summary = site.summary().expect("summary");
    assert_eq!(summary.orders_posted, pending - 1, "every invoice notified");

    // Every account's balance on the site is the ledger's: its invoices less the card
    // payments they carried.
    let customers = ledger.customers().expect("customers");
    assert!(!customers.is_empty());
    let mut owing = 0;
    for c in &customers {
        let expected: f64 = invoices
            .iter()
            .filter(|i| i.account_ref == c.account_ref)
            .map(|i| i.outstanding())
            .sum();
        assert!(
            (c.balance - expected).abs() < 0.005,
            "{}: {} vs {expected}",
            c.account_ref,
            c.balance
        );
        let on_site = site
            .customer_balance(&c.account_ref)
            .expect("balance")
            .unwrap_or_else(|| panic!("{} has no balance on the site", c.account_ref));
        let on_site: f64 = on_site.parse().expect("a number");
        assert!((on_site - c.balance).abs() < 0.005, "{}", c.account_ref);
        if c.balance > 0.0 {
            owing += 1;
        }
    }
    assert!(owing > 0, "some orders were not paid by card");

    // Nothing is posted twice; no account changed, so none is uploaded again.
    let again = run(&project, &shop);
    assert_eq!(again.code, 0, "{}{}", again.stdout, again.stderr);
    assert!(
        again.stdout.contains("export customers · 0 customers"),
        "{}",
        again.stdout
    );
    assert_eq!(ledger.invoices().expect("invoices").len(), invoices.len());
}
