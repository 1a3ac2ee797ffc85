//! The second corpus of script mistakes (`tests/fixtures/mistakes`): habits from other
//! languages, misspelt bare words, follow-on errors, `map` blocks, `--var` values and
//! run-time mistakes. Each fixture is run through the real `zynk check` (or `zynk run`)
//! and must be diagnosed once, at the line its `# expect:` names, with the word it names
//! somewhere in the diagnostic; the rendered text is snapshot-tested.
//!
//! A fixture is a script whose header comments say how to run it:
//!
//! - `# expect: LINE WORDS…` — the first diagnostic points at LINE of the script, and
//!   WORDS appear in what zynk says (not in the quoted script lines; a help line
//!   wrapped to the terminal's width counts as one line);
//!   `# expect: --var LINE WORDS…` points into the
//!   `--var` text instead;
//! - `# vars: NAME=VALUE …` — passed as `--var` options;
//! - `# run` — the script is run, not only checked;
//! - after the script, `--- file: NAME` starts a file written into the working
//!   directory (`data/W` for `workflow "W"`) before the run.
use super::harness::Project;

/// A fixture, read from its text.
struct Fixture {
    script: String,
    files: Vec<(String, String)>,
    vars: Vec<String>,
    run: bool,
    in_var: bool,
    line: usize,
    words: String,
}

fn read_fixture(name: &str, text: &str) -> Fixture {
    let mut sections = text.split("\n--- file: ");
    let script = format!("{}\n", sections.next().unwrap_or_default().trim_end());
    let files = sections
        .map(|section| {
            let (name, body) = section.split_once('\n').unwrap_or((section, ""));
            (name.trim().to_string(), body.to_string())
        })
        .collect();
    let header = |key: &str| script.lines().find_map(|l| l.strip_prefix(key));
    let expect = header("# expect: ").unwrap_or_else(|| panic!("{name}: no `# expect:` line"));
    let (in_var, expect) = match expect.strip_prefix("--var ") {
        Some(rest) => (true, rest),
        None => (false, expect),
    };
    let (line, words) = expect
        .split_once(' ')
        .unwrap_or_else(|| panic!("{name}: `# expect: LINE WORDS`"));
    Fixture {
        vars: header("# vars: ")
            .map(|v| v.split_whitespace().map(str::to_string).collect())
            .unwrap_or_default(),
        run: script.lines().any(|l| l == "# run"),
        in_var,
        line: line.parse().unwrap_or_else(|_| panic!("{name}: bad line")),
        words: words.trim().to_string(),
        files,
        script,
    }
}

/// The workflow's name as the script declares it, or the script's stem.
fn workflow_name(script: &str) -> String {
    script
        .lines()
        .find_map(|l| l.strip_prefix("workflow \""))
        .and_then(|rest| rest.split('"').next())
        .unwrap_or("script")
        .to_string()
}

/// Warnings that say something about the fixture's setting, not its mistake: a map's
/// input that no statement writes is given by the fixture's files.
const SETTING: &[&str] = &["zynk::check::unwritten_input"];

/// The diagnostics printed, as `(code, source, line)` of their first location, in order.
fn diagnostics(text: &str) -> Vec<(String, Option<(String, usize)>)> {
    let mut found: Vec<(String, Option<(String, usize)>)> = Vec::new();
    for line in text.lines() {
        if line.starts_with("zynk::") && !line.contains(' ') {
            found.push((line.to_string(), None));
            continue;
        }
        let Some(last) = found.last_mut() else {
            continue;
        };
        if last.1.is_some() {
            continue;
        }
        let Some(start) = line.find("╭─[").map(|s| s + "╭─[".len()) else {
            continue;
        };
        let Some(inner) = line[start..].strip_suffix(']') else {
            continue;
        };
        let mut parts = inner.rsplitn(3, ':');
        let _column = parts.next();
        let number = parts.next().and_then(|n| n.parse().ok());
        if let (Some(number), Some(source)) = (number, parts.next()) {
            last.1 = Some((source.to_string(), number));
        }
    }
    found.retain(|(code, _)| !SETTING.contains(&code.as_str()));
    found
}

/// Runs a fixture; `Ok(printed)` when it is diagnosed as it says, `Err(why)` when not.
fn diagnose(fixture: &Fixture) -> (String, Result<(), String>) {
    let project = Project::new();
    project.write("script.zynk", &fixture.script);
    let workdir = format!("data/{}", workflow_name(&fixture.script));
    for (file, body) in &fixture.files {
        project.write(&format!("{workdir}/{file}"), body);
    }
    let mut args = vec![if fixture.run { "run" } else { "check" }, "script.zynk"];
    for var in &fixture.vars {
        args.push("--var");
        args.push(var);
    }
    let outcome = project.zynk(&args);
    let dir = project.dir.path().to_string_lossy().into_owned();
    let printed = format!(
        "exit code {}\n--- stdout\n{}--- stderr\n{}",
        outcome.code, outcome.stdout, outcome.stderr
    )
    .replace(&dir, "[dir]");
    // Timings vary from run to run.
    let printed = regex::Regex::new(r"\(\d+\.\d+s\)")
        .expect("regex")
        .replace_all(&printed, "(T)")
        .into_owned();
    let verdict = (|| {
        if fixture.run && outcome.code == 0 {
            return Err("the run succeeded".to_string());
        }
        let found = diagnostics(&outcome.stderr);
        let Some((_, Some((source, line)))) = found.first() else {
            return Err("no diagnostic with a location printed".to_string());
        };
        let right_source = if fixture.in_var {
            source == "command line"
        } else {
            source == "script.zynk"
        };
        if !right_source || *line != fixture.line {
            return Err(format!(
                "first diagnostic at {source}:{line}, expected line {}",
                fixture.line
            ));
        }
        // The words must be in what zynk says, not in the quoted script lines.
        let said: String = outcome
            .stderr
            .lines()
            .filter(|l| {
                let t = l.trim_start();
                t.split_once(" │")
                    .is_none_or(|(n, _)| n.parse::<usize>().is_err())
            })
            .collect::<Vec<_>>()
            .join("\n");
        // A help line wrapped to the terminal's width reads as one line: a break after a
        // hyphen joins the word again (`sum-` / `of`), any other break is a space.
        let unwrapped = regex::Regex::new(r"-\n\s+")
            .expect("regex")
            .replace_all(&said, "-");
        let unwrapped = unwrapped.split_whitespace().collect::<Vec<_>>().join(" ");
        if !said.contains(&fixture.words) && !unwrapped.contains(&fixture.words) {
            return Err(format!("`{}` is not mentioned", fixture.words));
        }
        if found.len() != 1 {
            return Err(format!("{} diagnostics, expected one", found.len()));
        }
        Ok(())
    })();
    (printed, verdict)
}

#[test]
fn second_corpus_of_mistakes() {
    let mut failures = Vec::new();
    let mut total = 0;
    insta::glob!("../fixtures", "mistakes/*.zynk", |path| {
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let text = std::fs::read_to_string(path)
            .expect("fixture")
            .replace("\r\n", "\n");
        let fixture = read_fixture(&name, &text);
        let (printed, verdict) = diagnose(&fixture);
        total += 1;
        if let Err(why) = verdict {
            failures.push(format!("{name}: {why}"));
        }
        insta::assert_snapshot!(printed);
    });
    println!(
        "mistakes diagnosed as expected: {}/{total}",
        total - failures.len()
    );
    assert!(total >= 60, "the corpus has {total} fixtures");
    assert!(
        failures.is_empty(),
        "{} of {total} mistakes not diagnosed as expected:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
