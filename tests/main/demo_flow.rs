//! The seed workflow end to end against the demo shop over real HTTP: both sides checked.
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use zynk::demo::{INVALID_ORDER_ID, Shop, ShopState, seed_ledger};
use zynk::ledger::Ledger;

use crate::harness::{Outcome, Project, names};

const WORKFLOW: &str = "Website Script Based Sage 50 Integration";

struct Demo {
    project: Project,
    shop: Shop,
}

impl Demo {
    fn new() -> Demo {
        let project = Project::new();
        std::fs::create_dir_all(project.path("data")).expect("data");
        let ledger = Ledger::open(&project.path("data/ledger.sqlite")).expect("ledger");
        seed_ledger(&ledger).expect("seed ledger");
        let shop = Shop::start(&project.path("shop.sqlite"), "127.0.0.1:0").expect("shop");
        Demo { project, shop }
    }

    fn run(&self) -> Outcome {
        let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/website-sage50.zynk");
        let site = format!("site={}", self.shop.url());
        self.project.zynk(&[
            "run",
            seed.to_str().expect("utf-8"),
            "--data",
            "data",
            "--var",
            &site,
        ])
    }

    fn ledger(&self) -> Ledger {
        Ledger::open(&self.project.path("data/ledger.sqlite")).expect("ledger")
    }

    fn site(&self) -> ShopState {
        ShopState::open(&self.project.path("shop.sqlite")).expect("shop state")
    }

    fn workdir(&self) -> std::path::PathBuf {
        self.project.path("data").join(WORKFLOW)
    }

    /// Archive names, oldest first (a `_1` suffix marks a later archive of the same second).
    fn archives(&self) -> Vec<String> {
        let mut names = names(&self.workdir().join("Archive"));
        names.sort_by_key(|n| {
            let stem = n.trim_end_matches("_archive.zip").to_string();
            match stem.split_once('_') {
                Some((stamp, k)) => (stamp.to_string(), k.parse::<u64>().unwrap_or(0)),
                None => (stem, 0),
            }
        });
        names
    }
}

fn pence(x: f64) -> i64 {
    #[allow(clippy::cast_possible_truncation)]
    let p = (x * 100.0).round() as i64;
    p
}

/// VAT at the Sage default rate of the tax code, rounded half up per line.
fn vat(net_pence: i64, tax_code: i64) -> i64 {
    let rate = match tax_code {
        1 => 20,
        5 => 5,
        _ => 0,
    };
    (net_pence * rate + 50).div_euclid(100)
}

fn assert_in_sync(demo: &Demo) {
    let ledger = demo.ledger();
    let free: HashMap<String, f64> = ledger
        .products()
        .expect("products")
        .into_iter()
        // The site clamps negative free stock (more allocated than in stock) to 0.
        .map(|p| (p.stock_code.clone(), p.free_stock().max(0.0)))
        .collect();
    let products = demo.site().products().expect("site products");
    assert_eq!(products.len(), 1000);
    for (sku, _, stock) in products {
        #[allow(clippy::cast_precision_loss)]
        let site = stock as f64;
        assert_eq!(
            free.get(&sku).copied(),
            Some(site),
            "{sku}: site {stock}, ledger {:?}",
            free.get(&sku)
        );
    }
}

