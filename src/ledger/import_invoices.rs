//! `import invoices`: Connect XML invoices and credit notes into the ledger, posted to the
//! customer's balance with any payment they carry.
use std::path::Path;

use crate::state::StateStore;

use super::document::INVOICE_DOC;
use super::document_writer::DocumentWriter;
use super::import_error::{ImportError, ImportReport};
use super::import_run::SuccessEdit;
use super::import_sales_orders::{DocumentRun, import_documents};
use super::options::InvoiceImportOptions;
use super::order_plan::OrderPlan;
use super::posting::{NewTransaction, SALES_CREDIT, SALES_INVOICE, SALES_PAYMENT, SALES_RECEIPT};
use super::{Ledger, LedgerError, round2};

/// Imports `Company/Invoices/Invoice` from `input` into the ledger.
///
/// Each invoice goes through the same checks as a sales order (duplicates by `Id`, account,
/// currency, number, lines priced and taxed per line, carriage, payment, header, type), then
/// is written with its lines, posted to the account's balance (`SI`, or `SC` for a credit
/// note) and, with a payment, a receipt (`SR`; a refund `SP` for a credit note) to the bank.
/// Imported invoices go to `success` with the `InvoiceNumber` and `AccountReference` used;
/// failed ones to `fail` with `Errors`.
pub fn import_invoices(
    ledger: &mut Ledger,
    state: &StateStore,
    workflow: &str,
    input: &Path,
    success: &Path,
    fail: &Path,
    opts: &InvoiceImportOptions,
) -> Result<ImportReport, ImportError> {
    let order_opts = opts.as_order_options();
    import_documents(
        ledger,
        &DocumentRun {
            state,
            workflow,
            input,
            success,
            fail,
            opts: &order_opts,
            doc: &INVOICE_DOC,
        },
        |ledger, plan, writer| write_invoice(ledger, writer, workflow, plan),
    )
}

/// The write phase of one invoice: account, stock records, invoice and lines, the posting and
/// the payment; the balance moves are held by `writer` (and the truth row by the caller).
fn write_invoice(
    ledger: &Ledger,
    writer: &mut DocumentWriter<'_>,
    workflow: &str,
    plan: OrderPlan,
) -> Result<SuccessEdit, LedgerError> {
    plan.write_parties(ledger, workflow)?;
    let o = &plan.order;
    let d = &plan.discount;
    let number = o.order_number;
    let credit = o.order_type.ends_with("Credit");
    let net = round2(o.items_net - d.net + o.carr_net);
    let tax = round2(o.items_tax - d.tax + o.carr_tax);
    let receipt = o.amount_prepaid > 0.0 && o.payment_type.as_deref() == Some("SalesReceipt");
    let paid = if receipt {
        o.amount_prepaid.min(round2(net + tax))
    } else {
        0.0
    };
    writer.inserts.insert(
        o,
        (d.net, d.tax),
        &[
            &d.net,
            &d.tax,
            &d.description,
            &d.comments[0],
            &d.comments[1],
            &paid,
        ],
        plan.plain_lines(),
    )?;
    let (posting, payment) = if credit {
        (SALES_CREDIT, SALES_PAYMENT)
    } else {
        (SALES_INVOICE, SALES_RECEIPT)
    };
    let (_, mut balance, _) = ledger.record_transaction_with(
        &mut writer.posting,
        &NewTransaction {
            kind: posting,
            account_ref: Some(o.account_ref.clone()),
            bank_code: None,
            nominal_code: None,
            invoice_number: Some(number),
            tran_date: o.order_date.clone(),
            reference: Some(number.to_string()),
            details: o.cust_order_number.clone(),
            net,
            tax,
            tax_code: o.global_tax_code,
        },
    )?;
    if receipt {
        let (_, moved, banked) = ledger.record_transaction_with(
            &mut writer.posting,
            &NewTransaction {
                kind: payment,
                account_ref: Some(o.account_ref.clone()),
                bank_code: o.bank_ref.clone(),
                nominal_code: o.bank_ref.clone(),
                invoice_number: Some(number),
                tran_date: o.order_date.clone(),
                reference: o.payment_ref.clone(),
                details: Some(format!(
                    "{} for {} {number}",
                    if credit { "Refund" } else { "Payment" },
                    if credit { "credit note" } else { "invoice" }
                )),
                net: o.amount_prepaid,
                tax: 0.0,
                tax_code: Some(9),
            },
        )?;
        balance = round2(balance + moved);
        if let Some(bank) = &o.bank_ref {
            writer.balances.bank(bank, banked);
        }
    }
    writer.balances.customer(&o.account_ref, balance);
    Ok(INVOICE_DOC.number_edit(number.to_string(), Some(o.account_ref.clone())))
}
