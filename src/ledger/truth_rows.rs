//! Truth rows of one import, held in memory and written in batches of at most
//! [`HOLD_AT_MOST`] rows inside the import's transaction, with lookups that see the held rows
//! first.
//!
//! The import holds the write lock from its first statement to its commit, so the truth table
//! only changes through the import itself while it runs: a lookup is answered by the rows held
//! so far, then by the table as it was when the import began. When the table held no row of
//! the workflow and type at the start (a first import), the held rows are the whole answer and
//! the table is not asked at all.
use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};

use rusqlite::{Connection, params};

use crate::state::{now_micros, truth_row_on};

use super::import_run::STATE;

/// The truth rows (`Id` → reference) an import has decided, not yet written.
#[derive(Debug)]
pub(crate) struct TruthRows {
    workflow: String,
    kind: &'static str,
    /// Whether the table held rows of this workflow and type when the import began.
    stored: bool,
    held: HashMap<String, HeldRow>,
    /// Digests of the ids this import has already written: a lookup of any other id, on a
    /// first import, needs no query.
    written: HashSet<u64>,
}

/// How many rows are held before they are written: the memory an import takes stays the same
/// however many records its input holds.
pub(crate) const HOLD_AT_MOST: usize = 8192;

/// One held row: the reference, the record's fingerprint, and when it was first and last
/// stored in this import.
#[derive(Debug)]
struct HeldRow {
    reference: String,
    fingerprint: Option<String>,
    created: i64,
    modified: i64,
}

impl TruthRows {
    /// Starts holding rows of `workflow` and `kind`; must run inside the import's transaction
    /// (with the state store attached), so the table cannot change behind it.
    pub(crate) fn begin(
        conn: &Connection,
        workflow: &str,
        kind: &'static str,
    ) -> rusqlite::Result<TruthRows> {
        let stored = conn.query_row(
            &format!(
                "SELECT EXISTS (SELECT 1 FROM {STATE}.truth WHERE profile = ?1 AND type = ?2)"
            ),
            params![workflow, kind],
            |r| r.get(0),
        )?;
        Ok(TruthRows {
            workflow: workflow.to_string(),
            kind,
            stored,
            held: HashMap::new(),
            written: HashSet::new(),
        })
    }

    /// The reference stored for `id`: a held row, else the table's.
    pub(crate) fn lookup(&self, conn: &Connection, id: &str) -> rusqlite::Result<Option<String>> {
        Ok(self.lookup_row(conn, id)?.map(|(reference, _)| reference))
    }

    /// The reference and fingerprint stored for `id` (the fingerprint is `None` for rows
    /// written before fingerprints were kept, and for record types that keep none).
    pub(crate) fn lookup_row(
        &self,
        conn: &Connection,
        id: &str,
    ) -> rusqlite::Result<Option<(String, Option<String>)>> {
        if let Some(row) = self.held.get(id) {
            return Ok(Some((row.reference.clone(), row.fingerprint.clone())));
        }
        if !self.stored && !self.written.contains(&digest(id)) {
            return Ok(None);
        }
        truth_row_on(conn, STATE, &self.workflow, self.kind, id)
    }

    /// Holds `id → reference` (replacing a row held for the same `id`, as the table's upsert
    /// does), writing the held rows when there are [`HOLD_AT_MOST`].
    pub(crate) fn hold(
        &mut self,
        conn: &Connection,
        id: String,
        reference: String,
    ) -> rusqlite::Result<()> {
        self.hold_with(conn, id, reference, None)
    }

    /// As [`TruthRows::hold`], with the fingerprint of what was imported.
    pub(crate) fn hold_with(
        &mut self,
        conn: &Connection,
        id: String,
        reference: String,
        fingerprint: Option<String>,
    ) -> rusqlite::Result<()> {
        let now = now_micros();
        match self.held.get_mut(&id) {
            Some(row) => {
                row.reference = reference;
                if fingerprint.is_some() {
                    row.fingerprint = fingerprint;
                }
                row.modified = now;
            }
            None => {
                self.held.insert(
                    id,
                    HeldRow {
                        reference,
                        fingerprint,
                        created: now,
                        modified: now,
                    },
                );
            }
        }
        if self.held.len() >= HOLD_AT_MOST {
            self.flush(conn)?;
        }
        Ok(())
    }

