//! `zynk demo`: the demo shop with its walkthrough, or serving a shop's REST API until Ctrl-C.
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::{EXIT_FAILED, EXIT_OK, output, stderr_style};
use crate::diagnostic;

/// The options of `zynk demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Where the shop, the ledger, the run log and the working files live.
    #[arg(long, value_name = "DIR", default_value = "zynk-demo")]
    data: PathBuf,
    /// Port for the shop on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Keep the shop running after the run, for your own scripts.
    #[arg(long)]
    serve: bool,
    /// Start over with a newly seeded shop and ledger; with --serve, skip the seed
    /// workflow so its orders and customers are left for your own script.
    #[arg(long)]
    fresh: bool,
    /// Serve the download in this encoding, as an old website script does (non-ASCII
    /// names are seeded to show it).
    #[arg(long, value_enum, value_name = "ENCODING")]
    legacy_encoding: Option<crate::demo::LegacyEncoding>,
    /// Answer errors with 200 and a line of text, as PHP's `die()`.
    #[arg(long)]
    errors_as_200: bool,
    /// With --legacy-encoding: keep `encoding="utf-8"` in the XML declaration while
    /// sending the legacy bytes (with a correct Content-Type charset), as Zynk's CS-Cart
    /// scripts do.
    #[arg(long, requires = "legacy_encoding")]
    wrong_declaration: bool,
    /// Hand out the shop's orders as invoices, post them to the customers' balances and
    /// upload the accounts back to the shop.
    #[arg(long)]
    invoices: bool,
    /// Which API the shop speaks: Zynk's three URLs (the walkthrough), WooCommerce's REST
    /// API v3 (for scripts/woocommerce-sage50.zynk) or Shopify's Admin REST API (for
    /// scripts/shopify-sage50.zynk), the last two served until Ctrl-C.
    #[arg(long, value_enum, default_value_t = DemoApi::Zynk)]
    api: DemoApi,
}

/// The API `zynk demo` serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(super) enum DemoApi {
    /// Zynk's download, notify and upload URLs, with the walkthrough.
    Zynk,
    /// WooCommerce's REST API v3 (orders, products, batches).
    Woocommerce,
    /// Shopify's Admin REST API (orders, products, locations, inventory levels).
    Shopify,
}

/// Runs `zynk demo` and gives its exit code.
pub(super) fn demo_command(args: DemoArgs) -> u8 {
    let DemoArgs {
        data,
        port,
        serve,
        fresh,
        legacy_encoding,
        errors_as_200,
        wrong_declaration,
        invoices,
        api,
    } = args;
    if api != DemoApi::Zynk {
        let served = if api == DemoApi::Shopify {
            crate::demo::serve_shopify(&data, port)
        } else {
            crate::demo::serve_woocommerce(&data, port)
        };
        return match served {
            Ok(()) => EXIT_OK,
            Err(error) => {
                output::err(&diagnostic::render_plain(&error, stderr_style()));
                EXIT_FAILED
            }
        };
    }
    let legacy = crate::demo::Legacy {
        encoding: legacy_encoding,
        errors_as_200,
        wrong_declaration,
    };
    let options = crate::demo::DemoOptions {
        data,
        port,
        serve,
        fresh,
        legacy,
        invoices,
    };
    match crate::demo::run_demo(&options) {
        Ok(true) => EXIT_OK,
        Ok(false) => EXIT_FAILED,
        Err(error) => {
            output::err(&diagnostic::render_plain(&error, stderr_style()));
            EXIT_FAILED
        }
    }
}
