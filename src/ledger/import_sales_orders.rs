//! `import sales orders`: Connect XML sales orders into the ledger (reference §4).
use std::path::Path;
use std::rc::Rc;

use crate::connect::{Contact, Item, Node, SalesOrder};
use crate::state::StateStore;

use super::customer::CustomerRecord;
use super::customer::CustomerRow;
use super::document::{DocumentKind, SALES_ORDER_DOC};
use super::document_writer::DocumentWriter;
use super::fingerprint::Fingerprint;
use super::import_customers::{
    AccountLookup, NewDeliveryAddress, ORDER_DELIVERY_LINES, ORDER_LINES, RefCounters,
    account_from_contacts, account_name, address_lines, find_account, generate_for,
    plan_delivery_address,
};
use super::import_error::{ImportError, ImportReport};
use super::import_run::{ImportRun, RecordFailure, Resend, Stage, SuccessEdit, reject};
use super::limits::{Fitter, account_reference, stock_code};
use super::money::round2;
use super::options::{Duplicates, SalesOrderImportOptions};
use super::order_lookups::Lookups;
use super::order_plan::{NetValueDiscount, OrderPlan, PricedLine};
use super::sales_order::{NewLine, NewOrder};
use super::truth_rows::TruthRows;
use super::{Ledger, LedgerError};
use crate::connect::Product;

/// Imports `Company/SalesOrders/SalesOrder` from `input` into the ledger.
///
/// Each order is checked for duplicates (truth table by `Id`), finds its account and gets its
/// lines priced and taxed (VAT per line, half-up); only when every check passed is it written
/// (new account, new stock records, stock allocation, order and lines, truth rows). Imported
/// orders go to `success` with the `SalesOrderNumber` and `AccountReference` used; failed
/// ones to `fail` with `Errors`.
pub fn import_sales_orders(
    ledger: &mut Ledger,
    state: &StateStore,
    workflow: &str,
    input: &Path,
    success: &Path,
    fail: &Path,
    opts: &SalesOrderImportOptions,
) -> Result<ImportReport, ImportError> {
    import_documents(
        ledger,
        &DocumentRun {
            state,
            workflow,
            input,
            success,
            fail,
            opts,
            doc: &SALES_ORDER_DOC,
        },
        |ledger, plan, writer| plan.write(ledger, writer, workflow, opts.allocate_stock),
    )
}

/// Where an order-shaped import reads and writes, and how.
pub(super) struct DocumentRun<'a> {
    pub(super) state: &'a StateStore,
    pub(super) workflow: &'a str,
    pub(super) input: &'a Path,
    pub(super) success: &'a Path,
    pub(super) fail: &'a Path,
    pub(super) opts: &'a SalesOrderImportOptions,
    pub(super) doc: &'static DocumentKind,
}

