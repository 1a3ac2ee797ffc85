//! The command line: exit codes, `check`, `--var`, usage errors.
use crate::harness::{Project, zynk_in};

fn seed() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/website-sage50.zynk")
}

#[test]
fn check_accepts_the_seed_workflow_and_touches_nothing() {
    let project = Project::new();
    let script = project.path("seed.zynk");
    std::fs::copy(seed(), &script).expect("copy");
    let out = project.zynk(&["check", script.to_str().expect("utf-8")]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("9 statements"), "{}", out.stdout);
    assert!(
        !project.path("data").exists(),
        "check must not create the data folder"
    );
}

#[test]
fn check_reports_every_error_and_exits_2() {
    let project = Project::new();
    let script = project.script(
        "fetc \"http://a\" to \"a.xml\"\nfetch \"http://a\" to \"a.xml\" retrys 1\ndelete\n",
    );
    let out = project.zynk(&["check", script.to_str().expect("utf-8")]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("3 problems found"), "{}", out.stderr);
}

#[test]
fn an_invalid_script_is_not_run() {
    let project = Project::new();
    let script =
        project.script("delete \"a.xml\"\nfetch \"http://a\" to \"a.xml\" retries \"two\"\n");
    project.write("data/script/a.xml", "x");
    let out = project.zynk(&["run", script.to_str().expect("utf-8")]);
    assert_eq!(out.code, 2);
    assert!(project.path("data/script/a.xml").exists(), "nothing ran");
}

