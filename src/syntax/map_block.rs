//! The grammar of a `map` block: typed nodes for its lines, each with its span, and one
//! `parse_<rule>` per rule, read by recursive descent from the words and values the line
//! parser hands over.
//!
//! ```text
//! map_block   = top_line*
//! top_line    = lookup | root | namespace | for_each
//! lookup      = "lookup" VALUE "as" NAME (("by" | "key" | "value") ARG)*    each option once
//! root        = "root" VALUE
//! namespace   = "namespace" [NAME] VALUE
//! for_each    = "for" "each" [distinct] XPATH [sorted] "as" STRING "{" record_line* "}"
//! distinct    = "distinct" XPATH "in"
//! sorted      = "sorted" "by" XPATH ("numeric" | "ascending" | "descending")*
//!                                                          numeric once, one order
//! record_line = field | let | choose | for_each
//! field       = STRING "=" VALUE ["if" "not" "empty" | "if" VALUE] ["default" VALUE]
//! let         = "let" NAME "=" VALUE
//! choose      = "choose" STRING "{" when* [otherwise] "}"
//! when        = "when" VALUE ["then"] VALUE
//! otherwise   = "otherwise" VALUE
//! ```
//!
//! A line that does not fit its rule becomes an `Invalid` node in its place, holding the
//! mistake, so that the checker reports every mistake in the order of the lines and checks
//! the lines that do fit.
use super::ast::{self, Arg, Expr, Item, Statement, StringLit};
pub use super::ast::{Field, FieldCondition};
use crate::source::{Span, Spanned};

/// The shape of a `for each` rule, the help of most of its mistakes.
pub const RULE_SHAPE: &str =
    "write `for each `XPATH` as \"Wrapper/Record\" { \"Field\" = VALUE … }`";

/// The shape of `sorted by`.
pub const SORT_SHAPE: &str = "write `sorted by `KEY`` then, if wanted, `numeric` and `ascending` or `descending`, before `as`";

/// The shape of `for each distinct`.
pub const DISTINCT_SHAPE: &str =
    "write `for each distinct `KEY` in `XPATH` as \"Wrapper/Record\" { … }`";

/// The shape of a `choose` block.
pub const CHOICE_SHAPE: &str = "write `choose \"Field\" { when `XPATH` VALUE … otherwise VALUE }`";

/// The shapes of a `lookup` line.
pub const LOOKUP_SHAPE: &str = "write `lookup \"countries.csv\" as countries [key \"Column\" value \"Column\"]` or `lookup \"codes.xml\" as codes [by `/codes/code` key `@from` value `@to`]`";

/// A parsed `map` block.
#[derive(Debug, Clone)]
pub struct MapBlock {
    pub lines: Vec<TopLine>,
    /// The block, `{` to `}`.
    pub span: Span,
}

/// A line at the top of a `map` block.
#[derive(Debug, Clone)]
pub enum TopLine {
    Lookup(Lookup),
    Root(Root),
    Namespace(Namespace),
    ForEach(ForEach),
    Invalid(MapSyntaxError),
}

/// `lookup FILE as NAME [by `ROWS`] [key KEY] [value VALUE]`: the options as written,
/// XPaths for an XML table and column names for a CSV one (which it is, the checker knows).
#[derive(Debug, Clone)]
pub struct Lookup {
    pub file: Expr,
    pub name: Spanned<String>,
    pub by: Option<Arg>,
    pub key: Option<Arg>,
    pub value: Option<Arg>,
    pub span: Span,
}

/// `root NAME`: the output's root element.
#[derive(Debug, Clone)]
pub struct Root {
    pub name: Expr,
    pub span: Span,
}

/// `namespace [PREFIX] URI`.
#[derive(Debug, Clone)]
pub struct Namespace {
    pub prefix: Option<Spanned<String>>,
    pub uri: Expr,
    pub span: Span,
}

/// `for each [distinct `KEY` in] `XPATH` [sorted by …] as "Wrapper/Record" { … }`.
#[derive(Debug, Clone)]
pub struct ForEach {
    pub distinct: Option<Distinct>,
    pub select: XPathLit,
    pub sort: Option<SortBy>,
    pub target: StringLit,
    pub body: Vec<RecordLine>,
    /// The rule's line, up to its `{`.
    pub span: Span,
}

/// `distinct `KEY` in`.
#[derive(Debug, Clone)]
pub struct Distinct {
    pub key: XPathLit,
    pub span: Span,
}

