//! End-to-end runs of scripts against a real HTTP server on 127.0.0.1. Runs that need no
//! server are run fixtures instead (`tests/fixtures/run`, `run_fixtures.rs`); the archive
//! test here stays because its inputs depend on the clock.
use std::time::{Duration, Instant};

use crate::harness::{Project, names};
use crate::support::server::{TestResponse, TestServer};

const WF: &str = "t";

fn run(project: &Project, script: &str, server: &TestServer) -> crate::harness::Outcome {
    let path = project.script(script);
    let site = server.url("");
    let site = format!("site={}", site.trim_end_matches('/'));
    let mut args = vec!["run", path.to_str().expect("utf-8")];
    if script.contains("param site") {
        args.extend(["--var", &site]);
    }
    project.zynk(&args)
}

#[test]
fn fetch_saves_the_response_in_the_working_directory() {
    let project = Project::new();
    let server = TestServer::start(|_| TestResponse::ok("<Company><Customers/></Company>"));
    let out = run(
        &project,
        "workflow \"t\"\nparam site = \"http://127.0.0.1:1\"\nfetch \"${site}/zynk/download\" to \"download.xml\" retries 1\n",
        &server,
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let saved =
        std::fs::read_to_string(project.workdir(WF).join("download.xml")).expect("download.xml");
    assert_eq!(saved, "<Company><Customers/></Company>");
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].method, "GET");
    assert_eq!(requests[0].path, "/zynk/download");
    assert!(
        out.stdout.contains("ok      fetch · GET "),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("→ download.xml (200, 31 B)"),
        "{}",
        out.stdout
    );
}

const UPLOAD: &str = r#"workflow "t"
param site = "http://127.0.0.1:1"
foreach file in "Stock Export" matching "*.xml" {
    notify "${site}/zynk/upload" with file to "${file.stem}_response.txt"
    delete file
}
"#;

fn chunks(project: &Project, n: usize) {
    for i in 1..=n {
        project.write(
            &format!("data/t/Stock Export/product_export_{i}.xml"),
            &format!("<Company><Products><Product><Sku>P{i}</Sku></Product></Products></Company>"),
        );
    }
    project.write("data/t/Stock Export/notes.txt", "not matched");
}

