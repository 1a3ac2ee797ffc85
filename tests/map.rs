//! The `map` engine: grouping, conditions, defaults, escaping, zero records, streaming and tree alike, errors.

use crate::map_dsl as dsl;

use std::path::{Path, PathBuf};

use dsl::*;
use zynk::map::{MapError, MapReport, MapSpec, check_target, map_file, stream_paths};

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// Maps `xml` by `spec` in a temp dir: the report and the output text.
fn run(xml: &str, spec: &MapSpec) -> Result<(MapReport, String), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let input = dir.path().join("in.xml");
    std::fs::write(&input, xml)?;
    let output = dir.path().join("out/orders.xml");
    let report = map_file(&input, spec, &output)?;
    Ok((report, std::fs::read_to_string(&output)?))
}

/// Maps in both modes, checks they agree byte for byte, returns the output.
fn both(xml: &str, spec: &MapSpec) -> Result<String, Box<dyn std::error::Error>> {
    let (streamed, text) = run(xml, spec)?;
    let (tree, tree_text) = run(xml, &as_tree(spec))?;
    assert!(streamed.streamed, "the spec should stream");
    assert!(!tree.streamed);
    assert_eq!(streamed.records, tree.records);
    assert_eq!(text, tree_text, "streaming and tree mode differ");
    Ok(text)
}

const HEAD: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Company xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\">\n";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/map")
        .join(name)
}

const ORDERS: &str = r#"<?xml version="1.0"?>
<orders>
  <order id="1">
    <name>Ann &amp; Co</name>
    <town>Leeds</town>
    <first>Ann</first>
    <note></note>
    <lines>
      <line><sku>A</sku><qty>2</qty></line>
      <line><sku></sku><qty>1</qty></line>
    </lines>
  </order>
  <order id="2">
    <name>&lt;Bob&gt;</name>
    <first>Bob</first>
    <note>call first</note>
    <lines/>
  </order>
</orders>
"#;

#[test]
fn nested_targets_share_one_group_in_script_order() -> TestResult {
    let spec = spec(vec![rule(
        "/orders/order",
        "SalesOrders/SalesOrder",
        vec![
            f("SalesOrderAddress/Forename", x("first")),
            f("Id", x("@id")),
            f("SalesOrderAddress/Town", x("town")),
            each(
                "lines/line",
                "SalesOrderItems/Item",
                vec![f("Sku", x("sku")).or(t("S1")), f("QtyOrdered", x("qty"))],
            ),
            f("Carriage/UnitPrice", t("4.5")),
        ],
    )]);
    let text = both(ORDERS, &spec)?;
    let expected = format!(
        "{HEAD}  <SalesOrders>
    <SalesOrder>
      <SalesOrderAddress>
        <Forename>Ann</Forename>
        <Town>Leeds</Town>
      </SalesOrderAddress>
      <Id>1</Id>
      <SalesOrderItems>
        <Item>
          <Sku>A</Sku>
          <QtyOrdered>2</QtyOrdered>
        </Item>
        <Item>
          <Sku>S1</Sku>
          <QtyOrdered>1</QtyOrdered>
        </Item>
      </SalesOrderItems>
      <Carriage>
        <UnitPrice>4.5</UnitPrice>
      </Carriage>
    </SalesOrder>
    <SalesOrder>
      <SalesOrderAddress>
        <Forename>Bob</Forename>
        <Town />
      </SalesOrderAddress>
      <Id>2</Id>
      <SalesOrderItems />
      <Carriage>
        <UnitPrice>4.5</UnitPrice>
      </Carriage>
    </SalesOrder>
  </SalesOrders>
</Company>
"
    );
    assert_eq!(text, expected);
    Ok(())
}

