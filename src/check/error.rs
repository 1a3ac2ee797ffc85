//! Check errors: a script that parses but cannot run as written.
use miette::{Diagnostic, MietteError, NamedSource, SourceCode, SourceSpan, SpanContents};
use thiserror::Error;

/// The text of one `--var name=value`, as its own source: its mistakes are shown there,
/// not at the param's default in the script.
#[derive(Debug, Clone)]
pub struct VarSource(NamedSource<String>);

impl VarSource {
    /// The source `--var NAME=VALUE`; spans into it start at the `--var`.
    #[must_use]
    pub fn new(name: &str, value: &str) -> VarSource {
        VarSource(NamedSource::new(
            "command line",
            format!("--var {name}={value}"),
        ))
    }

    /// The span of the value in the source.
    #[must_use]
    pub fn value_span(name: &str, value: &str) -> SourceSpan {
        SourceSpan::new(("--var ".len() + name.len() + 1).into(), value.len())
    }
}

impl PartialEq for VarSource {
    fn eq(&self, other: &VarSource) -> bool {
        self.0.inner() == other.0.inner()
    }
}

impl SourceCode for VarSource {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        self.0
            .read_span(span, context_lines_before, context_lines_after)
    }
}

/// A mistake found by the checker. Every variant points at the offending token.
#[derive(Debug, Error, Diagnostic, Clone, PartialEq)]
pub enum CheckError {
    /// `fetc "…" to "a.xml"`: the first words name no statement.
    #[error("unknown statement `{name}`")]
    #[diagnostic(code(zynk::check::unknown_statement))]
    UnknownStatement {
        name: String,
        #[label("not a statement")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    /// `"a.xml" to "b.xml"`: a line that starts with a value, or an indented line that
    /// continues nothing.
    #[error("this line starts with a value, not with a statement's name")]
    #[diagnostic(code(zynk::check::no_statement_name))]
    NoStatementName {
        #[label("a value where the statement's name goes")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    /// `param site "x"`: a declaration without `=`.
    #[error("`{keyword}` needs `=`")]
    #[diagnostic(code(zynk::check::malformed_declaration))]
    MalformedDeclaration {
        keyword: String,
        #[label("expected `{keyword} name = value`")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    /// `fetch "…" to "a.xml" retrys 2`: an option the statement does not have.
    #[error("`{statement}` has no option `{option}`")]
    #[diagnostic(code(zynk::check::unknown_option))]
    UnknownOption {
        statement: String,
        option: String,
        #[label("unknown option")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    /// `delete "a.xml" "b.xml"`: a value where an option name was expected.
    #[error("unexpected value for `{statement}`")]
    #[diagnostic(code(zynk::check::unexpected_value))]
    UnexpectedValue {
        statement: String,
        #[label("expected an option name here")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    /// `fetch "…" to`: an option given no value.
    #[error("`{option}` needs a value")]
    #[diagnostic(code(zynk::check::missing_value))]
    MissingValue {
        option: String,
        #[label("expected {expected} after this")]
        span: SourceSpan,
        expected: String,
        #[help]
        help: String,
    },

    /// `fetch "…"` with no `to`: a required argument is missing.
    #[error("`{statement}` needs `{usage}`")]
    #[diagnostic(code(zynk::check::missing_argument))]
    MissingArgument {
        statement: String,
        usage: String,
        #[label("missing `{usage}`")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    /// `retries 1 retries 2`: an option given twice.
    #[error("`{option}` is given twice")]
    #[diagnostic(code(zynk::check::duplicate_option), help("keep one of them"))]
    DuplicateOption {
        option: String,
        #[label("given again here")]
        span: SourceSpan,
        #[label("first given here")]
        first_span: SourceSpan,
    },

    /// `retries "two"`: a value of the wrong type.
    #[error("`{option}` takes {expected}, not {found}")]
    #[diagnostic(code(zynk::check::wrong_type))]
    WrongType {
        option: String,
        expected: String,
        found: String,
        #[label("this is {found}")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    /// `${sit}`: a variable that is not declared.
    #[error("unknown variable `{name}`")]
    #[diagnostic(code(zynk::check::unknown_variable))]
    UnknownVariable {
        name: String,
        #[label("not declared")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    /// `${file.stm}`: a field the variable does not have.
    #[error("`{variable}` has no field `{field}`")]
    #[diagnostic(code(zynk::check::unknown_field))]
    UnknownField {
        variable: String,
        field: String,
        #[label("unknown field")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    /// `${site.host}`: a field on a variable that has none.
    #[error("`{variable}` has no fields")]
    #[diagnostic(
        code(zynk::check::not_a_record),
        help("only a `foreach` file has fields (`file.name`, `file.stem`, …)")
    )]
    NotARecord {
        variable: String,
        #[label("`{variable}` holds a plain value")]
        span: SourceSpan,
    },

    /// `envv("X")`: a function that does not exist.
    #[error("unknown function `{name}`")]
    #[diagnostic(code(zynk::check::unknown_function))]
    UnknownFunction {
        name: String,
        #[label("not a function")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    /// `env()` or `env("A", "B")`.
    #[error("`{name}` takes {expected}")]
    #[diagnostic(code(zynk::check::wrong_arguments))]
    WrongArguments {
        name: String,
        expected: String,
        #[label("called with {found}")]
        span: SourceSpan,
        found: String,
        #[help]
        help: String,
    },

    /// `param site = …` twice, or a `let` that shadows a param.
    #[error("`{name}` is already declared")]
    #[diagnostic(
        code(zynk::check::duplicate_variable),
        help("pick another name, or remove one of the declarations")
    )]
    DuplicateVariable {
        name: String,
        #[label("declared again here")]
        span: SourceSpan,
        #[label("first declared here")]
        first_span: SourceSpan,
    },

    /// Two `workflow` lines.
    #[error("the workflow is named twice")]
    #[diagnostic(
        code(zynk::check::duplicate_workflow),
        help("a script holds one workflow; keep one `workflow` line")
    )]
    DuplicateWorkflow {
        #[label("named again here")]
        span: SourceSpan,
        #[label("first named here")]
        first_span: SourceSpan,
    },

    /// `workflow` inside a block, or a name that cannot be a folder.
    #[error("{message}")]
    #[diagnostic(code(zynk::check::invalid_workflow_name))]
    InvalidWorkflowName {
        message: String,
        #[label("here")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    /// `foreach file in "x"` with no block, or `delete "x" { … }`.
    #[error("{message}")]
    #[diagnostic(code(zynk::check::block_mismatch))]
    BlockMismatch {
        message: String,
        #[label("{label}")]
        span: SourceSpan,
        label: String,
        #[help]
        help: String,
    },

    /// `if exists "a.xml" { }`: an `if` whose block holds nothing to run.
    #[error("the `if` block is empty")]
    #[diagnostic(
        code(zynk::check::empty_block),
        help(
            "put the statements to run when the condition holds inside `{{ … }}`; for the opposite, write `if not …`"
        )
    )]
    EmptyBlock {
        #[label("nothing to run")]
        span: SourceSpan,
        /// The whole block, `{` to `}`: a syntax error inside it explains the emptiness.
        block_span: SourceSpan,
    },

    /// `--var sitee=…`: a value for a param the script does not declare.
    #[error("`--var {name}` names no param of this script")]
    #[diagnostic(code(zynk::check::undeclared_param))]
    UndeclaredParam {
        name: String,
        #[source_code]
        var: VarSource,
        #[label("not declared by the script")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    /// `--var batch=0` where `limit batch` needs at least 1: a statement rejects a value
    /// that came from `--var`, shown against the `--var` text.
    #[error("{message}")]
    #[diagnostic(code(zynk::check::var_rejected))]
    VarRejected {
        message: String,
        #[source_code]
        var: VarSource,
        #[label("{reason}")]
        span: SourceSpan,
        reason: String,
        #[help]
        help: String,
    },

    /// `--var limit=abc` for `param limit = 200`: shown against the `--var` text.
    #[error("`--var {name}={value}` is not {expected}")]
    #[diagnostic(code(zynk::check::invalid_param_value))]
    InvalidParamValue {
        name: String,
        value: String,
        expected: String,
        #[source_code]
        var: VarSource,
        #[label("{reason}")]
        span: SourceSpan,
        reason: String,
        #[help]
        help: String,
    },

    /// `notify … with "s.xml" to "s.xml"`: two paths of one statement collide.
    #[error("{message}")]
    #[diagnostic(code(zynk::check::path_conflict))]
    PathConflict {
        message: String,
        #[label("{first_label}")]
        first_span: SourceSpan,
        first_label: String,
        #[label("{label}")]
        span: SourceSpan,
        label: String,
        #[help]
        help: String,
    },

    /// A statement that could not be compiled and said nothing: a bug in zynk, reported
    /// so that no statement is ever dropped silently.
    #[error("zynk could not compile this `{statement}`")]
    #[diagnostic(
        code(zynk::check::internal),
        help("this is a bug in zynk; please report it with the script")
    )]
    Internal {
        statement: String,
        #[label("not compiled")]
        span: SourceSpan,
    },

    /// `retries file.size`: a value that changes per loop where a fixed one is needed.
    #[error("`{option}` must be known before the run starts")]
    #[diagnostic(
        code(zynk::check::not_constant),
        help(
            "use a literal, a `param` or a `let` here; `env(…)` and loop variables are only known while running"
        )
    )]
    NotConstant {
        option: String,
        #[label("only known while running")]
        span: SourceSpan,
    },

