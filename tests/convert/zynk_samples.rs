//! Zynk's own stylesheets (its public samples repository, MIT, in
//! `tests/fixtures/convert/zynk-samples/`): every one converts to a script that checks, and
//! those listed in `AGREE` write what xsltproc writes (its output committed in `expected/`
//! by `scripts/convert-eval --write-expected`; the test never calls xsltproc).
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::convert::xml_text::canonical_local;

/// The stylesheets whose script writes the same document as xsltproc, as measured by
/// `scripts/convert-eval`. Any other that agrees is reported, not failed.
const AGREE: &[&str] = &[
    "Amazon Order to Zynk Invoices.xslt",
    "Amazon Order to Zynk Sales Orders.xslt",
    "BigCommerce to Connect Customers and Invoices.xslt",
    "Interspire to Connect Invoices.xslt",
    "MrSite to Connect Invoices.xslt",
    "PayPal Transaction to Zynk Sales Receipts.xslt",
    "ShopSite to Connect Invoices.xslt",
    "Tiger Commerce to Connect Invoices.xslt",
    "Volusion to Connect Customers and Invoices.xslt",
    "Xcart to Connect Invoices.xslt",
    "ePages to Connect Customers and Invoices.xslt",
    "From BigCommerce Orders To Zynk XML Sales Orders.xslt",
    "Channel Advisor Orders to Zynk Sales Orders.xslt",
    "Zynk Customers to CoreCommerce Customers.xslt",
    "Zynk Products to CoreCommerce Products.xslt",
    "Zynk Sales Orders to CoreCommerce Order Status Updates.xslt",
    "From Zynk XML Products To EasyWebstore Inventory.xslt",
    "From EasyWebstore Orders To Zynk XML Sales Orders.xslt",
    "Zynk Customer to Salesforce Account.xslt",
    "Zynk Product to Salesforce Product.xslt",
    "From Shopify Orders To Zynk XML Sales Orders.xslt",
    "Zynk Sales Orders to Sugar Opportunity Updates.xslt",
    "Sage Products to Magento Products.xslt",
    "CSV_Integration.xslt",
    "Excel_Integration.xslt",
    "Salesforce Opportunities to Zynk Customers and Sales Orders.xslt",
    "Sugar Opportunities to Zynk Sales Orders.xslt",
    "From eBay Orders To Zynk XML Sales Orders.xslt",
    "BusinessCatalyst to Connect Invoices v2.xslt",
];

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/convert/zynk-samples")
}

/// A line of `cases.tsv`.
struct Case {
    stylesheet: String,
    input: String,
    params: Vec<(String, String)>,
    /// Files of `inputs/` put beside the stylesheet.
    tables: Vec<String>,
}

fn cases() -> Vec<Case> {
    let text = std::fs::read_to_string(samples().join("cases.tsv")).expect("cases.tsv");
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|line| {
            let mut parts = line.split('\t');
            let stylesheet = parts.next().unwrap_or_default().to_string();
            let input = parts.next().unwrap_or_default().to_string();
            let params = parts
                .next()
                .unwrap_or_default()
                .split(';')
                .filter_map(|p| p.split_once('='))
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect();
            let tables = parts
                .next()
                .unwrap_or_default()
                .split(';')
                .filter(|f| !f.is_empty())
                .map(str::to_string)
                .collect();
            Case {
                stylesheet,
                input,
                params,
                tables,
            }
        })
        .collect()
}

fn zynk(args: &[String], dir: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_zynk"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("zynk")
}

#[test]
fn zynks_own_stylesheets_convert_to_scripts_that_check_and_agree_with_xsltproc() {
    let mut agree = Vec::new();
    let mut disagree = Vec::new();
    for Case {
        stylesheet,
        input,
        params,
        tables,
    } in cases()
    {
        let source = samples().join(&stylesheet);
        let name = source
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let dir = tempfile::tempdir().expect("temp");
        // The stylesheet's folder comes along: files it looks up or imports.
        for entry in std::fs::read_dir(source.parent().expect("folder")).expect("folder") {
            let path = entry.expect("entry").path();
            if path.is_file() {
                std::fs::copy(&path, dir.path().join(path.file_name().expect("name")))
                    .expect("copy");
            }
        }
        for table in &tables {
            std::fs::copy(samples().join("inputs").join(table), dir.path().join(table))
                .expect("table");
        }
        let arg = |s: &str| s.to_string();
        let converted = zynk(
            &[arg("convert"), name.clone(), arg("-o"), arg("s.zynk")],
            dir.path(),
        );
        assert!(
            matches!(converted.status.code(), Some(0 | 3)),
            "{name}: convert failed\n{}",
            String::from_utf8_lossy(&converted.stderr)
        );
        let checked = zynk(&[arg("check"), arg("s.zynk")], dir.path());
        assert!(
            checked.status.success(),
            "{name}: the script does not check\n{}",
            String::from_utf8_lossy(&checked.stderr)
        );
        let stem = name.trim_end_matches(".xslt");
        let expected = samples().join("expected").join(format!("{stem}.xml"));
        if input.is_empty() || !expected.exists() {
            assert!(
                !AGREE.contains(&name.as_str()),
                "{name}: no expected output"
            );
            continue;
        }
        let input = [
            samples().join(&input),
            samples().join("inputs").join(&input),
        ]
        .into_iter()
        .find(|p| p.exists())
        .unwrap_or_else(|| panic!("{name}: no input {input}"));
        let mut args = vec![
            arg("run"),
            arg("s.zynk"),
            arg("--data"),
            dir.path().join("data").to_string_lossy().into_owned(),
            arg("--var"),
            format!("input={}", input.display()),
            arg("--var"),
            format!("output={}", dir.path().join("zynk.xml").display()),
        ];
        for (n, v) in &params {
            args.push(arg("--var"));
            args.push(format!("{}={v}", n.replace('-', "_")));
        }
        let ran = zynk(&args, dir.path());
        let same = ran.status.success() && {
            let got = std::fs::read_to_string(dir.path().join("zynk.xml")).expect("output");
            let want = std::fs::read_to_string(&expected).expect("expected");
            for (what, text) in [("zynk's output", &got), ("expected", &want)] {
                if let Err(e) = roxmltree::Document::parse(text) {
                    panic!("{name}: {what} is not XML: {e}");
                }
            }
            canonical_local(&got) == canonical_local(&want)
        };
        if same {
            agree.push(name);
        } else {
            disagree.push(name);
        }
    }
    eprintln!(
        "{} agree with xsltproc: {agree:?}\nnot yet: {disagree:?}",
        agree.len()
    );
    for name in AGREE {
        assert!(
            agree.iter().any(|a| a == name),
            "{name} no longer agrees with xsltproc"
        );
    }
}
