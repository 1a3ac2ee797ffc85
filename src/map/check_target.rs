//! `check_target`: whether a field's target path is an element Connect XML has under a record element, with "did you mean".

use crate::suggest::closest;

use crate::connect::schema::{
    CONTACT, CUSTOM_FIELD, CUSTOMER, ERROR, ITEM, NOTE, PRODUCT, SALES_ORDER,
};

/// The children of an element of type `kind`, or `None` for a type zynk has no opinion on.
fn children(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "SalesOrder" => SALES_ORDER,
        "Item" => ITEM,
        "Customer" => CUSTOMER,
        "Contact" => CONTACT,
        "Product" => PRODUCT,
        "CustomField" => CUSTOM_FIELD,
        "Note" => NOTE,
        "Error" => ERROR,
        _ => return None,
    })
}

/// What an element called `name` inside a `parent` holds: `Ok(Some(type))` for a
/// structured element whose children are known, `Ok(None)` for a value or an element
/// zynk does not look into, `Err(wrapped item)` for a collection of `item`s.
fn element_type(parent: &str, name: &str) -> Result<Option<&'static str>, &'static str> {
    match (parent, name) {
        ("SalesOrder", "SalesOrderAddress" | "SalesOrderDeliveryAddress")
        | ("Customer", "CustomerInvoiceAddress" | "CustomerDeliveryAddress") => Ok(Some("Contact")),
        ("SalesOrder", "Carriage") => Ok(Some("Item")),
        ("SalesOrder", "SalesOrderItems") => Err("Item"),
        ("Customer", "Contacts") => Err("Contact"),
        ("Contact", "Notes") => Err("Note"),
        (_, "CustomFields") => Err("CustomField"),
        (_, "Errors") => Err("Error"),
        _ => Ok(None),
    }
}

/// `None` when `field` (e.g. `["SalesOrderAddress", "Town"]`) is an element Connect XML
/// has under the record element `record` (e.g. `SalesOrder`, `Item`, `Customer`,
/// `Product`, `Contact`); otherwise a help line, with "did you mean `…`" when a known
/// name is close. Unknown record types, and the inside of elements zynk does not model,
/// give `None` (no opinion).
#[must_use]
pub fn check_target(record: &str, field: &[String]) -> Option<String> {
    let mut kind = record;
    let mut wrapped: Option<&str> = None;
    for name in field {
        if let Some(item) = wrapped {
            if name != item {
                return Some(unknown(name, kind, &[item]));
            }
            kind = item;
            wrapped = None;
            continue;
        }
        let known = children(kind)?;
        if !known.contains(&name.as_str()) {
            return Some(unknown(name, kind, known));
        }
        match element_type(kind, name) {
            Ok(Some(inner)) => kind = inner,
            Ok(None) => kind = "",
            Err(item) => {
                wrapped = Some(item);
                kind = name;
            }
        }
    }
    None
}

fn unknown(name: &str, parent: &str, known: &[&str]) -> String {
    match closest(name, known.iter().copied()) {
        Some(best) => format!("did you mean `{best}`?"),
        None => format!(
            "Connect XML has no `{name}` in `{parent}`; see docs/mapping.md for its elements"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(record: &str, field: &str) -> Option<String> {
        let parts: Vec<String> = field.split('/').map(str::to_owned).collect();
        check_target(record, &parts)
    }

    #[test]
    fn known_targets_pass() {
        assert_eq!(check("SalesOrder", "SalesOrderAddress/Town"), None);
        assert_eq!(check("SalesOrder", "Carriage/UnitPrice"), None);
        assert_eq!(check("SalesOrder", "SalesOrderItems/Item"), None);
        assert_eq!(check("SalesOrder", "SalesOrderItems/Item/Sku"), None);
        assert_eq!(check("Item", "TaxCode"), None);
        assert_eq!(check("Customer", "CustomerInvoiceAddress/Email"), None);
        assert_eq!(check("Customer", "CustomFields/CustomField/Value"), None);
        assert_eq!(check("Product", "QtyInStock"), None);
        assert_eq!(check("Webhook", "Anything/At/All"), None);
    }

    #[test]
    fn typos_get_suggestions() {
        assert_eq!(
            check("SalesOrder", "SalesOrderAdress/Town"),
            Some("did you mean `SalesOrderAddress`?".into())
        );
        assert_eq!(
            check("SalesOrder", "SalesOrderAddress/Twon"),
            Some("did you mean `Town`?".into())
        );
        assert_eq!(
            check("Item", "QtyOrderd"),
            Some("did you mean `QtyOrdered`?".into())
        );
        assert_eq!(
            check("SalesOrder", "SalesOrderItems/Itme"),
            Some("did you mean `Item`?".into())
        );
        let far = check("SalesOrder", "Zebra").unwrap_or_default();
        assert!(far.contains("no `Zebra` in `SalesOrder`"), "{far}");
    }
}
