//! The mappings of scripts/maps that use distinct records, lookups and output shapes, run through the CLI on sample files: Connect products out to a shop, WooCommerce orders in with one customer per e-mail.

use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `scripts/maps/SCRIPT` with `files` (name in the working directory, source) and
/// returns the file `output` it wrote, parsed.
fn run(script: &str, files: &[(&str, PathBuf)], output: &str) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = std::fs::read_to_string(root().join("scripts/maps").join(script)).expect("script");
    let workflow = text
        .lines()
        .find_map(|l| l.strip_prefix("workflow \""))
        .and_then(|l| l.strip_suffix('"'))
        .expect("a workflow line");
    let work = dir.path().join(workflow);
    std::fs::create_dir_all(&work).expect("mkdir");
    for (name, source) in files {
        std::fs::copy(source, work.join(name)).expect("copy");
    }
    let out = Command::new(env!("CARGO_BIN_EXE_zynk"))
        .arg("run")
        .arg("--data")
        .arg(dir.path())
        .arg(root().join("scripts/maps").join(script))
        .env("NO_COLOR", "1")
        .output()
        .expect("run zynk");
    assert!(
        out.status.success(),
        "{script} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read_to_string(work.join(output)).expect("output")
}

fn product_export() -> PathBuf {
    root().join("tests/fixtures/xpath/docs/product-export.xml")
}

fn children<'a, 'i>(node: roxmltree::Node<'a, 'i>, name: &str) -> Vec<roxmltree::Node<'a, 'i>> {
    node.children().filter(|c| c.has_tag_name(name)).collect()
}

fn text<'a>(node: roxmltree::Node<'a, '_>, path: &str) -> Option<&'a str> {
    let mut current = node;
    for name in path.split('/') {
        current = current.children().find(|c| c.has_tag_name(name))?;
    }
    current.text()
}

#[test]
fn connect_products_become_a_magento_catalogue() {
    let xml = run(
        "connect-products-to-magento.zynk",
        &[("products.xml", product_export())],
        "magento_products.xml",
    );
    let doc = roxmltree::Document::parse(&xml).expect("well-formed");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "products");
    let products = children(root, "product");
    let source = std::fs::read_to_string(product_export()).expect("source");
    let published = source.matches("<Publish>true</Publish>").count();
    assert_eq!(products.len(), published);
    let first = products[0];
    assert_eq!(first.attribute("website"), Some("base"));
    assert_eq!(text(first, "sku"), Some("BOARD001"));
    assert_eq!(text(first, "price"), Some("20.00"));
    assert_eq!(
        text(first, "extension_attributes/stock_item/qty"),
        Some("5")
    );
    assert_eq!(
        text(first, "extension_attributes/stock_item/is_in_stock"),
        Some("1")
    );
    let attributes = children(
        first
            .children()
            .find(|c| c.has_tag_name("custom_attributes"))
            .expect("custom_attributes"),
        "custom_attribute",
    );
    let codes: Vec<_> = attributes
        .iter()
        .filter_map(|a| text(*a, "attribute_code"))
        .collect();
    assert_eq!(codes, ["description", "category_path"]);
    assert_eq!(
        text(attributes[1], "value"),
        Some("Office Equipment/Presentation Supplies/Whiteboards")
    );
    let second = products[1];
    assert_eq!(
        text(second, "extension_attributes/stock_item/is_in_stock"),
        Some("0")
    );
}

#[test]
fn connect_stock_becomes_a_shop_inventory_feed() {
    let xml = run(
        "connect-stock-to-inventory.zynk",
        &[("products.xml", product_export())],
        "inventory.xml",
    );
    let doc = roxmltree::Document::parse(&xml).expect("well-formed");
    let root = doc.root_element();
    assert_eq!(
        root.tag_name().namespace(),
        Some("urn:example:shop:inventory:1")
    );
    let items = children(
        root.children()
            .find(|c| c.has_tag_name("items"))
            .expect("items"),
        "item",
    );
    assert_eq!(items.len(), 105);
    let first = items[0];
    assert_eq!(first.attribute("sku"), Some("BOARD001"));
    assert_eq!(first.attribute("location"), Some("WAREHOUSE-1"));
    assert_eq!(text(first, "quantity"), Some("5"));
    assert_eq!(text(first, "status"), Some("in_stock"));
    assert_eq!(text(items[1], "status"), Some("out_of_stock"));
    let price = first
        .children()
        .find(|c| c.has_tag_name("price"))
        .expect("price");
    assert_eq!(
        (price.text(), price.attribute("currency")),
        (Some("20.00"), Some("GBP"))
    );
}

