//! The shop mappings of scripts/maps: each maps its sample export to Connect XML, record by record, and the result imports into a fresh ledger with the right totals.

use crate::map_dsl as dsl;

use std::path::{Path, PathBuf};

use zynk::connect::{Node, read_all};
use zynk::ledger::{Ledger, OrderRow, SalesOrderImportOptions, import_sales_orders};
use zynk::map::{MapSpec, map_file};
use zynk::state::StateStore;

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// The text at `path` (`A/B/C`) below `node`; `None` when an element is missing.
fn at<'n>(node: &'n Node, path: &str) -> Option<&'n str> {
    let mut current = node;
    for name in path.split('/') {
        current = current.child(name)?;
    }
    Some(current.text.as_str())
}

/// Asserts each `(path, text)` of a record; `None` means the element must be absent.
fn assert_fields(node: &Node, fields: &[(&str, Option<&str>)]) {
    for (path, want) in fields {
        assert_eq!(at(node, path), *want, "{}/{path}", node.name);
    }
}

/// A mapped shop export and the ledger it was imported into.
struct Shop {
    _dir: tempfile::TempDir,
    customers: Vec<Node>,
    orders: Vec<Node>,
    ledger: Ledger,
    imported: Vec<OrderRow>,
}

fn map_and_import(fixture: &str, spec: &MapSpec) -> Result<Shop, Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let input: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/map")
        .join(fixture);
    let output = dir.path().join("work/orders.xml");
    let report = map_file(&input, spec, &output)?;
    assert!(report.streamed, "the shop mappings stream");
    let customers = read_all(&output, "Customers", "Customer")?;
    let orders = read_all(&output, "SalesOrders", "SalesOrder")?;
    assert_eq!(report.records, (customers.len() + orders.len()) as u64);

    let mut ledger = Ledger::open(&dir.path().join("data/ledger.sqlite"))?;
    let state = StateStore::open(&dir.path().join("data/state.sqlite"))?;
    let opts = SalesOrderImportOptions {
        auto_create_customer: true,
        ..SalesOrderImportOptions::default()
    };
    let result = import_sales_orders(
        &mut ledger,
        &state,
        "Shop to Sage",
        &output,
        &dir.path().join("work/success.xml"),
        &dir.path().join("work/fail.xml"),
        &opts,
    )?;
    assert_eq!(result.failed, 0, "{:?}", result.failures);
    assert_eq!(result.succeeded, orders.len() as u64);
    let imported = ledger.orders()?;
    Ok(Shop {
        _dir: dir,
        customers,
        orders,
        ledger,
        imported,
    })
}

/// `(items net, items VAT, carriage net, carriage VAT, gross)` of each imported order.
fn totals(rows: &[OrderRow]) -> Vec<(f64, f64, f64, f64, f64)> {
    rows.iter()
        .map(|o| {
            (
                o.items_net,
                o.items_tax,
                o.carr_net,
                o.carr_tax,
                o.invoice_gross,
            )
        })
        .collect()
}

