//! Checking the lines at the top of a `map` block: `lookup`, `root`, `namespace` and the `for each` rules.

use super::mistake::{Mistake, invalid};
use super::names::MapNames;
use super::rule::{RULE_SHAPE, compile_rule};
use super::target::{is_name, item_span};
use crate::check::scope::{Const, Resolved};
use crate::check::{CheckError, Checker, Template};
use crate::map::{Lookup, LookupFormat, MapItem, MapSpec, OutputShape, RecordRule, XmlTable};
use crate::source::Span;
use crate::syntax::ast::{Arg, Block, Expr, Item, Statement};
use crate::xpath::XPath;

const LOOKUP_SHAPE: &str = "write `lookup \"countries.csv\" as countries [key \"Column\" value \"Column\"]` or `lookup \"codes.xml\" as codes [by `/codes/code` key `@from` value `@to`]`";

/// A checked `map` block: the spec and the lookup tables' file names, resolved per run.
pub(super) struct CheckedBlock {
    pub(super) spec: MapSpec,
    pub(super) lookup_files: Vec<Template>,
}

fn word_is(arg: Option<&Arg>, word: &str) -> bool {
    matches!(arg, Some(Arg::Word(w)) if w.value == word)
}

/// Checks every line of the block; `None` when any is wrong.
pub(super) fn check_block(block: &Block, cx: &mut Checker<'_>) -> Option<CheckedBlock> {
    let mut names = MapNames::default();
    let mut spec = MapSpec::new(Vec::new());
    let mut lookup_files = Vec::new();
    let mut ok = true;
    for item in &block.items {
        let Item::Statement(statement) = item else {
            invalid(
                cx,
                Mistake::Mapping,
                "a `map` block holds `for each` rules",
                item_span(item),
                "expected `for each` here",
                RULE_SHAPE,
            );
            ok = false;
            continue;
        };
        let line_ok = match statement.args.first() {
            Some(Arg::Word(w)) if w.value == "lookup" => match lookup(statement, &mut names, cx) {
                Some((lookup, file)) => {
                    spec.lookups.push(lookup);
                    lookup_files.push(file);
                    true
                }
                None => false,
            },
            Some(Arg::Word(w)) if w.value == "root" => root(statement, &mut spec.shape, cx),
            Some(Arg::Word(w)) if w.value == "namespace" => {
                namespace(statement, &mut spec.shape, cx)
            }
            _ => match compile_rule(statement, None, &mut names, cx) {
                Some(rule) => {
                    spec.rules.push(rule);
                    true
                }
                None => false,
            },
        };
        ok &= line_ok;
    }
    if !ok {
        return None;
    }
    if spec.rules.is_empty() {
        invalid(
            cx,
            Mistake::Mapping,
            "this `map` block maps nothing",
            block.span,
            "empty",
            RULE_SHAPE,
        );
        return None;
    }
    if let Some(prefix) = undeclared_prefix(&spec) {
        let span = prefixed_target(&block.items, &prefix).unwrap_or(block.span);
        invalid(
            cx,
            Mistake::UndeclaredPrefix,
            &format!("the prefix `{prefix}` is not declared"),
            span,
            "this prefix has no `namespace` line",
            &format!("declare it at the top of the block: `namespace {prefix} \"URI\"`"),
        );
        return None;
    }
    spec.constants = names.constants;
    Some(CheckedBlock { spec, lookup_files })
}

/// The span of the first target (of a field or a `for each`) that uses `prefix`.
fn prefixed_target(items: &[Item], prefix: &str) -> Option<Span> {
    let uses = |text: &crate::syntax::ast::StringLit| {
        text.parts.iter().any(|part| match part {
            crate::syntax::ast::StrPart::Text(t) => t.split('/').any(|name| {
                name.trim_start_matches('@')
                    .split_once(':')
                    .is_some_and(|(p, _)| p == prefix)
            }),
            crate::syntax::ast::StrPart::Interp(_) => false,
        })
    };
    items.iter().find_map(|item| match item {
        Item::Field(field) => uses(&field.target).then_some(field.target.span),
        Item::Statement(statement) => statement
            .args
            .iter()
            .find_map(|arg| match arg {
                Arg::Value(Expr::String(s)) if uses(s) => Some(s.span),
                _ => None,
            })
            .or_else(|| {
                statement
                    .block
                    .as_ref()
                    .and_then(|b| prefixed_target(&b.items, prefix))
            }),
        _ => None,
    })
}

