//! The statements of the language: one file per statement, listed in `ALL`, which the
//! standard [`Registry`] holds.
//!
//! The checker matches a statement's leading words against each task's `head`, binds the
//! rest against its `params`, and asks the task to `compile` the bound arguments into a
//! `Step` the runtime can execute. The docs of every statement are generated from here.
use crate::check::{Args, Checker};
use crate::runtime::Step;

mod archive;
mod copy;
mod delete;
mod export_records;
mod export_stock;
mod fetch;
mod file_ops;
mod foreach;
mod foreach_record;
mod http_request;
mod if_else;
mod import_customers;
mod import_invoices;
mod import_products;
mod import_sales_orders;
mod import_stock_transactions;
mod import_transactions;
mod json_body;
mod ledger_file;
mod ledger_io;
mod ledger_tryton;
mod log;
mod loop_files;
mod map;
mod move_file;
mod notify;
mod output_encoding;
mod pages;
mod registry;
mod request;
mod split;
mod stop;
mod write;

pub use map::map_specs;
pub use registry::Registry;
pub(crate) use request::looks_like_file;

/// Every statement, in the order the docs list them. The only place a statement is added.
static ALL: &[&dyn Task] = &[
    &fetch::Fetch,
    &notify::Notify,
    &http_request::HttpRequest,
    &import_customers::ImportCustomers,
    &import_sales_orders::ImportSalesOrders,
    &import_invoices::ImportInvoices,
    &import_transactions::ImportTransactions,
    &import_products::ImportProducts,
    &import_stock_transactions::ImportStockTransactions,
    &export_stock::ExportStock,
    &export_records::ExportCustomers,
    &export_records::ExportInvoices,
    &split::Split,
    &map::Map,
    &foreach::Foreach,
    &delete::Delete,
    &archive::Archive,
    &ledger_file::LedgerFile,
    &ledger_tryton::LedgerTryton,
    &log::Log,
    &copy::Copy,
    &move_file::Move,
    &write::Write,
    &stop::Stop,
    &if_else::If,
];

/// A statement of the language.
pub trait Task: Sync {
    /// The words that start the statement, e.g. `["import", "customers"]`.
    fn head(&self) -> &'static [&'static str];
    /// One line saying what the statement does.
    fn summary(&self) -> &'static str;
    /// Its arguments and options, in the order they are documented.
    fn params(&self) -> &'static [Param];
    /// Whether the statement takes a `{ … }` block.
    fn takes_block(&self) -> bool {
        false
    }
    /// A short, valid example.
    fn example(&self) -> &'static str;
    /// Turns checked arguments into something the runtime can execute; problems found
    /// here are reported through the checker.
    fn compile(&self, args: &mut Args, cx: &mut Checker<'_>) -> Option<Box<dyn Step>>;

    /// Whether the statement reads its arguments itself, as a condition (`if`), instead of
    /// binding them to `params`.
    fn takes_condition(&self) -> bool {
        false
    }
    /// The results a later line can read after `… as NAME`: `(field, doc)`.
    fn results(&self) -> &'static [(&'static str, &'static str)] {
        &[]
    }

    /// The statement's name as written, e.g. `import customers`.
    fn name(&self) -> String {
        self.head().join(" ")
    }
}

/// One argument or option of a statement.
#[derive(Debug, Clone, Copy)]
pub struct Param {
    /// The words that introduce it (`to`, `by xpath`); `None` for a positional argument.
    pub keyword: Option<&'static str>,
    /// The key a task reads it by.
    pub name: &'static str,
    pub kind: Kind,
    pub required: bool,
    /// Whether it may be given more than once (`header`, `form`).
    pub repeat: bool,
    /// One line for the docs and for help messages.
    pub doc: &'static str,
}

impl Param {
    /// A positional argument.
    #[must_use]
    pub const fn positional(name: &'static str, kind: Kind, doc: &'static str) -> Param {
        Param {
            keyword: None,
            name,
            kind,
            required: true,
            repeat: false,
            doc,
        }
    }

    /// A required keyword argument such as `to FILE`.
    #[must_use]
    pub const fn required(keyword: &'static str, kind: Kind, doc: &'static str) -> Param {
        Param {
            keyword: Some(keyword),
            name: keyword,
            kind,
            required: true,
            repeat: false,
            doc,
        }
    }

    /// An optional keyword argument such as `retries 2`.
    #[must_use]
    pub const fn option(keyword: &'static str, kind: Kind, doc: &'static str) -> Param {
        Param {
            keyword: Some(keyword),
            name: keyword,
            kind,
            required: false,
            repeat: false,
            doc,
        }
    }

    /// Marks an option as repeatable.
    #[must_use]
    pub const fn repeated(mut self) -> Param {
        self.repeat = true;
        self
    }

    /// Marks a positional argument as optional.
    #[must_use]
    pub const fn optional(mut self) -> Param {
        self.required = false;
        self
    }

    /// How the parameter is written, for docs and help: `retries NUMBER`.
    #[must_use]
    pub fn usage(&self) -> String {
        let value = self.kind.placeholder();
        match (self.keyword, value.is_empty()) {
            (Some(k), true) => k.to_string(),
            (Some(k), false) => format!("{k} {value}"),
            (None, _) => match self.kind {
                Kind::Choice(_) | Kind::Binding => value,
                _ => self.name.to_uppercase(),
            },
        }
    }
}

/// What a parameter holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Text: a string, a number, or a variable (`file` gives its path).
    Text,
    /// A file or folder path, relative to the working directory.
    Path,
    /// A whole number of at least zero.
    Count,
    /// A duration such as `30s`.
    Duration,
    /// `true` or `false`.
    Bool,
    /// An XPath literal.
    XPath,
    /// A glob pattern such as `*.xml`.
    Glob,
    /// A new variable name (`foreach file in …`).
    Binding,
    /// One of a fixed set of words.
    Choice(&'static [&'static str]),
    /// A keyword on its own (`recursive`).
    Flag,
    /// Two texts (`header "Name" "value"`).
    Pair,
    /// A number followed by one of a set of units (`keep 30 days`).
    CountUnit(&'static [&'static str]),
    /// A comma-free list of texts given as one string, split on commas (`match_fields "Email, Name"`).
    List,
}

impl Kind {
    /// The placeholder shown in usage lines.
    #[must_use]
    pub fn placeholder(&self) -> String {
        match self {
            Kind::Text => "TEXT".into(),
            Kind::Path => "FILE".into(),
            Kind::Count => "NUMBER".into(),
            Kind::Duration => "DURATION".into(),
            Kind::Bool => "true|false".into(),
            Kind::XPath => "`XPATH`".into(),
            Kind::Glob => "GLOB".into(),
            Kind::Binding => "NAME".into(),
            Kind::Choice(words) => words.join("|"),
            Kind::Flag => String::new(),
            Kind::Pair => "NAME VALUE".into(),
            Kind::CountUnit(units) => format!("NUMBER {}", units.join("|")),
            Kind::List => "\"A, B, …\"".into(),
        }
    }
}
