//! The one declaration of the HTTP defaults, used by the client, the statements and the docs.
use std::time::Duration;

/// Zynk's default whole-request timeout (the task's `Timeout` of 120000 ms).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(120);
/// Zynk's default number of extra attempts after the first (its sample workflow retries once).
pub const DEFAULT_RETRIES: u32 = 1;
/// The default wait before the first retry; each later retry waits twice as long.
pub const DEFAULT_RETRY_WAIT: Duration = Duration::from_secs(1);
/// Zynk's default `User-Agent` (HTTP task documentation).
pub const DEFAULT_USER_AGENT: &str = "Zynk Software Ltd/Zynk";
/// The longest wait between two attempts, whatever the backoff or `Retry-After` say, unless
/// the statement sets `max_retry_wait`.
pub const MAX_RETRY_WAIT: Duration = Duration::from_secs(300);
/// The largest response body read, unless the statement sets `max_size`: 1 GiB.
pub const MAX_SIZE: u64 = 1024 * 1024 * 1024;