#[test]
fn conditions_and_defaults() -> TestResult {
    let spec = spec(vec![rule(
        "/orders/order",
        "SalesOrders/SalesOrder",
        vec![
            f("Notes1", x("note")).if_not_empty(),
            f("Notes2", x("note")).when("string-length(note) > 0"),
            f("Notes3", x("note")).or(t("none")),
            f("Town", x("town")).or(x("concat('no town for ', first)")),
            f("Status", x("missing"))
                .or(x("also-missing"))
                .if_not_empty(),
            f("Empty", x("missing")),
            f("Big", t("yes")).when("count(lines/line) > 1"),
        ],
    )]);
    let text = both(ORDERS, &spec)?;
    let expected = format!(
        "{HEAD}  <SalesOrders>
    <SalesOrder>
      <Notes3>none</Notes3>
      <Town>Leeds</Town>
      <Empty />
      <Big>yes</Big>
    </SalesOrder>
    <SalesOrder>
      <Notes1>call first</Notes1>
      <Notes2>call first</Notes2>
      <Notes3>call first</Notes3>
      <Town>no town for Bob</Town>
      <Empty />
    </SalesOrder>
  </SalesOrders>
</Company>
"
    );
    assert_eq!(text, expected);
    Ok(())
}

#[test]
fn text_is_escaped_and_numbers_are_xpath_strings() -> TestResult {
    let spec = spec(vec![rule(
        "/orders/order",
        "SalesOrders/SalesOrder",
        vec![
            f("Name", x("name")),
            f("Literal", t("a < b & \"c\" > d\r")),
            f("Total", x("sum(lines/line/qty) div 4")),
            f("Count", x("count(lines/line)")),
            f("Flag", x("boolean(note/text())")),
        ],
    )]);
    let text = both(ORDERS, &spec)?;
    assert!(text.contains("<Name>Ann &amp; Co</Name>"), "{text}");
    assert!(text.contains("<Name>&lt;Bob&gt;</Name>"), "{text}");
    assert!(text.contains("<Literal>a &lt; b &amp; \"c\" &gt; d&#xD;</Literal>"));
    assert!(text.contains("<Total>0.75</Total>"));
    assert!(text.contains("<Total>0</Total>"));
    assert!(text.contains("<Count>2</Count>"));
    assert!(text.contains("<Flag>false</Flag>") && text.contains("<Flag>true</Flag>"));
    roxmltree::Document::parse(&text)?;
    Ok(())
}

#[test]
fn zero_records_give_empty_wrappers() -> TestResult {
    let mut spec = spec(vec![
        rule(
            "/orders/order",
            "Customers/Customer",
            vec![f("Id", x("@id"))],
        ),
        rule(
            "/orders/order",
            "SalesOrders/SalesOrder",
            vec![f("Id", x("@id"))],
        ),
    ]);
    // An input with elements that no rule selects fails unless empty is allowed
    // (`nothing_matched`); an empty root maps to empty wrappers either way.
    assert!(run("<orders><other/></orders>", &spec).is_err());
    spec.allow_empty = true;
    let (report, text) = run("<orders><other/></orders>", &spec)?;
    assert_eq!(report.records, 0);
    assert_eq!(
        text,
        format!("{HEAD}  <Customers />\n  <SalesOrders />\n</Company>\n")
    );
    let (report, tree_text) = run("<orders/>", &as_tree(&spec))?;
    assert_eq!((report.records, report.streamed), (0, false));
    assert_eq!(tree_text, text);
    Ok(())
}

#[test]
fn a_path_in_the_input_that_no_record_passes_is_no_data_but_a_path_off_it_fails() -> TestResult {
    let orders = |select: &str| {
        spec(vec![rule(
            select,
            "SalesOrders/SalesOrder",
            vec![f("Id", x("@id"))],
        )])
    };
    // Every step is in the input; the test passes no record today: no data.
    let (report, _) = run(
        "<orders><order id=\"1\" paid=\"no\"/></orders>",
        &as_tree(&orders("/orders/order[@paid = 'yes']")),
    )?;
    assert_eq!(report.records, 0);
    // The path ends at an empty collection: no data.
    let (report, _) = run(
        "<Company><Products/><SalesOrders/></Company>",
        &orders("/Company/SalesOrders/SalesOrder"),
    )?;
    assert_eq!(report.records, 0);
    // The path leaves the input where it goes on with other elements: it fails, naming
    // where and what is there.
    let error = run(
        "<Company><SalesOrders><Order id=\"1\"/></SalesOrders></Company>",
        &orders("/Company/SalesOrders/SalesOrder"),
    )
    .err()
    .map(|e| e.to_string())
    .unwrap_or_default();
    assert!(
        error.contains("`/Company/SalesOrders` holds no `<SalesOrder>` but `<Order>`"),
        "{error}"
    );
    let error = run("<Orders><Order/></Orders>", &orders("/orders/order"))
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        error.contains("its root is not `<orders>` but `<Orders>`"),
        "{error}"
    );
    Ok(())
}

