//! Stock movements (Sage `STOCK_TRAN`): their types, the rows that record them, and listing them.
use rusqlite::{OptionalExtension, params};

use super::{Ledger, LedgerError};
use crate::state::now_micros;

/// The kinds of stock movement Connect XML's `StockTransactionType` names, with Sage's codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StockMovement {
    /// `AdjustmentIn` (AI): stock added, e.g. found in a stock take.
    AdjustmentIn,
    /// `AdjustmentOut` (AO): stock taken away.
    AdjustmentOut,
    /// `GoodsIn` (GI): goods received from a supplier.
    GoodsIn,
    /// `GoodsOut` (GO): goods despatched.
    GoodsOut,
    /// `MovementIn` (MI): moved in from another location.
    MovementIn,
    /// `MovementOut` (MO): moved out to another location.
    MovementOut,
    /// `GoodsReturned` (GR): goods a customer returned, back into stock.
    GoodsReturned,
    /// `DamagesIn` (DI): damaged goods returned by a customer, back into stock.
    DamagesIn,
    /// `DamagesOut` (DO): damaged goods sent back to the supplier.
    DamagesOut,
    /// `WriteOff` (WO): stock written off.
    WriteOff,
}

impl StockMovement {
    /// Every type: its Connect XML name, Sage code and whether it adds to stock.
    pub const ALL: &'static [(StockMovement, &'static str, &'static str, bool)] = &[
        (StockMovement::AdjustmentIn, "AdjustmentIn", "AI", true),
        (StockMovement::AdjustmentOut, "AdjustmentOut", "AO", false),
        (StockMovement::GoodsIn, "GoodsIn", "GI", true),
        (StockMovement::GoodsOut, "GoodsOut", "GO", false),
        (StockMovement::MovementIn, "MovementIn", "MI", true),
        (StockMovement::MovementOut, "MovementOut", "MO", false),
        (StockMovement::GoodsReturned, "GoodsReturned", "GR", true),
        (StockMovement::DamagesIn, "DamagesIn", "DI", true),
        (StockMovement::DamagesOut, "DamagesOut", "DO", false),
        (StockMovement::WriteOff, "WriteOff", "WO", false),
    ];

    /// Reads a `StockTransactionType`: the Connect XML name or the Sage code, any case.
    pub fn parse(text: &str) -> Option<StockMovement> {
        let t = text.trim();
        Self::ALL
            .iter()
            .find(|(_, name, code, _)| name.eq_ignore_ascii_case(t) || code.eq_ignore_ascii_case(t))
            .map(|(m, ..)| *m)
    }

    fn entry(self) -> &'static (StockMovement, &'static str, &'static str, bool) {
        // Every variant is in ALL.
        Self::ALL
            .iter()
            .find(|(m, ..)| *m == self)
            .unwrap_or(&Self::ALL[0])
    }

    /// The Connect XML name (`AdjustmentIn`).
    pub fn name(self) -> &'static str {
        self.entry().1
    }

    /// Sage's two-letter code (`AI`).
    pub fn code(self) -> &'static str {
        self.entry().2
    }

    /// True when the movement adds to the quantity in stock.
    pub fn is_inward(self) -> bool {
        self.entry().3
    }
}

/// One stock movement as the ledger stores it and `zynk ledger stock-transactions` lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct StockTransactionRow {
    /// The ledger's transaction number (1, 2, …).
    pub tran_number: i64,
    /// Stock code.
    pub stock_code: String,
    /// Sage code of the type (`AI`).
    pub kind: String,
    /// Date (ISO).
    pub date: String,
    /// Reference (30 characters).
    pub reference: Option<String>,
    /// Details (60 characters).
    pub details: Option<String>,
    /// Quantity as given (positive).
    pub quantity: f64,
    /// What it did to the quantity in stock (negative for an out movement).
    pub qty_change: f64,
    /// Cost price per unit.
    pub cost_price: f64,
    /// Sales price per unit.
    pub sales_price: f64,
    /// Created (Unix microseconds).
    pub created: i64,
}

impl Ledger {
    /// Records a movement and applies it to the product's quantity in stock (and, for an
    /// inward movement with a cost price, its last cost price). Returns the new number.
    pub(crate) fn post_stock_movement(&self, t: &StockTransactionRow) -> Result<i64, LedgerError> {
        let now = now_micros();
        self.conn
            .prepare_cached(
                "INSERT INTO stock_transaction (stock_code, type, date, reference, details, quantity,
                    qty_change, cost_price, sales_price, created)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?
            .execute(params![
                t.stock_code,
                t.kind,
                t.date,
                t.reference,
                t.details,
                t.quantity,
                t.qty_change,
                t.cost_price,
                t.sales_price,
                now
            ])?;
        let number = self.conn.last_insert_rowid();
        self.conn
            .prepare_cached(
                "UPDATE product SET qty_in_stock = qty_in_stock + ?2,
                    last_cost_price = CASE WHEN ?2 > 0 AND ?3 > 0 THEN ?3 ELSE last_cost_price END,
                    modified = ?4
                 WHERE stock_code = ?1",
            )?
            .execute(params![t.stock_code, t.qty_change, t.cost_price, now])?;
        Ok(number)
    }

    /// A stock record's quantity in stock and item type, if it exists.
    pub(crate) fn stock_level(
        &self,
        stock_code: &str,
    ) -> Result<Option<(f64, String)>, LedgerError> {
        Ok(self
            .conn
            .prepare_cached("SELECT qty_in_stock, item_type FROM product WHERE stock_code = ?1")?
            .query_row([stock_code], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?)
    }

    /// Every stock movement, in the order posted.
    pub fn stock_transactions(&self) -> Result<Vec<StockTransactionRow>, LedgerError> {
        let mut stmt = self.conn.prepare(
            "SELECT tran_number, stock_code, type, date, reference, details, quantity, qty_change,
                cost_price, sales_price, created FROM stock_transaction ORDER BY tran_number",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(StockTransactionRow {
                tran_number: r.get(0)?,
                stock_code: r.get(1)?,
                kind: r.get(2)?,
                date: r.get(3)?,
                reference: r.get(4)?,
                details: r.get(5)?,
                quantity: r.get(6)?,
                qty_change: r.get(7)?,
                cost_price: r.get(8)?,
                sales_price: r.get(9)?,
                created: r.get(10)?,
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }
}