#[test]
fn the_seed_workflow_syncs_both_sides() {
    let demo = Demo::new();
    let out = demo.run();
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);

    // Every valid order is in the ledger once, under the number the site was told, with
    // the site's totals.
    let ledger = demo.ledger();
    let by_number: HashMap<i64, zynk::ledger::OrderRow> = ledger
        .orders()
        .expect("orders")
        .into_iter()
        .map(|o| (o.order_number, o))
        .collect();
    let site = demo.site();
    let orders = site.orders().expect("site orders");
    assert_eq!(orders.len(), 200);
    assert_eq!(by_number.len(), 199, "every order but the invalid one");
    for order in &orders {
        if order.id == INVALID_ORDER_ID {
            assert!(!order.posted, "the invalid order must stay pending");
            continue;
        }
        assert!(order.posted, "order {} not marked posted", order.id);
        let number: i64 = order
            .sales_order_number
            .as_deref()
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("order {} has no order number on the site", order.id));
        let row = by_number
            .get(&number)
            .unwrap_or_else(|| panic!("order {number} missing"));
        let items: i64 = order.lines.iter().map(|l| l.qty * l.unit_price_pence).sum();
        let tax: i64 = order
            .lines
            .iter()
            .map(|l| vat(l.qty * l.unit_price_pence, l.tax_code))
            .sum::<i64>()
            + vat(order.carriage_pence, 1);
        assert_eq!(pence(row.items_net), items, "order {}", order.id);
        assert_eq!(
            pence(row.carr_net),
            order.carriage_pence,
            "order {}",
            order.id
        );
        assert_eq!(
            pence(row.invoice_net),
            items + order.carriage_pence,
            "order {}",
            order.id
        );
        assert_eq!(pence(row.invoice_tax), tax, "order {}", order.id);
        assert_eq!(
            pence(row.invoice_gross),
            items + order.carriage_pence + tax,
            "order {}",
            order.id
        );
    }

    // Every customer who ordered has the ledger's account reference on the site.
    let accounts: Vec<String> = ledger
        .table(zynk::ledger::ListKind::Customers)
        .expect("customers")
        .rows
        .iter()
        .map(|r| r[0].as_str().unwrap_or_default().to_string())
        .collect();
    let customers = site.customers().expect("site customers");
    let ordering: Vec<_> = customers
        .iter()
        .filter(|c| orders.iter().any(|o| o.customer_id == c.id))
        .collect();
    assert_eq!(ordering.len(), 50);
    for customer in ordering {
        let reference = customer
            .account_reference
            .as_deref()
            .unwrap_or_else(|| panic!("customer {} has no reference", customer.id));
        assert!(
            accounts.iter().any(|a| a == reference),
            "{reference} not in the ledger"
        );
    }
    let zynk_refs: Vec<&str> = customers
        .iter()
        .filter(|c| c.company_name.starts_with("Zynk"))
        .filter_map(|c| c.account_reference.as_deref())
        .collect();
    assert_eq!(zynk_refs.len(), 2);
    assert!(
        zynk_refs.contains(&"ZYN001") && zynk_refs.contains(&"ZYN002"),
        "{zynk_refs:?}"
    );

    assert_in_sync(&demo);

    // The run's files are in one archive and the working directory is clear.
    let archives = demo.archives();
    assert_eq!(archives.len(), 1);
    assert_eq!(names(&demo.workdir()), vec!["Archive", "Stock Export"]);
    assert!(names(&demo.workdir().join("Stock Export")).is_empty());
    let zip = std::fs::File::open(demo.workdir().join("Archive").join(&archives[0])).expect("zip");
    let mut zip = zip::ZipArchive::new(zip).expect("zip");
    let mut entries: Vec<String> = (0..zip.len())
        .map(|i| {
            zip.by_index(i)
                .expect("entry")
                .name()
                .expect("name")
                .to_string()
        })
        .collect();
    entries.sort();
    for expected in [
        "download.xml",
        "customer_success.xml",
        "customer_fail.xml",
        "salesorder_success.xml",
        "salesorder_fail.xml",
        "customer_success_response.txt",
        "salesorder_success_response.txt",
        "product_export.xml",
        "product_export_1_response.txt",
        "product_export_5_response.txt",
    ] {
        assert!(
            entries.iter().any(|e| e == expected),
            "{expected} not in {entries:?}"
        );
    }
    let mut fail = String::new();
    zip.by_name("salesorder_fail.xml")
        .expect("fail file")
        .read_to_string(&mut fail)
        .expect("read");
    assert!(
        fail.contains(&format!("<Id>{INVALID_ORDER_ID}</Id>")),
        "{fail}"
    );
    assert_eq!(fail.matches("<SalesOrder>").count(), 1, "{fail}");
}

#[test]
fn a_second_run_imports_nothing_and_uploads_only_changed_stock() {
    let demo = Demo::new();
    let first = demo.run();
    assert_eq!(first.code, 0, "{}{}", first.stdout, first.stderr);
    let orders_before = demo.ledger().orders().expect("orders").len();

    // The accounts department counts three items again.
    let ledger = demo.ledger();
    for (sku, qty) in [("ST-0007", 3.0), ("ST-0500", 250.0), ("ST-0999", 0.0)] {
        assert!(ledger.set_stock(sku, qty).expect("set stock"), "{sku}");
    }
    drop(ledger);

    let second = demo.run();
    assert_eq!(second.code, 0, "{}{}", second.stdout, second.stderr);
    assert_eq!(
        demo.ledger().orders().expect("orders").len(),
        orders_before,
        "nothing imported twice"
    );
    assert!(
        second.stdout.contains("no customers in the input"),
        "{}",
        second.stdout
    );
    assert!(
        second.stdout.contains("1 order: 0 imported, 1 failed"),
        "{}",
        second.stdout
    );
    assert!(
        second.stdout.contains("3 products → product_export.xml"),
        "{}",
        second.stdout
    );
    assert!(
        second
            .stdout
            .contains("3 records → 1 chunk in Stock Export"),
        "{}",
        second.stdout
    );
    assert_in_sync(&demo);

    let archives = demo.archives();
    assert_eq!(archives.len(), 2);
    let zip = std::fs::File::open(demo.workdir().join("Archive").join(&archives[1])).expect("zip");
    let mut zip = zip::ZipArchive::new(zip).expect("zip");
    let mut export = String::new();
    zip.by_name("product_export.xml")
        .expect("export")
        .read_to_string(&mut export)
        .expect("read");
    assert_eq!(export.matches("<Product>").count(), 3, "{export}");
}

