//! Integration tests of `zynk::split`: real files in temp folders, both modes.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use miette::Diagnostic;
use zynk::split::{ChildPath, Selection, SplitError, SplitReport, select_child_path, split_file};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/split")
}

fn fixture(name: &str) -> PathBuf {
    fixtures().join(name)
}

fn tempdir() -> tempfile::TempDir {
    match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(e) => panic!("cannot make a temp dir: {e}"),
    }
}

fn path(s: &str) -> ChildPath {
    ChildPath::parse(s).unwrap_or_else(|| panic!("not a child path: {s}"))
}

fn stream(
    input: &Path,
    record_path: &str,
    limit: usize,
    out: &Path,
) -> Result<SplitReport, SplitError> {
    split_file(input, Selection::Stream(&path(record_path)), limit, out)
}

fn tree(
    input: &Path,
    record_path: &str,
    limit: usize,
    out: &Path,
) -> Result<SplitReport, SplitError> {
    let p = path(record_path);
    let select = |doc: &roxmltree::Document| select_child_path(doc, &p);
    split_file(input, Selection::Tree(&select), limit, out)
}

fn ok(result: Result<SplitReport, SplitError>) -> SplitReport {
    result.unwrap_or_else(|e| panic!("split failed: {:?}", miette::Report::new(e)))
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn write(path: &Path, text: &str) {
    fs::write(path, text).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}

/// Names of every entry in a folder, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

fn products(n: usize) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Company xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" id=\"7\">\n  <Products>\n",
    );
    for i in 1..=n {
        xml.push_str(&format!(
            "    <Product>\n      <Sku>P{i}</Sku>\n      <Name>Crème &amp; {i}</Name>\n    </Product>\n"
        ));
    }
    xml.push_str("  </Products>\n  <!-- groups -->\n  <ProductGroups>\n    <ProductGroup><Name>G</Name></ProductGroup>\n  </ProductGroups>\n</Company>\n");
    xml
}

fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

/// Runs both modes and asserts they wrote the same files with the same bytes.
fn both(input: &Path, record_path: &str, limit: usize) -> (SplitReport, Vec<Vec<u8>>) {
    let (a, b) = (tempdir(), tempdir());
    let sa = stream(input, record_path, limit, a.path());
    let tb = tree(input, record_path, limit, b.path());
    let (sa, tb) = match (sa, tb) {
        (Ok(s), Ok(t)) => (s, t),
        (s, t) => panic!(
            "{} {record_path} limit {limit}: stream {:?} / tree {:?}",
            input.display(),
            s.err(),
            t.err()
        ),
    };
    assert_eq!(sa.records, tb.records, "{} {record_path}", input.display());
    assert_eq!(
        listing(a.path()),
        listing(b.path()),
        "{} {record_path}",
        input.display()
    );
    let mut contents = Vec::new();
    for (x, y) in sa.chunks.iter().zip(&tb.chunks) {
        let (bx, by) = (
            fs::read(x).unwrap_or_default(),
            fs::read(y).unwrap_or_default(),
        );
        assert!(
            bx == by,
            "{} {record_path} limit {limit}: {} differs\n--- stream\n{}\n--- tree\n{}",
            input.display(),
            x.display(),
            String::from_utf8_lossy(&bx),
            String::from_utf8_lossy(&by)
        );
        contents.push(bx);
    }
    (sa, contents)
}

#[test]
fn splits_450_records_at_200_into_200_200_50() {
    let dir = tempdir();
    let input = dir.path().join("x.xml");
    write(&input, &products(450));
    let out = dir.path().join("chunks");
    for report in [
        ok(stream(&input, "/Company/Products/Product", 200, &out)),
        ok(tree(&input, "/Company/Products/Product", 200, &out)),
    ] {
        assert_eq!(report.records, 450);
        assert_eq!(
            report.chunks,
            vec![
                out.join("x_1.xml"),
                out.join("x_2.xml"),
                out.join("x_3.xml")
            ]
        );
        let counts: Vec<usize> = report
            .chunks
            .iter()
            .map(|c| count(&read(c), "<Product>"))
            .collect();
        assert_eq!(counts, vec![200, 200, 50]);
        assert_eq!(listing(&out), vec!["x_1.xml", "x_2.xml", "x_3.xml"]);
    }
    let (_, chunks) = both(&input, "/Company/Products/Product", 200);
    let first = String::from_utf8_lossy(&chunks[0]).into_owned();
    assert!(first.contains("<Sku>P1</Sku>") && first.contains("<Sku>P200</Sku>"));
    assert!(!first.contains("<Sku>P201</Sku>"));
    let last = String::from_utf8_lossy(&chunks[2]).into_owned();
    assert!(last.contains("<Sku>P401</Sku>") && last.contains("<Sku>P450</Sku>"));
    assert!(input.exists(), "the input is left in place");
}

