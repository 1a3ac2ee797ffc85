//! Reading a response body to its end: bounded by `max_size`, checked against the statement's
//! rules, into the output file, keeping its first lines for messages.
use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use reqwest::blocking;

use super::cause::cause_text;
use super::client::Exchange;
use super::error::HttpError;
use super::expect::{self, Broken, Expectation};
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
    /// The rule the body broke; such a body is not saved.
    pub(super) broken: Option<Broken>,
    /// What the user should know about the saved body.
    pub(super) notes: Vec<String>,
}

/// Where a body goes while it is read.
enum Sink {
    /// The statement's output file, through a temporary file beside it.
    Output(TempOutput),
    /// An anonymous temporary file, so that rules can be checked without an output file.
    Spool(File),
}

impl Sink {
    fn write(&mut self, chunk: &[u8]) -> Result<(), HttpError> {
        match self {
            Sink::Output(output) => output.write(chunk),
            Sink::Spool(file) => file.write_all(chunk).map_err(spool_error),
        }
    }

    fn file_mut(&mut self) -> &mut File {
        match self {
            Sink::Output(output) => output.file_mut(),
            Sink::Spool(file) => file,
        }
    }
}

fn spool_error(source: io::Error) -> HttpError {
    HttpError::Output {
        path: std::env::temp_dir(),
        source,
    }
}

impl Exchange {
    /// Reads the whole body, streaming it into a temporary file beside `output` that is renamed
    /// into place once the body is complete and keeps `rules`. Keeps the first lines for error
    /// messages. A body over `max_size` fails and leaves nothing behind.
    pub(super) fn read_body(
        &self,
        mut response: blocking::Response,
        output: Option<&Path>,
        deadline: Instant,
        attempt: u32,
        rules: &[Expectation],
    ) -> Result<ReadBody, Failed> {
        let limit = self.req.max_size;
        if let Some(length) = response.content_length()
            && length > limit
        {
            return Err(Failed::Final(self.too_large(Some(length))));
        }
        let charset = charset(response.headers());
        let mut sink = match output {
            Some(path) => Some(Sink::Output(
                TempOutput::create(path).map_err(Failed::Final)?,
            )),
            None if !rules.is_empty() => Some(Sink::Spool(
                tempfile::tempfile()
                    .map_err(spool_error)
                    .map_err(Failed::Final)?,
            )),
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
            if bytes.saturating_add(n as u64) > limit {
                return Err(Failed::Final(self.too_large(None)));
            }
            let chunk = &buf[..n];
            if head.len() < BODY_HEAD_BYTES {
                let take = (BODY_HEAD_BYTES - head.len()).min(n);
                head.extend_from_slice(&chunk[..take]);
            }
            if let Some(sink) = sink.as_mut() {
                sink.write(chunk).map_err(Failed::Final)?;
            }
            bytes += n as u64;
            if self.cancelled() {
                return Err(Failed::Final(self.interrupted()));
            }
            if Instant::now() > deadline {
                return Err(self.retry_if_safe(self.timeout_error(attempt)));
            }
        }
        let mut notes = Vec::new();
        if let (Some(Sink::Output(out)), Some(charset)) = (sink.as_mut(), charset.as_deref()) {
            let verdict = super::charset::reconcile(out.file_mut(), charset).map_err(|source| {
                Failed::Final(HttpError::Output {
                    path: output.map_or_else(std::env::temp_dir, Path::to_path_buf),
                    source,
                })
            })?;
            notes.extend(verdict.map(|v| v.note()));
        }
        let broken = match sink.as_mut() {
            Some(sink) if !rules.is_empty() => {
                let file = sink.file_mut();
                expect::check(rules, file, charset.as_deref()).map_err(|source| {
                    Failed::Final(HttpError::Output {
                        path: output.map_or_else(std::env::temp_dir, Path::to_path_buf),
                        source,
                    })
                })?
            }
            _ => None,
        };
        if self.cancelled() {
            // The run stopped while this body came in: nothing half-done is kept.
            return Err(Failed::Final(self.interrupted()));
        }
        let saved_to = match sink {
            Some(Sink::Output(output)) if broken.is_none() => {
                Some(output.finish().map_err(Failed::Final)?)
            }
            _ => None,
        };
        Ok(ReadBody {
            bytes,
            head: body_head(&head),
            saved_to,
            broken,
            notes,
        })
    }

    fn too_large(&self, length: Option<u64>) -> HttpError {
        HttpError::TooLarge {
            url: self.shown_url.clone(),
            limit: self.req.max_size,
            length,
        }
    }
}

/// The `charset` of a response's `Content-Type`, if it names one.
fn charset(headers: &reqwest::header::HeaderMap) -> Option<String> {
    let value = headers.get(reqwest::header::CONTENT_TYPE)?.to_str().ok()?;
    value.split(';').find_map(|part| {
        let (name, value) = part.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches('"').to_string())
    })
}

/// The first lines (at most `BODY_HEAD_LINES`, 1 KB) of a body as text.
pub(super) fn body_head(bytes: &[u8]) -> String {
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

    #[test]
    fn charsets_are_read_from_the_content_type() {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(
            reqwest::header::CONTENT_TYPE,
            reqwest::header::HeaderValue::from_static("application/xml; Charset=\"ISO-8859-1\""),
        );
        assert_eq!(charset(&headers).as_deref(), Some("ISO-8859-1"));
    }
}
