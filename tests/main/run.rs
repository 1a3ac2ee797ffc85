//! End-to-end runs of scripts against a real HTTP server on 127.0.0.1.
use std::io::Read;
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
        out.stderr.contains("zynk::run::loop_stopped"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("product_export_3.xml"),
        "{}",
        out.stderr
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

fn zip_entries(path: &std::path::Path) -> Vec<(String, String)> {
    let file = std::fs::File::open(path).expect("zip");
    let mut zip = zip::ZipArchive::new(file).expect("valid zip");
    let mut out = Vec::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).expect("entry");
        let mut text = String::new();
        entry.read_to_string(&mut text).expect("read entry");
        out.push((entry.name().expect("entry name").to_string(), text));
    }
    out.sort();
    out
}

#[test]
fn archive_zips_the_working_directory_and_empties_it() {
    let project = Project::new();
    project.write("data/t/download.xml", "<Company/>");
    project.write(
        "data/t/customer_success.xml",
        "<Company><Customers/></Company>",
    );
    project.write("data/t/Stock Export/left.xml", "<chunk/>");
    let server = TestServer::start(|_| TestResponse::ok(""));
    let out = run(
        &project,
        "workflow \"t\"\narchive to \"Archive\"\n",
        &server,
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let workdir = project.workdir(WF);
    assert_eq!(
        names(&workdir),
        vec!["Archive", "Stock Export"],
        "files removed, folders kept"
    );
    let zips = names(&workdir.join("Archive"));
    assert_eq!(zips.len(), 1);
    let name = &zips[0];
    assert!(
        name.len() == "20240131093000_archive.zip".len()
            && name.ends_with("_archive.zip")
            && name[..14].chars().all(|c| c.is_ascii_digit()),
        "{name}"
    );
    let entries = zip_entries(&workdir.join("Archive").join(name));
    assert_eq!(
        entries,
        vec![
            (
                "customer_success.xml".to_string(),
                "<Company><Customers/></Company>".to_string()
            ),
            ("download.xml".to_string(), "<Company/>".to_string()),
        ]
    );
    assert!(
        out.stdout.contains("archive · 2 files → Archive/"),
        "{}",
        out.stdout
    );
}

#[test]
fn archive_of_an_empty_working_directory_writes_nothing() {
    let project = Project::new();
    let server = TestServer::start(|_| TestResponse::ok(""));
    let out = run(&project, "workflow \"t\"\narchive\n", &server);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("no data "), "{}", out.stdout);
    assert!(names(&project.workdir(WF).join("Archive")).is_empty());
}