#[test]
fn chunks_keep_declaration_root_wrappers_and_other_content() {
    let input = fixture("mixed.xml");
    let (report, chunks) = both(&input, "/Company/Products/Product", 2);
    assert_eq!(report.records, 5);
    assert_eq!(chunks.len(), 3);
    for chunk in &chunks {
        let text = String::from_utf8_lossy(chunk);
        assert!(text.starts_with(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<!-- Hand-made"
        ));
        assert!(text.contains("<?zynk-note keep me?>"));
        assert!(text.contains(
            "<c:Company xmlns=\"urn:default\" xmlns:c='urn:company' version=\"2.1\" c:origin='shop &amp; co'>"
        ));
        assert!(
            text.contains("<Products region=\"UK\">") && text.contains("<Products region=\"EU\">")
        );
        assert!(
            text.contains(
                "<ProductGroup><Reference>1</Reference><Name>Ünïcödé</Name></ProductGroup>"
            )
        );
        assert!(text.contains("<!-- first product -->"));
        assert!(text.ends_with("</c:Company>\n<!-- trailing comment -->\n"));
        assert!(
            roxmltree::Document::parse(&text).is_ok(),
            "chunk is well-formed:\n{text}"
        );
    }
}

#[test]
fn whitespace_before_a_record_goes_with_it() {
    let input = fixture("mixed.xml");
    let (_, chunks) = both(&input, "/Company/Products/Product", 2);
    let expected_third = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>
<!-- Hand-made: namespaces, root attributes, entities, CDATA, non-ASCII, records under two parents -->
<?zynk-note keep me?>
<c:Company xmlns=\"urn:default\" xmlns:c='urn:company' version=\"2.1\" c:origin='shop &amp; co'>
  <Products region=\"UK\">
    <!-- first product -->
  </Products>
  <ProductGroups>
    <ProductGroup><Reference>1</Reference><Name>Ünïcödé</Name></ProductGroup>
  </ProductGroups>
  <Products region=\"EU\">
    <Product type=\"single\" id=\"5\">
      Five
    </Product>
  </Products>
</c:Company>
<!-- trailing comment -->
";
    assert_eq!(String::from_utf8_lossy(&chunks[2]), expected_third);
    let second = String::from_utf8_lossy(&chunks[1]);
    // Records stay under their original parents: one in each `Products`.
    assert!(second.contains("    <c:Product type=\"kit\" id=\"3\"/>\n  </Products>"));
    assert!(second.contains(
        "<Products region=\"EU\">\t<Product type=\"kit\" id=\"4\">Four</Product>\n  </Products>"
    ));
}

#[test]
fn entities_cdata_and_non_ascii_survive_byte_for_byte() {
    let input = fixture("mixed.xml");
    let original = fs::read(&input).unwrap_or_default();
    // One chunk holding every record is the input itself.
    let (_, chunks) = both(&input, "/Company/Products/Product", 200);
    assert_eq!(chunks, vec![original]);
    let (_, chunks) = both(&input, "/Company/Products/Product", 1);
    let second = String::from_utf8_lossy(&chunks[1]);
    assert!(second.contains(
        "<Sku>&lt;C&gt;</Sku>\n      <Notes><![CDATA[<b>bold</b> & raw ]]></Notes>\n      <Name>日本 Größe &#233;&#x20AC;</Name>"
    ));
    let first = String::from_utf8_lossy(&chunks[0]);
    assert!(first.contains(
        "<Product type=\"kit\" id='1'><Sku>A&amp;B</Sku><Name>Café Crème</Name></Product>"
    ));
}

