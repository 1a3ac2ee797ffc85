//! Import options: each declared once (name, value type, default, Zynk setting, meaning) in an
//! [`options!`] block, from which the option struct, its `Default`, its [`OptionSpec`] table
//! (for the statement's parameters, "did you mean" and the docs) and its `set` are derived.
use std::fmt::Write as _;

/// Declares an enum of words with their `.zynk` spellings; `NAMES` lists them in order.
macro_rules! word_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident { $( $(#[$vmeta:meta])* $variant:ident = $word:literal, )* }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name { $( $(#[$vmeta])* $variant, )* }

        impl $name {
            /// Every value in order, with its `.zynk` spelling.
            pub const ALL: &'static [(&'static str, $name)] = &[$( ($word, $name::$variant), )*];
            /// The `.zynk` spellings in order.
            pub const NAMES: &'static [&'static str] = &[$( $word, )*];

            /// Parses the `.zynk` spelling (Zynk's CamelCase or spaced spelling too).
            pub fn parse(text: &str) -> Option<$name> {
                let snake = camel_to_snake(&text.replace(' ', ""));
                Self::ALL.iter().find(|(n, _)| *n == snake).map(|(_, v)| *v)
            }

            /// The `.zynk` spelling.
            pub fn name(self) -> &'static str {
                match self { $( $name::$variant => $word, )* }
            }
        }
    };
}

word_enum! {
    /// Which text gives the letters of an auto-generated account reference (Zynk's
    /// `AccountReferenceConvention`).
    #[derive(Default)]
    pub enum ReferenceConvention {
        /// Company name, else Title Forename Middlename Surname Suffix.
        #[default]
        CompanyOtherwiseFullname = "company_otherwise_fullname",
        /// Company name, else Forename Surname.
        CompanyOtherwiseForenameSurname = "company_otherwise_forename_surname",
        /// Company name, else Surname Forename.
        CompanyOtherwiseSurnameForename = "company_otherwise_surname_forename",
        /// Forename Surname.
        ForenameSurname = "forename_surname",
        /// Surname Forename.
        SurnameForename = "surname_forename",
    }
}

word_enum! {
    /// A field compared to find an existing account (Zynk's "Match Accounts On").
    pub enum MatchField {
        /// Account name.
        CompanyName = "company_name",
        /// Telephone.
        Telephone = "telephone",
        /// Telephone 2.
        Mobile = "mobile",
        /// Fax.
        Fax = "fax",
        /// E-mail.
        Email = "email",
        /// Web address.
        Website = "website",
        /// Address line 5.
        Postcode = "postcode",
    }
}

word_enum! {
    /// What an import does with a record whose `Id` is already in the truth table (with
    /// `prevent_duplicates`).
    #[derive(Default)]
    pub enum Duplicates {
        /// Write it to the success file again with the reference or number it got the first
        /// time, counted as already imported, so a lost notify is repeated by the next run.
        #[default]
        Resend = "resend",
        /// Zynk's strict behaviour: write it to the fail file as a duplicate.
        Fail = "fail",
    }
}

word_enum! {
    /// Which stock records `import products` takes `QtyInStock` and `QtyOnOrder` from the file
    /// for.
    #[derive(Default)]
    pub enum Quantities {
        /// Every record: the file's quantity replaces the ledger's, the difference posted as
        /// a stock adjustment.
        #[default]
        Always = "always",
        /// New records only (opening stock); an existing record's quantity changes only
        /// through stock transactions and orders.
        New = "new",
        /// Never: quantities in the file are ignored.
        Never = "never",
    }
}

impl MatchField {
    /// The ledger column compared.
    pub fn column(self) -> &'static str {
        match self {
            MatchField::CompanyName => "name",
            MatchField::Telephone => "telephone",
            MatchField::Mobile => "telephone_2",
            MatchField::Fax => "fax",
            MatchField::Email => "e_mail",
            MatchField::Website => "web_address",
            MatchField::Postcode => "address_5",
        }
    }
}

/// The type of an option's value, as a script writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionKind {
    /// `true` / `false`.
    Bool,
    /// A whole number ≥ 0.
    Int,
    /// Free text.
    Text,
    /// A tax code: `"T1"` or `1`.
    TaxCode,
    /// One of the listed words.
    Enum(&'static [&'static str]),
    /// A comma-separated list of the listed words.
    List(&'static [&'static str]),
}

