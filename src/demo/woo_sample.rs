//! Sample data for the WooCommerce API of the demo shop: orders and products shaped as the
//! WooCommerce REST API v3 documents them (`GET /wp-json/wc/v3/orders`), with their totals
//! computed as WooCommerce computes them (tax per line, rounded to the penny).
use serde_json::{Value, json};

/// A product both the shop and the ledger know: stock code, name, price, ledger stock, VAT rate.
pub const WOO_PRODUCTS: [(&str, &str, &str, u32, u32); 8] = [
    ("HOODIE-L", "Hoodie – Large", "25.00", 40, 20),
    ("HOODIE-M", "Hoodie – Medium", "25.00", 35, 20),
    ("BEANIE", "Beanie", "12.00", 60, 20),
    ("MUG-01", "Enamel mug", "8.50", 100, 20),
    ("POSTER-A2", "Poster A2", "15.00", 25, 20),
    ("KIDS-BOOK", "Children's book", "6.99", 50, 0),
    ("CAR-SEAT", "Child car seat", "89.00", 10, 5),
    ("SOCKS-3", "Socks (3 pairs)", "9.00", 80, 20),
];

/// SKUs the shop sells that the ledger does not know: their stock is left alone.
pub const WEB_ONLY_SKUS: [&str; 2] = ["web-gift-card", "WEB-DOWNLOAD"];

/// Customers with accounts on the shop: id, first name, last name, e-mail, town, postcode.
pub(crate) const CUSTOMERS: [(u64, &str, &str, &str, &str, &str); 8] = [
    (
        11,
        "Chloé",
        "Martin",
        "chloe.martin@example.org",
        "Bath",
        "BA1 1AA",
    ),
    (
        12,
        "Łukasz",
        "Nowak",
        "lukasz.nowak@example.org",
        "Leeds",
        "LS1 4AP",
    ),
    (
        13,
        "Søren",
        "Kierkegaard",
        "soren@example.org",
        "York",
        "YO1 7HH",
    ),
    (
        14,
        "Zoë",
        "O'Brien",
        "zoe.obrien@example.org",
        "Cork Street",
        "W1S 3NU",
    ),
    (
        15,
        "José",
        "García",
        "jose.garcia@example.org",
        "Bristol",
        "BS1 5TR",
    ),
    (
        16,
        "Ann",
        "Smith",
        "ann.smith@example.org",
        "Derby",
        "DE1 1AA",
    ),
    (17, "Mei", "陈", "mei.chen@example.org", "Oxford", "OX1 2JD"),
    (
        18,
        "Owen",
        "Jones",
        "owen.jones@example.org",
        "Cardiff",
        "CF10 1AA",
    ),
];

/// Statuses of the orders after the processing ones, in turn.
const OTHER_STATUSES: [&str; 5] = ["completed", "on-hold", "pending", "cancelled", "refunded"];

/// The first order id.
pub const FIRST_WOO_ORDER: u64 = 5001;

/// Pennies as WooCommerce writes money: `"12.30"`.
pub(crate) fn money(pennies: i64) -> String {
    let sign = if pennies < 0 { "-" } else { "" };
    let p = pennies.abs();
    format!("{sign}{}.{:02}", p / 100, p % 100)
}

pub(crate) fn pennies(text: &str) -> i64 {
    let (whole, frac) = text.split_once('.').unwrap_or((text, "0"));
    let whole: i64 = whole.parse().unwrap_or(0);
    let frac: i64 = format!("{frac:0<2}")
        .get(..2)
        .and_then(|f| f.parse().ok())
        .unwrap_or(0);
    whole * 100 + frac
}

/// VAT on `net` pennies at `rate` percent, rounded half up to the penny.
pub(crate) fn vat(net: i64, rate: u32) -> i64 {
    (net * i64::from(rate) + 50) / 100
}

