//! `zynk demo --api shopify`: the demo shop speaking Shopify's Admin REST API, served until
//! Ctrl-C, with the command that runs `scripts/shopify-sage50.zynk` against it.
use std::path::Path;

use super::error::DemoError;
use super::shopify_sample::{
    shopify_inventory_levels, shopify_locations, shopify_orders, shopify_products,
};
use super::shopify_server::{ShopifyData, ShopifyShop, Throttle};
use super::woo_demo::seed_demo_ledger;

/// The demo's Admin API access token: not a secret, the shop exists only on this machine.
pub const DEMO_SHOPIFY_TOKEN: &str = "shpat_demo";

/// How many open orders the demo shop starts with (two pages of 250).
pub const DEMO_OPEN_ORDERS: usize = 300;

/// What the demo shop starts with.
#[must_use]
pub fn shopify_demo_data(open_orders: usize, access_token: &str) -> ShopifyData {
    ShopifyData {
        orders: shopify_orders(open_orders),
        products: shopify_products(),
        locations: shopify_locations(),
        levels: shopify_inventory_levels(),
        access_token: access_token.to_string(),
        requests: Vec::new(),
        throttle: None,
    }
}

/// Serves the Shopify demo shop on 127.0.0.1:`port` until the process is stopped, with the
/// shop's products in `<data>/ledger.sqlite`.
///
/// # Errors
/// [`DemoError::Bind`] when the port is taken, [`DemoError::Server`], [`DemoError::Ledger`].
pub fn serve_shopify(data: &Path, port: u16) -> Result<(), DemoError> {
    seed_demo_ledger(data)?;
    // Shopify's leaky bucket of 40 calls, leaking 20 a second (ten times the standard plan's
    // rate, so the demo's 300 orders do not take minutes): the recipe meets real 429s.
    let mut shop_data = shopify_demo_data(DEMO_OPEN_ORDERS, DEMO_SHOPIFY_TOKEN);
    shop_data.throttle = Some(Throttle::new(40.0, 20.0));
    let shop = ShopifyShop::start(shop_data, &format!("127.0.0.1:{port}"))?;
    println!(
        "Shopify Admin REST API demo shop on {url}/admin/api/2024-10/ ({DEMO_OPEN_ORDERS} open orders)\n\
         access token {DEMO_SHOPIFY_TOKEN} — run the recipe against it:\n\n    \
         SHOPIFY_ACCESS_TOKEN={DEMO_SHOPIFY_TOKEN} zynk run scripts/shopify-sage50.zynk --var site={url} --data {data}\n\n\
         Ctrl-C stops the shop (its orders live in memory: a restart starts over).",
        url = shop.url(),
        data = data.display()
    );
    loop {
        std::thread::park();
    }
}
