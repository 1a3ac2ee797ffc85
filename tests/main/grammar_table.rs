//! The grammar, one table per construct: each row is a script and what the front end
//! makes of it. A script that parses and checks is shown as the tree the parser built, in
//! a compact s-expression (one `(…)` per line of the script, blocks in `{…}`); a script
//! that does not is shown as its diagnostics' codes, each with its line. Every accepted
//! row is also formatted with `zynk fmt` and must read back as the same tree (its options
//! perhaps in another order).
//!
//! The rendering:
//!
//! - `(workflow V)`, `(param NAME V)`, `(let NAME V)`;
//! - a statement: `(WORD-OR-VALUE …)`, then ` {…}` for its block, ` else {…}` for its
//!   `else`, and ` or-continue`;
//! - a field of `map`: `(field "Target" V)`, with ` if-not-empty`, ` if V`, ` default V`;
//! - values: `"text${interp}"` (text escaped as Rust does: `\n`, `\"`; a literal `${`
//!   as `\${`), numbers as written once read (`2.5`), durations as Rust prints them
//!   (`120s`), `` `xpath` ``, `call(V, …)`, variables bare, record fields `(record NAME `xpath`)`.
//!
//! An error row is `error CODE@LINE`, several joined by `; `, with `zynk::` left out.
use zynk::source::SourceFile;
use zynk::syntax::ast::{Arg, Block, Expr, FieldCondition, Item, StrPart};

/// What a row expects: the rendered tree, or `error …`.
struct Row {
    source: &'static str,
    want: &'static str,
}

/// A row.
const fn row(source: &'static str, want: &'static str) -> Row {
    Row { source, want }
}

/// What the front end makes of `source`.
fn outcome(source: &str) -> String {
    let file = SourceFile::from_text("row.zynk", source);
    match zynk::check::compile(&file, zynk::tasks::Registry::standard(), &[]) {
        Ok(_) => match zynk::syntax::parse(&file, zynk::tasks::Registry::standard()) {
            Ok(ast) => items(&ast.items),
            Err(errors) => format!("checked but does not parse: {errors:?}"),
        },
        Err(problems) => problems
            .into_diagnostics()
            .iter()
            .map(|d| {
                let code = d.code().map(|c| c.to_string()).unwrap_or_default();
                let code = code.strip_prefix("zynk::").unwrap_or(&code).to_string();
                let line = d
                    .labels()
                    .and_then(|mut labels| labels.next())
                    .map_or(0, |l| file.line_col(l.offset()).0);
                format!("error {code}@{line}")
            })
            .collect::<Vec<_>>()
            .join("; "),
    }
}

fn items(items: &[Item]) -> String {
    items.iter().map(item).collect::<Vec<_>>().join(" ")
}

fn item(item: &Item) -> String {
    match item {
        Item::Workflow(w) => format!("(workflow {})", expr(&w.name)),
        Item::Param(b) => format!("(param {} {})", b.name.value, expr(&b.value)),
        Item::Let(b) => format!("(let {} {})", b.name.value, expr(&b.value)),
        Item::Field(f) => {
            let mut out = format!("(field {} {}", string(&f.target.parts), expr(&f.value));
            match &f.condition {
                Some(FieldCondition::NotEmpty(_)) => out.push_str(" if-not-empty"),
                Some(FieldCondition::When(v)) => out.push_str(&format!(" if {}", expr(v))),
                None => {}
            }
            if let Some(default) = &f.default {
                out.push_str(&format!(" default {}", expr(default)));
            }
            out.push(')');
            out
        }
        Item::Statement(s) => {
            let mut out = String::from("(");
            out.push_str(
                &s.args
                    .iter()
                    .map(|a| match a {
                        Arg::Word(w) => w.value.clone(),
                        Arg::Value(v) => expr(v),
                    })
                    .collect::<Vec<_>>()
                    .join(" "),
            );
            if let Some(b) = &s.block {
                out.push_str(&format!(" {}", block(b)));
            }
            if let Some(b) = &s.otherwise {
                out.push_str(&format!(" else {}", block(b)));
            }
            if s.continue_on_failure.is_some() {
                out.push_str(" or-continue");
            }
            out.push(')');
            out
        }
    }
}

fn block(block: &Block) -> String {
    format!("{{{}}}", items(&block.items))
}

fn expr(expr: &Expr) -> String {
    match expr {
        Expr::String(s) => string(&s.parts),
        Expr::Number { value, .. } => value.to_string(),
        Expr::Duration { value, .. } => format!("{value:?}"),
        Expr::XPath { text, .. } => format!("`{}`", text.replace('\n', "\\n")),
        Expr::Call { name, args, .. } => format!(
            "{}({})",
            name.value,
            args.iter().map(self::expr).collect::<Vec<_>>().join(", ")
        ),
        Expr::Path(p) => p.value.clone(),
        Expr::RecordField { record, xpath, .. } => format!("(record {} `{xpath}`)", record.value),
    }
}

