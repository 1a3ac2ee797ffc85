//! Tryton as the ledger, against a real trytond 8.2 provisioned by the tests themselves (see `server.rs`).
mod dropper;
mod server;
mod two_hosts;

use std::path::Path;

use crate::harness::{self, Outcome, Project};
use crate::support::postgres as pg;
use crate::support::server as site;
use serde_json::{Value, json};
use server::{Tryton, dec};

const SAMPLE: &str = "Customer with Sales Order and Card Payment [DOWNLOAD].xml";
const MINIMAL: &str = "Sales Order with Minimal Information.xml";

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/connect")
        .join(name);
    std::fs::read_to_string(path).expect("fixture")
}

/// The `ledger tryton` line of the issue, pointing at `t`.
fn ledger_line(t: &Tryton, extra: &str) -> String {
    ledger_at(&t.url(), extra)
}

fn ledger_at(url: &str, extra: &str) -> String {
    format!(
        "ledger tryton \"{url}\" database \"zynk\" user \"admin\" password env(\"TRYTON_PASSWORD\"){extra}\n"
    )
}

fn run(project: &Project, password: &str, env: &[(&str, &str)]) -> Outcome {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_zynk"));
    cmd.args(["run", "script.zynk", "--data", "data"])
        .current_dir(project.dir.path())
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .env("TRYTON_PASSWORD", password);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run zynk");
    Outcome {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn read(project: &Project, file: &str) -> String {
    std::fs::read_to_string(project.workdir("t").join(file))
        .unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// The sales of Tryton by reference: (state, untaxed, total, number).
fn sales(t: &Tryton) -> Vec<Value> {
    t.reader().search_read(
        "sale.sale",
        json!([]),
        &[
            "reference",
            "state",
            "untaxed_amount",
            "tax_amount",
            "total_amount",
            "number",
            "party.code",
            "lines",
        ],
    )
}

#[test]
fn zynk_samples_post_confirmed_sales_and_a_rerun_creates_nothing() {
    let t = Tryton::start();
    let project = Project::new();
    project.write("data/t/download.xml", &fixture(SAMPLE));
    project.write("data/t/minimal.xml", &fixture(MINIMAL));
    project.script(&format!(
        "workflow \"t\"\n{}\
         import customers from \"download.xml\" success \"customer_success.xml\" fail \"customer_fail.xml\"\n\
         import sales orders from \"download.xml\" success \"order_success.xml\" fail \"order_fail.xml\"\n\
         import sales orders from \"minimal.xml\" success \"minimal_success.xml\" fail \"minimal_fail.xml\"\n\
         export stock all to \"stock.xml\"\n",
        ledger_line(&t, "")
    ));
    let out = run(&project, server::PASSWORD, &[]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);

    let reader = t.reader();
    let parties = reader.search_read(
        "party.party",
        json!([["code", "=", "INTE001"]]),
        &["name", "addresses", "contact_mechanisms"],
    );
    assert_eq!(parties.len(), 1, "{parties:?}");
    assert_eq!(parties[0]["name"], "Internetware");
    assert_eq!(parties[0]["addresses"].as_array().map(Vec::len), Some(1));
    let mechanisms = reader.search_read(
        "party.contact_mechanism",
        json!([["party.code", "=", "INTE001"]]),
        &["type", "value"],
    );
    let kinds: Vec<&str> = mechanisms
        .iter()
        .filter_map(|m| m["type"].as_str())
        .collect();
    assert!(
        kinds.contains(&"email") && kinds.contains(&"phone") && kinds.contains(&"fax"),
        "{mechanisms:?}"
    );

    let sales = sales(&t);
    assert_eq!(sales.len(), 2, "{sales:?}");
    let sample = sales
        .iter()
        .find(|s| s["reference"] == "456")
        .expect("sale 456");
    assert_eq!(sample["state"], "processing", "{sample}");
    assert_eq!(sample["party."]["code"], "INTE001");
    // 200 + 4.24 carriage, VAT 20 % on both.
    assert_eq!(dec(&sample["untaxed_amount"]), 204.24);
    assert_eq!(dec(&sample["total_amount"]), 245.09);
    let lines = reader.search_read(
        "sale.line",
        json!([["sale.reference", "=", "456"]]),
        &["product.code", "quantity", "unit_price", "taxes"],
    );
    let mut codes: Vec<&str> = lines
        .iter()
        .filter_map(|l| l["product."]["code"].as_str())
        .collect();
    codes.sort_unstable();
    assert_eq!(codes, ["CARRIAGE", "TEST01"]);
    let minimal = sales
        .iter()
        .find(|s| s["reference"] == "12345")
        .expect("sale 12345");
    assert_eq!(dec(&minimal["total_amount"]), 240.0, "{minimal}");

    let number = sample["number"].as_str().expect("number");
    assert!(
        read(&project, "order_success.xml")
            .contains(&format!("<SalesOrderNumber>{number}</SalesOrderNumber>"))
    );
    assert!(
        read(&project, "customer_success.xml")
            .contains("<AccountReference>INTE001</AccountReference>")
    );

    // The export carries Tryton's warehouse quantities: 100 in stock, 2 promised to the sales.
    let stock = read(&project, "stock.xml");
    let at = stock.find("<Sku>TEST01</Sku>").expect("TEST01 exported");
    let product = &stock[at..at + stock[at..].find("</Product>").expect("end")];
    assert!(
        product.contains("<QtyInStock>100</QtyInStock>"),
        "{product}"
    );
    assert!(
        product.contains("<QtyAllocated>2</QtyAllocated>"),
        "{product}"
    );

    // `zynk ledger orders --tryton` lists them as Tryton has them.
    let listed = std::process::Command::new(env!("CARGO_BIN_EXE_zynk"))
        .args(["ledger", "orders", "--format", "csv", "--tryton", &t.url()])
        .env("TRYTON_PASSWORD", server::PASSWORD)
        .output()
        .expect("zynk ledger");
    let listed = String::from_utf8_lossy(&listed.stdout);
    assert!(
        listed.contains(&format!(
            "{number},456,INTE001,2011-01-01,processing,204.24,40.85,245.09"
        )),
        "{listed}"
    );

    let again = run(&project, server::PASSWORD, &[]);
    assert_eq!(again.code, 0, "{}\n{}", again.stdout, again.stderr);
    assert!(
        again.stdout.contains("0 imported, 1 already imported"),
        "{}",
        again.stdout
    );
    assert_eq!(self::sales(&t).len(), 2);
    assert_eq!(
        t.reader()
            .search_read("party.party", json!([["code", "=", "INTE001"]]), &["id"])
            .len(),
        1
    );
    assert!(
        read(&project, "order_success.xml")
            .contains(&format!("<SalesOrderNumber>{number}</SalesOrderNumber>"))
    );

    // The same Id with other content fails, saying what differs; Tryton keeps the first.
    project.write(
        "data/t/download.xml",
        &fixture(SAMPLE).replace("<UnitPrice>200</UnitPrice>", "<UnitPrice>150</UnitPrice>"),
    );
    let changed = run(&project, server::PASSWORD, &[]);
    assert_eq!(changed.code, 0, "{}\n{}", changed.stdout, changed.stderr);
    let failed = read(&project, "order_fail.xml");
    assert!(
        failed.contains("with other content: line 1 TEST01 × 1 @ 150"),
        "{failed}"
    );
    assert_eq!(self::sales(&t).len(), 2);
}

#[test]
fn thirty_sample_customers_become_parties_once_each_with_vat_numbers() {
    let t = Tryton::start();
    let project = Project::new();
    // The sample holds a `&#x0;` no XML reader accepts.
    let sample = fixture("Stationary & Computer Mart - Customer Export.xml").replace("&#x0;", "");
    project.write("data/t/customers.xml", &sample);
    project.script(&format!(
        "workflow \"t\"\n{}import customers from \"customers.xml\" success \"s.xml\" fail \"f.xml\"\n",
        ledger_line(&t, "")
    ));
    let out = run(&project, server::PASSWORD, &[]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("30 customers: 30 imported, 0 failed"),
        "{}",
        out.stdout
    );
    let reader = t.reader();
    let parties = reader.search_read(
        "party.party",
        json!([["code", "!=", "ZYNKDEMO"]]),
        &["code"],
    );
    assert_eq!(parties.len(), 30);
    let vat = reader.search_read(
        "party.identifier",
        json!([["party.code", "=", "A1D001"]]),
        &["code"],
    );
    assert_eq!(vat[0]["code"], "GB238 3839 38");
    let again = run(&project, server::PASSWORD, &[]);
    assert!(
        again.stdout.contains("0 imported, 30 already imported"),
        "{}",
        again.stdout
    );
    assert_eq!(
        t.reader()
            .search_read("party.party", json!([]), &["id"])
            .len(),
        31
    );
}

#[test]
fn a_record_tryton_refuses_fails_alone_with_tryton_s_words() {
    let t = Tryton::start();
    let project = Project::new();
    let sample = fixture(MINIMAL);
    let order = |id: &str, qty: &str| {
        let start = sample.find("<SalesOrder>").expect("order");
        let end = sample.find("</SalesOrder>").expect("end") + "</SalesOrder>".len();
        sample[start..end]
            .replace("<Id>12345</Id>", &format!("<Id>{id}</Id>"))
            .replace(
                "<QtyOrdered>1</QtyOrdered>",
                &format!("<QtyOrdered>{qty}</QtyOrdered>"),
            )
    };
    project.write(
        "data/t/orders.xml",
        &format!(
            "<Company><Customers><Customer><AccountReference>INTE001</AccountReference><CompanyName>Internetware</CompanyName></Customer></Customers><SalesOrders>{}{}{}</SalesOrders></Company>",
            order("A1", "1"),
            order("A2", "1.5"),
            order("A3", "2")
        ),
    );
    project.script(&format!(
        "workflow \"t\"\n{}\
         import customers from \"orders.xml\" success \"cs.xml\" fail \"cf.xml\"\n\
         import sales orders from \"orders.xml\" success \"ok.xml\" fail \"failed.xml\"\n",
        ledger_line(&t, "")
    ));
    let out = run(&project, server::PASSWORD, &[]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    let failed = read(&project, "failed.xml");
    assert!(failed.contains("<Id>A2</Id>"), "{failed}");
    assert!(
        failed.contains("exceeds the limit"),
        "Tryton's own message: {failed}"
    );
    let ok = read(&project, "ok.xml");
    assert!(
        ok.contains("<Id>A1</Id>") && ok.contains("<Id>A3</Id>") && !ok.contains("<Id>A2</Id>"),
        "{ok}\n{}",
        out.stdout
    );
    let mut refs: Vec<String> = sales(&t)
        .iter()
        .filter(|s| s["state"] == "processing")
        .filter_map(|s| s["reference"].as_str().map(str::to_string))
        .collect();
    refs.sort();
    assert_eq!(refs, ["A1", "A3"]);
}

#[test]
fn carriage_goes_on_a_line_without_product_when_tryton_has_no_carriage_product() {
    let t = Tryton::start();
    let reader = t.reader();
    let carriage = reader.search_read(
        "product.product",
        json!([["code", "=", "CARRIAGE"]]),
        &["id"],
    );
    reader.call(
        "product.product",
        "write",
        vec![
            json!([carriage[0]["id"]]),
            json!({"suffix_code": "OLD-CARR"}),
        ],
    );
    let project = Project::new();
    project.write("data/t/download.xml", &fixture(SAMPLE));
    let body = "import customers from \"download.xml\" success \"cs.xml\" fail \"cf.xml\"\n\
                import sales orders from \"download.xml\" success \"ok.xml\" fail \"failed.xml\"\n";
    // Named and missing: the order fails, saying what to do.
    project.script(&format!(
        "workflow \"t\"\n{}{body}",
        ledger_line(&t, " carriage_product \"CARRIAGE\"")
    ));
    let out = run(&project, server::PASSWORD, &[]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert!(read(&project, "failed.xml").contains("no service product `CARRIAGE`"));
    assert!(sales(&t).is_empty());
    // Not named: a line without product, at the carriage's price and tax.
    project.script(&format!("workflow \"t\"\n{}{body}", ledger_line(&t, "")));
    let out = run(&project, server::PASSWORD, &[]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    let sales = sales(&t);
    assert_eq!(sales.len(), 1);
    assert_eq!(dec(&sales[0]["total_amount"]), 245.09);
    let lines = t.reader().search_read(
        "sale.line",
        json!([["product", "=", null]]),
        &["description", "unit_price"],
    );
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0]["description"], "Delivery 1-2 Working Days");
}

#[test]
fn vat_inclusive_prices_are_posted_net_as_the_embedded_ledger_converts_them() {
    let t = Tryton::start();
    let project = Project::new();
    let order = fixture(MINIMAL)
        .replace("<UnitPrice>200</UnitPrice>", "<UnitPrice>9.99</UnitPrice>")
        .replace("<QtyOrdered>1</QtyOrdered>", "<QtyOrdered>3</QtyOrdered>")
        .replace("<TakenBy>", "<VatInclusive>true</VatInclusive><TakenBy>");
    project.write("data/t/download.xml", &fixture(SAMPLE));
    project.write("data/t/inclusive.xml", &order);
    project.script(&format!(
        "workflow \"t\"\n{}\
         import customers from \"download.xml\" success \"cs.xml\" fail \"cf.xml\"\n\
         import sales orders from \"inclusive.xml\" success \"ok.xml\" fail \"failed.xml\"\n",
        ledger_line(&t, "")
    ));
    let out = run(&project, server::PASSWORD, &[]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    let sales = sales(&t);
    // 3 × 9.99 = 29.97 gross: 24.98 net (29.97 ÷ 1.2, half-up) and 5.00 VAT.
    assert_eq!(dec(&sales[0]["untaxed_amount"]), 24.98, "{sales:?}");
    assert_eq!(dec(&sales[0]["tax_amount"]), 5.0);
}

#[test]
fn a_wrong_password_fails_the_line_naming_the_server_and_never_shows_the_password() {
    let t = Tryton::start();
    let project = Project::new();
    project.write("data/t/download.xml", &fixture(SAMPLE));
    project.script(&format!(
        "workflow \"t\"\n{}import customers from \"download.xml\" success \"s.xml\" fail \"f.xml\"\n",
        ledger_line(&t, "")
    ));
    let secret = "Wr0ng-S3cret-pw";
    let out = run(&project, secret, &[]);
    assert_eq!(out.code, 1, "{}\n{}", out.stdout, out.stderr);
    let all = format!("{}{}", out.stdout, out.stderr);
    assert!(all.contains("zynk::tryton::login"), "{all}");
    assert!(all.contains(&t.url()), "{all}");
    assert!(!all.contains(secret));
    let runs = harness::zynk_in(
        project.dir.path(),
        &["runs", "--data", "data", "--run", "1"],
    );
    assert!(!format!("{}{}", runs.stdout, runs.stderr).contains(secret));
    assert!(
        t.reader()
            .search_read("party.party", json!([["code", "=", "INTE001"]]), &["id"])
            .is_empty()
    );
}

#[test]
fn killed_between_create_and_confirm_then_rerun_leaves_each_order_once_and_confirmed() {
    let t = Tryton::start();
    let project = Project::new();
    project.write("data/t/download.xml", &fixture(SAMPLE));
    project.write("data/t/minimal.xml", &fixture(MINIMAL));
    let body = "import customers from \"download.xml\" success \"cs.xml\" fail \"cf.xml\"\n\
                import sales orders from \"download.xml\" success \"ok.xml\" fail \"failed.xml\"\n\
                import sales orders from \"minimal.xml\" success \"ok2.xml\" fail \"failed2.xml\"\n";
    project.script(&format!("workflow \"t\"\n{}{body}", ledger_line(&t, "")));
    let killed = run(
        &project,
        server::PASSWORD,
        &[("ZYNK_FAULT_AT", "tryton:confirm")],
    );
    assert_ne!(killed.code, 0, "the run was killed");
    let before = sales(&t);
    assert_eq!(before.len(), 1, "{before:?}");
    assert_eq!(
        before[0]["state"], "quotation",
        "killed before the confirm: {before:?}"
    );

    let rerun = run(&project, server::PASSWORD, &[]);
    assert_eq!(rerun.code, 0, "{}\n{}", rerun.stdout, rerun.stderr);
    let after = sales(&t);
    let mut refs: Vec<&str> = after
        .iter()
        .filter_map(|s| s["reference"].as_str())
        .collect();
    refs.sort_unstable();
    assert_eq!(refs, ["12345", "456"], "{after:?}");
    assert!(
        after.iter().all(|s| s["state"] == "processing"),
        "{after:?}"
    );
    assert!(read(&project, "ok.xml").contains("<Id>456</Id>"));
}

#[test]
fn a_lost_answer_to_a_create_is_resolved_by_searching_not_by_creating_again() {
    let t = Tryton::start();
    let proxy = dropper::Dropper::start(t.url(), "model.sale.sale.create");
    let project = Project::new();
    project.write("data/t/download.xml", &fixture(SAMPLE));
    project.script(&format!(
        "workflow \"t\"\n{}\
         import customers from \"download.xml\" success \"cs.xml\" fail \"cf.xml\"\n\
         import sales orders from \"download.xml\" success \"ok.xml\" fail \"failed.xml\"\n",
        ledger_at(&proxy.url, "")
    ));
    let out = run(&project, server::PASSWORD, &[]);
    assert!(
        proxy.dropped.load(std::sync::atomic::Ordering::SeqCst),
        "the answer was dropped"
    );
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    let sales = sales(&t);
    assert_eq!(sales.len(), 1, "created once: {sales:?}");
    assert_eq!(sales[0]["state"], "processing");
    assert!(read(&project, "ok.xml").contains("<Id>456</Id>"));
}

#[test]
fn tryton_gone_mid_run_fails_the_statement_naming_it_and_a_rerun_heals() {
    let t = Tryton::start();
    let project = Project::new();
    project.write("data/t/download.xml", &fixture(SAMPLE));
    let body = "import customers from \"download.xml\" success \"cs.xml\" fail \"cf.xml\"\n\
                import sales orders from \"download.xml\" success \"ok.xml\" fail \"failed.xml\"\n";
    // Tryton goes away once the customers are in, at the orders' first call.
    let proxy = dropper::Dropper::dying(t.url(), "model.sale.sale");
    project.script(&format!(
        "workflow \"t\"\n{}{body}",
        ledger_at(&proxy.url, "")
    ));
    let out = run(&project, server::PASSWORD, &[]);
    assert_eq!(out.code, 1, "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("1 customer: 1 imported"),
        "{}",
        out.stdout
    );
    assert!(
        out.stderr.contains("zynk::tryton::unreachable"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains(&proxy.url), "{}", out.stderr);
    assert!(sales(&t).is_empty());

    project.script(&format!("workflow \"t\"\n{}{body}", ledger_line(&t, "")));
    let rerun = run(&project, server::PASSWORD, &[]);
    assert_eq!(rerun.code, 0, "{}\n{}", rerun.stdout, rerun.stderr);
    assert!(
        rerun.stdout.contains("0 imported, 1 already imported"),
        "{}",
        rerun.stdout
    );
    assert_eq!(sales(&t).len(), 1);
}

#[test]
fn https_with_a_private_ca_works_with_ca_cert_and_fails_clearly_without() {
    let t = Tryton::start();
    let ca_key = rcgen::KeyPair::generate().expect("a CA key");
    let mut ca_params =
        rcgen::CertificateParams::new(vec!["localhost".to_string()]).expect("CA params");
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    let ca = ca_params.self_signed(&ca_key).expect("the CA certificate");
    let issuer = rcgen::Issuer::new(ca_params, &ca_key);
    let key = rcgen::KeyPair::generate().expect("a server key");
    let cert = rcgen::CertificateParams::new(vec!["localhost".to_string()])
        .expect("server params")
        .signed_by(&key, &issuer)
        .expect("the server certificate");
    let proxy = dropper::Dropper::tls(
        t.url(),
        (
            vec![cert.der().clone()],
            rustls::pki_types::PrivatePkcs8KeyDer::from(key.serialize_der()).into(),
        ),
    );
    let project = Project::new();
    project.write("ca.pem", &ca.pem());
    project.write("data/t/download.xml", &fixture(SAMPLE));
    let body = "import customers from \"download.xml\" success \"cs.xml\" fail \"cf.xml\"\n";
    let ca = project.path("ca.pem").display().to_string();
    project.script(&format!(
        "workflow \"t\"\n{}{body}",
        ledger_at(&proxy.url, &format!(" ca_cert \"{ca}\""))
    ));
    let out = run(&project, server::PASSWORD, &[]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert_eq!(
        t.reader()
            .search_read("party.party", json!([["code", "=", "INTE001"]]), &["id"])
            .len(),
        1
    );
    project.script(&format!(
        "workflow \"t\"\n{}{body}",
        ledger_at(&proxy.url, "")
    ));
    let untrusted = run(&project, server::PASSWORD, &[]);
    assert_eq!(untrusted.code, 1, "{}", untrusted.stdout);
    assert!(
        untrusted.stderr.contains("zynk::tryton::unreachable"),
        "{}",
        untrusted.stderr
    );
    assert!(
        untrusted.stderr.contains("ca_cert"),
        "says how: {}",
        untrusted.stderr
    );
}

#[test]
fn statements_tryton_cannot_serve_are_check_errors_naming_it() {
    let project = Project::new();
    project.script(
        "ledger tryton \"http://127.0.0.1:1\" database \"zynk\" user \"admin\" password env(\"TRYTON_PASSWORD\")\n\
         import invoices from \"d.xml\" success \"s.xml\" fail \"f.xml\"\n",
    );
    let out = project.zynk(&["check", "script.zynk"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("zynk::check::ledger_cannot"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("`import invoices` cannot run against Tryton"),
        "{}",
        out.stderr
    );
}

#[test]
fn the_demo_shop_s_200_orders_post_once_each_even_after_a_kill_mid_import() {
    let t = Tryton::start();
    let project = Project::new();
    let shop = zynk::demo::Shop::start(&project.path("shop.sqlite"), "127.0.0.1:0").expect("shop");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/website-tryton.zynk");
    let go = |fault: Option<&str>| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_zynk"));
        if let Some(point) = fault {
            cmd.env("ZYNK_FAULT_AT", point);
        }
        cmd.arg("run")
            .arg(&script)
            .args(["--data", "data", "--var", &format!("site={}", shop.url())])
            .args(["--var", &format!("tryton={}", t.url())])
            .current_dir(project.dir.path())
            .env("NO_COLOR", "1")
            .env("TRYTON_PASSWORD", server::PASSWORD);
        let out = cmd.output().expect("run zynk");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    // SIGKILL in the third batch of orders, created and quoted but not confirmed.
    let (code, _, _) = go(Some("tryton:confirm#3"));
    assert_ne!(code, 0, "killed");
    let states: Vec<Value> = t.reader().search_read("sale.sale", json!([]), &["state"]);
    // Three batches of 50 were created before the kill, less the order with no customer.
    assert_eq!(states.len(), 149);
    assert_eq!(
        states.iter().filter(|s| s["state"] == "quotation").count(),
        49
    );

    let (code, stdout, stderr) = go(None);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(
        stdout.contains("200 orders: 50 imported, 149 already imported, 1 failed"),
        "{stdout}"
    );
    println!("{stdout}");

    let reader = t.reader();
    let sales = reader.search_read(
        "sale.sale",
        json!([]),
        &["reference", "state", "total_amount"],
    );
    assert_eq!(sales.len(), 199);
    let mut refs: Vec<i64> = sales
        .iter()
        .filter_map(|s| s["reference"].as_str()?.parse().ok())
        .collect();
    refs.sort_unstable();
    refs.dedup();
    assert_eq!(refs.len(), 199, "each order once");
    assert!(!refs.contains(&zynk::demo::INVALID_ORDER_ID));
    assert!(
        sales.iter().all(|s| s["state"] == "processing"),
        "all confirmed"
    );
    // The shop's own totals agree with Tryton's, order by order.
    let site = zynk::demo::ShopState::open(&project.path("shop.sqlite")).expect("shop state");
    let orders = site.orders().expect("orders");
    let posted = orders.iter().filter(|o| o.posted).count();
    assert_eq!(posted, 199);
    for order in orders.iter().filter(|o| o.posted) {
        let net: i64 = order
            .lines
            .iter()
            .map(|l| l.unit_price_pence * l.qty)
            .sum::<i64>()
            + order.carriage_pence;
        let sale = sales
            .iter()
            .find(|s| s["reference"].as_str() == Some(order.id.to_string().as_str()))
            .expect("sale");
        let total = dec(&sale["total_amount"]);
        // Tryton adds VAT of 0 or 20 % per line to the shop's net prices.
        let net = net as f64 / 100.0;
        assert!(
            total >= net - 0.005 && total <= net * 1.2 + 0.01,
            "order {}: {total} for net {net}",
            order.id
        );
    }
    let parties = reader.search_read(
        "party.party",
        json!([["code", "!=", "ZYNKDEMO"]]),
        &["code"],
    );
    let mut codes: Vec<&str> = parties.iter().filter_map(|p| p["code"].as_str()).collect();
    let count = codes.len();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), count, "every customer once by code");

    // A further run downloads only the order that failed: nothing new in Tryton.
    let (code, stdout, stderr) = go(None);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert_eq!(
        t.reader()
            .search_read("sale.sale", json!([]), &["id"])
            .len(),
        199
    );
}
