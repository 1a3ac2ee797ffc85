//! zynk: an interpreter for `.zynk` integration scripts.
pub mod cli;
pub mod connect;
pub mod ledger;
pub mod state;
