//! Whether a `map` that selected no record was given the wrong shape of file.
//!
//! A record path whose steps are all in the input (`/json/orders[…]`, with tests that no
//! record passes today) or that stops at an empty collection (`<SalesOrders/>`, a JSON
//! `[]`) is an input without records: the map writes an empty document. A path that leaves
//! the input where the input goes on with other elements (`/orders/order` against
//! `<Orders><Order>`, `/Company/SalesOrders/SalesOrder` against `<SalesOrders><Order>`) is
//! the wrong path or the wrong file, and fails with [`MapError::NothingMatched`].
use std::path::Path;

use quick_xml::events::Event;

use super::error::MapError;
use super::spec::MapSpec;
use crate::split::ChildPath;
use crate::xml_input::XmlSource;

/// How many child names are shown when nothing matched.
const CHILDREN_SHOWN: usize = 5;

/// Where a record path left the input.
struct Mismatch {
    /// The elements the path did reach, `/Company/SalesOrders`, or empty at the root.
    reached: String,
    /// The element the path asked for next.
    wanted: String,
    /// The names of the elements that are there instead, distinct, in document order.
    instead: Vec<String>,
    /// A path that reaches the elements there instead, and one step below the root.
    example: String,
}

/// A record path's element names, its tests left out, when it is made of child steps
/// from the root (`/json/orders[status = 'paid']` gives `json`, `orders`).
fn steps_of(xpath: &str) -> Option<Vec<String>> {
    let mut plain = String::new();
    let (mut depth, mut quote) = (0usize, None);
    for c in xpath.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') if depth > 0 => quote = Some(c),
            (None, '[') => depth += 1,
            (None, ']') => depth = depth.saturating_sub(1),
            (None, c) if depth == 0 => plain.push(c),
            _ => {}
        }
    }
    let path = ChildPath::parse(&plain)?;
    path.absolute
        .then(|| path.steps.into_iter().map(|s| s.name).collect())
}

/// Fails with [`MapError::NothingMatched`] when every rule's record path leaves the input
/// where the input has other elements; passes when any rule's path is in the input, ends
/// at an empty element, or is not made of child steps (nothing can be said of it).
pub(super) fn check(
    input: &Path,
    spec: &MapSpec,
    open: impl Fn(&Path) -> Result<XmlSource, MapError>,
) -> Result<(), MapError> {
    // Rules over the same path (customers and orders from `/json/orders`) are walked once.
    let mut distinct: Vec<Vec<String>> = Vec::new();
    for rule in &spec.rules {
        let Some(steps) = steps_of(rule.select.source()) else {
            return Ok(());
        };
        if !distinct.contains(&steps) {
            distinct.push(steps);
        }
    }
    let (mut first, mut json) = (None, false);
    for steps in &distinct {
        let file = open(input)?;
        json = file.reopen_json().is_some();
        match mismatch(file, steps) {
            None => return Ok(()),
            Some(m) => {
                first.get_or_insert(m);
            }
        }
    }
    let Some(m) = first else { return Ok(()) };
    let paths: Vec<String> = spec
        .rules
        .iter()
        .map(|r| format!("`{}`", r.select.source()))
        .collect();
    let example = &m.example;
    let json_note = if json {
        "the file is JSON, read as XML under a `<json>` root (docs/json.md); "
    } else {
        ""
    };
    let place = if m.reached.is_empty() {
        format!("its root is not `<{}>`", m.wanted)
    } else {
        format!("`{}` holds no `<{}>`", m.reached, m.wanted)
    };
    Err(MapError::NothingMatched {
        path: input.to_path_buf(),
        paths: paths.join(", "),
        place,
        instead: m.instead,
        help: format!(
            "{json_note}XPath names match case and every step: a record path for this file starts `{example}`; nothing was written. If the file may hold no records, add `allow_empty true` to the `map` line"
        ),
    })
}

/// Where `steps` leave the document, if they leave it where it has other elements.
fn mismatch(file: XmlSource, steps: &[String]) -> Option<Mismatch> {
    let mut reader = quick_xml::Reader::from_reader(std::io::BufReader::new(file));
    let mut buf = Vec::new();
    // For each open element: whether it lies on the path (its depth-th step matched).
    let mut open: Vec<bool> = Vec::new();
    // The deepest step reached, and the names below the elements that reached it.
    let mut deepest = 0usize;
    let mut below: Vec<Vec<String>> = vec![Vec::new(); steps.len() + 1];
    let mut root_child = None;
    loop {
        buf.clear();
        // The mapping read the file without fault; a fault now is no reason to fail.
        let event = reader.read_event_into(&mut buf).ok()?;
        let (name, empty) = match &event {
            Event::Start(e) => (e.local_name(), false),
            Event::Empty(e) => (e.local_name(), true),
            Event::End(_) => {
                open.pop();
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        let depth = open.len();
        let parent_on_path = depth == 0 || open.last().copied().unwrap_or(false);
        let name = name.into_inner().to_string();
        if depth == 1 && root_child.is_none() {
            root_child = Some(name.clone());
        }
        if parent_on_path && depth < steps.len() {
            let list = &mut below[depth];
            if !list.contains(&name) && list.len() < CHILDREN_SHOWN {
                list.push(name.clone());
            }
        }
        let on_path = parent_on_path && depth < steps.len() && steps[depth] == name;
        if on_path {
            deepest = deepest.max(depth + 1);
            if deepest == steps.len() {
                return None;
            }
        }
        if !empty {
            open.push(on_path);
        }
    }
    let instead = std::mem::take(&mut below[deepest]);
    // An empty root is an input without records, whatever its name.
    let first = instead.first()?;
    let reached: String = steps[..deepest].iter().map(|s| format!("/{s}")).collect();
    let example = match (deepest, &root_child) {
        (0, None) => return None,
        (0, Some(child)) => format!("/{first}/{child}"),
        _ => format!("{reached}/{first}"),
    };
    Some(Mismatch {
        reached,
        wanted: steps[deepest].clone(),
        example,
        instead,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tests_are_left_out_of_a_record_path() {
        assert_eq!(
            steps_of("/json/orders[status = 'paid' and not(contains(tags, ']'))][customer/id]"),
            Some(vec!["json".to_string(), "orders".to_string()])
        );
        assert_eq!(steps_of("//SalesOrder"), None);
        assert_eq!(steps_of("line_items"), None);
    }
}
