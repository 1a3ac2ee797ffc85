//! Tryton (an open-source ERP) as the ledger, over its JSON-RPC API: parties, sales and stock, each record exactly once.
//!
//! Tryton is the source of truth: every create is preceded by a search for the record's key
//! (`party.code` = AccountReference, `sale.reference` = the order's Id), a sale left in draft
//! or quotation by an interrupted run is carried on, and a create whose answer was lost is
//! resolved by searching. See `docs/tryton.md`.
mod batch;
mod company;
mod customers;
mod error;
mod error_shape;
mod listing;
mod outputs;
mod party;
mod products;
mod rpc;
mod sales_orders;
mod stock;
mod target;
mod values;

pub use customers::{Files, import_customers};
pub use error::TrytonError;
pub use listing::{TrytonListing, table};
pub use rpc::{CallError, Session};
pub use sales_orders::import_sales_orders;
pub use stock::{TRYTON_EXPORT_TASK, export_stock};
pub use target::{
    DEFAULT_BATCH, DEFAULT_CARRIAGE, DEFAULT_TIMEOUT, DEFAULT_WAREHOUSE, TrytonTarget,
};

/// The statements a Tryton ledger serves; the checker refuses the others after `ledger tryton`.
pub const SERVES: &[&str] = &["import customers", "import sales orders", "export stock"];
