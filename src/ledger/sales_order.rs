//! Sales orders (Sage `SALES_ORDER`) and their lines (`SOP_ITEM`).
use rusqlite::{Connection, OptionalExtension, Statement, ToSql, params};

use super::{Ledger, LedgerError};
use crate::state::now_micros;

/// A sales order header as an import writes it.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct NewOrder {
    pub order_number: i64,
    pub account_ref: String,
    pub order_date: String,
    pub order_type: String,
    pub currency: String,
    pub foreign_rate: f64,
    pub name: Option<String>,
    pub contact_name: Option<String>,
    pub address: [Option<String>; 5],
    pub cust_tel_number: Option<String>,
    pub del_name: Option<String>,
    pub del_address: [Option<String>; 5],
    pub cust_order_number: Option<String>,
    pub taken_by: Option<String>,
    pub notes: [Option<String>; 3],
    pub analysis: [Option<String>; 3],
    pub despatch_date: Option<String>,
    pub consignment: Option<String>,
    pub courier_number: Option<i64>,
    pub settlement_days: Option<i64>,
    pub settlement_disc_rate: Option<f64>,
    pub global_nom_code: Option<String>,
    pub global_tax_code: Option<i64>,
    pub global_details: Option<String>,
    pub global_dept_number: Option<i64>,
    pub items_net: f64,
    pub items_tax: f64,
    pub carr_net: f64,
    pub carr_tax: f64,
    pub carr_nom_code: Option<String>,
    pub carr_tax_code: Option<i64>,
    pub carr_dept_number: Option<i64>,
    pub vat_inclusive: bool,
    pub payment_ref: Option<String>,
    pub bank_ref: Option<String>,
    pub amount_prepaid: f64,
    pub payment_type: Option<String>,
    pub allocated_status: &'static str,
}

/// A sales order line as an import writes it.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct NewLine {
    pub stock_code: String,
    pub description: Option<String>,
    pub comment_1: Option<String>,
    pub comment_2: Option<String>,
    pub unit_of_sale: Option<String>,
    pub qty_order: f64,
    pub qty_allocated: f64,
    pub unit_price: f64,
    pub discount_rate: f64,
    pub discount_amount: f64,
    pub full_net_amount: f64,
    pub net_amount: f64,
    pub tax_amount: f64,
    pub tax_code: Option<i64>,
    pub nominal_code: Option<String>,
    pub dept_number: Option<i64>,
    pub job_number: Option<String>,
    pub text: Option<String>,
}

/// One sales order as `zynk ledger orders` lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderRow {
    /// Order number.
    pub order_number: i64,
    /// Customer account.
    pub account_ref: String,
    /// Order date (`YYYY-MM-DD`).
    pub order_date: String,
    /// Invoice name.
    pub name: Option<String>,
    /// Delivery name.
    pub del_name: Option<String>,
    /// Number of lines.
    pub lines: i64,
    /// Goods net.
    pub items_net: f64,
    /// Goods VAT.
    pub items_tax: f64,
    /// Carriage net.
    pub carr_net: f64,
    /// Carriage VAT.
    pub carr_tax: f64,
    /// Goods plus carriage, net.
    pub invoice_net: f64,
    /// Goods plus carriage, VAT.
    pub invoice_tax: f64,
    /// Goods plus carriage, gross.
    pub invoice_gross: f64,
    /// Amount prepaid.
    pub amount_prepaid: f64,
    /// Payment reference.
    pub payment_ref: Option<String>,
    /// Bank nominal code the payment went to.
    pub bank_ref: Option<String>,
    /// `SalesReceipt` or `PaymentAlreadyReceived`.
    pub payment_type: Option<String>,
    /// `None`, `Part` or `Full`.
    pub allocated_status: String,
    /// Created (Unix microseconds).
    pub created: i64,
}