#[test]
fn a_failed_upload_stops_the_run_and_the_next_run_finishes_the_job() {
    let demo = Demo::new();
    demo.shop.fail_upload(3);
    let first = demo.run();
    assert_eq!(first.code, 1, "{}{}", first.stdout, first.stderr);
    assert!(
        first.stderr.contains("product_export_3.xml"),
        "the diagnostic names the chunk: {}",
        first.stderr
    );
    assert!(
        first.stderr.contains("zynk::http::status"),
        "{}",
        first.stderr
    );
    assert_eq!(
        names(&demo.workdir().join("Stock Export")),
        vec![
            "product_export_3.xml",
            "product_export_4.xml",
            "product_export_5.xml",
        ]
    );
    assert!(demo.archives().is_empty(), "archive did not run");
    let orders = demo.ledger().orders().expect("orders").len();

    // Meanwhile a product waiting in chunk 5 changes again in the ledger: its new level
    // must win over the old one still waiting to be uploaded.
    let waiting = std::fs::read_to_string(demo.workdir().join("Stock Export/product_export_5.xml"))
        .expect("chunk 5");
    let sku = waiting
        .split("<Sku>")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .expect("a sku")
        .to_string();
    assert!(demo.ledger().set_stock(&sku, 7777.0).expect("set stock"));

    let second = demo.run();
    assert_eq!(second.code, 0, "{}{}", second.stdout, second.stderr);
    assert_eq!(
        demo.ledger().orders().expect("orders").len(),
        orders,
        "no order imported twice"
    );
    assert!(names(&demo.workdir().join("Stock Export")).is_empty());
    assert!(
        second
            .stdout
            .contains("numbered from 6 after 3 chunks still waiting"),
        "{}",
        second.stdout
    );
    // The failed run committed no export watermark, so the whole export (5 chunks) is
    // uploaded again after the 3 chunks still waiting.
    assert!(
        second.stdout.contains("8 files in Stock Export"),
        "{}",
        second.stdout
    );
    let order: Vec<&str> = second
        .stdout
        .lines()
        .filter(|l| l.contains("deleted Stock Export/"))
        .collect();
    assert!(
        order[0].contains("product_export_3.xml") && order[7].contains("product_export_10.xml"),
        "{order:?}"
    );
    assert_in_sync(&demo);
}

#[test]
fn zynk_demo_runs_twice_from_the_command_line() {
    let project = Project::new();
    let first = project.zynk(&["demo", "--data", "demo", "--port", "0"]);
    assert_eq!(first.code, 0, "{}{}", first.stdout, first.stderr);
    assert!(first.stdout.contains("before:"), "{}", first.stdout);
    assert!(
        first
            .stdout
            .contains("site stock matches ledger free stock for 1000 of 1000 products"),
        "{}",
        first.stdout
    );
    assert!(
        first.stdout.contains("199 sales orders"),
        "{}",
        first.stdout
    );
    let second = project.zynk(&["demo", "--data", "demo", "--port", "0"]);
    assert_eq!(second.code, 0, "{}{}", second.stdout, second.stderr);
    assert!(
        second.stdout.contains("199 sales orders"),
        "{}",
        second.stdout
    );
    assert!(
        second.stdout.contains("(2 runs archived)"),
        "{}",
        second.stdout
    );
    assert!(!first.stdout.contains("note:"), "{}", first.stdout);
    // The invoice demo after it has nothing left to invoice, and says how to start over.
    let invoices = project.zynk(&["demo", "--invoices", "--data", "demo", "--port", "0"]);
    assert_eq!(invoices.code, 0, "{}{}", invoices.stdout, invoices.stderr);
    assert!(
        invoices.stdout.contains(
            "so this run had none to invoice; `zynk demo --invoices --fresh` starts over"
        ),
        "{}",
        invoices.stdout
    );
    assert!(
        !invoices.stdout.contains("changed stock"),
        "{}",
        invoices.stdout
    );
}