#[test]
fn rules_sharing_a_wrapper_and_interleaved_rules() -> TestResult {
    let spec = spec(vec![
        rule(
            "/orders/order",
            "SalesOrders/SalesOrder",
            vec![f("Id", x("@id"))],
        ),
        rule(
            "/orders/order",
            "Customers/Customer",
            vec![f("Name", x("first"))],
        ),
        rule(
            "/orders/order/lines/line",
            "SalesOrders/SalesOrder",
            vec![f("Id", x("concat('line ', sku)"))],
        ),
    ]);
    let text = both(ORDERS, &spec)?;
    let expected = format!(
        "{HEAD}  <SalesOrders>
    <SalesOrder>
      <Id>1</Id>
    </SalesOrder>
    <SalesOrder>
      <Id>2</Id>
    </SalesOrder>
    <SalesOrder>
      <Id>line A</Id>
    </SalesOrder>
    <SalesOrder>
      <Id>line </Id>
    </SalesOrder>
  </SalesOrders>
  <Customers>
    <Customer>
      <Name>Ann</Name>
    </Customer>
    <Customer>
      <Name>Bob</Name>
    </Customer>
  </Customers>
</Company>
"
    );
    assert_eq!(text, expected);
    Ok(())
}

#[test]
fn the_streaming_rule() {
    let streams = |select: &str, field: &str| {
        stream_paths(&spec(vec![rule(select, "A/B", vec![f("X", x(field))])])).is_some()
    };
    assert!(streams("/orders/order", "id"));
    assert!(streams("orders/order[@type='web']", "concat(a, @b)"));
    assert!(!streams("//order", "id"));
    assert!(!streams("/orders/order[1]", "id"));
    assert!(!streams("/orders/order", "/orders/@currency"));
    assert!(!streams("/orders/order", "../currency"));
    assert!(!streams("/orders/order", "//currency"));
    let nested = |field: &str| {
        stream_paths(&spec(vec![rule(
            "/orders/order",
            "A/B",
            vec![each("lines/line", "C/D", vec![f("X", x(field))])],
        )]))
        .is_some()
    };
    assert!(nested("../../@id"));
    assert!(!nested("../../../x"));
    let condition = spec(vec![rule(
        "/orders/order",
        "A/B",
        vec![f("X", t("1")).when("/orders/@live = 'yes'")],
    )]);
    assert!(stream_paths(&condition).is_none());
    let default = spec(vec![rule(
        "/orders/order",
        "A/B",
        vec![f("X", t("")).or(x("../y"))],
    )]);
    assert!(stream_paths(&default).is_none());
}

#[test]
fn paths_that_leave_the_record_run_on_the_tree() -> TestResult {
    let xml = r#"<orders currency="EUR"><order id="1"/><order id="2"/></orders>"#;
    let spec = spec(vec![rule(
        "/orders/order",
        "SalesOrders/SalesOrder",
        vec![
            f("Id", x("@id")),
            f("Currency", x("../@currency")),
            f("Count", x("count(//order)")),
        ],
    )]);
    let (report, text) = run(xml, &spec)?;
    assert!(!report.streamed);
    assert_eq!(report.records, 2);
    assert!(text.contains("<Currency>EUR</Currency>") && text.contains("<Count>2</Count>"));
    Ok(())
}

