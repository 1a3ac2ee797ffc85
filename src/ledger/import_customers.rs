//! `import customers`: Connect XML customers into ledger accounts (reference §3).
use std::collections::HashMap;
use std::path::Path;

use crate::connect::{Contact, Customer, Node};
use crate::state::{StateStore, TRUTH_CUSTOMER, truth_lookup_on};

use rusqlite::Statement;

use super::customer::{CUSTOMER_EXISTS, CustomerRecord, INSERT_CUSTOMER};
use super::import_error::{ImportError, ImportReport};
use super::import_run::{ImportRun, RecordFailure, STATE, Stage, SuccessEdit, reject};
use super::limits::{Fitter, account_reference};
use super::options::{CustomerImportOptions, MatchField};
use super::reference::{ReferenceRules, generate_reference, reference_letters, source_text};
use super::truth_rows::TruthRows;
use super::{Ledger, LedgerError};

/// Imports `Company/Customers/Customer` from `input` into the ledger.
///
/// Each record finds its account (given reference, truth table by `Id`, match fields, or a
/// generated reference) and is checked completely; only then is the account updated or
/// created, together with its truth row. Imported records go to `success` (with `AccountReference` and `UniqueId`),
/// failed ones to `fail` (with `Errors`); both files are always written.
pub fn import_customers(
    ledger: &mut Ledger,
    state: &StateStore,
    workflow: &str,
    input: &Path,
    success: &Path,
    fail: &Path,
    opts: &CustomerImportOptions,
) -> Result<ImportReport, ImportError> {
    let ledger: &Ledger = ledger;
    let mut run = ImportRun::begin(
        ledger,
        state,
        input,
        success,
        fail,
        "Customers",
        "Customer",
        opts.encoding,
    )?;
    let mut counters = RefCounters::default();
    let defaults = AccountDefaults::load(ledger)?;
    let mut truth = TruthRows::begin(&ledger.conn, workflow, TRUTH_CUSTOMER)?;
    // Prepared once: the statement cache would hash the long SQL text on every record.
    let mut insert = ledger.conn.prepare(INSERT_CUSTOMER)?;
    let mut probe = ledger.conn.prepare(CUSTOMER_EXISTS)?;
    while let Some(node) = run.next()? {
        let mut pending = None;
        let mut truth_row = None;
        let ok = run.record(
            node,
            |ledger, node, fitter| {
                check_one(
                    ledger,
                    &truth,
                    &mut probe,
                    node,
                    opts,
                    &defaults,
                    &counters,
                    &mut pending,
                    fitter,
                )
            },
            |ledger, plan| plan.write(ledger, &mut insert, &mut truth_row),
        )?;
        if ok {
            counters.commit(pending);
            if let Some((id, reference)) = truth_row {
                truth.hold(&ledger.conn, id, reference)?;
            }
        }
    }
    drop((insert, probe));
    // The truth rows join the import's transaction before it commits.
    truth.write(&ledger.conn)?;
    run.finish()
}

/// Ledger defaults read once per import: base currency and today's date.
pub(crate) struct AccountDefaults {
    pub currency: String,
    pub today: String,
}

impl AccountDefaults {
    pub(crate) fn load(ledger: &Ledger) -> Result<AccountDefaults, super::LedgerError> {
        Ok(AccountDefaults {
            currency: ledger
                .setting("base_currency")?
                .unwrap_or_else(|| "GBP".to_string()),
            today: jiff::Zoned::now().date().to_string(),
        })
    }
}

/// What one customer record writes, decided by [`check_one`] before anything is written.
struct CustomerPlan {
    reference: String,
    /// The account to write, and whether it exists (update) or not (insert).
    account: Option<(CustomerRecord, bool)>,
    delivery: Option<NewDeliveryAddress>,
    /// The record's `Id`, for the truth row.
    id: Option<String>,
}