fn string(parts: &[StrPart]) -> String {
    let mut out = String::from("\"");
    for part in parts {
        match part {
            StrPart::Text(text) => {
                let escaped = format!("{text:?}");
                let escaped = &escaped[1..escaped.len() - 1];
                out.push_str(&escaped.replace("${", "\\${"));
            }
            StrPart::Interp(v) => out.push_str(&format!("${{{}}}", expr(v))),
        }
    }
    out.push('"');
    out
}

/// The words of a rendering, sorted.
fn words(rendering: &str) -> Vec<&str> {
    let mut words: Vec<&str> = rendering.split_whitespace().collect();
    words.sort_unstable();
    words
}

/// Runs a table: every row is tried, and the rows that differ are listed together, each
/// with what it gave, ready to paste.
fn table(name: &str, rows: &[Row]) {
    let mut wrong = Vec::new();
    for row in rows {
        let got = outcome(row.source);
        if got != row.want {
            wrong.push(format!(
                "  source: {:?}\n    want: {}\n     got: {}",
                row.source, row.want, got
            ));
            continue;
        }
        if got.starts_with("error ") {
            continue;
        }
        // What `zynk fmt` writes reads back as the same tree, but for the order of options
        // (it writes them in the reference's order), and formatting it again changes nothing.
        match zynk::format::format(row.source) {
            Ok(formatted) => {
                let again = outcome(&formatted);
                let twice = zynk::format::format(&formatted).ok();
                if words(&again) != words(&got) || twice.as_deref() != Some(formatted.as_str()) {
                    wrong.push(format!(
                        "  source: {:?}\n    formatted: {formatted:?}\n    reads back as: {again}",
                        row.source
                    ));
                }
            }
            Err(e) => wrong.push(format!("  source: {:?}\n    fmt failed: {e:?}", row.source)),
        }
    }
    if !wrong.is_empty() {
        let table: String = rows
            .iter()
            .map(|row| format!("row({:?}, {:?}),\n", row.source, outcome(row.source)))
            .collect();
        panic!(
            "{name}: {} of {} rows differ:\n{}\n\nthe table as it is now:\n{table}",
            wrong.len(),
            rows.len(),
            wrong.join("\n")
        );
    }
}

#[test]
fn declarations() {
    table(
        "declarations",
        &[
            row("workflow \"Shop Sync\"", "(workflow \"Shop Sync\")"),
            row(
                "workflow \"A\"\nworkflow \"B\"",
                "error check::duplicate_workflow@2",
            ),
            row("workflow Shop", "error check::unknown_variable@1"),
            row(
                "workflow \"A\" extra",
                "error check::malformed_declaration@1",
            ),
            row(
                "param site = \"http://127.0.0.1:8080\"",
                "(param site \"http://127.0.0.1:8080\")",
            ),
            row("param batch = 200", "(param batch 200)"),
            row("param wait = 30s", "(param wait 30s)"),
            row("param dry_run = true", "(param dry_run true)"),
            row(
                "param key = env(\"SHOP_KEY\")",
                "(param key env(\"SHOP_KEY\"))",
            ),
            row("param site =", "error syntax::unexpected@1"),
            row("param 1site = 2", "error syntax::unexpected@1"),
            row(
                "param a = 1\nparam a = 2",
                "error check::duplicate_variable@2",
            ),
            row(
                "let url = \"x\"\nlet again = url",
                "(let url \"x\") (let again url)",
            ),
            row("let url = nowhere", "error check::unknown_variable@1"),
            row("let = 1", "error syntax::unexpected@1"),
        ],
    );
}

#[test]
fn lines_and_comments() {
    table(
        "lines and comments",
        &[
            row(
                "# a comment\nworkflow \"W\"  # after\n\n\nlog \"a\"\n",
                "(workflow \"W\") (log \"a\")",
            ),
            row(
                "workflow \"W\"\r\nlog \"a\"\r\n",
                "(workflow \"W\") (log \"a\")",
            ),
            row(
                "workflow \"W\"\rlog \"a\"\r",
                "(workflow \"W\") (log \"a\")",
            ),
            row("log \"a # not a comment\"", "(log \"a # not a comment\")"),
            row("", ""),
            row(
                "import customers from \"in.xml\"\n    success \"ok.xml\"\n    fail \"ko.xml\"\n    alpha_length 4",
                "(import customers from \"in.xml\" success \"ok.xml\" fail \"ko.xml\" alpha_length 4)",
            ),
            row("log \"a\"\n    log \"b\"", "(log \"a\") (log \"b\")"),
        ],
    );
}

