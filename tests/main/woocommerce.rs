//! `scripts/woocommerce-sage50.zynk` run exactly as documented against the demo shop's
//! WooCommerce REST API v3 over real HTTP on loopback: both sides checked, twice.
use std::collections::{HashMap, HashSet};
use std::process::Command;

use serde_json::Value;
use zynk::demo::{WOO_BATCH_LIMIT, WooData, WooShop, woo_orders, woo_products, woo_variations};
use zynk::ledger::Ledger;

use crate::harness::{Outcome, Project};
use crate::shop_recipe::{
    files_and_members, flat, ledger_orders, pennies, run_recipe, seeded_project,
};

const KEY: &str = "ck_test_2f1c0a";
const SECRET: &str = "cs_test_9b7e6d5c4a";
const PROCESSING: usize = 230;
/// A processing order the ledger refuses (a SKU Sage cannot hold as a stock code).
const REFUSED: u64 = 9001;
/// A processing order at a VAT rate the map has no tax code for.
const ODD_RATE: u64 = 9002;

struct Woo {
    project: Project,
    shop: WooShop,
}

impl Woo {
    fn new() -> Woo {
        let mut orders = woo_orders(PROCESSING);
        let mut refused = orders[0].clone();
        refused["id"] = REFUSED.into();
        refused["number"] = REFUSED.to_string().into();
        refused["line_items"][0]["sku"] = "BAD SKU!".into();
        orders.push(refused);
        let mut odd = orders[0].clone();
        odd["id"] = ODD_RATE.into();
        odd["number"] = ODD_RATE.to_string().into();
        let total = pennies(odd["line_items"][0]["total"].as_str().unwrap_or("0"));
        let tax = total * 15 / 100;
        odd["line_items"][0]["total_tax"] = format!("{}.{:02}", tax / 100, tax % 100).into();
        orders.push(odd);
        let shop = WooShop::start(
            WooData {
                orders,
                products: woo_products(),
                variations: woo_variations(),
                consumer_key: KEY.into(),
                consumer_secret: SECRET.into(),
                requests: Vec::new(),
            },
            "127.0.0.1:0",
        )
        .expect("the shop starts");
        let project = seeded_project();
        Woo { project, shop }
    }

    /// `WC_CONSUMER_KEY=… WC_CONSUMER_SECRET=… zynk run scripts/woocommerce-sage50.zynk --var site=… --data DIR`
    fn run(&self, secret: &str) -> Outcome {
        run_recipe(
            &self.project,
            "woocommerce-sage50.zynk",
            &self.shop.url(),
            &[("WC_CONSUMER_KEY", KEY), ("WC_CONSUMER_SECRET", secret)],
            &[],
        )
    }

    fn ledger_orders(&self) -> Vec<(String, String, f64, f64, f64, String)> {
        ledger_orders(&self.project)
    }

    fn statuses(&self) -> HashMap<u64, String> {
        self.shop.with(|d| {
            d.orders
                .iter()
                .map(|o| (id(o), o["status"].as_str().unwrap_or("").to_string()))
                .collect()
        })
    }

    /// Items per batch POST to `path` since request `from`.
    fn batches(&self, path: &str, from: usize) -> Vec<usize> {
        self.shop.with(|d| {
            d.requests[from..]
                .iter()
                .filter(|r| r.method == "POST" && r.path == path)
                .map(|r| r.items)
                .collect()
        })
    }
}

fn id(v: &Value) -> u64 {
    v["id"].as_u64().unwrap_or(0)
}

