//! The shop's records as plain values: addresses, customers, orders and their lines.

/// A postal address with its contact, as Connect XML's `Contact` type. Empty strings are
/// "not given" and are left out of the XML.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Address {
    pub title: String,
    pub forename: String,
    pub surname: String,
    pub company: String,
    pub address1: String,
    pub address2: String,
    pub town: String,
    pub county: String,
    pub postcode: String,
    pub country: String,
    pub telephone: String,
    pub email: String,
}

/// A customer registered on the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Customer {
    pub id: i64,
    /// Empty for a private person.
    pub company_name: String,
    pub invoice: Address,
    pub delivery: Address,
    /// The ledger's account reference, once a notify has told the site.
    pub account_reference: Option<String>,
}

/// One order line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub sku: String,
    pub name: String,
    pub qty: i64,
    pub unit_price_pence: i64,
    /// Sage tax code number: 1 = T1 (20 %), 0 = T0 (zero rated).
    pub tax_code: i64,
}

/// An order placed on the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Order {
    pub id: i64,
    pub customer_id: i64,
    /// `YYYY-MM-DDTHH:MM:SS`, no zone, as Connect XML dates are.
    pub date: String,
    pub address: Address,
    pub delivery: Address,
    pub lines: Vec<Line>,
    pub carriage_name: String,
    pub carriage_pence: i64,
    /// Card or wallet used at checkout (`VISA`, `PAYPAL`…); `None` for orders on account.
    pub payment_ref: Option<String>,
    pub posted: bool,
    pub sales_order_number: Option<String>,
}

/// The VAT rate of a Sage tax code number, in percent (the codes the seed uses).
#[must_use]
pub(super) fn tax_rate_percent(code: i64) -> i64 {
    match code {
        1 => 20,
        5 => 5,
        _ => 0,
    }
}

/// VAT on a net amount in pence, rounded half up to the penny (per line, as Sage does).
#[must_use]
pub(super) fn tax_pence(net_pence: i64, code: i64) -> i64 {
    (net_pence * tax_rate_percent(code) + 50).div_euclid(100)
}

impl Order {
    /// Goods net, in pence.
    #[must_use]
    pub fn goods_net_pence(&self) -> i64 {
        self.lines.iter().map(|l| l.qty * l.unit_price_pence).sum()
    }

    /// Net, tax and gross in pence for goods plus carriage; carriage is taxed at T1.
    #[must_use]
    pub fn totals_pence(&self) -> (i64, i64, i64) {
        let net = self.goods_net_pence() + self.carriage_pence;
        let tax: i64 = self
            .lines
            .iter()
            .map(|l| tax_pence(l.qty * l.unit_price_pence, l.tax_code))
            .sum::<i64>()
            + tax_pence(self.carriage_pence, 1);
        (net, tax, net + tax)
    }
}

/// Pence as a decimal amount with two places: 423 → `4.23`.
#[must_use]
pub fn money(pence: i64) -> String {
    let sign = if pence < 0 { "-" } else { "" };
    let p = pence.abs();
    format!("{sign}{}.{:02}", p / 100, p % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_and_tax() {
        assert_eq!(money(423), "4.23");
        assert_eq!(money(20000), "200.00");
        assert_eq!(money(-5), "-0.05");
        // The DOWNLOAD sample at 20 %: 200 + 4.24 carriage.
        assert_eq!(tax_pence(20000, 1) + tax_pence(424, 1), 4085);
        assert_eq!(tax_pence(1, 1), 0);
        assert_eq!(tax_pence(3, 1), 1);
    }
}
