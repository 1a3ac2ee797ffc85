//! `record_end`: where a record ends, found by a byte scan of its markup alone (its text and attributes are left to the parser that reads the record next).

use memchr::{memchr, memchr3, memmem};

/// What a scan for a record's end tag found.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum End {
    /// The record ends just before this offset (just past its end tag).
    At(usize),
    /// The bytes end first: read more and scan again.
    More,
    /// Markup the scan does not take (a processing instruction, a DOCTYPE, an end tag
    /// that does not match, a comment with `--` inside): the caller must use the event
    /// reader, which says what is wrong or reads it as it always has.
    GiveUp,
}

/// Scans `bytes` from `from`, just after the start tag of a record called `name`, for
/// the end tag that closes it.
///
/// Start and end tags are counted, not matched (the record is parsed afterwards, which
/// checks them); a start tag ends at the first `>` outside quotes, as the event reader has
/// it, and `/>` closes it at once.
pub(super) fn find(bytes: &[u8], from: usize, name: &[u8]) -> End {
    let mut depth = 0usize;
    let mut i = from;
    loop {
        let Some(rest) = bytes.get(i..) else {
            return End::More;
        };
        let Some(lt) = memchr(b'<', rest) else {
            return End::More;
        };
        i += lt;
        let rest = bytes.get(i..).unwrap_or_default();
        let len = match rest.get(1) {
            None => return End::More,
            Some(b'/') => {
                let Some(gt) = memchr(b'>', rest) else {
                    return End::More;
                };
                if depth == 0 {
                    let tag = rest.get(2..gt).unwrap_or_default();
                    let kept = tag.len() - trailing_space(tag);
                    return if tag.get(..kept) == Some(name) {
                        End::At(i + gt + 1)
                    } else {
                        End::GiveUp
                    };
                }
                depth -= 1;
                gt + 1
            }
            Some(b'!') => match bang(rest) {
                Ok(len) => len,
                Err(end) => return end,
            },
            Some(b'?') => return End::GiveUp,
            Some(_) => {
                let Some(gt) = tag_end(rest) else {
                    return End::More;
                };
                if rest.get(gt - 1) != Some(&b'/') {
                    depth += 1;
                }
                gt + 1
            }
        };
        i += len;
    }
}

/// The length of the comment or CDATA section at the start of `rest`.
fn bang(rest: &[u8]) -> Result<usize, End> {
    if let Some(body) = rest.strip_prefix(b"<!--") {
        // The first `--` must be the end: `--` inside a comment is an error.
        let dashes = memmem::find(body, b"--").ok_or(End::More)?;
        return match body.get(dashes + 2) {
            None => Err(End::More),
            Some(b'>') => Ok(4 + dashes + 3),
            Some(_) => Err(End::GiveUp),
        };
    }
    if let Some(body) = rest.strip_prefix(b"<![CDATA[") {
        let end = memmem::find(body, b"]]>").ok_or(End::More)?;
        return Ok(9 + end + 3);
    }
    let opening: &[u8] = if rest.get(2) == Some(&b'[') {
        b"<![CDATA["
    } else {
        b"<!--"
    };
    if opening.starts_with(rest) {
        Err(End::More)
    } else {
        Err(End::GiveUp)
    }
}

/// The offset of the `>` that ends the start tag at the start of `rest`: the first one
/// outside quotes.
pub(super) fn tag_end(rest: &[u8]) -> Option<usize> {
    let mut i = 1;
    loop {
        let at = i + memchr3(b'>', b'"', b'\'', rest.get(i..)?)?;
        let quote = *rest.get(at)?;
        if quote == b'>' {
            return Some(at);
        }
        i = at + 1 + memchr(quote, rest.get(at + 1..)?)? + 1;
    }
}

/// How many XML whitespace bytes end `bytes`.
pub(super) fn trailing_space(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .rev()
        .take_while(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn end(record: &str) -> End {
        let start = record.find('>').map_or(0, |gt| gt + 1);
        find(record.as_bytes(), start, b"r")
    }

    #[test]
    fn finds_the_end_tag_past_nested_markup() {
        for record in [
            "<r></r>",
            "<r><a>1</a><b/><r>inner</r></r>",
            "<r><a x=\"</r>\" y='>'>1</a></r >",
            "<r><!-- </r> --><![CDATA[</r>]]></r>",
            "<r>text &amp; more<c><d/></c></r>",
        ] {
            assert_eq!(
                end(&format!("{record}<x/>")),
                End::At(record.len()),
                "{record}"
            );
        }
    }

    #[test]
    fn asks_for_more_when_the_bytes_end_inside_the_record() {
        for record in [
            "<r>",
            "<r><a>1</a>",
            "<r><a x=\"1",
            "<r></r",
            "<r><!-- x -",
            "<r><![CDATA[ x ]]",
            "<r><!-",
            "<r><![CDA",
            "<r><",
        ] {
            assert_eq!(end(record), End::More, "{record}");
        }
    }

    #[test]
    fn gives_up_on_what_the_event_reader_must_judge() {
        for record in [
            "<r><?pi x?></r>",
            "<r><!DOCTYPE r></r>",
            "<r><!-- a -- b --></r>",
            "<r><!-- a ---></r>",
            "<r></s>",
            "<r><!ELEMENT x></r>",
        ] {
            assert_eq!(end(record), End::GiveUp, "{record}");
        }
    }
}
