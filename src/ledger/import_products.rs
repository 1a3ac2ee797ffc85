//! `import products`: Connect XML products into stock records, created or updated by stock
//! code (Sage 50's Import Products); quantity changes are posted as stock adjustments.
use std::collections::HashSet;
use std::path::Path;

use rusqlite::types::Value;

use crate::connect::value::{boolean, integer, number};
use crate::connect::{FieldError, Node};
use crate::state::StateStore;

use super::import_error::{ImportError, ImportReport};
use super::import_run::{ImportRun, RecordFailure, Stage, SuccessEdit, reject};
use super::limits::{Fitter, stock_code};
use super::options::{ProductImportOptions, Quantities};
use super::stock_transaction::{StockMovement, StockTransactionRow};
use super::truth_rows::TruthRows;
use super::{Ledger, LedgerError};

/// Truth table type of imported products (`Id` → stock code).
pub const TRUTH_PRODUCT: &str = "Product";

/// Free-text elements: element, column, Sage's limit (characters; longer text is cut).
const TEXTS: &[(&str, &str, usize)] = &[
    ("Name", "description", 60),
    ("Barcode", "barcode", 60),
    ("Description", "web_description", 1000),
    ("LongDescription", "web_details", 10000),
    ("ImageUrl", "image_url", 1000),
    ("ThumbnailUrl", "thumbnail_url", 1000),
    ("ImageName", "web_image_file", 255),
    ("Custom1", "web_category_1", 60),
    ("Custom2", "web_category_2", 60),
    ("Custom3", "web_category_3", 60),
    ("UnitOfSale", "unit_of_sale", 8),
    ("SupplierPartNo", "supplier_part_number", 30),
    ("Location", "location", 30),
    ("CommodityCode", "commodity_code", 30),
    ("Memo", "memo", 10000),
];

/// Code elements: element, column, limit (longer fails the record).
const CODES: &[(&str, &str, usize)] = &[
    ("NominalCode", "nominal_code", 8),
    ("SupplierNominalCode", "purchase_nominal_code", 8),
    ("PurchaseNominalCode", "purchase_nominal_code", 8),
    ("SupplierAccountRef", "purchase_ref", 8),
    ("IntrastatCommodityCode", "intrastat_comm_code", 8),
];

/// Number elements: element, column (a missing or nil element leaves the column as it is).
const NUMBERS: &[(&str, &str)] = &[
    ("SalePrice", "sales_price"),
    ("UnitWeight", "unit_weight"),
    ("ReorderQty", "qty_reorder"),
    ("ReorderLvl", "qty_reorder_level"),
    ("LastCostPrice", "last_cost_price"),
    ("AverageCostPrice", "average_cost_price"),
];

const ITEM_TYPES: &[&str] = &["Stock", "NonStock", "Service"];

/// Imports `Company/Products/Product` from `input` into the ledger's stock records.
///
/// Each record is found by its stock code (`Sku`, else `UniqueId`, else the code its `Id`
/// was imported as) and checked completely; then it is created or updated with the elements
/// the file gives (a missing element leaves the field as it is; an empty text element clears
/// it). A changed `QtyInStock` is posted as a stock adjustment (`AI`/`AO`), so the stock
/// history adds up. Imported records go to `success` with `UniqueId` (the stock code), failed
/// ones to `fail` with `Errors`; both files are always written, and a malformed file imports
/// nothing.
pub fn import_products(
    ledger: &mut Ledger,
    state: &StateStore,
    workflow: &str,
    input: &Path,
    success: &Path,
    fail: &Path,
    opts: &ProductImportOptions,
) -> Result<ImportReport, ImportError> {
    let ledger: &Ledger = ledger;
    let mut run = ImportRun::begin(
        ledger,
        state,
        input,
        success,
        fail,
        "Products",
        "Product",
        opts.encoding,
    )?;
    let defaults = ProductDefaults::load(ledger, opts)?;
    let mut truth = TruthRows::begin(&ledger.conn, workflow, TRUTH_PRODUCT)?;
    while let Some(node) = run.next()? {
        let mut truth_row = None;
        let ok = run.record(
            node,
            |ledger, node, fitter| check_one(ledger, &truth, node, opts, &defaults, fitter),
            |ledger, plan| plan.write(ledger, &mut truth_row),
        )?;
        if ok && let Some((id, code)) = truth_row {
            truth.hold(&ledger.conn, id, code)?;
        }
    }
    truth.write(&ledger.conn)?;
    run.finish()
}

