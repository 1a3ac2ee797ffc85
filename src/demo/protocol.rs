//! `POST /zynk/notify` and `POST /zynk/upload`: reading a Connect XML body and applying it.
//!
//! Both answer with a plain-text report, one line per record and a closing count line.
//! A bad record (unknown Id, missing field) is a report line, never a failed request; only a
//! body that is not a Connect XML `<Company>` document is refused (400).
use std::fmt;

use roxmltree::{Document, Node};
use rusqlite::Connection;

use super::error::DemoError;
use super::store;

/// Why a request body was refused: one line, naming what was wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadBody(pub String);

impl fmt::Display for BadBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What stopped a request: a bad body (400) or the shop's own failure (500).
#[derive(Debug)]
pub(super) enum Refusal {
    BadBody(BadBody),
    Shop(DemoError),
}

impl From<DemoError> for Refusal {
    fn from(e: DemoError) -> Refusal {
        Refusal::Shop(e)
    }
}

impl From<rusqlite::Error> for Refusal {
    fn from(e: rusqlite::Error) -> Refusal {
        Refusal::Shop(DemoError::Database(e))
    }
}

impl From<BadBody> for Refusal {
    fn from(e: BadBody) -> Refusal {
        Refusal::BadBody(e)
    }
}

/// The text report a notify or upload answers with.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    pub lines: Vec<String>,
    pub changed: usize,
    pub unchanged: usize,
    pub errors: usize,
}

impl Report {
    fn changed(&mut self, line: String) {
        self.changed += 1;
        self.lines.push(line);
    }
    fn unchanged(&mut self, line: String) {
        self.unchanged += 1;
        self.lines.push(line);
    }
    fn error(&mut self, line: String) {
        self.errors += 1;
        self.lines.push(line);
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for l in &self.lines {
            writeln!(f, "{l}")?;
        }
        let s = |n: usize| if n == 1 { "" } else { "s" };
        writeln!(
            f,
            "{} changed, {} unchanged, {} error{}",
            self.changed,
            self.unchanged,
            self.errors,
            s(self.errors)
        )
    }
}

/// The body as text, decoded by its byte order mark and XML declaration (UTF-8 when it
/// has neither), and not blank.
///
/// # Errors
/// A [`BadBody`] naming the problem.
pub(super) fn body_text(body: &[u8]) -> Result<std::borrow::Cow<'_, str>, BadBody> {
    let head = body.get(..1024).unwrap_or(body);
    let detected = crate::xml_input::sniff(head)
        .map_err(|label| BadBody(format!("the body declares an unknown encoding `{label}`")))?;
    let raw = body.get(detected.bom..).unwrap_or_default();
    let text = detected
        .encoding
        .decode_without_bom_handling_and_without_replacement(raw)
        .ok_or_else(|| {
            let at = std::str::from_utf8(raw)
                .err()
                .map_or(0, |e| e.valid_up_to());
            BadBody(format!(
                "the body is not {} text (invalid byte at offset {})",
                detected.encoding.name(),
                detected.bom + at
            ))
        })?;
    if text.trim().is_empty() {
        return Err(BadBody(
            "empty body: expected a Connect XML <Company> document".to_string(),
        ));
    }
    Ok(text)
}

/// Parses a Connect XML `<Company>` document.
///
/// # Errors
/// A [`BadBody`] for malformed XML (with line and column) or another root element.
pub(super) fn parse_company(text: &str) -> Result<Document<'_>, BadBody> {
    let doc = Document::parse(text).map_err(|e| {
        let pos = e.pos();
        let what = e.to_string().replace(&format!(" at {pos}"), "");
        BadBody(format!(
            "malformed XML at line {}, column {}: {what}",
            pos.row, pos.col
        ))
    })?;
    let root = doc.root_element();
    if root.tag_name().name() != "Company" {
        return Err(BadBody(format!(
            "expected a Connect XML <Company> document, found <{}>",
            root.tag_name().name()
        )));
    }
    Ok(doc)
}

/// The first child element named `name` (namespaces ignored).
fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

/// Every child element named `name` of every child named `wrapper` of `node`.
fn records<'a, 'i>(node: Node<'a, 'i>, wrapper: &str, name: &'a str) -> Vec<Node<'a, 'i>> {
    node.children()
        .filter(|c| c.is_element() && c.tag_name().name() == wrapper)
        .flat_map(|w| w.children())
        .filter(|c| c.is_element() && c.tag_name().name() == name)
        .collect()
}

