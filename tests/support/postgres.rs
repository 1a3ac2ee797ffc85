//! A private PostgreSQL server for tests: `initdb` into a temporary folder and `pg_ctl
//! start` on a free loopback port, once per test binary, with a database per test.
//!
//! The server runs as the `postgres` user when the tests run as root (PostgreSQL refuses
//! root), with fsync off. It speaks TLS too, with a certificate for `localhost` signed by a
//! private CA ([`Postgres::ca_file`]); the database [`TLS_ONLY`] refuses plain connections. Logins over TCP need the password [`PASSWORD`] (scram), so the
//! tests go through the same PGPASSWORD path users do. A watchdog stops the server and
//! removes its folder when the test process ends. Without the server binaries the tests
//! fail, saying how to install them.
#![allow(dead_code)] // each test binary uses a different part of this module

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The superuser the tests log in as.
pub const USER: &str = "zynk";
/// Its password.
pub const PASSWORD: &str = "s3cret-for-tests";
/// A database that only TLS connections may use.
pub const TLS_ONLY: &str = "zynk_tls";

/// The running server.
pub struct Postgres {
    pub port: u16,
    /// The CA (PEM) that signed the server's certificate.
    pub ca_file: PathBuf,
    bin: PathBuf,
    data: PathBuf,
    /// `Some(user)` when commands run as that user (the tests run as root).
    run_as: Option<String>,
}

/// A database of its own for one test.
pub struct Database {
    /// `postgres://zynk@127.0.0.1:PORT/NAME`, no password.
    pub url: String,
    pub name: String,
    pub port: u16,
}

static SERVER: OnceLock<Result<Postgres, String>> = OnceLock::new();
static NEXT_DB: AtomicUsize = AtomicUsize::new(0);

/// The server of this test binary, started on first use.
pub fn server() -> &'static Postgres {
    match SERVER.get_or_init(start) {
        Ok(server) => server,
        Err(why) => panic!(
            "these tests need a real PostgreSQL server and could not start one: {why}\n\
             install it (Debian: `apt-get install -y postgresql`), or put the folder holding \
             `initdb` and `pg_ctl` in ZYNK_TEST_PG_BIN"
        ),
    }
}

/// A new, empty database on the shared server.
pub fn database() -> Database {
    let server = server();
    let n = NEXT_DB.fetch_add(1, Ordering::SeqCst);
    let name = format!("t{}_{n}", std::process::id());
    let mut admin = server.client("postgres");
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .unwrap_or_else(|e| panic!("create database {name}: {e}"));
    Database {
        url: format!("postgres://{USER}@127.0.0.1:{}/{name}", server.port),
        name,
        port: server.port,
    }
}

impl Database {
    /// A client on this database, for assertions and for breaking connections.
    pub fn client(&self) -> ::postgres::Client {
        server().client(&self.name)
    }
}

impl Postgres {
    /// A client on database `name`.
    pub fn client(&self, name: &str) -> ::postgres::Client {
        ::postgres::Config::new()
            .host("127.0.0.1")
            .port(self.port)
            .user(USER)
            .password(PASSWORD)
            .dbname(name)
            .connect(::postgres::NoTls)
            .unwrap_or_else(|e| panic!("connect to the test server: {e}"))
    }

    fn command(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        match &self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(path);
                c
            }
            None => Command::new(path),
        }
    }
}

/// The folder of `initdb` and `pg_ctl`: ZYNK_TEST_PG_BIN, else PATH, else Debian's
/// versioned folders (newest first).
fn find_bin() -> Result<PathBuf, String> {
    if let Some(dir) = std::env::var_os("ZYNK_TEST_PG_BIN") {
        return Ok(PathBuf::from(dir));
    }
    let has_tools = |dir: &Path| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file();
    if let Some(dir) = std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .find(|d| has_tools(d))
    {
        return Ok(dir);
    }
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path().join("bin"))
                .filter(|d| has_tools(d))
                .collect()
        })
        .unwrap_or_default();
    versions.sort_by_key(|d| {
        d.parent()
            .and_then(Path::file_name)
            .and_then(|v| v.to_str())
            .and_then(|v| v.parse::<u32>().ok())
            .unwrap_or(0)
    });
    versions
        .pop()
        .ok_or_else(|| "no `initdb` and `pg_ctl` found".to_string())
}