#[test]
fn attribute_predicates_select_records() {
    let input = fixture("mixed.xml");
    let (report, chunks) = both(&input, "/Company/Products/Product[@type='kit']", 1);
    assert_eq!(report.records, 3);
    let kits = ["id='1'", "id=\"3\"", "id=\"4\""];
    for (i, chunk) in chunks.iter().enumerate() {
        let text = String::from_utf8_lossy(chunk);
        for (j, kit) in kits.iter().enumerate() {
            assert_eq!(text.contains(kit), i == j, "chunk {i} {kit}");
        }
        // Products that are not records are ordinary content, kept in every chunk.
        assert!(text.contains("id=\"2\"") && text.contains("id=\"5\""));
    }
    let (report, _) = both(
        &input,
        "/Company/Products[@region='EU']/Product[@type='single'][@id='5']",
        10,
    );
    assert_eq!(report.records, 1);
    let (report, _) = both(&input, "/Company[@origin='shop & co']/Products/Product", 10);
    assert_eq!(report.records, 5);
}

#[test]
fn relative_paths_match_from_the_document() {
    let input = fixture("Import Stock Quantities using Stock Transactions.xml");
    let (rel, rel_chunks) = both(&input, "Company/StockTransactions/StockTransaction", 1);
    let (abs, abs_chunks) = both(&input, "/Company/StockTransactions/StockTransaction", 1);
    assert_eq!(rel.records, 1);
    assert_eq!(abs.records, 1);
    assert_eq!(rel_chunks, abs_chunks);
    for chunk in &rel_chunks {
        assert!(
            String::from_utf8_lossy(chunk)
                .starts_with("<?xml version=\"1.0\"?>\n<Company>\n  <StockTransactions>")
        );
    }
}

#[test]
fn zero_matches_write_nothing() {
    let input = fixture("mixed.xml");
    let out = tempdir();
    let target = out.path().join("stock");
    for report in [
        ok(stream(&input, "/Company/Customers/Customer", 200, &target)),
        ok(tree(&input, "/Company/Customers/Customer", 200, &target)),
    ] {
        assert_eq!(
            report,
            SplitReport {
                records: 0,
                chunks: vec![]
            }
        );
    }
    assert!(listing(&target).is_empty());
}