#[test]
fn strings() {
    table(
        "strings",
        &[
            row("log \"plain text\"", "(log \"plain text\")"),
            row(
                "log \"quote \\\" backslash \\\\ dollar \\$ nl \\n cr \\r tab \\t\"",
                "(log \"quote \\\" backslash \\\\ dollar $ nl \\n cr \\r tab \\t\")",
            ),
            row(
                "log \"\\${not} interpolated\"",
                "(log \"\\${not} interpolated\")",
            ),
            row("log \"cost: $5\"", "(log \"cost: $5\")"),
            row(
                "param site = \"s\"\nlog \"at ${site}/x\"",
                "(param site \"s\") (log \"at ${site}/x\")",
            ),
            row(
                "log \"key ${env(\"KEY\")}\"",
                "(log \"key ${env(\"KEY\")}\")",
            ),
            row("log \"\"", "(log \"\")"),
            row("log \"é ✓ 東京\"", "(log \"é ✓ 東京\")"),
            row("log \"bad \\q escape\"", "error syntax::unknown_escape@1"),
            row("log \"never closed", "error syntax::unterminated_string@1"),
            row(
                "log \"${site\"",
                "error syntax::unterminated_interpolation@1",
            ),
            row("log \"${1}\"", "error syntax::invalid_interpolation@1"),
            row("log \"${nobody}\"", "error check::unknown_variable@1"),
            row("log 'single'", "error syntax::unexpected@1"),
        ],
    );
}

#[test]
fn numbers_and_durations() {
    table(
        "numbers and durations",
        &[
            row(
                "split \"a.xml\" by xpath `/a/b` limit 7 into \"c\"",
                "(split \"a.xml\" by xpath `/a/b` limit 7 into \"c\")",
            ),
            row("param n = 2.5", "(param n 2.5)"),
            row("param n = -3", "(param n -3)"),
            row("param n = 1000000000000000", "(param n 1000000000000000)"),
            row(
                "param n = 10000000000000000",
                "error syntax::number_out_of_range@1",
            ),
            row("param n = 2.", "error syntax::unexpected@1"),
            row("param n = 12ab", "error syntax::unexpected@1"),
            row("param d = 500ms", "(param d 500ms)"),
            row("param d = 2m", "(param d 120s)"),
            row("param d = 1h", "(param d 3600s)"),
            row("param d = 24h", "(param d 86400s)"),
            row("param d = 25h", "error syntax::duration_out_of_range@1"),
            row("param d = 3d", "error syntax::unexpected@1"),
            row(
                "fetch \"http://h/a\" to \"a.xml\" timeout 30",
                "error check::wrong_type@1",
            ),
            row(
                "fetch \"http://h/a\" to \"a.xml\" retries \"two\"",
                "error check::wrong_type@1",
            ),
        ],
    );
}

#[test]
fn xpaths() {
    table(
        "xpaths",
        &[
            row(
                "split \"a.xml\" by xpath `/Company/Products/Product[@type='x']` into \"c\"",
                "(split \"a.xml\" by xpath `/Company/Products/Product[@type='x']` into \"c\")",
            ),
            row(
                "split \"a.xml\" by xpath `//Product[Qty > 1 and\n    Name != \"b\"]` into \"c\"",
                "(split \"a.xml\" by xpath `//Product[Qty > 1 and\\n    Name != \"b\"]` into \"c\")",
            ),
            row(
                "split \"a.xml\" by xpath `/a/b into \"c\"",
                "error syntax::unterminated_xpath@1",
            ),
            row(
                "split \"a.xml\" by xpath `/a/b[` into \"c\"",
                "error check::invalid_xpath@1",
            ),
            row(
                "split \"a.xml\" by xpath `` into \"c\"",
                "error check::invalid_xpath@1",
            ),
        ],
    );
}

#[test]
fn calls() {
    table(
        "calls",
        &[
            row(
                "notify \"http://h/x\" with \"hi\" auth \"u\" env(\"PASS\")",
                "(notify \"http://h/x\" with \"hi\" auth \"u\" env(\"PASS\"))",
            ),
            row(
                "notify \"http://h/x\" with \"hi\" auth \"u\" envv(\"PASS\")",
                "error check::unknown_function@1",
            ),
            row(
                "notify \"http://h/x\" with \"hi\" auth \"u\" env(\"A\", \"B\")",
                "error check::wrong_arguments@1",
            ),
            row(
                "notify \"http://h/x\" with \"hi\" auth \"u\" env(",
                "error syntax::unexpected@1",
            ),
        ],
    );
}

