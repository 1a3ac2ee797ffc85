//! Task-level failures: missing input, malformed XML with line and column, unwritable output.
use zynk::ledger::{CustomerImportOptions, ImportError};

use crate::ledger::common::{Env, TestResult, fixture};

#[test]
fn a_missing_input_is_not_found() -> TestResult {
    let mut env = Env::new()?;
    let err = env
        .customers(&env.path("download.xml"), &CustomerImportOptions::default())
        .err();
    assert!(matches!(err, Some(ImportError::NotFound { .. })));
    assert_eq!(err.map(|e| e.result_code()), Some("NotFound"));
    assert!(
        !env.path("customer_success.xml").exists(),
        "no output for a missing input"
    );
    Ok(())
}

#[test]
fn malformed_xml_names_file_line_and_column_and_imports_nothing() -> TestResult {
    let mut env = Env::new()?;
    let sample = fixture("Stationary & Computer Mart - Customer Export.xml");
    match env.customers(&sample, &CustomerImportOptions::default()) {
        Err(ImportError::MalformedXml {
            path,
            line,
            column,
            message,
        }) => {
            assert_eq!(path, sample);
            assert_eq!((line, column), (3248, 72), "{message}");
            assert!(message.contains("&#x0;"), "{message}");
        }
        other => {
            return Err(
                format!("expected malformed XML, got {:?}", other.map(|o| o.report)).into(),
            );
        }
    }
    assert!(env.ledger.customers()?.is_empty());

    let broken = env.write(
        "broken.xml",
        "<Customers>\n  <Customer><Id>1</Id><CompanyName>A</Customer>\n</Customers>",
    )?;
    match env.customers(&broken, &CustomerImportOptions::default()) {
        Err(e @ ImportError::MalformedXml { line: 4, .. }) => assert_eq!(e.result_code(), "Fail"),
        other => return Err(format!("expected line 4, got {:?}", other.map(|o| o.report)).into()),
    }
    let wrong_root = env.path("wrong.xml");
    std::fs::write(&wrong_root, "<Orders><Order/></Orders>")?;
    let err = env
        .customers(&wrong_root, &CustomerImportOptions::default())
        .err();
    // Well-formed XML with another root is a shop's own export, not a broken file.
    assert!(
        matches!(
            &err,
            Some(ImportError::Input(zynk::connect::ConnectError::NotConnectXml { root, .. }))
                if root == "Orders"
        ),
        "{err:?}"
    );
    assert_eq!(err.map(|e| e.result_code()), Some("Fail"));
    Ok(())
}

#[test]
fn unwritable_output_fails_and_rolls_back() -> TestResult {
    let mut env = Env::new()?;
    let input = env.write(
        "in.xml",
        &format!(
            "<Customers>{}</Customers>",
            crate::ledger::common::customer("1", "Acme", "")
        ),
    )?;
    let blocker = env.path("blocked");
    std::fs::write(&blocker, "a file, not a folder")?;
    let success = blocker.join("customer_success.xml");
    let fail = env.path("customer_fail.xml");
    let err = zynk::ledger::import_customers(
        &mut env.ledger,
        &env.state,
        crate::ledger::common::WORKFLOW,
        &input,
        &success,
        &fail,
        &CustomerImportOptions::default(),
    )
    .err();
    assert!(
        matches!(err, Some(ImportError::OutputUnwritable { .. })),
        "{err:?}"
    );
    assert!(env.ledger.customers()?.is_empty());
    assert!(!fail.exists());
    Ok(())
}

#[test]
fn empty_input_writes_both_files_with_empty_collections() -> TestResult {
    let mut env = Env::new()?;
    let input = env.write("empty.xml", "<Customers />")?;
    let out = env.customers(&input, &CustomerImportOptions::default())?;
    assert_eq!(out.report.result_code(), "SuccessNoData");
    for text in [&out.success_text, &out.fail_text] {
        assert!(text.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Company"));
        assert!(text.contains("  <Products />\n") && text.contains("  <Customers />\n"));
    }
    Ok(())
}

#[test]
fn a_byte_order_mark_crlf_and_character_references_are_read() -> TestResult {
    let env = Env::new()?;
    let path = env.path("bom.xml");
    std::fs::create_dir_all(path.parent().ok_or("no parent")?)?;
    std::fs::write(
        &path,
        b"\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<Company>\r\n<Customers><Customer><Id>1</Id><CompanyName>A &amp; B &#233;</CompanyName><Memo>x\r\ny</Memo></Customer></Customers></Company>",
    )?;
    let nodes = zynk::connect::read_all(&path, "Customers", "Customer")?;
    assert_eq!(nodes[0].text_of("CompanyName"), Some("A & B \u{e9}"));
    assert_eq!(nodes[0].text_of("Memo"), Some("x\ny"));
    Ok(())
}
