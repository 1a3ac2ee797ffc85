//! `zynk convert STYLESHEET.xslt`: XSLT mappings become a `map` that writes what xsltproc
//! writes. Each case converts a stylesheet through the CLI, runs the script on the
//! stylesheet's input and compares the output with xsltproc's (committed as `expected.xml`:
//! the tests never call xsltproc), as XML: names, namespaces, attributes and text.
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::convert::xml_text::canonical_local;

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// A file's text: UTF-8, or ISO-8859-1 when its declaration says so.
fn text(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    if bytes.starts_with(b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"") {
        let (text, _, _) = encoding_rs::WINDOWS_1252.decode(&bytes);
        let text = text.replacen("ISO-8859-1", "UTF-8", 1);
        return text;
    }
    String::from_utf8(bytes).unwrap_or_else(|e| panic!("{path:?}: {e}"))
}

struct Out {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn zynk(args: &[&str], dir: &Path) -> Out {
    let out = Command::new(env!("CARGO_BIN_EXE_zynk"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .output()
        .expect("zynk");
    Out {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// What converting and running a stylesheet gave.
struct Converted {
    code: Option<i32>,
    script: String,
    report: String,
}

/// Copies `files` (the stylesheet first) into a fresh folder, converts the stylesheet, runs
/// the script on `input` with `vars`, and asserts the output equals `expected`.
fn converts_and_agrees(
    files: &[PathBuf],
    input: &Path,
    expected: &Path,
    vars: &[&str],
) -> Converted {
    let dir = tempfile::tempdir().expect("temp");
    for file in files {
        let name = file.file_name().expect("name");
        std::fs::copy(file, dir.path().join(name)).unwrap_or_else(|e| panic!("{file:?}: {e}"));
    }
    let stylesheet = files[0]
        .file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned();
    let converted = zynk(&["convert", &stylesheet, "-o", "out.zynk"], dir.path());
    assert!(
        matches!(converted.code, Some(0 | 3)),
        "{stylesheet}: convert failed\n{}\n{}",
        converted.stdout,
        converted.stderr
    );
    let script = std::fs::read_to_string(dir.path().join("out.zynk")).expect("script");
    let checked = zynk(&["check", "out.zynk"], dir.path());
    assert_eq!(
        checked.code,
        Some(0),
        "{stylesheet}: the script does not check\n{}\n{script}",
        checked.stderr
    );
    let input = input.to_string_lossy().into_owned();
    let output = dir.path().join("got.xml").to_string_lossy().into_owned();
    let mut args = vec![
        "run".to_string(),
        "out.zynk".into(),
        "--data".into(),
        "data".into(),
        "--var".into(),
        format!("input={input}"),
        "--var".into(),
        format!("output={output}"),
    ];
    for var in vars {
        args.push("--var".into());
        args.push((*var).to_string());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let ran = zynk(&args, dir.path());
    assert_eq!(
        ran.code,
        Some(0),
        "{stylesheet}: run failed\n{}\n{}\n{script}",
        ran.stdout,
        ran.stderr
    );
    let got = text(&dir.path().join("got.xml"));
    let want = text(expected);
    let (want, got) = (canonical_local(&want), canonical_local(&got));
    assert!(
        want == got,
        "{stylesheet}: zynk and xsltproc differ\n--- xsltproc\n{want}\n--- zynk\n{got}\n--- script\n{script}"
    );
    Converted {
        code: converted.code,
        script,
        report: converted.stdout,
    }
}

/// A folder of `tests/fixtures/map/constructs/`: its stylesheet and every file beside it.
fn construct(name: &str) -> Converted {
    let folder = repo("tests/fixtures/map/constructs").join(name);
    let mut files = vec![folder.join("stylesheet.xsl")];
    for entry in std::fs::read_dir(&folder).expect("folder") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "xml" || e == "csv") {
            files.push(path);
        }
    }
    converts_and_agrees(
        &files,
        &folder.join("input.xml"),
        &folder.join("expected.xml"),
        &[],
    )
}

/// A case of `tests/fixtures/convert/xslt/`: `stylesheet.xsl`, `input.xml`, `expected.xml`.
fn case(name: &str, vars: &[&str]) -> Converted {
    let folder = repo("tests/fixtures/convert/xslt").join(name);
    let mut files = vec![folder.join("stylesheet.xsl")];
    for entry in std::fs::read_dir(&folder).expect("folder") {
        let path = entry.expect("entry").path();
        if path.file_name().is_some_and(|n| n != "stylesheet.xsl") {
            files.push(path);
        }
    }
    converts_and_agrees(
        &files,
        &folder.join("input.xml"),
        &folder.join("expected.xml"),
        vars,
    )
}

#[test]
fn xslt_shopify_twin_of_the_shipped_map_converts_whole_and_agrees() {
    let done = converts_and_agrees(
        &[repo("scripts/bench/map.xslt")],
        &repo("scripts/maps/samples/shopify_orders.xml"),
        &repo("tests/fixtures/convert/xslt/shopify/expected.xml"),
        &[],
    );
    assert_eq!(done.code, Some(0), "{}", done.report);
    assert!(
        done.script
            .contains("for each `/orders/order` as \"Customers/Customer\""),
        "{}",
        done.script
    );
}

#[test]
fn xslt_distinct_customers_twin_becomes_for_each_distinct_and_a_lookup() {
    let folder = repo("tests/fixtures/convert/xslt/distinct-bench");
    let done = converts_and_agrees(
        &[
            repo("scripts/bench/map-distinct.xslt"),
            folder.join("nominal.xml"),
        ],
        &repo("scripts/maps/samples/shopify_orders.xml"),
        &folder.join("expected.xml"),
        &[],
    );
    assert_eq!(done.code, Some(0), "{}", done.report);
    assert!(
        done.script
            .contains("for each distinct `customer/id` in `/orders/order`"),
        "{}",
        done.script
    );
    assert!(
        done.script
            .contains("lookup \"${tables}/nominal.xml\" as codes"),
        "{}",
        done.script
    );
}

#[test]
fn xslt_every_construct_stylesheet_converts_and_agrees() {
    for name in [
        "axes",
        "choose",
        "distinct",
        "format",
        "invoices",
        "let",
        "lookup",
        "shape",
        "xslt-functions",
    ] {
        let done = construct(name);
        assert_eq!(done.code, Some(0), "{name}: {}", done.report);
    }
}

#[test]
fn xslt_woocommerce_templates_params_named_templates_and_constructors_agree() {
    let done = case("woo-templates", &["account=ACME01"]);
    assert_eq!(done.code, Some(0), "{}", done.report);
    for line in [
        "param account = \"WOO001\"",
        "param taken = \"Website\"",
        "map \"${input}\" to \"${output}\" encoding \"ISO-8859-1\" {",
        "for each `/Orders/Order[Status != 'cancelled']` as \"SalesOrders/SalesOrder\" {",
        "let order_id = `@id`",
    ] {
        assert!(
            done.script.contains(line),
            "no `{line}` in\n{}",
            done.script
        );
    }
}

#[test]
fn xslt_a_template_on_the_document_element_writes_its_one_record() {
    let done = case("one-record", &[]);
    assert_eq!(done.code, Some(0), "{}", done.report);
    assert!(
        done.script
            .contains("for each `/PurchaseOrder` as \"SalesOrders/SalesOrder\""),
        "{}",
        done.script
    );
}

#[test]
fn xslt_parts_with_no_translation_stay_as_comments_naming_their_line_and_exit_3() {
    let dir = tempfile::tempdir().expect("temp");
    let folder = repo("tests/fixtures/convert/xslt/kept");
    std::fs::copy(folder.join("stylesheet.xsl"), dir.path().join("kept.xslt")).expect("copy");
    let out = zynk(
        &[
            "convert",
            "kept.xslt",
            "-o",
            "kept.zynk",
            "--report",
            "json",
        ],
        dir.path(),
    );
    assert_eq!(out.code, Some(3), "{}\n{}", out.stdout, out.stderr);
    let script = std::fs::read_to_string(dir.path().join("kept.zynk")).expect("script");
    for comment in [
        "# [not converted] line 10: <xsl:sort select=\"name\">:",
        "# [not converted] line 14: <Of>: last() of the loop has no translation",
        "# [not converted] line 15: <Number>: xsl:number has no translation",
    ] {
        assert!(script.contains(comment), "no `{comment}` in\n{script}");
    }
    assert!(script.contains("\"Name\" = `name`"), "{script}");
    let report: serde_json::Value = serde_json::from_str(&out.stdout).expect("json report");
    let lines: Vec<u64> = report["not_converted"]
        .as_array()
        .expect("not_converted")
        .iter()
        .filter_map(|u| u["line"].as_u64())
        .collect();
    assert_eq!(lines, vec![10, 14, 15]);
    assert_eq!(report["stylesheet"], true);
    assert_eq!(zynk(&["check", "kept.zynk"], dir.path()).code, Some(0));
}

#[test]
fn xslt_a_file_that_is_not_a_stylesheet_exits_2_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("temp");
    std::fs::copy(
        repo("tests/fixtures/convert/xslt/not-a-stylesheet.xsl"),
        dir.path().join("x.xsl"),
    )
    .expect("copy");
    let out = zynk(&["convert", "x.xsl", "-o", "x.zynk"], dir.path());
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(
        out.stderr.contains("zynk::convert::not_a_stylesheet"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("its root element is <not-xslt>"),
        "{}",
        out.stderr
    );
    assert!(!dir.path().join("x.zynk").exists());
}

#[test]
fn xslt_a_stylesheet_the_map_block_cannot_hold_still_gives_a_script_that_checks() {
    let dir = tempfile::tempdir().expect("temp");
    std::fs::write(
        dir.path().join("copy.xsl"),
        r#"<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:output encoding="x-unknown"/>
  <xsl:template match="@*|node()"><xsl:copy><xsl:apply-templates select="@*|node()"/></xsl:copy></xsl:template>
</xsl:stylesheet>"#,
    )
    .expect("write");
    let out = zynk(&["convert", "copy.xsl", "-o", "copy.zynk"], dir.path());
    assert_eq!(out.code, Some(3), "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("no template matches the document"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("<xsl:output encoding=\"x-unknown\">"),
        "{}",
        out.stdout
    );
    assert_eq!(zynk(&["check", "copy.zynk"], dir.path()).code, Some(0));
}

#[test]
fn xslt_sums_of_computed_values_through_node_set_become_sum_of() {
    let done = case("node-set-sums", &[]);
    assert_eq!(done.code, Some(0), "{}", done.report);
    assert!(
        done.script
            .contains("`format-number(sum-of(items/item, price * qty - discount), '0.00')`"),
        "{}",
        done.script
    );
}

#[test]
fn xslt_templates_applied_to_the_document_element_a_document_param_and_a_kept_record_test() {
    let done = case("apply-chain", &[]);
    assert_eq!(done.code, Some(0), "{}", done.report);
    for line in [
        "lookup \"${tables}/${country_file}\" as countries by `/countries/country` key `@name` value `@code`",
        "for each `/Orders/Order[Total > 0]` as \"SalesOrders/SalesOrder\" {",
        "\"Country\" = `lookup('countries', $c)`",
    ] {
        assert!(
            done.script.contains(line),
            "no `{line}` in\n{}",
            done.script
        );
    }
}

#[test]
fn xslt_a_workflow_xslt_task_with_its_stylesheet_beside_it_becomes_a_map_that_agrees() {
    let dir = tempfile::tempdir().expect("temp");
    let fixture = repo("tests/fixtures/convert/xslt-task");
    std::fs::create_dir_all(dir.path().join("XSLT")).expect("mkdir");
    std::fs::copy(fixture.join("shop.wkf"), dir.path().join("shop.wkf")).expect("copy");
    std::fs::copy(
        fixture.join("XSLT/Woo Orders to Connect.xslt"),
        dir.path().join("XSLT/Woo Orders to Connect.xslt"),
    )
    .expect("copy");
    let out = zynk(&["convert", "shop.wkf", "-o", "shop.zynk"], dir.path());
    assert_eq!(out.code, Some(3), "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("1 of 2 tasks as statements"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("XSLT\\missing.xslt cannot be read beside the workflow"),
        "{}",
        out.stdout
    );
    let script = std::fs::read_to_string(dir.path().join("shop.zynk")).expect("script");
    assert!(
        script
            .contains("map \"orders_woo.xml\" to \"orders_connect.xml\" encoding \"ISO-8859-1\" {"),
        "{script}"
    );
    let work = dir.path().join("data/Woo orders");
    std::fs::create_dir_all(&work).expect("mkdir");
    std::fs::copy(
        repo("tests/fixtures/convert/xslt/woo-templates/input.xml"),
        work.join("orders_woo.xml"),
    )
    .expect("copy");
    let ran = zynk(&["run", "shop.zynk", "--data", "data"], dir.path());
    assert_eq!(
        ran.code,
        Some(0),
        "{}\n{}\n{script}",
        ran.stdout,
        ran.stderr
    );
    let got = canonical_local(&text(&work.join("orders_connect.xml")));
    let want = canonical_local(&text(&repo(
        "tests/fixtures/convert/xslt/woo-templates/expected.xml",
    )));
    assert!(
        want == got,
        "the task's map and xsltproc differ\n{want}\n---\n{got}"
    );
}

/// Converts a stylesheet's text in a fresh folder; the exit code and the script.
fn convert_text(name: &str, bytes: &[u8]) -> (Option<i32>, String, String) {
    let dir = tempfile::tempdir().expect("temp");
    std::fs::write(dir.path().join(name), bytes).expect("write");
    let out = zynk(&["convert", name, "-o", "out.zynk"], dir.path());
    let script = std::fs::read_to_string(dir.path().join("out.zynk")).unwrap_or_default();
    let checked = zynk(&["check", "out.zynk"], dir.path());
    assert_eq!(
        checked.code,
        Some(0),
        "{name}: the script does not check\n{}\n{script}",
        checked.stderr
    );
    (out.code, script, out.stdout)
}

#[test]
fn xslt_awkward_stylesheets_still_give_scripts_that_check() {
    let head = r#"<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">"#;
    let cases = [
        (
            "twice.xsl",
            format!(
                r#"{head}<xsl:param name="a" select="'1'"/><xsl:param name="a" select="'2'"/><xsl:param name="output"/>
<xsl:template match="/"><Company><Products><xsl:for-each select="p/q"><Product><Sku><xsl:value-of select="$a"/></Sku></Product></xsl:for-each></Products></Company></xsl:template></xsl:stylesheet>"#
            ),
            "a second param of this name",
        ),
        (
            "recursive.xsl",
            format!(
                r#"{head}<xsl:template name="r"><xsl:param name="n"/><xsl:call-template name="r"><xsl:with-param name="n" select="$n - 1"/></xsl:call-template></xsl:template>
<xsl:template match="/"><Company><Products><xsl:for-each select="p/q"><Product><Sku><xsl:call-template name="r"><xsl:with-param name="n" select="3"/></xsl:call-template></Sku></Product></xsl:for-each></Products></Company></xsl:template></xsl:stylesheet>"#
            ),
            "recursion",
        ),
        (
            // A loop body that is an `xsl:if` around a template that calls itself, and
            // templates that call each other: each is found before anything is inlined.
            "loop-recursion.xsl",
            format!(
                r#"{head}<xsl:template name="item"><xsl:param name="n" select="1"/><Item><Sku><xsl:value-of select="../q[$n]/s"/></Sku></Item><xsl:if test="../q[$n + 1]"><xsl:call-template name="item"><xsl:with-param name="n" select="$n + 1"/></xsl:call-template></xsl:if></xsl:template>
<xsl:template name="order"><SalesOrder><Id><xsl:value-of select="id"/></Id><Items><xsl:call-template name="item"/></Items><xsl:call-template name="ping"/></SalesOrder></xsl:template>
<xsl:template name="ping"><xsl:if test="a"><xsl:call-template name="pong"/></xsl:if></xsl:template>
<xsl:template name="pong"><xsl:for-each select="a"><xsl:call-template name="ping"/></xsl:for-each></xsl:template>
<xsl:template match="/"><Company><SalesOrders><xsl:for-each select="p/q"><xsl:if test="id != ''"><xsl:call-template name="order"/></xsl:if></xsl:for-each><xsl:for-each select="p/r"><xsl:call-template name="pong"/></xsl:for-each></SalesOrders></Company></xsl:template></xsl:stylesheet>"#
            ),
            "recursion",
        ),
        (
            "mixed.xsl",
            format!(
                r#"{head}<xsl:template match="/"><Company><Products><xsl:for-each select="p/q"><Product>a `tick` <Sku>`<xsl:value-of select="s"/>`</Sku><Name><xsl:value-of select="no:such(1)" xmlns:no="urn:x"/></Name></Product></xsl:for-each></Products></Company></xsl:template></xsl:stylesheet>"#
            ),
            "mixed content",
        ),
    ];
    // Templates that each call the next twice (2^18 inlines) and a param that doubles at
    // each call (2^18 times its text): guards end both within a second.
    let fan_out: String = (0..18)
        .map(|i| {
            format!(
                r#"<xsl:template name="t{i}"><xsl:param name="p" select="'x'"/><A><xsl:call-template name="t{n}"><xsl:with-param name="p" select="concat($p, $p)"/></xsl:call-template><xsl:call-template name="t{n}"/></A></xsl:template>"#,
                n = i + 1
            )
        })
        .collect();
    let grow: String = (0..18)
        .map(|i| {
            format!(
                r#"<xsl:template name="g{i}"><xsl:param name="p"/><xsl:call-template name="g{n}"><xsl:with-param name="p" select="concat($p, $p)"/></xsl:call-template></xsl:template>"#,
                n = i + 1
            )
        })
        .collect();
    let loop_over = |call: &str| {
        format!(
            r#"<xsl:template match="/"><Company><Products><xsl:for-each select="p/q"><Product><Sku><xsl:value-of select="s"/></Sku><xsl:call-template name="{call}"><xsl:with-param name="p" select="s"/></xsl:call-template></Product></xsl:for-each></Products></Company></xsl:template></xsl:stylesheet>"#
        )
    };
    let cases = cases.into_iter().chain([
        (
            "fan-out.xsl",
            format!(
                r#"{head}{fan_out}<xsl:template name="t18"><B/></xsl:template>{}"#,
                loop_over("t0")
            ),
            "inlined more than 5000 times",
        ),
        (
            "grow.xsl",
            format!(
                r#"{head}{grow}<xsl:template name="g18"><xsl:param name="p"/><B><xsl:value-of select="$p"/></B></xsl:template>{}"#,
                loop_over("g0")
            ),
            "grows past 64 KiB",
        ),
    ]);
    for (name, text, reason) in cases {
        let started = std::time::Instant::now();
        let (code, script, report) = convert_text(name, text.as_bytes());
        assert_eq!(code, Some(3), "{name}\n{report}\n{script}");
        assert!(
            report.contains(reason),
            "{name}: no `{reason}` in\n{report}"
        );
        assert!(
            started.elapsed() < std::time::Duration::from_secs(30),
            "{name} took {:?}",
            started.elapsed()
        );
    }
    let utf16: Vec<u8> = std::iter::once(0xFEFF_u16)
        .chain(
            format!(r#"<?xml version="1.0" encoding="UTF-16"?>{head}<xsl:template match="/"><Company><Products><xsl:for-each select="p/q"><Product><Sku><xsl:value-of select="s"/></Sku></Product></xsl:for-each></Products></Company></xsl:template></xsl:stylesheet>"#)
                .encode_utf16(),
        )
        .flat_map(u16::to_le_bytes)
        .collect();
    let (code, script, report) = convert_text("utf16.xsl", &utf16);
    assert_eq!(code, Some(0), "{report}\n{script}");
    assert!(script.contains("\"Sku\" = `s`"), "{script}");
}

/// Loops whose body calls a named template, Muenchian grouping on a child with `/..`, and a
/// value built through a template's local variables: the shapes of older shop stylesheets.
#[test]
fn xslt_called_templates_grouping_by_a_child_and_local_variables_agree() {
    let done = case("called-templates", &[]);
    assert_eq!(done.code, Some(0), "{}", done.report);
    assert!(done.script.contains("for each distinct"), "{}", done.script);
}

#[test]
fn xslt_an_auto_mapper_task_becomes_a_map_with_stylesheets_given() {
    let dir = tempfile::tempdir().expect("temp");
    let wkf = "eBay to Sage 50 Template Workflow.wkf";
    std::fs::copy(
        repo(&format!("tests/fixtures/convert/samples/{wkf}")),
        dir.path().join(wkf),
    )
    .expect("copy");
    let samples = repo("tests/fixtures/convert/zynk-samples/Integration Samples/eBay to Sage 50");
    let stylesheets = samples.join("Data/Auto Mapper Files");
    let stylesheets = stylesheets.to_string_lossy();

    // Without the option the task stays a comment, as before.
    let plain = zynk(&["convert", wkf, "-o", "plain.zynk"], dir.path());
    assert_eq!(plain.code, Some(3));
    assert!(
        !plain.stdout.contains("translated into `map`"),
        "{}",
        plain.stdout
    );

    let out = zynk(
        &[
            "convert",
            wkf,
            "-o",
            "ebay.zynk",
            "--stylesheets",
            &stylesheets,
            "--report",
            "json",
        ],
        dir.path(),
    );
    // The eBay download task has no equivalent: 3, but the Auto Mapper task converted.
    assert_eq!(out.code, Some(3), "{}\n{}", out.stdout, out.stderr);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(report["maps"], 1, "{report}");
    assert!(
        report["not_converted"]
            .as_array()
            .is_some_and(|a| a.iter().all(|u| u["task"] != "Tasks.AutoMapperTask")),
        "{report}"
    );
    let readable = zynk(
        &[
            "convert",
            wkf,
            "-o",
            "ebay.zynk",
            "--stylesheets",
            &stylesheets,
        ],
        dir.path(),
    );
    assert!(
        readable.stdout.contains(
            "1 stylesheet of XSLT and Auto Mapper tasks translated into `map` statements"
        ),
        "{}",
        readable.stdout
    );
    let script = std::fs::read_to_string(dir.path().join("ebay.zynk")).expect("script");
    assert!(
        script.contains("map \"eBay_orders.xml\" to \"zynk_orders.xml\" {"),
        "{script}"
    );
    let checked = zynk(&["check", "ebay.zynk"], dir.path());
    assert_eq!(checked.code, Some(0), "{}", checked.stderr);

    // The map alone, with the task's parameters, writes what xsltproc writes with them
    // (the stylesheet imports Zynk.xslt from its folder).
    let map: String = script
        .lines()
        .skip_while(|l| !l.starts_with("map "))
        .take_while(|l| *l != "}")
        .chain(["}"])
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(
        dir.path().join("map.zynk"),
        format!("workflow \"eBay\"\n{map}\n"),
    )
    .expect("write");
    let work = dir.path().join("data/eBay");
    std::fs::create_dir_all(&work).expect("mkdir");
    std::fs::copy(
        samples.join("Data/eBay to Sage 50 Template Workflow/ebay_orders.xml"),
        work.join("eBay_orders.xml"),
    )
    .expect("copy");
    let ran = zynk(&["run", "map.zynk", "--data", "data"], dir.path());
    assert_eq!(ran.code, Some(0), "{}\n{}\n{map}", ran.stdout, ran.stderr);
    let got = canonical_local(&text(&work.join("zynk_orders.xml")));
    let want = canonical_local(&text(&repo(
        "tests/fixtures/convert/xslt/auto-mapper-ebay/expected.xml",
    )));
    assert!(
        want == got,
        "the Auto Mapper's map and xsltproc differ\n{want}\n---\n{got}"
    );

    // A folder without the stylesheet: the task stays a comment that says where it looked.
    let empty = tempfile::tempdir().expect("temp");
    let missing = zynk(
        &[
            "convert",
            wkf,
            "-o",
            "missing.zynk",
            "--stylesheets",
            &empty.path().to_string_lossy(),
        ],
        dir.path(),
    );
    assert_eq!(missing.code, Some(3));
    assert!(
        missing.stdout.contains(
            "its stylesheet \"From eBay Orders To Zynk XML Sales Orders.xslt\" is not in"
        ),
        "{}",
        missing.stdout
    );
}

#[test]
fn xslt_sort_becomes_sorted_by_and_agrees() {
    let done = case("sort", &[]);
    assert_eq!(done.code, Some(0), "{}", done.report);
    for line in [
        "for each `shop/orders/order` sorted by `customer` as \"SalesOrders/SalesOrder\" {",
        "for each `line` sorted by `qty` numeric descending as \"SalesOrderItems/Item\" {",
        "for each `shop/products/product` sorted by `price` numeric as \"Products/Product\" {",
    ] {
        assert!(
            done.script.contains(line),
            "no `{line}` in\n{}",
            done.script
        );
    }
}
