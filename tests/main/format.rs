//! `zynk fmt`: every fixture under `tests/fixtures/format` formats to its snapshot, the
//! result formats to itself, checks to the same program and keeps every comment; so do
//! generated scripts; and every script in the repository is already formatted.
use std::path::{Path, PathBuf};

use zynk::format;
use zynk::source::SourceFile;
use zynk::syntax::{Token, TokenKind};

use crate::harness::Project;

/// The tokens of `text` that are not spaces or line breaks.
fn tokens(text: &str) -> Vec<Token> {
    zynk::syntax::lex(text)
        .into_iter()
        .filter(|t| !t.kind.is_trivia())
        .collect()
}

/// What a script means, without where its parts stand: the checked program's debug form
/// with every offset and line number blanked, or the codes of its problems.
fn meaning(text: &str) -> String {
    let source = SourceFile::from_text("script.zynk", text);
    match zynk::check::compile(&source, zynk::tasks::Registry::standard(), &[]) {
        Err(zynk::check::Problems::Syntax(errors, _)) => format!("syntax errors: {errors:?}"),
        Ok(program) => {
            let debug = format!("{:?}", program.statements);
            let spans =
                regex::Regex::new(r"(start|end|line|offset|length|SourceOffset)(: |\(| )\d+")
                    .expect("regex");
            spans.replace_all(&debug, "$1").into_owned()
        }
        Err(zynk::check::Problems::Check(errors)) => {
            use miette::Diagnostic;
            let codes: Vec<String> = errors
                .iter()
                .filter_map(|e| e.code().map(|c| c.to_string()))
                .collect();
            format!("check errors: {codes:?}")
        }
    }
}

fn comments(text: &str) -> Vec<&str> {
    tokens(text)
        .into_iter()
        .filter(|t| t.kind == TokenKind::Comment)
        .map(|t| text[t.span.start..t.span.end].trim_end())
        .collect()
}

/// Formats `text` and checks the formatter's promises on it; returns the result.
fn format_checked(name: &str, text: &str) -> String {
    let once = format::format(text).unwrap_or_else(|e| panic!("{name}: {e}\n{text}"));
    let twice = format::format(&once).unwrap_or_else(|e| panic!("{name} (again): {e}\n{once}"));
    assert_eq!(once, twice, "{name}: formatting is not idempotent");
    assert_eq!(
        meaning(text),
        meaning(&once),
        "{name}: formatting changed what the script means\n{once}"
    );
    assert_eq!(comments(text), comments(&once), "{name}: comments changed");
    once
}

#[test]
fn fixtures_format_to_their_snapshots() {
    insta::glob!("../fixtures", "format/*.zynk", |path| {
        let text = std::fs::read_to_string(path).expect("fixture");
        let name = path.display().to_string();
        let formatted = format_checked(&name, &text);
        assert_ne!(formatted, text, "{name}: a fixture should need formatting");
        insta::assert_snapshot!(formatted);
    });
}

#[test]
fn options_follow_the_reference_and_long_statements_wrap() {
    let text = "fetch \"http://127.0.0.1:8080/a\" retries 2 to \"a.xml\"\n";
    assert_eq!(
        format_checked("reorder", text),
        "fetch \"http://127.0.0.1:8080/a\" to \"a.xml\" retries 2\n"
    );
    let long = "notify \"http://127.0.0.1:8080/zynk/notify\" with \"customer_success.xml\" to \"customer_success_response.txt\" retries 3\n";
    let formatted = format_checked("wrap", long);
    assert!(
        formatted.lines().count() > 1 && formatted.lines().all(|l| l.len() <= format::MAX_WIDTH),
        "{formatted}"
    );
    assert!(
        formatted.lines().skip(1).all(|l| l.starts_with("    ")),
        "{formatted}"
    );
}

#[test]
fn a_statement_with_a_comment_between_its_lines_is_kept_as_written() {
    let text = "fetch \"http://127.0.0.1:8080/a\" retries 2 # first\n      to \"a.xml\"\n";
    let formatted = format_checked("inner comment", text);
    assert_eq!(
        formatted,
        "fetch \"http://127.0.0.1:8080/a\" retries 2 # first\n    to \"a.xml\"\n"
    );
}

#[test]
fn unknown_statements_and_options_keep_their_words() {
    let text =
        "fetch  \"http://127.0.0.1:8080/a\"  to \"a.xml\"  retrys 2\nfrobnicate   \"x\"  with  y\n";
    let formatted = format_checked("unknown", text);
    assert_eq!(
        formatted,
        "fetch \"http://127.0.0.1:8080/a\" to \"a.xml\" retrys 2\nfrobnicate \"x\" with y\n"
    );
}

/// A small deterministic generator (xorshift), so a failure reproduces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Re-spaces `text` at random at token boundaries (never inside a string or XPath),
/// adds comments at line ends and blank lines between lines.
fn scramble(text: &str, rng: &mut Rng) -> String {
    let all = tokens(text);
    let mut out = String::new();
    let mut cursor = 0;
    for token in &all {
        let gap = &text[cursor..token.span.start];
        if gap.contains('\n') {
            for _ in 0..gap.matches('\n').count() {
                if rng.below(4) == 0 {
                    out.push_str("   # note");
                }
                out.push('\n');
                if rng.below(5) == 0 {
                    out.push('\n');
                }
                if rng.below(6) == 0 {
                    out.push_str("# a comment line\n");
                }
            }
            let indent = gap.rsplit('\n').next().unwrap_or("");
            out.push_str(if rng.below(3) == 0 { "" } else { indent });
        } else if !gap.is_empty() {
            out.push_str(&" ".repeat(1 + rng.below(3)));
        } else if cursor > 0 && rng.below(3) == 0 && can_space(text, cursor) {
            out.push(' ');
        }
        out.push_str(&text[token.span.start..token.span.end]);
        cursor = token.span.end;
    }
    out.push('\n');
    out
}

