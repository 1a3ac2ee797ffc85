//! Building one output record from a source node: fields, grouped target paths, nested `for each`.

use std::collections::HashMap;
use std::path::Path;

use roxmltree::Node;

use super::child_walk::{descend, relative_steps, string_value};
use super::error::MapError;
use super::spec::{Condition, FieldRule, FieldValue, MapItem, MapSpec, RecordRule};
use crate::connect::escape_into;
use crate::xpath::{ChildStep, XPath};

/// An output element: a leaf with text, or a group of child elements.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Element<'s> {
    name: &'s str,
    /// `Some` for a leaf (a field), `None` for a group.
    text: Option<String>,
    children: Vec<Element<'s>>,
    /// Groups made from target paths and `for each` wrappers take later fields with the
    /// same name; record elements never do.
    shared: bool,
}

impl<'s> Element<'s> {
    fn group(name: &'s str, shared: bool) -> Element<'s> {
        Element {
            name,
            text: None,
            children: Vec::new(),
            shared,
        }
    }

    /// Writes the element indented by `level` (two spaces a level), one element a line.
    pub(crate) fn write(&self, out: &mut String, level: usize) {
        indent(out, level);
        out.push('<');
        out.push_str(self.name);
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
fn shared_group<'e, 's>(
    children: &'e mut Vec<Element<'s>>,
    name: &'s str,
) -> &'e mut Vec<Element<'s>> {
    let found = children
        .iter()
        .position(|c| c.shared && c.name == name && c.text.is_none());
    let index = found.unwrap_or_else(|| {
        children.push(Element::group(name, true));
        children.len() - 1
    });
    &mut children[index].children
}

/// Evaluates XPaths against source nodes, naming the input in errors.
pub(crate) struct Builder<'p> {
    input: &'p Path,
    /// The relative child-step XPaths of the spec (by address), walked directly.
    child_steps: HashMap<*const XPath, Vec<ChildStep>>,
}

impl<'p> Builder<'p> {
    /// A builder for `spec`'s rules, reading `input`.
    pub(crate) fn new(input: &'p Path, spec: &MapSpec) -> Builder<'p> {
        fn note(xpath: &XPath, out: &mut HashMap<*const XPath, Vec<ChildStep>>) {
            if let Some(steps) = relative_steps(xpath) {
                out.insert(std::ptr::from_ref(xpath), steps);
            }
        }
        fn value(value: &FieldValue, out: &mut HashMap<*const XPath, Vec<ChildStep>>) {
            if let FieldValue::XPath(xpath) = value {
                note(xpath, out);
            }
        }
        fn items(list: &[MapItem], out: &mut HashMap<*const XPath, Vec<ChildStep>>) {
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
                        items(&rule.items, out);
                    }
                }
            }
        }
        let mut child_steps = HashMap::new();
        for rule in &spec.rules {
            items(&rule.items, &mut child_steps);
        }
        Builder { input, child_steps }
    }

    fn steps(&self, xpath: &XPath) -> Option<&[ChildStep]> {
        self.child_steps
            .get(&std::ptr::from_ref(xpath))
            .map(Vec::as_slice)
    }

    /// The record element `rule` builds from `node` (its last target name).
    pub(crate) fn record<'s>(
        &self,
        rule: &'s RecordRule,
        node: Node,
    ) -> Result<Element<'s>, MapError> {
        let name = rule.target.last().map_or("", String::as_str);
        let mut element = Element::group(name, false);
        self.items(&rule.items, node, &mut element.children)?;
        Ok(element)
    }

    fn items<'s>(
        &self,
        items: &'s [MapItem],
        node: Node,
        out: &mut Vec<Element<'s>>,
    ) -> Result<(), MapError> {
        for item in items {
            match item {
                MapItem::Field(field) => self.field(field, node, out)?,
                MapItem::Each(rule) => self.each(rule, node, out)?,
            }
        }
        Ok(())
    }

    fn field<'s>(
        &self,
        field: &'s FieldRule,
        node: Node,
        out: &mut Vec<Element<'s>>,
    ) -> Result<(), MapError> {
        if let Condition::When(test) = &field.condition
            && !self.eval(test, node)?.to_boolean()
        {
            return Ok(());
        }
        let mut value = self.text(&field.value, node)?;
        if value.is_empty()
            && let Some(default) = &field.default
        {
            value = self.text(default, node)?;
        }
        if value.is_empty() && matches!(field.condition, Condition::NotEmpty) {
            return Ok(());
        }
        let Some((leaf, groups)) = field.target.split_last() else {
            return Ok(());
        };
        let mut list = out;
        for group in groups {
            list = shared_group(list, group);
        }
        list.push(Element {
            name: leaf,
            text: Some(value),
            children: Vec::new(),
            shared: false,
        });
        Ok(())
    }

    fn each<'s>(
        &self,
        rule: &'s RecordRule,
        node: Node,
        out: &mut Vec<Element<'s>>,
    ) -> Result<(), MapError> {
        let nodes = match self.steps(&rule.select) {
            Some(steps) => descend(node, steps),
            None => rule
                .select
                .select(node)
                .map_err(|e| self.xpath_error(&rule.select, &e.to_string()))?,
        };
        let Some((_, wrappers)) = rule.target.split_last() else {
            return Ok(());
        };
        let mut list = out;
        for wrapper in wrappers {
            list = shared_group(list, wrapper);
        }
        for child in nodes {
            list.push(self.record(rule, child)?);
        }
        Ok(())
    }

    fn text(&self, value: &FieldValue, node: Node) -> Result<String, MapError> {
        match value {
            FieldValue::Text(text) => Ok(text.clone()),
            FieldValue::XPath(xpath) => match self.steps(xpath) {
                Some(steps) => Ok(string_value(node, steps)),
                None => Ok(self.eval(xpath, node)?.to_string_value()),
            },
        }
    }

    fn eval<'a, 'i>(
        &self,
        xpath: &XPath,
        node: Node<'a, 'i>,
    ) -> Result<crate::xpath::Value<'a, 'i>, MapError> {
        xpath
            .evaluate(node)
            .map_err(|e| self.xpath_error(xpath, &e.to_string()))
    }

    pub(crate) fn xpath_error(&self, xpath: &XPath, message: &str) -> MapError {
        MapError::XPath {
            path: self.input.to_path_buf(),
            expr: xpath.source().to_owned(),
            message: message.to_owned(),
        }
    }
}
