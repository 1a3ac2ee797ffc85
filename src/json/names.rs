//! JSON member names as XML element names and back: `_xHHHH_` escapes, reversible.
//!
//! A character an XML name cannot hold at its place becomes `_x` + its code point in upper-case
//! hex (4 digits, 8 above U+FFFF) + `_`: `"first name"` ↔ `first_x0020_name`, `"2fa"` ↔
//! `_x0032_fa`, `"a:b"` ↔ `a_x003A_b`. An `_` that would read as the start of such an escape is
//! itself escaped (`_x005F_`), so decoding gives back exactly the key. The empty key is `_x_`.

/// The element name for the JSON member name `key`.
#[must_use]
pub(crate) fn encode(key: &str) -> String {
    if key.is_empty() {
        return "_x_".into();
    }
    if key == "_x_" {
        return "_x005F_x_".into();
    }
    let mut out = String::with_capacity(key.len());
    for (i, c) in key.char_indices() {
        let ok = if i == 0 {
            is_name_start(c)
        } else {
            is_name_char(c)
        };
        let escape_underscore = c == '_' && escape_at(&key[i..]).is_some();
        if ok && !escape_underscore {
            out.push(c);
        } else {
            push_escape(&mut out, c);
        }
    }
    out
}

/// The JSON member name an element name stands for (the inverse of [`encode`]).
#[must_use]
pub(crate) fn decode(name: &str) -> String {
    if name == "_x_" {
        return String::new();
    }
    let mut out = String::with_capacity(name.len());
    let mut rest = name;
    while let Some(at) = rest.find("_x") {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        match escape_at(tail) {
            Some((c, len)) => {
                out.push(c);
                rest = &tail[len..];
            }
            None => {
                out.push('_');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn push_escape(out: &mut String, c: char) {
    let n = u32::from(c);
    if n > 0xFFFF {
        out.push_str(&format!("_x{n:08X}_"));
    } else {
        out.push_str(&format!("_x{n:04X}_"));
    }
}

/// `_xHHHH_` or `_xHHHHHHHH_` at the start of `text`: the character and the escape's length.
fn escape_at(text: &str) -> Option<(char, usize)> {
    let rest = text.strip_prefix("_x")?;
    for digits in [4, 8] {
        let Some(hex) = rest.get(..digits) else {
            continue;
        };
        if rest.get(digits..=digits) != Some("_") || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            continue;
        }
        let c = u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)?;
        return Some((c, digits + 3));
    }
    None
}

/// XML 1.0 `NameStartChar`, without `:` (names here have no prefixes).
fn is_name_start(c: char) -> bool {
    matches!(c,
        'A'..='Z' | '_' | 'a'..='z' | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}'
        | '\u{F8}'..='\u{2FF}' | '\u{370}'..='\u{37D}' | '\u{37F}'..='\u{1FFF}'
        | '\u{200C}'..='\u{200D}' | '\u{2070}'..='\u{218F}' | '\u{2C00}'..='\u{2FEF}'
        | '\u{3001}'..='\u{D7FF}' | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}'
        | '\u{10000}'..='\u{EFFFF}')
}

/// XML 1.0 `NameChar`, without `:`.
fn is_name_char(c: char) -> bool {
    is_name_start(c)
        || matches!(c, '-' | '.' | '0'..='9' | '\u{B7}' | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for (key, name) in [
            ("billing", "billing"),
            ("first name", "first_x0020_name"),
            ("2fa", "_x0032_fa"),
            ("a:b", "a_x003A_b"),
            ("", "_x_"),
            ("_x_", "_x005F_x_"),
            ("_x0041_", "_x005F_x0041_"),
            ("_links", "_links"),
            ("price-£", "price-_x00A3_"),
            ("prénom", "prénom"),
            ("😀", "😀"),
            ("\u{F0000}", "_x000F0000_"),
            ("a\u{1}b", "a_x0001_b"),
            ("$ref", "_x0024_ref"),
        ] {
            assert_eq!(encode(key), name, "{key}");
            assert_eq!(decode(name), key, "{name}");
        }
    }
}
