//! `zynk demo`: the seed workflow end to end against the demo shop, with both sides shown
//! before and after.
use std::path::{Path, PathBuf};

use super::{DemoError, Shop, ShopState, ShopSummary, seed_products};
use crate::connect::Product;
use crate::ledger::{Ledger, ListKind};
use crate::runtime::LogFormat;
use crate::source::SourceFile;

/// The seed workflow, built into the binary so `zynk demo` runs from any folder.
pub const SEED_SCRIPT: &str = include_str!("../../scripts/website-sage50.zynk");
/// The name diagnostics give the built-in script.
pub const SEED_SCRIPT_NAME: &str = "scripts/website-sage50.zynk";
/// The workflow `zynk demo --invoices` runs: orders imported as invoices, accounts uploaded.
pub const INVOICE_SCRIPT: &str = include_str!("../../scripts/website-sage50-invoices.zynk");
/// The name diagnostics give the invoice script.
pub const INVOICE_SCRIPT_NAME: &str = "scripts/website-sage50-invoices.zynk";

/// Settings of `zynk demo`.
#[derive(Debug, Clone)]
pub struct DemoOptions {
    /// Holds the shop's database, the ledger, the state store and the working directory.
    pub data: PathBuf,
    /// Port on 127.0.0.1 (0: any free port).
    pub port: u16,
    /// Keep the shop running after the run.
    pub serve: bool,
    /// Start over: a newly seeded shop and ledger, no state and no working files. With
    /// `serve`, the seed workflow does not run, so the shop's orders and customers wait
    /// for the user's own script.
    pub fresh: bool,
    /// Speak like a legacy website script (another encoding, errors as `200`).
    pub legacy: super::Legacy,
    /// Hand out the orders as invoices and run [`INVOICE_SCRIPT`].
    pub invoices: bool,
}

/// Both sides at one moment.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub shop: ShopSummary,
    pub accounts: usize,
    pub orders: usize,
    pub invoices: usize,
    pub products: usize,
    /// Products whose site stock equals the ledger's free stock.
    pub in_sync: usize,
}

impl Snapshot {
    /// Reads the shop's database and the ledger.
    pub fn take(shop_db: &Path, ledger: &Ledger) -> Result<Snapshot, DemoError> {
        let shop = ShopState::open(shop_db)?;
        let ledger_error = |e: crate::ledger::LedgerError| DemoError::Ledger {
            path: ledger.path().to_path_buf(),
            reason: e.to_string(),
        };
        let count = |kind| {
            ledger
                .table(kind)
                .map(|t| t.rows.len())
                .map_err(ledger_error)
        };
        let free: std::collections::HashMap<String, f64> = ledger
            .products()
            .map_err(ledger_error)?
            .into_iter()
            .map(|p| (p.stock_code.clone(), p.free_stock()))
            .collect();
        #[allow(clippy::cast_precision_loss)]
        let in_sync = shop
            .products()?
            .iter()
            .filter(|(sku, _, stock)| {
                free.get(sku)
                    .is_some_and(|f| f.max(0.0).floor() == *stock as f64)
            })
            .count();
        Ok(Snapshot {
            shop: shop.summary()?,
            accounts: count(ListKind::Customers)?,
            orders: count(ListKind::Orders)?,
            invoices: count(ListKind::Invoices)?,
            products: count(ListKind::Products)?,
            in_sync,
        })
    }

    fn print(&self, title: &str) {
        let s = &self.shop;
        println!("{title}");
        println!(
            "  site:   {} customers ({} with an account reference), {} orders ({} posted, {} pending), {} products",
            s.customers,
            s.customers_with_reference,
            s.orders,
            s.orders_posted,
            s.orders_pending,
            s.products
        );
        println!(
            "  ledger: {} accounts, {} sales orders, {} invoices, {} products; site stock matches ledger free stock for {} of {} products",
            self.accounts, self.orders, self.invoices, self.products, self.in_sync, s.products
        );
    }
}

/// Gives a new ledger the shop's 1,000 stock items, with quantities in stock and
/// allocated that differ from the site's, as an accounts department's would.
pub fn seed_ledger(ledger: &Ledger) -> Result<(), DemoError> {
    let error = |e: crate::ledger::LedgerError| DemoError::Ledger {
        path: ledger.path().to_path_buf(),
        reason: e.to_string(),
    };
    // One transaction for all 1,000 items: one sync instead of a thousand.
    let conn = ledger.connection();
    conn.execute_batch("BEGIN IMMEDIATE")
        .map_err(|e| DemoError::Ledger {
            path: ledger.path().to_path_buf(),
            reason: e.to_string(),
        })?;
    for (i, item) in seed_products().into_iter().enumerate() {
        #[allow(clippy::cast_precision_loss)]
        let (extra, allocated) = ((3 + i % 4) as f64, (i % 3) as f64);
        #[allow(clippy::cast_precision_loss)]
        let product = Product {
            sku: item.sku,
            name: Some(item.name.clone()),
            description: Some(item.name),
            sale_price: item.price,
            qty_in_stock: item.qty as f64 + extra,
            qty_allocated: allocated,
            tax_code: item.tax_code,
            publish: true,
            ..Product::default()
        };
        if let Err(e) = ledger.upsert_product(&product) {
            let _ = conn.execute_batch("ROLLBACK");
            return Err(error(e));
        }
    }
    conn.execute_batch("COMMIT").map_err(|e| DemoError::Ledger {
        path: ledger.path().to_path_buf(),
        reason: e.to_string(),
    })
}

