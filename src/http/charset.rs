//! A saved XML answer whose `Content-Type` charset and XML declaration disagree is made true:
//! RFC 7303 §3.2 gives the charset parameter precedence, so the file is re-declared in the
//! charset's encoding (its bytes unchanged) — unless its bytes show the header is the wrong
//! one (valid UTF-8 beyond ASCII under a one-byte charset, or the reverse).
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};

use encoding_rs::{Encoding, UTF_8};

/// How many bytes are read to find the XML declaration.
const HEAD: usize = 1024;

/// What was done about a disagreement, for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Verdict {
    /// The declaration was wrong: the file now declares the charset's encoding.
    Redeclared { declared: String, charset: String },
    /// The header was wrong: the declaration, which the bytes bear out, is kept.
    HeaderIgnored { declared: String, charset: String },
}

impl Verdict {
    /// A warning for the status line.
    pub(super) fn note(&self) -> String {
        match self {
            Verdict::Redeclared { declared, charset } => format!(
                "the site's answer declares encoding {declared} but its Content-Type says \
                 charset={charset}, which its bytes bear out: saved declaring {charset} (the \
                 bytes are unchanged); the site should fix its XML declaration"
            ),
            Verdict::HeaderIgnored { declared, charset } => format!(
                "the site's Content-Type says charset={charset} but its answer is {declared} \
                 as it declares: the declaration is kept; the site should fix its Content-Type"
            ),
        }
    }
}

/// Makes the XML in `file` declare the encoding its bytes are in, when the response's
/// `charset` and the XML declaration disagree. `None` when they agree, when the body is not
/// XML, has a byte order mark (which wins), or names an encoding zynk does not know.
pub(super) fn reconcile(file: &mut File, charset: &str) -> io::Result<Option<Verdict>> {
    let Some(header) = Encoding::for_label(charset.trim().as_bytes()) else {
        return Ok(None);
    };
    file.seek(SeekFrom::Start(0))?;
    let mut head = Vec::with_capacity(HEAD);
    (&mut *file).take(HEAD as u64).read_to_end(&mut head)?;
    if head.starts_with(b"\xEF\xBB\xBF")
        || head.starts_with(b"\xFF\xFE")
        || head.starts_with(b"\xFE\xFF")
    {
        return Ok(None);
    }
    let start = head.iter().position(|b| !b.is_ascii_whitespace());
    if start.map(|i| head[i]) != Some(b'<') {
        return Ok(None);
    }
    let declaration = Declaration::find(&head);
    let declared_label = declaration.as_ref().and_then(|d| d.encoding.clone());
    let declared = match &declared_label {
        Some(label) => match Encoding::for_label(label.as_bytes()) {
            Some(e) => e,
            None => return Ok(None),
        },
        None => UTF_8,
    };
    if declared == header {
        return Ok(None);
    }
    let single_byte = |e: &'static Encoding| e.is_single_byte();
    let shown = declared_label.unwrap_or_else(|| "UTF-8 (none given)".to_string());
    // The site's own name for it, for the new declaration (a label is a plain token).
    let label: String = charset
        .trim()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
        .collect();
    let utf8 = utf8_state(file)?;
    let verdict = match (declared == UTF_8, header == UTF_8) {
        // Declared UTF-8, sent as a one-byte charset.
        (true, false) if single_byte(header) => match utf8 {
            Utf8::Ascii => return Ok(None),
            Utf8::Valid => Verdict::HeaderIgnored {
                declared: shown,
                charset: charset.to_string(),
            },
            Utf8::Invalid => Verdict::Redeclared {
                declared: shown,
                charset: label.clone(),
            },
        },
        // Declared a one-byte encoding, sent as UTF-8.
        (false, true) if single_byte(declared) => match utf8 {
            Utf8::Ascii => return Ok(None),
            Utf8::Valid => Verdict::Redeclared {
                declared: shown,
                charset: label.clone(),
            },
            Utf8::Invalid => Verdict::HeaderIgnored {
                declared: shown,
                charset: charset.to_string(),
            },
        },
        // Two one-byte encodings: the header wins, as RFC 7303 says.
        (false, false) if single_byte(declared) && single_byte(header) => Verdict::Redeclared {
            declared: shown,
            charset: label.clone(),
        },
        _ => return Ok(None),
    };
    if let Verdict::Redeclared { charset, .. } = &verdict {
        rewrite(file, declaration.as_ref(), charset)?;
    }
    Ok(Some(verdict))
}

/// The XML declaration at the start of a document: where it ends and what encoding it names.
struct Declaration {
    /// Byte offset just past `?>`.
    end: usize,
    /// The `version` it gives.
    version: String,
    /// The `standalone` it gives.
    standalone: Option<String>,
    encoding: Option<String>,
}

impl Declaration {
    fn find(head: &[u8]) -> Option<Declaration> {
        let start = head.iter().position(|b| !b.is_ascii_whitespace())?;
        let rest = head[start..].strip_prefix(b"<?xml")?;
        if !rest.first().is_some_and(u8::is_ascii_whitespace) {
            return None;
        }
        let close = rest.windows(2).position(|w| w == b"?>")?;
        let text = String::from_utf8_lossy(&rest[..close]);
        Some(Declaration {
            end: start + 5 + close + 2,
            version: pseudo_attribute(&text, "version").unwrap_or_else(|| "1.0".into()),
            standalone: pseudo_attribute(&text, "standalone"),
            encoding: pseudo_attribute(&text, "encoding"),
        })
    }
}

