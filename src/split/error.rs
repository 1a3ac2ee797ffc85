//! `SplitError`: every way a split can fail, as a miette diagnostic with a stable code.

use std::path::PathBuf;

/// Why a split failed. No chunk from the failed run is left behind in any case.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum SplitError {
    /// A caller of [`for_each_record`](super::for_each_record) asked to stop; not shown to users.
    #[error("the records were not all read: the caller stopped")]
    #[diagnostic(
        code(zynk::split::interrupted),
        help("the statement that read the records stopped on purpose")
    )]
    Interrupted,

    /// The input file does not exist.
    #[error("input file `{}` was not found", path.display())]
    #[diagnostic(
        code(zynk::split::input_not_found),
        help("check the file name; a relative path is resolved against the working directory")
    )]
    NotFound {
        /// The input path as given.
        path: PathBuf,
    },

    /// The input exists but could not be read (a folder, no permission, an I/O error).
    #[error("cannot read `{}`: {source}", path.display())]
    #[diagnostic(
        code(zynk::split::read_failed),
        help("make sure the input is a readable file")
    )]
    Read {
        /// The input path.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },

    /// The input is not well-formed XML (or not UTF-8), e.g. `<a><b></a>`.
    #[error("malformed XML in `{}` at line {line}, column {column}: {message}", path.display())]
    #[diagnostic(
        code(zynk::split::malformed_xml),
        help(
            "fix the XML at that position (the line and column count from 1); no chunk was written"
        )
    )]
    Malformed {
        /// The input path.
        path: PathBuf,
        /// 1-based line of the fault.
        line: u64,
        /// 1-based column of the fault, in characters.
        column: u64,
        /// What the parser found wrong.
        message: String,
    },

    /// The input is not text in the encoding it declares (or declares an unknown one).
    #[error(transparent)]
    #[diagnostic(transparent)]
    Encoding(#[from] crate::xml_input::EncodingError),

    /// `limit 0` was asked for.
    #[error("the record limit must be at least 1, not 0")]
    #[diagnostic(
        code(zynk::split::zero_limit),
        help("use a limit of 1 or more records per chunk (Zynk's default is 200)")
    )]
    ZeroLimit,

    /// The output folder could not be created (a file is in the way, no permission).
    #[error("cannot create the output folder `{}`: {source}", path.display())]
    #[diagnostic(
        code(zynk::split::output_folder),
        help("choose a folder that can be created, or remove the file that has its name")
    )]
    OutputFolder {
        /// The output folder.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },

    /// Writing a chunk failed (a full disk, a read-only folder, a rename refused).
    #[error("cannot write the chunk `{}`: {source}", path.display())]
    #[diagnostic(
        code(zynk::split::write_failed),
        help(
            "check free space and permissions in the output folder; no chunk from this run was kept"
        )
    )]
    Write {
        /// The chunk (or temporary file) being written.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },

    /// The selector chose a record inside another record, e.g. `//Item` over nested items.
    #[error(
        "record at line {line}, column {column} of `{}` is inside another record",
        path.display()
    )]
    #[diagnostic(
        code(zynk::split::nested_records),
        help("records must not contain each other; choose an XPath that selects one level")
    )]
    NestedRecords {
        /// The input path.
        path: PathBuf,
        /// 1-based line of the inner record.
        line: u64,
        /// 1-based column of the inner record.
        column: u64,
    },

    /// The selector returned something that is not an element (text, a comment, the document).
    #[error("the record XPath selected a {kind} node in `{}`, not an element", path.display())]
    #[diagnostic(
        code(zynk::split::not_an_element),
        help("the XPath of a split must select elements, e.g. `/Company/Products/Product`")
    )]
    NotAnElement {
        /// The input path.
        path: PathBuf,
        /// The kind of node selected (`text`, `comment`, `root`, ...).
        kind: &'static str,
    },
}
