//! The task mapping table: which Zynk task becomes which statement, setting by setting.
//!
//! One row per task type (or per method of the HTTP task). A statement that lands in
//! statement of `tasks::Registry::standard()` gets its row here, one line; a test checks that every row's statement and
//! keywords exist. Each rule names the Zynk setting, how it is written, and the value at
//! which it is left out because the statement behaves the same without it.

/// How a row turns its task into script text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// One statement, no block.
    Plain,
    /// A `foreach NAME in …` over files; the child tasks go in its block.
    FileLoop,
    /// A `foreach NAME in FILE by xpath …` over records; the child tasks go in its block.
    RecordLoop,
    /// An `if` on a file (`exists`, `size of`); the child tasks go in its block.
    IfFile,
    /// No statement: the children are written in its place, the name as a comment.
    Flatten,
}

/// How a value is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum As {
    /// Text or a path: a string, or a bare variable.
    Text,
    /// A body: like text, and a `ReadContentsOfFile` file value is the same as its path.
    Body,
    /// A whole number.
    Count,
    /// An XPath between backticks.
    XPath,
    /// Text always written in quotes, so a lone variable is not read as a keyword.
    Message,
}

/// What a rule writes.
#[derive(Debug, Clone, Copy)]
pub enum Emit {
    /// A positional value.
    Arg(As),
    /// `keyword VALUE`.
    Opt(&'static str, As),
    /// `keyword` alone when the setting is true.
    Flag(&'static str),
    /// `keyword true|false`.
    Bool(&'static str),
    /// `keyword WORD` (keyword `""`: the word alone), from Zynk's enum names.
    Choice(&'static str, &'static [(&'static str, &'static str)]),
    /// `keyword DURATION` from Zynk's milliseconds.
    Millis(&'static str),
    /// One `keyword "NAME" VALUE` per `<Variable Key=…>`.
    Pairs(&'static str),
    /// `auth USER PASSWORD` from `Username` and `Password`.
    Auth,
    /// `keep N archives|days` from `HouseKeepingSettings`.
    Keep,
    /// `match_fields "A, B"` from the list of Zynk field names.
    MatchFields,
    /// `all|new|modified` from `ExportAll` and `ExportSettings/ExportType`.
    ExportMode,
    /// Read by the row itself (`Method`).
    Used,
    /// Part of an `if` condition on a file (File Exists).
    Condition,
    /// No zynk option: fine at its default, reported otherwise.
    None,
}

/// One setting of a row.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// The setting's element; `/` reaches into a group (`ExportSettings/ExportType`).
    pub setting: &'static str,
    pub emit: Emit,
    /// The value that means the same as leaving the option out (compared without case);
    /// `""` when only an unset value does, `DISABLED` for a group that is switched off.
    /// Several are separated by `|`: Zynk 1.x saved other defaults than Zynk 2 (a
    /// 6000000 ms HTTP timeout, the `Internetware/Zynk` user agent), and a workflow saved
    /// with them gets zynk's own default, as the hand-written seed script does.
    pub default: &'static str,
    /// Used only when the earlier rule for the same keyword found no setting (Zynk's
    /// newer grouped settings win over the older flat ones).
    pub fallback: bool,
}

/// The default of a settings group that does nothing while switched off.
pub const DISABLED: &str = "\u{0}disabled";

/// One row of the table.
#[derive(Debug, Clone, Copy)]
pub struct Row {
    /// The task class without `Zynk.`, e.g. `Filesystem.DeleteFile`.
    pub task: &'static str,
    /// Only when this setting has one of these values (the HTTP task's `Method`).
    pub when: Option<(&'static str, &'static [&'static str])>,
    /// The statement it becomes (`""` for a flattened container).
    pub statement: &'static str,
    pub shape: Shape,
    pub rules: &'static [Rule],
}

const fn rule(setting: &'static str, emit: Emit, default: &'static str) -> Rule {
    Rule {
        setting,
        emit,
        default,
        fallback: false,
    }
}

const fn arg(setting: &'static str) -> Rule {
    rule(setting, Emit::Arg(As::Text), "")
}

const fn opt(setting: &'static str, keyword: &'static str) -> Rule {
    rule(setting, Emit::Opt(keyword, As::Text), "")
}

const fn opt_default(setting: &'static str, keyword: &'static str, default: &'static str) -> Rule {
    rule(setting, Emit::Opt(keyword, As::Text), default)
}

const fn count(setting: &'static str, keyword: &'static str, default: &'static str) -> Rule {
    rule(setting, Emit::Opt(keyword, As::Count), default)
}

const fn boolean(setting: &'static str, keyword: &'static str, default: &'static str) -> Rule {
    rule(setting, Emit::Bool(keyword), default)
}

const fn quiet(setting: &'static str, default: &'static str) -> Rule {
    rule(setting, Emit::None, default)
}

const fn fallback(mut r: Rule) -> Rule {
    r.fallback = true;
    r
}

const fn row(task: &'static str, statement: &'static str, rules: &'static [Rule]) -> Row {
    Row {
        task,
        when: None,
        statement,
        shape: Shape::Plain,
        rules,
    }
}

const fn http(
    method: &'static [&'static str],
    statement: &'static str,
    rules: &'static [Rule],
) -> Row {
    Row {
        task: "Internet.Http.HttpTask",
        when: Some(("Method", method)),
        statement,
        shape: Shape::Plain,
        rules,
    }
}

const CONVENTIONS: &[(&str, &str)] = &[
    ("CompanyOtherwiseFullname", "company_otherwise_fullname"),
    (
        "CompanyOtherwiseForenameSurname",
        "company_otherwise_forename_surname",
    ),
    (
        "CompanyOtherwiseSurnameForename",
        "company_otherwise_surname_forename",
    ),
    ("ForenameSurname", "forename_surname"),
    ("SurnameForename", "surname_forename"),
];

const METHODS: &[(&str, &str)] = &[
    ("GET", "GET"),
    ("POST", "POST"),
    ("PUT", "PUT"),
    ("PATCH", "PATCH"),
    ("DELETE", "DELETE"),
    ("HEAD", "HEAD"),
];

/// What every HTTP row shares after its URL, body and output.
macro_rules! http_common {
    () => {
        [
            count("Retries", "retries", "1"),
            rule("Timeout", Emit::Millis("timeout"), "120000|6000000"),
            opt_default(
                "UserAgent",
                "user_agent",
                "Zynk Software Ltd/Zynk|Internetware/Zynk",
            ),
            rule("HeaderValues", Emit::Pairs("header"), ""),
            rule("Username", Emit::Auth, ""),
            rule("Password", Emit::Used, ""),
            rule("Method", Emit::Used, ""),
            quiet("EncodingType", "UTF8"),
            quiet("ProtocolVersion", "v1_1"),
            quiet("KeepAlive", "true"),
        ]
    };
}

const FETCH: &[Rule] = &{
    let c = http_common!();
    [
        arg("Url"),
        opt("OutputFile", "to"),
        c[0],
        c[1],
        c[2],
        c[3],
        c[4],
        c[5],
        c[6],
        c[7],
        c[8],
        c[9],
    ]
};

const NOTIFY: &[Rule] = &{
    let c = http_common!();
    [
        arg("Url"),
        rule("ContentsField", Emit::Opt("with", As::Body), ""),
        rule("Input", Emit::Opt("with", As::Body), ""),
        rule("FormValues", Emit::Pairs("form"), ""),
        opt("OutputFile", "to"),
        c[0],
        c[1],
        c[2],
        c[3],
        c[4],
        c[5],
        c[6],
        c[7],
        c[8],
        c[9],
    ]
};

const HTTP: &[Rule] = &{
    let c = http_common!();
    [
        rule("Method", Emit::Choice("", METHODS), ""),
        arg("Url"),
        rule("ContentsField", Emit::Opt("with", As::Body), ""),
        rule("Input", Emit::Opt("with", As::Body), ""),
        rule("FormValues", Emit::Pairs("form"), ""),
        opt("OutputFile", "to"),
        c[0],
        c[1],
        c[2],
        c[3],
        c[4],
        c[5],
        c[7],
        c[8],
        c[9],
    ]
};

/// The account-reference settings, grouped (newer files) before flat (older files).
macro_rules! references {
    () => {
        [
            opt("InputFile", "from"),
            opt("SuccessFile", "success"),
            opt("FailFile", "fail"),
            boolean(
                "AutoGenerateAccountReferences/AutoGenerateAccountReference",
                "auto_reference",
                "true",
            ),
            fallback(boolean(
                "AutoGenerateAccountReference",
                "auto_reference",
                "true",
            )),
            rule(
                "AutoGenerateAccountReferences/AccountReferenceConvention",
                Emit::Choice("reference_convention", CONVENTIONS),
                "CompanyOtherwiseFullname",
            ),
            fallback(rule(
                "AccountReferenceConvention",
                Emit::Choice("reference_convention", CONVENTIONS),
                "CompanyOtherwiseFullname",
            )),
            count(
                "AutoGenerateAccountReferences/AlphabeticLength",
                "alpha_length",
                "3",
            ),
            fallback(count("AlphabeticLength", "alpha_length", "3")),
            count(
                "AutoGenerateAccountReferences/NumericLength",
                "numeric_length",
                "3",
            ),
            fallback(count("NumericLength", "numeric_length", "3")),
            opt("AutoGenerateAccountReferences/Mask", "mask"),
            fallback(opt("Mask", "mask")),
            quiet("AutoGenerateAccountReferences/RegularExpression", ""),
            rule("MatchFields", Emit::MatchFields, ""),
            boolean(
                "CreateMultipleDeliveryAddresses",
                "multiple_delivery_addresses",
                "false",
            ),
        ]
    };
}

const IMPORT_CUSTOMERS: &[Rule] = &references!();

/// The settings of an order-shaped import: the account-reference ones, those every document
/// import shares, and `own` (its number and allocation settings) in between.
macro_rules! document_import {
    ($($own:expr),* $(,)?) => {{
        let r = references!();
        [
            r[0],
            r[1],
            r[2],
            r[3],
            r[4],
            r[5],
            r[6],
            r[7],
            r[8],
            r[9],
            r[10],
            r[11],
            r[12],
            r[13],
            r[14],
            r[15],
            boolean("AutoCreateCustomer", "auto_create_customer", "false"),
            boolean("AutoCreateProducts", "auto_create_products", "true"),
            opt_default("DefaultProductCode", "default_product", "S1"),
            boolean("PreventDuplicates", "prevent_duplicates", "true"),
            $($own,)*
            boolean("PricesIncludeTax", "prices_include_tax", "false"),
            opt_default("DefaultBankAccount", "default_bank_account", "1200"),
            quiet("VatSettings", DISABLED),
            quiet("ReadSalesLedgerData", "false"),
            quiet("ConvertToAccountCurrency", "false"),
            quiet("UseManualDocumentNumber", "false"),
        ]
    }};
}

const IMPORT_SALES_ORDERS: &[Rule] = &document_import!(
    boolean("UseManualSalesOrderNumber", "manual_order_numbers", "false"),
    boolean("AutoAllocateStock", "allocate_stock", "false"),
);

const IMPORT_INVOICES: &[Rule] = &document_import!(boolean(
    "UseManualInvoiceNumber",
    "manual_invoice_numbers",
    "false"
));

const IMPORT_TRANSACTIONS: &[Rule] = &[
    opt("InputFile", "from"),
    opt("SuccessFile", "success"),
    opt("FailFile", "fail"),
    boolean("PreventDuplicates", "prevent_duplicates", "true"),
    boolean("AutoAllocateTransactions", "allocate_receipts", "false"),
];

/// Every row, in the order `docs/convert.md` lists them.
pub static TABLE: &[Row] = &[
    Row {
        task: "Tasks.ContainerTask",
        when: None,
        statement: "",
        shape: Shape::Flatten,
        rules: &[],
    },
    http(&["GET"], "fetch", FETCH),
    http(&["POST"], "notify", NOTIFY),
    http(&["PUT", "PATCH", "DELETE", "HEAD"], "http", HTTP),
    row(
        "Connect.Sage50.ImportCustomers",
        "import customers",
        IMPORT_CUSTOMERS,
    ),
    row(
        "Connect.Sage50.ImportSalesOrders",
        "import sales orders",
        IMPORT_SALES_ORDERS,
    ),
    row(
        "Connect.Sage50.ImportInvoices",
        "import invoices",
        IMPORT_INVOICES,
    ),
    row(
        "Connect.Sage50.ImportTransactions",
        "import transactions",
        IMPORT_TRANSACTIONS,
    ),
    row(
        "Connect.Sage50.ExportStockRecords",
        "export stock",
        &[
            rule(
                "ExportAll|ExportSettings/ExportType",
                Emit::ExportMode,
                "Modified",
            ),
            opt("OutputFile", "to"),
            rule("ExportPublished", Emit::Flag("published only"), "false"),
            quiet("ExportSettings/DateTimeModified", ""),
            quiet("ExportAttachments", "false"),
            quiet("AttachmentSearchPattern", ""),
            quiet("QuerySettings", ""),
            quiet("QueryTimeout", ""),
            quiet("Filter", ""),
            quiet("Sort", ""),
        ],
    ),
    row(
        "Documents.XML.XMLSplitTask",
        "split",
        &[
            arg("InputFile"),
            rule("XPathQuery", Emit::Opt("by xpath", As::XPath), ""),
            count("RecordLimit", "limit", "200"),
            opt("OutputFolder", "into"),
            quiet("OutputFilesFormat", "Number"),
        ],
    ),
    Row {
        task: "Filesystem.FileRepeater",
        when: None,
        statement: "foreach",
        shape: Shape::FileLoop,
        rules: &[
            opt("InputDirectory", "in"),
            opt_default("SearchPattern", "matching", "*.*"),
            rule("Recursive", Emit::Flag("recursive"), "false"),
            quiet("OnlyModifiedFiles", "false"),
            quiet("ModifiedSince", ""),
        ],
    },
    row("Filesystem.DeleteFile", "delete", &[arg("InputFile")]),
    row(
        "Filesystem.CopyFile",
        "copy",
        &[
            arg("InputFile"),
            opt("OutputFile", "to"),
            rule("OverwriteFile", Emit::Flag("overwrite"), "false"),
        ],
    ),
    row(
        "Filesystem.MoveFile",
        "move",
        &[
            arg("InputFile"),
            opt("OutputFile", "to"),
            rule("OverwriteFile", Emit::Flag("overwrite"), "false"),
            quiet("PrependTimestamp", "false"),
            quiet("TimestampFormat", "yyyyMMddHHmmssffff"),
        ],
    ),
    Row {
        task: "Documents.XML.XmlRepeaterTask",
        when: None,
        statement: "foreach",
        shape: Shape::RecordLoop,
        rules: &[
            opt("InputFile", "in"),
            rule("XPathQuery", Emit::Opt("by xpath", As::XPath), ""),
        ],
    },
    Row {
        task: "Filesystem.FileExists",
        when: None,
        statement: "if",
        shape: Shape::IfFile,
        rules: &[
            rule("InputFile", Emit::Condition, ""),
            rule("Equal", Emit::Condition, ""),
            rule("MinimumLength", Emit::Condition, ""),
        ],
    },
    row(
        "UserInterface.LogInfoMessage",
        "log",
        &[rule("Input", Emit::Arg(As::Message), "")],
    ),
    row(
        "Filesystem.ArchiveWorkflowData",
        "archive",
        &[
            opt_default("ArchiveDirectory", "to", "Archive"),
            rule("HouseKeepingSettings", Emit::Keep, ""),
        ],
    ),
];

/// What Zynk task types with no row are, for the report and the docs.
pub static UNCONVERTED: &[(&str, &str)] = &[
    (
        "Tasks.AutoMapperTask",
        "a built-in Auto Mapper stylesheet: give its folder with `--stylesheets DIR` to make it a `map` (docs/convert.md)",
    ),
    (
        "Documents.XML.XsltTransform",
        "its stylesheet must be beside the workflow to become a `map`; else convert it with `zynk convert STYLESHEET.xslt` (docs/convert.md)",
    ),
    (
        "Internet.Email.EmailExists",
        "zynk cannot check an e-mail address",
    ),
    (
        "Filesystem.ZipFiles",
        "zynk zips only the whole working directory (`archive`)",
    ),
    (
        "Filesystem.FindAndReplaceText",
        "zynk does not edit text files",
    ),
    (
        "Filesystem.RemoveCharactersFromFile",
        "zynk does not edit text files",
    ),
    (
        "Filesystem.ListFiles",
        "zynk writes no folder listings; `foreach` walks a folder",
    ),
    (
        "Tasks.RazorTemplateTask",
        "zynk runs no Razor templates; a `map` block writes XML",
    ),
];

/// Families of tasks zynk does not do, by class prefix.
pub static FAMILIES: &[(&str, &str)] = &[
    (
        "Ecommerce.",
        "zynk talks to shops through their website scripts (`fetch`/`notify`), not their own APIs",
    ),
    ("SAAS.", "zynk has no connector for this service"),
    ("SaaS.", "zynk has no connector for this service"),
    ("Payments.", "zynk has no connector for this service"),
    ("Database.", "zynk does not connect to databases"),
    ("Internet.Ftp.", "zynk has no FTP statements"),
    ("Internet.Sftp.", "zynk has no SFTP statements"),
    ("Internet.Email.", "zynk sends no e-mail"),
    (
        "Connect.Sage200",
        "zynk's ledger is Sage 50-like; it has no Sage 200",
    ),
    ("Connect.", "zynk's ledger has no statement for this"),
    ("Sage.Reporting.", "zynk's ledger writes no reports"),
    (
        "Documents.",
        "zynk converts no documents: only XML is read and written",
    ),
];

/// The rows for a task type, in table order.
pub fn rows_for(kind: &str) -> impl Iterator<Item = &'static Row> {
    TABLE.iter().filter(move |r| r.task == kind)
}

/// Why a task type with no row is not converted.
#[must_use]
pub fn why_not(kind: &str) -> String {
    if let Some((_, why)) = UNCONVERTED.iter().find(|(k, _)| *k == kind) {
        return (*why).to_string();
    }
    if let Some((_, why)) = FAMILIES.iter().find(|(p, _)| kind.starts_with(p)) {
        return (*why).to_string();
    }
    "zynk has no statement for this task".to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tasks::{self, Kind};

    /// A task kept as a comment for want of a statement names one zynk does not have.
    #[test]
    fn no_task_is_left_for_a_statement_zynk_has() {
        for (task, reason) in UNCONVERTED {
            let Some(rest) = reason.split("has no `").nth(1) else {
                continue;
            };
            let named = rest.split('`').next().unwrap_or_default();
            assert!(
                tasks::Registry::standard().named(named).is_none(),
                "{task}: `{named}` exists; convert it"
            );
        }
    }

    /// Every row's statement exists, and every keyword it writes is one of its options.
    #[test]
    fn rows_match_the_statements() {
        for row in TABLE.iter().filter(|r| r.shape != Shape::Flatten) {
            let task = tasks::Registry::standard()
                .named(row.statement)
                .unwrap_or_else(|| panic!("{}: no statement `{}`", row.task, row.statement));
            let keywords: Vec<&str> = task.params().iter().filter_map(|p| p.keyword).collect();
            for r in row.rules {
                let keyword = match r.emit {
                    Emit::Opt(k, _)
                    | Emit::Flag(k)
                    | Emit::Bool(k)
                    | Emit::Millis(k)
                    | Emit::Pairs(k) => k,
                    Emit::Choice(k, _) if !k.is_empty() => k,
                    Emit::Auth => "auth",
                    Emit::Keep => "keep",
                    Emit::MatchFields => "match_fields",
                    _ => continue,
                };
                assert!(
                    keywords.contains(&keyword),
                    "{}: `{}` has no option `{keyword}`",
                    row.task,
                    row.statement
                );
            }
            if matches!(
                row.shape,
                Shape::FileLoop | Shape::RecordLoop | Shape::IfFile
            ) {
                assert!(task.takes_block(), "{}", row.task);
            }
            if row.shape == Shape::FileLoop {
                assert!(task.takes_block());
                assert_eq!(task.params().first().map(|p| p.kind), Some(Kind::Binding));
            }
        }
    }

    #[test]
    fn converted_types_are_not_listed_as_unconverted() {
        for (kind, _) in UNCONVERTED {
            assert!(rows_for(kind).next().is_none(), "{kind} has a row");
        }
    }
}
