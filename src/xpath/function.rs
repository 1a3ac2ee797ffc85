//! The core function library: one table of names and arities, and each function's behaviour.

use super::env::Env;
use super::eval::Context;
use super::format_date::format_date;
use super::format_number::format_number;
use super::lexer::is_xml_space;
use super::node::XNode;
use super::value::{Value, parse_number};

/// A built-in XPath function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Function {
    Boolean,
    Ceiling,
    Concat,
    Contains,
    Count,
    Current,
    False,
    Floor,
    FormatDate,
    FormatNumber,
    GenerateId,
    Lang,
    Last,
    LocalName,
    Lookup,
    Name,
    NamespaceUri,
    NormalizeSpace,
    Not,
    Number,
    Position,
    Round,
    StartsWith,
    String,
    StringLength,
    Substring,
    SubstringAfter,
    SubstringBefore,
    Sum,
    SumOf,
    Translate,
    True,
}

/// What an argument must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ArgKind {
    /// Any value; converted as the function needs.
    Any,
    /// A node-set (checked at compile time).
    Nodes,
}

/// One entry of the function table.
pub(crate) struct Signature {
    pub(crate) name: &'static str,
    pub(crate) function: Function,
    pub(crate) min: usize,
    /// `None`: any number of arguments from `min` on.
    pub(crate) max: Option<usize>,
    pub(crate) arg: ArgKind,
}

const fn sig(
    name: &'static str,
    function: Function,
    min: usize,
    max: Option<usize>,
    arg: ArgKind,
) -> Signature {
    Signature {
        name,
        function,
        min,
        max,
        arg,
    }
}

/// Every function zynk evaluates, sorted by name.
pub(crate) const FUNCTIONS: &[Signature] = &[
    sig("boolean", Function::Boolean, 1, Some(1), ArgKind::Any),
    sig("ceiling", Function::Ceiling, 1, Some(1), ArgKind::Any),
    sig("concat", Function::Concat, 2, None, ArgKind::Any),
    sig("contains", Function::Contains, 2, Some(2), ArgKind::Any),
    sig("count", Function::Count, 1, Some(1), ArgKind::Nodes),
    sig("current", Function::Current, 0, Some(0), ArgKind::Any),
    sig("false", Function::False, 0, Some(0), ArgKind::Any),
    sig("floor", Function::Floor, 1, Some(1), ArgKind::Any),
    sig(
        "format-date",
        Function::FormatDate,
        3,
        Some(3),
        ArgKind::Any,
    ),
    sig(
        "format-number",
        Function::FormatNumber,
        2,
        Some(2),
        ArgKind::Any,
    ),
    sig(
        "generate-id",
        Function::GenerateId,
        0,
        Some(1),
        ArgKind::Nodes,
    ),
    sig("lang", Function::Lang, 1, Some(1), ArgKind::Any),
    sig("last", Function::Last, 0, Some(0), ArgKind::Any),
    sig(
        "local-name",
        Function::LocalName,
        0,
        Some(1),
        ArgKind::Nodes,
    ),
    sig("lookup", Function::Lookup, 2, Some(3), ArgKind::Any),
    sig("name", Function::Name, 0, Some(1), ArgKind::Nodes),
    sig(
        "namespace-uri",
        Function::NamespaceUri,
        0,
        Some(1),
        ArgKind::Nodes,
    ),
    sig(
        "normalize-space",
        Function::NormalizeSpace,
        0,
        Some(1),
        ArgKind::Any,
    ),
    sig("not", Function::Not, 1, Some(1), ArgKind::Any),
    sig("number", Function::Number, 0, Some(1), ArgKind::Any),
    sig("position", Function::Position, 0, Some(0), ArgKind::Any),
    sig("round", Function::Round, 1, Some(1), ArgKind::Any),
    sig(
        "starts-with",
        Function::StartsWith,
        2,
        Some(2),
        ArgKind::Any,
    ),
    sig("string", Function::String, 0, Some(1), ArgKind::Any),
    sig(
        "string-length",
        Function::StringLength,
        0,
        Some(1),
        ArgKind::Any,
    ),
    sig("substring", Function::Substring, 2, Some(3), ArgKind::Any),
    sig(
        "substring-after",
        Function::SubstringAfter,
        2,
        Some(2),
        ArgKind::Any,
    ),
    sig(
        "substring-before",
        Function::SubstringBefore,
        2,
        Some(2),
        ArgKind::Any,
    ),
    sig("sum", Function::Sum, 1, Some(1), ArgKind::Nodes),
    sig("sum-of", Function::SumOf, 2, Some(2), ArgKind::Any),
    sig("translate", Function::Translate, 3, Some(3), ArgKind::Any),
    sig("true", Function::True, 0, Some(0), ArgKind::Any),
];