/// The ledger products the shop sells as variations of one variable product, `Hoodie`.
pub const VARIABLE_PRODUCT: u64 = 300;
const VARIATIONS: usize = 2;

/// The shop's products as the API lists them (ids from 301), SKUs in the shop's own case:
/// the first ledger products are variations of [`VARIABLE_PRODUCT`] ([`woo_variations`]).
#[must_use]
pub fn woo_products() -> Vec<Value> {
    let mut parent = product(
        VARIABLE_PRODUCT,
        "HOODIE",
        "Hoodie",
        WOO_PRODUCTS[0].2,
        None,
    );
    parent["type"] = json!("variable");
    parent["variations"] = json!((0..VARIATIONS).map(|i| 301 + i as u64).collect::<Vec<_>>());
    let mut out = vec![parent];
    for (i, (sku, name, price, _, _)) in WOO_PRODUCTS.iter().enumerate().skip(VARIATIONS) {
        // The shop writes some SKUs in lower case: the ledger's codes match regardless.
        let sku = if i % 2 == 0 {
            sku.to_lowercase()
        } else {
            (*sku).to_string()
        };
        out.push(product(301 + i as u64, &sku, name, price, Some(3)));
    }
    for (i, sku) in WEB_ONLY_SKUS.iter().enumerate() {
        out.push(product(401 + i as u64, sku, "Web only", "10.00", None));
    }
    out
}

/// The variations of [`VARIABLE_PRODUCT`] as `GET /products/300/variations` lists them,
/// each with its `parent_id`.
#[must_use]
pub fn woo_variations() -> Vec<Value> {
    WOO_PRODUCTS
        .iter()
        .take(VARIATIONS)
        .enumerate()
        .map(|(i, (sku, name, price, _, _))| {
            let sku = if i % 2 == 0 {
                sku.to_lowercase()
            } else {
                (*sku).to_string()
            };
            let mut v = product(301 + i as u64, &sku, name, price, Some(3));
            v["parent_id"] = json!(VARIABLE_PRODUCT);
            v["type"] = json!("variation");
            v
        })
        .collect()
}

fn product(id: u64, sku: &str, name: &str, price: &str, stock: Option<i64>) -> Value {
    json!({
        "id": id,
        "name": name,
        "slug": sku.to_lowercase(),
        "type": "simple",
        "status": "publish",
        "sku": sku,
        "price": price,
        "regular_price": price,
        "sale_price": "",
        "tax_status": "taxable",
        "tax_class": "",
        "manage_stock": stock.is_some(),
        "stock_quantity": stock,
        "stock_status": "instock",
        "meta_data": [],
    })
}

/// `processing` orders (then a few of every other status), newest last, with guests, names
/// beyond ASCII, several VAT rates, orders without VAT, coupons and a refund.
#[must_use]
pub fn woo_orders(processing: usize) -> Vec<Value> {
    let others = OTHER_STATUSES.len() * 2;
    (0..processing + others)
        .map(|i| {
            let status = if i < processing {
                "processing"
            } else {
                OTHER_STATUSES[(i - processing) % OTHER_STATUSES.len()]
            };
            order(i, status)
        })
        .collect()
}

