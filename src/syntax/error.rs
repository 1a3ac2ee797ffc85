//! Syntax errors: what the parser reports, each with a stable code and a label.
use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

/// A mistake found while parsing a script.
#[derive(Debug, Error, Diagnostic, Clone, PartialEq)]
pub enum SyntaxError {
    /// A string that does not end on its line: `fetch "http://x to "a.xml"`.
    #[error("this string has no closing quote")]
    #[diagnostic(
        code(zynk::syntax::unterminated_string),
        help(
            "add a `\"` where the string ends (strings cannot span lines); if an earlier string on this line lost its closing quote, the quotes pair up wrongly from there"
        )
    )]
    UnterminatedString {
        #[label("string starts here and runs to the end of the line")]
        span: SourceSpan,
    },

    /// `"${site/zynk"`: an interpolation with no closing brace.
    #[error("this `${{` has no closing `}}`")]
    #[diagnostic(
        code(zynk::syntax::unterminated_interpolation),
        help("close the interpolation: `${{name}}`")
    )]
    UnterminatedInterpolation {
        #[label("interpolation opened here")]
        span: SourceSpan,
    },

    /// `"${ 1 + 2 }"`: an interpolation must hold a name or a call.
    #[error("an interpolation must name a variable")]
    #[diagnostic(
        code(zynk::syntax::invalid_interpolation),
        help(
            "write `${{name}}`, `${{file.stem}}` or `${{env(\"NAME\")}}`; to write a literal `$`, use `\\$`"
        )
    )]
    InvalidInterpolation {
        #[label("not a variable name")]
        span: SourceSpan,
    },

    /// `"a\qb"`: an escape the language does not know.
    #[error("unknown escape `{found}`")]
    #[diagnostic(
        code(zynk::syntax::unknown_escape),
        help("the escapes are `\\\"`, `\\\\`, `\\$`, `\\n`, `\\r` and `\\t`")
    )]
    UnknownEscape {
        found: String,
        #[label("unknown escape")]
        span: SourceSpan,
    },

    /// An XPath literal with no closing backtick.
    #[error("this XPath has no closing backtick")]
    #[diagnostic(
        code(zynk::syntax::unterminated_xpath),
        help("end the XPath with a `` ` ``, e.g. `` `/Company/Products/Product` ``")
    )]
    UnterminatedXPath {
        #[label("XPath starts here")]
        span: SourceSpan,
    },

    /// `foreach file in "x" {` with no `}` to close it: one per unclosed `{`.
    #[error("this `{{` is never closed")]
    #[diagnostic(
        code(zynk::syntax::unclosed_block),
        help(
            "add a line with `}}` after the last statement of the block, indented as the line that opens it"
        )
    )]
    UnclosedBlock {
        /// The word that opened the block (`foreach`, `if`, `else`).
        opener: String,
        #[label("the `{opener}` block opened here has no matching `}}`")]
        span: SourceSpan,
    },

    /// Blocks, calls or interpolations nested deeper than the language allows.
    #[error("this nests more than {limit} levels deep")]
    #[diagnostic(
        code(zynk::syntax::nesting_too_deep),
        help(
            "a script may nest blocks, calls and interpolations at most {limit} deep; move the inner part into a separate script or flatten it"
        )
    )]
    NestingTooDeep {
        limit: usize,
        #[label("one level too deep")]
        span: SourceSpan,
    },

    /// `retries 99999999999999999999`: a number too large to be kept exactly.
    #[error("this number is out of range")]
    #[diagnostic(code(zynk::syntax::number_out_of_range))]
    NumberOutOfRange {
        #[label("too large")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    /// `timeout 99999999999999999999s`: a duration longer than the language allows.
    #[error("this duration is out of range")]
    #[diagnostic(
        code(zynk::syntax::duration_out_of_range),
        help("durations range from `0ms` to `24h`")
    )]
    DurationOutOfRange {
        #[label("longer than 24h")]
        span: SourceSpan,
    },

    /// The parser read something it has no place for. Never expected: a bug in zynk.
    #[error("zynk could not read this part of the script")]
    #[diagnostic(
        code(zynk::syntax::internal),
        help("this is a bug in zynk; please report it with the script")
    )]
    Internal {
        #[label("not understood")]
        span: SourceSpan,
    },

    /// A `}` that closes nothing.
    #[error("unexpected `}}`")]
    #[diagnostic(
        code(zynk::syntax::unmatched_brace),
        help("remove it, or open a block with `{{` at the end of the statement line before it")
    )]
    UnmatchedBrace {
        #[label("no block is open here")]
        span: SourceSpan,
    },

    /// Anything else the grammar does not accept.
    #[error("unexpected {found}")]
    #[diagnostic(code(zynk::syntax::unexpected))]
    Unexpected {
        found: String,
        #[label("expected {expected}")]
        span: SourceSpan,
        expected: String,
        #[help]
        help: Option<String>,
    },
}
