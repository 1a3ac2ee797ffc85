//! `export stock all|new|modified` from Tryton: goods by code with their quantities in the warehouse, as the embedded ledger's Connect XML product export.
use std::collections::HashSet;

use jiff::Timestamp;
use serde_json::{Value, json};

use super::company::Company;
use super::error::TrytonError;
use super::rpc::Session;
use super::values::{number, text};
use crate::connect::{CompanyWriter, Product, Shape};
use crate::ledger::{ExportMode, ExportReport, ExportTarget, ImportError};
use crate::state::StateStore;

/// The watermark key of `export stock` against Tryton (apart from the embedded ledger's).
pub const TRYTON_EXPORT_TASK: &str = "tryton_export_stock";

/// Writes the warehouse's goods to `to`: `QtyInStock` = Tryton's `quantity`, `QtyAllocated` =
/// what the forecast takes away from it (so a website's free stock, in stock − allocated, is
/// Tryton's `forecast_quantity`). `new` takes goods created since the last export;
/// `modified` also those changed or moved in stock since then.
///
/// # Errors
///
/// A statement-level [`TrytonError`].
pub fn export_stock(
    s: &mut Session,
    state: &StateStore,
    workflow: &str,
    mode: ExportMode,
    to: &ExportTarget<'_>,
    warehouse: &str,
) -> Result<ExportReport, TrytonError> {
    let started = Timestamp::now();
    let since = match mode {
        ExportMode::All => None,
        _ => state
            .watermark(workflow, TRYTON_EXPORT_TASK)
            .map_err(|source| ImportError::State { source })?,
    };
    let company = Company::load(s, warehouse)?;
    let mut domain = vec![json!(["type", "=", "goods"]), json!(["code", "!=", null])];
    if let Some(at) = since {
        let at = datetime(at);
        match mode {
            ExportMode::New => domain.push(json!(["create_date", ">=", at])),
            _ => {
                let moved: HashSet<i64> = s
                    .search_read(
                        "stock.move",
                        json!([["write_date", ">=", at]]),
                        &["product"],
                    )?
                    .iter()
                    .filter_map(|m| m.get("product").and_then(Value::as_i64))
                    .collect();
                let moved: Vec<i64> = moved.into_iter().collect();
                domain.push(json!([
                    "OR",
                    ["create_date", ">=", at],
                    ["write_date", ">=", at],
                    ["template.write_date", ">=", at],
                    ["id", "in", moved]
                ]));
            }
        }
    }
    let fields = [
        "code",
        "name",
        "list_price_used",
        "quantity",
        "forecast_quantity",
        "active",
    ];
    let context = json!({ "locations": [company.warehouse] });
    let rows = s.search_read_in(
        "product.product",
        Value::Array(domain),
        &fields,
        &context,
        "code",
    )?;
    let mut writer = CompanyWriter::create_in(to.output, "Products", Shape::Only, to.encoding)
        .map_err(ImportError::from)?;
    for row in &rows {
        let Some(code) = text(row, "code") else {
            continue;
        };
        let qty = row.get("quantity").and_then(number).unwrap_or(0.0);
        let forecast = row.get("forecast_quantity").and_then(number).unwrap_or(qty);
        let product = Product {
            sku: code,
            name: text(row, "name"),
            sale_price: row.get("list_price_used").and_then(number).unwrap_or(0.0),
            qty_in_stock: qty,
            qty_allocated: (qty - forecast).max(0.0),
            item_type: "Stock".into(),
            publish: true,
            tax_code: 1,
            ..Product::default()
        };
        writer
            .write(&product.to_node())
            .map_err(ImportError::from)?;
    }
    let products = writer.count();
    let output = writer
        .finish()
        .and_then(crate::connect::PendingFile::commit)
        .map_err(ImportError::from)?;
    state
        .set_watermark(workflow, TRYTON_EXPORT_TASK, started)
        .map_err(|source| ImportError::State { source })?;
    Ok(ExportReport {
        products,
        output,
        since,
        watermark: started,
        unknown_stock: 0,
    })
}

/// A timestamp as Tryton's tagged UTC datetime.
fn datetime(at: Timestamp) -> Value {
    let t = at.to_zoned(jiff::tz::TimeZone::UTC);
    json!({
        "__class__": "datetime",
        "year": t.year(), "month": t.month(), "day": t.day(),
        "hour": t.hour(), "minute": t.minute(), "second": t.second(),
        "microsecond": t.subsec_nanosecond() / 1000,
    })
}