#[allow(clippy::too_many_lines)]
fn order(i: usize, status: &str) -> Value {
    let id = FIRST_WOO_ORDER + i as u64;
    let guest = i % 4 == 3;
    // Every ninth order is to a customer outside the UK: no VAT at all.
    let no_vat = i % 9 == 5;
    let (customer_id, first, last, email, city, postcode) = if guest {
        let c = CUSTOMERS[i % CUSTOMERS.len()];
        // A guest who uses a registered customer's e-mail still gets an account of their own.
        let email = if i % 8 == 3 {
            c.3.to_string()
        } else {
            format!("guest{i}@example.net")
        };
        (0, "Guest", format!("Buyer {i}"), email, "Hull", "HU1 1AA")
    } else {
        let c = CUSTOMERS[i % CUSTOMERS.len()];
        (c.0, c.1, c.2.to_string(), c.3.to_string(), c.4, c.5)
    };
    let country = if no_vat { "US" } else { "GB" };
    let coupon = i % 5 == 2;
    let mut lines = Vec::new();
    let (mut subtotal_sum, mut total_sum, mut tax_sum) = (0i64, 0i64, 0i64);
    let mut rates_used: Vec<(u32, i64)> = Vec::new();
    for k in 0..(1 + i % 3) {
        let p = (i * 3 + k * 5) % WOO_PRODUCTS.len();
        let (_, name, price, _, rate) = WOO_PRODUCTS[p];
        let rate = if no_vat { 0 } else { rate };
        let qty = 1 + ((i + k) % 3) as i64;
        let subtotal = pennies(price) * qty;
        let total = if coupon {
            subtotal - subtotal / 10
        } else {
            subtotal
        };
        let subtotal_tax = vat(subtotal, rate);
        let total_tax = vat(total, rate);
        subtotal_sum += subtotal;
        total_sum += total;
        tax_sum += total_tax;
        match rates_used.iter_mut().find(|(r, _)| *r == rate) {
            Some((_, t)) => *t += total_tax,
            None => rates_used.push((rate, total_tax)),
        }
        // As the shop spells it (products and variations alike).
        let sku = if p % 2 == 0 {
            WOO_PRODUCTS[p].0.to_lowercase()
        } else {
            WOO_PRODUCTS[p].0.to_string()
        };
        #[allow(clippy::cast_precision_loss)]
        let unit = subtotal as f64 / 100.0 / qty as f64;
        lines.push(json!({
            "id": id * 10 + k as u64,
            "name": name,
            "product_id": if p < VARIATIONS { VARIABLE_PRODUCT } else { 301 + p as u64 },
            "variation_id": if p < VARIATIONS { 301 + p as u64 } else { 0 },
            "quantity": qty,
            "tax_class": match rate { 0 => "zero-rate", 5 => "reduced-rate", _ => "" },
            "subtotal": money(subtotal),
            "subtotal_tax": money(subtotal_tax),
            "total": money(total),
            "total_tax": money(total_tax),
            "taxes": if rate == 0 { json!([]) } else {
                json!([{"id": rate_id(rate), "total": money(total_tax), "subtotal": money(subtotal_tax)}])
            },
            "meta_data": [],
            "sku": sku,
            "price": unit,
        }));
    }
    let shipping = if i % 6 == 4 { 0 } else { 495 };
    let shipping_tax = if no_vat { 0 } else { vat(shipping, 20) };
    if shipping_tax > 0 {
        match rates_used.iter_mut().find(|(r, _)| *r == 20) {
            Some(_) => {}
            None => rates_used.push((20, 0)),
        }
    }
    let tax_lines: Vec<Value> = rates_used
        .iter()
        .filter(|(rate, _)| *rate > 0)
        .map(|(rate, total)| {
            json!({
                "id": 7000 + i as u64 * 10 + u64::from(*rate),
                "rate_code": format!("GB-VAT-{}", rate_id(*rate)),
                "rate_id": rate_id(*rate),
                "label": "VAT",
                "compound": false,
                "tax_total": money(*total),
                "shipping_tax_total": money(if *rate == 20 { shipping_tax } else { 0 }),
                "meta_data": [],
            })
        })
        .collect();
    // Every seventeenth order has a fee (gift wrap), taxed like the goods.
    let (fee, fee_tax) = if i % 17 == 9 {
        (200, if no_vat { 0 } else { vat(200, 20) })
    } else {
        (0, 0)
    };
    let discount = subtotal_sum - total_sum;
    let total = total_sum + tax_sum + shipping + shipping_tax + fee + fee_tax;
    let address = json!({
        "first_name": first,
        "last_name": last,
        "company": if i % 10 == 1 { "Martin & Daughters Ltd" } else { "" },
        "address_1": format!("{} High Street", 1 + i % 90),
        "address_2": "",
        "city": city,
        "state": "",
        "postcode": postcode,
        "country": country,
    });
    let mut billing = address.clone();
    billing["email"] = json!(email);
    billing["phone"] = json!("01632 960000");
    let mut shipping_address = address;
    if i % 7 == 1 {
        shipping_address["address_1"] = json!("Unit 4, Riverside Works");
        shipping_address["city"] = json!("Salford");
        shipping_address["postcode"] = json!("M5 4WT");
    }
    shipping_address["phone"] = json!("");
    let day = 1 + i % 28;
    json!({
        "id": id,
        "parent_id": 0,
        "status": status,
        "currency": "GBP",
        "version": "9.4.2",
        "prices_include_tax": false,
        "date_created": format!("2026-11-{day:02}T{:02}:{:02}:11", 8 + i % 12, i % 60),
        "date_created_gmt": format!("2026-11-{day:02}T{:02}:{:02}:11", 8 + i % 12, i % 60),
        "discount_total": money(discount),
        "discount_tax": money(0),
        "shipping_total": money(shipping),
        "shipping_tax": money(shipping_tax),
        "cart_tax": money(tax_sum),
        "total": money(total),
        "total_tax": money(tax_sum + shipping_tax + fee_tax),
        "customer_id": customer_id,
        "order_key": format!("wc_order_{id:x}"),
        "billing": billing,
        "shipping": shipping_address,
        "payment_method": "stripe",
        "payment_method_title": "Credit card (Stripe)",
        "transaction_id": format!("ch_{id}"),
        "customer_note": if i % 11 == 0 { "Leave with the neighbour & ring twice" } else { "" },
        "number": id.to_string(),
        "meta_data": [],
        "line_items": lines,
        "tax_lines": tax_lines,
        "shipping_lines": if shipping == 0 { json!([{"id": id * 10 + 9, "method_title": "Free shipping", "method_id": "free_shipping", "total": "0.00", "total_tax": "0.00", "taxes": []}]) } else {
            json!([{"id": id * 10 + 9, "method_title": "Royal Mail Tracked", "method_id": "flat_rate", "total": money(shipping), "total_tax": money(shipping_tax), "taxes": []}])
        },
        "fee_lines": if fee == 0 { json!([]) } else {
            json!([{"id": id * 10 + 7, "name": "Gift wrap", "tax_class": "", "tax_status": "taxable", "total": money(fee), "total_tax": money(fee_tax), "taxes": [], "meta_data": []}])
        },
        "coupon_lines": if coupon { json!([{"id": id * 10 + 8, "code": "spring10", "discount": money(discount), "discount_tax": "0.00", "meta_data": []}]) } else { json!([]) },
        "refunds": if i % 13 == 7 { json!([{"id": id + 90000, "reason": "Arrived damaged", "total": "-5.00"}]) } else { json!([]) },
    })
}

fn rate_id(rate: u32) -> u32 {
    match rate {
        20 => 1,
        5 => 2,
        _ => 3,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_add_up() {
        for o in woo_orders(40) {
            let lines: i64 = o["line_items"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|l| {
                    pennies(l["total"].as_str().unwrap_or(""))
                        + pennies(l["total_tax"].as_str().unwrap_or(""))
                })
                .sum();
            let shipping = pennies(o["shipping_total"].as_str().unwrap_or(""))
                + pennies(o["shipping_tax"].as_str().unwrap_or(""));
            let fees: i64 = o["fee_lines"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|f| {
                    pennies(f["total"].as_str().unwrap_or(""))
                        + pennies(f["total_tax"].as_str().unwrap_or(""))
                })
                .sum();
            assert_eq!(
                lines + shipping + fees,
                pennies(o["total"].as_str().unwrap_or("")),
                "{}",
                o["id"]
            );
        }
    }
}
