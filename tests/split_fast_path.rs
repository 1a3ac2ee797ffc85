//! The byte scanner's fast path against quick-xml's events: the same chunks byte for byte, and the same fault with the same line and column.
//!
//! `Selection::Stream` takes the fast path where it applies and falls back to the events
//! otherwise; `Selection::StreamEvents` never takes it. Every case here runs both and
//! compares the whole outcome: the report, every chunk's bytes, or the error's text.

use std::fs;
use std::path::{Path, PathBuf};

use zynk::split::{ChildPath, Selection, split_file};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/split")
}

fn tempdir() -> tempfile::TempDir {
    match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(e) => panic!("cannot make a temp dir: {e}"),
    }
}

/// What a split gave: the record count and each chunk's name and bytes, or the error
/// (its text, which holds the line and column of a fault).
type Outcome = Result<(u64, Vec<(String, Vec<u8>)>), String>;

fn outcome(input: &Path, record_path: &ChildPath, limit: usize, events: bool) -> Outcome {
    let dir = tempdir();
    let selection = if events {
        Selection::StreamEvents(record_path)
    } else {
        Selection::Stream(record_path)
    };
    let result = split_file(input, selection, limit, dir.path());
    let left: Vec<String> = fs::read_dir(dir.path())
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    let report = result.map_err(|e| format!("{e} / {e:?}"))?;
    assert_eq!(
        left.len(),
        report.chunks.len(),
        "only the chunks are left: {left:?}"
    );
    let chunks = report
        .chunks
        .iter()
        .map(|c| {
            let name = c
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            (name, fs::read(c).unwrap_or_default())
        })
        .collect();
    Ok((report.records, chunks))
}

/// Splits `bytes` both ways at `record_path` and `limit` and asserts the outcomes are
/// the same; returns it.
fn agree(bytes: &[u8], record_path: &str, limit: usize) -> Outcome {
    let dir = tempdir();
    let input = dir.path().join("input.xml");
    if let Err(e) = fs::write(&input, bytes) {
        panic!("cannot write the input: {e}");
    }
    agree_on(&input, record_path, limit)
}

fn agree_on(input: &Path, record_path: &str, limit: usize) -> Outcome {
    let Some(path) = ChildPath::parse(record_path) else {
        panic!("not a child path: {record_path}");
    };
    let fast = outcome(input, &path, limit, false);
    let events = outcome(input, &path, limit, true);
    if fast != events {
        let show = |o: &Outcome| match o {
            Ok((n, chunks)) => format!(
                "{n} records: {:?}",
                chunks
                    .iter()
                    .map(|(name, b)| format!("{name}: {}", String::from_utf8_lossy(b)))
                    .collect::<Vec<_>>()
            ),
            Err(e) => e.clone(),
        };
        panic!(
            "{} at {record_path} limit {limit}:\n--- fast path\n{}\n--- events\n{}",
            input.display(),
            show(&fast),
            show(&events)
        );
    }
    fast
}

fn records(outcome: &Outcome) -> u64 {
    outcome.as_ref().map_or(0, |(n, _)| *n)
}

/// A product export like `scripts/bench/gen-products` writes, `n` records.
fn products(n: usize) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Company xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n  <Products>\n",
    );
    for i in 0..n {
        xml.push_str(&format!(
            "    <Product>\n      <Sku>SKU{i:08}</Sku>\n      <Name>Café Crème &amp; Zürich 3&#8209;Ring &lt;{i}&gt;</Name>\n      <LongDescription><![CDATA[<b>long</b> & details]]></LongDescription>\n      <ImageUrl />\n      <QtyInStock>{}</QtyInStock>\n      <RRPPrice xsi:nil=\"true\" />\n    </Product>\n",
            i % 500
        ));
    }
    xml.push_str(
        "  </Products>\n  <ProductGroups>\n    <ProductGroup><Name>Kitchen</Name></ProductGroup>\n  </ProductGroups>\n</Company>\n",
    );
    xml
}

