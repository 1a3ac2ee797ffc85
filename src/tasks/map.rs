//! `map FILE to FILE { for each `XPATH` as "Wrapper/Record" { "Field" = VALUE … } }`:
//! turn a shop's own XML into Connect XML with XPath field mappings.
use super::{Kind, Param, Task};
use crate::check::scope::{Const, Resolved};
use crate::check::{Args, CheckError, CheckWarning, Checker, Template, format_number};
use crate::map::{Condition, FieldRule, FieldValue, MapItem, MapSpec, RecordRule};
use crate::runtime::Counts;
use crate::runtime::{FailureKind, Outcome, RunError, Runtime, Step};
use crate::source::Span;
use crate::syntax::ast::{Arg, Expr, Field, FieldCondition, Item, Statement, StrPart};

pub struct Map;

static PARAMS: [Param; 2] = [
    Param::positional("input", Kind::Path, "the shop's XML file"),
    Param::required("to", Kind::Path, "the Connect XML file to write"),
];

const RULE_SHAPE: &str = "write `for each `XPATH` as \"Wrapper/Record\" { \"Field\" = VALUE … }`";

impl Task for Map {
    fn head(&self) -> &'static [&'static str] {
        &["map"]
    }
    fn summary(&self) -> &'static str {
        "Map a shop's XML export into Connect XML with XPath field mappings; child-step record paths stream"
    }
    fn params(&self) -> &'static [Param] {
        &PARAMS
    }
    fn takes_block(&self) -> bool {
        true
    }
    fn example(&self) -> &'static str {
        "map \"shop_orders.xml\" to \"orders.xml\" {\n    for each `/orders/order` as \"SalesOrders/SalesOrder\" {\n        \"Id\" = `@id`\n        \"Currency\" = `currency` default \"GBP\"\n        for each `items/item` as \"SalesOrderItems/Item\" {\n            \"Sku\" = `sku`\n            \"QtyOrdered\" = `qty`\n        }\n    }\n}"
    }
    fn compile(&self, args: &mut Args, cx: &mut Checker<'_>) -> Option<Box<dyn Step>> {
        let block = args.block.take()?;
        let mut rules = Vec::new();
        let mut ok = true;
        for item in &block.items {
            match item {
                Item::Statement(s) => match compile_rule(s, cx) {
                    Some(rule) => rules.push(rule),
                    None => ok = false,
                },
                other => {
                    cx.error(CheckError::InvalidMapping {
                        message: "a `map` block holds `for each` rules".into(),
                        span: item_span(other).into(),
                        label: "expected `for each` here".into(),
                        help: RULE_SHAPE.into(),
                    });
                    ok = false;
                }
            }
        }
        if rules.is_empty() && ok {
            cx.error(CheckError::InvalidMapping {
                message: "this `map` block maps nothing".into(),
                span: block.span.into(),
                label: "empty".into(),
                help: RULE_SHAPE.into(),
            });
            return None;
        }
        if !ok {
            return None;
        }
        Some(Box::new(MapStep {
            input: args.text("input")?,
            output: args.text("to")?,
            spec: MapSpec { rules },
            span: args.head_span,
        }))
    }
}

fn item_span(item: &Item) -> Span {
    match item {
        Item::Workflow(w) => w.span,
        Item::Param(b) | Item::Let(b) => b.span,
        Item::Statement(s) => s.span,
        Item::Field(f) => f.span,
    }
}

