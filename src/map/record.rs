//! Building one output record from a source node: fields, attributes, lets, choices, grouped target paths, nested `for each`.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::collections::HashSet;
use std::path::Path;

use roxmltree::Node;

use super::address_hash::AddressMap;
use super::child_walk::{HeadMemo, descend, relative_steps};
use super::error::MapError;
use super::lookup::Tables;
use super::record_env::{Lets, RecordEnv, constant_values};
use super::spec::{
    ChoiceRule, Condition, FieldRule, FieldValue, LetRule, MapItem, MapSpec, RecordRule,
};
use crate::connect::escape_into;
use crate::xpath::{ChildStep, EvalError, Value, XPath};

/// An output element: a leaf with text, or a group of child elements; either may carry
/// attributes.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Element<'s> {
    name: &'s str,
    attributes: Vec<(&'s str, Cow<'s, str>)>,
    /// `Some` for a leaf (a field), `None` for a group.
    text: Option<Cow<'s, str>>,
    children: Vec<Element<'s>>,
    /// Groups made from target paths and `for each` wrappers take later fields with the
    /// same name; record elements never do.
    shared: bool,
}

impl<'s> Element<'s> {
    fn group(name: &'s str, shared: bool) -> Element<'s> {
        Element {
            name,
            attributes: Vec::new(),
            text: None,
            children: Vec::new(),
            shared,
        }
    }

    /// Sets an attribute; a later value for the same name replaces the earlier one.
    fn set_attribute(&mut self, name: &'s str, value: Cow<'s, str>) {
        match self.attributes.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = value,
            None => self.attributes.push((name, value)),
        }
    }

    /// Writes the element indented by `level` (two spaces a level), one element a line.
    pub(crate) fn write(&self, out: &mut String, level: usize) {
        indent(out, level);
        out.push('<');
        out.push_str(self.name);
        for (name, value) in &self.attributes {
            out.push(' ');
            out.push_str(name);
            out.push_str("=\"");
            escape_attribute_into(out, value);
            out.push('"');
        }
        match &self.text {
            Some(text) if !text.is_empty() => {
                out.push('>');
                escape_into(out, text);
                close(out, self.name);
            }
            _ if self.children.is_empty() => out.push_str(" />\n"),
            _ => {
                out.push_str(">\n");
                for child in &self.children {
                    child.write(out, level + 1);
                }
                indent(out, level);
                close(out, self.name);
            }
        }
    }
}

/// Attribute text: as element text, with `"` and the whitespace characters that
/// attribute-value normalisation would turn into spaces written as references.
fn escape_attribute_into(out: &mut String, text: &str) {
    for ch in text.chars() {
        match ch {
            '"' => out.push_str("&quot;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            c => {
                let mut buf = [0u8; 4];
                escape_into(out, c.encode_utf8(&mut buf));
            }
        }
    }
}

fn indent(out: &mut String, level: usize) {
    for _ in 0..level {
        out.push_str("  ");
    }
}

fn close(out: &mut String, name: &str) {
    out.push_str("</");
    out.push_str(name);
    out.push_str(">\n");
}

/// The group called `name` among `children` that takes more content, created at the end
/// if there is none.
fn shared_group<'e, 's>(children: &'e mut Vec<Element<'s>>, name: &'s str) -> &'e mut Element<'s> {
    let takes = |c: &Element| c.shared && c.name == name && c.text.is_none();
    // There is at most one such group, most often the last child (fields come in runs).
    let found = match children.last() {
        Some(last) if takes(last) => Some(children.len() - 1),
        _ => children.iter().position(takes),
    };
    let index = found.unwrap_or_else(|| {
        children.push(Element::group(name, true));
        children.len() - 1
    });
    &mut children[index]
}

/// The element an attribute of `name` goes on: the last field or group called `name`
/// among `children` (not a record), created as a group if there is none.
fn attribute_host<'e, 's>(
    children: &'e mut Vec<Element<'s>>,
    name: &'s str,
) -> &'e mut Element<'s> {
    let found = children
        .iter()
        .rposition(|c| c.name == name && (c.shared || c.text.is_some()));
    let index = found.unwrap_or_else(|| {
        children.push(Element::group(name, true));
        children.len() - 1
    });
    &mut children[index]
}

