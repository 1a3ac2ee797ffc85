//! zynk: an interpreter for `.zynk` integration scripts.
//!
//! `source → check::compile → Program → runtime::Runtime::run`: `check::compile` parses
//! and checks in one pass, a top-level line at a time (`syntax::parse` alone gives the
//! whole `Ast`, for `zynk fmt`).
#![warn(unreachable_pub)]

pub mod check;
pub mod cli;
pub mod connect;
pub mod convert;
#[cfg(feature = "demo")]
pub mod demo;
pub mod diagnostic;
pub mod editor_grammar;
pub mod format;
pub mod http;
pub mod json;
pub(crate) mod launch;
pub mod ledger;
pub mod lsp;
pub mod map;
pub(crate) mod output_file;
pub(crate) mod plan;
pub(crate) mod process;
pub mod reference;
pub mod runtime;
pub mod source;
pub mod split;
pub mod state;
pub(crate) mod suggest;
pub mod syntax;
pub mod tasks;
mod text_position;
pub mod tryton;
pub mod xml_input;
pub mod xpath;