#[test]
fn archive_housekeeping_keeps_the_newest() {
    let project = Project::new();
    for old in [
        "20200101000000_archive.zip",
        "20210101000000_archive.zip",
        "20220101000000_archive.zip",
    ] {
        project.write(&format!("data/t/Archive/{old}"), "old");
    }
    project.write("data/t/Archive/notes.txt", "not an archive");
    project.write("data/t/run.log", "x");
    let server = TestServer::start(|_| TestResponse::ok(""));
    let out = run(
        &project,
        "workflow \"t\"\narchive keep 2 archives\n",
        &server,
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let left = names(&project.workdir(WF).join("Archive"));
    assert_eq!(left.len(), 3, "{left:?}");
    assert!(left.contains(&"20220101000000_archive.zip".to_string()));
    assert!(left.contains(&"notes.txt".to_string()));
    assert!(!left.contains(&"20210101000000_archive.zip".to_string()));
}

#[test]
fn archive_keep_2_keeps_2_even_when_the_new_name_sorts_first() {
    let project = Project::new();
    // Names that sort after whatever this run writes, as a name reused within one second
    // (after housekeeping freed it) sorts before its `_1`, `_2` siblings.
    for old in [
        "99991231235959_1_archive.zip",
        "99991231235959_2_archive.zip",
    ] {
        project.write(&format!("data/t/Archive/{old}"), "old");
    }
    project.write("data/t/run.log", "x");
    let server = TestServer::start(|_| TestResponse::ok(""));
    let out = run(
        &project,
        "workflow \"t\"\narchive keep 2 archives\n",
        &server,
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let left = names(&project.workdir(WF).join("Archive"));
    assert_eq!(left.len(), 2, "keep 2 means 2: {left:?}");
    assert!(
        left.contains(&"99991231235959_2_archive.zip".to_string()),
        "{left:?}"
    );
    assert!(
        left.iter().any(|n| !n.starts_with("9999")),
        "the new archive stays: {left:?}"
    );
}

#[test]
fn a_statement_marked_or_continue_does_not_stop_the_run() {
    let project = Project::new();
    let server = TestServer::start(|_| TestResponse::ok("x"));
    let out = run(
        &project,
        "workflow \"t\"\nparam site = \"http://127.0.0.1:1\"\ndelete \"missing.xml\" or continue\nfetch \"${site}/a\" to \"a.xml\"\n",
        &server,
    );
    assert_eq!(out.code, 1, "a failure still fails the run: {}", out.stdout);
    assert_eq!(server.requests().len(), 1, "the fetch after it ran");
    assert!(
        out.stdout.contains("FAILED  delete · NotFound, continuing"),
        "{}",
        out.stdout
    );
    assert!(
        out.stderr.contains("zynk::run::file_not_found"),
        "{}",
        out.stderr
    );
}

#[test]
fn delete_of_a_missing_file_is_not_found() {
    let project = Project::new();
    let server = TestServer::start(|_| TestResponse::ok(""));
    let out = run(
        &project,
        "workflow \"t\"\ndelete \"gone.xml\"\narchive\n",
        &server,
    );
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("`gone.xml`") || out.stderr.contains("gone.xml"),
        "{}",
        out.stderr
    );
    assert!(
        !out.stdout.contains("archive ·"),
        "the run stopped: {}",
        out.stdout
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
fn notify_with_a_missing_file_fails_instead_of_posting_its_name() {
    let project = Project::new();
    let server = TestServer::start(|_| TestResponse::ok("ok"));
    let out = run(
        &project,
        "workflow \"t\"\nparam site = \"http://127.0.0.1:1\"\nnotify \"${site}/zynk/notify\" with \"customer_success.xml\"\n",
        &server,
    );
    assert_eq!(out.code, 1);
    assert!(server.requests().is_empty(), "nothing may be posted");
    assert!(
        out.stderr.contains("zynk::run::file_not_found"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.contains("NotFound"), "{}", out.stdout);
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

fn product_export(n: usize) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Company xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n  <Products>\n",
    );
    for i in 1..=n {
        xml.push_str(&format!("    <Product><Sku>ST-{i:04}</Sku><Name>Pen &amp; paper {i}</Name><QtyInStock>{i}</QtyInStock></Product>\n"));
    }
    xml.push_str("  </Products>\n</Company>\n");
    xml
}

#[test]
fn split_cuts_records_into_chunks_and_leaves_the_input() {
    let project = Project::new();
    project.write("data/t/product_export.xml", &product_export(450));
    let server = TestServer::start(|_| TestResponse::ok(""));
    let out = run(
        &project,
        "workflow \"t\"\nsplit \"product_export.xml\" by xpath `/Company/Products/Product` limit 200 into \"Stock Export\"\n",
        &server,
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let dir = project.workdir(WF).join("Stock Export");
    assert_eq!(
        names(&dir),
        vec![
            "product_export_1.xml",
            "product_export_2.xml",
            "product_export_3.xml"
        ]
    );
    let counts: Vec<usize> = (1..=3)
        .map(|i| {
            let text = std::fs::read_to_string(dir.join(format!("product_export_{i}.xml")))
                .expect("chunk");
            assert!(
                text.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Company xmlns:xsi="),
                "{text}"
            );
            text.matches("<Product>").count()
        })
        .collect();
    assert_eq!(counts, vec![200, 200, 50]);
    assert!(
        project.workdir(WF).join("product_export.xml").exists(),
        "the input stays"
    );
    assert!(
        out.stdout
            .contains("450 records → 3 chunks in Stock Export (streamed)"),
        "{}",
        out.stdout
    );
}

#[test]
fn split_with_a_general_xpath_uses_the_tree_and_agrees_with_streaming() {
    let project = Project::new();
    project.write("data/t/product_export.xml", &product_export(30));
    let server = TestServer::start(|_| TestResponse::ok(""));
    let out = run(
        &project,
        "workflow \"t\"\nsplit \"product_export.xml\" by xpath `//Product` limit 7 into \"tree\"\nsplit \"product_export.xml\" by xpath `/Company/Products/Product` limit 7 into \"stream\"\n",
        &server,
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("(tree)") && out.stdout.contains("(streamed)"),
        "{}",
        out.stdout
    );
    let workdir = project.workdir(WF);
    let tree = names(&workdir.join("tree"));
    assert_eq!(tree.len(), 5);
    assert_eq!(tree, names(&workdir.join("stream")));
    for name in tree {
        assert_eq!(
            std::fs::read(workdir.join("tree").join(&name)).expect("tree chunk"),
            std::fs::read(workdir.join("stream").join(&name)).expect("stream chunk"),
            "{name} differs"
        );
    }
}

#[test]
fn split_with_no_matching_record_reports_no_data_and_the_loop_skips() {
    let project = Project::new();
    project.write(
        "data/t/product_export.xml",
        "<Company><Products/></Company>",
    );
    let server = TestServer::start(|_| TestResponse::ok(""));
    let out = run(
        &project,
        &format!(
            "workflow \"t\"\nparam site = \"http://127.0.0.1:1\"\nsplit \"product_export.xml\" by xpath `/Company/Products/Product` into \"Stock Export\"\n{}",
            UPLOAD.replace("workflow \"t\"\nparam site = \"http://127.0.0.1:1\"\n", "")
        ),
        &server,
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("no data split"), "{}", out.stdout);
    assert!(out.stdout.contains("no data foreach"), "{}", out.stdout);
    assert!(names(&project.workdir(WF).join("Stock Export")).is_empty());
}

#[test]
fn split_of_malformed_xml_names_the_position_and_writes_nothing() {
    let project = Project::new();
    project.write("data/t/product_export.xml", "<Company>\n  <Products>\n    <Product><Sku>A</Sku></Product>\n    <Product><Sku>B</Sku></Produkt>\n  </Products>\n</Company>\n");
    let server = TestServer::start(|_| TestResponse::ok(""));
    let out = run(
        &project,
        "workflow \"t\"\nsplit \"product_export.xml\" by xpath `/Company/Products/Product` limit 1 into \"Stock Export\"\n",
        &server,
    );
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("zynk::split::malformed_xml"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("line 4"), "{}", out.stderr);
    assert!(
        names(&project.workdir(WF).join("Stock Export")).is_empty(),
        "no half-written chunk"
    );
}

#[test]
fn run_time_mistakes_point_at_their_statement() {
    let cases: [(&str, &str); 3] = [
        (
            "workflow \"t\"\narchive to \".\"\n",
            "zynk::run::archive_in_workdir",
        ),
        (
            "workflow \"t\"\ndelete \"Stock Export\"\n",
            "zynk::run::is_a_folder",
        ),
        (
            "workflow \"t\"\nnotify \"http://127.0.0.1:1/x\" with \"hi\" auth \"u\" env(\"ZYNK_SURELY_UNSET_VAR\")\n",
            "zynk::run::missing_env",
        ),
    ];
    for (script, code) in cases {
        let project = Project::new();
        project.write("data/t/keep.txt", "kept");
        std::fs::create_dir_all(project.workdir(WF).join("Stock Export")).expect("folder");
        let path = project.script(script);
        let out = project.zynk(&["run", path.to_str().expect("utf-8")]);
        assert_eq!(out.code, 1, "{script}: {}{}", out.stdout, out.stderr);
        assert!(out.stderr.contains(code), "{script}: {}", out.stderr);
        assert!(
            out.stderr.contains("script.zynk:2:"),
            "{script}: {}",
            out.stderr
        );
        assert!(
            project.workdir(WF).join("keep.txt").exists(),
            "{script}: nothing was removed"
        );
        assert!(
            project.workdir(WF).join("Stock Export").is_dir(),
            "{script}: the folder stays"
        );
    }
}

#[test]
fn map_counts_the_orders_read_not_the_records_written_from_them() {
    let project = Project::new();
    project.write(
        "data/t/shop.xml",
        "<orders><order id='1'><c>7</c></order><order id='2'><c>8</c></order><order id='3'><c>9</c></order></orders>",
    );
    let server = TestServer::start(|_| TestResponse::ok(""));
    for (select, mode) in [("/orders/order", "streamed"), ("//order", "tree")] {
        let script = format!(
            "workflow \"t\"\nmap \"shop.xml\" to \"orders.xml\" {{\n    for each `{select}` as \"Customers/Customer\" {{\n        \"Id\" = `c`\n    }}\n    for each `{select}` as \"SalesOrders/SalesOrder\" {{\n        \"Id\" = `@id`\n    }}\n}}\n"
        );
        let out = run(&project, &script, &server);
        assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
        assert!(
            out.stdout.contains(&format!(
                "map · 6 records from 3 → orders.xml ({mode}) [in 3, out 6, failed 0]"
            )),
            "{}",
            out.stdout
        );
    }
}

#[test]
fn foreach_over_the_working_directory_shows_paths_without_dot_steps() {
    let project = Project::new();
    project.write("data/t/a.txt", "a");
    let server = TestServer::start(|_| TestResponse::ok(""));
    let out = run(
        &project,
        "workflow \"t\"\nforeach f in \".\" matching \"*.txt\" {\n    log \"${f}\"\n}\nforeach f in \"./\" matching \"*.txt\" {\n    copy f to \"./out/./\"\n}\n",
        &server,
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let workdir = project.workdir(WF);
    let expected = format!("log · {}", workdir.join("a.txt").display());
    assert!(out.stdout.contains(&expected), "{}", out.stdout);
    assert!(!out.stdout.contains("/./"), "{}", out.stdout);
    assert!(
        out.stdout.contains("foreach · 1 file in . "),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("copy · a.txt → out/a.txt"),
        "{}",
        out.stdout
    );
    assert_eq!(names(&workdir.join("out")), ["a.txt"]);
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

/// A misspelt input after an import: the run stops before the import changed the ledger,
/// and `check --strict` refuses the script with the name it probably meant.
#[test]
fn a_misspelt_input_stops_the_run_before_the_ledger_changes() {
    let project = Project::new();
    project.write(
        "data/t/download.xml",
        "<Company><Customers><Customer><Id>1</Id><CompanyName>Acme</CompanyName></Customer></Customers></Company>",
    );
    let server = TestServer::start(|_| TestResponse::ok("ok"));
    let script = "workflow \"t\"\nparam site = \"http://127.0.0.1:1\"\nimport customers from \"download.xml\" success \"customer_success.xml\" fail \"customer_fail.xml\"\nnotify \"${site}/zynk/notify\" with \"customer_sucess.xml\"\n";
    let out = run(&project, script, &server);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("FAILED  start · NotFound"),
        "{}",
        out.stdout
    );
    assert!(!project.path("data/t/customer_success.xml").exists());
    assert!(
        !project.path("data/ledger.sqlite").exists(),
        "the ledger was not touched"
    );
    assert!(server.requests().is_empty());
    project.write("s.zynk", script);
    let strict = project.zynk(&["check", "--strict", "s.zynk"]);
    assert_eq!(strict.code, 2, "{}", strict.stderr);
    assert!(
        strict
            .stderr
            .contains("did you mean \"customer_success.xml\""),
        "{}",
        strict.stderr
    );
}

/// A map whose record path matches nothing in an input with elements fails and writes
/// nothing; `allow_empty true` accepts it; an input whose root is empty maps to an empty
/// document without the option.
#[test]
fn a_map_that_matches_nothing_fails_unless_empty_is_allowed() {
    let project = Project::new();
    project.write("data/W/shop.xml", "<Orders><Order id=\"1\"/></Orders>");
    project.write("data/W/quiet.xml", "<orders/>");
    let map = |input: &str, option: &str| {
        format!(
            "workflow \"W\"\nmap \"{input}\" to \"orders.xml\"{option} {{\n    for each `/orders/order` as \"SalesOrders/SalesOrder\" {{\n        \"Id\" = `@id`\n    }}\n}}\n"
        )
    };
    project.script(&map("shop.xml", ""));
    let failed = project.zynk(&["run", "script.zynk"]);
    assert_eq!(failed.code, 1, "{}{}", failed.stdout, failed.stderr);
    assert!(
        failed.stderr.contains("zynk::map::nothing_matched"),
        "{}",
        failed.stderr
    );
    assert!(failed.stderr.contains("`<Orders>`"), "{}", failed.stderr);
    assert!(!project.workdir("W").join("orders.xml").exists());

    project.script(&map("shop.xml", " allow_empty true"));
    let allowed = project.zynk(&["run", "script.zynk"]);
    assert_eq!(allowed.code, 0, "{}{}", allowed.stdout, allowed.stderr);
    assert!(allowed.stdout.contains("no data"), "{}", allowed.stdout);

    project.script(&map("quiet.xml", ""));
    let quiet = project.zynk(&["run", "script.zynk"]);
    assert_eq!(quiet.code, 0, "{}{}", quiet.stdout, quiet.stderr);
    assert!(project.workdir("W").join("orders.xml").exists());
}
