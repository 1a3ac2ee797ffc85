//! The demo shop over real HTTP on loopback: download, notify, upload, bad bodies, faults, seeds.
use std::collections::BTreeSet;
use std::path::Path;
use std::time::Duration;

use reqwest::blocking::Client as Reqwest;
use zynk::demo::{
    CUSTOMER_COUNT, CUSTOMERS_WITHOUT_ORDERS, INVALID_ORDER_ID, MISSING_CUSTOMER_ID, ORDER_COUNT,
    PRODUCT_COUNT, Shop, ShopState, UNKNOWN_SKU_ORDER_IDS, UNKNOWN_SKUS, seed_products,
};
use zynk::http::{Body, Client, Method, Request};

struct Running {
    shop: Shop,
    dir: tempfile::TempDir,
}

impl Running {
    fn db(&self) -> std::path::PathBuf {
        self.dir.path().join("shop.sqlite")
    }
    fn state(&self) -> ShopState {
        ShopState::open(&self.db()).expect("the shop state")
    }
}

fn start() -> Running {
    start_seeded(1)
}

fn start_seeded(seed: u64) -> Running {
    let dir = tempfile::tempdir().expect("a temp dir");
    let shop = Shop::start_seeded(&dir.path().join("shop.sqlite"), "127.0.0.1:0", seed)
        .expect("the shop starts");
    Running { shop, dir }
}

fn http() -> Reqwest {
    Reqwest::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .expect("an HTTP client")
}

/// (status, content type, body)
fn get(shop: &Shop, path: &str) -> (u16, String, String) {
    let r = http()
        .get(format!("{}{path}", shop.url()))
        .send()
        .expect("a response");
    answer(r)
}

fn post(
    shop: &Shop,
    path: &str,
    body: impl Into<reqwest::blocking::Body>,
) -> (u16, String, String) {
    let r = http()
        .post(format!("{}{path}", shop.url()))
        .body(body)
        .send()
        .expect("a response");
    answer(r)
}

fn answer(r: reqwest::blocking::Response) -> (u16, String, String) {
    let status = r.status().as_u16();
    let ct = r
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    (status, ct, r.text().expect("a text body"))
}

fn download(shop: &Shop) -> String {
    let (status, ct, body) = get(shop, "/zynk/download");
    assert_eq!(status, 200, "{body}");
    assert_eq!(ct, "text/xml; charset=utf-8");
    body
}

fn children<'a, 'i>(n: roxmltree::Node<'a, 'i>, name: &str) -> Vec<roxmltree::Node<'a, 'i>> {
    n.children()
        .filter(|c| c.is_element() && c.tag_name().name() == name)
        .collect()
}

fn child_text(n: roxmltree::Node<'_, '_>, name: &str) -> Option<String> {
    children(n, name)
        .first()
        .map(|c| c.text().unwrap_or("").to_string())
}

/// (customer ids, order ids) in a download.
fn ids(xml: &str) -> (Vec<String>, Vec<String>) {
    let doc = roxmltree::Document::parse(xml).expect("the download is XML");
    let root = doc.root_element();
    let list = |wrapper: &str, item: &str| -> Vec<String> {
        children(root, wrapper)
            .into_iter()
            .flat_map(|w| children(w, item))
            .map(|n| child_text(n, "Id").expect("an Id"))
            .collect()
    };
    (
        list("Customers", "Customer"),
        list("SalesOrders", "SalesOrder"),
    )
}

/// Every element path in a document, e.g. `Company/Customers/Customer/Id`.
fn paths(xml: &str) -> BTreeSet<String> {
    let doc = roxmltree::Document::parse(xml).expect("XML");
    let mut out = BTreeSet::new();
    for n in doc.descendants().filter(|n| n.is_element()) {
        let mut parts: Vec<&str> = n
            .ancestors()
            .filter(|a| a.is_element())
            .map(|a| a.tag_name().name())
            .collect();
        parts.reverse();
        out.insert(parts.join("/"));
    }
    out
}

