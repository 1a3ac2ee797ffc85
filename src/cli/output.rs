//! Standard output for listings: a reader that closes the pipe early (`| head`) ends the
//! command quietly instead of a panic.
use std::io::{self, Write};

/// Whether the reader of standard output has gone away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sink {
    Open,
    Closed,
}

/// Writes `text` to standard output and flushes it. A closed pipe is `Sink::Closed`;
/// any other write error is reported on stderr and treated the same way, since nothing
/// more can be printed.
pub(crate) fn out(text: &str) -> Sink {
    let mut stdout = io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => Sink::Open,
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => Sink::Closed,
        Err(error) => {
            err(&format!("zynk: cannot write to standard output: {error}\n"));
            Sink::Closed
        }
    }
}

/// Writes `text` to standard error, ignoring a closed stderr.
pub(crate) fn err(text: &str) {
    let _ = io::stderr().lock().write_all(text.as_bytes());
}
