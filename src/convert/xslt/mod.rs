//! `zynk convert STYLESHEET.xslt`: an XSLT 1.0 mapping becomes a script with one streaming `map`.
//!
//! `stylesheet::Stylesheet` reads the declarations, `walk::Translator` turns the templates
//! into `item::Item`s (the lines of the `map` block, each tied to its stylesheet line), and
//! the script is checked: a line `zynk check` rejects is kept as a `[not converted]` comment
//! and the script written again, so what is handed out always checks.
pub(crate) mod expr;
pub(crate) mod item;
pub(crate) mod stylesheet;
pub(crate) mod walk;

use super::writer::{Line, Statement, Value};
use super::{Conversion, ConvertError, Report, Unconverted};
use crate::source::SourceFile;

pub(crate) use stylesheet::is_stylesheet;

/// Converts the text of a stylesheet; `name` is how it is shown, `tables` the folder
/// `document()` files are read from (the stylesheet's own).
pub(crate) fn convert(
    name: &str,
    text: &str,
    tables: &str,
) -> Result<Conversion, Box<ConvertError>> {
    convert_with(name, text, tables, None)
}

/// A stylesheet run by a workflow's XSLT task (`folder` holds it and its files, `params`
/// are the task's values for its params): the `map` block's lines without the `map … {`
/// head and its `}`, the output encoding, and the report of what did not translate.
pub(crate) fn map_block(
    name: &str,
    text: &str,
    folder: &str,
    params: Vec<(String, String)>,
) -> Result<(Vec<String>, Option<String>, Report), Box<ConvertError>> {
    let conversion = convert_with(name, text, folder, Some(params))?;
    let mut lines = conversion
        .script
        .lines()
        .skip_while(|l| !l.starts_with("map "));
    let head = lines.next().unwrap_or_default().to_string();
    let mut body: Vec<String> = lines
        .map(|l| l.strip_prefix("    ").unwrap_or(l).to_string())
        .collect();
    while body.last().is_some_and(|l| l.trim().is_empty()) {
        body.pop();
    }
    if body.last().is_some_and(|l| l == "}") {
        body.pop();
    }
    let encoding = head
        .split(" encoding ")
        .nth(1)
        .map(|e| e.trim_end_matches(" {").to_string());
    Ok((body, encoding, conversion.report))
}

fn convert_with(
    name: &str,
    text: &str,
    tables: &str,
    inline: Option<Vec<(String, String)>>,
) -> Result<Conversion, Box<ConvertError>> {
    let doc =
        stylesheet::parse(text).map_err(|e| Box::new(ConvertError::malformed(name, text, &e)))?;
    let mut sheet = stylesheet::Stylesheet::read(name, text, &doc)?;
    // Stylesheets it imports or includes, read from its folder (one level: what those
    // import in turn is reported, not read).
    let hrefs: Vec<String> = sheet.imports().into_iter().map(str::to_string).collect();
    let texts: Vec<(String, String)> = hrefs
        .into_iter()
        .filter_map(|href| {
            let path = std::path::Path::new(tables).join(href.replace('\\', "/"));
            let bytes = std::fs::read(path).ok()?;
            let text = String::from_utf8_lossy(&bytes)
                .trim_start_matches('\u{feff}')
                .to_string();
            Some((href, text))
        })
        .collect();
    let docs: Vec<(&str, roxmltree::Document)> = texts
        .iter()
        .filter_map(|(href, text)| Some((href.as_str(), stylesheet::parse(text).ok()?)))
        .collect();
    for (href, imported) in &docs {
        if let Ok(imported) = stylesheet::Stylesheet::read(href, "", imported) {
            sheet.import(href, &imported);
        }
    }
    let translator = walk::Translator::new(&sheet);
    let translator = match inline {
        Some(params) => translator.inline(tables, params),
        None => translator,
    };
    let translation = translator.run();
    let stem = name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(name)
        .trim_end_matches(".xslt")
        .trim_end_matches(".xsl")
        .to_string();
    let mut blocked: Vec<(usize, String)> = Vec::new();
    let mut whole_block = false;
    let mut bare = false;
    let mut bare_reason = String::new();
    loop {
        let encoding = sheet.encoding.as_deref().filter(|_| !bare);
        let dropped = sheet.encoding.as_deref().filter(|_| bare);
        let lines = script_lines(&stem, &translation, encoding, dropped, tables, &blocked);
        let (script, origins) = super::writer::render_traced(&lines);
        let source = SourceFile::from_text(&format!("{stem}.zynk"), &script);
        let problems = super::problems(&source);
        if problems.is_empty() {
            let script = crate::format::format(&script).unwrap_or(script);
            let mut report = report(&stem, &translation, &blocked);
            if bare {
                report.not_converted.insert(
                    0,
                    Unconverted {
                        path: format!(
                            "<xsl:output encoding=\"{}\">",
                            sheet.encoding.as_deref().unwrap_or_default()
                        ),
                        trail: stem.clone(),
                        line: 1,
                        task: "XSLT".into(),
                        setting: None,
                        reason: format!("zynk check rejects them: {bare_reason}"),
                    },
                );
                report.tasks += 1;
            }
            return Ok(Conversion { script, report });
        }
        let before = blocked.len();
        for (offset, message) in &problems {
            let line = source.line_col(*offset).0;
            if let Some(Some(origin)) = origins.get(line.saturating_sub(1))
                && let Ok(id) = origin.parse::<usize>()
                && !blocked.iter().any(|(b, _)| *b == id)
            {
                blocked.push((id, format!("zynk check rejects it: {message}")));
            }
        }
        if blocked.len() == before && !bare {
            // The checker blames the statement itself (its encoding, say): write it without
            // the encoding first, then, if that is not enough, every rule as a comment.
            bare = true;
            bare_reason = problems.first().map(|(_, m)| m.clone()).unwrap_or_default();
            continue;
        }
        if blocked.len() == before && !whole_block {
            whole_block = true;
            let reason = problems
                .first()
                .map(|(_, m)| format!("zynk check rejects the map block: {m}"))
                .unwrap_or_default();
            for item in &translation.items {
                if !blocked.iter().any(|(b, _)| *b == item.id) {
                    blocked.push((item.id, reason.clone()));
                }
            }
            continue;
        }
        if blocked.len() == before {
            let details = problems
                .iter()
                .map(|(_, m)| format!("  {m}"))
                .collect::<Vec<_>>()
                .join("\n");
            return Err(Box::new(ConvertError::InvalidOutput {
                name: name.to_string(),
                problems: format!("{} problem(s)", problems.len()),
                details: format!("{details}\n\nThe script:\n{script}"),
            }));
        }
    }
}