#[test]
fn statements() {
    table(
        "statements",
        &[
            row(
                "fetch \"http://h/a\" to \"a.xml\"",
                "(fetch \"http://h/a\" to \"a.xml\")",
            ),
            row(
                "notify \"http://h/n\" with \"a.xml\" to \"r.txt\"",
                "(notify \"http://h/n\" with \"a.xml\" to \"r.txt\")",
            ),
            row(
                "notify \"http://h/n\" form \"status\" \"done\" form \"count\" 3",
                "(notify \"http://h/n\" form \"status\" \"done\" form \"count\" 3)",
            ),
            row(
                "http PUT \"http://h/s\" with \"s.xml\" to \"r.txt\"",
                "(http PUT \"http://h/s\" with \"s.xml\" to \"r.txt\")",
            ),
            row(
                "import customers from \"d.xml\" success \"s.xml\" fail \"f.xml\"",
                "(import customers from \"d.xml\" success \"s.xml\" fail \"f.xml\")",
            ),
            row(
                "import sales orders from \"d.xml\" success \"s.xml\" fail \"f.xml\" duplicates fail",
                "(import sales orders from \"d.xml\" success \"s.xml\" fail \"f.xml\" duplicates fail)",
            ),
            row(
                "import invoices from \"d.xml\" success \"s.xml\" fail \"f.xml\"",
                "(import invoices from \"d.xml\" success \"s.xml\" fail \"f.xml\")",
            ),
            row(
                "import transactions from \"d.xml\" success \"s.xml\" fail \"f.xml\"",
                "(import transactions from \"d.xml\" success \"s.xml\" fail \"f.xml\")",
            ),
            row(
                "import products from \"d.xml\" success \"s.xml\" fail \"f.xml\" quantities new",
                "(import products from \"d.xml\" success \"s.xml\" fail \"f.xml\" quantities new)",
            ),
            row(
                "import stock transactions from \"d.xml\" success \"s.xml\" fail \"f.xml\"",
                "(import stock transactions from \"d.xml\" success \"s.xml\" fail \"f.xml\")",
            ),
            row(
                "export stock modified to \"p.xml\" published only",
                "(export stock modified to \"p.xml\" published only)",
            ),
            row(
                "export customers all to \"c.xml\"",
                "(export customers all to \"c.xml\")",
            ),
            row(
                "export invoices new to \"i.xml\" encoding \"ISO-8859-1\"",
                "(export invoices new to \"i.xml\" encoding \"ISO-8859-1\")",
            ),
            row(
                "split \"p.xml\" by xpath `/C/P/P` limit 200 into \"Stock Export\"",
                "(split \"p.xml\" by xpath `/C/P/P` limit 200 into \"Stock Export\")",
            ),
            row("delete \"old.xml\"", "(delete \"old.xml\")"),
            row("archive", "(archive)"),
            row(
                "archive to \"Archive\" keep 30 archives",
                "(archive to \"Archive\" keep 30 archives)",
            ),
            row("archive keep 7 days", "(archive keep 7 days)"),
            row("ledger \"second.sqlite\"", "(ledger \"second.sqlite\")"),
            row(
                "ledger tryton \"http://127.0.0.1:8000\" database \"z\" user \"admin\" password env(\"TP\")",
                "(ledger tryton \"http://127.0.0.1:8000\" database \"z\" user \"admin\" password env(\"TP\"))",
            ),
            row("log \"hello\"", "(log \"hello\")"),
            row("log warning \"careful\"", "(log warning \"careful\")"),
            row("log warn \"careful\"", "error check::not_a_choice@1"),
            row(
                "copy \"a.xml\" to \"Backup/\" overwrite",
                "(copy \"a.xml\" to \"Backup/\" overwrite)",
            ),
            row(
                "move \"a.xml\" to \"Done/\"",
                "(move \"a.xml\" to \"Done/\")",
            ),
            row(
                "write \"marker\" to \"status.txt\"",
                "(write \"marker\" to \"status.txt\")",
            ),
            row("stop \"done for today\"", "(stop \"done for today\")"),
            row("stop failed \"no orders\"", "(stop failed \"no orders\")"),
            row("stop failure \"no orders\"", "error check::not_a_choice@1"),
            row(
                "fetsh \"http://h/a\" to \"a.xml\"",
                "error check::unknown_statement@1",
            ),
            // A misspelt required option is one mistake: the option it stands for is not
            // reported missing as well.
            row(
                "fetch \"http://h/a\" into \"a.xml\"",
                "error check::unknown_option@1",
            ),
            row("fetch \"http://h/a\"", "error check::missing_argument@1"),
            row("delete a.xml", "error check::unknown_variable@1"),
        ],
    );
}

#[test]
fn options() {
    table(
        "options",
        &[
            row(
                "fetch \"http://h/a\" to \"a.xml\" retries 2 timeout 30s retry_wait 50ms",
                "(fetch \"http://h/a\" to \"a.xml\" retries 2 timeout 30s retry_wait 50ms)",
            ),
            row(
                "fetch \"http://h/a\" to \"a.xml\" header \"X-A\" \"1\" header \"X-B\" \"2\"",
                "(fetch \"http://h/a\" to \"a.xml\" header \"X-A\" \"1\" header \"X-B\" \"2\")",
            ),
            row(
                "fetch \"http://h/a\" to \"a.xml\" expect xml expect_text \"OK\" fail_on \"^No\"",
                "(fetch \"http://h/a\" to \"a.xml\" expect xml expect_text \"OK\" fail_on \"^No\")",
            ),
            row(
                "fetch \"http://h/a\" to \"a.xml\" max_size 10 MB",
                "(fetch \"http://h/a\" to \"a.xml\" max_size 10 MB)",
            ),
            row(
                "fetch \"http://h/a\" to \"a.xml\" expect-text \"OK\"",
                "error syntax::unexpected@1",
            ),
            row(
                "fetch \"http://h/a\" to \"a.xml\" retrys 2",
                "error check::unknown_option@1",
            ),
            row(
                "fetch \"http://h/a\" to \"a.xml\" expect json",
                "error check::not_a_choice@1",
            ),
            row(
                "delete \"gone.xml\" or continue",
                "(delete \"gone.xml\" or-continue)",
            ),
            row(
                "fetch \"http://h/a\" to \"a.xml\"\n    retries 2\n    timeout 1s",
                "(fetch \"http://h/a\" to \"a.xml\" retries 2 timeout 1s)",
            ),
        ],
    );
}