/// A success file for everything in a download: reference `REF<id>` for each customer and
/// sales order number `<id - 1000>` for each order, leaving out `skip_order`.
fn success_file(xml: &str, skip_order: Option<&str>) -> String {
    let (customers, orders) = ids(xml);
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Company xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\">\n  <Products />\n  <Customers>\n",
    );
    for c in customers {
        s.push_str(&format!(
            "    <Customer>\n      <Id>{c}</Id>\n      <UniqueId>REF{c}</UniqueId>\n      <AccountReference>REF{c}</AccountReference>\n      <Balance xsi:nil=\"true\" />\n    </Customer>\n"
        ));
    }
    s.push_str("  </Customers>\n  <SalesOrders>\n");
    for o in orders.iter().filter(|o| Some(o.as_str()) != skip_order) {
        let n: i64 = o.parse::<i64>().expect("a numeric id") - 1000;
        s.push_str(&format!(
            "    <SalesOrder>\n      <Id>{o}</Id>\n      <SalesOrderNumber>{n}</SalesOrderNumber>\n      <SalesOrderItems />\n    </SalesOrder>\n"
        ));
    }
    s.push_str("  </SalesOrders>\n</Company>\n");
    s
}

const INVALID: &str = "1150";

#[test]
fn download_offers_new_customers_and_pending_orders_shaped_like_the_zynk_sample() {
    let run = start();
    let xml = download(&run.shop);
    let (customers, orders) = ids(&xml);
    assert_eq!(
        customers.len() as i64,
        CUSTOMER_COUNT - CUSTOMERS_WITHOUT_ORDERS
    );
    assert_eq!(orders.len() as i64, ORDER_COUNT);
    assert_eq!(INVALID, INVALID_ORDER_ID.to_string());

    let found = paths(&xml);
    let address = [
        "Title",
        "Forename",
        "Surname",
        "Address1",
        "Town",
        "Postcode",
        "County",
        "Country",
        "Telephone",
        "Email",
    ];
    let mut required: Vec<String> = [
        "Company",
        "Company/Customers/Customer/Id",
        "Company/Customers/Customer/CompanyName",
        "Company/Customers/Customer/Currency",
        "Company/Customers/Customer/TermsAgreed",
        "Company/SalesOrders/SalesOrder/Id",
        "Company/SalesOrders/SalesOrder/CustomerId",
        "Company/SalesOrders/SalesOrder/Notes1",
        "Company/SalesOrders/SalesOrder/Currency",
        "Company/SalesOrders/SalesOrder/SalesOrderDate",
        "Company/SalesOrders/SalesOrder/SalesOrderItems/Item/Sku",
        "Company/SalesOrders/SalesOrder/SalesOrderItems/Item/Name",
        "Company/SalesOrders/SalesOrder/SalesOrderItems/Item/QtyOrdered",
        "Company/SalesOrders/SalesOrder/SalesOrderItems/Item/UnitPrice",
        "Company/SalesOrders/SalesOrder/SalesOrderItems/Item/TaxCode",
        "Company/SalesOrders/SalesOrder/Carriage/Sku",
        "Company/SalesOrders/SalesOrder/Carriage/Name",
        "Company/SalesOrders/SalesOrder/Carriage/QtyOrdered",
        "Company/SalesOrders/SalesOrder/Carriage/UnitPrice",
        "Company/SalesOrders/SalesOrder/Carriage/TaxCode",
        "Company/SalesOrders/SalesOrder/TakenBy",
        "Company/SalesOrders/SalesOrder/PaymentRef",
        "Company/SalesOrders/SalesOrder/PaymentAmount",
        "Company/SalesOrders/SalesOrder/BankAccount",
        "Company/SalesOrders/SalesOrder/PaymentType",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for block in [
        "Company/Customers/Customer/CustomerInvoiceAddress",
        "Company/Customers/Customer/CustomerDeliveryAddress",
        "Company/SalesOrders/SalesOrder/SalesOrderAddress",
        "Company/SalesOrders/SalesOrder/SalesOrderDeliveryAddress",
    ] {
        for field in address {
            required.push(format!("{block}/{field}"));
        }
        required.push(format!("{block}/Company"));
        required.push(format!("{block}/Address2"));
    }
    for path in &required {
        assert!(found.contains(path), "missing {path}");
    }
    // Nothing outside the sample's shape (AccountReference only appears after a notify).
    let extra: Vec<&String> = found
        .iter()
        .filter(|p| {
            !required
                .iter()
                .any(|r| r == *p || r.starts_with(&format!("{p}/")))
        })
        .collect();
    assert!(extra.is_empty(), "unexpected elements: {extra:?}");

    let doc = roxmltree::Document::parse(&xml).expect("XML");
    let names: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("CompanyName"))
        .map(|n| n.text().unwrap_or("").to_string())
        .collect();
    assert!(names.iter().any(|n| n == "Zynk Software"));
    assert!(names.iter().any(|n| n == "Zynk Ltd"));
    assert!(names.iter().any(|n| n == "Smith & Sons Builders"));
    assert!(xml.contains("<CompanyName>Smith &amp; Sons Builders</CompanyName>"));

    // The invalid order names a customer the download does not have, and no reference.
    let invalid = doc
        .descendants()
        .find(|n| n.has_tag_name("SalesOrder") && child_text(*n, "Id").as_deref() == Some(INVALID))
        .expect("the invalid order");
    assert_eq!(
        child_text(invalid, "CustomerId"),
        Some(MISSING_CUSTOMER_ID.to_string())
    );
    assert_eq!(child_text(invalid, "AccountReference"), None);
    assert!(!customers.contains(&MISSING_CUSTOMER_ID.to_string()));

    // Orders with a site-only Sku that the ledger does not know.
    for (id, (sku, _, _)) in UNKNOWN_SKU_ORDER_IDS.iter().zip(UNKNOWN_SKUS) {
        let order = doc
            .descendants()
            .find(|n| n.has_tag_name("SalesOrder") && child_text(*n, "Id") == Some(id.to_string()))
            .expect("the order");
        assert!(
            order
                .descendants()
                .any(|n| n.has_tag_name("Sku") && n.text() == Some(sku)),
            "order {id} has {sku}"
        );
    }
    assert!(!seed_products().iter().any(|p| p.sku == "GIFT-WRAP"));

    // Payment = goods + carriage + VAT at 20 % rounded per line.
    for order in doc.descendants().filter(|n| n.has_tag_name("SalesOrder")) {
        let Some(paid) = child_text(order, "PaymentAmount") else {
            continue;
        };
        let pence = |s: &str| (s.parse::<f64>().expect("a number") * 100.0).round() as i64;
        let mut gross = 0;
        let items = children(order, "SalesOrderItems")
            .into_iter()
            .flat_map(|w| children(w, "Item"));
        for item in items.chain(children(order, "Carriage")) {
            let net = child_text(item, "QtyOrdered")
                .expect("qty")
                .parse::<i64>()
                .expect("a whole qty")
                * pence(&child_text(item, "UnitPrice").expect("price"));
            let rate = if child_text(item, "TaxCode").as_deref() == Some("1") {
                20
            } else {
                0
            };
            gross += net + (net * rate + 50) / 100;
        }
        assert_eq!(pence(&paid), gross);
    }
}

