//! Import and export options: Zynk's settings under their `.zynk` names, with Zynk's defaults.

/// Which text gives the letters of an auto-generated account reference (Zynk's
/// `AccountReferenceConvention`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReferenceConvention {
    /// `company_otherwise_fullname`: company name, else Title Forename Middlename Surname Suffix.
    #[default]
    CompanyOtherwiseFullname,
    /// `company_otherwise_forename_surname`: company name, else Forename Surname.
    CompanyOtherwiseForenameSurname,
    /// `company_otherwise_surname_forename`: company name, else Surname Forename.
    CompanyOtherwiseSurnameForename,
    /// `forename_surname`: Forename Surname.
    ForenameSurname,
    /// `surname_forename`: Surname Forename.
    SurnameForename,
}

impl ReferenceConvention {
    /// Every convention with its `.zynk` spelling.
    pub const ALL: &'static [(&'static str, ReferenceConvention)] = &[
        (
            "company_otherwise_fullname",
            ReferenceConvention::CompanyOtherwiseFullname,
        ),
        (
            "company_otherwise_forename_surname",
            ReferenceConvention::CompanyOtherwiseForenameSurname,
        ),
        (
            "company_otherwise_surname_forename",
            ReferenceConvention::CompanyOtherwiseSurnameForename,
        ),
        ("forename_surname", ReferenceConvention::ForenameSurname),
        ("surname_forename", ReferenceConvention::SurnameForename),
    ];

    /// Parses the `.zynk` spelling (Zynk's own CamelCase spelling is accepted too).
    pub fn parse(text: &str) -> Option<ReferenceConvention> {
        let snake = camel_to_snake(text);
        Self::ALL
            .iter()
            .find(|(name, _)| *name == snake)
            .map(|(_, c)| *c)
    }

    /// The `.zynk` spelling.
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, c)| *c == self)
            .map_or("company_otherwise_fullname", |(n, _)| n)
    }
}

/// A field compared to find an existing account (Zynk's "Match Accounts On").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchField {
    /// `company_name`: account name.
    CompanyName,
    /// `telephone`
    Telephone,
    /// `mobile`: Telephone 2.
    Mobile,
    /// `fax`
    Fax,
    /// `email`
    Email,
    /// `website`
    Website,
    /// `postcode`: address line 5.
    Postcode,
}

impl MatchField {
    /// Every match field with its `.zynk` spelling.
    pub const ALL: &'static [(&'static str, MatchField)] = &[
        ("company_name", MatchField::CompanyName),
        ("telephone", MatchField::Telephone),
        ("mobile", MatchField::Mobile),
        ("fax", MatchField::Fax),
        ("email", MatchField::Email),
        ("website", MatchField::Website),
        ("postcode", MatchField::Postcode),
    ];

    /// Parses the `.zynk` spelling (also Zynk's `CompanyName`, `Company Name`).
    pub fn parse(text: &str) -> Option<MatchField> {
        let snake = camel_to_snake(&text.replace(' ', ""));
        Self::ALL.iter().find(|(n, _)| *n == snake).map(|(_, f)| *f)
    }

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

/// Settings of `import customers` (Zynk's ImportCustomers task); `Default` is the sample
/// workflow's task 2.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerImportOptions {
    /// `.zynk` option `reference_convention` (Zynk `AccountReferenceConvention`); default
    /// `company_otherwise_fullname`.
    pub reference_convention: ReferenceConvention,
    /// `.zynk` option `auto_reference` (Zynk `AutoGenerateAccountReference`); default `true`.
    pub auto_reference: bool,
    /// `.zynk` option `alpha_length` (Zynk `AlphabeticLength`): letters at the start of a
    /// generated reference; default 3.
    pub alpha_length: u32,
    /// `.zynk` option `numeric_length` (Zynk `NumericLength`): zero-padded digits after the
    /// letters; default 3.
    pub numeric_length: u32,
    /// `.zynk` option `mask` (Zynk `Mask`): `?` marks where generated characters go; a mask
    /// without `?` is a prefix; default empty.
    pub mask: String,
    /// `.zynk` option `match_fields` (Zynk `MatchFields`): all must be equal to reuse an
    /// existing account; default empty (no matching).
    pub match_fields: Vec<MatchField>,
    /// `.zynk` option `multiple_delivery_addresses` (Zynk `CreateMultipleDeliveryAddresses`):
    /// add a delivery address record for each new delivery address; default `false`.
    pub multiple_delivery_addresses: bool,
}