#[test]
fn results() {
    table(
        "results",
        &[
            row(
                "import customers from \"d.xml\" success \"s.xml\" fail \"f.xml\" as c\nlog \"${c.imported} of ${c.records}\"",
                "(import customers from \"d.xml\" success \"s.xml\" fail \"f.xml\" as c) (log \"${c.imported} of ${c.records}\")",
            ),
            row(
                "fetch \"http://h/a\" to \"a.xml\" as got\nif got.status == 200 {\n    log \"ok\"\n}",
                "(fetch \"http://h/a\" to \"a.xml\" as got) (if got.status == 200 {(log \"ok\")})",
            ),
            row(
                "import customers from \"d.xml\" success \"s.xml\" fail \"f.xml\" as c\nlog \"${c.imported_count}\"",
                "error check::unknown_result@2",
            ),
            row("delete \"a.xml\" as d", "error check::no_results@1"),
            row("log \"${c.imported}\"", "error check::unknown_variable@1"),
        ],
    );
}

#[test]
fn if_else() {
    table(
        "if and else",
        &[
            row(
                "if exists \"a.xml\" {\n    log \"a\"\n}",
                "(if exists \"a.xml\" {(log \"a\")})",
            ),
            row(
                "if exists \"a.xml\" {\n    log \"a\"\n} else {\n    log \"b\"\n}",
                "(if exists \"a.xml\" {(log \"a\")} else {(log \"b\")})",
            ),
            row(
                "param m = \"x\"\nif m == \"a\" {\n    log \"a\"\n} else if m == \"b\" {\n    log \"b\"\n} else {\n    log \"c\"\n}",
                "(param m \"x\") (if m == \"a\" {(log \"a\")} else {(if m == \"b\" {(log \"b\")} else {(log \"c\")})})",
            ),
            row(
                "if exists \"a.xml\" {\n    if exists \"b.xml\" {\n        log \"both\"\n    }\n}",
                "(if exists \"a.xml\" {(if exists \"b.xml\" {(log \"both\")})})",
            ),
            row(
                "if exists \"a.xml\" {\n    log \"a\"\n}\nelse {\n    log \"b\"\n}",
                "error check::else_without_if@4",
            ),
            row("if exists \"a.xml\" {\n}", "error check::empty_block@1"),
            row(
                "param m = \"x\"\nif m == \"a\" {\n    log \"a\"\n} elif m == \"b\" {\n    log \"b\"\n}",
                "error syntax::unexpected@4",
            ),
            row(
                "if exists \"a.xml\" {\n    log \"a\"\n} or continue",
                "(if exists \"a.xml\" {(log \"a\")} or-continue)",
            ),
        ],
    );
}

