//! Writing a JSON document as XML while it is read: memory stays flat whatever the size.
//!
//! The document becomes `<json>`; an object's members become child elements named by their keys
//! ([`super::names`]); a member whose value is an array becomes one element per item, each with
//! `array="true"` (an empty one, `<?empty-array NAME?>`); an array that is not a member's value (the document itself, an array in an
//! array) is an element with `type="array"` holding one `<item>` per item. Strings are text;
//! numbers, booleans and null carry `type="number"`, `"boolean"`, `"null"`; an empty object is
//! `type="object"`. See `docs/json.md`.
use std::fmt;
use std::io::{self, Read, Write};

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::names;

/// The root element every JSON document becomes.
pub const ROOT: &str = "json";

/// The target of the processing instruction an empty member array becomes:
/// `"tags": []` is `<?empty-array tags?>`.
pub(super) const EMPTY_ARRAY: &str = "empty-array";

/// Why a JSON document could not be written as XML.
#[derive(Debug)]
pub enum ToXmlError {
    /// The input is not JSON: where and why (1-based line and column).
    Syntax {
        line: usize,
        column: usize,
        reason: String,
    },
    /// Reading the input or writing the output failed.
    Io(io::Error),
}

/// Reads one JSON document from `input` and writes it to `output` as XML (UTF-8, with a
/// declaration).
///
/// # Errors
///
/// [`ToXmlError::Syntax`] when `input` is not one JSON document; [`ToXmlError::Io`] when reading
/// or writing fails.
pub fn json_to_xml(input: impl Read, output: &mut impl Write) -> Result<(), ToXmlError> {
    let mut failed_write = None;
    {
        let mut sink = Sink {
            out: output,
            failed: &mut failed_write,
        };
        sink.write(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
            .map_err(|()| ToXmlError::Io(io::Error::other("write failed")))
            .ok();
        let mut de =
            serde_json::Deserializer::from_reader(io::BufReader::with_capacity(1 << 16, input));
        let seed = Element {
            sink: &mut sink,
            name: ROOT,
            attrs: "",
            member: false,
        };
        let result = seed.deserialize(&mut de).and_then(|()| de.end());
        if let Some(e) = sink.failed.take() {
            return Err(ToXmlError::Io(e));
        }
        if let Err(e) = result {
            if e.is_io() {
                return Err(ToXmlError::Io(io::Error::other(e.to_string())));
            }
            let reason = e.to_string();
            let reason = reason
                .rsplit_once(" at line ")
                .map_or(reason.as_str(), |(r, _)| r)
                .to_string();
            return Err(ToXmlError::Syntax {
                line: e.line(),
                column: e.column(),
                reason,
            });
        }
        sink.write(b"\n").ok();
    }
    if let Some(e) = failed_write {
        return Err(ToXmlError::Io(e));
    }
    output.flush().map_err(ToXmlError::Io)
}

/// The output, remembering the first write error (serde's errors cannot carry it).
struct Sink<'a, W: Write> {
    out: &'a mut W,
    failed: &'a mut Option<io::Error>,
}

impl<W: Write> Sink<'_, W> {
    fn write(&mut self, bytes: &[u8]) -> Result<(), ()> {
        if self.failed.is_some() {
            return Err(());
        }
        self.out.write_all(bytes).map_err(|e| {
            *self.failed = Some(e);
        })
    }

    fn text(&mut self, text: &str) -> Result<(), ()> {
        let mut start = 0;
        for (i, c) in text.char_indices() {
            let escaped: Option<&str> = match c {
                '&' => Some("&amp;"),
                '<' => Some("&lt;"),
                '>' => Some("&gt;"),
                '\r' => Some("&#xD;"),
                '\t' | '\n' => None,
                // Not allowed in XML 1.0: kept visible as U+FFFD (the one lossy case).
                '\u{0}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}' => Some("\u{FFFD}"),
                _ => None,
            };
            if let Some(escaped) = escaped {
                self.write(&text.as_bytes()[start..i])?;
                self.write(escaped.as_bytes())?;
                start = i + c.len_utf8();
            }
        }
        self.write(&text.as_bytes()[start..])
    }

    /// `<name attrs extra>text</name>`, or `<name attrs extra/>` for no text.
    fn leaf(&mut self, name: &str, attrs: &str, extra: &str, text: &str) -> Result<(), ()> {
        self.write(b"<")?;
        self.write(name.as_bytes())?;
        self.write(attrs.as_bytes())?;
        self.write(extra.as_bytes())?;
        if text.is_empty() {
            return self.write(b"/>");
        }
        self.write(b">")?;
        self.text(text)?;
        self.close(name)
    }

    fn open(&mut self, name: &str, attrs: &str, extra: &str) -> Result<(), ()> {
        self.write(b"<")?;
        self.write(name.as_bytes())?;
        self.write(attrs.as_bytes())?;
        self.write(extra.as_bytes())?;
        self.write(b">")
    }

    fn close(&mut self, name: &str) -> Result<(), ()> {
        self.write(b"</")?;
        self.write(name.as_bytes())?;
        self.write(b">")
    }
}

