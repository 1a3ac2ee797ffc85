//! The docs stay in step with the code: the statement reference and the diagnostic codes.
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn language_reference_matches_the_statements() {
    let doc = std::fs::read_to_string(root().join("docs/language.md")).expect("docs/language.md");
    let generated = zynk::reference::statements_markdown();
    assert!(
        doc.contains(&generated),
        "docs/language.md is out of date: regenerate the statement reference with `zynk reference`"
    );
    for task in zynk::tasks::Registry::standard().tasks() {
        assert!(doc.contains(&format!("### `{}`", task.name())));
    }
}

fn codes_in(dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).expect("src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            codes_in(&path, out);
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("source");
        for line in text.lines().filter(|l| !l.trim_start().starts_with("//")) {
            let mut rest = line;
            while let Some(at) = rest.find("zynk::") {
                let code: String = rest[at..]
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '_' || *c == ':')
                    .collect();
                let quoted = matches!(rest[..at].chars().last(), Some('"' | '('));
                if quoted && code.matches("::").count() == 2 && !code.ends_with(':') {
                    out.push(code.clone());
                }
                rest = &rest[at + code.len().max(6)..];
            }
        }
    }
}

#[test]
fn every_diagnostic_code_is_documented() {
    let doc =
        std::fs::read_to_string(root().join("docs/diagnostics.md")).expect("docs/diagnostics.md");
    let mut codes = Vec::new();
    codes_in(&root().join("src"), &mut codes);
    codes.sort();
    codes.dedup();
    assert!(codes.len() > 40, "found only {codes:?}");
    let missing: Vec<&String> = codes
        .iter()
        .filter(|c| !doc.contains(&format!("`{c}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "codes missing from docs/diagnostics.md: {missing:?}"
    );
}

/// The Markdown files a user reads: README.md and every file under docs/.
fn markdown_files() -> Vec<(String, String)> {
    let mut files = vec![("README.md".to_string(), root().join("README.md"))];
    let mut docs: Vec<_> = std::fs::read_dir(root().join("docs"))
        .expect("docs")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    for path in docs {
        let name = format!("docs/{}", path.file_name().expect("name").to_string_lossy());
        files.push((name, path));
    }
    files
        .into_iter()
        .map(|(name, path)| {
            let text = std::fs::read_to_string(&path).expect("markdown");
            (name, text)
        })
        .collect()
}

/// A fenced block: the line its text starts on, its info string and its text.
struct Fence {
    line: usize,
    info: String,
    text: String,
}

fn fences(text: &str) -> Vec<Fence> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let Some(info) = lines[i].trim_start().strip_prefix("```") else {
            i += 1;
            continue;
        };
        let indent = lines[i].len() - lines[i].trim_start().len();
        let end = (i + 1..lines.len())
            .find(|&j| lines[j].trim_start().starts_with("```"))
            .unwrap_or(lines.len());
        let body: Vec<&str> = lines[i + 1..end]
            .iter()
            .map(|l| l.get(indent..).unwrap_or(l.trim_start()))
            .collect();
        out.push(Fence {
            line: i + 2,
            info: info.trim().to_string(),
            text: body.join("\n") + "\n",
        });
        i = end + 1;
    }
    out
}

/// A zynk example is a ```zynk block, or an untagged block whose first line (after
/// comments) starts with a statement's name, `workflow`, `param` or `let`. Reference
/// synopses (`export stock to FILE`, `map INPUT to FILE { … }`) are not: they hold
/// placeholders in capitals or `…`.
fn is_zynk_example(fence: &Fence) -> bool {
    if fence.info == "zynk" {
        return true;
    }
    if !fence.info.is_empty() {
        return false;
    }
    let first = fence
        .text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .and_then(|l| l.split_whitespace().next())
        .unwrap_or("");
    let statement = ["workflow", "param", "let"].contains(&first)
        || zynk::tasks::Registry::standard()
            .tasks()
            .any(|t| t.head().first() == Some(&first));
    let placeholder = fence.text.split_whitespace().any(|w| {
        w.contains('…')
            || (w.len() > 2
                && w.chars()
                    .all(|c| c.is_ascii_uppercase() || c == '_' || c == ','))
    });
    statement && !placeholder
}