#[test]
fn zynk_demo_serve_keeps_the_shop_running() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().expect("tmp");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_zynk"))
        .args(["demo", "--data", "demo", "--port", "0", "--serve"])
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    let stdout = child.stdout.take().expect("stdout");
    let mut url = None;
    for line in BufReader::new(stdout).lines() {
        let line = line.expect("line");
        if let Some(rest) = line.strip_prefix("the shop keeps serving on ") {
            url = rest.split_whitespace().next().map(str::to_string);
            break;
        }
    }
    let url = url.expect("the demo announces the shop it keeps serving");
    let client = zynk::http::Client::new().expect("client");
    let out = dir.path().join("download.xml");
    let response = client
        .execute(
            &zynk::http::Request::new(zynk::http::Method::Get, format!("{url}/zynk/download")),
            Some(&out),
        )
        .expect("the shop still answers");
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(response.status, 200);
    let body = std::fs::read_to_string(out).expect("body");
    assert!(
        body.contains("<Id>1150</Id>"),
        "only the invalid order is left: {body}"
    );
}

/// Every valid order is posted on the site with a number the ledger holds exactly once, and
/// the ledger holds nothing else.
fn assert_orders_posted_once(demo: &Demo) {
    let ledger: HashMap<i64, String> = demo
        .ledger()
        .orders()
        .expect("orders")
        .into_iter()
        .map(|o| (o.order_number, o.account_ref))
        .collect();
    assert_eq!(ledger.len(), 199, "the ledger holds each valid order once");
    let mut numbers = std::collections::BTreeSet::new();
    for order in demo.site().orders().expect("site orders") {
        if order.id == INVALID_ORDER_ID {
            assert!(!order.posted);
            continue;
        }
        assert!(order.posted, "order {} not posted on the site", order.id);
        let number: i64 = order
            .sales_order_number
            .as_deref()
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("order {} has no number", order.id));
        assert!(ledger.contains_key(&number), "order {number} not in ledger");
        assert!(numbers.insert(number), "number {number} given twice");
    }
    assert_eq!(numbers.len(), 199);
}

#[test]
fn a_500_on_the_orders_notify_heals_on_the_next_run() {
    let demo = Demo::new();
    demo.shop.fail_notify(2);
    let first = demo.run();
    assert_eq!(first.code, 1, "{}{}", first.stdout, first.stderr);
    assert!(
        first.stdout.contains("199 imported, 1 failed"),
        "{}",
        first.stdout
    );
    assert_eq!(demo.ledger().orders().expect("orders").len(), 199);
    assert_eq!(demo.site().summary().expect("summary").orders_posted, 0);

    let second = demo.run();
    assert_eq!(second.code, 0, "{}{}", second.stdout, second.stderr);
    assert!(
        second
            .stdout
            .contains("200 orders: 0 imported, 199 already imported, 1 failed"),
        "{}",
        second.stdout
    );
    assert_orders_posted_once(&demo);

    // The run after that has nothing left to tell the site.
    let third = demo.run();
    assert_eq!(third.code, 0, "{}{}", third.stdout, third.stderr);
    assert!(
        third.stdout.contains("1 order: 0 imported, 1 failed"),
        "{}",
        third.stdout
    );
    assert_orders_posted_once(&demo);
}

