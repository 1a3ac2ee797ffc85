//! The embedded ledger: a SQLite file shaped like Sage 50 UK (customers, stock, sales orders, tax codes).
mod customer;
mod document;
mod document_writer;
mod error;
mod export_customers;
mod export_invoices;
mod export_records;
mod export_stock;
mod fingerprint;
mod held_balances;
mod import_customers;
mod import_error;
mod import_invoices;
mod import_products;
mod import_run;
mod import_sales_orders;
mod import_stock_transactions;
mod import_transactions;
mod invoice;
mod limits;
mod listing;
mod money;
mod options;
mod order_lookups;
mod order_plan;
mod posting;
mod product;
mod reference;
mod sales_order;
mod stock_transaction;
mod truth_rows;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension};

pub use customer::{CustomerRecord, CustomerRow};
pub use error::LedgerError;
pub use export_customers::{CUSTOMER_EXPORT_TASK, export_customers};
pub use export_invoices::{INVOICE_EXPORT_TASK, export_invoices};
pub(crate) use export_records::where_clause;
pub use export_stock::{
    DEFAULT_EXPORT_TASK, ExportMode, ExportReport, ExportTarget, export_stock,
    export_stock_encoded, export_stock_task,
};
pub use import_customers::import_customers;
pub use import_error::{ImportError, ImportReport};
pub use import_invoices::import_invoices;
pub use import_products::{TRUTH_PRODUCT, import_products};
pub use import_sales_orders::import_sales_orders;
pub(crate) use import_sales_orders::split_tax;
pub use import_stock_transactions::{TRUTH_STOCK_TRANSACTION, import_stock_transactions};
pub use import_transactions::import_transactions;
pub use invoice::InvoiceRow;
pub use limits::account_reference;
pub use listing::{ListFormat, ListKind, Table, render_rows};
pub use money::round2;
pub use options::{
    CustomerImportOptions, Duplicates, InvoiceImportOptions, MatchField, OptionError, OptionKind,
    OptionSpec, OptionValue, ReferenceConvention, SalesOrderImportOptions,
    TransactionImportOptions, options_markdown,
};
pub use options::{ProductImportOptions, Quantities, StockTransactionImportOptions};
pub use posting::{TRAN_TYPES, TranType, TransactionRow};
pub use product::ProductRow;
pub use reference::{ReferenceRules, generate_reference, reference_letters, source_text};
pub use sales_order::{OrderLineRow, OrderRow};
pub use stock_transaction::{StockMovement, StockTransactionRow};

/// The fingerprint of a sales order record as the truth table keeps it, posted to `account`.
#[must_use]
pub fn order_fingerprint(node: &crate::connect::Node, account: Option<&str>) -> String {
    fingerprint::Fingerprint::of_document(node, &crate::connect::SALES_ORDER_NAMES, account)
        .as_str()
        .to_string()
}

/// What differs between a sales order record and the `stored` fingerprint of its first
/// version, in words; `None` when they agree.
#[must_use]
pub fn order_differences(node: &crate::connect::Node, stored: &str) -> Option<String> {
    fingerprint::Fingerprint::of_document(
        node,
        &crate::connect::SALES_ORDER_NAMES,
        node.text_of("AccountReference"),
    )
    .differences(stored)
}

/// Schema migrations, applied in order; `PRAGMA user_version` counts those applied.
const MIGRATIONS: &[&str] = &[
    include_str!("schema.sql"),
    include_str!("schema_2_stock.sql"),
    include_str!("schema_3_invoices.sql"),
    include_str!("schema_4_cheaper_rows.sql"),
    include_str!("schema_5_fewer_btrees.sql"),
    include_str!("schema_6_stock_known.sql"),
];

/// A ledger file: one SQLite connection on the versioned schema in `schema.sql`.
pub struct Ledger {
    conn: Connection,
    path: PathBuf,
}

/// One tax code of the ledger.
#[derive(Debug, Clone, PartialEq)]
pub struct TaxCode {
    /// Numeric id (`1` for T1).
    pub id: i64,
    /// Code text (`T1`).
    pub code: String,
    /// Rate in percent.
    pub rate: f64,
    /// Description.
    pub description: String,
    /// False for T9 (left off the VAT return).
    pub in_vat_return: bool,
}

