//! `import stock transactions`: Connect XML stock movements (adjustments in and out and the
//! other Sage types) posted to stock records, each once.
use std::collections::HashMap;
use std::path::Path;

use crate::connect::Node;
use crate::connect::value::{datetime, number};
use crate::state::StateStore;

use super::Ledger;
use super::import_error::{ImportError, ImportReport};
use super::import_run::{ImportRun, RecordFailure, Resend, Stage, SuccessEdit, reject};
use super::limits::{Fitter, stock_code};
use super::options::{Duplicates, StockTransactionImportOptions};
use super::stock_transaction::{StockMovement, StockTransactionRow};
use super::truth_rows::TruthRows;

/// Truth table type of posted movements (`Id`, or content key → transaction number).
pub const TRUTH_STOCK_TRANSACTION: &str = "StockTransaction";

/// Children a written `StockTransactionNumber` goes after.
const BEFORE_NUMBER: &[&str] = &[
    "StockTransactionType",
    "Id",
    "StockCode",
    "StockTransactionDate",
    "Reference",
    "Details",
    "Qty",
    "CostPrice",
    "SalesPrice",
];

/// Imports `Company/StockTransactions/StockTransaction` from `input`, posting each movement
/// to its stock record.
///
/// A movement is known by its `Id`, or, without one, by its content (stock code, type, date,
/// reference, details and quantity, numbered by occurrence in the file); with
/// `prevent_duplicates` one posted before by the same workflow is not posted again. Posted
/// movements go to `success` with the `StockTransactionNumber` the ledger gave them, failed
/// ones to `fail` with `Errors`.
pub fn import_stock_transactions(
    ledger: &mut Ledger,
    state: &StateStore,
    workflow: &str,
    input: &Path,
    success: &Path,
    fail: &Path,
    opts: &StockTransactionImportOptions,
) -> Result<ImportReport, ImportError> {
    let ledger: &Ledger = ledger;
    let mut run = ImportRun::begin(
        ledger,
        state,
        input,
        success,
        fail,
        "StockTransactions",
        "StockTransaction",
        opts.encoding,
    )?;
    let today = jiff::Zoned::now().date().to_string();
    let mut truth = TruthRows::begin(&ledger.conn, workflow, TRUTH_STOCK_TRANSACTION)?;
    let mut seen: HashMap<String, u32> = HashMap::new();
    while let Some(node) = run.next()? {
        let key = duplicate_key(&node, &mut seen);
        let mut posted = None;
        let ok = run.record(
            node,
            |ledger, node, fitter| {
                if opts.prevent_duplicates
                    && let Some(number) = truth.lookup(&ledger.conn, &key)?
                {
                    return Err(match opts.duplicates {
                        Duplicates::Fail => reject(
                            Stage::Duplicate,
                            format!("this stock transaction was already posted as number {number}"),
                        ),
                        Duplicates::Resend => {
                            RecordFailure::AlreadyImported(Resend(number_edit(number)))
                        }
                    });
                }
                check_one(ledger, node, opts, &today, fitter)
            },
            |ledger, row| {
                let number = ledger.post_stock_movement(&row)?;
                posted = Some(number);
                Ok(number_edit(number.to_string()))
            },
        )?;
        if ok && let Some(number) = posted {
            truth.hold(&ledger.conn, key, number.to_string())?;
        }
    }
    truth.write(&ledger.conn)?;
    run.finish()
}

/// The record's `Id`, else its content numbered by how often that content came before in
/// the file (so two equal movements in one file are two movements).
fn duplicate_key(node: &Node, seen: &mut HashMap<String, u32>) -> String {
    if let Some(id) = node.text_of("Id") {
        return id.to_string();
    }
    let part = |name: &str| node.text_of(name).unwrap_or("").to_string();
    let content = [
        part("StockCode").to_uppercase(),
        part("StockTransactionType"),
        part("StockTransactionDate"),
        part("Reference"),
        part("Details"),
        part("Qty"),
    ]
    .join("|");
    let n = seen.entry(content.clone()).or_insert(0);
    *n += 1;
    format!("content:{content}#{n}")
}

