//! Well-formedness checks shared by the streaming parser and the record scanner.

use quick_xml::events::{BytesDecl, BytesStart};

use super::whitespace::is_xml_space;

/// For each byte: may it start (bit 1) or continue (bit 2) an XML name? Bytes from
/// 0x80 up are accepted (non-ASCII name characters are left to UTF-8 checking).
const NAME_BYTES: [u8; 256] = {
    let mut table = [3u8; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        table[b] = if c.is_ascii_alphabetic() || c == b'_' || c == b':' {
            3
        } else if c.is_ascii_digit() || c == b'.' || c == b'-' {
            2
        } else {
            0
        };
        b += 1;
    }
    table
};

/// A tag's name must be an XML name (checked on its ASCII characters).
pub(crate) fn check_name(name: &[u8]) -> Result<(), String> {
    let valid = match name.split_first() {
        Some((&first, rest)) => {
            NAME_BYTES[usize::from(first)] & 1 != 0
                && rest.iter().all(|&b| NAME_BYTES[usize::from(b)] & 2 != 0)
        }
        None => false,
    };
    if valid {
        Ok(())
    } else {
        Err(format!(
            "`{}` is not a valid name",
            String::from_utf8_lossy(name)
        ))
    }
}

/// The declaration needs a version, and its pseudo-attributes must parse.
pub(crate) fn check_declaration(decl: &BytesDecl<'_>) -> Result<(), String> {
    let bad = |what: &str| format!("the XML declaration has {what}");
    match decl.version() {
        Ok(v) if v.starts_with("1.") => {}
        _ => return Err(bad("no valid version")),
    }
    if matches!(decl.encoding(), Some(Err(_))) {
        return Err(bad("a malformed encoding"));
    }
    match decl.standalone() {
        Some(Ok(v)) if v != "yes" && v != "no" => Err(bad("a malformed standalone")),
        Some(Err(_)) => Err(bad("a malformed standalone")),
        _ => {
            let raw = decl.as_bytes().get(3..).unwrap_or_default();
            check_quoting(raw)?;
            // Only `version`, `encoding` and `standalone`, in that order.
            let mut allowed = ["version", "encoding", "standalone"].into_iter();
            for name in pseudo_attribute_names(raw) {
                if !allowed.any(|a| a.as_bytes() == name) {
                    return Err(bad(&format!(
                        "an unexpected `{}`",
                        String::from_utf8_lossy(name)
                    )));
                }
            }
            Ok(())
        }
    }
}

/// The names in `name="value" name='value'`, outside the quoted values.
fn pseudo_attribute_names(raw: &[u8]) -> Vec<&[u8]> {
    let mut names = Vec::new();
    let mut rest = raw;
    loop {
        let start = rest
            .iter()
            .position(|&b| !is_xml_space(b))
            .unwrap_or(rest.len());
        rest = rest.get(start..).unwrap_or_default();
        let end = rest
            .iter()
            .position(|&b| b == b'=' || is_xml_space(b))
            .unwrap_or(rest.len());
        if end == 0 {
            return names;
        }
        names.push(rest.get(..end).unwrap_or_default());
        let Some(open) = rest.iter().position(|&b| b == b'"' || b == b'\'') else {
            return names;
        };
        let quote = rest.get(open).copied().unwrap_or(b'"');
        let after = rest.get(open + 1..).unwrap_or_default();
        let Some(close) = after.iter().position(|&b| b == quote) else {
            return names;
        };
        rest = after.get(close + 1..).unwrap_or_default();
    }
}

/// Attributes need whitespace between them: `a="1"b="2"` is malformed.
pub(crate) fn check_quoting(attrs: &[u8]) -> Result<(), String> {
    let mut quote = None;
    let mut after_value = false;
    for &b in attrs {
        if after_value && !is_xml_space(b) {
            return Err("attributes must be separated by whitespace".into());
        }
        after_value = false;
        match quote {
            Some(q) if b == q => {
                quote = None;
                after_value = true;
            }
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None => {}
        }
    }
    Ok(())
}

/// Name, attribute syntax, duplicates, `<` in values and references in values.
pub(crate) fn check_attributes(e: &BytesStart<'_>, doctype_seen: bool) -> Result<(), String> {
    check_name(e.name().as_ref().as_bytes())?;
    let raw = e.attributes_raw();
    if raw.is_empty() {
        return Ok(());
    }
    check_quoting(raw.as_bytes())?;
    for attr in e.attributes() {
        let attr = attr.map_err(|err| err.to_string())?;
        check_name(attr.key.as_ref().as_bytes())?;
        let value: &[u8] = attr.value.as_bytes();
        if value.contains(&b'<') {
            return Err("`<` inside an attribute value".into());
        }
        let mut rest = value;
        while let Some(amp) = rest.iter().position(|&b| b == b'&') {
            let after = rest.get(amp + 1..).unwrap_or_default();
            let Some(semi) = after.iter().position(|&b| b == b';') else {
                return Err("an unterminated reference in an attribute value".into());
            };
            check_reference(after.get(..semi).unwrap_or_default(), doctype_seen)?;
            rest = after.get(semi + 1..).unwrap_or_default();
        }
    }
    Ok(())
}

/// `name` is the text between `&` and `;`.
pub(crate) fn check_reference(name: &[u8], doctype_seen: bool) -> Result<(), String> {
    let shown = String::from_utf8_lossy(name);
    let char_ref = |digits: &[u8], radix| {
        std::str::from_utf8(digits)
            .ok()
            .filter(|d| !d.is_empty() && !d.starts_with('+'))
            .and_then(|d| u32::from_str_radix(d, radix).ok())
            .and_then(char::from_u32)
            .is_some_and(is_xml_char)
    };
    let ok = match name {
        [b'#', b'x', hex @ ..] => char_ref(hex, 16),
        [b'#', dec @ ..] => char_ref(dec, 10),
        b"lt" | b"gt" | b"amp" | b"apos" | b"quot" => true,
        _ => doctype_seen && !name.is_empty(),
    };
    if ok {
        Ok(())
    } else {
        Err(format!("unknown or invalid reference `&{shown};`"))
    }
}

fn is_xml_char(c: char) -> bool {
    matches!(c, '\u{9}' | '\u{A}' | '\u{D}' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_references_and_declarations() {
        assert!(check_name(b"c:Product-2").is_ok());
        assert!(check_name("Größe".as_bytes()).is_ok());
        for bad in [&b""[..], b"1a", b"a<b", b"-a", b"a b"] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
        for good in [&b"amp"[..], b"#233", b"#x20AC"] {
            assert!(check_reference(good, false).is_ok());
        }
        for bad in [&b"nope"[..], b"#0", b"#xD800", b"#", b"#x", b"#+1"] {
            assert!(check_reference(bad, false).is_err(), "{bad:?}");
        }
        assert!(check_reference(b"shop", true).is_ok());
        assert_eq!(
            pseudo_attribute_names(b" version=\"1.0\" encoding='a\"b' standalone=\"yes\""),
            vec![&b"version"[..], b"encoding", b"standalone"]
        );
        assert!(check_quoting(b" a=\"1\" b='2' ").is_ok());
        assert!(check_quoting(b" a=\"1\"b='2'").is_err());
    }
}
