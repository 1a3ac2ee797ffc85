//! Zynk's `ZynkObject` values: what a task setting holds before it becomes zynk text.
use roxmltree::Node;

/// The kinds of `ZynkObject` (the serialised `<Type>`).
#[derive(Debug, Clone, PartialEq)]
pub enum ZynkObject {
    /// Text, or a script when the Razor engine is on.
    Static(String),
    /// A path, relative to the working directory unless rooted.
    File(String),
    /// The name of a workflow (or global, or system) variable.
    Variable(String),
    /// Several values.
    List(Vec<ZynkValue>),
    /// A folder or a URL.
    Uri(String),
    /// The output of the task before.
    Previous,
}

/// A `ZynkObject` with its flags.
#[derive(Debug, Clone, PartialEq)]
pub struct ZynkValue {
    pub object: ZynkObject,
    /// `UseRazorEngine`.
    pub razor: bool,
    /// `ReadContentsOfFile`: the value is the named file's text.
    pub read_contents: bool,
}

/// The `<Type>` names, in the order the docs list them.
pub(crate) const KINDS: &[&str] = &[
    "StaticValue",
    "FileValue",
    "VariableValue",
    "ListValue",
    "UriValue",
    "PreviousValue",
];

impl ZynkValue {
    /// Reads an element holding `<Type>`, `<UseRazorEngine>`, `<ReadContentsOfFile>` and
    /// `<Value>`; `None` when it is not a `ZynkObject`.
    #[must_use]
    pub fn read(node: Node<'_, '_>) -> Option<ZynkValue> {
        let kind = child_text(node, "Type")?;
        if !KINDS.contains(&kind.as_str())
            || child(node, "Value").is_none() && kind != "PreviousValue"
        {
            return None;
        }
        let flag =
            |name: &str| child_text(node, name).is_some_and(|t| t.eq_ignore_ascii_case("true"));
        let value = child(node, "Value");
        let text = value
            .and_then(|v| child(v, "string"))
            .map(|s| s.text().unwrap_or_default().to_string())
            .unwrap_or_default();
        let object = match kind.as_str() {
            "StaticValue" => ZynkObject::Static(text),
            "FileValue" => ZynkObject::File(text),
            "VariableValue" => ZynkObject::Variable(text),
            "UriValue" => ZynkObject::Uri(text),
            "PreviousValue" => ZynkObject::Previous,
            _ => {
                let items = value
                    .and_then(|v| child(v, "ArrayOfZynkObject"))
                    .map(|array| {
                        array
                            .children()
                            .filter(|c| c.is_element())
                            .filter_map(ZynkValue::read)
                            .collect()
                    })
                    .unwrap_or_default();
                ZynkObject::List(items)
            }
        };
        Some(ZynkValue {
            object,
            razor: flag("UseRazorEngine"),
            read_contents: flag("ReadContentsOfFile"),
        })
    }

    /// Whether the value says anything: empty text and empty lists do not.
    #[must_use]
    pub fn is_set(&self) -> bool {
        match &self.object {
            ZynkObject::Static(t) | ZynkObject::File(t) | ZynkObject::Uri(t) => !t.is_empty(),
            ZynkObject::Variable(name) => !name.is_empty(),
            ZynkObject::List(items) => items.iter().any(ZynkValue::is_set),
            ZynkObject::Previous => true,
        }
    }

    /// The `<Type>` name.
    #[must_use]
    pub fn kind(&self) -> &'static str {
        match self.object {
            ZynkObject::Static(_) => "StaticValue",
            ZynkObject::File(_) => "FileValue",
            ZynkObject::Variable(_) => "VariableValue",
            ZynkObject::List(_) => "ListValue",
            ZynkObject::Uri(_) => "UriValue",
            ZynkObject::Previous => "PreviousValue",
        }
    }

    /// How the value reads in a comment: the text, `$Name` for a variable, a list in brackets.
    #[must_use]
    pub fn describe(&self) -> String {
        let mut out = match &self.object {
            ZynkObject::Static(t) | ZynkObject::File(t) | ZynkObject::Uri(t) => t.clone(),
            ZynkObject::Variable(name) => format!("variable {name}"),
            ZynkObject::List(items) => {
                let items: Vec<String> = items.iter().map(ZynkValue::describe).collect();
                format!("[{}]", items.join(", "))
            }
            ZynkObject::Previous => "the previous task's output".to_string(),
        };
        if self.read_contents {
            out.push_str(" (its file's contents)");
        }
        out
    }
}

/// The first element child named `name`.
#[must_use]
pub(crate) fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

/// The trimmed text of the first element child named `name`.
#[must_use]
pub(crate) fn child_text(node: Node<'_, '_>, name: &str) -> Option<String> {
    child(node, name).map(|c| c.text().unwrap_or_default().trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(xml: &str) -> Option<ZynkValue> {
        let doc = roxmltree::Document::parse(xml).expect("xml");
        ZynkValue::read(doc.root_element())
    }

    #[test]
    fn reads_each_kind() {
        let v = read("<Url><Type>VariableValue</Type><UseRazorEngine>False</UseRazorEngine><ReadContentsOfFile>False</ReadContentsOfFile><Value><string>Url.Download</string></Value></Url>")
            .expect("value");
        assert_eq!(v.object, ZynkObject::Variable("Url.Download".into()));
        let v = read("<X><Type>FileValue</Type><UseRazorEngine>True</UseRazorEngine><ReadContentsOfFile>True</ReadContentsOfFile><Value><string /></Value></X>")
            .expect("value");
        assert_eq!(v.object, ZynkObject::File(String::new()));
        assert!(v.razor && v.read_contents && !v.is_set());
        let v = read("<X><Type>ListValue</Type><Value><ArrayOfZynkObject><ZynkObject><Type>StaticValue</Type><Value><string>a</string></Value></ZynkObject><ZynkObject><Type>UriValue</Type><Value><string>ftp://x</string></Value></ZynkObject></ArrayOfZynkObject></Value></X>")
            .expect("value");
        assert_eq!(v.describe(), "[a, ftp://x]");
        let v = read("<X><Type>PreviousValue</Type><Value><string /></Value></X>").expect("value");
        assert_eq!(v.object, ZynkObject::Previous);
        assert!(read("<X><Type>Other</Type><Value/></X>").is_none());
        assert!(read("<X>text</X>").is_none());
    }
}
