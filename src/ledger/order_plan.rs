//! The write phase of one sales order: everything its check phase decided, written at once.
use crate::connect::schema::{ITEM, preceding};
use crate::connect::{Node, Product, SalesOrder};
use crate::state::{TRUTH_CUSTOMER, truth_store_on};

use super::fingerprint::Fingerprint;

use super::customer::CustomerRecord;
use super::document::SALES_ORDER_DOC;
use super::document_writer::DocumentWriter;
use super::import_customers::NewDeliveryAddress;
use super::import_run::{RecordFailure, STATE, Stage, SuccessEdit, reject};
use super::limits::Fitter;
use super::money::round2;
use super::sales_order::{NewLine, NewOrder};
use super::{Ledger, LedgerError};

/// What one order writes, decided by the import's check phase before anything is written.
pub(super) struct OrderPlan {
    /// An account to create from the order's addresses, with its extra delivery address.
    pub(super) new_account: Option<(CustomerRecord, Option<NewDeliveryAddress>)>,
    /// `CustomerId → account reference`, when the account was not given by reference.
    pub(super) customer_truth: Option<(String, String)>,
    /// Stock records to create for unknown codes.
    pub(super) new_products: Vec<Product>,
    pub(super) order: NewOrder,
    pub(super) lines: Vec<PricedLine>,
    /// The document-level discount (invoices).
    pub(super) discount: NetValueDiscount,
    /// The order's `Id`, for its truth row.
    pub(super) id: Option<String>,
    /// What the record says, kept with its truth row.
    pub(super) fingerprint: Option<Fingerprint>,
}

impl OrderPlan {
    /// The write phase: account, stock records, allocation, order and lines (the truth row is
    /// held by the import). It cannot reject the order; an error here stops the import.
    pub(super) fn write(
        mut self,
        ledger: &Ledger,
        writer: &mut DocumentWriter<'_>,
        workflow: &str,
        allocate: bool,
    ) -> Result<SuccessEdit, LedgerError> {
        self.write_parties(ledger, workflow)?;
        if allocate {
            self.order.allocated_status = allocate_lines(ledger, &mut self.lines)?;
        }
        writer.inserts.insert(
            &self.order,
            (0.0, 0.0),
            &[&self.order.allocated_status],
            self.plain_lines(),
        )?;
        let number = self.order.order_number;
        let numbered =
            SALES_ORDER_DOC.number_edit(number.to_string(), Some(self.order.account_ref));
        let allocated: Option<Vec<f64>> =
            allocate.then(|| self.lines.iter().map(|l| l.line.qty_allocated).collect());
        Ok(Box::new(move |node: &mut Node| {
            numbered(node);
            if let Some(allocated) = allocated
                && let Some(list) = node.child_mut("SalesOrderItems")
            {
                let items = list.children.iter_mut().filter(|c| c.name == "Item");
                for (item, qty) in items.zip(allocated) {
                    item.set_child_text(
                        "QtyAllocated",
                        &crate::connect::format_number(qty),
                        preceding(ITEM, "QtyAllocated"),
                    );
                }
            }
        }))
    }

    /// What every document writes before itself: the new account with its delivery address,
    /// the `CustomerId` truth row and new stock records.
    pub(super) fn write_parties(&self, ledger: &Ledger, workflow: &str) -> Result<(), LedgerError> {
        if let Some((rec, delivery)) = &self.new_account {
            ledger.insert_customer(rec)?;
            if let Some(d) = delivery {
                d.write(ledger, &rec.account_ref)?;
            }
        }
        if let Some((id, reference)) = &self.customer_truth {
            truth_store_on(&ledger.conn, STATE, workflow, TRUTH_CUSTOMER, id, reference)?;
        }
        for p in &self.new_products {
            ledger.create_product_unknown_stock(p)?;
        }
        Ok(())
    }

    /// The lines as the ledger stores them.
    pub(super) fn plain_lines(&self) -> impl Iterator<Item = &NewLine> {
        self.lines.iter().map(|l| &l.line)
    }
}

/// §4.9: gives each stock line min(ordered, free stock) and returns the order's allocation
/// status (`None`, `Part`, `Full`). Reads the stock record after the lines before it.
fn allocate_lines(ledger: &Ledger, lines: &mut [PricedLine]) -> Result<&'static str, LedgerError> {
    let mut allocated_any = false;
    let mut fully = true;
    for l in lines {
        let Some(code) = &l.allocate_from else {
            continue;
        };
        let Some(p) = ledger.product_row(code)? else {
            continue;
        };
        let free = (p.qty_in_stock - p.qty_allocated).max(0.0);
        let qty = l.line.qty_order.min(free).max(0.0);
        if qty > 0.0 {
            ledger.allocate_stock(code, qty)?;
            allocated_any = true;
        }
        if qty < l.line.qty_order {
            fully = false;
        }
        l.line.qty_allocated = qty;
    }
    Ok(match (allocated_any, fully) {
        (false, _) => "None",
        (true, true) => "Full",
        (true, false) => "Part",
    })
}

/// A line after pricing, with what the success file needs.
pub(super) struct PricedLine {
    pub(super) line: NewLine,
    pub(super) allocate_from: Option<String>,
}

/// `NetValueDiscount` (a net amount) or `NetValueDiscountPercent` (of the goods' net), taken off
/// the goods with VAT reduced in proportion to the goods' VAT.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct NetValueDiscount {
    pub net: f64,
    pub tax: f64,
    pub description: Option<String>,
    pub comments: [Option<String>; 2],
}

impl NetValueDiscount {
    /// The discount of `order`, whose goods are `items_net` net with `items_tax` VAT.
    pub(super) fn of(
        order: &SalesOrder,
        items_net: f64,
        items_tax: f64,
        fitter: &mut Fitter,
    ) -> Result<NetValueDiscount, RecordFailure> {
        let net = match (order.net_value_discount, order.net_value_discount_percent) {
            (Some(a), _) if a != 0.0 => a,
            (_, Some(p)) if p != 0.0 => items_net * p / 100.0,
            _ => return Ok(NetValueDiscount::default()),
        };
        let net = round2(net);
        if net < 0.0 || net > round2(items_net) {
            return Err(reject(
                Stage::Validation,
                format!(
                    "`NetValueDiscount` {net} is not between 0 and the goods' net {}",
                    round2(items_net)
                ),
            ));
        }
        let tax = if items_net == 0.0 {
            0.0
        } else {
            round2(net * items_tax / items_net)
        };
        Ok(NetValueDiscount {
            net,
            tax,
            description: fitter.text(
                "NetValueDiscountDescription",
                order.net_value_discount_description.as_deref(),
                60,
            ),
            comments: [
                fitter.text(
                    "NetValueDiscountComment1",
                    order.net_value_discount_comments[0].as_deref(),
                    60,
                ),
                fitter.text(
                    "NetValueDiscountComment2",
                    order.net_value_discount_comments[1].as_deref(),
                    60,
                ),
            ],
        })
    }
}
