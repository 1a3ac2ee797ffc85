//! `scripts/shopify-sage50.zynk` run exactly as documented against the demo shop's Shopify
//! Admin REST API over real HTTP on loopback: both sides checked, twice.
use std::collections::{HashMap, HashSet};

use serde_json::Value;
use zynk::demo::{
    SHOPIFY_LOCATIONS, SHOPIFY_STARTING_STOCK, ShopifyShop, Throttle, UNTRACKED_SKU,
    shopify_demo_data,
};
use zynk::ledger::Ledger;

use crate::harness::{Outcome, Project};
use crate::shop_recipe::{archived, flat, ledger_orders, pennies, run_recipe, seeded_project};

const TOKEN: &str = "shpat_test_5c0ffee9d1";
const OPEN: usize = 240;
/// An open, paid order the ledger refuses (a SKU Sage cannot hold as a stock code).
const REFUSED: u64 = 9_001;
/// An open, paid order at a VAT rate the map has no tax code for.
const ODD_RATE: u64 = 9_002;

struct Shopify {
    project: Project,
    shop: ShopifyShop,
}

impl Shopify {
    fn new() -> Shopify {
        let mut data = shopify_demo_data(OPEN, TOKEN);
        let mut refused = data.orders[0].clone();
        refused["id"] = REFUSED.into();
        refused["name"] = "#9001".into();
        refused["line_items"][0]["sku"] = "BAD SKU!".into();
        data.orders.push(refused);
        let mut odd = data.orders[0].clone();
        odd["id"] = ODD_RATE.into();
        odd["name"] = "#9002".into();
        odd["line_items"][0]["tax_lines"][0]["rate"] = 0.15.into();
        data.orders.push(odd);
        // Shopify's leaky bucket, full when the run starts (another app used it): the recipe
        // meets 429s and waits them out. It leaks slowly enough (20 calls a second) that the
        // run's calls fill it again even on a busy machine, where the bucket may have drained
        // before the first call.
        data.throttle = Some(Throttle::full(10.0, 20.0));
        let shop = ShopifyShop::start(data, "127.0.0.1:0").expect("the shop starts");
        let project = seeded_project();
        Shopify { project, shop }
    }

    /// `SHOPIFY_ACCESS_TOKEN=… zynk run scripts/shopify-sage50.zynk --var site=… --data DIR …`
    fn run(&self, token: &str, vars: &[&str]) -> Outcome {
        run_recipe(
            &self.project,
            "shopify-sage50.zynk",
            &self.shop.url(),
            &[("SHOPIFY_ACCESS_TOKEN", token)],
            vars,
        )
    }

    fn ledger_orders(&self) -> Vec<(String, String, f64, f64, f64, String)> {
        ledger_orders(&self.project)
    }

    fn requests(&self, method: &str, path_part: &str, from: usize) -> Vec<String> {
        self.shop.with(|d| {
            d.requests[from..]
                .iter()
                .filter(|r| r.method == method && r.path.contains(path_part))
                .map(|r| r.body.clone())
                .collect()
        })
    }

    /// Available stock by (inventory item, location).
    fn levels(&self) -> HashMap<(u64, u64), i64> {
        self.shop.with(|d| {
            d.levels
                .iter()
                .map(|l| {
                    (
                        (
                            l["inventory_item_id"].as_u64().unwrap_or(0),
                            l["location_id"].as_u64().unwrap_or(0),
                        ),
                        l["available"].as_i64().unwrap_or(i64::MIN),
                    )
                })
                .collect()
        })
    }
}

fn id(v: &Value) -> u64 {
    v["id"].as_u64().unwrap_or(0)
}

fn imported(o: &Value) -> bool {
    o["closed_at"].is_null()
        && o["cancelled_at"].is_null()
        && matches!(
            o["financial_status"].as_str(),
            Some("paid" | "partially_refunded")
        )
}

