//! The name this host goes by in the run log and in a shared run lock.

/// Overrides the host name (e.g. a pod's stable name rather than its generated one).
pub(super) const ENV_VAR: &str = "ZYNK_HOST";

/// `ZYNK_HOST` if set, else the machine's host name, else `unknown`.
#[must_use]
pub fn host_name() -> String {
    std::env::var(ENV_VAR)
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .or_else(|| whoami::hostname().ok().filter(|h| !h.is_empty()))
        .unwrap_or_else(|| "unknown".to_string())
}
