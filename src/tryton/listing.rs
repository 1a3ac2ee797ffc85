//! `zynk ledger customers|orders|products --tryton URL`: what a Tryton database holds of what zynk imports, as the embedded ledger's listings.
use serde_json::{Value, json};

use super::error::TrytonError;
use super::rpc::Session;
use super::values::number;
use crate::ledger::Table;

/// What can be listed from Tryton.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrytonListing {
    /// Parties with a code.
    Customers,
    /// Sales with a reference (an order Id).
    Orders,
    /// Goods with a code, and their quantities in the warehouse.
    Products,
}

/// The listing's rows.
///
/// # Errors
///
/// A statement-level [`TrytonError`].
pub fn table(s: &mut Session, what: TrytonListing, warehouse: &str) -> Result<Table, TrytonError> {
    let cell = |row: &Value, field: &str| row.get(field).cloned().unwrap_or(Value::Null);
    let dec = |row: &Value, field: &str| {
        row.get(field)
            .and_then(number)
            .map_or(Value::Null, |n| json!(n))
    };
    Ok(match what {
        TrytonListing::Customers => {
            let rows = s.search_read_in(
                "party.party",
                json!([["code", "!=", null]]),
                &["code", "name"],
                &json!({}),
                "code",
            )?;
            Table {
                columns: vec!["code", "name"],
                rows: rows
                    .iter()
                    .map(|r| vec![cell(r, "code"), cell(r, "name")])
                    .collect(),
            }
        }
        TrytonListing::Orders => {
            let rows = s.search_read_in(
                "sale.sale",
                json!([["reference", "!=", null]]),
                &[
                    "number",
                    "reference",
                    "party.code",
                    "sale_date",
                    "state",
                    "untaxed_amount",
                    "tax_amount",
                    "total_amount",
                ],
                &json!({}),
                "id",
            )?;
            Table {
                columns: vec![
                    "number", "order_id", "party", "date", "state", "net", "tax", "total",
                ],
                rows: rows
                    .iter()
                    .map(|r| {
                        let date = r.get("sale_date").and_then(|d| {
                            Some(format!(
                                "{:04}-{:02}-{:02}",
                                d.get("year")?.as_i64()?,
                                d.get("month")?.as_i64()?,
                                d.get("day")?.as_i64()?
                            ))
                        });
                        vec![
                            cell(r, "number"),
                            cell(r, "reference"),
                            r.get("party.").map_or(Value::Null, |p| cell(p, "code")),
                            date.map_or(Value::Null, Value::from),
                            cell(r, "state"),
                            dec(r, "untaxed_amount"),
                            dec(r, "tax_amount"),
                            dec(r, "total_amount"),
                        ]
                    })
                    .collect(),
            }
        }
        TrytonListing::Products => {
            let company = super::company::Company::load(s, warehouse)?;
            let rows = s.search_read_in(
                "product.product",
                json!([["code", "!=", null], ["type", "=", "goods"]]),
                &["code", "name", "quantity", "forecast_quantity"],
                &json!({ "locations": [company.warehouse] }),
                "code",
            )?;
            Table {
                columns: vec!["code", "name", "in_stock", "forecast"],
                rows: rows
                    .iter()
                    .map(|r| {
                        vec![
                            cell(r, "code"),
                            cell(r, "name"),
                            dec(r, "quantity"),
                            dec(r, "forecast_quantity"),
                        ]
                    })
                    .collect(),
            }
        }
    })
}
