//! `import products` and `import stock transactions` through the CLI, on Zynk's samples: the
//! ledger rows they leave, the success and fail files, second runs, malformed input, and the
//! `encoding` option of the files written.
use std::path::Path;

use zynk::ledger::Ledger;

use crate::harness::Project;

fn sample(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/connect")
            .join(name),
    )
    .expect("sample")
}

fn ledger(project: &Project) -> Ledger {
    Ledger::open(&project.path("data/ledger.sqlite")).expect("ledger")
}

fn read(project: &Project, rel: &str) -> String {
    std::fs::read_to_string(project.path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn run(project: &Project, script: &str) -> crate::harness::Outcome {
    let path = project.script(script);
    project.zynk(&["run", path.to_str().expect("utf-8")])
}

/// Records of one kind in a Connect XML file (success or fail).
fn count(text: &str, record: &str) -> usize {
    text.matches(&format!("<{record}>")).count()
}

const PRODUCTS: &str = r#"workflow "t"
import products from "products.xml" success "product_success.xml" fail "product_fail.xml"
"#;

#[test]
fn the_product_sample_creates_a_stock_record_with_every_field_and_its_opening_stock() {
    let project = Project::new();
    project.write(
        "data/t/products.xml",
        &sample("Product Import or Export Sample.xml"),
    );
    let out = run(&project, PRODUCTS);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout
            .contains("import products · 1 product: 1 imported, 0 failed"),
        "{}",
        out.stdout
    );

    let l = ledger(&project);
    let p = l.product("TR002").expect("query").expect("TR002 created");
    assert_eq!(p.name.as_deref(), Some("LP200 Laser Printer Toner"));
    assert_eq!(
        p.description.as_deref(),
        Some("LP200 Laser Printer Toner - WebDescription")
    );
    assert_eq!(
        p.long_description.as_deref(),
        Some("LP200 Laser Printer Toner - WebLongDescription")
    );
    assert_eq!(
        p.custom,
        [
            Some("Consumables".to_string()),
            Some("Printer".to_string()),
            Some("Toner".to_string())
        ]
    );
    assert_eq!(
        (p.sale_price, p.qty_in_stock, p.qty_on_order),
        (5.7, 10.0, 0.0)
    );
    assert_eq!((p.tax_code, p.group_code, p.department), (1, 1, 0));
    assert_eq!(p.unit_of_sale.as_deref(), Some("Each"));
    assert_eq!(p.nominal_code.as_deref(), Some("4000"));
    assert_eq!(p.purchase_nominal_code.as_deref(), Some("4001"));
    assert_eq!(p.commodity_code.as_deref(), Some("789"));
    assert_eq!(p.intrastat_commodity_code.as_deref(), Some("123"));
    assert_eq!(p.location.as_deref(), Some("456"));
    assert_eq!(
        (p.last_cost_price, p.average_cost_price),
        (Some(5.0), Some(5.0))
    );
    assert!(!p.publish && !p.special_offer);
    assert_eq!(p.item_type, "Stock");

    // The opening stock is a stock movement, so the history adds up to the quantity.
    let moves = l.stock_transactions().expect("movements");
    assert_eq!(moves.len(), 1, "{moves:?}");
    assert_eq!(
        (
            moves[0].stock_code.as_str(),
            moves[0].kind.as_str(),
            moves[0].reference.as_deref(),
            moves[0].qty_change,
            moves[0].cost_price
        ),
        ("TR002", "AI", Some("O/Bal"), 10.0, 5.0)
    );

    let success = read(&project, "data/t/product_success.xml");
    assert_eq!(count(&success, "Product"), 1, "{success}");
    assert!(success.contains("<UniqueId>TR002</UniqueId>"), "{success}");
    assert_eq!(
        count(&read(&project, "data/t/product_fail.xml"), "Product"),
        0
    );

    // Every new field shows in every listing format.
    let json = project.zynk(&["ledger", "products", "--format", "json"]);
    assert_eq!(json.code, 0, "{}", json.stderr);
    let rows: serde_json::Value = serde_json::from_str(&json.stdout).expect("json");
    let row = &rows[0];
    assert_eq!(row["stock_code"], "TR002");
    assert_eq!(row["in_stock"], "10.00");
    assert_eq!(row["price"], "5.70");
    assert_eq!(row["cost_price"], "5.00");
    assert_eq!(row["tax_code"], "T1");
    assert_eq!(row["nominal"], "4000");
    assert_eq!(row["category"], 1);
    assert_eq!(row["web_category"], "Consumables / Printer / Toner");
    assert_eq!(row["unit"], "Each");
    assert_eq!(row["publish"], false);
    let csv = project.zynk(&["ledger", "products", "--format", "csv"]);
    assert!(
        csv.stdout.starts_with(
            "stock_code,description,in_stock,allocated,free,on_order,price,cost_price,tax_code,nominal,category,web_category,unit,barcode,publish,type,modified\n"
        ),
        "{}",
        csv.stdout
    );
    assert!(
        csv.stdout.contains(
            "TR002,LP200 Laser Printer Toner,10,0,10,0,5.70,5,T1,4000,1,Consumables / Printer / Toner,Each,,false,Stock,"
        ),
        "{}",
        csv.stdout
    );
    let table = project.zynk(&["ledger", "products"]);
    assert!(table.stdout.contains("cost_price"), "{}", table.stdout);
    assert!(
        table.stdout.contains("Consumables / Printer / Toner"),
        "{}",
        table.stdout
    );
}

#[test]
fn a_product_export_reimports_whole_and_a_second_run_changes_nothing() {
    let project = Project::new();
    project.write(
        "data/t/products.xml",
        &sample("Stationary & Computer Mart - Product Export.xml"),
    );
    let out = run(&project, PRODUCTS);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("105 products: 105 imported, 0 failed"),
        "{}",
        out.stdout
    );
    let (products, moves) = {
        let l = ledger(&project);
        (
            l.products().expect("products"),
            l.stock_transactions().expect("movements"),
        )
    };
    assert_eq!(products.len(), 105);
    let board = products
        .iter()
        .find(|p| p.stock_code == "BOARD002")
        .expect("BOARD002");
    assert_eq!(board.qty_in_stock, -22.0, "negative stock is kept");
    let total: f64 = moves
        .iter()
        .filter(|m| m.stock_code == "BOARD002")
        .map(|m| m.qty_change)
        .sum();
    assert_eq!(total, -22.0, "the movements add up to the quantity");

    let again = run(&project, PRODUCTS);
    assert_eq!(again.code, 0, "{}{}", again.stdout, again.stderr);
    assert!(
        again
            .stdout
            .contains("105 products: 105 imported, 0 failed"),
        "{}",
        again.stdout
    );
    let l = ledger(&project);
    assert_eq!(l.products().expect("products").len(), 105);
    assert_eq!(
        l.stock_transactions().expect("movements").len(),
        moves.len(),
        "the same quantities post no movement"
    );
    let success = read(&project, "data/t/product_success.xml");
    assert_eq!(count(&success, "Product"), 105);
}