fn output_of(command: &mut Command) -> Result<String, String> {
    let out = command
        .output()
        .map_err(|e| format!("cannot run {command:?}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{command:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn start() -> Result<Postgres, String> {
    let bin = find_bin()?;
    let root = output_of(Command::new("id").arg("-u"))? == "0";
    let run_as = root.then(|| "postgres".to_string());
    let dir = tempfile::Builder::new()
        .prefix("zynk-pg-")
        .tempdir()
        .map_err(|e| e.to_string())?
        .keep();
    if let Some(user) = &run_as {
        let uid: u32 = output_of(Command::new("id").args(["-u", user]))?
            .parse()
            .map_err(|_| format!("no uid for user {user}"))?;
        std::os::unix::fs::chown(&dir, Some(uid), None).map_err(|e| e.to_string())?;
    }
    let data = dir.join("data");
    let pwfile = dir.join("pw");
    std::fs::write(&pwfile, PASSWORD).map_err(|e| e.to_string())?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| e.to_string())?
        .port();
    let server = Postgres {
        port,
        ca_file: dir.join("ca.crt"),
        bin,
        data: data.clone(),
        run_as,
    };
    if let Some(user) = &server.run_as {
        output_of(Command::new("chown").arg(user).arg(&pwfile))?;
    }
    output_of(
        server
            .command("initdb")
            .arg("-D")
            .arg(&data)
            .args(["-U", USER, "-E", "UTF8", "--no-sync"])
            .args(["--auth-local=trust", "--auth-host=scram-sha-256"])
            .arg(format!("--pwfile={}", pwfile.display())),
    )?;
    certificates(&server, &dir)?;
    let hba = data.join("pg_hba.conf");
    let rules = std::fs::read_to_string(&hba).map_err(|e| e.to_string())?;
    std::fs::write(
        &hba,
        format!("hostnossl {TLS_ONLY} all 127.0.0.1/32 reject\n{rules}"),
    )
    .map_err(|e| e.to_string())?;
    let options = format!(
        "-p {port} -k {dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off \
         -c full_page_writes=off -c max_connections=200 -c ssl=on \
         -c ssl_cert_file={dir}/server.crt -c ssl_key_file={dir}/server.key",
        dir = dir.display()
    );
    output_of(
        server
            .command("pg_ctl")
            .arg("-D")
            .arg(&data)
            .args(["-o", &options, "-w", "-l"])
            .arg(dir.join("log"))
            .arg("start"),
    )?;
    watchdog(&server, &dir)?;
    Ok(server)
}

/// A private CA, and a certificate it signed for the server under the name `localhost`
/// only (so a connection to 127.0.0.1 meets a name that does not match).
fn certificates(server: &Postgres, dir: &Path) -> Result<(), String> {
    use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
    let names = vec!["localhost".to_string()];
    let ca_key = KeyPair::generate().map_err(|e| e.to_string())?;
    let mut ca_params = CertificateParams::new(names.clone()).map_err(|e| e.to_string())?;
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = ca_params.self_signed(&ca_key).map_err(|e| e.to_string())?;
    let issuer = Issuer::new(ca_params, &ca_key);
    let key = KeyPair::generate().map_err(|e| e.to_string())?;
    let cert = CertificateParams::new(names)
        .and_then(|p| p.signed_by(&key, &issuer))
        .map_err(|e| e.to_string())?;
    let write = |name: &str, text: String| std::fs::write(dir.join(name), text);
    write("ca.crt", ca.pem())
        .and_then(|()| write("server.crt", cert.pem()))
        .and_then(|()| write("server.key", key.serialize_pem()))
        .map_err(|e| e.to_string())?;
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            dir.join("server.key"),
            std::fs::Permissions::from_mode(0o600),
        )
        .map_err(|e| e.to_string())?;
    }
    if let Some(user) = &server.run_as {
        output_of(
            Command::new("chown")
                .arg(user)
                .arg(dir.join("server.crt"))
                .arg(dir.join("server.key")),
        )?;
    }
    Ok(())
}

/// Stops the server and removes its folder once this test process has ended.
fn watchdog(server: &Postgres, dir: &Path) -> Result<(), String> {
    let stop = server.command("pg_ctl");
    let mut stop_line = format!("{:?}", stop.get_program());
    for arg in stop.get_args() {
        stop_line.push(' ');
        stop_line.push_str(&format!("{arg:?}"));
    }
    let script = format!(
        "while kill -0 {pid} 2>/dev/null; do sleep 0.5; done; \
         {stop_line} -D {data:?} -m immediate stop >/dev/null 2>&1; rm -rf {dir:?}",
        pid = std::process::id(),
        data = server.data,
    );
    Command::new("sh")
        .args(["-c", &script])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map(|_| ())
        .map_err(|e| format!("cannot start the watchdog: {e}"))
}
