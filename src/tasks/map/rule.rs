//! Checking one `for each [distinct `KEY` in] `XPATH` [sorted by `KEY` …] as "Wrapper/Record" { … }` block and its lines: fields, lets, choices, nested rules.

use super::mistake::{Mistake, invalid};
use super::names::MapNames;
use super::target::{item_span, target_path};
use crate::check::scope::{Const, Resolved};
use crate::check::{CheckError, CheckWarning, Checker, format_number};
use crate::map::{
    ChoiceRule, Condition, FieldRule, FieldValue, LetRule, MapItem, RecordRule, SortKey,
};
use crate::source::{Span, Spanned};
use crate::syntax::ast::{Arg, Binding, Expr, Field, FieldCondition, Item, Statement};
use crate::xpath::{VarType, XPath};

pub(super) const RULE_SHAPE: &str =
    "write `for each `XPATH` as \"Wrapper/Record\" { \"Field\" = VALUE … }`";

const SORT_SHAPE: &str = "write `sorted by `KEY`` then, if wanted, `numeric` and `ascending` or `descending`, before `as`";

const CHOICE_SHAPE: &str = "write `choose \"Field\" { when `XPATH` VALUE … otherwise VALUE }`";

/// The parts of a `for each` head.
struct Head<'s> {
    select: (&'s str, Span),
    distinct: Option<(&'s str, Span)>,
    sort: Option<SortHead<'s>>,
    target: &'s crate::syntax::ast::StringLit,
}

/// `sorted by `KEY` [numeric] [ascending|descending]`.
struct SortHead<'s> {
    key: (&'s str, Span),
    numeric: bool,
    descending: bool,
}

/// Reads `for each [distinct `KEY` in] `XPATH` [sorted by `KEY` …] as "TARGET"` from the
/// statement's words.
fn head<'s>(statement: &'s Statement, cx: &mut Checker<'_>) -> Option<Head<'s>> {
    let args = &statement.args;
    let bad = |cx: &mut Checker<'_>, span: Span, label: &str| {
        invalid(
            cx,
            Mistake::Rule,
            "expected a `for each` rule",
            span,
            label,
            RULE_SHAPE,
        );
        None
    };
    let word = |i: usize, w: &str| matches!(args.get(i), Some(Arg::Word(x)) if x.value == w);
    let xpath_at = |i: usize| match args.get(i) {
        Some(Arg::Value(Expr::XPath {
            text, text_span, ..
        })) => Some((text.as_str(), *text_span)),
        _ => None,
    };
    let span_at = |i: usize| {
        args.get(i)
            .or_else(|| args.last())
            .map_or(statement.span, Arg::span)
    };
    if !(word(0, "for") && word(1, "each")) {
        not_a_rule(statement, cx);
        return None;
    }
    let mut at = 2;
    let mut distinct = None;
    if word(2, "distinct") {
        let Some(key) = xpath_at(3) else {
            return bad(
                cx,
                span_at(3),
                "expected the key, e.g. `customer/email`, in backticks",
            );
        };
        if !word(4, "in") {
            return bad(cx, span_at(4), "expected `in` and the records' XPath");
        }
        distinct = Some(key);
        at = 5;
    }
    let Some(select) = xpath_at(at) else {
        return bad(
            cx,
            span_at(at),
            "expected the XPath that selects the records, in backticks",
        );
    };
    let mut sort = None;
    if word(at + 1, "sorted") {
        if !word(at + 2, "by") {
            return bad(cx, span_at(at + 2), "expected `by` and the sort key");
        }
        let Some(key) = xpath_at(at + 3) else {
            return bad(
                cx,
                span_at(at + 3),
                "expected the sort key, e.g. `sku`, in backticks",
            );
        };
        let mut head = SortHead {
            key,
            numeric: false,
            descending: false,
        };
        let mut order_given = false;
        at += 4;
        loop {
            match args.get(at) {
                Some(Arg::Word(w)) if w.value == "numeric" && !head.numeric => head.numeric = true,
                Some(Arg::Word(w))
                    if matches!(w.value.as_str(), "ascending" | "descending") && !order_given =>
                {
                    order_given = true;
                    head.descending = w.value == "descending";
                }
                Some(Arg::Word(w)) if w.value == "as" => break,
                other => {
                    let label = match other {
                        Some(Arg::Word(w)) => crate::suggest::closest(
                            &w.value,
                            ["numeric", "ascending", "descending", "as"],
                        )
                        .map_or_else(
                            || "not a sort option".to_string(),
                            |c| format!("not a sort option; did you mean `{c}`?"),
                        ),
                        _ => "not a sort option".to_string(),
                    };
                    invalid(
                        cx,
                        Mistake::Rule,
                        "expected `numeric`, `ascending`, `descending` or `as` after the sort key",
                        span_at(at),
                        &label,
                        SORT_SHAPE,
                    );
                    return None;
                }
            }
            at += 1;
        }
        at -= 1;
        sort = Some(head);
    }
    if !word(at + 1, "as") {
        return bad(cx, span_at(at + 1), "expected `as \"Wrapper/Record\"`");
    }
    let Some(Arg::Value(Expr::String(target))) = args.get(at + 2) else {
        return bad(
            cx,
            span_at(at + 2),
            "expected the target, e.g. \"SalesOrders/SalesOrder\"",
        );
    };
    if let Some(extra) = args.get(at + 3) {
        return bad(cx, extra.span(), "unexpected after the target");
    }
    Some(Head {
        select,
        distinct,
        sort,
        target,
    })
}