/// `sorted by `KEY` [numeric] [ascending|descending]`.
#[derive(Debug, Clone)]
pub struct SortBy {
    pub key: XPathLit,
    pub numeric: Option<Span>,
    pub order: Option<Spanned<SortOrder>>,
    pub span: Span,
}

/// The order `sorted by` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortOrder {
    Ascending,
    Descending,
}

impl SortBy {
    /// Whether the records come largest key first.
    #[must_use]
    pub fn descending(&self) -> bool {
        self.order
            .as_ref()
            .is_some_and(|o| o.value == SortOrder::Descending)
    }
}

/// An XPath between backticks.
#[derive(Debug, Clone)]
pub struct XPathLit {
    pub text: String,
    /// The text between the backticks.
    pub text_span: Span,
    pub span: Span,
}

/// A line of a `for each` block.
#[derive(Debug, Clone)]
pub enum RecordLine {
    Field(Field),
    Let(Let),
    Choose(Choose),
    ForEach(ForEach),
    Invalid(MapSyntaxError),
}

/// `let NAME = VALUE`, once per record.
#[derive(Debug, Clone)]
pub struct Let {
    pub name: Spanned<String>,
    pub value: Expr,
    pub span: Span,
}

/// `choose "Target" { when … otherwise … }`.
#[derive(Debug, Clone)]
pub struct Choose {
    pub target: StringLit,
    pub branches: Vec<Branch>,
    /// The block, `{` to `}`.
    pub block: Span,
    /// The `choose` line, up to its `{`.
    pub span: Span,
}

/// A line of a `choose` block.
#[derive(Debug, Clone)]
pub enum Branch {
    When(When),
    Otherwise(Otherwise),
    Invalid(MapSyntaxError),
}

/// `when TEST [then] VALUE`.
#[derive(Debug, Clone)]
pub struct When {
    pub test: Expr,
    pub then: Option<Span>,
    pub value: Expr,
    pub span: Span,
}

/// `otherwise VALUE`.
#[derive(Debug, Clone)]
pub struct Otherwise {
    pub value: Expr,
    pub span: Span,
}

/// Which rule of a `map` block a mistake breaks; the checker picks the diagnostic's code from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MapMistake {
    /// A line the block (or a `for each`) does not take, or a `for each` without a block.
    Mapping,
    /// A `for each` head, or a line where a `for each` rule was expected.
    Rule,
    /// A field line without `=`.
    Field,
    /// A field's `if`.
    FieldCondition,
    /// A `choose` block.
    Choose,
    /// A `lookup` line.
    Lookup,
    /// A `root` or `namespace` line.
    RootOrNamespace,
    /// A namespace prefix without its `namespace` line (found by the checker).
    UndeclaredPrefix,
    /// A bare word that is no param or `let` (found by the checker).
    UnknownName,
}

/// A line that does not fit its rule: what the diagnostic says and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapSyntaxError {
    pub mistake: MapMistake,
    pub message: String,
    pub span: Span,
    pub label: String,
    pub help: String,
}

fn mistake(
    mistake: MapMistake,
    message: &str,
    span: Span,
    label: &str,
    help: &str,
) -> MapSyntaxError {
    MapSyntaxError {
        mistake,
        message: message.to_owned(),
        span,
        label: label.to_owned(),
        help: help.to_owned(),
    }
}

/// The words and values of one line, read left to right.
struct Words<'a> {
    args: &'a [Arg],
    at: usize,
    line: Span,
}

impl<'a> Words<'a> {
    fn new(statement: &'a Statement) -> Words<'a> {
        Words {
            args: &statement.args,
            at: 0,
            line: statement.span,
        }
    }

    fn peek(&self) -> Option<&'a Arg> {
        self.args.get(self.at)
    }

