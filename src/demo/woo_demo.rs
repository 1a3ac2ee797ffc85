//! `zynk demo --api woocommerce`: the demo shop speaking WooCommerce's REST API, served until
//! Ctrl-C, with the command that runs `scripts/woocommerce-sage50.zynk` against it.
use std::path::Path;

use super::error::DemoError;
use super::woo_sample::{WOO_PRODUCTS, woo_orders, woo_products, woo_variations};
use super::woo_server::{WooData, WooShop};
use crate::connect::Product;
use crate::ledger::Ledger;

/// The demo's REST API key: not a secret, the shop exists only on this machine.
pub const DEMO_CONSUMER_KEY: &str = "ck_demo";
/// The demo key's secret.
pub const DEMO_CONSUMER_SECRET: &str = "cs_demo";

/// How many `processing` orders the demo shop starts with (three pages of 100).
pub const DEMO_PROCESSING_ORDERS: usize = 230;

/// Puts the shop's products into the ledger (stock codes upper case, some stock allocated),
/// leaving products it already has alone.
///
/// # Errors
/// [`DemoError::Ledger`] when the ledger cannot be written.
pub fn seed_woo_ledger(ledger: &Ledger) -> Result<(), DemoError> {
    let error = |e: crate::ledger::LedgerError| DemoError::Ledger {
        path: ledger.path().to_path_buf(),
        reason: e.to_string(),
    };
    for (i, (sku, name, price, qty, rate)) in WOO_PRODUCTS.iter().enumerate() {
        if ledger.product(sku).map_err(error)?.is_some() {
            continue;
        }
        let product = Product {
            sku: (*sku).to_string(),
            name: Some((*name).to_string()),
            description: Some((*name).to_string()),
            sale_price: price.parse().unwrap_or(0.0),
            qty_in_stock: f64::from(*qty),
            qty_allocated: f64::from(u32::try_from(i % 3).unwrap_or(0)),
            tax_code: match rate {
                0 => 0,
                5 => 5,
                _ => 1,
            },
            publish: true,
            ..Product::default()
        };
        ledger.upsert_product(&product).map_err(error)?;
    }
    Ok(())
}

/// Creates the data folder and puts the shops' products into its `ledger.sqlite`.
///
/// # Errors
/// [`DemoError::Ledger`] when the folder or the ledger cannot be written.
pub(super) fn seed_demo_ledger(data: &Path) -> Result<(), DemoError> {
    std::fs::create_dir_all(data).map_err(|e| DemoError::Ledger {
        path: data.to_path_buf(),
        reason: e.to_string(),
    })?;
    let ledger_path = data.join("ledger.sqlite");
    let ledger = Ledger::open(&ledger_path).map_err(|e| DemoError::Ledger {
        path: ledger_path.clone(),
        reason: e.to_string(),
    })?;
    seed_woo_ledger(&ledger)
}

/// Serves the WooCommerce demo shop on 127.0.0.1:`port` until the process is stopped, with
/// the shop's products in `<data>/ledger.sqlite`.
///
/// # Errors
/// [`DemoError::Bind`] when the port is taken, [`DemoError::Server`], [`DemoError::Ledger`].
pub fn serve_woocommerce(data: &Path, port: u16) -> Result<(), DemoError> {
    seed_demo_ledger(data)?;
    let shop = WooShop::start(
        WooData {
            orders: woo_orders(DEMO_PROCESSING_ORDERS),
            products: woo_products(),
            variations: woo_variations(),
            consumer_key: DEMO_CONSUMER_KEY.into(),
            consumer_secret: DEMO_CONSUMER_SECRET.into(),
            requests: Vec::new(),
        },
        &format!("127.0.0.1:{port}"),
    )?;
    println!(
        "WooCommerce REST API v3 demo shop on {url}/wp-json/wc/v3/ ({DEMO_PROCESSING_ORDERS} processing orders)\n\
         key {DEMO_CONSUMER_KEY}, secret {DEMO_CONSUMER_SECRET} — run the recipe against it:\n\n    \
         WC_CONSUMER_KEY={DEMO_CONSUMER_KEY} WC_CONSUMER_SECRET={DEMO_CONSUMER_SECRET} zynk run scripts/woocommerce-sage50.zynk --var site={url} --data {data}\n\n\
         Ctrl-C stops the shop (its orders live in memory: a restart starts over).",
        url = shop.url(),
        data = data.display()
    );
    loop {
        std::thread::park();
    }
}