/// Explains a line of a `map` block that is not a `for each` rule by what it looks like:
/// `foreach`, an option of the `map` line, a statement, a field with `==`.
fn not_a_rule(statement: &Statement, cx: &mut Checker<'_>) {
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
            invalid(
                cx,
                Mistake::Field,
                "expected a field: `\"Field\" = VALUE`",
                span,
                "expected `=`",
                help,
            );
            return;
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
        "lookup" | "root" | "namespace" => (
            format!("`{first}` belongs at the top of the `map` block"),
            "not at the top of the block".to_string(),
            format!("move the `{first}` line above the first `for each` rule"),
        ),
        word if crate::tasks::is_statement_head(word) => (
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
    invalid(cx, Mistake::Rule, &message, span, &label, &help);
}

/// `for each …` at the top of a `map` block or inside a record (of type `parent`).
pub(super) fn compile_rule(
    statement: &Statement,
    parent: Option<&str>,
    names: &mut MapNames,
    cx: &mut Checker<'_>,
) -> Option<RecordRule> {
    let head = head(statement, cx)?;
    let select = names.compile(head.select.0, head.select.1, cx)?;
    if let Some(found) = select.scalar_result() {
        cx.error(CheckError::XPathNotNodes {
            found: found.to_string(),
            purpose: "map".into(),
            span: head.select.1.into(),
        });
        return None;
    }
    if let Some(found) = select.non_element_result() {
        cx.error(CheckError::XPathNotElements {
            found: found.into(),
            purpose: "map".into(),
            span: head.select.1.into(),
        });
        return None;
    }
    let distinct = match head.distinct {
        Some((text, span)) => Some(names.compile(text, span, cx)?),
        None => None,
    };
    let sort = match head.sort {
        Some(sort) => Some(SortKey {
            key: names.compile(sort.key.0, sort.key.1, cx)?,
            numeric: sort.numeric,
            descending: sort.descending,
        }),
        None => None,
    };
    let target = target_path(head.target, false, cx)?;
    if let Some(parent) = parent {
        warn_unknown_target(parent, &target, head.target.span, cx);
    }
    let Some(block) = &statement.block else {
        invalid(
            cx,
            Mistake::Mapping,
            "this `for each` has no fields",
            statement.span,
            "no `{ … }` block",
            RULE_SHAPE,
        );
        return None;
    };
    let record = target.last().cloned().unwrap_or_default();
    let mark = names.lets.len();
    let items = compile_items(&block.items, &record, names, cx);
    names.lets.truncate(mark);
    Some(RecordRule {
        select,
        distinct,
        sort,
        target,
        items: items?,
    })
}

/// The lines of a `for each` block; `None` when any of them is wrong (all are checked).
fn compile_items(
    items: &[Item],
    record: &str,
    names: &mut MapNames,
    cx: &mut Checker<'_>,
) -> Option<Vec<MapItem>> {
    let mut out = Vec::new();
    let mut ok = true;
    for item in items {
        let compiled = match item {
            Item::Field(field) => compile_field(field, record, names, cx).map(MapItem::Field),
            Item::Let(binding) => compile_let(binding, names, cx).map(MapItem::Let),
            Item::Statement(s) if is_word(s.args.first(), "choose") => {
                compile_choice(s, record, names, cx).map(MapItem::Choice)
            }
            Item::Statement(s) => compile_rule(s, Some(record), names, cx).map(MapItem::Each),
            other => {
                invalid(
                    cx,
                    Mistake::Mapping,
                    "a `for each` holds fields, `let`s, `choose` blocks and nested `for each` rules",
                    item_span(other),
                    "not a field",
                    "write `\"Field/Path\" = VALUE`",
                );
                None
            }
        };
        match compiled {
            Some(item) => out.push(item),
            None => ok = false,
        }
    }
    ok.then_some(out)
}

fn is_word(arg: Option<&Arg>, word: &str) -> bool {
    matches!(arg, Some(Arg::Word(w)) if w.value == word)
}

/// `let NAME = VALUE`: the value once per record, `$NAME` in the XPaths after it.
fn compile_let(binding: &Binding, names: &mut MapNames, cx: &mut Checker<'_>) -> Option<LetRule> {
    let value = field_value(&binding.value, names, cx)?;
    let kind = match &value {
        FieldValue::XPath(xpath) => VarType::of(xpath),
        FieldValue::Text(_) => VarType::String,
    };
    names.lets.push((binding.name.value.clone(), kind));
    Some(LetRule {
        name: binding.name.value.clone(),
        value,
    })
}

fn compile_field(
    field: &Field,
    record: &str,
    names: &mut MapNames,
    cx: &mut Checker<'_>,
) -> Option<FieldRule> {
    let target = target_path(&field.target, true, cx)?;
    warn_unknown_target(record, &target, field.target.span, cx);
    let value = field_value(&field.value, names, cx);
    let default = match &field.default {
        Some(d) => Some(field_value(d, names, cx)?),
        None => None,
    };
    let condition = match &field.condition {
        None => Condition::Always,
        Some(FieldCondition::NotEmpty(_)) => Condition::NotEmpty,
        Some(FieldCondition::When(Expr::Path(word))) if word.value == "empty" => {
            invalid(
                cx,
                Mistake::FieldCondition,
                "a field's condition is `if not empty` or `if `XPATH``",
                word.span,
                "`if empty` would skip every field that has a value",
                "write `if not empty` to skip an empty value, or `if `not(normalize-space(note))`` for the opposite",
            );
            return None;
        }
        Some(FieldCondition::When(expr)) => Condition::When(condition(expr, names, cx)?),
    };
    Some(FieldRule {
        target,
        value: value?,
        condition,
        default,
    })
}

fn warn_unknown_target(record: &str, target: &[String], span: Span, cx: &mut Checker<'_>) {
    if target.iter().any(|t| t.starts_with('@') || t.contains(':')) {
        return;
    }
    // `"CustomerInvoiceAddress.Town"`: a path written with dots.
    if target.iter().any(|t| t.contains('.')) {
        let split: Vec<String> = target
            .iter()
            .flat_map(|t| t.split('.'))
            .map(str::to_string)
            .collect();
        if crate::map::check_target(record, &split).is_none()
            && crate::map::check_target(record, target).is_some()
        {
            cx.warn(CheckWarning::UnknownTarget {
                field: target.join("/"),
                record: record.to_string(),
                span: span.into(),
                help: format!(
                    "the names of a target are separated by `/`, not `.`: write \"{}\"",
                    split.join("/")
                ),
            });
            return;
        }
    }
    if let Some(help) = crate::map::check_target(record, target) {
        cx.warn(CheckWarning::UnknownTarget {
            field: target.join("/"),
            record: record.to_string(),
            span: span.into(),
            help,
        });
    }
}

/// An `if` or `when` condition: an XPath.
fn condition(expr: &Expr, names: &mut MapNames, cx: &mut Checker<'_>) -> Option<XPath> {
    match field_value(expr, names, cx)? {
        FieldValue::XPath(x) => Some(x),
        FieldValue::Text(_) => {
            invalid(
                cx,
                Mistake::FieldCondition,
                "a condition must be an XPath",
                expr.span(),
                "not an XPath",
                "write `if `price > 0`` or `if not empty`",
            );
            None
        }
    }
}

/// `choose "Target" { when `XPATH` [then] VALUE … [otherwise VALUE] }`.
fn compile_choice(
    statement: &Statement,
    record: &str,
    names: &mut MapNames,
    cx: &mut Checker<'_>,
) -> Option<ChoiceRule> {
    let Some(Arg::Value(Expr::String(target_lit))) = statement.args.get(1) else {
        let span = statement.args.get(1).map_or(statement.span, Arg::span);
        invalid(
            cx,
            Mistake::Choose,
            "expected the field `choose` writes",
            span,
            "expected \"Field/Path\"",
            CHOICE_SHAPE,
        );
        return None;
    };
    if let Some(extra) = statement.args.get(2) {
        invalid(
            cx,
            Mistake::Choose,
            "unexpected after the field",
            extra.span(),
            "unexpected",
            CHOICE_SHAPE,
        );
        return None;
    }
    let target = target_path(target_lit, true, cx)?;
    warn_unknown_target(record, &target, target_lit.span, cx);
    let Some(block) = &statement.block else {
        invalid(
            cx,
            Mistake::Choose,
            "this `choose` has no branches",
            statement.span,
            "no `{ … }` block",
            CHOICE_SHAPE,
        );
        return None;
    };
    let mut branches = Vec::new();
    let mut otherwise = None;
    let mut ok = true;
    for item in &block.items {
        match branch(item, otherwise.is_some(), names, cx) {
            Some(Branch::When(test, value)) => branches.push((test, value)),
            Some(Branch::Otherwise(value)) => otherwise = Some(value),
            None => ok = false,
        }
    }
    if ok && branches.is_empty() {
        invalid(
            cx,
            Mistake::Choose,
            "this `choose` has no `when` branch",
            block.span,
            "no `when`",
            CHOICE_SHAPE,
        );
        return None;
    }
    ok.then_some(ChoiceRule {
        target,
        branches,
        otherwise,
    })
}

enum Branch {
    When(XPath, FieldValue),
    Otherwise(FieldValue),
}

/// One line of a `choose` block.
fn branch(
    item: &Item,
    after_otherwise: bool,
    names: &mut MapNames,
    cx: &mut Checker<'_>,
) -> Option<Branch> {
    let Item::Statement(line) = item else {
        invalid(
            cx,
            Mistake::Choose,
            "a `choose` block holds `when` and `otherwise` lines",
            item_span(item),
            "not a branch",
            CHOICE_SHAPE,
        );
        return None;
    };
    let args = &line.args;
    if after_otherwise {
        invalid(
            cx,
            Mistake::Choose,
            "`otherwise` must be the last branch",
            line.span,
            "after `otherwise`",
            CHOICE_SHAPE,
        );
        return None;
    }
    let value_at = |i: usize| -> Option<Expr> {
        match args.get(i)? {
            Arg::Value(expr) => Some(expr.clone()),
            Arg::Word(word) => Some(Expr::Path(Spanned::new(word.value.clone(), word.span))),
        }
    };
    if is_word(args.first(), "otherwise") {
        let (Some(value), None) = (value_at(1), args.get(2)) else {
            invalid(
                cx,
                Mistake::Choose,
                "expected `otherwise VALUE`",
                line.span,
                "one value after `otherwise`",
                CHOICE_SHAPE,
            );
            return None;
        };
        return Some(Branch::Otherwise(field_value(&value, names, cx)?));
    }
    if !is_word(args.first(), "when") {
        let span = args.first().map_or(line.span, Arg::span);
        invalid(
            cx,
            Mistake::Choose,
            "expected `when` or `otherwise`",
            span,
            "not a branch",
            CHOICE_SHAPE,
        );
        return None;
    }
    let Some(test) = value_at(1) else {
        invalid(
            cx,
            Mistake::Choose,
            "expected the condition after `when`",
            line.span,
            "no condition",
            CHOICE_SHAPE,
        );
        return None;
    };
    let at = if is_word(args.get(2), "then") { 3 } else { 2 };
    let (Some(value), None) = (value_at(at), args.get(at + 1)) else {
        let span = args.get(at + 1).map_or(line.span, Arg::span);
        invalid(
            cx,
            Mistake::Choose,
            "expected `when `XPATH` VALUE`",
            span,
            "one value after the condition",
            CHOICE_SHAPE,
        );
        return None;
    };
    let test = condition(&test, names, cx);
    let value = field_value(&value, names, cx)?;
    Some(Branch::When(test?, value))
}

/// An XPath, or text known before the run (a literal, a number, a param or a let).
pub(super) fn field_value(
    expr: &Expr,
    names: &mut MapNames,
    cx: &mut Checker<'_>,
) -> Option<FieldValue> {
    if let Expr::XPath {
        text, text_span, ..
    } = expr
    {
        return names.compile(text, *text_span, cx).map(FieldValue::XPath);
    }
    if let Expr::Path(word) = expr
        && !word.value.contains('.')
        && !cx.has_var(&word.value)
        && !matches!(word.value.as_str(), "true" | "false")
    {
        invalid(
            cx,
            Mistake::UnknownName,
            &format!("`{}` is not a param or a `let`", word.value),
            word.span,
            "unknown name",
            &format!(
                "an XPath goes between backticks: `{0}`; text between double quotes: \"{0}\"",
                word.value
            ),
        );
        return None;
    }
    match cx.resolve(expr)? {
        Resolved::Const(Const::XPath { text, text_span }) => {
            names.compile(&text, text_span, cx).map(FieldValue::XPath)
        }
        Resolved::Const(Const::Text(t)) => Some(FieldValue::Text(t)),
        Resolved::Const(Const::Number(n)) => Some(FieldValue::Text(format_number(n))),
        Resolved::Const(Const::Bool(b)) => Some(FieldValue::Text(b.to_string())),
        Resolved::Const(Const::Duration(_)) | Resolved::Template(_) => {
            cx.error(CheckError::NotConstant {
                option: "a mapped field".into(),
                span: expr.span().into(),
            });
            None
        }
    }
}
