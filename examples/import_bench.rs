//! Import benchmark: generates Connect XML, imports it into a fresh ledger, or does a plain
//! rusqlite bulk insert of the same rows as the speed limit. Driven by `scripts/bench/import`.
//!
//! Usage:
//!   import_bench gen DIR CUSTOMERS ORDERS   write DIR/customers.xml, DIR/orders.xml,
//!                                           DIR/invoices.xml (the orders as invoices), DIR/base.sqlite,
//!                                           DIR/empty.sqlite (a new ledger, for other importers)
//!   import_bench customers DIR              import DIR/customers.xml into a new ledger
//!   import_bench orders DIR                 import DIR/orders.xml into a copy of DIR/base.sqlite
//!   import_bench plain-customers DIR        bulk-insert the same customer rows with rusqlite
//!   import_bench plain-orders DIR           bulk-insert the same order and line rows with rusqlite
//!   import_bench invoices DIR               import DIR/invoices.xml into a copy of DIR/base.sqlite
//!   import_bench plain-invoices DIR         bulk-insert the same invoices, lines, postings and
//!                                           balance updates with rusqlite
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use zynk::connect::Product;
use zynk::ledger::{
    CustomerImportOptions, CustomerRecord, ImportError, ImportReport, InvoiceImportOptions, Ledger,
    SalesOrderImportOptions, import_customers, import_invoices, import_sales_orders,
};
use zynk::state::StateStore;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

const PRODUCTS: u64 = 1000;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["gen", dir, c, o] => generate(Path::new(dir), c.parse().unwrap_or(0), o.parse().unwrap_or(0)),
        ["customers", dir] => customers(Path::new(dir)),
        ["orders", dir] => orders(Path::new(dir)),
        ["plain-customers", dir] => plain_customers(Path::new(dir)),
        ["plain-orders", dir] => plain_orders(Path::new(dir)),
        ["invoices", dir] => invoices(Path::new(dir)),
        ["plain-invoices", dir] => plain_invoices(Path::new(dir)),
        _ => Err("usage: import_bench gen DIR CUSTOMERS ORDERS | customers DIR | orders DIR | invoices DIR | plain-customers DIR | plain-orders DIR | plain-invoices DIR".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("import_bench: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Deterministic pseudo-random numbers (xorshift64*).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n
    }
}