#[test]
fn namespaces_match_by_local_name_and_prefixes_survive_streaming() -> TestResult {
    let xml = r#"<?xml version="1.0"?>
<shop:export xmlns="urn:orders" xmlns:shop="urn:shop" xmlns:m="urn:meta">
  <orders>
    <order m:channel="web"><id>1</id><m:note>hi</m:note></order>
    <order xmlns:m="urn:other" m:channel="pos"><id>2</id><m:note>yo</m:note></order>
  </orders>
</shop:export>"#;
    let spec = spec(vec![rule(
        "/export/orders/order",
        "SalesOrders/SalesOrder",
        vec![
            f("Id", x("id")),
            f("Notes1", x("m:note")),
            f("Notes2", x("@m:channel")),
            f(
                "Notes3",
                x("concat(name(m:note), ' ', namespace-uri(m:note), ' ', namespace-uri(.))"),
            ),
        ],
    )]);
    let text = both(xml, &spec)?;
    assert!(text.contains("<Notes1>hi</Notes1>") && text.contains("<Notes2>pos</Notes2>"));
    assert!(
        text.contains("<Notes3>m:note urn:meta urn:orders</Notes3>"),
        "{text}"
    );
    assert!(
        text.contains("<Notes3>m:note urn:other urn:orders</Notes3>"),
        "{text}"
    );
    Ok(())
}

#[test]
fn a_doctype_sends_streaming_to_the_tree() -> TestResult {
    let xml = r#"<?xml version="1.0"?>
<!DOCTYPE orders [<!ENTITY shop "Acme &amp; Sons">]>
<orders><order><name>&shop;</name></order></orders>"#;
    let spec = spec(vec![rule(
        "/orders/order",
        "SalesOrders/SalesOrder",
        vec![f("Name", x("name"))],
    )]);
    let (report, text) = run(xml, &spec)?;
    assert!(!report.streamed);
    assert!(text.contains("<Name>Acme &amp; Sons</Name>"), "{text}");
    Ok(())
}

#[test]
fn every_fixture_maps_the_same_streamed_and_from_the_tree() -> TestResult {
    for (file, spec) in [
        ("shopify_orders.xml", dsl::shops::shopify()),
        ("magento_orders.xml", dsl::shops::magento()),
        ("woocommerce_orders.xml", dsl::shops::woocommerce()),
    ] {
        let xml = std::fs::read_to_string(fixture(file))?;
        let text = both(&xml, &spec)?;
        assert!(text.contains("<SalesOrder>"), "{file}");
    }
    Ok(())
}

/// A malformed input: the error names the line and column, and no output is left.
fn malformed(xml: &str, spec: &MapSpec) -> Result<(u64, u64, String), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let input = dir.path().join("in.xml");
    std::fs::write(&input, xml)?;
    let output = dir.path().join("orders.xml");
    let err = map_file(&input, spec, &output).err().ok_or("no error")?;
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())?
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(
        leftovers,
        vec![std::ffi::OsString::from("in.xml")],
        "output left behind"
    );
    let code = miette::Diagnostic::code(&err).map(|c| c.to_string());
    assert_eq!(code.as_deref(), Some("zynk::map::malformed_xml"));
    match err {
        MapError::Malformed {
            line,
            column,
            message,
            ..
        } => Ok((line, column, message)),
        other => Err(format!("unexpected {other:?}").into()),
    }
}

#[test]
fn malformed_input_reports_line_and_column_and_writes_nothing() -> TestResult {
    let streamed = spec(vec![rule(
        "/orders/order",
        "SalesOrders/SalesOrder",
        vec![f("Id", x("id"))],
    )]);
    let tree = as_tree(&streamed);
    // A mismatched end tag inside the second record.
    let xml = "<orders>\n  <order><id>1</id></order>\n  <order><id>2</ids></order>\n</orders>\n";
    for spec in [&streamed, &tree] {
        let (line, column, _) = malformed(xml, spec)?;
        assert_eq!(line, 3);
        assert!((12..=19).contains(&column), "column {column}");
    }
    // Outside the records: an unclosed root.
    let (line, _, _) = malformed("<orders>\n  <order><id>1</id></order>\n", &streamed)?;
    assert!(line >= 2);
    // A bad character in a record, after a multi-byte one: columns count characters.
    // quick-xml finds the fault at the end tag it cannot match, roxmltree at the `1`.
    let (line, column, _) = malformed("<orders>\n<order><id>é<1</id></order></orders>", &streamed)?;
    assert_eq!((line, column), (2, 20));
    let (line, column, _) = malformed("<orders>\n<order><id>é<1</id></order></orders>", &tree)?;
    assert_eq!((line, column), (2, 14));
    // The previous output is kept when a later run fails.
    let dir = tempfile::tempdir()?;
    let (good, bad, output) = (
        dir.path().join("good.xml"),
        dir.path().join("bad.xml"),
        dir.path().join("o.xml"),
    );
    std::fs::write(&good, "<orders><order><id>1</id></order></orders>")?;
    std::fs::write(&bad, "<orders><order><id>1</id></order>")?;
    map_file(&good, &streamed, &output)?;
    let before = std::fs::read(&output)?;
    assert!(map_file(&bad, &streamed, &output).is_err());
    assert_eq!(std::fs::read(&output)?, before);
    Ok(())
}

