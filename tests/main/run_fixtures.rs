//! Run fixtures: each folder of `tests/fixtures/run/` is a case. Its files (a
//! `script.zynk`, its inputs under `data/WORKFLOW/`, …) are copied into a temporary
//! folder, the real `zynk` runs there, and what it did is compared with the case's
//! `outcome.snap`: for each command its exit status, stdout and stderr, then every file
//! left in the folder, with the contents of those the run wrote or changed.
//!
//! - `commands`, if present, holds the commands to run, one a line, its words separated by
//!   spaces (default: `run script.zynk`); each runs in turn in the same folder.
//! - A file named `.keep` is not copied, but its folder is created (git keeps no empty
//!   folder).
//! - Timings, the temporary folder's path and the time in archive names are redacted;
//!   databases and run locks are named, not shown.
//! - A file whose content equals a file listed before it is shown as `= THAT FILE`, so a
//!   snapshot states when two outputs are the same.
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::harness::zynk_in;

const CASES: &str = "tests/fixtures/run";

/// Files of the case folder that are not copied: the snapshot and the commands.
const NOT_INPUTS: &[&str] = &["outcome.snap", "outcome.snap.new", "commands", ".keep"];

#[test]
fn run_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(CASES);
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("tests/fixtures/run")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(!cases.is_empty(), "no run fixtures");
    let mut failed = Vec::new();
    for case in &cases {
        let name = case
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let result = std::panic::catch_unwind(|| run_case(case));
        if result.is_err() {
            failed.push(name);
        }
    }
    assert!(failed.is_empty(), "run fixtures that differ: {failed:?}");
}

fn run_case(case: &Path) {
    let dir = tempfile::tempdir().expect("temp dir");
    let inputs = copy_inputs(case, dir.path());
    let commands = std::fs::read_to_string(case.join("commands"))
        .unwrap_or_else(|_| "run script.zynk".to_string());
    let mut window = Window::start();
    let mut outcomes = Vec::new();
    for command in commands.lines().filter(|l| !l.trim().is_empty()) {
        let args: Vec<&str> = command.split_whitespace().collect();
        outcomes.push((command.to_string(), zynk_in(dir.path(), &args)));
    }
    window.end();
    let mut out = String::new();
    for (command, outcome) in outcomes {
        out.push_str(&format!("$ zynk {command}\nstatus: {}\n", outcome.code));
        for (stream, text) in [("stdout", &outcome.stdout), ("stderr", &outcome.stderr)] {
            if !text.is_empty() {
                out.push_str(&format!(
                    "--- {stream}\n{}",
                    redact(text, dir.path(), &window)
                ));
                if !text.ends_with('\n') {
                    out.push('\n');
                }
            }
        }
    }
    out.push_str("--- files\n");
    out.push_str(&files(dir.path(), &inputs, &window));
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(case);
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_snapshot!("outcome", out));
}

/// Copies the case's inputs into `to`; returns them by path, with their contents.
fn copy_inputs(case: &Path, to: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut inputs = BTreeMap::new();
    for path in walk(case) {
        let rel = relative(&path, case);
        let file_name = path.file_name().expect("name").to_string_lossy();
        let target = to.join(&rel);
        std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
        if NOT_INPUTS.contains(&file_name.as_ref()) {
            continue;
        }
        let bytes = std::fs::read(&path).expect("read input");
        std::fs::write(&target, &bytes).expect("copy input");
        inputs.insert(rel, bytes);
    }
    inputs
}

/// Every file below `dir`, and every empty folder (as `NAME/`), sorted.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for entry in entries {
        if entry.is_dir() {
            out.extend(walk(&entry));
        } else {
            out.push(entry);
        }
    }
    out
}

fn relative(path: &Path, root: &Path) -> String {
    path.strip_prefix(root)
        .expect("below root")
        .to_string_lossy()
        .replace('\\', "/")
}

