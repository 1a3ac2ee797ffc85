//! `import sales orders` into Tryton: a `sale.sale` per order, found by `reference` = Id before any create, created, quoted and confirmed by the batch, finished when an earlier run stopped half-way.
use std::collections::HashMap;

use serde_json::{Value, json};

mod parties;

use parties::PartyRow;

use super::batch::{self, Refusal};
use super::company::Company;
use super::customers::{Codes, Files, with_code};
use super::error::TrytonError;
use super::outputs::Outputs;
use super::products::Products;
use super::rpc::Session;
use super::target::{DEFAULT_CARRIAGE, TrytonTarget};
use super::values::{date, decimal, number, text};
use crate::connect::{Item, Node, RecordReader, SalesOrder};
use crate::ledger::{
    Duplicates, ImportReport, SalesOrderImportOptions, account_reference, order_differences,
    order_fingerprint, round2,
};
use crate::state::{TRUTH_CUSTOMER, TRUTH_SALES_ORDER};

/// Imports `Company/SalesOrders/SalesOrder` from `files.input` as Tryton sales.
///
/// # Errors
///
/// A statement-level [`TrytonError`]; orders Tryton refuses go to the fail file.
pub fn import_sales_orders(
    s: &mut Session,
    files: &Files<'_>,
    opts: &SalesOrderImportOptions,
    target: &TrytonTarget,
) -> Result<ImportReport, TrytonError> {
    let mut reader = RecordReader::open(files.input, "SalesOrders", "SalesOrder")
        .map_err(crate::ledger::ImportError::from)?;
    let mut out = Outputs::create(
        files.success,
        files.fail,
        "SalesOrders",
        "SalesOrder",
        opts.customer.encoding,
    )?;
    let company = Company::load(s, &target.warehouse)?;
    let mut run = OrderRun {
        files,
        opts,
        target,
        company,
        products: Products::new(target.product_category.clone()),
        codes: Codes::default(),
        parties: HashMap::new(),
        missing: std::collections::HashSet::new(),
    };
    let mut nodes = Vec::new();
    loop {
        let node = reader
            .next_node()
            .map_err(crate::ledger::ImportError::from)?;
        let end = node.is_none();
        if let Some(node) = node {
            out.report.records += 1;
            nodes.push((out.report.records, node));
        }
        if nodes.len() >= target.batch.max(1) || (end && !nodes.is_empty()) {
            run.batch(s, &mut out, std::mem::take(&mut nodes))?;
        }
        if end {
            break;
        }
        if crate::process::interrupt::cancelled() {
            return Err(TrytonError::Interrupted);
        }
    }
    Ok(out.finish()?)
}

struct OrderRun<'a> {
    files: &'a Files<'a>,
    opts: &'a SalesOrderImportOptions,
    target: &'a TrytonTarget,
    company: Company,
    products: Products,
    codes: Codes,
    /// Parties by code, read or created in this run.
    parties: HashMap<String, PartyRow>,
    /// Codes Tryton had no party for when last asked.
    missing: std::collections::HashSet<String>,
}

/// A sale found by its reference.
#[derive(Debug, Clone)]
struct Existing {
    id: i64,
    state: String,
    number: Option<String>,
    party_code: Option<String>,
    untaxed: Option<f64>,
}

/// One order of a batch on its way.
enum Step {
    /// Done: in the success file with this number and code.
    Done {
        number: String,
        code: String,
        again: bool,
    },
    /// In Tryton as `id`, still to be quoted or confirmed.
    Finish {
        id: i64,
        state: String,
        code: String,
        again: bool,
    },
    /// To create with these values.
    Create { code: String, values: Value },
    /// Failed before reaching Tryton, or refused by it.
    Fail {
        stage: &'static str,
        message: String,
    },
}