fn company(i: u64) -> String {
    let mut rng = Rng(i.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let letters: String = (0..3)
        .map(|_| (b'A' + rng.below(26) as u8) as char)
        .collect();
    format!("{letters}{} Trading {i}", letters.to_lowercase())
}

fn generate(dir: &Path, n_customers: u64, n_orders: u64) -> Result<()> {
    std::fs::create_dir_all(dir)?;
    let head = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Company xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\">\n";
    let mut out = BufWriter::new(std::fs::File::create(dir.join("customers.xml"))?);
    writeln!(out, "{head}  <Customers>")?;
    for i in 0..n_customers {
        write!(
            out,
            "    <Customer>\n      <Id>{i}</Id>\n      <CompanyName>{}</CompanyName>\n      <CustomerInvoiceAddress>\n        <Title>Mr</Title>\n        <Forename>Test</Forename>\n        <Surname>Person{i}</Surname>\n        <Address1>{i} High Street</Address1>\n        <Address2>Jesmond</Address2>\n        <Town>Newcastle Upon Tyne</Town>\n        <Postcode>NE1 4XF</Postcode>\n        <Country>GB</Country>\n        <Telephone>0191 123 {i:04}</Telephone>\n        <Email>customer{i}@example.com</Email>\n      </CustomerInvoiceAddress>\n      <CustomerDeliveryAddress>\n        <Company>{}</Company>\n        <Address1>{i} Low Street</Address1>\n        <Town>Gateshead</Town>\n        <Postcode>NE8 1AA</Postcode>\n        <Country>GB</Country>\n      </CustomerDeliveryAddress>\n      <Currency>GBP</Currency>\n      <TermsAgreed>true</TermsAgreed>\n    </Customer>\n",
            company(i),
            company(i)
        )?;
    }
    write!(out, "  </Customers>\n</Company>\n")?;
    out.flush()?;

    let accounts = n_customers.clamp(1, 10_000);
    let mut rng = Rng(42);
    let mut out = BufWriter::new(std::fs::File::create(dir.join("orders.xml"))?);
    writeln!(out, "{head}  <SalesOrders>")?;
    for i in 0..n_orders {
        let account = format!("C{:07}", i % accounts);
        write!(
            out,
            "    <SalesOrder>\n      <Id>{i}</Id>\n      <CustomerId>{}</CustomerId>\n      <AccountReference>{account}</AccountReference>\n      <SalesOrderDate>2024-03-01T10:00:00</SalesOrderDate>\n      <SalesOrderAddress>\n        <Forename>Test</Forename>\n        <Surname>Person</Surname>\n        <Company>Shop {account}</Company>\n        <Address1>1 High Street</Address1>\n        <Town>Leeds</Town>\n        <Postcode>LS1 1AA</Postcode>\n        <Telephone>0113 000 0000</Telephone>\n      </SalesOrderAddress>\n      <SalesOrderItems>\n",
            i % accounts
        )?;
        for _ in 0..3 {
            let sku = format!("P{:04}", rng.below(PRODUCTS));
            write!(
                out,
                "        <Item>\n          <Sku>{sku}</Sku>\n          <Name>Product {sku}</Name>\n          <QtyOrdered>{}</QtyOrdered>\n          <UnitPrice>{}.{:02}</UnitPrice>\n          <TaxCode>1</TaxCode>\n        </Item>\n",
                1 + rng.below(5),
                1 + rng.below(200),
                rng.below(100)
            )?;
        }
        write!(
            out,
            "      </SalesOrderItems>\n      <Carriage>\n        <Sku>CARR</Sku>\n        <QtyOrdered>1</QtyOrdered>\n        <UnitPrice>4.95</UnitPrice>\n        <TaxCode>1</TaxCode>\n      </Carriage>\n      <TakenBy>Web</TakenBy>\n      <PaymentRef>CARD</PaymentRef>\n      <PaymentAmount>10</PaymentAmount>\n      <PaymentType>SalesReceipt</PaymentType>\n    </SalesOrder>\n"
        )?;
    }
    write!(out, "  </SalesOrders>\n</Company>\n")?;
    out.flush()?;
    invoices_from_orders(dir)?;

    let base = dir.join("base.sqlite");
    let _ = std::fs::remove_file(&base);
    let ledger = Ledger::open(&base)?;
    ledger.connection().execute_batch("BEGIN")?;
    for i in 0..accounts {
        ledger.insert_customer(&CustomerRecord {
            account_ref: format!("C{i:07}"),
            name: Some(format!("Shop C{i:07}")),
            ..Default::default()
        })?;
    }
    for p in 0..PRODUCTS {
        ledger.upsert_product(&Product {
            sku: format!("P{p:04}"),
            name: Some(format!("Product {p}")),
            sale_price: 9.99,
            qty_in_stock: 1000.0,
            tax_code: 1,
            item_type: "Stock".into(),
            ..Default::default()
        })?;
    }
    ledger.connection().execute_batch("COMMIT")?;
    let empty = dir.join("empty.sqlite");
    let _ = std::fs::remove_file(&empty);
    Ledger::open(&empty)?;
    println!(
        "generated {n_customers} customers, {n_orders} orders in {}",
        dir.display()
    );
    Ok(())
}

/// A fresh run folder under DIR (removed first).
fn run_dir(dir: &Path, name: &str) -> Result<PathBuf> {
    let run = dir.join(name);
    let _ = std::fs::remove_dir_all(&run);
    std::fs::create_dir_all(&run)?;
    Ok(run)
}

fn report(what: &str, records: u64, ok: u64, failed: u64, start: Instant) {
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{what}: {records} records ({ok} ok, {failed} failed) in {secs:.3} s = {:.0} records/s (in-process)",
        records as f64 / secs
    );
}

