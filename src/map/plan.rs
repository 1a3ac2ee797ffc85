//! The streaming rule: which specs can be mapped one record at a time, and target checks.
//!
//! A spec streams when every top-level `select` is made of child steps
//! ([`XPath::child_steps`]) and no XPath inside its rule can leave the record's subtree
//! ([`XPath::subtree_reach`]): no absolute path (`/…`, `//…`) anywhere, and no more `..`
//! steps than the levels the expression has gone down from the record. A nested
//! `for each` starts its fields at the least depth its select reaches, so inside
//! `line-items/line-item`, `../../id` is the order's id and streams.

use super::error::MapError;
use super::spec::{Condition, FieldValue, MapItem, MapSpec};
use crate::xpath::{ChildPath, XPath};

/// The child-step path of each top-level rule when the spec can be streamed; `None`
/// when it needs the whole document as one tree (also when a top-level rule is sorted).
#[must_use]
pub fn stream_paths(spec: &MapSpec) -> Option<Vec<ChildPath>> {
    spec.rules
        .iter()
        .map(|rule| {
            // Sorted records are written only once all of them are read.
            if rule.sort.is_some() {
                return None;
            }
            let path = rule.select.child_steps()?;
            let key_stays = rule.distinct.as_ref().is_none_or(|key| stays(key, 0));
            (key_stays && items_stay(&rule.items, 0)).then_some(path)
        })
        .collect()
}

/// Whether every XPath of `items`, evaluated from a node `depth` levels below the
/// record, stays inside the record.
fn items_stay(items: &[MapItem], depth: usize) -> bool {
    items.iter().all(|item| match item {
        MapItem::Field(field) => {
            let condition = match &field.condition {
                Condition::When(test) => stays(test, depth),
                Condition::Always | Condition::NotEmpty => true,
            };
            condition
                && value_stays(&field.value, depth)
                && field.default.as_ref().is_none_or(|d| value_stays(d, depth))
        }
        MapItem::Each(rule) => rule.select.subtree_reach(depth).is_some_and(|below| {
            rule.distinct.as_ref().is_none_or(|key| stays(key, below))
                && rule
                    .sort
                    .as_ref()
                    .is_none_or(|sort| stays(&sort.key, below))
                && items_stay(&rule.items, below)
        }),
        MapItem::Let(rule) => value_stays(&rule.value, depth),
        MapItem::Choice(choice) => {
            choice
                .branches
                .iter()
                .all(|(test, value)| stays(test, depth) && value_stays(value, depth))
                && choice
                    .otherwise
                    .as_ref()
                    .is_none_or(|v| value_stays(v, depth))
        }
    })
}

fn value_stays(value: &FieldValue, depth: usize) -> bool {
    match value {
        FieldValue::XPath(xpath) => stays(xpath, depth),
        FieldValue::Text(_) => true,
    }
}

fn stays(xpath: &XPath, depth: usize) -> bool {
    xpath.subtree_reach(depth).is_some()
}

/// Checks one target; `true` for a field's (which may end in an attribute).
type TargetCheck<'c> = dyn Fn(&[String], bool) -> Result<(), MapError> + 'c;

/// Every target, at every level, must be a non-empty path of XML names, so the output
/// is always well-formed: a prefix must be declared with `namespace`, and only a field's
/// last name may be an attribute (`@name`).
pub(crate) fn check_targets(spec: &MapSpec) -> Result<(), MapError> {
    let prefixes: Vec<&str> = spec
        .shape
        .namespaces
        .iter()
        .filter_map(|(prefix, _)| prefix.as_deref())
        .collect();
    let check = |target: &[String], field: bool| check(target, field, &prefixes);
    fn check_items(items: &[MapItem], check: &TargetCheck) -> Result<(), MapError> {
        for item in items {
            match item {
                MapItem::Field(field) => check(&field.target, true)?,
                MapItem::Choice(choice) => check(&choice.target, true)?,
                MapItem::Let(_) => {}
                MapItem::Each(rule) => {
                    check(&rule.target, false)?;
                    check_items(&rule.items, check)?;
                }
            }
        }
        Ok(())
    }
    if let Some(root) = &spec.shape.root {
        check(std::slice::from_ref(root), false)?;
    }
    for rule in &spec.rules {
        check(&rule.target, false)?;
        check_items(&rule.items, &check)?;
    }
    Ok(())
}

fn check(target: &[String], field: bool, prefixes: &[&str]) -> Result<(), MapError> {
    let last = target.len().saturating_sub(1);
    let valid = !target.is_empty()
        && target.iter().enumerate().all(|(index, name)| {
            let name = match name.strip_prefix('@') {
                Some("xmlns") => return false,
                Some(attribute) if field && index == last => attribute,
                Some(_) => return false,
                None => name.as_str(),
            };
            match name.split_once(':') {
                Some((prefix, local)) => {
                    prefixes.contains(&prefix) && is_xml_name(prefix) && is_xml_name(local)
                }
                None => is_xml_name(name),
            }
        });
    if valid {
        return Ok(());
    }
    Err(MapError::InvalidTarget {
        target: target.join("/"),
    })
}

/// An XML name without a namespace prefix.
pub(crate) fn is_xml_name(name: &str) -> bool {
    let mut chars = name.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    let start = |c: char| c.is_alphabetic() || c == '_';
    start(first) && chars.all(|c| start(c) || c.is_numeric() || matches!(c, '-' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_names() {
        for good in ["Id", "SalesOrderAddress", "_x", "Größe", "a-b.c1"] {
            assert!(is_xml_name(good), "{good}");
        }
        for bad in ["", "1a", "Sales Order", "a:b", "-a", "a<b", "a/b"] {
            assert!(!is_xml_name(bad), "{bad}");
        }
    }
}
