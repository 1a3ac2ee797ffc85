//! `Sink`: where the streaming pass sends what it finds, so one pass serves `split` and `foreach`.
use super::error::SplitError;

/// Receives the input in order: bytes outside records, and where each record begins and ends.
pub(crate) trait Sink {
    /// Bytes outside any record, in input order.
    fn skeleton(&mut self, bytes: &[u8]) -> Result<(), SplitError>;
    /// A record begins at input offset `offset` (its leading whitespace included).
    fn begin_record(&mut self, offset: u64);
    /// The current record ends just before input offset `offset`.
    fn end_record(&mut self, offset: u64) -> Result<(), SplitError>;
}