/// The success-file edit: the transaction number the ledger gave the movement.
fn number_edit(number: String) -> SuccessEdit {
    Box::new(move |node: &mut Node| {
        node.set_child_text("StockTransactionNumber", &number, BEFORE_NUMBER);
    })
}

fn invalid(message: impl Into<String>) -> RecordFailure {
    reject(Stage::Validation, message)
}

/// The check phase of one movement: its type, stock record, quantity and texts.
fn check_one(
    ledger: &Ledger,
    node: &Node,
    opts: &StockTransactionImportOptions,
    today: &str,
    fitter: &mut Fitter,
) -> Result<StockTransactionRow, RecordFailure> {
    let names = || {
        StockMovement::ALL
            .iter()
            .map(|(_, n, ..)| *n)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let kind = match node.text_of("StockTransactionType") {
        None => {
            return Err(invalid(format!(
                "the stock transaction has no StockTransactionType: give one of {}",
                names()
            )));
        }
        Some(t) => StockMovement::parse(t).ok_or_else(|| {
            invalid(format!(
                "`StockTransactionType` `{t}` is not a movement zynk can post: use one of {}",
                names()
            ))
        })?,
    };
    let code = match node.text_of("StockCode") {
        Some(c) => stock_code(c).map_err(invalid)?,
        None => return Err(invalid("the stock transaction has no StockCode")),
    };
    let Some((in_stock, item_type)) = ledger.stock_level(&code)? else {
        if ledger.special_product(&code)?.is_some() {
            return Err(invalid(format!(
                "`{code}` is one of Sage's special line codes (S1, S2, S3, M): it holds no stock"
            )));
        }
        return Err(invalid(format!(
            "unknown stock code `{code}`: there is no stock record `{code}` in the ledger (import it with `import products` first)"
        )));
    };
    if item_type != "Stock" {
        return Err(invalid(format!(
            "stock record `{code}` is a {item_type} item, which holds no stock"
        )));
    }
    let field = |e: crate::connect::FieldError| invalid(e.to_string());
    let quantity = number(node, "Qty")
        .map_err(field)?
        .ok_or_else(|| invalid("the stock transaction has no Qty"))?;
    if quantity <= 0.0 {
        return Err(invalid(format!(
            "`Qty` is {quantity}: give a positive quantity (the type, {}, says whether it goes in or out)",
            kind.name()
        )));
    }
    let qty_change = if kind.is_inward() {
        quantity
    } else {
        -quantity
    };
    let after = in_stock + qty_change;
    if after < 0.0 {
        if !opts.allow_negative_stock {
            return Err(invalid(format!(
                "{} of {quantity} would take `{code}` from {} to {after} in stock, and allow_negative_stock is off",
                kind.name(),
                in_stock
            )));
        }
        fitter
            .warnings
            .push(format!("`{code}` now has {after} in stock (below zero)"));
    }
    let price = |name: &str| -> Result<f64, RecordFailure> {
        match number(node, name).map_err(field)? {
            Some(v) if v < 0.0 => Err(invalid(format!("`{name}` is {v}, below zero"))),
            v => Ok(v.unwrap_or(0.0)),
        }
    };
    let date = datetime(node, "StockTransactionDate")
        .map_err(field)?
        .map_or_else(|| today.to_string(), |d| d.date().to_string());
    Ok(StockTransactionRow {
        tran_number: 0,
        stock_code: code,
        kind: kind.code().to_string(),
        date,
        reference: fitter.text("Reference", node.text_of("Reference"), 30),
        details: fitter.text("Details", node.text_of("Details"), 60),
        quantity,
        qty_change,
        cost_price: price("CostPrice")?,
        sales_price: price("SalesPrice")?,
        created: 0,
    })
}
