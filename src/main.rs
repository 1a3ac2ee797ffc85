//! The `zynk` binary: parses arguments and hands over to the CLI.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    zynk::cli::main()
}
