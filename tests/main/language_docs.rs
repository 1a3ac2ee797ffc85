//! Every fenced `zynk` example in `docs/language.md` passes `zynk check`, and runs.
//!
//! An example runs in a fresh data folder against a loopback server that stands in for
//! `http://127.0.0.1:8080`. The files it reads are named in an HTML comment just before
//! its fence: `<!-- files: download.xml=connect/Sample.xml -->` copies a fixture from
//! `tests/fixtures` into the working directory.
use std::path::Path;

use crate::harness::Project;
use crate::support::server::{TestResponse, TestServer};

struct Example {
    line: usize,
    text: String,
    files: Vec<(String, String)>,
}

fn examples() -> Vec<Example> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("docs/language.md")).expect("docs/language.md");
    let lines: Vec<&str> = doc.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim_end() != "```zynk" {
            i += 1;
            continue;
        }
        let files = i
            .checked_sub(1)
            .and_then(|p| lines[p].strip_prefix("<!-- files: "))
            .and_then(|c| c.strip_suffix(" -->"))
            .map(|list| {
                list.split(';')
                    .filter_map(|pair| pair.trim().split_once('='))
                    .map(|(a, b)| (a.trim().to_string(), b.trim().to_string()))
                    .collect()
            })
            .unwrap_or_default();
        let start = i + 1;
        let end = (start..lines.len())
            .find(|&j| lines[j].trim_end() == "```")
            .expect("a closing fence");
        out.push(Example {
            line: start,
            text: lines[start..end].join("\n") + "\n",
            files,
        });
        i = end + 1;
    }
    out
}

fn workflow_of(text: &str) -> String {
    text.lines()
        .find_map(|l| l.strip_prefix("workflow \""))
        .and_then(|l| l.split('"').next())
        .unwrap_or("script")
        .to_string()
}

#[test]
fn every_zynk_example_checks_and_runs() {
    let examples = examples();
    assert!(
        examples.len() >= 6,
        "found only {} examples",
        examples.len()
    );
    let server = TestServer::start(|_| TestResponse::ok("ok"));
    let site = server.url("");
    let site = site.trim_end_matches('/');
    for example in &examples {
        let project = Project::new();
        let script = project.script(&example.text);
        let script = script.to_str().expect("utf-8");
        let check = project.zynk(&["check", script]);
        assert_eq!(
            check.code, 0,
            "docs/language.md line {}: zynk check failed\n{}{}",
            example.line, check.stdout, check.stderr
        );
        let workdir = project.workdir(&workflow_of(&example.text));
        for (name, fixture) in &example.files {
            let from = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures")
                .join(fixture);
            let to = workdir.join(name);
            std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
            std::fs::copy(&from, &to).unwrap_or_else(|e| panic!("{}: {e}", from.display()));
        }
        project.script(&example.text.replace("http://127.0.0.1:8080", site));
        let run = project.zynk(&["run", script]);
        assert_eq!(
            run.code, 0,
            "docs/language.md line {}: zynk run failed\n{}{}",
            example.line, run.stdout, run.stderr
        );
    }
}
