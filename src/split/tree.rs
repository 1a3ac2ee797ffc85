//! Tree mode: parse the whole file with roxmltree, let any selector pick the records, and cut them by byte range.

use std::path::Path;

use roxmltree::{Document, Node, NodeId, NodeType, ParsingOptions};

use super::assembler::Assembler;
use super::child_path::{ChildPath, ChildStep, local_part};
use super::error::SplitError;
use super::sink::Sink as _;
use super::whitespace::trailing_space_len;
use crate::text_position::line_column;

/// Splits the file's `bytes` by the records `select` returns.
pub(crate) fn split_tree(
    input: &Path,
    bytes: &[u8],
    select: &dyn Fn(&Document) -> Vec<NodeId>,
    asm: &mut Assembler,
) -> Result<(), SplitError> {
    let malformed = |offset: usize, message: String| {
        let (line, column) = line_column(bytes, offset);
        SplitError::Malformed {
            path: input.to_path_buf(),
            line,
            column,
            message,
        }
    };
    let text = std::str::from_utf8(bytes)
        .map_err(|e| malformed(e.valid_up_to(), "invalid UTF-8".into()))?;
    let options = ParsingOptions {
        allow_dtd: true,
        ..ParsingOptions::default()
    };
    let doc = Document::parse_with_options(text, options).map_err(|e| {
        use roxmltree::Error as E;
        let message = e.to_string();
        match e {
            // These carry no position; the end of the file is where they were found.
            E::UnclosedRootNode | E::UnexpectedEndOfStream | E::NoRootNode => {
                malformed(bytes.len(), message)
            }
            _ => {
                let pos = e.pos();
                SplitError::Malformed {
                    path: input.to_path_buf(),
                    line: u64::from(pos.row),
                    column: u64::from(pos.col),
                    message,
                }
            }
        }
    })?;

    let mut ranges = Vec::new();
    for id in select(&doc) {
        let node = doc.get_node(id).ok_or(SplitError::NotAnElement {
            path: input.to_path_buf(),
            kind: "missing",
        })?;
        if !node.is_element() {
            return Err(SplitError::NotAnElement {
                path: input.to_path_buf(),
                kind: kind_name(node.node_type()),
            });
        }
        let range = node.range();
        let head = bytes.get(..range.start).unwrap_or_default();
        ranges.push((
            range.start - trailing_space_len(head),
            range.start,
            range.end,
        ));
    }
    ranges.sort_unstable();
    ranges.dedup();
    for pair in ranges.windows(2) {
        if let [(_, _, outer_end), (_, inner_start, _)] = pair
            && outer_end > inner_start
        {
            let (line, column) = line_column(bytes, *inner_start);
            return Err(SplitError::NestedRecords {
                path: input.to_path_buf(),
                line,
                column,
            });
        }
    }

    let mut cursor = 0;
    for (start, _, end) in ranges {
        asm.skeleton(bytes.get(cursor..start).unwrap_or_default())?;
        asm.begin_record(start as u64);
        asm.end_record(end as u64)?;
        cursor = end;
    }
    asm.skeleton(bytes.get(cursor..).unwrap_or_default())
}

/// Evaluates a [`ChildPath`] over a parsed document: the records streaming mode would cut.
pub fn select_child_path(doc: &Document, path: &ChildPath) -> Vec<NodeId> {
    if path.steps.is_empty() {
        // As in streaming mode: a path with no steps selects no record.
        return Vec::new();
    }
    let mut current: Vec<Node> = vec![doc.root()];
    for step in &path.steps {
        current = current
            .iter()
            .flat_map(|parent| parent.children())
            .filter(|child| child.is_element() && step_matches(step, child))
            .collect();
    }
    current.iter().map(Node::id).collect()
}

fn step_matches(step: &ChildStep, node: &Node) -> bool {
    if !step.matches_name(node.tag_name().name().as_bytes()) {
        return false;
    }
    if step.attr_equals.is_empty() {
        return true;
    }
    let attrs: Vec<(&[u8], &str)> = node
        .attributes()
        .map(|a| (local_part(a.name().as_bytes()), a.value()))
        .collect();
    step.matches_attrs(&attrs)
}

fn kind_name(kind: NodeType) -> &'static str {
    match kind {
        NodeType::Root => "document",
        NodeType::Element => "element",
        NodeType::PI => "processing-instruction",
        NodeType::Comment => "comment",
        NodeType::Text => "text",
    }
}
