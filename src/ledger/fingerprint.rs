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
            f.entry_with(
                |name| {
                    name.push_str("line ");
                    push_count(name, i + 1);
                },
                |value| line(value, item),
            );
        }
        if let Some(c) = node.child("Carriage") {
            f.entry_with(|name| name.push_str("carriage"), |value| line(value, c));
        }
        f.number("discount", node, "NetValueDiscount");
        f.number("discount %", node, "NetValueDiscountPercent");
        f.number("payment", node, "PaymentAmount");
        f.number("total net", node, "TotalNet");
        f.number("total tax", node, "TotalTax");
        f.number("total", node, "TotalGross");
        Fingerprint(f.out)
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
        Fingerprint(f.out)
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

/// One line as `SKU × qty @ price`, with its discount and tax when given, appended to `out`.
fn line(out: &mut String, item: &Node) {
    out.push_str(item.text_of("Sku").unwrap_or("-"));
    out.push_str(" × ");
    push_canonical(out, item.text_of("QtyOrdered"));
    out.push_str(" @ ");
    push_canonical(out, item.text_of("UnitPrice"));
    for (name, label) in [
        ("UnitDiscountAmount", "less"),
        ("UnitDiscountPercentage", "less %"),
        ("TotalNet", "net"),
        ("TotalTax", "tax"),
        ("TaxRate", "tax %"),
        ("TaxCode", "tax code"),
    ] {
        if let Some(v) = item.text_of(name) {
            out.push(' ');
            out.push_str(label);
            out.push(' ');
            push_canonical(out, Some(v));
        }
    }
}

/// `n` in decimal, appended to `out`.
fn push_count(out: &mut String, n: usize) {
    use std::fmt::Write;
    let _ = write!(out, "{n}");
}

/// A number in one spelling (`9.90`, `9.9` and ` 9.900 ` agree); other text as written.
/// Appended to `out`.
fn push_canonical(out: &mut String, text: Option<&str>) {
    let Some(t) = text.map(str::trim) else {
        out.push('-');
        return;
    };
    if push_plain_decimal(out, t) {
        return;
    }
    match t.parse::<f64>() {
        Ok(n) if n.is_finite() => out.push_str(&format_number(n)),
        _ => out.push_str(t),
    }
}

/// A plain decimal (`-?[0-9]+(\.[0-9]+)?`) of at most 15 significant digits, appended as
/// [`format_number`] spells its value, without parsing and formatting a float: no two such
/// decimals of different value share a double, so the shortest text of its double is the
/// decimal itself without leading and trailing zeros. Returns false (appending nothing) for
/// any other text.
fn push_plain_decimal(out: &mut String, t: &str) -> bool {
    let (negative, body) = match t.strip_prefix('-') {
        Some(body) => (true, body),
        None => (false, t),
    };
    let (int, frac) = match body.split_once('.') {
        Some((int, frac)) if !frac.is_empty() => (int, frac),
        Some(_) => return false,
        None => (body, ""),
    };
    if int.is_empty()
        || !int.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return false;
    }
    let int = int.trim_start_matches('0');
    let frac = frac.trim_end_matches('0');
    let significant = if int.is_empty() {
        frac.trim_start_matches('0').len()
    } else {
        int.len() + frac.len()
    };
    if significant > 15 {
        return false;
    }
    if int.is_empty() && frac.is_empty() {
        out.push('0');
        return true;
    }
    if negative {
        out.push('-');
    }
    out.push_str(if int.is_empty() { "0" } else { int });
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    true
}

fn entries(text: &str) -> Vec<(&str, &str)> {
    text.lines().filter_map(|l| l.split_once(": ")).collect()
}

#[derive(Default)]
struct Builder {
    out: String,
    /// The entry being written, reused from entry to entry.
    value: String,
}

impl Builder {
    fn entry(&mut self, name: &str, value: &str) {
        self.out.push_str(name);
        self.out.push_str(": ");
        // One entry a line: a value's own line breaks would read as entries.
        if value.contains(['\n', '\r']) {
            self.out.push_str(value.replace(['\n', '\r'], " ").trim());
        } else {
            self.out.push_str(value.trim());
        }
        self.out.push('\n');
    }