    /// `matching "[a-"`: a glob that does not compile.
    #[error("invalid pattern: {reason}")]
    #[diagnostic(
        code(zynk::check::invalid_glob),
        help("patterns use `*` for any run of characters and `?` for one, e.g. \"*.xml\"")
    )]
    InvalidGlob {
        reason: String,
        #[label("invalid pattern")]
        span: SourceSpan,
    },

    /// `fetch "ftp://x"` or `fetch "shop/download"`: a URL that cannot be requested.
    #[error("invalid URL: {reason}")]
    #[diagnostic(code(zynk::check::invalid_url))]
    InvalidUrl {
        reason: String,
        #[label("invalid URL")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    /// A number outside its allowed range: `limit 0`, `keep 0 archives`, `retries 1000`.
    #[error("{message}")]
    #[diagnostic(code(zynk::check::out_of_range))]
    OutOfRange {
        message: String,
        #[label("{label}")]
        span: SourceSpan,
        label: String,
        #[help]
        help: String,
    },

    /// A word that is not one of the choices a position takes: `http PUTT`, `keep 4 weeks`.
    #[error("{message}")]
    #[diagnostic(code(zynk::check::not_a_choice))]
    NotAChoice {
        message: String,
        #[label("{label}")]
        span: SourceSpan,
        label: String,
        #[help]
        help: String,
    },

    /// A `fail_on` pattern that is not a valid regular expression.
    #[error("{message}")]
    #[diagnostic(code(zynk::check::invalid_regex))]
    InvalidRegex {
        message: String,
        #[label("{label}")]
        span: SourceSpan,
        label: String,
        #[help]
        help: String,
    },

    /// An option given without the option it goes with: `batch` without `json`, `json`
    /// without `with`, `oauth2` without `client`, `cursor` without `pages`.
    #[error("{message}")]
    #[diagnostic(code(zynk::check::incomplete_options))]
    IncompleteOptions {
        message: String,
        #[label("{label}")]
        span: SourceSpan,
        label: String,
        #[help]
        help: String,
    },

    /// A value or construct not allowed where it stands (a `param` inside a block, a
    /// reserved name, an option of another form of the statement).
    #[error("{message}")]
    #[diagnostic(code(zynk::check::invalid_value))]
    InvalidValue {
        message: String,
        #[label("{label}")]
        span: SourceSpan,
        label: String,
        #[help]
        help: String,
    },

    /// `import invoices` after `ledger tryton`: a statement the ledger in force cannot serve.
    #[error("`{statement}` cannot run against {ledger}")]
    #[diagnostic(code(zynk::check::ledger_cannot))]
    LedgerCannot {
        statement: String,
        ledger: String,
        #[label("not served by {ledger}")]
        span: SourceSpan,
        #[label("{ledger} chosen here")]
        ledger_span: SourceSpan,
        #[help]
        help: String,
    },

    /// `split … by xpath `count(//Product)``: records must be selected by a node-set.
    #[error("this XPath yields {found}, not the records to {purpose}")]
    #[diagnostic(
        code(zynk::check::xpath_not_nodes),
        help("use a location path that selects elements, e.g. `/Company/Products/Product`")
    )]
    XPathNotNodes {
        found: String,
        purpose: String,
        #[label("yields {found}")]
        span: SourceSpan,
    },

    /// `split … by xpath `//Sku/text()``: records are elements, not text or attributes.
    #[error("this XPath selects {found}, not the elements to {purpose}")]
    #[diagnostic(
        code(zynk::check::xpath_not_elements),
        help(
            "select the elements themselves: drop the last step, e.g. `//Sku` for `//Sku/text()`"
        )
    )]
    XPathNotElements {
        found: String,
        purpose: String,
        #[label("selects {found}")]
        span: SourceSpan,
    },

    /// `"Id" = `@id`` outside a `map` block.
    #[error("a field mapping outside `map`")]
    #[diagnostic(
        code(zynk::check::misplaced_field),
        help(
            "field mappings go inside `map FILE to FILE {{ for each `XPATH` as \"Wrapper/Record\" {{ … }} }}`"
        )
    )]
    MisplacedField {
        #[label("only valid inside a `for each` of a `map` block")]
        span: SourceSpan,
    },

    /// A `map` target that is not fixed text made of XML element names.
    #[error("{message}")]
    #[diagnostic(code(zynk::check::invalid_target))]
    InvalidTarget {
        message: String,
        #[label("{label}")]
        span: SourceSpan,
        label: String,
        #[help]
        help: String,
    },

    /// `map` block content that is not a `for each` or a field: a block or a `for each` that maps
    /// nothing, or a line in it of a kind it does not take.
    #[error("{message}")]
    #[diagnostic(code(zynk::check::invalid_mapping))]
    InvalidMapping {
        message: String,
        #[label("{label}")]
        span: SourceSpan,
        label: String,
        #[help]
        help: String,
    },

    /// A `for each` line that does not read `for each [distinct `KEY` in] `XPATH` as "W/R"`,
    /// or a line of a `map` block that is no rule (`foreach`, `encoding`, a statement).
    #[error("{message}")]
    #[diagnostic(code(zynk::check::invalid_rule))]
    InvalidRule {
        message: String,
        #[label("{label}")]
        span: SourceSpan,
        label: String,
        #[help]
        help: String,
    },

    /// A field line without `=` (e.g. `"Id" == `@id``).
    #[error("{message}")]
    #[diagnostic(code(zynk::check::invalid_field))]
    InvalidField {
        message: String,
        #[label("{label}")]
        span: SourceSpan,
        label: String,
        #[help]
        help: String,
    },

    /// A field's `if` or a `when` that is not an XPath, or `if empty`.
    #[error("{message}")]
    #[diagnostic(code(zynk::check::invalid_field_condition))]
    InvalidFieldCondition {
        message: String,
        #[label("{label}")]
        span: SourceSpan,
        label: String,
        #[help]
        help: String,
    },

    /// A `choose` block that does not read `choose "Field" { when `XPATH` VALUE … otherwise VALUE }`.
    #[error("{message}")]
    #[diagnostic(code(zynk::check::invalid_choose))]
    InvalidChoose {
        message: String,
        #[label("{label}")]
        span: SourceSpan,
        label: String,
        #[help]
        help: String,
    },

    /// A `lookup` line that does not read `lookup "FILE" as NAME [key … value … | by … key … value …]`,
    /// or a table name declared twice.
    #[error("{message}")]
    #[diagnostic(code(zynk::check::invalid_lookup))]
    InvalidLookup {
        message: String,
        #[label("{label}")]
        span: SourceSpan,
        label: String,
        #[help]
        help: String,
    },

    /// A `root` or `namespace` line that does not read `root "NAME"` or
    /// `namespace [PREFIX] "URI"`, or a second `root`.
    #[error("{message}")]
    #[diagnostic(code(zynk::check::invalid_root_or_namespace))]
    InvalidRootOrNamespace {
        message: String,
        #[label("{label}")]
        span: SourceSpan,
        label: String,
        #[help]
        help: String,
    },

    /// A `map` target or XPath with a namespace prefix that no `namespace` line declares.
    #[error("{message}")]
    #[diagnostic(code(zynk::check::undeclared_prefix))]
    UndeclaredPrefix {
        message: String,
        #[label("{label}")]
        span: SourceSpan,
        label: String,
        #[help]
        help: String,
    },

    /// A bare word where a `map` value goes that is no param or `let` (`Id` for `` `Id` ``).
    #[error("{message}")]
    #[diagnostic(code(zynk::check::unknown_name))]
    UnknownName {
        message: String,
        #[label("{label}")]
        span: SourceSpan,
        label: String,
        #[help]
        help: String,
    },

    /// An XPath that does not compile; the label points inside the literal.
    #[error("invalid XPath: {message}")]
    #[diagnostic(code(zynk::check::invalid_xpath))]
    InvalidXPath {
        message: String,
        #[label("{label}")]
        span: SourceSpan,
        label: String,
        #[help]
        help: Option<String>,
    },

    /// A statement after `stop` in the same block: it can never run.
    #[error("this statement can never run")]
    #[diagnostic(code(zynk::check::unreachable))]
    Unreachable {
        #[label("after `stop`, nothing in this block runs")]
        span: SourceSpan,
        #[label("the run stops here")]
        stop_span: SourceSpan,
        #[help]
        help: String,
    },

    /// `else { … }` on its own line, or after a statement that is not `if`.
    #[error("`else` without `if`")]
    #[diagnostic(code(zynk::check::else_without_if))]
    ElseWithoutIf {
        #[label("no `if` for this `else`")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    /// `if size of "a.xml" { … }`: a condition that is not true or false.
    #[error("the condition is {found}, not true or false")]
    #[diagnostic(code(zynk::check::condition_type))]
    ConditionType {
        found: String,
        #[label("{found}")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    /// `if count > "x"`: the two sides of a comparison cannot be compared.
    #[error("{message}")]
    #[diagnostic(code(zynk::check::incomparable))]
    Incomparable {
        message: String,
        #[label("{label}")]
        span: SourceSpan,
        label: String,
        #[help]
        help: String,
    },

    /// `if size "a.xml" > 0`: a condition that does not read as one.
    #[error("{message}")]
    #[diagnostic(code(zynk::check::invalid_condition))]
    InvalidCondition {
        message: String,
        #[label("{label}")]
        span: SourceSpan,
        label: String,
        #[help]
        help: String,
    },

    /// `orders.imported` where `orders` names a statement without that result.
    #[error("`{statement}` has no result `{field}`")]
    #[diagnostic(code(zynk::check::unknown_result))]
    UnknownResult {
        statement: String,
        field: String,
        #[label("not a result of `{statement}`")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    /// `… as orders` on a statement that reports no results.
    #[error("`{statement}` has no results to name")]
    #[diagnostic(code(zynk::check::no_results))]
    NoResults {
        statement: String,
        #[label("nothing to read from `{statement}`")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    /// `${order `Id`}` outside the `foreach` that defines `order`.
    #[error("`{variable}` is only known inside its `foreach`")]
    #[diagnostic(code(zynk::check::record_outside_loop))]
    RecordOutsideLoop {
        variable: String,
        #[label("outside the loop")]
        span: SourceSpan,
        #[label("the loop that defines it")]
        loop_span: SourceSpan,
        #[help]
        help: String,
    },

    /// `${file `Id`}` or `${site `Id`}`: an XPath on something that is not a record.
    #[error("`{variable}` is not a record")]
    #[diagnostic(code(zynk::check::not_a_record_loop))]
    NotRecordLoop {
        variable: String,
        #[label("{found}")]
        span: SourceSpan,
        found: String,
        #[help]
        help: String,
    },

    /// `encoding "latin-1x"`: an encoding zynk cannot write files in.
    #[error("unknown encoding `{given}`")]
    #[diagnostic(code(zynk::check::unknown_encoding))]
    UnknownEncoding {
        given: String,
        #[label("not an encoding zynk can write")]
        span: SourceSpan,
        #[help]
        help: String,
    },
}

impl CheckError {
    /// An XPath compile error, moved from the expression's text into the script.
    #[must_use]
    pub fn invalid_xpath(
        error: &crate::xpath::XPathError,
        text_span: crate::source::Span,
    ) -> CheckError {
        use miette::Diagnostic as _;
        let inner = error.span();
        let start = (text_span.start + inner.start).min(text_span.end);
        let end = (text_span.start + inner.end).clamp(start, text_span.end.max(start));
        let span = if start == end && end < text_span.end + 1 {
            crate::source::Span::new(start, (end + 1).min(text_span.end.max(start + 1)))
        } else {
            crate::source::Span::new(start, end)
        };
        CheckError::InvalidXPath {
            message: error.to_string(),
            span: span.into(),
            label: error.label(),
            help: error.help().map(|h| h.to_string()),
        }
    }
}

/// Something the checker accepts but that is probably wrong.
#[derive(Debug, Error, Diagnostic, Clone, PartialEq)]
pub enum CheckWarning {
    /// `password "secret"`: a password written into the script (or a `--var`).
    #[error("the password is written as fixed text")]
    #[diagnostic(code(zynk::check::literal_password), severity(Warning))]
    LiteralPassword {
        #[label("anyone who reads the script reads it")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    /// `--var site=https://shop.example/` before `"${site}/zynk/download"`.
    #[error("the URL `{url}` has `//` in its path")]
    #[diagnostic(code(zynk::check::double_slash), severity(Warning))]
    DoubleSlash {
        url: String,
        #[label("`//` in the path")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    /// `notify … with "customer_sucess.xml"`: a file read that no statement writes.
    #[error("`{statement}` reads `{file}`, which no statement writes")]
    #[diagnostic(code(zynk::check::unwritten_input), severity(Warning))]
    ReadNotWritten {
        file: String,
        statement: String,
        #[label("read here")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    /// `"SalesOrderAdress/Town" = …`: a target field Connect XML does not have.
    #[error("Connect XML has no `{field}` in a `{record}`")]
    #[diagnostic(code(zynk::check::unknown_target), severity(Warning))]
    UnknownTarget {
        field: String,
        record: String,
        #[label("not a Connect XML field")]
        span: SourceSpan,
        #[help]
        help: String,
    },
}
