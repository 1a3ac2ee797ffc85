//! Imports and exports through scripts, and what `zynk ledger` and `zynk runs` show.
use std::path::Path;

use crate::harness::Project;

fn sample(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/connect")
            .join(name),
    )
    .expect("sample")
}

const IMPORT: &str = r#"workflow "t"
import customers from "download.xml" success "customer_success.xml" fail "customer_fail.xml"
import sales orders from "download.xml" success "salesorder_success.xml" fail "salesorder_fail.xml"
    alpha_length 4
export stock all to "product_export.xml"
"#;

#[test]
fn a_script_imports_the_zynk_sample_and_the_ledger_shows_it() {
    let project = Project::new();
    project.write(
        "data/t/download.xml",
        &sample("Customer with Sales Order and Card Payment [DOWNLOAD].xml"),
    );
    let script = project.script(IMPORT);
    let out = project.zynk(&["run", script.to_str().expect("utf-8")]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout
            .contains("import customers · 1 customer: 1 imported, 0 failed"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("import sales orders · 1 order: 1 imported, 0 failed"),
        "{}",
        out.stdout
    );
    let success =
        std::fs::read_to_string(project.path("data/t/salesorder_success.xml")).expect("success");
    assert!(
        success.contains("<SalesOrderNumber>1</SalesOrderNumber>"),
        "{success}"
    );
    let fail = std::fs::read_to_string(project.path("data/t/salesorder_fail.xml")).expect("fail");
    assert!(!fail.contains("<SalesOrder>"), "{fail}");

    let orders = project.zynk(&["ledger", "orders", "--format", "json"]);
    assert_eq!(orders.code, 0, "{}", orders.stderr);
    let rows: serde_json::Value = serde_json::from_str(&orders.stdout).expect("json");
    assert_eq!(rows.as_array().map(Vec::len), Some(1), "{}", orders.stdout);
    let customers = project.zynk(&["ledger", "customers", "--format", "csv"]);
    assert_eq!(customers.stdout.lines().count(), 2, "{}", customers.stdout);

    // The same file again: the order was imported before, so it goes to the success file
    // again with its number, counted as already imported.
    let again = project.zynk(&["run", script.to_str().expect("utf-8")]);
    assert_eq!(again.code, 0, "{}{}", again.stdout, again.stderr);
    assert!(
        again
            .stdout
            .contains("1 order: 0 imported, 1 already imported, 0 failed"),
        "{}",
        again.stdout
    );
    let success =
        std::fs::read_to_string(project.path("data/t/salesorder_success.xml")).expect("success");
    assert!(
        success.contains("<SalesOrderNumber>1</SalesOrderNumber>"),
        "{success}"
    );
    let orders = project.zynk(&["ledger", "orders", "--format", "json"]);
    let rows: serde_json::Value = serde_json::from_str(&orders.stdout).expect("json");
    assert_eq!(
        rows.as_array().map(Vec::len),
        Some(1),
        "no order posted twice"
    );
    let json = project.zynk(&[
        "run",
        script.to_str().expect("utf-8"),
        "--log-format",
        "json",
    ]);
    let event: serde_json::Value = json
        .stdout
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|e| e["statement"] == "import sales orders")
        .expect("an import sales orders event");
    assert_eq!(event["already_imported"], 1, "{}", json.stdout);
    assert_eq!(event["failed"], 0, "{}", json.stdout);

    // Every run is in the run log, with per-statement counts and the already imported.
    let runs = project.zynk(&["runs"]);
    assert_eq!(runs.code, 0, "{}", runs.stderr);
    assert_eq!(runs.stdout.lines().count(), 4, "{}", runs.stdout);
    let last: String = runs
        .stdout
        .lines()
        .nth(1)
        .expect("row")
        .split_whitespace()
        .next()
        .expect("id")
        .to_string();
    let detail = project.zynk(&["runs", "--run", &last]);
    assert!(
        detail.stdout.contains("import sales orders"),
        "{}",
        detail.stdout
    );
    assert!(
        detail
            .stdout
            .contains("Info: line 3: 1 already imported by an earlier run"),
        "{}",
        detail.stdout
    );
}

#[test]
fn a_missing_input_is_not_found_and_malformed_xml_names_the_position() {
    let project = Project::new();
    let script = project.script(IMPORT);
    let missing = project.zynk(&["run", script.to_str().expect("utf-8")]);
    assert_eq!(missing.code, 1);
    // Refused before the first statement: nothing was imported or written.
    assert!(
        missing.stdout.contains("FAILED  start · NotFound"),
        "{}",
        missing.stdout
    );
    assert!(
        missing.stderr.contains("zynk::run::file_not_found"),
        "{}",
        missing.stderr
    );
    assert!(!project.path("data/t/customer_success.xml").exists());

    project.write(
        "data/t/download.xml",
        "<Company>\n<Customers>\n<Customer><Id>1</Customer>\n</Customers></Company>",
    );
    let malformed = project.zynk(&["run", script.to_str().expect("utf-8")]);
    assert_eq!(malformed.code, 1);
    assert!(
        malformed.stderr.contains("zynk::import::malformed_xml"),
        "{}",
        malformed.stderr
    );
    assert!(
        malformed.stderr.contains("3"),
        "line number: {}",
        malformed.stderr
    );
}

#[test]
fn ledger_and_runs_explain_an_empty_data_folder() {
    let project = Project::new();
    let ledger = project.zynk(&["ledger", "orders"]);
    assert_eq!(ledger.code, 1);
    assert!(
        ledger.stderr.contains("zynk::cli::no_store"),
        "{}",
        ledger.stderr
    );
    let runs = project.zynk(&["runs", "--data", "nowhere"]);
    assert_eq!(runs.code, 1);
    assert!(runs.stderr.contains("no run log"), "{}", runs.stderr);
}