#[test]
fn products_update_only_what_the_file_gives_and_bad_records_fail_alone() {
    let project = Project::new();
    project.write(
        "data/t/products.xml",
        &sample("Product Import or Export Sample.xml"),
    );
    assert_eq!(run(&project, PRODUCTS).code, 0);
    project.write(
        "data/t/products.xml",
        r#"<?xml version="1.0"?>
<Company><Products>
  <Product><Sku>tr002</Sku><SalePrice>6.25</SalePrice><QtyInStock>4</QtyInStock></Product>
  <Product><Sku>BAD CODE</Sku><Name>x</Name></Product>
  <Product><Sku>NEW1</Sku><Name>New one</Name><TaxCode>42</TaxCode></Product>
  <Product><Sku>S1</Sku><Name>special</Name></Product>
  <Product><Name>no code</Name></Product>
  <Product><Sku>NEW2</Sku><Name>Second</Name><SalePrice>lots</SalePrice></Product>
  <Product><Sku>NEW3</Sku><Name>Third</Name></Product>
</Products></Company>"#,
    );
    let out = run(&project, PRODUCTS);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("7 products: 2 imported, 5 failed"),
        "{}",
        out.stdout
    );
    let success = read(&project, "data/t/product_success.xml");
    let fail = read(&project, "data/t/product_fail.xml");
    assert_eq!(count(&success, "Product") + count(&fail, "Product"), 7);
    assert!(
        fail.contains("contains ` `, which Sage does not allow"),
        "{fail}"
    );
    assert!(fail.contains("`TaxCode` 42 is not a tax code"), "{fail}");
    assert!(fail.contains("special line codes"), "{fail}");
    assert!(fail.contains("the product has no Sku"), "{fail}");
    assert!(fail.contains("`Product/SalePrice` holds `lots`"), "{fail}");

    let l = ledger(&project);
    let tr = l.product("TR002").expect("q").expect("TR002");
    assert_eq!((tr.sale_price, tr.qty_in_stock), (6.25, 4.0));
    assert_eq!(
        tr.name.as_deref(),
        Some("LP200 Laser Printer Toner"),
        "a field the file leaves out keeps its value"
    );
    assert_eq!(tr.unit_of_sale.as_deref(), Some("Each"));
    let take = l.stock_transactions().expect("movements");
    let last = take.last().expect("a stock take");
    assert_eq!(
        (
            last.kind.as_str(),
            last.reference.as_deref(),
            last.qty_change
        ),
        ("AO", Some("Stock take"), -6.0)
    );
    let new3 = l.product("NEW3").expect("q").expect("NEW3");
    assert_eq!(
        (new3.tax_code, new3.nominal_code.as_deref()),
        (1, Some("4000"))
    );
    assert!(l.product("NEW1").expect("q").is_none());
    assert!(l.product("NEW2").expect("q").is_none());
}

