//! Tests: the fast streaming pass, the event pass and tree mode give the same bytes on tricky records, and the fast pass gives up on what it leaves to the event pass.

use std::path::Path;

use super::fast_stream::{Fast, map_fast};
use super::lookup::Tables;
use super::output::Output;
use super::record::Builder;
use super::spec::{Condition, FieldRule, FieldValue, MapItem, MapSpec, RecordRule};
use super::stream::{Streamed, map_stream};
use super::{MapError, map_file, open, stream_paths, tree};
use crate::xpath::XPath;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

fn x(path: &str) -> Result<XPath> {
    crate::xpath::compile(path).map_err(|e| e.to_string().into())
}

fn names(target: &str) -> Vec<String> {
    target.split('/').map(str::to_owned).collect()
}

fn field(
    target: &str,
    value: &str,
    condition: Condition,
    default: Option<&str>,
) -> Result<MapItem> {
    Ok(MapItem::Field(FieldRule {
        target: names(target),
        value: FieldValue::XPath(x(value)?),
        condition,
        default: default.map(|d| FieldValue::Text(d.to_owned())),
    }))
}

fn plain(target: &str, value: &str) -> Result<MapItem> {
    field(target, value, Condition::Always, None)
}

/// A spec whose fields use child steps, attributes, functions, predicates, the parent
/// axis and a nested `for each`, over `/orders/order` (and the lines again as records of
/// their own).
fn spec() -> Result<MapSpec> {
    let lines = RecordRule::new(
        x("lines/line")?,
        names("Items/Item"),
        vec![
            field("Sku", "sku", Condition::Always, Some("S1"))?,
            field(
                "Label",
                "concat(title, ' (', variant, ')')",
                Condition::When(x("variant != ''")?),
                None,
            )?,
            plain("Qty", "number(qty) * 2")?,
            plain("Order", "../../id")?,
            plain("Attr", "@n")?,
        ],
    );
    let orders = RecordRule::new(
        x("/orders/order")?,
        names("SalesOrders/SalesOrder"),
        vec![
            plain("Id", "id")?,
            field("Kind", "@kind", Condition::NotEmpty, None)?,
            plain("Name", "name")?,
            field(
                "Note",
                "note",
                Condition::When(x("string-length(note) > 0")?),
                None,
            )?,
            field("Town", "address/town", Condition::Always, Some("none"))?,
            field("Code", "code", Condition::NotEmpty, None)?,
            plain("Mixed", "mixed")?,
            plain("Blank", "blank")?,
            MapItem::Each(lines),
            field("First", "lines/line[1]/sku", Condition::NotEmpty, None)?,
            plain("Total", "sum(lines/line/qty)")?,
        ],
    );
    let line_records = RecordRule::new(
        x("/orders/order/lines/line")?,
        names("Lines/Line"),
        vec![
            plain("Sku", "sku")?,
            plain("Qty", "qty")?,
            field("N", "@n", Condition::NotEmpty, None)?,
        ],
    );
    Ok(MapSpec::new(vec![orders, line_records]))
}

/// The output of one pass over `input`, or its error; `None` when the fast pass gave up.
fn pass(
    input: &Path,
    spec: &MapSpec,
    which: &str,
) -> Result<Option<std::result::Result<String, String>>> {
    let target = input.with_file_name(format!("{which}.xml"));
    let builder = Builder::new(input, spec, Tables::load(&spec.lookups)?);
    let mut out = Output::create(&target, &spec.rules, &spec.shape)?;
    let paths = stream_paths(spec).ok_or("does not stream")?;
    let file = open(input)?;
    let ran: std::result::Result<bool, MapError> = match which {
        "fast" => {
            map_fast(input, file, spec, &paths, &builder, &mut out).map(|f| matches!(f, Fast::Done))
        }
        "event" => map_stream(input, file, spec, &paths, &builder, &mut out)
            .map(|s| matches!(s, Streamed::Done)),
        _ => {
            let text = std::fs::read(input)?;
            tree::map_tree(input, &text, spec, &builder, &mut out).map(|()| true)
        }
    };
    match ran {
        Ok(false) => Ok(None),
        Ok(true) => {
            out.commit()?;
            Ok(Some(Ok(std::fs::read_to_string(&target)?)))
        }
        Err(e) => Ok(Some(Err(e.to_string()))),
    }
}