/// The trimmed text of child `name`; `None` when missing, empty or `xsi:nil`.
fn text_of(node: Node<'_, '_>, name: &str) -> Option<String> {
    let c = child(node, name)?;
    let t = c.text().unwrap_or("").trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// Whether the record carries an `<Errors>` collection with at least one `<Error>`, as a
/// fail file's records do.
fn has_errors(node: Node<'_, '_>) -> bool {
    child(node, "Errors").is_some_and(|e| child(e, "Error").is_some())
}

/// How a record names itself in the report: its Id, or `(no Id)`.
fn label(id: Option<&str>) -> String {
    id.map_or_else(|| "(no Id)".to_string(), str::to_string)
}

/// The record's report label and `Id`; `None` (with the reason reported) for a record
/// that carries `Errors` or has no `Id`.
fn identify(node: Node<'_, '_>, kind: &str, report: &mut Report) -> Option<(String, String)> {
    let id = text_of(node, "Id");
    let who = format!("{kind} {}", label(id.as_deref()));
    if has_errors(node) {
        report.error(format!(
            "{who}: skipped: the record carries Errors (is this a fail file?)"
        ));
        return None;
    }
    match id {
        Some(id) => Some((who, id)),
        None => {
            report.error(format!("{who}: error: missing Id"));
            None
        }
    }
}

fn notify_customer(
    conn: &Connection,
    node: Node<'_, '_>,
    report: &mut Report,
) -> Result<(), DemoError> {
    let Some((who, id)) = identify(node, "customer", report) else {
        return Ok(());
    };
    let found = match id.parse::<i64>() {
        Ok(n) => store::customer_reference(conn, n)?.map(|r| (n, r)),
        Err(_) => None,
    };
    let Some((n, current)) = found else {
        report.error(format!("{who}: error: no customer with this Id"));
        return Ok(());
    };
    let Some(reference) = text_of(node, "AccountReference") else {
        report.error(format!("{who}: error: missing AccountReference"));
        return Ok(());
    };
    match current {
        Some(old) if old == reference => {
            report.unchanged(format!("{who}: account reference {reference} unchanged"));
        }
        Some(old) => {
            store::set_customer_reference(conn, n, &reference)?;
            report.changed(format!("{who}: account reference {old} -> {reference}"));
        }
        None => {
            store::set_customer_reference(conn, n, &reference)?;
            report.changed(format!("{who}: account reference {reference}"));
        }
    }
    Ok(())
}

fn notify_order(
    conn: &Connection,
    node: Node<'_, '_>,
    number_field: &str,
    report: &mut Report,
) -> Result<(), DemoError> {
    let Some((who, id)) = identify(node, "order", report) else {
        return Ok(());
    };
    let found = match id.parse::<i64>() {
        Ok(n) => store::order_posting(conn, n)?.map(|p| (n, p)),
        Err(_) => None,
    };
    let Some((n, (posted, old))) = found else {
        report.error(format!("{who}: error: no order with this Id"));
        return Ok(());
    };
    let Some(number) = text_of(node, number_field) else {
        report.error(format!("{who}: error: missing {number_field}"));
        return Ok(());
    };
    match old {
        Some(old) if posted && old == number => {
            report.unchanged(format!("{who}: posted as {number} unchanged"));
        }
        Some(old) if posted => {
            store::set_order_posted(conn, n, &number)?;
            report.changed(format!("{who}: posted as {old} -> {number}"));
        }
        _ => {
            store::set_order_posted(conn, n, &number)?;
            report.changed(format!("{who}: posted as {number}"));
        }
    }
    Ok(())
}

/// Applies a success file: stores each customer's `AccountReference` by `Id` and marks each
/// sales order posted with its `SalesOrderNumber` (an invoice with its `InvoiceNumber`). One
/// transaction for the whole body.
///
/// # Errors
/// [`Refusal::BadBody`] when the body is not a Connect XML `<Company>`; a database error.
pub(super) fn notify(conn: &Connection, body: &[u8]) -> Result<Report, Refusal> {
    let text = body_text(body)?;
    let doc = parse_company(&text)?;
    let root = doc.root_element();
    let mut report = Report::default();
    let tx = conn.unchecked_transaction()?;
    for c in records(root, "Customers", "Customer") {
        notify_customer(&tx, c, &mut report)?;
    }
    for o in records(root, "SalesOrders", "SalesOrder") {
        notify_order(&tx, o, "SalesOrderNumber", &mut report)?;
    }
    for o in records(root, "Invoices", "Invoice") {
        notify_order(&tx, o, "InvoiceNumber", &mut report)?;
    }
    tx.commit()?;
    Ok(report)
}

/// A quantity element as a finite number: `Ok(None)` when missing or nil.
fn quantity(node: Node<'_, '_>, name: &str) -> Result<Option<f64>, String> {
    match text_of(node, name) {
        None => Ok(None),
        Some(t) => match t.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(Some(v)),
            _ => Err(format!("{name} {t:?} is not a number")),
        },
    }
}

