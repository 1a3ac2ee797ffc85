//! Checking the lines at the top of a `map` block: `lookup`, `root`, `namespace` and the `for each` rules.

use super::mistake::{Mistake, invalid, report};
use super::names::MapNames;
use super::rule::compile_rule;
use super::target::is_name;
use crate::check::scope::{Const, Resolved};
use crate::check::{CheckError, Checker, Template};
use crate::map::{Lookup, LookupFormat, MapItem, MapSpec, OutputShape, RecordRule, XmlTable};
use crate::source::Span;
use crate::syntax::ast::{Arg, Block, Expr, StrPart, StringLit};
use crate::syntax::map_block::{
    self, ForEach, LOOKUP_SHAPE, Namespace, RULE_SHAPE, RecordLine, Root, TopLine,
    namespace_mistake, parse_map_block, root_mistake,
};
use crate::xpath::XPath;

/// A checked `map` block: the spec and the lookup tables' file names, resolved per run.
pub(super) struct CheckedBlock {
    pub(super) spec: MapSpec,
    pub(super) lookup_files: Vec<Template>,
}

/// Parses the block and checks every line of it; `None` when any is wrong.
pub(super) fn check_block(block: Block, cx: &mut Checker<'_>) -> Option<CheckedBlock> {
    let registry = cx.registry();
    let parsed = parse_map_block(block, &|word: &str| registry.is_statement_head(word));
    let mut names = MapNames::default();
    let mut spec = MapSpec::new(Vec::new());
    let mut lookup_files = Vec::new();
    let mut ok = true;
    for line in &parsed.lines {
        let line_ok = match line {
            TopLine::Invalid(mistake) => {
                report(cx, mistake);
                false
            }
            TopLine::Lookup(line) => match lookup(line, &mut names, cx) {
                Some((lookup, file)) => {
                    spec.lookups.push(lookup);
                    lookup_files.push(file);
                    true
                }
                None => false,
            },
            TopLine::Root(line) => root(line, &mut spec.shape, cx),
            TopLine::Namespace(line) => namespace(line, &mut spec.shape, cx),
            TopLine::ForEach(rule) => match compile_rule(rule, None, &mut names, cx) {
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
            parsed.span,
            "empty",
            RULE_SHAPE,
        );
        return None;
    }
    if let Some(prefix) = undeclared_prefix(&spec) {
        let span = prefixed_target(&parsed.lines, &prefix).unwrap_or(parsed.span);
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

/// The span of the first target (the root's name, a `for each`'s, a field's or a
/// `choose`'s) that uses `prefix`.
fn prefixed_target(lines: &[TopLine], prefix: &str) -> Option<Span> {
    lines.iter().find_map(|line| match line {
        TopLine::Root(Root {
            name: Expr::String(name),
            ..
        }) => uses_prefix(name, prefix),
        TopLine::ForEach(rule) => rule_prefixed_target(rule, prefix),
        _ => None,
    })
}

fn rule_prefixed_target(rule: &ForEach, prefix: &str) -> Option<Span> {
    uses_prefix(&rule.target, prefix).or_else(|| {
        rule.body.iter().find_map(|line| match line {
            RecordLine::Field(field) => uses_prefix(&field.target, prefix),
            RecordLine::Choose(choose) => uses_prefix(&choose.target, prefix),
            RecordLine::ForEach(rule) => rule_prefixed_target(rule, prefix),
            RecordLine::Let(_) | RecordLine::Invalid(_) => None,
        })
    })
}

/// The span of `text` when one of its names has the prefix `prefix`.
fn uses_prefix(text: &StringLit, prefix: &str) -> Option<Span> {
    let uses = text.parts.iter().any(|part| match part {
        StrPart::Text(t) => t.split('/').any(|name| {
            name.trim_start_matches('@')
                .split_once(':')
                .is_some_and(|(p, _)| p == prefix)
        }),
        StrPart::Interp(_) => false,
    });
    uses.then_some(text.span)
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

/// A fixed text.
fn text(expr: &Expr, cx: &mut Checker<'_>) -> Option<String> {
    match cx.resolve(expr)? {
        Resolved::Const(Const::Text(text)) => Some(text),
        _ => None,
    }
}

/// `root "name"`: the output's root element instead of `<Company>`.
fn root(line: &Root, shape: &mut OutputShape, cx: &mut Checker<'_>) -> bool {
    let Some(name) = text(&line.name, cx).filter(|n| is_name(n)) else {
        report(cx, &root_mistake(line.span));
        return false;
    };
    if shape.root.is_some() {
        invalid(
            cx,
            Mistake::RootOrNamespace,
            "a second `root`",
            line.span,
            "the root is already set",
            "a document has one root element",
        );
        return false;
    }
    shape.root = Some(name);
    true
}

/// `namespace "URI"` (the default namespace) or `namespace PREFIX "URI"`, declared on the root.
fn namespace(line: &Namespace, shape: &mut OutputShape, cx: &mut Checker<'_>) -> bool {
    let uri = text(&line.uri, cx);
    let prefix = line.prefix.as_ref().map(|p| p.value.clone());
    let valid_prefix = prefix.as_deref().is_none_or(|p| {
        is_name(p) && !p.contains(':') && !p.eq_ignore_ascii_case("xml") && p != "xmlns"
    });
    match uri {
        Some(uri) if valid_prefix => {
            shape.namespaces.push((prefix, uri));
            true
        }
        _ => {
            report(cx, &namespace_mistake(line.span));
            false
        }
    }
}

/// `lookup "FILE" as NAME [key "COL" value "COL" | by `ROWS` key `KEY` value `VALUE`]`.
fn lookup(
    line: &map_block::Lookup,
    names: &mut MapNames,
    cx: &mut Checker<'_>,
) -> Option<(Lookup, Template)> {
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
    let file = match cx.resolve(&line.file)? {
        Resolved::Const(Const::Text(text)) => Template::text(text, line.file.span()),
        Resolved::Template(template) => template,
        _ => return bad(cx, line.file.span(), "expected the table's file name"),
    };
    let name = &line.name;
    if names.tables.contains(&name.value) {
        return bad(cx, name.span, "a table of this name is already declared");
    }
    let is_xml = line.by.is_some()
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
        let rows = xpath(cx, line.by.as_ref(), "/*/*");
        let key = xpath(cx, line.key.as_ref(), "*[1]");
        let value = xpath(cx, line.value.as_ref(), "*[2]");
        LookupFormat::Xml(Box::new(XmlTable {
            rows: rows?,
            key: key?,
            value: value?,
        }))
    } else {
        let mut column = |option: Option<&Arg>| -> Result<Option<String>, ()> {
            match option {
                None => Ok(None),
                Some(Arg::Value(expr)) => text(expr, cx).map(Some).ok_or(()),
                Some(Arg::Word(_)) => Err(()),
            }
        };
        let (Ok(key), Ok(value)) = (column(line.key.as_ref()), column(line.value.as_ref())) else {
            return bad(
                cx,
                line.span,
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
