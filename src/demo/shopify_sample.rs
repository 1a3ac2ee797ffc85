//! Sample data for the Shopify API of the demo shop: orders, products with variants,
//! locations and inventory levels shaped as Shopify's Admin REST API documents them, with
//! totals computed as Shopify computes them (tax per line, rounded to the penny, prices
//! with or without VAT as the order's `taxes_included` says).
use serde_json::{Value, json};

use super::woo_sample::{CUSTOMERS, WOO_PRODUCTS, money, pennies, vat};

/// The first order id (Shopify's ids are large numbers).
pub const FIRST_SHOPIFY_ORDER: u64 = 5_610_000_001;

/// The shop's locations: id, name, active. The first active one is where stock is kept.
pub const SHOPIFY_LOCATIONS: [(u64, &str, bool); 3] = [
    (61_001, "Warehouse", true),
    (61_002, "Pop-up shop", true),
    (61_003, "Old store", false),
];

/// A SKU the ledger knows whose variant does not track inventory: its stock is left alone.
pub const UNTRACKED_SKU: &str = "POSTER-A2";

/// SKUs the shop sells that the ledger does not know.
pub const SHOPIFY_WEB_ONLY_SKUS: [&str; 2] = ["gift-card-25", "WEB-DOWNLOAD"];

/// What the variants of the shop stand at in every location where they are stocked.
pub const SHOPIFY_STARTING_STOCK: i64 = 3;

/// The inventory item of the product at `index` of `WOO_PRODUCTS` (then the web-only ones).
#[must_use]
pub fn inventory_item_id(index: usize) -> u64 {
    88_000 + index as u64
}

/// The shop's products: the hoodies are one product with two variants, every other
/// ledger product one product of one variant, and two products the ledger does not know.
#[must_use]
pub fn shopify_products() -> Vec<Value> {
    let variant = |index: usize, sku: &str, title: &str, price: &str, tracked: bool| {
        json!({
            "id": 44_000 + index as u64,
            "product_id": 0,
            "title": title,
            "price": price,
            "sku": sku,
            "position": 1,
            "inventory_policy": "deny",
            "inventory_management": if tracked { json!("shopify") } else { Value::Null },
            "inventory_item_id": inventory_item_id(index),
            "inventory_quantity": if tracked { SHOPIFY_STARTING_STOCK } else { 0 },
            "taxable": true,
            "requires_shipping": true,
        })
    };
    let product = |id: u64, title: &str, mut variants: Vec<Value>| {
        for v in &mut variants {
            v["product_id"] = json!(id);
        }
        json!({
            "id": id,
            "title": title,
            "handle": title.to_lowercase().replace(' ', "-"),
            "vendor": "Demo",
            "product_type": "",
            "status": "active",
            "tags": "",
            "variants": variants,
            "options": [{"name": "Title"}],
        })
    };
    let mut out = vec![product(
        7_000,
        "Hoodie",
        vec![
            variant(0, "hoodie-l", "Large", WOO_PRODUCTS[0].2, true),
            variant(1, "HOODIE-M", "Medium", WOO_PRODUCTS[1].2, true),
        ],
    )];
    for (i, (sku, name, price, _, _)) in WOO_PRODUCTS.iter().enumerate().skip(2) {
        // The shop writes some SKUs in lower case: the ledger's codes match regardless.
        let sku = if i % 2 == 0 {
            sku.to_lowercase()
        } else {
            (*sku).to_string()
        };
        let tracked = !sku.eq_ignore_ascii_case(UNTRACKED_SKU);
        out.push(product(
            7_000 + i as u64,
            name,
            vec![variant(i, &sku, "Default Title", price, tracked)],
        ));
    }
    for (k, sku) in SHOPIFY_WEB_ONLY_SKUS.iter().enumerate() {
        let i = WOO_PRODUCTS.len() + k;
        out.push(product(
            7_000 + i as u64,
            "Web only",
            vec![variant(i, sku, "Default Title", "10.00", k == 1)],
        ));
    }
    out
}

