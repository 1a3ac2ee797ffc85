//! The translation itself: the stylesheet's templates, from the one matching the document
//! down, become the `for each` rules, fields, `let`s and `choose` blocks of a `map`.
use roxmltree::Node;

use super::expr::{self, literal};
use super::item::{Item, Kind, Sort, Val};
use super::stylesheet::{Stylesheet, Template, is_instruction, is_xsl};

/// Templates inlined into each other deeper than this are taken for recursion.
const MAX_DEPTH: usize = 24;

/// Why a recursive template is kept as a comment.
const RECURSION: &str = "templates that call themselves (recursion) have no translation";

/// How many times templates are inlined in all, at most: templates that each call the next
/// several times would otherwise multiply into millions of lines.
const MAX_INLINED: usize = 5000;

/// The longest XPath a param's value may grow to by being passed on and substituted.
const MAX_VALUE_LEN: usize = 64 * 1024;

/// Why a template is not inlined past [`MAX_INLINED`].
const TOO_MANY: &str =
    "templates are inlined more than 5000 times in this stylesheet; the rest is not translated";

/// Where the translator is inside a record: the element path of the fields it writes and
/// the condition the enclosing `xsl:if`s and `xsl:when`s add up to.
#[derive(Debug, Clone, Default)]
struct Ctx {
    path: Vec<String>,
    cond: Option<String>,
}

impl Ctx {
    fn and(&self, test: &str) -> Ctx {
        Ctx {
            path: self.path.clone(),
            cond: Some(and(self.cond.as_deref(), test)),
        }
    }

    fn target(&self, name: &str) -> String {
        let mut path = self.path.clone();
        path.push(name.to_string());
        path.join("/")
    }
}

fn and(cond: Option<&str>, test: &str) -> String {
    match cond {
        None => test.trim().to_string(),
        Some(c) => format!("({}) and ({})", c.trim(), test.trim()),
    }
}

/// Why content is not a single value.
enum NotValue {
    /// It builds elements.
    Elements,
    /// It uses something with no translation.
    Unsupported(String),
}

/// A global variable holding `document('FILE')…`: its uses become `lookup()` calls.
#[derive(Debug, Clone)]
struct DocVar {
    name: String,
    file: String,
    path: String,
}

/// A variable whose content is a loop writing one element of a computed value per node
/// (`<v><xsl:for-each select="items/item"><t><xsl:value-of select="price * qty"/></t>…`):
/// `sum(exsl:node-set($v)/t)` is `sum-of(items/item, price * qty)`.
#[derive(Debug, Clone)]
struct Fragment {
    name: String,
    select: String,
    element: String,
    value: String,
}

/// The script parts besides the rules.
#[derive(Debug, Default)]
pub(crate) struct Translation {
    /// The `map` block's lines: lookups first, then the rules (and comments).
    pub items: Vec<Item>,
    /// Global `xsl:param`s: name and default text.
    pub params: Vec<(String, String)>,
    /// `root "NAME"` when the output's root is not a plain `<Company>`.
    pub root: Option<String>,
    /// `namespace [PREFIX] "URI"` lines.
    pub namespaces: Vec<(Option<String>, String)>,
    /// Whether a lookup table names the stylesheet's folder (`${tables}`).
    pub tables: bool,
    /// Notes for the report.
    pub notes: Vec<String>,
}

/// Walks a stylesheet into a [`Translation`].
pub(crate) struct Translator<'s, 'a, 'i> {
    sheet: &'s Stylesheet<'a, 'i>,
    next_id: usize,
    subst: Vec<(String, String)>,
    docs: Vec<DocVar>,
    depth: usize,
    default_ns: Option<String>,
    /// Local variables bound to a select, latest last: what `apply-templates select="$v"` applies to.
    locals: Vec<(String, String)>,
    /// What `position()` is inside the current loop: `None` when it cannot be written.
    position: Option<String>,
    /// Variables holding one element per node of a loop, summed through `node-set()`.
    fragments: Vec<Fragment>,
    /// The paths of the elements with child elements written so far in the current record.
    written: Vec<String>,
    /// `written` of the records around the current one.
    records: Vec<Vec<String>>,
    /// The `with-param`s handed to the next rule are those of a `call-template` inside the
    /// loop body: evaluated from each node, so `let`s inside the rule.
    with_in_loop: bool,
    /// How many times templates were inlined so far (see [`MAX_INLINED`]).
    inlined: usize,
    /// For a stylesheet inside a workflow: its folder and the task's parameter values;
    /// params become constants and look-up files name the folder.
    inline: Option<(String, Vec<(String, String)>)>,
    out: Translation,
}

impl<'s, 'a, 'i> Translator<'s, 'a, 'i> {
    #[must_use]
    pub(crate) fn new(sheet: &'s Stylesheet<'a, 'i>) -> Self {
        Translator {
            sheet,
            next_id: 0,
            subst: Vec::new(),
            docs: Vec::new(),
            depth: 0,
            default_ns: None,
            locals: Vec::new(),
            position: None,
            fragments: Vec::new(),
            written: Vec::new(),
            records: Vec::new(),
            with_in_loop: false,
            inlined: 0,
            inline: None,
            out: Translation::default(),
        }
    }

    /// A translator for a stylesheet run by a workflow task: `folder` holds its files,
    /// `params` are the task's values for its `xsl:param`s.
    #[must_use]
    pub(crate) fn inline(mut self, folder: &str, params: Vec<(String, String)>) -> Self {
        self.inline = Some((folder.to_string(), params));
        self
    }

    /// Translates the whole stylesheet.
    #[must_use]
    pub(crate) fn run(mut self) -> Translation {
        let mut items = Vec::new();
        for node in self.sheet.others.clone() {
            let what = format!("<xsl:{}>", node.tag_name().name());
            let reason = match node.tag_name().name() {
                "import" | "include" => {
                    "the stylesheet it names is not read; convert it too and merge the rules"
                }
                "decimal-format" => "format-number() uses the default decimal format",
                "attribute-set" => "attribute sets are not translated",
                _ => "no translation",
            };
            items.push(self.skip(node, &what, reason));
        }
        for global in self.sheet.globals.clone() {
            self.global(global, &mut items);
        }
        let mut rules = Vec::new();
        if let Some(output) = self.sheet.output
            && let Some(method) = output.attribute("method").filter(|m| *m != "xml")
        {
            items.push(self.skip(
                output,
                &format!("<xsl:output method=\"{method}\">"),
                "a `map` writes XML; the records below are what the stylesheet's loops select",
            ));
        }
        match self.document_template() {
            Some((template, base)) => {
                self.doc_content(template.node, &[], &base, false, &mut rules);
            }
            None => {
                let root = self.sheet.doc.root_element();
                rules.push(self.skip(
                    root,
                    "the stylesheet",
                    "no template matches the document (`/`) or its root element",
                ));
            }
        }
        items.append(&mut rules);
        self.out.items.append(&mut items);
        self.out
    }

    fn id(&mut self) -> usize {
        self.next_id += 1;
        self.next_id
    }

    fn item(&mut self, node: Node, kind: Kind) -> Item {
        Item {
            line: self.sheet.line(node),
            id: self.id(),
            kind,
        }
    }

    fn skip(&mut self, node: Node, what: &str, reason: &str) -> Item {
        self.item(
            node,
            Kind::Skipped {
                what: what.to_string(),
                reason: reason.to_string(),
            },
        )
    }

    fn skip_node(&mut self, node: Node, reason: &str) -> Item {
        let what = describe(node);
        self.skip(node, &what, reason)
    }

    /// The template the document starts with, and the path its context node has.
    fn document_template(&self) -> Option<(Template<'a, 'i>, String)> {
        let plain = |t: &&Template| t.mode.is_none() && t.matches.is_some();
        if let Some(t) = self.sheet.templates.iter().filter(plain).find(|t| {
            t.matches
                .is_some_and(|m| expr::union_parts(m).contains(&"/"))
        }) {
            return Some((*t, String::new()));
        }
        let rooted = self.sheet.templates.iter().filter(plain).find_map(|t| {
            let name = t.matches?.trim().strip_prefix('/')?;
            is_name(name).then(|| (*t, format!("/{name}")))
        });
        if rooted.is_some() {
            return rooted;
        }
        self.plain_document_template()
    }

    /// A template for a plain name (`Orders`) taken for the document element's: only when
    /// nothing else could apply to it, no catch-all (`node()`, `*`) and no `apply-templates` naming it.
    fn plain_document_template(&self) -> Option<(Template<'a, 'i>, String)> {
        let plain = |t: &&Template| t.mode.is_none() && t.matches.is_some();
        let catch_all = self.sheet.templates.iter().filter(plain).any(|t| {
            t.matches.is_some_and(|m| {
                expr::union_parts(m)
                    .iter()
                    .any(|p| matches!(*p, "node()" | "*" | "@*"))
            })
        });
        if catch_all {
            return None;
        }
        let applied: Vec<String> = self
            .sheet
            .doc
            .descendants()
            .filter(|n| is_xsl(*n, "apply-templates"))
            .filter_map(|n| n.attribute("select"))
            .flat_map(|s| {
                expr::union_parts(s)
                    .into_iter()
                    .filter_map(expr::last_step_name)
                    .collect::<Vec<_>>()
            })
            .collect();
        self.sheet.templates.iter().filter(plain).find_map(|t| {
            let name = t.matches?.trim();
            (is_name(name) && !applied.iter().any(|a| a == name)).then(|| (*t, format!("/{name}")))
        })
    }