/// The record loop of every order-shaped import (sales orders, invoices): each record is
/// checked by the shared check phase and, when it passed, written by `write` through the
/// import's [`DocumentWriter`] (whose held balance moves are written once per account before
/// the import commits).
pub(super) fn import_documents(
    ledger: &mut Ledger,
    how: &DocumentRun<'_>,
    write: impl Fn(&Ledger, OrderPlan, &mut DocumentWriter<'_>) -> Result<SuccessEdit, LedgerError>,
) -> Result<ImportReport, ImportError> {
    let ledger: &Ledger = ledger;
    let doc = how.doc;
    let mut run = ImportRun::begin(
        ledger,
        how.state,
        how.input,
        how.success,
        how.fail,
        doc.collection,
        doc.record,
        how.opts.customer.encoding,
    )?;
    let mut counters = RefCounters::default();
    let mut next_number = (doc.max_number)(ledger)? + 1;
    let lookups = Lookups::load(ledger)?;
    let mut writer = DocumentWriter::prepare(&ledger.conn, doc.table)?;
    let mut truth = TruthRows::begin(&ledger.conn, how.workflow, doc.truth)?;
    while let Some(node) = run.next()? {
        let mut pending = None;
        let mut created = Vec::new();
        let mut used_number = None;
        let mut truth_id = None;
        let mut fingerprint = None;
        let ok = run.record(
            node,
            |ledger, node, fitter| {
                let ctx = OrderContext {
                    ledger,
                    workflow: how.workflow,
                    opts: how.opts,
                    doc,
                    counters: &counters,
                    lookups: &lookups,
                    truth: &truth,
                    next_number,
                };
                ctx.check(node, fitter, &mut pending)
            },
            |ledger, plan| {
                used_number = Some(plan.order.order_number);
                truth_id.clone_from(&plan.id);
                fingerprint = plan.fingerprint.as_ref().map(|f| f.as_str().to_string());
                created = plan.new_products.clone();
                write(ledger, plan, &mut writer)
            },
        )?;
        if ok {
            counters.commit(pending);
            lookups.remember(created);
            if let Some(n) = used_number {
                next_number = next_number.max(n + 1);
                if let Some(id) = truth_id {
                    truth.hold_with(&ledger.conn, id, n.to_string(), fingerprint)?;
                }
            }
        }
    }
    // The balance moves and the truth rows join the import's transaction before it commits.
    writer.balances.write(ledger)?;
    truth.write(&ledger.conn)?;
    run.finish()
}

struct OrderContext<'a> {
    ledger: &'a Ledger,
    workflow: &'a str,
    opts: &'a SalesOrderImportOptions,
    doc: &'static DocumentKind,
    counters: &'a RefCounters,
    lookups: &'a Lookups,
    /// The document `Id → number` truth rows held so far.
    truth: &'a TruthRows,
    next_number: i64,
}

/// What a record's check phase has decided so far about the order's account.
struct AccountPlan {
    reference: String,
    /// The account as the order header sees it.
    row: Rc<CustomerRow>,
    new_account: Option<(CustomerRecord, Option<NewDeliveryAddress>)>,
    customer_truth: Option<(String, String)>,
}