#[test]
fn woocommerce_orders_give_one_customer_per_email_and_lookups() {
    let tables = root().join("scripts/maps/tables");
    let xml = run(
        "woocommerce-customers.zynk",
        &[
            (
                "woocommerce_orders.xml",
                root().join("tests/fixtures/map/woocommerce_repeat_orders.xml"),
            ),
            ("payment-accounts.csv", tables.join("payment-accounts.csv")),
            ("nominal-codes.csv", tables.join("nominal-codes.csv")),
        ],
        "orders.xml",
    );
    let doc = roxmltree::Document::parse(&xml).expect("well-formed");
    let company = doc.root_element();
    let section = |name: &str| {
        company
            .children()
            .find(|c| c.has_tag_name(name))
            .expect(name)
    };
    let customers = children(section("Customers"), "Customer");
    let orders = children(section("SalesOrders"), "SalesOrder");
    assert_eq!(orders.len(), 4);
    assert_eq!(text(orders[3], "AccountReference"), Some("CHLOEMAR"));
    let references: Vec<_> = customers
        .iter()
        .filter_map(|c| text(*c, "AccountReference"))
        .collect();
    assert_eq!(
        references,
        ["CHLOEMAR", "MATEUSZ", "ZOE"],
        "one customer per e-mail"
    );
    assert_eq!(text(orders[0], "PaymentType"), Some("Card"));
    assert_eq!(text(orders[0], "BankAccount"), Some("1220"));
    assert_eq!(text(orders[0], "PaymentAmount"), Some("65.95"));
    assert_eq!(text(orders[2], "PaymentType"), Some("Other"));
    assert_eq!(text(orders[2], "BankAccount"), None);
    assert_eq!(
        text(orders[0], "SalesOrderItems/Item/NominalCode"),
        Some("4000")
    );
}

/// Every command of `scripts/maps/README.md` runs as written (from the project folder) and
/// writes its output.
#[test]
fn the_sample_maps_run_as_shipped_with_the_documented_commands() {
    let readme =
        std::fs::read_to_string(root().join("scripts/maps/README.md")).expect("maps README");
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().to_str().expect("utf-8");
    let commands: Vec<&str> = readme
        .lines()
        .filter(|l| l.starts_with("zynk run scripts/maps/"))
        .collect();
    let scripts = std::fs::read_dir(root().join("scripts/maps"))
        .expect("maps")
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "zynk"))
        })
        .count();
    assert_eq!(commands.len(), scripts, "one command per mapping");
    for command in commands {
        let words: Vec<String> = command
            .replace("$PWD", root().to_str().expect("utf-8"))
            .replace("/tmp/zynk-maps", data)
            .split_whitespace()
            .skip(1)
            .map(|w| w.replace('"', ""))
            .collect();
        let out = Command::new(env!("CARGO_BIN_EXE_zynk"))
            .args(&words)
            .current_dir(root())
            .env("NO_COLOR", "1")
            .output()
            .expect("run zynk");
        assert!(
            out.status.success(),
            "{command}:\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("run succeeded"),
            "{command}"
        );
    }
}

/// The text of the first `map` block of `text` that starts with `head`, up to its closing `}`.
fn map_block<'a>(text: &'a str, head: &str) -> &'a str {
    let start = text.find(head).expect("the map block");
    let body = &text[start..];
    let end = body.find("\n}\n").expect("the end of the map block");
    &body[head.len()..end]
}

#[test]
fn woocommerce_rest_orders_become_connect_xml_as_the_recipe_maps_them() {
    let recipe =
        std::fs::read_to_string(root().join("scripts/woocommerce-sage50.zynk")).expect("recipe");
    let map = std::fs::read_to_string(root().join("scripts/maps/woocommerce-json-orders.zynk"))
        .expect("map");
    assert_eq!(
        map_block(&recipe, "map \"orders.json\" to \"download.xml\" {"),
        map_block(&map, "map \"${input}\" to \"${output}\" {"),
        "the recipe and scripts/maps/woocommerce-json-orders.zynk map differently"
    );
    let xml = run(
        "woocommerce-json-orders.zynk",
        &[(
            "orders.json",
            root().join("scripts/maps/samples/woocommerce_orders.json"),
        )],
        "orders.xml",
    );
    let doc = roxmltree::Document::parse(&xml).expect("Connect XML");
    let company = doc.root_element();
    let customers = children(text_node(company, "Customers"), "Customer");
    let ids: Vec<&str> = customers.iter().filter_map(|c| text(*c, "Id")).collect();
    // The guest's account is keyed by the e-mail, in lower case, never by a customer id.
    assert_eq!(ids, ["wc-25", "wc-guest-soren@example.net"]);
    assert_eq!(
        text(customers[0], "CustomerDeliveryAddress/Company"),
        Some("Martin & Daughters Ltd")
    );
    let orders = children(text_node(company, "SalesOrders"), "SalesOrder");
    assert_eq!(orders.len(), 2);
    let first = orders[0];
    assert_eq!(text(first, "SalesOrderDate"), Some("2026-11-02T16:30:11"));
    let items = children(text_node(first, "SalesOrderItems"), "Item");
    let line = |i: usize, f: &str| text(items[i], f).map(str::to_string);
    assert_eq!(line(0, "UnitPrice").as_deref(), Some("25"));
    assert_eq!(line(0, "UnitDiscountAmount").as_deref(), Some("2.5"));
    assert_eq!(line(0, "TaxCode").as_deref(), Some("1"));
    assert_eq!(line(1, "TaxCode").as_deref(), Some("0"));
    let discount: f64 = line(1, "UnitDiscountAmount")
        .and_then(|d| d.parse().ok())
        .unwrap_or(0.0);
    assert!((discount - 0.70).abs() < 1e-9);
    assert_eq!(text(first, "Carriage/UnitPrice"), Some("4.95"));
    assert_eq!(text(first, "Carriage/TaxCode"), Some("1"));
    // The order without VAT: T0 on its line and its carriage; its refund is not an item.
    let second = orders[1];
    assert_eq!(
        text(second, "CustomerId"),
        Some("wc-guest-soren@example.net")
    );
    assert_eq!(
        children(text_node(second, "SalesOrderItems"), "Item").len(),
        1
    );
    assert_eq!(text(second, "SalesOrderItems/Item/TaxCode"), Some("0"));
    assert_eq!(text(second, "Carriage/TaxCode"), Some("0"));
    assert!(!xml.contains("Late delivery"));
}

