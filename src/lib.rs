//! zynk: an interpreter for `.zynk` integration scripts.
pub mod cli;
pub mod split;