#[test]
fn the_recipe_imports_every_processing_order_once_marks_them_and_sets_stock() {
    let woo = Woo::new();
    let before = woo.shop.with(|d| d.orders.clone());
    let first = woo.run(SECRET);
    assert!(
        first.stdout.contains("3 pages, 232 records"),
        "{}\n{}",
        first.stdout,
        first.stderr
    );

    // Every processing order but the refused one is in the ledger once, to the penny, dated
    // as WooCommerce dated it; no order of another status is.
    let ledger = woo.ledger_orders();
    let by_number: HashMap<&str, _> = ledger.iter().map(|o| (o.0.as_str(), o)).collect();
    assert_eq!(ledger.len(), by_number.len(), "an order was imported twice");
    let processing: Vec<&Value> = before
        .iter()
        .filter(|o| o["status"] == "processing" && id(o) != REFUSED && id(o) != ODD_RATE)
        .collect();
    assert_eq!(processing.len(), PROCESSING);
    // The orders cover fees, coupons, refunds and orders without VAT, whose totals must hold.
    for field in ["fee_lines", "coupon_lines", "refunds"] {
        assert!(
            processing
                .iter()
                .any(|o| o[field].as_array().is_some_and(|a| !a.is_empty())),
            "{field}"
        );
    }
    assert!(processing.iter().any(|o| o["total_tax"] == "0.00"));
    assert_eq!(ledger.len(), PROCESSING);
    for o in &processing {
        let number = o["number"].as_str().expect("number");
        let row = by_number
            .get(number)
            .unwrap_or_else(|| panic!("order {number} missing"));
        assert_eq!(
            pennies(&row.2.to_string()),
            pennies(o["total"].as_str().expect("total")),
            "total of {number}"
        );
        assert_eq!(
            pennies(&row.4.to_string()),
            pennies(o["total_tax"].as_str().expect("tax")),
            "VAT of {number}"
        );
        assert_eq!(row.5, o["date_created"].as_str().expect("date")[..10]);
    }

    // Guests never share an account with a registered customer.
    let account_of: HashMap<&str, &str> = ledger
        .iter()
        .map(|o| (o.0.as_str(), o.1.as_str()))
        .collect();
    let registered: HashSet<&str> = processing
        .iter()
        .filter(|o| o["customer_id"] != 0)
        .map(|o| account_of[o["number"].as_str().unwrap_or("")])
        .collect();
    let guests: Vec<&&Value> = processing
        .iter()
        .filter(|o| o["customer_id"] == 0)
        .collect();
    assert!(guests.len() > 40);
    for g in guests {
        let account = account_of[g["number"].as_str().unwrap_or("")];
        assert!(
            !registered.contains(account),
            "guest order {} on a registered account {account}",
            g["id"]
        );
    }

    // Each imported order is completed, in batches of at most 100; the refused one and every
    // order of another status are as they were.
    let statuses = woo.statuses();
    for o in &before {
        let want = if o["status"] == "processing" && id(o) != REFUSED && id(o) != ODD_RATE {
            "completed"
        } else {
            o["status"].as_str().unwrap_or("")
        };
        assert_eq!(statuses[&id(o)], want, "order {}", id(o));
    }
    let order_batches = woo.batches("/wp-json/wc/v3/orders/batch", 0);
    assert_eq!(order_batches.iter().sum::<usize>(), PROCESSING);
    assert!(
        order_batches.iter().all(|n| *n <= WOO_BATCH_LIMIT),
        "{order_batches:?}"
    );

    // Stock: the known SKUs (whatever their case) hold the ledger's free stock; the web-only
    // products are untouched.
    let ledger_api = Ledger::open(&woo.project.path("data/ledger.sqlite")).expect("ledger");
    let (products, variations) = woo
        .shop
        .with(|d| (d.products.clone(), d.variations.clone()));
    assert!(!variations.is_empty());
    for p in products
        .iter()
        .filter(|p| p["type"] != "variable")
        .chain(&variations)
    {
        let sku = p["sku"].as_str().unwrap_or("").to_uppercase();
        match ledger_api.product(&sku).expect("product") {
            Some(product) => {
                let free = product.qty_in_stock - product.qty_allocated;
                assert_eq!(p["stock_quantity"].as_f64(), Some(free), "stock of {sku}");
            }
            None => assert_eq!(p["stock_quantity"], Value::Null, "{sku} was changed"),
        }
    }

    // A second run imports nothing and sends no batch at all.
    let seen = woo.shop.with(|d| d.requests.len());
    let second = woo.run(SECRET);
    assert!(
        second.stdout.contains("1 page, 2 records"),
        "{}\n{}",
        second.stdout,
        second.stderr
    );
    assert_eq!(woo.ledger_orders().len(), PROCESSING);
    assert!(
        woo.batches("/wp-json/wc/v3/orders/batch", seen)
            .iter()
            .all(|n| *n <= 1)
    );
    assert_eq!(
        woo.batches("/wp-json/wc/v3/products/batch", seen),
        Vec::<usize>::new()
    );
    assert_eq!(
        woo.batches("/wp-json/wc/v3/products/300/variations/batch", seen),
        Vec::<usize>::new()
    );
    // The variable product itself has no stock of its own and is left alone.
    let parent = woo.shop.with(|d| d.products[0].clone());
    assert_eq!(
        (parent["type"].as_str(), &parent["stock_quantity"]),
        (Some("variable"), &Value::Null)
    );
    assert_eq!(woo.statuses()[&REFUSED], "processing");
    assert_eq!(woo.statuses()[&ODD_RATE], "processing");

    // The consumer secret is in no output and no file.
    for out in [&first.stdout, &first.stderr, &second.stdout, &second.stderr] {
        assert!(!out.contains(SECRET));
    }
    let contents = files_and_members(&woo.project.path("data"));
    assert!(
        contents
            .iter()
            .any(|(name, _)| name.starts_with("orders.json")),
        "no orders.json among the run's files"
    );
    assert!(
        contents
            .iter()
            .any(|(name, bytes)| name.starts_with("salesorder_fail.xml")
                && String::from_utf8_lossy(bytes).contains("no tax code for VAT at 15%")),
        "the order at 15 % is refused, naming the rate"
    );
    for (name, bytes) in contents {
        assert!(
            !bytes.windows(SECRET.len()).any(|w| w == SECRET.as_bytes()),
            "the secret is in {name}"
        );
    }
}

