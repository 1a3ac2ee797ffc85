//! Test helpers: a ledger and state store in a temp dir, XML builders and file readers.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use zynk::connect::{Node, read_all};
use zynk::ledger::{
    CustomerImportOptions, ImportError, ImportReport, Ledger, SalesOrderImportOptions,
    import_customers, import_sales_orders,
};
use zynk::ledger::{
    InvoiceImportOptions, TransactionImportOptions, import_invoices, import_transactions,
};
use zynk::state::StateStore;

pub type TestResult = Result<(), Box<dyn std::error::Error>>;

pub const WORKFLOW: &str = "Website Script Based Sage 50 Integration";

/// A fresh ledger and state store in a temp dir.
pub struct Env {
    pub dir: tempfile::TempDir,
    pub ledger: Ledger,
    pub state: StateStore,
}

impl Env {
    pub fn new() -> Result<Env, Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let ledger = Ledger::open(&dir.path().join("data/ledger.sqlite"))?;
        let state = StateStore::open(&dir.path().join("data/state.sqlite"))?;
        Ok(Env { dir, ledger, state })
    }

    /// A fresh ledger holding one account, ABC001 (`ABC Ltd`, website customer 1001).
    pub fn with_abc001() -> Result<Env, Box<dyn std::error::Error>> {
        let mut env = Env::new()?;
        let c = env.write(
            "c.xml",
            &format!(
                "<Customers>{}</Customers>",
                customer(
                    "1001",
                    "ABC Ltd",
                    "<AccountReference>ABC001</AccountReference>"
                )
            ),
        )?;
        env.customers(&c, &CustomerImportOptions::default())?;
        Ok(env)
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join("work").join(name)
    }

    /// Writes `body` wrapped in a `<Company>` document.
    pub fn write(&self, name: &str, body: &str) -> Result<PathBuf, std::io::Error> {
        let path = self.path(name);
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p)?;
        }
        std::fs::write(
            &path,
            format!(
                "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Company xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\">\n{body}\n</Company>\n"
            ),
        )?;
        Ok(path)
    }

    pub fn customers(
        &mut self,
        input: &Path,
        opts: &CustomerImportOptions,
    ) -> Result<Outcome, ImportError> {
        let (s, f) = (
            self.path("customer_success.xml"),
            self.path("customer_fail.xml"),
        );
        let report =
            import_customers(&mut self.ledger, &self.state, WORKFLOW, input, &s, &f, opts)?;
        Ok(Outcome::read(report, &s, &f, "Customers", "Customer"))
    }

    pub fn orders(
        &mut self,
        input: &Path,
        opts: &SalesOrderImportOptions,
    ) -> Result<Outcome, ImportError> {
        let (s, f) = (
            self.path("salesorder_success.xml"),
            self.path("salesorder_fail.xml"),
        );
        let report =
            import_sales_orders(&mut self.ledger, &self.state, WORKFLOW, input, &s, &f, opts)?;
        Ok(Outcome::read(report, &s, &f, "SalesOrders", "SalesOrder"))
    }
}

impl Env {
    pub fn invoices(
        &mut self,
        input: &Path,
        opts: &InvoiceImportOptions,
    ) -> Result<Outcome, ImportError> {
        let (s, f) = (
            self.path("invoice_success.xml"),
            self.path("invoice_fail.xml"),
        );
        let report = import_invoices(&mut self.ledger, &self.state, WORKFLOW, input, &s, &f, opts)?;
        Ok(Outcome::read(report, &s, &f, "Invoices", "Invoice"))
    }

    pub fn transactions(
        &mut self,
        input: &Path,
        opts: &TransactionImportOptions,
    ) -> Result<Outcome, ImportError> {
        let (s, f) = (
            self.path("transaction_success.xml"),
            self.path("transaction_fail.xml"),
        );
        let report =
            import_transactions(&mut self.ledger, &self.state, WORKFLOW, input, &s, &f, opts)?;
        Ok(Outcome::read(report, &s, &f, "Transactions", "Transaction"))
    }

    /// A customer's balance, 0 when the account does not exist.
    pub fn balance(&self, account: &str) -> f64 {
        self.ledger
            .customer_balance(account)
            .ok()
            .flatten()
            .unwrap_or(f64::NAN)
    }
}

/// An `<Invoice>` for `account` with the given `<Item>`s and extra elements.
pub fn invoice(id: &str, account: &str, items: &str, extra: &str) -> String {
    format!(
        "<Invoice><Id>{id}</Id><AccountReference>{account}</AccountReference><InvoiceDate>2024-03-01T10:00:00</InvoiceDate>{extra}<InvoiceItems>{items}</InvoiceItems></Invoice>"
    )
}

/// An import's report plus the records of its success and fail files.
pub struct Outcome {
    pub report: ImportReport,
    pub success: Vec<Node>,
    pub fail: Vec<Node>,
    pub success_text: String,
    pub fail_text: String,
}

impl Outcome {
    fn read(report: ImportReport, s: &Path, f: &Path, collection: &str, record: &str) -> Outcome {
        Outcome {
            report,
            success: read_all(s, collection, record).unwrap_or_default(),
            fail: read_all(f, collection, record).unwrap_or_default(),
            success_text: std::fs::read_to_string(s).unwrap_or_default(),
            fail_text: std::fs::read_to_string(f).unwrap_or_default(),
        }
    }

    /// The `Errors/Error/Description` of failed record `i`.
    pub fn error(&self, i: usize) -> String {
        self.fail
            .get(i)
            .and_then(|n| n.child("Errors"))
            .and_then(|e| e.child("Error"))
            .and_then(|e| e.text_of("Description"))
            .unwrap_or("")
            .to_string()
    }
}

/// A fixture copied from the Zynk samples.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/connect")
        .join(name)
}

/// A `<Customer>` with an invoice address.
pub fn customer(id: &str, company: &str, extra: &str) -> String {
    format!(
        "<Customer><Id>{id}</Id><CompanyName>{company}</CompanyName>{extra}<CustomerInvoiceAddress><Forename>Ann</Forename><Surname>Smith</Surname><Address1>1 High St</Address1><Town>Leeds</Town><Postcode>LS1 1AA</Postcode><Country>GB</Country><Email>{id}@example.com</Email></CustomerInvoiceAddress></Customer>"
    )
}

/// A `<SalesOrder>` for `account` with the given `<Item>`s and extra elements.
pub fn order(id: &str, account: &str, items: &str, extra: &str) -> String {
    format!(
        "<SalesOrder><Id>{id}</Id><AccountReference>{account}</AccountReference><SalesOrderDate>2024-03-01T10:00:00</SalesOrderDate>{extra}<SalesOrderItems>{items}</SalesOrderItems></SalesOrder>"
    )
}

/// An `<Item>`.
pub fn item(sku: &str, qty: f64, price: f64, extra: &str) -> String {
    format!(
        "<Item><Sku>{sku}</Sku><QtyOrdered>{qty}</QtyOrdered><UnitPrice>{price}</UnitPrice>{extra}</Item>"
    )
}
