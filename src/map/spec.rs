//! `MapSpec`: the checked form of a `map` block that the engine runs.

use crate::xpath::XPath;

/// A whole `map` block: its top-level `for each` blocks, in script order.
#[derive(Debug, Clone)]
pub struct MapSpec {
    /// One rule per top-level `for each`.
    pub rules: Vec<RecordRule>,
}

/// A `for each `XPATH` as "Wrapper/Record" { … }` block.
#[derive(Debug, Clone)]
pub struct RecordRule {
    /// The records: evaluated from the document for a top-level rule, from the enclosing
    /// record's node for a nested one.
    pub select: XPath,
    /// Wrapper element(s) then the record element, e.g. `["SalesOrders", "SalesOrder"]`.
    pub target: Vec<String>,
    /// Fields and nested `for each` blocks, in script order.
    pub items: Vec<MapItem>,
}

/// One line of a `for each` block.
#[derive(Debug, Clone)]
pub enum MapItem {
    /// `"Target/Path" = VALUE …`
    Field(FieldRule),
    /// A nested `for each`.
    Each(RecordRule),
}

/// `"Target/Path" = VALUE [if not empty | if `XPATH`] [default VALUE]`.
#[derive(Debug, Clone)]
pub struct FieldRule {
    /// Element path inside the record, e.g. `["SalesOrderAddress", "Town"]`.
    pub target: Vec<String>,
    /// Where the text comes from.
    pub value: FieldValue,
    /// When the field is written.
    pub condition: Condition,
    /// Used when the value is empty.
    pub default: Option<FieldValue>,
}

/// A field's value: an XPath relative to the current node, or text fixed at check time
/// (a literal, a number, a param or a let).
#[derive(Debug, Clone)]
pub enum FieldValue {
    /// The XPath's string value.
    XPath(XPath),
    /// Fixed text.
    Text(String),
}

/// When a field is written.
#[derive(Debug, Clone)]
pub enum Condition {
    /// Always (an empty value gives `<X />`).
    Always,
    /// `if not empty`: only when the value, after the default, is not empty.
    NotEmpty,
    /// `if `XPATH``: only when the XPath's boolean value is true.
    When(XPath),
}

/// What a `map` wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MapReport {
    /// Top-level records written, over all top-level rules.
    pub records: u64,
    /// Whether the input was read in streaming mode (bounded memory).
    pub streamed: bool,
}
