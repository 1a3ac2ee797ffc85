//! Which downloaded files a later statement reads as Connect XML, so that the `fetch` that
//! saves one checks its answer is XML (an HTML error page fails at the fetch, not the import).
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use super::{Checker, Template};

/// The output of the latest `fetch` checked so far to each path.
#[derive(Debug, Default)]
pub struct Downloads {
    watched: HashMap<String, XmlReason>,
}

/// Set, during the check, to why a download must be XML (`line 7 imports it as Connect XML`).
pub type XmlReason = Arc<OnceLock<String>>;

impl Checker<'_> {
    /// Called by `fetch` for its output file: the returned reason is set if a later statement
    /// reads that file as Connect XML.
    pub fn watch_download(&mut self, output: &Template) -> XmlReason {
        let reason = XmlReason::default();
        if let Some(path) = output.constant() {
            self.downloads
                .watched
                .insert(key(&path), Arc::clone(&reason));
        }
        reason
    }

    /// Called by statements that read `input` as Connect XML (the imports): marks the latest
    /// earlier `fetch` to that file.
    pub fn reads_connect_xml(&mut self, input: &Template, statement: &str) {
        let Some(path) = input.constant() else { return };
        let path = key(&path);
        let line = self.source.line_col(input.span.start).0;
        if let Some(reason) = self.downloads.watched.get(&path) {
            let _ = reason.set(format!(
                "`{statement}` on line {line} reads this file as Connect XML"
            ));
        }
    }
}

/// A path as written, in a form two spellings of the same relative path share.
fn key(path: &str) -> String {
    let path = path.trim();
    let body = path.strip_prefix('/').unwrap_or(path);
    if !path.contains('\\')
        && !body.is_empty()
        && body.split('/').all(|p| !p.is_empty() && p != ".")
    {
        return path.to_string();
    }
    let path = path.replace('\\', "/");
    let mut parts: Vec<&str> = path
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    if path.starts_with('/') {
        parts.insert(0, "");
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::key;

    #[test]
    fn paths_are_compared_as_written_without_dots() {
        assert_eq!(key("./in//download.xml"), "in/download.xml");
        assert_eq!(key("in\\download.xml"), "in/download.xml");
        assert_eq!(key("/tmp/a.xml"), "/tmp/a.xml");
        assert_eq!(key(" in/download.xml "), "in/download.xml");
        assert_eq!(key("in/./download.xml"), "in/download.xml");
        assert_eq!(key("in/download.xml/"), "in/download.xml");
    }
}