/// One option as the language offers it, derived from its declaration.
#[derive(Debug, Clone, Copy)]
pub struct OptionSpec {
    /// `.zynk` name.
    pub name: &'static str,
    /// Value type.
    pub kind: OptionKind,
    /// The default as a script would write it.
    pub default: fn() -> String,
    /// The Zynk `.wkf` setting it mirrors.
    pub zynk: &'static str,
    /// One-line meaning.
    pub doc: &'static str,
}

/// A value given to an option in a script.
#[derive(Debug, Clone, PartialEq)]
pub enum OptionValue {
    /// `true` / `false`
    Bool(bool),
    /// A number.
    Int(i64),
    /// A string.
    Text(String),
    /// A list of words or strings.
    List(Vec<String>),
}

/// How one kind of option value is read from a script and written back (for its default).
pub trait OptionCodec {
    /// The Rust value.
    type Value;
    /// What a script writes.
    const KIND: OptionKind;
    /// Reads a script value.
    fn decode(name: &'static str, value: OptionValue) -> Result<Self::Value, OptionError>;
    /// Writes the value as a script would.
    fn encode(value: &Self::Value) -> String;
}

/// `true` / `false`.
pub struct Flag;
/// A whole number from 0.
pub struct Count;
/// Free text.
pub struct Text;
/// Free text, where empty means none.
pub struct MaybeText;
/// A tax code T0–T99, as `"T1"` or `1`.
pub struct TaxCodeId;
/// One word of a [`word_enum!`].
pub struct Word<T>(std::marker::PhantomData<T>);
/// A list of match fields.
pub struct Fields;

impl OptionCodec for Flag {
    type Value = bool;
    const KIND: OptionKind = OptionKind::Bool;
    fn decode(name: &'static str, value: OptionValue) -> Result<bool, OptionError> {
        match value {
            OptionValue::Bool(b) => Ok(b),
            _ => Err(wrong_type(name, Self::KIND)),
        }
    }
    fn encode(value: &bool) -> String {
        value.to_string()
    }
}

impl OptionCodec for Count {
    type Value = u32;
    const KIND: OptionKind = OptionKind::Int;
    fn decode(name: &'static str, value: OptionValue) -> Result<u32, OptionError> {
        match value {
            OptionValue::Int(i) => u32::try_from(i).map_err(|_| wrong_type(name, Self::KIND)),
            _ => Err(wrong_type(name, Self::KIND)),
        }
    }
    fn encode(value: &u32) -> String {
        value.to_string()
    }
}

impl OptionCodec for Text {
    type Value = String;
    const KIND: OptionKind = OptionKind::Text;
    fn decode(name: &'static str, value: OptionValue) -> Result<String, OptionError> {
        match value {
            OptionValue::Text(t) => Ok(t),
            _ => Err(wrong_type(name, Self::KIND)),
        }
    }
    fn encode(value: &String) -> String {
        format!("{value:?}")
    }
}

impl OptionCodec for MaybeText {
    type Value = Option<String>;
    const KIND: OptionKind = OptionKind::Text;
    fn decode(name: &'static str, value: OptionValue) -> Result<Option<String>, OptionError> {
        let text = Text::decode(name, value)?;
        Ok((!text.trim().is_empty()).then_some(text))
    }
    fn encode(value: &Option<String>) -> String {
        value
            .as_ref()
            .map_or_else(|| "none".to_string(), Text::encode)
    }
}

impl OptionCodec for TaxCodeId {
    type Value = i64;
    const KIND: OptionKind = OptionKind::TaxCode;
    fn decode(name: &'static str, value: OptionValue) -> Result<i64, OptionError> {
        let (code, given) = match value {
            OptionValue::Int(n) => (Some(n), n.to_string()),
            OptionValue::Text(t) => (
                t.trim().trim_start_matches(['T', 't']).parse::<i64>().ok(),
                t,
            ),
            _ => return Err(wrong_type(name, Self::KIND)),
        };
        code.filter(|n| (0..=99).contains(n))
            .ok_or_else(|| OptionError::BadValue {
                name,
                value: given,
                choices: "T0 to T99".to_string(),
            })
    }
    fn encode(value: &i64) -> String {
        format!("\"T{value}\"")
    }
}

/// The words of a [`word_enum!`], for [`Word`].
pub trait Words: Copy + 'static {
    /// The spellings in order.
    const NAMES: &'static [&'static str];
    /// Parses a spelling.
    fn parse_word(text: &str) -> Option<Self>;
    /// The spelling.
    fn word(self) -> &'static str;
}