impl OrderContext<'_> {
    /// The check phase of one order: every reason to reject it is found here, in Zynk's order
    /// (duplicate, account, currency, number, lines, carriage, payment, header, type), before
    /// anything is written.
    fn check(
        &self,
        node: &Node,
        fitter: &mut Fitter,
        pending: &mut Option<(String, u64)>,
    ) -> Result<OrderPlan, RecordFailure> {
        let ledger = self.ledger;
        let opts = self.opts;
        let doc = self.doc;
        if opts.prevent_duplicates
            && let Some(id) = node.text_of("Id")
            && let Some((number, stored)) = self.truth.lookup_row(&ledger.conn, id)?
        {
            let now = Fingerprint::of_document(node, doc.names, node.text_of("AccountReference"));
            if let Some(first) = stored
                && let Some(diff) = now.differences(&first)
            {
                return Err(reject(
                    Stage::Conflict,
                    format!(
                        "{} Id {id} was already imported as {} {number} with other content: {diff}; \
                         the ledger keeps the first version, so this one is not imported: give \
                         it a new Id, or change {} {number} in the ledger",
                        doc.noun, doc.short, doc.short
                    ),
                ));
            }
            return Err(match opts.duplicates {
                Duplicates::Fail => reject(
                    Stage::Duplicate,
                    format!(
                        "{} Id {id} was already imported as {} {number}",
                        doc.noun, doc.short
                    ),
                ),
                Duplicates::Resend => self.resend(&number)?,
            });
        }
        let order = SalesOrder::from_node_named(node, doc.names)
            .map_err(|e| reject(Stage::Validation, e.to_string()))?;
        let AccountPlan {
            reference: account,
            row: customer,
            new_account,
            customer_truth,
        } = self.account(&order, fitter, pending)?;
        if let Some(cur) = order.currency.as_deref()
            && !cur.eq_ignore_ascii_case(&customer.currency)
        {
            return Err(reject(
                Stage::Validation,
                format!(
                    "the {} is in {cur} but account `{account}` is in {}; currency conversion is not supported",
                    doc.short, customer.currency
                ),
            ));
        }
        let number = self.order_number(&order)?;
        let inclusive = order.vat_inclusive.unwrap_or(opts.prices_include_tax);

        let mut new_products = Vec::new();
        let mut lines = Vec::with_capacity(order.items.len());
        for (i, item) in order.items.iter().enumerate() {
            lines.push(self.line(i + 1, item, inclusive, fitter, &mut new_products)?);
        }
        let (carr_net, carr_tax, carr_code, carr_nom) =
            self.carriage(order.carriage.as_ref(), inclusive)?;

        let (payment_ref, bank_ref, amount_prepaid, payment_type) = self.payment(&order, fitter)?;
        let header = self.header(&order, &customer, fitter)?;
        let items_net: f64 = lines.iter().map(|l| l.line.net_amount).sum();
        let items_tax: f64 = lines.iter().map(|l| l.line.tax_amount).sum();
        let discount = if doc.net_value_discount {
            NetValueDiscount::of(&order, items_net, items_tax, fitter)?
        } else {
            NetValueDiscount::default()
        };
        let Some(order_type) = doc.kind(order.order_type.as_deref()) else {
            return Err(reject(
                Stage::Validation,
                format!(
                    "`{}` `{}` is not one of {}",
                    doc.names.kind,
                    order.order_type.as_deref().unwrap_or_default(),
                    doc.kind_names()
                ),
            ));
        };
        let fingerprint = order
            .id
            .as_ref()
            .map(|_| Fingerprint::of_document(node, doc.names, Some(&account)));
        let new = NewOrder {
            order_number: number,
            account_ref: account,
            order_type: order_type.to_string(),
            currency: customer.currency.clone(),
            foreign_rate: order.foreign_rate.unwrap_or(1.0),
            items_net,
            items_tax,
            carr_net,
            carr_tax,
            carr_nom_code: carr_nom,
            carr_tax_code: carr_code,
            carr_dept_number: order.carriage.as_ref().and_then(|c| c.department),
            vat_inclusive: inclusive,
            payment_ref,
            bank_ref,
            amount_prepaid,
            payment_type,
            allocated_status: "None",
            ..header
        };
        Ok(OrderPlan {
            new_account,
            customer_truth,
            new_products,
            order: new,
            lines,
            fingerprint,
            discount,
            id: order.id,
        })
    }

    /// An order imported by an earlier run as `number`: its success record again, with the
    /// number and the account the ledger gave it then.
    fn resend(&self, number: &str) -> Result<RecordFailure, RecordFailure> {
        let account = match number.parse::<i64>() {
            Ok(n) => (self.doc.account_of)(self.ledger, n)?,
            Err(_) => None,
        };
        Ok(RecordFailure::AlreadyImported(Resend(
            self.doc.number_edit(number.to_string(), account),
        )))
    }

    /// §4.2: reference, truth by CustomerId, match fields, default account, then create
    /// (decided here, written by the write phase).
    fn account(
        &self,
        order: &SalesOrder,
        fitter: &mut Fitter,
        pending: &mut Option<(String, u64)>,
    ) -> Result<AccountPlan, RecordFailure> {
        let opts = self.opts;
        let lookup = AccountLookup {
            id: order.customer_id.as_deref(),
            account_reference: order.account_reference.as_deref(),
            company: None,
            contact: order.address.as_ref(),
        };
        let mut found = find_account(self.ledger, self.workflow, &lookup, &opts.customer)?;
        if found.is_none()
            && order.account_reference.is_none()
            && order.customer_id.is_none()
            && let Some(default) = opts.default_account.as_deref()
        {
            found = Some(account_reference(default).map_err(|m| reject(Stage::Validation, m))?);
        }
        let reference = match found {
            Some(r) => r,
            None if opts.auto_create_customer && opts.customer.auto_reference => {
                generate_for(self.ledger, &lookup, &opts.customer, self.counters, pending)?
            }
            None => {
                let why = match order.customer_id.as_deref() {
                    Some(id) => format!(
                        "customer not found: the {} has no AccountReference and CustomerId {id} is not in the truth table",
                        self.doc.short
                    ),
                    None => format!(
                        "customer not found: the {} has neither AccountReference nor CustomerId",
                        self.doc.short
                    ),
                };
                return Err(reject(Stage::Validation, why));
            }
        };
        let customer_truth = match order.customer_id.as_deref() {
            Some(id) if order.account_reference.is_none() => {
                Some((id.to_string(), reference.clone()))
            }
            _ => None,
        };
        if let Some(row) = self.customer(&reference)? {
            return Ok(AccountPlan {
                reference,
                row,
                new_account: None,
                customer_truth,
            });
        }
        if !opts.auto_create_customer {
            return Err(reject(
                Stage::Validation,
                format!("account `{reference}` does not exist and auto_create_customer is off"),
            ));
        }
        let address = order.address.as_ref();
        let mut rec =
            account_from_contacts(&reference, None, address, order.delivery.as_ref(), fitter)?;
        if rec.name.is_none() {
            return Err(reject(
                Stage::Validation,
                format!(
                    "cannot create the account: the {} address has no company or contact name",
                    self.doc.short
                ),
            ));
        }
        rec.currency = Some(order.currency.as_ref().map_or_else(
            || self.lookups.defaults.currency.clone(),
            |c| c.to_uppercase(),
        ));
        rec.date_account_opened = Some(self.lookups.defaults.today.clone());
        let delivery = if opts.customer.multiple_delivery_addresses {
            plan_delivery_address(
                self.ledger,
                &reference,
                false,
                order.delivery.as_ref(),
                fitter,
            )?
        } else {
            None
        };
        let row = Rc::new(rec.as_new_row());
        Ok(AccountPlan {
            reference,
            row,
            new_account: Some((rec, delivery)),
            customer_truth,
        })
    }

    fn order_number(&self, order: &SalesOrder) -> Result<i64, RecordFailure> {
        let doc = self.doc;
        if !self.opts.manual_order_numbers {
            let mut n = self.next_number;
            while (doc.exists)(self.ledger, n)? {
                n += 1;
            }
            if n > 9_999_999 {
                return Err(reject(
                    Stage::Validation,
                    format!("the ledger has run out of 7-digit {} numbers", doc.short),
                ));
            }
            return Ok(n);
        }
        let Some(text) = order.sales_order_number.as_deref() else {
            return Err(reject(
                Stage::Validation,
                format!(
                    "{} is on but the {} has no {}",
                    doc.manual_option, doc.short, doc.names.number
                ),
            ));
        };
        let n = text
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=9_999_999).contains(n))
            .ok_or_else(|| {
                reject(
                    Stage::Validation,
                    format!(
                        "`{}` `{text}` is not a whole number from 1 to 9999999",
                        doc.names.number
                    ),
                )
            })?;
        if (doc.exists)(self.ledger, n)? {
            return Err(reject(
                Stage::Validation,
                format!("{} number {n} already exists in the ledger", doc.noun),
            ));
        }
        Ok(n)
    }

    /// An account, from the per-import cache when it was read before.
    fn customer(&self, reference: &str) -> Result<Option<Rc<CustomerRow>>, RecordFailure> {
        if let Some(row) = self.lookups.accounts.borrow().get(reference) {
            return Ok(Some(Rc::clone(row)));
        }
        let Some(row) = self.ledger.customer(reference)? else {
            return Ok(None);
        };
        let row = Rc::new(row);
        self.lookups
            .accounts
            .borrow_mut()
            .insert(reference.to_string(), Rc::clone(&row));
        Ok(Some(row))
    }

    /// Whether `code` is a bank account of the ledger, asked once per code and import.
    fn is_bank_account(&self, code: &str) -> Result<bool, RecordFailure> {
        if let Some(known) = self.lookups.banks.borrow().get(code) {
            return Ok(*known);
        }
        let known = self.ledger.is_bank_account(code)?;
        self.lookups
            .banks
            .borrow_mut()
            .insert(code.to_string(), known);
        Ok(known)
    }

    /// A stock record: one this order is creating, else from the per-import cache when it was
    /// seen before, else from the ledger.
    fn product(&self, code: &str, new: &[Product]) -> Result<Option<Rc<Product>>, RecordFailure> {
        if let Some(p) = new.iter().find(|p| p.sku == code) {
            return Ok(Some(Rc::new(p.clone())));
        }
        if let Some(p) = self.lookups.products.borrow().get(code) {
            return Ok(Some(Rc::clone(p)));
        }
        let found = self.ledger.product(code)?.map(Rc::new);
        if let Some(p) = &found {
            self.lookups
                .products
                .borrow_mut()
                .insert(code.to_string(), Rc::clone(p));
        }
        Ok(found)
    }

    /// §4.4 and §4.6: one priced, taxed line; an unknown code's new stock record goes to `new`.
    fn line(
        &self,
        index: usize,
        item: &Item,
        inclusive: bool,
        fitter: &mut Fitter,
        new: &mut Vec<Product>,
    ) -> Result<PricedLine, RecordFailure> {
        let LineProduct {
            code,
            special,
            product,
        } = self.line_product(index, item, fitter, new)?;
        let is_message = matches!(&special, Some((kind, _)) if kind == "Message");
        let mut line = line_texts(&code, item, product.as_deref(), is_message, fitter);
        if is_message {
            return Ok(PricedLine {
                line,
                allocate_from: None,
            });
        }
        let tax_code = item
            .tax_code
            .or(product.as_ref().map(|p| p.tax_code))
            .or(special.as_ref().and_then(|(_, t)| *t))
            .unwrap_or(self.opts.default_tax_code);
        price_line(
            &mut line,
            index,
            item,
            product.as_deref(),
            inclusive,
            || self.rate(tax_code, index),
        )?;
        line.tax_code = Some(tax_code);
        line.nominal_code = match fitter
            .code("NominalCode", item.nominal_code.as_deref(), 8)
            .map_err(|m| reject(Stage::Validation, m))?
        {
            Some(n) => Some(n),
            None => match product.as_ref().and_then(|p| p.nominal_code.clone()) {
                Some(n) => Some(n),
                None => self.lookups.default_nominal.clone(),
            },
        };
        let allocate_from = product
            .filter(|p| p.item_type == "Stock")
            .map(|p| p.sku.clone());
        Ok(PricedLine {
            line,
            allocate_from,
        })
    }

    /// The line's code (its Sku, else `default_product`), whether it is a special code, and
    /// its stock record (created when unknown and `auto_create_products` is on).
    fn line_product(
        &self,
        index: usize,
        item: &Item,
        fitter: &mut Fitter,
        new: &mut Vec<Product>,
    ) -> Result<LineProduct, RecordFailure> {
        let raw_code = item.sku.as_deref().unwrap_or(&self.opts.default_product);
        let code = stock_code(raw_code)
            .map_err(|m| reject(Stage::Validation, format!("line {index}: {m}")))?;
        let special = self.lookups.specials.get(&code).cloned();
        if special.is_some() {
            return Ok(LineProduct {
                code,
                special,
                product: None,
            });
        }
        let mut product = self.product(&code, new)?;
        if product.is_none() {
            if !self.opts.auto_create_products {
                return Err(reject(
                    Stage::Validation,
                    format!(
                        "line {index}: product `{code}` does not exist and auto_create_products is off"
                    ),
                ));
            }
            let created = self.new_product(&code, item, fitter)?;
            product = Some(Rc::new(created.clone()));
            new.push(created);
        }
        Ok(LineProduct {
            code,
            special,
            product,
        })
    }

    /// The stock record an unknown code gets (written by the write phase).
    fn new_product(
        &self,
        code: &str,
        item: &Item,
        fitter: &mut Fitter,
    ) -> Result<Product, RecordFailure> {
        let tax_code = item.tax_code.unwrap_or(self.opts.default_tax_code);
        self.rate(tax_code, 0)?;
        let product = Product {
            sku: code.to_string(),
            name: fitter.text(
                "product description",
                item.name.as_deref().or(Some(code)),
                60,
            ),
            sale_price: item.unit_price.unwrap_or(0.0),
            tax_code,
            // As the ledger stores it (its column defaults to 4000).
            nominal_code: Some(
                self.lookups
                    .default_nominal
                    .clone()
                    .unwrap_or_else(|| "4000".to_string()),
            ),
            unit_of_sale: fitter.text("UnitOfSale", item.unit_of_sale.as_deref(), 8),
            item_type: "Stock".to_string(),
            ..Product::default()
        };
        Ok(product)
    }

    fn rate(&self, tax_code: i64, index: usize) -> Result<f64, RecordFailure> {
        if !(0..=99).contains(&tax_code) {
            return Err(reject(
                Stage::Validation,
                format!("line {index}: tax code {tax_code} is not a Sage tax code (0 to 99)"),
            ));
        }
        self.lookups.rates.get(&tax_code).copied().ok_or_else(|| {
            reject(
                Stage::Validation,
                format!("line {index}: tax code T{tax_code} is not set up in the ledger"),
            )
        })
    }

    /// Carriage: net, tax, tax code and nominal (XML, else T1 and the carriage nominal).
    fn carriage(
        &self,
        carriage: Option<&Item>,
        inclusive: bool,
    ) -> Result<(f64, f64, Option<i64>, Option<String>), RecordFailure> {
        let Some(c) = carriage else {
            return Ok((0.0, 0.0, None, None));
        };
        let price = c.unit_price.unwrap_or(0.0);
        let qty = c.qty_ordered.filter(|q| *q != 0.0).unwrap_or(1.0);
        let code = c.tax_code.unwrap_or(1);
        let rate = self.rate(code, 0).map_err(|e| match e {
            RecordFailure::Rejected { stage, message } => RecordFailure::Rejected {
                stage,
                message: message.replace("line 0", "carriage"),
            },
            other => other,
        })?;
        let (net, tax) = split_tax(qty * price, rate, inclusive);
        let nominal = match c.nominal_code.clone() {
            Some(n) if n.chars().count() <= 8 => Some(n),
            Some(n) => {
                return Err(reject(
                    Stage::Validation,
                    format!("carriage `NominalCode` `{n}` is longer than 8 characters"),
                ));
            }
            None => self.lookups.carriage_nominal.clone(),
        };
        Ok((net, tax, Some(code), nominal))
    }

    /// §4.7: payment details, recorded only for a positive amount.
    #[allow(clippy::type_complexity)]
    fn payment(
        &self,
        order: &SalesOrder,
        fitter: &mut Fitter,
    ) -> Result<(Option<String>, Option<String>, f64, Option<String>), RecordFailure> {
        let amount = order.payment_amount.unwrap_or(0.0);
        if amount <= 0.0 {
            return Ok((None, None, 0.0, None));
        }
        let bank = order
            .bank_account
            .clone()
            .unwrap_or_else(|| self.opts.default_bank_account.clone());
        if !self.is_bank_account(&bank)? {
            return Err(reject(
                Stage::Validation,
                format!("`BankAccount` `{bank}` is not a bank account in the ledger"),
            ));
        }
        let kind = order
            .payment_type
            .clone()
            .unwrap_or_else(|| "SalesReceipt".to_string());
        if kind != "SalesReceipt" && kind != "PaymentAlreadyReceived" {
            return Err(reject(
                Stage::Validation,
                format!("`PaymentType` `{kind}` is not SalesReceipt or PaymentAlreadyReceived"),
            ));
        }
        Ok((
            fitter.text("PaymentRef", order.payment_ref.as_deref(), 30),
            Some(bank),
            round2(amount),
            Some(kind),
        ))
    }

    /// §4.3: names and addresses (the account's when the order has none), texts and dates.
    fn header(
        &self,
        order: &SalesOrder,
        customer: &CustomerRow,
        fitter: &mut Fitter,
    ) -> Result<NewOrder, RecordFailure> {
        let mut h = NewOrder::default();
        match order.address.as_ref().filter(|a| !a.is_blank()) {
            Some(a) => {
                let names = self.doc.names;
                h.name = fitter.text(
                    &format!("{} name", names.address),
                    account_name(None, Some(a)).as_deref(),
                    60,
                );
                h.contact_name = fitter.text(
                    &format!("{} contact name", names.address),
                    a.full_name().as_deref(),
                    30,
                );
                h.address = address_lines(a, fitter, ORDER_LINES);
                h.cust_tel_number = fitter.text(
                    &format!("{}/Telephone", names.address),
                    a.telephone.as_deref(),
                    30,
                );
            }
            None => {
                h.name = Some(customer.name.clone());
                h.contact_name = customer.contact_name.clone();
                h.address = customer.address.clone();
                h.cust_tel_number = customer.telephone.clone();
            }
        }
        match order.delivery.as_ref().filter(|d| !d.is_blank()) {
            Some(d) => {
                h.del_name = fitter.text(
                    &format!("{} name", self.doc.names.delivery),
                    delivery_name(d).as_deref(),
                    60,
                );
                h.del_address = address_lines(d, fitter, ORDER_DELIVERY_LINES);
            }
            None => {
                h.del_name = Some(customer.name.clone());
                h.del_address = customer.address.clone();
            }
        }
        h.order_date = match order.order_date {
            Some(d) => d.date().to_string(),
            None => jiff::Zoned::now().date().to_string(),
        };
        h.despatch_date = order.despatch_date.map(|d| d.date().to_string());
        h.cust_order_number = fitter.text(
            "CustomerOrderNumber",
            order.customer_order_number.as_deref(),
            60,
        );
        h.taken_by = fitter.text("TakenBy", order.taken_by.as_deref(), 60);
        for i in 0..3 {
            h.notes[i] = fitter.text(
                ["Notes1", "Notes2", "Notes3"][i],
                order.notes[i].as_deref(),
                60,
            );
            h.analysis[i] = fitter.text(
                ["Custom1", "Custom2", "Custom3"][i],
                order.custom[i].as_deref(),
                30,
            );
        }
        h.consignment = fitter.text("ConsignmentNo", order.consignment_no.as_deref(), 30);
        h.courier_number = order.courier;
        h.settlement_days = order.settlement_days;
        h.settlement_disc_rate = order.settlement_discount;
        h.global_nom_code = fitter
            .code("GlobalNominalCode", order.global_nominal_code.as_deref(), 8)
            .map_err(|m| reject(Stage::Validation, m))?;
        h.global_tax_code = order.global_tax_code;
        h.global_details = fitter.text("GlobalDetails", order.global_details.as_deref(), 60);
        h.global_dept_number = order.global_department;
        Ok(h)
    }
}