/// The first prefix a target uses that no `namespace` line declares.
fn undeclared_prefix(spec: &MapSpec) -> Option<String> {
    fn targets<'s>(rules: &'s [RecordRule], out: &mut Vec<&'s [String]>) {
        for rule in rules {
            out.push(&rule.target);
            for item in &rule.items {
                match item {
                    MapItem::Field(f) => out.push(&f.target),
                    MapItem::Choice(c) => out.push(&c.target),
                    MapItem::Each(r) => targets(std::slice::from_ref(r), out),
                    MapItem::Let(_) => {}
                }
            }
        }
    }
    let mut all = Vec::new();
    targets(&spec.rules, &mut all);
    let root = spec.shape.root.iter().map(std::slice::from_ref);
    root.chain(all)
        .flatten()
        .filter_map(|name| name.trim_start_matches('@').split_once(':'))
        .map(|(prefix, _)| prefix)
        .find(|prefix| {
            !spec
                .shape
                .namespaces
                .iter()
                .any(|(p, _)| p.as_deref() == Some(*prefix))
        })
        .map(str::to_owned)
}

/// A fixed text argument.
fn text_arg(arg: Option<&Arg>, cx: &mut Checker<'_>) -> Option<String> {
    let Some(Arg::Value(expr)) = arg else {
        return None;
    };
    match cx.resolve(expr)? {
        Resolved::Const(Const::Text(text)) => Some(text),
        _ => None,
    }
}

/// `root "name"`: the output's root element instead of `<Company>`.
fn root(statement: &Statement, shape: &mut OutputShape, cx: &mut Checker<'_>) -> bool {
    let args = &statement.args;
    let name = text_arg(args.get(1), cx).filter(|n| is_name(n));
    match (name, args.get(2)) {
        (Some(name), None) if shape.root.is_none() => {
            shape.root = Some(name);
            true
        }
        (Some(_), None) => {
            invalid(
                cx,
                Mistake::RootOrNamespace,
                "a second `root`",
                statement.span,
                "the root is already set",
                "a document has one root element",
            );
            false
        }
        _ => {
            invalid(
                cx,
                Mistake::RootOrNamespace,
                "expected `root \"NAME\"`",
                statement.span,
                "the output's root element name",
                "write e.g. `root \"catalog\"`; without `root` the output is Connect XML's `<Company>`",
            );
            false
        }
    }
}

/// `namespace "URI"` (the default namespace) or `namespace PREFIX "URI"`, declared on the root.
fn namespace(statement: &Statement, shape: &mut OutputShape, cx: &mut Checker<'_>) -> bool {
    let args = &statement.args;
    let (prefix, uri_at) = match args.get(1) {
        Some(Arg::Word(w)) => (Some(w.value.clone()), 2),
        _ => (None, 1),
    };
    let uri = text_arg(args.get(uri_at), cx);
    let valid_prefix = prefix.as_deref().is_none_or(|p| {
        is_name(p) && !p.contains(':') && !p.eq_ignore_ascii_case("xml") && p != "xmlns"
    });
    match uri {
        Some(uri) if valid_prefix && args.get(uri_at + 1).is_none() => {
            shape.namespaces.push((prefix, uri));
            true
        }
        _ => {
            invalid(
                cx,
                Mistake::RootOrNamespace,
                "expected `namespace \"URI\"` or `namespace PREFIX \"URI\"`",
                statement.span,
                "invalid namespace",
                "e.g. `namespace \"http://www.example.com/catalog\"` (the default namespace) or `namespace g \"http://base.google.com/ns/1.0\"`",
            );
            false
        }
    }
}

