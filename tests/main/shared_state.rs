//! The state store on a real PostgreSQL server that two data folders ("two hosts") share:
//! the run lock across hosts, a killed holder, migrations at once, a lost connection, the
//! run log of both hosts, and the refusal of a file ledger.
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::support::postgres::{self, Database, PASSWORD};
use crate::support::server::{TestResponse, TestServer};

/// `zynk ARGS` in `dir` as host `host`, the password in PGPASSWORD.
fn zynk(dir: &Path, host: &str, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_zynk"));
    command
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .env("ZYNK_HOST", host)
        .env("PGPASSWORD", PASSWORD)
        .env_remove("ZYNK_STATE")
        .env_remove("ZYNK_DATA")
        .env_remove("PGPASSFILE")
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

struct Ran {
    code: i32,
    stdout: String,
    stderr: String,
}

fn finish(child: Child) -> Ran {
    let out: Output = child.wait_with_output().expect("wait for zynk");
    let ran = Ran {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(
        !ran.stdout.contains(PASSWORD) && !ran.stderr.contains(PASSWORD),
        "the password was printed:\n{}{}",
        ran.stdout,
        ran.stderr
    );
    ran
}

fn run(dir: &Path, host: &str, args: &[&str]) -> Ran {
    finish(zynk(dir, host, args).spawn().expect("start zynk"))
}

/// Two data folders with the same script, as two hosts have.
struct Hosts {
    a: tempfile::TempDir,
    b: tempfile::TempDir,
}

fn hosts(script: &str) -> Hosts {
    let hosts = Hosts {
        a: tempfile::tempdir().expect("dir"),
        b: tempfile::tempdir().expect("dir"),
    };
    for dir in [&hosts.a, &hosts.b] {
        std::fs::write(dir.path().join("shop.zynk"), script).expect("script");
    }
    hosts
}

/// A site whose first `slow` answers take `delay` each; the others answer at once.
fn slow_site(slow: usize, delay: Duration) -> TestServer {
    let seen = AtomicUsize::new(0);
    TestServer::start(move |_| {
        let response = TestResponse::ok("<Company/>");
        if seen.fetch_add(1, Ordering::SeqCst) < slow {
            response.delay(delay)
        } else {
            response
        }
    })
}

fn fetch_script(site: &TestServer) -> String {
    format!(
        "workflow \"Shop\"\nfetch \"{}\" to \"download.xml\"\n",
        site.url("/zynk/download")
    )
}

fn runs_json(dir: &Path, db: &Database) -> Vec<serde_json::Value> {
    let out = run(
        dir,
        "anyone",
        &["runs", "--state", &db.url, "--format", "json"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    serde_json::from_str(&out.stdout).expect("runs as JSON")
}

fn field<'a>(run: &'a serde_json::Value, name: &str) -> &'a str {
    run[name].as_str().unwrap_or_default()
}

#[test]
fn two_hosts_started_together_one_runs_and_the_other_exits_75_naming_the_holder() {
    let db = postgres::database();
    let site = slow_site(1, Duration::from_millis(1500));
    let hosts = hosts(&fetch_script(&site));
    let args = [
        "run",
        "shop.zynk",
        "--state",
        &db.url,
        "--log-format",
        "json",
    ];
    let a = zynk(hosts.a.path(), "host-a", &args).spawn().expect("a");
    let b = zynk(hosts.b.path(), "host-b", &args).spawn().expect("b");
    let (a_pid, b_pid) = (a.id(), b.id());
    let (a, b) = (finish(a), finish(b));
    let mut codes = [a.code, b.code];
    codes.sort_unstable();
    assert_eq!(codes, [0, 75], "a: {}\nb: {}", a.stderr, b.stderr);
    let (refused, holder, holder_pid) = if a.code == 75 {
        (&a, "host-b", b_pid)
    } else {
        (&b, "host-a", a_pid)
    };
    assert!(
        refused.stderr.contains("zynk::run::locked"),
        "{}",
        refused.stderr
    );
    assert!(
        refused
            .stderr
            .contains(&format!("host {holder}, pid {holder_pid}, started ")),
        "{}",
        refused.stderr
    );
    assert_eq!(site.requests().len(), 1, "only the holder fetched");
    // A log shipper sees why: one `run_error` event, with no run.
    let event: serde_json::Value =
        serde_json::from_str(refused.stdout.trim()).expect("one JSON event");
    assert_eq!(event["event"], "run_error");
    assert_eq!(event["code"], "zynk::run::locked");
    assert!(event["run_id"].is_null() && event["ts"].is_string());
    assert!(
        field(&event, "message").contains(holder),
        "{}",
        refused.stdout
    );
    // The refused host runs later; both hosts' runs are listed, with their hosts.
    let later = if a.code == 75 { &hosts.a } else { &hosts.b };
    let refused_host = if a.code == 75 { "host-a" } else { "host-b" };
    assert_eq!(run(later.path(), refused_host, &args).code, 0);
    let runs = runs_json(hosts.a.path(), &db);
    let listed: Vec<(&str, &str)> = runs
        .iter()
        .map(|r| (field(r, "host"), field(r, "result")))
        .collect();
    assert_eq!(
        listed,
        [(refused_host, "Success"), (holder, "Success")],
        "newest first"
    );
    let table = run(hosts.b.path(), "anyone", &["runs", "--state", &db.url]);
    assert!(table.stdout.contains("host-a") && table.stdout.contains("host-b"));
    assert!(
        table
            .stdout
            .lines()
            .next()
            .is_some_and(|h| h.contains("host"))
    );
}

#[test]
fn a_host_started_with_wait_queues_behind_the_other() {
    let db = postgres::database();
    let site = slow_site(1, Duration::from_millis(800));
    let hosts = hosts(&fetch_script(&site));
    let a = zynk(
        hosts.a.path(),
        "host-a",
        &["run", "shop.zynk", "--state", &db.url],
    )
    .spawn()
    .expect("a");
    wait_for(|| !site.requests().is_empty(), "host a to fetch");
    let queued = Instant::now();
    let b = run(
        hosts.b.path(),
        "host-b",
        &["run", "shop.zynk", "--state", &db.url, "--wait", "30s"],
    );
    // Its own fetch answers at once: the time went on waiting for host a's slow one.
    assert!(
        queued.elapsed() >= Duration::from_millis(500),
        "host b did not wait: {:?}",
        queued.elapsed()
    );
    let a = finish(a);
    assert_eq!((a.code, b.code), (0, 0), "a: {}\nb: {}", a.stderr, b.stderr);
    let runs = runs_json(hosts.a.path(), &db);
    assert_eq!(runs.len(), 2);
    assert_eq!(field(&runs[0], "host"), "host-b");
    assert!(
        field(&runs[0], "started") >= field(&runs[1], "ended"),
        "b started after a ended: {runs:?}"
    );
}

#[test]
fn a_sigkilled_holder_releases_the_lock_and_the_waiting_host_finishes_promptly() {
    let db = postgres::database();
    let site = slow_site(1, Duration::from_secs(60));
    let hosts = hosts(&fetch_script(&site));
    let mut a = zynk(
        hosts.a.path(),
        "host-a",
        &["run", "shop.zynk", "--state", &db.url],
    )
    .spawn()
    .expect("a");
    wait_for(|| !site.requests().is_empty(), "host a to fetch");
    let mut b = zynk(
        hosts.b.path(),
        "host-b",
        &["run", "shop.zynk", "--state", &db.url, "--wait", "30s"],
    )
    .spawn()
    .expect("b");
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        b.try_wait().expect("host b").is_none(),
        "host b ran while host a held the lock"
    );
    a.kill().expect("SIGKILL host a");
    let killed = Instant::now();
    let _ = a.wait();
    let b = finish(b);
    assert_eq!(b.code, 0, "{}", b.stderr);
    assert!(
        killed.elapsed() < Duration::from_secs(5),
        "host b took {:?} after the kill",
        killed.elapsed()
    );
    assert_eq!(site.requests().len(), 2);
    let runs = runs_json(hosts.a.path(), &db);
    let listed: Vec<(&str, &str)> = runs
        .iter()
        .map(|r| (field(r, "host"), field(r, "result")))
        .collect();
    assert_eq!(listed, [("host-b", "Success"), ("host-a", "Died")]);
}

#[test]
fn migrations_from_processes_started_together_apply_once() {
    let db = postgres::database();
    let dirs: Vec<tempfile::TempDir> = (0..4).map(|_| tempfile::tempdir().expect("dir")).collect();
    let children: Vec<Child> = dirs
        .iter()
        .enumerate()
        .map(|(i, dir)| {
            let script = format!("workflow \"Shop {i}\"\nlog \"hello\"\n");
            std::fs::write(dir.path().join("shop.zynk"), script).expect("script");
            zynk(
                dir.path(),
                &format!("host-{i}"),
                &["run", "shop.zynk", "--state", &db.url],
            )
            .spawn()
            .expect("start")
        })
        .collect();
    for child in children {
        let out = finish(child);
        assert_eq!(out.code, 0, "{}", out.stderr);
    }
    let mut client = db.client();
    let versions: Vec<i32> = client
        .query("SELECT version FROM zynk.migration ORDER BY version", &[])
        .expect("migrations")
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(versions, [1]);
    assert_eq!(runs_json(dirs[0].path(), &db).len(), 4);
}

#[test]
fn a_dropped_connection_fails_the_run_cleanly_and_the_rerun_doubles_nothing() {
    let db = postgres::database();
    let terminated = Arc::new(AtomicUsize::new(0));
    let name = db.name.clone();
    let flag = Arc::clone(&terminated);
    let site = TestServer::start(move |request| {
        // The second upload cuts zynk's session, as a server restart or a network drop would.
        if request.path.starts_with("/zynk/upload") && flag.fetch_add(1, Ordering::SeqCst) == 1 {
            let mut admin = postgres::server().client("postgres");
            let _ = admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                 WHERE datname = $1 AND application_name = 'zynk'",
                &[&name],
            );
            return TestResponse::ok("ok").delay(Duration::from_millis(400));
        }
        TestResponse::ok("ok")
    });
    let dir = tempfile::tempdir().expect("dir");
    let script = format!(
        "workflow \"Shop\"\n\
         foreach file in \"outbox\" matching \"*.xml\" {{\n\
         \x20   notify \"{}\" with file to \"${{file.stem}}_response.txt\"\n\
         \x20   delete file\n\
         }}\n",
        site.url("/zynk/upload")
    );
    std::fs::write(dir.path().join("shop.zynk"), script).expect("script");
    let outbox = dir.path().join("data/Shop/outbox");
    std::fs::create_dir_all(&outbox).expect("outbox");
    for n in 1..=5 {
        std::fs::write(
            outbox.join(format!("chunk_{n}.xml")),
            format!("<c n=\"{n}\"/>"),
        )
        .expect("chunk");
    }
    let args = ["run", "shop.zynk", "--state", &db.url];
    let first = run(dir.path(), "host-a", &args);
    assert_eq!(first.code, 1, "{}{}", first.stdout, first.stderr);
    assert!(
        first.stderr.contains("zynk::state::connection_lost"),
        "{}",
        first.stderr
    );
    assert!(first.stderr.contains(&db.url), "{}", first.stderr);
    let uploaded_first = site.requests().len();
    assert_eq!(
        uploaded_first, 2,
        "the loop stopped after the iteration in flight"
    );
    let second = run(dir.path(), "host-a", &args);
    assert_eq!(second.code, 0, "{}", second.stderr);
    let mut bodies: Vec<String> = site.requests().iter().map(|r| r.body_text()).collect();
    bodies.sort();
    let expected: Vec<String> = (1..=5).map(|n| format!("<c n=\"{n}\"/>")).collect();
    assert_eq!(bodies, expected, "every chunk uploaded exactly once");
    let runs = runs_json(dir.path(), &db);
    let results: Vec<&str> = runs.iter().map(|r| field(r, "result")).collect();
    assert_eq!(results, ["Success", "Died"]);
}