const STOCK: &str = r#"workflow "t"
import products from "products.xml" success "product_success.xml" fail "product_fail.xml"
import stock transactions from "stock.xml" success "stock_success.xml" fail "stock_fail.xml"
"#;

const STOCK_ONLY: &str = r#"workflow "t"
import stock transactions from "stock.xml" success "stock_success.xml" fail "stock_fail.xml"
"#;

fn greenfork(project: &Project, qty: u32) {
    project.write(
        "data/t/products.xml",
        &format!(
            "<Company><Products><Product><Sku>GREENFORK</Sku><Name>Green fork</Name><QtyInStock>{qty}</QtyInStock></Product></Products></Company>"
        ),
    );
}

fn in_stock(project: &Project, code: &str) -> f64 {
    ledger(project)
        .product_row(code)
        .expect("q")
        .map_or(f64::NAN, |p| p.qty_in_stock)
}

#[test]
fn the_stock_transaction_sample_adjusts_stock_once_however_often_it_runs() {
    let project = Project::new();
    greenfork(&project, 5);
    project.write(
        "data/t/stock.xml",
        &sample("Import Stock Quantities using Stock Transactions.xml"),
    );
    let out = run(&project, STOCK);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout
            .contains("import stock transactions · 1 stock transaction: 1 imported, 0 failed"),
        "{}",
        out.stdout
    );
    assert_eq!(in_stock(&project, "GREENFORK"), 15.0);
    let moves = ledger(&project).stock_transactions().expect("movements");
    assert_eq!(
        moves.len(),
        2,
        "opening stock and the adjustment: {moves:?}"
    );
    let ai = &moves[1];
    assert_eq!(
        (
            ai.stock_code.as_str(),
            ai.kind.as_str(),
            ai.date.as_str(),
            ai.reference.as_deref(),
            ai.details.as_deref(),
            ai.quantity,
            ai.qty_change,
            ai.cost_price,
        ),
        (
            "GREENFORK",
            "AI",
            "2017-01-01",
            Some("Extra Stock"),
            Some("Adding Extra Stock"),
            10.0,
            10.0,
            1.0
        )
    );
    let success = read(&project, "data/t/stock_success.xml");
    assert_eq!(count(&success, "StockTransaction"), 1, "{success}");
    let number = format!(
        "<StockTransactionNumber>{}</StockTransactionNumber>",
        ai.tran_number
    );
    assert!(success.contains(&number), "{success}");
    assert_eq!(
        count(&read(&project, "data/t/stock_fail.xml"), "StockTransaction"),
        0
    );

    // The same file again (the product file now only names the record, so it keeps its stock).
    project.write(
        "data/t/products.xml",
        "<Company><Products><Product><Sku>GREENFORK</Sku></Product></Products></Company>",
    );
    let again = run(&project, STOCK);
    assert_eq!(again.code, 0, "{}{}", again.stdout, again.stderr);
    assert!(
        again
            .stdout
            .contains("1 stock transaction: 0 imported, 1 already imported, 0 failed"),
        "{}",
        again.stdout
    );
    assert_eq!(in_stock(&project, "GREENFORK"), 15.0, "not posted twice");
    assert_eq!(ledger(&project).stock_transactions().expect("m").len(), 2);
    let success = read(&project, "data/t/stock_success.xml");
    assert!(
        success.contains(&number),
        "resent with its number: {success}"
    );

    // Zynk's strict behaviour: the duplicate goes to the fail file.
    let strict = run(
        &project,
        r#"workflow "t"
import stock transactions from "stock.xml" success "stock_success.xml" fail "stock_fail.xml"
    duplicates fail
"#,
    );
    assert_eq!(strict.code, 0, "{}{}", strict.stdout, strict.stderr);
    assert!(
        strict
            .stdout
            .contains("1 stock transaction: 0 imported, 1 failed (1 already imported)"),
        "{}",
        strict.stdout
    );
    let fail = read(&project, "data/t/stock_fail.xml");
    assert!(fail.contains("<Name>Duplicate</Name>"), "{fail}");
    assert_eq!(in_stock(&project, "GREENFORK"), 15.0);
}