#[test]
fn every_fixture_and_element_path_splits_the_same_both_ways() {
    let mut inputs: Vec<PathBuf> = fs::read_dir(fixtures())
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    inputs.retain(|p| p.extension().is_some_and(|e| e == "xml"));
    inputs.sort();
    assert!(inputs.len() >= 10, "fixtures: {inputs:?}");
    let mut cases = 0;
    for input in &inputs {
        let text = String::from_utf8_lossy(&fs::read(input).unwrap_or_default()).into_owned();
        let options = roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        };
        let Ok(doc) = roxmltree::Document::parse_with_options(&text, options) else {
            continue;
        };
        let mut paths: Vec<String> = doc
            .descendants()
            .filter(|n| n.is_element())
            .map(|n| {
                let names: Vec<&str> = n
                    .ancestors()
                    .filter(|a| a.is_element())
                    .map(|a| a.tag_name().name())
                    .collect();
                let rev: Vec<&str> = names.into_iter().rev().collect();
                format!("/{}", rev.join("/"))
            })
            .collect();
        paths.sort();
        paths.dedup();
        for (i, record_path) in paths.iter().enumerate() {
            if text.len() > 64 << 10 && i % 5 != 0 {
                continue;
            }
            for limit in [1, 4] {
                agree_on(input, record_path, limit).ok();
                cases += 1;
            }
        }
    }
    assert!(cases > 150, "only {cases} cases");
}

#[test]
fn varied_documents_split_byte_for_byte_the_same() {
    let cases: &[(&str, &str)] = &[
        // Attributes in both quotes, references in values, namespaces on records.
        (
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<c:Company xmlns:c=\"urn:c\" xmlns=\"urn:d\" id='7'>\n  <c:Products kind=\"all &amp; more\">\n    <c:Product sku=\"A&#x20AC;1\" n='&quot;x&apos;'>one</c:Product>\n    <Product>two</Product>\n    <p:Product xmlns:p=\"urn:p\" p:a=\"1\" a=\"2\"/>\n  </c:Products>\n</c:Company>\n",
            "/Company/Products/Product",
        ),
        // CDATA, comments and processing instructions inside and between records.
        (
            "<?xml version=\"1.0\"?>\n<?style x?>\n<!-- head -->\n<Company>\n  <Products>\n    <Product><![CDATA[ <not/> & ]]]]><!-- in --><?pi in?></Product>\n    <!-- between -->\n    <?between?>\n    <Product>t</Product>\n    text in the wrapper &amp; more\n    <Product/>\n  </Products>\n</Company>\n<!-- tail --><?tail?>\n",
            "/Company/Products/Product",
        ),
        // Nested same-name elements: only the outer one is a record.
        (
            "<Company><Products><Product><Product><Product/></Product></Product><Product>x<Product>y</Product></Product></Products><Product>not a record</Product></Company>",
            "/Company/Products/Product",
        ),
        // Records under two parents, and wrappers that do not match.
        (
            "<Company>\n <Products>\n  <Product>1</Product>\n  <Product>2</Product>\n </Products>\n <Other><Product>no</Product></Other>\n <Products>\n  <Product>3</Product>\n </Products>\n</Company>",
            "/Company/Products/Product",
        ),
        // A byte order mark, CRLF line ends, whitespace in end tags, `<a />`.
        (
            "\u{feff}<?xml version=\"1.0\"?>\r\n<Company>\r\n\t<Products >\r\n\t\t<Product >a</Product >\r\n\t\t<Product\r\n\t\t\tx=\"1\"\r\n\t\t/>\r\n\t\t<Product />\r\n\t</Products\r\n>\r\n</Company>",
            "/Company/Products/Product",
        ),
        // Entities and character references in text, non-ASCII names.
        (
            "<Firma><Produkte><Größe>&lt;&gt;&amp;&apos;&quot;&#233;&#xE9;日本</Größe><Größe>ü</Größe></Produkte></Firma>",
            "/Firma/Produkte/Größe",
        ),
        // A DOCTYPE with its own entities: the events handle it.
        (
            "<?xml version=\"1.0\"?>\n<!DOCTYPE Company [<!ENTITY shop \"Shop\">]>\n<Company><Products><Product>&shop;</Product><Product>2</Product></Products></Company>",
            "/Company/Products/Product",
        ),
        // Spaces around `=`: outside the fast path's subset, still split.
        (
            "<Company><Products><Product a = \"1\">1</Product><Product a= '2'>2</Product></Products></Company>",
            "/Company/Products/Product",
        ),
        // An attribute predicate and a deeper path.
        (
            "<Company><Products><Product type=\"kit\"><Part>1</Part><Part>2</Part></Product><Product type=\"single\"><Part>3</Part></Product></Products></Company>",
            "/Company/Products/Product[@type='kit']",
        ),
        (
            "<Company><Products><Product type=\"kit\"><Part>1</Part><Part>2</Part></Product><Product><Part>3</Part></Product></Products></Company>",
            "/Company/Products/Product/Part",
        ),
        // No record at all, and a record path that stops at the wrapper.
        (
            "<Company><Products/></Company>",
            "/Company/Products/Product",
        ),
        (
            "<Company>\n  <Products><Product/></Products>\n  <Products/>\n</Company>",
            "/Company/Products",
        ),
    ];
    let mut seen = 0;
    for (xml, record_path) in cases {
        for limit in [1, 2, 200] {
            seen += records(&agree(xml.as_bytes(), record_path, limit));
        }
    }
    assert!(seen > 40, "only {seen} records");
}