/// The shop's locations as `GET /locations.json` lists them.
#[must_use]
pub fn shopify_locations() -> Vec<Value> {
    SHOPIFY_LOCATIONS
        .iter()
        .map(|(id, name, active)| {
            json!({
                "id": id,
                "name": name,
                "address1": "1 Dock Road",
                "city": "Liverpool",
                "zip": "L3 4AA",
                "country_code": "GB",
                "active": active,
                "legacy": false,
            })
        })
        .collect()
}

/// Inventory levels: every tracked variant at the warehouse; every other one also at the
/// pop-up shop.
#[must_use]
pub fn shopify_inventory_levels() -> Vec<Value> {
    let mut out = Vec::new();
    for product in shopify_products() {
        for v in product["variants"].as_array().into_iter().flatten() {
            if v["inventory_management"].is_null() {
                continue;
            }
            let item = v["inventory_item_id"].as_u64().unwrap_or(0);
            out.push(level(item, SHOPIFY_LOCATIONS[0].0, SHOPIFY_STARTING_STOCK));
            if item % 2 == 0 {
                out.push(level(item, SHOPIFY_LOCATIONS[1].0, 1));
            }
        }
    }
    out
}

/// One inventory level as Shopify writes it.
#[must_use]
pub(super) fn level(inventory_item_id: u64, location_id: u64, available: i64) -> Value {
    json!({
        "inventory_item_id": inventory_item_id,
        "location_id": location_id,
        "available": available,
        "updated_at": "2026-11-30T09:00:00+00:00",
    })
}