#[test]
fn notify_stores_references_marks_orders_posted_and_the_next_download_leaves_them_out() {
    let run = start();
    let first = download(&run.shop);
    let file = success_file(&first, Some(INVALID));
    let (status, ct, report) = post(&run.shop, "/zynk/notify", file);
    assert_eq!(status, 200, "{report}");
    assert_eq!(ct, "text/plain; charset=utf-8");
    assert!(
        report.contains("customer 1: account reference REF1\n"),
        "{report}"
    );
    assert!(report.contains("order 1001: posted as 1\n"), "{report}");
    assert!(
        report.ends_with("249 changed, 0 unchanged, 0 errors\n"),
        "{report}"
    );

    let summary = run.state().summary().expect("a summary");
    assert_eq!(summary.customers_with_reference, 50);
    assert_eq!(summary.orders_posted, 199);
    assert_eq!(summary.orders_pending, 1);
    let orders = run.state().orders().expect("orders");
    let o = orders.iter().find(|o| o.id == 1042).expect("order 1042");
    assert!(o.posted);
    assert_eq!(o.sales_order_number.as_deref(), Some("42"));

    let second = download(&run.shop);
    let (customers, orders) = ids(&second);
    assert!(customers.is_empty());
    assert_eq!(orders, [INVALID]);
}