/// What a line's code turned out to be.
struct LineProduct {
    code: String,
    /// `(kind, default tax code)` of a special code (`S1`, `S2`, `S3`, `M`).
    special: Option<(String, Option<i64>)>,
    product: Option<Rc<Product>>,
}

/// The line's texts: description (the item's name, else the product's), comments, unit of
/// sale, reference, text and department.
fn line_texts(
    code: &str,
    item: &Item,
    product: Option<&Product>,
    is_message: bool,
    fitter: &mut Fitter,
) -> NewLine {
    NewLine {
        stock_code: code.to_string(),
        description: fitter.text(
            "Name",
            item.name
                .as_deref()
                .or(item.description.as_deref().filter(|_| is_message))
                .or(product.and_then(|p| p.name.as_deref())),
            60,
        ),
        comment_1: fitter.text("Description", item.description.as_deref(), 60),
        comment_2: fitter.text("Comments", item.comments.as_deref(), 60),
        unit_of_sale: fitter.text(
            "UnitOfSale",
            item.unit_of_sale
                .as_deref()
                .or(product.and_then(|p| p.unit_of_sale.as_deref())),
            8,
        ),
        job_number: fitter.text("Reference", item.reference.as_deref(), 60),
        text: item.text.clone(),
        dept_number: item.department.filter(|d| *d >= 0),
        ..NewLine::default()
    }
}