#[test]
fn shopify() -> TestResult {
    let shop = map_and_import("shopify_orders.xml", &dsl::shops::shopify())?;
    assert_eq!((shop.customers.len(), shop.orders.len()), (3, 3));
    let [c1, c2, c3] = [&shop.customers[0], &shop.customers[1], &shop.customers[2]];
    assert_fields(
        c1,
        &[
            ("Id", Some("7001")),
            ("CompanyName", Some("Smith & Daughters Ltd")),
            ("AccountReference", Some("ANN001")),
            ("Currency", Some("GBP")),
            ("CustomerInvoiceAddress/Forename", Some("Ann")),
            ("CustomerInvoiceAddress/County", Some("West Yorkshire")),
            (
                "CustomerInvoiceAddress/Email",
                Some("ann.smith@example.com"),
            ),
        ],
    );
    assert_fields(
        c2,
        &[
            ("CompanyName", None),
            ("AccountReference", None),
            ("CustomerInvoiceAddress/Surname", Some("Müller")),
            ("CustomerInvoiceAddress/Town", Some("Zürich")),
            ("CustomerInvoiceAddress/County", None),
        ],
    );
    assert_fields(
        c3,
        &[
            ("CompanyName", Some("The Bakehouse <Ilkley>")),
            ("Currency", Some("GBP")),
        ],
    );

    let [o1, o2, o3] = [&shop.orders[0], &shop.orders[1], &shop.orders[2]];
    assert_fields(
        o1,
        &[
            ("Id", Some("5412001001")),
            ("CustomerId", Some("7001")),
            ("AccountReference", Some("ANN001")),
            ("CustomerOrderNumber", Some("#1001")),
            ("SalesOrderDate", Some("2024-03-04T09:12:44+00:00")),
            ("Currency", Some("GBP")),
            (
                "Notes1",
                Some("Please leave with the neighbour & ring twice"),
            ),
            ("TakenBy", Some("Shopify")),
            ("SalesOrderAddress/Company", Some("Smith & Daughters Ltd")),
            ("SalesOrderAddress/Town", Some("Leeds")),
            (
                "SalesOrderDeliveryAddress/Address1",
                Some("Unit 4, Kirkstall Mill"),
            ),
            ("SalesOrderDeliveryAddress/Address2", None),
            ("Carriage/Name", Some("Royal Mail Tracked 48")),
            ("Carriage/UnitPrice", Some("6")),
            ("Carriage/TaxCode", Some("1")),
        ],
    );
    let items: Vec<&Node> = o1
        .child("SalesOrderItems")
        .map(|l| l.children.iter().collect())
        .unwrap_or_default();
    assert_eq!(items.len(), 2);
    assert_fields(
        items[0],
        &[
            ("Sku", Some("MUG-CAFE")),
            ("Name", Some("Café Crème Mug")),
            ("Description", Some("Café Crème Mug (Blue)")),
            ("QtyOrdered", Some("2")),
            ("UnitPrice", Some("8.00")),
            ("TaxCode", Some("1")),
            ("Reference", Some("#1001")),
        ],
    );
    assert_fields(
        items[1],
        &[
            ("Sku", Some("TEA-EARL")),
            ("Description", None),
            ("QtyOrdered", Some("3")),
        ],
    );
    assert_fields(
        o2,
        &[
            ("AccountReference", None),
            ("Notes1", None),
            ("SalesOrderItems/Item/Sku", Some("S1")),
            (
                "SalesOrderItems/Item/Name",
                Some("Gift wrapping — «Noël» paper"),
            ),
            ("Carriage/Name", None),
            ("Carriage/UnitPrice", Some("0")),
        ],
    );
    assert_fields(
        o3,
        &[
            ("Currency", Some("GBP")),
            ("Notes1", Some("PO 88231")),
            ("Carriage/UnitPrice", Some("30")),
        ],
    );
    let taxes: Vec<Option<&str>> = o3
        .child("SalesOrderItems")
        .map(|l| l.children.iter().map(|i| at(i, "TaxCode")).collect())
        .unwrap_or_default();
    assert_eq!(taxes, [Some("0"), Some("1")]);

    assert_eq!(
        totals(&shop.imported),
        [
            (46.0, 9.2, 6.0, 1.2, 62.4),
            (20.0, 4.0, 0.0, 0.0, 24.0),
            (90.0, 4.8, 30.0, 6.0, 130.8),
        ]
    );
    assert_eq!(shop.imported[0].account_ref, "ANN001");
    assert_eq!(
        shop.imported[0].name.as_deref(),
        Some("Smith & Daughters Ltd")
    );
    let lines = shop.ledger.order_lines(shop.imported[2].order_number)?;
    assert_eq!(
        lines
            .iter()
            .map(|l| l.stock_code.as_str())
            .collect::<Vec<_>>(),
        ["FLOUR-25", "TIN-LOAF"]
    );
    Ok(())
}

