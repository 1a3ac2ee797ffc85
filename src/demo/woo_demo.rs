//! `zynk demo --api woocommerce`: the demo shop speaking WooCommerce's REST API, served until
//! Ctrl-C, with the command that runs `scripts/woocommerce-sage50.zynk` against it.
use super::error::DemoError;
use super::woo_sample::{woo_orders, woo_products};
use super::woo_server::{WooData, WooShop};

/// The demo's REST API key: not a secret, the shop exists only on this machine.
pub const DEMO_CONSUMER_KEY: &str = "ck_demo";
/// The demo key's secret.
pub const DEMO_CONSUMER_SECRET: &str = "cs_demo";

/// How many `processing` orders the demo shop starts with (three pages of 100).
pub const DEMO_PROCESSING_ORDERS: usize = 230;

/// Serves the WooCommerce demo shop on 127.0.0.1:`port` until the process is stopped.
///
/// # Errors
/// [`DemoError::Bind`] when the port is taken, [`DemoError::Server`].
pub fn serve_woocommerce(port: u16) -> Result<(), DemoError> {
    let shop = WooShop::start(
        WooData {
            orders: woo_orders(DEMO_PROCESSING_ORDERS),
            products: woo_products(),
            consumer_key: DEMO_CONSUMER_KEY.into(),
            consumer_secret: DEMO_CONSUMER_SECRET.into(),
            requests: Vec::new(),
        },
        &format!("127.0.0.1:{port}"),
    )?;
    println!(
        "WooCommerce REST API v3 demo shop on {url}/wp-json/wc/v3/ ({DEMO_PROCESSING_ORDERS} processing orders)\n\
         key {DEMO_CONSUMER_KEY}, secret {DEMO_CONSUMER_SECRET} — run the recipe against it:\n\n    \
         WC_CONSUMER_KEY={DEMO_CONSUMER_KEY} WC_CONSUMER_SECRET={DEMO_CONSUMER_SECRET} zynk run scripts/woocommerce-sage50.zynk --var site={url} --data zynk-woo\n\n\
         Ctrl-C stops the shop (its orders live in memory: a restart starts over).",
        url = shop.url()
    );
    loop {
        std::thread::park();
    }
}