#[test]
fn every_zynk_example_in_the_docs_passes_the_checker() {
    let mut checked = 0;
    let mut failures = Vec::new();
    for (name, text) in markdown_files() {
        for fence in fences(&text).iter().filter(|f| is_zynk_example(f)) {
            // A fragment may use `${site}` as the scripts around it declare it.
            let mut script = fence.text.clone();
            if script.contains("site") && !script.contains("param site") {
                script = format!("param site = \"http://127.0.0.1:8080\"\n{script}");
            }
            let source = zynk::source::SourceFile::from_text(&name, &script);
            let problems: Vec<String> =
                match zynk::check::compile(&source, zynk::tasks::Registry::standard(), &[]) {
                    Err(zynk::check::Problems::Syntax(errors, _)) => {
                        errors.iter().map(ToString::to_string).collect()
                    }
                    Ok(_) => Vec::new(),
                    Err(zynk::check::Problems::Check(errors)) => {
                        errors.iter().map(ToString::to_string).collect()
                    }
                };
            checked += 1;
            if !problems.is_empty() {
                failures.push(format!("{name}:{}: {problems:?}", fence.line));
            }
        }
    }
    assert!(checked > 20, "found only {checked} examples");
    assert!(
        failures.is_empty(),
        "examples that fail `zynk check`:\n{}",
        failures.join("\n")
    );
}

/// Splits a shell line into commands of words: single and double quotes and backslash
/// escapes are honoured; an unquoted `|`, `;`, `&&`, `>` or `<` ends a command (what follows
/// a redirection is a file, not a command) and an unquoted `#` starting a word ends the line.
fn shell_commands(line: &str) -> Vec<Vec<String>> {
    let mut commands = vec![Vec::new()];
    let mut word = String::new();
    let mut in_word = false;
    let mut skip = false;
    let mut quote = None;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (None, '\'' | '"') => {
                quote = Some(c);
                in_word = true;
            }
            (Some(q), c) if c == q => quote = None,
            (Some('"') | None, '\\') => {
                if let Some(next) = chars.next() {
                    word.push(next);
                }
                in_word = true;
            }
            (None, '#') if !in_word => break,
            (None, '|' | ';' | '&' | '>' | '<') => {
                if in_word && !skip {
                    if let Some(c) = commands.last_mut() {
                        c.push(std::mem::take(&mut word));
                    }
                }
                word.clear();
                in_word = false;
                skip = matches!(c, '>' | '<');
                commands.push(Vec::new());
            }
            (None, c) if c.is_whitespace() => {
                if in_word && !skip {
                    if let Some(c) = commands.last_mut() {
                        c.push(std::mem::take(&mut word));
                    }
                }
                word.clear();
                in_word = false;
            }
            (_, c) => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if in_word && !skip {
        if let Some(c) = commands.last_mut() {
            c.push(word);
        }
    }
    commands
}

/// The words of one command written in running text.
fn shell_words_of(text: &str) -> Vec<String> {
    shell_commands(text).into_iter().next().unwrap_or_default()
}

/// The `zynk …` command lines of a shell block (after a `$ ` prompt or at the start of a
/// line, also after `VAR=value`, `sudo` or `exec`). A synopsis (`[-o SCRIPT]`, `…`) is not
/// a command line.
fn command_lines(fence: &Fence) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for line in fence.text.lines() {
        let line = line.trim_start();
        let line = line.strip_prefix("$ ").unwrap_or(line);
        for mut words in shell_commands(line) {
            // `ExecStart=/usr/local/bin/zynk run …` in a systemd unit.
            if let Some(first) = words.first_mut()
                && let Some((key, program)) = first.split_once('=')
                && key.starts_with("Exec")
                && program.ends_with("/zynk")
            {
                *first = program.to_string();
            }
            let at = words
                .iter()
                .position(|w| !w.contains('=') && (w == "zynk" || w.ends_with("/zynk")));
            let Some(at) = at else { continue };
            // Environment settings, `sudo`/`exec`, or the five fields of a crontab line.
            let prefix_ok = words[..at].iter().all(|w| {
                w.contains('=')
                    || w == "exec"
                    || w == "sudo"
                    || w.chars().all(|c| c.is_ascii_digit() || "*/,-".contains(c))
            });
            let synopsis = words.iter().any(|w| w.starts_with('[') || w.contains('…'));
            if prefix_ok && !synopsis {
                out.push(words[at..].to_vec());
            }
        }
    }
    out
}