#[test]
fn missing_input_unwritable_output_and_bad_xpaths() -> TestResult {
    let dir = tempfile::tempdir()?;
    let spec1 = spec(vec![rule(
        "/orders/order",
        "SalesOrders/SalesOrder",
        vec![f("Id", x("id"))],
    )]);
    let err = map_file(
        &dir.path().join("nope.xml"),
        &spec1,
        &dir.path().join("o.xml"),
    );
    let err = err.err().ok_or("no error")?;
    assert!(err.is_not_found());
    assert_eq!(
        miette::Diagnostic::code(&err)
            .map(|c| c.to_string())
            .as_deref(),
        Some("zynk::map::input_not_found")
    );

    let input = dir.path().join("in.xml");
    std::fs::write(&input, ORDERS)?;
    std::fs::create_dir(dir.path().join("taken"))?;
    let err = map_file(&input, &spec1, &dir.path().join("taken"))
        .err()
        .ok_or("no error")?;
    assert_eq!(
        miette::Diagnostic::code(&err)
            .map(|c| c.to_string())
            .as_deref(),
        Some("zynk::map::output_unwritable")
    );

    let scalar = spec(vec![rule(
        "/orders/order",
        "SalesOrders/SalesOrder",
        vec![each("count(lines/line)", "SalesOrderItems/Item", vec![])],
    )]);
    let err = map_file(&input, &scalar, &dir.path().join("o.xml"))
        .err()
        .ok_or("no error")?;
    assert_eq!(
        miette::Diagnostic::code(&err)
            .map(|c| c.to_string())
            .as_deref(),
        Some("zynk::map::xpath_failed")
    );
    assert!(!dir.path().join("o.xml").exists());

    let bad_name = spec(vec![rule(
        "/orders/order",
        "SalesOrders/Sales Order",
        vec![],
    )]);
    let err = map_file(&input, &bad_name, &dir.path().join("o.xml"))
        .err()
        .ok_or("no error")?;
    assert_eq!(
        miette::Diagnostic::code(&err)
            .map(|c| c.to_string())
            .as_deref(),
        Some("zynk::map::invalid_target")
    );
    Ok(())
}

#[test]
fn check_target_suggests_connect_names() {
    let path = |s: &str| s.split('/').map(str::to_owned).collect::<Vec<_>>();
    assert_eq!(
        check_target("SalesOrder", &path("SalesOrderAddress/Town")),
        None
    );
    assert_eq!(
        check_target("SalesOrder", &path("SalesOrderAdress/Town")),
        Some("did you mean `SalesOrderAddress`?".to_owned())
    );
    assert_eq!(
        check_target("Item", &path("UnitPrise")),
        Some("did you mean `UnitPrice`?".to_owned())
    );
    assert_eq!(
        check_target("Customer", &path("CustomerInvoiceAddress/Postcode")),
        None
    );
    assert_eq!(check_target("Wibble", &path("Anything")), None);
}

/// Every field target of the shop scripts is a Connect XML element.
#[test]
fn shop_scripts_only_write_connect_elements() {
    fn walk(record: &str, items: &[zynk::map::MapItem]) {
        for item in items {
            match item {
                zynk::map::MapItem::Field(field) => {
                    assert_eq!(
                        check_target(record, &field.target),
                        None,
                        "{:?}",
                        field.target
                    )
                }
                zynk::map::MapItem::Each(rule) => {
                    assert_eq!(
                        check_target(record, &rule.target),
                        None,
                        "{:?}",
                        rule.target
                    );
                    walk(rule.target.last().map_or("", String::as_str), &rule.items);
                }
                zynk::map::MapItem::Let(_) | zynk::map::MapItem::Choice(_) => {}
            }
        }
    }
    for spec in [
        dsl::shops::shopify(),
        dsl::shops::magento(),
        dsl::shops::woocommerce(),
    ] {
        for rule in &spec.rules {
            walk(rule.target.last().map_or("", String::as_str), &rule.items);
        }
    }
}

