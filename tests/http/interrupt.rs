//! Ctrl-C while a site stalls: the first signal says at once that the run is stopping,
//! cancels the request in flight (its partial download discarded), and the run ends
//! `Interrupted` with 130 within a second or so; a loop cut short says interrupted, not failed.
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::http::cli::{Project, zynk};
use crate::http::support::server::{TestResponse, TestServer};

fn start(project: &Project, script: &str) -> Child {
    let path = project.dir.path().join("script.zynk");
    std::fs::write(&path, format!("workflow \"t\"\n{script}")).expect("write the script");
    Command::new(env!("CARGO_BIN_EXE_zynk"))
        .args(["run", "script.zynk", "--data", "data"])
        .current_dir(project.dir.path())
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("zynk run")
}

fn signal(child: &Child, name: &str) {
    let status = Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
}

/// Waits for the run to end, at most `limit`; returns its output and how long it took after
/// `since`.
fn finish(mut child: Child, since: Instant, limit: Duration) -> (std::process::Output, Duration) {
    loop {
        if child.try_wait().expect("wait").is_some() {
            let took = since.elapsed();
            return (child.wait_with_output().expect("output"), took);
        }
        if since.elapsed() > limit {
            let _ = child.kill();
            let out = child.wait_with_output().expect("output");
            panic!(
                "the run did not end within {limit:?} of the signal:\n{}\n{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn last_run(project: &Project) -> String {
    let runs = zynk(project.dir.path(), &["runs", "--data", "data"]);
    assert_eq!(runs.code, 0, "{}", runs.printed());
    assert!(
        runs.stderr.starts_with("runs in data/state.sqlite"),
        "{}",
        runs.stderr
    );
    // `Interrupted` is wider than the other results: the columns after it stay aligned.
    let mut lines = runs.stdout.lines();
    let header = lines.next().unwrap_or_default();
    let workflow_at = header.find("workflow").expect("a workflow column");
    for line in lines {
        assert_eq!(
            line.get(workflow_at..),
            Some("t"),
            "misaligned:\n{}",
            runs.stdout
        );
    }
    runs.stdout
}

#[test]
fn sigint_during_a_stalled_fetch_ends_the_run_at_once_as_interrupted() {
    let server =
        TestServer::start(|_| TestResponse::ok("<Company/>").delay(Duration::from_secs(15)));
    let project = Project::new();
    std::fs::create_dir_all(project.workdir()).expect("workdir");
    std::fs::write(project.workdir().join("kept.xml"), "<earlier/>").expect("an earlier file");
    let child = start(
        &project,
        &format!(
            "fetch \"{}\" to \"download.xml\" retries 3\n",
            server.url("/zynk/download")
        ),
    );
    std::thread::sleep(Duration::from_secs(1));
    let sent = Instant::now();
    signal(&child, "INT");
    let (out, took) = finish(child, sent, Duration::from_secs(3));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stdout}{stderr}");
    assert!(took < Duration::from_secs(2), "took {took:?}");
    assert!(stderr.contains("SIGINT received: stopping"), "{stderr}");
    assert!(
        stdout.contains("STOPPED fetch · Interrupted by SIGINT"),
        "{stdout}"
    );
    assert!(!stdout.contains("FAILED"), "{stdout}");
    assert!(!project.workdir().join("download.xml").exists());
    assert!(
        project.workdir().join("kept.xml").exists(),
        "earlier files are kept"
    );
    let leftovers: Vec<_> = std::fs::read_dir(project.workdir())
        .expect("workdir")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "kept.xml")
        .collect();
    assert!(leftovers.is_empty(), "no partial download: {leftovers:?}");
    assert!(last_run(&project).contains("Interrupted"));
}

#[test]
fn sigint_during_a_back_off_wait_does_not_wait_it_out() {
    let server =
        TestServer::start(|_| TestResponse::status(503, "busy").header("Retry-After", "60"));
    let project = Project::new();
    let child = start(
        &project,
        &format!(
            "fetch \"{}\" to \"download.xml\" retries 2\n",
            server.url("/zynk/download")
        ),
    );
    std::thread::sleep(Duration::from_secs(1));
    let sent = Instant::now();
    signal(&child, "TERM");
    let (out, took) = finish(child, sent, Duration::from_secs(3));
    assert_eq!(out.status.code(), Some(143), "{out:?}");
    assert!(took < Duration::from_secs(2), "took {took:?}");
    assert!(last_run(&project).contains("Interrupted"));
}

#[test]
fn an_interrupted_upload_loop_says_interrupted_and_a_second_signal_exits_at_once() {
    let server = TestServer::start(|_| TestResponse::ok("ok").delay(Duration::from_secs(15)));
    let project = Project::new();
    let outbox = project.workdir().join("Outbox");
    std::fs::create_dir_all(&outbox).expect("outbox");
    for k in 1..=3 {
        std::fs::write(outbox.join(format!("chunk_{k}.xml")), "<Company/>").expect("chunk");
    }
    let child = start(
        &project,
        &format!(
            "foreach file in \"Outbox\" matching \"*.xml\" {{\n    notify \"{}\" with file to \"${{file.stem}}_response.txt\"\n    delete file\n}}\n",
            server.url("/zynk/upload")
        ),
    );
    std::thread::sleep(Duration::from_secs(1));
    let sent = Instant::now();
    signal(&child, "INT");
    let (out, took) = finish(child, sent, Duration::from_secs(3));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(130), "{stdout}");
    assert!(took < Duration::from_secs(2), "took {took:?}");
    assert!(stdout.contains("STOPPED   notify"), "{stdout}");
    assert!(
        stdout.contains("STOPPED foreach · Interrupted by SIGINT"),
        "{stdout}"
    );
    assert!(!stdout.contains("FAILED"), "{stdout}");
    assert!(!stdout.contains("fix the failure"), "{stdout}");
    assert_eq!(
        std::fs::read_dir(&outbox).expect("outbox").count(),
        3,
        "no chunk was deleted"
    );

    // Twice: the second exits at once, and the run log still says interrupted.
    let child = start(
        &project,
        &format!(
            "foreach file in \"Outbox\" matching \"*.xml\" {{\n    notify \"{}\" with file to \"${{file.stem}}_response.txt\"\n}}\n",
            server.url("/zynk/upload")
        ),
    );
    std::thread::sleep(Duration::from_millis(700));
    let sent = Instant::now();
    signal(&child, "INT");
    signal(&child, "INT");
    let (out, _) = finish(child, sent, Duration::from_secs(3));
    assert_eq!(out.status.code(), Some(130), "{out:?}");
    let runs = last_run(&project);
    assert!(!runs.contains("Died") && !runs.contains("died"), "{runs}");
    assert_eq!(runs.matches("Interrupted").count(), 2, "{runs}");
}