/// XPath 1.0 functions that zynk deliberately leaves out, with what to use instead.
pub(crate) const UNSUPPORTED: &[(&str, &str)] = &[
    (
        "id",
        "zynk does not read DTDs, so there are no ID attributes; use a predicate such as `//Customer[Id='123']`",
    ),
    (
        "key",
        "zynk has no xsl:key; for one record per distinct key (Muenchian grouping) write `for each distinct `KEY` in `XPATH` as \"…\" { … }`, to find nodes by key a predicate such as `//order[email = current()/email]` or a `lookup` table (docs/mapping.md)",
    ),
    (
        "document",
        "a map reads one input; declare the other file as a table with `lookup \"countries.xml\" as countries by `/countries/country` key `@name` value `@code`` and write `lookup('countries', billing/country)` (docs/mapping.md)",
    ),
    (
        "system-property",
        "XSLT processor properties have no meaning in a map; write the value as a literal or a `param`",
    ),
    (
        "function-available",
        "zynk checks every function when the script is checked; call the function directly",
    ),
    (
        "element-available",
        "a map has no XSLT instructions to test for; remove the test",
    ),
    (
        "unparsed-entity-uri",
        "zynk does not read DTDs, so there are no unparsed entities",
    ),
];

/// What to use instead of an extension function (`exsl:node-set`, `msxsl:node-set`, …),
/// by local name; any other prefixed name gets [`EXTENSION_HELP`].
pub(crate) const EXTENSIONS: &[(&str, &str)] = &[
    (
        "node-set",
        "zynk needs no node-set conversion: a `let` holding nodes is a node-set (`$lines[qty > 1]`), and `sum-of(items/item, price * qty)` sums computed values",
    ),
    (
        "max",
        "use nodes[not(. < ../nodes)], e.g. `item[not(price < ../item/price)][1]/price`",
    ),
    ("min", "use nodes[not(. > ../nodes)]"),
    (
        "replace",
        "use translate() for single characters, or substring-before() and substring-after()",
    ),
    (
        "tokenize",
        "use substring-before() and substring-after(), or a `let` per part",
    ),
    (
        "split",
        "use substring-before() and substring-after(), or a `let` per part",
    ),
    (
        "date",
        "zynk's format-date(date, from, to) converts a date the input holds; pass the run's date in as a `param`",
    ),
    (
        "date-time",
        "zynk's format-date(date, from, to) converts a date the input holds; pass the run's date in as a `param`",
    ),
    (
        "format-date",
        "zynk's format-date(date, '%Y-%m-%d', '%d/%m/%Y') takes strftime patterns and no prefix",
    ),
];

/// The help for an extension function zynk has no specific advice for.
pub(crate) const EXTENSION_HELP: &str = "zynk has no EXSLT or processor extension functions; zynk's own extensions are format-date(), sum-of() and lookup() (docs/xpath.md)";

