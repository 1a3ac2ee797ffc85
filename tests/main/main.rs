//! The integration tests of the language: one binary, one module per area.
#[path = "../support/mod.rs"]
mod support;

mod cli;
mod cli_habits;
mod demo_flow;
mod diagnostics;
mod docs;
mod encodings;
mod file_tasks;
mod harness;
mod ledger_cli;
mod robustness;
mod run;