    /// A global `xsl:param` (a script `param`) or `xsl:variable` (substituted where used).
    fn global(&mut self, node: Node<'a, 'i>, items: &mut Vec<Item>) {
        let Some(name) = node.attribute("name") else {
            return;
        };
        let select = node.attribute("select");
        if is_xsl(node, "param") {
            let taken = sanitize(name);
            if self.out.params.iter().any(|(p, _)| *p == taken)
                || matches!(taken.as_str(), "input" | "output" | "tables")
            {
                items.push(self.skip(
                    node,
                    &format!("the param `{name}`"),
                    "a second param of this name (or one of the script's own: input, output, tables)",
                ));
                return;
            }
            let default = match select.map(str::trim) {
                None => self.text_content(node).unwrap_or_default(),
                Some(s) => match constant(s) {
                    Some(text) => text,
                    None => {
                        items.push(self.skip(
                            node,
                            &format!("the default of `{name}`"),
                            &format!("`{s}` is an expression; the param starts empty, set it with --var {}=…", sanitize(name)),
                        ));
                        String::new()
                    }
                },
            };
            if let Some((_, params)) = &self.inline {
                let value = params
                    .iter()
                    .find(|(n, _)| n == name)
                    .map_or(default, |(_, v)| v.clone());
                self.subst.push((name.to_string(), literal(&value)));
                return;
            }
            let renamed = self.zynk_name(name);
            if renamed != name {
                self.out.notes.push(format!(
                    "the param `{name}` is `{renamed}` in the script (--var {renamed}=…)"
                ));
            }
            self.out.params.push((renamed, default));
            return;
        }
        match select.map(str::trim) {
            Some(s) => {
                if let Some((file, path)) = expr::document_call(s) {
                    self.docs.push(DocVar {
                        name: name.to_string(),
                        file,
                        path,
                    });
                } else if let Some(text) = literal_text(s.trim()) {
                    self.subst.push((name.to_string(), literal(&text)));
                } else {
                    // A global's context is the document: a relative path is from its root.
                    let absolute = if expr::is_relative_path(s) {
                        format!("(/{s})")
                    } else {
                        format!("({s})")
                    };
                    self.subst.push((name.to_string(), absolute));
                }
            }
            None => match self.value(node) {
                Ok(val) => {
                    let x = val.as_xpath();
                    self.subst.push((name.to_string(), format!("({x})")));
                }
                Err(_) => items.push(self.skip_node(
                    node,
                    "a variable that builds elements (a result tree fragment) has no translation",
                )),
            },
        }
    }

    /// A zynk name for an XSLT variable or param: `order-id` becomes `order_id`, and its
    /// uses follow.
    fn zynk_name(&mut self, name: &str) -> String {
        let mut renamed = sanitize(name);
        if self.out.params.iter().any(|(p, _)| *p == renamed)
            || matches!(renamed.as_str(), "input" | "output" | "tables")
        {
            renamed.push_str("_v");
        }
        if renamed != name {
            self.subst.push((name.to_string(), format!("${renamed}")));
        }
        renamed
    }

    /// The text of an element's content, when it is only text.
    fn text_content(&self, node: Node) -> Option<String> {
        node.children()
            .all(|c| c.is_text() || is_xsl(c, "text"))
            .then(|| node.children().filter_map(|c| c.text()).collect::<String>())
    }

    /// Rewrites an XPath of the stylesheet for the map: `document()` variables become
    /// `lookup()`, node-set calls unwrap, `key()` becomes a predicate, variables substitute.
    fn xpath(&mut self, node: Node, text: &str) -> Result<String, String> {
        let mut text = self.fragment_sums(text.trim());
        if text.contains(":node-set(") {
            text = expr::unwrap_node_set(&text)
                .ok_or("node-set() of a result tree fragment has no translation")?;
        }
        text = self.doc_lookups(node, &text)?;
        text = expr::substitute(&text, &self.subst);
        if expr::find_call(&text, "key").is_some() {
            let sheet = self.sheet;
            text = expr::expand_keys(&text, &|name| {
                sheet
                    .key(name)
                    .map(|k| (k.matches.to_string(), k.uses.to_string()))
            })
            .ok_or("a key() call other than key('NAME', relative/path) has no translation")?;
        }
        if expr::find_call(&text, "document").is_some() {
            return Err(
                "document() outside a global variable has no translation; use a `lookup` table"
                    .into(),
            );
        }
        if !expr::calls_outside_predicates(&text, "last").is_empty() {
            return Err("last() of the loop has no translation: a `for each` record does not know how many there are".into());
        }
        let positions = expr::calls_outside_predicates(&text, "position");
        if !positions.is_empty() {
            let Some(position) = self.position.clone() else {
                return Err("position() in the loop has no translation here: records are numbered only in a loop over one child step".into());
            };
            for at in positions.into_iter().rev() {
                let close = at + text[at..].find(')').unwrap_or(0);
                text.replace_range(at..=close, &position);
            }
        }
        Ok(text)
    }

    /// A variable that is a [`Fragment`], if it is one.
    fn fragment(&mut self, variable: Node<'a, 'i>, name: &str) -> Option<Fragment> {
        let mut body = variable
            .children()
            .filter(|c| !is_blank(*c) && !c.is_comment());
        let each = body.next().filter(|c| is_xsl(*c, "for-each"))?;
        if body.next().is_some() {
            return None;
        }
        let mut inner = each.children().filter(|c| !is_blank(*c) && !c.is_comment());
        let element = inner
            .next()
            .filter(|c| c.is_element() && !is_instruction(*c))?;
        if inner.next().is_some() || element.attributes().len() > 0 {
            return None;
        }
        let select = self.xpath(each, each.attribute("select")?).ok()?;
        let outer = self.position.take();
        let value = self.value(element).ok().map(|v| v.as_xpath());
        self.position = outer;
        Some(Fragment {
            name: name.to_string(),
            select,
            element: element.tag_name().name().to_string(),
            value: value?,
        })
    }

    /// `sum(…:node-set($v)/t)` and `count(…)` of a [`Fragment`] as `sum-of()` and `count()`.
    fn fragment_sums(&self, text: &str) -> String {
        let mut out = text.to_string();
        for f in &self.fragments {
            let pattern = format!(
                r"(sum|count)\(\s*[A-Za-z_][\w.-]*:node-set\(\s*\${}\s*\)\s*/\s*(\*|{})\s*\)",
                regex::escape(&f.name),
                regex::escape(&f.element)
            );
            let Ok(re) = regex::Regex::new(&pattern) else {
                continue;
            };
            out = re
                .replace_all(&out, |c: &regex::Captures| {
                    if &c[1] == "sum" {
                        format!("sum-of({}, {})", f.select, f.value)
                    } else {
                        format!("count({})", f.select)
                    }
                })
                .into_owned();
        }
        out
    }

