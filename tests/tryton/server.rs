//! A real trytond for the tests: a venv and a set-up company database made once under the build folder (a file lock keeps parallel tests to one provisioning), copied and served on a free port per test.
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// The packages the tests run Tryton from.
const PACKAGES: [&str; 3] = ["trytond==8.2.*", "trytond-sale==8.2.*", "proteus==8.2.*"];
/// The admin password of the test databases.
pub const PASSWORD: &str = "admin";
/// The database name.
pub const DATABASE: &str = "zynk";

/// Where the venv and the ready database live: beside the build's test files.
fn root() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("target folder")
        .join("tryton")
}

fn setup_script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/tryton/setup_company.py")
}

/// The products the test company stocks: those of the demo shop's catalogue its orders sell
/// (creating a product costs Tryton about 25 ms), and the Zynk samples' `TEST01`.
fn products() -> Value {
    let data = zynk::demo::generate(zynk::demo::DEFAULT_SEED);
    let sold: std::collections::HashSet<&str> = data
        .orders
        .iter()
        .flat_map(|o| o.lines.iter().map(|l| l.sku.as_str()))
        .collect();
    let mut list: Vec<Value> = data
        .products
        .iter()
        .filter(|p| sold.contains(p.sku.as_str()))
        .map(|p| {
            json!({
                "code": p.sku, "name": p.name, "price": p.price, "qty": p.qty,
                "rate": if p.tax_code == 1 { 20 } else { 0 },
            })
        })
        .collect();
    list.push(
        json!({"code": "TEST01", "name": "Test Item 01", "price": 200, "qty": 100, "rate": 20}),
    );
    Value::Array(list)
}