#[test]
fn magento() -> TestResult {
    let shop = map_and_import("magento_orders.xml", &dsl::shops::magento())?;
    assert_eq!((shop.customers.len(), shop.orders.len()), (3, 3));
    assert_fields(
        &shop.customers[0],
        &[
            ("Id", Some("45")),
            ("CompanyName", Some("Dubois & Fils SARL")),
            ("CustomerInvoiceAddress/Forename", Some("Élodie")),
            (
                "CustomerInvoiceAddress/Address1",
                Some("14 Rue de la Paix Bâtiment B"),
            ),
            ("CustomerInvoiceAddress/County", Some("Rhône")),
        ],
    );
    assert_fields(
        &shop.customers[1],
        &[
            ("Id", None),
            ("CompanyName", None),
            ("CustomerInvoiceAddress/Telephone", Some("01904 000000")),
        ],
    );

    let [o1, o2, o3] = [&shop.orders[0], &shop.orders[1], &shop.orders[2]];
    assert_fields(
        o1,
        &[
            ("Id", Some("100000312")),
            ("CustomerId", Some("45")),
            ("SalesOrderDate", Some("2024-03-06T08:15:27")),
            ("Notes1", Some("Livraison après 17h, merci")),
            ("Notes2", Some("Paid by checkmo")),
            ("TakenBy", Some("Magento")),
            ("SalesOrderAddress/Company", Some("Dubois & Fils SARL")),
            (
                "SalesOrderDeliveryAddress/Address1",
                Some("Entrepôt 3, Quai Rambaud"),
            ),
            ("SalesOrderDeliveryAddress/Country", Some("FR")),
            ("Carriage/Name", Some("Flat Rate - Fixed")),
            ("Carriage/UnitPrice", Some("5")),
        ],
    );
    let items: Vec<&Node> = o1
        .child("SalesOrderItems")
        .map(|l| l.children.iter().collect())
        .unwrap_or_default();
    assert_fields(
        items[0],
        &[
            ("Id", Some("901")),
            ("Sku", Some("LAMP-ANG")),
            ("Name", Some("Ångström Desk Lamp")),
            ("QtyOrdered", Some("1")),
            ("UnitPrice", Some("32.5")),
            ("TaxCode", Some("1")),
        ],
    );
    assert_fields(
        items[1],
        &[("QtyOrdered", Some("5")), ("UnitPrice", Some("5"))],
    );
    // The guest order: billing is the second address, no customer id.
    assert_fields(
        o2,
        &[
            ("CustomerId", None),
            ("Notes1", None),
            ("SalesOrderAddress/Surname", Some("Nguyễn")),
            ("SalesOrderAddress/Telephone", Some("01904 000000")),
            (
                "SalesOrderItems/Item/Name",
                Some("Children's book: \"The Owl & the Pussycat\""),
            ),
            ("SalesOrderItems/Item/TaxCode", Some("0")),
            ("Carriage/UnitPrice", Some("0")),
        ],
    );
    assert_fields(
        o3,
        &[
            ("SalesOrderDeliveryAddress/Forename", Some("Goods In")),
            ("Carriage/Name", Some("Next Day")),
        ],
    );

    assert_eq!(
        totals(&shop.imported),
        [
            (57.5, 11.5, 5.0, 1.0, 75.0),
            (18.0, 0.0, 0.0, 0.0, 18.0),
            (120.0, 24.0, 12.0, 2.4, 158.4),
        ]
    );
    assert_eq!(shop.imported[2].name.as_deref(), Some("Northwind Traders"));
    Ok(())
}

#[test]
fn woocommerce() -> TestResult {
    let shop = map_and_import("woocommerce_orders.xml", &dsl::shops::woocommerce())?;
    assert_eq!((shop.customers.len(), shop.orders.len()), (3, 3));
    assert_fields(
        &shop.customers[0],
        &[
            ("Id", Some("12")),
            ("CompanyName", None),
            ("VatNumber", None),
        ],
    );
    assert_fields(
        &shop.customers[1],
        &[
            ("Id", None),
            ("CompanyName", Some("Łódź Imports & Co")),
            ("VatNumber", Some("GB123456789")),
            ("CustomerInvoiceAddress/Surname", Some("Wiśniewski")),
        ],
    );

    let [o1, o2, o3] = [&shop.orders[0], &shop.orders[1], &shop.orders[2]];
    assert_fields(
        o1,
        &[
            ("Id", Some("2041")),
            ("CustomerId", Some("12")),
            ("CustomerOrderNumber", Some("2041")),
            ("Notes1", Some("Ring the bell & wait")),
            ("Notes2", Some("Credit card (Stripe)")),
            ("Notes3", Some("Channel: web")),
            ("SalesOrderAddress/Forename", Some("Chloé")),
            ("SalesOrderAddress/Company", None),
            ("SalesOrderAddress/Address2", Some("Flat 2")),
            ("Carriage/Name", Some("Flat rate")),
            ("Carriage/UnitPrice", Some("3.95")),
        ],
    );
    let items: Vec<&Node> = o1
        .child("SalesOrderItems")
        .map(|l| l.children.iter().collect())
        .unwrap_or_default();
    assert_fields(
        items[0],
        &[
            ("Sku", Some("HOODIE-L")),
            ("Name", Some("Hoodie – Large")),
            ("Comments", Some("pa_size=L")),
            ("QtyOrdered", Some("2")),
            ("UnitPrice", Some("25")),
            ("TaxCode", Some("1")),
        ],
    );
    assert_fields(items[1], &[("Comments", None)]);
    assert_fields(
        o2,
        &[
            ("CustomerId", None),
            ("Notes1", None),
            ("Notes3", Some("Channel: pos")),
            ("Carriage/Name", None),
        ],
    );
    assert_fields(o3, &[("Currency", Some("GBP")), ("Notes1", None)]);
    let gift = o3
        .child("SalesOrderItems")
        .and_then(|l| l.children.get(1))
        .ok_or("no second line")?;
    assert_fields(
        gift,
        &[
            ("Sku", Some("S1")),
            ("Name", Some("Gift card £10")),
            ("TaxCode", Some("9")),
        ],
    );

    assert_eq!(
        totals(&shop.imported),
        [
            (62.0, 12.4, 3.95, 0.79, 79.14),
            (45.0, 9.0, 0.0, 0.0, 54.0),
            (35.0, 5.0, 0.0, 0.0, 40.0),
        ]
    );
    Ok(())
}
