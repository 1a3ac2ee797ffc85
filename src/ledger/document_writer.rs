//! What an order-shaped import writes through for its whole run: the document inserts and the
//! posting insert prepared once, and the balance moves held until just before the commit.
use rusqlite::{Connection, Statement};

use super::LedgerError;
use super::held_balances::HeldBalances;
use super::posting::RECORD_TRANSACTION;
use super::sales_order::{DocumentInserts, DocumentTable};

/// The write side of one document import.
pub(crate) struct DocumentWriter<'c> {
    /// Header and line inserts of the import's document table.
    pub(crate) inserts: DocumentInserts<'c>,
    /// The insert of a posted transaction (invoices post theirs).
    pub(crate) posting: Statement<'c>,
    /// Customer and bank balance moves, written once per account at the end.
    pub(crate) balances: HeldBalances,
}

impl<'c> DocumentWriter<'c> {
    /// Prepares the statements for documents of `table`.
    pub(crate) fn prepare(
        conn: &'c Connection,
        table: &DocumentTable,
    ) -> Result<DocumentWriter<'c>, LedgerError> {
        Ok(DocumentWriter {
            inserts: DocumentInserts::prepare(conn, table)?,
            posting: conn.prepare(RECORD_TRANSACTION)?,
            balances: HeldBalances::default(),
        })
    }
}
