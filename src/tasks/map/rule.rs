//! Checking one `for each [distinct `KEY` in] `XPATH` [sorted by `KEY` …] as "Wrapper/Record" { … }` block and its lines: fields, lets, choices, nested rules.

use super::mistake::{Mistake, invalid, report};
use super::names::MapNames;
use super::target::target_path;
use crate::check::scope::{Const, Resolved};
use crate::check::{CheckError, CheckWarning, Checker, format_number};
use crate::map::{
    ChoiceRule, Condition, FieldRule, FieldValue, LetRule, MapItem, RecordRule, SortKey,
};
use crate::source::Span;
use crate::syntax::ast::Expr;
use crate::syntax::map_block::{
    Branch, CHOICE_SHAPE, Choose, Field, FieldCondition, ForEach, Let, RecordLine,
};
use crate::xpath::{VarType, XPath};

/// `for each …` at the top of a `map` block or inside a record (of type `parent`).
pub(super) fn compile_rule(
    rule: &ForEach,
    parent: Option<&str>,
    names: &mut MapNames,
    cx: &mut Checker<'_>,
) -> Option<RecordRule> {
    let select = names.compile(&rule.select.text, rule.select.text_span, cx)?;
    if let Some(found) = select.scalar_result() {
        cx.error(CheckError::XPathNotNodes {
            found: found.to_string(),
            purpose: "map".into(),
            span: rule.select.text_span.into(),
        });
        return None;
    }
    if let Some(found) = select.non_element_result() {
        cx.error(CheckError::XPathNotElements {
            found: found.into(),
            purpose: "map".into(),
            span: rule.select.text_span.into(),
        });
        return None;
    }
    let distinct = match &rule.distinct {
        Some(distinct) => Some(names.compile(&distinct.key.text, distinct.key.text_span, cx)?),
        None => None,
    };
    let sort = match &rule.sort {
        Some(sort) => Some(SortKey {
            key: names.compile(&sort.key.text, sort.key.text_span, cx)?,
            numeric: sort.numeric.is_some(),
            descending: sort.descending(),
        }),
        None => None,
    };
    let target = target_path(&rule.target, false, cx)?;
    if let Some(parent) = parent {
        warn_unknown_target(parent, &target, rule.target.span, cx);
    }
    let record = target.last().cloned().unwrap_or_default();
    let mark = names.lets.len();
    let items = compile_items(&rule.body, &record, names, cx);
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
    lines: &[RecordLine],
    record: &str,
    names: &mut MapNames,
    cx: &mut Checker<'_>,
) -> Option<Vec<MapItem>> {
    let mut out = Vec::new();
    let mut ok = true;
    for line in lines {
        let compiled = match line {
            RecordLine::Field(field) => compile_field(field, record, names, cx).map(MapItem::Field),
            RecordLine::Let(binding) => compile_let(binding, names, cx).map(MapItem::Let),
            RecordLine::Choose(choose) => {
                compile_choice(choose, record, names, cx).map(MapItem::Choice)
            }
            RecordLine::ForEach(rule) => {
                compile_rule(rule, Some(record), names, cx).map(MapItem::Each)
            }
            RecordLine::Invalid(mistake) => {
                report(cx, mistake);
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

/// `let NAME = VALUE`: the value once per record, `$NAME` in the XPaths after it.
fn compile_let(binding: &Let, names: &mut MapNames, cx: &mut Checker<'_>) -> Option<LetRule> {
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
    choose: &Choose,
    record: &str,
    names: &mut MapNames,
    cx: &mut Checker<'_>,
) -> Option<ChoiceRule> {
    let target = target_path(&choose.target, true, cx)?;
    warn_unknown_target(record, &target, choose.target.span, cx);
    let mut branches = Vec::new();
    let mut otherwise = None;
    let mut ok = true;
    for branch in &choose.branches {
        match branch {
            Branch::When(when) => {
                let test = condition(&when.test, names, cx);
                match (test, field_value(&when.value, names, cx)) {
                    (Some(test), Some(value)) => branches.push((test, value)),
                    _ => ok = false,
                }
            }
            Branch::Otherwise(line) => match field_value(&line.value, names, cx) {
                Some(value) => otherwise = Some(value),
                None => ok = false,
            },
            Branch::Invalid(mistake) => {
                report(cx, mistake);
                ok = false;
            }
        }
    }
    if ok && branches.is_empty() {
        invalid(
            cx,
            Mistake::Choose,
            "this `choose` has no `when` branch",
            choose.block,
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
