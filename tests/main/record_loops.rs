//! `foreach … by xpath` over the records of a download, and `foreach file … modified since last run`.
use std::path::Path;

use crate::harness::{Project, names};
use crate::support::server::{TestResponse, TestServer};

/// The Zynk sample download with its one order repeated under three Ids.
fn download_with_orders(ids: &[u32]) -> String {
    let sample =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(
            "tests/fixtures/connect/Customer with Sales Order and Card Payment [DOWNLOAD].xml",
        ))
        .expect("sample");
    let start = sample.find("<SalesOrder>").expect("an order");
    let end = sample.find("</SalesOrder>").expect("its end") + "</SalesOrder>".len();
    let order = &sample[start..end];
    let id_start = order.find("<Id>").expect("Id") + 4;
    let id_end = order.find("</Id>").expect("Id end");
    let orders: String = ids
        .iter()
        // `xsi` is declared on `<Company>` only: each posted order must carry it.
        .map(|id| {
            format!(
                "\n    {}{id}</Id><Notes xsi:nil=\"true\" />{}",
                &order[..id_start],
                &order[id_end + "</Id>".len()..]
            )
        })
        .collect();
    format!(
        "{}{orders}\n  {}",
        &sample[..start].trim_end(),
        &sample[end..].trim_start()
    )
}

/// 200 when the body is one well-formed `SalesOrder` with an `Id`, 400 otherwise.
fn check_order(body: &[u8]) -> Result<String, String> {
    let text = std::str::from_utf8(body).map_err(|e| e.to_string())?;
    let doc = roxmltree::Document::parse(text).map_err(|e| e.to_string())?;
    let root = doc.root_element();
    if root.tag_name().name() != "SalesOrder" {
        return Err(format!("root is {}", root.tag_name().name()));
    }
    root.children()
        .find(|c| c.has_tag_name("Id"))
        .and_then(|c| c.text())
        .map(str::to_string)
        .ok_or_else(|| "no Id".to_string())
}

const POST_EACH_ORDER: &str = r#"workflow "t"
param site = "http://127.0.0.1:1"
fetch "${site}/zynk/download" to "download.xml"
foreach order in "download.xml" by xpath `/Company/SalesOrders/SalesOrder` {
    notify "${site}/zynk/notify" with order to "responses/${order `Id`}.txt"
    if order `Id` == "1002" {
        write order to "picked/${order `Id`}.xml"
    }
}
"#;