#[test]
fn the_recipe_imports_every_paid_open_order_once_tags_them_and_sets_stock() {
    let shop = Shopify::new();
    let before = shop.shop.with(|d| d.orders.clone());
    let first = shop.run(TOKEN, &["limit=100"]);
    assert_eq!(first.code, 0, "{}\n{}", first.stdout, first.stderr);
    assert!(
        first.stdout.contains("3 pages, 242 records"),
        "{}",
        first.stdout
    );

    // Every paid open order but the two refused is in the ledger once, to the penny, dated as
    // Shopify dated it; unpaid, closed and cancelled orders are not.
    let ledger = shop.ledger_orders();
    let by_number: HashMap<&str, _> = ledger.iter().map(|o| (o.0.as_str(), o)).collect();
    assert_eq!(ledger.len(), by_number.len(), "an order was imported twice");
    let wanted: Vec<&Value> = before
        .iter()
        .filter(|o| imported(o) && id(o) != REFUSED && id(o) != ODD_RATE)
        .collect();
    assert!(before.iter().any(|o| !o["closed_at"].is_null()));
    assert!(before.iter().any(|o| !o["cancelled_at"].is_null()));
    assert!(before.iter().any(|o| o["financial_status"] == "pending"));
    assert!(
        wanted
            .iter()
            .any(|o| o["financial_status"] == "partially_refunded")
    );
    assert!(wanted.iter().any(|o| o["taxes_included"] == true));
    assert!(wanted.iter().any(|o| o["taxes_included"] == false));
    assert!(wanted.iter().any(|o| o["total_tax"] == "0.00"));
    assert!(wanted.iter().any(|o| o["total_discounts"] != "0.00"));
    assert_eq!(ledger.len(), wanted.len());
    for o in &wanted {
        let number = o["name"].as_str().expect("name");
        let row = by_number
            .get(number)
            .unwrap_or_else(|| panic!("order {number} missing"));
        assert_eq!(
            pennies(&row.2.to_string()),
            pennies(o["total_price"].as_str().expect("total")),
            "total of {number}"
        );
        assert_eq!(
            pennies(&row.4.to_string()),
            pennies(o["total_tax"].as_str().expect("tax")),
            "VAT of {number}"
        );
        assert_eq!(row.5, o["created_at"].as_str().expect("date")[..10]);
    }

    // Guests never share an account with a registered customer.
    let account_of: HashMap<&str, &str> = ledger
        .iter()
        .map(|o| (o.0.as_str(), o.1.as_str()))
        .collect();
    let registered: HashSet<&str> = wanted
        .iter()
        .filter(|o| !o["customer"].is_null())
        .map(|o| account_of[o["name"].as_str().unwrap_or("")])
        .collect();
    let guests: Vec<&&Value> = wanted.iter().filter(|o| o["customer"].is_null()).collect();
    assert!(guests.len() > 30);
    for g in guests {
        let account = account_of[g["name"].as_str().unwrap_or("")];
        assert!(
            !registered.contains(account),
            "guest {} on {account}",
            g["id"]
        );
    }

    // Each imported order is tagged, its other tags kept; the refused ones and the others are
    // as they were. The unknown rate is named in the fail file.
    let after: HashMap<u64, Value> = shop
        .shop
        .with(|d| d.orders.iter().map(|o| (id(o), o.clone())).collect());
    for o in &before {
        let tags = after[&id(o)]["tags"].as_str().unwrap_or("").to_string();
        let was = o["tags"].as_str().unwrap_or("");
        if wanted.iter().any(|w| id(w) == id(o)) {
            let expected = if was.is_empty() {
                "zynk-imported".to_string()
            } else {
                format!("{was}, zynk-imported")
            };
            assert_eq!(tags, expected, "order {}", id(o));
        } else {
            assert_eq!(tags, was, "order {} was changed", id(o));
        }
    }
    assert!(wanted.iter().any(|o| o["tags"] == "wholesale"));
    let fail = archived(&shop.project.path("data"), "salesorder_fail.xml");
    assert!(fail.contains("9001") && fail.contains("BAD SKU!"), "{fail}");
    assert!(fail.contains("9002") && fail.contains("15%"), "{fail}");

    // Stock: at the warehouse (the first active location), every tracked variant the ledger
    // knows holds the ledger's free stock; the untracked one, the web-only ones and the
    // pop-up shop's levels are untouched.
    let ledger_api = Ledger::open(&shop.project.path("data/ledger.sqlite")).expect("ledger");
    let levels = shop.levels();
    let (warehouse, popup) = (SHOPIFY_LOCATIONS[0].0, SHOPIFY_LOCATIONS[1].0);
    let mut set = 0;
    for product in shop.shop.with(|d| d.products.clone()) {
        for v in product["variants"].as_array().into_iter().flatten() {
            let sku = v["sku"].as_str().unwrap_or("").to_uppercase();
            let item = v["inventory_item_id"].as_u64().unwrap_or(0);
            let known = ledger_api.product(&sku).expect("product");
            match (known, v["inventory_management"].is_null()) {
                (Some(p), false) => {
                    let free = (p.qty_in_stock - p.qty_allocated).floor() as i64;
                    assert_eq!(levels[&(item, warehouse)], free, "stock of {sku}");
                    set += 1;
                }
                _ => assert_eq!(
                    levels.get(&(item, warehouse)).copied(),
                    (!v["inventory_management"].is_null()).then_some(SHOPIFY_STARTING_STOCK),
                    "{sku} was changed"
                ),
            }
            if let Some(level) = levels.get(&(item, popup)) {
                assert_eq!(*level, 1, "the pop-up shop's {sku} was changed");
            }
        }
    }
    assert!(set >= 6);
    assert!(
        !shop
            .requests("POST", "inventory_levels/set.json", 0)
            .iter()
            .any(|b| b.contains(&popup.to_string()))
    );
    assert!(!UNTRACKED_SKU.is_empty());

    // The shop's rate limit was met and waited out (Retry-After in fractions of a second).
    let refused = shop
        .shop
        .with(|d| d.throttle.as_ref().map_or(0, |t| t.refused));
    assert!(refused > 0, "the bucket never filled");
    assert!(first.stderr.contains("Retry-After"), "{}", first.stderr);

    // A second run imports nothing, tags nothing, sets nothing.
    let seen = shop.shop.with(|d| d.requests.len());
    let second = shop.run(TOKEN, &["limit=100"]);
    assert_eq!(second.code, 0, "{}\n{}", second.stdout, second.stderr);
    assert_eq!(shop.ledger_orders().len(), wanted.len());
    assert_eq!(shop.requests("PUT", "/orders/", seen), Vec::<String>::new());
    assert_eq!(
        shop.requests("POST", "inventory_levels/set.json", seen),
        Vec::<String>::new()
    );
    for out in [&first.stdout, &first.stderr, &second.stdout, &second.stderr] {
        assert!(!out.contains(TOKEN));
    }
}