#[test]
fn a_run_killed_before_the_orders_notify_heals_on_the_next_run() {
    let demo = Demo::new();
    demo.shop.stall_notify(2, std::time::Duration::from_secs(5));
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/website-sage50.zynk");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_zynk"))
        .args([
            "run",
            seed.to_str().expect("utf-8"),
            "--data",
            "data",
            "--var",
        ])
        .arg(format!("site={}", demo.shop.url()))
        .current_dir(demo.project.path(""))
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn zynk");
    let waited = std::time::Instant::now();
    while demo.shop.notifies_seen() < 2 {
        assert!(
            waited.elapsed() < std::time::Duration::from_secs(60),
            "zynk never sent the orders notify"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    // SIGKILL: no destructor, no rollback, no clean-up runs in zynk.
    child.kill().expect("kill -9");
    let _ = child.wait();
    assert_eq!(demo.ledger().orders().expect("orders").len(), 199);
    assert_eq!(demo.site().summary().expect("summary").orders_posted, 0);

    let second = demo.run();
    assert_eq!(second.code, 0, "{}{}", second.stdout, second.stderr);
    assert!(
        second.stdout.contains("199 already imported"),
        "{}",
        second.stdout
    );
    assert_orders_posted_once(&demo);
}

/// README's first script, as written.
fn readme_first_script() -> String {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let section = readme
        .find("## A first script")
        .expect("a first script section");
    let start = readme[section..].find("```zynk\n").expect("a zynk fence") + section + 8;
    let end = readme[start..].find("```").expect("a closing fence") + start;
    readme[start..end].to_string()
}

#[test]
fn readme_first_script_runs_as_written_against_a_fresh_demo_shop() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let project = Project::new();
    // An earlier demo's leftovers, which `--fresh` removes.
    project.write(
        "zynk-demo/Website Script Based Sage 50 Integration/old.xml",
        "<old/>",
    );
    /// Stops the shop however the test ends.
    struct Serving(std::process::Child);
    impl Drop for Serving {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let mut demo = Command::new(env!("CARGO_BIN_EXE_zynk"))
        .args(["demo", "--serve", "--fresh", "--port", "0"])
        .current_dir(project.dir.path())
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .spawn()
        .expect("zynk demo");
    let stdout = demo.stdout.take().expect("stdout");
    let demo = Serving(demo);
    let mut url = None;
    let mut seen = String::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.expect("line");
        seen.push_str(&line);
        seen.push('\n');
        if url.is_none() {
            url = line
                .split_whitespace()
                .find(|w| w.starts_with("http://127.0.0.1:"))
                .map(str::to_string);
        }
        if line.contains("Ctrl-C stops it") {
            break;
        }
    }
    let url = url.unwrap_or_else(|| panic!("no URL in:\n{seen}"));
    assert!(seen.contains("200 pending"), "{seen}");
    assert!(seen.contains("did not run (--fresh)"), "{seen}");
    assert!(
        !project
            .path("zynk-demo/Website Script Based Sage 50 Integration")
            .exists(),
        "--fresh removes the seed workflow's working folder"
    );
    project.write("shop.zynk", &readme_first_script());
    let site = format!("site={url}");
    let out = project.zynk(&["run", "shop.zynk", "--data", "zynk-demo", "--var", &site]);
    drop(demo);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("run succeeded"), "{}", out.stdout);
    assert!(
        out.stdout
            .contains("import sales orders · 200 orders: 199 imported, 1 failed"),
        "{}",
        out.stdout
    );
    // The four products only the orders named (auto-created, stock never told) stay out.
    assert!(
        out.stdout.contains("→ 5 chunks in Outbox"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("export stock · 1000 products → stock.xml (4 with unknown stock left out)"),
        "{}",
        out.stdout
    );
}

#[test]
fn readme_sample_diagnostic_is_the_real_one() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let start = readme
        .find("$ zynk check shop.zynk")
        .expect("the sample diagnostic");
    let start = start + readme[start..].find('\n').expect("line") + 1;
    let end = readme[start..].find("```").expect("fence") + start;
    let project = Project::new();
    let script = readme_first_script();
    assert!(script.contains("retries 1"));
    project.write("shop.zynk", &script.replacen("retries 1", "retrys 1", 1));
    let out = project.zynk(&["check", "shop.zynk"]);
    assert_eq!(out.code, 2);
    let real: String = out
        .stderr
        .lines()
        .map(|l| format!("{}\n", l.trim_end()))
        .collect();
    assert_eq!(&readme[start..end], real);
}

/// The tutorial's first contact: README's first script against a shop, with a new, empty data
/// folder. The orders auto-create their products with stock the ledger was never told: the
/// upload must not tell the shop it has none.
#[test]
fn a_first_run_with_a_new_ledger_never_drops_the_shops_stock() {
    let project = Project::new();
    let shop = Shop::start(&project.path("shop.sqlite"), "127.0.0.1:0").expect("shop");
    let site = ShopState::open(&project.path("shop.sqlite")).expect("shop state");
    let before: HashMap<String, i64> = site
        .products()
        .expect("products")
        .into_iter()
        .map(|(sku, _, stock)| (sku, stock))
        .collect();
    project.write("shop.zynk", &readme_first_script());
    let url = format!("site={}", shop.url());
    let out = project.zynk(&["run", "shop.zynk", "--data", "new", "--var", &url]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout
            .contains("import sales orders · 200 orders: 199 imported"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("with unknown stock left out"),
        "{}",
        out.stdout
    );
    let after = site.products().expect("products");
    assert_eq!(after.len(), before.len());
    for (sku, _, stock) in after {
        assert_eq!(
            Some(&stock),
            before.get(&sku),
            "{sku}: the shop's stock changed"
        );
    }
    // `plan` says the same before anything runs.
    let plan = project.zynk(&["plan", "shop.zynk", "--data", "other", "--var", &url]);
    assert!(
        plan.stdout
            .contains("products it creates have unknown stock and are left out"),
        "{}",
        plan.stdout
    );
}