#[test]
fn a_wrong_secret_fails_with_woocommerces_own_message() {
    let woo = Woo::new();
    let out = woo.run("cs_wrong_secret_123");
    assert_ne!(out.code, 0);
    assert!(out.stderr.contains("401"), "{}", out.stderr);
    let flat = flat(&out.stderr);
    assert!(
        flat.contains("answered 401 Unauthorized: Consumer secret is invalid. (woocommerce_rest_authentication_error)"),
        "{}",
        out.stderr
    );
    assert!(
        !out.stderr.contains("cs_wrong_secret_123") && !out.stdout.contains("cs_wrong_secret_123")
    );
    assert!(woo.ledger_orders().is_empty());
}

#[test]
fn zynk_demo_api_woocommerce_serves_the_rest_api_and_seeds_the_ledger() {
    use std::io::BufRead as _;
    let project = Project::new();
    let mut child = Command::new(env!("CARGO_BIN_EXE_zynk"))
        .args([
            "demo",
            "--api",
            "woocommerce",
            "--port",
            "0",
            "--data",
            "woo-data",
        ])
        .current_dir(project.dir.path())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("zynk demo starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = std::io::BufReader::new(stdout).lines();
    let first = lines.next().and_then(Result::ok).unwrap_or_default();
    let base = first
        .split_whitespace()
        .find(|w| w.starts_with("http://127.0.0.1:"))
        .map(|w| w.trim_end_matches("/wp-json/wc/v3/").to_string());
    let client = reqwest::blocking::Client::new();
    let answer = base.as_ref().map(|base| {
        client
            .get(format!(
                "{base}/wp-json/wc/v3/orders?status=processing&per_page=100"
            ))
            .basic_auth("ck_demo", Some("cs_demo"))
            .send()
            .expect("an answer")
    });
    let _ = child.kill();
    let _ = child.wait();
    let answer = answer.unwrap_or_else(|| panic!("no address in {first:?}"));
    assert_eq!(answer.status(), 200);
    assert_eq!(answer.headers()["x-wp-total"], "230");
    assert_eq!(answer.headers()["x-wp-totalpages"], "3");
    assert!(
        answer.headers()["link"]
            .to_str()
            .unwrap_or("")
            .contains("rel=\"next\"")
    );
    let page: Value = serde_json::from_str(&answer.text().expect("a body")).expect("JSON");
    assert_eq!(page.as_array().map(Vec::len), Some(100));
    let ledger = Ledger::open(&project.path("woo-data/ledger.sqlite")).expect("ledger");
    assert!(ledger.product("HOODIE-L").expect("query").is_some());
}
