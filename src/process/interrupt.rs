//! SIGINT and SIGTERM: the first says at once that the run is stopping, cancels the request or
//! wait in flight, and the run ends at the next safe point (between statements, between the
//! files of a `foreach`), records `Interrupted` and exits 130 or 143. A second signal exits at
//! once, after recording `Interrupted` itself.
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock, Mutex, OnceLock, PoisonError};

/// The signal that asked the run to stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    Interrupt,
    Terminate,
}

impl Signal {
    /// The shell convention: 128 + the signal number.
    #[must_use]
    pub fn exit_code(self) -> u8 {
        match self {
            Signal::Interrupt => 130,
            Signal::Terminate => 143,
        }
    }

    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Signal::Interrupt => "SIGINT",
            Signal::Terminate => "SIGTERM",
        }
    }
}

/// Set by the first signal, in the signal handler itself; read by the run's safe points and
/// the HTTP client.
static REQUESTED: LazyLock<Arc<AtomicBool>> = LazyLock::new(Arc::default);
/// The number of the first signal.
static WHICH: LazyLock<Arc<AtomicUsize>> = LazyLock::new(Arc::default);
static INSTALLED: OnceLock<bool> = OnceLock::new();

/// What a second signal does before the process exits: records the run as interrupted.
type LastWord = Box<dyn Fn(Signal) + Send>;
static LAST_WORD: Mutex<Option<LastWord>> = Mutex::new(None);

/// Installs the handlers (once per process). Without them (an exotic platform, or an
/// error registering) signals keep their default effect.
pub(crate) fn install() {
    INSTALLED.get_or_init(register);
}

/// Sets what a second signal records before the process exits at once.
pub(crate) fn on_second_signal(last_word: impl Fn(Signal) + Send + 'static) {
    *LAST_WORD.lock().unwrap_or_else(PoisonError::into_inner) = Some(Box::new(last_word));
}

#[cfg(unix)]
fn register() -> bool {
    use signal_hook::consts::{SIGINT, SIGTERM};
    for sig in [SIGINT, SIGTERM] {
        // The first signal's number, then the flag, both set in the handler: a safe point
        // reached right after the signal sees it.
        if signal_hook::flag::register_usize(sig, Arc::clone(&WHICH), sig as usize).is_err()
            || signal_hook::flag::register(sig, Arc::clone(&REQUESTED)).is_err()
        {
            return false;
        }
    }
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
        return false;
    };
    std::thread::Builder::new()
        .name("zynk-signals".into())
        .spawn(move || {
            let mut seen = 0;
            for sig in signals.forever() {
                seen += 1;
                let signal = if sig == SIGTERM {
                    Signal::Terminate
                } else {
                    Signal::Interrupt
                };
                if seen > 1 {
                    // The second: record, then go.
                    let which = requested().unwrap_or(signal);
                    if let Some(last) = LAST_WORD
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .as_ref()
                    {
                        last(which);
                    }
                    eprintln!("zynk: {} again: stopped at once", signal.name());
                    std::process::exit(i32::from(which.exit_code()));
                }
                eprintln!(
                    "zynk: {} received: stopping (the request in flight is cancelled, earlier \
                     files are kept; {} again stops at once)",
                    signal.name(),
                    if signal == Signal::Interrupt {
                        "Ctrl-C"
                    } else {
                        "the signal"
                    }
                );
            }
        })
        .is_ok()
}

#[cfg(not(unix))]
fn register() -> bool {
    use signal_hook::consts::SIGINT;
    signal_hook::flag::register_usize(SIGINT, Arc::clone(&WHICH), SIGINT as usize).is_ok()
        && signal_hook::flag::register(SIGINT, Arc::clone(&REQUESTED)).is_ok()
}

/// The signal received since the run started, if any.
#[must_use]
pub(crate) fn requested() -> Option<Signal> {
    if !REQUESTED.load(Ordering::SeqCst) {
        return None;
    }
    #[cfg(unix)]
    let terminate = WHICH.load(Ordering::SeqCst) == signal_hook::consts::SIGTERM as usize;
    #[cfg(not(unix))]
    let terminate = false;
    Some(if terminate {
        Signal::Terminate
    } else {
        Signal::Interrupt
    })
}

/// Whether a signal asked the run to stop (for code below the runtime: the HTTP client).
#[must_use]
pub(crate) fn cancelled() -> bool {
    REQUESTED.load(Ordering::SeqCst)
}
