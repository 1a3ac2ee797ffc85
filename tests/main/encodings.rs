//! XML in other encodings than UTF-8, end to end: the demo shop's legacy modes over real
//! HTTP, the Zynk samples converted to other encodings, and the diagnostics for a file that
//! is not in the encoding it declares.
use std::path::Path;

use encoding_rs::{Encoding, ISO_8859_15, UTF_16BE, UTF_16LE, WINDOWS_1252};
use zynk::demo::{DEFAULT_SEED, DIE_TEXT, Legacy, LegacyEncoding, Shop, seed_ledger};
use zynk::ledger::Ledger;

use crate::harness::{Outcome, Project};
use crate::support::server::{TestResponse, TestServer};

/// Fetch, both imports, `split` in both modes and `map` in both modes of one download.
const LEGACY_SCRIPT: &str = r#"workflow "t"
param site = "http://127.0.0.1:1"
fetch "${site}/zynk/download" to "download.xml"
import customers from "download.xml" success "cs.xml" fail "cf.xml"
import sales orders from "download.xml" success "ss.xml" fail "sf.xml"
split "download.xml" by xpath `/Company/SalesOrders/SalesOrder` limit 7 into "chunks"
split "download.xml" by xpath `//SalesOrder[Id]` limit 7 into "chunks_tree"
map "download.xml" to "mapped.xml" {
    for each `/Company/Customers/Customer` as "Customers/Customer" {
        "Id" = `Id`
        "CompanyName" = `CompanyName`
        "CustomerInvoiceAddress/Forename" = `CustomerInvoiceAddress/Forename`
        "CustomerInvoiceAddress/Surname" = `CustomerInvoiceAddress/Surname`
    }
}
map "download.xml" to "mapped_tree.xml" {
    for each `//Customer[Id]` as "Customers/Customer" {
        "Id" = `Id`
        "CompanyName" = `CompanyName`
        "CustomerInvoiceAddress/Forename" = `CustomerInvoiceAddress/Forename`
        "CustomerInvoiceAddress/Surname" = `CustomerInvoiceAddress/Surname`
    }
}
"#;

fn sample(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/connect")
            .join(name),
    )
    .expect("sample")
}

fn run(project: &Project, vars: &[&str]) -> Outcome {
    let mut args = vec!["run", "script.zynk", "--data", "data"];
    for var in vars {
        args.push("--var");
        args.push(var);
    }
    project.zynk(&args)
}

/// A project with a seeded ledger, and a shop that sends its download in `encoding`, its XML
/// declaration true or (`wrong_declaration`) still saying `utf-8`.
fn legacy_shop(encoding: LegacyEncoding, wrong_declaration: bool) -> (Project, Shop) {
    let project = Project::new();
    std::fs::create_dir_all(project.path("data")).expect("data");
    let ledger = Ledger::open(&project.path("data/ledger.sqlite")).expect("ledger");
    seed_ledger(&ledger).expect("seed ledger");
    drop(ledger);
    let settings = Legacy {
        encoding: Some(encoding),
        errors_as_200: false,
        wrong_declaration,
    };
    let shop = Shop::start_legacy(
        &project.path("shop.sqlite"),
        "127.0.0.1:0",
        DEFAULT_SEED,
        settings,
    )
    .expect("shop");
    (project, shop)
}

