//! The public XPath API: compile errors with exact spans, `child_steps`, `select`, `render`, junk input.

use miette::Diagnostic;
use zynk::xpath::{self, ChildPath, ChildStep, EvalError, Value, XPathError};

/// Compiles `expr`, expects an error and returns it.
fn error(expr: &str) -> XPathError {
    match xpath::compile(expr) {
        Ok(compiled) => panic!("`{expr}` compiled to {compiled:?}, expected an error"),
        Err(e) => e,
    }
}

/// The text the error's span covers.
fn spanned(expr: &str) -> &str {
    let span = error(expr).span();
    &expr[span]
}

fn code(e: &dyn Diagnostic) -> String {
    e.code().map(|c| c.to_string()).unwrap_or_default()
}

fn help(e: &dyn Diagnostic) -> String {
    e.help().map(|h| h.to_string()).unwrap_or_default()
}

/// Asserts the error kind (by code), the exact span, and a phrase of the help.
macro_rules! compile_error {
    ($name:ident, $expr:expr, $code:literal, $span:expr, $help:literal) => {
        #[test]
        fn $name() {
            let e = error($expr);
            assert_eq!(code(&e), concat!("zynk::xpath::", $code), "{e:?}");
            assert_eq!(e.span(), $span, "{e:?}");
            assert!(
                help(&e).contains($help),
                "help {:?} lacks {:?}",
                help(&e),
                $help
            );
        }
    };
}