    fn next(&mut self) -> Option<&'a Arg> {
        let arg = self.args.get(self.at)?;
        self.at += 1;
        Some(arg)
    }

    /// Whether the next element is the bare word `word`.
    fn is(&self, word: &str) -> bool {
        matches!(self.peek(), Some(Arg::Word(w)) if w.value == word)
    }

    /// Takes the bare word `word`, if it comes next.
    fn eat(&mut self, word: &str) -> Option<Span> {
        let span = self.peek().filter(|_| self.is(word))?.span();
        self.at += 1;
        Some(span)
    }

    /// Takes an XPath literal, if one comes next.
    fn xpath(&mut self) -> Option<XPathLit> {
        let Some(Arg::Value(Expr::XPath {
            text,
            text_span,
            span,
        })) = self.peek()
        else {
            return None;
        };
        self.at += 1;
        Some(XPathLit {
            text: text.clone(),
            text_span: *text_span,
            span: *span,
        })
    }

    /// Where the next element is, or the last one when the line ends here.
    fn here(&self) -> Span {
        self.args
            .get(self.at)
            .or_else(|| self.args.last())
            .map_or(self.line, Arg::span)
    }

    /// The span of the elements taken so far from `from` on.
    fn since(&self, from: usize) -> Span {
        let spans = self.args[from.min(self.at)..self.at].iter().map(Arg::span);
        spans.reduce(Span::join).unwrap_or(self.line)
    }
}

/// A rule's parser is called on a line that starts with the rule's word (its caller
/// dispatched on it); anything else is a bug of the caller, not a mistake of the script.
fn starts_with(statement: &Statement, word: &str) {
    debug_assert_eq!(
        first_word(statement),
        Some(word),
        "dispatched on another word"
    );
}

fn item_span(item: &Item) -> Span {
    match item {
        Item::Workflow(w) => w.span,
        Item::Param(b) | Item::Let(b) => b.span,
        Item::Statement(s) => s.span,
        Item::Field(f) => f.span,
    }
}

/// The first word of a statement. The line grammar gives every statement at least one
/// element (`statement = { item+ … }`).
fn first_word(statement: &Statement) -> Option<&str> {
    debug_assert!(!statement.args.is_empty(), "a statement without words");
    match statement.args.first() {
        Some(Arg::Word(w)) => Some(w.value.as_str()),
        _ => None,
    }
}

/// `map_block = top_line*`. `is_statement_head` tells the script's statements, to explain a
/// statement written inside the block.
#[must_use]
pub fn parse_map_block(block: ast::Block, is_statement_head: &dyn Fn(&str) -> bool) -> MapBlock {
    MapBlock {
        lines: block
            .items
            .into_iter()
            .map(|item| parse_top_line(item, is_statement_head))
            .collect(),
        span: block.span,
    }
}

/// `top_line = lookup | root | namespace | for_each`.
#[must_use]
pub fn parse_top_line(item: Item, is_statement_head: &dyn Fn(&str) -> bool) -> TopLine {
    let Item::Statement(statement) = item else {
        return TopLine::Invalid(mistake(
            MapMistake::Mapping,
            "a `map` block holds `for each` rules",
            item_span(&item),
            "expected `for each` here",
            RULE_SHAPE,
        ));
    };
    let line = match first_word(&statement) {
        Some("lookup") => parse_lookup(&statement).map(TopLine::Lookup),
        Some("root") => parse_root(&statement).map(TopLine::Root),
        Some("namespace") => parse_namespace(&statement).map(TopLine::Namespace),
        _ => parse_for_each(statement, is_statement_head).map(TopLine::ForEach),
    };
    line.unwrap_or_else(TopLine::Invalid)
}

/// `lookup = "lookup" VALUE "as" NAME (("by" | "key" | "value") ARG)*`, each option once.
pub fn parse_lookup(statement: &Statement) -> Result<Lookup, MapSyntaxError> {
    starts_with(statement, "lookup");
    let bad = |span: Span, label: &str| {
        mistake(
            MapMistake::Lookup,
            "expected a lookup table",
            span,
            label,
            LOOKUP_SHAPE,
        )
    };
    let mut words = Words::new(statement);
    words.at = 1;
    let Some(Arg::Value(file)) = words.peek() else {
        return Err(bad(words.here(), "expected the table's file name"));
    };
    words.next();
    let (true, Some(Arg::Word(name))) = (words.is("as"), words.args.get(words.at + 1)) else {
        return Err(bad(words.here(), "expected `as NAME`"));
    };
    words.at += 2;
    let mut lookup = Lookup {
        file: file.clone(),
        name: name.clone(),
        by: None,
        key: None,
        value: None,
        span: statement.span,
    };
    while let (Some(Arg::Word(option)), Some(value)) = (words.peek(), words.args.get(words.at + 1))
    {
        let once_each = || bad(option.span, "expected `by`, `key` or `value`, once each");
        let slot = match option.value.as_str() {
            "by" => &mut lookup.by,
            "key" => &mut lookup.key,
            "value" => &mut lookup.value,
            word => {
                return Err(
                    match crate::suggest::closest(word, ["by", "key", "value"]) {
                        Some(g) => bad(
                            option.span,
                            &format!("not an option of `lookup`; did you mean `{g}`?"),
                        ),
                        None => once_each(),
                    },
                );
            }
        };
        if slot.is_some() {
            return Err(once_each());
        }
        *slot = Some(value.clone());
        words.at += 2;
    }
    if let Some(extra) = words.peek() {
        return Err(bad(extra.span(), "unexpected here"));
    }
    Ok(lookup)
}

