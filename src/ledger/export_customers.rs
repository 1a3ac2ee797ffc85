//! `export customers all|new|modified`: customer accounts to Connect XML, shaped like Zynk's
//! Sage 50 customer export, with a watermark per workflow.

use crate::connect::Node;
use crate::state::StateStore;

use super::export_records::{Cells, ExportQuery, export_records};
use super::export_stock::{ExportMode, ExportReport, ExportTarget};
use super::import_error::ImportError;
use super::{Ledger, LedgerError};

/// Watermark key of `export customers`.
pub const CUSTOMER_EXPORT_TASK: &str = "export_customers";

/// Exports customer accounts to `output` as `<Company><Customers><Customer>…`: all, those
/// created (`new`) or created or changed (`modified`, which includes a balance moved by a
/// posting) since the last export. The watermark follows the rule of `export stock`.
pub fn export_customers(
    ledger: &Ledger,
    state: &StateStore,
    workflow: &str,
    mode: ExportMode,
    to: &ExportTarget<'_>,
) -> Result<ExportReport, ImportError> {
    export_records(
        ledger,
        state,
        workflow,
        CUSTOMER_EXPORT_TASK,
        mode,
        to,
        ExportQuery {
            collection: "Customers",
            select: "SELECT * FROM customer".to_string(),
            filters: Vec::new(),
            order_by: "account_ref",
            to_node: &customer_node,
        },
    )
}

fn customer_node(_: &Ledger, row: &rusqlite::Row<'_>) -> Result<Node, LedgerError> {
    let c = Cells(row);
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
    let invoice_extra = vec![
        c.text("Country", "country_code")?,
        c.text("Telephone", "telephone")?,
        c.text("Fax", "fax")?,
        c.text("Mobile", "telephone_2")?,
        c.text("Email", "e_mail")?,
        c.text("Website", "web_address")?,
        c.text("TradeContact", "trade_contact")?,
    ];
    let delivery_extra = vec![
        c.text("Country", "country_code")?,
        c.text("Telephone", "del_telephone")?,
        c.text("Fax", "del_fax")?,
    ];
    let mut n = Node::new("Customer");
    n.children = vec![
        Node::leaf("Id", ""),
        c.text("AccountReference", "account_ref")?,
        c.text("CompanyName", "name")?,
        c.num("Balance", "balance")?,
        c.text("VatNumber", "vat_reg_number")?,
        c.contact(
            "CustomerInvoiceAddress",
            "name",
            Some("contact_name"),
            address,
            invoice_extra,
        )?,
        c.contact(
            "CustomerDeliveryAddress",
            "del_name",
            Some("del_contact_name"),
            delivery,
            delivery_extra,
        )?,
        c.text("Analysis1", "analysis_1")?,
        c.text("Analysis2", "analysis_2")?,
        c.text("Analysis3", "analysis_3")?,
        c.text("NominalCode", "def_nom_code")?,
        c.int("TaxCode", "def_tax_code")?,
        c.text("Currency", "currency")?,
        c.text("PriceListReference", "pricing_ref")?,
        c.num("CreditLimit", "credit_limit")?,
        c.int("SettlementDays", "settlement_days")?,
        c.num("SettlementDiscount", "settlement_discount")?,
        c.int("PaymentDays", "payment_days")?,
        c.text("Terms", "terms")?,
        c.int("AccountStatus", "account_status")?,
        c.flag("TermsAgreed", "terms_agreed")?,
        c.flag("AccountOnHold", "account_on_hold")?,
        c.date("AccountOpened", "date_account_opened")?,
        c.text("Memo", "memo")?,
    ];
    Ok(n)
}