/// What a new stock record starts with, read once per import.
struct ProductDefaults {
    tax_codes: HashSet<i64>,
    nominal: String,
    today: String,
}

impl ProductDefaults {
    fn load(ledger: &Ledger, opts: &ProductImportOptions) -> Result<ProductDefaults, LedgerError> {
        let nominal = match &opts.default_nominal {
            Some(n) => n.clone(),
            None => ledger
                .setting("default_sales_nominal")?
                .unwrap_or_else(|| "4000".to_string()),
        };
        Ok(ProductDefaults {
            tax_codes: ledger.tax_codes()?.into_iter().map(|t| t.id).collect(),
            nominal,
            today: jiff::Zoned::now().date().to_string(),
        })
    }
}

/// What one product record writes, decided before anything is written.
struct ProductPlan {
    code: String,
    /// `None` when the record exists, else the tax code and nominal it is created with.
    create: Option<(i64, String)>,
    /// Columns to set, with their values.
    set: Vec<(&'static str, Value)>,
    /// The stock adjustment that brings `QtyInStock` to the file's value.
    movement: Option<StockTransactionRow>,
    id: Option<String>,
}

impl ProductPlan {
    fn write(
        self,
        ledger: &Ledger,
        truth_row: &mut Option<(String, String)>,
    ) -> Result<SuccessEdit, LedgerError> {
        let now = crate::state::now_micros();
        if let Some((tax_code, nominal)) = &self.create {
            ledger
                .conn
                .prepare_cached(
                    "INSERT INTO product (stock_code, tax_code, nominal_code, created, modified,
                        stock_known)
                     VALUES (?1, ?2, ?3, ?4, ?4, 0)",
                )?
                .execute(rusqlite::params![self.code, tax_code, nominal, now])?;
        }
        if !self.set.is_empty() {
            let columns: Vec<String> = self
                .set
                .iter()
                .enumerate()
                .map(|(i, (c, _))| format!("{c} = ?{}", i + 3))
                .collect();
            let sql = format!(
                "UPDATE product SET modified = ?2, {} WHERE stock_code = ?1",
                columns.join(", ")
            );
            let mut values = vec![Value::Text(self.code.clone()), Value::Integer(now)];
            values.extend(self.set.into_iter().map(|(_, v)| v));
            ledger
                .conn
                .prepare_cached(&sql)?
                .execute(rusqlite::params_from_iter(values))?;
        }
        if let Some(movement) = &self.movement {
            ledger.post_stock_movement(movement)?;
        }
        if let Some(id) = self.id {
            *truth_row = Some((id, self.code.clone()));
        }
        let code = self.code;
        Ok(Box::new(move |node: &mut Node| {
            node.set_child_text("UniqueId", &code, &["Id"]);
            node.set_child_text("Sku", &code, &["Id", "UniqueId"]);
        }))
    }
}

fn field(e: FieldError) -> RecordFailure {
    reject(Stage::Validation, e.to_string())
}