compile_error!(empty, "", "empty_expression", 0..0, "location path");
compile_error!(blank, "   ", "empty_expression", 0..3, "location path");
compile_error!(
    hash,
    "Id # 2",
    "unexpected_character",
    3..4,
    "string literal"
);
compile_error!(
    curly_quote,
    "Name = \u{2019}x\u{2019}",
    "unexpected_character",
    7..10,
    ""
);
compile_error!(bang, "not Id ! 2", "unexpected_character", 7..8, "`!=`");
compile_error!(double_amp, "a && b", "unexpected_character", 2..3, "`and`");
compile_error!(percent, "Qty % 2", "unexpected_character", 4..5, "`mod`");
compile_error!(
    lone_colon,
    "a: b",
    "unexpected_character",
    1..2,
    "prefix:name"
);
compile_error!(
    unterminated,
    "Name = 'Acme",
    "unterminated_literal",
    7..12,
    "matching '"
);
compile_error!(
    unterminated_double,
    "concat(\"a, b)",
    "unterminated_literal",
    7..13,
    "matching \""
);
compile_error!(
    empty_predicate,
    "Product[]",
    "unexpected_token",
    8..9,
    "`[1]`"
);
compile_error!(
    missing_operand,
    "Product[Sku=]",
    "unexpected_token",
    12..13,
    "missing"
);
compile_error!(
    double_equals,
    "a == b",
    "unexpected_token",
    3..4,
    "single `=`"
);
compile_error!(double_pipe, "a || b", "unexpected_token", 3..4, "`or`");
compile_error!(
    slash_division,
    "Total / 2",
    "unexpected_token",
    8..9,
    "`div`"
);
compile_error!(exponent, "1.5e3", "unexpected_token", 3..5, "exponent");
compile_error!(upper_and, "a AND b", "unexpected_token", 2..5, "lower case");
compile_error!(
    leading_operator,
    "= 1",
    "unexpected_token",
    0..1,
    "expected an expression"
);
compile_error!(
    trailing,
    "/Company/Products Product",
    "unexpected_token",
    18..25,
    ""
);
compile_error!(
    predicate_on_dot,
    "..[1]",
    "unexpected_token",
    2..3,
    "parent::*"
);
compile_error!(
    call_as_step,
    "/Company/count(x)",
    "unexpected_token",
    9..14,
    "predicate"
);
compile_error!(
    unclosed_predicate,
    "Product[1",
    "unexpected_end",
    8..9,
    "`]`"
);
compile_error!(trailing_slash, "/Company/", "unexpected_end", 8..9, "step");
compile_error!(
    unclosed_call,
    "concat('a', 'b'",
    "unexpected_end",
    12..15,
    "concat("
);
compile_error!(dangling_operator, "1 +", "unexpected_end", 2..3, "complete");
compile_error!(
    unknown_function,
    "substring-befor(Name, ' ')",
    "unknown_function",
    0..15,
    "did you mean `substring-before`"
);
compile_error!(
    underscore_function,
    "Product[starts_with(Sku, 'A')]",
    "unknown_function",
    8..19,
    "`starts-with`"
);
compile_error!(
    later_function,
    "upper-case(Name)",
    "unknown_function",
    0..10,
    "translate("
);
compile_error!(
    prefixed_function,
    "fn:count(//a)",
    "unknown_function",
    0..8,
    "`count(…)`"
);
compile_error!(
    unsupported_function,
    "id('x')",
    "unsupported_function",
    0..2,
    "predicate"
);
compile_error!(
    xslt_key,
    "/orders/order[generate-id() = generate-id(key('c', email)[1])]",
    "unsupported_function",
    42..45,
    "for each distinct"
);
compile_error!(
    xslt_document,
    "document('countries.xml')/countries/country",
    "unsupported_function",
    0..8,
    "lookup('countries'"
);
compile_error!(
    extension_node_set,
    "sum(exsl:node-set(lines)/total)",
    "unsupported_function",
    4..17,
    "sum-of("
);
compile_error!(
    extension_unknown,
    "date:add(d, 'P1D')",
    "unsupported_function",
    0..8,
    "format-date()"
);
compile_error!(
    prefixed_later_function,
    "fn:upper-case(Name)",
    "unsupported_function",
    0..13,
    "translate("
);
compile_error!(
    too_few_args,
    "contains('a')",
    "wrong_arity",
    0..8,
    "contains(haystack, needle)"
);
compile_error!(
    too_many_args,
    "Product[position(1)]",
    "wrong_arity",
    8..16,
    "position()"
);
compile_error!(
    unknown_axis,
    "chlid::Product",
    "unknown_axis",
    0..5,
    "did you mean `child`"
);
compile_error!(
    unsupported_axis,
    "/Company/namespace::x",
    "unsupported_axis",
    9..18,
    "every XPath 1.0 axis except `namespace`"
);
compile_error!(
    variable,
    "Product[Id = $id]",
    "unknown_variable",
    13..16,
    "`let` of a `map` rule"
);
compile_error!(
    unknown_table,
    "lookup('countries', Country)",
    "unknown_table",
    7..18,
    "lookup \"countries.csv\" as countries"
);
compile_error!(
    bad_number_pattern,
    "format-number(Price, '0.0.0')",
    "invalid_pattern",
    21..28,
    "'#,##0.00'"
);
compile_error!(
    bad_date_pattern,
    "format-date(Date, '%Y-%m-%d', '%Y %')",
    "invalid_pattern",
    30..36,
    "strftime"
);
compile_error!(
    sum_of_needs_nodes,
    "sum-of('a', price * qty)",
    "not_a_node_set",
    7..10,
    "node-set"
);
compile_error!(
    not_nodes_count,
    "count('a')",
    "not_a_node_set",
    6..9,
    "node-set"
);
compile_error!(
    not_nodes_sum,
    "sum(1 + 2)",
    "not_a_node_set",
    4..9,
    "node-set"
);
compile_error!(not_nodes_path, "'a'/b", "not_a_node_set", 0..3, "node-set");
compile_error!(
    not_nodes_union,
    "Id | 1",
    "not_a_node_set",
    5..6,
    "node-set"
);
compile_error!(
    not_nodes_filter,
    "concat('a', 'b')[1]",
    "not_a_node_set",
    0..16,
    "node-set"
);
compile_error!(
    not_nodes_name,
    "name(1)",
    "not_a_node_set",
    5..6,
    "node-set"
);

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let expr = format!("{}1{}", "(".repeat(10_000), ")".repeat(10_000));
    let e = error(&expr);
    assert_eq!(code(&e), "zynk::xpath::too_deeply_nested");
    assert_eq!(e.span(), 64..65);
    let predicates = format!("a{}", "[b".repeat(1000));
    assert_eq!(code(&error(&predicates)), "zynk::xpath::too_deeply_nested");
}

