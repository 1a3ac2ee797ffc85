//! The truth table: website Id → ledger reference, per workflow (profile) and record type.
use rusqlite::{Connection, OptionalExtension, params};

use super::clock::now_micros;

/// Record type key for customers in the truth table.
pub const TRUTH_CUSTOMER: &str = "Customer";
/// Record type key for sales orders in the truth table.
pub const TRUTH_SALES_ORDER: &str = "SalesOrder";
/// Record type key for invoices and credit notes in the truth table.
pub const TRUTH_INVOICE: &str = "Invoice";
/// Record type key for transactions in the truth table.
pub const TRUTH_TRANSACTION: &str = "Transaction";

/// Looks up the external id stored for `internal_id`. `schema` is `main`, or `state` when
/// the state store is attached to the ledger's connection (any other value means `state`).
pub(crate) fn lookup(
    conn: &Connection,
    schema: &str,
    profile: &str,
    kind: &str,
    internal_id: &str,
) -> rusqlite::Result<Option<String>> {
    Ok(lookup_row(conn, schema, profile, kind, internal_id)?.map(|(external, _)| external))
}

/// Looks up the external id and the fingerprint (`hash`) stored for `internal_id`; `schema` as
/// for [`lookup`].
pub(crate) fn lookup_row(
    conn: &Connection,
    schema: &str,
    profile: &str,
    kind: &str,
    internal_id: &str,
) -> rusqlite::Result<Option<(String, Option<String>)>> {
    let sql = if schema == "main" {
        "SELECT external_id, hash FROM main.truth WHERE profile = ?1 AND type = ?2 AND internal_id = ?3"
    } else {
        "SELECT external_id, hash FROM state.truth WHERE profile = ?1 AND type = ?2 AND internal_id = ?3"
    };
    conn.prepare_cached(sql)?
        .query_row(params![profile, kind, internal_id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()
}

/// Stores (or replaces) `internal_id → external_id`.
pub(crate) fn store(
    conn: &Connection,
    schema: &str,
    profile: &str,
    kind: &str,
    internal_id: &str,
    external_id: &str,
) -> rusqlite::Result<()> {
    store_with(conn, schema, profile, kind, internal_id, external_id, None)
}

/// As [`store`], with the record's fingerprint (kept when `None`).
pub(crate) fn store_with(
    conn: &Connection,
    schema: &str,
    profile: &str,
    kind: &str,
    internal_id: &str,
    external_id: &str,
    fingerprint: Option<&str>,
) -> rusqlite::Result<()> {
    let sql = if schema == "main" {
        "INSERT INTO main.truth (profile, type, internal_id, external_id, hash, created, modified)
         VALUES (?1, ?2, ?3, ?4, ?6, ?5, ?5)
         ON CONFLICT (profile, type, internal_id)
         DO UPDATE SET external_id = excluded.external_id, modified = excluded.modified,
            hash = coalesce(excluded.hash, hash)"
    } else {
        "INSERT INTO state.truth (profile, type, internal_id, external_id, hash, created, modified)
         VALUES (?1, ?2, ?3, ?4, ?6, ?5, ?5)
         ON CONFLICT (profile, type, internal_id)
         DO UPDATE SET external_id = excluded.external_id, modified = excluded.modified,
            hash = coalesce(excluded.hash, hash)"
    };
    conn.prepare_cached(sql)?.execute(params![
        profile,
        kind,
        internal_id,
        external_id,
        now_micros(),
        fingerprint
    ])?;
    Ok(())
}
