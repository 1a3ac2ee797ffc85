//! The HTTP client against a real loopback server: bodies, headers, statuses, retries, timeouts.
use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::http::support::server::{RecordedRequest, TestResponse, TestServer, dead_url};
use zynk::http::{Body, Client, FailureKind, HttpError, Method, Request};

fn client() -> Client {
    Client::new().expect("an HTTP client")
}

/// A request that gives up quickly, so failing tests stay fast.
fn request(method: Method, url: String) -> Request {
    let mut req = Request::new(method, url);
    req.timeout = Duration::from_secs(5);
    req.retries = 0;
    req.retry_wait = Duration::from_millis(10);
    req
}

fn only_request(server: &TestServer) -> RecordedRequest {
    let mut requests = server.requests();
    assert_eq!(requests.len(), 1, "{requests:#?}");
    requests.remove(0)
}

/// Names of the entries in a folder, sorted.
fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("read the folder")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

#[test]
fn get_saves_the_body_to_the_output_file_creating_folders() {
    let server =
        TestServer::start(|_| TestResponse::ok("<Company/>").header("Content-Type", "text/xml"));
    let dir = tempfile::tempdir().expect("a temp dir");
    let out = dir.path().join("in/download.xml");
    let req = request(Method::Get, server.url("/zynk/download?since=1"));

    let response = client().execute(&req, Some(&out)).expect("a download");

    assert_eq!(fs::read_to_string(&out).expect("the output"), "<Company/>");
    assert_eq!(response.status, 200);
    assert_eq!(response.bytes, 10);
    assert_eq!(response.attempts, 1);
    assert_eq!(response.content_type.as_deref(), Some("text/xml"));
    assert_eq!(entries(&dir.path().join("in")), ["download.xml"]);
    let seen = only_request(&server);
    assert_eq!(
        (seen.method.as_str(), seen.path.as_str()),
        ("GET", "/zynk/download?since=1")
    );
    assert!(seen.body.is_empty());
}

#[test]
fn an_empty_body_still_creates_an_empty_file() {
    let server = TestServer::start(|_| TestResponse::status(204, ""));
    let dir = tempfile::tempdir().expect("a temp dir");
    let out = dir.path().join("empty.txt");
    fs::write(&out, "old").expect("an old output");

    let response = client()
        .execute(&request(Method::Get, server.url("/")), Some(&out))
        .expect("a 204");

    assert_eq!(response.bytes, 0);
    assert_eq!(fs::read(&out).expect("the output"), b"");
}

#[test]
fn a_file_body_arrives_byte_identical_with_a_length() {
    let server = TestServer::start(|_| TestResponse::ok("thanks"));
    let dir = tempfile::tempdir().expect("a temp dir");
    let binary: Vec<u8> = (0..=255u8).cycle().take(100_000).collect();
    let bin_path = dir.path().join("data.bin");
    fs::write(&bin_path, &binary).expect("a binary file");
    let xml = "\u{feff}\r\n<?xml version=\"1.0\"?><Company><Customers/></Company>";
    let xml_path = dir.path().join("customer_success.xml");
    fs::write(&xml_path, xml).expect("an XML file");
    let client = client();

    for path in [&bin_path, &xml_path] {
        let mut req = request(Method::Post, server.url("/zynk/notify"));
        req.body = Body::File(path.clone());
        client.execute(&req, None).expect("an upload");
    }

    let seen = server.requests();
    assert_eq!(seen[0].body, binary);
    assert_eq!(
        seen[0].header("content-type"),
        Some("application/octet-stream")
    );
    assert_eq!(seen[0].header("content-length"), Some("100000"));
    assert_eq!(seen[0].header("transfer-encoding"), None);
    assert_eq!(seen[1].body, xml.as_bytes());
    assert_eq!(
        seen[1].header("content-type"),
        Some("text/xml; charset=utf-8")
    );
}

#[test]
fn a_missing_input_file_is_not_found_and_nothing_is_sent() {
    let server = TestServer::start(|_| TestResponse::ok(""));
    let mut req = request(Method::Post, server.url("/zynk/notify"));
    req.body = Body::File("no/such/file.xml".into());

    let err = client().execute(&req, None).expect_err("a missing file");

    assert!(matches!(err, HttpError::InputMissing { .. }), "{err:?}");
    assert_eq!(err.kind(), FailureKind::NotFound);
    assert!(err.to_string().contains("no/such/file.xml"), "{err}");
    assert!(server.requests().is_empty());
}

