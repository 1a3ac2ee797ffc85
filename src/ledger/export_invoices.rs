//! `export invoices all|new|modified`: invoices and credit notes to Connect XML, shaped like
//! Zynk's invoice export sample, with a watermark per workflow.
use std::collections::HashMap;

use crate::connect::{Node, format_number};
use crate::state::StateStore;

use super::export_records::{Cells, ExportQuery, export_records};
use super::export_stock::{ExportMode, ExportReport, ExportTarget};
use super::import_error::ImportError;
use super::{Ledger, LedgerError};

/// Watermark key of `export invoices`.
pub const INVOICE_EXPORT_TASK: &str = "export_invoices";

/// Exports invoices and credit notes to `output` as `<Company><Invoices><Invoice>…`: all,
/// those created (`new`) or created or changed (`modified`, which includes a payment
/// allocated to them) since the last export. The watermark follows the rule of `export stock`.
pub fn export_invoices(
    ledger: &Ledger,
    state: &StateStore,
    workflow: &str,
    mode: ExportMode,
    to: &ExportTarget<'_>,
) -> Result<ExportReport, ImportError> {
    let rates: HashMap<i64, f64> = ledger
        .tax_codes()?
        .into_iter()
        .map(|t| (t.id, t.rate))
        .collect();
    let to_node = |ledger: &Ledger, row: &rusqlite::Row<'_>| invoice_node(ledger, row, &rates);
    export_records(
        ledger,
        state,
        workflow,
        INVOICE_EXPORT_TASK,
        mode,
        to,
        ExportQuery {
            collection: "Invoices",
            select: "SELECT * FROM invoice".to_string(),
            filters: Vec::new(),
            order_by: "invoice_number",
            to_node: &to_node,
        },
    )
}

fn invoice_node(
    ledger: &Ledger,
    row: &rusqlite::Row<'_>,
    rates: &HashMap<i64, f64>,
) -> Result<Node, LedgerError> {
    let c = Cells(row);
    let number: i64 = row.get("invoice_number")?;
    let rate = |code: Option<i64>| {
        Node::leaf(
            "TaxRate",
            format_number(code.and_then(|c| rates.get(&c)).copied().unwrap_or(0.0)),
        )
    };
    let address = [
        "address_1",
        "address_2",
        "address_3",
        "address_4",
        "address_5",
    ];
    let delivery = [
        "del_address_1",
        "del_address_2",
        "del_address_3",
        "del_address_4",
        "del_address_5",
    ];
    let mut items = Node::new("InvoiceItems");
    let mut stmt = ledger.conn.prepare_cached(
        "SELECT * FROM invoice_item WHERE invoice_number = ?1 ORDER BY item_number",
    )?;
    let mut lines = stmt.query([number])?;
    while let Some(line) = lines.next()? {
        let l = Cells(line);
        let mut item = Node::new("Item");
        item.children = vec![
            l.text("Sku", "stock_code")?,
            l.text("Name", "description")?,
            l.text("Description", "comment_1")?,
            l.text("Comments", "comment_2")?,
            l.text("UnitOfSale", "unit_of_sale")?,
            l.num("QtyOrdered", "qty_order")?,
            l.num("UnitPrice", "unit_price")?,
            l.num("UnitDiscountAmount", "discount_amount")?,
            l.num("UnitDiscountPercentage", "discount_rate")?,
            l.text("Reference", "job_number")?,
            rate(line.get("tax_code")?),
            l.num("TotalNet", "net_amount")?,
            l.num("TotalTax", "tax_amount")?,
            l.int("TaxCode", "tax_code")?,
            l.text("NominalCode", "nominal_code")?,
            l.int("Department", "dept_number")?,
            l.text("Text", "text")?,
        ];
        items.children.push(item);
    }
    let carr_code: Option<i64> = row.get("carr_tax_code")?;
    let mut carriage = Node::new("Carriage");
    carriage.children = vec![
        Node::leaf("QtyOrdered", if carr_code.is_some() { "1" } else { "0" }),
        c.num("UnitPrice", "carr_net")?,
        rate(carr_code),
        c.num("TotalNet", "carr_net")?,
        c.num("TotalTax", "carr_tax")?,
        c.int("TaxCode", "carr_tax_code")?,
        c.text("NominalCode", "carr_nom_code")?,
        c.int("Department", "carr_dept_number")?,
    ];
    let gross: f64 = row.get("invoice_gross")?;
    let paid: f64 = row.get("amount_paid")?;
    let prepaid: f64 = row.get("amount_prepaid")?;
    let mut n = Node::new("Invoice");
    n.children = vec![
        c.int("InvoiceNumber", "invoice_number")?,
        c.text("CustomerOrderNumber", "cust_order_number")?,
        c.text("AccountReference", "account_ref")?,
        c.num("ForeignRate", "foreign_rate")?,
        c.text("Notes1", "notes_1")?,
        c.text("Notes2", "notes_2")?,
        c.text("Notes3", "notes_3")?,
        c.text("Currency", "currency")?,
        c.date("InvoiceDate", "invoice_date")?,
        c.contact(
            "InvoiceAddress",
            "name",
            Some("contact_name"),
            address,
            vec![c.text("Telephone", "cust_tel_number")?],
        )?,
        c.contact(
            "InvoiceDeliveryAddress",
            "del_name",
            None,
            delivery,
            Vec::new(),
        )?,
        items,
        c.num("ItemsNet", "items_net")?,
        c.num("ItemsTax", "items_tax")?,
        c.num("ItemsTotal", "items_gross")?,
        carriage,
        c.text("InvoiceType", "invoice_type")?,
        c.text("TakenBy", "taken_by")?,
        c.text("ConsignmentNo", "consignment")?,
        c.int("Courier", "courier_number")?,
        c.int("SettlementDays", "settlement_days")?,
        c.num("NetValueDiscount", "net_value_discount")?,
        c.text(
            "NetValueDiscountDescription",
            "net_value_discount_description",
        )?,
        c.num("SettlementDiscount", "settlement_disc_rate")?,
        c.text("GlobalNominalCode", "global_nom_code")?,
        c.text("GlobalDetails", "global_details")?,
        c.int("GlobalTaxCode", "global_tax_code")?,
        c.int("GlobalDepartment", "global_dept_number")?,
        c.text("PaymentRef", "payment_ref")?,
        if prepaid > 0.0 {
            Node::leaf("PaymentAmount", format_number(prepaid))
        } else {
            Node::nil("PaymentAmount")
        },
        c.text("BankAccount", "bank_ref")?,
        c.date("PostedDate", "invoice_date")?,
        Node::leaf("PostedFlag", "true"),
        Node::leaf("PrintedFlag", "false"),
        Node::leaf(
            "PaidFlag",
            if paid >= gross - 0.004 {
                "true"
            } else {
                "false"
            },
        ),
        c.num("AmountPaid", "amount_paid")?,
        c.num("InvoiceNet", "invoice_net")?,
        c.num("InvoiceTax", "invoice_tax")?,
        c.num("InvoiceGross", "invoice_gross")?,
    ];
    Ok(n)
}