/// Runs one import in the folder `run` below `dir` (on a copy of `base.sqlite`, which holds
/// the accounts and products, when `on_base`) and prints its speed.
fn timed_import(
    dir: &Path,
    run: &str,
    what: &str,
    on_base: bool,
    import: impl FnOnce(
        &mut Ledger,
        &StateStore,
        &Path,
    ) -> std::result::Result<ImportReport, ImportError>,
) -> Result<()> {
    let run = run_dir(dir, run)?;
    if on_base {
        std::fs::copy(dir.join("base.sqlite"), run.join("ledger.sqlite"))?;
    }
    let start = Instant::now();
    let mut ledger = Ledger::open(&run.join("ledger.sqlite"))?;
    let state = StateStore::open(&run.join("state.sqlite"))?;
    let r = import(&mut ledger, &state, &run)?;
    report(
        &format!("import {what}"),
        r.records,
        r.succeeded,
        r.failed,
        start,
    );
    if r.failed > 0 {
        eprintln!("first failure: {:?}", r.failures.first());
    }
    Ok(())
}

fn customers(dir: &Path) -> Result<()> {
    timed_import(
        dir,
        "run-customers",
        "customers",
        false,
        |ledger, state, run| {
            import_customers(
                ledger,
                state,
                "bench",
                &dir.join("customers.xml"),
                &run.join("customer_success.xml"),
                &run.join("customer_fail.xml"),
                &CustomerImportOptions::default(),
            )
        },
    )
}

fn orders(dir: &Path) -> Result<()> {
    timed_import(
        dir,
        "run-orders",
        "sales orders",
        true,
        |ledger, state, run| {
            import_sales_orders(
                ledger,
                state,
                "bench",
                &dir.join("orders.xml"),
                &run.join("salesorder_success.xml"),
                &run.join("salesorder_fail.xml"),
                &SalesOrderImportOptions::default(),
            )
        },
    )
}

/// The same customer rows, straight into the same schema: the limit for the import.
fn plain_customers(dir: &Path) -> Result<()> {
    let run = run_dir(dir, "run-plain-customers")?;
    let n = count(&dir.join("customers.xml"), "<Customer>")?;
    let start = Instant::now();
    let ledger = Ledger::open(&run.join("ledger.sqlite"))?;
    let conn = ledger.connection();
    conn.execute_batch("BEGIN")?;
    {
        let mut stmt = conn.prepare(
            "INSERT INTO customer (account_ref, name, contact_name, address_1, address_2, address_3,
                address_5, country_code, telephone, e_mail, currency, del_name, del_address_1, del_address_3,
                del_address_5, date_account_opened, created, modified)
             VALUES (?1, ?2, ?3, ?4, 'Jesmond', 'Newcastle Upon Tyne', 'NE1 4XF', 'GB', ?5, ?6, 'GBP', ?2, ?7,
                'Gateshead', 'NE8 1AA', '2024-03-01', 0, 0)",
        )?;
        for i in 0..n {
            stmt.execute(rusqlite::params![
                format!("C{i:07}"),
                company(i),
                format!("Mr Test Person{i}"),
                format!("{i} High Street"),
                format!("0191 123 {i:04}"),
                format!("customer{i}@example.com"),
                format!("{i} Low Street"),
            ])?;
        }
    }
    conn.execute_batch("COMMIT")?;
    report("plain rusqlite customers", n, n, 0, start);
    Ok(())
}

