//! What stops `zynk convert`: the file cannot be read, is not XML, or is not a Zynk workflow.
use miette::{Diagnostic, NamedSource, SourceSpan};

/// Why a workflow could not be converted at all.
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum ConvertError {
    #[error("cannot read workflow `{path}`: {reason}")]
    #[diagnostic(
        code(zynk::convert::unreadable),
        help("check the path; a Zynk workflow is the `.wkf` file Zynk saves")
    )]
    Unreadable { path: String, reason: String },

    #[error("`{name}` is not well-formed XML at line {line}, column {column}: {reason}")]
    #[diagnostic(
        code(zynk::convert::malformed_xml),
        help(
            "a `.wkf` file is XML written by Zynk; fix the XML at that position or save the workflow again from Zynk"
        )
    )]
    MalformedXml {
        name: String,
        line: u32,
        column: u32,
        reason: String,
        #[source_code]
        src: NamedSource<String>,
        #[label("here")]
        span: SourceSpan,
    },

    #[error("`{name}` is not a Zynk workflow: {reason}")]
    #[diagnostic(
        code(zynk::convert::not_a_workflow),
        help("give the `.wkf` file of a workflow: its root is <Workflow> and holds <Tasks>")
    )]
    NotAWorkflow {
        name: String,
        reason: String,
        #[source_code]
        src: NamedSource<String>,
        #[label("this element")]
        span: SourceSpan,
    },

    #[error("`{name}` is not an XSLT stylesheet: {reason}")]
    #[diagnostic(
        code(zynk::convert::not_a_stylesheet),
        help(
            "give an XSLT 1.0 stylesheet: its root is <xsl:stylesheet> or <xsl:transform> in the XSLT namespace"
        )
    )]
    NotAStylesheet {
        name: String,
        reason: String,
        #[source_code]
        src: NamedSource<String>,
        #[label("this element")]
        span: SourceSpan,
    },

    #[error(
        "the script converted from `{name}` does not pass `zynk check` ({problems}); this is a bug in `zynk convert`"
    )]
    #[diagnostic(
        code(zynk::convert::invalid_output),
        help(
            "nothing was written; please report the workflow file. The problems were:\n{details}"
        )
    )]
    InvalidOutput {
        name: String,
        problems: String,
        details: String,
    },

    #[error("cannot write `{path}`: {reason}")]
    #[diagnostic(
        code(zynk::convert::unwritable),
        help("check that the folder exists and can be written")
    )]
    Unwritable { path: String, reason: String },
}

impl ConvertError {
    /// The XML parser's complaint, at its line and column.
    #[must_use]
    pub fn malformed(name: &str, text: &str, error: &roxmltree::Error) -> ConvertError {
        let pos = error.pos();
        let offset = offset_of(text, pos.row as usize, pos.col as usize);
        ConvertError::MalformedXml {
            name: name.to_string(),
            line: pos.row,
            column: pos.col,
            reason: error.to_string(),
            src: NamedSource::new(name, text.to_string()),
            span: SourceSpan::new(offset.into(), 0),
        }
    }

    /// Well-formed XML that is not a workflow; `offset` is where the root element starts.
    #[must_use]
    pub fn not_a_workflow(name: &str, text: &str, offset: usize, reason: String) -> ConvertError {
        let end = text[offset..]
            .find('>')
            .map_or(text.len(), |e| offset + e + 1);
        ConvertError::NotAWorkflow {
            name: name.to_string(),
            reason,
            src: NamedSource::new(name, text.to_string()),
            span: SourceSpan::new(offset.into(), end - offset),
        }
    }
}

impl ConvertError {
    /// Well-formed XML that is not a stylesheet; `offset` is where the root element starts.
    #[must_use]
    pub fn not_a_stylesheet(name: &str, text: &str, offset: usize, reason: String) -> ConvertError {
        let end = text[offset..]
            .find('>')
            .map_or(text.len(), |e| offset + e + 1);
        ConvertError::NotAStylesheet {
            name: name.to_string(),
            reason,
            src: NamedSource::new(name, text.to_string()),
            span: SourceSpan::new(offset.into(), end - offset),
        }
    }
}

/// The byte offset of a 1-based line and character column.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            let within: usize = l
                .chars()
                .take(column.saturating_sub(1))
                .map(char::len_utf8)
                .sum();
            return offset + within;
        }
        offset += l.len();
    }
    text.len()
}
