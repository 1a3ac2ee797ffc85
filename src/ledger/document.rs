//! What differs between the order-shaped documents an import writes: sales orders and invoices.
use crate::connect::schema::{INVOICE, SALES_ORDER, preceding};
use crate::connect::{DocumentNames, INVOICE_NAMES, Node, SALES_ORDER_NAMES};
use crate::state::{TRUTH_INVOICE, TRUTH_SALES_ORDER};

use super::import_run::SuccessEdit;
use super::invoice::INVOICE_TABLE;
use super::sales_order::{DocumentTable, SALES_ORDER_TABLE};
use super::{Ledger, LedgerError};

/// One kind of document: its record names, truth type, numbering and the types it accepts.
pub(super) struct DocumentKind {
    /// How messages name the record (`sales order`, `invoice`).
    pub(super) noun: &'static str,
    /// How messages name it for short (`order`, `invoice`).
    pub(super) short: &'static str,
    /// `SalesOrders`, `Invoices`.
    pub(super) collection: &'static str,
    /// `SalesOrder`, `Invoice`.
    pub(super) record: &'static str,
    pub(super) names: &'static DocumentNames,
    /// The record's children in schema order.
    pub(super) schema: &'static [&'static str],
    /// The tables it is written to.
    pub(super) table: &'static DocumentTable,
    /// Truth table type of the record's `Id`.
    pub(super) truth: &'static str,
    /// The option that turns on numbers from the XML.
    pub(super) manual_option: &'static str,
    /// Accepted type spellings and the type stored for each; the first is the default.
    pub(super) kinds: &'static [(&'static str, &'static str)],
    /// Whether `NetValueDiscount` is applied (invoices).
    pub(super) net_value_discount: bool,
    /// Whether a document with this number exists.
    pub(super) exists: fn(&Ledger, i64) -> Result<bool, LedgerError>,
    /// The account a document was posted to.
    pub(super) account_of: fn(&Ledger, i64) -> Result<Option<String>, LedgerError>,
    /// The highest number so far (0 when there are none).
    pub(super) max_number: fn(&Ledger) -> Result<i64, LedgerError>,
}

/// `Company/SalesOrders/SalesOrder`.
pub(super) static SALES_ORDER_DOC: DocumentKind = DocumentKind {
    noun: "sales order",
    short: "order",
    collection: "SalesOrders",
    record: "SalesOrder",
    names: &SALES_ORDER_NAMES,
    schema: SALES_ORDER,
    table: &SALES_ORDER_TABLE,
    truth: TRUTH_SALES_ORDER,
    manual_option: "manual_order_numbers",
    kinds: &[
        ("ProductInvoice", "ProductInvoice"),
        ("SopInvoice", "SopInvoice"),
        ("SopQuote", "SopQuote"),
        ("SopProforma", "SopProforma"),
    ],
    net_value_discount: false,
    exists: Ledger::order_exists,
    account_of: Ledger::order_account,
    max_number: Ledger::max_order_number,
};

/// `Company/Invoices/Invoice`: product and service invoices and credit notes.
pub(super) static INVOICE_DOC: DocumentKind = DocumentKind {
    noun: "invoice",
    short: "invoice",
    collection: "Invoices",
    record: "Invoice",
    names: &INVOICE_NAMES,
    schema: INVOICE,
    table: &INVOICE_TABLE,
    truth: TRUTH_INVOICE,
    manual_option: "manual_invoice_numbers",
    kinds: &[
        ("ProductInvoice", "ProductInvoice"),
        ("Product", "ProductInvoice"),
        ("ServiceInvoice", "ServiceInvoice"),
        ("Service", "ServiceInvoice"),
        ("ProductCredit", "ProductCredit"),
        ("ServiceCredit", "ServiceCredit"),
    ],
    net_value_discount: true,
    exists: Ledger::invoice_exists,
    account_of: Ledger::invoice_account,
    max_number: Ledger::max_invoice_number,
};

impl DocumentKind {
    /// The stored type for a spelling (case-insensitive); `None` when it is not accepted.
    pub(super) fn kind(&self, given: Option<&str>) -> Option<&'static str> {
        match given {
            None => self.kinds.first().map(|(_, k)| *k),
            Some(g) => self
                .kinds
                .iter()
                .find(|(spelling, _)| spelling.eq_ignore_ascii_case(g.trim()))
                .map(|(_, k)| *k),
        }
    }

    /// The accepted spellings, for messages.
    pub(super) fn kind_names(&self) -> String {
        let names: Vec<&str> = self.kinds.iter().map(|(s, _)| *s).collect();
        names.join(", ")
    }

    /// The success-file edit giving the record the number and account the ledger used.
    pub(super) fn number_edit(
        &'static self,
        number: String,
        account: Option<String>,
    ) -> SuccessEdit {
        Box::new(move |node: &mut Node| {
            node.set_child_text(
                self.names.number,
                &number,
                preceding(self.schema, self.names.number),
            );
            if let Some(account) = account {
                node.set_child_text(
                    "AccountReference",
                    &account,
                    preceding(self.schema, "AccountReference"),
                );
            }
        })
    }
}
