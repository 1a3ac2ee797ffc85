//! The command line behaves as a Unix user expects: closed pipes, stdin, folders, one data
//! folder rule, `--strict`, colour, quiet and verbose, completions, a man page, versions.
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use super::harness::{Project, zynk_in};

const WARNING_SCRIPT: &str = "workflow \"W\"\nmap \"shop.xml\" to \"orders.xml\" {\n    for each `/orders/order` as \"SalesOrders/SalesOrder\" {\n        \"SalesOrderAdress/Town\" = `city`\n    }\n}\n";

fn zynk_cmd(project: &Project) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_zynk"));
    cmd.current_dir(project.dir.path())
        .env("COLUMNS", "80")
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("ZYNK_DATA");
    cmd
}

#[test]
fn a_reader_that_closes_the_pipe_ends_the_listing_quietly() {
    let project = Project::new();
    let mut xml = String::from("<Company><Products>");
    for i in 0..200_000 {
        xml.push_str(&format!("<Product><Sku>SKU{i}</Sku></Product>\n"));
    }
    xml.push_str("</Products></Company>");
    project.write("big.xml", &xml);
    let mut child = zynk_cmd(&project)
        .args(["xpath", "//Sku", "big.xml"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let stdout = child.stdout.take().expect("stdout");
    let mut first = String::new();
    BufReader::new(stdout)
        .read_line(&mut first)
        .expect("first line");
    assert_eq!(first, "SKU0\n");
    // The reader is gone now, like `| head -1`.
    let out = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
}

#[test]
fn zynk_data_names_the_data_folder_for_every_command() {
    let project = Project::new();
    project.write("sub/x.zynk", "workflow \"Env\"\nlet a = \"1\"\n");
    let shared = project.path("shared-data");
    let run = zynk_cmd(&project)
        .args(["run", "sub/x.zynk"])
        .env("ZYNK_DATA", &shared)
        .output()
        .expect("run");
    assert_eq!(run.status.code(), Some(0), "{run:?}");
    assert!(shared.join("Env").is_dir());
    assert!(!project.path("sub/data").exists());
    let runs = zynk_cmd(&project)
        .args(["runs"])
        .env("ZYNK_DATA", &shared)
        .output()
        .expect("runs");
    let listed = String::from_utf8_lossy(&runs.stdout);
    assert_eq!(runs.status.code(), Some(0), "{runs:?}");
    assert!(listed.contains("Env"), "{listed}");
    // `--data` wins over the variable.
    let other = zynk_cmd(&project)
        .args(["runs", "--data", "nowhere"])
        .env("ZYNK_DATA", &shared)
        .output()
        .expect("runs");
    assert_eq!(other.status.code(), Some(1));
}

#[test]
fn a_command_that_finds_no_data_names_the_folder_nearby() {
    let project = Project::new();
    project.write("scripts/x.zynk", "workflow \"Near\"\nlet a = \"1\"\n");
    assert_eq!(project.zynk(&["run", "scripts/x.zynk"]).code, 0);
    let runs = project.zynk(&["runs"]);
    assert_eq!(runs.code, 1);
    assert!(
        runs.stderr.contains("zynk::cli::no_store"),
        "{}",
        runs.stderr
    );
    assert!(
        runs.stderr.contains("--data scripts/data"),
        "{}",
        runs.stderr
    );
    let found = project.zynk(&["runs", "--data", "scripts/data"]);
    assert_eq!(found.code, 0, "{}", found.stderr);
    assert!(found.stdout.contains("Near"));
}

#[test]
fn check_reads_standard_input_and_whole_folders() {
    let project = Project::new();
    let mut child = zynk_cmd(&project)
        .args(["check", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"workflow \"Stdin\"\ndelete \"a.txt\"\n")
        .expect("write");
    let out = child.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "ok: <stdin> (workflow \"Stdin\", 1 statement)\n"
    );

    project.write("all/a.zynk", "workflow \"A\"\ndelete \"a.txt\"\n");
    project.write("all/deep/b.zynk", "workflow \"B\"\ndelete \"b.txt\"\n");
    project.write("all/deep/notes.txt", "not a script");
    let dir = project.zynk(&["check", "all"]);
    assert_eq!(dir.code, 0, "{}", dir.stderr);
    let lines: Vec<&str> = dir.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", dir.stdout);
    assert!(lines[0].contains("all/a.zynk"), "{}", dir.stdout);
    assert!(lines[1].contains("all/deep/b.zynk"), "{}", dir.stdout);
    project.write("all/deep/bad.zynk", "workflow \"C\"\nfetch\n");
    assert_eq!(project.zynk(&["check", "all"]).code, 2);
}

#[test]
fn xpath_reads_standard_input_in_any_encoding() {
    let project = Project::new();
    project.write("f.xml", "<Company><Sku>FILE</Sku></Company>");
    let xml: Vec<u8> = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><Company><Sku>A1</Sku><Sku>Caf\xe9</Sku></Company>".to_vec();
    let mut child = zynk_cmd(&project)
        .args(["xpath", "//Sku", "-", "f.xml"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(&xml)
        .expect("write");
    let out = child.wait_with_output().expect("wait");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "-: A1\n-: Café\nf.xml: FILE\n"
    );
}

#[test]
fn strict_check_fails_on_warnings_and_the_summary_counts_them() {
    let project = Project::new();
    project.write("w.zynk", WARNING_SCRIPT);
    let plain = project.zynk(&["check", "w.zynk"]);
    assert_eq!(plain.code, 0, "{}", plain.stderr);
    assert!(plain.stdout.contains("2 warnings"), "{}", plain.stdout);
    assert!(plain.stderr.contains("zynk::check::unknown_target"));
    // `shop.xml` is read and no statement writes it: the user's to put there, or a typo.
    assert!(plain.stderr.contains("zynk::check::unwritten_input"));
    let strict = project.zynk(&["check", "--strict", "w.zynk"]);
    assert_eq!(strict.code, 2);
    assert!(strict.stderr.contains("--strict"), "{}", strict.stderr);
}

#[test]
fn runs_of_a_run_that_does_not_exist_is_an_error() {
    let project = Project::new();
    project.write("x.zynk", "workflow \"R\"\nlet a = \"1\"\n");
    assert_eq!(project.zynk(&["run", "x.zynk"]).code, 0);
    let missing = project.zynk(&["runs", "--run", "99"]);
    assert_eq!(missing.code, 1, "{}", missing.stdout);
    assert!(missing.stdout.is_empty(), "{}", missing.stdout);
    assert!(missing.stderr.contains("zynk::state::no_such_run"));
    assert_eq!(project.zynk(&["runs", "--run", "1"]).code, 0);
}

#[test]
fn colour_follows_the_flag_and_clicolor_force() {
    let project = Project::new();
    project.write(
        "bad.zynk",
        "workflow \"C\"\nfetch \"http://x/\" to \"a\" retrys 1\n",
    );
    let stderr = |args: &[&str], force: bool| {
        let mut cmd = zynk_cmd(&project);
        cmd.args(args);
        if force {
            cmd.env("CLICOLOR_FORCE", "1");
        }
        String::from_utf8_lossy(&cmd.output().expect("run").stderr).into_owned()
    };
    assert!(stderr(&["check", "bad.zynk"], false).contains("retrys"));
    assert!(!stderr(&["check", "bad.zynk"], false).contains('\u{1b}'));
    assert!(stderr(&["check", "bad.zynk", "--color", "always"], false).contains('\u{1b}'));
    assert!(stderr(&["check", "bad.zynk"], true).contains('\u{1b}'));
    assert!(!stderr(&["--color", "never", "check", "bad.zynk"], true).contains('\u{1b}'));
}

#[test]
fn quiet_prints_only_problems_and_verbose_names_the_data_folder() {
    let project = Project::new();
    project.write("x.zynk", "workflow \"Q\"\nlet a = \"1\"\n");
    let quiet = project.zynk(&["-q", "run", "x.zynk"]);
    assert_eq!(quiet.code, 0, "{}", quiet.stderr);
    assert_eq!(quiet.stdout, "");
    let normal = project.zynk(&["run", "x.zynk"]);
    assert!(normal.stdout.contains("run succeeded"), "{}", normal.stdout);
    let verbose = project.zynk(&["run", "x.zynk", "--verbose"]);
    assert!(
        verbose.stderr.contains("data folder: data"),
        "{}",
        verbose.stderr
    );
    let quiet_check = project.zynk(&["check", "-q", "x.zynk"]);
    assert_eq!((quiet_check.code, quiet_check.stdout.as_str()), (0, ""));
}

#[test]
fn completions_and_the_man_page_are_generated() {
    let dir = tempfile::tempdir().expect("tmp");
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = zynk_in(dir.path(), &["completions", shell]);
        assert_eq!(out.code, 0, "{shell}: {}", out.stderr);
        assert!(out.stdout.contains("zynk"), "{shell}");
        assert!(out.stdout.contains("xpath"), "{shell}: subcommands listed");
    }
    assert_eq!(zynk_in(dir.path(), &["completions", "tcsh"]).code, 64);
    let man = zynk_in(dir.path(), &["man"]);
    assert_eq!(man.code, 0);
    assert!(man.stdout.contains(".TH zynk 1"), "{}", man.stdout);
    assert!(man.stdout.contains("completions"));
    // A page per subcommand, and every page zynk(1) names is written.
    let run = zynk_in(dir.path(), &["man", "run"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains(".TH zynk-run 1"), "{}", run.stdout);
    assert!(
        run.stdout.contains("\\-\\-var"),
        "its own options: {}",
        run.stdout
    );
    assert_eq!(zynk_in(dir.path(), &["man", "nope"]).code, 64);
    let pages = dir.path().join("man1");
    let wrote = zynk_in(
        dir.path(),
        &["man", "--out-dir", pages.to_str().expect("utf-8")],
    );
    assert_eq!(wrote.code, 0, "{}", wrote.stderr);
    let named: Vec<&str> = man
        .stdout
        .lines()
        .filter_map(|l| l.strip_suffix("(1)"))
        .collect();
    assert!(named.len() >= 10, "{named:?}");
    for page in named {
        let file = pages.join(format!("{}.1", page.replace("\\-", "-")));
        assert!(file.is_file(), "{} named but not written", file.display());
    }
}

#[test]
fn version_names_the_commit_when_built_from_git() {
    let dir = tempfile::tempdir().expect("tmp");
    let version = zynk_in(dir.path(), &["--version"]);
    assert_eq!(version.code, 0);
    let head = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    match head {
        Some(commit) => {
            assert!(
                version
                    .stdout
                    .contains(&format!("(commit {commit}, built ")),
                "{}",
                version.stdout
            );
        }
        None => assert!(version.stdout.starts_with("zynk 0."), "{}", version.stdout),
    }
}

#[test]
fn runs_lists_as_json_and_counts_a_failed_statement_as_an_error() {
    let project = Project::new();
    project.write("x.zynk", "workflow \"J\"\ndelete \"missing.txt\"\n");
    assert_eq!(project.zynk(&["run", "x.zynk"]).code, 1);
    let table = project.zynk(&["runs"]);
    let row = table.stdout.lines().nth(1).expect("a run row");
    let cols: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(cols[4], "1", "errors column of a failed run: {row}");
    let json = project.zynk(&["runs", "--format", "json"]);
    assert_eq!(json.code, 0, "{}", json.stderr);
    let runs: serde_json::Value = serde_json::from_str(&json.stdout).expect("json");
    assert_eq!(runs[0]["workflow"], "J");
    assert_eq!(runs[0]["result"], "Fail");
    assert_eq!(runs[0]["errors"], 1);
    let started = runs[0]["started"].as_str().expect("started");
    assert!(
        started.len() == 25
            && (started.ends_with(":00")
                || started.contains('+')
                || started[19..].starts_with('-')),
        "RFC 3339 with an offset: {started}"
    );
    let one = project.zynk(&["runs", "--run", "1", "--format", "json"]);
    let run: serde_json::Value = serde_json::from_str(&one.stdout).expect("json");
    assert_eq!(run["statements"][0]["statement"], "delete");
    assert_eq!(run["statements"][0]["line"], 2);
}

#[test]
fn one_record_is_one_record_and_file_times_have_whole_seconds() {
    let project = Project::new();
    project.write(
        "data/S/in/one.xml",
        "<Company><Products><Product><Sku>A</Sku></Product></Products></Company>",
    );
    project.write(
        "x.zynk",
        "workflow \"S\"\nsplit \"in/one.xml\" by xpath `/Company/Products/Product` into \"chunks\" limit 10\nforeach file in \"in\" {\n    write \"${file.modified}\" to \"modified.txt\"\n}\n",
    );
    let out = project.zynk(&["run", "x.zynk"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("1 record → 1 chunk"), "{}", out.stdout);
    let modified =
        std::fs::read_to_string(project.path("data/S/modified.txt")).expect("modified.txt");
    assert_eq!(modified.len(), 20, "no fraction of a second: {modified}");
    assert!(
        modified.ends_with('Z') && modified.as_bytes()[10] == b'T',
        "{modified}"
    );
}