#[test]
fn each_order_of_a_download_is_posted_on_its_own() {
    let download = download_with_orders(&[1001, 1002, 1003]);
    let server = TestServer::start(move |req| match req.path.as_str() {
        "/zynk/download" => TestResponse::ok(download.clone()),
        "/zynk/notify" => match check_order(&req.body) {
            Ok(id) => TestResponse::ok(format!("ok {id}")),
            Err(why) => TestResponse::status(400, why),
        },
        _ => TestResponse::status(404, "no"),
    });
    let project = Project::new();
    let script = project.script(POST_EACH_ORDER);
    let site = format!("site={}", server.url("").trim_end_matches('/'));
    let out = project.zynk(&["run", script.to_str().expect("utf-8"), "--var", &site]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let posts: Vec<String> = server
        .requests()
        .iter()
        .filter(|r| r.path == "/zynk/notify")
        .map(|r| check_order(&r.body).expect("one well-formed SalesOrder"))
        .collect();
    assert_eq!(posts, ["1001", "1002", "1003"]);
    let workdir = project.workdir("t");
    assert_eq!(
        names(&workdir.join("responses")),
        ["1001.txt", "1002.txt", "1003.txt"]
    );
    assert_eq!(
        std::fs::read_to_string(workdir.join("responses/1002.txt")).expect("response"),
        "ok 1002"
    );
    let picked = std::fs::read_to_string(workdir.join("picked/1002.xml")).expect("picked");
    assert_eq!(check_order(picked.as_bytes()), Ok("1002".to_string()));
    assert!(
        out.stdout
            .contains("foreach · 3 records in download.xml [in 3, out 3, failed 0]"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_rejected_order_stops_the_loop_at_that_record() {
    let download = download_with_orders(&[1, 2, 3]);
    let server = TestServer::start(move |req| match req.path.as_str() {
        "/zynk/download" => TestResponse::ok(download.clone()),
        _ if req.body_text().contains("<Id>2</Id>") => TestResponse::status(500, "down"),
        _ => TestResponse::ok("ok"),
    });
    let project = Project::new();
    let script = project.script(POST_EACH_ORDER);
    let site = format!("site={}", server.url("").trim_end_matches('/'));
    let out = project.zynk(&["run", script.to_str().expect("utf-8"), "--var", &site]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("zynk::run::loop_stopped"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("record 2"), "{}", out.stdout);
    assert_eq!(server.requests().len(), 3, "download, order 1, order 2");
}

#[test]
fn a_record_loop_over_malformed_xml_fails_with_the_position() {
    let project = Project::new();
    project.write(
        "data/t/bad.xml",
        "<Company><SalesOrders><SalesOrder><Id>1</Id></SalesOrder><SalesOrder></Company>",
    );
    let script = project.script(
        "workflow \"t\"\nforeach order in \"bad.xml\" by xpath `/Company/SalesOrders/SalesOrder` {\n    log \"order ${order `Id`}\"\n}\n",
    );
    let out = project.zynk(&["run", script.to_str().expect("utf-8")]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stderr.contains("zynk::split::malformed_xml"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("line 1"), "{}", out.stderr);
}

#[test]
fn record_fields_read_the_same_from_plain_and_unusual_records() {
    // The first record is read from its text, the second (a carriage return) and the third
    // (a processing instruction) from a tree: all three give XPath's string value.
    let project = Project::new();
    project.write(
        "data/t/in.xml",
        "<Company xmlns:p=\"urn:p\">\n<R><Id>1</Id><Name>A &amp; B<![CDATA[ <c> ]]></Name></R>\r\n<R><Id>2</Id><Name>C\r\nD</Name></R>\n<R><Id>3</Id><p:Name>E</p:Name><?pi x?></R>\n</Company>",
    );
    let script = project.script(
        "workflow \"t\"\nforeach r in \"in.xml\" by xpath `/Company/R` {\n    log \"name ${r `Name`}|\"\n}\n",
    );
    let out = project.zynk(&["run", script.to_str().expect("utf-8")]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let all = format!("{}{}", out.stdout, out.stderr);
    for expected in ["name A & B <c> |", "name C\nD|", "name E|"] {
        assert!(all.contains(expected), "{expected:?} in {all}");
    }
}

#[test]
fn only_files_modified_since_the_last_run_are_visited() {
    let project = Project::new();
    project.write("data/t/In/a.txt", "a");
    project.write("data/t/In/b.txt", "b");
    let script = project.script(
        "workflow \"t\"\nforeach file in \"In\" matching \"*.txt\" modified since last run {\n    copy file to \"Out/${file.name}\" overwrite\n    log \"saw ${file.name}\"\n}\n",
    );
    let run = || project.zynk(&["run", script.to_str().expect("utf-8")]);
    let first = run();
    assert_eq!(first.code, 0, "{}{}", first.stdout, first.stderr);
    assert!(
        first.stdout.contains("saw a.txt") && first.stdout.contains("saw b.txt"),
        "{}",
        first.stdout
    );
    let second = run();
    assert_eq!(second.code, 0, "{}{}", second.stdout, second.stderr);
    assert!(!second.stdout.contains("saw "), "{}", second.stdout);
    assert!(
        second
            .stdout
            .contains("no files modified since the last run in In"),
        "{}",
        second.stdout
    );
    std::thread::sleep(std::time::Duration::from_millis(20));
    project.write("data/t/In/b.txt", "b2");
    let third = run();
    assert_eq!(third.code, 0, "{}{}", third.stdout, third.stderr);
    assert!(
        third.stdout.contains("saw b.txt") && !third.stdout.contains("saw a.txt"),
        "{}",
        third.stdout
    );
    assert_eq!(
        std::fs::read_to_string(project.path("data/t/Out/b.txt")).expect("copy"),
        "b2"
    );
}
