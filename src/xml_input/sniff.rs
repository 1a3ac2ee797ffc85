//! Which encoding an XML file is in, from its byte order mark and its XML declaration.
use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE};

/// How many bytes at the start of a file are enough to find the declaration's encoding.
pub(super) const SNIFF_LEN: usize = 1024;

/// What the start of a file says about its encoding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detected {
    /// The encoding the bytes are decoded with.
    pub encoding: &'static Encoding,
    /// Length of the byte order mark (0 when there is none).
    pub bom: usize,
    /// The `encoding="…"` of the XML declaration, as written, when there is one.
    pub declared: Option<String>,
}

impl Detected {
    /// True when the file is read as it is (UTF-8), without decoding.
    pub fn is_utf8(&self) -> bool {
        self.encoding == UTF_8
    }

    /// How errors name what the file was read as, e.g. `declared ISO-8859-1`.
    pub fn describe(&self) -> String {
        match (&self.declared, self.bom) {
            (Some(label), _) => format!("declared {label}"),
            (None, 0) => "no encoding declared, so read as UTF-8".into(),
            (None, _) => format!("{} by its byte order mark", self.encoding.name()),
        }
    }
}

/// Reads the encoding from the first bytes of a file (up to [`SNIFF_LEN`]).
///
/// `Err(label)` when the declaration names an encoding this reader does not know.
pub fn sniff(head: &[u8]) -> Result<Detected, String> {
    let bom = match head {
        [0xEF, 0xBB, 0xBF, ..] => Some((UTF_8, 3)),
        [0xFF, 0xFE, ..] => Some((UTF_16LE, 2)),
        [0xFE, 0xFF, ..] => Some((UTF_16BE, 2)),
        [b'<', 0, b'?', 0, ..] => Some((UTF_16LE, 0)),
        [0, b'<', 0, b'?', ..] => Some((UTF_16BE, 0)),
        _ => None,
    };
    if let Some((encoding, bom)) = bom {
        let declared = if encoding == UTF_8 {
            declared_label(head.get(bom..).unwrap_or_default())
        } else {
            declared_label(&narrow(head.get(bom..).unwrap_or_default(), encoding))
        };
        // The byte order mark wins over a declaration that disagrees with it.
        return Ok(Detected {
            encoding,
            bom,
            declared,
        });
    }
    let declared = declared_label(head);
    let encoding = match &declared {
        None => UTF_8,
        Some(label) => match Encoding::for_label(label.as_bytes()) {
            // A file declared UTF-16 whose bytes read as ASCII is mislabelled UTF-8.
            Some(e) if e == UTF_16LE || e == UTF_16BE => UTF_8,
            Some(e) if e.is_single_byte() || e == UTF_8 || e.output_encoding() == e => e,
            _ => return Err(label.clone()),
        },
    };
    Ok(Detected {
        encoding,
        bom: 0,
        declared,
    })
}

/// The ASCII bytes of UTF-16 text (every other byte), enough to read a declaration.
fn narrow(bytes: &[u8], encoding: &'static Encoding) -> Vec<u8> {
    let low = usize::from(encoding == UTF_16BE);
    bytes
        .chunks_exact(2)
        .map_while(|pair| {
            let (ch, zero) = (pair[low], pair[1 - low]);
            (zero == 0 && ch.is_ascii()).then_some(ch)
        })
        .collect()
}

/// The value of `encoding` in a leading `<?xml … ?>` declaration.
fn declared_label(bytes: &[u8]) -> Option<String> {
    let rest = bytes.strip_prefix(b"<?xml")?;
    if !rest.first().is_some_and(u8::is_ascii_whitespace) {
        return None;
    }
    let end = rest.windows(2).position(|w| w == b"?>")?;
    let decl = rest.get(..end)?;
    let at = decl.windows(8).position(|w| w == b"encoding")?;
    let mut value = decl.get(at + 8..)?.trim_ascii_start();
    value = value.strip_prefix(b"=")?.trim_ascii_start();
    let quote = *value.first()?;
    if quote != b'"' && quote != b'\'' {
        return None;
    }
    let value = value.get(1..)?;
    let close = value.iter().position(|&b| b == quote)?;
    let label = std::str::from_utf8(value.get(..close)?).ok()?;
    Some(label.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::{ISO_8859_15, WINDOWS_1252};

    fn encoding_of(head: &[u8]) -> Option<&'static str> {
        sniff(head).ok().map(|d| d.encoding.name())
    }

    #[test]
    fn declaration_and_bom_decide() {
        assert_eq!(encoding_of(b"<Company/>"), Some("UTF-8"));
        assert_eq!(
            encoding_of(b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a/>"),
            Some(WINDOWS_1252.name())
        );
        assert_eq!(
            encoding_of(b"<?xml version='1.0' encoding = 'iso-8859-15' ?>"),
            Some(ISO_8859_15.name())
        );
        assert_eq!(
            encoding_of(b"\xEF\xBB\xBF<?xml version=\"1.0\"?>"),
            Some("UTF-8")
        );
        let utf16: Vec<u8> = "\u{FEFF}<?xml version=\"1.0\" encoding=\"UTF-16\"?>"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        let detected = sniff(&utf16).ok();
        assert_eq!(detected.as_ref().map(|d| d.encoding), Some(UTF_16BE));
        assert_eq!(
            detected.and_then(|d| d.declared),
            Some("UTF-16".to_string())
        );
        assert_eq!(
            sniff(b"<?xml version=\"1.0\" encoding=\"klingon\"?>"),
            Err("klingon".into())
        );
    }
}
