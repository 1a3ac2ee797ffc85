//! `Transaction`: a Connect XML `Company/Transactions/Transaction` record, typed.
use jiff::civil::DateTime;

use super::node::Node;
use super::value::{FieldError, datetime, integer, number, text};

/// The fields of a transaction that the ledger uses; the record's [`Node`] keeps the rest.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Transaction {
    /// `Id`: the website's id (duplicate key in the truth store).
    pub id: Option<String>,
    /// `CustomerId`: the website's customer id (truth store lookup).
    pub customer_id: Option<String>,
    /// `TransactionType` (`SalesReceipt`, `BankReceipt`, …).
    pub transaction_type: Option<String>,
    /// `AccountReference`: the customer account, or the bank for bank transactions.
    pub account_reference: Option<String>,
    /// `TransactionDate`
    pub date: Option<DateTime>,
    /// `NominalCode`: the bank for customer receipts and payments, else the nominal posted to.
    pub nominal_code: Option<String>,
    /// `Reference`
    pub reference: Option<String>,
    /// `PaymentReference`
    pub payment_reference: Option<String>,
    /// `Details`
    pub details: Option<String>,
    /// `NetAmount`
    pub net_amount: Option<f64>,
    /// `TaxCode`
    pub tax_code: Option<i64>,
    /// `TaxAmount`
    pub tax_amount: Option<f64>,
}

impl Transaction {
    /// Reads a transaction record; a badly typed field fails the record.
    pub fn from_node(node: &Node) -> Result<Transaction, FieldError> {
        Ok(Transaction {
            id: text(node, "Id"),
            customer_id: text(node, "CustomerId"),
            transaction_type: text(node, "TransactionType"),
            account_reference: text(node, "AccountReference"),
            date: datetime(node, "TransactionDate")?,
            nominal_code: text(node, "NominalCode"),
            reference: text(node, "Reference"),
            payment_reference: text(node, "PaymentReference"),
            details: text(node, "Details"),
            net_amount: number(node, "NetAmount")?,
            tax_code: integer(node, "TaxCode")?.filter(|c| *c >= 0),
            tax_amount: number(node, "TaxAmount")?,
        })
    }
}
