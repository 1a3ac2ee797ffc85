//! The success and fail files of an import into Tryton: each record lands in exactly one, both renamed into place at the end.
use std::path::Path;

use crate::connect::{CompanyWriter, Node, RecordError, Shape, mark_failed};
use crate::ledger::{ImportError, ImportReport};
use crate::xml_input::OutputEncoding;

/// The two output files and the counts of an import.
pub(super) struct Outputs {
    success: CompanyWriter,
    fail: CompanyWriter,
    pub(super) report: ImportReport,
    kind: &'static str,
}

impl Outputs {
    pub(super) fn create(
        success: &Path,
        fail: &Path,
        collection: &str,
        kind: &'static str,
        encoding: Option<OutputEncoding>,
    ) -> Result<Outputs, ImportError> {
        Ok(Outputs {
            success: CompanyWriter::create_in(success, collection, Shape::Full, encoding)?,
            fail: CompanyWriter::create_in(fail, collection, Shape::Full, encoding)?,
            report: ImportReport::default(),
            kind,
        })
    }

    /// How messages name a record: `SalesOrder Id 7`, else `SalesOrder #3` (its place in the input).
    pub(super) fn label(&self, node: &Node, index: u64) -> String {
        match node.text_of("Id") {
            Some(id) => format!("{} Id {id}", self.kind),
            None => format!("{} #{index}", self.kind),
        }
    }

    /// A record imported now.
    pub(super) fn imported(&mut self, node: &Node) -> Result<(), ImportError> {
        self.report.succeeded += 1;
        Ok(self.success.write(node)?)
    }

    /// A record an earlier run imported: in the success file again.
    pub(super) fn again(&mut self, node: &Node) -> Result<(), ImportError> {
        self.report.already_imported += 1;
        Ok(self.success.write(node)?)
    }

    /// A record that failed, with its stage and message.
    pub(super) fn failed(
        &mut self,
        mut node: Node,
        label: &str,
        stage: &str,
        message: &str,
    ) -> Result<(), ImportError> {
        self.report.failed += 1;
        self.report.failures.push(format!("{label}: {message}"));
        mark_failed(&mut node, &[RecordError::now(stage, message)]);
        Ok(self.fail.write(&node)?)
    }

    /// Writes both files into place.
    pub(super) fn finish(self) -> Result<ImportReport, ImportError> {
        let success = self.success.finish()?;
        let fail = self.fail.finish()?;
        success.commit()?;
        fail.commit()?;
        Ok(self.report)
    }
}
