//! A compact way to write `MapSpec`s in tests, one Rust line per script line.
#![allow(dead_code)]

use zynk::map::{Condition, FieldRule, FieldValue, MapItem, MapSpec, RecordRule};
use zynk::xpath::{XPath, compile};

/// A compiled XPath (a typo in a test expression is a test bug: it panics).
pub fn xp(expr: &str) -> XPath {
    compile(expr).unwrap_or_else(|e| panic!("bad XPath `{expr}`: {e}"))
}

/// An XPath value.
pub fn x(expr: &str) -> FieldValue {
    FieldValue::XPath(xp(expr))
}

/// A text value (a literal, a number or a resolved param).
pub fn t(text: &str) -> FieldValue {
    FieldValue::Text(text.to_owned())
}

fn path(target: &str) -> Vec<String> {
    target.split('/').map(str::to_owned).collect()
}

/// `"Target" = VALUE`
pub fn f(target: &str, value: FieldValue) -> MapItem {
    MapItem::Field(FieldRule {
        target: path(target),
        value,
        condition: Condition::Always,
        default: None,
    })
}

/// `for each `SELECT` as "TARGET" { items }` nested in a record.
pub fn each(select: &str, target: &str, items: Vec<MapItem>) -> MapItem {
    MapItem::Each(rule(select, target, items))
}

/// A top-level `for each`.
pub fn rule(select: &str, target: &str, items: Vec<MapItem>) -> RecordRule {
    RecordRule::new(xp(select), path(target), items)
}

pub fn spec(rules: Vec<RecordRule>) -> MapSpec {
    MapSpec::new(rules)
}

/// `if not empty`, `if `XPATH`` and `default VALUE` on a field line.
pub trait FieldExt {
    fn if_not_empty(self) -> Self;
    fn when(self, expr: &str) -> Self;
    fn or(self, default: FieldValue) -> Self;
}

impl FieldExt for MapItem {
    fn if_not_empty(mut self) -> Self {
        if let MapItem::Field(field) = &mut self {
            field.condition = Condition::NotEmpty;
        }
        self
    }

    fn when(mut self, expr: &str) -> Self {
        if let MapItem::Field(field) = &mut self {
            field.condition = Condition::When(xp(expr));
        }
        self
    }

    fn or(mut self, default: FieldValue) -> Self {
        if let MapItem::Field(field) = &mut self {
            field.default = Some(default);
        }
        self
    }
}

/// The same spec with every top-level select made a filter, `(…)[true()]`: identical records,
/// but no longer child steps, so it runs in tree mode.
pub fn as_tree(spec: &MapSpec) -> MapSpec {
    let mut tree = spec.clone();
    for rule in &mut tree.rules {
        rule.select = xp(&format!("({})[true()]", rule.select.source()));
    }
    tree
}
pub mod shops;
