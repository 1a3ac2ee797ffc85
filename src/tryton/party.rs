//! A Connect XML customer (or an order's addresses) as a Tryton `party.party` with addresses and contact mechanisms.
use serde_json::{Value, json};

use super::company::Company;
use crate::connect::Contact;

/// The name a party gets: the company name, else the contact's full name.
#[must_use]
pub(super) fn party_name(company: Option<&str>, contact: Option<&Contact>) -> Option<String> {
    company
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .or_else(|| contact.and_then(|c| c.company.clone()))
        .or_else(|| contact.and_then(Contact::full_name))
}

/// The values of a new party: code, name, an invoice address, a delivery address when it
/// differs, the contact mechanisms of both, and the VAT number as an identifier.
pub(super) fn new_party(
    code: &str,
    name: &str,
    invoice: Option<&Contact>,
    delivery: Option<&Contact>,
    vat_number: Option<&str>,
    company: &Company,
) -> Value {
    let delivery = delivery.filter(|d| !d.is_blank());
    let invoice = invoice.filter(|i| !i.is_blank());
    let same = match (invoice, delivery) {
        (Some(i), Some(d)) => same_place(i, d),
        _ => true,
    };
    let mut addresses = Vec::new();
    match (invoice, delivery) {
        (Some(i), _) => addresses.push(address(i, name, true, same || delivery.is_none(), company)),
        (None, Some(d)) => addresses.push(address(d, name, true, true, company)),
        (None, None) => {}
    }
    if let (Some(_), Some(d)) = (invoice, delivery)
        && !same
    {
        addresses.push(address(d, name, false, true, company));
    }
    let mut mechanisms: Vec<(&str, String)> = Vec::new();
    for contact in [invoice, delivery].into_iter().flatten() {
        for (kind, value) in [
            ("email", &contact.email),
            ("phone", &contact.telephone),
            ("mobile", &contact.mobile),
            ("fax", &contact.fax),
            ("website", &contact.website),
        ] {
            if let Some(v) = value.as_deref().map(str::trim).filter(|v| !v.is_empty())
                && !mechanisms.iter().any(|(k, x)| *k == kind && x == v)
            {
                mechanisms.push((kind, v.to_string()));
            }
        }
    }
    let mechanisms: Vec<Value> = mechanisms
        .into_iter()
        .map(|(kind, value)| json!({ "type": kind, "value": value }))
        .collect();
    let mut party = json!({
        "code": code,
        "name": name,
        "addresses": [["create", addresses]],
        "contact_mechanisms": [["create", mechanisms]],
    });
    if let Some(vat) = vat_number.map(str::trim).filter(|v| !v.is_empty()) {
        party["identifiers"] = json!([["create", [{ "code": vat }]]]);
    }
    party
}

/// Whether two address blocks are the same place (the delivery address needs no row of its own).
fn same_place(a: &Contact, b: &Contact) -> bool {
    street(a) == street(b) && a.town == b.town && a.postcode == b.postcode
}

/// Address1–3 as Tryton's one multi-line `street`.
pub(super) fn street(c: &Contact) -> String {
    [&c.address1, &c.address2, &c.address3]
        .into_iter()
        .flatten()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// One `party.address`.
pub(super) fn address(
    c: &Contact,
    party_name: &str,
    invoice: bool,
    delivery: bool,
    company: &Company,
) -> Value {
    // A country Tryton does not have is left out rather than failing the customer.
    let country = c.country.as_deref().and_then(|code| company.country(code));
    let mut v = json!({
        "street": street(c),
        "city": c.town.clone().unwrap_or_default(),
        "postal_code": c.postcode.clone().unwrap_or_default(),
        "country": country,
        "invoice": invoice,
        "delivery": delivery,
    });
    if let Some(attn) = c.full_name() {
        v["attn"] = json!(attn);
    }
    if let Some(other) = c
        .company
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty() && *n != party_name)
    {
        v["party_name"] = json!(other);
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contact(lines: [&str; 3], town: &str) -> Contact {
        let some = |t: &str| (!t.is_empty()).then(|| t.to_string());
        Contact {
            address1: some(lines[0]),
            address2: some(lines[1]),
            address3: some(lines[2]),
            town: some(town),
            forename: Some("Test".into()),
            surname: Some("Person".into()),
            ..Contact::default()
        }
    }

    #[test]
    fn address_lines_make_one_street_and_names_fall_back_to_the_contact() {
        let c = contact(["i6 Building", "", " 6-8 Charlotte Square "], "Newcastle");
        assert_eq!(street(&c), "i6 Building\n6-8 Charlotte Square");
        assert_eq!(
            party_name(Some(" "), Some(&c)).as_deref(),
            Some("Test Person")
        );
        assert_eq!(
            party_name(Some("Internetware"), Some(&c)).as_deref(),
            Some("Internetware")
        );
        assert!(same_place(&c, &c.clone()));
        assert!(!same_place(
            &c,
            &contact(["1 Other Road", "", ""], "Newcastle")
        ));
    }
}