/// Puts `value` at `target` inside `record`: an element, or an attribute when the last
/// name starts with `@`.
fn place<'s>(record: &mut Element<'s>, target: &'s [String], value: Cow<'s, str>) {
    let Some((leaf, groups)) = target.split_last() else {
        return;
    };
    if let Some(attribute) = leaf.strip_prefix('@') {
        let mut host = record;
        if let Some((last, middle)) = groups.split_last() {
            for group in middle {
                host = shared_group(&mut host.children, group);
            }
            host = attribute_host(&mut host.children, last);
        }
        host.set_attribute(attribute, value);
        return;
    }
    let mut host = record;
    for group in groups {
        host = shared_group(&mut host.children, group);
    }
    host.children.push(Element {
        name: leaf,
        attributes: Vec::new(),
        text: Some(value),
        children: Vec::new(),
        shared: false,
    });
}

/// Evaluates XPaths against source nodes, naming the input in errors.
pub(crate) struct Builder<'p> {
    input: &'p Path,
    /// The relative child-step XPaths of the spec (by address), walked directly.
    child_steps: AddressMap<*const XPath, Steps>,
    /// Bumped for each record built: the nodes of one record are of one document.
    generation: Cell<u64>,
    memo: RefCell<HeadMemo>,
    constants: Vec<(String, Value<'static, 'static>)>,
    tables: Tables,
    /// Per top-level rule with a `distinct` key: the keys seen so far.
    seen: RefCell<Vec<HashSet<String>>>,
}

/// A relative child-step XPath: its steps, and the number of its first step among the
/// spec's distinct first steps.
struct Steps {
    steps: Vec<ChildStep>,
    head: usize,
}

/// Notes every relative child-step XPath of `items`.
fn note_items(list: &[MapItem], out: &mut AddressMap<*const XPath, Vec<ChildStep>>) {
    fn note(xpath: &XPath, out: &mut AddressMap<*const XPath, Vec<ChildStep>>) {
        if let Some(steps) = relative_steps(xpath) {
            out.insert(std::ptr::from_ref(xpath), steps);
        }
    }
    fn value(value: &FieldValue, out: &mut AddressMap<*const XPath, Vec<ChildStep>>) {
        if let FieldValue::XPath(xpath) = value {
            note(xpath, out);
        }
    }
    for item in list {
        match item {
            MapItem::Field(field) => {
                value(&field.value, out);
                if let Some(default) = &field.default {
                    value(default, out);
                }
            }
            MapItem::Each(rule) => {
                note(&rule.select, out);
                note_items(&rule.items, out);
            }
            MapItem::Let(rule) => value(&rule.value, out),
            MapItem::Choice(choice) => {
                for (_, branch) in &choice.branches {
                    value(branch, out);
                }
                if let Some(otherwise) = &choice.otherwise {
                    value(otherwise, out);
                }
            }
        }
    }
}

