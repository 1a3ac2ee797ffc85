//! A canonical text of an XML document (one line per element, attribute and text), so that
//! two documents that say the same compare equal whatever their layout.
#![allow(dead_code)]
use std::fmt::Write as _;

/// The canonical text, attributes named with their namespace.
pub fn canonical(xml: &str) -> String {
    canonical_with(xml, true)
}

/// The canonical text, attributes named by their local name only.
pub fn canonical_local(xml: &str) -> String {
    canonical_with(xml, false)
}

fn canonical_with(xml: &str, attribute_namespaces: bool) -> String {
    fn walk(node: roxmltree::Node, depth: usize, namespaces: bool, out: &mut String) {
        for child in node.children() {
            if child.is_element() {
                let name = child.tag_name();
                let _ = writeln!(
                    out,
                    "{:depth$}<{{{}}}{}>",
                    "",
                    name.namespace().unwrap_or_default(),
                    name.name()
                );
                let mut attributes: Vec<String> = child
                    .attributes()
                    .map(|a| {
                        if namespaces {
                            format!(
                                "@{{{}}}{}={:?}",
                                a.namespace().unwrap_or_default(),
                                a.name(),
                                a.value()
                            )
                        } else {
                            format!("@{}={:?}", a.name(), a.value())
                        }
                    })
                    .collect();
                attributes.sort();
                for attribute in attributes {
                    let _ = writeln!(out, "{:depth$}  {attribute}", "");
                }
                walk(child, depth + 2, namespaces, out);
            } else if let Some(text) = child.text().filter(|_| child.is_text())
                && !text.trim().is_empty()
            {
                let _ = writeln!(out, "{:depth$}{text:?}", "");
            }
        }
    }
    let doc = roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("parse: {e}\n{xml}"));
    let mut out = String::new();
    walk(doc.root(), 0, attribute_namespaces, &mut out);
    out
}
