//! What an imported record said, kept with its truth row: a record sent again under the same
//! `Id` is the same order (a lost notify: sent to the success file again) only when it says
//! the same; different content fails with what differs and where the first version went.
use crate::connect::{DocumentNames, Node, format_number};

/// A record's content as `name: value` entries in a fixed order, stored as text (one entry a
/// line) in the truth row's `hash` column, so a later import can say what differs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fingerprint(String);

impl Fingerprint {
    /// The fingerprint of an order-shaped record: account, date, each line (SKU, quantity,
    /// price, discount, tax), carriage, discount and payment. `account` is the account the
    /// ledger posted it to; a record sent again is compared with the `AccountReference` it
    /// carries (a shop told the reference sends it the second time, not the first).
    pub(crate) fn of_document(
        node: &Node,
        fields: &DocumentNames,
        account: Option<&str>,
    ) -> Fingerprint {
        let mut f = Builder::default();
        f.account(account);
        f.text("date", node.text_of(fields.date));
        f.text("currency", node.text_of("Currency"));
        let lines = node.child(fields.items).into_iter();
        for (i, item) in lines.flat_map(|l| l.children_named("Item")).enumerate() {
            f.entry(&format!("line {}", i + 1), line(item));
        }
        if let Some(c) = node.child("Carriage") {
            f.entry("carriage", line(c));
        }
        f.number("discount", node, "NetValueDiscount");
        f.number("discount %", node, "NetValueDiscountPercent");
        f.number("payment", node, "PaymentAmount");
        f.number("total net", node, "TotalNet");
        f.number("total tax", node, "TotalTax");
        f.number("total", node, "TotalGross");
        Fingerprint(f.0)
    }

    /// The fingerprint of a transaction: type, account, date, amounts and tax.
    pub(crate) fn of_transaction(node: &Node) -> Fingerprint {
        let mut f = Builder::default();
        f.text("type", node.text_of("TransactionType"));
        f.account(node.text_of("AccountReference"));
        f.text("date", node.text_of("TransactionDate"));
        f.text("nominal", node.text_of("NominalCode"));
        f.number("net", node, "NetAmount");
        f.number("tax", node, "TaxAmount");
        f.text("tax code", node.text_of("TaxCode"));
        Fingerprint(f.0)
    }

    /// The stored form.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    /// What differs between `self` and the `stored` fingerprint of the first version, in
    /// words (`None` when they agree).
    pub(crate) fn differences(&self, stored: &str) -> Option<String> {
        let now = entries(&self.0);
        let was = entries(stored);
        let mut diffs = Vec::new();
        for (name, value) in &now {
            match was.iter().find(|(n, _)| n == name) {
                Some((_, old)) if old == value => {}
                Some((_, old)) => diffs.push(format!("{name} {value} (first version: {old})")),
                None => diffs.push(format!("{name} {value} (first version: none)")),
            }
        }
        for (name, old) in &was {
            // A record that names no account is matched to one by its customer: not compared.
            if *name != ACCOUNT && !now.iter().any(|(n, _)| n == name) {
                diffs.push(format!("{name} none (first version: {old})"));
            }
        }
        if diffs.is_empty() {
            return None;
        }
        const SHOWN: usize = 3;
        let more = diffs.len().saturating_sub(SHOWN);
        diffs.truncate(SHOWN);
        let mut text = diffs.join("; ");
        if more > 0 {
            text.push_str(&format!("; and {more} more"));
        }
        Some(text)
    }
}

/// The entry of the account a record was posted to.
const ACCOUNT: &str = "account";

/// One line as `SKU × qty @ price`, with its discount and tax when given.
fn line(item: &Node) -> String {
    let mut text = format!(
        "{} × {} @ {}",
        item.text_of("Sku").unwrap_or("-"),
        canonical(item.text_of("QtyOrdered")),
        canonical(item.text_of("UnitPrice")),
    );
    for (name, label) in [
        ("UnitDiscountAmount", "less"),
        ("UnitDiscountPercentage", "less %"),
        ("TotalNet", "net"),
        ("TotalTax", "tax"),
        ("TaxRate", "tax %"),
        ("TaxCode", "tax code"),
    ] {
        if let Some(v) = item.text_of(name) {
            text.push_str(&format!(" {label} {}", canonical(Some(v))));
        }
    }
    text
}

