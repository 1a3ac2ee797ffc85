//! The frame every import runs in: one transaction, each record checked completely before its
//! first write, atomic output files.
//!
//! A record runs in two phases. The *check* phase reads the ledger and decides everything the
//! record will write; it is the only phase that can reject the record (fail file). The *write*
//! phase then applies the decided rows and can only fail as a whole import (its error type has
//! no rejection), so no per-record savepoint is needed: a record either passes its checks and
//! is written whole, or is rejected before anything of it was written; a write error rolls back
//! the whole import.
use std::path::Path;

use crate::connect::{CompanyWriter, Node, RecordError, RecordReader, Shape, mark_failed};
use crate::state::StateStore;

use super::import_error::{ImportError, ImportReport};
use super::limits::Fitter;
use super::{Ledger, LedgerError};

/// Schema name under which the state store is attached to the ledger's connection.
pub(crate) const STATE: &str = "state";

/// Why one record did not import.
#[derive(Debug)]
pub(crate) enum RecordFailure {
    /// The record is at fault: it goes to the fail file with this stage and message.
    Rejected {
        /// Stage for the `Errors/Error/Name` element.
        stage: Stage,
        /// Message for `Errors/Error/Description`.
        message: String,
    },
    /// The record was imported by an earlier run: it goes to the success file again, edited
    /// to carry what the ledger gave it then, and nothing is written to the ledger.
    AlreadyImported(Resend),
    /// The ledger failed: the whole import stops and is rolled back.
    Fatal(rusqlite::Error),
}

/// The success-file edit of a record imported before.
pub(crate) struct Resend(pub(crate) SuccessEdit);

impl std::fmt::Debug for Resend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Resend")
    }
}

impl From<rusqlite::Error> for RecordFailure {
    fn from(e: rusqlite::Error) -> Self {
        RecordFailure::Fatal(e)
    }
}

impl From<LedgerError> for RecordFailure {
    fn from(e: LedgerError) -> Self {
        match e {
            LedgerError::Query { source } | LedgerError::Open { source, .. } => {
                RecordFailure::Fatal(source)
            }
            other => RecordFailure::Fatal(rusqlite::Error::ToSqlConversionFailure(Box::new(other))),
        }
    }
}

/// Turns an input record into its success-file form.
pub(crate) type SuccessEdit = Box<dyn FnOnce(&mut Node)>;

/// The stage a rejected record's `Errors/Error/Name` names in the fail file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stage {
    /// The record breaks a rule of the import (a missing field, a value out of range).
    Validation,
    /// Its `Id` was imported before.
    Duplicate,
    /// Its `Id` was imported before with other content.
    Conflict,
}

impl Stage {
    pub(crate) const fn as_str(self) -> &'static str {
        match self {
            Stage::Validation => "Validation",
            Stage::Duplicate => "Duplicate",
            Stage::Conflict => "Conflict",
        }
    }
}

/// Shorthand for a record-level rejection.
pub(crate) fn reject(stage: Stage, message: impl Into<String>) -> RecordFailure {
    RecordFailure::Rejected {
        stage,
        message: message.into(),
    }
}

/// An import in progress. Dropping it without [`ImportRun::finish`] rolls everything back and
/// leaves the success and fail files untouched.
pub(crate) struct ImportRun<'a> {
    ledger: &'a Ledger,
    reader: RecordReader,
    success: Option<CompanyWriter>,
    fail: Option<CompanyWriter>,
    report: ImportReport,
    in_transaction: bool,
    attached: bool,
    kind: &'static str,
}

