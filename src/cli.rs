//! Command-line interface: argument parsing, diagnostics rendering and exit codes.
use std::process::ExitCode;

/// Entry point used by the binary.
pub fn main() -> ExitCode {
    ExitCode::SUCCESS
}
