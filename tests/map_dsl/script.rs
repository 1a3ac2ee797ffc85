//! A line-based reader of the `map` blocks in scripts/maps/*.zynk, only to check that the Rust specs in `shops.rs` still say what the scripts say.

use super::*;
use zynk::map::{MapItem, MapSpec, RecordRule};

/// The `MapSpec` of the one `map` block in `script`, with `param`s resolved.
pub fn read(script: &str) -> Result<MapSpec, String> {
    let mut params: Vec<(String, String)> = Vec::new();
    let mut stack: Vec<RecordRule> = Vec::new();
    let mut rules = Vec::new();
    for (n, raw) in script.lines().enumerate() {
        let line = raw.trim();
        let fail = |what: &str| format!("line {}: {what}: {line}", n + 1);
        if line.is_empty() || line.starts_with('#') || line.starts_with("workflow ") {
            continue;
        }
        if let Some(rest) = line.strip_prefix("param ") {
            let (name, value) = rest.split_once(" = ").ok_or_else(|| fail("param"))?;
            params.push((
                name.to_owned(),
                unquote(value).ok_or_else(|| fail("param value"))?,
            ));
        } else if line.starts_with("map ") {
            continue;
        } else if let Some(rest) = line.strip_prefix("for each `") {
            let (select, rest) = rest.split_once('`').ok_or_else(|| fail("select"))?;
            let target = rest
                .trim()
                .strip_prefix("as ")
                .and_then(|r| r.strip_suffix(" {"))
                .and_then(unquote)
                .ok_or_else(|| fail("target"))?;
            stack.push(rule(select, &target, Vec::new()));
        } else if line == "}" {
            match stack.pop() {
                Some(done) => match stack.last_mut() {
                    Some(parent) => parent.items.push(MapItem::Each(done)),
                    None => rules.push(done),
                },
                None => continue, // the end of the map block
            }
        } else {
            let (target, rest) = line
                .strip_prefix('"')
                .and_then(|r| r.split_once("\" = "))
                .ok_or_else(|| fail("field"))?;
            let (first, mut rest) = value(rest, &params).ok_or_else(|| fail("value"))?;
            let mut item = f(target, first);
            loop {
                rest = rest.trim_start();
                if let Some(r) = rest.strip_prefix("if not empty") {
                    item = item.if_not_empty();
                    rest = r;
                } else if let Some(r) = rest.strip_prefix("if `") {
                    let (test, r) = r.split_once('`').ok_or_else(|| fail("condition"))?;
                    item = item.when(test);
                    rest = r;
                } else if let Some(r) = rest.strip_prefix("default ") {
                    let (default, r) = value(r, &params).ok_or_else(|| fail("default"))?;
                    item = item.or(default);
                    rest = r;
                } else if rest.is_empty() || rest.starts_with('#') {
                    break;
                } else {
                    return Err(fail("unexpected text"));
                }
            }
            stack
                .last_mut()
                .ok_or_else(|| fail("field outside for each"))?
                .items
                .push(item);
        }
    }
    Ok(spec(rules))
}

/// A value at the start of `text`, and what follows it.
fn value<'t>(
    text: &'t str,
    params: &[(String, String)],
) -> Option<(zynk::map::FieldValue, &'t str)> {
    if let Some(rest) = text.strip_prefix('`') {
        let (expr, rest) = rest.split_once('`')?;
        return Some((x(expr), rest));
    }
    if let Some(rest) = text.strip_prefix('"') {
        let (literal, rest) = rest.split_once('"')?;
        return Some((t(literal), rest));
    }
    let end = text.find(' ').unwrap_or(text.len());
    let (word, rest) = text.split_at(end);
    if word
        .chars()
        .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
    {
        return Some((t(word), rest));
    }
    let (_, param) = params.iter().find(|(name, _)| name == word)?;
    Some((t(param), rest))
}

fn unquote(text: &str) -> Option<String> {
    text.trim()
        .strip_prefix('"')?
        .strip_suffix('"')
        .map(str::to_owned)
}