    /// How many rows are held.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.held.len()
    }

    /// Writes the rows still held; the import's transaction then commits them with the rest.
    pub(crate) fn write(mut self, conn: &Connection) -> rusqlite::Result<()> {
        self.flush(conn)
    }

    /// Writes the held rows (in key order, so the table's B-tree is appended to page by page)
    /// into the current transaction, [`ROWS_PER_INSERT`] rows per statement, and lets them go.
    /// A row already in the table keeps its `created` time (and its fingerprint when the new
    /// row has none), as when it is held again.
    fn flush(&mut self, conn: &Connection) -> rusqlite::Result<()> {
        let mut rows: Vec<(String, HeldRow)> = self.held.drain().collect();
        if !self.stored {
            self.written.extend(rows.iter().map(|(id, _)| digest(id)));
        }
        rows.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut full = None;
        for chunk in rows.chunks(ROWS_PER_INSERT) {
            let mut partial;
            let stmt = if chunk.len() == ROWS_PER_INSERT {
                match &mut full {
                    Some(stmt) => stmt,
                    None => full.insert(conn.prepare(&upsert_sql(ROWS_PER_INSERT))?),
                }
            } else {
                partial = conn.prepare(&upsert_sql(chunk.len()))?;
                &mut partial
            };
            let mut at = 1;
            for (id, row) in chunk {
                stmt.raw_bind_parameter(at, &self.workflow)?;
                stmt.raw_bind_parameter(at + 1, self.kind)?;
                stmt.raw_bind_parameter(at + 2, id)?;
                stmt.raw_bind_parameter(at + 3, &row.reference)?;
                stmt.raw_bind_parameter(at + 4, &row.fingerprint)?;
                stmt.raw_bind_parameter(at + 5, row.created)?;
                stmt.raw_bind_parameter(at + 6, row.modified)?;
                at += 7;
            }
            stmt.raw_execute()?;
        }
        Ok(())
    }
}

/// A digest of an id, for [`TruthRows::written`].
fn digest(id: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    id.hash(&mut hasher);
    hasher.finish()
}

/// How many truth rows one `INSERT` writes (7 parameters each).
const ROWS_PER_INSERT: usize = 64;

