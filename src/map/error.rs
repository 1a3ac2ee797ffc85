//! `MapError`: every way a `map` can fail, as a miette diagnostic with a stable code.

use std::path::PathBuf;

/// Why a `map` failed. The output file is never left half-written: it is either the
/// complete new document or untouched.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum MapError {
    /// The input file does not exist.
    #[error("input file `{}` was not found", path.display())]
    #[diagnostic(
        code(zynk::map::input_not_found),
        help("check the file name; a relative path is resolved against the working directory")
    )]
    InputNotFound {
        /// The input path as given.
        path: PathBuf,
    },

    /// The input exists but cannot be read (a folder, no permission, an I/O error).
    #[error("cannot read `{}`: {source}", path.display())]
    #[diagnostic(
        code(zynk::map::read_failed),
        help("make sure the input is a readable file")
    )]
    Read {
        /// The input path.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },

    /// The input is not text in the encoding it declares (or declares an unknown one).
    #[error(transparent)]
    #[diagnostic(transparent)]
    Encoding(#[from] crate::xml_input::EncodingError),

    /// The input has elements below its root, but no `for each` selects any of them:
    /// `/orders/order` against `<Orders><Order>…`. A document whose root is empty is not
    /// this (there is nothing to map); `allow_empty true` accepts it.
    #[error(
        "no record in `{}` matches {}: {place}{}",
        path.display(),
        paths,
        instead_text(instead)
    )]
    #[diagnostic(code(zynk::map::nothing_matched))]
    NothingMatched {
        /// The input path.
        path: PathBuf,
        /// The rules' record XPaths, quoted and joined.
        paths: String,
        /// Where the first rule's path left the input: "its root is not `<orders>`",
        /// "`/Company/SalesOrders` holds no `<SalesOrder>`".
        place: String,
        /// The names of the elements there instead, distinct, in document order.
        instead: Vec<String>,
        /// What to do, in terms of the input's shape.
        #[help]
        help: String,
    },

    /// The input is not well-formed XML (or not UTF-8), e.g. `<order><id>1</order>`.
    #[error("malformed XML in `{}` at line {line}, column {column}: {message}", path.display())]
    #[diagnostic(
        code(zynk::map::malformed_xml),
        help(
            "fix the XML at that position (lines and columns count from 1); the output file was not written"
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

    /// One element's text, or a run of bytes without `<`, is longer than the limit
    /// (`connect::MAX_FIELD_BYTES`), so a damaged or hostile file cannot exhaust memory.
    #[error(
        "a text in `{}` at line {line}, column {column} is longer than {limit} bytes",
        path.display()
    )]
    #[diagnostic(
        code(zynk::map::field_too_large),
        help(
            "map reads at most 8 MiB of text in one element, as Connect XML imports do; check that the file is not damaged, or have the shop export the field shorter; the output file was not written"
        )
    )]
    FieldTooLarge {
        /// The input path.
        path: PathBuf,
        /// 1-based line where the text starts.
        line: u64,
        /// 1-based column where the text starts.
        column: u64,
        /// The limit in bytes.
        limit: u64,
    },

    /// The output file cannot be written (no permission, a full disk, a
    /// folder in the way).
    #[error("cannot write `{}`: {source}", path.display())]
    #[diagnostic(
        code(zynk::map::output_unwritable),
        help(
            "check the output folder's permissions and free space; the previous output, if any, is unchanged"
        )
    )]
    Write {
        /// The output path.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },

    /// An XPath could not be evaluated as needed, e.g. a nested `for each` over
    /// `count(line)` (a number, not nodes) or over `@id` (attributes, not elements).
    #[error("XPath `{expr}` failed on `{}`: {message}", path.display())]
    #[diagnostic(
        code(zynk::map::xpath_failed),
        help("a `for each` needs an XPath that selects elements, such as `line-items/line-item`")
    )]
    XPath {
        /// The input path.
        path: PathBuf,
        /// The expression.
        expr: String,
        /// What went wrong.
        message: String,
    },

    /// A target path is empty or one of its names is not an XML name, e.g. `"Sales Order"`.
    #[error("the target `{target}` is not a path of XML element names")]
    #[diagnostic(
        code(zynk::map::invalid_target),
        help("write element names separated by `/`, such as `SalesOrderAddress/Town`")
    )]
    InvalidTarget {
        /// The target as written, names joined with `/`.
        target: String,
    },

    /// A `lookup` table's file does not exist.
    #[error("lookup table `{name}`: `{}` was not found", path.display())]
    #[diagnostic(
        code(zynk::map::lookup_not_found),
        help(
            "check the file name in `lookup \"FILE\" as {name}`; a relative path is resolved against the working directory"
        )
    )]
    LookupNotFound {
        /// The table's file.
        path: PathBuf,
        /// The table's name.
        name: String,
    },

    /// A `lookup` table's file cannot be read as the table it should be.
    #[error("lookup table `{name}` in `{}`: {message}", path.display())]
    #[diagnostic(
        code(zynk::map::lookup_invalid),
        help(
            "a CSV table needs a header row and a key and a value column; an XML table must be well-formed and its `by` XPath must select elements"
        )
    )]
    LookupInvalid {
        /// The table's file.
        path: PathBuf,
        /// The table's name.
        name: String,
        /// What is wrong.
        message: String,
    },
}

impl MapError {
    /// True when the input does not exist (the task reports "no data", not a failure).
    #[must_use]
    pub fn is_not_found(&self) -> bool {
        matches!(self, MapError::InputNotFound { .. })
    }

    /// The name of the `lookup` table at fault, for an error about one.
    #[must_use]
    pub fn lookup_table(&self) -> Option<&str> {
        match self {
            MapError::LookupNotFound { name, .. } | MapError::LookupInvalid { name, .. } => {
                Some(name)
            }
            _ => None,
        }
    }
}

/// ", holding `<a>`, `<b>`" for the children of a root.
fn instead_text(instead: &[String]) -> String {
    if instead.is_empty() {
        String::new()
    } else {
        let names: Vec<String> = instead.iter().map(|c| format!("`<{c}>`")).collect();
        format!(" but {}", names.join(", "))
    }
}
