//! Invoices and credit notes (Sage `INVOICE`) and their lines (`INVOICE_ITEM`).
use rusqlite::OptionalExtension;

use super::sales_order::{DocumentTable, OrderLineRow};
use super::{Ledger, LedgerError};

/// `invoice` and `invoice_item`.
pub(crate) const INVOICE_TABLE: DocumentTable = DocumentTable {
    table: "invoice",
    number: "invoice_number",
    date: "invoice_date",
    kind: "invoice_type",
    lines: "invoice_item",
    extra: &[
        "net_value_discount",
        "net_value_discount_tax",
        "net_value_discount_description",
        "net_value_discount_comment_1",
        "net_value_discount_comment_2",
        "amount_paid",
    ],
};

/// One invoice or credit note as `zynk ledger invoices` lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct InvoiceRow {
    /// Invoice (or credit note) number.
    pub invoice_number: i64,
    /// Customer account.
    pub account_ref: String,
    /// Invoice date (`YYYY-MM-DD`).
    pub invoice_date: String,
    /// `ProductInvoice`, `ServiceInvoice`, `ProductCredit` or `ServiceCredit`.
    pub invoice_type: String,
    /// Invoice name.
    pub name: Option<String>,
    /// Number of lines.
    pub lines: i64,
    /// Goods net (before the net value discount).
    pub items_net: f64,
    /// Goods VAT (before the net value discount).
    pub items_tax: f64,
    /// Carriage net.
    pub carr_net: f64,
    /// Carriage VAT.
    pub carr_tax: f64,
    /// Net value discount, net.
    pub net_value_discount: f64,
    /// Net value discount, VAT.
    pub net_value_discount_tax: f64,
    /// Total net.
    pub invoice_net: f64,
    /// Total VAT.
    pub invoice_tax: f64,
    /// Total gross.
    pub invoice_gross: f64,
    /// Paid by receipts allocated to it.
    pub amount_paid: f64,
    /// Payment reference.
    pub payment_ref: Option<String>,
    /// Bank nominal code of the payment.
    pub bank_ref: Option<String>,
    /// Created (Unix microseconds).
    pub created: i64,
    /// Last changed (Unix microseconds).
    pub modified: i64,
}

impl InvoiceRow {
    /// True for credit notes.
    #[must_use]
    pub fn is_credit(&self) -> bool {
        self.invoice_type.ends_with("Credit")
    }

    /// Gross still owed (credit notes: still to be refunded or used).
    #[must_use]
    pub fn outstanding(&self) -> f64 {
        super::round2(self.invoice_gross - self.amount_paid)
    }
}

const INVOICE_COLUMNS: &str = "v.invoice_number, v.account_ref, v.invoice_date, v.invoice_type, v.name,
    (SELECT count(*) FROM invoice_item i WHERE i.invoice_number = v.invoice_number), v.items_net,
    v.items_tax, v.carr_net, v.carr_tax, v.net_value_discount, v.net_value_discount_tax, v.invoice_net,
    v.invoice_tax, v.invoice_gross, v.amount_paid, v.payment_ref, v.bank_ref, v.created, v.modified";

fn invoice_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<InvoiceRow> {
    Ok(InvoiceRow {
        invoice_number: r.get(0)?,
        account_ref: r.get(1)?,
        invoice_date: r.get(2)?,
        invoice_type: r.get(3)?,
        name: r.get(4)?,
        lines: r.get(5)?,
        items_net: r.get(6)?,
        items_tax: r.get(7)?,
        carr_net: r.get(8)?,
        carr_tax: r.get(9)?,
        net_value_discount: r.get(10)?,
        net_value_discount_tax: r.get(11)?,
        invoice_net: r.get(12)?,
        invoice_tax: r.get(13)?,
        invoice_gross: r.get(14)?,
        amount_paid: r.get(15)?,
        payment_ref: r.get(16)?,
        bank_ref: r.get(17)?,
        created: r.get(18)?,
        modified: r.get(19)?,
    })
}