/// Quantity, price, discount, net and VAT of a line at its tax code's rate (asked for once the
/// quantity is known to be there).
fn price_line(
    line: &mut NewLine,
    index: usize,
    item: &Item,
    product: Option<&Product>,
    inclusive: bool,
    rate: impl FnOnce() -> Result<f64, RecordFailure>,
) -> Result<(), RecordFailure> {
    let qty = item.qty_ordered.ok_or_else(|| {
        reject(
            Stage::Validation,
            format!("line {index} ({}) has no QtyOrdered", line.stock_code),
        )
    })?;
    let price = item
        .unit_price
        .or(product.map(|p| p.sale_price))
        .unwrap_or(0.0);
    let rate = rate()?;
    let full = qty * price;
    let discount = match (item.unit_discount_amount, item.unit_discount_percentage) {
        (Some(a), _) if a != 0.0 => qty * a,
        (_, Some(p)) if p != 0.0 => full * p / 100.0,
        _ => 0.0,
    };
    let (net, tax) = split_tax(full - discount, rate, inclusive);
    line.qty_order = qty;
    line.unit_price = price;
    line.discount_amount = round2(discount);
    line.discount_rate = item.unit_discount_percentage.unwrap_or(0.0);
    line.full_net_amount = round2(full);
    line.net_amount = net;
    line.tax_amount = tax;
    Ok(())
}

