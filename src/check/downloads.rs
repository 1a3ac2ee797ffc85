//! Which downloaded files a later statement reads as Connect XML, so that the `fetch` that
//! saves one checks its answer is XML (an HTML error page fails at the fetch, not the import).
use std::sync::{Arc, OnceLock};

use super::reads::key;
use super::{Checker, Template};

/// Set, during the check, to why a download must be XML (`line 7 imports it as Connect XML`).
pub(crate) type XmlReason = Arc<OnceLock<Box<str>>>;

impl Checker<'_> {
    /// Called by `fetch` for its output file: the returned reason is set if a later statement
    /// reads that file as Connect XML.
    pub fn watch_download(&mut self, output: &Template) -> XmlReason {
        let reason = XmlReason::default();
        // Kept with the files written, as the latest `fetch` to each path.
        if let Some(path) = output.constant() {
            self.files
                .written
                .insert(key(&path).into(), Some(Arc::clone(&reason)));
        }
        reason
    }

    /// Called by statements that read `input` as Connect XML (the imports): marks the latest
    /// earlier `fetch` to that file.
    pub fn reads_connect_xml(&mut self, input: &Template, statement: &str) {
        let Some(path) = input.constant() else { return };
        let path = key(&path);
        let line = self.source.line_col(input.span.start).0;
        if let Some(Some(reason)) = self.files.written.get(path.as_str()) {
            let _ = reason
                .set(format!("`{statement}` on line {line} reads this file as Connect XML").into());
        }
    }
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