/// `open` orders first (`paid`, some `partially_refunded`, some `pending` ones not yet
/// paid), then closed and cancelled ones, with guests, names beyond ASCII, two VAT rates and
/// orders without VAT, prices with and without VAT, discount codes and a refund.
#[must_use]
pub fn shopify_orders(open: usize) -> Vec<Value> {
    let products = shopify_products();
    let variants: Vec<&Value> = products
        .iter()
        .flat_map(|p| p["variants"].as_array().into_iter().flatten())
        .collect();
    (0..open + 6)
        .map(|i| {
            let state = if i < open {
                OrderState::Open
            } else if i % 2 == 0 {
                OrderState::Closed
            } else {
                OrderState::Cancelled
            };
            order(i, state, &variants)
        })
        .collect()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum OrderState {
    Open,
    Closed,
    Cancelled,
}

/// `{"title": "VAT", "price": …, "rate": …}` for a tax of `pennies` at `rate` percent, or none.
fn tax_lines(pennies: i64, rate: u32) -> Value {
    if rate == 0 {
        return json!([]);
    }
    json!([{"title": "VAT", "price": money(pennies), "rate": f64::from(rate) / 100.0}])
}

/// The tax on `amount` pennies at `rate` percent. Of a gross amount (`included`), it is the
/// gross less the net, the net rounded half up (as the ledger takes VAT out of a gross price,
/// so a half-penny tie falls the same way on both sides).
fn tax_on(amount: i64, rate: u32, included: bool) -> i64 {
    if included {
        let r = i64::from(rate);
        let net = (amount * 200 + 100 + r).div_euclid(2 * (100 + r));
        amount - net
    } else {
        vat(amount, rate)
    }
}

#[allow(clippy::too_many_lines)]
fn order(i: usize, state: OrderState, variants: &[&Value]) -> Value {
    let id = FIRST_SHOPIFY_ORDER + i as u64;
    let guest = i % 4 == 3;
    let no_vat = i % 9 == 5;
    // Most orders carry prices with VAT (the shop's setting); every tenth is from before the
    // setting changed.
    let included = i % 10 != 7;
    let financial = match (state, i % 13, i % 10) {
        (OrderState::Cancelled, _, _) => "voided",
        (_, 7, _) => "partially_refunded",
        (_, _, 4) => "pending",
        _ => "paid",
    };
    let c = CUSTOMERS[i % CUSTOMERS.len()];
    let (first, last, email, city, postcode) = if guest {
        (
            "Guest".to_string(),
            format!("Buyer {i}"),
            format!("guest{i}@example.net"),
            "Hull",
            "HU1 1AA",
        )
    } else {
        (c.1.to_string(), c.2.to_string(), c.3.to_string(), c.4, c.5)
    };
    let country = if no_vat { "US" } else { "GB" };
    let coupon = i % 5 == 2;
    let mut lines = Vec::new();
    let (mut items_price, mut discounts, mut taxes, mut gross_sum) = (0i64, 0i64, 0i64, 0i64);
    for k in 0..(1 + i % 3) {
        // Variants of products the ledger knows, never the web-only ones.
        let p = (i * 3 + k * 5) % WOO_PRODUCTS.len();
        let v = variants[p];
        let (_, name, price, _, rate) = WOO_PRODUCTS[p];
        let rate = if no_vat { 0 } else { rate };
        let qty = 1 + ((i + k) % 3) as i64;
        let full = pennies(price) * qty;
        let discount = if coupon { full / 10 } else { 0 };
        let amount = full - discount;
        let tax = tax_on(amount, rate, included);
        items_price += full;
        discounts += discount;
        taxes += tax;
        gross_sum += if included { amount } else { amount + tax };
        lines.push(json!({
            "id": id * 10 + k as u64,
            "variant_id": v["id"],
            "product_id": v["product_id"],
            "title": if p < 2 { "Hoodie" } else { name },
            "variant_title": if p < 2 { v["title"].clone() } else { Value::Null },
            "name": name,
            "sku": v["sku"],
            "vendor": "Demo",
            "quantity": qty,
            "current_quantity": qty,
            "fulfillable_quantity": qty,
            "price": price,
            "taxable": rate > 0,
            "gift_card": false,
            "requires_shipping": true,
            "total_discount": "0.00",
            "tax_lines": tax_lines(tax, rate),
            "discount_allocations": if discount > 0 {
                json!([{"amount": money(discount), "discount_application_index": 0}])
            } else { json!([]) },
            "properties": [],
        }));
    }
    let shipping = if i % 6 == 4 { 0 } else { 495 };
    let shipping_rate = if no_vat || shipping == 0 { 0 } else { 20 };
    let shipping_tax = tax_on(shipping, shipping_rate, included);
    taxes += shipping_tax;
    gross_sum += if included {
        shipping
    } else {
        shipping + shipping_tax
    };
    let subtotal = items_price - discounts;
    let address = json!({
        "first_name": first,
        "last_name": last,
        "name": format!("{first} {last}"),
        "company": if i % 10 == 1 { json!("Martin & Daughters Ltd") } else { Value::Null },
        "address1": format!("{} High Street", 1 + i % 90),
        "address2": "",
        "city": city,
        "province": Value::Null,
        "zip": postcode,
        "country": if no_vat { "United States" } else { "United Kingdom" },
        "country_code": country,
        "phone": "01632 960000",
    });
    let mut shipping_address = address.clone();
    if i % 7 == 1 {
        shipping_address["address1"] = json!("Unit 4, Riverside Works");
        shipping_address["city"] = json!("Salford");
        shipping_address["zip"] = json!("M5 4WT");
    }
    let day = 1 + i % 28;
    let created = format!("2026-11-{day:02}T{:02}:{:02}:11+00:00", 8 + i % 12, i % 60);
    let customer = if guest {
        Value::Null
    } else {
        json!({
            "id": 6_400_000 + c.0,
            "email": c.3,
            "first_name": c.1,
            "last_name": c.2,
            "state": "enabled",
            "tags": "",
            "currency": "GBP",
        })
    };
    let mut out = json!({
        "id": id,
        "admin_graphql_api_id": format!("gid://shopify/Order/{id}"),
        "name": format!("#{}", 1001 + i),
        "number": 1 + i,
        "order_number": 1001 + i,
        "email": email,
        "contact_email": email,
        "created_at": created,
        "processed_at": created,
        "updated_at": created,
        "currency": "GBP",
        "presentment_currency": "GBP",
        "financial_status": financial,
        "fulfillment_status": if state == OrderState::Closed { json!("fulfilled") } else { Value::Null },
        "closed_at": if state == OrderState::Closed { json!(created) } else { Value::Null },
        "cancelled_at": if state == OrderState::Cancelled { json!(created) } else { Value::Null },
        "cancel_reason": if state == OrderState::Cancelled { json!("customer") } else { Value::Null },
        "taxes_included": included,
        "tags": if i % 8 == 6 { "wholesale" } else { "" },
        "note": if i % 11 == 0 { json!("Leave with the neighbour & ring twice") } else { Value::Null },
        "total_line_items_price": money(items_price),
        "total_discounts": money(discounts),
        "subtotal_price": money(subtotal),
        "total_tax": money(taxes),
        "total_price": money(gross_sum),
        "current_total_price": money(gross_sum),
        "discount_codes": if coupon {
            json!([{"code": "SPRING10", "amount": money(discounts), "type": "percentage"}])
        } else { json!([]) }
    });
    let more = json!({
        "customer": customer,
        "billing_address": address,
        "shipping_address": shipping_address,
        "line_items": lines,
        "shipping_lines": [{
            "id": id * 10 + 9,
            "title": if shipping == 0 { "Free shipping" } else { "Royal Mail Tracked" },
            "code": if shipping == 0 { "FREE" } else { "RM-TRACKED" },
            "source": "shopify",
            "price": money(shipping),
            "discounted_price": money(shipping),
            "tax_lines": tax_lines(shipping_tax, shipping_rate),
            "discount_allocations": [],
        }],
        "tax_lines": if taxes == 0 { json!([]) } else {
            json!([{"title": "VAT", "price": money(taxes), "rate": 0.2}])
        },
        "refunds": if financial == "partially_refunded" {
            json!([{"id": id + 70_000, "note": "Arrived damaged", "created_at": created,
                    "refund_line_items": [], "transactions": [{"kind": "refund", "amount": "5.00"}]}])
        } else { json!([]) },
        "payment_gateway_names": ["shopify_payments"],
        "source_name": "web",
    });
    if let (Value::Object(out), Value::Object(more)) = (&mut out, more) {
        out.extend(more);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(v: &Value) -> i64 {
        pennies(v.as_str().unwrap_or(""))
    }

    #[test]
    fn totals_add_up_as_shopify_adds_them() {
        for o in shopify_orders(60) {
            let included = o["taxes_included"].as_bool().unwrap_or(false);
            let mut total = 0;
            for l in o["line_items"].as_array().into_iter().flatten() {
                let qty = l["quantity"].as_i64().unwrap_or(0);
                let discount: i64 = l["discount_allocations"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|d| p(&d["amount"]))
                    .sum();
                let tax: i64 = l["tax_lines"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|t| p(&t["price"]))
                    .sum();
                let amount = p(&l["price"]) * qty - discount;
                total += if included { amount } else { amount + tax };
            }
            for s in o["shipping_lines"].as_array().into_iter().flatten() {
                let tax: i64 = s["tax_lines"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|t| p(&t["price"]))
                    .sum();
                total += p(&s["price"]) + if included { 0 } else { tax };
            }
            assert_eq!(total, p(&o["total_price"]), "{}", o["id"]);
        }
    }

    #[test]
    fn tax_in_a_gross_amount_is_the_gross_less_the_net_rounded_half_up() {
        // 25.00 with 20 % VAT in it holds 4.17 of VAT; 8.50 holds 1.42; 4.95 is 4.13 net
        // (4.125 rounded up) and 0.82 VAT.
        assert_eq!(tax_on(2500, 20, true), 417);
        assert_eq!(tax_on(850, 20, true), 142);
        assert_eq!(tax_on(8900, 5, true), 424);
        assert_eq!(tax_on(495, 20, true), 82);
        assert_eq!(tax_on(2500, 20, false), 500);
    }
}