/// Removes what earlier demos left in `data`: the shop, the ledger, the state store (each
/// with its SQLite side files) and the seed workflow's working directory.
fn start_over(data: &Path) -> Result<(), DemoError> {
    let fail = |path: &Path, e: std::io::Error| DemoError::Ledger {
        path: path.to_path_buf(),
        reason: format!("could not remove it to start over: {e}"),
    };
    for name in ["shop.sqlite", "ledger.sqlite", "state.sqlite"] {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let path = data.join(format!("{name}{suffix}"));
            match std::fs::remove_file(&path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(fail(&path, e)),
                _ => {}
            }
        }
    }
    for (name, text) in [
        (SEED_SCRIPT_NAME, SEED_SCRIPT),
        (INVOICE_SCRIPT_NAME, INVOICE_SCRIPT),
    ] {
        let source = SourceFile::from_text(name, text);
        if let Some(program) = crate::launch::compile(&source, &[]) {
            let workdir = data.join(&program.workflow);
            match std::fs::remove_dir_all(&workdir) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    return Err(fail(&workdir, e));
                }
                _ => {}
            }
        }
    }
    Ok(())
}

/// Runs the demo: seeds what is new, starts the shop, runs the seed workflow against it
/// and prints both sides before and after. Returns whether the run succeeded.
pub fn run_demo(options: &DemoOptions) -> Result<bool, DemoError> {
    let data = &options.data;
    std::fs::create_dir_all(data).map_err(|e| DemoError::Ledger {
        path: data.clone(),
        reason: e.to_string(),
    })?;
    let ledger_path = data.join("ledger.sqlite");
    if options.fresh {
        start_over(data)?;
    }
    let new_ledger = !ledger_path.exists();
    let ledger = Ledger::open(&ledger_path).map_err(|e| DemoError::Ledger {
        path: ledger_path.clone(),
        reason: e.to_string(),
    })?;
    if new_ledger {
        seed_ledger(&ledger)?;
    }
    let shop_db = data.join("shop.sqlite");
    let shop = Shop::start_legacy(
        &shop_db,
        &format!("127.0.0.1:{}", options.port),
        super::DEFAULT_SEED,
        options.legacy,
    )?;
    shop.download_invoices(options.invoices)?;
    println!(
        "demo shop serving on {} (data in {})",
        shop.url(),
        data.display()
    );
    let before = Snapshot::take(&shop_db, &ledger)?;
    before.print("before:");
    println!();

    if options.fresh && options.serve {
        println!(
            "the seed workflow did not run (--fresh): the orders and customers above wait for your own script;\nthe shop serves on {} — Ctrl-C stops it",
            shop.url()
        );
        loop {
            std::thread::park();
        }
    }

    let source = if options.invoices {
        SourceFile::from_text(INVOICE_SCRIPT_NAME, INVOICE_SCRIPT)
    } else {
        SourceFile::from_text(SEED_SCRIPT_NAME, SEED_SCRIPT)
    };
    let vars = vec![("site".to_string(), shop.url())];
    let Some(program) = crate::launch::compile(&source, &vars) else {
        return Ok(false);
    };
    let summary = crate::launch::run_program(&source, &program, data, LogFormat::Text, None).ok();
    println!();
    let after = Snapshot::take(&shop_db, &ledger)?;
    after.print("after:");
    let archive = data.join(&program.workflow).join("Archive");
    let zips: Vec<(std::time::SystemTime, PathBuf)> = std::fs::read_dir(&archive)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .filter(|e| e.file_name().to_string_lossy().ends_with("_archive.zip"))
                .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
                .collect()
        })
        .unwrap_or_default();
    if let Some((_, newest)) = zips.iter().max_by_key(|(modified, _)| *modified) {
        let n = zips.len();
        println!(
            "  archive: {} ({n} run{} archived)",
            newest.display(),
            if n == 1 { "" } else { "s" }
        );
    }
    let imported = if options.invoices {
        after.invoices > before.invoices
    } else {
        after.orders > before.orders
    };
    if !imported && before.shop.orders_posted > 0 {
        println!(
            "  note: an earlier demo posted the shop's orders, so this run had none to {}; `zynk demo{} --fresh` starts over with a new shop and ledger",
            if options.invoices {
                "invoice"
            } else {
                "import"
            },
            if options.invoices { " --invoices" } else { "" }
        );
    }
    if options.invoices {
        println!(
            "  run `zynk demo --invoices` again: nothing is posted twice; the accounts' balances are uploaded again"
        );
    } else {
        println!(
            "  run `zynk demo` again: nothing is imported twice; only changed stock is uploaded"
        );
    }
    println!(
        "  look inside: zynk ledger {} --data {}   ·   zynk runs --data {}",
        if options.invoices {
            "invoices"
        } else {
            "orders"
        },
        data.display(),
        data.display()
    );
    if options.serve {
        println!(
            "\nthe shop keeps serving on {} — point your own scripts at it; Ctrl-C stops it",
            shop.url()
        );
        loop {
            std::thread::park();
        }
    }
    Ok(summary.is_some_and(|s| s.ok))
}