#[test]
fn text_bodies_are_plain_text_or_xml() {
    let server = TestServer::start(|_| TestResponse::ok(""));
    let client = client();
    for text in ["Öre 1", "  <Company/>"] {
        let mut req = request(Method::Put, server.url("/t"));
        req.body = Body::Text(text.to_string());
        client.execute(&req, None).expect("a PUT");
    }
    let seen = server.requests();
    assert_eq!(seen[0].body_text(), "Öre 1");
    assert_eq!(
        seen[0].header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    assert_eq!(seen[1].body_text(), "  <Company/>");
    assert_eq!(
        seen[1].header("content-type"),
        Some("text/xml; charset=utf-8")
    );
}

#[test]
fn form_bodies_are_url_encoded() {
    let server = TestServer::start(|_| TestResponse::ok(""));
    let mut req = request(Method::Post, server.url("/form"));
    req.body = Body::Form(vec![
        ("name".into(), "Jo Bloggs".into()),
        ("note".into(), "a&b=c".into()),
    ]);

    client().execute(&req, None).expect("a form post");

    let seen = only_request(&server);
    assert_eq!(seen.body_text(), "name=Jo+Bloggs&note=a%26b%3Dc");
    assert_eq!(
        seen.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
}

#[test]
fn get_and_head_send_no_body() {
    let server = TestServer::start(|_| TestResponse::ok("body"));
    let client = client();
    for method in [Method::Get, Method::Head] {
        let mut req = request(method, server.url("/"));
        req.body = Body::Text("ignored".into());
        let response = client.execute(&req, None).expect("an answer");
        assert_eq!(response.bytes, if method == Method::Head { 0 } else { 4 });
    }
    for seen in server.requests() {
        assert!(seen.body.is_empty(), "{seen:?}");
        assert_eq!(seen.header("content-type"), None);
    }
}

#[test]
fn custom_headers_are_sent_and_override_the_defaults() {
    let server = TestServer::start(|_| TestResponse::ok(""));
    let mut req = request(Method::Post, server.url("/soap"));
    req.body = Body::Text("<Envelope/>".into());
    req.headers = vec![
        ("SOAPAction".into(), "urn:Import".into()),
        ("content-TYPE".into(), "application/soap+xml".into()),
        ("X-Multi".into(), "1".into()),
        ("X-Multi".into(), "2".into()),
    ];

    client().execute(&req, None).expect("a post");

    let seen = only_request(&server);
    assert_eq!(seen.header("soapaction"), Some("urn:Import"));
    assert_eq!(seen.header_all("content-type"), ["application/soap+xml"]);
    assert_eq!(seen.header_all("x-multi"), ["1", "2"]);
}

#[test]
fn the_user_agent_defaults_to_zynks_and_can_be_changed() {
    let server = TestServer::start(|_| TestResponse::ok(""));
    let client = client();
    let mut req = request(Method::Get, server.url("/"));
    client.execute(&req, None).expect("a get");
    req.user_agent = "Internetware/Zynk".into();
    client.execute(&req, None).expect("a get");

    let seen = server.requests();
    assert_eq!(seen[0].header("user-agent"), Some("Zynk Software Ltd/Zynk"));
    assert_eq!(seen[1].header("user-agent"), Some("Internetware/Zynk"));
}

#[test]
fn basic_auth_is_sent_as_an_authorization_header() {
    let server = TestServer::start(|_| TestResponse::ok(""));
    let mut req = request(Method::Get, server.url("/"));
    req.basic_auth = Some(("user".into(), "secret".into()));

    client().execute(&req, None).expect("a get");

    let seen = only_request(&server);
    assert_eq!(seen.header_all("authorization"), ["Basic dXNlcjpzZWNyZXQ="]);
}

#[test]
fn credentials_in_the_url_become_basic_auth_unless_basic_auth_is_given() {
    let server = TestServer::start(|_| TestResponse::ok(""));
    let url = server.url("/").replace("http://", "http://user:secret@");
    let client = client();
    client
        .execute(&request(Method::Get, url.clone()), None)
        .expect("a get");
    let mut req = request(Method::Get, url);
    req.basic_auth = Some(("other".into(), "pw".into()));
    client.execute(&req, None).expect("a get");

    let seen = server.requests();
    assert_eq!(
        seen[0].header_all("authorization"),
        ["Basic dXNlcjpzZWNyZXQ="]
    );
    assert_eq!(seen[1].header_all("authorization"), ["Basic b3RoZXI6cHc="]);
}

#[test]
fn one_client_reuses_one_connection() {
    let server = TestServer::start(|_| TestResponse::ok("ok"));
    let client = client();
    for _ in 0..3 {
        client
            .execute(&request(Method::Get, server.url("/")), None)
            .expect("a get");
    }
    let connections: Vec<u64> = server.requests().iter().map(|r| r.connection).collect();
    assert_eq!(connections, [0, 0, 0]);
}

#[test]
fn a_500_is_a_status_error_quoting_the_body_which_is_still_saved() {
    let page: String = (1..=30).map(|i| format!("error line {i}\n")).collect();
    let reply = page.clone();
    let server = TestServer::start(move |_| TestResponse::status(500, reply.clone()));
    let dir = tempfile::tempdir().expect("a temp dir");
    let out = dir.path().join("response.txt");
    let mut req = request(Method::Post, server.url("/zynk/notify"));
    req.retries = 2;

    let err = client().execute(&req, Some(&out)).expect_err("a 500");

    let HttpError::Status {
        status,
        reason,
        body_head,
        saved_to,
        attempts,
        ..
    } = &err
    else {
        panic!("not a status error: {err:?}");
    };
    assert_eq!(
        (*status, reason.as_str(), *attempts),
        (500, "Internal Server Error", 1)
    );
    assert!(body_head.starts_with("error line 1\n"), "{body_head}");
    assert!(body_head.ends_with("error line 10"), "{body_head}");
    assert_eq!(saved_to.as_deref(), Some(out.as_path()));
    assert_eq!(fs::read_to_string(&out).expect("the saved body"), page);
    assert_eq!(err.kind(), FailureKind::Fail);
    assert_eq!(server.requests().len(), 1, "a completed 500 is not retried");
    let message = err.to_string();
    assert!(message.contains("500 Internal Server Error"), "{message}");
    assert!(message.contains(&server.url("/zynk/notify")), "{message}");
    let help = miette::Diagnostic::help(&err).expect("a help").to_string();
    assert!(help.contains("error line 3"), "{help}");
    let code = miette::Diagnostic::code(&err).expect("a code").to_string();
    assert_eq!(code, "zynk::http::status");
}

#[test]
fn statuses_map_to_zynk_failure_kinds() {
    let server = TestServer::start(|req| {
        let code = req.path.trim_start_matches('/').parse().unwrap_or(500);
        TestResponse::status(code, "")
    });
    let client = client();
    let cases = [
        (404, FailureKind::NotFound),
        (401, FailureKind::NotAuthorised),
        (403, FailureKind::NotAuthorised),
        (400, FailureKind::Fail),
        (502, FailureKind::Fail),
    ];
    for (code, kind) in cases {
        let req = request(Method::Get, server.url(&code.to_string()));
        let err = client.execute(&req, None).expect_err("a failure status");
        assert!(
            matches!(err, HttpError::Status { status, .. } if status == code),
            "{err:?}"
        );
        assert_eq!(err.kind(), kind, "{code}");
    }
}

#[test]
fn a_redirect_is_an_error_naming_the_location_and_is_not_followed() {
    let server = TestServer::start(|req| match req.path.as_str() {
        "/old" => TestResponse::status(302, "moved").header("Location", "/new/download"),
        _ => TestResponse::ok("followed"),
    });
    let req = request(Method::Get, server.url("/old"));

    let err = client().execute(&req, None).expect_err("a redirect");

    let new_url = server.url("/new/download");
    assert!(
        matches!(&err, HttpError::Redirect { status: 302, location: Some(l), .. } if *l == new_url),
        "{err:?}"
    );
    assert_eq!(err.kind(), FailureKind::Fail);
    assert!(err.to_string().contains(&new_url), "{err}");
    let help = miette::Diagnostic::help(&err).expect("a help").to_string();
    assert!(help.contains(&new_url), "{help}");
    assert_eq!(server.requests().len(), 1, "the redirect was followed");
}

#[test]
fn a_slow_server_times_out() {
    let server = TestServer::start(|_| TestResponse::ok("late").delay(Duration::from_secs(10)));
    let mut req = request(Method::Get, server.url("/slow"));
    req.timeout = Duration::from_secs(1);

    let started = Instant::now();
    let err = client().execute(&req, None).expect_err("a timeout");
    let took = started.elapsed();

    assert!(
        matches!(err, HttpError::Timeout { attempts: 1, .. }),
        "{err:?}"
    );
    assert!(took >= Duration::from_millis(900), "{took:?}");
    assert!(took < Duration::from_secs(4), "{took:?}");
    assert!(err.to_string().contains("1 s timeout"), "{err}");
}

#[test]
fn a_body_that_stalls_times_out_within_the_whole_request_limit() {
    // Headers promise 100 bytes, only 5 arrive, and the connection stays open.
    let server = TestServer::start(|_| TestResponse::ok("short").header("Content-Length", "100"));
    let dir = tempfile::tempdir().expect("a temp dir");
    let mut req = request(Method::Get, server.url("/stall"));
    req.timeout = Duration::from_secs(1);

    let started = Instant::now();
    let err = client()
        .execute(&req, Some(&dir.path().join("out.xml")))
        .expect_err("a timeout");

    assert!(matches!(err, HttpError::Timeout { .. }), "{err:?}");
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
    assert!(entries(dir.path()).is_empty(), "{:?}", entries(dir.path()));
}

#[test]
fn two_503s_then_success_recovers_with_two_retries() {
    let server = TestServer::sequence(vec![
        TestResponse::status(503, "busy"),
        TestResponse::status(503, "busy"),
        TestResponse::ok("<Company/>"),
    ]);
    let dir = tempfile::tempdir().expect("a temp dir");
    let out = dir.path().join("download.xml");
    let mut req = request(Method::Get, server.url("/zynk/download"));
    req.retries = 2;

    let response = client().execute(&req, Some(&out)).expect("a recovery");

    assert_eq!(response.attempts, 3);
    assert_eq!(server.requests().len(), 3);
    assert_eq!(fs::read_to_string(&out).expect("the output"), "<Company/>");
}

#[test]
fn a_503_that_persists_reports_the_attempts() {
    let server = TestServer::start(|_| TestResponse::status(503, "down for maintenance"));
    let dir = tempfile::tempdir().expect("a temp dir");
    let out = dir.path().join("out.txt");
    let mut req = request(Method::Post, server.url("/"));
    req.retries = 1;

    let err = client().execute(&req, Some(&out)).expect_err("a 503");

    assert!(
        matches!(
            err,
            HttpError::Status {
                status: 503,
                attempts: 2,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("2 attempts"), "{err}");
    assert_eq!(
        fs::read_to_string(&out).expect("the saved body"),
        "down for maintenance"
    );
}

#[test]
fn retry_after_is_honoured() {
    let server = TestServer::sequence(vec![
        TestResponse::status(429, "slow down").header("Retry-After", "1"),
        TestResponse::ok("done"),
    ]);
    let mut req = request(Method::Get, server.url("/"));
    req.retries = 1;

    let started = Instant::now();
    let response = client().execute(&req, None).expect("a recovery");

    assert_eq!(response.attempts, 2);
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn a_refused_connection_is_retried_then_reported() {
    let url = dead_url("/zynk/download");
    let mut req = request(Method::Get, url.clone());
    req.retries = 2;

    let err = client().execute(&req, None).expect_err("no server");

    assert!(
        matches!(err, HttpError::Connect { attempts: 3, .. }),
        "{err:?}"
    );
    assert_eq!(err.attempts(), 3);
    assert_eq!(err.kind(), FailureKind::Fail);
    let message = err.to_string();
    assert!(
        message.contains(&url) && message.contains("3 attempts"),
        "{message}"
    );
}

#[test]
fn a_broken_download_leaves_the_old_file_and_no_temp_files() {
    let server = TestServer::start(|_| {
        TestResponse::ok("partial")
            .header("Content-Length", "1000")
            .close()
    });
    let dir = tempfile::tempdir().expect("a temp dir");
    let out = dir.path().join("download.xml");
    fs::write(&out, "previous run").expect("an old output");
    let mut req = request(Method::Get, server.url("/"));
    req.retries = 1;

    let err = client()
        .execute(&req, Some(&out))
        .expect_err("a broken body");

    assert!(
        matches!(err, HttpError::BodyRead { attempts: 2, .. }),
        "{err:?}"
    );
    assert_eq!(
        fs::read_to_string(&out).expect("the old output"),
        "previous run"
    );
    assert_eq!(entries(dir.path()), ["download.xml"]);
}

#[test]
fn a_broken_post_is_not_repeated() {
    let server = TestServer::start(|_| {
        TestResponse::ok("partial")
            .header("Content-Length", "1000")
            .close()
    });
    let mut req = request(Method::Post, server.url("/zynk/notify"));
    req.body = Body::Text("<Company/>".into());
    req.retries = 3;

    let err = client().execute(&req, None).expect_err("a broken body");

    assert!(
        matches!(err, HttpError::BodyRead { attempts: 1, .. }),
        "{err:?}"
    );
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn https_to_a_plain_http_server_is_a_tls_error_and_not_retried() {
    let server = TestServer::start(|_| TestResponse::ok(""));
    let mut req = request(Method::Get, server.url("/").replace("http:", "https:"));
    req.retries = 2;

    let err = client().execute(&req, None).expect_err("no TLS");

    assert!(matches!(err, HttpError::Tls { .. }), "{err:?}");
    assert_eq!(server.requests().len(), 0);
}

#[test]
fn bad_urls_and_headers_are_reported_before_sending() {
    let client = client();
    for url in ["shop.example/zynk", "ftp://shop.example/x", "http://"] {
        let err = client
            .execute(&request(Method::Get, url.to_string()), None)
            .expect_err("a bad URL");
        assert!(
            matches!(err, HttpError::InvalidUrl { .. }),
            "{url}: {err:?}"
        );
    }
    let mut req = request(Method::Get, "http://127.0.0.1:9/".to_string());
    req.headers = vec![("X-Bad".into(), "a\nb".into())];
    let err = client.execute(&req, None).expect_err("a bad header");
    assert!(matches!(err, HttpError::InvalidHeader { .. }), "{err:?}");
}

#[test]
fn credentials_never_appear_in_errors() {
    let server = TestServer::start(|req| {
        // A careless site that echoes the credentials back in its error page.
        let echoed = format!("denied for {:?}", req.header("authorization"));
        TestResponse::status(401, echoed)
    });
    let secrets = ["hunter22", "dXNlcjpodW50ZXIyMg", "s3cr3t-t0ken", "urlpass"];
    let check = |err: &HttpError| {
        let help = miette::Diagnostic::help(err)
            .map(|h| h.to_string())
            .unwrap_or_default();
        for text in [err.to_string(), format!("{err:?}"), help] {
            for secret in secrets {
                assert!(!text.contains(secret), "{secret} leaked in {text}");
            }
        }
    };
    let client = client();

    let mut req = request(Method::Get, server.url("/"));
    req.basic_auth = Some(("user".into(), "hunter22".into()));
    let err = client.execute(&req, None).expect_err("a 401");
    assert_eq!(err.kind(), FailureKind::NotAuthorised);
    check(&err);

    let mut req = request(Method::Get, server.url("/"));
    req.headers = vec![("Authorization".into(), "Bearer s3cr3t-t0ken".into())];
    check(&client.execute(&req, None).expect_err("a 401"));

    let dead = dead_url("/").replace("http://", "http://user:urlpass@");
    let mut req = request(Method::Get, dead);
    req.basic_auth = Some(("user".into(), "hunter22".into()));
    let err = client.execute(&req, None).expect_err("no server");
    assert!(err.to_string().contains("user:***@"), "{err}");
    check(&err);
    let shown = format!("{req:?}");
    for secret in secrets {
        assert!(!shown.contains(secret), "{secret} leaked in {shown}");
    }
}

#[test]
fn a_large_download_is_streamed_intact() {
    let payload: Vec<u8> = (0..8_000_000u32).map(|i| (i % 251) as u8).collect();
    let served = payload.clone();
    let server = TestServer::start(move |_| TestResponse::ok(served.clone()));
    let dir = tempfile::tempdir().expect("a temp dir");
    let out = dir.path().join("big.bin");

    let response = client()
        .execute(&request(Method::Get, server.url("/big")), Some(&out))
        .expect("a download");

    assert_eq!(response.bytes, 8_000_000);
    assert!(fs::read(&out).expect("the output") == payload);
}

#[test]
fn the_test_server_reads_chunked_request_bodies() {
    use std::io::{Read, Write};
    let server = TestServer::start(|req| TestResponse::ok(req.body.clone()).close());
    let mut stream = std::net::TcpStream::connect(server.addr()).expect("a connection");
    stream
        .write_all(
            b"POST /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n\
              5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nX-Trailer: 1\r\n\r\n",
        )
        .expect("a request");
    let mut reply = String::new();
    stream.read_to_string(&mut reply).expect("a reply");

    assert!(reply.starts_with("HTTP/1.1 200 OK\r\n"), "{reply}");
    assert!(reply.ends_with("\r\n\r\nhello, world"), "{reply}");
    assert_eq!(only_request(&server).body_text(), "hello, world");
}