/// The files in the folder after the run: inputs the run left alone are named, the rest
/// shown with their contents; inputs the run removed are listed as deleted.
fn files(dir: &Path, inputs: &BTreeMap<String, Vec<u8>>, window: &Window) -> String {
    let mut out = String::new();
    let mut shown: Vec<(String, Vec<u8>)> = Vec::new();
    let mut present = Vec::new();
    for path in walk(dir) {
        let rel = relative(&path, dir);
        if rel == "script.zynk" {
            present.push(rel);
            continue;
        }
        let name = window.redact(&rel);
        let bytes = std::fs::read(&path).expect("read output");
        present.push(rel.clone());
        if inputs.get(&rel) == Some(&bytes) {
            out.push_str(&format!("{name}: unchanged\n"));
            continue;
        }
        if rel.ends_with(".sqlite") || rel.contains(".sqlite-") {
            out.push_str(&format!("{name}: a database\n"));
            continue;
        }
        if rel.ends_with(".lock") {
            // The run lock: its process id and start time change from run to run.
            out.push_str(&format!("{name}: a run lock\n"));
            continue;
        }
        if let Some((same, _)) = shown.iter().find(|(_, b)| *b == bytes) {
            out.push_str(&format!("{name}: = {same}\n"));
            continue;
        }
        out.push_str(&format!("{name}:\n{}", show(&path, &bytes)));
        shown.push((name, bytes));
    }
    for rel in inputs.keys() {
        if !present.contains(rel) {
            out.push_str(&format!("{rel}: deleted\n"));
        }
    }
    for folder in empty_folders(dir) {
        out.push_str(&format!("{}/: empty folder\n", relative(&folder, dir)));
    }
    out
}

fn empty_folders(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    entries.sort();
    for entry in entries {
        if std::fs::read_dir(&entry)
            .expect("read dir")
            .next()
            .is_none()
        {
            out.push(entry);
        } else {
            out.extend(empty_folders(&entry));
        }
    }
    out
}

/// A file's contents, indented: text as it is, a zip as its entries.
fn show(path: &Path, bytes: &[u8]) -> String {
    let indent = |text: &str| {
        let mut out: String = text.lines().map(|l| format!("    {l}\n")).collect();
        if !text.is_empty() && !text.ends_with('\n') {
            out.push_str("    (no newline at end)\n");
        }
        out
    };
    if path.extension().is_some_and(|e| e == "zip") {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("valid zip");
        let mut entries = Vec::new();
        for i in 0..zip.len() {
            let mut entry = zip.by_index(i).expect("entry");
            let mut text = String::new();
            entry.read_to_string(&mut text).expect("text entry");
            entries.push((entry.name().expect("entry name").to_string(), text));
        }
        entries.sort();
        let mut out = String::new();
        for (name, text) in entries {
            out.push_str(&format!("  entry {name}:\n{}", indent(&text)));
        }
        return out;
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => indent(text),
        Err(_) => format!("    ({} bytes, not UTF-8)\n", bytes.len()),
    }
}

/// A run's output, with what changes from run to run replaced by a `[…]` name: the
/// temporary folder, the time a statement took (`(0.01s)` in text, `elapsed_ms` in JSON),
/// and the run id and time stamp of JSON events.
fn redact(text: &str, dir: &Path, window: &Window) -> String {
    let mut text = text.to_string();
    let real = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    for dir in [real.as_path(), dir] {
        text = text.replace(&dir.display().to_string(), "[dir]");
    }
    let rules = [
        (r"\(\d+\.\d\ds\)", "([time])"),
        (r#""elapsed_ms":\d+"#, r#""elapsed_ms":"[time]""#),
        (r#""ts":"[^"]*""#, r#""ts":"[ts]""#),
        (r#""run_id":\d+"#, r#""run_id":"[id]""#),
    ];
    let text = rules.iter().fold(text, |text, (pattern, with)| {
        regex::Regex::new(pattern)
            .expect("regex")
            .replace_all(&text, *with)
            .into_owned()
    });
    window.redact(&text)
}

/// When the commands ran, to tell the archives they made by the time in their names
/// (`20240131093000_archive.zip`) from older ones given as inputs.
struct Window {
    from: String,
    to: String,
}

impl Window {
    fn stamp(at: jiff::Zoned) -> String {
        at.strftime("%Y%m%d%H%M%S").to_string()
    }

    fn start() -> Window {
        let now = jiff::Zoned::now();
        let from = now
            .checked_sub(jiff::SignedDuration::from_secs(2))
            .expect("time");
        Window {
            from: Window::stamp(from),
            to: String::new(),
        }
    }

    fn end(&mut self) {
        let now = jiff::Zoned::now();
        let to = now
            .checked_add(jiff::SignedDuration::from_secs(2))
            .expect("time");
        self.to = Window::stamp(to);
    }

    /// `[now]` for a time stamp within the window.
    fn redact(&self, text: &str) -> String {
        let stamp = regex::Regex::new(r"\b(\d{14})((_\d+)?_archive\.zip)").expect("regex");
        stamp
            .replace_all(text, |c: &regex::Captures<'_>| {
                let at = &c[1];
                if *at >= *self.from && *at <= *self.to {
                    format!("[now]{}", &c[2])
                } else {
                    c[0].to_string()
                }
            })
            .into_owned()
    }
}