#[test]
fn other_encodings_fall_back_and_split_the_same() {
    let latin1: Vec<u8> = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<Company><Products><Product>Caf\xe9</Product><Product>cr\xe8me</Product></Products></Company>\n".to_vec();
    assert_eq!(records(&agree(&latin1, "/Company/Products/Product", 1)), 2);
    let text = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><Company><Products><Product>é</Product><Product>2</Product></Products></Company>";
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    assert_eq!(records(&agree(&utf16, "/Company/Products/Product", 1)), 2);
}

#[test]
fn big_inputs_split_the_same_across_read_buffer_boundaries() {
    // About 3 MB: records, a long comment and long text runs cross the 1 MiB reads.
    let mut xml = products(6000);
    let comment = format!("\n  <!-- {} -->", "x".repeat(1_500_000));
    if let Some(at) = xml.find("    <Product>") {
        xml.insert_str(at, &comment);
    }
    let spaces = " \n".repeat(700_000);
    if let Some(at) = xml.rfind("  </Products>") {
        xml.insert_str(at, &spaces);
    }
    let outcome = agree(xml.as_bytes(), "/Company/Products/Product", 1000);
    assert_eq!(records(&outcome), 6000);
    let big_record = format!(
        "<Company><Products><Product>{}</Product><Product>{}</Product></Products></Company>",
        "<Line>é&amp;</Line>".repeat(200_000),
        "t".repeat(3_000_000)
    );
    assert_eq!(
        records(&agree(
            big_record.as_bytes(),
            "/Company/Products/Product",
            1
        )),
        2
    );
}

#[test]
fn damaged_inputs_give_the_same_fault_at_the_same_line_and_column() {
    let original = products(40).into_bytes();
    let mut variants: Vec<Vec<u8>> = (0..original.len())
        .step_by(97)
        .map(|n| original[..n].to_vec())
        .collect();
    for (i, b) in [
        b'<', b'>', b'&', b'"', b'/', 0xff, b'x', b' ', b'=', b'!', b'?',
    ]
    .into_iter()
    .enumerate()
    {
        for at in (i * 5..original.len()).step_by(53) {
            let mut v = original.clone();
            v[at] = b;
            variants.push(v);
        }
    }
    let mut faults = 0;
    for v in &variants {
        if agree(v, "/Company/Products/Product", 7).is_err() {
            faults += 1;
        }
    }
    assert!(faults > 300, "only {faults} faults seen");
}

#[test]
fn malformed_xml_is_reported_at_its_line_and_column() {
    let cases: &[(&str, &str)] = &[
        (
            "<Company>\n  <Products>\n    <Product>\n    </Prodct>\n  </Products>\n</Company>",
            "line 4, column",
        ),
        (
            "<Company>\n<Products><Product a=\"1\" a=\"2\"/></Products></Company>",
            "line 2",
        ),
        (
            "<Company><Products><Product>&nope;</Product></Products></Company>",
            "line 1",
        ),
        (
            "<Company><Products>\n<Product>x</Product>\n</Products></Company>\n<Company/>",
            "line 4",
        ),
        (
            "<Company><Products><Product><!-- a -- b --></Product></Products></Company>",
            "line 1",
        ),
    ];
    for (xml, at) in cases {
        let Err(message) = agree(xml.as_bytes(), "/Company/Products/Product", 1) else {
            panic!("accepted: {xml}");
        };
        assert!(message.contains(at), "{message} should say {at}");
    }
}
