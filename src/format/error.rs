//! Why a script could not be formatted.
use miette::Diagnostic;
use thiserror::Error;

use crate::syntax::SyntaxError;

/// A script `zynk fmt` leaves as it is.
#[derive(Debug, Error, Diagnostic)]
pub enum FormatError {
    /// The script does not parse: only a script that parses can be laid out.
    #[error("the script has {} syntax error{}, so it was not formatted", .0.len(), if .0.len() == 1 { "" } else { "s" })]
    #[diagnostic(
        code(zynk::format::syntax),
        help(
            "fix the errors shown above (`zynk check` shows them too); the file was left unchanged"
        )
    )]
    Syntax(Vec<SyntaxError>),

    /// The formatted text would not read back as the same script: a bug in zynk.
    #[error("formatting would change what this script means, so it was left unchanged")]
    #[diagnostic(
        code(zynk::format::unsafe_layout),
        help("this is a bug in zynk; please report it with the script")
    )]
    Unsafe,
}
