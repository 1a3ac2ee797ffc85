//! The integration tests of the language: one binary, one module per area.
#[path = "../support/mod.rs"]
mod support;

mod cli;
mod cli_habits;
mod conditions;
mod demo_flow;
mod demo_invoices;
mod diagnostics;
mod docs;
mod editors;
mod encodings;
mod events;
mod file_tasks;
mod format;
mod grammar_table;
mod harness;
mod json_api;
mod language_docs;
mod ledger_cli;
mod lsp;
mod map_grammar;
mod mistakes;
mod output_modes;
mod plan;
mod record_loops;
mod registry;
mod robustness;
mod run;
mod run_fixtures;
mod shared_state;
mod shop_recipe;
mod shopify;
mod stock_imports;
mod terminal;
mod woocommerce;
