//! What a good answer is: `expect`, `expect_text` and `fail_on` from the CLI, and the XML check
//! a `fetch` gets when a later import reads its file (issue: failures hidden in a 200).
use crate::http::cli::Project;
use crate::http::support::server::{TestResponse, TestServer};

/// What Zynk's PHP website scripts print when their database refuses them: `die()`, status 200.
const DIE: &str =
    "Could not connect: Access denied for user 'shop'@'localhost' (using password: YES)";

/// The rendered diagnostics, with the server's port made stable.
fn stable(text: &str, server: &TestServer) -> String {
    text.replace(&server.addr().port().to_string(), "PORT")
}

#[test]
fn a_notify_answered_200_with_a_die_message_fails_when_the_script_says_what_a_good_answer_is() {
    let server = TestServer::start(|_| TestResponse::ok(DIE));
    let project = Project::new();
    let url = server.url("/zynk/notify.php");

    let run = project.run(
        &format!(
            "notify \"{url}\" with \"<Ids/>\" to \"notify_response.txt\" fail_on \"^Could not\"\n"
        ),
        &[],
    );

    assert_eq!(run.code, 1, "{}", run.printed());
    assert!(run.stdout.contains("FAILED  notify"), "{}", run.stdout);
    assert!(run.stdout.contains("run failed"), "{}", run.stdout);
    insta::assert_snapshot!(stable(&run.stderr, &server));
    // The rejected answer does not replace the response file.
    assert!(!project.workdir().join("notify_response.txt").exists());
    assert_eq!(
        server.requests().len(),
        1,
        "an answer that breaks a rule is not retried"
    );
}

#[test]
fn without_a_rule_the_same_answer_still_succeeds_as_in_zynk() {
    let server = TestServer::start(|_| TestResponse::ok(DIE));
    let project = Project::new();
    let url = server.url("/zynk/notify.php");

    let run = project.run(&format!("notify \"{url}\" with \"<Ids/>\"\n"), &[]);

    assert_eq!(run.code, 0, "{}", run.printed());
}

#[test]
fn expect_empty_and_expect_text_judge_the_body() {
    let server = TestServer::start(|r| match r.path.as_str() {
        "/empty" => TestResponse::ok("\r\n"),
        "/ok" => TestResponse::ok("status: OK"),
        _ => TestResponse::ok(DIE),
    });
    let project = Project::new();
    let good = project.run(
        &format!(
            "notify \"{}\" with \"x\" expect empty\nnotify \"{}\" with \"x\" expect_text \"OK\"\n",
            server.url("/empty"),
            server.url("/ok")
        ),
        &[],
    );
    assert_eq!(good.code, 0, "{}", good.printed());

    let not_empty = project.run(
        &format!(
            "notify \"{}\" with \"x\" expect empty\n",
            server.url("/die")
        ),
        &[],
    );
    assert_eq!(not_empty.code, 1, "{}", not_empty.printed());
    assert!(
        not_empty
            .said()
            .contains("breaks `expect empty`: it is not empty"),
        "{}",
        not_empty.stderr
    );
    assert!(not_empty.said().contains(DIE), "{}", not_empty.stderr);

    let no_text = project.run(
        &format!(
            "http POST \"{}\" with \"x\" expect_text \"OK\"\n",
            server.url("/die")
        ),
        &[],
    );
    assert_eq!(no_text.code, 1, "{}", no_text.printed());
    assert!(
        no_text
            .said()
            .contains("breaks `expect_text \"OK\"`: it does not contain \"OK\""),
        "{}",
        no_text.stderr
    );
}

#[test]
fn a_fetch_whose_file_is_imported_later_must_get_xml_and_an_html_page_fails_at_the_fetch() {
    let page = "<!DOCTYPE html>\n<html><head><title>Error</title></head>\n<body><p>Database error<br></body></html>\n";
    let server =
        TestServer::start(move |_| TestResponse::ok(page).header("Content-Type", "text/html"));
    let project = Project::new();
    let url = server.url("/zynk/download.php");
    std::fs::create_dir_all(project.workdir()).expect("the working directory");
    std::fs::write(project.workdir().join("download.xml"), "<Company/>").expect("an old download");

    let run = project.run(
        &format!(
            "fetch \"{url}\" to \"download.xml\"\nimport customers from \"download.xml\" success \"ok.xml\" fail \"bad.xml\"\n"
        ),
        &[],
    );

    assert_eq!(run.code, 1, "{}", run.printed());
    assert!(run.stdout.contains("FAILED  fetch"), "{}", run.stdout);
    assert!(
        !run.stdout.contains("import customers"),
        "the import never ran: {}",
        run.stdout
    );
    insta::assert_snapshot!(stable(&run.stderr, &server));
    assert_eq!(
        std::fs::read_to_string(project.workdir().join("download.xml")).expect("the old download"),
        "<Company/>",
        "the error page does not replace the last good download"
    );
    let left: Vec<_> = std::fs::read_dir(project.workdir())
        .expect("the working directory")
        .map(|e| e.expect("an entry").file_name())
        .collect();
    assert_eq!(left.len(), 1, "no temporary file is left: {left:?}");
}