impl CustomerPlan {
    /// The write phase: account and extra delivery address; the truth row goes to `truth_row`
    /// (held by the import and written with the others before it commits). It cannot reject
    /// the record; an error here stops the import.
    fn write(
        self,
        ledger: &Ledger,
        insert: &mut Statement<'_>,
        truth_row: &mut Option<(String, String)>,
    ) -> Result<SuccessEdit, LedgerError> {
        if let Some((rec, exists)) = &self.account {
            if *exists {
                ledger.update_customer(rec)?;
            } else {
                ledger.insert_customer_with(insert, rec)?;
            }
        }
        if let Some(d) = &self.delivery {
            d.write(ledger, &self.reference)?;
        }
        if let Some(id) = self.id {
            *truth_row = Some((id, self.reference.clone()));
        }
        let reference = self.reference;
        Ok(Box::new(move |node: &mut Node| {
            node.set_child_text(
                "AccountReference",
                &reference,
                &["Id", "UniqueId", "CompanyName"],
            );
            node.set_child_text("UniqueId", &reference, &["Id"]);
        }))
    }
}

/// The check phase of one customer: finds the account and builds its row; every reason to
/// reject the record is found here, before anything is written.
#[allow(clippy::too_many_arguments)]
fn check_one(
    ledger: &Ledger,
    truth: &TruthRows,
    probe: &mut Statement<'_>,
    node: &Node,
    opts: &CustomerImportOptions,
    defaults: &AccountDefaults,
    counters: &RefCounters,
    pending: &mut Option<(String, u64)>,
    fitter: &mut Fitter,
) -> Result<CustomerPlan, RecordFailure> {
    let customer =
        Customer::from_node(node).map_err(|e| reject(Stage::Validation, e.to_string()))?;
    let invoice = customer.invoice.as_ref();
    let lookup = AccountLookup {
        id: customer.id.as_deref(),
        account_reference: customer.account_reference.as_deref(),
        company: customer.company_name.as_deref(),
        contact: invoice,
    };
    let by_id = |id: &str| truth.lookup(&ledger.conn, id);
    let mut exists = |reference: &str| ledger.customer_exists_with(probe, reference);
    let (reference, exists) = match find_account_by(ledger, by_id, &lookup, opts)? {
        Some(found) => {
            let exists = exists(&found)?;
            (found, exists)
        }
        // A generated reference is free by construction.
        None if opts.auto_reference => (
            generate_with(exists, &lookup, opts, counters, pending)?,
            false,
        ),
        None => {
            return Err(reject(
                Stage::Validation,
                "no account reference: the record has no AccountReference, its Id is not in the truth table, no account matches, and auto_reference is off",
            ));
        }
    };
    let mut plan = CustomerPlan {
        account: None,
        delivery: None,
        id: customer.id.clone(),
        reference,
    };
    if !(exists && customer.create_only == Some(true)) {
        let mut rec = account_from_contacts(
            &plan.reference,
            customer.company_name.as_deref(),
            invoice,
            customer.delivery.as_ref(),
            fitter,
        )?;
        fill_customer_fields(&mut rec, &customer, fitter)?;
        if !exists {
            if rec.name.is_none() {
                return Err(reject(
                    Stage::Validation,
                    "the customer has no name: give CompanyName or a contact name",
                ));
            }
            rec.currency = Some(
                fitter
                    .code("Currency", customer.currency.as_deref(), 3)
                    .map_err(|m| reject(Stage::Validation, m))?
                    .map_or_else(|| defaults.currency.clone(), |c| c.to_uppercase()),
            );
            rec.date_account_opened = Some(
                customer
                    .account_opened
                    .map_or_else(|| defaults.today.clone(), |d| d.date().to_string()),
            );
        }
        plan.account = Some((rec, exists));
        if opts.multiple_delivery_addresses {
            plan.delivery = plan_delivery_address(
                ledger,
                &plan.reference,
                exists,
                customer.delivery.as_ref(),
                fitter,
            )?;
        }
    }
    Ok(plan)
}

/// Lowest possibly-free counter per letter prefix, so a run of 100,000 generated references
/// does not rescan from 1 each time. Only advanced for records that succeeded.
#[derive(Debug, Default)]
pub(crate) struct RefCounters(HashMap<String, u64>);

impl RefCounters {
    fn start(&self, letters: &str) -> u64 {
        self.0.get(letters).copied().unwrap_or(1)
    }