#[test]
fn every_movement_type_and_every_bad_record_lands_in_exactly_one_file() {
    let project = Project::new();
    greenfork(&project, 20);
    let movement = |kind: &str, code: &str, qty: &str, reference: &str| {
        format!(
            "<StockTransaction><StockTransactionType>{kind}</StockTransactionType><StockCode>{code}</StockCode><StockTransactionDate>2026-03-01T00:00:00</StockTransactionDate><Reference>{reference}</Reference><Qty>{qty}</Qty></StockTransaction>"
        )
    };
    let records = [
        movement("AdjustmentOut", "GREENFORK", "3", "r1"),
        movement("GoodsIn", "greenfork", "5", "r2"),
        movement("WriteOff", "GREENFORK", "1", "r3"),
        movement("DamagesIn", "GREENFORK", "2", "r4"),
        movement("AO", "GREENFORK", "1", "r5"),
        movement("AdjustmentIn", "BLUESPOON", "4", "r6"),
        movement("Invalid", "GREENFORK", "1", "r7"),
        movement("AdjustmentIn", "GREENFORK", "0", "r8"),
        movement("AdjustmentIn", "S1", "1", "r9"),
        // Two equal movements without an Id are two movements.
        movement("AdjustmentIn", "GREENFORK", "1", "same"),
        movement("AdjustmentIn", "GREENFORK", "1", "same"),
    ];
    project.write(
        "data/t/stock.xml",
        &format!(
            "<Company><StockTransactions>{}</StockTransactions></Company>",
            records.concat()
        ),
    );
    let out = run(&project, STOCK);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout
            .contains("11 stock transactions: 7 imported, 4 failed"),
        "{}",
        out.stdout
    );
    // 20 − 3 + 5 − 1 + 2 − 1 + 1 + 1
    assert_eq!(in_stock(&project, "GREENFORK"), 24.0);
    let success = read(&project, "data/t/stock_success.xml");
    let fail = read(&project, "data/t/stock_fail.xml");
    assert_eq!(count(&success, "StockTransaction"), 7);
    assert_eq!(count(&fail, "StockTransaction"), 4);
    assert!(
        fail.contains("unknown stock code `BLUESPOON`: there is no stock record `BLUESPOON`"),
        "{fail}"
    );
    assert!(fail.contains("`StockTransactionType` `Invalid`"), "{fail}");
    assert!(fail.contains("give a positive quantity"), "{fail}");
    assert!(fail.contains("special line codes"), "{fail}");
    let kinds: Vec<String> = ledger(&project)
        .stock_transactions()
        .expect("m")
        .into_iter()
        .skip(1)
        .map(|m| m.kind)
        .collect();
    assert_eq!(kinds, ["AO", "GI", "WO", "DI", "AO", "AI", "AI"]);

    let listing = project.zynk(&["ledger", "stock-transactions", "--format", "csv"]);
    assert_eq!(listing.code, 0, "{}", listing.stderr);
    assert!(
        listing.stdout.starts_with(
            "number,stock_code,type,date,reference,details,quantity,change,cost_price,sales_price,posted\n"
        ),
        "{}",
        listing.stdout
    );
    assert!(
        listing
            .stdout
            .contains("2,GREENFORK,AO,2026-03-01,r1,,3,-3,0,0,"),
        "{}",
        listing.stdout
    );

    // Run again: all seven were posted before (by content), the four still fail.
    let again = run(&project, STOCK_ONLY);
    assert!(
        again
            .stdout
            .contains("11 stock transactions: 0 imported, 7 already imported, 4 failed"),
        "{}",
        again.stdout
    );
    assert_eq!(in_stock(&project, "GREENFORK"), 24.0, "{}", again.stdout);
}