#[test]
fn every_command_line_in_the_docs_parses() {
    use clap::Parser;
    let mut parsed = 0;
    let mut failures = Vec::new();
    for (name, text) in markdown_files() {
        for fence in fences(&text) {
            if !matches!(
                fence.info.as_str(),
                "" | "sh" | "bash" | "console" | "shell" | "text" | "ini"
            ) {
                continue;
            }
            for words in command_lines(&fence) {
                parsed += 1;
                if let Err(e) = zynk::cli::Cli::try_parse_from(&words) {
                    if !matches!(
                        e.kind(),
                        clap::error::ErrorKind::DisplayHelp
                            | clap::error::ErrorKind::DisplayVersion
                    ) {
                        let first = e.to_string().lines().next().unwrap_or("").to_string();
                        failures.push(format!(
                            "{name}:{}: {} — {first}",
                            fence.line,
                            words.join(" ")
                        ));
                    }
                }
            }
        }
    }
    // Commands in running text: `zynk ledger orders --data zynk-demo`; synopses with
    // placeholders (`--run N`, `SCRIPT|-`, `[--strict]`, `…`) are skipped.
    for (name, text) in markdown_files() {
        let mut prose = String::new();
        let mut in_fence = false;
        for line in text.lines() {
            if line.trim_start().starts_with("```") {
                in_fence = !in_fence;
            } else if !in_fence {
                prose.push_str(line);
                prose.push(' ');
            }
        }
        for (k, span) in prose.split('`').enumerate() {
            if k % 2 == 0 || !span.starts_with("zynk ") {
                continue;
            }
            let words = shell_words_of(span);
            let placeholder = span.contains(['…', '|', '[', '{', '<'])
                || words
                    .iter()
                    .any(|w| w.chars().all(|c| c.is_ascii_uppercase() || c == '_'));
            if placeholder {
                continue;
            }
            parsed += 1;
            if let Err(e) = zynk::cli::Cli::try_parse_from(&words) {
                use clap::error::ErrorKind;
                // `zynk check` named in a sentence is a command's name, not a command line.
                let name_only = words.len() == 2 && e.kind() == ErrorKind::MissingRequiredArgument;
                if !name_only
                    && !matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion)
                {
                    let first = e.to_string().lines().next().unwrap_or("").to_string();
                    failures.push(format!("{name}: `{span}` — {first}"));
                }
            }
        }
    }
    assert!(parsed > 25, "found only {parsed} command lines");
    assert!(
        failures.is_empty(),
        "command lines clap refuses:\n{}",
        failures.join("\n")
    );
}

/// Library items the docs name in the form of a code: they are Rust paths, not codes.
const RUST_PATHS: &[&str] = &["zynk::http::redact", "zynk::tasks::map_specs"];

#[test]
fn every_code_in_the_docs_exists_in_the_code() {
    let mut codes: Vec<String> = RUST_PATHS.iter().map(ToString::to_string).collect();
    codes_in(&root().join("src"), &mut codes);
    let mut unknown = Vec::new();
    for (name, text) in markdown_files() {
        for (k, span) in text.split('`').enumerate() {
            let code = span.trim();
            let is_code = k % 2 == 1
                && code.starts_with("zynk::")
                && code.matches("::").count() == 2
                && code
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '_' || c == ':');
            if is_code && !code.ends_with(':') && !codes.iter().any(|c| c == code) {
                unknown.push(format!("{name}: {code}"));
            }
        }
    }
    unknown.sort();
    unknown.dedup();
    assert!(
        unknown.is_empty(),
        "codes the docs name that no error has:\n{}",
        unknown.join("\n")
    );
}

