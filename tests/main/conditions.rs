//! `if`/`else` and the results of named statements, run from the CLI.
use std::path::Path;

use crate::harness::Project;
use crate::support::server::{TestResponse, TestServer};

fn sample(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/connect")
            .join(name),
    )
    .expect("sample")
}

const NOTIFY_IF_IMPORTED: &str = r#"workflow "t"
param site = "http://127.0.0.1:1"
import customers from "download.xml" success "customer_success.xml" fail "customer_fail.xml"
import sales orders from "download.xml" success "order_success.xml" fail "order_fail.xml" duplicates fail as orders
log "imported ${orders.imported}, already imported ${orders.already_imported}"
if exists "order_success.xml" and count `/Company/SalesOrders/SalesOrder` in "order_success.xml" > 0 {
    notify "${site}/zynk/notify" with "order_success.xml" to "order_response.txt"
} else {
    log "no new orders: nothing to notify"
}
if orders.imported == 0 and orders.already_imported > 0 {
    write "${orders.already_imported} seen before" to "duplicates.txt"
}
"#;

#[test]
// With Zynk's strict `duplicates fail`, an order seen before lands in the fail file, so the
// success file is empty and the notify is skipped.
fn a_notify_is_skipped_when_the_success_file_holds_no_order() {
    let project = Project::new();
    let server = TestServer::start(|_| TestResponse::ok("ok"));
    project.write(
        "data/t/download.xml",
        &sample("Customer with Sales Order and Card Payment [DOWNLOAD].xml"),
    );
    let script = project.script(NOTIFY_IF_IMPORTED);
    let site = format!("site={}", server.url("").trim_end_matches('/'));
    let run = || project.zynk(&["run", script.to_str().expect("utf-8"), "--var", &site]);

    let first = run();
    assert_eq!(first.code, 0, "{}{}", first.stdout, first.stderr);
    assert!(
        first
            .stdout
            .contains("log · imported 1, already imported 0"),
        "{}",
        first.stdout
    );
    assert_eq!(server.requests().len(), 1, "{}", first.stdout);
    let body = String::from_utf8_lossy(&server.requests()[0].body).into_owned();
    assert!(body.contains("<SalesOrder>"), "{body}");
    assert!(!project.path("data/t/duplicates.txt").exists());

    let second = run();
    assert_eq!(second.code, 0, "{}{}", second.stdout, second.stderr);
    assert!(
        second
            .stdout
            .contains("log · imported 0, already imported 1"),
        "{}",
        second.stdout
    );
    assert!(
        second.stdout.contains("no new orders: nothing to notify"),
        "{}",
        second.stdout
    );
    assert_eq!(server.requests().len(), 1, "the second run must not notify");
    assert_eq!(
        std::fs::read_to_string(project.path("data/t/duplicates.txt")).expect("duplicates"),
        "1 seen before"
    );
}

#[test]
fn a_fetch_status_and_size_steer_the_run() {
    let project = Project::new();
    let server = TestServer::start(|_| TestResponse::ok("<Company/>"));
    let script = project.script(
        "workflow \"t\"\nparam site = \"http://127.0.0.1:1\"\nfetch \"${site}/zynk/download\" to \"download.xml\" as download\nif download.status == 200 and download.size < 100 {\n    stop \"a small download: ${download.size} bytes\"\n}\nlog \"not reached\"\n",
    );
    let site = format!("site={}", server.url("").trim_end_matches('/'));
    let out = project.zynk(&["run", script.to_str().expect("utf-8"), "--var", &site]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout
            .contains("stop · the run stops here: a small download: 10 bytes"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("not reached"), "{}", out.stdout);
}

#[test]
fn file_conditions_pick_the_branch() {
    let project = Project::new();
    project.write("data/t/big.txt", "0123456789");
    project.write("data/t/empty.txt", "");
    let script = project.script(
        "workflow \"t\"\nparam mode = \"full\"\nif size of \"big.txt\" > 5 and not exists \"missing.txt\" {\n    write \"big\" to \"a.txt\"\n}\nif size of \"empty.txt\" > 0 or mode != \"full\" {\n    write \"wrong\" to \"b.txt\"\n} else if mode == \"full\" {\n    write \"else-if\" to \"b.txt\"\n}\n",
    );
    let out = project.zynk(&["run", script.to_str().expect("utf-8")]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(
        std::fs::read_to_string(project.path("data/t/a.txt")).unwrap_or_default(),
        "big"
    );
    assert_eq!(
        std::fs::read_to_string(project.path("data/t/b.txt")).unwrap_or_default(),
        "else-if"
    );
}

#[test]
fn the_size_of_a_missing_file_fails_the_if() {
    let project = Project::new();
    let script =
        project.script("workflow \"t\"\nif size of \"missing.xml\" > 0 {\n    log \"never\"\n}\n");
    let out = project.zynk(&["run", script.to_str().expect("utf-8")]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("FAILED  if · NotFound"),
        "{}",
        out.stdout
    );
    assert!(
        out.stderr.contains("zynk::run::file_not_found"),
        "{}",
        out.stderr
    );
}