/// One line of a sales order.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderLineRow {
    /// 1-based line number.
    pub item_number: i64,
    /// Stock code (or S1/S2/S3/M).
    pub stock_code: String,
    /// Description.
    pub description: Option<String>,
    /// Quantity ordered.
    pub qty_order: f64,
    /// Quantity allocated.
    pub qty_allocated: f64,
    /// Unit price (net).
    pub unit_price: f64,
    /// Discount amount for the line.
    pub discount_amount: f64,
    /// Net after discount.
    pub net_amount: f64,
    /// VAT.
    pub tax_amount: f64,
    /// Gross.
    pub gross_amount: f64,
    /// Tax code id.
    pub tax_code: Option<i64>,
    /// Nominal code.
    pub nominal_code: Option<String>,
}

const ORDER_COLUMNS: &str = "o.order_number, o.account_ref, o.order_date, o.name, o.del_name,
    (SELECT count(*) FROM sop_item i WHERE i.order_number = o.order_number), o.items_net, o.items_tax,
    o.carr_net, o.carr_tax, o.invoice_net, o.invoice_tax, o.invoice_gross, o.amount_prepaid, o.payment_ref,
    o.bank_ref, o.payment_type, o.allocated_status, o.created";

fn order_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<OrderRow> {
    Ok(OrderRow {
        order_number: r.get(0)?,
        account_ref: r.get(1)?,
        order_date: r.get(2)?,
        name: r.get(3)?,
        del_name: r.get(4)?,
        lines: r.get(5)?,
        items_net: r.get(6)?,
        items_tax: r.get(7)?,
        carr_net: r.get(8)?,
        carr_tax: r.get(9)?,
        invoice_net: r.get(10)?,
        invoice_tax: r.get(11)?,
        invoice_gross: r.get(12)?,
        amount_prepaid: r.get(13)?,
        payment_ref: r.get(14)?,
        bank_ref: r.get(15)?,
        payment_type: r.get(16)?,
        allocated_status: r.get(17)?,
        created: r.get(18)?,
    })
}