#[test]
fn run_codes_in_the_docs_are_the_registry() {
    use zynk::runtime::RunCode;
    use zynk::runtime::codes::CodeResult;
    let doc =
        std::fs::read_to_string(root().join("docs/diagnostics.md")).expect("docs/diagnostics.md");
    assert!(
        doc.contains(&zynk::reference::run_codes_markdown()),
        "docs/diagnostics.md's run codes are out of date: run `scripts/update-docs`"
    );
    // The codes of other namespaces that statements raise sit in their namespace's table,
    // with the registry's meaning and result.
    for code in RunCode::ALL
        .iter()
        .filter(|c| !c.code().starts_with("zynk::run::"))
    {
        let result = code.result().map_or("—", CodeResult::as_str);
        let row = format!("| `{code}` | {} | {result} |", code.meaning());
        assert!(
            doc.lines().any(|l| l == row),
            "docs/diagnostics.md lacks the row\n{row}"
        );
    }
    let mut used = Vec::new();
    codes_in(&root().join("src"), &mut used);
    let unregistered: Vec<&String> = used
        .iter()
        .filter(|c| {
            c.starts_with("zynk::run::") && !RunCode::ALL.iter().any(|r| r.code() == c.as_str())
        })
        .collect();
    assert!(
        unregistered.is_empty(),
        "run codes used in src/ but missing from zynk::runtime::RunCode: {unregistered:?}"
    );
}

/// Where a run-time code is spelt as text in `src/` outside the registry
/// (`src/runtime/codes.rs`): `"zynk::run::NAME"` literals.
fn codes_spelt_as_text(dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).expect("src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            codes_spelt_as_text(&path, out);
            continue;
        }
        let name = path
            .strip_prefix(root())
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        if name == "src/runtime/codes.rs" {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("source");
        for (n, line) in text.lines().enumerate() {
            let spelt = line.match_indices("\"zynk::run::").any(|(i, m)| {
                line[i + m.len()..]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
            });
            if spelt {
                out.push(format!("{name}:{}", n + 1));
            }
        }
    }
}

#[test]
fn statements_raise_with_typed_codes() {
    let mut found = Vec::new();
    codes_spelt_as_text(&root().join("src"), &mut found);
    assert!(
        found.is_empty(),
        "raise with `RunError::raise(RunCode::…)`, not a code spelt as text:\n{}",
        found.join("\n")
    );
    let mut planted = Vec::new();
    let dir = std::env::temp_dir().join(format!("zynk-codes-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temp folder");
    std::fs::write(
        dir.join("x.rs"),
        "raise(\"zynk::run::io\", m)\nlet p = \"zynk::run::\";\n",
    )
    .expect("a planted file");
    codes_spelt_as_text(&dir, &mut planted);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(planted.len(), 1, "the scan finds a spelt code: {planted:?}");
}

/// Every file of the project the docs name (a relative link, or a backticked
/// `scripts/…`/`docs/…`/`tests/…` path) exists.
#[test]
fn every_project_file_the_docs_name_exists() {
    let mut missing = Vec::new();
    for (name, text) in markdown_files() {
        let base = root().join(&name);
        let dir = base.parent().unwrap_or(root());
        for (i, _) in text.match_indices("](") {
            let rest = &text[i + 2..];
            let Some(end) = rest.find(')') else { continue };
            let link = rest[..end].split('#').next().unwrap_or_default();
            if link.is_empty() || link.contains("://") || link.starts_with("mailto:") {
                continue;
            }
            if !dir.join(link).exists() {
                missing.push(format!("{name}: {link}"));
            }
        }
        for (i, _) in text.match_indices('`') {
            let rest = &text[i + 1..];
            let Some(end) = rest.find('`') else { continue };
            let path = &rest[..end];
            let named = ["scripts/", "docs/", "tests/", "editors/"]
                .iter()
                .any(|p| path.starts_with(p));
            if named
                && !path.contains([' ', '*', '{', '<', '$'])
                && !root().join(path.trim_end_matches('/')).exists()
            {
                missing.push(format!("{name}: {path}"));
            }
        }
    }
    missing.sort();
    missing.dedup();
    assert!(missing.is_empty(), "named but missing: {missing:#?}");
}