/// Damaged copies of every sample never panic: each maps, or fails with a diagnostic, in
/// both modes alike; when both succeed their outputs agree.
#[test]
fn damaged_inputs_never_panic() -> TestResult {
    let dir = tempfile::tempdir()?;
    let input = dir.path().join("in.xml");
    for (file, spec) in [
        ("shopify_orders.xml", dsl::shops::shopify()),
        ("magento_orders.xml", dsl::shops::magento()),
        ("woocommerce_orders.xml", dsl::shops::woocommerce()),
    ] {
        let original = std::fs::read(fixture(file))?;
        let tree = as_tree(&spec);
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for round in 0..200 {
            let mut bytes = original.clone();
            for _ in 0..=round % 3 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let at = (seed % bytes.len() as u64) as usize;
                let junk =
                    [b'<', b'>', b'&', b'"', b'/', 0xff, b'x', b';'][(seed >> 40) as usize % 8];
                if let Some(b) = bytes.get_mut(at) {
                    *b = junk;
                }
            }
            std::fs::write(&input, &bytes)?;
            let a = map_file(&input, &spec, &dir.path().join("a.xml"));
            let b = map_file(&input, &tree, &dir.path().join("b.xml"));
            for result in [&a, &b] {
                if let Err(err) = result {
                    assert!(
                        matches!(err, MapError::Malformed { line, .. } if *line > 0)
                            || matches!(
                                err,
                                MapError::Encoding(
                                    zynk::xml_input::EncodingError::InvalidByte { line, .. }
                                ) if *line > 0
                            )
                            || matches!(
                                err,
                                MapError::Encoding(
                                    zynk::xml_input::EncodingError::Unsupported { .. }
                                )
                            ),
                        "{file} round {round}: {err:?}"
                    );
                }
            }
            assert_eq!(a.is_ok(), b.is_ok(), "{file} round {round}: {a:?} / {b:?}");
            if a.is_ok() && b.is_ok() {
                assert_eq!(
                    std::fs::read(dir.path().join("a.xml"))?,
                    std::fs::read(dir.path().join("b.xml"))?,
                    "{file} round {round}"
                );
            }
        }
    }
    Ok(())
}

#[test]
fn a_root_record_and_an_empty_record_element() -> TestResult {
    let one = spec(vec![rule(
        "/orders",
        "Batches/Batch",
        vec![f("Count", x("count(order)"))],
    )]);
    let text = both("<orders><order/><order/></orders>", &one)?;
    assert!(text.contains("<Count>2</Count>"), "{text}");
    let empty = spec(vec![rule(
        "/orders/order",
        "SalesOrders/SalesOrder",
        vec![f("Id", x("@id"))],
    )]);
    let text = both(
        r#"<orders><order id="7"/><order id="8"></order></orders>"#,
        &empty,
    )?;
    assert!(
        text.contains("<Id>7</Id>") && text.contains("<Id>8</Id>"),
        "{text}"
    );
    Ok(())
}

#[test]
fn spec_types_are_debug_clone_send_and_sync() {
    fn runtime_step<T: std::fmt::Debug + Clone + Send + Sync>() {}
    runtime_step::<MapSpec>();
    runtime_step::<zynk::map::RecordRule>();
    runtime_step::<zynk::map::MapItem>();
    runtime_step::<zynk::map::FieldRule>();
    runtime_step::<zynk::map::FieldValue>();
    runtime_step::<zynk::map::Condition>();
    runtime_step::<MapReport>();
}