fn ledger_json(project: &Project, what: &str) -> serde_json::Value {
    let out = project.zynk(&["ledger", what, "--format", "json", "--data", "data"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    serde_json::from_str(&out.stdout).expect("json")
}

fn strings(value: &serde_json::Value, field: &str) -> Vec<String> {
    value
        .as_array()
        .expect("rows")
        .iter()
        .filter_map(|row| row.get(field)?.as_str().map(String::from))
        .collect()
}

fn decode(bytes: &[u8], encoding: &'static Encoding) -> String {
    let (text, _, malformed) = encoding.decode(bytes);
    assert!(!malformed, "not {}", encoding.name());
    text.into_owned()
}

/// The chunk files of a folder, in chunk order.
fn chunks(dir: &Path) -> Vec<Vec<u8>> {
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .expect("chunk folder")
        .map(|e| e.expect("entry").path())
        .collect();
    names.sort_by_key(|p| {
        let stem = p.file_stem().expect("stem").to_string_lossy().into_owned();
        stem.rsplit('_')
            .next()
            .and_then(|n| n.parse::<u32>().ok())
            .expect("numbered chunk")
    });
    names
        .iter()
        .map(|p| std::fs::read(p).expect("chunk"))
        .collect()
}

#[test]
fn legacy_shop_downloads_import_split_and_map_with_exact_names() {
    for (legacy, encoding) in [
        (LegacyEncoding::Latin1, WINDOWS_1252),
        (LegacyEncoding::Windows1252, WINDOWS_1252),
        (LegacyEncoding::Utf16, UTF_16LE),
    ] {
        let (project, shop) = legacy_shop(legacy, false);

        // The shop says what it sends, in the header and in the declaration.
        let response =
            reqwest::blocking::get(format!("{}/zynk/download", shop.url())).expect("download");
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .map(String::from);
        assert_eq!(
            content_type,
            Some(format!("application/xml; charset={}", legacy.label()))
        );

        project.write("script.zynk", LEGACY_SCRIPT);
        let out = run(&project, &[&format!("site={}", shop.url())]);
        assert_eq!(out.code, 0, "{legacy:?}\n{}{}", out.stdout, out.stderr);

        let work = project.workdir("t");
        let raw = std::fs::read(work.join("download.xml")).expect("download.xml");
        assert!(
            std::str::from_utf8(&raw).is_err(),
            "{legacy:?}: sent as UTF-8"
        );
        let body = raw.strip_prefix(b"\xFF\xFE").map_or(&raw[..], |rest| rest);
        let text = decode(body, encoding);
        assert!(
            text.starts_with(&format!(
                "<?xml version=\"1.0\" encoding=\"{}\"?>",
                legacy.label()
            )),
            "{legacy:?}: {}",
            &text[..60.min(text.len())]
        );
        let doc = roxmltree::Document::parse(&text).expect("the download parses");
        let sent = all_text(&doc);
        let seeded: Vec<&str> = legacy
            .names()
            .iter()
            .flat_map(|(f, s, c)| [*f, *s, *c])
            .filter(|name| sent.contains(name))
            .collect();
        assert!(
            seeded.len() >= 3,
            "{legacy:?}: few seeded names sent: {seeded:?}"
        );

        // Every downloaded customer is in the ledger under exactly its name.
        let customers = ledger_json(&project, "customers");
        let names = strings(&customers, "name");
        let contacts = strings(&customers, "contact");
        let mut checked = 0;
        for customer in doc.descendants().filter(|n| n.has_tag_name("Customer")) {
            let field = |path: &[&str]| {
                let mut node = customer;
                for step in path {
                    node = node.children().find(|c| c.has_tag_name(*step))?;
                }
                node.text().map(str::to_string)
            };
            let company = field(&["CompanyName"]).unwrap_or_default();
            let surname = field(&["CustomerInvoiceAddress", "Surname"]).unwrap_or_default();
            if company.is_empty() {
                assert!(
                    contacts.iter().any(|c| c.ends_with(&surname)),
                    "{legacy:?}: {surname} not in {contacts:?}"
                );
            } else {
                assert!(
                    names.contains(&company),
                    "{legacy:?}: {company} not in {names:?}"
                );
            }
            if !company.is_ascii() || !surname.is_ascii() {
                checked += 1;
            }
        }
        assert!(checked > 0, "{legacy:?}: no non-ASCII customer downloaded");
        let all_names = format!("{names:?}{contacts:?}");
        let orders = doc
            .descendants()
            .filter(|n| n.has_tag_name("SalesOrder"))
            .count();
        assert!(orders > 7, "{legacy:?}: {orders} orders");
        assert!(
            seeded.iter().any(|name| all_names.contains(name)),
            "{legacy:?}: {all_names}"
        );

        // split: chunks in the input's encoding, with its declaration and its own bytes.
        let stream = chunks(&work.join("chunks"));
        let tree = chunks(&work.join("chunks_tree"));
        assert_eq!(stream, tree, "{legacy:?}: stream and tree chunks differ");
        assert_eq!(stream.len(), orders.div_ceil(7), "{legacy:?}");
        let declaration = &text[..text.find("?>").expect("declaration") + 2];
        let mut records = 0;
        for chunk in &stream {
            assert!(chunk.starts_with(&raw[..40]), "{legacy:?}: chunk head");
            let body = chunk
                .strip_prefix(b"\xFF\xFE")
                .map_or(&chunk[..], |rest| rest);
            let text = decode(body, encoding);
            assert!(text.starts_with(declaration), "{legacy:?}: {text}");
            records += text.matches("<SalesOrder>").count();
            let first = text.find("<SalesOrder>").expect("a record");
            let last = text.rfind("</SalesOrder>").expect("a record") + "</SalesOrder>".len();
            let records_bytes = encode_chunk(legacy, &text[first..last]);
            assert!(
                contains(body, &records_bytes),
                "{legacy:?}: chunk records are not the input's bytes"
            );
        }
        assert_eq!(records, orders, "{legacy:?}");

        // map: UTF-8 output, saying so, with the names intact; both modes agree.
        let mapped = std::fs::read(work.join("mapped.xml")).expect("mapped.xml");
        let mapped = String::from_utf8(mapped).expect("map output is UTF-8");
        assert!(mapped.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>"));
        let mapped_tree = std::fs::read_to_string(work.join("mapped_tree.xml")).expect("tree");
        assert_eq!(mapped, mapped_tree, "{legacy:?}");
        let mapped_doc = roxmltree::Document::parse(&mapped).expect("map output parses");
        let mapped_text = all_text(&mapped_doc);
        assert!(
            seeded.iter().any(|name| mapped_text.contains(name)),
            "{legacy:?}: {mapped}"
        );
        shop.stop();
    }
}

/// A chunk's text as the chunk's bytes (UTF-16 by hand: WHATWG encoders do not write it).
fn encode_chunk(legacy: LegacyEncoding, text: &str) -> Vec<u8> {
    match legacy {
        LegacyEncoding::Utf16 => text.encode_utf16().flat_map(u16::to_le_bytes).collect(),
        _ => WINDOWS_1252.encode(text).0.into_owned(),
    }
}

/// Every text node of a document, joined.
fn all_text(doc: &roxmltree::Document) -> String {
    doc.descendants()
        .filter_map(|n| n.text())
        .collect::<Vec<_>>()
        .join("\n")
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn errors_as_200_answer_like_php_die() {
    let dir = tempfile::tempdir().expect("temp dir");
    let settings = Legacy {
        encoding: None,
        errors_as_200: true,
        wrong_declaration: false,
    };
    let shop = Shop::start_legacy(
        &dir.path().join("shop.sqlite"),
        "127.0.0.1:0",
        DEFAULT_SEED,
        settings,
    )
    .expect("shop");
    let client = reqwest::blocking::Client::new();
    shop.fail_notify(1);
    let notify = client
        .post(format!("{}/zynk/notify", shop.url()))
        .body(sample(
            "Customer with Sales Order and Card Payment [NOTIFY] .xml",
        ))
        .send()
        .expect("notify");
    assert_eq!(notify.status().as_u16(), 200);
    assert_eq!(notify.text().expect("body").trim(), DIE_TEXT);
    let bad = client
        .post(format!("{}/zynk/upload", shop.url()))
        .body("not xml")
        .send()
        .expect("upload");
    assert_eq!(bad.status().as_u16(), 200);
    assert!(
        bad.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("text/html")),
    );
    let missing = client
        .get(format!("{}/nothing-here", shop.url()))
        .send()
        .expect("get");
    assert_eq!(missing.status().as_u16(), 200);
    assert!(missing.text().expect("body").contains("no such endpoint"));
    // Without the setting the same failure is a 500.
    let strict_dir = tempfile::tempdir().expect("temp dir");
    let strict = Shop::start(&strict_dir.path().join("shop.sqlite"), "127.0.0.1:0").expect("shop");
    strict.fail_notify(1);
    let failed = client
        .post(format!("{}/zynk/notify", strict.url()))
        .body("<Company/>")
        .send()
        .expect("notify");
    assert_eq!(failed.status().as_u16(), 500);
}

/// The DOWNLOAD sample with non-ASCII names.
fn download_with_names(names: (&str, &str, &str)) -> String {
    let (forename, surname, company) = names;
    sample("Customer with Sales Order and Card Payment [DOWNLOAD].xml")
        .replace(
            "<CompanyName>Internetware</CompanyName>",
            &format!("<CompanyName>{company}</CompanyName>"),
        )
        .replace(
            "<Forename>Test</Forename>",
            &format!("<Forename>{forename}</Forename>"),
        )
        .replace(
            "<Surname>Person</Surname>",
            &format!("<Surname>{surname}</Surname>"),
        )
}

fn encode_as(text: &str, encoding: &'static Encoding, label: &str) -> Vec<u8> {
    let declared = text.replacen("encoding=\"utf-8\"", &format!("encoding=\"{label}\""), 1);
    if encoding == UTF_16BE {
        let mut bytes = vec![0xFE, 0xFF];
        bytes.extend(declared.encode_utf16().flat_map(u16::to_be_bytes));
        return bytes;
    }
    let (bytes, _, unmappable) = encoding.encode(&declared);
    assert!(!unmappable, "{label} cannot hold the text");
    bytes.into_owned()
}

#[test]
fn zynk_samples_in_other_encodings_import_with_exact_names() {
    for (encoding, label, names) in [
        (WINDOWS_1252, "ISO-8859-1", ("Zoë", "Brontë", "Café Crème")),
        (
            WINDOWS_1252,
            "windows-1252",
            ("Seán", "O’Brien", "“Best” Bikes €uro"),
        ),
        (ISO_8859_15, "ISO-8859-15", ("Zoë", "Šimůnek", "Œuvre €")),
        (UTF_16BE, "UTF-16", ("Łukasz", "Dvořák", "東京 Café")),
    ] {
        // ISO-8859-15 has no ů: keep what the encoding can hold.
        let names = if label == "ISO-8859-15" {
            ("Zoë", "Šimek", "Œuvre €")
        } else {
            names
        };
        let project = Project::new();
        let bytes = encode_as(&download_with_names(names), encoding, label);
        std::fs::create_dir_all(project.workdir("t")).expect("workdir");
        std::fs::write(project.workdir("t").join("download.xml"), &bytes).expect("write");
        project.write(
            "script.zynk",
            "workflow \"t\"\nimport customers from \"download.xml\" success \"cs.xml\" fail \"cf.xml\"\nimport sales orders from \"download.xml\" success \"ss.xml\" fail \"sf.xml\"\n",
        );
        let out = run(&project, &[]);
        assert_eq!(out.code, 0, "{label}\n{}{}", out.stdout, out.stderr);
        assert!(
            out.stdout.contains("1 customer: 1 imported, 0 failed"),
            "{label}: {}",
            out.stdout
        );
        let customers = ledger_json(&project, "customers");
        assert_eq!(strings(&customers, "name"), [names.2], "{label}");
        assert_eq!(
            strings(&customers, "contact"),
            [format!("Mr {} {}", names.0, names.1)],
            "{label}"
        );
        // The success file is UTF-8, says so, and carries the names unchanged.
        let success = std::fs::read(project.workdir("t").join("cs.xml")).expect("success");
        let success = String::from_utf8(success).expect("success file is UTF-8");
        assert!(success.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>"));
        assert!(success.contains(&format!("<CompanyName>{}</CompanyName>", names.2)));
    }
}

#[test]
fn split_of_a_latin1_sample_keeps_its_bytes() {
    let project = Project::new();
    let original = sample("Stationary & Computer Mart - Product Export.xml");
    let mut n = 0;
    let renamed: String = original
        .split_inclusive("<Name>")
        .map(|piece| {
            n += 1;
            if n % 3 == 0 {
                piece.replacen("</Name>", " – Zoë’s Café</Name>", 1)
            } else {
                piece.to_string()
            }
        })
        .collect();
    let renamed = renamed.replacen(
        "<?xml version=\"1.0\"?>",
        "<?xml version=\"1.0\" encoding=\"windows-1252\"?>",
        1,
    );
    assert!(renamed.starts_with("<?xml version=\"1.0\" encoding=\"windows-1252\"?>"));
    let (bytes, _, unmappable) = WINDOWS_1252.encode(&renamed);
    assert!(!unmappable);
    std::fs::create_dir_all(project.workdir("t")).expect("workdir");
    std::fs::write(project.workdir("t").join("products.xml"), &bytes).expect("write");
    project.write(
        "script.zynk",
        "workflow \"t\"\nsplit \"products.xml\" by xpath `/Company/Products/Product` limit 1000 into \"whole\"\nsplit \"products.xml\" by xpath `/Company/Products/Product` limit 20 into \"parts\"\n",
    );
    let out = run(&project, &[]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let whole = chunks(&project.workdir("t").join("whole"));
    assert_eq!(
        whole,
        [bytes.to_vec()],
        "one chunk of every record is the input"
    );
    let parts = chunks(&project.workdir("t").join("parts"));
    assert_eq!(parts.len(), 6);
    let total: usize = parts
        .iter()
        .map(|p| decode(p, WINDOWS_1252).matches("<Product>").count())
        .sum();
    assert_eq!(total, 105);
    assert!(contains(&parts[0], b"Zo\xEB\x92s Caf\xE9"));
}

/// The DOWNLOAD sample with `Café` written in Latin-1 under a UTF-8 declaration, and the
/// line and column of the bad byte.
fn mislabelled_download() -> (Vec<u8>, usize, usize) {
    let text = sample("Customer with Sales Order and Card Payment [DOWNLOAD].xml").replace(
        "<CompanyName>Internetware</CompanyName>",
        "<CompanyName>Café Crème</CompanyName>",
    );
    let line = text
        .lines()
        .position(|l| l.contains("Café"))
        .expect("the line")
        + 1;
    let column = text
        .lines()
        .nth(line - 1)
        .and_then(|l| l.find('é'))
        .expect("the column")
        + 1;
    let (bytes, _, _) = WINDOWS_1252.encode(&text);
    (bytes.into_owned(), line, column)
}

/// Rendered diagnostics as one line of words (miette wraps at the terminal width).
fn flat(text: &str) -> String {
    text.split_whitespace()
        .filter(|w| *w != "│")
        .collect::<Vec<_>>()
        .join(" ")
}

/// Replaces the project folder in rendered output, and joins wrapped lines' paths.
fn normalised(text: &str, project: &Project) -> String {
    text.replace(&project.path("").display().to_string(), "[project]/")
}

#[test]
fn a_download_declared_utf8_with_a_latin1_byte_points_at_the_byte() {
    let (bytes, line, column) = mislabelled_download();
    let server = TestServer::start(move |_| {
        TestResponse::ok(bytes.clone()).header("Content-Type", "application/xml; charset=utf-8")
    });
    let project = Project::new();
    project.write(
        "script.zynk",
        "workflow \"t\"\nparam site = \"x\"\nfetch \"${site}/zynk/download\" to \"download.xml\"\n",
    );
    let fetched = run(&project, &[&format!("site={}", server.url(""))]);
    assert_eq!(fetched.code, 0, "{}{}", fetched.stdout, fetched.stderr);
    let expected = format!("byte 0xE9 at {line}:{column} is not UTF-8");
    for (name, statement) in [
        (
            "import",
            "import customers from \"download.xml\" success \"cs.xml\" fail \"cf.xml\"",
        ),
        (
            "split",
            "split \"download.xml\" by xpath `/Company/SalesOrders/SalesOrder` limit 1 into \"chunks\"",
        ),
        (
            "split_tree",
            "split \"download.xml\" by xpath `//SalesOrder[Id]` limit 1 into \"chunks\"",
        ),
        (
            "map",
            "map \"download.xml\" to \"mapped.xml\" {\n    for each `/Company/Customers/Customer` as \"Customers/Customer\" {\n        \"CompanyName\" = `CompanyName`\n    }\n}",
        ),
        (
            "map_tree",
            "map \"download.xml\" to \"mapped.xml\" {\n    for each `//Customer[Id]` as \"Customers/Customer\" {\n        \"CompanyName\" = `CompanyName`\n    }\n}",
        ),
    ] {
        project.write("script.zynk", &format!("workflow \"t\"\n{statement}\n"));
        let out = run(&project, &[]);
        assert_eq!(out.code, 1, "{name}: {}{}", out.stdout, out.stderr);
        let stderr = flat(&out.stderr);
        assert!(
            stderr.contains("zynk::encoding::invalid_byte"),
            "{name}: {stderr}"
        );
        assert!(stderr.contains(&expected), "{name}: {stderr}");
        assert!(
            stderr.contains("the file may be ISO-8859-1"),
            "{name}: {stderr}"
        );
        insta::assert_snapshot!(
            format!("mislabelled_download_{name}"),
            normalised(&out.stderr, &project)
        );
    }
    let chunk_dir = project.workdir("t").join("chunks");
    assert!(!chunk_dir.exists() || chunks(&chunk_dir).is_empty());
    assert!(!project.workdir("t").join("mapped.xml").exists());
    assert_eq!(
        ledger_json(&project, "customers").as_array().map(Vec::len),
        Some(0)
    );

    let xpath = project.zynk(&["xpath", "count(//Customer)", "data/t/download.xml"]);
    assert_eq!(xpath.code, 1, "{}", xpath.stdout);
    assert!(flat(&xpath.stderr).contains(&expected), "{}", xpath.stderr);
    insta::assert_snapshot!(
        "mislabelled_download_xpath",
        normalised(&xpath.stderr, &project)
    );
}

#[test]
fn hostile_records_are_refused_with_limits() {
    let project = Project::new();
    std::fs::create_dir_all(project.workdir("t")).expect("workdir");
    let mut deep = String::from("<Company><Customers><Customer><Id>1</Id>\n");
    for _ in 0..20_000 {
        deep.push_str("<a>");
    }
    for _ in 0..20_000 {
        deep.push_str("</a>");
    }
    deep.push_str("</Customer></Customers></Company>\n");
    std::fs::write(project.workdir("t").join("deep.xml"), &deep).expect("write");
    let mut big = String::from("<Company><Customers><Customer><Id>1</Id>\n<CompanyName>");
    big.push_str(&"x".repeat(9 << 20));
    big.push_str("</CompanyName></Customer></Customers></Company>\n");
    std::fs::write(project.workdir("t").join("big.xml"), &big).expect("write");
    for (file, code, position) in [
        (
            "deep.xml",
            "zynk::connect::too_deep",
            "more than 64 levels deep at line 2, column 193",
        ),
        (
            "big.xml",
            "zynk::connect::field_too_large",
            "the text at line 2, column 14",
        ),
    ] {
        project.write(
            "script.zynk",
            &format!(
                "workflow \"t\"\nimport customers from \"{file}\" success \"cs.xml\" fail \"cf.xml\"\n"
            ),
        );
        let out = run(&project, &[]);
        assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
        let stderr = flat(&out.stderr);
        assert!(stderr.contains(code), "{stderr}");
        assert!(stderr.contains(position), "{stderr}");
        insta::assert_snapshot!(
            format!("hostile_{}", file.trim_end_matches(".xml")),
            normalised(&out.stderr, &project)
        );
    }
    let ledger = ledger_json(&project, "customers");
    assert_eq!(ledger.as_array().map(Vec::len), Some(0), "nothing imported");
}

#[test]
fn a_script_saved_with_a_utf8_bom_runs() {
    let project = Project::new();
    std::fs::create_dir_all(project.workdir("t")).expect("workdir");
    std::fs::write(
        project.path("script.zynk"),
        "\u{FEFF}workflow \"t\"\nlog \"hello\"\n",
    )
    .expect("write");
    let out = run(&project, &[]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let checked = project.zynk(&["check", "script.zynk"]);
    assert_eq!(checked.code, 0, "{}{}", checked.stdout, checked.stderr);
}

#[test]
fn foreach_over_records_of_a_latin1_file_reads_names_exactly() {
    let project = Project::new();
    let bytes = encode_as(
        &download_with_names(("Zoë", "Brontë", "Café Crème")),
        WINDOWS_1252,
        "ISO-8859-1",
    );
    std::fs::create_dir_all(project.workdir("t")).expect("workdir");
    std::fs::write(project.workdir("t").join("download.xml"), &bytes).expect("write");
    project.write(
        "script.zynk",
        "workflow \"t\"\nforeach c in \"download.xml\" by xpath `/Company/Customers/Customer` {\n    write \"${c `CompanyName`}\" to \"stream.txt\"\n}\nforeach c in \"download.xml\" by xpath `//Customer[Id]` {\n    write \"${c `CompanyName`}\" to \"tree.txt\"\n}\n",
    );
    let out = run(&project, &[]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    for file in ["stream.txt", "tree.txt"] {
        let text = std::fs::read_to_string(project.workdir("t").join(file)).expect(file);
        assert_eq!(text.trim_end(), "Café Crème", "{file}");
    }
}

#[test]
fn customer_and_invoice_exports_take_the_encoding_option() {
    let project = Project::new();
    let connect = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/connect");
    let invoice =
        std::fs::read_to_string(connect.join("Customer with Invoice.xml")).expect("sample");
    project.write("data/t/invoice.xml", &invoice);
    project.write(
        "data/t/customers.xml",
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Company><Customers><Customer><Id>77</Id><AccountReference>CAFE01</AccountReference><CompanyName>Café Crème € \u{201C}x\u{201D}</CompanyName><CustomerInvoiceAddress><Forename>Zoë</Forename><Surname>Brontë</Surname></CustomerInvoiceAddress></Customer></Customers></Company>",
    );
    let script = project.script(
        r#"workflow "t"
import customers from "customers.xml" success "cs.xml" fail "cf.xml"
import customers from "invoice.xml" success "cs2.xml" fail "cf2.xml"
import invoices from "invoice.xml" success "is.xml" fail "if.xml"
export customers all to "customers_latin1.xml" encoding "ISO-8859-1"
export invoices all to "invoices_1252.xml" encoding "windows-1252"
"#,
    );
    let out = project.zynk(&["run", script.to_str().expect("utf-8")]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let contains = |bytes: &[u8], needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    let customers = std::fs::read(project.path("data/t/customers_latin1.xml")).expect("written");
    assert!(
        customers.starts_with(b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>"),
        "{}",
        String::from_utf8_lossy(&customers)
    );
    assert!(
        contains(
            &customers,
            b"<CompanyName>Caf\xE9 Cr\xE8me &#8364; &#8220;x&#8221;</CompanyName>"
        ),
        "{}",
        String::from_utf8_lossy(&customers)
    );
    let invoices = std::fs::read(project.path("data/t/invoices_1252.xml")).expect("written");
    assert!(
        invoices.starts_with(b"<?xml version=\"1.0\" encoding=\"windows-1252\"?>"),
        "{}",
        String::from_utf8_lossy(&invoices)
    );
    assert!(contains(&invoices, b"<Invoice>"), "no invoice exported");

    let typo = project
        .script("workflow \"t\"\nexport customers all to \"c.xml\" encoding \"ISO-8895-1\"\n");
    let bad = project.zynk(&["check", typo.to_str().expect("utf-8")]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(
        bad.stderr.contains("zynk::check::unknown_encoding"),
        "{}",
        bad.stderr
    );
}

#[test]
fn an_iso_8859_1_invoice_file_imports_names_exactly() {
    let project = Project::new();
    let connect = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/connect");
    let sample =
        std::fs::read_to_string(connect.join("Customer with Invoice.xml")).expect("sample");
    let text = sample
        .trim_start_matches('\u{feff}')
        .replace("encoding=\"utf-8\"", "encoding=\"ISO-8859-1\"")
        .replace("Internetware", "Café Crème Brontë");
    let (bytes, _, lossy) = encoding_rs::WINDOWS_1252.encode(&text);
    assert!(!lossy);
    assert!(bytes.contains(&0xE9), "the file carries Latin-1 bytes");
    std::fs::create_dir_all(project.path("data/t")).expect("dir");
    std::fs::write(project.path("data/t/invoice.xml"), &bytes).expect("write");
    let script = project.script(
        r#"workflow "t"
import customers from "invoice.xml" success "cs.xml" fail "cf.xml"
import invoices from "invoice.xml" success "is.xml" fail "if.xml"
"#,
    );
    let out = project.zynk(&["run", script.to_str().expect("utf-8")]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("1 imported"), "{}", out.stdout);
    let ledger = Ledger::open(&project.path("data/ledger.sqlite")).expect("ledger");
    let invoices = ledger.invoices().expect("invoices");
    assert_eq!(invoices.len(), 1);
    let customer = ledger
        .customer(&invoices[0].account_ref)
        .expect("query")
        .expect("the invoice's account");
    assert_eq!(customer.name, "Café Crème Brontë");
}

#[test]
fn an_iso_8859_1_transaction_file_posts_its_details_exactly() {
    let project = Project::new();
    let connect = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/connect");
    let sample =
        std::fs::read_to_string(connect.join("Sales Receipt on Account.xml")).expect("sample");
    let text = sample
        .trim_start_matches('\u{feff}')
        .replace("encoding=\"utf-8\"", "encoding=\"ISO-8859-1\"")
        .replace(
            "Payment on Account via website",
            "Règlement reçu, café crème",
        )
        .replace("INV#456", "Réf £120");
    let (bytes, _, lossy) = encoding_rs::WINDOWS_1252.encode(&text);
    assert!(!lossy);
    assert!(
        bytes.contains(&0xE8) && bytes.contains(&0xA3),
        "the file carries Latin-1 bytes"
    );
    std::fs::create_dir_all(project.path("data/t")).expect("dir");
    std::fs::write(project.path("data/t/receipts.xml"), &bytes).expect("write");
    std::fs::write(
        project.path("data/t/customers.xml"),
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Company><Customers><Customer><Id>1001</Id>\
         <AccountReference>ABC001</AccountReference><CompanyName>ABC Ltd</CompanyName>\
         </Customer></Customers></Company>\n",
    )
    .expect("write");
    let script = project.script(
        r#"workflow "t"
import customers from "customers.xml" success "cs.xml" fail "cf.xml"
import transactions from "receipts.xml" success "ts.xml" fail "tf.xml"
"#,
    );
    let out = project.zynk(&["run", script.to_str().expect("utf-8")]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let ledger = Ledger::open(&project.path("data/ledger.sqlite")).expect("ledger");
    let transactions = ledger.transactions().expect("transactions");
    assert_eq!(transactions.len(), 1, "{}", out.stdout);
    assert_eq!(
        transactions[0].details.as_deref(),
        Some("Règlement reçu, café crème")
    );
    assert_eq!(transactions[0].reference.as_deref(), Some("Réf £120"));
    assert_eq!(transactions[0].amount, 120.0);
}

/// Zynk's CS-Cart scripts send ISO-8859-1 bytes with a true `Content-Type` charset and a
/// false `encoding="utf-8"` declaration. RFC 7303 gives the charset precedence: the saved
/// download declares what its bytes are, the run warns that the site declares wrongly, and the
/// seed workflow imports every name exactly.
#[test]
fn a_download_whose_declaration_lies_is_saved_as_its_charset_says_and_imports_exactly() {
    let (project, shop) = legacy_shop(LegacyEncoding::Latin1, true);
    let raw = reqwest::blocking::get(format!("{}/zynk/download", shop.url()))
        .and_then(|r| r.bytes())
        .expect("download");
    assert!(raw.starts_with(b"<?xml version=\"1.0\" encoding=\"utf-8\"?>"));
    assert!(std::str::from_utf8(&raw).is_err(), "latin1 bytes");

    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/website-sage50.zynk");
    let out = project.zynk(&[
        "run",
        seed.to_str().expect("utf-8"),
        "--data",
        "data",
        "--var",
        &format!("site={}", shop.url()),
    ]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        flat(&out.stdout)
            .contains("declares encoding utf-8 but its Content-Type says charset=ISO-8859-1"),
        "{}",
        out.stdout
    );
    let text = decode(&raw, WINDOWS_1252);
    let doc = roxmltree::Document::parse(&text).expect("the download parses as latin1");
    let customers = ledger_json(&project, "customers");
    let names = strings(&customers, "name");
    let mut checked = 0;
    for customer in doc.descendants().filter(|n| n.has_tag_name("Customer")) {
        let company = customer
            .children()
            .find(|c| c.has_tag_name("CompanyName"))
            .and_then(|c| c.text())
            .unwrap_or_default()
            .to_string();
        if !company.is_empty() && !company.is_ascii() {
            assert!(names.contains(&company), "{company} not in {names:?}");
            checked += 1;
        }
    }
    assert!(checked > 0, "no non-ASCII company downloaded");
    shop.stop();
}