impl Default for CustomerImportOptions {
    fn default() -> Self {
        CustomerImportOptions {
            reference_convention: ReferenceConvention::CompanyOtherwiseFullname,
            auto_reference: true,
            alpha_length: 3,
            numeric_length: 3,
            mask: String::new(),
            match_fields: Vec::new(),
            multiple_delivery_addresses: false,
        }
    }
}

/// Settings of `import sales orders` (Zynk's ImportSalesOrders task); `Default` is the sample
/// workflow's task 3.
#[derive(Debug, Clone, PartialEq)]
pub struct SalesOrderImportOptions {
    /// The account settings shared with `import customers` (`reference_convention`,
    /// `auto_reference`, `alpha_length`, `numeric_length`, `mask`, `match_fields`,
    /// `multiple_delivery_addresses`), used to find or create the order's account.
    pub customer: CustomerImportOptions,
    /// `.zynk` option `auto_create_products` (Zynk `AutoCreateProducts`): create a stock
    /// record for an unknown Sku; default `true`.
    pub auto_create_products: bool,
    /// `.zynk` option `default_product` (Zynk `DefaultProductCode`): code for a line with no
    /// Sku; default `S1`.
    pub default_product: String,
    /// `.zynk` option `auto_create_customer` (Zynk `AutoCreateCustomer`): create a missing
    /// account from the order address; default `false` (the order fails).
    pub auto_create_customer: bool,
    /// `.zynk` option `prices_include_tax` (Zynk `PricesIncludeTax`): unit prices are gross;
    /// default `false`. An order's own `VatInclusive` wins.
    pub prices_include_tax: bool,
    /// `.zynk` option `prevent_duplicates` (Zynk `PreventDuplicates`): an order whose Id is
    /// already in the truth table goes to the fail file; default `true`.
    pub prevent_duplicates: bool,
    /// `.zynk` option `manual_order_numbers` (Zynk `UseManualSalesOrderNumber`): take
    /// `SalesOrderNumber` from the XML; default `false` (the ledger numbers orders).
    pub manual_order_numbers: bool,
    /// `.zynk` option `allocate_stock` (Zynk `AutoAllocateStock`): allocate free stock to
    /// stock lines; default `false`.
    pub allocate_stock: bool,
    /// `.zynk` option `default_bank_account` (Zynk `DefaultBankAccount`): bank nominal code
    /// for payments without `BankAccount`; default `1200`.
    pub default_bank_account: String,
    /// `.zynk` option `default_account` (extension, open question 27): account for orders
    /// with neither `AccountReference` nor `CustomerId`; default none.
    pub default_account: Option<String>,
    /// `.zynk` option `default_tax_code` (the ledger's product default tax code): used for a
    /// line when neither the XML nor the product gives one; default 1 (T1).
    pub default_tax_code: i64,
}

impl Default for SalesOrderImportOptions {
    fn default() -> Self {
        SalesOrderImportOptions {
            customer: CustomerImportOptions::default(),
            auto_create_products: true,
            default_product: "S1".to_string(),
            auto_create_customer: false,
            prices_include_tax: false,
            prevent_duplicates: true,
            manual_order_numbers: false,
            allocate_stock: false,
            default_bank_account: "1200".to_string(),
            default_account: None,
            default_tax_code: 1,
        }
    }
}

/// The type of an option's value, for the checker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionKind {
    /// `true` / `false`.
    Bool,
    /// A whole number ≥ 0.
    Int,
    /// Free text.
    Text,
    /// One of the listed words.
    Enum(&'static [&'static str]),
    /// A list of the listed words.
    List(&'static [&'static str]),
}

