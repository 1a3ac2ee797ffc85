//! The integration tests: one binary, one module per area. The areas kept in their own
//! folders or files beside this one (HTTP, the ledger, Tryton, convert, map, split, XPath,
//! the demo shop and the crash tests) are modules of it too.
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
mod layers;
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
mod tokens;
mod woocommerce;

#[path = "../convert.rs"]
mod convert;
#[path = "../demo.rs"]
mod demo;
#[path = "../faults.rs"]
mod faults;
#[path = "../http/main.rs"]
mod http;
#[path = "../ledger/main.rs"]
mod ledger;
#[path = "../map.rs"]
mod map;
#[path = "../map_dsl/mod.rs"]
mod map_dsl;
#[path = "../map_scripts.rs"]
mod map_scripts;
#[path = "../map_shops.rs"]
mod map_shops;
#[path = "../map_xslt.rs"]
mod map_xslt;
#[path = "../split.rs"]
mod split;
#[path = "../split_fast_path.rs"]
mod split_fast_path;
#[path = "../tryton/main.rs"]
mod tryton;
#[path = "../xpath_api.rs"]
mod xpath_api;
#[path = "../xpath_corpus.rs"]
mod xpath_corpus;
