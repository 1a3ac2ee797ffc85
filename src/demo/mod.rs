//! The demo shop: a small website over its own SQLite data that speaks Zynk's three URLs.
//!
//! `GET /zynk/download` offers new customers and pending orders as Connect XML,
//! `POST /zynk/notify` takes a success file and stores account references and order numbers,
//! `POST /zynk/upload` takes a product chunk and sets free stock. [`Shop`] serves it on
//! loopback for `zynk demo` and the integration tests; [`ShopState`] reads what changed.
//! [`Legacy`] makes it speak like an old website script (ISO-8859-1, errors as `200`).
mod download;
mod error;
mod legacy;
mod model;
mod prng;
mod protocol;
mod rest_shop;
mod seed;
mod server;
mod serving;
mod shopify_demo;
mod shopify_sample;
mod shopify_server;
mod state;
mod store;
mod walkthrough;
mod woo_demo;
mod woo_sample;
mod woo_server;
mod xml;

pub use download::download_xml;
pub use error::DemoError;
pub use legacy::{DIE_TEXT, Legacy, LegacyEncoding};
pub use model::{Address, Customer, Line, Order, money};
pub use prng::SplitMix64;
pub use protocol::{BadBody, Report};
pub use seed::{
    CUSTOMER_COUNT, CUSTOMERS_WITHOUT_ORDERS, DEFAULT_SEED, FIRST_ORDER_ID, INVALID_ORDER_ID,
    MISSING_CUSTOMER_ID, ORDER_COUNT, PRODUCT_COUNT, SeedData, SeedProduct, UNKNOWN_SKU_ORDER_IDS,
    UNKNOWN_SKUS, generate, seed, seed_products,
};
pub use server::{DOWNLOAD_PATH, MAX_BODY_BYTES, NOTIFY_PATH, Shop, UPLOAD_PATH};
pub use shopify_demo::{DEMO_OPEN_ORDERS, DEMO_SHOPIFY_TOKEN, serve_shopify, shopify_demo_data};
pub use shopify_sample::{
    FIRST_SHOPIFY_ORDER, SHOPIFY_LOCATIONS, SHOPIFY_STARTING_STOCK, SHOPIFY_WEB_ONLY_SKUS,
    UNTRACKED_SKU, inventory_item_id, shopify_inventory_levels, shopify_locations, shopify_orders,
    shopify_products,
};
pub use shopify_server::{SHOPIFY_PAGE_LIMIT, ShopifyData, ShopifyRequest, ShopifyShop, Throttle};
pub use state::{ShopState, ShopSummary};
pub use walkthrough::{
    DemoOptions, INVOICE_SCRIPT, INVOICE_SCRIPT_NAME, SEED_SCRIPT, SEED_SCRIPT_NAME, Snapshot,
    run_demo, seed_ledger,
};
pub use woo_demo::{
    DEMO_CONSUMER_KEY, DEMO_CONSUMER_SECRET, DEMO_PROCESSING_ORDERS, seed_woo_ledger,
    serve_woocommerce,
};
pub use woo_sample::{
    FIRST_WOO_ORDER, VARIABLE_PRODUCT, WEB_ONLY_SKUS, WOO_PRODUCTS, woo_orders, woo_products,
    woo_variations,
};
pub use woo_server::{WOO_BATCH_LIMIT, WooData, WooRequest, WooShop};