#[test]
fn conditions() {
    table(
        "conditions",
        &[
            row(
                "param n = 1\nif n == 1 {\n    log \"x\"\n}",
                "(param n 1) (if n == 1 {(log \"x\")})",
            ),
            row(
                "param n = 1\nif n != 1 {\n    log \"x\"\n}",
                "(param n 1) (if n != 1 {(log \"x\")})",
            ),
            row(
                "param n = 1\nif n < 1 {\n    log \"x\"\n}",
                "(param n 1) (if n < 1 {(log \"x\")})",
            ),
            row(
                "param n = 1\nif n <= 1 {\n    log \"x\"\n}",
                "(param n 1) (if n <= 1 {(log \"x\")})",
            ),
            row(
                "param n = 1\nif n > 1 {\n    log \"x\"\n}",
                "(param n 1) (if n > 1 {(log \"x\")})",
            ),
            row(
                "param n = 1\nif n >= 1 {\n    log \"x\"\n}",
                "(param n 1) (if n >= 1 {(log \"x\")})",
            ),
            row(
                "param s = \"a\"\nif s == \"a\" {\n    log \"x\"\n}",
                "(param s \"a\") (if s == \"a\" {(log \"x\")})",
            ),
            row(
                "param b = true\nif b {\n    log \"x\"\n}",
                "(param b true) (if b {(log \"x\")})",
            ),
            // A comparison with `true`/`false` (was "not a word a condition knows").
            row(
                "param b = true\nif b == false {\n    log \"x\"\n}",
                "(param b true) (if b == false {(log \"x\")})",
            ),
            row(
                "if exists \"a.xml\" and exists \"b.xml\" {\n    log \"x\"\n}",
                "(if exists \"a.xml\" and exists \"b.xml\" {(log \"x\")})",
            ),
            row(
                "if exists \"a.xml\" or exists \"b.xml\" {\n    log \"x\"\n}",
                "(if exists \"a.xml\" or exists \"b.xml\" {(log \"x\")})",
            ),
            row(
                "if not exists \"a.xml\" {\n    log \"x\"\n}",
                "(if not exists \"a.xml\" {(log \"x\")})",
            ),
            row(
                "if not exists \"a.xml\" and exists \"b.xml\" or exists \"c.xml\" {\n    log \"x\"\n}",
                "(if not exists \"a.xml\" and exists \"b.xml\" or exists \"c.xml\" {(log \"x\")})",
            ),
            row(
                "if size of \"a.xml\" > 0 {\n    log \"x\"\n}",
                "(if size of \"a.xml\" > 0 {(log \"x\")})",
            ),
            row(
                "if count `/C/S/S` in \"a.xml\" > 10 {\n    log \"x\"\n}",
                "(if count `/C/S/S` in \"a.xml\" > 10 {(log \"x\")})",
            ),
            row(
                "if size of \"a.xml\" {\n    log \"x\"\n}",
                "error check::condition_type@1",
            ),
            row(
                "param n = 1\nif n > \"ten\" {\n    log \"x\"\n}",
                "error check::incomparable@2",
            ),
            row(
                "param s = \"a\"\nif s < \"b\" {\n    log \"x\"\n}",
                "error check::incomparable@2",
            ),
            row(
                "if exists \"a.xml\" && exists \"b.xml\" {\n    log \"x\"\n}",
                "error syntax::unexpected@1",
            ),
            row(
                "if exists \"a.xml\" || exists \"b.xml\" {\n    log \"x\"\n}",
                "error syntax::unexpected@1",
            ),
            row(
                "if !exists \"a.xml\" {\n    log \"x\"\n}",
                "error syntax::unexpected@1",
            ),
            row(
                "param n = 1\nif n = 1 {\n    log \"x\"\n}",
                "error syntax::unexpected@2",
            ),
            row(
                "if exist \"a.xml\" {\n    log \"x\"\n}",
                "error check::invalid_condition@1",
            ),
            row(
                "if exists \"a.xml\" and {\n    log \"x\"\n}",
                "error check::invalid_condition@1",
            ),
            row(
                "if count `/a` \"a.xml\" > 1 {\n    log \"x\"\n}",
                "error check::invalid_condition@1",
            ),
            row("if {\n    log \"x\"\n}", "error check::invalid_condition@1"),
        ],
    );
}

#[test]
fn foreach_loops() {
    table(
        "foreach",
        &[
            row(
                "foreach file in \"Stock Export\" matching \"*.xml\" {\n    log \"${file.stem} ${file.name} ${file.ext} ${file.size}\"\n}",
                "(foreach file in \"Stock Export\" matching \"*.xml\" {(log \"${file.stem} ${file.name} ${file.ext} ${file.size}\")})",
            ),
            row(
                "foreach f in \"In\" recursive {\n    delete f\n}",
                "(foreach f in \"In\" recursive {(delete f)})",
            ),
            row(
                "foreach f in \"In\" matching \"*.txt\" modified since last run {\n    copy f to \"Seen/${f.name}\" overwrite\n}",
                "(foreach f in \"In\" matching \"*.txt\" modified since last run {(copy f to \"Seen/${f.name}\" overwrite)})",
            ),
            row(
                "foreach order in \"d.xml\" by xpath `/C/S/S` {\n    write order to \"o/${order `Id`}.xml\"\n}",
                "(foreach order in \"d.xml\" by xpath `/C/S/S` {(write order to \"o/${(record order `Id`)}.xml\")})",
            ),
            row(
                "foreach order in \"d.xml\" by xpath `/C/S/S` {\n    if order `Total` > 100 {\n        log \"big\"\n    }\n}",
                "(foreach order in \"d.xml\" by xpath `/C/S/S` {(if order `Total` > 100 {(log \"big\")})})",
            ),
            row(
                "foreach order in \"d.xml\" by xpath `/C/S/S` {\n    log \"${order `/C/x`}\"\n}",
                "error check::invalid_value@2",
            ),
            row(
                "foreach order in \"d.xml\" by xpath `/C/S/S` {\n    log \"x\"\n}\nlog \"${order `Id`}\"",
                "error check::record_outside_loop@4",
            ),
            row(
                "foreach f in \"In\" {\n    log \"${f.colour}\"\n}",
                "error check::unknown_field@2",
            ),
            row(
                "foreach f in \"In\" {\n    log \"${f `Id`}\"\n}",
                "error check::not_a_record_loop@2",
            ),
            row("foreach f in \"In\" {\n}", "(foreach f in \"In\" {})"),
            // The loop's name and `in` left out: one mistake, reported at the folder.
            row(
                "foreach \"In\" {\n    log \"x\"\n}",
                "error check::missing_argument@1",
            ),
        ],
    );
}

