//! The `zynk convert` command: where the script and the report go, and its exit codes.
use std::process::Command;

use crate::convert::fixture;

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn zynk(args: &[&str], dir: &std::path::Path) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_zynk"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "80")
        .output()
        .expect("zynk");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn path(name: &str) -> String {
    fixture(name).to_string_lossy().into_owned()
}

#[test]
fn a_complete_conversion_exits_0_and_writes_the_script_to_stdout() {
    let dir = tempfile::tempdir().expect("temp");
    let out = zynk(
        &[
            "convert",
            &path("samples/Website Script Based Sage 50 Integration.wkf"),
        ],
        dir.path(),
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(
        out.stdout.starts_with("# Converted by `zynk convert`"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("\nforeach file in \"Stock Export\" {\n")
    );
    assert!(
        out.stderr.contains("11 of 11 tasks as statements"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_partial_conversion_writes_the_file_and_exits_3() {
    let dir = tempfile::tempdir().expect("temp");
    let out = zynk(
        &[
            "convert",
            &path("samples/FTP to Sage 50 Integration.wkf"),
            "-o",
            "ftp.zynk",
        ],
        dir.path(),
    );
    assert_eq!(out.code, Some(3), "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("not converted:"), "{}", out.stdout);
    assert!(
        out.stdout.contains("Internet.Ftp.FtpRepeater"),
        "{}",
        out.stdout
    );
    let check = zynk(&["check", "ftp.zynk"], dir.path());
    assert_eq!(check.code, Some(0), "{}", check.stderr);
    let script = std::fs::read_to_string(dir.path().join("ftp.zynk")).expect("script");
    assert!(
        script.contains("let FtpPassword = env(\"FTP_PASSWORD\")"),
        "{script}"
    );
    assert!(script.contains("# [not converted] Internet.Ftp.FtpUpload \"Upload to the FTP\""));
}

#[test]
fn the_json_report_lists_every_task_left_with_its_path() {
    let dir = tempfile::tempdir().expect("temp");
    let out = zynk(
        &[
            "convert",
            &path("samples/Shopify to Sage 50 Integration.wkf"),
            "-o",
            "shopify.zynk",
            "--report",
            "json",
        ],
        dir.path(),
    );
    assert_eq!(out.code, Some(3), "{}", out.stderr);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(report["workflow"], "Shopify to Sage 50 Integration");
    let left = report["not_converted"].as_array().expect("list");
    let tasks: Vec<&str> = left
        .iter()
        .filter(|u| u.get("setting").is_none())
        .filter_map(|u| u["task"].as_str())
        .collect();
    assert_eq!(
        tasks,
        ["Ecommerce.Shopify.DownloadOrders", "Tasks.AutoMapperTask"]
    );
    assert_eq!(
        left[0]["path"],
        "/Workflow/Tasks/Task[1]/ContainerTask/Tasks/Task[1]"
    );
    assert!(left[0]["line"].as_u64().is_some_and(|l| l > 1));
}

#[test]
fn malformed_xml_exits_2_with_line_and_column() {
    let dir = tempfile::tempdir().expect("temp");
    std::fs::copy(fixture("malformed.wkf"), dir.path().join("malformed.wkf")).expect("copy");
    let out = zynk(&["convert", "malformed.wkf", "-o", "x.zynk"], dir.path());
    assert_eq!(out.code, Some(2));
    assert!(!dir.path().join("x.zynk").exists(), "nothing is written");
    let rendered = out.stderr;
    assert!(
        rendered.contains("zynk::convert::malformed_xml"),
        "{rendered}"
    );
    assert!(rendered.contains("[malformed.wkf:7:"), "{rendered}");
    insta::assert_snapshot!(rendered);
}

#[test]
fn a_file_that_is_not_a_workflow_exits_2() {
    let dir = tempfile::tempdir().expect("temp");
    std::fs::copy(
        fixture("not-a-workflow.wkf"),
        dir.path().join("not-a-workflow.wkf"),
    )
    .expect("copy");
    let out = zynk(&["convert", "not-a-workflow.wkf"], dir.path());
    assert_eq!(out.code, Some(2));
    assert!(out.stdout.is_empty());
    let rendered = out.stderr;
    assert!(
        rendered.contains("zynk::convert::not_a_workflow"),
        "{rendered}"
    );
    insta::assert_snapshot!(rendered);
}

#[test]
fn a_missing_file_exits_2() {
    let dir = tempfile::tempdir().expect("temp");
    let out = zynk(&["convert", "nope.wkf"], dir.path());
    assert_eq!(out.code, Some(2));
    assert!(
        out.stderr.contains("zynk::convert::unreadable"),
        "{}",
        out.stderr
    );
}