/// Functions from later XPath versions that users often reach for, with a 1.0 alternative.
pub(crate) const LATER_VERSIONS: &[(&str, &str)] = &[
    (
        "upper-case",
        "XPath 1.0 has no upper-case(); use translate(s, 'abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ')",
    ),
    (
        "lower-case",
        "XPath 1.0 has no lower-case(); use translate(s, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')",
    ),
    (
        "ends-with",
        "XPath 1.0 has no ends-with(); compare substring(s, string-length(s) - string-length(t) + 1) = t",
    ),
    (
        "string-join",
        "XPath 1.0 has no string-join(); use concat() with the parts",
    ),
    (
        "matches",
        "XPath 1.0 has no regular expressions; use contains(), starts-with() or translate()",
    ),
    (
        "replace",
        "XPath 1.0 has no replace(); use translate() for single characters or substring-before/after",
    ),
    (
        "avg",
        "XPath 1.0 has no avg(); use sum(nodes) div count(nodes)",
    ),
    (
        "max",
        "XPath 1.0 has no max(); use nodes[not(. < ../nodes)]",
    ),
    (
        "min",
        "XPath 1.0 has no min(); use nodes[not(. > ../nodes)]",
    ),
];

/// Looks a function up by name.
pub(crate) fn lookup(name: &str) -> Option<&'static Signature> {
    FUNCTIONS.iter().find(|s| s.name == name)
}

impl Signature {
    /// "1 argument", "2 or 3 arguments", "at least 2 arguments", "no arguments", ….
    pub(crate) fn arity_text(&self) -> String {
        let plural = |n: usize| if n == 1 { "argument" } else { "arguments" };
        match self.max {
            Some(0) => "no arguments".to_owned(),
            Some(max) if max == self.min => format!("{max} {}", plural(max)),
            Some(max) if max == self.min + 1 => format!("{} or {max} {}", self.min, plural(max)),
            Some(max) => format!("{} to {max} arguments", self.min),
            None => format!("at least {} {}", self.min, plural(self.min)),
        }
    }

    /// How the function is called, e.g. `substring(string, start, length?)`.
    pub(crate) fn usage(&self) -> &'static str {
        match self.function {
            Function::Boolean => "boolean(value)",
            Function::Ceiling => "ceiling(number)",
            Function::Concat => "concat(string, string, …)",
            Function::Contains => "contains(haystack, needle)",
            Function::Count => "count(node-set)",
            Function::Current => "current()",
            Function::False => "false()",
            Function::Floor => "floor(number)",
            Function::FormatDate => "format-date(date, 'from-pattern', 'to-pattern')",
            Function::FormatNumber => "format-number(number, '#,##0.00')",
            Function::GenerateId => "generate-id(node-set?)",
            Function::Lang => "lang(string)",
            Function::Last => "last()",
            Function::LocalName => "local-name(node-set?)",
            Function::Lookup => "lookup('table', key, default?)",
            Function::Name => "name(node-set?)",
            Function::NamespaceUri => "namespace-uri(node-set?)",
            Function::NormalizeSpace => "normalize-space(string?)",
            Function::Not => "not(value)",
            Function::Number => "number(value?)",
            Function::Position => "position()",
            Function::Round => "round(number)",
            Function::StartsWith => "starts-with(string, prefix)",
            Function::String => "string(value?)",
            Function::StringLength => "string-length(string?)",
            Function::Substring => "substring(string, start, length?)",
            Function::SubstringAfter => "substring-after(string, separator)",
            Function::SubstringBefore => "substring-before(string, separator)",
            Function::Sum => "sum(node-set)",
            Function::SumOf => "sum-of(node-set, expression-per-node)",
            Function::Translate => "translate(string, from, to)",
            Function::True => "true()",
        }
    }
}

fn nodes_of<'v, 'a, 'i>(value: &'v Value<'a, 'i>) -> &'v [XNode<'a, 'i>] {
    match value {
        Value::Nodes(nodes) => nodes,
        _ => &[],
    }
}

/// The first node of an optional node-set argument, or the context node without one.
fn node_arg<'a, 'i>(args: &[Value<'a, 'i>], context: &Context<'a, 'i>) -> Option<XNode<'a, 'i>> {
    match args.first() {
        Some(value) => nodes_of(value).first().copied(),
        None => Some(context.node),
    }
}

/// A string argument, or the context node's string-value without one.
fn string_arg(args: &[Value], index: usize, context: &Context) -> String {
    match args.get(index) {
        Some(value) => value.to_string_value(),
        None => context.node.string_value(),
    }
}

