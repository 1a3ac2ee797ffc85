//! Compile-time (`XPathError`) and run-time (`EvalError`) diagnostics for XPath expressions.

use std::ops::Range;

use miette::Diagnostic;
use thiserror::Error;

/// A mistake found while compiling an XPath expression.
///
/// Every variant carries `span`, the byte range inside the expression text of the offending
/// character or token, so a caller can shift it into the surrounding script.
#[derive(Debug, Clone, PartialEq, Error, Diagnostic)]
pub enum XPathError {
    /// The expression is empty or only whitespace: ``.
    #[error("empty XPath expression")]
    #[diagnostic(
        code(zynk::xpath::empty_expression),
        help("write a location path such as `/Company/Products/Product`")
    )]
    EmptyExpression {
        #[label("an expression is expected here")]
        span: Range<usize>,
    },

    /// A character that cannot start any XPath token: `Id # 2`.
    #[error("unexpected character `{found}` in XPath expression")]
    #[diagnostic(code(zynk::xpath::unexpected_character))]
    UnexpectedCharacter {
        found: char,
        #[label("not valid in XPath")]
        span: Range<usize>,
        #[help]
        help: String,
    },

    /// A string literal without its closing quote: `Name = 'Acme`.
    #[error("unterminated string literal")]
    #[diagnostic(code(zynk::xpath::unterminated_literal))]
    UnterminatedLiteral {
        #[label("this literal is never closed")]
        span: Range<usize>,
        #[help]
        help: String,
    },

    /// A token where the grammar expects something else: `Product[Sku=]`.
    #[error("unexpected {found} in XPath expression, expected {expected}")]
    #[diagnostic(code(zynk::xpath::unexpected_token))]
    UnexpectedToken {
        found: String,
        expected: String,
        #[label("unexpected {found}")]
        span: Range<usize>,
        #[help]
        help: String,
    },

    /// The expression stops while something is still expected: `/Company/`. The span is
    /// the last token, after which something is missing.
    #[error("XPath expression ends too early, expected {expected}")]
    #[diagnostic(code(zynk::xpath::unexpected_end))]
    UnexpectedEnd {
        expected: String,
        #[label("expected {expected} after this")]
        span: Range<usize>,
        #[help]
        help: String,
    },

    /// A function name that XPath 1.0 does not define: `substring-befor('a', 'b')`.
    #[error("unknown XPath function `{name}`")]
    #[diagnostic(code(zynk::xpath::unknown_function))]
    UnknownFunction {
        name: String,
        #[label("unknown function")]
        span: Range<usize>,
        #[help]
        help: String,
    },

    /// An XPath 1.0 function that zynk leaves out of its subset: `id('x')`, `lang('en')`.
    #[error("XPath function `{name}` is not supported by zynk")]
    #[diagnostic(code(zynk::xpath::unsupported_function))]
    UnsupportedFunction {
        name: String,
        #[label("not in zynk's XPath subset")]
        span: Range<usize>,
        #[help]
        help: String,
    },

    /// A function called with too few or too many arguments: `contains('a')`.
    #[error("`{name}` takes {expected}, but {found} given")]
    #[diagnostic(code(zynk::xpath::wrong_arity))]
    WrongArity {
        name: String,
        expected: String,
        found: usize,
        #[label("called with {found} argument(s)")]
        span: Range<usize>,
        #[help]
        help: String,
    },

    /// A name before `::` that is no XPath axis: `chlid::Product`.
    #[error("unknown XPath axis `{name}`")]
    #[diagnostic(code(zynk::xpath::unknown_axis))]
    UnknownAxis {
        name: String,
        #[label("unknown axis")]
        span: Range<usize>,
        #[help]
        help: String,
    },

    /// A real XPath 1.0 axis that zynk does not evaluate: `ancestor::Company`.
    #[error("XPath axis `{name}` is not supported by zynk")]
    #[diagnostic(
        code(zynk::xpath::unsupported_axis),
        help(
            "zynk evaluates every XPath 1.0 axis except `namespace`; \
             read namespaces with namespace-uri() or name() instead"
        )
    )]
    UnsupportedAxis {
        name: String,
        #[label("axis not supported")]
        span: Range<usize>,
    },

    /// A `$name` that is no param or `let` in scope: `$totl`.
    #[error("unknown variable `${name}`")]
    #[diagnostic(code(zynk::xpath::unknown_variable))]
    UnknownVariable {
        name: String,
        #[label("not a param or let here")]
        span: Range<usize>,
        #[help]
        help: String,
    },

    /// `lookup('name', …)` naming no table of the `map` block.
    #[error("unknown lookup table '{name}'")]
    #[diagnostic(code(zynk::xpath::unknown_table))]
    UnknownTable {
        name: String,
        #[label("no such table")]
        span: Range<usize>,
        #[help]
        help: String,
    },

    /// A `format-number()` or `format-date()` pattern that cannot be used: `'0.0.0'`.
    #[error("invalid pattern '{pattern}': {reason}")]
    #[diagnostic(
        code(zynk::xpath::invalid_pattern),
        help(
            "format-number() takes patterns such as '0.00' or '#,##0.00'; format-date() takes strftime patterns such as '%Y-%m-%d' or '%d/%m/%Y %H:%M'"
        )
    )]
    InvalidPattern {
        pattern: String,
        reason: String,
        #[label("invalid pattern")]
        span: Range<usize>,
    },

    /// A scalar used where a node-set is required: `count('a')`, `'a'/b`, `1 | Id`.
    #[error("expected a node-set, found {found}")]
    #[diagnostic(code(zynk::xpath::not_a_node_set), help("{help}"))]
    NotANodeSet {
        found: String,
        help: String,
        #[label("this is {found}, not a node-set")]
        span: Range<usize>,
    },

    /// Brackets, parentheses or operators nested deeper than zynk allows: `((((((…))))))`.
    #[error("XPath expression is nested too deeply")]
    #[diagnostic(
        code(zynk::xpath::too_deeply_nested),
        help(
            "zynk allows at most 64 levels of `( )`, `[ ]` and function arguments and 128 chained \
             operators; split the expression or simplify it"
        )
    )]
    TooDeeplyNested {
        #[label("nesting limit reached here")]
        span: Range<usize>,
    },
}