#[test]
fn every_error_kind_is_covered_above() {
    // One expression per variant; a new variant must be added here and get a test above.
    let kinds = [
        "",
        "#",
        "'",
        "]",
        "(",
        "nope()",
        "id('x')",
        "true(1)",
        "nope::a",
        "namespace::a",
        "$v",
        "lookup('t', 1)",
        "format-number(1, '')",
        "count(1)",
    ];
    let mut codes: Vec<String> = kinds.iter().map(|k| code(&error(k))).collect();
    codes.push(code(&error(&"(".repeat(100))));
    codes.sort();
    codes.dedup();
    assert_eq!(codes.len(), 15, "{codes:?}");
}

#[test]
fn label_text_is_available_for_rewrapping() {
    assert_eq!(error("nope()").label(), "unknown function");
    assert_eq!(
        error("count(1)").label(),
        "this is a number, not a node-set"
    );
    assert_eq!(error("a/").label(), "expected a location step after this");
}

#[test]
fn spans_cover_the_offending_token_text() {
    assert_eq!(spanned("/Company/Products/Prodcut[@id = $x]"), "$x");
    assert_eq!(
        spanned("//Product[normalise-space(Name)]"),
        "normalise-space"
    );
    assert_eq!(spanned("sum(//Line/Net, 2)"), "sum");
    assert_eq!(spanned("x/namespace::y"), "namespace");
    assert_eq!(spanned("Name = \"O'Neil"), "\"O'Neil");
}

fn child(name: &str, attrs: &[(&str, &str)]) -> ChildStep {
    ChildStep {
        name: name.to_owned(),
        attr_equals: attrs
            .iter()
            .map(|(a, v)| ((*a).to_owned(), (*v).to_owned()))
            .collect(),
    }
}

fn child_steps(expr: &str) -> Option<ChildPath> {
    match xpath::compile(expr) {
        Ok(compiled) => compiled.child_steps(),
        Err(e) => panic!("`{expr}` failed to compile: {e}"),
    }
}

#[test]
fn child_steps_of_splittable_paths() {
    assert_eq!(
        child_steps("/Company/Products/Product"),
        Some(ChildPath {
            absolute: true,
            steps: vec![
                child("Company", &[]),
                child("Products", &[]),
                child("Product", &[])
            ],
        })
    );
    assert_eq!(
        child_steps("Company/Items/Item[@type='x']"),
        Some(ChildPath {
            absolute: false,
            steps: vec![
                child("Company", &[]),
                child("Items", &[]),
                child("Item", &[("type", "x")])
            ],
        })
    );
    assert_eq!(
        child_steps("/s:orders/s:order[@status = \"new\"]['GBP' = @currency and @a:b='c']"),
        Some(ChildPath {
            absolute: true,
            steps: vec![
                child("orders", &[]),
                child(
                    "order",
                    &[("status", "new"), ("currency", "GBP"), ("b", "c")]
                )
            ],
        })
    );
    assert_eq!(
        child_steps(" child::Company / child::Products "),
        Some(ChildPath {
            absolute: false,
            steps: vec![child("Company", &[]), child("Products", &[])],
        })
    );
}

#[test]
fn child_steps_of_other_paths_is_none() {
    for expr in [
        "/",
        "//Product",
        "/Company//Product",
        "/Company/*",
        "/Company/Products/Product[1]",
        "/Company/Products/Product[last()]",
        "Product[@id]",
        "Product[@id=1]",
        "Product[@id='1' or @id='2']",
        "Product[Sku='A']",
        "Product[@*='A']",
        "/Company/../Company",
        "./Company",
        "@id",
        "Company/text()",
        "count(/Company)",
        "/a | /b",
        "(/a/b)[1]",
        "descendant::Product",
        "'literal'",
    ] {
        assert_eq!(child_steps(expr), None, "{expr}");
    }
}

const DOC: &str = r#"<?xml version="1.0"?>
<Company xmlns="urn:x" xmlns:p="urn:p">
  <Products>
    <Product id="1" p:flag="y"><Sku>A1</Sku><Price>2.50</Price></Product>
    <Product id="2"><Sku>B2</Sku><Price>3</Price></Product>
  </Products>
</Company>"#;

fn with_doc(test: impl FnOnce(roxmltree::Node)) {
    let doc = roxmltree::Document::parse(DOC).expect("fixture parses");
    test(doc.root());
}

fn compiled(expr: &str) -> xpath::XPath {
    xpath::compile(expr).unwrap_or_else(|e| panic!("`{expr}`: {e}"))
}