fn number_arg(args: &[Value], index: usize) -> f64 {
    args.get(index).map_or(f64::NAN, Value::to_number)
}

/// XPath `round()`: nearest integer, halves towards positive infinity, keeping -0.
fn round(n: f64) -> f64 {
    if !n.is_finite() {
        return n;
    }
    if (-0.5..0.5).contains(&n) {
        return n * 0.0;
    }
    let floor = n.floor();
    if n - floor >= 0.5 { floor + 1.0 } else { floor }
}

fn substring(text: &str, start: f64, length: Option<f64>) -> String {
    let first = round(start);
    let end = length.map_or(f64::INFINITY, |length| first + round(length));
    text.chars()
        .enumerate()
        .filter(|(index, _)| {
            #[allow(clippy::cast_precision_loss)]
            let position = (index + 1) as f64;
            position >= first && position < end
        })
        .map(|(_, c)| c)
        .collect()
}

fn translate(text: &str, from: &str, to: &str) -> String {
    let from: Vec<char> = from.chars().collect();
    let to: Vec<char> = to.chars().collect();
    text.chars()
        .filter_map(|c| match from.iter().position(|f| *f == c) {
            Some(index) => to.get(index).copied(),
            None => Some(c),
        })
        .collect()
}

/// A name for `node` that no other node of its document has and that stays the same for
/// every call in one run: `id` and the node's place in the parsed document.
fn generate_id(node: &XNode) -> String {
    match node.order_key() {
        (id, 0) => format!("id{id}"),
        (id, attribute) => format!("id{id}a{attribute}"),
    }
}

/// XPath `lang()`: whether the nearest `xml:lang` on the node or an ancestor is `wanted`
/// or a sub-language of it (`en` matches `en-GB`), ignoring case.
fn lang(node: &XNode, wanted: &str) -> bool {
    const XML_NAMESPACE: &str = "http://www.w3.org/XML/1998/namespace";
    let mut element = match node {
        XNode::Attribute { owner, .. } => Some(*owner),
        XNode::Node(node) => Some(*node),
    };
    while let Some(current) = element {
        if let Some(value) = current.attribute((XML_NAMESPACE, "lang")) {
            let value = value.to_ascii_lowercase();
            let wanted = wanted.to_ascii_lowercase();
            return value
                .strip_prefix(&wanted)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('-'));
        }
        element = current.parent();
    }
    false
}