fn delivery_name(d: &Contact) -> Option<String> {
    d.company.clone().or_else(|| d.full_name())
}

/// Net and VAT of a line amount at `rate` percent: VAT rounded half-up to pennies per line;
/// with tax-inclusive prices the amount is gross and net = gross ÷ (1 + rate).
pub(crate) fn split_tax(amount: f64, rate: f64, inclusive: bool) -> (f64, f64) {
    if inclusive {
        let gross = round2(amount);
        let net = round2(gross / (1.0 + rate / 100.0));
        (net, round2(gross - net))
    } else {
        let net = round2(amount);
        (net, round2(net * rate / 100.0))
    }
}

#[cfg(test)]
mod tests {
    use super::split_tax;

    #[test]
    fn vat_per_line_matches_the_zynk_samples() {
        // At 15 %: 200 + 4.24 carriage → 234.88 (DOWNLOAD sample's PaymentAmount).
        let (n1, t1) = split_tax(200.0, 15.0, false);
        let (n2, t2) = split_tax(4.24, 15.0, false);
        assert_eq!(((n1 + t1 + n2 + t2) * 100.0).round() / 100.0, 234.88);
        // At 17.5 %: 90 + 1000 + 5 → 1286.63 (WEBSALES sample's PaymentAmount).
        let total: f64 = [90.0, 1000.0, 5.0]
            .iter()
            .map(|a| {
                let (n, t) = split_tax(*a, 17.5, false);
                n + t
            })
            .sum();
        assert_eq!((total * 100.0).round() / 100.0, 1286.63);
        assert_eq!(split_tax(120.0, 20.0, true), (100.0, 20.0));
    }
}