/// The upsert of `rows` truth rows.
fn upsert_sql(rows: usize) -> String {
    let mut sql = format!(
        "INSERT INTO {STATE}.truth (profile, type, internal_id, external_id, hash, created, modified) VALUES "
    );
    for i in 0..rows {
        if i > 0 {
            sql.push(',');
        }
        sql.push_str("(?,?,?,?,?,?,?)");
    }
    sql.push_str(
        " ON CONFLICT (profile, type, internal_id)
         DO UPDATE SET external_id = excluded.external_id, modified = excluded.modified,
            hash = coalesce(excluded.hash, hash)",
    );
    sql
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conn() -> rusqlite::Result<Connection> {
        let conn = Connection::open_in_memory()?;
        conn.execute_batch(
            "ATTACH DATABASE ':memory:' AS state;
             CREATE TABLE state.truth (profile TEXT NOT NULL, type TEXT NOT NULL,
                internal_id TEXT NOT NULL, external_id TEXT NOT NULL, hash TEXT,
                created INTEGER NOT NULL, modified INTEGER NOT NULL,
                PRIMARY KEY (profile, type, internal_id)) WITHOUT ROWID;",
        )?;
        Ok(conn)
    }

    #[test]
    fn held_rows_are_seen_before_they_are_written() -> rusqlite::Result<()> {
        let conn = conn()?;
        let mut rows = TruthRows::begin(&conn, "wf", "Customer")?;
        assert_eq!(rows.lookup(&conn, "7")?, None);
        rows.hold(&conn, "7".into(), "ABC001".into())?;
        rows.hold(&conn, "7".into(), "ABC002".into())?;
        assert_eq!(rows.lookup(&conn, "7")?.as_deref(), Some("ABC002"));
        assert_eq!(rows.len(), 1);
        rows.write(&conn)?;
        let stored: String = conn.query_row(
            "SELECT external_id FROM state.truth WHERE internal_id = '7'",
            [],
            |r| r.get(0),
        )?;
        assert_eq!(stored, "ABC002");
        Ok(())
    }

    #[test]
    fn rows_stored_before_the_import_are_found_and_updated() -> rusqlite::Result<()> {
        let conn = conn()?;
        conn.execute(
            "INSERT INTO state.truth VALUES ('wf', 'Customer', '1', 'OLD001', NULL, 5, 5)",
            [],
        )?;
        let mut rows = TruthRows::begin(&conn, "wf", "Customer")?;
        assert_eq!(rows.lookup(&conn, "1")?.as_deref(), Some("OLD001"));
        assert_eq!(rows.lookup(&conn, "2")?, None);
        rows.hold(&conn, "1".into(), "NEW001".into())?;
        rows.write(&conn)?;
        let (external, created): (String, i64) = conn.query_row(
            "SELECT external_id, created FROM state.truth WHERE internal_id = '1'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        assert_eq!((external.as_str(), created), ("NEW001", 5));
        // Another workflow's rows do not count as stored for this one.
        assert!(!TruthRows::begin(&conn, "other", "Customer")?.stored);
        Ok(())
    }

    #[test]
    fn many_rows_are_written_in_full_and_partial_statements() -> rusqlite::Result<()> {
        let conn = conn()?;
        conn.execute(
            "INSERT INTO state.truth VALUES ('wf', 'Customer', 'id-005', 'OLD', NULL, 5, 5)",
            [],
        )?;
        let mut rows = TruthRows::begin(&conn, "wf", "Customer")?;
        let n = 2 * ROWS_PER_INSERT + 3;
        for i in 0..n {
            rows.hold(&conn, format!("id-{i:03}"), format!("REF{i}"))?;
        }
        rows.write(&conn)?;
        let count: i64 = conn.query_row(
            "SELECT count(*) FROM state.truth WHERE profile = 'wf' AND external_id LIKE 'REF%'",
            [],
            |r| r.get(0),
        )?;
        assert_eq!(count, n as i64);
        let (external, created): (String, i64) = conn.query_row(
            "SELECT external_id, created FROM state.truth WHERE internal_id = 'id-005'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        assert_eq!((external.as_str(), created), ("REF5", 5));
        let last: String = conn.query_row(
            &format!(
                "SELECT external_id FROM state.truth WHERE internal_id = 'id-{:03}'",
                n - 1
            ),
            [],
            |r| r.get(0),
        )?;
        assert_eq!(last, format!("REF{}", n - 1));
        Ok(())
    }

    #[test]
    fn a_long_import_writes_its_rows_in_batches_and_still_finds_them() -> rusqlite::Result<()> {
        let conn = conn()?;
        let mut rows = TruthRows::begin(&conn, "wf", "Customer")?;
        let n = HOLD_AT_MOST + 10;
        for i in 0..n {
            rows.hold(&conn, format!("id-{i}"), format!("REF{i}"))?;
        }
        assert_eq!(rows.len(), 10, "the first batch was written and let go");
        let written: i64 = conn.query_row("SELECT count(*) FROM state.truth", [], |r| r.get(0))?;
        assert_eq!(written, HOLD_AT_MOST as i64);
        assert_eq!(rows.lookup(&conn, "id-0")?.as_deref(), Some("REF0"));
        assert_eq!(rows.lookup(&conn, "no-such-id")?, None);
        // Held again after it was written: the table's row is updated, keeping its creation.
        let created: i64 = conn.query_row(
            "SELECT created FROM state.truth WHERE internal_id = 'id-0'",
            [],
            |r| r.get(0),
        )?;
        rows.hold(&conn, "id-0".into(), "AGAIN".into())?;
        assert_eq!(rows.lookup(&conn, "id-0")?.as_deref(), Some("AGAIN"));
        rows.write(&conn)?;
        let (external, kept): (String, i64) = conn.query_row(
            "SELECT external_id, created FROM state.truth WHERE internal_id = 'id-0'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        assert_eq!((external.as_str(), kept), ("AGAIN", created));
        let total: i64 = conn.query_row("SELECT count(*) FROM state.truth", [], |r| r.get(0))?;
        assert_eq!(total, n as i64);
        Ok(())
    }
}