/// One JSON value to write as the element `name` (with `attrs`, e.g. ` array="true"`);
/// `member`: the value of an object member, whose array items repeat the element.
struct Element<'s, 'a, W: Write> {
    sink: &'s mut Sink<'a, W>,
    name: &'s str,
    attrs: &'static str,
    member: bool,
}

fn failed<E: de::Error>() -> E {
    E::custom("the XML could not be written")
}

impl<'de, W: Write> DeserializeSeed<'de> for Element<'_, '_, W> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, W: Write> Visitor<'de> for Element<'_, '_, W> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        let text = if v { "true" } else { "false" };
        self.sink
            .leaf(self.name, self.attrs, " type=\"boolean\"", text)
            .map_err(|()| failed())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        self.sink
            .leaf(self.name, self.attrs, " type=\"number\"", &v.to_string())
            .map_err(|()| failed())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        self.sink
            .leaf(self.name, self.attrs, " type=\"number\"", &v.to_string())
            .map_err(|()| failed())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        let text = serde_json::Number::from_f64(v).map_or_else(|| v.to_string(), |n| n.to_string());
        self.sink
            .leaf(self.name, self.attrs, " type=\"number\"", &text)
            .map_err(|()| failed())
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.sink
            .leaf(self.name, self.attrs, "", v)
            .map_err(|()| failed())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.sink
            .leaf(self.name, self.attrs, " type=\"null\"", "")
            .map_err(|()| failed())
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.visit_unit()
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut opened = false;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if !opened {
                self.sink
                    .open(self.name, self.attrs, "")
                    .map_err(|()| failed::<A::Error>())?;
                opened = true;
            }
            let name = names::encode(&key);
            map.next_value_seed(Element {
                sink: &mut *self.sink,
                name: &name,
                attrs: "",
                member: true,
            })?;
        }
        if opened {
            self.sink.close(self.name)
        } else {
            self.sink
                .leaf(self.name, self.attrs, " type=\"object\"", "")
        }
        .map_err(|()| failed())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        if self.member {
            let mut any = false;
            while seq
                .next_element_seed(Element {
                    sink: &mut *self.sink,
                    name: self.name,
                    attrs: " array=\"true\"",
                    member: false,
                })?
                .is_some()
            {
                any = true;
            }
            if !any {
                // No element, so `count(tags)` is 0 and `for each tags` makes nothing; the
                // processing instruction keeps the empty array for the way back.
                let pi = format!("<?{EMPTY_ARRAY} {}?>", self.name);
                self.sink
                    .write(pi.as_bytes())
                    .map_err(|()| failed::<A::Error>())?;
            }
            return Ok(());
        }
        self.sink
            .open(self.name, self.attrs, " type=\"array\"")
            .map_err(|()| failed::<A::Error>())?;
        while seq
            .next_element_seed(Element {
                sink: &mut *self.sink,
                name: "item",
                attrs: "",
                member: false,
            })?
            .is_some()
        {}
        self.sink.close(self.name).map_err(|()| failed())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn xml(json: &str) -> String {
        let mut out = Vec::new();
        json_to_xml(json.as_bytes(), &mut out).expect("converts");
        String::from_utf8(out)
            .expect("utf-8")
            .trim_start_matches("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
            .trim_end()
            .to_string()
    }

    #[test]
    fn values_become_elements() {
        assert_eq!(
            xml(r#"[{"id":7,"sku":"A&B","tags":[],"lines":[{"q":2}],"ok":true,"x":null,"o":{}}]"#),
            "<json type=\"array\"><item><id type=\"number\">7</id><sku>A&amp;B</sku>\
             <?empty-array tags?><lines array=\"true\"><q type=\"number\">2</q></lines>\
             <ok type=\"boolean\">true</ok><x type=\"null\"/><o type=\"object\"/></item></json>"
        );
        assert_eq!(
            xml(r#"{"a":[[1],"s"],"first name":""}"#),
            "<json><a array=\"true\" type=\"array\"><item type=\"number\">1</item></a>\
             <a array=\"true\">s</a><first_x0020_name/></json>"
        );
        assert_eq!(xml("1.5"), "<json type=\"number\">1.5</json>");
    }

    #[test]
    fn syntax_errors_say_where() {
        let mut out = Vec::new();
        let err = json_to_xml("[1,\n 2,]".as_bytes(), &mut out);
        match err {
            Err(ToXmlError::Syntax { line, column, .. }) => assert_eq!((line, column), (2, 4)),
            other => panic!("expected a syntax error, got {other:?}"),
        }
    }
}