#[test]
fn negative_stock_warns_or_fails_as_asked() {
    let project = Project::new();
    greenfork(&project, 2);
    project.write(
        "data/t/stock.xml",
        "<Company><StockTransactions><StockTransaction><Id>9</Id><StockTransactionType>AdjustmentOut</StockTransactionType><StockCode>GREENFORK</StockCode><Qty>5</Qty></StockTransaction></StockTransactions></Company>",
    );
    let strict = run(
        &project,
        &format!("{STOCK}    allow_negative_stock false\n"),
    );
    assert_eq!(strict.code, 0, "{}{}", strict.stdout, strict.stderr);
    assert!(
        strict.stdout.contains("0 imported, 1 failed"),
        "{}",
        strict.stdout
    );
    assert!(
        read(&project, "data/t/stock_fail.xml").contains("allow_negative_stock is off"),
        "{}",
        strict.stdout
    );
    assert_eq!(in_stock(&project, "GREENFORK"), 2.0);
    let out = run(&project, STOCK);
    assert!(
        out.stdout.contains("1 imported, 0 failed"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("below zero"), "{}", out.stdout);
    assert_eq!(in_stock(&project, "GREENFORK"), -3.0);
}

#[test]
fn a_malformed_file_imports_nothing() {
    let project = Project::new();
    greenfork(&project, 1);
    assert_eq!(run(&project, PRODUCTS).code, 0);
    project.write(
        "data/t/stock.xml",
        "<Company><StockTransactions><StockTransaction><StockTransactionType>AI</StockTransactionType><StockCode>GREENFORK</StockCode><Qty>5</Qty></StockTransaction><StockTransaction><Qty>1</Qty></StockTransactio></StockTransactions></Company>",
    );
    project.write(
        "data/t/products.xml",
        "<Company><Products><Product><Sku>GREENFORK</Sku><SalePrice>9</SalePrice></Product><Product><Sku>X</Sku></Produc></Products></Company>",
    );
    for statement in [
        r#"import stock transactions from "stock.xml" success "stock_success.xml" fail "stock_fail.xml""#,
        r#"import products from "products.xml" success "p_success.xml" fail "p_fail.xml""#,
    ] {
        let out = run(&project, &format!("workflow \"t\"\n{statement}\n"));
        assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
        let all = format!("{}{}", out.stdout, out.stderr);
        assert!(all.contains("zynk::import::malformed_xml"), "{all}");
    }
    assert!(!project.path("data/t/stock_success.xml").exists());
    assert!(!project.path("data/t/p_fail.xml").exists());
    let l = ledger(&project);
    assert_eq!(
        l.stock_transactions().expect("m").len(),
        1,
        "only the opening stock"
    );
    let p = l.product_row("GREENFORK").expect("q").expect("GREENFORK");
    assert_eq!((p.qty_in_stock, p.sales_price), (1.0, 0.0));
}

#[test]
fn the_encoding_option_writes_success_fail_and_export_files_in_that_encoding() {
    let project = Project::new();
    project.write(
        "data/t/products.xml",
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Company><Products><Product><Sku>CAFE1</Sku><Name>Café Crème € \u{201C}x\u{201D}</Name><QtyInStock>4</QtyInStock></Product><Product><Sku>bad code</Sku><Name>Zoë</Name></Product></Products></Company>",
    );
    let out = run(
        &project,
        r#"workflow "t"
import products from "products.xml" success "product_success.xml" fail "product_fail.xml"
    encoding "ISO-8859-1"
export stock all to "latin1_export.xml" encoding "latin1"
export stock all to "cp1252_export.xml" encoding "windows-1252"
"#,
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let contains = |bytes: &[u8], needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    for (file, record) in [
        (
            "data/t/product_success.xml",
            &b"<Name>Caf\xE9 Cr\xE8me &#8364; &#8220;x&#8221;</Name>"[..],
        ),
        ("data/t/product_fail.xml", &b"<Name>Zo\xEB</Name>"[..]),
        (
            "data/t/latin1_export.xml",
            &b"<Name>Caf\xE9 Cr\xE8me &#8364; &#8220;x&#8221;</Name>"[..],
        ),
    ] {
        let bytes = std::fs::read(project.path(file)).expect("written");
        assert!(
            bytes.starts_with(b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>"),
            "{file}: {}",
            String::from_utf8_lossy(&bytes[..60])
        );
        assert!(
            contains(&bytes, record),
            "{file}: {}",
            String::from_utf8_lossy(&bytes)
        );
    }
    let cp1252 = std::fs::read(project.path("data/t/cp1252_export.xml")).expect("written");
    assert!(cp1252.starts_with(b"<?xml version=\"1.0\" encoding=\"windows-1252\"?>"));
    assert!(contains(
        &cp1252,
        b"<Name>Caf\xE9 Cr\xE8me \x80 \x93x\x94</Name>"
    ));

    // Read back, the files give the names exactly.
    project.write("data/t/products.xml", "");
    std::fs::copy(
        project.path("data/t/latin1_export.xml"),
        project.path("data/t/products.xml"),
    )
    .expect("copy");
    let back = run(&project, PRODUCTS);
    assert_eq!(back.code, 0, "{}{}", back.stdout, back.stderr);
    let name = ledger(&project)
        .product("CAFE1")
        .expect("q")
        .expect("CAFE1")
        .name;
    assert_eq!(name.as_deref(), Some("Café Crème € \u{201C}x\u{201D}"));
}

#[test]
fn an_unknown_encoding_is_refused_before_anything_runs() {
    let project = Project::new();
    let out = run(
        &project,
        r#"workflow "t"
import stock transactions from "stock.xml" success "s.xml" fail "f.xml" encoding "ISO-8859-"
"#,
    );
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stderr.contains("zynk::check::unknown_encoding"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("did you mean \"ISO-8859-1\"?"),
        "{}",
        out.stderr
    );
    assert!(!project.path("data/ledger.sqlite").exists());
}

#[test]
fn map_output_takes_the_encoding_option_streamed_and_in_tree_mode() {
    let project = Project::new();
    project.write(
        "data/t/shop.xml",
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<orders><order id=\"1\"><name>Zoë Brontë €</name></order><order id=\"2\"><name>Café \u{201C}x\u{201D}</name></order></orders>",
    );
    let out = run(
        &project,
        r#"workflow "t"
map "shop.xml" to "streamed.xml" encoding "ISO-8859-1" {
    for each `/orders/order` as "Customers/Customer" {
        "Id" = `@id`
        "CompanyName" = `name`
    }
}
map "shop.xml" to "tree.xml" encoding "windows-1252" {
    for each `//order[@id]` as "Customers/Customer" {
        "Id" = `@id`
        "CompanyName" = `name`
    }
}
import customers from "streamed.xml" success "s.xml" fail "f.xml"
"#,
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let contains = |bytes: &[u8], needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    let streamed = std::fs::read(project.path("data/t/streamed.xml")).expect("streamed");
    assert!(streamed.starts_with(b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>"));
    assert!(contains(
        &streamed,
        b"<CompanyName>Zo\xEB Bront\xEB &#8364;</CompanyName>"
    ));
    assert!(contains(
        &streamed,
        b"<CompanyName>Caf\xE9 &#8220;x&#8221;</CompanyName>"
    ));
    let tree = std::fs::read(project.path("data/t/tree.xml")).expect("tree");
    assert!(tree.starts_with(b"<?xml version=\"1.0\" encoding=\"windows-1252\"?>"));
    assert!(contains(
        &tree,
        b"<CompanyName>Caf\xE9 \x93x\x94</CompanyName>"
    ));
    let names: Vec<String> = ledger(&project)
        .customers()
        .expect("customers")
        .into_iter()
        .map(|c| c.name)
        .collect();
    assert_eq!(names, ["Café \u{201C}x\u{201D}", "Zoë Brontë €"]);
}

#[test]
fn a_product_without_a_sku_is_found_by_the_id_it_was_imported_with() {
    let project = Project::new();
    project.write(
        "data/t/products.xml",
        "<Company><Products><Product><Id>77</Id><Sku>mug-1</Sku><Name>Mug</Name><SalePrice>3</SalePrice></Product></Products></Company>",
    );
    assert_eq!(run(&project, PRODUCTS).code, 0);
    project.write(
        "data/t/products.xml",
        "<Company><Products><Product><Id>77</Id><SalePrice>4.5</SalePrice></Product><Product><Id>78</Id><SalePrice>1</SalePrice></Product></Products></Company>",
    );
    let out = run(&project, PRODUCTS);
    assert!(
        out.stdout.contains("2 products: 1 imported, 1 failed"),
        "{}",
        out.stdout
    );
    let mug = ledger(&project)
        .product("MUG-1")
        .expect("q")
        .expect("MUG-1");
    assert_eq!((mug.sale_price, mug.name.as_deref()), (4.5, Some("Mug")));
    let success = read(&project, "data/t/product_success.xml");
    assert!(success.contains("<Sku>MUG-1</Sku>"), "{success}");
    assert!(
        read(&project, "data/t/product_fail.xml").contains("its Id 78 was not imported before"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_stock_adjustment_makes_the_record_modified_for_the_next_stock_export() {
    let project = Project::new();
    greenfork(&project, 5);
    let first = run(
        &project,
        &format!("{PRODUCTS}export stock modified to \"product_export.xml\"\n"),
    );
    assert_eq!(first.code, 0, "{}{}", first.stdout, first.stderr);
    assert!(
        first.stdout.contains("1 product → product_export.xml"),
        "{}",
        first.stdout
    );
    let nothing = run(
        &project,
        "workflow \"t\"\nexport stock modified to \"product_export.xml\"\n",
    );
    assert!(nothing.stdout.contains("0 products"), "{}", nothing.stdout);
    project.write(
        "data/t/stock.xml",
        &sample("Import Stock Quantities using Stock Transactions.xml"),
    );
    let out = run(
        &project,
        &format!("{STOCK_ONLY}export stock modified to \"product_export.xml\"\n"),
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("1 product → product_export.xml"),
        "{}",
        out.stdout
    );
    let export = read(&project, "data/t/product_export.xml");
    assert!(export.contains("<QtyInStock>15</QtyInStock>"), "{export}");
}