#[test]
fn notifying_the_same_file_twice_changes_nothing_the_second_time() {
    let run = start();
    let file = success_file(&download(&run.shop), None);
    let (status, _, _) = post(&run.shop, "/zynk/notify", file.clone());
    assert_eq!(status, 200);
    let before = (
        run.state().customers().expect("customers"),
        run.state().orders().expect("orders"),
    );
    let (status, _, report) = post(&run.shop, "/zynk/notify", file);
    assert_eq!(status, 200);
    assert!(
        report.contains("customer 7: account reference REF7 unchanged\n"),
        "{report}"
    );
    assert!(
        report.contains("order 1150: posted as 150 unchanged\n"),
        "{report}"
    );
    assert!(
        report.ends_with("0 changed, 250 unchanged, 0 errors\n"),
        "{report}"
    );
    let after = (
        run.state().customers().expect("customers"),
        run.state().orders().expect("orders"),
    );
    assert_eq!(before, after);
}

#[test]
fn notify_reports_bad_records_without_failing_the_request() {
    let run = start();
    let body = r#"<?xml version="1.0" encoding="utf-8"?>
<Company>
  <Customers>
    <Customer><Id>3</Id><AccountReference>ZYN001</AccountReference></Customer>
    <Customer><Id>4</Id><AccountReference /></Customer>
    <Customer><Id>777</Id><AccountReference>NOPE001</AccountReference></Customer>
    <Customer><AccountReference>NOID001</AccountReference></Customer>
    <Customer><Errors><Error><Name>Validation</Name></Error></Errors><Id>5</Id><AccountReference>FAIL01</AccountReference></Customer>
  </Customers>
  <SalesOrders>
    <SalesOrder><Id>1002</Id><SalesOrderNumber>7</SalesOrderNumber></SalesOrder>
    <SalesOrder><Id>1003</Id></SalesOrder>
    <SalesOrder><Id>abc</Id><SalesOrderNumber>8</SalesOrderNumber></SalesOrder>
  </SalesOrders>
</Company>"#;
    let (status, _, report) = post(&run.shop, "/zynk/notify", body);
    assert_eq!(status, 200);
    assert_eq!(
        report,
        "customer 3: account reference ZYN001
customer 4: error: missing AccountReference
customer 777: error: no customer with this Id
customer (no Id): error: missing Id
customer 5: skipped: the record carries Errors (is this a fail file?)
order 1002: posted as 7
order 1003: error: missing SalesOrderNumber
order abc: error: no order with this Id
2 changed, 0 unchanged, 6 errors
"
    );
    let s = run.state().summary().expect("summary");
    assert_eq!((s.customers_with_reference, s.orders_posted), (1, 1));
}

#[test]
fn orders_of_a_customer_with_a_reference_carry_it_and_the_customer_is_not_offered_again() {
    let run = start();
    let body = "<Company><Customers><Customer><Id>1</Id><AccountReference>ABC001</AccountReference></Customer></Customers></Company>";
    assert_eq!(post(&run.shop, "/zynk/notify", body).0, 200);
    let xml = download(&run.shop);
    let (customers, _) = ids(&xml);
    assert!(!customers.contains(&"1".to_string()));
    let doc = roxmltree::Document::parse(&xml).expect("XML");
    let mut with_ref = 0;
    for o in doc.descendants().filter(|n| n.has_tag_name("SalesOrder")) {
        let is_1 = child_text(o, "CustomerId").as_deref() == Some("1");
        let reference = child_text(o, "AccountReference");
        assert_eq!(reference.is_some(), is_1);
        if is_1 {
            assert_eq!(reference.as_deref(), Some("ABC001"));
            with_ref += 1;
        }
    }
    assert!(with_ref >= 1);
}