#[test]
fn shopify_rest_orders_become_connect_xml_as_the_recipe_maps_them() {
    let recipe =
        std::fs::read_to_string(root().join("scripts/shopify-sage50.zynk")).expect("recipe");
    let map =
        std::fs::read_to_string(root().join("scripts/maps/shopify-json-orders.zynk")).expect("map");
    assert_eq!(
        map_block(&recipe, "map \"orders.json\" to \"download.xml\" {"),
        map_block(&map, "map \"${input}\" to \"${output}\" {"),
        "the recipe and scripts/maps/shopify-json-orders.zynk map differently"
    );
    let xml = run(
        "shopify-json-orders.zynk",
        &[(
            "orders.json",
            root().join("scripts/maps/samples/shopify_orders.json"),
        )],
        "orders.xml",
    );
    let doc = roxmltree::Document::parse(&xml).expect("Connect XML");
    let company = doc.root_element();
    // The pending order and the one tagged `zynk-imported` are left out; the guest's account
    // is keyed by the e-mail in lower case.
    let customers = children(text_node(company, "Customers"), "Customer");
    let ids: Vec<&str> = customers.iter().filter_map(|c| text(*c, "Id")).collect();
    assert_eq!(
        ids,
        ["shopify-207119551", "shopify-guest-soren@example.net"]
    );
    assert_eq!(
        text(customers[0], "CustomerDeliveryAddress/Company"),
        Some("Martin & Daughters Ltd")
    );
    assert_eq!(
        text(customers[0], "CustomerInvoiceAddress/Forename"),
        Some("Chloé")
    );
    let orders = children(text_node(company, "SalesOrders"), "SalesOrder");
    let numbers: Vec<&str> = orders
        .iter()
        .filter_map(|o| text(*o, "CustomerOrderNumber"))
        .collect();
    assert_eq!(numbers, ["#1001", "#1002"]);
    // Prices with VAT in them: the order says so, the discount is per unit, the zero-rated
    // book is T0, free shipping is 0 at T0.
    let first = orders[0];
    assert_eq!(text(first, "VatInclusive"), Some("true"));
    assert_eq!(
        text(first, "SalesOrderDate"),
        Some("2026-11-02T16:30:11+00:00")
    );
    let items = children(text_node(first, "SalesOrderItems"), "Item");
    assert_eq!(text(items[0], "Sku"), Some("hoodie-l"));
    assert_eq!(text(items[0], "UnitPrice"), Some("25.00"));
    assert_eq!(text(items[0], "UnitDiscountAmount"), Some("2.5"));
    assert_eq!(text(items[0], "TaxCode"), Some("1"));
    assert_eq!(text(items[1], "TaxCode"), Some("0"));
    assert_eq!(text(first, "Carriage/UnitPrice"), Some("0"));
    assert_eq!(text(first, "Carriage/TaxCode"), Some("0"));
    // Prices without VAT, a 5 % line, carriage at 20 %; the refund is not an item.
    let second = orders[1];
    assert_eq!(text(second, "VatInclusive"), Some("false"));
    assert_eq!(
        text(second, "CustomerId"),
        Some("shopify-guest-soren@example.net")
    );
    assert_eq!(
        children(text_node(second, "SalesOrderItems"), "Item").len(),
        1
    );
    assert_eq!(text(second, "SalesOrderItems/Item/TaxCode"), Some("5"));
    assert_eq!(text(second, "Carriage/UnitPrice"), Some("4.95"));
    assert_eq!(text(second, "Carriage/TaxCode"), Some("1"));
}

fn text_node<'a, 'i>(node: roxmltree::Node<'a, 'i>, name: &str) -> roxmltree::Node<'a, 'i> {
    node.children().find(|c| c.has_tag_name(name)).expect(name)
}
