//! `OutputEncoding`: the encoding a file is written in, as asked for by name, with the name its
//! XML declaration gives and the characters it can hold.
use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};

/// An encoding to write files in.
///
/// The WHATWG standard reads `ISO-8859-1` and `US-ASCII` as windows-1252, which is right for
/// reading; a file *written* as ISO-8859-1 must hold only U+0000–U+00FF (so `€` becomes
/// `&#8364;`, not the windows-1252 byte 0x80 a strict reader would take for a control
/// character), and one written as US-ASCII only U+0000–U+007F.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutputEncoding {
    /// The encoder used.
    pub encoding: &'static Encoding,
    /// The name written in the XML declaration.
    pub label: &'static str,
    /// The highest code point written as it is; those above become character references.
    pub max_char: Option<u32>,
}

impl OutputEncoding {
    /// The encoding for an `encoding` option's value (`ISO-8859-1`, `windows-1252`,
    /// `UTF-16`…), or `None` when it is no encoding zynk can write.
    pub fn for_label(label: &str) -> Option<OutputEncoding> {
        let encoding = super::output_encoding(label)?;
        let name = label.trim().to_ascii_lowercase();
        let (label, max_char) = if encoding == WINDOWS_1252 {
            match name.as_str() {
                "windows-1252" | "cp1252" | "x-cp1252" => ("windows-1252", None),
                "us-ascii" | "ascii" | "ansi_x3.4-1968" | "cp367" | "csascii" | "ibm367"
                | "iso-ir-6" | "iso646-us" | "iso_646.irv:1991" | "us" => ("US-ASCII", Some(0x7F)),
                _ => ("ISO-8859-1", Some(0xFF)),
            }
        } else if encoding == UTF_16LE || encoding == UTF_16BE {
            ("UTF-16", None)
        } else if encoding == UTF_8 {
            ("utf-8", None)
        } else {
            (encoding.name(), None)
        };
        Some(OutputEncoding {
            encoding,
            label,
            max_char,
        })
    }

    /// From an encoding as `encoding_rs` names it (no limit beyond the encoding's own).
    pub fn of(encoding: &'static Encoding) -> OutputEncoding {
        let label = if encoding == UTF_16LE || encoding == UTF_16BE {
            "UTF-16"
        } else if encoding == UTF_8 {
            "utf-8"
        } else {
            encoding.name()
        };
        OutputEncoding {
            encoding,
            label,
            max_char: None,
        }
    }

    /// True for UTF-8 (written as it is, no encoder).
    pub fn is_utf8(&self) -> bool {
        self.encoding == UTF_8
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin1_and_ascii_are_strict_when_written() {
        let latin1 = OutputEncoding::for_label("iso-8859-1");
        assert_eq!(
            latin1.map(|e| (e.label, e.max_char)),
            Some(("ISO-8859-1", Some(0xFF)))
        );
        let cp = OutputEncoding::for_label("Windows-1252");
        assert_eq!(
            cp.map(|e| (e.label, e.max_char)),
            Some(("windows-1252", None))
        );
        let ascii = OutputEncoding::for_label("US-ASCII");
        assert_eq!(ascii.map(|e| e.max_char), Some(Some(0x7F)));
        assert_eq!(
            OutputEncoding::for_label("utf-16").map(|e| e.label),
            Some("UTF-16")
        );
        assert_eq!(
            OutputEncoding::for_label("l9").map(|e| e.label),
            Some("ISO-8859-15")
        );
        assert!(OutputEncoding::for_label("ISO-8859-").is_none());
    }
}
