//! Bounded HTTP: `max_size` on bodies (an endless chunked body stops at the limit and leaves no
//! file), a long `Retry-After` announced and capped by `max_retry_wait`, OS causes in IO errors.
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

use crate::http::cli::Project;
use crate::http::support::server::{TestResponse, TestServer};
use zynk::http::HttpError;

/// A server that answers every request with a chunked body that never ends.
fn endless_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    let addr = listener.local_addr().expect("the bound address");
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().expect("a second handle"));
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 0) && line != "\r\n" {
                    line.clear();
                }
                let _ = stream.write_all(
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nTransfer-Encoding: chunked\r\n\r\n",
                );
                let chunk = vec![b'x'; 64 * 1024];
                let mut framed = format!("{:X}\r\n", chunk.len()).into_bytes();
                framed.extend_from_slice(&chunk);
                framed.extend_from_slice(b"\r\n");
                while stream.write_all(&framed).is_ok() {}
            });
        }
    });
    format!("http://{addr}/zynk/download")
}

#[test]
fn an_endless_chunked_body_stops_at_max_size_and_leaves_no_file() {
    let url = endless_server();
    let project = Project::new();
    let started = Instant::now();

    let run = project.run(
        &format!("fetch \"{url}\" to \"download.xml\" max_size 2 MB\n"),
        &[],
    );

    assert_eq!(run.code, 1, "{}", run.printed());
    assert!(started.elapsed() < Duration::from_secs(30));
    assert!(
        run.said().contains("zynk::http::too_large"),
        "{}",
        run.stderr
    );
    assert!(
        run.said().contains("is larger than the 2 MB limit"),
        "{}",
        run.stderr
    );
    assert!(run.said().contains("raise `max_size`"), "{}", run.stderr);
    let left: Vec<_> = std::fs::read_dir(project.workdir())
        .expect("the working directory")
        .collect();
    assert!(left.is_empty(), "no partial file: {left:?}");
}

#[test]
fn an_announced_length_over_max_size_fails_before_the_body_is_read() {
    let server = TestServer::start(|_| {
        TestResponse::ok("<Company/>").header("Content-Length", "5000000000")
    });
    let project = Project::new();
    let run = project.run(
        &format!("fetch \"{}\" to \"d.xml\"\n", server.url("/d")),
        &[],
    );
    assert_eq!(run.code, 1, "{}", run.printed());
    assert!(
        run.said()
            .contains("is larger than the 1 GB limit (it announced 4.7 GB)"),
        "{}",
        run.stderr
    );
    assert!(!project.workdir().join("d.xml").exists());
}

#[test]
fn a_retry_after_of_100000_s_is_announced_and_capped_by_max_retry_wait() {
    let server = TestServer::sequence(vec![
        TestResponse::status(503, "busy").header("Retry-After", "100000"),
        TestResponse::ok("<Company/>"),
    ]);
    let project = Project::new();
    let started = Instant::now();

    let run = project.run(
        &format!(
            "fetch \"{}\" to \"d.xml\" retries 1 max_retry_wait 1s\n",
            server.url("/d")
        ),
        &[],
    );

    assert_eq!(run.code, 0, "{}", run.printed());
    assert!(started.elapsed() < Duration::from_secs(20));
    assert!(
        run.said().contains(
            "waiting 1 s (the site's Retry-After asked for 100000 s; `max_retry_wait` caps it) before attempt 2 of 2"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.said().contains("answered 503 Service Unavailable"),
        "{}",
        run.stderr
    );
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn max_size_out_of_range_is_a_check_error_on_its_token() {
    let project = Project::new();
    let run = project.run(
        "fetch \"http://127.0.0.1:9/d\" to \"d.xml\" max_size 99999999999999 GB\n",
        &[],
    );
    assert_eq!(run.code, 2, "{}", run.printed());
    assert!(
        run.said()
            .contains("`max_size 99999999999999 GB` is out of range"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_full_disk_is_named_with_its_os_cause() {
    let error = HttpError::Output {
        path: "in/download.xml".into(),
        source: std::io::Error::from_raw_os_error(28),
    };
    let rendered = format!("{error}");
    assert!(rendered.contains("No space left on device"), "{rendered}");
    let help = miette::Diagnostic::help(&error)
        .map(|h| h.to_string())
        .unwrap_or_default();
    assert!(help.contains("the disk is full"), "{help}");
}