#[test]
fn the_ledger_statement_picks_another_company() {
    let project = Project::new();
    project.write(
        "data/t/download.xml",
        &sample("Customer with Sales Order and Card Payment [DOWNLOAD].xml"),
    );
    let script = project.script(&IMPORT.replace(
        "workflow \"t\"\n",
        "workflow \"t\"\nledger \"second-company.sqlite\"\n",
    ));
    let out = project.zynk(&["run", script.to_str().expect("utf-8")]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("using ledger second-company.sqlite"),
        "{}",
        out.stdout
    );
    assert!(project.path("data/second-company.sqlite").is_file());
    assert!(
        !project.path("data/ledger.sqlite").exists(),
        "the default ledger was not touched"
    );
    let orders = project.zynk(&[
        "ledger",
        "orders",
        "--ledger",
        "second-company.sqlite",
        "--format",
        "csv",
    ]);
    assert_eq!(orders.code, 0, "{}", orders.stderr);
    assert_eq!(orders.stdout.lines().count(), 2, "{}", orders.stdout);
}

/// Runs a shipped shop mapping, then imports its output into the ledger.
fn map_and_import(shop: &str, orders: usize) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mapping =
        std::fs::read_to_string(root.join(format!("scripts/maps/{shop}.zynk"))).expect("mapping");
    let workflow = mapping
        .lines()
        .find_map(|l| l.strip_prefix("workflow \""))
        .and_then(|l| l.strip_suffix('"'))
        .expect("workflow line")
        .to_string();
    let project = Project::new();
    project.write(
        &format!("data/{workflow}/{shop}_orders.xml"),
        &std::fs::read_to_string(root.join(format!("tests/fixtures/map/{shop}_orders.xml")))
            .expect("sample"),
    );
    let script = project.script(&format!(
        "{mapping}\nimport customers from \"orders.xml\" success \"cs.xml\" fail \"cf.xml\"\nimport sales orders from \"orders.xml\" success \"ss.xml\" fail \"sf.xml\" auto_create_customer true\n"
    ));
    let out = project.zynk(&["run", script.to_str().expect("utf-8")]);
    assert_eq!(out.code, 0, "{shop}: {}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("ok      map · "), "{}", out.stdout);
    assert!(
        out.stdout
            .contains(&format!("{orders} orders: {orders} imported, 0 failed")),
        "{shop}: {}",
        out.stdout
    );
    let listing = project.zynk(&["ledger", "orders", "--format", "json"]);
    let rows: serde_json::Value = serde_json::from_str(&listing.stdout).expect("json");
    assert_eq!(rows.as_array().map(Vec::len), Some(orders), "{shop}");
}

#[test]
fn shopify_orders_map_and_import() {
    map_and_import("shopify", 3);
}

#[test]
fn magento_orders_map_and_import() {
    map_and_import("magento", 3);
}

#[test]
fn woocommerce_orders_map_and_import() {
    map_and_import("woocommerce", 3);
}

#[test]
fn a_script_posts_the_credit_note_sample_and_the_ledger_shows_the_balance() {
    let project = Project::new();
    project.write(
        "data/t/download.xml",
        &sample("Credit note with Sales Payment.xml"),
    );
    let script = project.script(
        r#"workflow "t"
import customers from "download.xml" success "c_ok.xml" fail "c_fail.xml"
import invoices from "download.xml" success "i_ok.xml" fail "i_fail.xml"
import transactions from "download.xml" success "t_ok.xml" fail "t_fail.xml"
export customers modified to "customer_export.xml"
export invoices all to "invoice_export.xml"
"#,
    );
    let out = project.zynk(&["run", script.to_str().expect("utf-8")]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout
            .contains("import invoices · 1 invoice: 1 imported, 0 failed"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("import transactions · 1 transaction: 1 imported, 0 failed"),
        "{}",
        out.stdout
    );
    let success = std::fs::read_to_string(project.path("data/t/i_ok.xml")).expect("success");
    assert!(
        success.contains("<InvoiceNumber>1</InvoiceNumber>"),
        "{success}"
    );
    let customers = project.zynk(&["ledger", "customers", "--format", "json"]);
    let rows: serde_json::Value = serde_json::from_str(&customers.stdout).expect("json");
    assert_eq!(rows[0]["balance"], "-1214.00", "{}", customers.stdout);
    assert!(
        out.stdout
            .contains("export customers · 1 customer → customer_export.xml"),
        "{}",
        out.stdout
    );
    let export =
        std::fs::read_to_string(project.path("data/t/customer_export.xml")).expect("export");
    assert!(export.contains("<Balance>-1214</Balance>"), "{export}");
    let export =
        std::fs::read_to_string(project.path("data/t/invoice_export.xml")).expect("export");
    assert!(
        export.contains("<InvoiceType>ProductCredit</InvoiceType>"),
        "{export}"
    );
    for what in ["invoices", "transactions"] {
        for format in ["table", "csv", "json"] {
            let listing = project.zynk(&["ledger", what, "--format", format]);
            assert_eq!(listing.code, 0, "{what} {format}: {}", listing.stderr);
            assert!(listing.stdout.contains("INTE001"), "{}", listing.stdout);
        }
    }
    let again = project.zynk(&["run", script.to_str().expect("utf-8")]);
    assert!(
        again
            .stdout
            .contains("1 invoice: 0 imported, 1 already imported, 0 failed"),
        "{}",
        again.stdout
    );
    let customers = project.zynk(&["ledger", "customers", "--format", "json"]);
    let rows: serde_json::Value = serde_json::from_str(&customers.stdout).expect("json");
    assert_eq!(rows[0]["balance"], "-1214.00", "posted once");
}
