//! `zynk convert`: Zynk's own workflows become scripts that check, and the seed one runs.
use crate::support::xml_text;

#[path = "convert/cli.rs"]
mod cli;
#[path = "convert/fixtures.rs"]
mod fixtures;
#[path = "convert/samples.rs"]
mod samples;
#[path = "convert/seed.rs"]
mod seed;
#[path = "convert/xslt.rs"]
mod xslt;
#[path = "convert/zynk_samples.rs"]
mod zynk_samples;

use std::path::{Path, PathBuf};

/// A fixture under `tests/fixtures/convert/`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/convert")
        .join(name)
}

/// Converts a fixture through the library.
pub fn convert(name: &str) -> zynk::convert::Conversion {
    let path = fixture(name);
    let text = std::fs::read_to_string(&path).expect("fixture");
    zynk::convert::convert(name, &text).unwrap_or_else(|e| panic!("{name}: {e:?}"))
}

/// Parses and checks a script, with `--var` values.
pub fn check(name: &str, script: &str, vars: &[(String, String)]) -> zynk::check::Program {
    let source = zynk::source::SourceFile::from_text(name, script);
    zynk::check::compile(&source, zynk::tasks::Registry::standard(), vars)
        .unwrap_or_else(|e| panic!("{name}: {e:?}\n{script}"))
}

#[test]
fn docs_convert_md_has_the_current_mapping_table() {
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/convert.md"))
            .expect("docs/convert.md");
    assert!(
        doc.contains(&zynk::convert::doc::markdown()),
        "docs/convert.md is out of date: run scripts/update-docs"
    );
    for row in zynk::convert::table::TABLE {
        assert!(
            doc.contains(&format!("#### `{}`", row.task)),
            "{}",
            row.task
        );
    }
}
