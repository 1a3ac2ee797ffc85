//! No secret printed: a password in a URL is sent, but never appears in anything a run writes
//! (status lines, diagnostics, JSON events, the run log and state store, `zynk runs`).
use std::path::Path;

use crate::http::cli::{Project, zynk};
use crate::http::support::server::{TestResponse, TestServer};

const PASSWORD: &str = "pw4Shop";

/// Every file under `dir`, as lossy text (the SQLite state store included).
fn everything_under(dir: &Path, out: &mut String) {
    for entry in std::fs::read_dir(dir).expect("a folder") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            everything_under(&path, out);
        } else {
            let bytes = std::fs::read(&path).expect("a file");
            out.push_str(&path.display().to_string());
            out.push('\n');
            out.push_str(&String::from_utf8_lossy(&bytes));
        }
    }
}

#[test]
fn a_password_in_a_url_is_sent_but_never_shown_on_success_or_failure() {
    let server = TestServer::start(|r| {
        if r.path.starts_with("/zynk/download") {
            TestResponse::ok("<Company><Customers/></Company>")
        } else {
            TestResponse::status(500, "notify broke")
        }
    });
    let base = server
        .url("")
        .replace("http://", &format!("http://shop:{PASSWORD}@"));
    let base = base.trim_end_matches('/');
    let script = format!(
        "fetch \"{base}/zynk/download?session=s3ss10nId\" to \"download.xml\"\nnotify \"{base}/zynk/notify\" with \"download.xml\" retries 0\n"
    );
    let project = Project::new();

    let text = project.run(&script, &[]);
    let json = project.run(&script, &["--log-format", "json"]);
    let runs = zynk(project.dir.path(), &["runs", "--data", "data"]);

    assert_eq!(text.code, 1, "{}", text.printed());
    assert!(text.stdout.contains("ok      fetch"), "{}", text.printed());
    assert!(
        text.stdout.contains("http://shop:***@127.0.0.1"),
        "{}",
        text.stdout
    );
    assert!(
        json.stdout.contains("\"event\":\"statement\""),
        "{}",
        json.stdout
    );
    let auth = server.requests()[0]
        .header("Authorization")
        .map(str::to_string)
        .unwrap_or_default();
    assert!(
        auth.starts_with("Basic "),
        "the credentials are still sent: {auth}"
    );

    let mut written = String::new();
    everything_under(project.dir.path(), &mut written);
    let script_file = project.dir.path().join("script.zynk").display().to_string();
    let written = written.replace(&script, "");
    let encoded = &auth["Basic ".len()..];
    for (name, seen) in [
        ("text stdout", &text.stdout),
        ("text stderr", &text.stderr),
        ("json stdout", &json.stdout),
        ("json stderr", &json.stderr),
        ("zynk runs", &runs.stdout),
        ("the files the runs wrote", &written),
    ] {
        for secret in [PASSWORD, encoded, "s3ss10nId"] {
            assert!(
                !seen.contains(secret),
                "{name} shows `{secret}` ({script_file}):\n{seen}"
            );
        }
    }
}