#[test]
fn the_implied_xml_check_lets_connect_xml_through_and_expect_any_turns_it_off() {
    let server = TestServer::start(|r| match r.path.as_str() {
        "/xml" => TestResponse::ok(
            "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<Company><Customers/></Company>\n",
        ),
        _ => TestResponse::ok("not xml at all"),
    });
    let project = Project::new();
    let xml = project.run(
        &format!(
            "fetch \"{}\" to \"a.xml\"\nimport customers from \"./a.xml\" success \"ok.xml\" fail \"bad.xml\"\n",
            server.url("/xml")
        ),
        &[],
    );
    assert!(xml.stdout.contains("ok      fetch"), "{}", xml.printed());

    let any = project.run(
        &format!(
            "fetch \"{}\" to \"b.xml\" expect any\nimport customers from \"b.xml\" success \"ok.xml\" fail \"bad.xml\"\n",
            server.url("/text")
        ),
        &[],
    );
    assert!(any.stdout.contains("ok      fetch"), "{}", any.printed());
    assert!(
        any.stdout.contains("FAILED  import customers"),
        "{}",
        any.printed()
    );
}

#[test]
fn a_fail_on_that_is_not_a_regular_expression_is_a_check_error() {
    let project = Project::new();
    let run = project.run(
        "notify \"http://127.0.0.1:9/n\" with \"x\" fail_on \"(unclosed\"\n",
        &[],
    );
    assert_eq!(run.code, 2, "{}", run.printed());
    insta::assert_snapshot!(run.stderr);
}

/// The seed workflow's first steps against the demo shop speaking like a legacy PHP script:
/// the download in a legacy encoding (which the implied XML check must accept) and errors
/// answered as `200` + `die()` text.
fn legacy_run(
    encoding: zynk::demo::LegacyEncoding,
    fail_notify: bool,
    rule: &str,
) -> crate::http::cli::Run {
    let project = Project::new();
    let legacy = zynk::demo::Legacy {
        encoding: Some(encoding),
        errors_as_200: true,
        wrong_declaration: false,
    };
    let shop = zynk::demo::Shop::start_legacy(
        &project.dir.path().join("shop.sqlite"),
        "127.0.0.1:0",
        1,
        legacy,
    )
    .expect("the demo shop");
    if fail_notify {
        shop.fail_notify(1);
    }
    let site = shop.url();
    project.run(
        &format!(
            "fetch \"{site}/zynk/download\" to \"download.xml\"\n\
             import customers from \"download.xml\" success \"customer_success.xml\" fail \"customer_fail.xml\"\n\
             notify \"{site}/zynk/notify\" with \"customer_success.xml\" to \"customer_success_response.txt\" {rule}\n"
        ),
        &[],
    )
}

#[test]
fn the_demo_shop_as_a_legacy_script_hides_a_failed_notify_in_a_200_unless_a_rule_catches_it() {
    use zynk::demo::LegacyEncoding;
    for encoding in [
        LegacyEncoding::Latin1,
        LegacyEncoding::Windows1252,
        LegacyEncoding::Utf16,
    ] {
        let caught = legacy_run(encoding, true, "fail_on \"^Could not\"");
        assert_eq!(caught.code, 1, "{encoding:?}: {}", caught.printed());
        assert!(
            caught.stdout.contains("ok      fetch"),
            "{encoding:?}: {}",
            caught.printed()
        );
        assert!(
            caught.stdout.contains("FAILED  notify"),
            "{encoding:?}: {}",
            caught.stdout
        );
        assert!(
            caught.said().contains(zynk::demo::DIE_TEXT),
            "{}",
            caught.stderr
        );
    }

    let hidden = legacy_run(LegacyEncoding::Latin1, true, "");
    assert_eq!(
        hidden.code,
        0,
        "without a rule the 200 passes: {}",
        hidden.printed()
    );

    let healthy = legacy_run(LegacyEncoding::Latin1, false, "fail_on \"^Could not\"");
    assert_eq!(healthy.code, 0, "{}", healthy.printed());
}
