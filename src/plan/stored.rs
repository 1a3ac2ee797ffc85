//! What the ledger and the state store hold now, read without changing either file.
use std::path::Path;

use jiff::Timestamp;
use rusqlite::{Connection, OpenFlags, OptionalExtension};

use super::Planner;
use crate::ledger::ExportMode;

/// Opens an SQLite file for reading only: nothing is created, migrated or locked for writing.
fn open_read_only(path: &Path) -> Result<Connection, String> {
    Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| e.to_string())
}

impl Planner<'_> {
    /// The last committed watermark of `task` in this workflow; `None` when there is none
    /// (no state store yet, or the task never completed).
    pub fn watermark(&self, task: &str) -> Result<Option<Timestamp>, String> {
        if let Some(state) = self.state {
            return state
                .watermark(&self.workflow, task)
                .map_err(|e| e.to_string());
        }
        let path = self.data_dir.join(crate::runtime::STATE_FILE);
        if !path.is_file() {
            return Ok(None);
        }
        let conn = open_read_only(&path)?;
        let micros: Option<i64> = conn
            .query_row(
                "SELECT value FROM watermark WHERE profile = ?1 AND task = ?2",
                rusqlite::params![self.workflow, task],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| e.to_string())?;
        micros
            .map(|m| Timestamp::from_microsecond(m).map_err(|e| e.to_string()))
            .transpose()
    }

    /// How many products `export stock` would write now, and how many it would leave out for
    /// their unknown stock level: none when the ledger does not exist yet (it is created empty).
    pub fn export_count(
        &self,
        mode: ExportMode,
        published_only: bool,
    ) -> Result<(u64, u64), String> {
        let ledger = self.ledger_path();
        if !ledger.is_file() {
            return Ok((0, 0));
        }
        let since = match mode {
            ExportMode::All => None,
            _ => self.watermark(crate::ledger::DEFAULT_EXPORT_TASK)?,
        };
        let filter = crate::ledger::where_clause(mode, since, &[]);
        let conn = open_read_only(ledger)?;
        // A ledger not yet migrated to version 6 has no `stock_known`: the migration's rule.
        let has_column = conn
            .prepare("SELECT stock_known FROM product LIMIT 0")
            .is_ok();
        let known = if has_column {
            "stock_known"
        } else {
            "(qty_in_stock <> 0 OR EXISTS (SELECT 1 FROM stock_transaction t
                 WHERE t.stock_code = product.stock_code))"
        };
        let published = if published_only {
            " AND web_publish = 1"
        } else {
            ""
        };
        let sql = format!(
            "SELECT coalesce(sum({known} <> 0), 0), coalesce(sum({known} = 0), 0)
             FROM (SELECT * FROM product {filter}) AS product WHERE 1{published}"
        );
        conn.query_row(&sql, [], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))
            .map(|(k, u)| {
                (
                    u64::try_from(k).unwrap_or_default(),
                    u64::try_from(u).unwrap_or_default(),
                )
            })
            .map_err(|e| e.to_string())
    }
}