#[test]
fn a_shared_state_with_a_file_ledger_is_refused_before_anything_runs() {
    let db = postgres::database();
    let dir = tempfile::tempdir().expect("dir");
    std::fs::write(
        dir.path().join("shop.zynk"),
        "workflow \"Shop\"\n\
         fetch \"http://127.0.0.1:9/zynk/download\" to \"download.xml\"\n\
         import customers from \"download.xml\" success \"ok.xml\" fail \"bad.xml\"\n",
    )
    .expect("script");
    for command in ["run", "plan"] {
        // Wide enough that the URL is not wrapped before it is replaced.
        let out = finish(
            zynk(
                dir.path(),
                "host-a",
                &[command, "shop.zynk", "--state", &db.url],
            )
            .env("COLUMNS", "160")
            .spawn()
            .expect("start"),
        );
        assert_eq!(out.code, 2, "{command}: {}", out.stderr);
        let shown = out
            .stderr
            .replace(&db.url, "postgres://zynk@127.0.0.1:PORT/DB");
        insta::assert_snapshot!(format!("shared_state_file_ledger_{command}"), shown);
    }
    assert!(!dir.path().join("data/ledger.sqlite").exists());
    assert!(!dir.path().join("data/Shop").exists(), "nothing ran");
}

#[test]
fn a_bad_state_url_is_a_usage_error_that_never_shows_its_password() {
    let dir = tempfile::tempdir().expect("dir");
    std::fs::write(
        dir.path().join("shop.zynk"),
        "workflow \"Shop\"\nlog \"x\"\n",
    )
    .expect("script");
    let out = run(
        dir.path(),
        "host-a",
        &[
            "run",
            "shop.zynk",
            "--state",
            &format!("postgres://zynk:{PASSWORD}@db:99999/x"),
        ],
    );
    assert_eq!(out.code, 64, "{}", out.stderr);
    assert!(out.stderr.contains("zynk::state::url"), "{}", out.stderr);
    let out = finish(
        zynk(dir.path(), "host-a", &["runs"])
            .env("ZYNK_STATE", "mysql://zynk@db/x")
            .spawn()
            .expect("start"),
    );
    assert_eq!(out.code, 64, "ZYNK_STATE is read: {}", out.stderr);
}

