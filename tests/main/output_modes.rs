//! Every file a run leaves for a user gets one mode: `0666` less the umask, as other Unix tools give.
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

use crate::harness::Project;
use crate::support::server::{TestResponse, TestServer};

const SCRIPT: &str = r#"workflow "t"
param site = "http://127.0.0.1:1"
fetch "${site}/zynk/download" to "download.xml"
notify "${site}/zynk/upload" with "download.xml" to "response.txt"
write "<Company><Products><Product><Sku>A</Sku></Product><Product><Sku>B</Sku></Product></Products></Company>" to "p.xml"
copy "p.xml" to "c.xml"
export stock to "stock.xml"
split "p.xml" by xpath `/Company/Products/Product` limit 1 into "Chunks"
map "p.xml" to "m.xml" {
    for each `/Company/Products/Product` as "Products/Product" {
        "Sku" = `Sku`
    }
}
"#;

/// Runs the script under `umask` and returns each output's mode by its path in the
/// working directory.
fn modes_under(umask: &str, also: &str) -> Vec<(String, u32)> {
    let project = Project::new();
    let server = TestServer::start(|_| TestResponse::ok("<Company><Customers/></Company>"));
    let script = project.script(&format!("{SCRIPT}{also}"));
    let site = format!("site={}", server.url("").trim_end_matches('/'));
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "umask {umask} && exec \"$0\" run \"$1\" --var \"$2\""
        ))
        .arg(env!("CARGO_BIN_EXE_zynk"))
        .arg(&script)
        .arg(&site)
        .current_dir(project.dir.path())
        .env("NO_COLOR", "1")
        .output()
        .expect("run zynk");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut modes = Vec::new();
    collect(&project.workdir("t"), &project.workdir("t"), &mut modes);
    modes.sort();
    modes
}

fn collect(root: &Path, dir: &Path, into: &mut Vec<(String, u32)>) {
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(root, &path, into);
        } else {
            let mode = entry.metadata().expect("meta").permissions().mode() & 0o777;
            let rel = path.strip_prefix(root).expect("under root");
            into.push((rel.to_string_lossy().replace('\\', "/"), mode));
        }
    }
}

#[test]
fn every_output_is_0644_under_the_usual_umask() {
    let modes = modes_under("022", "");
    let names: Vec<&str> = modes.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "Chunks/p_1.xml",
            "Chunks/p_2.xml",
            "c.xml",
            "download.xml",
            "m.xml",
            "p.xml",
            "response.txt",
            "stock.xml"
        ]
    );
    for (name, mode) in &modes {
        assert_eq!(*mode, 0o644, "{name} has mode {mode:o}");
    }
}

#[test]
fn outputs_and_archives_follow_a_stricter_umask() {
    let modes = modes_under("027", "archive to \"Archive\"\n");
    assert_eq!(modes.len(), 3, "{modes:?}");
    assert!(modes[0].0.starts_with("Archive/") && modes[0].0.ends_with("_archive.zip"));
    for (name, mode) in &modes {
        assert_eq!(*mode, 0o640, "{name} has mode {mode:o}");
    }
}
