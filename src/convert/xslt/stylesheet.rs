//! An XSLT stylesheet as `zynk convert` reads it: templates, keys, global params and variables, `xsl:output`.
use roxmltree::{Document, Node};

use crate::convert::ConvertError;

/// The XSLT namespace.
pub(crate) const XSL: &str = "http://www.w3.org/1999/XSL/Transform";

/// Whether `node` is the XSLT instruction `name` (`xsl:name`, whatever the prefix).
#[must_use]
pub(crate) fn is_xsl(node: Node, name: &str) -> bool {
    node.is_element() && node.tag_name().namespace() == Some(XSL) && node.tag_name().name() == name
}

/// Whether `node` is any XSLT instruction.
#[must_use]
pub(crate) fn is_instruction(node: Node) -> bool {
    node.is_element() && node.tag_name().namespace() == Some(XSL)
}

/// Whether the text is an XSLT stylesheet: its root is `xsl:stylesheet` or `xsl:transform`.
#[must_use]
pub(crate) fn is_stylesheet(text: &str) -> bool {
    parse(text).is_ok_and(|doc| {
        let root = doc.root_element();
        is_xsl(root, "stylesheet") || is_xsl(root, "transform")
    })
}

/// Parses the stylesheet's XML (a DTD allowed, as stylesheets declare entities).
pub(crate) fn parse(text: &str) -> Result<Document<'_>, roxmltree::Error> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    Document::parse_with_options(text, options)
}

/// A template rule or a named template.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Template<'a, 'i> {
    pub node: Node<'a, 'i>,
    pub matches: Option<&'a str>,
    pub name: Option<&'a str>,
    pub mode: Option<&'a str>,
}

/// `xsl:key name=… match=… use=…`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Key<'a> {
    pub name: &'a str,
    pub matches: &'a str,
    pub uses: &'a str,
}

/// The top-level declarations of a stylesheet.
#[derive(Debug)]
pub(crate) struct Stylesheet<'a, 'i> {
    pub doc: &'a Document<'i>,
    pub templates: Vec<Template<'a, 'i>>,
    pub keys: Vec<Key<'a>>,
    /// Global `xsl:param`s and `xsl:variable`s, in order.
    pub globals: Vec<Node<'a, 'i>>,
    /// `xsl:output encoding`, when it is not UTF-8.
    pub encoding: Option<String>,
    /// The `xsl:output` element.
    pub output: Option<Node<'a, 'i>>,
    /// Top-level elements with no translation (`xsl:import`, `xsl:decimal-format`, …).
    pub others: Vec<Node<'a, 'i>>,
}

impl<'a, 'i> Stylesheet<'a, 'i> {
    /// Reads the declarations; an error when the root is not a stylesheet.
    pub(crate) fn read(
        name: &str,
        text: &str,
        doc: &'a Document<'i>,
    ) -> Result<Self, Box<ConvertError>> {
        let root = doc.root_element();
        if !(is_xsl(root, "stylesheet") || is_xsl(root, "transform")) {
            return Err(Box::new(ConvertError::not_a_stylesheet(
                name,
                text,
                root.range().start,
                format!("its root element is <{}>", root.tag_name().name()),
            )));
        }
        let mut sheet = Stylesheet {
            doc,
            templates: Vec::new(),
            keys: Vec::new(),
            globals: Vec::new(),
            encoding: None,
            output: None,
            others: Vec::new(),
        };
        for child in root.children().filter(Node::is_element) {
            if is_xsl(child, "template") {
                sheet.templates.push(Template {
                    node: child,
                    matches: child.attribute("match"),
                    name: child.attribute("name"),
                    mode: child.attribute("mode"),
                });
            } else if is_xsl(child, "key") {
                if let (Some(name), Some(matches), Some(uses)) = (
                    child.attribute("name"),
                    child.attribute("match"),
                    child.attribute("use"),
                ) {
                    sheet.keys.push(Key {
                        name,
                        matches,
                        uses,
                    });
                }
            } else if is_xsl(child, "param") || is_xsl(child, "variable") {
                sheet.globals.push(child);
            } else if is_xsl(child, "output") {
                sheet.output = Some(child);
                sheet.encoding = child
                    .attribute("encoding")
                    .filter(|e| !e.eq_ignore_ascii_case("utf-8") && !e.eq_ignore_ascii_case("utf8"))
                    .map(str::to_string);
            } else if is_xsl(child, "strip-space") || is_xsl(child, "preserve-space") {
            } else if is_instruction(child) {
                sheet.others.push(child);
            }
        }
        Ok(sheet)
    }

