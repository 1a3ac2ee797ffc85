//! `--log-format json`: every event a run or an invalid script prints validates against the
//! schema documented in `docs/events.schema.json`.
use serde_json::Value;

use super::harness::Project;

fn schema() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/events.schema.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("schema")).expect("schema json")
}

fn type_matches(expected: &str, value: &Value) -> bool {
    match expected {
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        "null" => value.is_null(),
        _ => false,
    }
}

/// Why `value` does not match `schema` (the subset of JSON Schema the document uses).
fn violation(schema: &Value, value: &Value) -> Option<String> {
    if let Some(c) = schema.get("const") {
        return (c != value).then(|| format!("{value} is not {c}"));
    }
    if let Some(options) = schema.get("enum").and_then(Value::as_array) {
        return (!options.contains(value)).then(|| format!("{value} not in {options:?}"));
    }
    match schema.get("type") {
        Some(Value::String(t)) if !type_matches(t, value) => {
            return Some(format!("{value} is not {t}"));
        }
        Some(Value::Array(ts))
            if !ts
                .iter()
                .any(|t| type_matches(t.as_str().unwrap_or(""), value)) =>
        {
            return Some(format!("{value} is none of {ts:?}"));
        }
        _ => {}
    }
    let (Some(object), Some(props)) = (value.as_object(), schema.get("properties")) else {
        return None;
    };
    for required in schema["required"].as_array().into_iter().flatten() {
        let name = required.as_str().unwrap_or("");
        if !object.contains_key(name) {
            return Some(format!("missing `{name}`"));
        }
    }
    for (key, field) in object {
        match props.get(key) {
            Some(sub) => {
                if let Some(why) = violation(sub, field) {
                    return Some(format!("`{key}`: {why}"));
                }
            }
            None if schema["additionalProperties"] == Value::Bool(false) => {
                return Some(format!("undocumented field `{key}`"));
            }
            None => {}
        }
    }
    None
}

fn validate(event: &Value, schema: &Value) {
    let options = schema["oneOf"].as_array().expect("oneOf");
    let matching = options
        .iter()
        .filter(|o| violation(o, event).is_none())
        .count();
    let reasons: Vec<String> = options.iter().filter_map(|o| violation(o, event)).collect();
    assert_eq!(
        matching, 1,
        "{event} matches {matching} event schemas: {reasons:?}"
    );
}

fn events(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

#[test]
fn every_event_of_a_run_validates_against_the_documented_schema() {
    let schema = schema();
    let project = Project::new();
    project.write("in/a.txt", "a");
    project.write(
        "x.zynk",
        "workflow \"Events\"\nforeach file in \"empty\" matching \"*.none\" {\n    delete file\n}\ndelete \"missing.txt\" or continue\ncopy \"../../in/a.txt\" to \"b.txt\"\n",
    );
    std::fs::create_dir_all(project.path("data/Events/empty")).expect("mkdir");
    let out = project.zynk(&["run", "x.zynk", "--log-format", "json"]);
    let all = events(&out.stdout);
    assert!(all.len() >= 4, "{}", out.stdout);
    for event in &all {
        validate(event, &schema);
    }
    let kinds: Vec<&str> = all.iter().filter_map(|e| e["event"].as_str()).collect();
    assert_eq!(kinds.first(), Some(&"run_started"));
    assert_eq!(kinds.last(), Some(&"run_finished"));
    let statuses: Vec<&str> = all
        .iter()
        .filter(|e| e["event"] == "statement")
        .filter_map(|e| e["status"].as_str())
        .collect();
    assert!(statuses.contains(&"failed"), "{statuses:?}");
    let run_id = all[0]["run_id"].as_i64().expect("run id");
    assert!(all.iter().all(|e| e["run_id"] == run_id));
    let runs = project.zynk(&["runs", "--run", &run_id.to_string()]);
    assert_eq!(runs.code, 0, "{}", runs.stderr);
}

#[test]
fn an_invalid_script_reports_its_problems_as_events() {
    let schema = schema();
    let project = Project::new();
    project.write(
        "bad.zynk",
        "workflow \"Bad\"\nfetch \"http://x/\" to \"a.xml\" retrys 1\ndelet \"b\"\n",
    );
    let out = project.zynk(&["run", "bad.zynk", "--log-format", "json"]);
    assert_eq!(out.code, 2);
    let all = events(&out.stdout);
    for event in &all {
        validate(event, &schema);
    }
    let diagnostics: Vec<&Value> = all.iter().filter(|e| e["event"] == "diagnostic").collect();
    assert_eq!(diagnostics.len(), 2, "{}", out.stdout);
    assert_eq!(diagnostics[0]["line"], 2);
    assert_eq!(diagnostics[0]["column"], 30);
    assert_eq!(diagnostics[0]["severity"], "error");
    assert!(
        diagnostics[0]["code"]
            .as_str()
            .is_some_and(|c| c.starts_with("zynk::"))
    );
    let last = all.last().expect("events");
    assert_eq!(last["event"], "check_failed");
    assert_eq!(last["problems"], 2);
}

/// With `--log-format json` every line on stdout is an event: a wait before another attempt
/// is a `retry` event, and a failure's status line carries its code.
#[test]
fn retry_notes_are_events_and_every_stdout_line_is_json() {
    use crate::support::server::{TestResponse, TestServer};
    let schema = schema();
    let server = TestServer::sequence(vec![
        TestResponse::status(503, "busy").header("Retry-After", "0"),
        TestResponse::status(404, "gone"),
    ]);
    let project = Project::new();
    project.write(
        "r.zynk",
        &format!(
            "workflow \"Retry\"\nfetch \"{}\" to \"a.xml\" retries 2 retry_wait 1s\n",
            server.url("/zynk/download")
        ),
    );
    let out = project.zynk(&["run", "r.zynk", "--log-format", "json"]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    let all = events(&out.stdout);
    for event in &all {
        validate(event, &schema);
    }
    let retry = all
        .iter()
        .find(|e| e["event"] == "retry")
        .unwrap_or_else(|| panic!("no retry event: {}", out.stdout));
    assert_eq!(retry["next_attempt"], 2);
    assert!(
        retry["reason"].as_str().is_some_and(|r| r.contains("503")),
        "{retry}"
    );
    assert!(!out.stderr.contains("note:"), "{}", out.stderr);
    let failed = all
        .iter()
        .find(|e| e["status"] == "failed")
        .expect("a failed statement");
    assert_eq!(failed["code"], "zynk::http::status");

    // In text, the failure's one line on stdout names its code and cause.
    let text = project.zynk(&["run", "r.zynk"]);
    assert!(
        text.stdout.lines().any(|l| l.starts_with("FAILED  fetch")
            && l.contains("zynk::http::status")
            && l.contains("404")),
        "{}",
        text.stdout
    );
}