impl<'a> ImportRun<'a> {
    /// Opens the input (missing → `NotFound`), creates the output files, attaches the state
    /// store and opens the import's transaction. Malformed XML found later aborts the whole
    /// import: the transaction is rolled back and no output file is renamed into place.
    /// The success and fail files are written in `encoding` (UTF-8 when `None`).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn begin(
        ledger: &'a Ledger,
        state: &StateStore,
        input: &Path,
        success: &Path,
        fail: &Path,
        collection: &str,
        record: &'static str,
        encoding: Option<crate::xml_input::OutputEncoding>,
    ) -> Result<ImportRun<'a>, ImportError> {
        let reader = RecordReader::open(input, collection, record)?;
        let success = CompanyWriter::create_in(success, collection, Shape::Full, encoding)?;
        let fail = CompanyWriter::create_in(fail, collection, Shape::Full, encoding)?;
        let mut run = ImportRun {
            ledger,
            reader,
            success: Some(success),
            fail: Some(fail),
            report: ImportReport::default(),
            in_transaction: false,
            attached: false,
            kind: record,
        };
        let state_path = state
            .file()
            .ok_or_else(|| ImportError::State {
                source: crate::state::StateError::BadUrl {
                    reason: "is shared by hosts: imports into a file ledger need the state store of this host".to_string(),
                },
            })?
            .to_string_lossy()
            .into_owned();
        ledger
            .conn
            .execute(&format!("ATTACH DATABASE ?1 AS {STATE}"), [state_path])?;
        run.attached = true;
        // Crash safety (docs/ledger.md, Imports): the rollback journal with full syncs on both
        // files, so the commit is atomic across them and a crash never corrupts either.
        ledger.conn.execute_batch(&format!(
            "PRAGMA main.synchronous = FULL; PRAGMA {STATE}.synchronous = FULL;
             PRAGMA {STATE}.cache_size = -16384; BEGIN IMMEDIATE"
        ))?;
        run.in_transaction = true;
        Ok(run)
    }

    /// The next input record.
    pub(crate) fn next(&mut self) -> Result<Option<Node>, ImportError> {
        Ok(self.reader.next_node()?)
    }

    /// Imports one record in two phases. `check` reads the ledger and decides what the record
    /// writes (or rejects it: rolled back to nothing, since nothing was written, and sent to the
    /// fail file with its error); `write` applies that decision and returns the edit that turns
    /// the input record into its success-file form (assigned reference, order number). A
    /// `write` error stops the whole import. Returns whether the record was imported now (a
    /// record imported by an earlier run goes to the success file again but returns false).
    pub(crate) fn record<P>(
        &mut self,
        mut node: Node,
        check: impl FnOnce(&Ledger, &Node, &mut Fitter) -> Result<P, RecordFailure>,
        write: impl FnOnce(&Ledger, P) -> Result<SuccessEdit, LedgerError>,
    ) -> Result<bool, ImportError> {
        crate::runtime::fault::point("import:record");
        self.report.records += 1;
        let mut fitter = Fitter::default();
        match check(self.ledger, &node, &mut fitter) {
            Ok(plan) => {
                let edit = write(self.ledger, plan)?;
                edit(&mut node);
                self.report.succeeded += 1;
                if !fitter.warnings.is_empty() {
                    let label = self.label(&node);
                    for w in fitter.warnings {
                        self.report.warnings.push(format!("{label}: {w}"));
                    }
                }
                if let Some(w) = self.success.as_mut() {
                    w.write(&node)?;
                }
                self.reader.recycle(node);
                Ok(true)
            }
            Err(RecordFailure::Rejected { stage, message }) => {
                self.report.failed += 1;
                if stage == Stage::Duplicate {
                    self.report.already_imported += 1;
                }
                let label = self.label(&node);
                self.report.failures.push(format!("{label}: {message}"));
                mark_failed(&mut node, &[RecordError::now(stage.as_str(), message)]);
                if let Some(w) = self.fail.as_mut() {
                    w.write(&node)?;
                }
                self.reader.recycle(node);
                Ok(false)
            }
            Err(RecordFailure::AlreadyImported(Resend(edit))) => {
                self.report.already_imported += 1;
                edit(&mut node);
                if let Some(w) = self.success.as_mut() {
                    w.write(&node)?;
                }
                self.reader.recycle(node);
                Ok(false)
            }
            Err(RecordFailure::Fatal(source)) => Err(ImportError::Ledger { source }),
        }
    }

    /// How messages name the current record: `Customer Id 7`, else `Customer #3`.
    fn label(&self, node: &Node) -> String {
        match node.text_of("Id") {
            Some(id) => format!("{} Id {id}", self.kind),
            None => format!("{} #{}", self.kind, self.report.records),
        }
    }

    /// Writes both files to disk, commits the ledger and truth rows, then renames the files
    /// into place. A crash before the commit leaves the ledger and the old files as they were.
    pub(crate) fn finish(mut self) -> Result<ImportReport, ImportError> {
        let success = match self.success.take() {
            Some(w) => Some(w.finish()?),
            None => None,
        };
        let fail = match self.fail.take() {
            Some(w) => Some(w.finish()?),
            None => None,
        };
        crate::runtime::fault::point("import:commit");
        self.ledger.conn.execute_batch("COMMIT")?;
        crate::runtime::fault::point("import:commit-done");
        self.in_transaction = false;
        self.detach();
        for pending in [success, fail].into_iter().flatten() {
            pending.commit()?;
        }
        Ok(std::mem::take(&mut self.report))
    }

    fn detach(&mut self) {
        if self.attached {
            self.attached = self
                .ledger
                .conn
                .execute_batch(&format!("DETACH DATABASE {STATE}"))
                .is_err();
        }
    }
}

impl Drop for ImportRun<'_> {
    fn drop(&mut self) {
        if self.in_transaction {
            // Best effort: if the rollback itself fails, SQLite rolls back on close.
            let _ = self.ledger.conn.execute_batch("ROLLBACK");
        }
        self.detach();
    }
}