/// `root = "root" VALUE`.
pub fn parse_root(statement: &Statement) -> Result<Root, MapSyntaxError> {
    starts_with(statement, "root");
    match statement.args.as_slice() {
        [_, Arg::Value(name)] => Ok(Root {
            name: name.clone(),
            span: statement.span,
        }),
        _ => Err(root_mistake(statement.span)),
    }
}

/// The mistake of a `root` line, in its shape or its name.
#[must_use]
pub fn root_mistake(span: Span) -> MapSyntaxError {
    mistake(
        MapMistake::RootOrNamespace,
        "expected `root \"NAME\"`",
        span,
        "the output's root element name",
        "write e.g. `root \"catalog\"`; without `root` the output is Connect XML's `<Company>`",
    )
}

/// `namespace = "namespace" [NAME] VALUE`.
pub fn parse_namespace(statement: &Statement) -> Result<Namespace, MapSyntaxError> {
    starts_with(statement, "namespace");
    let (prefix, uri) = match statement.args.as_slice() {
        [_, Arg::Word(prefix), Arg::Value(uri)] => (Some(prefix.clone()), uri),
        [_, Arg::Value(uri)] => (None, uri),
        _ => return Err(namespace_mistake(statement.span)),
    };
    Ok(Namespace {
        prefix,
        uri: uri.clone(),
        span: statement.span,
    })
}

/// The mistake of a `namespace` line, in its shape, its prefix or its URI.
#[must_use]
pub fn namespace_mistake(span: Span) -> MapSyntaxError {
    mistake(
        MapMistake::RootOrNamespace,
        "expected `namespace \"URI\"` or `namespace PREFIX \"URI\"`",
        span,
        "invalid namespace",
        "e.g. `namespace \"http://www.example.com/catalog\"` (the default namespace) or `namespace g \"http://base.google.com/ns/1.0\"`",
    )
}

fn rule_mistake(span: Span, label: &str) -> MapSyntaxError {
    mistake(
        MapMistake::Rule,
        "expected a `for each` rule",
        span,
        label,
        RULE_SHAPE,
    )
}

/// `for_each = "for" "each" [distinct] XPATH [sorted] "as" STRING "{" record_line* "}"`.
pub fn parse_for_each(
    statement: Statement,
    is_statement_head: &dyn Fn(&str) -> bool,
) -> Result<ForEach, MapSyntaxError> {
    let mut words = Words::new(&statement);
    if !(words.is("for") && matches!(words.args.get(1), Some(Arg::Word(w)) if w.value == "each")) {
        return Err(not_a_rule(&statement, is_statement_head));
    }
    words.at = 2;
    let distinct = if words.is("distinct") {
        Some(parse_distinct(&mut words)?)
    } else {
        None
    };
    let Some(select) = words.xpath() else {
        let guess = match words.peek() {
            Some(Arg::Word(w)) => crate::suggest::closest(&w.value, ["distinct"]),
            _ => None,
        };
        return Err(match guess {
            Some(g) => mistake(
                MapMistake::Rule,
                "expected a `for each` rule",
                words.here(),
                &format!("did you mean `{g}`?"),
                DISTINCT_SHAPE,
            ),
            None => rule_mistake(
                words.here(),
                "expected the XPath that selects the records, in backticks",
            ),
        });
    };
    let sort = if words.is("sorted") {
        Some(parse_sorted(&mut words)?)
    } else {
        None
    };
    if words.eat("as").is_none() {
        return Err(rule_mistake(
            words.here(),
            "expected `as \"Wrapper/Record\"`",
        ));
    }
    let Some(Arg::Value(Expr::String(target))) = words.peek() else {
        return Err(rule_mistake(
            words.here(),
            "expected the target, e.g. \"SalesOrders/SalesOrder\"",
        ));
    };
    let target = target.clone();
    words.next();
    if let Some(extra) = words.peek() {
        if words.is("sorted") {
            return Err(mistake(
                MapMistake::Rule,
                "`sorted by` comes before `as`",
                extra.span(),
                "move `sorted by …` before `as \"Wrapper/Record\"`",
                SORT_SHAPE,
            ));
        }
        return Err(rule_mistake(extra.span(), "unexpected after the target"));
    }
    let Some(block) = statement.block else {
        return Err(mistake(
            MapMistake::Mapping,
            "this `for each` has no fields",
            statement.span,
            "no `{ … }` block",
            RULE_SHAPE,
        ));
    };
    Ok(ForEach {
        distinct,
        select,
        sort,
        target,
        body: block
            .items
            .into_iter()
            .map(|item| parse_record_line(item, is_statement_head))
            .collect(),
        span: statement.span,
    })
}

