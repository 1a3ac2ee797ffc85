//! `MapSpec`: the checked form of a `map` block that the engine runs.

use std::path::PathBuf;

use crate::xpath::XPath;

/// A whole `map` block: its top-level `for each` blocks, in script order, and what they
/// share (the output's shape, the params their XPaths use, lookup tables).
#[derive(Debug, Clone)]
pub struct MapSpec {
    /// One rule per top-level `for each`.
    pub rules: Vec<RecordRule>,
    /// The output's root element and namespaces.
    pub shape: OutputShape,
    /// Values of the script's params used as `$name` in XPaths.
    pub constants: Vec<(String, Constant)>,
    /// `lookup "FILE" as NAME …` tables, loaded once per run.
    pub lookups: Vec<Lookup>,
    /// `allow_empty true`: an input with records none of whose nodes the rules select
    /// maps to an empty document instead of failing with
    /// [`MapError::NothingMatched`](super::MapError::NothingMatched).
    pub allow_empty: bool,
}

impl MapSpec {
    /// A spec of `rules` writing Connect XML (`<Company>`), with no params or lookups.
    #[must_use]
    pub fn new(rules: Vec<RecordRule>) -> MapSpec {
        MapSpec {
            rules,
            shape: OutputShape::default(),
            constants: Vec::new(),
            lookups: Vec::new(),
            allow_empty: false,
        }
    }
}

/// The root element of the output and the namespaces declared on it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OutputShape {
    /// `root "NAME"`; `None`: `<Company>` with Connect XML's `xsi` and `xsd` declarations.
    pub root: Option<String>,
    /// `namespace "URI"` (prefix `None`: the default namespace) and `namespace p "URI"`.
    pub namespaces: Vec<(Option<String>, String)>,
    /// The statement's `encoding` option; `None`: UTF-8.
    pub encoding: Option<crate::xml_input::OutputEncoding>,
}

/// A param's value, bound to `$name`.
#[derive(Debug, Clone, PartialEq)]
pub enum Constant {
    Text(String),
    Number(f64),
    Boolean(bool),
}

/// `lookup "FILE" as NAME …`: a key → value table for `lookup('NAME', key)`.
#[derive(Debug, Clone)]
pub struct Lookup {
    /// The name XPaths use.
    pub name: String,
    /// The table's file.
    pub file: PathBuf,
    /// How keys and values are read from it.
    pub format: LookupFormat,
}

/// How a lookup table's file is read.
#[derive(Debug, Clone)]
pub enum LookupFormat {
    /// A CSV file with a header row; `key` and `value` name columns (the first and second
    /// column when `None`).
    Csv {
        key: Option<String>,
        value: Option<String>,
    },
    /// An XML file (`/*/*`, `*[1]` and `*[2]` unless given).
    Xml(Box<XmlTable>),
}

/// Where an XML lookup table's entries are: each node `rows` selects is one entry, its key
/// and value evaluated from it.
#[derive(Debug, Clone)]
pub struct XmlTable {
    pub rows: XPath,
    pub key: XPath,
    pub value: XPath,
}

/// A `for each [distinct `KEY` in] `XPATH` as "Wrapper/Record" { … }` block.
#[derive(Debug, Clone)]
pub struct RecordRule {
    /// The records: evaluated from the document for a top-level rule, from the enclosing
    /// record's node for a nested one.
    pub select: XPath,
    /// `distinct `KEY` in`: only the first node of each distinct key value becomes a
    /// record; nodes whose key selects no node are skipped.
    pub distinct: Option<XPath>,
    /// `sorted by `KEY` …`: the records in the order of their keys instead of document
    /// order (after `distinct` has picked them).
    pub sort: Option<SortKey>,
    /// Wrapper element(s) then the record element, e.g. `["SalesOrders", "SalesOrder"]`;
    /// only the record element for records with no wrapper.
    pub target: Vec<String>,
    /// Fields, lets, choices and nested `for each` blocks, in script order.
    pub items: Vec<MapItem>,
}

impl RecordRule {
    /// A rule with no `distinct` key.
    #[must_use]
    pub fn new(select: XPath, target: Vec<String>, items: Vec<MapItem>) -> RecordRule {
        RecordRule {
            select,
            distinct: None,
            sort: None,
            target,
            items,
        }
    }
}

/// `sorted by `KEY` [numeric] [ascending|descending]` on a `for each`: as `xsl:sort`.
#[derive(Debug, Clone)]
pub struct SortKey {
    /// Evaluated from each record's node; its string value is the key.
    pub key: XPath,
    /// `numeric`: keys compare as numbers (a key that is not a number comes first);
    /// otherwise as text, character by character.
    pub numeric: bool,
    /// `descending`: largest first.
    pub descending: bool,
}

/// One line (or block) of a `for each` block.
#[derive(Debug, Clone)]
pub enum MapItem {
    /// `"Target/Path" = VALUE …`
    Field(FieldRule),
    /// A nested `for each`.
    Each(RecordRule),
    /// `let NAME = VALUE`: evaluated once per record, `$NAME` in later XPaths.
    Let(LetRule),
    /// `choose "Target" { when `XPATH` VALUE … otherwise VALUE }`.
    Choice(ChoiceRule),
}

/// `"Target/Path" = VALUE [if not empty | if `XPATH`] [default VALUE]`.
#[derive(Debug, Clone)]
pub struct FieldRule {
    /// Element path inside the record, e.g. `["SalesOrderAddress", "Town"]`; a last name
    /// starting with `@` is an attribute (`["Price", "@currency"]`, `["@code"]`).
    pub target: Vec<String>,
    /// Where the text comes from.
    pub value: FieldValue,
    /// When the field is written.
    pub condition: Condition,
    /// Used when the value is empty.
    pub default: Option<FieldValue>,
}

/// `let NAME = VALUE` inside a `for each`.
#[derive(Debug, Clone)]
pub struct LetRule {
    pub name: String,
    pub value: FieldValue,
}

/// A field whose value is the first branch whose condition holds.
#[derive(Debug, Clone)]
pub struct ChoiceRule {
    /// As [`FieldRule::target`].
    pub target: Vec<String>,
    /// `when `XPATH` VALUE`, in order.
    pub branches: Vec<(XPath, FieldValue)>,
    /// `otherwise VALUE`; without it the field is left out when no branch holds.
    pub otherwise: Option<FieldValue>,
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
    /// Input nodes those records were made from: one for each node selected by a
    /// top-level rule, however many rules map it.
    pub read: u64,
    /// Whether the input was read in streaming mode (bounded memory).
    pub streamed: bool,
}
