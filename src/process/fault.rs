//! Fault points for the crash tests (`tests/faults.rs`): in debug builds only,
//! `ZYNK_FAULT_AT=NAME` or `NAME#K` kills the process with SIGKILL the first (or K-th) time
//! the run passes the point `NAME` (`ZYNK_FAULT_SIGNAL=TERM` or `INT` sends that signal
//! instead, to test an interruption at a known point). Release builds compile every point
//! to nothing.
//!
//! Points: `before:LINE` and `after:LINE` around each statement of the script (every time
//! through a `foreach` block), `import:record` after each record an import handled,
//! `import:commit` just before and `import:commit-done` just after an import's commit,
//! `tryton:create`, `tryton:quote` and `tryton:confirm` before each batch call of that kind
//! to Tryton, `archive:zip` after the zip is complete and before it is renamed, `archive:remove`
//! before each file the archive removes, `watermark:commit` before the run commits its
//! staged export watermarks.

/// Passes the point `name`; kills the process when `ZYNK_FAULT_AT` names it.
#[inline]
pub(crate) fn point(name: &str) {
    #[cfg(debug_assertions)]
    armed::point(name);
    #[cfg(not(debug_assertions))]
    let _ = name;
}

#[cfg(debug_assertions)]
mod armed {
    use std::sync::OnceLock;
    use std::sync::atomic::{AtomicU64, Ordering};

    static TARGET: OnceLock<Option<(String, u64)>> = OnceLock::new();
    static HITS: AtomicU64 = AtomicU64::new(0);

    pub(super) fn point(name: &str) {
        let target = TARGET.get_or_init(|| {
            let text = std::env::var("ZYNK_FAULT_AT").ok()?;
            Some(match text.split_once('#') {
                Some((n, k)) => (n.to_string(), k.parse().unwrap_or(1)),
                None => (text, 1),
            })
        });
        let Some((wanted, nth)) = target else { return };
        if wanted != name {
            return;
        }
        if HITS.fetch_add(1, Ordering::SeqCst) + 1 == *nth {
            signal_self();
        }
    }

    #[cfg(unix)]
    fn signal_self() {
        use signal_hook::consts::{SIGINT, SIGKILL, SIGTERM};
        let signal = match std::env::var("ZYNK_FAULT_SIGNAL").as_deref() {
            Ok("TERM") => SIGTERM,
            Ok("INT") => SIGINT,
            _ => SIGKILL,
        };
        let _ = signal_hook::low_level::raise(signal);
        if signal == SIGKILL {
            std::process::abort();
        }
    }

    #[cfg(not(unix))]
    fn signal_self() {
        std::process::abort();
    }
}