/// `distinct = "distinct" XPATH "in"`.
fn parse_distinct(words: &mut Words<'_>) -> Result<Distinct, MapSyntaxError> {
    let from = words.at;
    let taken = words.eat("distinct");
    debug_assert!(taken.is_some(), "called at `distinct`");
    let Some(key) = words.xpath() else {
        return Err(rule_mistake(
            words.here(),
            "expected the key, e.g. `customer/email`, in backticks",
        ));
    };
    if words.eat("in").is_none() {
        return Err(rule_mistake(
            words.here(),
            "expected `in` and the records' XPath",
        ));
    }
    Ok(Distinct {
        key,
        span: words.since(from),
    })
}

/// `sorted = "sorted" "by" XPATH ("numeric" | "ascending" | "descending")*`, `numeric` once
/// and one order, up to `as`.
fn parse_sorted(words: &mut Words<'_>) -> Result<SortBy, MapSyntaxError> {
    let from = words.at;
    let taken = words.eat("sorted");
    debug_assert!(taken.is_some(), "called at `sorted`");
    if words.eat("by").is_none() {
        return Err(rule_mistake(words.here(), "expected `by` and the sort key"));
    }
    let Some(key) = words.xpath() else {
        return Err(rule_mistake(
            words.here(),
            "expected the sort key, e.g. `sku`, in backticks",
        ));
    };
    let mut sort = SortBy {
        key,
        numeric: None,
        order: None,
        span: Span::default(),
    };
    loop {
        let found = words.peek();
        match found {
            Some(Arg::Word(w)) if w.value == "as" => break,
            Some(Arg::Word(w)) if w.value == "numeric" && sort.numeric.is_none() => {
                sort.numeric = Some(w.span);
            }
            Some(Arg::Word(w)) if w.value == "ascending" && sort.order.is_none() => {
                sort.order = Some(Spanned::new(SortOrder::Ascending, w.span));
            }
            Some(Arg::Word(w)) if w.value == "descending" && sort.order.is_none() => {
                sort.order = Some(Spanned::new(SortOrder::Descending, w.span));
            }
            _ => return Err(sort_option_mistake(found, words.here())),
        }
        words.next();
    }
    sort.span = words.since(from);
    Ok(sort)
}

/// A word after the sort key that is no sort option (or one given twice), or the end of
/// the line before `as`.
fn sort_option_mistake(found: Option<&Arg>, span: Span) -> MapSyntaxError {
    let label = match found {
        Some(Arg::Word(w)) => {
            crate::suggest::closest(&w.value, ["numeric", "ascending", "descending", "as"])
                .map_or_else(
                    || "not a sort option".to_string(),
                    |c| format!("not a sort option; did you mean `{c}`?"),
                )
        }
        _ => "not a sort option".to_string(),
    };
    mistake(
        MapMistake::Rule,
        "expected `numeric`, `ascending`, `descending` or `as` after the sort key",
        span,
        &label,
        SORT_SHAPE,
    )
}

