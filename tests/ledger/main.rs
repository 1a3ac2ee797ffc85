//! Integration tests of the Connect XML records, the SQLite ledger, the imports and the stock export.
mod atomicity;
mod common;
mod docs;
mod errors;
mod export;
mod listing;
mod migrations;
mod orders;
mod property;
mod references;
mod samples;
mod truth_rows;