    /// `$V/STEP[KEY = VALUE][/OUT]` for a `document()` variable `V` becomes
    /// `lookup('TABLE', VALUE)` (a test of such a path alone, `lookup(…, '\u{1}') != '\u{1}'`).
    fn doc_lookups(&mut self, node: Node, text: &str) -> Result<String, String> {
        let mut out = text.to_string();
        for doc in self.docs.clone() {
            let marker = format!("${}/", doc.name);
            let mut guard = 0;
            while let Some(at) = out.find(&marker) {
                guard += 1;
                if guard > 32 {
                    break;
                }
                let rest = &out[at + marker.len()..];
                let Some(open) = rest.find('[') else {
                    return Err(format!(
                        "`${}` is a document() look-up written in a way that has no translation",
                        doc.name
                    ));
                };
                let step = rest[..open].trim().to_string();
                let Some((before, predicate)) = expr::last_predicate(
                    &rest[..=matching(rest, open).ok_or("unbalanced brackets")?],
                ) else {
                    return Err("unbalanced brackets".into());
                };
                let _ = before;
                let close = matching(rest, open).ok_or("unbalanced brackets")?;
                let eq = predicate
                    .find('=')
                    .filter(|&i| !predicate[..i].ends_with(['!', '<', '>']));
                let Some(eq) = eq else {
                    return Err(format!(
                        "`${}/{step}[{predicate}]` is not a key = value look-up",
                        doc.name
                    ));
                };
                let (mut key, mut value) = (predicate[..eq].trim(), predicate[eq + 1..].trim());
                if key.starts_with('$') || key.starts_with("current()") {
                    std::mem::swap(&mut key, &mut value);
                }
                if !expr::is_simple_path(key) && key != "." {
                    return Err(format!("the look-up key `{key}` is not a plain path"));
                }
                let value = if let Some(v) = value.strip_prefix("current()/") {
                    v.to_string()
                } else if value == "current()" {
                    ".".to_string()
                } else if value.starts_with('$')
                    || value.starts_with('\'')
                    || value.starts_with('"')
                {
                    value.to_string()
                } else {
                    return Err(format!(
                        "the looked-up value `{value}` is relative to the table's row; write it as `current()/…` or a variable"
                    ));
                };
                let tail_len = rest[close + 1..].strip_prefix('/').map_or(0, |t| {
                    1 + t
                        .find(|c: char| {
                            !(c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':' | '/' | '@'))
                        })
                        .unwrap_or(t.len())
                });
                let out_path = if tail_len > 0 {
                    rest[close + 2..close + 1 + tail_len].to_string()
                } else {
                    ".".to_string()
                };
                let rows = format!("{}/{step}", doc.path.trim_end_matches('/'));
                let rows = if rows.starts_with('/') {
                    rows
                } else {
                    format!("/{rows}")
                };
                let table = self.table(node, &doc, &rows, key, &out_path);
                let end = at + marker.len() + close + 1 + tail_len;
                let replacement = format!("lookup('{table}', {value})");
                out.replace_range(at..end, &replacement);
            }
        }
        Ok(out)
    }

    /// The lookup table for rows `rows` keyed by `key` giving `value`, declared once.
    fn table(&mut self, node: Node, doc: &DocVar, rows: &str, key: &str, value: &str) -> String {
        let existing = self.out.items.iter().find_map(|i| match &i.kind {
            Kind::Lookup {
                name,
                rows: r,
                key: k,
                value: v,
                ..
            } if r == rows && k == key && v == value => Some(name.clone()),
            _ => None,
        });
        if let Some(name) = existing {
            return name;
        }
        let taken = |n: &str, items: &[Item]| {
            items
                .iter()
                .any(|i| matches!(&i.kind, Kind::Lookup { name, .. } if name == n))
        };
        let base = sanitize(&doc.name);
        let mut name = base.clone();
        let mut n = 1;
        while taken(&name, &self.out.items) {
            n += 1;
            name = format!("{base}_{n}");
        }
        self.out.tables = self.inline.is_none();
        let folder = match &self.inline {
            Some((folder, _)) => folder.replace('$', "\\$"),
            None => "${tables}".to_string(),
        };
        let file = crate::convert::writer::Value::text(&format!("{folder}/{}", doc.file))
            .render()
            .replace("\\$", "$");
        let item = self.item(
            node,
            Kind::Lookup {
                file,
                name: name.clone(),
                rows: rows.to_string(),
                key: key.to_string(),
                value: value.to_string(),
            },
        );
        self.out.items.push(item);
        name
    }

    /// A test: a `document()` look-up alone (or under `not()`) tests whether the key is there.
    fn test(&mut self, node: Node, test: &str) -> Result<String, String> {
        let trimmed = test.trim();
        let (negated, inner) = match trimmed
            .strip_prefix("not(")
            .and_then(|r| r.strip_suffix(')'))
        {
            Some(inner) => (true, inner.trim()),
            None => (false, trimmed),
        };
        let is_doc = self
            .docs
            .iter()
            .any(|d| inner.starts_with(&format!("${}/", d.name)) && inner.ends_with(']'));
        if is_doc {
            let looked = self.xpath(node, inner)?;
            let probe = looked
                .strip_suffix(')')
                .map(|l| format!("{l}, '\u{1}') != '\u{1}'"));
            if let Some(probe) = probe {
                return Ok(if negated {
                    format!("not({probe})")
                } else {
                    probe
                });
            }
        }
        self.xpath(node, test)
    }

    /// Content at the document level, above the records.
    fn doc_content(
        &mut self,
        parent: Node<'a, 'i>,
        wrapper: &[String],
        base: &str,
        in_root: bool,
        out: &mut Vec<Item>,
    ) {
        for child in parent.children() {
            if child.is_text() {
                if child.text().is_some_and(|t| !t.trim().is_empty()) {
                    out.push(self.skip(
                        child,
                        "text",
                        "text outside any record has no translation",
                    ));
                }
                continue;
            }
            if !child.is_element() {
                continue;
            }
            if !is_instruction(child) {
                let name = self.out_name(child, !in_root);
                if !in_root {
                    if name != "Company" || child.tag_name().namespace().is_some() {
                        self.out.root = Some(name);
                    }
                    if child
                        .attributes()
                        .any(|a| a.namespace() != Some(super::stylesheet::XSL))
                    {
                        out.push(self.skip(
                            child,
                            "attributes of the root element",
                            "a `map` writes no attributes on its root",
                        ));
                    }
                    self.doc_content(child, &[], base, true, out);
                } else if !is_wrapper(child) && !wraps_one_element(child) && base.len() > 1 {
                    self.single_record(child, &name, wrapper, base, out);
                } else {
                    if child
                        .attributes()
                        .any(|a| a.namespace() != Some(super::stylesheet::XSL))
                    {
                        out.push(self.skip(
                            child,
                            &format!("attributes of <{name}>"),
                            "a `map` writes no attributes on the wrappers of records",
                        ));
                    }
                    let mut inner = wrapper.to_vec();
                    inner.push(name);
                    self.doc_content(child, &inner, base, true, out);
                }
                continue;
            }
            match child.tag_name().name() {
                "for-each" if in_root => {
                    let Some(select) = child.attribute("select") else {
                        continue;
                    };
                    let select = absolute(base, select);
                    self.each(child, &select, child, wrapper, false, &[], None, out);
                }
                "apply-templates" => self.doc_apply(child, wrapper, base, in_root, out),
                "call-template" => {
                    if let Some((template, pushed)) = self.call(child, out) {
                        if self.enter(child, out) {
                            self.doc_content(template.node, wrapper, base, in_root, out);
                            self.depth -= 1;
                        }
                        self.subst.truncate(self.subst.len() - pushed);
                    }
                }
                "variable" => {
                    let mut items = Vec::new();
                    self.global(child, &mut items);
                    out.append(&mut items);
                }
                "param" => {}
                "text" if child.text().is_none_or(|t| t.trim().is_empty()) => {}
                "comment" | "message" | "sort" => {}
                _ => out.push(self.skip_node(
                    child,
                    "outside the records; a `map` writes records of the input",
                )),
            }
        }
    }

    /// An element under the root that the template writes once, from the document element
    /// (`base`): a rule over that one node.
    fn single_record(
        &mut self,
        element: Node<'a, 'i>,
        name: &str,
        wrapper: &[String],
        base: &str,
        out: &mut Vec<Item>,
    ) {
        let mut items = Vec::new();
        let outer_position = self.position.take();
        self.element_attributes(element, &Ctx::default(), None, &mut items, false);
        self.content(element, &Ctx::default(), &mut items);
        self.position = outer_position;
        let mut target = wrapper.to_vec();
        target.push(name.to_string());
        let item = self.item(
            element,
            Kind::Each {
                select: base.to_string(),
                distinct: None,
                sort: None,
                target: target.join("/"),
                items,
            },
        );
        out.push(item);
    }

    /// `xsl:apply-templates` at the document level: the template that builds the root, or
    /// the records' template.
    fn doc_apply(
        &mut self,
        node: Node<'a, 'i>,
        wrapper: &[String],
        base: &str,
        in_root: bool,
        out: &mut Vec<Item>,
    ) {
        let mode = node.attribute("mode");
        let select = match node.attribute("select") {
            Some(s) => absolute(base, s),
            None => {
                if !in_root
                    && mode.is_none()
                    && let Some((template, path)) = self.plain_document_template()
                {
                    if self.enter(node, out) {
                        self.doc_content(template.node, wrapper, &path, in_root, out);
                        self.depth -= 1;
                    }
                    return;
                }
                match self.only_template(mode) {
                    Some(m) => absolute(base, &m),
                    None => {
                        out.push(self.skip_node(node, "which templates apply to the children is decided per node; give `select`"));
                        return;
                    }
                }
            }
        };
        let template = match self.template_for(&select, mode) {
            Ok(t) => t,
            Err(reason) => {
                out.push(self.skip_node(node, &reason));
                return;
            }
        };
        if in_root {
            self.each(
                node,
                &select,
                template.node,
                wrapper,
                false,
                &params_of(node),
                None,
                out,
            );
        } else if self.enter(node, out) {
            self.doc_content(template.node, wrapper, &select, in_root, out);
            self.depth -= 1;
        }
    }

    fn enter(&mut self, node: Node, out: &mut Vec<Item>) -> bool {
        if self.depth >= MAX_DEPTH {
            out.push(self.skip_node(node, RECURSION));
            return false;
        }
        if self.inlined >= MAX_INLINED {
            out.push(self.skip_node(node, TOO_MANY));
            return false;
        }
        self.inlined += 1;
        self.depth += 1;
        true
    }

    /// The one template of `mode` that applies to elements, as a relative select.
    fn only_template(&self, mode: Option<&str>) -> Option<String> {
        let mut names = self
            .sheet
            .templates
            .iter()
            .filter(|t| t.mode == mode)
            .filter_map(|t| {
                let m = t.matches?;
                (m.trim() != "/" && !m.contains("text()"))
                    .then(|| expr::last_step_name(m))
                    .flatten()
            });
        let first = names.next()?;
        names.next().is_none().then_some(first)
    }

    /// The template that `apply-templates select=…` runs for each node.
    fn template_for(&self, select: &str, mode: Option<&str>) -> Result<Template<'a, 'i>, String> {
        let mut resolved = select.trim().to_string();
        for _ in 0..8 {
            let Some(name) = resolved.strip_prefix('$') else {
                break;
            };
            let end = name
                .find(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | '-' | '.')))
                .unwrap_or(name.len());
            let Some((_, bound)) = self.locals.iter().rev().find(|(n, _)| n == &name[..end]) else {
                break;
            };
            resolved = format!("{bound}{}", &name[end..]);
        }
        let select = resolved.as_str();
        let names: Vec<Option<String>> = expr::union_parts(select)
            .iter()
            .map(|p| expr::last_step_name(p))
            .collect();
        let name = match names.first() {
            Some(Some(n)) if names.iter().all(|x| x.as_deref() == Some(n.as_str())) => n.clone(),
            _ => {
                return Err(format!(
                    "the nodes of `{}` may match different templates",
                    item_one_line(select)
                ));
            }
        };
        let local = name.rsplit(':').next().unwrap_or(&name).to_string();
        let candidates: Vec<&Template> = self
            .sheet
            .templates
            .iter()
            .filter(|t| t.mode == mode)
            .filter(|t| {
                t.matches.is_some_and(|m| {
                    expr::union_parts(m).iter().any(|p| {
                        let step = p.rsplit('/').next().unwrap_or(p);
                        let step = step.split('[').next().unwrap_or(step).trim();
                        step == name || step.rsplit(':').next() == Some(local.as_str())
                    })
                })
            })
            .collect();
        let candidates = if candidates.is_empty() {
            self.sheet
                .templates
                .iter()
                .filter(|t| {
                    t.mode == mode && matches!(t.matches.map(str::trim), Some("*" | "node()"))
                })
                .collect()
        } else {
            candidates
        };
        match candidates.as_slice() {
            [one] if !one.matches.is_some_and(|m| m.contains('[')) => Ok(**one),
            [] => Err(format!(
                "no template matches `{name}`; XSLT's built-in rule would copy its text"
            )),
            _ => Err(format!(
                "several templates (or a pattern with a predicate) match `{name}`; which one applies is decided per node"
            )),
        }
    }

    /// Binds a named template's params for `call-template`; how many substitutions it pushed.
    fn call(
        &mut self,
        node: Node<'a, 'i>,
        out: &mut Vec<Item>,
    ) -> Option<(Template<'a, 'i>, usize)> {
        let Some(template) = node.attribute("name").and_then(|n| self.sheet.named(n)) else {
            out.push(self.skip_node(node, "no template of that name"));
            return None;
        };
        if node
            .attribute("name")
            .is_some_and(|n| self.sheet.is_recursive(n))
        {
            out.push(self.skip_node(node, RECURSION));
            return None;
        }
        let with = params_of(node);
        // `with-param` values are the caller's, so they are all evaluated before any is
        // bound; a param's own default is evaluated after the params before it are bound
        // (it may use them).
        let params: Vec<Node<'a, 'i>> = template
            .node
            .children()
            .filter(|c| is_xsl(*c, "param") && c.attribute("name").is_some())
            .collect();
        let mut given_values = Vec::new();
        for param in &params {
            let given = with
                .iter()
                .find(|w| w.attribute("name") == param.attribute("name"))
                .copied();
            match given.map(|g| self.param_value(g)) {
                Some(Err(reason)) => {
                    out.push(self.skip_node(given.unwrap_or(*param), &reason));
                    return None;
                }
                Some(Ok(v)) => given_values.push(Some(v)),
                None => given_values.push(None),
            }
        }
        let mut pushed = 0;
        for (param, given) in params.into_iter().zip(given_values) {
            let value = match given {
                Some(v) => v,
                None => match self.param_value(param) {
                    Ok(v) => v,
                    Err(reason) => {
                        self.subst.truncate(self.subst.len() - pushed);
                        out.push(self.skip_node(param, &reason));
                        return None;
                    }
                },
            };
            let name = param.attribute("name").unwrap_or_default();
            self.subst.push((name.to_string(), value));
            pushed += 1;
        }
        Some((template, pushed))
    }

    /// The value of a `with-param` or `param` as an XPath in parentheses.
    fn param_value(&mut self, node: Node<'a, 'i>) -> Result<String, String> {
        let value = match node.attribute("select") {
            Some(s) => self.xpath(node, s).map(|x| format!("({x})")),
            None => self
                .value(node)
                .map(|v| format!("({})", v.as_xpath()))
                .map_err(|_| "a parameter that builds elements has no translation".to_string()),
        }?;
        if value.len() > MAX_VALUE_LEN {
            return Err(format!(
                "the parameter's value grows past {} KiB as templates pass it on; it has no translation",
                MAX_VALUE_LEN / 1024
            ));
        }
        Ok(value)
    }

    /// One `for each` rule: the nodes of `select`, each built by `body` (a `for-each` or a
    /// template). `fields_record`: the body may write fields straight into the record
    /// element that is the last of `prefix`.
    #[allow(clippy::too_many_arguments)]
    fn each(
        &mut self,
        node: Node<'a, 'i>,
        select: &str,
        body: Node<'a, 'i>,
        prefix: &[String],
        fields_record: bool,
        with: &[Node<'a, 'i>],
        keep: Option<Node<'a, 'i>>,
        out: &mut Vec<Item>,
    ) {
        // A body that only calls a named template is that template's body, with its params;
        // one that calls it inside an `xsl:if` (and nothing else) keeps the nodes that pass
        // the test. Each step goes one template deeper, so recursion ends at `MAX_DEPTH`.
        let calls: Vec<Node<'a, 'i>> = body
            .children()
            .filter(|c| !(is_xsl(*c, "sort") || c.is_comment() || c.is_pi() || is_blank(*c)))
            .collect();
        if let [call] = calls.as_slice()
            && is_xsl(*call, "call-template")
            && let Some(template) = call.attribute("name").and_then(|n| self.sheet.named(n))
            && !template.name.is_some_and(|n| self.sheet.is_recursive(n))
            && self.depth < MAX_DEPTH
        {
            self.depth += 1;
            self.with_in_loop = true;
            self.each(
                node,
                select,
                template.node,
                prefix,
                fields_record,
                &params_of(*call),
                keep,
                out,
            );
            self.depth -= 1;
            return;
        }
        if let [iff] = calls.as_slice()
            && is_xsl(*iff, "if")
            && keep.is_none()
            && iff.attribute("test").is_some()
            && let [call] = significant_children(*iff).as_slice()
            && is_xsl(*call, "call-template")
            && let Some(template) = call.attribute("name").and_then(|n| self.sheet.named(n))
            && !template.name.is_some_and(|n| self.sheet.is_recursive(n))
            && self.depth < MAX_DEPTH
        {
            self.depth += 1;
            self.with_in_loop = true;
            self.each(
                node,
                select,
                template.node,
                prefix,
                fields_record,
                &params_of(*call),
                Some(*iff),
                out,
            );
            self.depth -= 1;
            return;
        }
        let mut select = select.trim().to_string();
        let mut distinct = None;
        let direct = expr::muenchian(&select);
        let grouped_parent = direct.is_none();
        if let Some((path, key_name, key_expr)) = direct.or_else(|| expr::muenchian_parent(&select))
            && let Some(key) = self.sheet.key(&key_name)
        {
            // Only the nodes the key's pattern matches are in a group: when the select
            // may give others, it keeps those that match.
            select = match expr::pattern_test(key.matches) {
                Some(test) if !grouped_parent && !expr::ends_with_pattern(&path, key.matches) => {
                    with_predicate(&path, &test)
                }
                _ => path,
            };
            distinct = Some(key_expr);
        }
        let select = match self.xpath(node, &select) {
            Ok(s) => s,
            Err(reason) => {
                out.push(self.skip_node(node, &reason));
                return;
            }
        };
        let distinct = match distinct.map(|d| self.xpath(node, &d)) {
            Some(Ok(d)) => Some(d),
            Some(Err(reason)) => {
                out.push(self.skip_node(node, &reason));
                return;
            }
            None => None,
        };
        let outer_select = select.clone();
        let select = match keep {
            None => select,
            Some(iff) => match self.kept(iff, &select, distinct.as_deref()) {
                Ok(s) => s,
                Err(reason) => {
                    out.push(self.skip_node(iff, &reason));
                    return;
                }
            },
        };
        let mut items = Vec::new();
        let sort = match self.sort(node) {
            Ok(sort) => sort,
            Err((at, reason)) => {
                items.push(self.skip_node(at, &reason));
                None
            }
        };
        if !self.enter(node, out) {
            return;
        }
        self.records.push(std::mem::take(&mut self.written));
        let in_loop = std::mem::take(&mut self.with_in_loop);
        let pushed = self.bind_template_params(body, with, in_loop, &mut items, out);
        let outer_position = self.position.take();
        // `xsl:if` does not change the node list: position() counts every node of the select
        // (in document order: sorted, it has no translation).
        self.position = single_step(&outer_select)
            .filter(|_| sort.is_none())
            .map(|step| format!("(count(preceding-sibling::{step}) + 1)"));
        let significant: Vec<Node> = body
            .children()
            .filter(|c| {
                !(is_xsl(*c, "sort")
                    || is_xsl(*c, "param")
                    || c.is_comment()
                    || c.is_pi()
                    || is_blank(*c))
            })
            .collect();
        let split = significant
            .iter()
            .position(|c| !(is_xsl(*c, "variable")))
            .unwrap_or(significant.len());
        let (lets, rest) = significant.split_at(split);
        let mut select = select;
        let mut branched: Vec<(Ctx, Node<'a, 'i>)> = Vec::new();
        let record = match rest {
            [one] if is_record_element(*one) => Some(*one),
            [one] if is_xsl(*one, "if") => {
                let inner: Vec<Node> = one
                    .children()
                    .filter(|c| !(c.is_text() && c.text().is_some_and(|t| t.trim().is_empty())))
                    .collect();
                match (inner.as_slice(), one.attribute("test")) {
                    ([el], Some(test))
                        if is_record_element(*el) && (lets.is_empty() || !test.contains('$')) =>
                    {
                        match self.test(*one, test) {
                            Ok(t) => {
                                select = if expr::union_parts(&select).len() > 1 {
                                    format!("({select})[{t}]")
                                } else {
                                    format!("{select}[{t}]")
                                };
                                Some(*el)
                            }
                            Err(_) => None,
                        }
                    }
                    _ => None,
                }
            }
            [one] if is_xsl(*one, "choose") && lets.is_empty() => match self.branch_records(*one) {
                Some(Ok((test, branches))) => {
                    if let Some(t) = test {
                        select = with_predicate(&select, &t);
                    }
                    branched = branches;
                    branched.first().map(|(_, el)| *el)
                }
                Some(Err(reason)) => {
                    out.push(self.skip_node(*one, &reason));
                    self.leave(pushed, outer_position);
                    return;
                }
                None => None,
            },
            _ => None,
        };
        for variable in lets {
            self.content_node(*variable, &Ctx::default(), &mut items);
        }
        let target = match record {
            Some(el) => {
                let Some(name) = self.element_name(el) else {
                    out.push(self.skip_node(
                        el,
                        "an element name computed from the input has no translation",
                    ));
                    self.leave(pushed, outer_position);
                    return;
                };
                if branched.is_empty() {
                    self.element_attributes(el, &Ctx::default(), None, &mut items, false);
                    self.content(el, &Ctx::default(), &mut items);
                }
                for (ctx, el) in std::mem::take(&mut branched) {
                    self.element_attributes(el, &ctx, None, &mut items, false);
                    self.content(el, &ctx, &mut items);
                }
                let mut target = prefix.to_vec();
                target.push(name);
                target.join("/")
            }
            None if fields_record && !prefix.is_empty() => {
                for child in rest {
                    self.content_node(*child, &Ctx::default(), &mut items);
                }
                prefix.join("/")
            }
            None => {
                let what = if rest.is_empty() {
                    "writes nothing"
                } else {
                    "writes other than one element"
                };
                out.push(self.skip_node(
                    node,
                    &format!("each node {what}; a `for each` writes one record element per node"),
                ));
                self.leave(pushed, outer_position);
                return;
            }
        };
        self.leave(pushed, outer_position);
        let item = self.item(
            node,
            Kind::Each {
                select,
                distinct,
                sort,
                target,
                items,
            },
        );
        out.push(item);
    }

    /// The `xsl:sort` of a loop as the rule's `sorted by`: one key, as text or number,
    /// ascending or descending. `Err` names the `xsl:sort` with no translation and why.
    fn sort(&mut self, node: Node<'a, 'i>) -> Result<Option<Sort>, (Node<'a, 'i>, String)> {
        let sorts: Vec<Node<'a, 'i>> = node.children().filter(|c| is_xsl(*c, "sort")).collect();
        let Some(first) = sorts.first().copied() else {
            return Ok(None);
        };
        if let Some(second) = sorts.get(1) {
            return Err((
                *second,
                "a second sort key has no translation (a `map` sorts by one key)".into(),
            ));
        }
        let numeric = match first.attribute("data-type").map(str::trim) {
            None | Some("text") => false,
            Some("number") => true,
            Some(other) => {
                return Err((
                    first,
                    format!("a sort by data-type `{other}` has no translation"),
                ));
            }
        };
        let descending = match first.attribute("order").map(str::trim) {
            None | Some("ascending") => false,
            Some("descending") => true,
            Some(other) => {
                return Err((
                    first,
                    format!("a sort in order `{other}` has no translation"),
                ));
            }
        };
        if first.attribute("lang").is_some() || first.attribute("case-order").is_some() {
            return Err((
                first,
                "a sort by language or case order has no translation (a `map` compares characters)"
                    .into(),
            ));
        }
        let key = self
            .xpath(first, first.attribute("select").unwrap_or("."))
            .map_err(|reason| (first, reason))?;
        Ok(Some(Sort {
            key,
            numeric,
            descending,
        }))
    }

    /// The select of a loop whose body is `<xsl:if test="T">` around the record: `T` as a
    /// predicate. With grouping, only a test that reads nothing but the group's key (`KEY !=
    /// ''`) is the same before and after grouping.
    fn kept(&mut self, iff: Node, select: &str, distinct: Option<&str>) -> Result<String, String> {
        let raw = iff.attribute("test").unwrap_or_default();
        let test = self.test(iff, raw)?;
        if let Some(key) = distinct
            && !expr::reads_only(&test, key)
        {
            return Err(
                "a condition on the records of a grouping that reads other than the key has no translation"
                    .to_string(),
            );
        }
        Ok(with_predicate(select, &test))
    }

    /// A loop body that is an `xsl:choose` whose every branch writes one element of the same
    /// name (itself, or a named template without params that writes only it): the test
    /// that keeps a node (none with an `xsl:otherwise`) and each branch's condition and
    /// element. `None` when the body is not of that shape.
    #[allow(clippy::type_complexity)]
    fn branch_records(
        &mut self,
        choose: Node<'a, 'i>,
    ) -> Option<Result<(Option<String>, Vec<(Ctx, Node<'a, 'i>)>), String>> {
        let mut elements = Vec::new();
        for branch in choose.children().filter(Node::is_element) {
            let el = match significant_children(branch).as_slice() {
                [el] if is_record_element(*el) => *el,
                [call] if is_xsl(*call, "call-template") => {
                    let template = call.attribute("name").and_then(|n| self.sheet.named(n))?;
                    if template.node.children().any(|c| is_xsl(c, "param")) {
                        return None;
                    }
                    match significant_children(template.node).as_slice() {
                        [el] if is_record_element(*el) => *el,
                        _ => return None,
                    }
                }
                _ => return None,
            };
            let name = self.element_name(el)?;
            elements.push((branch, el, name));
        }
        let first = elements.first()?.2.clone();
        if elements.iter().any(|(_, _, n)| *n != first) {
            return None;
        }
        let mut before: Vec<String> = Vec::new();
        let mut branches = Vec::new();
        let mut otherwise = false;
        for (branch, el, _) in elements {
            let test = match branch.attribute("test").filter(|_| is_xsl(branch, "when")) {
                Some(raw) => match self.test(branch, raw) {
                    Ok(t) => Some(t),
                    Err(reason) => return Some(Err(reason)),
                },
                None => {
                    otherwise = true;
                    None
                }
            };
            let mut cond = None;
            for b in &before {
                cond = Some(and(cond.as_deref(), &format!("not({b})")));
            }
            if let Some(t) = &test {
                cond = Some(and(cond.as_deref(), t));
            }
            branches.push((
                Ctx {
                    path: Vec::new(),
                    cond,
                },
                el,
            ));
            before.extend(test);
            if otherwise {
                break;
            }
        }
        let keep = (!otherwise).then(|| {
            before
                .iter()
                .map(|t| format!("({t})"))
                .collect::<Vec<_>>()
                .join(" or ")
        });
        Some(Ok((keep, branches)))
    }

    fn leave(&mut self, pushed: usize, position: Option<String>) {
        self.written = self.records.pop().unwrap_or_default();
        self.subst.truncate(self.subst.len() - pushed);
        self.depth -= 1;
        self.position = position;
    }

    /// A template's `xsl:param`s for `apply-templates`: `with-param` values are evaluated
    /// in the caller (a `let` there when they are not constant), defaults in the template.
    fn bind_template_params(
        &mut self,
        body: Node<'a, 'i>,
        with: &[Node<'a, 'i>],
        in_loop: bool,
        inside: &mut Vec<Item>,
        caller: &mut Vec<Item>,
    ) -> usize {
        if !is_xsl(body, "template") {
            return 0;
        }
        let mut pushed = 0;
        for param in body.children().filter(|c| is_xsl(*c, "param")) {
            let Some(name) = param.attribute("name") else {
                continue;
            };
            let given = with
                .iter()
                .find(|w| w.attribute("name") == Some(name))
                .copied();
            let source = given.unwrap_or(param);
            let constant_text = match source.attribute("select") {
                Some(s) => literal_text(s.trim()),
                None => self.text_content(source),
            };
            if let Some(text) = constant_text {
                self.subst.push((name.to_string(), literal(&text)));
                pushed += 1;
                continue;
            }
            let value = match source.attribute("select") {
                Some(s) => self.xpath(source, s).map(Val::XPath),
                None => self.value(source).map_err(|_| {
                    "a parameter that builds elements (a result tree fragment) has no translation".to_string()
                }),
            };
            let item = match value {
                Ok(value) => {
                    let name = self.zynk_name(name);
                    self.item(source, Kind::Let { name, value })
                }
                Err(reason) => self.skip_node(source, &reason),
            };
            if given.is_some() && !in_loop {
                caller.push(item);
            } else {
                inside.push(item);
            }
        }
        pushed
    }

    /// The record content of `parent`'s children.
    fn content(&mut self, parent: Node<'a, 'i>, ctx: &Ctx, out: &mut Vec<Item>) {
        for child in parent.children() {
            self.content_node(child, ctx, out);
        }
    }

    fn content_node(&mut self, child: Node<'a, 'i>, ctx: &Ctx, out: &mut Vec<Item>) {
        if child.is_text() {
            if child.text().is_some_and(|t| !t.trim().is_empty()) {
                out.push(self.skip(
                    child,
                    "text",
                    "text beside elements (mixed content) has no translation",
                ));
            }
            return;
        }
        if !child.is_element() {
            return;
        }
        if !is_instruction(child) {
            let Some(name) = self.element_name(child) else {
                return;
            };
            self.element(child, &name, ctx, out);
            return;
        }
        match child.tag_name().name() {
            "element" => match self.element_name(child) {
                Some(name) => self.element(child, &name, ctx, out),
                None => out.push(self.skip_node(
                    child,
                    "an element name computed from the input has no translation",
                )),
            },
            "attribute" => {
                let Some(name) = child.attribute("name").and_then(|n| self.constant_avt(n)) else {
                    out.push(self.skip_node(
                        child,
                        "an attribute name computed from the input has no translation",
                    ));
                    return;
                };
                let target = ctx.target(&format!("@{name}"));
                self.field(child, child, target, ctx, out);
            }
            "if" => {
                let Some(test) = child.attribute("test") else {
                    return;
                };
                match self.test(child, test) {
                    Ok(t) => self.content(child, &ctx.and(&t), out),
                    Err(reason) => out.push(self.skip_node(child, &reason)),
                }
            }
            "choose" => {
                let mut before: Vec<String> = Vec::new();
                for branch in child.children().filter(Node::is_element) {
                    let test = if is_xsl(branch, "when") {
                        let Some(test) = branch.attribute("test") else {
                            continue;
                        };
                        match self.test(branch, test) {
                            Ok(t) => Some(t),
                            Err(reason) => {
                                out.push(self.skip_node(branch, &reason));
                                return;
                            }
                        }
                    } else {
                        None
                    };
                    let mut cond = ctx.cond.clone();
                    for b in &before {
                        cond = Some(and(cond.as_deref(), &format!("not({b})")));
                    }
                    if let Some(t) = &test {
                        cond = Some(and(cond.as_deref(), t));
                    }
                    let inner = Ctx {
                        path: ctx.path.clone(),
                        cond,
                    };
                    self.content(branch, &inner, out);
                    if let Some(t) = test {
                        before.push(t);
                    }
                }
            }
            "for-each" => {
                let Some(select) = child.attribute("select") else {
                    return;
                };
                let Some(select) = self.conditional_select(child, select, ctx, out) else {
                    return;
                };
                self.each(child, &select, child, &ctx.path, false, &[], None, out);
            }
            "apply-templates" => self.apply(child, ctx, false, out),
            "call-template" => {
                if let Some((template, pushed)) = self.call(child, out) {
                    if self.enter(child, out) {
                        self.content(template.node, ctx, out);
                        self.depth -= 1;
                    }
                    self.subst.truncate(self.subst.len() - pushed);
                }
            }
            "variable" | "param" => {
                let Some(name) = child.attribute("name") else {
                    return;
                };
                if let Some(s) = child.attribute("select") {
                    self.locals.push((name.to_string(), s.to_string()));
                }
                if child.attribute("select").is_none()
                    && let Some(fragment) = self.fragment(child, name)
                {
                    self.fragments.push(fragment);
                    return;
                }
                let value = match child.attribute("select") {
                    Some(s) => self.xpath(child, s).map(Val::XPath),
                    None => self.value(child).map_err(|e| match e {
                        NotValue::Elements => "a variable that builds elements (a result tree fragment) has no translation".to_string(),
                        NotValue::Unsupported(r) => r,
                    }),
                };
                match value {
                    Ok(value) => {
                        let name = self.zynk_name(name);
                        let item = self.item(child, Kind::Let { name, value });
                        out.push(item);
                    }
                    Err(reason) => out.push(self.skip_node(child, &reason)),
                }
            }
            "copy-of" | "copy" => {
                let select = child.attribute("select").unwrap_or(".");
                match expr::last_step_name(select)
                    .filter(|_| is_xsl(child, "copy-of") && !select.trim_start().starts_with('$'))
                {
                    Some(name) if is_name(&name) => {
                        let exists = ctx.and(select);
                        let target = ctx.target(&name);
                        match self.xpath(child, select) {
                            Ok(x) => {
                                let cond = match self
                                    .xpath(child, exists.cond.as_deref().unwrap_or(select))
                                {
                                    Ok(c) => c,
                                    Err(_) => x.clone(),
                                };
                                let item = self.item(
                                    child,
                                    Kind::Field {
                                        target,
                                        value: Val::XPath(x),
                                        condition: Some(cond),
                                    },
                                );
                                out.push(item);
                            }
                            Err(reason) => out.push(self.skip_node(child, &reason)),
                        }
                    }
                    _ => out.push(self.skip_node(
                        child,
                        "a copy of nodes other than one named element with text has no translation",
                    )),
                }
            }
            "text" | "value-of" => {
                if !(is_xsl(child, "text") && child.text().is_none_or(|t| t.trim().is_empty())) {
                    out.push(self.skip_node(
                        child,
                        "text beside elements (mixed content) has no translation",
                    ));
                }
            }
            "message" | "comment" | "fallback" => {}
            _ => out.push(self.skip_node(child, "no translation")),
        }
    }

    /// A nested loop's select under the conditions around it.
    fn conditional_select(
        &mut self,
        node: Node,
        select: &str,
        ctx: &Ctx,
        out: &mut Vec<Item>,
    ) -> Option<String> {
        match &ctx.cond {
            None => Some(select.to_string()),
            Some(cond)
                if !select.trim_start().starts_with(['/', '$', '('])
                    && expr::union_parts(select).len() == 1 =>
            {
                Some(format!("self::node()[{cond}]/{}", select.trim()))
            }
            Some(_) => {
                out.push(self.skip_node(
                    node,
                    "a loop under a condition, over nodes not below the record, has no translation",
                ));
                None
            }
        }
    }

    /// `xsl:apply-templates` inside a record.
    fn apply(&mut self, node: Node<'a, 'i>, ctx: &Ctx, fields_record: bool, out: &mut Vec<Item>) {
        let mode = node.attribute("mode");
        let select = match node.attribute("select") {
            Some(s) => s.to_string(),
            None => {
                match self.only_template(mode) {
                    Some(name) => name,
                    None => {
                        out.push(self.skip_node(node, "which templates apply to the children is decided per node; give `select`"));
                        return;
                    }
                }
            }
        };
        let template = match self.template_for(&select, mode) {
            Ok(t) => t,
            Err(reason) => {
                out.push(self.skip_node(node, &reason));
                return;
            }
        };
        let Some(select) = self.conditional_select(node, &select, ctx, out) else {
            return;
        };
        self.each(
            node,
            &select,
            template.node,
            &ctx.path,
            fields_record,
            &params_of(node),
            None,
            out,
        );
    }

    /// A literal result element (or `xsl:element`) inside a record.
    fn element(&mut self, node: Node<'a, 'i>, name: &str, ctx: &Ctx, out: &mut Vec<Item>) {
        let content: Vec<Node> = node
            .children()
            .filter(|c| !(is_xsl(*c, "attribute") || is_blank(*c) || c.is_comment()))
            .collect();
        let loops: Vec<&Node> = content
            .iter()
            .filter(|c| is_xsl(**c, "for-each") || is_xsl(**c, "apply-templates"))
            .collect();
        let has_attributes = node
            .attributes()
            .any(|a| a.namespace().is_none() && !is_xsl(node, "element"))
            || node.children().any(|c| is_xsl(c, "attribute"));
        if content.len() == 1 && loops.len() == 1 && !has_attributes {
            let inner = Ctx {
                path: {
                    let mut p = ctx.path.clone();
                    p.push(name.to_string());
                    p
                },
                cond: ctx.cond.clone(),
            };
            let lp = *loops[0];
            if is_xsl(lp, "apply-templates") {
                self.apply(lp, &inner, true, out);
            } else if let Some(select) = lp.attribute("select") {
                if let Some(select) = self.conditional_select(lp, select, ctx, out) {
                    self.each(lp, &select, lp, &inner.path, true, &[], None, out);
                }
            }
            return;
        }
        let target = ctx.target(name);
        match self.value(node) {
            Ok(_) => {
                self.field(node, node, target.clone(), ctx, out);
                self.element_attributes(node, ctx, Some(name), out, true);
            }
            Err(NotValue::Unsupported(reason)) => out.push(self.skip_node(node, &reason)),
            Err(NotValue::Elements) if self.written.contains(&target) => {
                // A second element of this name and path: the fields of a path would go into
                // the first, so it is a nested `for each` over the node itself.
                let select = match &ctx.cond {
                    Some(c) => format!("self::node()[{c}]"),
                    None => "self::node()".to_string(),
                };
                let mut items = Vec::new();
                let outer = std::mem::take(&mut self.written);
                self.element_attributes(node, &Ctx::default(), None, &mut items, false);
                self.content(node, &Ctx::default(), &mut items);
                self.written = outer;
                let item = self.item(
                    node,
                    Kind::Each {
                        select,
                        distinct: None,
                        sort: None,
                        target,
                        items,
                    },
                );
                out.push(item);
            }
            Err(NotValue::Elements) => {
                self.written.push(target.clone());
                self.element_attributes(node, ctx, Some(name), out, false);
                let mut inner = ctx.clone();
                inner.path.push(name.to_string());
                self.content(node, &inner, out);
            }
        }
    }

    /// The attributes of an element (literal, with `{…}` templates, and `xsl:attribute`s) as fields.
    fn element_attributes(
        &mut self,
        node: Node<'a, 'i>,
        ctx: &Ctx,
        name: Option<&str>,
        out: &mut Vec<Item>,
        with_instructions: bool,
    ) {
        let mut inner = ctx.clone();
        if let Some(name) = name {
            inner.path.push(name.to_string());
        }
        if !is_xsl(node, "element") {
            for attribute in node.attributes() {
                if attribute.namespace().is_some() {
                    continue;
                }
                let target = inner.target(&format!("@{}", attribute.name()));
                match self.avt(node, attribute.value()) {
                    Ok(value) => {
                        let item = self.item(
                            node,
                            Kind::Field {
                                target,
                                value,
                                condition: ctx.cond.clone(),
                            },
                        );
                        out.push(item);
                    }
                    Err(reason) => out.push(self.skip(
                        node,
                        &format!("attribute `{}`", attribute.name()),
                        &reason,
                    )),
                }
            }
        }
        for attribute in node
            .children()
            .filter(|c| with_instructions && is_xsl(*c, "attribute"))
        {
            self.content_node(attribute, &inner, out);
        }
    }

    /// A field whose value is `value_node`'s content.
    fn field(
        &mut self,
        node: Node<'a, 'i>,
        value_node: Node<'a, 'i>,
        target: String,
        ctx: &Ctx,
        out: &mut Vec<Item>,
    ) {
        let significant: Vec<Node> = value_node
            .children()
            .filter(|c| !(is_xsl(*c, "attribute") || is_blank(*c) || c.is_comment()))
            .collect();
        if let [choose] = significant.as_slice()
            && is_xsl(*choose, "choose")
            && let Some(item) = self.choice(*choose, &target, ctx)
        {
            out.push(item);
            return;
        }
        match self.value(value_node) {
            Ok(value) => {
                let item = self.item(
                    node,
                    Kind::Field {
                        target,
                        value,
                        condition: ctx.cond.clone(),
                    },
                );
                out.push(item);
            }
            Err(NotValue::Unsupported(reason)) => out.push(self.skip_node(node, &reason)),
            Err(NotValue::Elements) => {
                out.push(self.skip_node(node, "elements inside an attribute"))
            }
        }
    }

    /// An `xsl:choose` of values as a `choose` block.
    fn choice(&mut self, choose: Node<'a, 'i>, target: &str, ctx: &Ctx) -> Option<Item> {
        let mut branches = Vec::new();
        let mut otherwise = None;
        for branch in choose.children().filter(Node::is_element) {
            let value = self.value(branch).ok()?;
            if is_xsl(branch, "when") {
                let test = self.test(branch, branch.attribute("test")?).ok()?;
                branches.push((and(ctx.cond.as_deref(), &test), value));
            } else if is_xsl(branch, "otherwise") {
                otherwise = Some(value);
            } else {
                return None;
            }
        }
        if branches.is_empty() {
            return None;
        }
        let otherwise = otherwise.unwrap_or(Val::Text(String::new()));
        let otherwise = match &ctx.cond {
            None => Some(otherwise),
            Some(c) => {
                branches.push((c.clone(), otherwise));
                None
            }
        };
        Some(self.item(
            choose,
            Kind::Choose {
                target: target.to_string(),
                branches,
                otherwise,
            },
        ))
    }

    /// The string an element's content makes, when it makes no elements.
    fn value(&mut self, node: Node<'a, 'i>) -> Result<Val, NotValue> {
        // A value's own `xsl:variable name="x" select="…"` substitutes into what follows it,
        // as far as the value goes.
        let base = self.subst.len();
        let value = self.value_pieces(node);
        self.subst.truncate(base);
        value
    }

    fn value_pieces(&mut self, node: Node<'a, 'i>) -> Result<Val, NotValue> {
        // Content that writes elements anywhere is elements, whatever comes before them (a
        // variable a loop below uses, say).
        if node.children().any(|c| {
            (c.is_element() && !is_instruction(c))
                || ["for-each", "apply-templates", "element", "copy"]
                    .iter()
                    .any(|n| is_xsl(c, n))
        }) {
            return Err(NotValue::Elements);
        }
        let mut pieces: Vec<Val> = Vec::new();
        for child in node.children() {
            if child.is_text() {
                let text = child.text().unwrap_or_default();
                if !text.trim().is_empty() {
                    pieces.push(Val::Text(text.to_string()));
                }
                continue;
            }
            if !child.is_element() || is_xsl(child, "attribute") {
                continue;
            }
            if !is_instruction(child) {
                return Err(NotValue::Elements);
            }
            let unsupported = |r: String| NotValue::Unsupported(r);
            match child.tag_name().name() {
                "text" => pieces.push(Val::Text(child.text().unwrap_or_default().to_string())),
                "value-of" => {
                    let select = child.attribute("select").unwrap_or(".");
                    let x = self.xpath(child, select).map_err(unsupported)?;
                    pieces.push(Val::XPath(x));
                }
                "copy-of" => {
                    let select = child.attribute("select").unwrap_or(".");
                    if !select.trim_start().starts_with('$') {
                        return Err(NotValue::Elements);
                    }
                    let x = self.xpath(child, select).map_err(unsupported)?;
                    pieces.push(Val::XPath(x));
                }
                "if" => {
                    let test = child.attribute("test").unwrap_or("false()");
                    let t = self.test(child, test).map_err(unsupported)?;
                    let inner = self.value(child)?;
                    pieces.push(Val::XPath(format!(
                        "substring({}, 1 div boolean({t}))",
                        inner.as_xpath()
                    )));
                }
                "choose" => {
                    let mut branches = Vec::new();
                    let mut otherwise = None;
                    for branch in child.children().filter(Node::is_element) {
                        let v = self.value(branch)?;
                        if is_xsl(branch, "when") {
                            let t = self
                                .test(branch, branch.attribute("test").unwrap_or("false()"))
                                .map_err(unsupported)?;
                            branches.push((t, v));
                        } else {
                            otherwise = Some(v);
                        }
                    }
                    let mut args = Vec::new();
                    let mut before: Vec<String> = Vec::new();
                    for (t, v) in &branches {
                        let cond = before
                            .iter()
                            .map(|b| format!("not({b})"))
                            .chain([t.clone()])
                            .collect::<Vec<_>>()
                            .join(" and ");
                        args.push(format!(
                            "substring({}, 1 div boolean({cond}))",
                            v.as_xpath()
                        ));
                        before.push(t.clone());
                    }
                    if let Some(v) = otherwise {
                        let cond = before
                            .iter()
                            .map(|b| format!("not({b})"))
                            .collect::<Vec<_>>()
                            .join(" and ");
                        if cond.is_empty() {
                            args.push(v.as_xpath());
                        } else {
                            args.push(format!(
                                "substring({}, 1 div boolean({cond}))",
                                v.as_xpath()
                            ));
                        }
                    }
                    match args.len() {
                        0 => {}
                        1 => pieces.push(Val::XPath(args.remove(0))),
                        _ => pieces.push(Val::XPath(format!("concat({})", args.join(", ")))),
                    }
                }
                "call-template" => {
                    if child
                        .attribute("name")
                        .is_some_and(|n| self.sheet.is_recursive(n))
                    {
                        return Err(NotValue::Unsupported(RECURSION.into()));
                    }
                    let mut sink = Vec::new();
                    let Some((template, pushed)) = self.call(child, &mut sink) else {
                        return Err(NotValue::Unsupported(
                            "a call of a template that cannot be translated".into(),
                        ));
                    };
                    let result = if self.depth >= MAX_DEPTH {
                        Err(NotValue::Unsupported(RECURSION.into()))
                    } else if self.inlined >= MAX_INLINED {
                        Err(NotValue::Unsupported(TOO_MANY.into()))
                    } else {
                        self.inlined += 1;
                        self.depth += 1;
                        let r = self.value(template.node);
                        self.depth -= 1;
                        r
                    };
                    self.subst.truncate(self.subst.len() - pushed);
                    pieces.push(result?);
                }
                "param" if is_xsl(node, "template") => {}
                "variable" => {
                    let (Some(name), Some(select)) =
                        (child.attribute("name"), child.attribute("select"))
                    else {
                        return Err(NotValue::Unsupported(
                            "a variable built from elements inside a value has no translation"
                                .into(),
                        ));
                    };
                    let x = self.xpath(child, select).map_err(NotValue::Unsupported)?;
                    self.subst.push((name.to_string(), format!("({x})")));
                }
                "number" => {
                    return Err(NotValue::Unsupported(
                        "xsl:number has no translation".into(),
                    ));
                }
                "message" | "comment" | "fallback" => {}
                "for-each" | "apply-templates" | "element" | "copy" => {
                    return Err(NotValue::Elements);
                }
                other => {
                    return Err(NotValue::Unsupported(format!(
                        "xsl:{other} inside a value has no translation"
                    )));
                }
            }
        }
        Ok(join(pieces))
    }

    /// An attribute value template (`{sku}-x`) as a value.
    fn avt(&mut self, node: Node, text: &str) -> Result<Val, String> {
        let mut pieces = Vec::new();
        let mut literal_text = String::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '{' if chars.peek() == Some(&'{') => {
                    chars.next();
                    literal_text.push('{');
                }
                '}' if chars.peek() == Some(&'}') => {
                    chars.next();
                    literal_text.push('}');
                }
                '{' => {
                    let mut inner = String::new();
                    let mut quote: Option<char> = None;
                    for c in chars.by_ref() {
                        match quote {
                            Some(q) if c == q => quote = None,
                            Some(_) => {}
                            None if c == '\'' || c == '"' => quote = Some(c),
                            None if c == '}' => break,
                            None => {}
                        }
                        inner.push(c);
                    }
                    if !literal_text.is_empty() {
                        pieces.push(Val::Text(std::mem::take(&mut literal_text)));
                    }
                    pieces.push(Val::XPath(self.xpath(node, &inner)?));
                }
                c => literal_text.push(c),
            }
        }
        if !literal_text.is_empty() {
            pieces.push(Val::Text(literal_text));
        }
        Ok(join(pieces))
    }

    /// An attribute value template that is fixed text, after substitution of constants.
    fn constant_avt(&self, text: &str) -> Option<String> {
        if !text.contains('{') {
            return Some(text.to_string());
        }
        let inner = text.strip_prefix('{')?.strip_suffix('}')?;
        let replaced = expr::substitute(inner.trim(), &self.subst);
        let replaced = replaced
            .trim()
            .trim_start_matches('(')
            .trim_end_matches(')');
        constant(replaced)
    }

    /// The output name of a literal element or an `xsl:element`; `None` when computed.
    fn element_name(&mut self, node: Node) -> Option<String> {
        if is_xsl(node, "element") {
            let name = self.constant_avt(node.attribute("name")?)?;
            return is_name(&name).then_some(name);
        }
        Some(self.out_name(node, false))
    }

    /// A literal element's name, with the prefix its namespace needs in the output.
    fn out_name(&mut self, node: Node, is_root: bool) -> String {
        let local = node.tag_name().name().to_string();
        let Some(uri) = node.tag_name().namespace() else {
            return local;
        };
        if self.default_ns.as_deref() == Some(uri) {
            return local;
        }
        match node.lookup_prefix(uri).filter(|p| !p.is_empty()) {
            Some(prefix) => {
                if !self
                    .out
                    .namespaces
                    .iter()
                    .any(|(p, _)| p.as_deref() == Some(prefix))
                {
                    self.out
                        .namespaces
                        .push((Some(prefix.to_string()), uri.to_string()));
                }
                format!("{prefix}:{local}")
            }
            None => {
                if is_root || self.default_ns.is_none() {
                    self.default_ns = Some(uri.to_string());
                    self.out.namespaces.push((None, uri.to_string()));
                }
                local
            }
        }
    }
}

