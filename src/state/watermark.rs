//! Export watermarks: the "last run" point of an export, per workflow and task.
use jiff::Timestamp;
use rusqlite::{OptionalExtension, params};

use super::{StateError, StateStore};

impl StateStore {
    /// The stored watermark of `task` in `workflow`, if the export ever completed.
    pub fn watermark(&self, workflow: &str, task: &str) -> Result<Option<Timestamp>, StateError> {
        let v: Option<i64> = self
            .conn
            .query_row(
                "SELECT value FROM watermark WHERE profile = ?1 AND task = ?2",
                params![workflow, task],
                |r| r.get(0),
            )
            .optional()?;
        Ok(v.map(super::from_micros))
    }

    /// Saves the watermark (call only after the export's file was written).
    pub fn set_watermark(
        &self,
        workflow: &str,
        task: &str,
        at: Timestamp,
    ) -> Result<(), StateError> {
        self.conn.execute(
            "INSERT INTO watermark (profile, task, value) VALUES (?1, ?2, ?3)
             ON CONFLICT (profile, task) DO UPDATE SET value = excluded.value",
            params![workflow, task, at.as_microsecond()],
        )?;
        Ok(())
    }

    /// Forgets the watermark, so the next export starts from everything.
    pub fn clear_watermark(&self, workflow: &str, task: &str) -> Result<(), StateError> {
        self.conn.execute(
            "DELETE FROM watermark WHERE profile = ?1 AND task = ?2",
            params![workflow, task],
        )?;
        Ok(())
    }
}