#[test]
fn var_for_an_undeclared_param_is_an_error() {
    let project = Project::new();
    let script = project.script("param site = \"http://127.0.0.1:1\"\n");
    let out = project.zynk(&[
        "check",
        script.to_str().expect("utf-8"),
        "--var",
        "sitee=http://x",
    ]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("zynk::check::undeclared_param"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("did you mean `site`?"),
        "{}",
        out.stderr
    );
}

#[test]
fn var_values_take_the_type_of_the_default() {
    let project = Project::new();
    let script = project
        .script("param tries = 2\nfetch \"http://127.0.0.1:1/a\" to \"a.xml\" retries tries\n");
    let out = project.zynk(&[
        "check",
        script.to_str().expect("utf-8"),
        "--var",
        "tries=many",
    ]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("zynk::check::invalid_param_value"),
        "{}",
        out.stderr
    );
    let ok = project.zynk(&["check", script.to_str().expect("utf-8"), "--var", "tries=3"]);
    assert_eq!(ok.code, 0, "{}", ok.stderr);
}

/// An out-of-range `--var` is an error shown against the `--var` text, not a panic or a
/// wrapped value, and an XPath given with `--var` is checked there too.
#[test]
fn var_values_out_of_range_are_shown_on_the_command_line() {
    let project = Project::new();
    let script = project.script(
        "param wait = 30s\nparam records = `/Company/Products/Product`\nfetch \"http://127.0.0.1:1/a\" to \"a.xml\" timeout wait\nsplit \"a.xml\" by xpath records into \"Chunks\"\n",
    );
    let path = script.to_str().expect("utf-8");
    let out = project.zynk(&["check", path, "--var", "wait=5124095576030432h"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("zynk::check::invalid_param_value"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("[command line:1:12]"), "{}", out.stderr);
    assert!(
        out.stderr.contains("--var wait=5124095576030432h"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("`24h`"), "{}", out.stderr);
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    let out = project.zynk(&["check", path, "--var", "records=/Company/["]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("[command line:1:15]"), "{}", out.stderr);
    assert!(out.stderr.contains("not a valid XPath"), "{}", out.stderr);
    let ok = project.zynk(&["check", path, "--var", "wait=24h"]);
    assert_eq!(ok.code, 0, "{}", ok.stderr);
}

#[test]
fn working_directory_is_named_after_the_workflow() {
    let project = Project::new();
    let script = project.script("workflow \"Shop Sync\"\narchive\n");
    let out = project.zynk(&[
        "run",
        script.to_str().expect("utf-8"),
        "--data",
        "elsewhere",
    ]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(project.path("elsewhere/Shop Sync/Archive").is_dir());
}

#[test]
fn usage_errors_exit_64_and_version_exits_0() {
    let dir = tempfile::tempdir().expect("tmp");
    assert_eq!(zynk_in(dir.path(), &["run"]).code, 64);
    assert_eq!(zynk_in(dir.path(), &["frobnicate"]).code, 64);
    assert_eq!(
        zynk_in(dir.path(), &["run", "x.zynk", "--var", "novalue"]).code,
        64
    );
    let version = zynk_in(dir.path(), &["--version"]);
    assert_eq!(version.code, 0);
    assert!(version.stdout.starts_with("zynk "), "{}", version.stdout);
}

#[test]
fn a_missing_script_is_reported() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = zynk_in(dir.path(), &["check", "nope.zynk"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("zynk::cli::unreadable_script"),
        "{}",
        out.stderr
    );
}

#[test]
fn xpath_prints_values_of_the_selected_nodes() {
    let project = Project::new();
    project.write("a.xml", "<Company><Products><Product><Sku>A1</Sku></Product><Product><Sku>B2</Sku></Product></Products></Company>");
    let out = project.zynk(&["xpath", "/Company/Products/Product/Sku", "a.xml"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, "A1\nB2\n");
    let count = project.zynk(&["xpath", "count(//Product) * 2", "a.xml"]);
    assert_eq!(count.stdout, "4\n");
    let bad = project.zynk(&["xpath", "//Product[", "a.xml"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("zynk::xpath::"), "{}", bad.stderr);
    project.write("broken.xml", "<a>\n<b></a>");
    let broken = project.zynk(&["xpath", "//b", "broken.xml"]);
    assert_eq!(broken.code, 1);
    assert!(broken.stderr.contains("line 2"), "{}", broken.stderr);
}

/// One bad quote must not hide the mistakes after it: the parser goes on at the next line,
/// and the lines it could read are checked too, without errors that only follow from the
/// skipped lines (a variable a broken `let` would have declared).
#[test]
fn check_reports_independent_mistakes_after_a_syntax_error_in_one_pass() {
    let project = Project::new();
    project.write(
        "s.zynk",
        "workflow \"x\"\nlet site = 'http://shop'\nlet b = \"ok\"\nlet c = \"ok\"\nfetch \"${site}/zynk/download to \"a.xml\"\nlet d = 1\nlet e = 2\nlet f = \"unclosed\nlog info \"${f} ${d} ${e} ${b} ${c}\"\nfetch \"${site}/x\" to \"b.xml\" retries\n",
    );
    let out = project.zynk(&["check", "s.zynk"]);
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    let all = format!("{}{}", out.stdout, out.stderr);
    for at in ["s.zynk:2:", "s.zynk:5:", "s.zynk:8:", "s.zynk:10:"] {
        assert!(all.contains(at), "{at} not reported:\n{all}");
    }
    assert!(all.contains("4 problems found"), "{all}");
    assert!(
        !all.contains("unknown variable"),
        "no follow-on errors:\n{all}"
    );
}

/// A `--var` that starts every URL is reported once, against the `--var` text, whatever
/// number of statements use it; a trailing `/` that doubles a slash is said once too.
#[test]
fn a_bad_site_var_is_reported_once_against_the_command_line() {
    let project = Project::new();
    let seed = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/website-sage50.zynk");
    let seed = seed.to_str().expect("utf-8");
    let bad = project.zynk(&["check", seed, "--var", "site=127.0.0.1:8080"]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert_eq!(
        bad.stderr
            .matches("zynk::check::invalid_param_value")
            .count(),
        1,
        "{}",
        bad.stderr
    );
    assert!(
        bad.stderr.contains("--var site=127.0.0.1:8080"),
        "{}",
        bad.stderr
    );
    assert!(
        bad.stderr.contains("http://127.0.0.1:8080"),
        "{}",
        bad.stderr
    );
    assert!(!bad.stderr.contains("invalid_url"), "{}", bad.stderr);
    let empty = project.zynk(&["check", seed, "--var", "site="]);
    assert_eq!(empty.code, 2);
    assert!(!empty.stderr.contains("https:///"), "{}", empty.stderr);
    let slash = project.zynk(&["check", seed, "--var", "site=http://127.0.0.1:8080/"]);
    assert_eq!(slash.code, 0, "{}", slash.stderr);
    assert_eq!(
        slash.stderr.matches("zynk::check::double_slash").count(),
        1,
        "{}",
        slash.stderr
    );
    assert!(
        slash.stderr.contains("drop the last `/`"),
        "{}",
        slash.stderr
    );
}