/// `lookup "FILE" as NAME [key "COL" value "COL" | by `ROWS` key `KEY` value `VALUE`]`.
fn lookup(
    statement: &Statement,
    names: &mut MapNames,
    cx: &mut Checker<'_>,
) -> Option<(Lookup, Template)> {
    let args = &statement.args;
    let bad = |cx: &mut Checker<'_>, span: Span, label: &str| {
        invalid(
            cx,
            Mistake::Lookup,
            "expected a lookup table",
            span,
            label,
            LOOKUP_SHAPE,
        );
        None
    };
    let span_at = |i: usize| {
        args.get(i)
            .or(args.last())
            .map_or(statement.span, Arg::span)
    };
    let Some(Arg::Value(file_expr)) = args.get(1) else {
        return bad(cx, span_at(1), "expected the table's file name");
    };
    let file = match cx.resolve(file_expr)? {
        Resolved::Const(Const::Text(text)) => Template::text(text, file_expr.span()),
        Resolved::Template(template) => template,
        _ => return bad(cx, file_expr.span(), "expected the table's file name"),
    };
    let Some(Arg::Word(name)) = args.get(3).filter(|_| word_is(args.get(2), "as")) else {
        return bad(cx, span_at(2), "expected `as NAME`");
    };
    if names.tables.contains(&name.value) {
        return bad(cx, name.span, "a table of this name is already declared");
    }
    let mut options: Vec<(&str, &Arg)> = Vec::new();
    let mut i = 4;
    while let (Some(Arg::Word(option)), Some(value)) = (args.get(i), args.get(i + 1)) {
        if !matches!(option.value.as_str(), "by" | "key" | "value")
            || options.iter().any(|(o, _)| *o == option.value)
        {
            return bad(
                cx,
                option.span,
                "expected `by`, `key` or `value`, once each",
            );
        }
        options.push((option.value.as_str(), value));
        i += 2;
    }
    if let Some(extra) = args.get(i) {
        return bad(cx, extra.span(), "unexpected here");
    }
    let option = |name: &str| options.iter().find(|(o, _)| *o == name).map(|(_, a)| *a);
    let is_xml = option("by").is_some()
        || file
            .constant()
            .is_some_and(|f| f.to_ascii_lowercase().ends_with(".xml"));
    let format = if is_xml {
        let xpath = |cx: &mut Checker<'_>, arg: Option<&Arg>, fallback: &str| -> Option<XPath> {
            match arg {
                Some(Arg::Value(Expr::XPath {
                    text, text_span, ..
                })) => crate::xpath::compile(text)
                    .map_err(|e| cx.error(CheckError::invalid_xpath(&e, *text_span)))
                    .ok(),
                Some(other) => {
                    invalid(
                        cx,
                        Mistake::Lookup,
                        "expected an XPath",
                        other.span(),
                        "in backticks",
                        LOOKUP_SHAPE,
                    );
                    None
                }
                None => crate::xpath::compile(fallback).ok(),
            }
        };
        let rows = xpath(cx, option("by"), "/*/*");
        let key = xpath(cx, option("key"), "*[1]");
        let value = xpath(cx, option("value"), "*[2]");
        LookupFormat::Xml(Box::new(XmlTable {
            rows: rows?,
            key: key?,
            value: value?,
        }))
    } else {
        let mut column = |name: &str| -> Result<Option<String>, ()> {
            match option(name) {
                None => Ok(None),
                Some(arg) => text_arg(Some(arg), cx).map(Some).ok_or(()),
            }
        };
        let (Ok(key), Ok(value)) = (column("key"), column("value")) else {
            return bad(
                cx,
                statement.span,
                "a CSV table's `key` and `value` name columns: \"Column\"",
            );
        };
        LookupFormat::Csv { key, value }
    };
    names.tables.push(name.value.clone());
    let lookup = Lookup {
        name: name.value.clone(),
        file: std::path::PathBuf::from(file.constant().unwrap_or_default()),
        format,
    };
    Some((lookup, file))
}
