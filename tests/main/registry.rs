//! The statement registry holds together: examples check, heads are never option words,
//! and one-line table tests pin what parsing and binding make of a script.
use zynk::source::SourceFile;

/// The codes `zynk check` reports for `script`, or the number of statements it compiled.
fn check(script: &str) -> Result<usize, Vec<String>> {
    let source = SourceFile::from_text("t.zynk", script);
    let codes = |errors: Vec<String>| Err(errors);
    match zynk::check::compile(&source, zynk::tasks::Registry::standard(), &[]) {
        Err(zynk::check::Problems::Syntax(errors, _)) => codes(
            errors
                .iter()
                .map(|e| miette::Diagnostic::code(e).map_or(String::new(), |c| c.to_string()))
                .collect(),
        ),
        Ok(program) => Ok(program.statements.len()),
        Err(zynk::check::Problems::Check(errors)) => codes(
            errors
                .iter()
                .map(|e| miette::Diagnostic::code(e).map_or(String::new(), |c| c.to_string()))
                .collect(),
        ),
    }
}

#[test]
fn every_statement_example_passes_the_checker() {
    for task in zynk::tasks::Registry::standard().tasks() {
        // Examples use `${site}` as the scripts around them declare it.
        let script = format!(
            "workflow \"t\"\nparam site = \"http://127.0.0.1:8080\"\n{}\n",
            task.example()
        );
        assert_eq!(
            check(&script),
            Ok(1),
            "the example of `{}` does not check:\n{script}",
            task.name()
        );
    }
}

#[test]
fn no_statement_head_is_an_option_word() {
    let mut heads: Vec<&str> = vec!["workflow", "param", "let"];
    heads.extend(
        zynk::tasks::Registry::standard()
            .tasks()
            .filter_map(|t| t.head().first().copied()),
    );
    for task in zynk::tasks::Registry::standard().tasks() {
        for param in task.params() {
            for word in param.keyword.iter().flat_map(|k| k.split_whitespace()) {
                assert!(
                    !heads.contains(&word),
                    "`{word}` (an option of `{}`) also starts a statement: a continuation line \
                     starting with it would be read as a new statement",
                    task.name()
                );
            }
        }
    }
}

/// `table!(script => Ok(statements) | Err(code))`, one line each.
macro_rules! table {
    ($($script:literal => $expected:expr;)*) => {
        $(
            let got = check(concat!("workflow \"t\"\n", $script, "\n"));
            let expected: Result<usize, &str> = $expected;
            match (&got, expected) {
                (Ok(n), Ok(m)) => assert_eq!(*n, m, "{}", $script),
                (Err(codes), Err(code)) => assert!(
                    codes.iter().any(|c| c == code),
                    "{}: expected {code}, got {codes:?}",
                    $script
                ),
                _ => panic!("{}: expected {expected:?}, got {got:?}", $script),
            }
        )*
    };
}

#[test]
fn parsing_and_binding_table() {
    table! {
        "fetch \"http://x/a\" to \"a.xml\"" => Ok(1);
        "fetch \"http://x/a\"\n    to \"a.xml\" retries 2" => Ok(1);
        "fetch \"http://x/a\" to \"a.xml\" retrys 2" => Err("zynk::check::unknown_option");
        "fetch \"http://x/a\" to \"a.xml\" timeout 99999999999999999999s" => Err("zynk::syntax::duration_out_of_range");
        "fetch \"http://x/a\" to \"a.xml\" retries 1 retries 2" => Err("zynk::check::duplicate_option");
        "fetc \"http://x/a\" to \"a.xml\"" => Err("zynk::check::unknown_statement");
        "\"a.xml\" to \"b.xml\"" => Err("zynk::check::no_statement_name");
        "copy \"a.xml\" to \"b.xml\" overwrite" => Ok(1);
        "copy \"a.xml\"" => Err("zynk::check::missing_argument");
        "delete \"a.xml\"\ndelete \"b.xml\"" => Ok(2);
        "export stock modifed to \"p.xml\"" => Err("zynk::check::unknown_option");
        "export stock all to \"p.xml\" published only" => Ok(1);
        "split \"p.xml\" by xpath `/Company/Products/Product` limit 0 into \"C\"" => Err("zynk::check::out_of_range");
        "split \"p.xml\" by xpath `count(//Product)` into \"C\"" => Err("zynk::check::xpath_not_nodes");
        "split \"p.xml\" by xpath `//Sku/text()` into \"C\"" => Err("zynk::check::xpath_not_elements");
        "archive to \"Archive\" keep 0 archives" => Err("zynk::check::out_of_range");
        "foreach f in \"In\" matching \"*.xml\" {\n    delete f\n}" => Ok(1);
        "foreach f in \"In\" {\n    delete g\n}" => Err("zynk::check::unknown_variable");
        "if exists \"a.xml\" {\n    delete \"a.xml\"\n}" => Ok(1);
        "notify \"http://x/n\" with \"s.xml\" to \"s.xml\"" => Err("zynk::check::path_conflict");
        "http PUTT \"http://x/a\"" => Err("zynk::check::not_a_choice");
        "notify \"http://x/n\" with \"a.xml\" fail_on \"(\"" => Err("zynk::check::invalid_regex");
    }
}

#[test]
fn a_script_longer_than_one_parser_chunk_reads_as_one() {
    // Blocks opened in one chunk of the reader (64 KiB) and closed in the next, and a
    // mistake far into the script, reported at its own line.
    let mut script = String::from("workflow \"t\"\n");
    for i in 0..3000 {
        script.push_str(&format!(
            "foreach f{i} in \"In{i}\" matching \"*.xml\" {{\n    delete f{i}\n}}\n"
        ));
    }
    assert!(script.len() > 2 * 64 * 1024);
    assert_eq!(check(&script), Ok(3000));
    script.push_str("fetch \"http://x/a\" to \"a.xml\" retrys 1\n");
    let source = SourceFile::from_text("t.zynk", &script);
    let Err(zynk::check::Problems::Check(errors)) =
        zynk::check::compile(&source, zynk::tasks::Registry::standard(), &[])
    else {
        panic!("a check mistake");
    };
    let span = miette::Diagnostic::labels(&errors[0])
        .and_then(|mut l| l.next())
        .expect("a label");
    assert_eq!(source.line_col(span.offset()).0, 9002);
}