impl<T: Words> OptionCodec for Word<T> {
    type Value = T;
    const KIND: OptionKind = OptionKind::Enum(T::NAMES);
    fn decode(name: &'static str, value: OptionValue) -> Result<T, OptionError> {
        let text = Text::decode(name, value).map_err(|_| wrong_type(name, Self::KIND))?;
        T::parse_word(&text).ok_or_else(|| bad_value(name, Self::KIND, &text))
    }
    fn encode(value: &T) -> String {
        value.word().to_string()
    }
}

macro_rules! words {
    ($($t:ty),*) => {$(
        impl Words for $t {
            const NAMES: &'static [&'static str] = <$t>::NAMES;
            fn parse_word(text: &str) -> Option<Self> {
                <$t>::parse(text)
            }
            fn word(self) -> &'static str {
                self.name()
            }
        }
    )*};
}
words!(ReferenceConvention, Duplicates, Quantities);

impl OptionCodec for Fields {
    type Value = Vec<MatchField>;
    const KIND: OptionKind = OptionKind::List(MatchField::NAMES);
    fn decode(name: &'static str, value: OptionValue) -> Result<Vec<MatchField>, OptionError> {
        let items = match value {
            OptionValue::List(items) => items,
            OptionValue::Text(t) => t
                .split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect(),
            _ => return Err(wrong_type(name, Self::KIND)),
        };
        items
            .iter()
            .map(|i| MatchField::parse(i).ok_or_else(|| bad_value(name, Self::KIND, i)))
            .collect()
    }
    fn encode(value: &Vec<MatchField>) -> String {
        let names: Vec<&str> = value.iter().map(|f| f.name()).collect();
        format!("{:?}", names.join(", "))
    }
}

/// Declares an options struct: one line per option gives its name, codec, default, Zynk
/// setting and meaning; the struct, `Default`, the `OPTIONS` table and `set_own` follow.
macro_rules! options {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$outer:meta])* nested $nested:ident : $nty:ty, )*
            $( $field:ident : $codec:ty = $default:expr, $zynk:literal, $doc:literal; )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq)]
        pub struct $name {
            $( $(#[$outer])* pub $nested: $nty, )*
            $(
                #[doc = concat!("`", stringify!($field), "` (Zynk `", $zynk, "`): ", $doc, ".")]
                pub $field: <$codec as OptionCodec>::Value,
            )*
        }

        impl Default for $name {
            fn default() -> Self {
                $name {
                    $( $nested: Default::default(), )*
                    $( $field: $default, )*
                }
            }
        }

        impl $name {
            /// The options this struct declares itself (not those of nested groups).
            pub const OPTIONS: &'static [OptionSpec] = &[$(
                OptionSpec {
                    name: stringify!($field),
                    kind: <$codec as OptionCodec>::KIND,
                    default: || <$codec as OptionCodec>::encode(&$name::default().$field),
                    zynk: $zynk,
                    doc: $doc,
                },
            )*];

            /// Sets one of this struct's own options; `Unknown` for any other name.
            fn set_own(&mut self, name: &str, value: OptionValue) -> Result<(), OptionError> {
                $(
                    if name == stringify!($field) {
                        self.$field = <$codec as OptionCodec>::decode(stringify!($field), value)?;
                        return Ok(());
                    }
                )*
                Err(unknown(name, Self::OPTIONS.iter()))
            }
        }
    };
}

options! {
    /// Settings of `import customers` (Zynk's ImportCustomers task): how an account is found
    /// or its reference generated; `Default` is the sample workflow's task 2.
    pub struct CustomerImportOptions {
        /// The encoding of the success and fail files (UTF-8 when `None`), from the
        /// statement's `encoding` option.
        nested encoding: Option<crate::xml_input::OutputEncoding>,
        reference_convention: Word<ReferenceConvention> = ReferenceConvention::CompanyOtherwiseFullname,
            "AccountReferenceConvention", "which name gives the letters of a generated account reference";
        auto_reference: Flag = true,
            "AutoGenerateAccountReference", "generate an account reference when none is given or found";
        alpha_length: Count = 3,
            "AlphabeticLength", "letters at the start of a generated reference";
        numeric_length: Count = 3,
            "NumericLength", "zero-padded digits after the letters";
        mask: Text = String::new(),
            "Mask", "template for generated references: each ? takes the next generated character; without ? it is a prefix";
        match_fields: Fields = Vec::new(),
            "MatchFields", "fields that must all be equal to reuse an existing account when no reference is given, e.g. \"email, postcode\"";
        multiple_delivery_addresses: Flag = false,
            "CreateMultipleDeliveryAddresses", "add a delivery address record for each new delivery address";
    }
}

