//! The request body: checked once before the first attempt, reopened for each, with its default type.
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use reqwest::blocking;

use super::error::HttpError;
use super::request::{Body, Request};

/// How many bytes of a file are looked at to decide whether it is XML.
const SNIFF_BYTES: usize = 512;

/// The request body, checked once before the first attempt and reopened for each.
pub(super) enum Payload {
    Bytes {
        data: Vec<u8>,
        content_type: Option<&'static str>,
    },
    File {
        path: PathBuf,
        content_type: Option<&'static str>,
    },
}

impl Payload {
    /// Checks the body: `None` for GET/HEAD and `Body::None`, an error for a missing file.
    pub(super) fn prepare(req: &Request) -> Result<Option<Payload>, HttpError> {
        if !req.method.sends_body() {
            return Ok(None);
        }
        let typed = req
            .headers
            .iter()
            .any(|(name, _)| name.trim().eq_ignore_ascii_case("content-type"));
        let pick = |content_type: &'static str| (!typed).then_some(content_type);
        let payload = match &req.body {
            Body::None => return Ok(None),
            Body::Text(text) => Payload::Bytes {
                content_type: pick(
                    xml_content_type(text.as_bytes()).unwrap_or("text/plain; charset=utf-8"),
                ),
                data: text.as_bytes().to_vec(),
            },
            Body::Form(pairs) => Payload::Bytes {
                data: form_urlencode(pairs).into_bytes(),
                content_type: pick("application/x-www-form-urlencoded"),
            },
            Body::File(path) => {
                let mut file = open_input(path)?;
                let mut start = Vec::with_capacity(SNIFF_BYTES);
                (&mut file)
                    .take(SNIFF_BYTES as u64)
                    .read_to_end(&mut start)
                    .map_err(|source| HttpError::InputRead {
                        path: path.clone(),
                        source,
                    })?;
                Payload::File {
                    path: path.clone(),
                    content_type: pick(
                        xml_content_type(&start).unwrap_or("application/octet-stream"),
                    ),
                }
            }
        };
        Ok(Some(payload))
    }

    /// A fresh body for one attempt, and the `Content-Type` to send with it.
    pub(super) fn open(&self) -> Result<(blocking::Body, Option<&'static str>), HttpError> {
        match self {
            Payload::Bytes { data, content_type } => {
                Ok((blocking::Body::from(data.clone()), *content_type))
            }
            Payload::File { path, content_type } => {
                // A `File` body knows its length, so it is sent with `Content-Length`.
                Ok((blocking::Body::from(open_input(path)?), *content_type))
            }
        }
    }
}

/// Opens a file to send, telling a missing file from an unreadable one.
fn open_input(path: &Path) -> Result<File, HttpError> {
    let input_error = |source: io::Error| {
        if source.kind() == io::ErrorKind::NotFound {
            HttpError::InputMissing {
                path: path.to_path_buf(),
            }
        } else {
            HttpError::InputRead {
                path: path.to_path_buf(),
                source,
            }
        }
    };
    let file = File::open(path).map_err(input_error)?;
    let metadata = file.metadata().map_err(input_error)?;
    if !metadata.is_file() {
        return Err(HttpError::InputRead {
            path: path.to_path_buf(),
            source: io::Error::other("it is a folder, not a file"),
        });
    }
    Ok(file)
}

/// `text/xml` with a charset when the bytes look like XML (a `<` after an optional BOM and
/// whitespace), else `None`.
fn xml_content_type(bytes: &[u8]) -> Option<&'static str> {
    let is_space = |b: u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n');
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        // UTF-16 little-endian: each ASCII character is followed by a zero byte.
        let first = rest
            .chunks_exact(2)
            .find(|pair| !(is_space(pair[0]) && pair[1] == 0))?;
        return (first == [b'<', 0]).then_some("text/xml; charset=utf-16");
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let first = rest
            .chunks_exact(2)
            .find(|pair| !(pair[0] == 0 && is_space(pair[1])))?;
        return (first == [0, b'<']).then_some("text/xml; charset=utf-16");
    }
    let rest = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    let first = rest.iter().copied().find(|b| !is_space(*b))?;
    (first == b'<').then_some("text/xml; charset=utf-8")
}

/// Encodes pairs as `application/x-www-form-urlencoded`.
fn form_urlencode(pairs: &[(String, String)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_is_recognised_after_bom_and_whitespace() {
        let utf8 = Some("text/xml; charset=utf-8");
        assert_eq!(xml_content_type(b"<Company/>"), utf8);
        assert_eq!(xml_content_type(b"\xEF\xBB\xBF \r\n<?xml?>"), utf8);
        assert_eq!(xml_content_type(b"  hello <b>"), None);
        assert_eq!(xml_content_type(b""), None);
        let utf16 = Some("text/xml; charset=utf-16");
        assert_eq!(xml_content_type(b"\xFF\xFE \0<\0?\0"), utf16);
        assert_eq!(xml_content_type(b"\xFE\xFF\0<\0?"), utf16);
        assert_eq!(xml_content_type(b"\xFF\xFEh\0"), None);
    }

    #[test]
    fn forms_are_url_encoded() {
        let pairs = vec![
            ("a b".to_string(), "x&y=z".to_string()),
            ("é".to_string(), "~*-._".to_string()),
        ];
        assert_eq!(form_urlencode(&pairs), "a+b=x%26y%3Dz&%C3%A9=%7E*-._");
    }
}