/// A short hash of what the ready database is made from, so a change re-provisions it.
fn recipe_hash() -> String {
    let script = std::fs::read(setup_script()).expect("read the set-up script");
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in script.iter().chain(products().to_string().as_bytes()) {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

fn run(cmd: &mut Command, what: &str) {
    let out = cmd.output().unwrap_or_else(|e| {
        panic!("Tryton tests: cannot {what}: {e}. These tests need python3 with venv and pip (Debian: apt-get install python3-venv python3-pip)")
    });
    assert!(
        out.status.success(),
        "Tryton tests: {what} failed ({}):\n{}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn write_conf(path: &Path, db_dir: &Path) {
    std::fs::write(
        path,
        format!("[database]\nuri = sqlite://\npath = {}\n", db_dir.display()),
    )
    .expect("write trytond.conf");
}

/// The venv's folder and the ready database file, provisioned on first use.
fn provisioned() -> (PathBuf, PathBuf) {
    let root = root();
    std::fs::create_dir_all(&root).expect("create the Tryton folder");
    let lock = std::fs::File::create(root.join(".lock")).expect("lock file");
    fs4::FileExt::lock(&lock).expect("lock the Tryton folder");
    let venv = root.join("venv");
    if !venv.join("bin/trytond").exists() {
        let _ = std::fs::remove_dir_all(&venv);
        run(
            Command::new("python3").args(["-m", "venv"]).arg(&venv),
            "create a Python venv (python3 -m venv)",
        );
        run(
            Command::new(venv.join("bin/pip"))
                .args(["install", "--quiet", "--disable-pip-version-check"])
                .args(PACKAGES),
            "install trytond, trytond-sale and proteus 8.2 with pip",
        );
    }
    let base = root.join(format!("base-{}", recipe_hash()));
    let ready = base.join("db").join(format!("{DATABASE}.sqlite"));
    if !base.join("ready").exists() {
        let _ = std::fs::remove_dir_all(&base);
        let db_dir = base.join("db");
        std::fs::create_dir_all(&db_dir).expect("create the base folder");
        let conf = base.join("trytond.conf");
        write_conf(&conf, &db_dir);
        std::fs::write(&ready, b"").expect("create the database file");
        let pass = base.join("password");
        std::fs::write(&pass, PASSWORD).expect("write the password file");
        run(
            Command::new(venv.join("bin/trytond-admin"))
                .arg("-c")
                .arg(&conf)
                .args([
                    "-d",
                    DATABASE,
                    "--all",
                    "-u",
                    "sale",
                    "--activate-dependencies",
                ])
                .args(["--email", "admin@example.com"])
                .env("TRYTONPASSFILE", &pass),
            "initialise the Tryton database (trytond-admin)",
        );
        let products_file = base.join("products.json");
        std::fs::write(&products_file, products().to_string()).expect("write products.json");
        run(
            Command::new(venv.join("bin/python"))
                .arg(setup_script())
                .arg(&conf)
                .arg(DATABASE)
                .arg(&products_file),
            "set up the company (scripts/tryton/setup_company.py)",
        );
        std::fs::write(base.join("ready"), b"").expect("mark the database ready");
    }
    drop(lock);
    (venv, ready)
}

/// A trytond serving a fresh copy of the ready database; stopped when dropped.
pub struct Tryton {
    child: Option<Child>,
    venv: PathBuf,
    pub dir: tempfile::TempDir,
    port: u16,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

impl Tryton {
    pub fn start() -> Tryton {
        let (venv, ready) = provisioned();
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("db")).expect("db folder");
        std::fs::copy(
            &ready,
            dir.path().join("db").join(format!("{DATABASE}.sqlite")),
        )
        .expect("copy the ready database");
        write_conf(&dir.path().join("trytond.conf"), &dir.path().join("db"));
        let mut t = Tryton {
            child: None,
            venv,
            dir,
            port: free_port(),
        };
        t.serve();
        t
    }

    /// Starts trytond (again) on the same port and database, and waits for it to answer.
    pub fn serve(&mut self) {
        let log = std::fs::File::create(self.dir.path().join("trytond.log")).expect("log");
        let child = Command::new(self.venv.join("bin/trytond"))
            .arg("-c")
            .arg(self.dir.path().join("trytond.conf"))
            .args(["-d", DATABASE])
            .env("TRYTOND_WEB__LISTEN", format!("127.0.0.1:{}", self.port))
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log"))
            .stderr(log)
            .spawn()
            .expect("start trytond");
        self.child = Some(child);
        let started = Instant::now();
        loop {
            if let Ok(v) = self.raw("rpc/", "common.server.version", json!([]), None)
                && v.get("result").is_some()
            {
                return;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "trytond did not answer within 60 s:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Stops the server (SIGKILL), as a crash would.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("trytond.log")).unwrap_or_default()
    }

    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn raw(
        &self,
        path: &str,
        method: &str,
        params: Value,
        auth: Option<&str>,
    ) -> Result<Value, String> {
        let mut req = reqwest::blocking::Client::new()
            .post(format!("{}/{path}", self.url()))
            .header("Content-Type", "application/json")
            .body(json!({"id": 1, "method": method, "params": params}).to_string());
        if let Some(a) = auth {
            req = req.header("Authorization", a);
        }
        let resp = req.send().map_err(|e| e.to_string())?;
        let text = resp.text().map_err(|e| e.to_string())?;
        serde_json::from_str(&text).map_err(|e| format!("{e}: {text}"))
    }

    /// A reader of the database for the assertions, logged in as admin (plain JSON-RPC, not
    /// zynk's client).
    pub fn reader(&self) -> Reader<'_> {
        let v = self
            .raw(
                &format!("{DATABASE}/rpc/"),
                "common.db.login",
                json!(["admin", {"password": PASSWORD}, "en"]),
                None,
            )
            .expect("login");
        let r = &v["result"];
        use base64::Engine as _;
        let token = base64::engine::general_purpose::STANDARD.encode(format!(
            "admin:{}:{}",
            r[0],
            r[1].as_str().expect("session")
        ));
        Reader {
            server: self,
            auth: format!("Session {token}"),
        }
    }
}

impl Drop for Tryton {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Reads records back from the test server.
pub struct Reader<'a> {
    server: &'a Tryton,
    auth: String,
}

impl Reader<'_> {
    /// `search_read` with the company's context.
    pub fn search_read(&self, model: &str, domain: Value, fields: &[&str]) -> Vec<Value> {
        self.search_read_in(model, domain, fields, json!({"company": 1}))
    }

    /// Calls `model.<model>.<method>` with `args` and the company's context.
    pub fn call(&self, model: &str, method: &str, mut args: Vec<Value>) -> Value {
        args.push(json!({"company": 1}));
        let v = self
            .server
            .raw(
                &format!("{DATABASE}/rpc/"),
                &format!("model.{model}.{method}"),
                Value::Array(args),
                Some(&self.auth),
            )
            .expect("call");
        assert!(v.get("error").is_none(), "{model}.{method}: {v}");
        v["result"].clone()
    }

    pub fn search_read_in(
        &self,
        model: &str,
        domain: Value,
        fields: &[&str],
        context: Value,
    ) -> Vec<Value> {
        let v = self
            .server
            .raw(
                &format!("{DATABASE}/rpc/"),
                &format!("model.{model}.search_read"),
                json!([domain, 0, null, null, fields, context]),
                Some(&self.auth),
            )
            .expect("search_read");
        match v.get("result") {
            Some(Value::Array(rows)) => rows.clone(),
            _ => panic!("search_read {model}: {v}"),
        }
    }
}

/// A decimal from an answer.
pub fn dec(v: &Value) -> f64 {
    v["decimal"]
        .as_str()
        .and_then(|d| d.parse().ok())
        .or_else(|| v.as_f64())
        .unwrap_or_else(|| panic!("not a decimal: {v}"))
}