/// Maps `xml` with all three: the fast pass must answer (unless `fast_answers` is false,
/// when it must give up) and agree with the other two, and `map_file` with the event pass.
fn agree(xml: &str, fast_answers: bool) -> Result<String> {
    compare(xml.as_bytes(), fast_answers, true)
}

/// As [`agree`], tree mode left out when `with_tree` is false (its errors name other places).
fn compare(bytes: &[u8], fast_answers: bool, with_tree: bool) -> Result<String> {
    let xml = String::from_utf8_lossy(bytes);
    let dir = tempfile::tempdir()?;
    let input = dir.path().join("in.xml");
    std::fs::write(&input, bytes)?;
    let spec = spec()?;
    let fast = pass(&input, &spec, "fast")?;
    let event = pass(&input, &spec, "event")?.ok_or("the event pass needs a tree")?;
    if with_tree {
        let tree = pass(&input, &spec, "tree")?.ok_or("tree mode gave up")?;
        assert_eq!(event, tree, "the event pass and tree mode differ on\n{xml}");
    }
    match fast {
        Some(fast) => {
            assert!(fast_answers, "the fast pass should give up on\n{xml}");
            assert_eq!(fast, event, "the fast and event passes differ on\n{xml}");
        }
        None => assert!(!fast_answers, "the fast pass gave up on\n{xml}"),
    }
    let whole = map_file(&input, &spec, &dir.path().join("whole.xml")).map_err(|e| e.to_string());
    let whole = whole.and_then(|_| {
        std::fs::read_to_string(dir.path().join("whole.xml")).map_err(|e| e.to_string())
    });
    assert_eq!(
        whole, event,
        "map_file differs from the event pass on\n{xml}"
    );
    Ok(event.unwrap_or_else(|e| e))
}

const TRICKY: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!-- an export -->
<orders xmlns:p="urn:p" type="array">
  <order kind="a &amp; b">
    <id>1</id>
    <name>Caf&#233; &amp; Cr&#xE8;me &lt;Ltd&gt;</name>
    <note><![CDATA[ </order> <b>not a tag</b> & ]]></note>
    <!-- </order> in a comment -->
    <address><town>Leeds</town><town>York</town></address>
    <p:code>P1</p:code>
    <mixed>a<b>b</b>c<i/>d</mixed>
    <blank/>
    <lines>
      <line n="x>y" m='/>'><sku>A</sku><title>Tee</title><variant>Red</variant><qty>2</qty></line>
      <line><sku></sku><title>Mug</title><variant/><qty>1.5</qty></line>
      <line n="3"><sku>C</sku><qty>x</qty></line>
    </lines>
  </order >
  <order/>
  <order kind="tabs	and
lines"><id>3</id><name>  spaced  </name><lines/></order>
</orders>
<!-- done -->
"#;

#[test]
fn the_three_agree_on_tricky_records() -> Result<()> {
    let out = agree(TRICKY, true)?;
    assert!(
        out.contains("<Name>Café &amp; Crème &lt;Ltd&gt;</Name>"),
        "{out}"
    );
    assert!(out.contains("<Code>P1</Code>"), "{out}");
    assert!(out.contains("<Mixed>abcd</Mixed>"), "{out}");
    assert!(out.contains("<Town>Leeds</Town>"), "{out}");
    Ok(())
}

#[test]
fn the_three_agree_with_carriage_returns_and_default_namespaces() -> Result<()> {
    let crlf = TRICKY.replace('\n', "\r\n");
    agree(&crlf, true)?;
    let default = TRICKY.replace("xmlns:p=\"urn:p\"", "xmlns=\"urn:d\" xmlns:p=\"urn:p\"");
    agree(&default, true)?;
    let own = TRICKY.replace("<order kind=", "<order xmlns:p=\"urn:q\" kind=");
    agree(&own, true)?;
    Ok(())
}

