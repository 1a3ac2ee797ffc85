//! Two data folders ("two hosts") sharing one state store on PostgreSQL, posting into one
//! Tryton: the lock across hosts, the shared truth, a SIGKILLed holder.
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::pg;
use super::server::{self, Tryton};
use super::site::{TestResponse, TestServer};
use super::{SAMPLE, fixture, ledger_line, sales};

fn zynk(dir: &std::path::Path, host: &str, state: &str, extra: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_zynk"))
        .args(["run", "script.zynk", "--data", "data", "--state", state])
        .args(extra)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("ZYNK_HOST", host)
        .env("PGPASSWORD", pg::PASSWORD)
        .env("TRYTON_PASSWORD", server::PASSWORD)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start zynk")
}

fn done(child: Child) -> (i32, String) {
    let out = child.wait_with_output().expect("wait");
    (
        out.status.code().unwrap_or(-1),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

#[test]
fn two_hosts_post_each_order_once_and_a_killed_holder_hands_over() {
    let t = Tryton::start();
    let db = pg::database();
    let seen = AtomicUsize::new(0);
    // The first ping of each scenario is slow, so the holder is mid-run when the other starts.
    let site = TestServer::start(move |_| match seen.fetch_add(1, Ordering::SeqCst) {
        0 => TestResponse::ok("ok").delay(Duration::from_millis(1500)),
        2 => TestResponse::ok("ok").delay(Duration::from_secs(60)),
        _ => TestResponse::ok("ok"),
    });
    let script = format!(
        "workflow \"t\"\nfetch \"{}\" to \"ping.txt\" timeout 120s\n{}\
         import customers from \"download.xml\" success \"customer_success.xml\" fail \"customer_fail.xml\"\n\
         import sales orders from \"download.xml\" success \"order_success.xml\" fail \"order_fail.xml\"\n",
        site.url("/ping"),
        ledger_line(&t, "")
    );
    let hosts = [
        tempfile::tempdir().expect("a"),
        tempfile::tempdir().expect("b"),
    ];
    for dir in &hosts {
        std::fs::write(dir.path().join("script.zynk"), &script).expect("script");
        std::fs::create_dir_all(dir.path().join("data/t")).expect("workdir");
        std::fs::write(dir.path().join("data/t/download.xml"), fixture(SAMPLE)).expect("input");
    }
    // Started together: exactly one runs, the other exits 75 naming the holder.
    let a = zynk(hosts[0].path(), "host-a", &db.url, &[]);
    let b = zynk(hosts[1].path(), "host-b", &db.url, &[]);
    let (a, b) = (done(a), done(b));
    let mut codes = [a.0, b.0];
    codes.sort_unstable();
    assert_eq!(codes, [0, 75], "a: {}\nb: {}", a.1, b.1);
    let refused = if a.0 == 75 { &a.1 } else { &b.1 };
    assert!(
        refused.contains("zynk::run::locked") && refused.contains(", pid "),
        "{refused}"
    );
    let posted = sales(&t).len();
    assert!(posted > 0);
    // The other host after the first: re-sends nothing.
    let (later, name) = if a.0 == 75 {
        (&hosts[0], "host-a")
    } else {
        (&hosts[1], "host-b")
    };
    let again = done(zynk(later.path(), name, &db.url, &[]));
    assert_eq!(again.0, 0, "{}", again.1);
    assert_eq!(
        sales(&t).len(),
        posted,
        "the second host posted nothing again"
    );
    // A holder killed mid-run; the waiting host starts within 5 s and finishes.
    let mut holder = zynk(hosts[0].path(), "host-a", &db.url, &[]);
    let deadline = Instant::now() + Duration::from_secs(20);
    while site.requests().len() < 3 {
        assert!(Instant::now() < deadline, "the holder never fetched");
        std::thread::sleep(Duration::from_millis(20));
    }
    let waiting = zynk(hosts[1].path(), "host-b", &db.url, &["--wait", "30s"]);
    std::thread::sleep(Duration::from_millis(300));
    holder.kill().expect("SIGKILL");
    let killed = Instant::now();
    let _ = holder.wait();
    let waited = done(waiting);
    println!(
        "the waiting host finished {:?} after the kill",
        killed.elapsed()
    );
    assert_eq!(waited.0, 0, "{}", waited.1);
    assert!(
        killed.elapsed() < Duration::from_secs(15),
        "{:?}",
        killed.elapsed()
    );
    assert_eq!(sales(&t).len(), posted, "every order once");
    let runs = Command::new(env!("CARGO_BIN_EXE_zynk"))
        .args(["runs", "--state", &db.url])
        .env("PGPASSWORD", pg::PASSWORD)
        .output()
        .expect("runs");
    let listed = String::from_utf8_lossy(&runs.stdout);
    println!("{listed}");
    assert!(
        listed.contains("host-a") && listed.contains("host-b"),
        "{listed}"
    );
}