/// Past a few megabytes, the records of all but the first rule wait in a temporary file;
/// they come back whole and in order.
#[test]
fn large_outputs_spill_and_come_back_in_order() -> TestResult {
    let mut xml = String::from("<orders>\n");
    for n in 0..16_000 {
        xml.push_str(&format!(
            "<order><id>{n}</id><name>Customer {n} with a longish name &amp; more</name><lines><line><sku>S{n}</sku></line></lines></order>\n"
        ));
    }
    xml.push_str("</orders>\n");
    let spec = spec(vec![
        rule(
            "/orders/order",
            "Customers/Customer",
            vec![f("Id", x("id")), f("CompanyName", x("name"))],
        ),
        rule(
            "/orders/order",
            "SalesOrders/SalesOrder",
            vec![
                f("Id", x("id")),
                f("Notes1", x("name")),
                f("Notes2", x("name")),
                each(
                    "lines/line",
                    "SalesOrderItems/Item",
                    vec![f("Sku", x("sku"))],
                ),
            ],
        ),
    ]);
    let text = both(&xml, &spec)?;
    let orders = text.find("<SalesOrders>").map_or(0, |at| text.len() - at);
    assert!(
        orders > 4 << 20,
        "{orders} bytes of orders: too few to spill"
    );
    let doc = roxmltree::Document::parse(&text)?;
    let ids = |collection: &str| -> Vec<String> {
        doc.root_element()
            .children()
            .filter(|c| c.has_tag_name(collection))
            .flat_map(|c| c.children().filter(roxmltree::Node::is_element))
            .filter_map(|r| {
                r.children()
                    .find(|f| f.has_tag_name("Id"))
                    .and_then(|f| f.text())
                    .map(str::to_owned)
            })
            .collect()
    };
    let want: Vec<String> = (0..16_000).map(|n| n.to_string()).collect();
    assert_eq!(ids("Customers"), want);
    assert_eq!(ids("SalesOrders"), want);
    Ok(())
}

/// A lookup table that is missing or unreadable fails the map before anything is written.
#[test]
fn lookup_tables_that_cannot_be_read_fail_the_map() -> TestResult {
    use miette::Diagnostic as _;
    let dir = tempfile::tempdir()?;
    let input = dir.path().join("in.xml");
    std::fs::write(&input, ORDERS)?;
    let output = dir.path().join("out.xml");
    std::fs::write(&output, "previous")?;
    let with_table = |file: &str, format: zynk::map::LookupFormat| {
        let mut spec = spec(vec![rule(
            "/orders/order",
            "SalesOrders/SalesOrder",
            vec![f("Id", x("@id"))],
        )]);
        spec.lookups.push(zynk::map::Lookup {
            name: "countries".into(),
            file: dir.path().join(file),
            format,
        });
        spec
    };
    let csv = || zynk::map::LookupFormat::Csv {
        key: None,
        value: Some("ISO".into()),
    };
    let code = |spec: &MapSpec| {
        let e = map_file(&input, spec, &output).expect_err("the map must fail");
        e.code().map(|c| c.to_string()).unwrap_or_default()
    };
    assert_eq!(
        code(&with_table("missing.csv", csv())),
        "zynk::map::lookup_not_found"
    );
    std::fs::write(dir.path().join("t.csv"), "Country,Code\nFrance,FR\n")?;
    assert_eq!(
        code(&with_table("t.csv", csv())),
        "zynk::map::lookup_invalid"
    );
    std::fs::write(dir.path().join("t.xml"), "<a><b>")?;
    let xml = zynk::map::LookupFormat::Xml(Box::new(zynk::map::XmlTable {
        rows: xp("/*/*"),
        key: xp("*[1]"),
        value: xp("*[2]"),
    }));
    assert_eq!(
        code(&with_table("t.xml", xml.clone())),
        "zynk::map::lookup_invalid"
    );
    // An XML table that is missing is not found, as a CSV one is (a JSON table is read as
    // its XML: the Shopify recipe's tests look orders and levels up in JSON files).
    assert_eq!(
        code(&with_table("gone.xml", xml)),
        "zynk::map::lookup_not_found"
    );
    assert_eq!(std::fs::read_to_string(&output)?, "previous");
    Ok(())
}