/// One option as the language offers it: name, type, default, Zynk setting and meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OptionSpec {
    /// `.zynk` name.
    pub name: &'static str,
    /// Value type.
    pub kind: OptionKind,
    /// Default, as it would be written in a script.
    pub default: &'static str,
    /// The Zynk `.wkf` setting it mirrors.
    pub zynk: &'static str,
    /// One-line meaning.
    pub doc: &'static str,
}

const CONVENTIONS: &[&str] = &[
    "company_otherwise_fullname",
    "company_otherwise_forename_surname",
    "company_otherwise_surname_forename",
    "forename_surname",
    "surname_forename",
];
const MATCH_FIELDS: &[&str] = &[
    "company_name",
    "telephone",
    "mobile",
    "fax",
    "email",
    "website",
    "postcode",
];

/// Options of `import customers`.
pub const CUSTOMER_IMPORT_OPTIONS: &[OptionSpec] = &[
    OptionSpec {
        name: "reference_convention",
        kind: OptionKind::Enum(CONVENTIONS),
        default: "company_otherwise_fullname",
        zynk: "AccountReferenceConvention",
        doc: "which name gives the letters of a generated account reference",
    },
    OptionSpec {
        name: "auto_reference",
        kind: OptionKind::Bool,
        default: "true",
        zynk: "AutoGenerateAccountReference",
        doc: "generate an account reference when none is given or found",
    },
    OptionSpec {
        name: "alpha_length",
        kind: OptionKind::Int,
        default: "3",
        zynk: "AlphabeticLength",
        doc: "letters at the start of a generated reference",
    },
    OptionSpec {
        name: "numeric_length",
        kind: OptionKind::Int,
        default: "3",
        zynk: "NumericLength",
        doc: "zero-padded digits after the letters",
    },
    OptionSpec {
        name: "mask",
        kind: OptionKind::Text,
        default: "\"\"",
        zynk: "Mask",
        doc: "template: each ? takes the next generated character; without ? it is a prefix",
    },
    OptionSpec {
        name: "match_fields",
        kind: OptionKind::List(MATCH_FIELDS),
        default: "[]",
        zynk: "MatchFields",
        doc: "fields that must all be equal to reuse an existing account",
    },
    OptionSpec {
        name: "multiple_delivery_addresses",
        kind: OptionKind::Bool,
        default: "false",
        zynk: "CreateMultipleDeliveryAddresses",
        doc: "add a delivery address record for each new delivery address",
    },
];