impl<'p> Builder<'p> {
    /// A builder for `spec`'s rules, reading `input`, with its lookup tables loaded.
    pub(crate) fn new(input: &'p Path, spec: &MapSpec, tables: Tables) -> Builder<'p> {
        let mut noted = AddressMap::default();
        for rule in &spec.rules {
            note_items(&rule.items, &mut noted);
        }
        let mut heads: Vec<ChildStep> = Vec::new();
        let child_steps = noted
            .into_iter()
            .map(|(address, steps)| {
                let first = steps.first();
                let head = match heads.iter().position(|h| Some(h) == first) {
                    Some(head) => head,
                    None => {
                        heads.extend(first.cloned());
                        heads.len().saturating_sub(1)
                    }
                };
                (address, Steps { steps, head })
            })
            .collect();
        Builder {
            input,
            child_steps,
            generation: Cell::new(0),
            memo: RefCell::new(HeadMemo::default()),
            constants: constant_values(&spec.constants),
            tables,
            seen: RefCell::new(vec![HashSet::new(); spec.rules.len()]),
        }
    }

    /// Forgets the `distinct` keys seen, for a pass that starts again from the top.
    pub(crate) fn forget_keys(&self) {
        for keys in self.seen.borrow_mut().iter_mut() {
            keys.clear();
        }
    }

    fn steps(&self, xpath: &XPath) -> Option<&Steps> {
        self.child_steps.get(&std::ptr::from_ref(xpath))
    }

    /// Whether `node`, selected by top-level rule `index`, becomes a record: always,
    /// unless the rule is `distinct` and the node's key was seen before or is missing.
    pub(crate) fn admits(
        &self,
        index: usize,
        rule: &RecordRule,
        node: Node,
    ) -> Result<bool, MapError> {
        let Some(key) = &rule.distinct else {
            return Ok(true);
        };
        let Some(key) = self.key(key, node, &[])? else {
            return Ok(false);
        };
        let mut seen = self.seen.borrow_mut();
        Ok(seen.get_mut(index).is_some_and(|keys| {
            if keys.contains(&key) {
                false
            } else {
                keys.insert(key);
                true
            }
        }))
    }

    /// A `distinct` key: the string value, or `None` when it selects no node.
    fn key<'a, 'i>(
        &self,
        key: &XPath,
        node: Node<'a, 'i>,
        lets: &[(&str, Value<'a, 'i>)],
    ) -> Result<Option<String>, MapError> {
        Ok(match self.eval(key, node, lets)? {
            Value::Nodes(nodes) if nodes.is_empty() => None,
            value => Some(value.to_string_value()),
        })
    }

    /// The record element `rule` builds from `node` (its last target name).
    pub(crate) fn record<'s>(
        &self,
        rule: &'s RecordRule,
        node: Node<'s, '_>,
    ) -> Result<Element<'s>, MapError> {
        self.generation.set(self.generation.get() + 1);
        self.record_in(rule, node, &mut Vec::new())
    }

    fn record_in<'s, 'a: 's, 'i>(
        &self,
        rule: &'s RecordRule,
        node: Node<'a, 'i>,
        lets: &mut Lets<'s, 'a, 'i>,
    ) -> Result<Element<'s>, MapError> {
        let name = rule.target.last().map_or("", String::as_str);
        let mut element = Element::group(name, false);
        let mark = lets.len();
        let result = self.items(&rule.items, node, &mut element, lets);
        lets.truncate(mark);
        result.map(|()| element)
    }

    fn items<'s, 'a: 's, 'i>(
        &self,
        items: &'s [MapItem],
        node: Node<'a, 'i>,
        record: &mut Element<'s>,
        lets: &mut Lets<'s, 'a, 'i>,
    ) -> Result<(), MapError> {
        for item in items {
            match item {
                MapItem::Field(field) => self.field(field, node, record, lets)?,
                MapItem::Each(rule) => self.each(rule, node, record, lets)?,
                MapItem::Let(rule) => self.bind(rule, node, lets)?,
                MapItem::Choice(choice) => self.choose(choice, node, record, lets)?,
            }
        }
        Ok(())
    }

    fn bind<'s, 'a, 'i>(
        &self,
        rule: &'s LetRule,
        node: Node<'a, 'i>,
        lets: &mut Lets<'s, 'a, 'i>,
    ) -> Result<(), MapError> {
        let value = match &rule.value {
            FieldValue::Text(text) => Value::String(text.clone()),
            FieldValue::XPath(xpath) => self.eval(xpath, node, lets)?,
        };
        lets.push((&rule.name, value));
        Ok(())
    }

    fn field<'s, 'a: 's, 'i>(
        &self,
        field: &'s FieldRule,
        node: Node<'a, 'i>,
        record: &mut Element<'s>,
        lets: &Lets<'s, 'a, 'i>,
    ) -> Result<(), MapError> {
        if let Condition::When(test) = &field.condition
            && !self.eval(test, node, lets)?.to_boolean()
        {
            return Ok(());
        }
        let mut value = self.text(&field.value, node, lets)?;
        if value.is_empty()
            && let Some(default) = &field.default
        {
            value = self.text(default, node, lets)?;
        }
        if value.is_empty() && matches!(field.condition, Condition::NotEmpty) {
            return Ok(());
        }
        place(record, &field.target, value);
        Ok(())
    }

    fn choose<'s, 'a: 's, 'i>(
        &self,
        choice: &'s ChoiceRule,
        node: Node<'a, 'i>,
        record: &mut Element<'s>,
        lets: &Lets<'s, 'a, 'i>,
    ) -> Result<(), MapError> {
        let mut chosen = choice.otherwise.as_ref();
        for (test, value) in &choice.branches {
            if self.eval(test, node, lets)?.to_boolean() {
                chosen = Some(value);
                break;
            }
        }
        if let Some(value) = chosen {
            let text = self.text(value, node, lets)?;
            place(record, &choice.target, text);
        }
        Ok(())
    }

    fn each<'s, 'a: 's, 'i>(
        &self,
        rule: &'s RecordRule,
        node: Node<'a, 'i>,
        record: &mut Element<'s>,
        lets: &mut Lets<'s, 'a, 'i>,
    ) -> Result<(), MapError> {
        let nodes = match self.steps(&rule.select) {
            Some(steps) => descend(node, &steps.steps),
            None => {
                let value = self.eval(&rule.select, node, lets)?;
                self.elements(&rule.select, value)?
            }
        };
        let Some((_, wrappers)) = rule.target.split_last() else {
            return Ok(());
        };
        let mut host = record;
        for wrapper in wrappers {
            host = shared_group(&mut host.children, wrapper);
        }
        let mut seen = HashSet::new();
        let mut picked = Vec::new();
        for child in nodes {
            if let Some(key) = &rule.distinct {
                let Some(key) = self.key(key, child, lets)? else {
                    continue;
                };
                if !seen.insert(key) {
                    continue;
                }
            }
            picked.push(child);
        }
        for child in self.sorted(rule, picked, lets)? {
            let element = self.record_in(rule, child, lets)?;
            host.children.push(element);
        }
        Ok(())
    }

    /// `nodes` in the order of the rule's `sorted by` key (as they are without one). Equal
    /// keys keep document order; as numbers, a key that is not one comes first (last when
    /// descending), as `xsl:sort` has it.
    pub(crate) fn sorted<'a, 'i>(
        &self,
        rule: &RecordRule,
        nodes: Vec<Node<'a, 'i>>,
        lets: &[(&str, Value<'a, 'i>)],
    ) -> Result<Vec<Node<'a, 'i>>, MapError> {
        let Some(sort) = &rule.sort else {
            return Ok(nodes);
        };
        let mut keyed = Vec::with_capacity(nodes.len());
        for node in nodes {
            let value = self.eval(&sort.key, node, lets)?;
            keyed.push((value.to_string_value(), value.to_number(), node));
        }
        if sort.numeric {
            keyed.sort_by(|(_, a, _), (_, b, _)| {
                let order = match (a.is_nan(), b.is_nan()) {
                    (true, true) => std::cmp::Ordering::Equal,
                    (true, false) => std::cmp::Ordering::Less,
                    (false, true) => std::cmp::Ordering::Greater,
                    (false, false) => a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal),
                };
                if sort.descending {
                    order.reverse()
                } else {
                    order
                }
            });
        } else {
            keyed.sort_by(|(a, _, _), (b, _, _)| {
                let order = a.cmp(b);
                if sort.descending {
                    order.reverse()
                } else {
                    order
                }
            });
        }
        Ok(keyed.into_iter().map(|(_, _, node)| node).collect())
    }

    /// A field's text: borrowed from the spec or the record where it can be.
    fn text<'s, 'a: 's, 'i>(
        &self,
        value: &'s FieldValue,
        node: Node<'a, 'i>,
        lets: &[(&str, Value<'a, 'i>)],
    ) -> Result<Cow<'s, str>, MapError> {
        match value {
            FieldValue::Text(text) => Ok(Cow::Borrowed(text)),
            FieldValue::XPath(xpath) => match self.steps(xpath) {
                Some(steps) => Ok(self.memo.borrow_mut().string_value(
                    self.generation.get(),
                    node,
                    steps.head,
                    &steps.steps,
                )),
                None => Ok(Cow::Owned(self.eval(xpath, node, lets)?.to_string_value())),
            },
        }
    }

    fn eval<'a, 'i>(
        &self,
        xpath: &XPath,
        node: Node<'a, 'i>,
        lets: &[(&str, Value<'a, 'i>)],
    ) -> Result<Value<'a, 'i>, MapError> {
        let env = RecordEnv {
            lets,
            constants: &self.constants,
            tables: &self.tables,
        };
        xpath
            .evaluate_in(node, &env)
            .map_err(|e| self.xpath_error(xpath, &e.to_string()))
    }

    pub(crate) fn xpath_error(&self, xpath: &XPath, message: &str) -> MapError {
        MapError::XPath {
            path: self.input.to_path_buf(),
            expr: xpath.source().to_owned(),
            message: message.to_owned(),
        }
    }

    /// The top-level `select` of a tree-mode rule, evaluated from the document root.
    pub(crate) fn select<'a, 'i>(
        &self,
        rule: &RecordRule,
        root: Node<'a, 'i>,
    ) -> Result<Vec<Node<'a, 'i>>, MapError> {
        let value = self.eval(&rule.select, root, &[])?;
        self.elements(&rule.select, value)
    }

    /// The elements a `for each` selects, or the error `XPath::select` would give.
    fn elements<'a, 'i>(
        &self,
        select: &XPath,
        value: Value<'a, 'i>,
    ) -> Result<Vec<Node<'a, 'i>>, MapError> {
        let span = 0..select.source().len();
        let fail = |e: EvalError| self.xpath_error(select, &e.to_string());
        match value {
            Value::Nodes(nodes) => nodes
                .iter()
                .map(|n| {
                    n.as_node()
                        .ok_or_else(|| fail(EvalError::AttributeSelected { span: span.clone() }))
                })
                .collect(),
            other => Err(fail(EvalError::NotANodeSet {
                found: other.type_name().to_owned(),
                span,
            })),
        }
    }
}
