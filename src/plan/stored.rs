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

    /// How many products `export stock` would write now: none when the ledger does not
    /// exist yet (it is created empty).
    pub fn export_count(&self, mode: ExportMode, published_only: bool) -> Result<u64, String> {
        let ledger = self.ledger_path();
        if !ledger.is_file() {
            return Ok(0);
        }
        let since = match mode {
            ExportMode::All => None,
            _ => self.watermark(crate::ledger::DEFAULT_EXPORT_TASK)?,
        };
        let filter = crate::ledger::export_filter(mode, since, published_only);
        let conn = open_read_only(ledger)?;
        conn.query_row(&format!("SELECT COUNT(*) FROM product {filter}"), [], |r| {
            r.get::<_, i64>(0)
        })
        .map(|n| u64::try_from(n).unwrap_or_default())
        .map_err(|e| e.to_string())
    }
}