fn product(sku: &str, in_stock: &str, allocated: &str) -> String {
    format!(
        "    <Product>\n      <Sku>{sku}</Sku>\n      <Name>Anything</Name>\n      <QtyInStock>{in_stock}</QtyInStock>\n      <QtyOnOrder>0</QtyOnOrder>\n      <QtyAllocated>{allocated}</QtyAllocated>\n    </Product>\n"
    )
}

fn chunk(products: &[String]) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Company xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\">\n  <Products>\n{}  </Products>\n  <ProductGroups />\n</Company>\n",
        products.concat()
    )
}

fn stock(run: &Running, sku: &str) -> i64 {
    run.state()
        .products()
        .expect("products")
        .into_iter()
        .find(|p| p.0 == sku)
        .map(|p| p.2)
        .expect("the product")
}

#[test]
fn upload_sets_free_stock_by_sku_and_reports_each_product() {
    let run = start();
    let old = stock(&run, "ST-0001");
    let body = chunk(&[
        product("ST-0001", "14", "5"),
        product("ST-0002", "3", "5"),
        product("ST-0003", "7.5", "0"),
        product("GIFT-WRAP", "0", "0"),
        product("ST-0004", "lots", "0"),
    ]);
    let (status, ct, report) = post(&run.shop, "/zynk/upload", body.clone());
    assert_eq!(status, 200, "{report}");
    assert_eq!(ct, "text/plain; charset=utf-8");
    let first = report.lines().next().expect("a line");
    if old == 9 {
        assert_eq!(first, "sku ST-0001: stock 9 unchanged");
    } else {
        assert_eq!(first, format!("sku ST-0001: stock {old} -> 9"));
    }
    assert!(report.contains("(free stock -2 clamped to 0)"), "{report}");
    assert!(report.contains("sku GIFT-WRAP: error: no product with this Sku on the site\n"));
    assert!(report.contains("sku ST-0004: error: QtyInStock \"lots\" is not a number\n"));
    assert!(report.ends_with(", 2 errors\n"), "{report}");
    assert_eq!(stock(&run, "ST-0001"), 9);
    assert_eq!(stock(&run, "ST-0002"), 0);
    assert_eq!(stock(&run, "ST-0003"), 7);
    assert_eq!(run.state().summary().expect("summary").products_synced, 3);

    let (_, _, again) = post(&run.shop, "/zynk/upload", body);
    assert!(
        again.ends_with("0 changed, 3 unchanged, 2 errors\n"),
        "{again}"
    );
}

#[test]
fn bad_bodies_get_400_with_a_reason_and_bad_routes_404_or_405() {
    let run = start();
    for path in ["/zynk/notify", "/zynk/upload"] {
        let (status, ct, reason) = post(&run.shop, path, "");
        assert_eq!(status, 400);
        assert_eq!(ct, "text/plain; charset=utf-8");
        assert_eq!(
            reason,
            "empty body: expected a Connect XML <Company> document\n"
        );

        let (status, _, reason) = post(&run.shop, path, "customer=17&ref=ZYN001");
        assert_eq!(status, 400);
        assert!(
            reason.starts_with("malformed XML at line 1, column 1: "),
            "{reason}"
        );

        let (status, _, reason) = post(
            &run.shop,
            path,
            "<Company>\n  <Products>\n    <Product>\n  </Products>\n</Company>",
        );
        assert_eq!(status, 400);
        assert!(
            reason.starts_with("malformed XML at line 4, column 3: "),
            "{reason}"
        );

        let (status, _, reason) = post(&run.shop, path, "<Products><Product/></Products>");
        assert_eq!(status, 400);
        assert_eq!(
            reason,
            "expected a Connect XML <Company> document, found <Products>\n"
        );

        let (status, _, reason) = post(&run.shop, path, vec![0x3c_u8, 0xff, 0xfe, 0x3e]);
        assert_eq!(status, 400);
        assert_eq!(
            reason,
            "the body is not UTF-8 text (invalid byte at offset 1)\n"
        );

        let (status, _, _) = get(&run.shop, path);
        assert_eq!(status, 405);
    }
    assert_eq!(post(&run.shop, "/zynk/download", "<Company/>").0, 405);
    let (status, _, reason) = get(&run.shop, "/zynk/orders");
    assert_eq!(status, 404);
    assert!(
        reason.starts_with("no such endpoint: /zynk/orders;"),
        "{reason}"
    );
    // Nothing changed.
    let s = run.state().summary().expect("summary");
    assert_eq!((s.orders_posted, s.products_synced), (0, 0));
}