/// The index of the bracket closing the one at `open`.
fn matching(text: &str, open: usize) -> Option<usize> {
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    for (i, c) in text[open..].char_indices() {
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '\'' | '"' => quote = Some(c),
            '[' | '(' => depth += 1,
            ']' | ')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(open + i);
                }
            }
            _ => {}
        }
    }
    None
}

fn item_one_line(text: &str) -> String {
    super::item::one_line(text)
}

/// Pieces of text and XPaths as one value.
fn join(mut pieces: Vec<Val>) -> Val {
    if pieces.iter().all(|p| matches!(p, Val::Text(_))) {
        return Val::Text(
            pieces
                .iter()
                .map(|p| match p {
                    Val::Text(t) => t.as_str(),
                    Val::XPath(_) => "",
                })
                .collect(),
        );
    }
    if pieces.len() == 1 {
        return pieces.remove(0);
    }
    Val::XPath(format!(
        "concat({})",
        pieces
            .iter()
            .map(Val::as_xpath)
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

/// `xsl:with-param` children.
fn params_of<'a, 'i>(node: Node<'a, 'i>) -> Vec<Node<'a, 'i>> {
    node.children()
        .filter(|c| is_xsl(*c, "with-param"))
        .collect()
}

/// A select relative to the template's context, made absolute from the document.
fn absolute(base: &str, select: &str) -> String {
    let select = select.trim();
    if base.is_empty() {
        return select.to_string();
    }
    expr::union_parts(select)
        .iter()
        .map(|part| {
            if part.starts_with('/') || part.starts_with('$') || part.contains('(') {
                (*part).to_string()
            } else if *part == "." {
                base.to_string()
            } else {
                format!("{base}/{part}")
            }
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

/// The name of a select that is one child step with no predicate (`LineItem`), whose
/// nodes are siblings, so a node's position is its count of preceding siblings plus one.
fn single_step(select: &str) -> Option<String> {
    let s = select.trim();
    let s = s.strip_prefix("child::").unwrap_or(s);
    (is_name(s) && !s.contains(':')).then(|| s.to_string())
}

/// Whether a literal element only wraps loops (directly or through other wrappers).
fn is_wrapper(node: Node) -> bool {
    let mut loops = false;
    for child in node.children() {
        if child.is_text() {
            if child.text().is_some_and(|t| !t.trim().is_empty()) {
                return false;
            }
        } else if is_xsl(child, "for-each") || is_xsl(child, "apply-templates") {
            loops = true;
        } else if is_xsl(child, "call-template")
            || is_xsl(child, "variable")
            || is_xsl(child, "text")
        {
        } else if child.is_element() && !is_instruction(child) {
            if !is_wrapper(child) {
                return false;
            }
            loops = true;
        } else if child.is_element() {
            return false;
        }
    }
    loops
}

/// Whether a node is text of white space only (stripped from a stylesheet).
/// The children that write or decide something: no comments, blank text, `xsl:sort`.
fn significant_children<'a, 'i>(node: Node<'a, 'i>) -> Vec<Node<'a, 'i>> {
    node.children()
        .filter(|c| !(is_xsl(*c, "sort") || c.is_comment() || c.is_pi() || is_blank(*c)))
        .collect()
}

/// `select` keeping the nodes for which `test` is true: `PATH[T]`, or
/// `PATH/self::node()[T]` after an abbreviated step (`..`, `.`) that takes no predicate.
fn with_predicate(select: &str, test: &str) -> String {
    let select = select.trim();
    if expr::union_parts(select).len() > 1 {
        format!("({select})[{test}]")
    } else if select == "." || select.ends_with("/.") || select.ends_with("..") {
        format!("{select}/self::node()[{test}]")
    } else {
        format!("{select}[{test}]")
    }
}

fn is_blank(node: Node) -> bool {
    node.is_text() && node.text().is_some_and(|t| t.trim().is_empty())
}

/// Whether an element's only content is one literal element.
fn wraps_one_element(node: Node) -> bool {
    let mut significant = node
        .children()
        .filter(|c| c.is_element() || c.text().is_some_and(|t| !t.trim().is_empty()));
    matches!((significant.next(), significant.next()), (Some(only), None) if only.is_element() && !is_instruction(only))
}

/// Whether a node of a loop body is the record's element.
fn is_record_element(node: Node) -> bool {
    node.is_element() && (!is_instruction(node) || is_xsl(node, "element"))
}

/// The text of an XPath that is a string or number literal, or an expression of literals
/// only (`concat('WEB', '-')`, `10 * 2`), evaluated.
fn constant(text: &str) -> Option<String> {
    let t = text.trim();
    if let Some(literal) = literal_text(t) {
        return Some(literal);
    }
    let no_nodes = !t.contains(['/', '$', '@', '.'])
        && crate::xpath::compile(t).is_ok_and(|x| x.variables().is_empty());
    if !no_nodes || t.chars().any(char::is_alphabetic) && !t.contains('(') {
        return None;
    }
    let doc = roxmltree::Document::parse("<x/>").ok()?;
    let compiled = crate::xpath::compile(t).ok()?;
    let value = compiled.evaluate(doc.root()).ok()?;
    Some(crate::xpath::render(&value))
}

/// The text of a string or number literal.
fn literal_text(t: &str) -> Option<String> {
    if t.len() >= 2
        && ((t.starts_with('\'') && t.ends_with('\'') && !t[1..t.len() - 1].contains('\''))
            || (t.starts_with('"') && t.ends_with('"') && !t[1..t.len() - 1].contains('"')))
    {
        return Some(t[1..t.len() - 1].to_string());
    }
    let number = t.strip_prefix('-').unwrap_or(t);
    if !(!number.is_empty()
        && number.chars().all(|c| c.is_ascii_digit() || c == '.')
        && number.matches('.').count() <= 1)
    {
        return None;
    }
    // As XPath turns the number into a string: `0.0` is `0`, `1.50` is `1.5`.
    let doc = roxmltree::Document::parse("<x/>").ok()?;
    let value = crate::xpath::compile(t).ok()?.evaluate(doc.root()).ok()?;
    Some(crate::xpath::render(&value))
}

/// An XML name (with an optional prefix).
fn is_name(name: &str) -> bool {
    let plain = |s: &str| {
        let mut chars = s.chars();
        chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
            && chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
    };
    match name.split_once(':') {
        Some((prefix, local)) => plain(prefix) && plain(local),
        None => plain(name),
    }
}

/// A variable name usable for a lookup table.
fn sanitize(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// How an instruction or element is named in a comment.
fn describe(node: Node) -> String {
    let name = node.tag_name().name();
    let prefix = if is_instruction(node) { "xsl:" } else { "" };
    let attribute = ["select", "test", "match", "name"]
        .iter()
        .find_map(|a| {
            node.attribute(*a)
                .map(|v| format!(" {a}=\"{}\"", super::item::one_line(v)))
        })
        .unwrap_or_default();
    format!("<{prefix}{name}{attribute}>")
}
