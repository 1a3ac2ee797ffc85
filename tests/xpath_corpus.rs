//! Differential test: zynk's XPath results against libxml2 goldens (`scripts/xpath-goldens`).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use zynk::xpath::{self, Value};

/// The committed fixtures, or the folder in `ZYNK_XPATH_FIXTURES` (see `scripts/xpath-fuzz`).
fn fixtures() -> PathBuf {
    match std::env::var_os("ZYNK_XPATH_FIXTURES") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/xpath"),
    }
}

/// Whether the committed corpus is under test (not a generated one).
fn committed_corpus() -> bool {
    std::env::var_os("ZYNK_XPATH_FIXTURES").is_none()
}

/// Every function zynk implements; each must appear in the corpus.
const FUNCTIONS: &[&str] = &[
    "boolean",
    "ceiling",
    "concat",
    "contains",
    "count",
    "false",
    "floor",
    "lang",
    "last",
    "local-name",
    "name",
    "namespace-uri",
    "normalize-space",
    "not",
    "number",
    "position",
    "round",
    "starts-with",
    "string",
    "string-length",
    "substring",
    "substring-after",
    "substring-before",
    "sum",
    "translate",
    "true",
];

/// Every axis zynk evaluates beyond the abbreviated ones; each must appear in the corpus.
const AXES: &[&str] = &[
    "ancestor",
    "ancestor-or-self",
    "following",
    "following-sibling",
    "preceding",
    "preceding-sibling",
];

/// One golden case: the document, the expression and the expected result lines.
struct Case {
    doc: String,
    expr: String,
    expected: Vec<String>,
}

fn parse_golden(text: &str) -> Vec<Case> {
    let mut cases: Vec<Case> = Vec::new();
    for line in text.lines() {
        if let Some(header) = line.strip_prefix("### ") {
            let (doc, expr) = header
                .split_once(" :: ")
                .unwrap_or_else(|| panic!("bad golden header: {line}"));
            cases.push(Case {
                doc: doc.to_owned(),
                expr: expr.to_owned(),
                expected: Vec::new(),
            });
        } else if let Some(case) = cases.last_mut() {
            case.expected.push(line.to_owned());
        } else {
            panic!("golden line before any case: {line}");
        }
    }
    cases
}

fn escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('\n', "\\n")
        .replace('\r', "\\r")
}

/// zynk's result in the golden's normalised form.
fn actual(value: &Value) -> Vec<String> {
    match value {
        Value::Nodes(nodes) => std::iter::once(format!("nodes {}", nodes.len()))
            .chain(
                nodes
                    .iter()
                    .map(|n| format!("- {}", escape(&n.string_value()))),
            )
            .collect(),
        scalar => vec![format!("scalar {}", escape(&scalar.to_string_value()))],
    }
}

#[test]
fn zynk_agrees_with_libxml2_on_the_corpus() {
    let golden = fs::read_to_string(fixtures().join("corpus.golden")).expect("read golden");
    let cases = parse_golden(&golden);
    assert!(
        cases.len() >= 150 || !committed_corpus(),
        "the corpus must hold at least 150 expressions, found {}",
        cases.len()
    );

    for function in FUNCTIONS.iter().filter(|_| committed_corpus()) {
        let call = format!("{function}(");
        assert!(
            cases.iter().any(|case| case
                .expr
                .split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '('))
                .any(|word| word.starts_with(&call))),
            "no corpus case calls {function}()"
        );
    }

    for axis in AXES.iter().filter(|_| committed_corpus()) {
        let step = format!("{axis}::");
        assert!(
            cases.iter().any(|case| case
                .expr
                .split(|c: char| !(c.is_alphanumeric() || c == '-' || c == ':'))
                .any(|word| word.starts_with(&step))),
            "no corpus case uses the {axis} axis"
        );
    }

    let mut texts: HashMap<String, String> = HashMap::new();
    for case in &cases {
        if !texts.contains_key(&case.doc) {
            let raw = fs::read_to_string(fixtures().join("docs").join(&case.doc))
                .unwrap_or_else(|e| panic!("read {}: {e}", case.doc));
            let text = raw.strip_prefix('\u{feff}').unwrap_or(&raw).to_owned();
            texts.insert(case.doc.clone(), text);
        }
    }
    let docs: HashMap<&str, roxmltree::Document> = texts
        .iter()
        .map(|(name, text)| {
            let doc =
                roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("parse {name}: {e}"));
            (name.as_str(), doc)
        })
        .collect();

    let mut failures = String::new();
    let mut failed = 0;
    for case in &cases {
        let doc = &docs[case.doc.as_str()];
        let got = match xpath::compile(&case.expr) {
            Ok(compiled) => match compiled.evaluate(doc.root()) {
                Ok(value) => actual(&value),
                Err(e) => vec![format!("evaluation error: {e}")],
            },
            Err(e) => vec![format!("compile error: {e} at {:?}", e.span())],
        };
        if got != case.expected {
            failed += 1;
            let _ = writeln!(
                failures,
                "\n--- {} :: {}\nexpected (libxml2):\n  {}\ngot (zynk):\n  {}",
                case.doc,
                case.expr,
                case.expected.join("\n  "),
                got.join("\n  ")
            );
        }
    }
    assert!(
        failed == 0,
        "{failed} of {} corpus cases differ from libxml2:{failures}",
        cases.len()
    );
}
