//! Stock export: all/new/modified, the watermark (taken at start, saved after writing), published only.
use zynk::connect::{Product, read_all};
use zynk::ledger::{ExportMode, export_stock, export_stock_task};

use crate::ledger::common::{Env, TestResult, WORKFLOW};

fn product(sku: &str, publish: bool) -> Product {
    Product {
        sku: sku.into(),
        name: Some(format!("{sku} name")),
        sale_price: 1.5,
        qty_in_stock: 10.0,
        publish,
        item_type: "Stock".into(),
        ..Default::default()
    }
}

fn skus(path: &std::path::Path) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    Ok(read_all(path, "Products", "Product")?
        .iter()
        .map(|n| n.text_of("Sku").unwrap_or("").to_string())
        .collect())
}

#[test]
fn modified_exports_only_what_changed_since_the_last_successful_export() -> TestResult {
    let env = Env::new()?;
    for sku in ["A1", "B2", "C3"] {
        env.ledger.upsert_product(&product(sku, false))?;
    }
    let out = env.path("product_export.xml");
    let first = export_stock(
        &env.ledger,
        &env.state,
        WORKFLOW,
        ExportMode::Modified,
        false,
        &out,
    )?;
    assert_eq!(
        (first.products, first.since),
        (3, None),
        "no watermark yet: everything"
    );
    let second = export_stock(
        &env.ledger,
        &env.state,
        WORKFLOW,
        ExportMode::Modified,
        false,
        &out,
    )?;
    assert_eq!(second.products, 0);
    assert_eq!(second.result_code(), "SuccessNoData");
    assert!(std::fs::read_to_string(&out)?.contains("<Products />"));

    env.ledger.set_stock("B2", 4.0)?;
    env.ledger.upsert_product(&product("D4", false))?;
    // A failed write (the output is a folder) must not move the watermark.
    let folder = env.path("is_a_folder");
    std::fs::create_dir_all(folder.join("x"))?;
    assert!(
        export_stock(
            &env.ledger,
            &env.state,
            WORKFLOW,
            ExportMode::Modified,
            false,
            &folder
        )
        .is_err()
    );
    export_stock(
        &env.ledger,
        &env.state,
        WORKFLOW,
        ExportMode::Modified,
        false,
        &out,
    )?;
    assert_eq!(skus(&out)?, ["B2", "D4"]);
    let b2 = Product::from_node(&read_all(&out, "Products", "Product")?[0])?;
    assert_eq!(b2.qty_in_stock, 4.0);
    Ok(())
}

#[test]
fn new_takes_created_records_only_and_all_ignores_the_watermark() -> TestResult {
    let env = Env::new()?;
    env.ledger.upsert_product(&product("A1", false))?;
    let out = env.path("new.xml");
    export_stock_task(
        &env.ledger,
        &env.state,
        WORKFLOW,
        "new",
        ExportMode::New,
        false,
        &out,
    )?;
    env.ledger.set_stock("A1", 1.0)?;
    env.ledger.upsert_product(&product("B2", false))?;
    export_stock_task(
        &env.ledger,
        &env.state,
        WORKFLOW,
        "new",
        ExportMode::New,
        false,
        &out,
    )?;
    assert_eq!(skus(&out)?, ["B2"]);
    let all = export_stock_task(
        &env.ledger,
        &env.state,
        WORKFLOW,
        "new",
        ExportMode::All,
        false,
        &out,
    )?;
    assert_eq!(all.products, 2);
    Ok(())
}

#[test]
fn published_only_filters_on_the_web_flag() -> TestResult {
    let env = Env::new()?;
    env.ledger.upsert_product(&product("A1", true))?;
    env.ledger.upsert_product(&product("B2", false))?;
    let out = env.path("pub.xml");
    export_stock(
        &env.ledger,
        &env.state,
        WORKFLOW,
        ExportMode::All,
        true,
        &out,
    )?;
    assert_eq!(skus(&out)?, ["A1"]);
    env.ledger.set_published("B2", true)?;
    export_stock(
        &env.ledger,
        &env.state,
        WORKFLOW,
        ExportMode::Modified,
        true,
        &out,
    )?;
    assert_eq!(skus(&out)?, ["B2"]);
    Ok(())
}

#[test]
fn exports_have_zynks_product_shape() -> TestResult {
    let env = Env::new()?;
    env.ledger.upsert_product(&product("A1", true))?;
    let out = env.path("shape.xml");
    export_stock(
        &env.ledger,
        &env.state,
        WORKFLOW,
        ExportMode::All,
        false,
        &out,
    )?;
    let text = std::fs::read_to_string(&out)?;
    assert!(text.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Company xmlns:xsi="));
    let node = &read_all(&out, "Products", "Product")?[0];
    let names: Vec<&str> = node
        .children
        .iter()
        .take(4)
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(names, ["UniqueId", "Sku", "Barcode", "Name"]);
    for field in [
        "QtyInStock",
        "QtyAllocated",
        "QtyOnOrder",
        "Publish",
        "DateModified",
        "ItemType",
    ] {
        assert!(node.child(field).is_some(), "{field}");
    }
    Ok(())
}