    /// Records that a generated `(letters, counter)` is now used.
    pub(crate) fn commit(&mut self, pending: Option<(String, u64)>) {
        if let Some((letters, n)) = pending {
            let next = self.0.entry(letters).or_insert(1);
            if *next == n {
                *next = n + 1;
            }
        }
    }
}

/// What a record offers to find its account by.
pub(crate) struct AccountLookup<'a> {
    pub id: Option<&'a str>,
    pub account_reference: Option<&'a str>,
    pub company: Option<&'a str>,
    pub contact: Option<&'a Contact>,
}

/// Reference §3.2 steps 1–3: the given reference, the truth table by `Id`, the match fields.
pub(crate) fn find_account(
    ledger: &Ledger,
    workflow: &str,
    lookup: &AccountLookup<'_>,
    opts: &CustomerImportOptions,
) -> Result<Option<String>, RecordFailure> {
    let by_id = |id: &str| truth_lookup_on(&ledger.conn, STATE, workflow, TRUTH_CUSTOMER, id);
    find_account_by(ledger, by_id, lookup, opts)
}

/// [`find_account`] with the truth table read through `by_id` (`Id` → stored reference).
pub(crate) fn find_account_by(
    ledger: &Ledger,
    by_id: impl FnOnce(&str) -> rusqlite::Result<Option<String>>,
    lookup: &AccountLookup<'_>,
    opts: &CustomerImportOptions,
) -> Result<Option<String>, RecordFailure> {
    if let Some(given) = lookup.account_reference {
        return account_reference(given)
            .map(Some)
            .map_err(|m| reject(Stage::Validation, m));
    }
    if let Some(id) = lookup.id
        && let Some(found) = by_id(id)?
    {
        return Ok(Some(found));
    }
    if opts.match_fields.is_empty() {
        return Ok(None);
    }
    let name = account_name(lookup.company, lookup.contact);
    let mut columns = Vec::new();
    for field in &opts.match_fields {
        let c = lookup.contact;
        let value = match field {
            MatchField::CompanyName => name.clone(),
            MatchField::Telephone => c.and_then(|c| c.telephone.clone()),
            MatchField::Mobile => c.and_then(|c| c.mobile.clone()),
            MatchField::Fax => c.and_then(|c| c.fax.clone()),
            MatchField::Email => c.and_then(|c| c.email.clone()),
            MatchField::Website => c.and_then(|c| c.website.clone()),
            MatchField::Postcode => c.and_then(|c| c.postcode.clone()),
        };
        match value {
            Some(v) => columns.push((field.column(), v)),
            None => return Ok(None),
        }
    }
    let pairs: Vec<(&'static str, &str)> = columns.iter().map(|(c, v)| (*c, v.as_str())).collect();
    Ok(ledger.find_customer_matching(&pairs)?)
}

/// Reference §3.3: generates the lowest free reference; `pending` gets the counter used.
pub(crate) fn generate_for(
    ledger: &Ledger,
    lookup: &AccountLookup<'_>,
    opts: &CustomerImportOptions,
    counters: &RefCounters,
    pending: &mut Option<(String, u64)>,
) -> Result<String, RecordFailure> {
    let exists = |candidate: &str| ledger.customer_exists(candidate);
    generate_with(exists, lookup, opts, counters, pending)
}

/// [`generate_for`] with the ledger's accounts probed through `exists`.
pub(crate) fn generate_with(
    exists: impl FnMut(&str) -> Result<bool, LedgerError>,
    lookup: &AccountLookup<'_>,
    opts: &CustomerImportOptions,
    counters: &RefCounters,
    pending: &mut Option<(String, u64)>,
) -> Result<String, RecordFailure> {
    let rules = ReferenceRules {
        convention: opts.reference_convention,
        alpha_length: opts.alpha_length,
        numeric_length: opts.numeric_length,
        mask: &opts.mask,
    };
    let source = source_text(opts.reference_convention, lookup.company, lookup.contact);
    let letters = reference_letters(&source, opts.alpha_length);
    let generated = generate_reference(&rules, &letters, counters.start(&letters), exists)?;
    match generated {
        Ok((reference, n)) => {
            *pending = Some((letters, n));
            Ok(reference)
        }
        Err(message) => Err(reject(Stage::Validation, message)),
    }
}

/// The account name: company name, else the address block's company, else the person's name.
pub(crate) fn account_name(company: Option<&str>, contact: Option<&Contact>) -> Option<String> {
    company
        .map(str::to_string)
        .or_else(|| contact.and_then(|c| c.company.clone()))
        .or_else(|| contact.and_then(Contact::full_name))
}

/// An account record from a name and the invoice and delivery address blocks (§3.4, open
/// questions 9 and 10: `Address3, Town` joined; `DEL_*` always from the delivery address).
pub(crate) fn account_from_contacts(
    reference: &str,
    company: Option<&str>,
    invoice: Option<&Contact>,
    delivery: Option<&Contact>,
    fitter: &mut Fitter,
) -> Result<CustomerRecord, RecordFailure> {
    let mut rec = CustomerRecord {
        account_ref: reference.to_string(),
        ..CustomerRecord::default()
    };
    rec.name = fitter.text("CompanyName", account_name(company, invoice).as_deref(), 60);
    if let Some(c) = invoice {
        rec.contact_name = fitter.text("contact name", c.full_name().as_deref(), 30);
        rec.address = address_lines(c, fitter, INVOICE_LINES);
        rec.country_code = fitter
            .code("Country", c.country.as_deref(), 2)
            .map_err(|m| reject(Stage::Validation, m))?
            .map(|c| c.to_uppercase());
        rec.telephone = fitter.text("Telephone", c.telephone.as_deref(), 30);
        rec.telephone_2 = fitter.text("Mobile", c.mobile.as_deref(), 30);
        rec.fax = fitter.text("Fax", c.fax.as_deref(), 30);
        rec.e_mail = fitter.text("Email", c.email.as_deref(), 255);
        rec.web_address = fitter.text("Website", c.website.as_deref(), 255);
        rec.trade_contact = fitter.text("TradeContact", c.trade_contact.as_deref(), 30);
    }
    if let Some(d) = delivery.filter(|d| !d.is_blank()) {
        rec.del_name = fitter.text(
            "delivery name",
            d.company.clone().or_else(|| d.full_name()).as_deref(),
            60,
        );
        rec.del_address = address_lines(d, fitter, DELIVERY_LINES);
        rec.del_contact_name = fitter.text("delivery contact name", d.full_name().as_deref(), 30);
        rec.del_telephone = fitter.text("delivery Telephone", d.telephone.as_deref(), 30);
        rec.del_fax = fitter.text("delivery Fax", d.fax.as_deref(), 30);
    }
    Ok(rec)
}

/// Sage's five address lines: Address1, Address2, `Address3, Town`, County, Postcode (60 each).
/// `labels` names the five fields in warnings.
pub(crate) fn address_lines(
    c: &Contact,
    fitter: &mut Fitter,
    labels: &[&str; 5],
) -> [Option<String>; 5] {
    [
        fitter.text(labels[0], c.address1.as_deref(), 60),
        fitter.text(labels[1], c.address2.as_deref(), 60),
        fitter.text(labels[2], c.line3().as_deref(), 60),
        fitter.text(labels[3], c.county.as_deref(), 60),
        fitter.text(labels[4], c.postcode.as_deref(), 60),
    ]
}

/// Field labels of the address blocks, for warnings.
pub(crate) const INVOICE_LINES: &[&str; 5] = &[
    "CustomerInvoiceAddress/Address1",
    "CustomerInvoiceAddress/Address2",
    "CustomerInvoiceAddress/Address3 and Town",
    "CustomerInvoiceAddress/County",
    "CustomerInvoiceAddress/Postcode",
];
/// See [`INVOICE_LINES`].
pub(crate) const DELIVERY_LINES: &[&str; 5] = &[
    "CustomerDeliveryAddress/Address1",
    "CustomerDeliveryAddress/Address2",
    "CustomerDeliveryAddress/Address3 and Town",
    "CustomerDeliveryAddress/County",
    "CustomerDeliveryAddress/Postcode",
];
/// See [`INVOICE_LINES`].
pub(crate) const ORDER_LINES: &[&str; 5] = &[
    "SalesOrderAddress/Address1",
    "SalesOrderAddress/Address2",
    "SalesOrderAddress/Address3 and Town",
    "SalesOrderAddress/County",
    "SalesOrderAddress/Postcode",
];
/// See [`INVOICE_LINES`].
pub(crate) const ORDER_DELIVERY_LINES: &[&str; 5] = &[
    "SalesOrderDeliveryAddress/Address1",
    "SalesOrderDeliveryAddress/Address2",
    "SalesOrderDeliveryAddress/Address3 and Town",
    "SalesOrderDeliveryAddress/County",
    "SalesOrderDeliveryAddress/Postcode",
];

fn fill_customer_fields(
    rec: &mut CustomerRecord,
    c: &Customer,
    fitter: &mut Fitter,
) -> Result<(), RecordFailure> {
    let code = |fitter: &Fitter, field: &str, v: Option<&str>, max: usize| {
        fitter
            .code(field, v, max)
            .map_err(|m| reject(Stage::Validation, m))
    };
    rec.vat_reg_number = code(fitter, "VatNumber", c.vat_number.as_deref(), 20)?;
    rec.pricing_ref = code(
        fitter,
        "PriceListReference",
        c.price_list_reference.as_deref(),
        8,
    )?;
    rec.def_nom_code = code(fitter, "NominalCode", c.nominal_code.as_deref(), 8)?;
    if let Some(t) = c.tax_code {
        if !(0..=99).contains(&t) {
            return Err(reject(
                Stage::Validation,
                format!("`TaxCode` {t} is not a Sage tax code (0 to 99)"),
            ));
        }
        rec.def_tax_code = Some(t);
    }
    for (i, a) in c.analysis.iter().enumerate() {
        rec.analysis[i] = fitter.text(["Analysis1", "Analysis2", "Analysis3"][i], a.as_deref(), 30);
    }
    rec.credit_limit = c.credit_limit;
    rec.terms = fitter.text("Terms", c.terms.as_deref(), 30);
    rec.terms_agreed = c.terms_agreed;
    rec.account_status = c.account_status;
    rec.account_on_hold = c.account_on_hold;
    rec.settlement_days = c.settlement_days;
    rec.settlement_discount = c.settlement_discount;
    rec.payment_days = c.payment_days;
    rec.memo = c.memo.clone();
    Ok(())
}

/// An extra delivery address an account is to get (`SALES_DEL_ADDR`).
pub(crate) struct NewDeliveryAddress {
    name_and_lines: [Option<String>; 6],
    contact: Option<String>,
    telephone: Option<String>,
}

impl NewDeliveryAddress {
    /// Adds the address to account `reference` (write phase).
    pub(crate) fn write(&self, ledger: &Ledger, reference: &str) -> Result<(), LedgerError> {
        ledger.add_delivery_address(
            reference,
            &self.name_and_lines,
            self.contact.as_deref(),
            self.telephone.as_deref(),
        )
    }
}

/// The delivery address as an extra record when it differs from every one stored on the
/// account (`exists` false: the account is new and has none yet).
pub(crate) fn plan_delivery_address(
    ledger: &Ledger,
    reference: &str,
    exists: bool,
    delivery: Option<&Contact>,
    fitter: &mut Fitter,
) -> Result<Option<NewDeliveryAddress>, RecordFailure> {
    let Some(d) = delivery.filter(|d| !d.is_blank()) else {
        return Ok(None);
    };
    let name = fitter.text(
        "delivery name",
        d.company.clone().or_else(|| d.full_name()).as_deref(),
        60,
    );
    let [a1, a2, a3, a4, a5] = address_lines(d, fitter, DELIVERY_LINES);
    let candidate = [name, a1, a2, a3, a4, a5];
    let same = |stored: &[Option<String>; 6]| {
        stored.iter().zip(candidate.iter()).all(|(a, b)| {
            a.as_deref()
                .unwrap_or("")
                .eq_ignore_ascii_case(b.as_deref().unwrap_or(""))
        })
    };
    if exists && ledger.delivery_addresses(reference)?.iter().any(same) {
        return Ok(None);
    }
    Ok(Some(NewDeliveryAddress {
        contact: fitter.text("delivery contact name", d.full_name().as_deref(), 30),
        telephone: fitter.text("delivery Telephone", d.telephone.as_deref(), 30),
        name_and_lines: candidate,
    }))
}