/// The same order and line rows, straight into the same schema.
fn plain_orders(dir: &Path) -> Result<()> {
    let run = run_dir(dir, "run-plain-orders")?;
    std::fs::copy(dir.join("base.sqlite"), run.join("ledger.sqlite"))?;
    let n = count(&dir.join("orders.xml"), "<SalesOrder>")?;
    let accounts: u64 = 10_000.min(n.max(1));
    let start = Instant::now();
    let ledger = Ledger::open(&run.join("ledger.sqlite"))?;
    let conn = ledger.connection();
    conn.execute_batch("BEGIN")?;
    {
        let mut order = conn.prepare(
            "INSERT INTO sales_order (order_number, account_ref, order_date, order_type, currency, name,
                address_1, address_3, address_5, cust_tel_number, items_net, items_tax, items_gross, carr_net,
                carr_tax, carr_gross, invoice_net, invoice_tax, invoice_gross, payment_ref, bank_ref,
                amount_prepaid, payment_type, created, modified)
             VALUES (?1, ?2, '2024-03-01', 'ProductInvoice', 'GBP', ?3, '1 High Street', 'Leeds', 'LS1 1AA',
                '0113 000 0000', 100, 20, 120, 4.95, 0.99, 5.94, 104.95, 20.99, 125.94, 'CARD', '1200', 10,
                'SalesReceipt', 0, 0)",
        )?;
        let mut line = conn.prepare(
            "INSERT INTO sop_item (order_number, item_number, stock_code, description, qty_order, unit_price,
                full_net_amount, net_amount, tax_amount, gross_amount, tax_code, nominal_code)
             VALUES (?1, ?2, ?3, ?4, 2, 10, 20, 20, 4, 24, 1, '4000')",
        )?;
        let mut truth = conn.prepare("SELECT 1 FROM customer WHERE account_ref = ?1")?;
        let mut rng = Rng(42);
        for i in 0..n {
            let account = format!("C{:07}", i % accounts);
            truth.query_row([&account], |_| Ok(()))?;
            order.execute(rusqlite::params![
                i as i64 + 1,
                account,
                format!("Shop {account}")
            ])?;
            for l in 0..3 {
                let sku = format!("P{:04}", rng.below(PRODUCTS));
                line.execute(rusqlite::params![
                    i as i64 + 1,
                    l + 1,
                    sku,
                    format!("Product {sku}")
                ])?;
            }
        }
    }
    conn.execute_batch("COMMIT")?;
    report("plain rusqlite orders", n, n, 0, start);
    Ok(())
}

/// Writes DIR/invoices.xml: the orders with the invoice element names (one element per line).
fn invoices_from_orders(dir: &Path) -> Result<()> {
    use std::io::BufRead;
    let input = std::io::BufReader::new(std::fs::File::open(dir.join("orders.xml"))?);
    let mut out = BufWriter::new(std::fs::File::create(dir.join("invoices.xml"))?);
    for line in input.lines() {
        let line = line?
            .replace("SalesOrders>", "Invoices>")
            .replace("SalesOrderDate>", "InvoiceDate>")
            .replace("SalesOrderAddress>", "InvoiceAddress>")
            .replace("SalesOrderItems>", "InvoiceItems>")
            .replace("SalesOrder>", "Invoice>");
        writeln!(out, "{line}")?;
    }
    out.flush()?;
    Ok(())
}

fn invoices(dir: &Path) -> Result<()> {
    timed_import(
        dir,
        "run-invoices",
        "invoices",
        true,
        |ledger, state, run| {
            import_invoices(
                ledger,
                state,
                "bench",
                &dir.join("invoices.xml"),
                &run.join("invoice_success.xml"),
                &run.join("invoice_fail.xml"),
                &InvoiceImportOptions::default(),
            )
        },
    )
}