#[test]
fn the_password_may_come_from_a_pgpass_file_and_a_url_password_is_never_shown() {
    let db = postgres::database();
    let dir = tempfile::tempdir().expect("dir");
    std::fs::write(
        dir.path().join("shop.zynk"),
        "workflow \"Shop\"\nlog \"x\"\n",
    )
    .expect("script");
    let pgpass = dir.path().join("pgpass");
    std::fs::write(
        &pgpass,
        format!("127.0.0.1:{}:*:zynk:{PASSWORD}\n", db.port),
    )
    .expect("pgpass");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&pgpass, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    }
    let out = finish(
        zynk(
            dir.path(),
            "host-a",
            &["-v", "run", "shop.zynk", "--state", &db.url],
        )
        .env_remove("PGPASSWORD")
        .env("PGPASSFILE", &pgpass)
        .spawn()
        .expect("start"),
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains(&format!("state store: {}", db.url)),
        "{}",
        out.stderr
    );
    let with_password = db.url.replace("zynk@", &format!("zynk:{PASSWORD}@"));
    let out = finish(
        zynk(
            dir.path(),
            "host-a",
            &["-v", "runs", "--state", &with_password],
        )
        .env_remove("PGPASSWORD")
        .spawn()
        .expect("start"),
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let wrong = db.url.replace("zynk@", "zynk:not-it@");
    let out = finish(
        zynk(dir.path(), "host-a", &["runs", "--state", &wrong])
            .spawn()
            .expect("start"),
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("zynk::state::connect"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("not-it"), "{}", out.stderr);
}

fn wait_for(mut done: impl FnMut() -> bool, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The same scenario on both stores: what one connection ("host") writes, another sees;
/// watermarks staged by a run wait for its commit; task rows wait for a batch or a read.
#[test]
fn both_stores_keep_the_same_state() -> Result<(), Box<dyn std::error::Error>> {
    use zynk::state::{StateLocation, StateStore, TRUTH_SALES_ORDER};
    let db = postgres::database();
    let dir = tempfile::tempdir()?;
    // The password in the URL: the test process's environment is left alone.
    let url = zynk::state::postgres::PgUrl::parse(
        &db.url.replace("zynk@", &format!("zynk:{PASSWORD}@")),
    )?;
    for location in [
        StateLocation::File(dir.path().join("state.sqlite")),
        StateLocation::Postgres(url),
    ] {
        let shown = location.describe();
        assert!(!shown.contains(PASSWORD), "{shown}");
        let a = StateStore::connect(&location)?;
        let b = StateStore::connect(&location)?;
        assert_eq!(a.shared(), location.shared());
        a.truth_store_with("Shop", TRUTH_SALES_ORDER, "1001", "ORD0001", "h1")?;
        assert_eq!(
            b.truth_lookup("Shop", TRUTH_SALES_ORDER, "1001")?
                .as_deref(),
            Some("ORD0001"),
            "{shown}: the other host sees the truth row"
        );
        assert_eq!(b.truth_count("Shop", TRUTH_SALES_ORDER)?, 1);
        // A row stored again without a fingerprint keeps the one it had.
        b.truth_store("Shop", TRUTH_SALES_ORDER, "1001", "ORD0002")?;
        assert_eq!(
            a.truth_row("Shop", TRUTH_SALES_ORDER, "1001")?,
            Some(("ORD0002".to_string(), Some("h1".to_string()))),
            "{shown}"
        );
        assert_eq!(b.truth_lookup("Other", TRUTH_SALES_ORDER, "1001")?, None);
        let first = jiff::Timestamp::from_second(1_700_000_000)?;
        let second = jiff::Timestamp::from_second(1_700_000_100)?;
        a.set_watermark("Shop", "export_stock", first)?;
        a.stage_watermarks();
        a.set_watermark("Shop", "export_stock", second)?;
        assert_eq!(b.watermark("Shop", "export_stock")?, Some(first), "{shown}");
        assert_eq!(a.commit_watermarks()?, 1);
        assert_eq!(
            b.watermark("Shop", "export_stock")?,
            Some(second),
            "{shown}"
        );
        let run = a.begin_run("Shop", "shop.zynk")?;
        let t = jiff::Timestamp::now();
        // One batch is 16,384 rows (or a second's worth).
        for line in 0..16_400 {
            a.record_task(run, "log", line, t, t, "Success", 1, 1, 0)?;
        }
        assert!(
            b.task_runs(run)?.len() >= 16_384,
            "{shown}: a full batch is written"
        );
        a.log(run, "Warning", "careful")?;
        a.end_run(run, "Success", None)?;
        let lines: Vec<u32> = b.task_runs(run)?.iter().map(|t| t.line).collect();
        assert_eq!(
            lines,
            (0..16_400).collect::<Vec<u32>>(),
            "{shown}: ending writes the rest, in order"
        );
        assert_eq!(b.log_lines(run)?.len(), 1);
        let listed = b.recent_runs(5)?;
        assert_eq!(listed[0].id, run.0);
        assert_eq!(listed[0].tasks, 16_400);
        assert_eq!(listed[0].status(), "Success");
        assert_eq!(listed[0].host, Some(zynk::state::host_name()));
        assert!(matches!(
            a.end_run(zynk::state::RunId(run.0 + 1000), "Fail", None),
            Err(zynk::state::StateError::NoSuchRun { .. })
        ));
        assert!(matches!(
            a.log(zynk::state::RunId(run.0 + 1000), "Info", "x"),
            Err(zynk::state::StateError::NoSuchRun { .. })
        ));
    }
    Ok(())
}

/// The runtime refuses the file ledger too, at the statement, for a use the plan could not
/// see (a loop over files that arrive after the plan).
#[test]
fn the_runtime_refuses_a_file_ledger_under_a_shared_state() -> Result<(), Box<dyn std::error::Error>>
{
    use zynk::runtime::{LogFormat, Reporter, Runtime};
    let db = postgres::database();
    let dir = tempfile::tempdir()?;
    let text = "workflow \"Shop\"\nexport stock all to \"s.xml\"\n";
    let source = zynk::source::SourceFile::from_text("shop.zynk", text);
    let program = zynk::check::compile(&source, zynk::tasks::Registry::standard(), &[])
        .map_err(|_| "script")?;
    let url = zynk::state::postgres::PgUrl::parse(
        &db.url.replace("zynk@", &format!("zynk:{PASSWORD}@")),
    )?;
    let location = zynk::state::StateLocation::Postgres(url);
    let reporter = Reporter::new(
        LogFormat::Text,
        Box::new(std::io::sink()),
        Box::new(std::io::sink()),
        Box::new(|_| String::new()),
    );
    let mut rt = Runtime::new(&program, dir.path(), reporter, None, Some(&location))?;
    let span = program.statements[0].span;
    let error = rt.ledger(span).err().ok_or("the ledger was opened")?;
    assert_eq!(error.code, "zynk::run::shared_state_file_ledger");
    assert!(!dir.path().join("ledger.sqlite").exists());
    Ok(())
}

/// TLS is rustls with libpq's `sslmode` meanings, against a database that refuses plain
/// connections and a certificate from a private CA for the name `localhost`: `require`
/// encrypts without checking; `verify-ca` checks the chain, not the name; `verify-full`
/// checks both; without the CA the chain is refused.
#[test]
fn tls_follows_sslmode_against_a_tls_only_database() {
    let server = postgres::server();
    let mut admin = server.client("postgres");
    let _ = admin.batch_execute(&format!("CREATE DATABASE {}", postgres::TLS_ONLY));
    let dir = tempfile::tempdir().expect("dir");
    std::fs::write(
        dir.path().join("shop.zynk"),
        "workflow \"Shop\"\nlog \"x\"\n",
    )
    .expect("script");
    let ca = server.ca_file.display().to_string();
    let url = |host: &str, options: &str| {
        format!(
            "postgres://zynk@{host}:{}/{}?{options}",
            server.port,
            postgres::TLS_ONLY
        )
    };
    let runs = |url: &str| run(dir.path(), "host-a", &["runs", "--state", url]);
    let run_with = |url: &str| run(dir.path(), "host-a", &["run", "shop.zynk", "--state", url]);
    let full = url(
        "localhost",
        &format!("sslmode=verify-full&sslrootcert={ca}"),
    );
    let out = run_with(&full);
    assert_eq!(out.code, 0, "verify-full by name: {}", out.stderr);
    for (options, expect) in [
        ("sslmode=disable".to_string(), "zynk::state::connect"),
        (
            format!("sslmode=verify-full&sslrootcert={ca}"),
            "not valid for name",
        ),
        ("sslmode=verify-full".to_string(), "UnknownIssuer"),
        ("sslmode=verify-ca".to_string(), "UnknownIssuer"),
    ] {
        let out = runs(&url("127.0.0.1", &options));
        assert_eq!(out.code, 1, "{options}: {}", out.stderr);
        // The message as one line, whatever the width it was wrapped at.
        let flat = out
            .stderr
            .replace('│', " ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        assert!(flat.contains(expect), "{options}: {}", out.stderr);
    }
    for options in [
        "sslmode=require".to_string(),
        "sslmode=prefer".to_string(),
        format!("sslmode=verify-ca&sslrootcert={ca}"),
    ] {
        let out = runs(&url("127.0.0.1", &options));
        assert_eq!(out.code, 0, "{options}: {}", out.stderr);
        assert!(out.stdout.contains("Success"), "{options}: {}", out.stdout);
    }
}

/// A session cut during the last statement fails the run too: the lock did not last to the
/// end, so the run is not recorded as done.
#[test]
fn a_connection_lost_in_the_last_statement_fails_the_run() {
    let db = postgres::database();
    let name = db.name.clone();
    let site = TestServer::start(move |_| {
        let mut admin = postgres::server().client("postgres");
        let _ = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
             WHERE datname = $1 AND application_name = 'zynk'",
            &[&name],
        );
        TestResponse::ok("<Company/>")
    });
    let hosts = hosts(&fetch_script(&site));
    let out = run(
        hosts.a.path(),
        "host-a",
        &["run", "shop.zynk", "--state", &db.url],
    );
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stderr.contains("zynk::state::connection_lost"),
        "{}",
        out.stderr
    );
    let runs = runs_json(hosts.a.path(), &db);
    assert_eq!(field(&runs[0], "result"), "died", "{runs:?}");
}

/// `zynk plan --state` reads the shared watermarks and creates nothing on the server.
#[test]
fn plan_reads_the_shared_watermarks_and_creates_nothing() {
    let db = postgres::database();
    let dir = tempfile::tempdir().expect("dir");
    std::fs::write(
        dir.path().join("shop.zynk"),
        "workflow \"Shop\"\nforeach file in \"In\" matching \"*.txt\" modified since last run {\n    log \"saw ${file.name}\"\n}\n",
    )
    .expect("script");
    let inbox = dir.path().join("data/Shop/In");
    std::fs::create_dir_all(&inbox).expect("inbox");
    std::fs::write(inbox.join("a.txt"), "a").expect("a");
    let plan = |host: &str| run(dir.path(), host, &["plan", "shop.zynk", "--state", &db.url]);
    let first = plan("host-a");
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(first.stdout.contains("a.txt"), "{}", first.stdout);
    let mut client = db.client();
    let schema: Option<String> = client
        .query_one("SELECT to_regclass('zynk.migration')::text", &[])
        .expect("query")
        .get(0);
    assert_eq!(schema, None, "the plan created the schema");
    assert_eq!(
        run(
            dir.path(),
            "host-a",
            &["run", "shop.zynk", "--state", &db.url]
        )
        .code,
        0
    );
    std::thread::sleep(Duration::from_millis(20));
    std::fs::write(inbox.join("b.txt"), "b").expect("b");
    // Another host plans against the same store: only the file changed since the run.
    let other = tempfile::tempdir().expect("dir");
    std::fs::copy(dir.path().join("shop.zynk"), other.path().join("shop.zynk")).expect("copy");
    let other_inbox = other.path().join("data/Shop/In");
    std::fs::create_dir_all(&other_inbox).expect("inbox");
    std::fs::copy(inbox.join("a.txt"), other_inbox.join("a.txt")).expect("a");
    let a_modified = std::fs::metadata(inbox.join("a.txt"))
        .and_then(|m| m.modified())
        .expect("mtime");
    std::fs::File::options()
        .write(true)
        .open(other_inbox.join("a.txt"))
        .and_then(|f| f.set_modified(a_modified))
        .expect("keep a's time");
    std::fs::copy(inbox.join("b.txt"), other_inbox.join("b.txt")).expect("b");
    let second = run(
        other.path(),
        "host-b",
        &["plan", "shop.zynk", "--state", &db.url],
    );
    assert_eq!(second.code, 0, "{}", second.stderr);
    assert!(
        second.stdout.contains("b.txt") && !second.stdout.contains("a.txt"),
        "{}",
        second.stdout
    );
}

/// Ctrl-C twice on a run whose state is shared: the second exits at once, and still records
/// the run as interrupted on the server (through a connection of its own).
#[test]
fn a_second_signal_records_the_run_interrupted_on_the_shared_store() {
    let db = postgres::database();
    let site = slow_site(5, Duration::from_secs(15));
    let hosts = hosts(&fetch_script(&site));
    let child = zynk(
        hosts.a.path(),
        "host-a",
        &["run", "shop.zynk", "--state", &db.url],
    )
    .spawn()
    .expect("a");
    std::thread::sleep(Duration::from_millis(1500));
    let started = Instant::now();
    for _ in 0..2 {
        let sent = Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .expect("kill");
        assert!(sent.success());
    }
    let out = finish(child);
    assert_eq!(out.code, 130, "{}{}", out.stdout, out.stderr);
    assert!(started.elapsed() < Duration::from_secs(3));
    let runs = runs_json(hosts.b.path(), &db);
    assert_eq!(runs.len(), 1, "{runs:?}");
    assert_eq!(field(&runs[0], "result"), "Interrupted", "{runs:?}");
}