#[test]
fn select_returns_elements_in_document_order() {
    with_doc(|root| {
        let nodes = compiled("//Product[2] | /Company/Products/Product[1]")
            .select(root)
            .expect("node-set");
        let ids: Vec<_> = nodes.iter().filter_map(|n| n.attribute("id")).collect();
        assert_eq!(ids, ["1", "2"]);
        assert_eq!(compiled("/Company/Nothing").select(root), Ok(vec![]));
    });
}

#[test]
fn select_rejects_scalars_and_attributes() {
    with_doc(|root| {
        let count = compiled("count(//Product)");
        assert_eq!(
            count.select(root),
            Err(EvalError::NotANodeSet {
                found: "a number".to_owned(),
                span: 0..16
            })
        );
        let attrs = compiled("//Product/@id").select(root);
        assert!(matches!(attrs, Err(EvalError::AttributeSelected { .. })));
        let e = attrs.expect_err("attributes");
        assert_eq!(code(&e), "zynk::xpath::attribute_selected");
    });
}

#[test]
fn render_and_conversions() {
    with_doc(|root| {
        let eval = |expr: &str| compiled(expr).evaluate(root).expect("evaluates");
        assert_eq!(xpath::render(&eval("//Sku")), "A1\nB2");
        assert_eq!(xpath::render(&eval("//@*")), "1\ny\n2");
        assert_eq!(xpath::render(&eval("sum(//Price)")), "5.5");
        assert_eq!(xpath::render(&eval("sum(//Price) * 2")), "11");
        assert_eq!(xpath::render(&eval("0 div 0")), "NaN");
        assert_eq!(xpath::render(&eval("-1 div 0")), "-Infinity");
        assert_eq!(xpath::render(&eval("//Sku = 'B2'")), "true");
        assert_eq!(xpath::render(&eval("name(//@*[2])")), "p:flag");
        assert_eq!(xpath::render(&eval("namespace-uri(/*)")), "urn:x");
        let skus = eval("//Sku");
        assert_eq!(skus.to_string_value(), "A1");
        assert!(skus.to_boolean());
        assert!(eval("//Sku").to_number().is_nan());
        assert_eq!(eval("//Price").to_number(), 2.5);
        assert_eq!(Value::Boolean(true).to_number(), 1.0);
        assert_eq!(Value::String("x".into()).to_string_value(), "x");
        let product = compiled("//Product[2]").select(root).expect("nodes")[0];
        assert_eq!(
            compiled("concat(Sku, '=', ../Product[1]/Sku, position(), last())")
                .evaluate(product)
                .map(|v| v.to_string_value()),
            Ok("B2=A111".to_owned())
        );
    });
}

#[test]
fn source_and_debug() {
    let xpath = compiled("/Company/Products");
    assert_eq!(xpath.source(), "/Company/Products");
    assert_eq!(format!("{xpath:?}"), "XPath(\"/Company/Products\")");
    let copy = xpath.clone();
    assert_eq!(copy.source(), xpath.source());
}

fn rendered(expr: &str) -> String {
    let report = miette::Report::new(error(expr)).with_source_code(expr.to_owned());
    let mut out = String::new();
    miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
        .with_width(80)
        .render_report(&mut out, report.as_ref())
        .expect("renders");
    out
}

#[test]
fn rendered_diagnostic_points_into_the_expression() {
    insta::assert_snapshot!(rendered("//Product[substring_before(Name, ' ')]"));
}

#[test]
fn rendered_diagnostics_of_each_kind() {
    let out: String = [
        "   ",
        "/Company/Products/Product[Sku = \u{2018}A1\u{2019}]",
        "//Customer[Name = 'Smith & Co]",
        "//Item[Qty == 2]",
        "/Company/Products/",
        "//Product[upper-case(Sku) = 'A']",
        "id('c1')/Name",
        "/orders/order[generate-id() = generate-id(key('c', email)[1])]",
        "sum(exsl:node-set(lines)/total)",
        "//Line[substring(Sku)]",
        "/Company/Customers/Customer/namespace::*",
        "Sku/chlid::x",
        "//Order[Id = $order]",
        "sum(//Price * 2)",
        "Total / 2",
    ]
    .iter()
    .map(|expr| format!("# {expr}\n{}\n", rendered(expr)))
    .collect();
    insta::assert_snapshot!(out);
}

