//! The write phase of one sales order: everything its check phase decided, written at once.
use crate::connect::schema::{ITEM, SALES_ORDER, preceding};
use crate::connect::{Node, Product};
use crate::state::{TRUTH_CUSTOMER, TRUTH_SALES_ORDER, truth_store_on};

use super::customer::CustomerRecord;
use super::import_customers::NewDeliveryAddress;
use super::import_run::{STATE, SuccessEdit};
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
    /// The order's `Id`, for its truth row.
    pub(super) id: Option<String>,
}

impl OrderPlan {
    /// The write phase: account, stock records, allocation, order and lines, truth rows. It
    /// cannot reject the order; an error here stops the import.
    pub(super) fn write(
        mut self,
        ledger: &Ledger,
        workflow: &str,
        allocate: bool,
    ) -> Result<SuccessEdit, LedgerError> {
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
            ledger.upsert_product(p)?;
        }
        if allocate {
            self.order.allocated_status = allocate_lines(ledger, &mut self.lines)?;
        }
        let plain: Vec<NewLine> = self.lines.iter().map(|l| l.line.clone()).collect();
        ledger.insert_order(&self.order, &plain)?;
        let number = self.order.order_number;
        if let Some(id) = self.id.as_deref() {
            truth_store_on(
                &ledger.conn,
                STATE,
                workflow,
                TRUTH_SALES_ORDER,
                id,
                &number.to_string(),
            )?;
        }
        let account = self.order.account_ref;
        let allocated: Option<Vec<f64>> =
            allocate.then(|| self.lines.iter().map(|l| l.line.qty_allocated).collect());
        Ok(Box::new(move |node: &mut Node| {
            node.set_child_text(
                "SalesOrderNumber",
                &number.to_string(),
                preceding(SALES_ORDER, "SalesOrderNumber"),
            );
            node.set_child_text(
                "AccountReference",
                &account,
                preceding(SALES_ORDER, "AccountReference"),
            );
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