impl Ledger {
    /// True when an invoice or credit note with this number exists.
    pub fn invoice_exists(&self, invoice_number: i64) -> Result<bool, LedgerError> {
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM invoice WHERE invoice_number = ?1")?
            .query_row([invoice_number], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// The account an invoice was posted to.
    pub fn invoice_account(&self, invoice_number: i64) -> Result<Option<String>, LedgerError> {
        Ok(self
            .conn
            .prepare_cached("SELECT account_ref FROM invoice WHERE invoice_number = ?1")?
            .query_row([invoice_number], |r| r.get(0))
            .optional()?)
    }

    /// The highest invoice number so far (0 when there are none).
    pub fn max_invoice_number(&self) -> Result<i64, LedgerError> {
        Ok(self.conn.query_row(
            "SELECT coalesce(max(invoice_number), 0) FROM invoice",
            [],
            |r| r.get(0),
        )?)
    }

    /// One invoice.
    pub fn invoice(&self, invoice_number: i64) -> Result<Option<InvoiceRow>, LedgerError> {
        let sql = format!("SELECT {INVOICE_COLUMNS} FROM invoice v WHERE v.invoice_number = ?1");
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row([invoice_number], invoice_row)
            .optional()?)
    }

    /// Every invoice and credit note, by number.
    pub fn invoices(&self) -> Result<Vec<InvoiceRow>, LedgerError> {
        self.invoices_since(None, false)
    }

    /// Invoices created (or, with `modified`, created or changed) after `since` (Unix
    /// microseconds); all of them when `since` is `None`.
    pub fn invoices_since(
        &self,
        since: Option<i64>,
        modified: bool,
    ) -> Result<Vec<InvoiceRow>, LedgerError> {
        let filter = match (since, modified) {
            (None, _) => "",
            (Some(_), false) => "WHERE v.created > ?1",
            (Some(_), true) => "WHERE v.created > ?1 OR v.modified > ?1",
        };
        let sql =
            format!("SELECT {INVOICE_COLUMNS} FROM invoice v {filter} ORDER BY v.invoice_number");
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = match since {
            Some(t) => stmt
                .query_map([t], invoice_row)?
                .collect::<Result<Vec<_>, _>>()?,
            None => stmt
                .query_map([], invoice_row)?
                .collect::<Result<Vec<_>, _>>()?,
        };
        Ok(rows)
    }

    /// The lines of one invoice, in order.
    pub fn invoice_lines(&self, invoice_number: i64) -> Result<Vec<OrderLineRow>, LedgerError> {
        self.document_lines("invoice_item", "invoice_number", invoice_number)
    }

    /// Adds `amount` to what has been paid on an invoice.
    pub(crate) fn add_invoice_payment(
        &self,
        invoice_number: i64,
        amount: f64,
    ) -> Result<(), LedgerError> {
        self.conn
            .prepare_cached(
                "UPDATE invoice SET amount_paid = round(amount_paid + ?2, 2), modified = ?3
                 WHERE invoice_number = ?1",
            )?
            .execute(rusqlite::params![
                invoice_number,
                amount,
                crate::state::now_micros()
            ])?;
        Ok(())
    }

    /// Spreads a receipt of `amount` over the account's invoices with something outstanding,
    /// oldest first; what is left stays on account.
    pub(crate) fn allocate_receipt(
        &self,
        account_ref: &str,
        amount: f64,
    ) -> Result<(), LedgerError> {
        let open: Vec<(i64, f64)> = self
            .conn
            .prepare_cached(
                "SELECT invoice_number, round(invoice_gross - amount_paid, 2) FROM invoice
                 WHERE account_ref = ?1 AND invoice_type NOT LIKE '%Credit'
                   AND invoice_gross - amount_paid > 0.004
                 ORDER BY invoice_date, invoice_number",
            )?
            .query_map([account_ref], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        let mut left = amount;
        for (number, outstanding) in open {
            if left <= 0.0 {
                break;
            }
            let paid = left.min(outstanding);
            self.add_invoice_payment(number, paid)?;
            left = super::round2(left - paid);
        }
        Ok(())
    }
}