options! {
    /// Settings of `import sales orders` (Zynk's ImportSalesOrders task); `Default` is the
    /// sample workflow's task 3.
    pub struct SalesOrderImportOptions {
        /// The account options shared with `import customers`, used to find or create the
        /// order's account.
        nested customer: CustomerImportOptions,
        auto_create_customer: Flag = false,
            "AutoCreateCustomer", "create a missing account from the order's address (else the order fails)";
        auto_create_products: Flag = true,
            "AutoCreateProducts", "create a stock record for an unknown Sku (else the order fails)";
        default_product: Text = "S1".to_string(),
            "DefaultProductCode", "product code for a line with no Sku";
        prevent_duplicates: Flag = true,
            "PreventDuplicates", "never import an order whose Id was already imported (see `duplicates`)";
        duplicates: Word<Duplicates> = Duplicates::Resend,
            "(extension)", "what happens to an order already imported: back to the success file with the number it was given, counted as already imported, or, with `fail`, to the fail file as in Zynk";
        manual_order_numbers: Flag = false,
            "UseManualSalesOrderNumber", "use SalesOrderNumber from the XML instead of the ledger's next number";
        allocate_stock: Flag = false,
            "AutoAllocateStock", "allocate free stock to stock lines";
        prices_include_tax: Flag = false,
            "PricesIncludeTax", "unit prices include VAT (an order's VatInclusive wins)";
        default_bank_account: Text = "1200".to_string(),
            "DefaultBankAccount", "bank nominal code for payments without BankAccount";
        default_account: MaybeText = None,
            "(extension)", "account for orders with neither AccountReference nor CustomerId";
        default_tax_code: TaxCodeId = 1,
            "(ledger product default)", "tax code of a line when neither the XML nor the product gives one";
    }
}

options! {
    /// Settings of `import products` (Sage 50's Import Products: stock records created or
    /// updated by stock code).
    pub struct ProductImportOptions {
        /// The encoding of the success and fail files (UTF-8 when `None`).
        nested encoding: Option<crate::xml_input::OutputEncoding>,
        create_new: Flag = true,
            "(extension)", "create a stock record for a Sku the ledger does not have (else the record fails)";
        update_existing: Flag = true,
            "(extension)", "update the stock record of a Sku the ledger has (else the record fails)";
        quantities: Word<Quantities> = Quantities::Always,
            "(extension)", "which records take QtyInStock and QtyOnOrder from the file (a change to QtyInStock is posted as a stock adjustment: O/Bal for a new record, Stock take for an existing one)";
        default_tax_code: TaxCodeId = 1,
            "(ledger product default)", "tax code of a new stock record whose file gives none";
        default_nominal: MaybeText = None,
            "(ledger product default)", "sales nominal code of a new stock record whose file gives none (else the ledger's default_sales_nominal)";
    }
}

options! {
    /// Settings of `import stock transactions` (Sage 50 stock adjustments in and out).
    pub struct StockTransactionImportOptions {
        /// The encoding of the success and fail files (UTF-8 when `None`).
        nested encoding: Option<crate::xml_input::OutputEncoding>,
        prevent_duplicates: Flag = true,
            "PreventDuplicates", "never post a movement twice: one whose Id (else whose content) was posted before by this workflow is not posted again (see `duplicates`)";
        duplicates: Word<Duplicates> = Duplicates::Resend,
            "(extension)", "what happens to a movement already posted: back to the success file with its StockTransactionNumber, counted as already imported, or, with `fail`, to the fail file";
        allow_negative_stock: Flag = true,
            "(Sage: allow negative stock)", "let an out movement take the quantity in stock below zero, with a warning (else the record fails)";
    }
}

impl ProductImportOptions {
    /// Sets option `name` from a script value.
    pub fn set(&mut self, name: &str, value: OptionValue) -> Result<(), OptionError> {
        self.set_own(name, value)
    }

