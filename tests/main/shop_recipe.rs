//! What the tests of the shop recipes share: a project whose ledger holds the demo shops'
//! products, a recipe run as its docs say, the ledger's orders, and every file a run left
//! (the members of its zip archives included).
use std::path::{Path, PathBuf};
use std::process::Command;

use zynk::demo::seed_woo_ledger;
use zynk::ledger::Ledger;

use crate::harness::{Outcome, Project};

/// A project with `data/ledger.sqlite` holding the shops' products.
pub fn seeded_project() -> Project {
    let project = Project::new();
    std::fs::create_dir_all(project.path("data")).expect("data");
    let ledger = Ledger::open(&project.path("data/ledger.sqlite")).expect("ledger");
    seed_woo_ledger(&ledger).expect("products in the ledger");
    project
}

/// `ENV=… zynk run scripts/RECIPE --var site=SITE --data data --var …` in the project.
pub fn run_recipe(
    project: &Project,
    recipe: &str,
    site: &str,
    env: &[(&str, &str)],
    vars: &[&str],
) -> Outcome {
    let recipe = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scripts")
        .join(recipe);
    let mut command = Command::new(env!("CARGO_BIN_EXE_zynk"));
    command
        .args(["run", recipe.to_str().expect("utf-8")])
        .args(["--var", &format!("site={site}")])
        .args(["--data", "data"]);
    for var in vars {
        command.args(["--var", var]);
    }
    for (name, value) in env {
        command.env(name, value);
    }
    let output = command
        .current_dir(project.dir.path())
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .output()
        .expect("zynk runs");
    Outcome {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// The ledger's orders: (customer order number, account, gross, net, VAT, order date).
pub fn ledger_orders(project: &Project) -> Vec<(String, String, f64, f64, f64, String)> {
    let conn = rusqlite::Connection::open(project.path("data/ledger.sqlite")).expect("ledger");
    let mut stmt = conn
        .prepare("SELECT cust_order_number, account_ref, invoice_gross, invoice_net, invoice_tax, order_date FROM sales_order")
        .expect("query");
    stmt.query_map([], |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
        ))
    })
    .expect("rows")
    .map(|r| r.expect("row"))
    .collect()
}

/// `12.30` as 1230.
pub fn pennies(text: &str) -> i64 {
    (text.parse::<f64>().unwrap_or(f64::NAN) * 100.0).round() as i64
}

/// Diagnostic text without miette's line wrapping and gutter.
pub fn flat(text: &str) -> String {
    text.lines()
        .map(|l| l.trim_start_matches([' ', '│', '·']).trim_end())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every file under `dir` with its bytes; a zip archive's members as `NAME in ARCHIVE`.
pub fn files_and_members(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<PathBuf> = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else {
                files.push(path);
            }
        }
    }
    let mut out = Vec::new();
    for file in files {
        let bytes = std::fs::read(&file).unwrap_or_default();
        if file.extension().is_some_and(|e| e == "zip") {
            let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
            for i in 0..zip.len() {
                let mut member = zip.by_index(i).expect("a member");
                let mut data = Vec::new();
                std::io::Read::read_to_end(&mut member, &mut data).expect("unzip");
                let name = member.name().map(|n| n.to_string()).unwrap_or_default();
                out.push((format!("{name} in {}", file.display()), data));
            }
        } else {
            out.push((file.display().to_string(), bytes));
        }
    }
    out
}

/// The text of the archived member `name` (the first archive that holds one).
pub fn archived(dir: &Path, name: &str) -> String {
    let prefix = format!("{name} in ");
    files_and_members(dir)
        .into_iter()
        .find(|(n, _)| n.starts_with(&prefix))
        .map(|(_, bytes)| String::from_utf8_lossy(&bytes).into_owned())
        .unwrap_or_else(|| panic!("no {name} archived under {}", dir.display()))
}