/// Whether a space may go between two touching tokens without changing them.
fn can_space(text: &str, at: usize) -> bool {
    let before = text[..at].chars().next_back().unwrap_or(' ');
    let after = text[at..].chars().next().unwrap_or(' ');
    matches!(before, '(' | ',') || matches!(after, ')' | ',' | '(')
}

#[test]
fn generated_scripts_format_idempotently_and_keep_their_meaning() {
    let examples: Vec<&str> = zynk::tasks::Registry::standard()
        .tasks()
        .map(|t| t.example())
        .collect();
    let mut rng = Rng(0x5eed_1234_abcd_0042);
    let mut formatted = 0;
    for round in 0..150 {
        let mut script =
            String::from("workflow \"Fuzz\"\nparam site = \"http://127.0.0.1:8080\"\n");
        for _ in 0..1 + rng.below(5) {
            script.push_str(examples[rng.below(examples.len())]);
            script.push('\n');
        }
        let scrambled = scramble(&script, &mut rng);
        if zynk::syntax::parse(
            &SourceFile::from_text("s", &scrambled),
            zynk::tasks::Registry::standard(),
        )
        .is_err()
        {
            continue;
        }
        format_checked(&format!("round {round}"), &scrambled);
        formatted += 1;
    }
    assert!(formatted > 100, "only {formatted} generated scripts parsed");
}

fn zynk_scripts(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("folder") {
        let path = entry.expect("entry").path();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        if path.is_dir() {
            // Unformatted on purpose: the formatter's inputs, scripts that do not parse and
            // the corpus of mistakes (habits such as `;` or `elif` among them).
            let skip = matches!(name.as_deref(), Some("target" | ".git"))
                || path.ends_with("tests/fixtures/format")
                || path.ends_with("tests/fixtures/syntax")
                || path.ends_with("tests/fixtures/mistakes");
            if !skip {
                zynk_scripts(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "zynk")
            // Shows a layout mistake that formatting would take away.
            && !path.ends_with("tests/fixtures/check/continuation_starts_with_a_string.zynk")
        {
            out.push(path);
        }
    }
}

#[test]
fn every_script_in_the_repository_is_formatted() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut scripts = Vec::new();
    zynk_scripts(root, &mut scripts);
    assert!(scripts.len() > 20, "found only {} scripts", scripts.len());
    let unformatted: Vec<String> = scripts
        .iter()
        .filter(|path| {
            let text = std::fs::read_to_string(path).expect("read");
            format::format(&text).map_or(true, |f| f != text)
        })
        .map(|p| p.strip_prefix(root).unwrap_or(p).display().to_string())
        .collect();
    assert!(
        unformatted.is_empty(),
        "not formatted (run `zynk fmt` on them): {unformatted:?}"
    );
}

#[test]
fn check_lists_what_would_change_and_changes_nothing() {
    let project = Project::new();
    let messy = "fetch   \"http://127.0.0.1:8080/a\" retries 1 to \"a.xml\"\n";
    project.write("a.zynk", messy);
    project.write("b.zynk", "delete \"x.xml\"\n");
    let out = project.zynk(&["fmt", "--check", "."]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stdout.contains("a.zynk") && !out.stdout.contains("b.zynk"),
        "{}",
        out.stdout
    );
    assert_eq!(
        std::fs::read_to_string(project.path("a.zynk")).expect("a"),
        messy
    );

    let out = project.zynk(&["fmt", "a.zynk"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        std::fs::read_to_string(project.path("a.zynk")).expect("a"),
        "fetch \"http://127.0.0.1:8080/a\" to \"a.xml\" retries 1\n"
    );
    assert_eq!(project.zynk(&["fmt", "--check", "."]).code, 0);
}

#[test]
fn a_script_that_does_not_parse_is_reported_and_left_alone() {
    let project = Project::new();
    let broken = "fetch \"http://127.0.0.1:8080/a to \"a.xml\"\n";
    project.write("broken.zynk", broken);
    let out = project.zynk(&["fmt", "broken.zynk"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("zynk::syntax::unterminated_string"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("not formatted"), "{}", out.stderr);
    assert_eq!(
        std::fs::read_to_string(project.path("broken.zynk")).expect("read"),
        broken
    );
}

#[test]
fn every_repository_script_rescrambled_formats_back_safely() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut scripts = Vec::new();
    zynk_scripts(root, &mut scripts);
    let mut rng = Rng(0x0dd_ba11_cafe_f00d);
    let mut checked = 0;
    for path in &scripts {
        let text = std::fs::read_to_string(path).expect("read");
        for round in 0..3 {
            let scrambled = scramble(&text, &mut rng);
            if zynk::syntax::parse(
                &SourceFile::from_text("s", &scrambled),
                zynk::tasks::Registry::standard(),
            )
            .is_err()
            {
                continue;
            }
            format_checked(&format!("{} (round {round})", path.display()), &scrambled);
            checked += 1;
        }
    }
    assert!(
        checked > scripts.len(),
        "only {checked} scrambled scripts parsed"
    );
}