/// The same invoice and line rows, both postings (invoice and receipt) and the balance
/// updates, straight into the same schema.
fn plain_invoices(dir: &Path) -> Result<()> {
    let run = run_dir(dir, "run-plain-invoices")?;
    std::fs::copy(dir.join("base.sqlite"), run.join("ledger.sqlite"))?;
    let n = count(&dir.join("invoices.xml"), "<Invoice>")?;
    let accounts: u64 = 10_000.min(n.max(1));
    let start = Instant::now();
    let ledger = Ledger::open(&run.join("ledger.sqlite"))?;
    let conn = ledger.connection();
    conn.execute_batch("BEGIN")?;
    {
        let mut invoice = conn.prepare(
            "INSERT INTO invoice (invoice_number, account_ref, invoice_date, invoice_type, currency, name,
                address_1, address_3, address_5, cust_tel_number, items_net, items_tax, items_gross, carr_net,
                carr_tax, carr_gross, invoice_net, invoice_tax, invoice_gross, payment_ref, bank_ref,
                amount_prepaid, payment_type, amount_paid, created, modified)
             VALUES (?1, ?2, '2024-03-01', 'ProductInvoice', 'GBP', ?3, '1 High Street', 'Leeds', 'LS1 1AA',
                '0113 000 0000', 100, 20, 120, 4.95, 0.99, 5.94, 104.95, 20.99, 125.94, 'CARD', '1200', 10,
                'SalesReceipt', 10, 0, 0)",
        )?;
        let mut line = conn.prepare(
            "INSERT INTO invoice_item (invoice_number, item_number, stock_code, description, qty_order,
                unit_price, full_net_amount, net_amount, tax_amount, gross_amount, tax_code, nominal_code)
             VALUES (?1, ?2, ?3, ?4, 2, 10, 20, 20, 4, 24, 1, '4000')",
        )?;
        let mut posting = conn.prepare(
            "INSERT INTO ledger_transaction (tran_type, account_ref, bank_code, invoice_number, tran_date,
                net_amount, tax_amount, amount, balance_effect, bank_effect, created, modified)
             VALUES (?1, ?2, ?3, ?4, '2024-03-01', ?5, 0, ?5, ?6, ?7, 0, 0)",
        )?;
        let mut balance = conn.prepare(
            "UPDATE customer SET balance = round(balance + ?2, 2), modified = 0 WHERE account_ref = ?1",
        )?;
        let mut bank = conn.prepare(
            "UPDATE bank_account SET balance = round(balance + ?1, 2) WHERE nominal_code = '1200'",
        )?;
        let mut exists = conn.prepare("SELECT 1 FROM customer WHERE account_ref = ?1")?;
        let mut rng = Rng(42);
        for i in 0..n {
            let number = i as i64 + 1;
            let account = format!("C{:07}", i % accounts);
            exists.query_row([&account], |_| Ok(()))?;
            invoice.execute(rusqlite::params![
                number,
                account,
                format!("Shop {account}")
            ])?;
            for l in 0..3 {
                let sku = format!("P{:04}", rng.below(PRODUCTS));
                line.execute(rusqlite::params![
                    number,
                    l + 1,
                    sku,
                    format!("Product {sku}")
                ])?;
            }
            posting.execute(rusqlite::params![
                "SI",
                account,
                None::<String>,
                number,
                125.94,
                125.94,
                0.0
            ])?;
            balance.execute(rusqlite::params![account, 125.94])?;
            posting.execute(rusqlite::params![
                "SR", account, "1200", number, 10.0, -10.0, 10.0
            ])?;
            balance.execute(rusqlite::params![account, -10.0])?;
            bank.execute([10.0])?;
        }
    }
    conn.execute_batch("COMMIT")?;
    report("plain rusqlite invoices", n, n, 0, start);
    Ok(())
}

/// Counts lines holding `needle` (the generator writes one start tag per line).
fn count(path: &Path, needle: &str) -> Result<u64> {
    use std::io::BufRead;
    let file = std::io::BufReader::new(std::fs::File::open(path)?);
    let mut n = 0;
    for line in file.lines() {
        if line?.contains(needle) {
            n += 1;
        }
    }
    Ok(n)
}
