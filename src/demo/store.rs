//! The shop's SQLite tables and every query the server and `ShopState` run against them.
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::error::DemoError;
use super::model::{Address, Customer, Line, Order};

/// The shop's schema. A real site has its own; these are the columns the protocol needs.
pub(super) const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS shop_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS addresses (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL, forename TEXT NOT NULL, surname TEXT NOT NULL, company TEXT NOT NULL,
    address1 TEXT NOT NULL, address2 TEXT NOT NULL, town TEXT NOT NULL, county TEXT NOT NULL,
    postcode TEXT NOT NULL, country TEXT NOT NULL, telephone TEXT NOT NULL, email TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS customers (
    id                  INTEGER PRIMARY KEY,
    company_name        TEXT NOT NULL,
    invoice_address     INTEGER NOT NULL REFERENCES addresses(id),
    delivery_address    INTEGER NOT NULL REFERENCES addresses(id),
    account_reference   TEXT
);
CREATE TABLE IF NOT EXISTS products (
    sku         TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    price_pence INTEGER NOT NULL,
    tax_code    INTEGER NOT NULL,
    stock       INTEGER NOT NULL,
    synced      INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS orders (
    id                  INTEGER PRIMARY KEY,
    customer_id         INTEGER NOT NULL,
    order_date          TEXT NOT NULL,
    address             INTEGER NOT NULL REFERENCES addresses(id),
    delivery_address    INTEGER NOT NULL REFERENCES addresses(id),
    carriage_name       TEXT NOT NULL,
    carriage_pence      INTEGER NOT NULL,
    payment_ref         TEXT,
    posted              INTEGER NOT NULL DEFAULT 0,
    sales_order_number  TEXT
);
CREATE TABLE IF NOT EXISTS order_lines (
    order_id         INTEGER NOT NULL REFERENCES orders(id),
    line_no          INTEGER NOT NULL,
    sku              TEXT NOT NULL,
    name             TEXT NOT NULL,
    qty              INTEGER NOT NULL,
    unit_price_pence INTEGER NOT NULL,
    tax_code         INTEGER NOT NULL,
    PRIMARY KEY (order_id, line_no)
);
CREATE TABLE IF NOT EXISTS customer_balances (
    account_reference TEXT PRIMARY KEY,
    balance           TEXT NOT NULL
);
";

/// How long a query waits for another connection's lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Sets the pragmas every shop connection uses.
pub(super) fn configure(conn: &Connection) -> Result<(), DemoError> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    Ok(())
}

/// Whether the database holds the shop's tables.
pub(super) fn has_schema(conn: &Connection) -> Result<bool, DemoError> {
    let n: i64 = conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('shop_meta', 'customers', 'orders', 'order_lines', 'products', 'addresses')",
        [],
        |r| r.get(0),
    )?;
    Ok(n == 6)
}

/// Whether the database holds any table at all (a new file holds none).
pub(super) fn has_any_table(conn: &Connection) -> Result<bool, DemoError> {
    Ok(count(
        conn,
        "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
    )? > 0)
}

/// The seed the database was made with, if it has been seeded.
pub(super) fn seeded_with(conn: &Connection) -> Result<Option<u64>, DemoError> {
    if !has_schema(conn)? {
        return Ok(None);
    }
    let value: Option<String> = conn
        .query_row("SELECT value FROM shop_meta WHERE key = 'seed'", [], |r| {
            r.get(0)
        })
        .optional()?;
    Ok(value.and_then(|v| v.parse().ok()))
}

pub(super) fn set_seed(conn: &Connection, seed: u64) -> Result<(), DemoError> {
    conn.execute(
        "INSERT OR REPLACE INTO shop_meta (key, value) VALUES ('seed', ?1)",
        params![seed.to_string()],
    )?;
    Ok(())
}

fn insert_address(conn: &Connection, a: &Address) -> Result<i64, DemoError> {
    conn.prepare_cached(
        "INSERT INTO addresses (title, forename, surname, company, address1, address2, town, county, postcode, country, telephone, email)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        a.title, a.forename, a.surname, a.company, a.address1, a.address2, a.town, a.county,
        a.postcode, a.country, a.telephone, a.email
    ])?;
    Ok(conn.last_insert_rowid())
}

pub(super) fn insert_customer(conn: &Connection, c: &Customer) -> Result<(), DemoError> {
    let invoice = insert_address(conn, &c.invoice)?;
    let delivery = insert_address(conn, &c.delivery)?;
    conn.prepare_cached(
        "INSERT INTO customers (id, company_name, invoice_address, delivery_address, account_reference)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        c.id,
        c.company_name,
        invoice,
        delivery,
        c.account_reference
    ])?;
    Ok(())
}

