//! The demo shop's legacy modes: Connect XML in ISO-8859-1, windows-1252 or UTF-16 with
//! non-ASCII names seeded, and errors answered as `200` with a line of text, as PHP's `die()`.
use rusqlite::{Connection, params};

use super::error::DemoError;
use crate::xml_input::EncodeWriter;

/// An encoding an old website script serves its XML in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LegacyEncoding {
    /// `ISO-8859-1`, as Zynk's own PHP scripts declare.
    #[value(name = "latin1", alias = "iso-8859-1")]
    Latin1,
    /// `windows-1252`: Latin-1 plus `€`, curly quotes and dashes.
    #[value(name = "windows-1252", alias = "cp1252")]
    Windows1252,
    /// `UTF-16` (little-endian, with a byte order mark), as ASP.NET can write.
    #[value(name = "utf-16", alias = "utf16")]
    Utf16,
}

/// How the shop speaks: today's defaults, or like a legacy site.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Legacy {
    /// Serve the download in this encoding (and seed non-ASCII names), not UTF-8.
    pub encoding: Option<LegacyEncoding>,
    /// Answer every error with `200 OK` and a line of text instead of a 4xx/5xx status.
    pub errors_as_200: bool,
    /// Keep `encoding="utf-8"` in the download's XML declaration while sending `encoding`'s
    /// bytes (with a correct `Content-Type` charset), as Zynk's CS-Cart scripts do.
    pub wrong_declaration: bool,
}

/// The text a PHP script's `die()` prints when its database is down.
pub const DIE_TEXT: &str =
    "Could not connect: Access denied for user 'shop'@'localhost' (using password: YES)";

/// How often (one address in `NAME_EVERY`) a seeded name is replaced by a non-ASCII one.
const NAME_EVERY: i64 = 5;

impl LegacyEncoding {
    /// The name the XML declaration and the `Content-Type` charset give.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            LegacyEncoding::Latin1 => "ISO-8859-1",
            LegacyEncoding::Windows1252 => "windows-1252",
            LegacyEncoding::Utf16 => "UTF-16",
        }
    }

    fn encoding(self) -> &'static encoding_rs::Encoding {
        match self {
            LegacyEncoding::Latin1 | LegacyEncoding::Windows1252 => encoding_rs::WINDOWS_1252,
            LegacyEncoding::Utf16 => encoding_rs::UTF_16LE,
        }
    }

    /// (forename, surname, company) triples this encoding can hold, seeded in place of
    /// some of the generated names.
    #[must_use]
    pub fn names(self) -> &'static [(&'static str, &'static str, &'static str)] {
        const LATIN1: &[(&str, &str, &str)] = &[
            ("Zoë", "Brontë", "Café Crème"),
            ("Jürgen", "Groß", "Müller & Söhne"),
            ("François", "Lefèvre", "Ærø Ålesund"),
        ];
        const CP1252: &[(&str, &str, &str)] = &[
            ("Zoë", "Brontë", "Café Crème"),
            ("Seán", "O’Brien", "“Best” Bikes €uro"),
            ("Zdeněk", "Šimůnek", "Œuvre – Objets d’art"),
        ];
        const UTF16: &[(&str, &str, &str)] = &[
            ("Zoë", "Brontë", "Café Crème"),
            ("Łukasz", "Dvořák", "“Best” Bikes €uro"),
            ("Ōta", "Kōji", "東京 Trading"),
        ];
        match self {
            LegacyEncoding::Latin1 => LATIN1,
            LegacyEncoding::Windows1252 => CP1252,
            LegacyEncoding::Utf16 => UTF16,
        }
    }

    /// `document` (UTF-8, declared `utf-8`) as this encoding's bytes, declared so.
    #[must_use]
    pub fn encode_document(self, document: &str) -> Vec<u8> {
        self.encode_declared(document, true)
    }

    /// `document` (UTF-8, declared `utf-8`) as this encoding's bytes; its declaration says so
    /// when `declare` is true, and keeps `utf-8` (wrongly) when it is false.
    #[must_use]
    pub fn encode_declared(self, document: &str, declare: bool) -> Vec<u8> {
        let mut declared = if declare {
            document.replacen(
                "encoding=\"utf-8\"",
                &format!("encoding=\"{}\"", self.label()),
                1,
            )
        } else {
            document.to_string()
        };
        if self == LegacyEncoding::Latin1 && declared.chars().any(|c| u32::from(c) > 0xFF) {
            // True ISO-8859-1 ends at U+00FF (the encoder is windows-1252's, which has more).
            declared = declared
                .chars()
                .map(|c| match u32::from(c) {
                    n if n > 0xFF => format!("&#{n};"),
                    _ => c.to_string(),
                })
                .collect();
        }
        let bom = self == LegacyEncoding::Utf16;
        let mut writer = EncodeWriter::new(Vec::new(), self.encoding(), bom);
        let written = std::io::Write::write_all(&mut writer, declared.as_bytes());
        match written.and_then(|()| writer.finish()) {
            Ok(bytes) => bytes,
            // Writing into memory fails only on text that is not UTF-8, which a `&str` is not.
            Err(_) => declared.into_bytes(),
        }
    }

    /// Gives every `NAME_EVERY`-th address and company one of [`LegacyEncoding::names`]
    /// (the same ones every time, so restarting the shop changes nothing).
    ///
    /// # Errors
    /// A database error.
    pub fn seed_names(self, conn: &Connection) -> Result<(), DemoError> {
        let names = self.names();
        let count = i64::try_from(names.len()).unwrap_or(1);
        for (i, (forename, surname, company)) in (0..).zip(names) {
            conn.execute(
                "UPDATE addresses SET forename = ?1, surname = ?2
                 WHERE id % ?3 = 0 AND (id / ?3) % ?4 = ?5",
                params![forename, surname, NAME_EVERY, count, i],
            )?;
            conn.execute(
                "UPDATE addresses SET company = ?1
                 WHERE company != '' AND id % ?2 = 0 AND (id / ?2) % ?3 = ?4",
                params![company, NAME_EVERY, count, i],
            )?;
            conn.execute(
                "UPDATE customers SET company_name = ?1
                 WHERE company_name != '' AND id % ?2 = 0 AND (id / ?2) % ?3 = ?4",
                params![company, NAME_EVERY, count, i],
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_are_encoded_and_declared() {
        let doc = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<n>Zoë € \u{3042}</n>\n";
        let latin1 = LegacyEncoding::Latin1.encode_document(doc);
        assert!(latin1.starts_with(b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>"));
        assert!(latin1.ends_with(b"<n>Zo\xEB &#8364; &#12354;</n>\n"));
        let cp1252 = LegacyEncoding::Windows1252.encode_document(doc);
        assert!(cp1252.ends_with(b"<n>Zo\xEB \x80 &#12354;</n>\n"));
        let utf16 = LegacyEncoding::Utf16.encode_document(doc);
        assert!(utf16.starts_with(b"\xFF\xFE<\x00?\x00"));
    }
}
