//! `log`, `copy`, `move`, `write` and `stop` run from the CLI, with their error paths.
use crate::harness::Project;

const WF: &str = "t";

fn run(project: &Project, body: &str) -> crate::harness::Outcome {
    let path = project.script(&format!("workflow \"{WF}\"\n{body}"));
    project.zynk(&["run", path.to_str().expect("utf-8")])
}

fn read(project: &Project, rel: &str) -> String {
    std::fs::read_to_string(project.workdir(WF).join(rel)).unwrap_or_default()
}

#[test]
fn log_writes_info_and_warning_to_status_json_and_run_log() {
    let project = Project::new();
    let script = "param who = \"shop\"\nlog \"hello ${who}\"\nlog warning \"careful, ${who}\"\n";
    let out = run(&project, script);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("log · hello shop"), "{}", out.stdout);
    assert!(
        out.stdout.contains("log · warning: careful, shop"),
        "{}",
        out.stdout
    );
    let path = project.path("script.zynk");
    let json = project.zynk(&["run", path.to_str().expect("utf-8"), "--log-format", "json"]);
    let details: Vec<String> = json
        .stdout
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["statement"] == "log")
        .map(|v| v["detail"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(
        details,
        ["hello shop", "warning: careful, shop"],
        "{}",
        json.stdout
    );
    let history = project.zynk(&["runs", "--data", "data", "--run", "1"]);
    assert!(
        history.stdout.contains("Info: hello shop"),
        "{}{}",
        history.stdout,
        history.stderr
    );
    assert!(
        history.stdout.contains("Warning: careful, shop"),
        "{}",
        history.stdout
    );
}

#[test]
fn log_with_an_unknown_level_is_a_check_error() {
    let project = Project::new();
    let out = run(&project, "log loud \"x\"\n");
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert!(out.stderr.contains("zynk::check::"), "{}", out.stderr);
}

#[test]
fn copy_into_a_folder_and_refuse_to_overwrite() {
    let project = Project::new();
    project.write(&format!("data/{WF}/a.xml"), "<A/>");
    project.write(&format!("data/{WF}/Backup/keep.txt"), "x");
    let out = run(
        &project,
        "copy \"a.xml\" to \"Backup\"\ncopy \"a.xml\" to \"b.xml\"\n",
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(read(&project, "Backup/a.xml"), "<A/>");
    assert_eq!(read(&project, "b.xml"), "<A/>");
    assert_eq!(read(&project, "a.xml"), "<A/>");
    project.write(&format!("data/{WF}/a.xml"), "<New/>");
    let again = run(&project, "copy \"a.xml\" to \"b.xml\"\n");
    assert_eq!(again.code, 1, "{}{}", again.stdout, again.stderr);
    assert!(
        again.stderr.contains("zynk::run::target_exists"),
        "{}",
        again.stderr
    );
    assert!(again.stderr.contains("overwrite"), "{}", again.stderr);
    assert_eq!(
        read(&project, "b.xml"),
        "<A/>",
        "the target must be untouched"
    );
    let forced = run(&project, "copy \"a.xml\" to \"b.xml\" overwrite\n");
    assert_eq!(forced.code, 0, "{}{}", forced.stdout, forced.stderr);
    assert_eq!(read(&project, "b.xml"), "<New/>");
    let leftovers: Vec<String> = crate::harness::names(&project.workdir(WF))
        .into_iter()
        .filter(|n| n.ends_with(".part"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn copy_of_a_missing_file_is_not_found() {
    let project = Project::new();
    let out = run(&project, "copy \"missing.xml\" to \"b.xml\"\n");
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("FAILED  copy · NotFound"),
        "{}",
        out.stdout
    );
    assert!(
        out.stderr.contains("zynk::run::file_not_found"),
        "{}",
        out.stderr
    );
    assert!(!project.workdir(WF).join("b.xml").exists());
}

#[test]
fn move_renames_into_a_folder_and_keeps_an_existing_target() {
    let project = Project::new();
    project.write(&format!("data/{WF}/a.xml"), "<A/>");
    let out = run(&project, "move \"a.xml\" to \"Done/\"\n");
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("a.xml → Done/a.xml (renamed)"),
        "{}",
        out.stdout
    );
    assert_eq!(read(&project, "Done/a.xml"), "<A/>");
    assert!(!project.workdir(WF).join("a.xml").exists());
    project.write(&format!("data/{WF}/a.xml"), "<B/>");
    let again = run(&project, "move \"a.xml\" to \"Done\"\n");
    assert_eq!(again.code, 1, "{}{}", again.stdout, again.stderr);
    assert!(
        again.stderr.contains("zynk::run::target_exists"),
        "{}",
        again.stderr
    );
    assert_eq!(read(&project, "a.xml"), "<B/>", "the source must stay");
    assert_eq!(read(&project, "Done/a.xml"), "<A/>");
    let forced = run(&project, "move \"a.xml\" to \"Done\" overwrite\n");
    assert_eq!(forced.code, 0, "{}{}", forced.stdout, forced.stderr);
    assert_eq!(read(&project, "Done/a.xml"), "<B/>");
}

#[test]
fn move_of_a_missing_file_is_not_found() {
    let project = Project::new();
    let out = run(&project, "move \"gone.xml\" to \"Done/\"\n");
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stderr.contains("zynk::run::file_not_found"),
        "{}",
        out.stderr
    );
}

#[test]
fn write_replaces_a_file_whole_and_creates_its_folder() {
    let project = Project::new();
    let out = run(
        &project,
        "param n = 3\nwrite \"first\" to \"markers/done.txt\"\nwrite \"${n} orders\" to \"markers/done.txt\"\n",
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(read(&project, "markers/done.txt"), "3 orders");
    assert_eq!(
        crate::harness::names(&project.workdir(WF).join("markers")),
        ["done.txt"]
    );
}

#[test]
fn write_to_a_folder_fails() {
    let project = Project::new();
    project.write(&format!("data/{WF}/Done/x.txt"), "x");
    let out = run(&project, "write \"x\" to \"Done\"\n");
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stderr.contains("zynk::run::is_a_folder"),
        "{}",
        out.stderr
    );
    assert_eq!(read(&project, "Done/x.txt"), "x");
}

#[test]
fn stop_ends_the_run_as_succeeded_inside_a_loop() {
    let project = Project::new();
    for name in ["a.txt", "b.txt"] {
        project.write(&format!("data/{WF}/In/{name}"), name);
    }
    let out = run(
        &project,
        "foreach file in \"In\" {\n    copy file to \"Out/\"\n    stop \"one is enough\"\n}\nwrite \"after\" to \"after.txt\"\n",
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout
            .contains("stop · the run stops here: one is enough"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("run succeeded"), "{}", out.stdout);
    assert_eq!(
        crate::harness::names(&project.workdir(WF).join("Out")),
        ["a.txt"]
    );
    assert!(!project.workdir(WF).join("after.txt").exists());
}

#[test]
fn stop_failed_fails_the_run_even_with_or_continue() {
    let project = Project::new();
    let out = run(&project, "stop failed \"nothing to do\" or continue\n");
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(out.stderr.contains("zynk::run::stopped"), "{}", out.stderr);
    assert!(out.stderr.contains("nothing to do"), "{}", out.stderr);
    assert!(out.stdout.contains("run failed"), "{}", out.stdout);
}