pub(super) fn insert_order(conn: &Connection, o: &Order) -> Result<(), DemoError> {
    let address = insert_address(conn, &o.address)?;
    let delivery = insert_address(conn, &o.delivery)?;
    conn.prepare_cached(
        "INSERT INTO orders (id, customer_id, order_date, address, delivery_address, carriage_name, carriage_pence, payment_ref, posted, sales_order_number)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        o.id,
        o.customer_id,
        o.date,
        address,
        delivery,
        o.carriage_name,
        o.carriage_pence,
        o.payment_ref,
        o.posted,
        o.sales_order_number
    ])?;
    let mut line = conn.prepare_cached(
        "INSERT INTO order_lines (order_id, line_no, sku, name, qty, unit_price_pence, tax_code)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for (n, l) in o.lines.iter().enumerate() {
        line.execute(params![
            o.id,
            n as i64 + 1,
            l.sku,
            l.name,
            l.qty,
            l.unit_price_pence,
            l.tax_code
        ])?;
    }
    Ok(())
}

pub(super) fn insert_product(
    conn: &Connection,
    sku: &str,
    name: &str,
    price_pence: i64,
    tax_code: i64,
    stock: i64,
) -> Result<(), DemoError> {
    conn.prepare_cached(
        "INSERT INTO products (sku, name, price_pence, tax_code, stock) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![sku, name, price_pence, tax_code, stock])?;
    Ok(())
}

fn address(conn: &Connection, id: i64) -> Result<Address, DemoError> {
    let a = conn
        .prepare_cached(
            "SELECT title, forename, surname, company, address1, address2, town, county, postcode, country, telephone, email
             FROM addresses WHERE id = ?1",
        )?
        .query_row([id], |r| {
            Ok(Address {
                title: r.get(0)?,
                forename: r.get(1)?,
                surname: r.get(2)?,
                company: r.get(3)?,
                address1: r.get(4)?,
                address2: r.get(5)?,
                town: r.get(6)?,
                county: r.get(7)?,
                postcode: r.get(8)?,
                country: r.get(9)?,
                telephone: r.get(10)?,
                email: r.get(11)?,
            })
        })
        .optional()?;
    Ok(a.unwrap_or_default())
}

/// Customers matching a `WHERE` clause (a constant chosen by this module), by id.
fn customers_where(conn: &Connection, filter: &str) -> Result<Vec<Customer>, DemoError> {
    let sql = format!(
        "SELECT id, company_name, invoice_address, delivery_address, account_reference
         FROM customers c WHERE {filter} ORDER BY id"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows: Vec<(i64, String, i64, i64, Option<String>)> = stmt
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<Result<_, _>>()?;
    rows.into_iter()
        .map(|(id, company_name, inv, del, account_reference)| {
            Ok(Customer {
                id,
                company_name,
                invoice: address(conn, inv)?,
                delivery: address(conn, del)?,
                account_reference,
            })
        })
        .collect()
}

/// Every customer, by id.
pub(super) fn all_customers(conn: &Connection) -> Result<Vec<Customer>, DemoError> {
    customers_where(conn, "1")
}

/// Customers the download offers: no account reference yet, and at least one order pending.
pub(super) fn customers_to_download(conn: &Connection) -> Result<Vec<Customer>, DemoError> {
    customers_where(
        conn,
        "c.account_reference IS NULL
         AND EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id AND o.posted = 0)",
    )
}

fn order_from_row(r: &Row<'_>) -> rusqlite::Result<(Order, i64, i64)> {
    let order = Order {
        id: r.get(0)?,
        customer_id: r.get(1)?,
        date: r.get(2)?,
        address: Address::default(),
        delivery: Address::default(),
        lines: Vec::new(),
        carriage_name: r.get(5)?,
        carriage_pence: r.get(6)?,
        payment_ref: r.get(7)?,
        posted: r.get(8)?,
        sales_order_number: r.get(9)?,
    };
    Ok((order, r.get(3)?, r.get(4)?))
}

fn orders_where(conn: &Connection, filter: &str) -> Result<Vec<Order>, DemoError> {
    let sql = format!(
        "SELECT id, customer_id, order_date, address, delivery_address, carriage_name, carriage_pence, payment_ref, posted, sales_order_number
         FROM orders WHERE {filter} ORDER BY id"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows: Vec<(Order, i64, i64)> = stmt
        .query_map([], order_from_row)?
        .collect::<Result<_, _>>()?;
    let mut lines = conn.prepare_cached(
        "SELECT sku, name, qty, unit_price_pence, tax_code FROM order_lines WHERE order_id = ?1 ORDER BY line_no",
    )?;
    let mut out = Vec::with_capacity(rows.len());
    for (mut order, a, d) in rows {
        order.address = address(conn, a)?;
        order.delivery = address(conn, d)?;
        order.lines = lines
            .query_map([order.id], |r| {
                Ok(Line {
                    sku: r.get(0)?,
                    name: r.get(1)?,
                    qty: r.get(2)?,
                    unit_price_pence: r.get(3)?,
                    tax_code: r.get(4)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        out.push(order);
    }
    Ok(out)
}

/// Every order, by id.
pub(super) fn all_orders(conn: &Connection) -> Result<Vec<Order>, DemoError> {
    orders_where(conn, "1")
}

/// Orders not yet posted to the ledger, by id.
pub(super) fn pending_orders(conn: &Connection) -> Result<Vec<Order>, DemoError> {
    orders_where(conn, "posted = 0")
}

/// A customer's stored account reference: `None` if there is no such customer,
/// `Some(None)` if it has none yet.
pub(super) fn customer_reference(
    conn: &Connection,
    id: i64,
) -> Result<Option<Option<String>>, DemoError> {
    Ok(conn
        .prepare_cached("SELECT account_reference FROM customers WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?)
}

pub(super) fn set_customer_reference(
    conn: &Connection,
    id: i64,
    reference: &str,
) -> Result<(), DemoError> {
    conn.prepare_cached("UPDATE customers SET account_reference = ?2 WHERE id = ?1")?
        .execute(params![id, reference])?;
    Ok(())
}

/// An order's posted flag and number: `None` if there is no such order.
pub(super) fn order_posting(
    conn: &Connection,
    id: i64,
) -> Result<Option<(bool, Option<String>)>, DemoError> {
    Ok(conn
        .prepare_cached("SELECT posted, sales_order_number FROM orders WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

pub(super) fn set_order_posted(conn: &Connection, id: i64, number: &str) -> Result<(), DemoError> {
    conn.prepare_cached("UPDATE orders SET posted = 1, sales_order_number = ?2 WHERE id = ?1")?
        .execute(params![id, number])?;
    Ok(())
}

/// A product's stock level, `None` if the site has no such Sku.
pub(super) fn product_stock(conn: &Connection, sku: &str) -> Result<Option<i64>, DemoError> {
    Ok(conn
        .prepare_cached("SELECT stock FROM products WHERE sku = ?1")?
        .query_row([sku], |r| r.get(0))
        .optional()?)
}

/// Sets a product's stock and marks it synced from the ledger.
pub(super) fn set_product_stock(conn: &Connection, sku: &str, stock: i64) -> Result<(), DemoError> {
    conn.prepare_cached("UPDATE products SET stock = ?2, synced = 1 WHERE sku = ?1")?
        .execute(params![sku, stock])?;
    Ok(())
}

/// Every product as (sku, name, stock), by sku.
pub(super) fn all_products(conn: &Connection) -> Result<Vec<(String, String, i64)>, DemoError> {
    let mut stmt = conn.prepare("SELECT sku, name, stock FROM products ORDER BY sku")?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// Whether the download hands out pending orders as invoices (the shop setting `download`).
pub(super) fn downloads_invoices(conn: &Connection) -> Result<bool, DemoError> {
    let value: Option<String> = conn
        .prepare_cached("SELECT value FROM shop_meta WHERE key = 'download'")?
        .query_row([], |r| r.get(0))
        .optional()?;
    Ok(value.as_deref() == Some("invoices"))
}

/// Sets the shop setting `download` to `invoices` or `orders`.
pub(super) fn set_downloads_invoices(conn: &Connection, invoices: bool) -> Result<(), DemoError> {
    conn.execute(
        "INSERT OR REPLACE INTO shop_meta (key, value) VALUES ('download', ?1)",
        [if invoices { "invoices" } else { "orders" }],
    )?;
    Ok(())
}

/// Whether some customer has this account reference.
pub(super) fn has_account(conn: &Connection, reference: &str) -> Result<bool, DemoError> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM customers WHERE account_reference = ?1")?
        .query_row([reference], |_| Ok(()))
        .optional()?
        .is_some())
}

/// The balance the ledger last uploaded for an account, as the ledger wrote it.
pub(super) fn customer_balance(
    conn: &Connection,
    reference: &str,
) -> Result<Option<String>, DemoError> {
    Ok(conn
        .prepare_cached("SELECT balance FROM customer_balances WHERE account_reference = ?1")?
        .query_row([reference], |r| r.get(0))
        .optional()?)
}

pub(super) fn set_customer_balance(
    conn: &Connection,
    reference: &str,
    balance: &str,
) -> Result<(), DemoError> {
    conn.prepare_cached(
        "INSERT OR REPLACE INTO customer_balances (account_reference, balance) VALUES (?1, ?2)",
    )?
    .execute(params![reference, balance])?;
    Ok(())
}

/// One number from a `SELECT count(*) …`.
pub(super) fn count(conn: &Connection, sql: &str) -> Result<u64, DemoError> {
    let n: i64 = conn.query_row(sql, [], |r| r.get(0))?;
    Ok(u64::try_from(n).unwrap_or(0))
}
