//! The `zynk` binary: parses arguments and hands over to the CLI.
fn main() -> std::process::ExitCode {
    zynk::cli::main()
}
