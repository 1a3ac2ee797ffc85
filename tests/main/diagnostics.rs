//! Every fixture under `tests/fixtures/{syntax,check}` is a script with a mistake: its
//! rendered diagnostics are snapshot-tested, and the code named on its `# expect:` line
//! must be among them.
use miette::Diagnostic;
use zynk::diagnostic::{self, Style};
use zynk::source::SourceFile;

fn diagnose(source: &SourceFile) -> (Vec<String>, String) {
    let problems: Vec<Box<dyn Diagnostic>> =
        match zynk::check::compile(source, zynk::tasks::Registry::standard(), &[]) {
            Err(zynk::check::Problems::Syntax(errors, _)) => errors
                .into_iter()
                .map(|e| Box::new(e) as Box<dyn Diagnostic>)
                .collect(),
            Ok(program) => program
                .warnings
                .into_iter()
                .map(|w| Box::new(w) as Box<dyn Diagnostic>)
                .collect(),
            Err(zynk::check::Problems::Check(errors)) => errors
                .into_iter()
                .map(|e| Box::new(e) as Box<dyn Diagnostic>)
                .collect(),
        };
    let codes = problems
        .iter()
        .filter_map(|p| p.code().map(|c| c.to_string()))
        .collect();
    let rendered = problems
        .iter()
        .map(|p| diagnostic::render(source, p.as_ref(), Style::PLAIN))
        .collect::<Vec<_>>()
        .join("\n");
    (codes, rendered)
}

#[test]
fn script_mistakes() {
    insta::glob!("../fixtures", "{syntax,check}/*.zynk", |path| {
        let text = std::fs::read_to_string(path)
            .expect("fixture")
            .replace("\r\n", "\n");
        let folder = path
            .parent()
            .and_then(|p| p.file_name())
            .expect("folder")
            .to_string_lossy();
        let name = format!(
            "{folder}/{}",
            path.file_name().expect("name").to_string_lossy()
        );
        let source = SourceFile::from_text(&name, &text);
        let expected = text
            .lines()
            .find_map(|l| l.strip_prefix("# expect: "))
            .unwrap_or_else(|| panic!("{name} has no `# expect:` line"));
        let (codes, rendered) = diagnose(&source);
        assert!(
            codes.iter().any(|c| c == expected),
            "{name}: expected {expected}, got {codes:?}\n{rendered}"
        );
        assert!(
            rendered.contains(&format!("[{name}:")),
            "{name}: no script name, line and column\n{rendered}"
        );
        assert!(
            rendered.contains("help:"),
            "{name}: no help line\n{rendered}"
        );
        insta::assert_snapshot!(rendered);
    });
}

#[test]
fn every_shipped_script_checks() {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "zynk") {
                out.push(path);
            }
        }
    }
    let mut scripts = Vec::new();
    walk(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts"),
        &mut scripts,
    );
    assert!(!scripts.is_empty(), "no scripts found");
    for path in scripts {
        let source = SourceFile::read(&path).expect("read");
        let (codes, rendered) = diagnose(&source);
        assert!(codes.is_empty(), "{}:\n{rendered}", path.display());
    }
}
