//! Listings for `zynk ledger customers|products|orders`, rendered as a table, CSV or JSON.
use std::str::FromStr;

use serde_json::Value;

use super::{Ledger, LedgerError};
use crate::state::from_micros;

/// What to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKind {
    /// Customer accounts.
    Customers,
    /// Stock records.
    Products,
    /// Sales orders.
    Orders,
    /// Stock movements.
    StockTransactions,
}

/// How to render a listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListFormat {
    /// Aligned columns for a terminal.
    Table,
    /// RFC 4180 CSV with a header row.
    Csv,
    /// A JSON array of objects (keys in column order).
    Json,
}

impl FromStr for ListKind {
    type Err = LedgerError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "customers" => Ok(ListKind::Customers),
            "products" | "stock" => Ok(ListKind::Products),
            "orders" => Ok(ListKind::Orders),
            "stock-transactions" | "stock_transactions" => Ok(ListKind::StockTransactions),
            other => Err(LedgerError::UnknownListing {
                what: "listing",
                given: other.to_string(),
                choices: "customers, products, orders, stock-transactions".to_string(),
            }),
        }
    }
}

impl FromStr for ListFormat {
    type Err = LedgerError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "table" => Ok(ListFormat::Table),
            "csv" => Ok(ListFormat::Csv),
            "json" => Ok(ListFormat::Json),
            other => Err(LedgerError::UnknownListing {
                what: "format",
                given: other.to_string(),
                choices: "table, csv, json".to_string(),
            }),
        }
    }
}

/// Rows with named columns; cells are JSON values so numbers stay numbers in JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Column names.
    pub columns: Vec<&'static str>,
    /// Rows, one cell per column.
    pub rows: Vec<Vec<Value>>,
}

/// Lists `kind` from the ledger rendered as `format`.
pub fn render_rows(
    ledger: &Ledger,
    kind: ListKind,
    format: ListFormat,
) -> Result<String, LedgerError> {
    Ok(ledger.table(kind)?.render(format))
}

fn time(micros: i64) -> Value {
    let tz = jiff::tz::TimeZone::system();
    Value::from(
        from_micros(micros)
            .to_zoned(tz)
            .strftime("%Y-%m-%dT%H:%M:%S%:z")
            .to_string(),
    )
}

fn opt(v: &Option<String>) -> Value {
    v.clone().map_or(Value::Null, Value::from)
}

impl Ledger {
    /// The rows of a listing.
    pub fn table(&self, kind: ListKind) -> Result<Table, LedgerError> {
        match kind {
            ListKind::Customers => self.customers_table(),
            ListKind::Products => self.products_table(),
            ListKind::Orders => self.orders_table(),
            ListKind::StockTransactions => self.stock_transactions_table(),
        }
    }

    fn customers_table(&self) -> Result<Table, LedgerError> {
        Ok(Table {
            columns: vec![
                "account_ref",
                "name",
                "contact",
                "postcode",
                "email",
                "telephone",
                "currency",
                "opened",
                "modified",
            ],
            rows: self
                .customers()?
                .into_iter()
                .map(|c| {
                    vec![
                        c.account_ref.into(),
                        c.name.into(),
                        opt(&c.contact_name),
                        opt(&c.address[4]),
                        opt(&c.e_mail),
                        opt(&c.telephone),
                        c.currency.into(),
                        c.date_account_opened.into(),
                        time(c.modified),
                    ]
                })
                .collect(),
        })
    }

    fn products_table(&self) -> Result<Table, LedgerError> {
        Ok(Table {
            columns: vec![
                "stock_code",
                "description",
                "in_stock",
                "allocated",
                "free",
                "on_order",
                "price",
                "cost_price",
                "tax_code",
                "nominal",
                "category",
                "web_category",
                "unit",
                "barcode",
                "publish",
                "type",
                "modified",
            ],
            rows: self
                .products()?
                .into_iter()
                .map(|p| {
                    vec![
                        p.stock_code.clone().into(),
                        opt(&p.description),
                        p.qty_in_stock.into(),
                        p.qty_allocated.into(),
                        p.free_stock().into(),
                        p.qty_on_order.into(),
                        p.sales_price.into(),
                        p.cost_price.map_or(Value::Null, Value::from),
                        format!("T{}", p.tax_code).into(),
                        p.nominal_code.clone().into(),
                        p.category.into(),
                        opt(&p.web_category),
                        opt(&p.unit_of_sale),
                        opt(&p.barcode),
                        p.web_publish.into(),
                        p.item_type.into(),
                        time(p.modified),
                    ]
                })
                .collect(),
        })
    }