#[test]
fn foreach_posts_each_file_in_order_and_deletes_it() {
    let project = Project::new();
    chunks(&project, 5);
    let server = TestServer::start(|r| TestResponse::ok(format!("stored {} bytes", r.body.len())));
    let out = run(&project, UPLOAD, &server);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let requests = server.requests();
    assert_eq!(requests.len(), 5);
    for (i, r) in requests.iter().enumerate() {
        assert_eq!(r.method, "POST");
        assert_eq!(r.path, "/zynk/upload");
        assert_eq!(
            r.body_text(),
            format!(
                "<Company><Products><Product><Sku>P{}</Sku></Product></Products></Company>",
                i + 1
            )
        );
        assert_eq!(r.header("content-type"), Some("text/xml; charset=utf-8"));
    }
    let workdir = project.workdir(WF);
    assert_eq!(names(&workdir.join("Stock Export")), vec!["notes.txt"]);
    for i in 1..=5 {
        let response =
            std::fs::read_to_string(workdir.join(format!("product_export_{i}_response.txt")))
                .expect("response");
        assert!(response.starts_with("stored "), "{response}");
    }
    assert!(
        out.stdout
            .contains("foreach · 5 files in Stock Export [in 5, out 5, failed 0]"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_500_on_the_third_file_stops_the_run_and_keeps_the_rest() {
    let project = Project::new();
    chunks(&project, 5);
    let server = TestServer::sequence(vec![
        TestResponse::ok("ok 1"),
        TestResponse::ok("ok 2"),
        TestResponse::status(
            500,
            "Fatal error: stock table locked\nat upload.php line 12",
        ),
        TestResponse::ok("ok 4"),
    ]);
    let out = run(&project, &format!("{UPLOAD}archive\n"), &server);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert_eq!(
        server.requests().len(),
        3,
        "the run must stop at the failing upload"
    );
    let left = names(&project.workdir(WF).join("Stock Export"));
    assert_eq!(
        left,
        vec![
            "notes.txt",
            "product_export_3.xml",
            "product_export_4.xml",
            "product_export_5.xml"
        ]
    );
    assert!(out.stderr.contains("zynk::http::status"), "{}", out.stderr);
    assert!(out.stderr.contains("500"), "{}", out.stderr);
    assert!(
        out.stderr.contains("stock table locked"),
        "body head missing: {}",
        out.stderr
    );
    assert!(
        out.stderr.contains("script.zynk:4:"),
        "no script position: {}",
        out.stderr
    );
    assert!(
        out.stdout.contains("zynk::run::loop_stopped"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("product_export_3.xml"),
        "{}",
        out.stdout
    );
    // The body of the failed response is kept for diagnosis, and archive never ran.
    let failed = std::fs::read_to_string(project.workdir(WF).join("product_export_3_response.txt"))
        .expect("saved");
    assert!(failed.contains("stock table locked"));
    assert!(!project.workdir(WF).join("Archive").exists());
    assert!(out.stdout.contains("run failed"), "{}", out.stdout);
}

#[test]
fn a_slow_server_hits_the_timeout() {
    let project = Project::new();
    let server = TestServer::start(|_| TestResponse::ok("late").delay(Duration::from_secs(10)));
    let started = Instant::now();
    let out = run(
        &project,
        "workflow \"t\"\nparam site = \"http://127.0.0.1:1\"\nfetch \"${site}/zynk/download\" to \"download.xml\" timeout 1s retries 0\n",
        &server,
    );
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        started.elapsed() < Duration::from_secs(6),
        "took {:?}",
        started.elapsed()
    );
    assert!(out.stderr.contains("zynk::http::timeout"), "{}", out.stderr);
    assert!(
        !project.workdir(WF).join("download.xml").exists(),
        "no half-written output"
    );
}

#[test]
fn retries_recover_from_a_server_that_fails_twice() {
    let project = Project::new();
    let server = TestServer::sequence(vec![
        TestResponse::status(503, "busy"),
        TestResponse::status(503, "busy"),
        TestResponse::ok("<Company/>"),
    ]);
    let out = run(
        &project,
        "workflow \"t\"\nparam site = \"http://127.0.0.1:1\"\nfetch \"${site}/zynk/download\" to \"download.xml\" retries 2 retry_wait 50ms\n",
        &server,
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(server.requests().len(), 3);
    assert_eq!(
        std::fs::read_to_string(project.workdir(WF).join("download.xml")).expect("saved"),
        "<Company/>"
    );
    assert!(out.stdout.contains("3 attempts"), "{}", out.stdout);
}

#[test]
fn redirects_are_not_followed() {
    let project = Project::new();
    let server = TestServer::start(|_| {
        TestResponse::status(302, "").header("Location", "https://shop.example/new")
    });
    let out = run(
        &project,
        "workflow \"t\"\nparam site = \"http://127.0.0.1:1\"\nfetch \"${site}/zynk/download\" to \"download.xml\"\n",
        &server,
    );
    assert_eq!(out.code, 1);
    assert_eq!(server.requests().len(), 1);
    assert!(
        out.stderr.contains("zynk::http::redirect"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("https://shop.example/new"),
        "{}",
        out.stderr
    );
}

#[test]
fn json_log_format_gives_one_event_per_line() {
    let project = Project::new();
    let server = TestServer::start(|_| TestResponse::ok("x"));
    let path = project.script(
        "workflow \"t\"\nparam site = \"http://127.0.0.1:1\"\nfetch \"${site}/a\" to \"a.xml\"\n",
    );
    let site = server.url("");
    let out = project.zynk(&[
        "run",
        path.to_str().expect("utf-8"),
        "--var",
        &format!("site={}", site.trim_end_matches('/')),
        "--log-format",
        "json",
    ]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let events: Vec<serde_json::Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(events.len(), 3);
    assert_eq!(events[0]["event"], "run_started");
    assert_eq!(events[1]["statement"], "fetch");
    assert_eq!(events[1]["status"], "ok");
    assert_eq!(events[1]["line"], 3);
    assert_eq!(events[2]["status"], "succeeded");
    assert!(
        events
            .iter()
            .all(|e| e["run_id"].is_i64() && e["ts"].is_string())
    );
}

#[test]
fn secrets_from_env_are_sent_but_never_printed() {
    let project = Project::new();
    let server = TestServer::start(|_| TestResponse::ok("x"));
    let script = "workflow \"t\"\nparam site = \"http://127.0.0.1:1\"\nfetch \"${site}/a?key=${env(\"ZYNK_TEST_KEY\")}\" to \"a.xml\"\n";
    let path = project.script(script);
    let site = server.url("");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_zynk"))
        .args([
            "run",
            path.to_str().expect("utf-8"),
            "--var",
            &format!("site={}", site.trim_end_matches('/')),
        ])
        .env("ZYNK_TEST_KEY", "s3cr3t-value")
        .env("NO_COLOR", "1")
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    assert_eq!(server.requests()[0].path, "/a?key=s3cr3t-value");
    assert!(!stdout.contains("s3cr3t"), "{stdout}");
    assert!(stdout.contains("key=***"), "{stdout}");
}

#[test]
fn http_statement_sends_method_headers_auth_and_body() {
    let project = Project::new();
    project.write("data/t/stock.xml", "<Company><Products/></Company>");
    let server = TestServer::start(|_| TestResponse::ok("done"));
    let out = run(
        &project,
        "workflow \"t\"\nparam site = \"http://127.0.0.1:1\"\nhttp PUT \"${site}/api/stock\" with \"stock.xml\" to \"put.txt\"\n    header \"X-Shop\" \"demo\"\n    auth \"zynk\" \"pa55\"\n    user_agent \"zynk-test\"\n",
        &server,
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let r = &server.requests()[0];
    assert_eq!(r.method, "PUT");
    assert_eq!(r.header("x-shop"), Some("demo"));
    assert_eq!(r.header("user-agent"), Some("zynk-test"));
    assert_eq!(r.header("authorization"), Some("Basic enluazpwYTU1"));
    assert_eq!(r.body_text(), "<Company><Products/></Company>");
    assert!(!out.stdout.contains("pa55"), "{}", out.stdout);
}

#[test]
fn notify_sends_text_and_form_values() {
    let project = Project::new();
    let server = TestServer::start(|_| TestResponse::ok("ok"));
    let out = run(
        &project,
        "workflow \"t\"\nparam site = \"http://127.0.0.1:1\"\nnotify \"${site}/ping\" with \"run finished\"\nnotify \"${site}/form\" form \"status\" \"done\" form \"count\" 3\n",
        &server,
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let requests = server.requests();
    assert_eq!(requests[0].body_text(), "run finished");
    assert_eq!(
        requests[0].header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    assert_eq!(requests[1].body_text(), "status=done&count=3");
    assert_eq!(
        requests[1].header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
}

#[test]
fn archive_names_do_not_collide() {
    let project = Project::new();
    // Occupy the names of the next few seconds so the new archive must take a suffix.
    let now = jiff::Zoned::now();
    let mut taken = Vec::new();
    for s in 0..5 {
        let at = now
            .checked_add(jiff::SignedDuration::from_secs(s))
            .expect("time");
        let name = format!("{}_archive.zip", at.strftime("%Y%m%d%H%M%S"));
        project.write(&format!("data/t/Archive/{name}"), "older");
        taken.push(name);
    }
    project.write("data/t/a.txt", "a");
    let server = TestServer::start(|_| TestResponse::ok(""));
    let out = run(&project, "workflow \"t\"\narchive\n", &server);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let zips = names(&project.workdir(WF).join("Archive"));
    assert_eq!(zips.len(), 6, "{zips:?}");
    let new: Vec<&String> = zips.iter().filter(|z| !taken.contains(z)).collect();
    assert!(new[0].ends_with("_1_archive.zip"), "{new:?}");
    for old in &taken {
        let text =
            std::fs::read_to_string(project.workdir(WF).join("Archive").join(old)).expect("old");
        assert_eq!(text, "older", "an existing archive was overwritten");
    }
}

#[test]
fn notify_with_sends_a_file_text_or_fails_on_a_missing_file_name() {
    let project = Project::new();
    project.write("data/t/order.xml", "<Order/>");
    let server = TestServer::start(|_| TestResponse::ok("ok"));
    let out = run(
        &project,
        "workflow \"t\"\nparam site = \"http://127.0.0.1:1\"\nnotify \"${site}/a\" with \"total=12.50\"\nnotify \"${site}/b\" with \"order.xml\"\n",
        &server,
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].body_text(), "total=12.50");
    assert_eq!(requests[1].body_text(), "<Order/>");
    assert!(out.stdout.contains("11 bytes of text"), "{}", out.stdout);
    // A missing file name is never sent as text; the run stops before its first statement.
    let out = run(
        &project,
        "workflow \"t\"\nparam site = \"http://127.0.0.1:1\"\nnotify \"${site}/a\" with \"total=12.50\"\nnotify \"${site}/c\" with \"missing.xml\"\n",
        &server,
    );
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert_eq!(server.requests().len(), 2, "nothing more was sent");
    assert!(
        out.stdout.contains("FAILED  start · NotFound"),
        "{}",
        out.stdout
    );
    assert!(
        out.stderr.contains("zynk::run::file_not_found"),
        "{}",
        out.stderr
    );
}