impl OrderRun<'_> {
    fn batch(
        &mut self,
        s: &mut Session,
        out: &mut Outputs,
        nodes: Vec<(u64, Node)>,
    ) -> Result<(), TrytonError> {
        let orders: Vec<Result<SalesOrder, String>> = nodes
            .iter()
            .map(|(_, n)| SalesOrder::from_node(n).map_err(|e| e.to_string()))
            .collect();
        let references: Vec<&str> = orders
            .iter()
            .filter_map(|o| o.as_ref().ok().and_then(|o| o.id.as_deref()))
            .collect();
        let existing = self.existing(s, &references)?;
        let mut codes: Vec<String> = orders
            .iter()
            .flatten()
            .flat_map(|o| o.items.iter())
            .map(|i| {
                i.sku
                    .as_deref()
                    .unwrap_or(&self.opts.default_product)
                    .trim()
                    .to_string()
            })
            .collect();
        codes.push(
            self.target
                .carriage_product
                .clone()
                .unwrap_or_else(|| DEFAULT_CARRIAGE.to_string()),
        );
        self.products.prefetch(s, &codes)?;
        let mut party_codes = Vec::new();
        for order in orders.iter().flatten() {
            match order.account_reference.as_deref() {
                Some(r) => party_codes.extend(account_reference(r).ok()),
                None => {
                    if let Some(id) = order.customer_id.as_deref() {
                        party_codes.extend(
                            self.files
                                .state
                                .truth_lookup(self.files.workflow, TRUTH_CUSTOMER, id)
                                .map_err(|source| crate::ledger::ImportError::State { source })?,
                        );
                    }
                }
            }
        }
        self.load_parties(s, party_codes)?;
        let mut steps = Vec::with_capacity(orders.len());
        for order in &orders {
            let step = match order {
                Err(e) => Step::Fail {
                    stage: "Validation",
                    message: e.clone(),
                },
                Ok(order) => self.plan(s, &nodes[steps.len()].1, order, &existing)?,
            };
            steps.push(step);
        }
        let creates: Vec<(String, Value)> = steps
            .iter()
            .zip(&orders)
            .filter_map(|(step, order)| match (step, order) {
                (Step::Create { values, .. }, Ok(o)) => {
                    Some((o.id.clone().unwrap_or_default(), values.clone()))
                }
                _ => None,
            })
            .collect();
        let mut created = batch::create(s, "sale.sale", "reference", creates)?.into_iter();
        for step in &mut steps {
            if let Step::Create { code, .. } = step {
                *step = match created.next() {
                    Some(Ok(id)) => Step::Finish {
                        id,
                        state: "draft".into(),
                        code: std::mem::take(code),
                        again: false,
                    },
                    Some(Err(refusal)) => refused(out, &refusal),
                    None => Step::Fail {
                        stage: "Tryton",
                        message: "no answer for this order".into(),
                    },
                };
            }
        }
        self.finish(s, out, &mut steps)?;
        for ((index, node), step) in nodes.into_iter().zip(steps) {
            let label = out.label(&node, index);
            match step {
                Step::Done {
                    number,
                    code,
                    again,
                } => {
                    if !again && let Some(id) = node.text_of("Id") {
                        let fingerprint = order_fingerprint(&node, Some(&code));
                        self.files
                            .state
                            .truth_store_with(
                                self.files.workflow,
                                TRUTH_SALES_ORDER,
                                id,
                                &number,
                                &fingerprint,
                            )
                            .map_err(|source| crate::ledger::ImportError::State { source })?;
                    }
                    let node = with_number(with_code(node, &code), &number);
                    if again {
                        out.again(&node)?;
                    } else {
                        out.imported(&node)?;
                    }
                }
                Step::Fail { stage, message } => out.failed(node, &label, stage, &message)?,
                Step::Finish { .. } | Step::Create { .. } => {
                    out.failed(node, &label, "Tryton", "the sale was left unfinished")?;
                }
            }
        }
        Ok(())
    }

    /// The sales whose reference is one of `references`, by reference (a cancelled one only
    /// when no other has it).
    fn existing(
        &mut self,
        s: &mut Session,
        references: &[&str],
    ) -> Result<HashMap<String, Existing>, TrytonError> {
        let mut found: HashMap<String, Existing> = HashMap::new();
        if references.is_empty() {
            return Ok(found);
        }
        let rows = s.search_read(
            "sale.sale",
            json!([["reference", "in", references]]),
            &[
                "reference",
                "state",
                "number",
                "party.code",
                "untaxed_amount",
            ],
        )?;
        for row in rows {
            let (Some(reference), Some(id)) = (
                text(&row, "reference"),
                row.get("id").and_then(Value::as_i64),
            ) else {
                continue;
            };
            let sale = Existing {
                id,
                state: text(&row, "state").unwrap_or_default(),
                number: text(&row, "number"),
                party_code: row.get("party.").and_then(|p| text(p, "code")),
                untaxed: row.get("untaxed_amount").and_then(number),
            };
            let keep = found
                .get(&reference)
                .is_none_or(|old| old.state == "cancelled" && sale.state != "cancelled");
            if keep {
                found.insert(reference, sale);
            }
        }
        Ok(found)
    }

    /// What to do with one order: finish or resend the sale an earlier run made, or the
    /// values of a new one.
    fn plan(
        &mut self,
        s: &mut Session,
        node: &Node,
        order: &SalesOrder,
        existing: &HashMap<String, Existing>,
    ) -> Result<Step, TrytonError> {
        let fail = |message: String| Step::Fail {
            stage: "Validation",
            message,
        };
        let Some(reference) = order.id.as_deref() else {
            return Ok(fail(
                "the order has no Id: without it Tryton cannot tell whether it was imported before, so it is not imported".into(),
            ));
        };
        let lines = match self.lines(s, order)? {
            Ok(lines) => lines,
            Err(message) => return Ok(fail(message)),
        };
        if let Some(sale) = existing.get(reference) {
            return self.found(node, reference, sale, &lines);
        }
        let code = match self.party(s, order)? {
            Ok(code) => code,
            Err(message) => return Ok(fail(message)),
        };
        let invoice_address = match self.address(s, &code, order.address.as_ref(), true)? {
            Ok(a) => a,
            Err(message) => return Ok(fail(message)),
        };
        let shipment_address = match self.address(s, &code, order.delivery.as_ref(), false)? {
            Ok(a) => a,
            Err(message) => return Ok(fail(message)),
        };
        let Some(party) = self.parties.get(&code).cloned() else {
            return Ok(fail(format!("party `{code}` is not in Tryton")));
        };
        if let Some(currency) = order.currency.as_deref()
            && !currency.eq_ignore_ascii_case(&self.company.currency_code)
        {
            return Ok(fail(format!(
                "the order is in {currency} but the Tryton company works in {}; currency conversion is not supported",
                self.company.currency_code
            )));
        }
        let mut values = json!({
            "party": party.id,
            "reference": reference,
            "currency": self.company.currency,
            "warehouse": self.company.warehouse,
            "invoice_address": invoice_address,
            "shipment_address": shipment_address,
            "lines": [["create", lines.iter().map(|l| l.values.clone()).collect::<Vec<_>>()]],
        });
        if let Some(d) = order.order_date {
            values["sale_date"] = date(d.date());
        }
        if let Some(n) = order
            .customer_order_number
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
        {
            values["description"] = json!(n);
        }
        let comment = comment(order);
        if !comment.is_empty() {
            values["comment"] = json!(comment);
        }
        Ok(Step::Create { code, values })
    }

    /// A sale an earlier run created: finished if it stopped half-way, resent when done; an
    /// order whose content differs from it fails.
    fn found(
        &self,
        node: &Node,
        reference: &str,
        sale: &Existing,
        lines: &[Line],
    ) -> Result<Step, TrytonError> {
        let number = sale.number.clone().unwrap_or_else(|| sale.id.to_string());
        let first = self
            .files
            .state
            .truth_row(self.files.workflow, TRUTH_SALES_ORDER, reference)
            .map_err(|source| crate::ledger::ImportError::State { source })?
            .and_then(|(_, fingerprint)| fingerprint);
        if let Some(first) = first
            && let Some(diff) = order_differences(node, &first)
        {
            return Ok(Step::Fail {
                stage: "Conflict",
                message: format!(
                    "order Id {reference} was already imported as sale {number} with other content: {diff}; \
                     Tryton keeps the first version, so this one is not imported: give it a new Id, or change sale {number} in Tryton"
                ),
            });
        }
        Ok(self.found_sale(reference, sale, &number, lines))
    }

    fn found_sale(&self, reference: &str, sale: &Existing, number: &str, lines: &[Line]) -> Step {
        let number = number.to_string();
        if sale.state == "cancelled" {
            return Step::Fail {
                stage: "Duplicate",
                message: format!(
                    "order Id {reference} was imported as sale {number}, which is cancelled in Tryton; it is not imported again"
                ),
            };
        }
        let untaxed: f64 = lines.iter().map(|l| l.net).sum();
        if let Some(was) = sale.untaxed
            && (round2(untaxed) - was).abs() > 0.005
        {
            return Step::Fail {
                stage: "Duplicate",
                message: format!(
                    "order Id {reference} was imported as sale {number} with an untaxed total of {was:.2}; this record's lines total {untaxed:.2}: the same Id with different content is not imported again"
                ),
            };
        }
        if self.opts.duplicates == Duplicates::Fail {
            return Step::Fail {
                stage: "Duplicate",
                message: format!("order Id {reference} was already imported as sale {number}"),
            };
        }
        let code = sale.party_code.clone().unwrap_or_default();
        if is_done(&sale.state, self.target.confirm) {
            Step::Done {
                number,
                code,
                again: true,
            }
        } else {
            Step::Finish {
                id: sale.id,
                state: sale.state.clone(),
                code,
                again: true,
            }
        }
    }

    /// Quotes and confirms (as the target says) every sale of the batch that needs it, then
    /// reads back where each one is.
    fn finish(
        &mut self,
        s: &mut Session,
        out: &mut Outputs,
        steps: &mut [Step],
    ) -> Result<(), TrytonError> {
        let mut buttons = vec!["quote"];
        if self.target.confirm {
            buttons.push("confirm");
        }
        for button in buttons {
            let wanted_from = if button == "quote" {
                "draft"
            } else {
                "quotation"
            };
            let at: Vec<usize> = steps
                .iter()
                .enumerate()
                .filter_map(|(i, st)| match st {
                    Step::Finish { state, .. } if state == wanted_from => Some(i),
                    _ => None,
                })
                .collect();
            let ids: Vec<i64> = at
                .iter()
                .filter_map(|i| match &steps[*i] {
                    Step::Finish { id, .. } => Some(*id),
                    _ => None,
                })
                .collect();
            let refusals = batch::button(s, "sale.sale", button, &ids)?;
            for (i, refusal) in at.into_iter().zip(refusals) {
                match refusal {
                    Some(r) => steps[i] = refused(out, &r),
                    None => {
                        if let Step::Finish { state, .. } = &mut steps[i] {
                            *state = if button == "quote" {
                                "quotation"
                            } else {
                                "confirmed"
                            }
                            .into();
                        }
                    }
                }
            }
        }
        let ids: Vec<i64> = steps
            .iter()
            .filter_map(|st| match st {
                Step::Finish { id, .. } => Some(*id),
                _ => None,
            })
            .collect();
        if ids.is_empty() {
            return Ok(());
        }
        let rows = s.search_read(
            "sale.sale",
            json!([["id", "in", ids]]),
            &["state", "number"],
        )?;
        for step in steps.iter_mut() {
            let Step::Finish {
                id, code, again, ..
            } = step
            else {
                continue;
            };
            let row = rows
                .iter()
                .find(|r| r.get("id").and_then(Value::as_i64) == Some(*id));
            let state = row.and_then(|r| text(r, "state")).unwrap_or_default();
            let number = row
                .and_then(|r| text(r, "number"))
                .unwrap_or_else(|| id.to_string());
            *step = if is_done(&state, self.target.confirm) {
                Step::Done {
                    number,
                    code: std::mem::take(code),
                    again: *again,
                }
            } else {
                Step::Fail {
                    stage: "Tryton",
                    message: format!(
                        "sale {number} is still `{state}` in Tryton; the next run carries it on"
                    ),
                }
            };
        }
        Ok(())
    }

    /// The sale lines of an order: its items, then its carriage, priced net of VAT.
    fn lines(
        &mut self,
        s: &mut Session,
        order: &SalesOrder,
    ) -> Result<Result<Vec<Line>, String>, TrytonError> {
        let inclusive = order.vat_inclusive.unwrap_or(self.opts.prices_include_tax);
        let mut lines = Vec::with_capacity(order.items.len() + 1);
        for (i, item) in order.items.iter().enumerate() {
            let code = item
                .sku
                .as_deref()
                .unwrap_or(&self.opts.default_product)
                .trim()
                .to_string();
            let product = match self
                .products
                .get(s, &code, item, self.opts.auto_create_products)?
            {
                Ok(p) => p,
                Err(e) => return Ok(Err(format!("line {}: {e}", i + 1))),
            };
            match self.line(item, Some(&product), inclusive, false) {
                Ok(l) => lines.push(l),
                Err(e) => return Ok(Err(format!("line {} ({code}): {e}", i + 1))),
            }
        }
        if let Some(carriage) = order
            .carriage
            .as_ref()
            .filter(|c| c.unit_price.unwrap_or(0.0) != 0.0)
        {
            let named = self.target.carriage_product.clone();
            let code = named
                .clone()
                .unwrap_or_else(|| DEFAULT_CARRIAGE.to_string());
            // Without a carriage product of the default code, carriage is a line with no
            // product (Tryton takes its account from the company's defaults).
            let product = match (self.products.get(s, &code, carriage, false)?, named) {
                (Ok(p), _) => Some(p),
                (Err(_), None) => None,
                (Err(_), Some(_)) => {
                    return Ok(Err(format!(
                        "the order has carriage and Tryton has no service product `{code}` to post it on (create it, or name another with `carriage_product` on `ledger tryton`)"
                    )));
                }
            };
            match self.line(carriage, product.as_ref(), inclusive, true) {
                Ok(l) => lines.push(l),
                Err(e) => return Ok(Err(format!("carriage: {e}"))),
            }
        }
        Ok(Ok(lines))
    }

    fn line(
        &self,
        item: &Item,
        product: Option<&super::products::ProductRow>,
        inclusive: bool,
        carriage: bool,
    ) -> Result<Line, String> {
        let quantity = match item.qty_ordered {
            Some(q) if q != 0.0 || !carriage => q,
            _ if carriage => 1.0,
            _ => return Err("no QtyOrdered".into()),
        };
        let code = item.tax_code.unwrap_or(if carriage {
            1
        } else {
            self.opts.default_tax_code
        });
        let (tax, rate) = self.company.tax(code)?;
        let price = item
            .unit_price
            .or(product.map(|p| p.list_price))
            .unwrap_or(0.0);
        let discount = match (item.unit_discount_amount, item.unit_discount_percentage) {
            (Some(a), _) if a != 0.0 => quantity * a,
            (_, Some(p)) if p != 0.0 => quantity * price * p / 100.0,
            _ => 0.0,
        };
        // The line's net as the embedded ledger works it out (VAT-inclusive amounts divided
        // per line, half-up to pennies), then the unit price that gives it.
        let (net, _) = crate::ledger::split_tax(quantity * price - discount, rate, inclusive);
        let unit = if quantity == 0.0 {
            price
        } else {
            ((net / quantity) * 10_000.0).round() / 10_000.0
        };
        let description = item
            .name
            .clone()
            .filter(|n| !n.trim().is_empty())
            .or_else(|| item.description.clone().filter(|d| !d.trim().is_empty()))
            .unwrap_or_else(|| product.map_or_else(|| "Carriage".to_string(), |p| p.name.clone()));
        let mut values = json!({
            "type": "line",
            "quantity": quantity,
            "unit_price": decimal(unit, 4),
            "taxes": [["add", [tax]]],
            "description": description,
        });
        if let Some(p) = product {
            values["product"] = json!(p.id);
            values["unit"] = json!(p.unit);
        }
        Ok(Line { net, values })
    }
}

