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
    for task in zynk::tasks::ALL {
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