#[test]
fn limit_one_gives_one_record_per_chunk() {
    let dir = tempdir();
    let input = dir.path().join("orders.xml");
    write(&input, &products(5));
    let (report, chunks) = both(&input, "/Company/Products/Product", 1);
    assert_eq!(report.records, 5);
    let names: Vec<String> = report
        .chunks
        .iter()
        .map(|c| {
            c.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(
        names,
        [
            "orders_1.xml",
            "orders_2.xml",
            "orders_3.xml",
            "orders_4.xml",
            "orders_5.xml"
        ]
    );
    for (i, chunk) in chunks.iter().enumerate() {
        let text = String::from_utf8_lossy(chunk);
        assert_eq!(count(&text, "<Product>"), 1);
        assert!(text.contains(&format!("<Sku>P{}</Sku>", i + 1)));
    }
}

#[test]
fn same_named_files_are_overwritten_and_others_kept() {
    let dir = tempdir();
    let input = dir.path().join("x.xml");
    write(&input, &products(3));
    let out = dir.path().join("out");
    fs::create_dir_all(&out).ok();
    write(&out.join("x_1.xml"), "old");
    write(&out.join("unrelated.txt"), "keep");
    let report = ok(stream(&input, "/Company/Products/Product", 2, &out));
    assert_eq!(report.chunks.len(), 2);
    assert!(read(&out.join("x_1.xml")).contains("<Sku>P1</Sku>"));
    assert_eq!(listing(&out), ["unrelated.txt", "x_1.xml", "x_2.xml"]);
}

/// Every distinct element path in a document, from the root down.
fn element_paths(text: &str) -> BTreeSet<String> {
    let mut paths = BTreeSet::new();
    if let Ok(doc) = roxmltree::Document::parse_with_options(
        text,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        },
    ) {
        for node in doc.descendants().filter(|n| n.is_element()) {
            let names: Vec<&str> = node
                .ancestors()
                .filter(|a| a.is_element())
                .map(|a| a.tag_name().name())
                .collect();
            let rev: Vec<&str> = names.into_iter().rev().collect();
            paths.insert(format!("/{}", rev.join("/")));
        }
    }
    paths
}

#[test]
fn stream_and_tree_write_identical_bytes_for_every_fixture_and_path() {
    let mut inputs: Vec<PathBuf> = fs::read_dir(fixtures())
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    inputs.retain(|p| p.extension().is_some_and(|e| e == "xml"));
    inputs.sort();
    assert!(inputs.len() >= 10, "fixtures: {inputs:?}");
    let mut checked = 0;
    for input in &inputs {
        let text = String::from_utf8_lossy(&fs::read(input).unwrap_or_default()).into_owned();
        let options = roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        };
        let doc = roxmltree::Document::parse_with_options(&text, options).ok();
        let records = |p: &str| {
            doc.as_ref()
                .map_or(0, |doc| select_child_path(doc, &path(p)).len())
        };
        let big = text.len() > 64 << 10;
        // Big fixtures: every third path, to keep the test quick.
        for (i, record_path) in element_paths(&text).into_iter().enumerate() {
            if big && i % 3 != 0 {
                continue;
            }
            let n = records(&record_path);
            // Keep the number of chunk files per case small so the test stays quick.
            // Big fixtures get one limit per path, to keep the test quick.
            let limits: &[usize] = if big { &[7] } else { &[1, 3, 200] };
            for &limit in limits.iter().filter(|l| n.div_ceil(**l) <= 12) {
                let (report, chunks) = both(input, &record_path, limit);
                assert!(report.records > 0, "{} {record_path}", input.display());
                for chunk in &chunks {
                    let chunk = String::from_utf8_lossy(chunk);
                    assert!(
                        roxmltree::Document::parse_with_options(
                            &chunk,
                            roxmltree::ParsingOptions {
                                allow_dtd: true,
                                ..Default::default()
                            }
                        )
                        .is_ok(),
                        "{} {record_path}: chunk not well-formed",
                        input.display()
                    );
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 200, "only {checked} cases");
}

#[test]
fn real_sample_product_export_splits_as_zynk_documents() {
    let input = fixture("Stationary & Computer Mart - Product Export.xml");
    let (report, chunks) = both(&input, "/Company/Products/Product", 50);
    assert_eq!(report.records, 105);
    assert_eq!(chunks.len(), 3);
    let names: Vec<String> = report
        .chunks
        .iter()
        .map(|c| {
            c.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(
        names[0],
        "Stationary & Computer Mart - Product Export_1.xml"
    );
    // A file with a byte order mark keeps it.
    let (_, chunks) = both(
        &fixture("Customer with Invoice.xml"),
        "/Company/Customers/Customer",
        1,
    );
    assert!(chunks.iter().all(|c| c.starts_with(b"\xef\xbb\xbf<?xml")));
}

fn assert_malformed(err: SplitError, line: u64, column: u64) {
    match &err {
        SplitError::Malformed {
            line: l,
            column: c,
            path,
            ..
        } => {
            assert_eq!((*l, *c), (line, column), "{err}");
            assert!(path.ends_with("bad.xml"));
        }
        other => panic!("expected malformed XML, got {other:?}"),
    }
    assert_eq!(
        err.code().map(|c| c.to_string()).as_deref(),
        Some("zynk::split::malformed_xml")
    );
}

#[test]
fn malformed_xml_reports_line_and_column_and_leaves_no_chunk() {
    let dir = tempdir();
    let input = dir.path().join("bad.xml");
    // 300 good records (a chunk is already being written) and then a mismatched end tag.
    let mut text = products(300);
    text = text.replace("  </Products>\n", "  </Product>\n");
    write(&input, &text);
    let bad_line = text
        .lines()
        .position(|l| l == "  </Product>")
        .map_or(0, |i| i as u64 + 1);
    let out = dir.path().join("out");
    let Err(err) = stream(&input, "/Company/Products/Product", 100, &out) else {
        panic!("accepted malformed XML")
    };
    assert_malformed(err, bad_line, 3);
    assert!(listing(&out).is_empty(), "left: {:?}", listing(&out));
    let Err(err) = tree(&input, "/Company/Products/Product", 100, &out) else {
        panic!("accepted malformed XML")
    };
    match err {
        SplitError::Malformed { line, .. } => assert_eq!(line, bad_line),
        other => panic!("{other:?}"),
    }
    assert!(listing(&out).is_empty());
}

#[test]
fn malformed_inputs_are_rejected_by_both_modes() {
    let dir = tempdir();
    let input = dir.path().join("bad.xml");
    let cases = [
        ("<a><b></a>", (1, 7)),
        ("<a>\n  <b>\n</a>", (3, 1)),
        ("<a></a><a></a>", (1, 8)),
        ("<a>&nope;</a>", (1, 4)),
        ("<a x='1' x='2'/>", (1, 1)),
        ("<a x='<'/>", (1, 1)),
        ("text<a/>", (1, 1)),
        ("", (1, 1)),
        ("<a>\n<b>\n", (3, 1)),
        ("<a><!-- a -- b --></a>", (1, 4)),
        ("<a>&#0;</a>", (1, 4)),
    ];
    for (text, _) in cases {
        write(&input, text);
        for result in [
            stream(&input, "/a/b", 1, dir.path()),
            tree(&input, "/a/b", 1, dir.path()),
        ] {
            match result {
                Err(SplitError::Malformed { line, column, .. }) => {
                    assert!(line >= 1 && column >= 1, "{text:?}: {line}:{column}");
                }
                other => panic!("{text:?}: {other:?}"),
            }
        }
    }
    write(&input, "<a>\n  <b></c>\n</a>");
    let Err(err) = stream(&input, "/a/b", 1, dir.path()) else {
        panic!("accepted")
    };
    assert_malformed(err, 2, 6);
    let Err(err) = tree(&input, "/a/b", 1, dir.path()) else {
        panic!("accepted")
    };
    assert_malformed(err, 2, 6);
    write(&input, "<a>\n  <b>\u{e9}\u{e9}&bad;</b>\n</a>");
    let Err(err) = stream(&input, "/a/b", 1, dir.path()) else {
        panic!("accepted")
    };
    assert_malformed(err, 2, 8);
    assert_eq!(listing(dir.path()), ["bad.xml"]);
}

#[test]
fn invalid_utf8_is_an_encoding_error_at_the_byte() {
    let dir = tempdir();
    let input = dir.path().join("bad.xml");
    fs::write(&input, b"<a>\n<b>ok\xff</b></a>").ok();
    for result in [
        stream(&input, "/a/b", 1, dir.path()),
        tree(&input, "/a/b", 1, dir.path()),
    ] {
        match result {
            Err(SplitError::Encoding(zynk::xml_input::EncodingError::InvalidByte {
                line,
                column,
                what,
                ..
            })) => assert_eq!((line, column, &*what), (2, 6, "byte 0xFF")),
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn missing_input_zero_limit_and_blocked_output_folder_are_clear_errors() {
    let dir = tempdir();
    let missing = dir.path().join("nope.xml");
    let err = stream(&missing, "/a/b", 1, dir.path()).err();
    assert!(matches!(err, Some(SplitError::NotFound { .. })), "{err:?}");
    assert_eq!(
        err.and_then(|e| e.code().map(|c| c.to_string())).as_deref(),
        Some("zynk::split::input_not_found")
    );

    let input = fixture("mixed.xml");
    let err = stream(&input, "/a/b", 0, dir.path()).err();
    assert!(matches!(err, Some(SplitError::ZeroLimit)), "{err:?}");

    let blocker = dir.path().join("file");
    write(&blocker, "x");
    let err = stream(&input, "/Company/Products/Product", 1, &blocker.join("sub")).err();
    assert!(
        matches!(err, Some(SplitError::OutputFolder { .. })),
        "{err:?}"
    );
    assert_eq!(
        err.and_then(|e| e.code().map(|c| c.to_string())).as_deref(),
        Some("zynk::split::output_folder")
    );

    let err = stream(dir.path(), "/a/b", 1, &dir.path().join("o")).err();
    assert!(matches!(err, Some(SplitError::Read { .. })), "{err:?}");
}

#[cfg(unix)]
#[test]
fn read_only_output_folder_is_a_write_error() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempdir();
    let out = dir.path().join("ro");
    fs::create_dir_all(&out).ok();
    fs::set_permissions(&out, fs::Permissions::from_mode(0o555)).ok();
    if fs::write(out.join("probe"), "x").is_ok() {
        // Running as root: permissions are not enforced, so this cannot be tested here.
        eprintln!("skipped: the output folder is writable despite its mode (root?)");
        return;
    }
    let err = stream(&fixture("mixed.xml"), "/Company/Products/Product", 1, &out).err();
    assert!(matches!(err, Some(SplitError::Write { .. })), "{err:?}");
    fs::set_permissions(&out, fs::Permissions::from_mode(0o755)).ok();
}

#[test]
fn tree_selectors_must_return_separate_elements() {
    let dir = tempdir();
    let input = fixture("mixed.xml");
    let text_nodes = |doc: &roxmltree::Document| {
        doc.descendants()
            .filter(|n| n.is_text())
            .map(|n| n.id())
            .collect()
    };
    let err = split_file(&input, Selection::Tree(&text_nodes), 1, dir.path()).err();
    assert!(
        matches!(err, Some(SplitError::NotAnElement { kind: "text", .. })),
        "{err:?}"
    );

    let nested = |doc: &roxmltree::Document| {
        doc.descendants()
            .filter(|n| {
                n.is_element() && n.tag_name().name() == "Product" || n.tag_name().name() == "Sku"
            })
            .map(|n| n.id())
            .collect()
    };
    let err = split_file(&input, Selection::Tree(&nested), 1, dir.path()).err();
    match err {
        Some(SplitError::NestedRecords { line, column, .. }) => assert_eq!((line, column), (7, 32)),
        other => panic!("{other:?}"),
    }
    assert!(listing(dir.path()).is_empty());

    // Duplicates and any order are fine: records are a set, taken in document order.
    let shuffled = |doc: &roxmltree::Document| {
        let mut ids: Vec<_> = doc
            .descendants()
            .filter(|n| n.is_element() && n.tag_name().name() == "Product")
            .map(|n| n.id())
            .collect();
        ids.reverse();
        ids.extend(ids.clone());
        ids
    };
    let report = ok(split_file(
        &input,
        Selection::Tree(&shuffled),
        2,
        dir.path(),
    ));
    let (expected, chunks) = both(&input, "/Company/Products/Product", 2);
    assert_eq!(
        report.records, 5,
        "the prefixed c:Product matches by local name too"
    );
    assert_eq!(expected.records, 5);
    let shuffled_chunks: Vec<Vec<u8>> = report
        .chunks
        .iter()
        .map(|c| fs::read(c).unwrap_or_default())
        .collect();
    assert_eq!(shuffled_chunks, chunks);
}

#[test]
fn a_big_skeleton_spills_and_still_matches_tree_mode() {
    let dir = tempdir();
    let input = dir.path().join("big.xml");
    let mut text = String::from("<?xml version=\"1.0\"?>\n<Company>\n  <Products>\n");
    let filler = format!("<!-- {} -->", "z".repeat(1000));
    for i in 0..60 {
        text.push_str(&format!(
            "    <Product><Sku>{i}</Sku></Product>\n    <Note>"
        ));
        for _ in 0..100 {
            text.push_str(&filler);
        }
        text.push_str("</Note>\n");
    }
    text.push_str("  </Products>\n</Company>\n");
    write(&input, &text);
    let (report, chunks) = both(&input, "/Company/Products/Product", 25);
    assert_eq!(report.records, 60);
    assert_eq!(chunks.len(), 3);
    assert!(chunks.iter().all(|c| c.len() > text.len() / 2));
}

#[test]
fn damaged_inputs_never_panic_and_the_modes_agree_when_both_succeed() {
    let original = fs::read(fixture("mixed.xml")).unwrap_or_default();
    let dir = tempdir();
    let input = dir.path().join("bad.xml");
    let mut variants: Vec<Vec<u8>> = (0..original.len())
        .step_by(3)
        .map(|n| original[..n].to_vec())
        .collect();
    for (i, b) in [b'<', b'>', b'&', b'"', b'/', 0xff, b'x']
        .into_iter()
        .enumerate()
    {
        for at in (i * 7..original.len()).step_by(61) {
            let mut v = original.clone();
            v[at] = b;
            variants.push(v);
        }
    }
    let (mut agreed, mut differed) = (0, 0);
    let mut first = None;
    for v in &variants {
        fs::write(&input, v).ok();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        let s = stream(&input, "/Company/Products/Product", 2, &a);
        let t = tree(&input, "/Company/Products/Product", 2, &b);
        match (&s, &t) {
            (Ok(s), Ok(t)) => {
                let read_all = |r: &SplitReport| {
                    r.chunks
                        .iter()
                        .map(|c| fs::read(c).unwrap_or_default())
                        .collect::<Vec<_>>()
                };
                assert_eq!(read_all(s), read_all(t), "{}", String::from_utf8_lossy(v));
                agreed += 1;
            }
            (Err(_), Err(_)) => agreed += 1,
            _ => {
                differed += 1;
                first.get_or_insert_with(|| {
                    format!(
                        "stream {:?} / tree {:?} on\n{}",
                        s.err(),
                        t.err(),
                        String::from_utf8_lossy(v)
                    )
                });
            }
        }
        for out in [&a, &b] {
            let left: Vec<String> = listing(out)
                .into_iter()
                .filter(|n| n.starts_with('.'))
                .collect();
            assert!(left.is_empty(), "temporary files left: {left:?}");
            fs::remove_dir_all(out).ok();
        }
    }
    assert_eq!(
        differed, 0,
        "the modes disagree on {differed} inputs, first: {first:?}"
    );
    assert!(agreed > 300);
}

/// A small deterministic generator of random documents.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n.max(1)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

fn random_content(rng: &mut Lcg, out: &mut String, depth: usize) {
    let spaces = ["", " ", "\n", "\n  ", "\t", "\r\n    "];
    for _ in 0..rng.below(6) {
        out.push_str(rng.pick(&spaces));
        match rng.below(9) {
            0 => out.push_str("<!-- c -->"),
            1 => out.push_str("<![CDATA[ <x> & ]]>"),
            2 => out.push_str("<?pi data?>"),
            3 => out.push_str("t&amp;é&#x20AC;"),
            _ if depth < 4 => {
                let name = rng.pick(&["Product", "Products", "c:Product", "Item", "Group"]);
                let attrs = rng.pick(&[
                    "",
                    " type=\"kit\"",
                    " type='single' id=\"1\"",
                    " xmlns:c=\"urn:c\"",
                ]);
                if rng.below(4) == 0 {
                    out.push_str(&format!("<{name}{attrs}/>"));
                } else {
                    out.push_str(&format!("<{name}{attrs}>"));
                    random_content(rng, out, depth + 1);
                    out.push_str(&format!("</{name}>"));
                }
            }
            _ => out.push_str("text"),
        }
    }
    out.push_str(rng.pick(&spaces));
}

#[test]
fn random_documents_split_identically_in_both_modes() {
    let dir = tempdir();
    let input = dir.path().join("random.xml");
    let mut rng = Lcg(7);
    let paths = [
        "/Company/Products/Product",
        "/Company/Products",
        "/Company/Products/Product/Product",
        "/Company/Products/Product[@type='kit']",
        "/Company/Group/Item",
        "/Company",
    ];
    let mut records = 0;
    for _ in 0..300 {
        let mut text = String::from(rng.pick(&[
            "",
            "<?xml version=\"1.0\"?>\n",
            "\u{feff}<?xml version='1.0' encoding='utf-8'?>",
        ]));
        text.push_str("<!-- head -->\n<Company xmlns:c=\"urn:c\" a=\"1\">");
        random_content(&mut rng, &mut text, 1);
        text.push_str("</Company>\n");
        write(&input, &text);
        for record_path in paths {
            let limit = 1 + rng.below(3) as usize;
            let (report, _) = both(&input, record_path, limit);
            records += report.records;
        }
    }
    assert!(records > 400, "only {records} records seen");
}
