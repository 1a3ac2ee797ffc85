//! Where a `ledger tryton` statement points, and the choices it makes for the imports.
use std::path::PathBuf;
use std::time::Duration;

/// A Tryton database and how zynk posts into it. The password is not here: it is rendered
/// when the session opens, and never kept where it could be shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrytonTarget {
    /// `http(s)://host:port`, without the database.
    pub url: String,
    pub database: String,
    pub user: String,
    /// A PEM file of a private CA to trust for `https`.
    pub ca_cert: Option<PathBuf>,
    /// How long one call may take (a batch of confirmations can take a while).
    pub timeout: Duration,
    /// Confirm imported sales (else they stay quotations).
    pub confirm: bool,
    /// The code of the service product carriage lines are posted on; `None`: `CARRIAGE` if
    /// Tryton has it, else a line without a product.
    pub carriage_product: Option<String>,
    /// The code of the warehouse sales ship from and stock is read in.
    pub warehouse: String,
    /// The accounting category of products created for unknown Skus (by name).
    pub product_category: Option<String>,
    /// How many orders are created, quoted and confirmed per call.
    pub batch: usize,
}

/// The default `timeout` of `ledger tryton`.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(300);
/// The default `carriage_product`.
pub const DEFAULT_CARRIAGE: &str = "CARRIAGE";
/// The default `warehouse`.
pub const DEFAULT_WAREHOUSE: &str = "WH";
/// The default `batch`.
pub const DEFAULT_BATCH: usize = 50;

impl TrytonTarget {
    /// How statements and plans name this ledger: `Tryton database zynk at http://…`.
    #[must_use]
    pub fn describe(&self) -> String {
        format!(
            "Tryton database `{}` at {}",
            self.database,
            crate::http::redact_url(&self.url)
        )
    }
}
