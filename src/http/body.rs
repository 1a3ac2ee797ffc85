//! Reading a response body to its end: into the output file, keeping its first lines.
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::time::Instant;

use reqwest::blocking;

use super::cause::cause_text;
use super::client::Exchange;
use super::error::HttpError;
use super::output::TempOutput;
use super::retry::Failed;

/// How much of a response's body an error quotes.
const BODY_HEAD_BYTES: usize = 1024;
const BODY_HEAD_LINES: usize = 10;

/// A response body that was read to its end.
pub(super) struct ReadBody {
    pub(super) bytes: u64,
    pub(super) head: String,
    pub(super) saved_to: Option<PathBuf>,
}

impl Exchange<'_> {
    /// Reads the whole body, streaming it into a temporary file beside `output` that is renamed
    /// into place once the body is complete. Keeps the first lines for error messages.
    pub(super) fn read_body(
        &self,
        mut response: blocking::Response,
        output: Option<&Path>,
        deadline: Instant,
        attempt: u32,
    ) -> Result<ReadBody, Failed> {
        let mut sink = match output {
            Some(path) => Some(TempOutput::create(path).map_err(Failed::Final)?),
            None => None,
        };
        let mut head = Vec::new();
        let mut bytes: u64 = 0;
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = match response.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
                Err(err) => {
                    let error = if is_timeout_io(&err) || Instant::now() >= deadline {
                        self.timeout_error(attempt)
                    } else {
                        HttpError::BodyRead {
                            url: self.shown_url.clone(),
                            bytes,
                            attempts: attempt,
                            cause: cause_text(&err, &self.secrets),
                        }
                    };
                    return Err(self.retry_if_safe(error));
                }
            };
            let chunk = &buf[..n];
            if head.len() < BODY_HEAD_BYTES {
                let take = (BODY_HEAD_BYTES - head.len()).min(n);
                head.extend_from_slice(&chunk[..take]);
            }
            if let Some(sink) = sink.as_mut() {
                sink.write(chunk).map_err(Failed::Final)?;
            }
            bytes += n as u64;
            if Instant::now() > deadline {
                return Err(self.retry_if_safe(self.timeout_error(attempt)));
            }
        }
        let saved_to = match sink {
            Some(sink) => Some(sink.finish().map_err(Failed::Final)?),
            None => None,
        };
        Ok(ReadBody {
            bytes,
            head: body_head(&head),
            saved_to,
        })
    }
}

/// The first lines (at most `BODY_HEAD_LINES`, 1 KB) of a body as text.
fn body_head(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let lines: Vec<&str> = text
        .lines()
        .take(BODY_HEAD_LINES)
        .map(str::trim_end)
        .collect();
    lines.join("\n").trim().to_string()
}

/// Whether an I/O error from reading a body is a timeout.
fn is_timeout_io(err: &io::Error) -> bool {
    if err.kind() == io::ErrorKind::TimedOut {
        return true;
    }
    err.get_ref()
        .and_then(|inner| inner.downcast_ref::<reqwest::Error>())
        .is_some_and(reqwest::Error::is_timeout)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_head_keeps_ten_lines() {
        let body: String = (1..=20).map(|i| format!("line {i}\r\n")).collect();
        let head = body_head(body.as_bytes());
        assert_eq!(head.lines().count(), 10);
        assert!(head.ends_with("line 10"));
        assert_eq!(body_head(b"\xFFok"), "\u{FFFD}ok");
    }
}
