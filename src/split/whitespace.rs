//! The whitespace rule: the XML whitespace directly before a record's `<` belongs to the record.

/// XML's whitespace: space, tab, carriage return, line feed.
pub(crate) fn is_xml_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// How many XML whitespace bytes end `bytes`.
pub(crate) fn trailing_space_len(bytes: &[u8]) -> usize {
    bytes.iter().rev().take_while(|&&b| is_xml_space(b)).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_only_trailing_xml_space() {
        assert_eq!(trailing_space_len(b"abc \r\n\t "), 5);
        assert_eq!(trailing_space_len(b"abc"), 0);
        assert_eq!(trailing_space_len(b"\n\n"), 2);
        assert_eq!(trailing_space_len("a\u{a0}".as_bytes()), 0);
    }
}
