//! `import transactions`: Connect XML sales and bank transactions posted to customer and bank
//! balances.
use std::collections::HashMap;
use std::path::Path;

use crate::connect::schema::{TRANSACTION, preceding};
use crate::connect::{Node, Transaction};
use crate::state::{
    StateStore, TRUTH_CUSTOMER, TRUTH_TRANSACTION, truth_lookup_on, truth_row_on,
    truth_store_with_on,
};

use super::fingerprint::Fingerprint;
use super::import_error::{ImportError, ImportReport};
use super::import_run::{ImportRun, RecordFailure, Resend, STATE, Stage, SuccessEdit, reject};
use super::limits::{Fitter, account_reference};
use super::options::{Duplicates, TransactionImportOptions};
use super::posting::{
    NewTransaction, SALES_RECEIPT, SALES_RECEIPT_ON_ACCOUNT, TRAN_TYPES, TranType,
};
use super::{Ledger, LedgerError, round2};

/// Imports `Company/Transactions/Transaction` from `input` into the ledger.
///
/// Sales types (`SalesInvoice`, `SalesCredit`, `SalesReceipt`, `SalesReceiptOnAccount`,
/// `SalesPayment`, `SalesDiscount`) name the customer by `AccountReference` (else `CustomerId`
/// in the truth table) and move its balance; receipts and payments also move the bank in
/// `NominalCode`. Bank types (`BankReceipt`, `BankPayment`) name the bank in
/// `AccountReference` and post to the nominal in `NominalCode`. Posted transactions go to
/// `success` with their `TransactionNumber`; failed ones to `fail` with `Errors`.
pub fn import_transactions(
    ledger: &mut Ledger,
    state: &StateStore,
    workflow: &str,
    input: &Path,
    success: &Path,
    fail: &Path,
    opts: &TransactionImportOptions,
) -> Result<ImportReport, ImportError> {
    let ledger: &Ledger = ledger;
    let mut run = ImportRun::begin(
        ledger,
        state,
        input,
        success,
        fail,
        "Transactions",
        "Transaction",
        opts.encoding,
    )?;
    let rates: HashMap<i64, f64> = ledger
        .tax_codes()?
        .into_iter()
        .map(|t| (t.id, t.rate))
        .collect();
    let today = jiff::Zoned::now().date().to_string();
    while let Some(node) = run.next()? {
        run.record(
            node,
            |ledger, node, fitter| {
                let ctx = Check {
                    ledger,
                    workflow,
                    opts,
                    rates: &rates,
                    today: &today,
                };
                ctx.check(node, fitter)
            },
            |ledger, plan| plan.write(ledger, workflow, opts.allocate_receipts),
        )?;
    }
    run.finish()
}

struct Check<'a> {
    ledger: &'a Ledger,
    workflow: &'a str,
    opts: &'a TransactionImportOptions,
    rates: &'a HashMap<i64, f64>,
    today: &'a str,
}

/// What one transaction posts, decided before anything is written.
struct TransactionPlan {
    tran: NewTransaction,
    id: Option<String>,
    fingerprint: Option<Fingerprint>,
}

