//! Each mapping construct against XSLT: `tests/fixtures/map/constructs/NAME/` holds a
//! `map.zynk`, the equivalent `stylesheet.xsl`, the input and `expected.xml`, which
//! xsltproc wrote (`xsltproc stylesheet.xsl input.xml > expected.xml`, see the folder's
//! README). The script runs through the CLI and its output must equal xsltproc's,
//! compared as XML: element names and namespaces, attributes, text (whitespace-only text
//! and namespace declarations aside).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::xml_text::canonical;

fn constructs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/map/constructs")
}

/// Runs the construct's `map.zynk` in a fresh folder; the CLI's stdout and the output.
fn run(name: &str) -> (String, String) {
    let source = constructs().join(name);
    let dir = tempfile::tempdir().expect("temp dir");
    let work = dir.path().join("data/map");
    std::fs::create_dir_all(&work).expect("mkdir");
    for entry in std::fs::read_dir(&source).expect("read fixture") {
        let path = entry.expect("entry").path();
        let file = path.file_name().expect("name").to_owned();
        let is_script = path.extension().is_some_and(|e| e == "zynk");
        let to = if is_script {
            dir.path().join(file)
        } else {
            work.join(file)
        };
        std::fs::copy(&path, to).expect("copy");
    }
    let out = Command::new(env!("CARGO_BIN_EXE_zynk"))
        .args(["run", "map.zynk"])
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .output()
        .expect("run zynk");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{name}: zynk failed\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let written = std::fs::read_to_string(work.join("output.xml")).expect("output.xml");
    (stdout, written)
}

/// The construct's output equals xsltproc's, and the map ran in the mode its script's
/// `# mode:` line names.
fn agrees_with_xsltproc(name: &str) {
    let (stdout, written) = run(name);
    let expected =
        std::fs::read_to_string(constructs().join(name).join("expected.xml")).expect("expected");
    let (want, got) = (canonical(&expected), canonical(&written));
    assert!(
        want == got,
        "{name}: zynk and xsltproc differ\n--- xsltproc\n{want}\n--- zynk\n{got}\n--- zynk wrote\n{written}"
    );
    let script = std::fs::read_to_string(constructs().join(name).join("map.zynk")).expect("script");
    let mode = script
        .lines()
        .find_map(|l| l.strip_prefix("# mode: "))
        .unwrap_or_else(|| panic!("{name}: map.zynk has no `# mode:` line"));
    assert!(
        stdout.contains(&format!("({mode})")),
        "{name}: expected a {mode} map\n{stdout}"
    );
}

#[test]
fn distinct_customers_across_orders() {
    agrees_with_xsltproc("distinct");
}

#[test]
fn lookup_tables_from_csv_and_xml() {
    agrees_with_xsltproc("lookup");
}

#[test]
fn lets_per_record_and_params_in_xpath() {
    agrees_with_xsltproc("let");
}

#[test]
fn sibling_ancestor_following_and_preceding_axes() {
    agrees_with_xsltproc("axes");
}

#[test]
fn attributes_another_root_namespaces_and_no_wrapper() {
    agrees_with_xsltproc("shape");
}

#[test]
fn format_number_and_format_date() {
    agrees_with_xsltproc("format");
}

#[test]
fn sums_of_computed_line_values() {
    agrees_with_xsltproc("sums");
}

#[test]
fn first_match_choice_and_xpaths_over_several_lines() {
    agrees_with_xsltproc("choose");
}

#[test]
fn current_generate_id_and_lang() {
    agrees_with_xsltproc("xslt-functions");
}

#[test]
fn a_magento_invoices_stylesheet() {
    agrees_with_xsltproc("invoices");
}

/// Every construct that streams gives, byte for byte, what the same spec gives on one tree
/// (the top-level selects wrapped as `(…)[true()]`, which forces tree mode).
#[test]
fn streaming_constructs_agree_with_tree_mode() {
    use zynk::source::SourceFile;
    for name in [
        "distinct", "lookup", "let", "shape", "format", "sums", "choose", "invoices",
    ] {
        let dir = constructs().join(name);
        let source = SourceFile::read(&dir.join("map.zynk")).expect("script");
        let program =
            zynk::check::compile(&source, zynk::tasks::Registry::standard(), &[]).expect("checks");
        let mut spec = zynk::tasks::map_specs(&program)[0].clone();
        for lookup in &mut spec.lookups {
            lookup.file = dir.join(&lookup.file);
        }
        let mut tree = spec.clone();
        for rule in &mut tree.rules {
            rule.select = zynk::xpath::compile(&format!("({})[true()]", rule.select.source()))
                .expect("compiles");
        }
        let out = tempfile::tempdir().expect("temp dir");
        let input = dir.join("input.xml");
        let streamed =
            zynk::map::map_file(&input, &spec, &out.path().join("s.xml")).expect("streamed");
        let whole = zynk::map::map_file(&input, &tree, &out.path().join("t.xml")).expect("tree");
        assert!(streamed.streamed && !whole.streamed, "{name}");
        let read = |f: &str| std::fs::read_to_string(out.path().join(f)).expect("output");
        assert_eq!(
            read("s.xml"),
            read("t.xml"),
            "{name}: streaming and tree mode differ"
        );
    }
}
