//! XML as JSON: the inverse of [`super::to_xml`], for request bodies built by `map` or read
//! from a file.
//!
//! An element with `type="number"`, `"boolean"` or `"null"` is that scalar; `type="array"` is
//! an array of its children; `type="object"` is `{}`. Any other element with child elements is
//! an object whose members are the children (names decoded); children of one name that repeat
//! or carry `array="true"` make an array. Any other element is its text, a string. XML that
//! zynk did not write (Connect XML, a `map` output) reads the same way: untyped leaves are
//! strings, so `type="number"` is how a map asks for a number.
use roxmltree::Node;
use serde_json::{Map, Number, Value};

use super::names;

/// The JSON value of `node` (an element).
#[must_use]
pub fn value_of(node: Node<'_, '_>) -> Value {
    match node.attribute("type") {
        Some("number") => {
            let text = text_of(node);
            match text.trim().parse::<Number>() {
                Ok(n) => Value::Number(n),
                Err(_) => Value::String(text),
            }
        }
        Some("boolean") => Value::Bool(text_of(node).trim() == "true"),
        Some("null") => Value::Null,
        Some("object") if !has_elements(node) => Value::Object(Map::new()),
        Some("array") => Value::Array(
            node.children()
                .filter(Node::is_element)
                .map(value_of)
                .collect(),
        ),
        _ if has_elements(node) => object_of(node),
        _ => Value::String(text_of(node)),
    }
}

/// The members of an element with children.
fn object_of(node: Node<'_, '_>) -> Value {
    let children: Vec<Node<'_, '_>> = node
        .children()
        .filter(|c| c.is_element() || c.is_pi())
        .collect();
    object_from(&children, false)
}

/// The object whose members are `children` (elements of one parent); `records`: every name
/// makes an array, as the records of a `batch` are (`{"update": [one]}`).
#[must_use]
pub fn object_from(children: &[Node<'_, '_>], records: bool) -> Value {
    let mut map = Map::new();
    for (i, child) in children.iter().enumerate() {
        if !child.is_element() {
            continue;
        }
        let name = child.tag_name().name();
        if children[..i]
            .iter()
            .any(|c| c.is_element() && c.tag_name().name() == name)
        {
            continue;
        }
        let same: Vec<&Node<'_, '_>> = children[i..]
            .iter()
            .filter(|c| c.is_element() && c.tag_name().name() == name)
            .collect();
        let value = if records || same.len() > 1 || child.attribute("array") == Some("true") {
            Value::Array(same.into_iter().map(|c| value_of(*c)).collect())
        } else {
            value_of(*child)
        };
        map.insert(names::decode(name), value);
    }
    for pi in children
        .iter()
        .filter_map(|n| n.pi())
        .filter(|pi| pi.target == super::to_xml::EMPTY_ARRAY)
    {
        if let Some(name) = pi.value.map(str::trim) {
            map.insert(names::decode(name), Value::Array(Vec::new()));
        }
    }
    Value::Object(map)
}

fn has_elements(node: Node<'_, '_>) -> bool {
    node.children().any(|c| {
        c.is_element()
            || c.pi()
                .is_some_and(|pi| pi.target == super::to_xml::EMPTY_ARRAY)
    })
}

fn text_of(node: Node<'_, '_>) -> String {
    node.children()
        .filter(Node::is_text)
        .filter_map(|t| t.text())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(json: &str) {
        let mut xml = Vec::new();
        super::super::to_xml::json_to_xml(json.as_bytes(), &mut xml).expect("to xml");
        let xml = String::from_utf8(xml).expect("utf-8");
        let doc = roxmltree::Document::parse(&xml).expect("well-formed");
        let back = value_of(doc.root_element());
        let want: Value = serde_json::from_str(json).expect("json");
        assert_eq!(back, want, "{xml}");
    }

    #[test]
    fn json_round_trips() {
        round_trip(
            r#"[{"id":7,"sku":"A&B <x>","tags":[],"lines":[{"q":2}],"ok":true,"x":null,"o":{},"n":-1.25e3}]"#,
        );
        round_trip(r#"{"a":[[1,[]],"s"],"first name":"","":"empty","_x0041_":"u","r":"a\r\nb"}"#);
        round_trip(r#"{"update":[{"id":1,"status":"completed"}],"create":[]}"#);
        round_trip(r#"{"only":[]}"#);
        round_trip(r#""just text""#);
        round_trip("[]");
        round_trip("{}");
    }

    #[test]
    fn untyped_xml_reads_as_strings_and_objects() {
        let doc = roxmltree::Document::parse(
            "<batch><update array=\"true\"><id type=\"number\">5</id><sku>007</sku></update></batch>",
        )
        .expect("xml");
        assert_eq!(
            value_of(doc.root_element()),
            serde_json::json!({"update": [{"id": 5, "sku": "007"}]})
        );
    }
}