/// Options of `import sales orders` (the customer options above apply too).
pub const SALES_ORDER_IMPORT_OPTIONS: &[OptionSpec] = &[
    OptionSpec {
        name: "reference_convention",
        kind: OptionKind::Enum(CONVENTIONS),
        default: "company_otherwise_fullname",
        zynk: "AccountReferenceConvention",
        doc: "which name gives the letters of a generated account reference",
    },
    OptionSpec {
        name: "auto_reference",
        kind: OptionKind::Bool,
        default: "true",
        zynk: "AutoGenerateAccountReference",
        doc: "generate an account reference when none is given or found",
    },
    OptionSpec {
        name: "alpha_length",
        kind: OptionKind::Int,
        default: "3",
        zynk: "AlphabeticLength",
        doc: "letters at the start of a generated reference",
    },
    OptionSpec {
        name: "numeric_length",
        kind: OptionKind::Int,
        default: "3",
        zynk: "NumericLength",
        doc: "zero-padded digits after the letters",
    },
    OptionSpec {
        name: "mask",
        kind: OptionKind::Text,
        default: "\"\"",
        zynk: "Mask",
        doc: "template: each ? takes the next generated character; without ? it is a prefix",
    },
    OptionSpec {
        name: "match_fields",
        kind: OptionKind::List(MATCH_FIELDS),
        default: "[]",
        zynk: "MatchFields",
        doc: "fields that must all be equal to reuse an existing account",
    },
    OptionSpec {
        name: "multiple_delivery_addresses",
        kind: OptionKind::Bool,
        default: "false",
        zynk: "CreateMultipleDeliveryAddresses",
        doc: "add a delivery address record for each new delivery address",
    },
    OptionSpec {
        name: "auto_create_products",
        kind: OptionKind::Bool,
        default: "true",
        zynk: "AutoCreateProducts",
        doc: "create a stock record for an unknown Sku (else the order fails)",
    },
    OptionSpec {
        name: "default_product",
        kind: OptionKind::Text,
        default: "\"S1\"",
        zynk: "DefaultProductCode",
        doc: "product code for a line with no Sku",
    },
    OptionSpec {
        name: "auto_create_customer",
        kind: OptionKind::Bool,
        default: "false",
        zynk: "AutoCreateCustomer",
        doc: "create a missing account from the order's address (else the order fails)",
    },
    OptionSpec {
        name: "prices_include_tax",
        kind: OptionKind::Bool,
        default: "false",
        zynk: "PricesIncludeTax",
        doc: "unit prices include VAT",
    },
    OptionSpec {
        name: "prevent_duplicates",
        kind: OptionKind::Bool,
        default: "true",
        zynk: "PreventDuplicates",
        doc: "an order whose Id was already imported goes to the fail file",
    },
    OptionSpec {
        name: "manual_order_numbers",
        kind: OptionKind::Bool,
        default: "false",
        zynk: "UseManualSalesOrderNumber",
        doc: "use SalesOrderNumber from the XML instead of the next ledger number",
    },
    OptionSpec {
        name: "allocate_stock",
        kind: OptionKind::Bool,
        default: "false",
        zynk: "AutoAllocateStock",
        doc: "allocate free stock to stock lines",
    },
    OptionSpec {
        name: "default_bank_account",
        kind: OptionKind::Text,
        default: "\"1200\"",
        zynk: "DefaultBankAccount",
        doc: "bank nominal code for payments without BankAccount",
    },
    OptionSpec {
        name: "default_account",
        kind: OptionKind::Text,
        default: "none",
        zynk: "(extension)",
        doc: "account for orders with neither AccountReference nor CustomerId",
    },
    OptionSpec {
        name: "default_tax_code",
        kind: OptionKind::Int,
        default: "1",
        zynk: "(ledger product default)",
        doc: "tax code of a line when neither the XML nor the product gives one",
    },
];

/// Options of `export stock` (the mode `all|new|modified` is part of the statement).
pub const EXPORT_STOCK_OPTIONS: &[OptionSpec] = &[OptionSpec {
    name: "published_only",
    kind: OptionKind::Bool,
    default: "false",
    zynk: "ExportPublished",
    doc: "export only products with Publish to Web set",
}];

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
        suggestion: Option<&'static str>,
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

fn suggestion_help(s: &Option<&'static str>) -> String {
    match s {
        Some(s) => format!("did you mean `{s}`?"),
        None => "see `docs/ledger.md` for the options".to_string(),
    }
}

impl CustomerImportOptions {
    /// Sets option `name` from a script value.
    pub fn set(&mut self, name: &str, value: OptionValue) -> Result<(), OptionError> {
        let spec = find(CUSTOMER_IMPORT_OPTIONS, name)?;
        match spec.name {
            "reference_convention" => {
                let text = as_text(spec, value)?;
                self.reference_convention =
                    ReferenceConvention::parse(&text).ok_or_else(|| bad_value(spec, &text))?;
            }
            "auto_reference" => self.auto_reference = as_bool(spec, value)?,
            "alpha_length" => self.alpha_length = as_u32(spec, value)?,
            "numeric_length" => self.numeric_length = as_u32(spec, value)?,
            "mask" => self.mask = as_text(spec, value)?,
            "match_fields" => {
                let items = match value {
                    OptionValue::List(items) => items,
                    OptionValue::Text(t) => t
                        .split(',')
                        .map(|s| s.trim().to_string())
                        .filter(|s| !s.is_empty())
                        .collect(),
                    _ => return Err(wrong_type(spec)),
                };
                self.match_fields = items
                    .iter()
                    .map(|i| MatchField::parse(i).ok_or_else(|| bad_value(spec, i)))
                    .collect::<Result<Vec<_>, _>>()?;
            }
            _ => self.multiple_delivery_addresses = as_bool(spec, value)?,
        }
        Ok(())
    }
}