#[test]
fn fault_injection_fails_exactly_the_nth_upload() {
    let run = start();
    assert_eq!(post(&run.shop, "/zynk/upload", chunk(&[])).0, 200);
    run.shop.fail_upload(2);
    let body = |n: &str| chunk(&[product("ST-0010", n, "0")]);
    assert_eq!(post(&run.shop, "/zynk/upload", body("11")).0, 200);
    let (status, _, reason) = post(&run.shop, "/zynk/upload", body("12"));
    assert_eq!(status, 500);
    assert_eq!(
        reason,
        "injected failure: upload request 3 was set to fail\n"
    );
    assert_eq!(stock(&run, "ST-0010"), 11);
    assert_eq!(post(&run.shop, "/zynk/upload", body("13")).0, 200);
    assert_eq!(stock(&run, "ST-0010"), 13);
    // Downloads and notifies do not count as uploads.
    run.shop.fail_upload(1);
    assert_eq!(get(&run.shop, "/zynk/download").0, 200);
    assert_eq!(post(&run.shop, "/zynk/notify", "<Company/>").0, 200);
    assert_eq!(post(&run.shop, "/zynk/upload", body("14")).0, 500);
    assert_eq!(post(&run.shop, "/zynk/upload", body("14")).0, 200);
}

#[test]
fn the_same_seed_gives_the_same_shop_and_another_seed_another() {
    let a = start_seeded(7);
    let b = start_seeded(7);
    let c = start_seeded(8);
    let (xa, xb, xc) = (download(&a.shop), download(&b.shop), download(&c.shop));
    assert_eq!(xa, xb);
    assert_ne!(xa, xc);
    assert_eq!(
        a.state().products().expect("products"),
        c.state().products().expect("products")
    );
    let s = c.state().summary().expect("summary");
    assert_eq!(s.products, PRODUCT_COUNT as u64);
    assert_eq!(s.customers, CUSTOMER_COUNT as u64);
    assert_eq!(s.orders, ORDER_COUNT as u64);
    assert_eq!(a.state().seed().expect("seed"), Some(7));
}

#[test]
fn a_restarted_shop_keeps_its_data_and_seed_products_match_the_catalogue() {
    let run = start();
    let db = run.db();
    let body = "<Company><SalesOrders><SalesOrder><Id>1001</Id><SalesOrderNumber>1</SalesOrderNumber></SalesOrder></SalesOrders></Company>";
    assert_eq!(post(&run.shop, "/zynk/notify", body).0, 200);
    let Running { shop, dir } = run;
    shop.stop();
    let again = Shop::start(&db, "127.0.0.1:0").expect("the shop restarts");
    let state = ShopState::open(&db).expect("state");
    assert_eq!(state.summary().expect("summary").orders_posted, 1);
    let catalogue: Vec<(String, String, i64)> = seed_products()
        .into_iter()
        .map(|p| (p.sku, p.name, p.qty))
        .collect();
    assert_eq!(state.products().expect("products"), catalogue);
    drop(again);
    drop(dir);
}