    /// Every option of `import products`.
    pub fn specs() -> Vec<&'static OptionSpec> {
        Self::OPTIONS.iter().collect()
    }
}

impl StockTransactionImportOptions {
    /// Sets option `name` from a script value.
    pub fn set(&mut self, name: &str, value: OptionValue) -> Result<(), OptionError> {
        self.set_own(name, value)
    }

    /// Every option of `import stock transactions`.
    pub fn specs() -> Vec<&'static OptionSpec> {
        Self::OPTIONS.iter().collect()
    }
}

impl CustomerImportOptions {
    /// Sets option `name` from a script value.
    pub fn set(&mut self, name: &str, value: OptionValue) -> Result<(), OptionError> {
        self.set_own(name, value)
    }

    /// Every option of `import customers`.
    pub fn specs() -> Vec<&'static OptionSpec> {
        Self::OPTIONS.iter().collect()
    }
}

impl SalesOrderImportOptions {
    /// Sets option `name` from a script value.
    pub fn set(&mut self, name: &str, value: OptionValue) -> Result<(), OptionError> {
        if CustomerImportOptions::OPTIONS
            .iter()
            .any(|s| s.name == name)
        {
            return self.customer.set(name, value);
        }
        self.set_own(name, value)
            .map_err(|e| e.suggest_from(Self::specs().into_iter()))
    }

    /// Every option of `import sales orders`: the account options, then its own.
    pub fn specs() -> Vec<&'static OptionSpec> {
        CustomerImportOptions::OPTIONS
            .iter()
            .chain(Self::OPTIONS)
            .collect()
    }
}

