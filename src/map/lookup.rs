//! Lookup tables: `lookup "FILE" as NAME` files (CSV or XML), loaded once before the input is read.

use std::collections::HashMap;
use std::path::Path;

use super::error::MapError;
use super::spec::{Lookup, LookupFormat};

/// Every table of a spec, by name: key → value.
#[derive(Debug, Default)]
pub(crate) struct Tables {
    tables: HashMap<String, HashMap<String, String>>,
}

impl Tables {
    /// Reads every table file. A key that appears twice keeps its first value.
    pub(crate) fn load(lookups: &[Lookup]) -> Result<Tables, MapError> {
        let mut tables = HashMap::new();
        for lookup in lookups {
            let entries = match &lookup.format {
                LookupFormat::Csv { key, value } => {
                    let text = read(&lookup.file, &lookup.name)?;
                    csv_entries(&text, key.as_deref(), value.as_deref())
                }
                LookupFormat::Xml(table) => {
                    let text = read_xml(&lookup.file, &lookup.name)?;
                    xml_entries(&text, &table.rows, &table.key, &table.value)
                }
            }
            .map_err(|message| MapError::LookupInvalid {
                path: lookup.file.clone(),
                name: lookup.name.clone(),
                message,
            })?;
            tables.insert(lookup.name.clone(), entries);
        }
        Ok(Tables { tables })
    }

    /// The value `table` gives `key`.
    pub(crate) fn get(&self, table: &str, key: &str) -> Option<&str> {
        self.tables.get(table)?.get(key).map(String::as_str)
    }
}

fn read(path: &Path, name: &str) -> Result<String, MapError> {
    let bytes = std::fs::read(path).map_err(|source| {
        if source.kind() == std::io::ErrorKind::NotFound {
            MapError::LookupNotFound {
                path: path.to_path_buf(),
                name: name.to_owned(),
            }
        } else {
            MapError::LookupInvalid {
                path: path.to_path_buf(),
                name: name.to_owned(),
                message: source.to_string(),
            }
        }
    })?;
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    String::from_utf8(body.to_vec()).map_err(|e| MapError::LookupInvalid {
        path: path.to_path_buf(),
        name: name.to_owned(),
        message: format!("not UTF-8 (byte {})", e.utf8_error().valid_up_to()),
    })
}

/// An XML table as text, whatever its encoding; a JSON file as its XML (`docs/json.md`).
fn read_xml(path: &Path, name: &str) -> Result<String, MapError> {
    use crate::xml_input::SourceError;
    crate::xml_input::read_text(path).map_err(|e| match e {
        SourceError::Io(e) if e.kind() == std::io::ErrorKind::NotFound => {
            MapError::LookupNotFound {
                path: path.to_path_buf(),
                name: name.to_owned(),
            }
        }
        SourceError::Io(e) => MapError::LookupInvalid {
            path: path.to_path_buf(),
            name: name.to_owned(),
            message: e.to_string(),
        },
        SourceError::Encoding(e) => MapError::LookupInvalid {
            path: path.to_path_buf(),
            name: name.to_owned(),
            message: e.to_string(),
        },
    })
}

fn csv_entries(
    text: &str,
    key: Option<&str>,
    value: Option<&str>,
) -> Result<HashMap<String, String>, String> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::None)
        .from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| e.to_string())?.clone();
    let column = |name: Option<&str>, fallback: usize| -> Result<usize, String> {
        match name {
            None if headers.len() > fallback => Ok(fallback),
            None => Err(format!(
                "the header row has {} column(s); a table needs a key and a value column",
                headers.len()
            )),
            Some(name) => headers.iter().position(|h| h == name).ok_or_else(|| {
                let list: Vec<&str> = headers.iter().collect();
                format!("no column `{name}`; the columns are: {}", list.join(", "))
            }),
        }
    };
    let (k, v) = (column(key, 0)?, column(value, 1)?);
    let mut entries = HashMap::new();
    for record in reader.records() {
        let record = record.map_err(|e| e.to_string())?;
        if let Some(key) = record.get(k) {
            entries
                .entry(key.to_owned())
                .or_insert_with(|| record.get(v).unwrap_or_default().to_owned());
        }
    }
    Ok(entries)
}

fn xml_entries(
    text: &str,
    rows: &crate::xpath::XPath,
    key: &crate::xpath::XPath,
    value: &crate::xpath::XPath,
) -> Result<HashMap<String, String>, String> {
    let doc = roxmltree::Document::parse(text).map_err(|e| e.to_string())?;
    let rows = rows.select(doc.root()).map_err(|e| e.to_string())?;
    let mut entries = HashMap::new();
    for row in rows {
        let k = key.evaluate(row).map_err(|e| e.to_string())?;
        let v = value.evaluate(row).map_err(|e| e.to_string())?;
        entries
            .entry(k.to_string_value())
            .or_insert_with(|| v.to_string_value());
    }
    Ok(entries)
}
