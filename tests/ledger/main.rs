//! Integration tests of the Connect XML records, the SQLite ledger, the imports and the stock export.
mod atomicity;
mod common;
mod content;
mod docs;
mod errors;
mod export;
mod export_documents;
mod invoices;
mod listing;
mod migrations;
mod orders;
mod property;
mod property_invoices;
mod references;
mod samples;
mod transactions;
mod truth_rows;
