//! Posted transactions (Sage's audit trail): what they add to customer and bank balances.
use rusqlite::{OptionalExtension, params};

use super::{Ledger, LedgerError, round2};
use crate::state::now_micros;

/// A transaction type the ledger posts, with its Sage code and which way it moves the
/// customer's balance and the bank's (+1, -1, 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TranType {
    /// Connect XML `TransactionType`.
    pub name: &'static str,
    /// Sage audit type (`SI`, `SR`, …).
    pub code: &'static str,
    /// Sign of its effect on the customer's balance.
    pub customer: i8,
    /// Sign of its effect on the bank's balance.
    pub bank: i8,
}

macro_rules! tran_types {
    ($($konst:ident = $name:literal, $code:literal, $customer:literal, $bank:literal;)*) => {
        $(
            #[doc = concat!("`", $name, "` (`", $code, "`).")]
            pub(crate) const $konst: TranType = TranType {
                name: $name,
                code: $code,
                customer: $customer,
                bank: $bank,
            };
        )*
        /// Every type the ledger posts.
        pub const TRAN_TYPES: &[TranType] = &[$($konst),*];
    };
}

tran_types! {
    SALES_INVOICE = "SalesInvoice", "SI", 1, 0;
    SALES_CREDIT = "SalesCredit", "SC", -1, 0;
    SALES_RECEIPT = "SalesReceipt", "SR", -1, 1;
    SALES_RECEIPT_ON_ACCOUNT = "SalesReceiptOnAccount", "SA", -1, 1;
    SALES_PAYMENT = "SalesPayment", "SP", 1, -1;
    SALES_DISCOUNT = "SalesDiscount", "SD", -1, 0;
    BANK_RECEIPT = "BankReceipt", "BR", 0, 1;
    BANK_PAYMENT = "BankPayment", "BP", 0, -1;
}

impl TranType {
    /// The type named `name` (Connect XML spelling, case-insensitive).
    #[must_use]
    pub fn named(name: &str) -> Option<TranType> {
        TRAN_TYPES
            .iter()
            .find(|t| t.name.eq_ignore_ascii_case(name.trim()))
            .copied()
    }
}

/// The insert of one posted transaction.
pub(crate) const RECORD_TRANSACTION: &str =
    "INSERT INTO ledger_transaction (tran_type, account_ref,
    bank_code, nominal_code, invoice_number, tran_date, reference, details, net_amount, tax_amount,
    amount, tax_code, balance_effect, bank_effect, created, modified)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?15)";

/// A transaction as an import posts it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NewTransaction {
    pub kind: TranType,
    pub account_ref: Option<String>,
    pub bank_code: Option<String>,
    pub nominal_code: Option<String>,
    pub invoice_number: Option<i64>,
    pub tran_date: String,
    pub reference: Option<String>,
    pub details: Option<String>,
    pub net: f64,
    pub tax: f64,
    pub tax_code: Option<i64>,
}

/// One posted transaction as `zynk ledger transactions` lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct TransactionRow {
    /// Transaction number (1, 2, …).
    pub tran_number: i64,
    /// Sage type code (`SI`, `SC`, `SR`, `SA`, `SP`, `SD`, `BR`, `BP`).
    pub tran_type: String,
    /// Customer account, for sales types.
    pub account_ref: Option<String>,
    /// Bank nominal code, for receipts and payments.
    pub bank_code: Option<String>,
    /// Nominal code (sales nominal of bank receipts).
    pub nominal_code: Option<String>,
    /// Invoice it belongs to or is allocated to.
    pub invoice_number: Option<i64>,
    /// Date (`YYYY-MM-DD`).
    pub tran_date: String,
    /// Reference.
    pub reference: Option<String>,
    /// Details.
    pub details: Option<String>,
    /// Net.
    pub net_amount: f64,
    /// VAT.
    pub tax_amount: f64,
    /// Gross.
    pub amount: f64,
    /// Tax code id.
    pub tax_code: Option<i64>,
    /// What it added to the customer's balance.
    pub balance_effect: f64,
    /// What it added to the bank's balance.
    pub bank_effect: f64,
    /// Created (Unix microseconds).
    pub created: i64,
}

impl Ledger {
    /// Posts `t`: writes the transaction and moves the customer's and the bank's balance.
    /// Returns its number.
    pub(crate) fn post(&self, t: &NewTransaction) -> Result<i64, LedgerError> {
        let (number, balance_effect, bank_effect) = self.record_transaction(t)?;
        if let Some(account) = &t.account_ref {
            self.move_balance(account, balance_effect)?;
        }
        if let Some(bank) = &t.bank_code {
            self.move_bank(bank, bank_effect)?;
        }
        Ok(number)
    }