/// The check phase of one product: finds its stock record and decides every column it sets.
fn check_one(
    ledger: &Ledger,
    truth: &TruthRows,
    node: &Node,
    opts: &ProductImportOptions,
    defaults: &ProductDefaults,
    fitter: &mut Fitter,
) -> Result<ProductPlan, RecordFailure> {
    let id = node.text_of("Id").map(str::to_string);
    let given = node.text_of("Sku").or_else(|| node.text_of("UniqueId"));
    let code = match (given, id.as_deref()) {
        (Some(sku), _) => stock_code(sku).map_err(|m| reject(Stage::Validation, m))?,
        (None, Some(id)) => truth.lookup(&ledger.conn, id)?.ok_or_else(|| {
            reject(
                Stage::Validation,
                format!("the product has no Sku, and its Id {id} was not imported before"),
            )
        })?,
        (None, None) => {
            return Err(reject(
                Stage::Validation,
                "the product has no Sku: give the stock code in Sku",
            ));
        }
    };
    if ledger.special_product(&code)?.is_some() {
        return Err(reject(
            Stage::Validation,
            format!(
                "`{code}` is one of Sage's special line codes (S1, S2, S3, M), not a stock record"
            ),
        ));
    }
    let current = ledger.product_row(&code)?;
    match (&current, opts.create_new, opts.update_existing) {
        (Some(_), _, false) => {
            return Err(reject(
                Stage::Validation,
                format!("stock record `{code}` exists and update_existing is off"),
            ));
        }
        (None, false, _) => {
            return Err(reject(
                Stage::Validation,
                format!("there is no stock record `{code}` and create_new is off"),
            ));
        }
        _ => {}
    }
    let mut set: Vec<(&'static str, Value)> = Vec::new();
    for (element, column, max) in TEXTS {
        if let Some(child) = node.child(element) {
            let text = fitter.text(element, child.value(), *max);
            set.push((column, text.map_or(Value::Null, Value::Text)));
        }
    }
    for (element, column, max) in CODES {
        if node.child(element).is_some() {
            let code = fitter
                .code(element, node.text_of(element), *max)
                .map_err(|m| reject(Stage::Validation, m))?;
            if *column == "nominal_code" && code.is_none() {
                continue;
            }
            set.retain(|(c, _)| c != column);
            set.push((column, code.map_or(Value::Null, Value::Text)));
        }
    }
    for (element, column) in NUMBERS {
        if let Some(v) = number(node, element).map_err(field)? {
            set.push((column, Value::Real(v)));
        }
    }
    for (element, column) in [("GroupCode", "stock_cat"), ("Department", "dept_number")] {
        if let Some(v) = integer(node, element).map_err(field)? {
            set.push((column, Value::Integer(v)));
        }
    }
    for (element, column) in [("Publish", "web_publish"), ("SpecialOffer", "web_special")] {
        if let Some(v) = boolean(node, element).map_err(field)? {
            set.push((column, Value::Integer(i64::from(v))));
        }
    }
    if let Some(tax) = integer(node, "TaxCode").map_err(field)? {
        if !defaults.tax_codes.contains(&tax) {
            return Err(reject(
                Stage::Validation,
                format!("`TaxCode` {tax} is not a tax code of the ledger (T0 to T99 as set up)"),
            ));
        }
        set.push(("tax_code", Value::Integer(tax)));
    }
    if let Some(kind) = node.text_of("ItemType") {
        let found = ITEM_TYPES
            .iter()
            .find(|t| t.eq_ignore_ascii_case(kind))
            .ok_or_else(|| {
                reject(
                    Stage::Validation,
                    format!(
                        "`ItemType` `{kind}` is not one of {}",
                        ITEM_TYPES.join(", ")
                    ),
                )
            })?;
        set.push(("item_type", Value::Text((*found).to_string())));
    }
    let mut movement = None;
    let quantities = match opts.quantities {
        Quantities::Always => true,
        Quantities::New => current.is_none(),
        Quantities::Never => false,
    };
    if quantities {
        if let Some(on_order) = number(node, "QtyOnOrder").map_err(field)? {
            set.push(("qty_on_order", Value::Real(on_order)));
        }
        if let Some(wanted) = number(node, "QtyInStock").map_err(field)? {
            set.push(("stock_known", Value::Integer(1)));
            let had = current.as_ref().map_or(0.0, |p| p.qty_in_stock);
            let change = wanted - had;
            if change.abs() > 1e-9 {
                let (reference, details) = if current.is_some() {
                    ("Stock take", "Quantity in stock set by import products")
                } else {
                    ("O/Bal", "Opening stock")
                };
                let kind = if change > 0.0 {
                    StockMovement::AdjustmentIn
                } else {
                    StockMovement::AdjustmentOut
                };
                movement = Some(StockTransactionRow {
                    tran_number: 0,
                    stock_code: code.clone(),
                    kind: kind.code().to_string(),
                    date: defaults.today.clone(),
                    reference: Some(reference.to_string()),
                    details: Some(details.to_string()),
                    quantity: change.abs(),
                    qty_change: change,
                    cost_price: number(node, "LastCostPrice").map_err(field)?.unwrap_or(0.0),
                    sales_price: 0.0,
                    created: 0,
                });
            }
        }
    }
    let create = current.is_none().then(|| {
        let nominal = node
            .text_of("NominalCode")
            .map_or_else(|| defaults.nominal.clone(), str::to_string);
        (opts.default_tax_code, nominal)
    });
    Ok(ProductPlan {
        code,
        create,
        set,
        movement,
        id,
    })
}
