//! JSON as XML and back: one reversible correspondence, so JSON shops enter and leave zynk as XML.
//!
//! [`json_to_xml`] streams a JSON document into XML (every XML reader in zynk reads a JSON file
//! through it, see [`crate::xml_input::XmlSource`]); [`value_of`] reads XML back as JSON for
//! request bodies. The correspondence is described in `docs/json.md`.
mod from_xml;
pub(crate) mod names;
mod to_xml;

pub use from_xml::{object_from, value_of};
pub use to_xml::{ROOT, ToXmlError, json_to_xml};

/// Whether a file that starts with `head` is JSON: after an optional UTF-8 byte order mark and
/// white space, an object or an array (`{` or `[`).
#[must_use]
pub fn looks_like_json(head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    matches!(head.trim_ascii_start().first(), Some(b'{' | b'['))
}