/// A number in one spelling (`9.90`, `9.9` and ` 9.900 ` agree); other text as written.
fn canonical(text: Option<&str>) -> String {
    let Some(t) = text.map(str::trim) else {
        return "-".to_string();
    };
    match t.parse::<f64>() {
        Ok(n) if n.is_finite() => format_number(n),
        _ => t.to_string(),
    }
}

fn entries(text: &str) -> Vec<(&str, &str)> {
    text.lines().filter_map(|l| l.split_once(": ")).collect()
}

#[derive(Default)]
struct Builder(String);

impl Builder {
    fn entry(&mut self, name: &str, value: String) {
        // One entry a line: a value's own line breaks would read as entries.
        let value = value.replace(['\n', '\r'], " ");
        self.0.push_str(name);
        self.0.push_str(": ");
        self.0.push_str(value.trim());
        self.0.push('\n');
    }

    fn text(&mut self, name: &str, value: Option<&str>) {
        if let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) {
            self.entry(name, v.to_string());
        }
    }

    /// Account references are upper case in the ledger, whatever case a record gives.
    fn account(&mut self, value: Option<&str>) {
        self.text(ACCOUNT, value.map(str::to_ascii_uppercase).as_deref());
    }

    fn number(&mut self, name: &str, node: &Node, field: &str) {
        if let Some(v) = node.text_of(field) {
            self.entry(name, canonical(Some(v)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(lines: &[(&str, &str, &str)]) -> Node {
        let mut items = Node::new("SalesOrderItems");
        for (sku, qty, price) in lines {
            items.children.push(
                Node::new("Item")
                    .with(Node::leaf("Sku", *sku))
                    .with(Node::leaf("QtyOrdered", *qty))
                    .with(Node::leaf("UnitPrice", *price)),
            );
        }
        Node::new("SalesOrder")
            .with(Node::leaf("Id", "77"))
            .with(Node::leaf("AccountReference", "ABC001"))
            .with(Node::leaf("SalesOrderDate", "2026-01-02T10:00:00"))
            .with(items)
    }

    const FIELDS: DocumentNames = crate::connect::SALES_ORDER_NAMES;

    #[test]
    fn the_same_order_spelt_differently_agrees() {
        let a = Fingerprint::of_document(&order(&[("A1", "2", "9.90")]), &FIELDS, Some("ABC001"));
        let b = Fingerprint::of_document(&order(&[("A1", "2.0", " 9.9 ")]), &FIELDS, None);
        assert_eq!(
            b.differences(a.as_str()),
            None,
            "no account named: not compared"
        );
        let other = Fingerprint::of_document(&order(&[("A1", "2", "9.9")]), &FIELDS, Some("XYZ"));
        assert_eq!(
            other.differences(a.as_str()).as_deref(),
            Some("account XYZ (first version: ABC001)")
        );
    }

    #[test]
    fn other_lines_are_named_with_the_first_version() {
        let first = Fingerprint::of_document(&order(&[("A1", "1", "10")]), &FIELDS, None);
        let second = Fingerprint::of_document(&order(&[("B2", "9", "99.00")]), &FIELDS, None);
        let diff = second.differences(first.as_str());
        assert_eq!(
            diff.as_deref(),
            Some("line 1 B2 × 9 @ 99 (first version: A1 × 1 @ 10)")
        );
    }

    #[test]
    fn a_line_added_or_removed_is_a_difference() {
        let one = Fingerprint::of_document(&order(&[("A1", "1", "10")]), &FIELDS, None);
        let two =
            Fingerprint::of_document(&order(&[("A1", "1", "10"), ("B", "1", "1")]), &FIELDS, None);
        assert!(
            two.differences(one.as_str())
                .is_some_and(|d| d.contains("line 2"))
        );
        assert!(
            one.differences(two.as_str())
                .is_some_and(|d| d.contains("line 2 none"))
        );
    }
}