/// Explains a line where a `for each` rule was expected by what it looks like: `foreach`,
/// an option of the `map` line, a statement, a field with `==`.
fn not_a_rule(statement: &Statement, is_statement_head: &dyn Fn(&str) -> bool) -> MapSyntaxError {
    let args = &statement.args;
    let span = args.first().map_or(statement.span, Arg::span);
    let first = match args.first() {
        Some(Arg::Word(w)) => w.value.as_str(),
        Some(Arg::Value(Expr::String(_))) => {
            let double = matches!(args.get(1), Some(Arg::Word(w)) if w.value == "==");
            let help = if double {
                "a field gets its value with one `=`: `\"Field\" = VALUE`"
            } else {
                "a field line is `\"Field/Path\" = VALUE [if not empty | if `XPATH`] [default VALUE]`"
            };
            let span = args.get(1).map_or(span, Arg::span);
            return mistake(
                MapMistake::Field,
                "expected a field: `\"Field\" = VALUE`",
                span,
                "expected `=`",
                help,
            );
        }
        _ => "",
    };
    let (message, label, help) = match first {
        "foreach" => (
            "a rule of a `map` block is `for each`, two words".to_string(),
            "write `for each`".to_string(),
            RULE_SHAPE.to_string(),
        ),
        "encoding" => (
            "`encoding` is an option of the `map` line, not a line of its block".to_string(),
            "move it to the `map` line".to_string(),
            "write `map \"shop.xml\" to \"orders.xml\" encoding \"ISO-8859-1\" {`".to_string(),
        ),
        "let" => (
            "a `let` line is `let NAME = VALUE`".to_string(),
            "expected `let NAME = VALUE`".to_string(),
            if args
                .iter()
                .any(|a| matches!(a, Arg::Word(w) if w.value == "=="))
            {
                "a `let` gets its value with one `=`: `let NAME = VALUE`".to_string()
            } else {
                "write `let NAME = VALUE` inside a `for each` rule".to_string()
            },
        ),
        "lookup" | "root" | "namespace" => (
            format!("`{first}` belongs at the top of the `map` block"),
            "not at the top of the block".to_string(),
            format!("move the `{first}` line above the first `for each` rule"),
        ),
        word if is_statement_head(word) => (
            format!("`{word}` is a statement; a `map` block holds mapping lines only"),
            "a statement inside `map`".to_string(),
            format!(
                "put `{word}` before or after the `map` statement; inside, write `for each` rules, fields (`\"Field\" = VALUE`), `let`, `choose`, and at the top `lookup`, `root`, `namespace`"
            ),
        ),
        word => {
            let guess = crate::suggest::closest(
                word,
                ["for", "choose", "lookup", "root", "namespace", "let"],
            );
            let help = match guess {
                Some(g) => format!("did you mean `{g}`? {RULE_SHAPE}"),
                None => RULE_SHAPE.to_string(),
            };
            (
                "expected a `for each` rule".to_string(),
                "expected `for each`".to_string(),
                help,
            )
        }
    };
    mistake(MapMistake::Rule, &message, span, &label, &help)
}

/// `record_line = field | let | choose | for_each`.
#[must_use]
pub fn parse_record_line(item: Item, is_statement_head: &dyn Fn(&str) -> bool) -> RecordLine {
    let line = match item {
        Item::Field(field) => parse_field(field).map(RecordLine::Field),
        Item::Let(binding) => Ok(RecordLine::Let(parse_let(binding))),
        Item::Statement(s) if first_word(&s) == Some("choose") => {
            parse_choose(s).map(RecordLine::Choose)
        }
        Item::Statement(s) => parse_for_each(s, is_statement_head).map(RecordLine::ForEach),
        Item::Workflow(_) | Item::Param(_) => Err(mistake(
            MapMistake::Mapping,
            "a `for each` holds fields, `let`s, `choose` blocks and nested `for each` rules",
            item_span(&item),
            "not a field",
            "write `\"Field/Path\" = VALUE`",
        )),
    };
    line.unwrap_or_else(RecordLine::Invalid)
}

/// `field = STRING "=" VALUE ["if" "not" "empty" | "if" VALUE] ["default" VALUE]`; the line
/// parser has read it, and `if empty` is refused here.
pub fn parse_field(field: Field) -> Result<Field, MapSyntaxError> {
    if let Some(FieldCondition::When(Expr::Path(word))) = &field.condition
        && word.value == "empty"
    {
        return Err(mistake(
            MapMistake::FieldCondition,
            "a field's condition is `if not empty` or `if `XPATH``",
            word.span,
            "`if empty` would skip every field that has a value",
            "write `if not empty` to skip an empty value, or `if `not(normalize-space(note))`` for the opposite",
        ));
    }
    Ok(field)
}

/// `let = "let" NAME "=" VALUE`, as the line parser read it.
#[must_use]
pub fn parse_let(binding: ast::Binding) -> Let {
    Let {
        name: binding.name,
        value: binding.value,
        span: binding.span,
    }
}

