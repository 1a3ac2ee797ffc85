//! No script text, however mangled, makes the parser or the checker panic.
use zynk::source::SourceFile;

const PIECES: &[&str] = &[
    "fetch ",
    "notify ",
    "foreach file in ",
    "delete ",
    "archive ",
    "split ",
    "map ",
    "import customers ",
    "export stock ",
    "http PUT ",
    "param ",
    "let ",
    "workflow ",
    "to ",
    "with ",
    "by xpath ",
    "limit ",
    "keep 3 days ",
    "or continue",
    "\"",
    "\"a.xml\" ",
    "\"${site}\" ",
    "${",
    "}",
    "{",
    "\n",
    "\n    ",
    "`",
    "`/Company/Products/Product` ",
    "`//x[",
    "= ",
    "env(\"X\") ",
    "file.stem ",
    "42 ",
    "1.5 ",
    "30s ",
    "é",
    "€",
    "😀",
    "\\",
    "\\q",
    "#",
    " if not empty",
    "\"Id\" = `@id`\n",
    "for each ",
    "as ",
    "\"A/B\" ",
    "site ",
    "retries ",
    "timeout ",
    "\t",
    "\r\n",
    "'",
    "(",
    ")",
    ",",
];

/// A tiny deterministic generator (splitmix64).
fn next(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[test]
fn random_scripts_never_panic() {
    let mut state = 7;
    let mut rejected = 0;
    for _ in 0..4000 {
        let len = 1 + next(&mut state) % 40;
        let mut text = String::new();
        for _ in 0..len {
            let i = usize::try_from(next(&mut state) % PIECES.len() as u64).unwrap_or(0);
            text.push_str(PIECES[i]);
        }
        let source = SourceFile::from_text("fuzz.zynk", &text);
        let rendered = match zynk::syntax::parse(&source) {
            Err(errors) => errors
                .iter()
                .map(|e| zynk::diagnostic::render(&source, e, zynk::diagnostic::Style::PLAIN))
                .collect::<String>(),
            Ok(ast) => match zynk::check::check(&ast, &source, &[]) {
                Ok(_) => String::new(),
                Err(errors) => errors
                    .iter()
                    .map(|e| zynk::diagnostic::render(&source, e, zynk::diagnostic::Style::PLAIN))
                    .collect::<String>(),
            },
        };
        if !rendered.is_empty() {
            rejected += 1;
            assert!(
                rendered.contains("fuzz.zynk"),
                "a diagnostic without its script:\n{rendered}\n--- for ---\n{text}"
            );
        }
    }
    assert!(
        rejected > 1000,
        "the generator should produce mostly invalid scripts, got {rejected}"
    );
}