impl Ledger {
    /// True when an order with this number exists.
    pub fn order_exists(&self, order_number: i64) -> Result<bool, LedgerError> {
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM sales_order WHERE order_number = ?1")?
            .query_row([order_number], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// The account an order was posted to.
    pub fn order_account(&self, order_number: i64) -> Result<Option<String>, LedgerError> {
        Ok(self
            .conn
            .prepare_cached("SELECT account_ref FROM sales_order WHERE order_number = ?1")?
            .query_row([order_number], |r| r.get(0))
            .optional()?)
    }

    /// The highest order number so far (0 when there are none).
    pub fn max_order_number(&self) -> Result<i64, LedgerError> {
        Ok(self.conn.query_row(
            "SELECT coalesce(max(order_number), 0) FROM sales_order",
            [],
            |r| r.get(0),
        )?)
    }

    /// One order.
    pub fn order(&self, order_number: i64) -> Result<Option<OrderRow>, LedgerError> {
        let sql = format!("SELECT {ORDER_COLUMNS} FROM sales_order o WHERE o.order_number = ?1");
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row([order_number], order_row)
            .optional()?)
    }

    /// Every order, by number.
    pub fn orders(&self) -> Result<Vec<OrderRow>, LedgerError> {
        let sql = format!("SELECT {ORDER_COLUMNS} FROM sales_order o ORDER BY o.order_number");
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map([], order_row)?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// The lines of one order, in order.
    pub fn order_lines(&self, order_number: i64) -> Result<Vec<OrderLineRow>, LedgerError> {
        self.document_lines("sop_item", "order_number", order_number)
    }

    /// The lines of one document in `table`, keyed by `number`.
    pub(crate) fn document_lines(
        &self,
        table: &str,
        number: &str,
        value: i64,
    ) -> Result<Vec<OrderLineRow>, LedgerError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT item_number, stock_code, description, qty_order, qty_allocated, unit_price,
                    discount_amount, net_amount, tax_amount, gross_amount, tax_code, nominal_code
             FROM {table} WHERE {number} = ?1 ORDER BY item_number"
        ))?;
        let rows = stmt.query_map([value], |r| {
            Ok(OrderLineRow {
                item_number: r.get(0)?,
                stock_code: r.get(1)?,
                description: r.get(2)?,
                qty_order: r.get(3)?,
                qty_allocated: r.get(4)?,
                unit_price: r.get(5)?,
                discount_amount: r.get(6)?,
                net_amount: r.get(7)?,
                tax_amount: r.get(8)?,
                gross_amount: r.get(9)?,
                tax_code: r.get(10)?,
                nominal_code: r.get(11)?,
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }
}

/// The two inserts of one kind of document (header and line), prepared once per import: the
/// statement cache would hash and compare their long SQL text on every record.
pub(crate) struct DocumentInserts<'c> {
    header: Statement<'c>,
    lines: Statement<'c>,
}

impl<'c> DocumentInserts<'c> {
    /// Prepares the inserts of `table`.
    pub(crate) fn prepare(
        conn: &'c Connection,
        table: &DocumentTable,
    ) -> Result<DocumentInserts<'c>, LedgerError> {
        let extra_columns: String = table.extra.iter().map(|c| format!(", {c}")).collect();
        let header = format!(
            "INSERT INTO {} ({}, account_ref, {}, {}, {HEADER_COLUMNS}{extra_columns}, created, modified)
             VALUES ({})",
            table.table,
            table.number,
            table.date,
            table.kind,
            placeholders(HEADER_VALUES + table.extra.len())
        );
        let lines = format!(
            "INSERT INTO {} ({}, {LINE_COLUMNS}) VALUES ({})",
            table.lines,
            table.number,
            placeholders(21)
        );
        Ok(DocumentInserts {
            header: conn.prepare(&header)?,
            lines: conn.prepare(&lines)?,
        })
    }

    /// Writes a document header (sales order or invoice) with the values of its table's
    /// extra columns, then its lines (inside the caller's transaction). `discount` is the net
    /// and VAT taken off the goods (invoices).
    pub(crate) fn insert<'l>(
        &mut self,
        o: &NewOrder,
        discount: (f64, f64),
        extra: &[&dyn ToSql],
        lines: impl IntoIterator<Item = &'l NewLine>,
    ) -> Result<(), LedgerError> {
        let now = now_micros();
        let r2 = super::round2;
        let (d_net, d_tax) = discount;
        let totals = [
            r2(o.items_net),
            r2(o.items_tax),
            r2(o.items_net + o.items_tax),
            r2(o.carr_net),
            r2(o.carr_tax),
            r2(o.carr_net + o.carr_tax),
            r2(o.items_net - d_net + o.carr_net),
            r2(o.items_tax - d_tax + o.carr_tax),
            r2(o.items_net - d_net + o.items_tax - d_tax + o.carr_net + o.carr_tax),
        ];
        let mut values: Vec<&dyn ToSql> = Vec::with_capacity(HEADER_VALUES + extra.len());
        values.extend([
            &o.order_number as &dyn ToSql,
            &o.account_ref,
            &o.order_date,
            &o.order_type,
            &o.currency,
            &o.foreign_rate,
            &o.name,
            &o.contact_name,
        ]);
        values.extend(o.address.iter().map(|a| a as &dyn ToSql));
        values.extend([&o.cust_tel_number as &dyn ToSql, &o.del_name]);
        values.extend(o.del_address.iter().map(|a| a as &dyn ToSql));
        values.extend([&o.cust_order_number as &dyn ToSql, &o.taken_by]);
        values.extend(o.notes.iter().map(|a| a as &dyn ToSql));
        values.extend(o.analysis.iter().map(|a| a as &dyn ToSql));
        values.extend([
            &o.despatch_date as &dyn ToSql,
            &o.consignment,
            &o.courier_number,
            &o.settlement_days,
            &o.settlement_disc_rate,
            &o.global_nom_code,
            &o.global_tax_code,
            &o.global_details,
            &o.global_dept_number,
        ]);
        values.extend(totals[..6].iter().map(|a| a as &dyn ToSql));
        values.extend([
            &o.carr_nom_code as &dyn ToSql,
            &o.carr_tax_code,
            &o.carr_dept_number,
        ]);
        values.extend(totals[6..].iter().map(|a| a as &dyn ToSql));
        values.extend([
            &o.vat_inclusive as &dyn ToSql,
            &o.payment_ref,
            &o.bank_ref,
            &o.amount_prepaid,
            &o.payment_type,
        ]);
        values.extend(extra.iter().copied());
        values.extend([&now as &dyn ToSql, &now]);
        self.header.execute(rusqlite::params_from_iter(values))?;
        for (i, l) in lines.into_iter().enumerate() {
            self.lines.execute(params![
                o.order_number,
                i as i64 + 1,
                l.stock_code,
                l.description,
                l.comment_1,
                l.comment_2,
                l.unit_of_sale,
                l.qty_order,
                l.qty_allocated,
                l.unit_price,
                l.discount_rate,
                l.discount_amount,
                l.full_net_amount,
                l.net_amount,
                l.tax_amount,
                r2(l.net_amount + l.tax_amount),
                l.tax_code,
                l.nominal_code,
                l.dept_number,
                l.job_number,
                l.text
            ])?;
        }
        Ok(())
    }
}

