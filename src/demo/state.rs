//! `ShopState`: a read-only view of a shop database, for summaries and tests.
use std::fmt;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use super::error::DemoError;
use super::model::{Customer, Order};
use super::store;

/// Counts that show what an integration run changed on the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ShopSummary {
    pub customers: u64,
    /// Customers the ledger's account reference has been stored for.
    pub customers_with_reference: u64,
    pub orders: u64,
    pub orders_posted: u64,
    pub orders_pending: u64,
    pub products: u64,
    /// Products whose stock an upload has set.
    pub products_synced: u64,
}

impl fmt::Display for ShopSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "customers: {} ({} with an account reference)",
            self.customers, self.customers_with_reference
        )?;
        writeln!(
            f,
            "orders:    {} ({} posted, {} pending)",
            self.orders, self.orders_posted, self.orders_pending
        )?;
        writeln!(
            f,
            "products:  {} ({} stock synced)",
            self.products, self.products_synced
        )
    }
}

/// A read-only connection to a shop database; it may be open while the shop serves.
pub struct ShopState {
    conn: Connection,
}

impl fmt::Debug for ShopState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ShopState").finish_non_exhaustive()
    }
}

impl ShopState {
    /// Opens the shop database at `db` read-only.
    ///
    /// # Errors
    /// [`DemoError::Open`] if it cannot be opened, [`DemoError::NotAShop`] if it has no shop.
    pub fn open(db: &Path) -> Result<ShopState, DemoError> {
        let open_err = |source| DemoError::Open {
            path: db.to_path_buf(),
            source,
        };
        let conn = Connection::open_with_flags(
            db,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(open_err)?;
        store::configure(&conn)?;
        let is_shop = match store::has_schema(&conn) {
            Ok(b) => b,
            Err(DemoError::Database(e)) => return Err(open_err(e)),
            Err(e) => return Err(e),
        };
        if !is_shop {
            return Err(DemoError::NotAShop {
                path: PathBuf::from(db),
            });
        }
        Ok(ShopState { conn })
    }

    /// The balance the ledger last uploaded for account `reference` (`"27.37"`).
    ///
    /// # Errors
    /// A database error.
    pub fn customer_balance(&self, reference: &str) -> Result<Option<String>, DemoError> {
        store::customer_balance(&self.conn, reference)
    }

    /// The counts of customers, orders and products and how many the integration touched.
    ///
    /// # Errors
    /// A database error.
    pub fn summary(&self) -> Result<ShopSummary, DemoError> {
        let c = |sql: &str| store::count(&self.conn, sql);
        Ok(ShopSummary {
            customers: c("SELECT count(*) FROM customers")?,
            customers_with_reference: c(
                "SELECT count(*) FROM customers WHERE account_reference IS NOT NULL",
            )?,
            orders: c("SELECT count(*) FROM orders")?,
            orders_posted: c("SELECT count(*) FROM orders WHERE posted = 1")?,
            orders_pending: c("SELECT count(*) FROM orders WHERE posted = 0")?,
            products: c("SELECT count(*) FROM products")?,
            products_synced: c("SELECT count(*) FROM products WHERE synced = 1")?,
        })
    }

    /// Every order with its lines, addresses and posting, by id.
    ///
    /// # Errors
    /// A database error.
    pub fn orders(&self) -> Result<Vec<Order>, DemoError> {
        store::all_orders(&self.conn)
    }

    /// Every customer with its addresses and account reference, by id.
    ///
    /// # Errors
    /// A database error.
    pub fn customers(&self) -> Result<Vec<Customer>, DemoError> {
        store::all_customers(&self.conn)
    }

    /// Every product as `(sku, name, stock)`, by sku.
    ///
    /// # Errors
    /// A database error.
    pub fn products(&self) -> Result<Vec<(String, String, i64)>, DemoError> {
        store::all_products(&self.conn)
    }

    /// The seed the database was made with.
    ///
    /// # Errors
    /// A database error.
    pub fn seed(&self) -> Result<Option<u64>, DemoError> {
        store::seeded_with(&self.conn)
    }
}