/// `for each `XPATH` as "Wrapper/Record" { … }`.
fn compile_rule(statement: &Statement, cx: &mut Checker<'_>) -> Option<RecordRule> {
    let bad = |cx: &mut Checker<'_>, span: Span, label: &str| {
        cx.error(CheckError::InvalidMapping {
            message: "expected a `for each` rule".into(),
            span: span.into(),
            label: label.into(),
            help: RULE_SHAPE.into(),
        });
        None
    };
    let args = &statement.args;
    let word = |i: usize, w: &str| matches!(args.get(i), Some(Arg::Word(x)) if x.value == w);
    if !(word(0, "for") && word(1, "each")) {
        let span = args.first().map_or(statement.span, Arg::span);
        return bad(cx, span, "expected `for each`");
    }
    let Some(Arg::Value(Expr::XPath {
        text,
        text_span,
        span: xpath_span,
    })) = args.get(2)
    else {
        let span = args.get(2).map_or(args[1].span(), Arg::span);
        return bad(
            cx,
            span,
            "expected the XPath that selects the records, in backticks",
        );
    };
    if !word(3, "as") {
        let span = args.get(3).map_or(*xpath_span, Arg::span);
        return bad(cx, span, "expected `as \"Wrapper/Record\"`");
    }
    let Some(Arg::Value(Expr::String(target))) = args.get(4) else {
        let span = args.get(4).map_or(args[3].span(), Arg::span);
        return bad(
            cx,
            span,
            "expected the target, e.g. \"SalesOrders/SalesOrder\"",
        );
    };
    if let Some(extra) = args.get(5) {
        return bad(cx, extra.span(), "unexpected after the target");
    }
    let select = match crate::xpath::compile(text) {
        Ok(x) => x,
        Err(e) => {
            cx.error(CheckError::invalid_xpath(&e, *text_span));
            return None;
        }
    };
    if let Some(found) = select.scalar_result() {
        cx.error(CheckError::XPathNotNodes {
            found: found.to_string(),
            purpose: "map".into(),
            span: (*text_span).into(),
        });
        return None;
    }
    let target = target_path(target, cx)?;
    if target.len() < 2 {
        cx.error(CheckError::InvalidMapping {
            message: "the target needs a wrapper and a record element".into(),
            span: target_span(args).into(),
            label: "e.g. \"SalesOrders/SalesOrder\"".into(),
            help: "records are written as `<Wrapper><Record>…</Record></Wrapper>`, as Connect XML collections are".into(),
        });
        return None;
    }
    let record = target.last().cloned().unwrap_or_default();
    let Some(block) = &statement.block else {
        cx.error(CheckError::InvalidMapping {
            message: "this `for each` has no fields".into(),
            span: statement.span.into(),
            label: "no `{ … }` block".into(),
            help: RULE_SHAPE.into(),
        });
        return None;
    };
    let mut items = Vec::new();
    let mut ok = true;
    for item in &block.items {
        match item {
            Item::Field(field) => match compile_field(field, &record, cx) {
                Some(f) => items.push(MapItem::Field(f)),
                None => ok = false,
            },
            Item::Statement(s) => match compile_rule(s, cx) {
                Some(rule) => items.push(MapItem::Each(rule)),
                None => ok = false,
            },
            other => {
                cx.error(CheckError::InvalidMapping {
                    message: "a `for each` holds fields and nested `for each` rules".into(),
                    span: item_span(other).into(),
                    label: "not a field".into(),
                    help: "write `\"Field/Path\" = VALUE`".into(),
                });
                ok = false;
            }
        }
    }
    ok.then_some(RecordRule {
        select,
        target,
        items,
    })
}

fn target_span(args: &[Arg]) -> Span {
    args.get(4).map_or_else(Span::default, Arg::span)
}

/// `"A/B/C"` as its segments, each a valid element name.
fn target_path(
    target: &crate::syntax::ast::StringLit,
    cx: &mut Checker<'_>,
) -> Option<Vec<String>> {
    let text = match target.parts.as_slice() {
        [StrPart::Text(t)] => t.clone(),
        _ => {
            cx.error(CheckError::InvalidMapping {
                message: "a target path must be fixed text".into(),
                span: target.span.into(),
                label: "uses `${…}`".into(),
                help: "write the element path literally, e.g. \"SalesOrderAddress/Town\"".into(),
            });
            return None;
        }
    };
    let segments: Vec<String> = text.split('/').map(str::to_string).collect();
    let valid = |s: &str| {
        let mut chars = s.chars();
        chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
            && chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
    };
    if let Some(bad) = segments.iter().find(|s| !valid(s)) {
        cx.error(CheckError::InvalidMapping {
            message: format!("`{bad}` is not an element name"),
            span: target.span.into(),
            label: "invalid target".into(),
            help: "a target is element names separated by `/`, e.g. \"SalesOrderAddress/Town\""
                .into(),
        });
        return None;
    }
    Some(segments)
}