/// The Markdown table of `specs` for `docs/ledger.md` (a test keeps the docs in step).
#[must_use]
pub fn options_markdown(specs: &[&OptionSpec]) -> String {
    let mut out =
        String::from("| Option | Default | Zynk setting | Meaning |\n|---|---|---|---|\n");
    for spec in specs {
        let values = match spec.kind {
            OptionKind::Enum(words) | OptionKind::List(words) => format!(
                " ({})",
                words
                    .iter()
                    .map(|w| format!("`{w}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            _ => String::new(),
        };
        let _ = writeln!(
            out,
            "| `{}` | `{}` | `{}` | {}{values} |",
            spec.name,
            (spec.default)(),
            spec.zynk,
            spec.doc
        );
    }
    out
}

/// An option could not be set.
#[derive(Debug, Clone, PartialEq, thiserror::Error, miette::Diagnostic)]
pub enum OptionError {
    /// The option name is not known, e.g. `aplha_length`.
    #[error("unknown option `{name}`")]
    #[diagnostic(code(zynk::import::unknown_option), help("{}", suggestion_help(.suggestion)))]
    Unknown {
        /// What was written.
        name: String,
        /// The closest known option, if any is close.
        suggestion: Option<String>,
    },
    /// The value has the wrong type, e.g. `alpha_length = "three"`.
    #[error("option `{name}` takes {expected}")]
    #[diagnostic(code(zynk::import::option_type), help("write a value of that type"))]
    WrongType {
        /// The option.
        name: &'static str,
        /// What it takes.
        expected: &'static str,
    },
    /// The value is not one of the allowed words, e.g. `reference_convention = company`.
    #[error("`{value}` is not a valid `{name}`")]
    #[diagnostic(code(zynk::import::option_value), help("use one of: {choices}"))]
    BadValue {
        /// The option.
        name: &'static str,
        /// What was given.
        value: String,
        /// Allowed values, comma separated.
        choices: String,
    },
}

impl OptionError {
    /// An `Unknown` error with its suggestion taken from `specs`.
    fn suggest_from<'a>(self, specs: impl Iterator<Item = &'a OptionSpec>) -> OptionError {
        match self {
            OptionError::Unknown { name, .. } => unknown(&name, specs),
            other => other,
        }
    }
}

fn unknown<'a>(name: &str, specs: impl Iterator<Item = &'a OptionSpec>) -> OptionError {
    OptionError::Unknown {
        name: name.to_string(),
        suggestion: crate::suggest::closest(name, specs.map(|s| s.name)),
    }
}

fn suggestion_help(s: &Option<String>) -> String {
    match s {
        Some(s) => format!("did you mean `{s}`?"),
        None => "see `docs/ledger.md` for the options".to_string(),
    }
}

fn camel_to_snake(text: &str) -> String {
    let mut out = String::new();
    for (i, c) in text.trim().chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 && !out.ends_with('_') {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn wrong_type(name: &'static str, kind: OptionKind) -> OptionError {
    OptionError::WrongType {
        name,
        expected: match kind {
            OptionKind::Bool => "true or false",
            OptionKind::Int => "a whole number of 0 or more",
            OptionKind::TaxCode => "a tax code such as \"T1\"",
            OptionKind::Text | OptionKind::Enum(_) => "a word or string",
            OptionKind::List(_) => "a list",
        },
    }
}

fn bad_value(name: &'static str, kind: OptionKind, value: &str) -> OptionError {
    let choices = match kind {
        OptionKind::Enum(c) | OptionKind::List(c) => c.join(", "),
        _ => String::new(),
    };
    OptionError::BadValue {
        name,
        value: value.to_string(),
        choices,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_follow_the_sample_workflow() {
        let c = CustomerImportOptions::default();
        assert!(c.auto_reference);
        assert_eq!((c.alpha_length, c.numeric_length), (3, 3));
        let o = SalesOrderImportOptions::default();
        assert!(o.prevent_duplicates && o.auto_create_products && !o.auto_create_customer);
        assert_eq!(o.default_product, "S1");
        assert_eq!(o.default_bank_account, "1200");
        assert_eq!(o.duplicates, Duplicates::Resend);
    }

    #[test]
    fn every_declared_default_reads_back_as_the_default() {
        let specs = SalesOrderImportOptions::specs();
        assert_eq!(specs.len(), 18);
        let mut names: Vec<&str> = specs.iter().map(|s| s.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), specs.len(), "an option is declared twice");
        for spec in specs {
            let text = (spec.default)();
            let value = match spec.kind {
                OptionKind::Bool => OptionValue::Bool(text == "true"),
                OptionKind::Int => OptionValue::Int(text.parse().unwrap_or(-1)),
                _ if text == "none" => OptionValue::Text(String::new()),
                _ => OptionValue::Text(text.trim_matches('"').to_string()),
            };
            let mut o = SalesOrderImportOptions::default();
            assert_eq!(o.set(spec.name, value), Ok(()), "{}", spec.name);
            assert_eq!(o, SalesOrderImportOptions::default(), "{}", spec.name);
        }
    }

    #[test]
    fn options_are_set_by_name_with_suggestions() {
        let mut o = SalesOrderImportOptions::default();
        assert!(o.set("alpha_length", OptionValue::Int(4)).is_ok());
        assert_eq!(o.customer.alpha_length, 4);
        assert!(
            o.set(
                "reference_convention",
                OptionValue::Text("SurnameForename".into())
            )
            .is_ok()
        );
        assert_eq!(
            o.customer.reference_convention,
            ReferenceConvention::SurnameForename
        );
        assert!(
            o.set(
                "match_fields",
                OptionValue::List(vec!["email".into(), "postcode".into()])
            )
            .is_ok()
        );
        assert_eq!(
            o.customer.match_fields,
            vec![MatchField::Email, MatchField::Postcode]
        );
        assert_eq!(
            o.set("aplha_length", OptionValue::Int(4)),
            Err(OptionError::Unknown {
                name: "aplha_length".into(),
                suggestion: Some("alpha_length".into())
            })
        );
        assert!(matches!(
            o.set("allocate_stock", OptionValue::Int(1)),
            Err(OptionError::WrongType { .. })
        ));
        assert!(matches!(
            o.set("match_fields", OptionValue::List(vec!["shoe".into()])),
            Err(OptionError::BadValue { .. })
        ));
        assert!(
            o.set("default_tax_code", OptionValue::Text("T5".into()))
                .is_ok()
        );
        assert_eq!(o.default_tax_code, 5);
        assert!(matches!(
            o.set("default_tax_code", OptionValue::Int(100)),
            Err(OptionError::BadValue { .. })
        ));
        assert!(
            o.set("duplicates", OptionValue::Text("fail".into()))
                .is_ok()
        );
        assert_eq!(o.duplicates, Duplicates::Fail);
        // The last option of a table is set only by its own name.
        let mut c = CustomerImportOptions::default();
        assert!(c.set("mask", OptionValue::Bool(true)).is_err());
        assert!(!c.multiple_delivery_addresses);
    }
}