    /// An entry whose name and value are written by `name` and `value`.
    fn entry_with(&mut self, name: impl FnOnce(&mut String), value: impl FnOnce(&mut String)) {
        let mut text = std::mem::take(&mut self.value);
        text.clear();
        value(&mut text);
        name(&mut self.out);
        self.out.push_str(": ");
        if text.contains(['\n', '\r']) {
            self.out.push_str(text.replace(['\n', '\r'], " ").trim());
        } else {
            self.out.push_str(text.trim());
        }
        self.out.push('\n');
        self.value = text;
    }

    fn text(&mut self, name: &str, value: Option<&str>) {
        if let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) {
            self.entry(name, v);
        }
    }

    /// Account references are upper case in the ledger, whatever case a record gives.
    fn account(&mut self, value: Option<&str>) {
        self.text(ACCOUNT, value.map(str::to_ascii_uppercase).as_deref());
    }

    fn number(&mut self, name: &str, node: &Node, field: &str) {
        if let Some(v) = node.text_of(field) {
            self.entry_with(|n| n.push_str(name), |value| push_canonical(value, Some(v)));
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

    /// What the fingerprints said before plain decimals skipped the float.
    fn canonical_by_float(t: &str) -> String {
        match t.trim().parse::<f64>() {
            Ok(n) if n.is_finite() => format_number(n),
            _ => t.trim().to_string(),
        }
    }

    #[test]
    fn plain_decimals_are_spelt_as_their_float() {
        let mut texts: Vec<String> = [
            "0",
            "-0",
            "00",
            "0.0",
            "-0.000",
            "1",
            "10",
            "010",
            "4.95",
            "9.90",
            " 9.900 ",
            "-12.50",
            "0.1",
            "0.30",
            "0.000000000000001",
            "123456789012345",
            "1234567890123456",
            "12345678901234567890",
            "99999999999999.9",
            "0.123456789012345",
            "0.1234567890123456",
            "1.",
            ".5",
            "+5",
            "1e3",
            "1.2.3",
            "-",
            "",
            "abc",
            "1,5",
            "٣",
            "0x10",
            "inf",
            "NaN",
            "-.5",
            "5.-1",
        ]
        .iter()
        .map(|t| t.to_string())
        .collect();
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        for _ in 0..20_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let int = seed % 10u64.pow((seed >> 40) as u32 % 14);
            let places = (seed >> 20) as usize % 8;
            let frac = (seed >> 8) % 10u64.pow(places as u32);
            let sign = if seed & 1 == 1 { "-" } else { "" };
            texts.push(if places == 0 {
                format!("{sign}{int}")
            } else {
                format!("{sign}{int}.{frac:0places$}")
            });
        }
        for t in &texts {
            let mut fast = String::new();
            push_canonical(&mut fast, Some(t));
            assert_eq!(fast, canonical_by_float(t), "{t:?}");
        }
    }

    #[test]
    fn a_line_reads_as_before() {
        let item = Node::new("Item")
            .with(Node::leaf("Sku", "A1"))
            .with(Node::leaf("QtyOrdered", "2.000"))
            .with(Node::leaf("UnitPrice", "9.90"))
            .with(Node::leaf("TaxCode", "1"))
            .with(Node::leaf("UnitDiscountPercentage", "x"));
        let mut text = String::new();
        line(&mut text, &item);
        assert_eq!(text, "A1 × 2 @ 9.9 less % x tax code 1");
        let mut items = Node::new("SalesOrderItems");
        items.children.push(item);
        let order = Node::new("SalesOrder")
            .with(Node::leaf("SalesOrderDate", " 2026-01-02\n"))
            .with(items)
            .with(Node::new("Carriage").with(Node::leaf("Sku", "C\nX")))
            .with(Node::leaf("PaymentAmount", "10.50"));
        let f = Fingerprint::of_document(&order, &FIELDS, Some("abc"));
        assert_eq!(
            f.as_str(),
            "account: ABC\ndate: 2026-01-02\nline 1: A1 × 2 @ 9.9 less % x tax code 1\n\
             carriage: C X × - @ -\npayment: 10.5\n"
        );
    }
}