impl XPathError {
    /// The text of the label on [`span`](Self::span), e.g. "unknown function", for callers
    /// that re-wrap the error in their own diagnostic.
    #[must_use]
    pub fn label(&self) -> String {
        self.labels()
            .into_iter()
            .flatten()
            .find_map(|l| l.label().map(str::to_owned))
            .unwrap_or_default()
    }

    /// Byte range inside the expression text that the error points at.
    #[must_use]
    pub fn span(&self) -> Range<usize> {
        match self {
            Self::EmptyExpression { span }
            | Self::UnexpectedCharacter { span, .. }
            | Self::UnterminatedLiteral { span, .. }
            | Self::UnexpectedToken { span, .. }
            | Self::UnexpectedEnd { span, .. }
            | Self::UnknownFunction { span, .. }
            | Self::UnsupportedFunction { span, .. }
            | Self::WrongArity { span, .. }
            | Self::UnknownAxis { span, .. }
            | Self::UnsupportedAxis { span, .. }
            | Self::UnknownVariable { span, .. }
            | Self::UnknownTable { span, .. }
            | Self::InvalidPattern { span, .. }
            | Self::NotANodeSet { span, .. }
            | Self::TooDeeplyNested { span } => span.clone(),
        }
    }
}

/// A failure while evaluating a compiled XPath expression.
#[derive(Debug, Clone, PartialEq, Error, Diagnostic)]
pub enum EvalError {
    /// `select` was asked for nodes but the expression yields a scalar: `count(//Product)`.
    #[error("XPath expression yields {found}, not a node-set")]
    #[diagnostic(
        code(zynk::xpath::result_not_a_node_set),
        help("use a location path such as `/Company/Products/Product` where nodes are needed")
    )]
    NotANodeSet {
        found: String,
        #[label("this yields {found}")]
        span: Range<usize>,
    },

    /// `select` met attribute nodes, which are not tree nodes: `//Product/@Id`.
    #[error("XPath expression selects attributes, which cannot be used as elements")]
    #[diagnostic(
        code(zynk::xpath::attribute_selected),
        help(
            "select the element that holds the attribute (drop the `/@…` step, or add `/..`), or read the attribute's value with string()"
        )
    )]
    AttributeSelected {
        #[label("selects attributes")]
        span: Range<usize>,
    },
}

impl EvalError {
    /// Byte range inside the expression text that the error points at.
    #[must_use]
    pub fn span(&self) -> Range<usize> {
        match self {
            Self::NotANodeSet { span, .. } | Self::AttributeSelected { span } => span.clone(),
        }
    }
}