fn upload_product(
    conn: &Connection,
    node: Node<'_, '_>,
    report: &mut Report,
) -> Result<(), DemoError> {
    let sku = text_of(node, "Sku");
    let who = format!("sku {}", sku.as_deref().unwrap_or("(none)"));
    let Some(sku) = sku else {
        report.error(format!("{who}: error: missing Sku"));
        return Ok(());
    };
    let in_stock = match quantity(node, "QtyInStock") {
        Ok(Some(v)) => v,
        Ok(None) => {
            report.error(format!("{who}: error: missing QtyInStock"));
            return Ok(());
        }
        Err(e) => {
            report.error(format!("{who}: error: {e}"));
            return Ok(());
        }
    };
    let allocated = match quantity(node, "QtyAllocated") {
        Ok(v) => v.unwrap_or(0.0),
        Err(e) => {
            report.error(format!("{who}: error: {e}"));
            return Ok(());
        }
    };
    let Some(old) = store::product_stock(conn, &sku)? else {
        report.error(format!(
            "{who}: error: no product with this Sku on the site"
        ));
        return Ok(());
    };
    let free = in_stock - allocated;
    // Whole items only, never below zero: a site cannot sell part of an item or a shortfall.
    let new = if free <= 0.0 {
        0
    } else {
        free.floor().min(i64::MAX as f64) as i64
    };
    let note = if free < 0.0 {
        format!(" (free stock {} clamped to 0)", trim_number(free))
    } else {
        String::new()
    };
    store::set_product_stock(conn, &sku, new)?;
    if old == new {
        report.unchanged(format!("{who}: stock {new} unchanged{note}"));
    } else {
        report.changed(format!("{who}: stock {old} -> {new}{note}"));
    }
    Ok(())
}

/// `3.0` → `3`, `2.5` → `2.5`.
fn trim_number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// A customer uploaded from the ledger: the site keeps its `Balance` by `AccountReference`.
fn upload_customer(
    conn: &Connection,
    node: Node<'_, '_>,
    report: &mut Report,
) -> Result<(), DemoError> {
    let reference = text_of(node, "AccountReference");
    let who = format!("account {}", reference.as_deref().unwrap_or("(none)"));
    let Some(reference) = reference else {
        report.error(format!("{who}: error: missing AccountReference"));
        return Ok(());
    };
    let balance = match quantity(node, "Balance") {
        Ok(Some(v)) => trim_number(v),
        Ok(None) => {
            report.error(format!("{who}: error: missing Balance"));
            return Ok(());
        }
        Err(e) => {
            report.error(format!("{who}: error: {e}"));
            return Ok(());
        }
    };
    if !store::has_account(conn, &reference)? {
        report.error(format!(
            "{who}: error: no customer with this account reference on the site"
        ));
        return Ok(());
    }
    match store::customer_balance(conn, &reference)? {
        Some(old) if old == balance => {
            report.unchanged(format!("{who}: balance {balance} unchanged"));
        }
        old => {
            store::set_customer_balance(conn, &reference, &balance)?;
            let from = old.map(|o| format!("{o} -> ")).unwrap_or_default();
            report.changed(format!("{who}: balance {from}{balance}"));
        }
    }
    Ok(())
}

/// Applies a product chunk or a customer export: for each `Product`, the site's stock for its
/// `Sku` becomes the free stock `QtyInStock − QtyAllocated`, rounded down and never below 0;
/// for each `Customer`, the site keeps its `Balance` by `AccountReference`. One transaction.
///
/// # Errors
/// [`Refusal::BadBody`] when the body is not a Connect XML `<Company>`; a database error.
pub(super) fn upload(conn: &Connection, body: &[u8]) -> Result<Report, Refusal> {
    let text = body_text(body)?;
    let doc = parse_company(&text)?;
    let mut report = Report::default();
    let tx = conn.unchecked_transaction()?;
    for p in records(doc.root_element(), "Products", "Product") {
        upload_product(&tx, p, &mut report)?;
    }
    for c in records(doc.root_element(), "Customers", "Customer") {
        upload_customer(&tx, c, &mut report)?;
    }
    tx.commit()?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_that_are_not_connect_xml() {
        assert!(body_text(b"  \n").is_err());
        assert!(
            body_text(b"<a>\xff</a>")
                .expect_err("refused")
                .0
                .contains("UTF-8")
        );
        let latin1 = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>Zo\xEB</a>";
        assert_eq!(
            body_text(latin1).ok().as_deref(),
            Some("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>Zoë</a>")
        );
        let e = parse_company("<Company>\n  <Customers>\n</Company>").expect_err("refused");
        assert!(e.0.starts_with("malformed XML at line 3, column 1:"), "{e}");
        assert!(!e.0.contains(" at 3:1"), "{e}");
        let e = parse_company("<Products/>").expect_err("refused");
        assert_eq!(
            e.0,
            "expected a Connect XML <Company> document, found <Products>"
        );
    }

    #[test]
    fn numbers() {
        assert_eq!(trim_number(-2.0), "-2");
        assert_eq!(trim_number(2.5), "2.5");
    }
}