/// The value of `name="…"` (or `'…'`) in a declaration's text.
fn pseudo_attribute(text: &str, name: &str) -> Option<String> {
    let at = text.find(name)?;
    let rest = text[at + name.len()..].trim_start().strip_prefix('=')?;
    let rest = rest.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = rest[1..].split(quote).next()?;
    Some(value.trim().to_string())
}

/// What the whole body is, read as UTF-8.
enum Utf8 {
    Ascii,
    Valid,
    Invalid,
}

fn utf8_state(file: &mut File) -> io::Result<Utf8> {
    file.seek(SeekFrom::Start(0))?;
    let mut buf = vec![0u8; 64 * 1024];
    let mut carry: Vec<u8> = Vec::new();
    let mut ascii = true;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        carry.extend_from_slice(&buf[..n]);
        match std::str::from_utf8(&carry) {
            Ok(text) => {
                ascii &= text.is_ascii();
                carry.clear();
            }
            Err(e) if e.error_len().is_none() => {
                // A character cut by the read: keep its start for the next one.
                let valid = e.valid_up_to();
                ascii &= carry[..valid].is_ascii();
                carry.drain(..valid);
            }
            Err(_) => return Ok(Utf8::Invalid),
        }
    }
    if !carry.is_empty() {
        return Ok(Utf8::Invalid);
    }
    Ok(if ascii { Utf8::Ascii } else { Utf8::Valid })
}

/// Replaces the declaration (or adds one) so that it names `encoding`; the rest of the file
/// is copied as it is.
fn rewrite(file: &mut File, declaration: Option<&Declaration>, encoding: &str) -> io::Result<()> {
    let (skip, line) = match declaration {
        Some(d) => {
            let standalone = d
                .standalone
                .as_ref()
                .map(|s| format!(" standalone=\"{s}\""))
                .unwrap_or_default();
            (
                d.end,
                format!(
                    "<?xml version=\"{}\" encoding=\"{encoding}\"{standalone}?>",
                    d.version
                ),
            )
        }
        None => (
            0,
            format!("<?xml version=\"1.0\" encoding=\"{encoding}\"?>\n"),
        ),
    };
    let mut rest = tempfile::tempfile()?;
    file.seek(SeekFrom::Start(skip as u64))?;
    io::copy(file, &mut rest)?;
    rest.seek(SeekFrom::Start(0))?;
    file.seek(SeekFrom::Start(0))?;
    file.set_len(0)?;
    file.write_all(line.as_bytes())?;
    io::copy(&mut rest, file)?;
    file.flush()?;
    file.seek(SeekFrom::Start(0))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file_with(bytes: &[u8]) -> io::Result<File> {
        let mut f = tempfile::tempfile()?;
        f.write_all(bytes)?;
        Ok(f)
    }

    fn read_all(f: &mut File) -> io::Result<Vec<u8>> {
        f.seek(SeekFrom::Start(0))?;
        let mut out = Vec::new();
        f.read_to_end(&mut out)?;
        Ok(out)
    }

    #[test]
    fn latin1_bytes_declared_utf8_are_redeclared_as_the_header_says() -> io::Result<()> {
        let mut f = file_with(b"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<a>Caf\xE9</a>")?;
        let verdict = reconcile(&mut f, "ISO-8859-1")?;
        assert!(
            matches!(verdict, Some(Verdict::Redeclared { .. })),
            "{verdict:?}"
        );
        assert_eq!(
            read_all(&mut f)?,
            b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<a>Caf\xE9</a>"
        );
        Ok(())
    }

    #[test]
    fn utf8_bytes_under_a_latin1_header_keep_their_declaration() -> io::Result<()> {
        let body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><a>Café</a>".as_bytes();
        let mut f = file_with(body)?;
        let verdict = reconcile(&mut f, "iso-8859-1")?;
        assert!(
            matches!(verdict, Some(Verdict::HeaderIgnored { .. })),
            "{verdict:?}"
        );
        assert_eq!(read_all(&mut f)?, body);
        Ok(())
    }

    #[test]
    fn agreement_ascii_and_non_xml_are_left_alone() -> io::Result<()> {
        for (body, charset) in [
            (
                &b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>\xE9</a>"[..],
                "latin1",
            ),
            (&b"<?xml version=\"1.0\"?><a>plain</a>"[..], "ISO-8859-1"),
            (&b"ok \xE9"[..], "ISO-8859-1"),
        ] {
            let mut f = file_with(body)?;
            assert_eq!(reconcile(&mut f, charset)?, None);
            assert_eq!(read_all(&mut f)?, body);
        }
        Ok(())
    }

    #[test]
    fn a_document_without_a_declaration_gains_one() -> io::Result<()> {
        let mut f = file_with(b"<a>Zo\xEB</a>")?;
        reconcile(&mut f, "ISO-8859-1")?;
        assert_eq!(
            read_all(&mut f)?,
            b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<a>Zo\xEB</a>"
        );
        Ok(())
    }
}