/// The whole script: header, params and the `map` block.
fn script_lines(
    stem: &str,
    translation: &walk::Translation,
    encoding: Option<&str>,
    dropped_encoding: Option<&str>,
    tables: &str,
    blocked: &[(usize, String)],
) -> Vec<Line> {
    let mut lines = vec![
        Line::Comment(format!(
            "Converted by `zynk convert` from the XSLT stylesheet \"{stem}\": run it with\n--var input=SHOP.xml --var output=CONNECT.xml (and --var NAME=VALUE for its params)."
        )),
        Line::Comment(
            "Parts with no faithful translation are kept as comments marked [not converted]."
                .into(),
        ),
        Line::Blank,
        Line::Declaration(format!("workflow {}", Value::text(stem).render())),
        Line::Blank,
        Line::Declaration("param input = \"input.xml\"".into()),
        Line::Declaration("param output = \"output.xml\"".into()),
    ];
    for (name, default) in &translation.params {
        if is_ident(name) && name != "input" && name != "output" && name != "tables" {
            lines.push(Line::Declaration(format!(
                "param {name} = {}",
                Value::text(default).render()
            )));
        } else {
            lines.push(Line::Comment(format!(
                "[not converted] the param `{name}`: not a name zynk can declare"
            )));
        }
    }
    if translation.tables {
        lines.push(Line::Comment(
            "The folder of the stylesheet's document() files.".into(),
        ));
        lines.push(Line::Declaration(format!(
            "param tables = {}",
            Value::text(tables).render()
        )));
    }
    lines.push(Line::Blank);
    let mut block = Vec::new();
    if let Some(root) = &translation.root {
        block.push(Line::Declaration(format!(
            "root {}",
            Value::text(root).render()
        )));
    }
    for (prefix, uri) in &translation.namespaces {
        let uri = Value::text(uri).render();
        block.push(Line::Declaration(match prefix {
            Some(p) => format!("namespace {p} {uri}"),
            None => format!("namespace {uri}"),
        }));
    }
    let (lookups, rest): (Vec<_>, Vec<_>) = translation
        .items
        .iter()
        .cloned()
        .partition(|i| matches!(i.kind, item::Kind::Lookup { .. }));
    block.extend(item::render(&lookups, blocked));
    block.extend(item::render(&rest, blocked));
    let live_rules = rest.iter().any(|i| {
        matches!(i.kind, item::Kind::Each { .. }) && !blocked.iter().any(|(b, _)| *b == i.id)
    });
    if !live_rules {
        block.push(Line::Comment(
            "Nothing in the stylesheet translated into records; this rule writes none.".into(),
        ));
        block.push(Line::Statement(Statement {
            words: vec!["for each `/*[false()]` as \"Record\" {".into(), "}".into()],
            ..Statement::default()
        }));
    }
    if encoding.is_none()
        && let Some(dropped) = dropped_encoding
    {
        lines.push(Line::Comment(format!(
            "[not converted] <xsl:output encoding=\"{dropped}\">: zynk does not know this encoding; the output is UTF-8"
        )));
    }
    let mut map = Statement::new("map");
    map.value(&Value::text("${input}"));
    map.words = vec![
        "map".into(),
        "\"${input}\"".into(),
        "to".into(),
        "\"${output}\"".into(),
    ];
    if let Some(encoding) = encoding {
        map.word("encoding");
        map.value(&Value::text(encoding));
    }
    map.block = Some(block);
    lines.push(Line::Statement(map));
    lines
}

/// A zynk name: letters, digits and `_`.
fn is_ident(name: &str) -> bool {
    name.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The report: what translated and every part kept as a comment.
fn report(stem: &str, translation: &walk::Translation, blocked: &[(usize, String)]) -> Report {
    let mut left = Vec::new();
    item::skipped(&translation.items, blocked, &mut left);
    for (name, _) in &translation.params {
        if !(is_ident(name) && name != "input" && name != "output" && name != "tables") {
            left.push((
                1,
                format!("param `{name}`"),
                "not a name zynk can declare".into(),
            ));
        }
    }
    let converted = item::translated(&translation.items, blocked) + translation.params.len();
    Report {
        workflow: stem.to_string(),
        stylesheet: true,
        tasks: converted + left.len(),
        converted,
        flattened: 0,
        maps: 0,
        disabled: Vec::new(),
        not_converted: left
            .into_iter()
            .map(|(line, what, reason)| Unconverted {
                path: what,
                trail: stem.to_string(),
                line: line as usize,
                task: "XSLT".into(),
                setting: None,
                reason,
            })
            .collect(),
        notes: translation.notes.clone(),
    }
}