#[test]
fn the_project_http_client_fetches_and_notifies_files() {
    let run = start();
    let client = Client::new().expect("a client");
    let out = run.dir.path().join("work/download.xml");
    let fetch = Request::new(Method::Get, format!("{}/zynk/download", run.shop.url()));
    let r = client.execute(&fetch, Some(&out)).expect("the download");
    assert_eq!(r.content_type.as_deref(), Some("text/xml; charset=utf-8"));
    let xml = std::fs::read_to_string(&out).expect("the file");
    let success = run.dir.path().join("work/customer_success.xml");
    std::fs::write(&success, success_file(&xml, None)).expect("write");
    let mut notify = Request::new(Method::Post, format!("{}/zynk/notify", run.shop.url()));
    notify.body = Body::File(success);
    let response = run.dir.path().join("work/response.txt");
    client
        .execute(&notify, Some(&response))
        .expect("the notify");
    let text = std::fs::read_to_string(&response).expect("the response");
    assert!(
        text.ends_with("250 changed, 0 unchanged, 0 errors\n"),
        "{text}"
    );
}

#[test]
fn state_of_a_missing_or_foreign_database_is_an_error() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let missing = ShopState::open(&dir.path().join("nope.sqlite")).expect_err("missing");
    assert!(
        missing
            .to_string()
            .starts_with("cannot open the shop database")
    );
    let other = dir.path().join("other.sqlite");
    rusqlite::Connection::open(&other)
        .and_then(|c| c.execute_batch("CREATE TABLE t (x)"))
        .expect("another database");
    let foreign = ShopState::open(&other).expect_err("not a shop");
    assert!(foreign.to_string().ends_with("is not a demo shop database"));
    let foreign = Shop::start(&other, "127.0.0.1:0").expect_err("not a shop");
    assert!(foreign.to_string().ends_with("is not a demo shop database"));
    let tables = rusqlite::Connection::open(&other)
        .and_then(|c| {
            c.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
                r.get::<_, i64>(0)
            })
        })
        .expect("count");
    assert_eq!(tables, 1, "the shop left another database alone");
    let text = dir.path().join("text.sqlite");
    std::fs::write(
        &text,
        "not sqlite at all, just some text that is long enough to matter",
    )
    .expect("write");
    let refused = Shop::start(&text, "127.0.0.1:0").expect_err("not a database");
    assert!(
        refused
            .to_string()
            .starts_with("cannot open the shop database")
    );
    assert!(!Path::new(&dir.path().join("text.sqlite-journal")).exists());
}

#[test]
fn stopping_does_not_wait_for_an_idle_keep_alive_connection() {
    let run = start();
    let client = http();
    let r = client
        .get(format!("{}/zynk/download", run.shop.url()))
        .send()
        .expect("a response");
    assert_eq!(r.status().as_u16(), 200);
    let _ = r.text();
    let url = run.shop.url();
    let started = std::time::Instant::now();
    let Running { shop, dir } = run;
    shop.stop();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(client.get(format!("{url}/zynk/download")).send().is_err());
    drop(dir);
}

#[test]
fn hostile_bodies_are_refused_without_harm() {
    let run = start();
    let deep = format!(
        "<Company>{}{}</Company>",
        "<a>".repeat(20_000),
        "</a>".repeat(20_000)
    );
    let laughs = r#"<?xml version="1.0"?>
<!DOCTYPE Company [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
]>
<Company><Customers><Customer><Id>1</Id><AccountReference>&f;</AccountReference></Customer></Customers></Company>"#;
    let huge_number = chunk(&[product("ST-0005", "1e300", "-1e300")]);
    for body in [deep, laughs.to_string(), huge_number] {
        for path in ["/zynk/notify", "/zynk/upload"] {
            let (status, _, reason) = post(&run.shop, path, body.clone());
            assert!(status == 200 || status == 400, "{status} {reason}");
        }
    }
    // The shop still answers.
    assert_eq!(get(&run.shop, "/zynk/download").0, 200);
    let customers = run.state().customers().expect("customers");
    assert!(
        customers
            .iter()
            .all(|c| c.account_reference.as_deref().is_none_or(|r| r.len() < 100))
    );
}