/// How many header values [`DocumentInserts::insert`] binds before the extra columns' (the
/// number, account, date and type, [`HEADER_COLUMNS`], `created` and `modified`).
const HEADER_VALUES: usize = 4 + 50 + 2;

/// The header columns after the number, account, date and type, in [`DocumentInserts::insert`]'s
/// order.
const HEADER_COLUMNS: &str = "currency, foreign_rate, name, contact_name, address_1, address_2,
    address_3, address_4, address_5, cust_tel_number, del_name, del_address_1, del_address_2,
    del_address_3, del_address_4, del_address_5, cust_order_number, taken_by, notes_1, notes_2,
    notes_3, analysis_1, analysis_2, analysis_3, despatch_date, consignment, courier_number,
    settlement_days, settlement_disc_rate, global_nom_code, global_tax_code, global_details,
    global_dept_number, items_net, items_tax, items_gross, carr_net, carr_tax, carr_gross,
    carr_nom_code, carr_tax_code, carr_dept_number, invoice_net, invoice_tax, invoice_gross,
    vat_inclusive, payment_ref, bank_ref, amount_prepaid, payment_type";

/// The line columns after the document number.
const LINE_COLUMNS: &str = "item_number, stock_code, description, comment_1, comment_2,
    unit_of_sale, qty_order, qty_allocated, unit_price, discount_rate, discount_amount,
    full_net_amount, net_amount, tax_amount, gross_amount, tax_code, nominal_code, dept_number,
    job_number, text";

/// `?1, ?2, … ?n`.
fn placeholders(n: usize) -> String {
    (1..=n)
        .map(|i| format!("?{i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The tables a kind of document is written to.
pub(crate) struct DocumentTable {
    /// Header table.
    pub table: &'static str,
    /// Its number column (also the lines' key).
    pub number: &'static str,
    /// Its date column.
    pub date: &'static str,
    /// Its type column.
    pub kind: &'static str,
    /// Lines table.
    pub lines: &'static str,
    /// The header's columns after the shared ones, in the order their values are given.
    pub extra: &'static [&'static str],
}

/// `sales_order` and `sop_item`.
pub(crate) const SALES_ORDER_TABLE: DocumentTable = DocumentTable {
    table: "sales_order",
    number: "order_number",
    date: "order_date",
    kind: "order_type",
    lines: "sop_item",
    extra: &["allocated_status"],
};