#[test]
fn a_named_location_is_the_one_set_and_an_unknown_one_stops_the_run() {
    let shop = Shopify::new();
    let out = shop.run(TOKEN, &["location=Pop-up shop"]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    let posted = shop.requests("POST", "inventory_levels/set.json", 0);
    assert!(!posted.is_empty());
    let popup = SHOPIFY_LOCATIONS[1].0.to_string();
    assert!(posted.iter().all(|b| b.contains(&popup)), "{posted:?}");

    let seen = shop.shop.with(|d| d.requests.len());
    let out = shop.run(TOKEN, &["location=Old store"]);
    assert_eq!(out.code, 1, "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stderr
            .contains("no active location named \"Old store\""),
        "{}",
        out.stderr
    );
    assert!(
        shop.requests("POST", "inventory_levels/set.json", seen)
            .is_empty()
    );
}

#[test]
fn a_wrong_token_fails_with_shopifys_own_message() {
    let shop = Shopify::new();
    let out = shop.run("shpat_not_the_token", &[]);
    assert_eq!(out.code, 1);
    let flat = flat(&out.stderr);
    assert!(
        flat.contains("answered 401 Unauthorized: [API] Invalid API key or access token"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("shpat_not_the_token"));
    assert!(shop.ledger_orders().is_empty());
}

#[test]
fn a_run_stopped_between_the_import_and_the_tags_posts_nothing_twice_and_the_next_tags_all() {
    let shop = Shopify::new();
    // The recipe up to its imports: what a run killed just before tagging has done.
    let recipe = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/shopify-sage50.zynk"),
    )
    .expect("recipe");
    let end = recipe
        .find("import sales orders from")
        .and_then(|at| recipe[at..].find('\n').map(|n| at + n + 1))
        .expect("the order import");
    let cut = &recipe[..end];
    std::fs::write(shop.project.path("cut.zynk"), cut).expect("write");
    let out = {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_zynk"))
            .args(["run", "cut.zynk", "--var"])
            .arg(format!("site={}", shop.shop.url()))
            .args(["--data", "data"])
            .current_dir(shop.project.dir.path())
            .env("SHOPIFY_ACCESS_TOKEN", TOKEN)
            .env("NO_COLOR", "1")
            .output()
            .expect("zynk runs");
        output.status.code()
    };
    assert_eq!(out, Some(0));
    let imported = shop.ledger_orders().len();
    assert!(imported > 100);
    assert!(
        shop.requests("PUT", "/orders/", 0).is_empty(),
        "nothing tagged yet"
    );

    // The whole recipe next: the same orders come again, none is posted twice, all are tagged.
    let full = shop.run(TOKEN, &[]);
    assert_eq!(full.code, 0, "{}\n{}", full.stdout, full.stderr);
    assert_eq!(shop.ledger_orders().len(), imported);
    let tagged: HashSet<String> = shop.shop.with(|d| {
        d.requests
            .iter()
            .filter(|r| r.method == "PUT" && r.status == 200)
            .map(|r| r.path.clone())
            .collect()
    });
    assert_eq!(tagged.len(), imported);
}