impl Check<'_> {
    /// Every reason to reject the transaction, in order: duplicate, type, account, bank,
    /// amounts.
    fn check(&self, node: &Node, fitter: &mut Fitter) -> Result<TransactionPlan, RecordFailure> {
        let ledger = self.ledger;
        let fingerprint = node
            .text_of("Id")
            .map(|_| Fingerprint::of_transaction(node));
        if self.opts.prevent_duplicates
            && let Some(id) = node.text_of("Id")
            && let Some((number, stored)) =
                truth_row_on(&ledger.conn, STATE, self.workflow, TRUTH_TRANSACTION, id)?
        {
            if let (Some(now), Some(first)) = (&fingerprint, stored)
                && let Some(diff) = now.differences(&first)
            {
                return Err(reject(
                    Stage::Conflict,
                    format!(
                        "transaction Id {id} was already posted as transaction {number} with \
                         other content: {diff}; the ledger keeps the first version, so this one \
                         is not posted: give it a new Id, or correct transaction {number} in the \
                         ledger"
                    ),
                ));
            }
            return Err(match self.opts.duplicates {
                Duplicates::Fail => reject(
                    Stage::Duplicate,
                    format!("transaction Id {id} was already posted as transaction {number}"),
                ),
                Duplicates::Resend => RecordFailure::AlreadyImported(Resend(numbered(number))),
            });
        }
        let t =
            Transaction::from_node(node).map_err(|e| reject(Stage::Validation, e.to_string()))?;
        let kind = self.kind(&t)?;
        let (account_ref, bank_code, nominal_code) = if kind.customer != 0 {
            let account = self.account(&t)?;
            let bank = if kind.bank != 0 {
                Some(self.bank(t.nominal_code.as_deref(), "NominalCode")?)
            } else {
                None
            };
            let nominal = if kind.bank != 0 {
                bank.clone()
            } else {
                self.code(&t, fitter)?
            };
            (Some(account), bank, nominal)
        } else {
            let bank = self.bank(t.account_reference.as_deref(), "AccountReference")?;
            (None, Some(bank), self.code(&t, fitter)?)
        };
        let net = t
            .net_amount
            .ok_or_else(|| reject(Stage::Validation, "the transaction has no NetAmount"))?;
        if !net.is_finite() || net <= 0.0 {
            return Err(reject(
                Stage::Validation,
                format!("`NetAmount` {net} is not a positive amount"),
            ));
        }
        let tax_code = t.tax_code.unwrap_or(9);
        let rate = self.rates.get(&tax_code).copied().ok_or_else(|| {
            reject(
                Stage::Validation,
                format!("tax code T{tax_code} is not set up in the ledger"),
            )
        })?;
        let tax = match t.tax_amount {
            Some(a) if a.is_finite() && a >= 0.0 => a,
            Some(a) => {
                return Err(reject(
                    Stage::Validation,
                    format!("`TaxAmount` {a} is not zero or a positive amount"),
                ));
            }
            None => round2(net * rate / 100.0),
        };
        Ok(TransactionPlan {
            tran: NewTransaction {
                kind,
                account_ref,
                bank_code,
                nominal_code,
                invoice_number: None,
                tran_date: t
                    .date
                    .map_or_else(|| self.today.to_string(), |d| d.date().to_string()),
                reference: fitter.text(
                    "Reference",
                    t.reference.as_deref().or(t.payment_reference.as_deref()),
                    30,
                ),
                details: fitter.text("Details", t.details.as_deref(), 60),
                net: round2(net),
                tax: round2(tax),
                tax_code: Some(tax_code),
            },
            id: t.id,
            fingerprint,
        })
    }

    fn kind(&self, t: &Transaction) -> Result<TranType, RecordFailure> {
        let Some(given) = t.transaction_type.as_deref() else {
            return Err(reject(
                Stage::Validation,
                "the transaction has no TransactionType",
            ));
        };
        TranType::named(given).ok_or_else(|| {
            let names: Vec<&str> = TRAN_TYPES.iter().map(|t| t.name).collect();
            reject(
                Stage::Validation,
                format!(
                    "`TransactionType` `{given}` is not one the ledger posts ({})",
                    names.join(", ")
                ),
            )
        })
    }

    /// The customer account: `AccountReference`, else `CustomerId` in the truth table; it must
    /// exist.
    fn account(&self, t: &Transaction) -> Result<String, RecordFailure> {
        let reference = match (t.account_reference.as_deref(), t.customer_id.as_deref()) {
            (Some(r), _) => account_reference(r).map_err(|m| reject(Stage::Validation, m))?,
            (None, Some(id)) => truth_lookup_on(
                &self.ledger.conn,
                STATE,
                self.workflow,
                TRUTH_CUSTOMER,
                id,
            )?
            .ok_or_else(|| {
                reject(
                    Stage::Validation,
                    format!(
                        "customer not found: the transaction has no AccountReference and CustomerId {id} is not in the truth table"
                    ),
                )
            })?,
            (None, None) => {
                return Err(reject(
                    Stage::Validation,
                    "customer not found: the transaction has neither AccountReference nor CustomerId",
                ));
            }
        };
        if self.ledger.customer_balance(&reference)?.is_none() {
            return Err(reject(
                Stage::Validation,
                format!("account `{reference}` does not exist in the ledger"),
            ));
        }
        Ok(reference)
    }

    /// A bank nominal code given in `field`; it must be a bank account of the ledger.
    fn bank(&self, code: Option<&str>, field: &str) -> Result<String, RecordFailure> {
        let Some(code) = code else {
            return Err(reject(
                Stage::Validation,
                format!("the transaction has no {field} naming its bank account"),
            ));
        };
        if !self.ledger.is_bank_account(code)? {
            return Err(reject(
                Stage::Validation,
                format!("`{field}` `{code}` is not a bank account in the ledger"),
            ));
        }
        Ok(code.to_string())
    }

    fn code(&self, t: &Transaction, fitter: &mut Fitter) -> Result<Option<String>, RecordFailure> {
        fitter
            .code("NominalCode", t.nominal_code.as_deref(), 8)
            .map_err(|m| reject(Stage::Validation, m))
    }
}

impl TransactionPlan {
    /// Posts the transaction, allocates a receipt when asked, and stores its truth row.
    fn write(
        self,
        ledger: &Ledger,
        workflow: &str,
        allocate: bool,
    ) -> Result<SuccessEdit, LedgerError> {
        let number = ledger.post(&self.tran)?;
        if allocate
            && (self.tran.kind == SALES_RECEIPT || self.tran.kind == SALES_RECEIPT_ON_ACCOUNT)
            && let Some(account) = &self.tran.account_ref
        {
            ledger.allocate_receipt(account, round2(self.tran.net + self.tran.tax))?;
        }
        if let Some(id) = self.id.as_deref() {
            truth_store_with_on(
                &ledger.conn,
                STATE,
                workflow,
                TRUTH_TRANSACTION,
                id,
                &number.to_string(),
                self.fingerprint.as_ref().map(Fingerprint::as_str),
            )?;
        }
        Ok(numbered(number.to_string()))
    }
}

/// The success-file edit: the number the ledger gave the transaction.
fn numbered(number: String) -> SuccessEdit {
    Box::new(move |node: &mut Node| {
        node.set_child_text(
            "TransactionNumber",
            &number,
            preceding(TRANSACTION, "TransactionNumber"),
        );
    })
}