/// One sale line's values and its net amount.
struct Line {
    net: f64,
    values: Value,
}

/// Whether a sale in `state` needs nothing more.
fn is_done(state: &str, confirm: bool) -> bool {
    match state {
        "confirmed" | "processing" | "done" => true,
        "quotation" => !confirm,
        _ => false,
    }
}

/// A refused order's step; a warning is also reported.
fn refused(out: &mut Outputs, refusal: &Refusal) -> Step {
    if let Refusal::Warning(_) = refusal {
        out.report.warnings.push(refusal.message());
    }
    Step::Fail {
        stage: "Tryton",
        message: refusal.message(),
    }
}

/// The sale's comment: the notes, who took the order and the payment, one per line.
fn comment(order: &SalesOrder) -> String {
    let mut lines: Vec<String> = order
        .notes
        .iter()
        .flatten()
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty())
        .collect();
    if let Some(t) = order.taken_by.as_deref().filter(|t| !t.trim().is_empty()) {
        lines.push(format!("Taken by: {t}"));
    }
    if let Some(r) = order
        .payment_ref
        .as_deref()
        .filter(|r| !r.trim().is_empty())
    {
        lines.push(format!("Payment reference: {r}"));
    }
    if let Some(a) = order.payment_amount.filter(|a| *a > 0.0) {
        lines.push(format!("Payment amount: {a:.2}"));
    }
    lines.join("\n")
}

/// The record as the success file carries it: with the sale's number.
fn with_number(mut node: Node, number: &str) -> Node {
    node.set_child_text("SalesOrderNumber", number, &["Id", "CustomerId"]);
    node
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sale_is_done_when_confirmed_or_when_quotations_are_enough() {
        for state in ["confirmed", "processing", "done"] {
            assert!(is_done(state, true));
        }
        assert!(!is_done("quotation", true));
        assert!(is_done("quotation", false));
        assert!(!is_done("draft", false));
        assert!(!is_done("cancelled", true));
    }

    #[test]
    fn the_comment_carries_notes_taker_and_payment() {
        let order = SalesOrder {
            notes: [Some("VISA".into()), None, Some(" ".into())],
            taken_by: Some("Connect Web Order".into()),
            payment_ref: Some("VISA".into()),
            payment_amount: Some(234.88),
            ..SalesOrder::default()
        };
        assert_eq!(
            comment(&order),
            "VISA\nTaken by: Connect Web Order\nPayment reference: VISA\nPayment amount: 234.88"
        );
    }
}