impl Ledger {
    /// Opens the ledger at `path`, creating the file, its parent folders and the seeded schema
    /// (tax codes T0–T9, bank accounts, special codes S1/S2/S3/M) when it is new.
    pub fn open(path: &Path) -> Result<Ledger, LedgerError> {
        let open_err = |source| LedgerError::Open {
            path: path.to_path_buf(),
            source,
        };
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .map_err(|e| open_err(rusqlite::Error::ToSqlConversionFailure(Box::new(e))))?;
        }
        let mut conn = Connection::open(path).map_err(open_err)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(open_err)?;
        conn.execute_batch(
            "PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY;",
        )
        .map_err(|e| match e {
            rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::NotADatabase => {
                LedgerError::NotALedger {
                    path: path.to_path_buf(),
                }
            }
            other => open_err(other),
        })?;
        // Imports keep about 20 statements hot; the default cache of 16 would evict some.
        conn.set_prepared_statement_cache_capacity(64);
        migrate(&mut conn, path)?;
        Ok(Ledger {
            conn,
            path: path.to_path_buf(),
        })
    }

    /// The ledger file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The underlying connection (read-only use by tools and tests).
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// A company setting (`base_currency`, `company_country`, `default_tax_code`,
    /// `default_sales_nominal`, `carriage_nominal`).
    pub fn setting(&self, key: &str) -> Result<Option<String>, LedgerError> {
        Ok(self
            .conn
            .prepare_cached("SELECT value FROM setting WHERE key = ?1")?
            .query_row([key], |r| r.get(0))
            .optional()?)
    }

    /// Every tax code set up in the ledger, by id.
    pub fn tax_codes(&self) -> Result<Vec<TaxCode>, LedgerError> {
        let mut stmt = self.conn.prepare(
            "SELECT id, code, rate, description, in_vat_return FROM tax_code ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(TaxCode {
                id: r.get(0)?,
                code: r.get(1)?,
                rate: r.get(2)?,
                description: r.get(3)?,
                in_vat_return: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// Sets up or changes a tax code (T0–T99).
    pub fn set_tax_code(&self, id: i64, rate: f64, description: &str) -> Result<(), LedgerError> {
        self.conn.execute(
            "INSERT INTO tax_code (id, code, rate, description) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (id) DO UPDATE SET rate = excluded.rate, description = excluded.description",
            rusqlite::params![id, format!("T{id}"), rate, description],
        )?;
        Ok(())
    }

    /// True when `nominal_code` is one of the ledger's bank accounts.
    pub fn is_bank_account(&self, nominal_code: &str) -> Result<bool, LedgerError> {
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM bank_account WHERE nominal_code = ?1")?
            .query_row([nominal_code], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// The special line code (`S1`, `S2`, `S3`, `M`) as `(kind, default tax code)`, if `code` is one.
    pub fn special_product(
        &self,
        code: &str,
    ) -> Result<Option<(String, Option<i64>)>, LedgerError> {
        Ok(self
            .conn
            .prepare_cached("SELECT kind, tax_code FROM special_product WHERE code = ?1")?
            .query_row([code], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?)
    }
}

fn migrate(conn: &mut Connection, path: &Path) -> Result<(), LedgerError> {
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| match e {
            rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::NotADatabase => {
                LedgerError::NotALedger {
                    path: path.to_path_buf(),
                }
            }
            other => other.into(),
        })?;
    let known = MIGRATIONS.len() as i64;
    if version > known {
        return Err(LedgerError::TooNew {
            path: path.to_path_buf(),
            found: version,
            known,
        });
    }
    if version == 0 {
        let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
        if tables > 0 {
            return Err(LedgerError::NotALedger {
                path: path.to_path_buf(),
            });
        }
    }
    if version == known {
        return Ok(());
    }
    // A migration may rebuild a table that others reference (SQLite's way to change a
    // constraint), so foreign keys are off while it runs and checked before it commits.
    conn.execute_batch("PRAGMA foreign_keys = OFF")?;
    let migrated = apply_migrations(conn, version);
    conn.execute_batch("PRAGMA foreign_keys = ON")?;
    migrated
}

fn apply_migrations(conn: &mut Connection, version: i64) -> Result<(), LedgerError> {
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        let broken: Option<String> = tx
            .query_row("PRAGMA foreign_key_check", [], |r| r.get(0))
            .optional()?;
        if let Some(table) = broken {
            return Err(LedgerError::Query {
                source: rusqlite::Error::SqliteFailure(
                    rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY),
                    Some(format!(
                        "migration {} leaves a broken reference in `{table}`",
                        i + 1
                    )),
                ),
            });
        }
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}