impl SalesOrderImportOptions {
    /// Sets option `name` from a script value.
    pub fn set(&mut self, name: &str, value: OptionValue) -> Result<(), OptionError> {
        if CUSTOMER_IMPORT_OPTIONS.iter().any(|s| s.name == name) {
            return self.customer.set(name, value);
        }
        let spec = find(SALES_ORDER_IMPORT_OPTIONS, name)?;
        match spec.name {
            "auto_create_products" => self.auto_create_products = as_bool(spec, value)?,
            "default_product" => self.default_product = as_text(spec, value)?,
            "auto_create_customer" => self.auto_create_customer = as_bool(spec, value)?,
            "prices_include_tax" => self.prices_include_tax = as_bool(spec, value)?,
            "prevent_duplicates" => self.prevent_duplicates = as_bool(spec, value)?,
            "manual_order_numbers" => self.manual_order_numbers = as_bool(spec, value)?,
            "allocate_stock" => self.allocate_stock = as_bool(spec, value)?,
            "default_bank_account" => self.default_bank_account = as_text(spec, value)?,
            "default_account" => {
                let t = as_text(spec, value)?;
                self.default_account = (!t.trim().is_empty()).then_some(t);
            }
            _ => {
                let code = as_u32(spec, value)?;
                if code > 99 {
                    return Err(bad_value(spec, &code.to_string()));
                }
                self.default_tax_code = i64::from(code);
            }
        }
        Ok(())
    }
}

fn find(table: &'static [OptionSpec], name: &str) -> Result<&'static OptionSpec, OptionError> {
    table
        .iter()
        .find(|s| s.name == name)
        .ok_or_else(|| OptionError::Unknown {
            name: name.to_string(),
            suggestion: suggest(name, table.iter().map(|s| s.name)),
        })
}

/// The closest of `candidates` to `name` (edit distance at most a third of its length, min 2).
pub fn suggest(name: &str, candidates: impl Iterator<Item = &'static str>) -> Option<&'static str> {
    let limit = (name.chars().count() / 3).max(2);
    candidates
        .map(|c| (edit_distance(name, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
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

fn wrong_type(spec: &'static OptionSpec) -> OptionError {
    OptionError::WrongType {
        name: spec.name,
        expected: match spec.kind {
            OptionKind::Bool => "true or false",
            OptionKind::Int => "a whole number of 0 or more",
            OptionKind::Text | OptionKind::Enum(_) => "a word or string",
            OptionKind::List(_) => "a list",
        },
    }
}

fn bad_value(spec: &'static OptionSpec, value: &str) -> OptionError {
    let choices = match spec.kind {
        OptionKind::Enum(c) | OptionKind::List(c) => c.join(", "),
        OptionKind::Int => "0 to 99".to_string(),
        _ => String::new(),
    };
    OptionError::BadValue {
        name: spec.name,
        value: value.to_string(),
        choices,
    }
}

fn as_bool(spec: &'static OptionSpec, v: OptionValue) -> Result<bool, OptionError> {
    match v {
        OptionValue::Bool(b) => Ok(b),
        _ => Err(wrong_type(spec)),
    }
}

fn as_u32(spec: &'static OptionSpec, v: OptionValue) -> Result<u32, OptionError> {
    match v {
        OptionValue::Int(i) => u32::try_from(i).map_err(|_| wrong_type(spec)),
        _ => Err(wrong_type(spec)),
    }
}

fn as_text(spec: &'static OptionSpec, v: OptionValue) -> Result<String, OptionError> {
    match v {
        OptionValue::Text(t) => Ok(t),
        _ => Err(wrong_type(spec)),
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
                suggestion: Some("alpha_length")
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
    }
}
