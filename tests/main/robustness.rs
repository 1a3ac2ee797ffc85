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
        let rendered = match zynk::check::compile(&source, zynk::tasks::Registry::standard(), &[]) {
            Ok(_) => String::new(),
            Err(problems) => problems
                .into_diagnostics()
                .iter()
                .map(|e| {
                    zynk::diagnostic::render(&source, e.as_ref(), zynk::diagnostic::Style::PLAIN)
                })
                .collect::<String>(),
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

/// Statements that check on their own, with a hole for a number (`N`) and for a
/// duration (`D`) that the generator fills, sometimes out of range.
const STATEMENTS: &[&str] = &[
    "fetch \"http://127.0.0.1:8080/a\" to \"a.xml\" retries N timeout D",
    "fetch \"http://127.0.0.1:8080/b\" to \"b.xml\"\n    retries N\n    retry_wait D",
    "notify \"http://127.0.0.1:8080/n\" with \"a.xml\" to \"n.txt\" timeout D",
    "http PUT \"http://127.0.0.1:8080/p\" with \"a.xml\" retries N",
    "delete \"old.xml\"",
    "archive to \"Archive\" keep N archives",
    "archive to \"Archive\" keep N days",
    "split \"big.xml\" by xpath `/Company/Products/Product` limit N into \"Chunks\"",
    "export stock modified to \"stock.xml\"",
    "import customers from \"c.xml\" success \"c_ok.xml\" fail \"c_fail.xml\"",
    "ledger \"other.sqlite\"",
    "fetch \"http://127.0.0.1:8080/c\" to \"c.xml\" or continue",
];

const NUMBERS: &[&str] = &[
    "0",
    "1",
    "3",
    "200",
    "1000000000000000",
    "1000000000000001",
    "99999999999999999999",
    "2.5",
    "-1",
    "\"2\"",
];

const DURATIONS: &[&str] = &[
    "0ms",
    "500ms",
    "30s",
    "2m",
    "24h",
    "25h",
    "1441m",
    "5124095576030432h",
    "99999999999999999999s",
    "18446744073709551615ms",
    "30",
];

fn pick<'a>(state: &mut u64, from: &[&'a str]) -> &'a str {
    from[usize::try_from(next(state) % from.len() as u64).unwrap_or(0)]
}

/// A script of well-formed statements, some inside `foreach` blocks, some with values
/// out of range, and how many statements it holds.
fn generate(state: &mut u64) -> (String, usize) {
    let mut text = String::from("param site = \"http://127.0.0.1:8080\"\n");
    let mut statements = 0;
    let mut depth = 0;
    for _ in 0..1 + next(state) % 12 {
        let indent = "    ".repeat(depth);
        match next(state) % 6 {
            0 if depth < 3 => {
                text.push_str(&format!("{indent}foreach f{depth} in \"In{depth}\" {{\n"));
                statements += 1;
                depth += 1;
                // A block holds at least one statement.
                text.push_str(&format!("{indent}    delete f{}\n", depth - 1));
                statements += 1;
            }
            1 if depth > 0 => {
                depth -= 1;
                text.push_str(&format!("{}}}\n", "    ".repeat(depth)));
            }
            _ => {
                let line = pick(state, STATEMENTS)
                    .replace('N', pick(state, NUMBERS))
                    .replace('D', pick(state, DURATIONS));
                for piece in line.lines() {
                    text.push_str(&format!("{indent}{piece}\n"));
                }
                statements += 1;
            }
        }
    }
    while depth > 0 {
        depth -= 1;
        text.push_str(&format!("{}}}\n", "    ".repeat(depth)));
    }
    (text, statements)
}

fn messages(errors: &[impl std::fmt::Display]) -> Vec<String> {
    errors.iter().map(ToString::to_string).collect()
}

/// No statement is ever dropped: a script either checks into one compiled statement
/// per statement it holds, or reports at least one error; its syntax errors are the
/// parser's alone.
#[test]
fn no_statement_vanishes() {
    let mut state = 11;
    let (mut accepted, mut rejected) = (0, 0);
    for _ in 0..3000 {
        let (text, statements) = generate(&mut state);
        let source = SourceFile::from_text("gen.zynk", &text);
        let checked = zynk::check::compile(&source, zynk::tasks::Registry::standard(), &[]);
        if let Err(zynk::check::Problems::Syntax(streamed, _)) = &checked {
            let errors = zynk::syntax::parse(&source, zynk::tasks::Registry::standard())
                .expect_err("the parser finds them alone");
            assert_eq!(messages(streamed), messages(&errors), "in:\n{text}");
            rejected += 1;
            continue;
        }
        match checked {
            Ok(program) => {
                accepted += 1;
                assert_eq!(
                    program.statement_count, statements,
                    "a statement vanished from:\n{text}"
                );
                let top = program.statements.len();
                assert!(
                    top >= 1 && top <= statements,
                    "{top} of {statements}:\n{text}"
                );
            }
            Err(problems) => {
                assert!(!problems.into_diagnostics().is_empty());
                rejected += 1;
            }
        }
    }
    assert!(
        accepted > 300 && rejected > 300,
        "the generator should make both valid and invalid scripts: {accepted} accepted, {rejected} rejected"
    );
}