fn choose_mistake(message: &str, span: Span, label: &str) -> MapSyntaxError {
    mistake(MapMistake::Choose, message, span, label, CHOICE_SHAPE)
}

/// `choose = "choose" STRING "{" when* [otherwise] "}"`.
pub fn parse_choose(statement: Statement) -> Result<Choose, MapSyntaxError> {
    starts_with(&statement, "choose");
    let args = &statement.args;
    let Some(Arg::Value(Expr::String(target))) = args.get(1) else {
        let span = args.get(1).map_or(statement.span, Arg::span);
        return Err(choose_mistake(
            "expected the field `choose` writes",
            span,
            "expected \"Field/Path\"",
        ));
    };
    if let Some(extra) = args.get(2) {
        return Err(choose_mistake(
            "unexpected after the field",
            extra.span(),
            "unexpected",
        ));
    }
    let target = target.clone();
    let Some(block) = statement.block else {
        return Err(choose_mistake(
            "this `choose` has no branches",
            statement.span,
            "no `{ … }` block",
        ));
    };
    let mut branches: Vec<Branch> = Vec::new();
    for item in block.items {
        let after_otherwise = branches.iter().any(|b| matches!(b, Branch::Otherwise(_)));
        branches.push(parse_branch(item, after_otherwise));
    }
    Ok(Choose {
        target,
        branches,
        block: block.span,
        span: statement.span,
    })
}

/// A line of a `choose` block: `when` or, last, `otherwise`.
#[must_use]
pub fn parse_branch(item: Item, after_otherwise: bool) -> Branch {
    let Item::Statement(line) = item else {
        return Branch::Invalid(choose_mistake(
            "a `choose` block holds `when` and `otherwise` lines",
            item_span(&item),
            "not a branch",
        ));
    };
    if after_otherwise {
        return Branch::Invalid(choose_mistake(
            "`otherwise` must be the last branch",
            line.span,
            "after `otherwise`",
        ));
    }
    let branch = match first_word(&line) {
        Some("otherwise") => parse_otherwise(line).map(Branch::Otherwise),
        Some("when") => parse_when(line).map(Branch::When),
        other => {
            let guess = other.and_then(|w| crate::suggest::closest(w, ["when", "otherwise"]));
            let label = guess.map_or_else(
                || "not a branch".to_string(),
                |g| format!("not a branch; did you mean `{g}`?"),
            );
            Err(choose_mistake(
                "expected `when` or `otherwise`",
                line.args.first().map_or(line.span, Arg::span),
                &label,
            ))
        }
    };
    branch.unwrap_or_else(Branch::Invalid)
}

/// A value of a branch: a bare word is a name (a param or a let).
fn branch_value(arg: Arg) -> Expr {
    match arg {
        Arg::Value(expr) => expr,
        Arg::Word(word) => Expr::Path(word),
    }
}

/// `when = "when" VALUE ["then"] VALUE`.
pub fn parse_when(line: Statement) -> Result<When, MapSyntaxError> {
    starts_with(&line, "when");
    let args = &line.args;
    if args.len() < 2 {
        return Err(choose_mistake(
            "expected the condition after `when`",
            line.span,
            "no condition",
        ));
    }
    let then = match args.get(2) {
        Some(Arg::Word(w)) if w.value == "then" => Some(w.span),
        _ => None,
    };
    let at = if then.is_some() { 3 } else { 2 };
    let one_value = |span: Span| {
        choose_mistake(
            "expected `when `XPATH` VALUE`",
            span,
            "one value after the condition",
        )
    };
    if args.len() != at + 1 {
        return Err(one_value(args.get(at + 1).map_or(line.span, Arg::span)));
    }
    let mut args = line.args.into_iter();
    let (Some(test), Some(value)) = (args.nth(1), args.last()) else {
        return Err(one_value(line.span));
    };
    Ok(When {
        test: branch_value(test),
        then,
        value: branch_value(value),
        span: line.span,
    })
}

/// `otherwise = "otherwise" VALUE`.
pub fn parse_otherwise(line: Statement) -> Result<Otherwise, MapSyntaxError> {
    starts_with(&line, "otherwise");
    let span = line.span;
    match <[Arg; 2]>::try_from(line.args) {
        Ok([_, value]) => Ok(Otherwise {
            value: branch_value(value),
            span,
        }),
        Err(_) => Err(choose_mistake(
            "expected `otherwise VALUE`",
            span,
            "one value after `otherwise`",
        )),
    }
}