    /// Writes `t` to the audit trail without moving any balance; returns its number and what
    /// it adds to the customer's and the bank's balance (the caller moves them, once for
    /// several transactions of one account).
    pub(crate) fn record_transaction(
        &self,
        t: &NewTransaction,
    ) -> Result<(i64, f64, f64), LedgerError> {
        let mut insert = self.conn.prepare_cached(RECORD_TRANSACTION)?;
        self.record_transaction_with(&mut insert, t)
    }

    /// [`Ledger::record_transaction`] through `insert`, a statement prepared from
    /// [`RECORD_TRANSACTION`] and held by the caller (an import prepares it once).
    pub(crate) fn record_transaction_with(
        &self,
        insert: &mut rusqlite::Statement<'_>,
        t: &NewTransaction,
    ) -> Result<(i64, f64, f64), LedgerError> {
        let gross = round2(t.net + t.tax);
        let balance_effect = round2(gross * f64::from(t.kind.customer));
        let bank_effect = round2(gross * f64::from(t.kind.bank));
        let now = now_micros();
        insert.execute(params![
            t.kind.code,
            t.account_ref,
            t.bank_code,
            t.nominal_code,
            t.invoice_number,
            t.tran_date,
            t.reference,
            t.details,
            round2(t.net),
            round2(t.tax),
            gross,
            t.tax_code,
            balance_effect,
            bank_effect,
            now
        ])?;
        Ok((self.conn.last_insert_rowid(), balance_effect, bank_effect))
    }

    /// Adds `amount` to a customer's balance (the account counts as modified); a zero
    /// amount changes nothing.
    pub(crate) fn move_balance(&self, account_ref: &str, amount: f64) -> Result<(), LedgerError> {
        if amount != 0.0 {
            self.move_balance_always(account_ref, amount)?;
        }
        Ok(())
    }

    /// Adds `amount` to a customer's balance and counts the account as modified, even when
    /// `amount` is zero (moves that cancelled out within one import).
    pub(crate) fn move_balance_always(
        &self,
        account_ref: &str,
        amount: f64,
    ) -> Result<(), LedgerError> {
        self.conn
            .prepare_cached(
                "UPDATE customer SET balance = round(balance + ?2, 2), modified = ?3
                 WHERE account_ref = ?1",
            )?
            .execute(params![account_ref, amount, now_micros()])?;
        Ok(())
    }

    /// Adds `amount` to a bank account's balance.
    pub(crate) fn move_bank(&self, nominal_code: &str, amount: f64) -> Result<(), LedgerError> {
        if amount != 0.0 {
            self.conn
                .prepare_cached(
                    "UPDATE bank_account SET balance = round(balance + ?2, 2) WHERE nominal_code = ?1",
                )?
                .execute(params![nominal_code, amount])?;
        }
        Ok(())
    }

    /// Every posted transaction, by number.
    pub fn transactions(&self) -> Result<Vec<TransactionRow>, LedgerError> {
        let mut stmt = self.conn.prepare(
            "SELECT tran_number, tran_type, account_ref, bank_code, nominal_code, invoice_number,
                    tran_date, reference, details, net_amount, tax_amount, amount, tax_code,
                    balance_effect, bank_effect, created
             FROM ledger_transaction ORDER BY tran_number",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(TransactionRow {
                tran_number: r.get(0)?,
                tran_type: r.get(1)?,
                account_ref: r.get(2)?,
                bank_code: r.get(3)?,
                nominal_code: r.get(4)?,
                invoice_number: r.get(5)?,
                tran_date: r.get(6)?,
                reference: r.get(7)?,
                details: r.get(8)?,
                net_amount: r.get(9)?,
                tax_amount: r.get(10)?,
                amount: r.get(11)?,
                tax_code: r.get(12)?,
                balance_effect: r.get(13)?,
                bank_effect: r.get(14)?,
                created: r.get(15)?,
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// The balance of bank account `nominal_code`.
    pub fn bank_balance(&self, nominal_code: &str) -> Result<Option<f64>, LedgerError> {
        Ok(self
            .conn
            .prepare_cached("SELECT balance FROM bank_account WHERE nominal_code = ?1")?
            .query_row([nominal_code], |r| r.get(0))
            .optional()?)
    }

    /// The balance of customer account `account_ref`.
    pub fn customer_balance(&self, account_ref: &str) -> Result<Option<f64>, LedgerError> {
        Ok(self
            .conn
            .prepare_cached("SELECT balance FROM customer WHERE account_ref = ?1")?
            .query_row([account_ref], |r| r.get(0))
            .optional()?)
    }
}
