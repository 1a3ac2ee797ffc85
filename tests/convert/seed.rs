//! The seed workflow: the same program as `scripts/website-sage50.zynk`, run against the shop.
use std::path::Path;

use zynk::check::{CompiledStatement, Program};

use crate::convert::{check, convert};

const SEED: &str = "samples/Website Script Based Sage 50 Integration.wkf";

/// A statement's compiled form without its spans, nested statements included.
fn shape(statements: &[CompiledStatement]) -> Vec<(String, bool, String)> {
    statements
        .iter()
        .map(|s| {
            (
                s.name.to_string(),
                s.continue_on_failure,
                without_spans(&format!("{:?}", s.step)),
            )
        })
        .collect()
}

/// Debug text with every `span: Span { … }` and `line: N` taken out: where a statement is
/// written is not what it does.
fn without_spans(debug: &str) -> String {
    let mut out = String::new();
    let mut rest = debug;
    loop {
        let span = rest.find("span: Span {");
        let line = rest.find("line: ");
        let at = match (span, line) {
            (Some(s), Some(l)) => s.min(l),
            (Some(a), None) | (None, Some(a)) => a,
            (None, None) => break,
        };
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        let end = if after.starts_with("span") {
            after.find('}').map_or(after.len(), |e| e + 1)
        } else {
            after.find(',').unwrap_or(after.len())
        };
        rest = after[end..].trim_start_matches(", ");
    }
    out.push_str(rest);
    out
}

fn hand_written(site: &str) -> Program {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/website-sage50.zynk");
    let text = std::fs::read_to_string(path).expect("script");
    // The workflow walks every chunk (`*.*`); the script narrows that to the `.xml` chunks
    // split writes, which are all there is. Everything else must be the same.
    let narrowed = r#"foreach file in "Stock Export" matching "*.xml" {"#;
    assert!(text.contains(narrowed), "the seed script's foreach changed");
    let text = text.replace(narrowed, r#"foreach file in "Stock Export" {"#);
    check(
        "website-sage50.zynk",
        &text,
        &[("site".into(), site.into())],
    )
}

fn converted(site: &str) -> Program {
    let conversion = convert(SEED);
    let vars = [
        ("Url_Download".to_string(), format!("{site}/zynk/download")),
        ("Url_Notify".to_string(), format!("{site}/zynk/notify")),
        ("Url_Upload".to_string(), format!("{site}/zynk/upload")),
    ];
    check("converted.zynk", &conversion.script, &vars)
}

#[test]
fn seed_converts_to_the_program_of_the_hand_written_script() {
    let site = "http://127.0.0.1:9";
    let hand = hand_written(site);
    let conv = converted(site);
    assert_eq!(conv.workflow, hand.workflow);
    let hand = shape(&hand.statements);
    let conv = shape(&conv.statements);
    let names: Vec<&str> = conv.iter().map(|(n, _, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "fetch",
            "import customers",
            "import sales orders",
            "notify",
            "notify",
            "export stock",
            "split",
            "foreach",
            "archive"
        ]
    );
    assert_eq!(conv.len(), hand.len());
    for (h, c) in hand.iter().zip(&conv) {
        assert_eq!(c, h, "converted (left) and hand-written (right) differ");
    }
}

#[test]
fn the_converted_seed_runs_against_the_demo_shop() {
    use zynk::demo::{INVALID_ORDER_ID, Shop, ShopState, seed_ledger};
    use zynk::ledger::Ledger;

    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).expect("data");
    seed_ledger(&Ledger::open(&data.join("ledger.sqlite")).expect("ledger")).expect("seed");
    let shop = Shop::start(&dir.path().join("shop.sqlite"), "127.0.0.1:0").expect("shop");
    let script = dir.path().join("converted.zynk");
    std::fs::write(&script, convert(SEED).script).expect("write");
    let site = shop.url();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_zynk"))
        .arg("run")
        .arg(&script)
        .arg("--data")
        .arg(&data)
        .args(["--var", &format!("Url_Download={site}/zynk/download")])
        .args(["--var", &format!("Url_Notify={site}/zynk/notify")])
        .args(["--var", &format!("Url_Upload={site}/zynk/upload")])
        .env("NO_COLOR", "1")
        .output()
        .expect("zynk");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let ledger = Ledger::open(&data.join("ledger.sqlite")).expect("ledger");
    let state = ShopState::open(&dir.path().join("shop.sqlite")).expect("shop state");
    let orders = state.orders().expect("orders");
    assert_eq!(orders.len(), 200);
    assert_eq!(ledger.orders().expect("orders").len(), 199);
    for order in &orders {
        assert_eq!(
            order.posted,
            order.id != INVALID_ORDER_ID,
            "order {}",
            order.id
        );
    }
    let free: std::collections::HashMap<String, f64> = ledger
        .products()
        .expect("products")
        .into_iter()
        .map(|p| (p.stock_code.clone(), p.free_stock().max(0.0)))
        .collect();
    let products = state.products().expect("site products");
    assert_eq!(products.len(), 1000);
    for (sku, _, stock) in products {
        #[allow(clippy::cast_precision_loss)]
        let site_stock = stock as f64;
        assert_eq!(free.get(&sku).copied(), Some(site_stock), "{sku}");
    }
    let workdir = data.join("Website Script Based Sage 50 Integration");
    let archives = std::fs::read_dir(workdir.join("Archive"))
        .expect("archive")
        .count();
    assert_eq!(archives, 1, "the run ends by archiving its files");
}