fn compile_field(field: &Field, record: &str, cx: &mut Checker<'_>) -> Option<FieldRule> {
    let target = target_path(&field.target, cx)?;
    if let Some(help) = crate::map::check_target(record, &target) {
        cx.warn(CheckWarning::UnknownTarget {
            field: target.join("/"),
            record: record.to_string(),
            span: field.target.span.into(),
            help,
        });
    }
    let value = field_value(&field.value, cx)?;
    let default = match &field.default {
        Some(d) => Some(field_value(d, cx)?),
        None => None,
    };
    let condition = match &field.condition {
        None => Condition::Always,
        Some(FieldCondition::NotEmpty(_)) => Condition::NotEmpty,
        Some(FieldCondition::When(expr)) => match field_value(expr, cx)? {
            FieldValue::XPath(x) => Condition::When(x),
            FieldValue::Text(_) => {
                cx.error(CheckError::InvalidMapping {
                    message: "a condition must be an XPath".into(),
                    span: expr.span().into(),
                    label: "not an XPath".into(),
                    help: "write `if `price > 0`` or `if not empty`".into(),
                });
                return None;
            }
        },
    };
    Some(FieldRule {
        target,
        value,
        condition,
        default,
    })
}

/// An XPath, or text known before the run (a literal, a number, a param or a let).
fn field_value(expr: &Expr, cx: &mut Checker<'_>) -> Option<FieldValue> {
    match cx.resolve(expr)? {
        Resolved::Const(Const::XPath { text, text_span }) => match crate::xpath::compile(&text) {
            Ok(x) => Some(FieldValue::XPath(x)),
            Err(e) => {
                cx.error(CheckError::invalid_xpath(&e, text_span));
                None
            }
        },
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

#[derive(Debug)]
struct MapStep {
    input: Template,
    output: Template,
    spec: MapSpec,
    span: Span,
}

impl Step for MapStep {
    fn run(&self, rt: &mut Runtime<'_>) -> Result<Outcome, RunError> {
        let input = rt.path(&self.input)?;
        let output = rt.path(&self.output)?;
        if !input.is_file() {
            return Err(RunError::not_found(
                &input,
                self.input.span,
                "the file to map",
            ));
        }
        let report = crate::map::map_file(&input, &self.spec, &output).map_err(|e| {
            let (kind, span, label) = if e.is_not_found() {
                (
                    FailureKind::NotFound,
                    self.input.span,
                    "this file is missing",
                )
            } else {
                (FailureKind::Fail, self.span, "while mapping")
            };
            RunError::from_diagnostic(&e, kind, span, label)
        })?;
        let mode = if report.streamed { "streamed" } else { "tree" };
        let n = report.records;
        let detail = format!(
            "{n} record{} → {} ({mode})",
            if n == 1 { "" } else { "s" },
            rt.show(&output)
        );
        let outcome = if n == 0 {
            Outcome::no_data(detail)
        } else {
            Outcome::success(detail)
        };
        Ok(outcome.with_counts(Counts {
            input: n,
            output: n,
            failed: 0,
        }))
    }
}

/// The mappings of a checked program's top-level `map` statements, in script order: the
/// specs the runtime will execute, for tests and tools that drive the engine directly.
#[must_use]
pub fn map_specs(program: &crate::check::Program) -> Vec<&MapSpec> {
    program
        .statements
        .iter()
        .filter_map(|statement| {
            let step: &dyn std::any::Any = statement.step.as_ref();
            step.downcast_ref::<MapStep>().map(|m| &m.spec)
        })
        .collect()
}
