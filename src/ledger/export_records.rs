//! The frame every export runs in: the watermark read before the query, records written to a
//! temporary file renamed into place, the new watermark saved (or staged) only after that.

use jiff::Timestamp;

use crate::connect::{CompanyWriter, Node, Shape, format_number};
use crate::state::StateStore;

use super::export_stock::{ExportMode, ExportReport, ExportTarget};
use super::import_error::ImportError;
use super::{Ledger, LedgerError};

/// What one export selects and how a row becomes a record.
pub(super) struct ExportQuery<'a> {
    /// `Products`, `Customers`, `Invoices`.
    pub(super) collection: &'static str,
    /// `SELECT … FROM table` (the table aliased or not, its `created`/`modified` unqualified).
    pub(super) select: String,
    /// Conditions beyond the watermark's.
    pub(super) filters: Vec<String>,
    /// `ORDER BY` expression.
    pub(super) order_by: &'static str,
    /// Turns a selected row into its record.
    #[allow(clippy::type_complexity)]
    pub(super) to_node: &'a dyn Fn(&Ledger, &rusqlite::Row<'_>) -> Result<Node, LedgerError>,
}

/// Runs `query` for `mode` against the watermark kept under `workflow`/`task` and writes the
/// records to `to`, in its encoding.
pub(super) fn export_records(
    ledger: &Ledger,
    state: &StateStore,
    workflow: &str,
    task: &str,
    mode: ExportMode,
    to: &ExportTarget<'_>,
    query: ExportQuery<'_>,
) -> Result<ExportReport, ImportError> {
    let started = Timestamp::now();
    let since = match mode {
        ExportMode::All => None,
        _ => state.watermark(workflow, task)?,
    };
    let filter = where_clause(mode, since, &query.filters);
    let sql = format!("{} {filter} ORDER BY {}", query.select, query.order_by);
    let mut writer =
        CompanyWriter::create_in(to.output, query.collection, Shape::Only, to.encoding)?;
    {
        let mut stmt = ledger.conn.prepare(&sql)?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let node = (query.to_node)(ledger, row).map_err(ledger_failed)?;
            writer.write(&node)?;
        }
    }
    let products = writer.count();
    let written = writer.finish()?.commit()?;
    state.set_watermark(workflow, task, started)?;
    Ok(ExportReport {
        products,
        output: written,
        since,
        watermark: started,
        unknown_stock: 0,
    })
}

/// The `WHERE` clause (or nothing) of an export: the watermark's condition for `mode`, then
/// `extra`.
pub(crate) fn where_clause(mode: ExportMode, since: Option<Timestamp>, extra: &[String]) -> String {
    let mut filters = Vec::new();
    if let Some(s) = since.filter(|_| mode != ExportMode::All) {
        let at = s.as_microsecond();
        filters.push(match mode {
            ExportMode::New => format!("created >= {at}"),
            _ => format!("(created >= {at} OR modified >= {at})"),
        });
    }
    filters.extend(extra.iter().cloned());
    if filters.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", filters.join(" AND "))
    }
}

fn ledger_failed(e: LedgerError) -> ImportError {
    match e {
        LedgerError::Query { source } => source.into(),
        other => rusqlite::Error::ToSqlConversionFailure(Box::new(other)).into(),
    }
}

/// Reads the columns of an exported row by name into Connect XML leaves.
pub(super) struct Cells<'a, 'r>(pub(super) &'a rusqlite::Row<'r>);

impl Cells<'_, '_> {
    /// Text column `column` as `<name>` (empty when NULL).
    pub(super) fn text(&self, name: &str, column: &str) -> rusqlite::Result<Node> {
        let v: Option<String> = self.0.get(column)?;
        Ok(Node::leaf(name, v.unwrap_or_default()))
    }

    /// Text column `column`, `None` when NULL or empty.
    pub(super) fn opt(&self, column: &str) -> rusqlite::Result<Option<String>> {
        let v: Option<String> = self.0.get(column)?;
        Ok(v.filter(|s| !s.is_empty()))
    }

    /// Number column `column` as `<name>` (`xsi:nil` when NULL).
    pub(super) fn num(&self, name: &str, column: &str) -> rusqlite::Result<Node> {
        let v: Option<f64> = self.0.get(column)?;
        Ok(v.map_or_else(|| Node::nil(name), |v| Node::leaf(name, format_number(v))))
    }

    /// Whole-number column `column` as `<name>` (`xsi:nil` when NULL).
    pub(super) fn int(&self, name: &str, column: &str) -> rusqlite::Result<Node> {
        let v: Option<i64> = self.0.get(column)?;
        Ok(v.map_or_else(|| Node::nil(name), |v| Node::leaf(name, v.to_string())))
    }

    /// 0/1 column `column` as `<name>true</name>` or `false`.
    pub(super) fn flag(&self, name: &str, column: &str) -> rusqlite::Result<Node> {
        let v: Option<bool> = self.0.get(column)?;
        Ok(Node::leaf(
            name,
            if v.unwrap_or(false) { "true" } else { "false" },
        ))
    }

    /// An ISO date column as `<name>YYYY-MM-DDT00:00:00</name>` (`xsi:nil` when NULL).
    pub(super) fn date(&self, name: &str, column: &str) -> rusqlite::Result<Node> {
        Ok(match self.opt(column)? {
            Some(d) if d.len() == 10 => Node::leaf(name, format!("{d}T00:00:00")),
            Some(d) => Node::leaf(name, d),
            None => Node::nil(name),
        })
    }

    /// A Connect XML `Contact` from a name, a contact name and five address lines stored as
    /// Sage stores them (line 3 is the town).
    pub(super) fn contact(
        &self,
        element: &str,
        name: &str,
        contact: Option<&str>,
        lines: [&str; 5],
        extra: Vec<Node>,
    ) -> rusqlite::Result<Node> {
        let (forename, surname) = match self.opt_or(contact)? {
            Some(c) => match c.trim().split_once(' ') {
                Some((f, s)) => (f.to_string(), s.trim().to_string()),
                None => (String::new(), c),
            },
            None => (String::new(), String::new()),
        };
        let mut n = Node::new(element);
        n.children = vec![
            Node::leaf("Title", ""),
            Node::leaf("Forename", forename),
            Node::leaf("Surname", surname),
            self.text("Company", name)?,
            self.text("Address1", lines[0])?,
            self.text("Address2", lines[1])?,
            self.text("Town", lines[2])?,
            self.text("Postcode", lines[4])?,
            self.text("County", lines[3])?,
        ];
        n.children.extend(extra);
        Ok(n)
    }

    fn opt_or(&self, column: Option<&str>) -> rusqlite::Result<Option<String>> {
        match column {
            Some(c) => self.opt(c),
            None => Ok(None),
        }
    }
}