/// A text longer than the field limit (8 MiB) stops the map with its line and column in
/// both modes, before it is held in memory, and nothing is written; one just under the
/// limit maps.
#[test]
fn a_huge_text_node_is_field_too_large_in_both_modes() -> TestResult {
    let streamed = spec(vec![rule(
        "/orders/order",
        "SalesOrders/SalesOrder",
        vec![f("Id", x("id")), f("Notes1", x("note"))],
    )]);
    let tree = as_tree(&streamed);
    let limit = zynk::connect::MAX_FIELD_BYTES;
    let huge = format!(
        "<orders>\n  <order><id>1</id></order>\n  <order><id>2</id>\n    <note>{}</note></order>\n</orders>\n",
        "x".repeat(limit + (1 << 20))
    );
    for spec in [&streamed, &tree] {
        let dir = tempfile::tempdir()?;
        let input = dir.path().join("in.xml");
        std::fs::write(&input, &huge)?;
        let output = dir.path().join("orders.xml");
        let err = map_file(&input, spec, &output).err().ok_or("no error")?;
        assert!(!output.exists(), "output written");
        let code = miette::Diagnostic::code(&err).map(|c| c.to_string());
        assert_eq!(code.as_deref(), Some("zynk::map::field_too_large"));
        let mut shown = String::new();
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
            .with_width(80)
            .render_report(&mut shown, &err)?;
        let shown = shown.replace(&dir.path().display().to_string(), "DIR");
        insta::assert_snapshot!("field_too_large", shown);
        match err {
            MapError::FieldTooLarge {
                line,
                column,
                limit: reported,
                ..
            } => {
                assert_eq!((line, column), (4, 11));
                assert_eq!(reported, limit as u64);
            }
            other => return Err(format!("unexpected {other:?}").into()),
        }
    }
    let fits = huge.replace(&"x".repeat(limit + (1 << 20)), &"y".repeat(limit - 64));
    let text = both(&fits, &streamed)?;
    assert!(text.contains(&format!("<Notes1>{}</Notes1>", "y".repeat(limit - 64))));
    Ok(())
}

#[test]
fn sorted_records_by_text_and_number_after_distinct() -> TestResult {
    use zynk::map::{MapItem, SortKey};
    let xml = r#"<shop>
  <order id="1"><c>carter</c><l><s>A</s><q>2</q></l><l><s>B</s><q>10</q></l><l><s>C</s><q>x</q></l></order>
  <order id="2"><c>Abbott</c></order>
  <order id="3"><c>Baker</c></order>
  <order id="4"><c>abbott</c></order>
  <order id="5"><c>Baker</c></order>
</shop>"#;
    let sort = |key: &str, numeric: bool, descending: bool| {
        Some(SortKey {
            key: xp(key),
            numeric,
            descending,
        })
    };
    let mut lines = rule("l", "Items/Item", vec![f("Sku", x("s"))]);
    lines.sort = sort("q", true, true);
    let mut orders = rule(
        "/shop/order",
        "SalesOrders/SalesOrder",
        vec![f("Id", x("@id")), MapItem::Each(lines)],
    );
    orders.sort = sort("c", false, false);
    let spec = spec(vec![orders]);
    assert!(
        stream_paths(&spec).is_none(),
        "a sorted rule needs every record first"
    );
    let (report, out) = run(xml, &spec)?;
    assert!(!report.streamed);
    let ids: Vec<&str> = out
        .lines()
        .filter_map(|l| l.trim().strip_prefix("<Id>")?.strip_suffix("</Id>"))
        .collect();
    // Text compares character by character (capitals first); equal keys keep document order.
    assert_eq!(ids, ["2", "3", "5", "4", "1"]);
    let skus: Vec<&str> = out
        .lines()
        .filter_map(|l| l.trim().strip_prefix("<Sku>")?.strip_suffix("</Sku>"))
        .collect();
    // Numbers descending, a key that is not a number last.
    assert_eq!(skus, ["B", "A", "C"]);

    // `distinct` picks the first node of each key in document order, then the sort applies.
    let mut firsts = rule("/shop/order", "Customers/Customer", vec![f("Id", x("@id"))]);
    firsts.distinct = Some(xp("c"));
    firsts.sort = sort("@id", true, true);
    let (_, out) = run(xml, &spec_of(firsts))?;
    let ids: Vec<&str> = out
        .lines()
        .filter_map(|l| l.trim().strip_prefix("<Id>")?.strip_suffix("</Id>"))
        .collect();
    assert_eq!(ids, ["4", "3", "2", "1"]);
    Ok(())
}

fn spec_of(rule: zynk::map::RecordRule) -> MapSpec {
    spec(vec![rule])
}