    /// The 1-based line where a node starts (in its own file, for an imported one).
    #[must_use]
    pub(crate) fn line(&self, node: Node) -> u32 {
        node.document().text_pos_at(node.range().start).row
    }

    /// The `href`s of the `xsl:import`s and `xsl:include`s, in order.
    #[must_use]
    pub(crate) fn imports(&self) -> Vec<&'a str> {
        self.others
            .iter()
            .filter(|n| is_xsl(**n, "import") || is_xsl(**n, "include"))
            .filter_map(|n| n.attribute("href"))
            .collect()
    }

    /// Adds what the stylesheet `imported` (named by `href`) declares: its templates, keys
    /// and global params and variables come after this one's, so that this one's win (the
    /// import precedence of XSLT), and the `xsl:import` is no longer reported.
    pub(crate) fn import(&mut self, href: &str, imported: &Stylesheet<'a, 'i>) {
        self.others.retain(|n| {
            !((is_xsl(*n, "import") || is_xsl(*n, "include")) && n.attribute("href") == Some(href))
        });
        let own_globals: Vec<&str> = self
            .globals
            .iter()
            .filter_map(|g| g.attribute("name"))
            .collect();
        let globals: Vec<Node<'a, 'i>> = imported
            .globals
            .iter()
            .filter(|g| {
                g.attribute("name")
                    .is_none_or(|n| !own_globals.contains(&n))
            })
            .copied()
            .collect();
        self.globals.extend(globals);
        self.templates.extend(imported.templates.iter().copied());
        self.keys.extend(imported.keys.iter().copied());
        self.others.extend(
            imported
                .others
                .iter()
                .filter(|n| !(is_xsl(**n, "import") || is_xsl(**n, "include")))
                .copied(),
        );
        if self.output.is_none() {
            self.output = imported.output;
            self.encoding.clone_from(&imported.encoding);
        }
    }

    /// The named template `name`.
    #[must_use]
    pub(crate) fn named(&self, name: &str) -> Option<Template<'a, 'i>> {
        self.templates
            .iter()
            .find(|t| t.name == Some(name))
            .copied()
    }

    /// Whether the named template `name` can call itself, through `call-template`s at any
    /// depth (a recursive sum, a loop over a string's pieces): such a template is not
    /// inlined.
    #[must_use]
    pub(crate) fn is_recursive(&self, name: &str) -> bool {
        let calls = |template: &str| -> Vec<&'a str> {
            self.named(template)
                .map(|t| {
                    t.node
                        .descendants()
                        .filter(|d| is_xsl(*d, "call-template"))
                        .filter_map(|d| d.attribute("name"))
                        .collect()
                })
                .unwrap_or_default()
        };
        let mut seen: Vec<&str> = Vec::new();
        let mut todo = calls(name);
        while let Some(next) = todo.pop() {
            if next == name {
                return true;
            }
            if !seen.contains(&next) {
                seen.push(next);
                todo.extend(calls(next));
            }
        }
        false
    }

    /// The key `name`.
    #[must_use]
    pub(crate) fn key(&self, name: &str) -> Option<Key<'a>> {
        self.keys.iter().find(|k| k.name == name).copied()
    }
}