/// A small deterministic generator of XPath-looking junk.
fn junk(seed: u64, len: usize) -> String {
    const PIECES: &[&str] = &[
        "/",
        "//",
        "[",
        "]",
        "(",
        ")",
        "@",
        "*",
        ".",
        "..",
        "::",
        ":",
        ",",
        "|",
        "+",
        "-",
        "=",
        "!=",
        "<",
        ">=",
        "'",
        "\"",
        "a",
        "Product",
        "Sku",
        "1",
        "2.5",
        ".5",
        " ",
        "and",
        "or",
        "div",
        "mod",
        "count(",
        "sum(",
        "substring(",
        "text()",
        "node()",
        "child::",
        "self::",
        "parent::",
        "attribute::",
        "descendant::",
        "$",
        "é",
        "\u{2019}",
        "#",
        "last()",
        "position()",
        "'x'",
        "concat(",
        "not(",
        "\n",
        "processing-instruction(",
    ];
    let mut state = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
    let mut out = String::new();
    for _ in 0..len {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let index = usize::try_from(state >> 33).unwrap_or(0) % PIECES.len();
        out.push_str(PIECES[index]);
    }
    out
}

#[test]
fn junk_never_panics_and_spans_stay_inside() {
    with_doc(|root| {
        let mut compiled_count = 0;
        for seed in 0..20_000 {
            let expr = junk(seed, 1 + (seed as usize % 12));
            match xpath::compile(&expr) {
                Ok(compiled) => {
                    compiled_count += 1;
                    let _ = compiled.evaluate(root);
                    let _ = compiled.select(root);
                    let _ = compiled.child_steps();
                }
                Err(e) => {
                    let span = e.span();
                    assert!(
                        span.start <= span.end && span.end <= expr.len(),
                        "{expr:?}: {e:?}"
                    );
                    assert!(expr.is_char_boundary(span.start) && expr.is_char_boundary(span.end));
                }
            }
        }
        assert!(
            compiled_count > 100,
            "the generator should also make valid expressions"
        );
    });
    for bytes in [&b"\xff\xfe"[..], b"\0", b"\x7f[", b"a\tb\rc"] {
        let text = String::from_utf8_lossy(bytes);
        let _ = xpath::compile(&text);
    }
}

#[test]
fn long_operator_chains_are_bounded() {
    let sum = vec!["1"; 100_000].join(" + ");
    let e = error(&sum);
    assert_eq!(code(&e), "zynk::xpath::too_deeply_nested");
    assert_eq!(&sum[e.span()], "+");
    let minus = format!("{}1", "-".repeat(100_000));
    assert_eq!(code(&error(&minus)), "zynk::xpath::too_deeply_nested");
    let union = vec!["a"; 100_000].join("|");
    assert_eq!(code(&error(&union)), "zynk::xpath::too_deeply_nested");
    // The deepest accepted chain still evaluates on a test thread's stack.
    let deepest = vec!["1"; 128].join(" + ");
    with_doc(|root| {
        let value = compiled(&deepest).evaluate(root).expect("evaluates");
        assert_eq!(value.to_number(), 128.0);
    });
    let nested = format!("{}1{}", "(-".repeat(60), ")".repeat(60));
    with_doc(|root| {
        assert_eq!(
            compiled(&nested).evaluate(root).map(|v| v.to_number()),
            Ok(1.0)
        );
    });
}

#[test]
fn every_error_has_a_help_and_a_label() {
    for expr in [
        "",
        "#",
        "'",
        "]",
        "(",
        "a[",
        "1 +",
        "nope()",
        "id('x')",
        "true(1)",
        "nope::a",
        "namespace::a",
        "$v",
        "count(1)",
        "a/",
        "a[]",
        "concat('a'",
        "..[1]",
        "a/b()",
    ] {
        let e = error(expr);
        assert!(!help(&e).trim().is_empty(), "{expr:?} has no help: {e:?}");
        assert!(!e.label().trim().is_empty(), "{expr:?} has no label: {e:?}");
    }
}

