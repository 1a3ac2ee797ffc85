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
}
