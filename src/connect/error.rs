//! `ConnectError`: reading or writing a Connect XML file failed as a whole (not one record).
use std::path::PathBuf;

/// A task-level problem with a Connect XML file.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ConnectError {
    /// The input file does not exist, e.g. `import customers from "missing.xml"`.
    #[error("input file `{path}` does not exist")]
    #[diagnostic(
        code(zynk::connect::not_found),
        help("check the path, or the step that should have written the file")
    )]
    NotFound {
        /// The missing file.
        path: PathBuf,
    },
    /// The input is not well-formed XML, or its root is not `<Company>`.
    #[error("`{path}` is not valid Connect XML at line {line}, column {column}: {message}")]
    #[diagnostic(
        code(zynk::connect::malformed_xml),
        help("fix the XML at that position; nothing was imported from this file")
    )]
    Malformed {
        /// The file.
        path: PathBuf,
        /// 1-based line of the fault.
        line: u64,
        /// 1-based column (in characters) of the fault.
        column: u64,
        /// What is wrong.
        message: String,
    },
    /// The input is well-formed XML whose root is not `<Company>`: most likely a shop's
    /// own export, e.g. `import sales orders from "shop_orders.xml"` with `<orders>`.
    #[error("`{path}` is not Connect XML: its root is `<{root}>`, not `<Company>`")]
    #[diagnostic(
        code(zynk::connect::not_connect_xml),
        help(
            "this looks like the shop's own XML: map it to Connect XML first, e.g. `map \"{file}\" to \"download.xml\" {{ for each `/{root}/…` as \"SalesOrders/SalesOrder\" {{ \"Id\" = `…` }} }}` (docs/mapping.md, ready-made maps in scripts/maps/), and import the map's output; nothing was imported from this file"
        )
    )]
    NotConnectXml {
        /// The file.
        path: PathBuf,
        /// The file's name, for the example.
        file: String,
        /// Its root element.
        root: String,
    },
    /// The input could not be read.
    #[error("cannot read `{path}`")]
    #[diagnostic(code(zynk::connect::unreadable), help("check the file's permissions"))]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// An output file (success, fail or export) could not be written.
    #[error("cannot write `{path}`")]
    #[diagnostic(
        code(zynk::connect::unwritable),
        help("check that the folder is writable and the disk is not full")
    )]
    Write {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The input is not text in the encoding it declares (or declares an unknown one).
    #[error(transparent)]
    #[diagnostic(transparent)]
    Encoding(#[from] crate::xml_input::EncodingError),
    /// Elements nest deeper inside one record than [`super::MAX_RECORD_DEPTH`] levels.
    #[error(
        "`{path}`: a `<{record}>` nests elements more than {limit} levels deep at line {line}, column {column}"
    )]
    #[diagnostic(
        code(zynk::connect::too_deep),
        help(
            "Connect XML records nest a few levels at most; this file is damaged or not Connect XML. Nothing was imported from it"
        )
    )]
    TooDeep {
        /// The file.
        path: PathBuf,
        /// 1-based line of the element past the limit.
        line: u64,
        /// 1-based column of the element past the limit.
        column: u64,
        /// The record element.
        record: String,
        /// The limit.
        limit: usize,
    },
    /// One element's text is larger than [`super::MAX_FIELD_BYTES`].
    #[error(
        "`{path}`: the text at line {line}, column {column} is larger than {limit} bytes, the most one field may hold"
    )]
    #[diagnostic(
        code(zynk::connect::field_too_large),
        help(
            "no ledger field holds that much; check what wrote the file (nothing was imported from it)"
        )
    )]
    FieldTooLarge {
        /// The file.
        path: PathBuf,
        /// 1-based line where the text starts.
        line: u64,
        /// 1-based column where the text starts.
        column: u64,
        /// The limit in bytes.
        limit: u64,
    },
}
