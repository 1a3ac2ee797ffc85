//! The library's layers: the parts below the interpreter never import it back.
use std::path::{Path, PathBuf};

/// Modules the interpreter builds on: none of them may name a module of the interpreter.
const BELOW: &[&str] = &[
    "syntax",
    "process",
    "http",
    "ledger",
    "state",
    "tryton",
    "split",
    "map",
    "connect",
    "xpath",
    "output_file",
];

/// The interpreter: the language's front end, its statements, the runtime and the planner.
const INTERPRETER: &[&str] = &[
    "syntax", "check", "tasks", "runtime", "plan", "launch", "cli",
];

fn sources(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_file() {
        out.push(path.to_path_buf());
        return;
    }
    let Ok(entries) = std::fs::read_dir(path) else {
        return;
    };
    for entry in entries.flatten() {
        sources(&entry.path(), out);
    }
}

/// The interpreter modules a source file's code (not its comments) names, as `crate::NAME`
/// or inside `use crate::{…}`.
fn interpreter_uses(text: &str) -> Vec<&'static str> {
    let code: Vec<&str> = text
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect();
    let flat: String = code
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    INTERPRETER
        .iter()
        .copied()
        .filter(|name| {
            flat.contains(&format!("crate::{name}::"))
                || flat.contains(&format!("crate::{{{name}::"))
                || flat.contains(&format!(", {name}::")) && flat.contains("use crate::{")
        })
        .collect()
}

#[test]
fn modules_below_the_interpreter_do_not_import_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut offenders = Vec::new();
    for module in BELOW {
        let mut files = Vec::new();
        sources(&src.join(module), &mut files);
        sources(&src.join(format!("{module}.rs")), &mut files);
        assert!(!files.is_empty(), "src/{module} is missing");
        for file in files {
            let text = std::fs::read_to_string(&file).expect("a source file");
            for name in interpreter_uses(&text) {
                if name == *module {
                    continue;
                }
                offenders.push(format!("{} imports crate::{name}", file.display()));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "modules below the interpreter import it:\n{}",
        offenders.join("\n")
    );
}

#[test]
fn an_import_of_the_runtime_is_found() {
    assert_eq!(
        interpreter_uses("use crate::runtime::FailureKind;"),
        ["runtime"]
    );
    assert_eq!(
        interpreter_uses("use crate::{\n    json,\n    tasks::Kind,\n};"),
        ["tasks"]
    );
    assert!(interpreter_uses("use crate::process::fault;").is_empty());
    assert!(interpreter_uses("/// See [`crate::tasks::Registry`].").is_empty());
}
