//! `GET /zynk/download`: new customers and pending orders as a Connect XML `<Company>`, the
//! orders as `SalesOrders` or, with the shop setting `download = invoices`, as `Invoices`.
use std::collections::HashMap;

use rusqlite::Connection;

use super::error::DemoError;
use super::model::{Address, Customer, Order, money};
use super::store;
use super::xml::XmlWriter;
use crate::connect::{DocumentNames, INVOICE_NAMES, SALES_ORDER_NAMES};

/// The namespace declarations Zynk writes on `<Company>`.
pub(super) const COMPANY_ATTRS: &str = "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\"";
/// The carriage line's code, as in the Zynk DOWNLOAD sample (the importer ignores it).
pub(super) const CARRIAGE_SKU: &str = "CARR001";
/// The bank nominal card payments are paid into.
pub(super) const BANK_ACCOUNT: &str = "1200";

fn address(w: &mut XmlWriter, tag: &str, a: &Address) {
    w.open(tag);
    w.leaf_opt("Title", &a.title);
    w.leaf_opt("Forename", &a.forename);
    w.leaf_opt("Surname", &a.surname);
    w.leaf_opt("Company", &a.company);
    w.leaf_opt("Address1", &a.address1);
    w.leaf_opt("Address2", &a.address2);
    w.leaf_opt("Town", &a.town);
    w.leaf_opt("Postcode", &a.postcode);
    w.leaf_opt("County", &a.county);
    w.leaf_opt("Country", &a.country);
    w.leaf_opt("Telephone", &a.telephone);
    w.leaf_opt("Email", &a.email);
    w.close(tag);
}

fn customer(w: &mut XmlWriter, c: &Customer) {
    w.open("Customer");
    w.leaf("Id", &c.id.to_string());
    w.leaf_opt("CompanyName", &c.company_name);
    if let Some(r) = &c.account_reference {
        w.leaf("AccountReference", r);
    }
    address(w, "CustomerInvoiceAddress", &c.invoice);
    address(w, "CustomerDeliveryAddress", &c.delivery);
    w.leaf("Currency", "GBP");
    w.leaf("TermsAgreed", "true");
    w.close("Customer");
}

fn order(w: &mut XmlWriter, o: &Order, reference: Option<&str>, doc: &Document) {
    let names = doc.names;
    w.open(doc.record);
    w.leaf("Id", &o.id.to_string());
    w.leaf("CustomerId", &o.customer_id.to_string());
    if let Some(p) = &o.payment_ref {
        w.leaf("Notes1", p);
    }
    w.leaf("Currency", "GBP");
    if let Some(r) = reference {
        w.leaf("AccountReference", r);
    }
    w.leaf(names.date, &o.date);
    address(w, names.address, &o.address);
    address(w, names.delivery, &o.delivery);
    w.open(names.items);
    for l in &o.lines {
        w.open("Item");
        w.leaf("Sku", &l.sku);
        w.leaf("Name", &l.name);
        w.leaf("QtyOrdered", &l.qty.to_string());
        w.leaf("UnitPrice", &money(l.unit_price_pence));
        w.leaf("TaxCode", &l.tax_code.to_string());
        w.close("Item");
    }
    w.close(names.items);
    w.open("Carriage");
    w.leaf("Sku", CARRIAGE_SKU);
    w.leaf("Name", &o.carriage_name);
    w.leaf("QtyOrdered", "1");
    w.leaf("UnitPrice", &money(o.carriage_pence));
    w.leaf("TaxCode", "1");
    w.close("Carriage");
    if let Some(kind) = doc.kind {
        w.leaf(names.kind, kind);
    }
    w.leaf("TakenBy", "Web Order");
    if let Some(p) = &o.payment_ref {
        let (_, _, gross) = o.totals_pence();
        w.leaf("PaymentRef", p);
        w.leaf("PaymentAmount", &money(gross));
        w.leaf("BankAccount", BANK_ACCOUNT);
        w.leaf("PaymentType", "SalesReceipt");
    }
    w.close(doc.record);
}

/// How the download writes an order: as a sales order or as an invoice.
struct Document {
    collection: &'static str,
    record: &'static str,
    names: &'static DocumentNames,
    kind: Option<&'static str>,
}

const AS_ORDERS: Document = Document {
    collection: "SalesOrders",
    record: "SalesOrder",
    names: &SALES_ORDER_NAMES,
    kind: None,
};

const AS_INVOICES: Document = Document {
    collection: "Invoices",
    record: "Invoice",
    names: &INVOICE_NAMES,
    kind: Some("ProductInvoice"),
};

/// The download document: customers with pending orders and no account reference yet, and
/// every order not yet posted (with the customer's `AccountReference` once it is known).
///
/// # Errors
/// A database error.
pub fn download_xml(conn: &Connection) -> Result<String, DemoError> {
    let customers = store::customers_to_download(conn)?;
    let orders = store::pending_orders(conn)?;
    let references: HashMap<i64, String> = store::all_customers(conn)?
        .into_iter()
        .filter_map(|c| c.account_reference.map(|r| (c.id, r)))
        .collect();
    let doc = if store::downloads_invoices(conn)? {
        &AS_INVOICES
    } else {
        &AS_ORDERS
    };
    let mut w = XmlWriter::document();
    w.open_with("Company", COMPANY_ATTRS);
    if customers.is_empty() {
        w.empty("Customers");
    } else {
        w.open("Customers");
        for c in &customers {
            customer(&mut w, c);
        }
        w.close("Customers");
    }
    if orders.is_empty() {
        w.empty(doc.collection);
    } else {
        w.open(doc.collection);
        for o in &orders {
            order(
                &mut w,
                o,
                references.get(&o.customer_id).map(String::as_str),
                doc,
            );
        }
        w.close(doc.collection);
    }
    w.close("Company");
    Ok(w.finish())
}