    fn stock_transactions_table(&self) -> Result<Table, LedgerError> {
        Ok(Table {
            columns: vec![
                "number",
                "stock_code",
                "type",
                "date",
                "reference",
                "details",
                "quantity",
                "change",
                "cost_price",
                "sales_price",
                "posted",
            ],
            rows: self
                .stock_transactions()?
                .into_iter()
                .map(|t| {
                    vec![
                        t.tran_number.into(),
                        t.stock_code.into(),
                        t.kind.into(),
                        t.date.into(),
                        opt(&t.reference),
                        opt(&t.details),
                        t.quantity.into(),
                        t.qty_change.into(),
                        t.cost_price.into(),
                        t.sales_price.into(),
                        time(t.created),
                    ]
                })
                .collect(),
        })
    }

    fn orders_table(&self) -> Result<Table, LedgerError> {
        Ok(Table {
            columns: vec![
                "order_number",
                "account_ref",
                "date",
                "name",
                "lines",
                "net",
                "vat",
                "gross",
                "prepaid",
                "allocated",
            ],
            rows: self
                .orders()?
                .into_iter()
                .map(|o| {
                    vec![
                        o.order_number.into(),
                        o.account_ref.into(),
                        o.order_date.into(),
                        opt(&o.name),
                        o.lines.into(),
                        o.invoice_net.into(),
                        o.invoice_tax.into(),
                        o.invoice_gross.into(),
                        o.amount_prepaid.into(),
                        o.allocated_status.into(),
                    ]
                })
                .collect(),
        })
    }
}

/// A float cell as a decimal string with two places; other cells as they are.
fn decimal_string(v: &Value) -> Value {
    match v {
        Value::Number(n) if n.is_f64() => n
            .as_f64()
            .map_or(Value::Null, |f| Value::String(format!("{f:.2}"))),
        other => other.clone(),
    }
}

fn plain(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Number(n) => match n.as_f64() {
            Some(f) if n.is_f64() => {
                if f.fract() == 0.0 && f.abs() < 1e15 {
                    format!("{f:.0}")
                } else {
                    format!("{f:.2}")
                }
            }
            _ => n.to_string(),
        },
        other => other.to_string(),
    }
}

impl Table {
    /// Renders the table.
    pub fn render(&self, format: ListFormat) -> String {
        match format {
            ListFormat::Table => self.render_table(),
            ListFormat::Csv => self.render_csv(),
            ListFormat::Json => self.render_json(),
        }
    }

    /// Aligned columns two spaces apart; widths count what a terminal shows, so accented
    /// and wide characters line up.
    fn render_table(&self) -> String {
        if self.rows.is_empty() {
            return format!("{}\n(none)\n", self.columns.join("  "));
        }
        let mut table = comfy_table::Table::new();
        table.load_style(comfy_table::presets::NOTHING);
        table.set_header(self.columns.clone());
        for row in &self.rows {
            table.add_row(row.iter().map(plain).collect::<Vec<_>>());
        }
        for column in table.column_iter_mut() {
            column.set_padding((0, 2));
        }
        let mut out = table.trim_fmt();
        out.push('\n');
        out
    }

    fn render_csv(&self) -> String {
        let mut writer = csv::Writer::from_writer(Vec::new());
        let rows = std::iter::once(self.columns.iter().map(|c| (*c).to_string()).collect()).chain(
            self.rows
                .iter()
                .map(|r| r.iter().map(plain).collect::<Vec<_>>()),
        );
        for row in rows {
            // Writing to memory cannot fail.
            let _ = writer.write_record(&row);
        }
        let bytes = writer.into_inner().unwrap_or_default();
        String::from_utf8(bytes).unwrap_or_default()
    }

    /// JSON rows: amounts and quantities as decimal strings (`"245.09"`), never floats.
    fn render_json(&self) -> String {
        let decimal_rows: Vec<Vec<Value>> = self
            .rows
            .iter()
            .map(|cells| cells.iter().map(decimal_string).collect())
            .collect();
        let rows: Vec<JsonRow<'_>> = decimal_rows
            .iter()
            .map(|cells| JsonRow {
                columns: &self.columns,
                cells,
            })
            .collect();
        let mut out = serde_json::to_string_pretty(&rows).unwrap_or_default();
        out.push('\n');
        out
    }
}

/// One row as a JSON object whose keys keep the column order.
struct JsonRow<'a> {
    columns: &'a [&'static str],
    cells: &'a [Value],
}

impl serde::Serialize for JsonRow<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.columns.len()))?;
        for (column, cell) in self.columns.iter().zip(self.cells) {
            map.serialize_entry(column, cell)?;
        }
        map.end()
    }
}