#[test]
fn the_examples_in_the_docs_compile() {
    let docs = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/xpath.md"))
        .expect("docs/xpath.md");
    let block = docs
        .split("```text\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("a text block of examples");
    let mut count = 0;
    for line in block.lines().filter(|l| !l.trim().is_empty()) {
        let expr = line.split("  ").next().unwrap_or_default().trim();
        compiled(expr);
        count += 1;
    }
    assert!(count >= 5);
}

/// Variables and tables for the extension tests.
struct TestEnv<'a, 'i> {
    vars: Vec<(&'static str, Value<'a, 'i>)>,
}

impl<'a, 'i> xpath::Env<'a, 'i> for TestEnv<'a, 'i> {
    fn variable(&self, name: &str) -> Option<&Value<'a, 'i>> {
        self.vars.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }
    fn lookup(&self, table: &str, key: &str) -> Option<&str> {
        match (table, key) {
            ("countries", "United Kingdom") => Some("GB"),
            ("countries", "France") => Some("FR"),
            _ => None,
        }
    }
}

#[test]
fn variables_lookups_and_extensions_evaluate() {
    let doc = roxmltree::Document::parse(
        "<order><country>France</country><line><price>2.50</price><qty>4</qty></line><line><price>1.25</price><qty>2</qty></line><date>2024-03-05T14:30:00</date></order>",
    )
    .expect("ok");
    let order = doc.root_element();
    let lines = xpath::compile("line")
        .expect("ok")
        .evaluate(order)
        .expect("ok");
    let names = xpath::Names {
        variables: vec![
            ("lines".into(), xpath::VarType::Nodes),
            ("rate".into(), xpath::VarType::Number),
        ],
        tables: vec!["countries".into()],
    };
    let env = TestEnv {
        vars: vec![("lines", lines), ("rate", Value::Number(1.2))],
    };
    let eval = |expr: &str| {
        xpath::compile_with(expr, &names)
            .unwrap_or_else(|e| panic!("{expr}: {e}"))
            .evaluate_in(order, &env)
            .expect("ok")
            .to_string_value()
    };
    assert_eq!(eval("count($lines)"), "2");
    assert_eq!(eval("$lines[2]/price"), "1.25");
    assert_eq!(eval("sum($lines/qty) * $rate"), "7.199999999999999");
    assert_eq!(eval("sum-of(line, price * qty)"), "12.5");
    assert_eq!(
        eval("format-number(sum-of($lines, price * qty), '#,##0.00')"),
        "12.50"
    );
    assert_eq!(eval("lookup('countries', country)"), "FR");
    assert_eq!(eval("lookup('countries', 'Spain')"), "");
    assert_eq!(eval("lookup('countries', 'Spain', 'XX')"), "XX");
    assert_eq!(
        eval("format-date(date, '%Y-%m-%dT%H:%M:%S', '%d/%m/%Y')"),
        "05/03/2024"
    );
    assert_eq!(eval("format-date('junk', '%Y-%m-%d', '%d/%m/%Y')"), "");
    // A scalar variable is not a node-set.
    let e = xpath::compile_with("count($rate)", &names).expect_err("an error");
    assert_eq!(code(&e), "zynk::xpath::not_a_node_set");
    let e = xpath::compile_with("$lnes/price", &names).expect_err("an error");
    assert!(help(&e).contains("did you mean `$lines`"), "{e:?}");
    assert_eq!(
        xpath::compile_with("concat($rate, $lines/qty)", &names)
            .expect("ok")
            .variables(),
        ["rate", "lines"]
    );
}

#[test]
fn format_number_agrees_with_xsltproc() {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/xpath/format-number");
    let expected = std::fs::read_to_string(dir.join("expected.txt")).expect("ok");
    let doc = roxmltree::Document::parse("<a/>").expect("ok");
    let mut failures = Vec::new();
    for line in expected.lines() {
        let mut parts = line.splitn(3, '\t');
        let (Some(number), Some(pattern), Some(want)) = (parts.next(), parts.next(), parts.next())
        else {
            panic!("bad line {line:?}");
        };
        let number = if number.contains("div") {
            number.to_owned()
        } else {
            format!("number('{number}')")
        };
        let pattern_literal = if pattern.contains('\'') {
            format!("\"{pattern}\"")
        } else {
            format!("'{pattern}'")
        };
        let expr = format!("format-number({number}, {pattern_literal})");
        let got = xpath::compile(&expr)
            .unwrap_or_else(|e| panic!("{expr}: {e}"))
            .evaluate(doc.root())
            .expect("ok")
            .to_string_value();
        if got != want {
            failures.push(format!("{expr}: xsltproc {want:?}, zynk {got:?}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