/// Runs `function` on already evaluated arguments whose count and kinds were checked
/// (`sum-of`, whose second argument is evaluated per node, is the evaluator's).
pub(crate) fn call<'a, 'i>(
    function: Function,
    args: &[Value<'a, 'i>],
    context: &Context<'a, 'i>,
    env: &dyn Env<'a, 'i>,
) -> Value<'a, 'i> {
    let string = |index| string_arg(args, index, context);
    match function {
        Function::Boolean => Value::Boolean(args.first().is_some_and(Value::to_boolean)),
        Function::Ceiling => Value::Number(number_arg(args, 0).ceil()),
        Function::Concat => Value::String(args.iter().map(Value::to_string_value).collect()),
        Function::Contains => Value::Boolean(string(0).contains(&string(1))),
        #[allow(clippy::cast_precision_loss)]
        Function::Count => Value::Number(args.first().map_or(0, |v| nodes_of(v).len()) as f64),
        // The evaluator answers `current()` itself; a bare call has only its context node.
        Function::Current => Value::Nodes(vec![context.node]),
        Function::False => Value::Boolean(false),
        Function::Floor => Value::Number(number_arg(args, 0).floor()),
        Function::FormatDate => {
            Value::String(format_date(&string(0), &string(1), &string(2)).unwrap_or_default())
        }
        Function::FormatNumber => {
            Value::String(format_number(number_arg(args, 0), &string(1)).unwrap_or_default())
        }
        Function::GenerateId => Value::String(
            node_arg(args, context)
                .map(|node| generate_id(&node))
                .unwrap_or_default(),
        ),
        Function::Lang => Value::Boolean(lang(&context.node, &string(0))),
        Function::Lookup => {
            let found = env.lookup(&string(0), &string(1)).map(str::to_owned);
            Value::String(found.unwrap_or_else(|| match args.get(2) {
                Some(default) => default.to_string_value(),
                None => String::new(),
            }))
        }
        #[allow(clippy::cast_precision_loss)]
        Function::Last => Value::Number(context.size as f64),
        Function::LocalName => Value::String(
            node_arg(args, context)
                .map(|node| node.local_name())
                .unwrap_or_default(),
        ),
        Function::Name => Value::String(
            node_arg(args, context)
                .map(|node| node.name())
                .unwrap_or_default(),
        ),
        Function::NamespaceUri => Value::String(
            node_arg(args, context)
                .map(|node| node.namespace_uri())
                .unwrap_or_default(),
        ),
        Function::NormalizeSpace => Value::String(
            string(0)
                .split(is_xml_space)
                .filter(|word| !word.is_empty())
                .collect::<Vec<_>>()
                .join(" "),
        ),
        Function::Not => Value::Boolean(!args.first().is_some_and(Value::to_boolean)),
        Function::Number => Value::Number(match args.first() {
            Some(value) => value.to_number(),
            None => parse_number(&context.node.string_value()),
        }),
        #[allow(clippy::cast_precision_loss)]
        Function::Position => Value::Number(context.position as f64),
        Function::Round => Value::Number(round(number_arg(args, 0))),
        Function::StartsWith => Value::Boolean(string(0).starts_with(&string(1))),
        Function::String => Value::String(string(0)),
        #[allow(clippy::cast_precision_loss)]
        Function::StringLength => Value::Number(string(0).chars().count() as f64),
        Function::Substring => Value::String(substring(
            &string(0),
            number_arg(args, 1),
            args.get(2).map(Value::to_number),
        )),
        Function::SubstringAfter => {
            let (text, separator) = (string(0), string(1));
            Value::String(
                text.find(&separator)
                    .map(|at| text[at + separator.len()..].to_owned())
                    .unwrap_or_default(),
            )
        }
        Function::SubstringBefore => {
            let (text, separator) = (string(0), string(1));
            Value::String(
                text.find(&separator)
                    .map(|at| text[..at].to_owned())
                    .unwrap_or_default(),
            )
        }
        Function::Sum => Value::Number(args.first().map_or(0.0, |v| {
            nodes_of(v)
                .iter()
                .map(|node| parse_number(&node.string_value()))
                // Not `.sum()`, which starts from -0.0: `1 div sum(empty)` must be Infinity.
                .fold(0.0, |total, n| total + n)
        })),
        Function::SumOf => Value::Number(f64::NAN),
        Function::Translate => Value::String(translate(&string(0), &string(1), &string(2))),
        Function::True => Value::Boolean(true),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_unique() {
        let names: Vec<_> = FUNCTIONS.iter().map(|s| s.name).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(names, sorted);
    }

    #[test]
    fn substring_follows_the_spec_examples() {
        assert_eq!(substring("12345", 2.0, Some(3.0)), "234");
        assert_eq!(substring("12345", 2.0, None), "2345");
        assert_eq!(substring("12345", 1.5, Some(2.6)), "234");
        assert_eq!(substring("12345", 0.0, Some(3.0)), "12");
        assert_eq!(substring("12345", f64::NAN, Some(3.0)), "");
        assert_eq!(substring("12345", 1.0, Some(f64::NAN)), "");
        assert_eq!(substring("12345", -42.0, Some(f64::INFINITY)), "12345");
        assert_eq!(
            substring("12345", f64::NEG_INFINITY, Some(f64::INFINITY)),
            ""
        );
    }

    #[test]
    fn round_keeps_halves_and_negative_zero() {
        assert_eq!(round(2.5), 3.0);
        assert_eq!(round(-2.5), -2.0);
        assert!(round(-0.4).is_sign_negative());
        assert!(round(f64::NAN).is_nan());
    }

    #[test]
    fn translate_maps_and_removes() {
        assert_eq!(translate("bar", "abc", "ABC"), "BAr");
        assert_eq!(translate("--aaa--", "abc-", "ABC"), "AAA");
    }
}