#[test]
fn map_blocks() {
    table(
        "map",
        &[
            row(
                "map \"s.xml\" to \"o.xml\" {\n    for each `/orders/order` as \"SalesOrders/SalesOrder\" {\n        \"Id\" = `@id`\n    }\n}",
                "(map \"s.xml\" to \"o.xml\" {(for each `/orders/order` as \"SalesOrders/SalesOrder\" {(field \"Id\" `@id`)})})",
            ),
            row(
                "map \"s.xml\" to \"o.xml\" {\n    for each `/orders/order` as \"SalesOrders/SalesOrder\" {\n        \"Notes1\" = `note` if not empty\n        \"Notes2\" = `note` if `string-length(note) > 0`\n        \"Currency\" = `currency` default \"GBP\"\n        \"TakenBy\" = \"Shop\"\n        \"Total\" = 12.5\n    }\n}",
                "(map \"s.xml\" to \"o.xml\" {(for each `/orders/order` as \"SalesOrders/SalesOrder\" {(field \"Notes1\" `note` if-not-empty) (field \"Notes2\" `note` if `string-length(note) > 0`) (field \"Currency\" `currency` default \"GBP\") (field \"TakenBy\" \"Shop\") (field \"Total\" 12.5)})})",
            ),
            row(
                "param site = \"MAG\"\nmap \"s.xml\" to \"o.xml\" {\n    for each `/orders/order` as \"SalesOrders/SalesOrder\" {\n        \"Notes2\" = site\n        \"Id\" = `concat($site, '-', id)`\n    }\n}",
                "(param site \"MAG\") (map \"s.xml\" to \"o.xml\" {(for each `/orders/order` as \"SalesOrders/SalesOrder\" {(field \"Notes2\" site) (field \"Id\" `concat($site, '-', id)`)})})",
            ),
            row(
                "map \"s.xml\" to \"o.xml\" {\n    for each `/orders/order` as \"SalesOrders/SalesOrder\" {\n        \"Id\" = `@id`\n        for each `items/item` as \"SalesOrderItems/Item\" {\n            \"Sku\" = `sku`\n        }\n    }\n}",
                "(map \"s.xml\" to \"o.xml\" {(for each `/orders/order` as \"SalesOrders/SalesOrder\" {(field \"Id\" `@id`) (for each `items/item` as \"SalesOrderItems/Item\" {(field \"Sku\" `sku`)})})})",
            ),
            row(
                "map \"s.xml\" to \"o.xml\" {\n    for each distinct `customer/email` in `/orders/order` as \"Customers/Customer\" {\n        \"CustomerInvoiceAddress/Email\" = `customer/email`\n    }\n}",
                "(map \"s.xml\" to \"o.xml\" {(for each distinct `customer/email` in `/orders/order` as \"Customers/Customer\" {(field \"CustomerInvoiceAddress/Email\" `customer/email`)})})",
            ),
            row(
                "map \"s.xml\" to \"o.xml\" {\n    for each `/orders/order` as \"SalesOrders/SalesOrder\" {\n        choose \"Notes1\" {\n            when `payment/method = 'paypal'` then `payment/id`\n            when `payment/method = 'stripe'` \"Card\"\n            otherwise \"Bank\"\n        }\n    }\n}",
                "(map \"s.xml\" to \"o.xml\" {(for each `/orders/order` as \"SalesOrders/SalesOrder\" {(choose \"Notes1\" {(when `payment/method = 'paypal'` then `payment/id`) (when `payment/method = 'stripe'` \"Card\") (otherwise \"Bank\")})})})",
            ),
            row(
                "map \"s.xml\" to \"o.xml\" {\n    lookup \"countries.csv\" as countries\n    for each `/orders/order` as \"SalesOrders/SalesOrder\" {\n        \"SalesOrderAddress/Country\" = `lookup('countries', country, 'GB')`\n    }\n}",
                "(map \"s.xml\" to \"o.xml\" {(lookup \"countries.csv\" as countries) (for each `/orders/order` as \"SalesOrders/SalesOrder\" {(field \"SalesOrderAddress/Country\" `lookup('countries', country, 'GB')`)})})",
            ),
            row(
                "map \"s.xml\" to \"o.xml\" {\n    lookup \"banks.xml\" as banks by `/banks/bank` key `method` value `account`\n    for each `/orders/order` as \"SalesOrders/SalesOrder\" {\n        \"Notes1\" = `lookup('banks', method)`\n    }\n}",
                "(map \"s.xml\" to \"o.xml\" {(lookup \"banks.xml\" as banks by `/banks/bank` key `method` value `account`) (for each `/orders/order` as \"SalesOrders/SalesOrder\" {(field \"Notes1\" `lookup('banks', method)`)})})",
            ),
            // An unknown table (docs/mapping.md: `unknown_table`) is an `invalid_xpath`.
            row(
                "map \"s.xml\" to \"o.xml\" {\n    lookup \"countries.csv\" as countries\n    for each `/orders/order` as \"SalesOrders/SalesOrder\" {\n        \"Notes1\" = `lookup('contries', country)`\n    }\n}",
                "error check::invalid_xpath@4",
            ),
            row(
                "map \"s.xml\" to \"o.xml\" {\n    root \"catalog\"\n    namespace \"http://example.com/c\"\n    namespace g \"http://base.google.com/ns/1.0\"\n    for each `/C/P/P` as \"product\" {\n        \"@sku\" = `Sku`\n        \"g:price/@currency\" = \"GBP\"\n    }\n}",
                "(map \"s.xml\" to \"o.xml\" {(root \"catalog\") (namespace \"http://example.com/c\") (namespace g \"http://base.google.com/ns/1.0\") (for each `/C/P/P` as \"product\" {(field \"@sku\" `Sku`) (field \"g:price/@currency\" \"GBP\")})})",
            ),
            row(
                "map \"s.xml\" to \"o.xml\" {\n    root \"catalog\"\n    for each `/C/P/P` as \"product\" {\n        \"h:price\" = `Price`\n    }\n}",
                "error check::undeclared_prefix@4",
            ),
            row(
                "map \"s.xml\" to \"o.xml\" {\n    for each `/orders/order` as \"SalesOrders/SalesOrder\" {\n        let id = `@id`\n        \"Id\" = `$id`\n        \"Notes1\" = `$nobody`\n    }\n}",
                "error check::invalid_xpath@5",
            ),
            row(
                "map \"s.xml\" to \"o.xml\" allow_empty true encoding \"ISO-8859-1\" {\n    for each `/orders/order` as \"SalesOrders/SalesOrder\" {\n        \"Id\" = `@id`\n    }\n}",
                "(map \"s.xml\" to \"o.xml\" allow_empty true encoding \"ISO-8859-1\" {(for each `/orders/order` as \"SalesOrders/SalesOrder\" {(field \"Id\" `@id`)})})",
            ),
            // A field whose value is on the next line is one mistake, on the field's line (the
            // value goes there); the value's own line is not a second one.
            row(
                "map \"s.xml\" to \"o.xml\" {\n    for each `/orders/order` as \"SalesOrders/SalesOrder\" {\n        \"SalesOrderAddress/Country\" =\n            `country`\n    }\n}",
                "error syntax::unexpected@3",
            ),
            row(
                "map \"s.xml\" to \"o.xml\" {\n    for each `/orders/order` as \"SalesOrders/SalesOrder\" {\n        \"Id\" = `@id[`\n    }\n}",
                "error check::invalid_xpath@3",
            ),
            row(
                "map \"s.xml\" to \"o.xml\" {\n    foreach `/orders/order` as \"SalesOrders/SalesOrder\" {\n        \"Id\" = `@id`\n    }\n}",
                "error check::invalid_rule@2",
            ),
            row(
                "map \"s.xml\" to \"o.xml\" {\n    for each `/orders/order` as \"SalesOrders/SalesOrder\" {\n        \"Total\" = `sum(items/item, price * qty)`\n    }\n}",
                "error check::invalid_xpath@3",
            ),
            row(
                "map \"s.xml\" to \"o.xml\" {\n}",
                "error check::invalid_mapping@1",
            ),
            row("\"Id\" = `@id`", "error check::misplaced_field@1"),
        ],
    );
}

#[test]
fn blocks() {
    table(
        "blocks",
        &[
            row(
                "foreach f in \"In\" {\n    log \"x\"\n",
                "error syntax::unclosed_block@1",
            ),
            row("log \"x\"\n}", "error syntax::unmatched_brace@2"),
            row(
                "foreach f in \"In\" {\n    log \"x\"\n} log \"y\"",
                "error syntax::unexpected@3",
            ),
            row(
                "foreach f in \"In\" {\n    delete f\n} or continue",
                "(foreach f in \"In\" {(delete f)} or-continue)",
            ),
            row(
                "foreach f in \"In\" { log \"x\" }",
                "(foreach f in \"In\" {(log \"x\")})",
            ),
            row("log \"x\" {\n}", "error check::block_mismatch@1"),
            row("stop \"s\"\nlog \"never\"", "error check::unreachable@2"),
            row(
                "if exists \"a\" {\n    foreach f in \"In\" {\n        log \"x\"\n} else {\n    log \"y\"\n}",
                "error syntax::unclosed_block@2",
            ),
        ],
    );
}
