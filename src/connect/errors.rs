//! `RecordError`: the `Errors/Error` entries written on each record of a fail file.

use super::node::Node;

/// One error on a failed record: when, at which stage, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordError {
    /// Timestamp with offset, e.g. `2026-01-31T09:30:00.123+00:00`.
    pub date: String,
    /// The stage: `Validation`, `Duplicate`, or the import's name.
    pub name: String,
    /// The message.
    pub description: String,
}

impl RecordError {
    /// An error stamped with the current local time.
    pub fn now(name: &str, description: impl Into<String>) -> RecordError {
        RecordError {
            date: jiff::Zoned::now()
                .strftime("%Y-%m-%dT%H:%M:%S%.3f%:z")
                .to_string(),
            name: name.to_string(),
            description: description.into(),
        }
    }
}

/// Puts an `Errors` collection holding `errors` as the record's first child (replacing any).
pub fn mark_failed(record: &mut Node, errors: &[RecordError]) {
    record.remove_children("Errors");
    let mut list = Node::new("Errors");
    for e in errors {
        list.children.push(
            Node::new("Error")
                .with(Node::leaf("Date", &e.date))
                .with(Node::leaf("Name", &e.name))
                .with(Node::leaf("Description", &e.description)),
        );
    }
    record.children.insert(0, list);
}