#[test]
fn with_the_invoices_setting_orders_download_as_invoices_and_notify_posts_them() {
    let run = start();
    let as_orders = download(&run.shop);
    run.shop.download_invoices(true).expect("setting");
    let xml = download(&run.shop);
    assert!(
        xml.contains("<Invoices>") && !xml.contains("<SalesOrders>"),
        "{}",
        &xml[..400]
    );
    let doc = roxmltree::Document::parse(&xml).expect("XML");
    let invoices: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("Invoice"))
        .collect();
    let orders = roxmltree::Document::parse(&as_orders).expect("XML");
    let order_count = orders
        .descendants()
        .filter(|n| n.has_tag_name("SalesOrder"))
        .count();
    assert_eq!(invoices.len(), order_count, "the same records");
    let first = invoices[0];
    for name in [
        "InvoiceDate",
        "InvoiceAddress",
        "InvoiceDeliveryAddress",
        "InvoiceItems",
    ] {
        assert!(
            child_text(first, name).is_some() || children(first, name).len() == 1,
            "{name}"
        );
    }
    assert_eq!(
        child_text(first, "InvoiceType").as_deref(),
        Some("ProductInvoice")
    );
    let id = child_text(first, "Id").expect("an Id");
    let body = format!(
        "<Company><Invoices><Invoice><Id>{id}</Id><InvoiceNumber>7</InvoiceNumber></Invoice><Invoice><Id>{id}</Id></Invoice></Invoices></Company>"
    );
    let (status, _, report) = post(&run.shop, "/zynk/notify", body);
    assert_eq!(status, 200, "{report}");
    assert!(
        report.contains(&format!("order {id}: posted as 7\n")),
        "{report}"
    );
    assert!(report.contains("error: missing InvoiceNumber"), "{report}");
    assert_eq!(run.state().summary().expect("summary").orders_posted, 1);
    run.shop.download_invoices(false).expect("setting");
    assert!(download(&run.shop).contains("<SalesOrders>"));
}

#[test]
fn upload_keeps_each_known_accounts_balance() {
    let run = start();
    let id = run.state().customers().expect("customers")[0].id;
    let notify = format!(
        "<Company><Customers><Customer><Id>{id}</Id><AccountReference>ABC001</AccountReference></Customer></Customers></Company>"
    );
    post(&run.shop, "/zynk/notify", notify);
    let customer = |reference: &str, balance: &str| {
        format!(
            "<Customer><AccountReference>{reference}</AccountReference><Balance>{balance}</Balance></Customer>"
        )
    };
    let body = format!(
        "<Company><Customers>{}{}{}</Customers></Company>",
        customer("ABC001", "27.37"),
        customer("NOSUCH", "1"),
        customer("ABC001", "lots")
    );
    let (status, _, report) = post(&run.shop, "/zynk/upload", body);
    assert_eq!(status, 200, "{report}");
    assert!(
        report.starts_with("account ABC001: balance 27.37\n"),
        "{report}"
    );
    assert!(
        report.contains(
            "account NOSUCH: error: no customer with this account reference on the site\n"
        ),
        "{report}"
    );
    assert!(
        report.contains("account ABC001: error: Balance \"lots\" is not a number\n"),
        "{report}"
    );
    assert!(
        report.ends_with("1 changed, 0 unchanged, 2 errors\n"),
        "{report}"
    );
    assert_eq!(
        run.state()
            .customer_balance("ABC001")
            .expect("balance")
            .as_deref(),
        Some("27.37")
    );
    let again = format!(
        "<Company><Customers>{}</Customers></Company>",
        customer("ABC001", "0")
    );
    let (_, _, report) = post(&run.shop, "/zynk/upload", again);
    assert!(
        report.starts_with("account ABC001: balance 27.37 -> 0\n"),
        "{report}"
    );
}