#[test]
fn records_longer_than_a_read_are_found_whole() -> Result<()> {
    let long = "x".repeat(300 << 10);
    let mut xml = String::from("<orders>\n");
    for n in 0..4 {
        xml.push_str(&format!(
            "<order><id>{n}</id><note>{long}</note><lines><line><sku>S{n}</sku><qty>1</qty></line></lines></order>\n"
        ));
    }
    xml.push_str("</orders>\n");
    agree(&xml, true)?;
    Ok(())
}

#[test]
fn the_fast_pass_gives_up_on_what_it_does_not_take_and_the_event_pass_answers() -> Result<()> {
    for (why, from, to) in [
        (
            "a processing instruction in a record",
            "<blank/>",
            "<?pi x?><blank/>",
        ),
        (
            "a processing instruction outside",
            "<!-- done -->",
            "<?pi x?>",
        ),
        ("a reference outside records", "<order/>", "&amp;<order/>"),
        ("CDATA outside records", "<order/>", "<![CDATA[x]]><order/>"),
    ] {
        assert!(TRICKY.contains(from), "{why}");
        let xml = TRICKY.replacen(from, to, 1);
        agree(&xml, false).map_err(|e| format!("{why}: {e}"))?;
    }
    Ok(())
}

#[test]
fn faults_are_left_to_the_event_pass_which_names_the_same_place() -> Result<()> {
    for (why, from, to) in [
        (
            "a mismatched end tag in a record",
            "</town></address>",
            "</twn></address>",
        ),
        ("an unknown entity", "&amp; Cr", "&nbsp; Cr"),
        ("-- in a comment", "<!-- </order> in", "<!-- -- in"),
        ("an unclosed record", "</orders>", ""),
        (
            "a duplicate attribute",
            "<line n=\"3\">",
            "<line n=\"3\" n=\"4\">",
        ),
        ("a bad root attribute", "type=\"array\"", "type=array"),
        ("a second root", "<!-- done -->", "<orders/>"),
        ("text after the root", "<!-- done -->", "text"),
    ] {
        assert!(TRICKY.contains(from), "{why}");
        let xml = TRICKY.replacen(from, to, 1);
        let error = compare(xml.as_bytes(), false, false).map_err(|e| format!("{why}: {e}"))?;
        assert!(error.contains("malformed XML"), "{why}: {error}");
    }
    Ok(())
}

#[test]
fn bytes_that_are_not_utf8_outside_records_are_left_to_the_event_pass() -> Result<()> {
    for (why, from) in [
        ("in a comment", "an export"),
        ("in text between records", "  <order/>"),
        ("in a record", "Tee"),
    ] {
        assert!(TRICKY.contains(from), "{why}");
        let mut bytes = Vec::new();
        let (head, tail) = TRICKY.split_at(TRICKY.find(from).unwrap_or_default() + 1);
        bytes.extend_from_slice(head.as_bytes());
        bytes.push(0xFF);
        bytes.extend_from_slice(tail.as_bytes());
        let error = compare(&bytes, false, false).map_err(|e| format!("{why}: {e}"))?;
        assert!(error.contains("byte 0xFF"), "{why}: {error}");
    }
    Ok(())
}

#[test]
fn a_doctype_makes_the_fast_pass_give_up_and_tree_mode_map() -> Result<()> {
    let xml = TRICKY.replacen("<!-- an export -->", "<!DOCTYPE orders>", 1);
    let dir = tempfile::tempdir()?;
    let input = dir.path().join("in.xml");
    std::fs::write(&input, &xml)?;
    let spec = spec()?;
    assert_eq!(pass(&input, &spec, "fast")?, None);
    let tree = pass(&input, &spec, "tree")?.ok_or("tree mode gave up")?;
    let report = map_file(&input, &spec, &dir.path().join("whole.xml"))?;
    assert!(!report.streamed);
    assert_eq!(
        Ok(std::fs::read_to_string(dir.path().join("whole.xml"))?),
        tree
    );
    Ok(())
}
