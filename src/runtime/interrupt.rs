//! SIGINT and SIGTERM: a run asked to stop ends at the next safe point (between statements,
//! between the files of a `foreach`), records `Interrupted` and exits 130 or 143. A second
//! signal while it winds down exits at once.
use std::sync::Arc;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

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

struct Flags {
    requested: Arc<AtomicBool>,
    signal: Arc<AtomicUsize>,
}

static FLAGS: OnceLock<Option<Flags>> = OnceLock::new();

/// Installs the handlers (once per process). Without them (an exotic platform, or an
/// error registering) signals keep their default effect.
pub fn install() {
    FLAGS.get_or_init(register);
}

#[cfg(unix)]
fn register() -> Option<Flags> {
    use signal_hook::consts::{SIGINT, SIGTERM};
    use signal_hook::flag;
    let requested = Arc::new(AtomicBool::new(false));
    let signal = Arc::new(AtomicUsize::new(0));
    for (sig, code) in [(SIGINT, 130), (SIGTERM, 143)] {
        flag::register_conditional_shutdown(sig, code, Arc::clone(&requested)).ok()?;
        flag::register_usize(sig, Arc::clone(&signal), sig as usize).ok()?;
        flag::register(sig, Arc::clone(&requested)).ok()?;
    }
    Some(Flags { requested, signal })
}

#[cfg(not(unix))]
fn register() -> Option<Flags> {
    use signal_hook::consts::SIGINT;
    use signal_hook::flag;
    let requested = Arc::new(AtomicBool::new(false));
    let signal = Arc::new(AtomicUsize::new(0));
    flag::register_conditional_shutdown(SIGINT, 130, Arc::clone(&requested)).ok()?;
    flag::register_usize(SIGINT, Arc::clone(&signal), SIGINT as usize).ok()?;
    flag::register(SIGINT, Arc::clone(&requested)).ok()?;
    Some(Flags { requested, signal })
}

/// The signal received since the run started, if any.
#[must_use]
pub fn requested() -> Option<Signal> {
    let flags = FLAGS.get()?.as_ref()?;
    if !flags.requested.load(Ordering::SeqCst) {
        return None;
    }
    #[cfg(unix)]
    let terminate = flags.signal.load(Ordering::SeqCst) == signal_hook::consts::SIGTERM as usize;
    #[cfg(not(unix))]
    let terminate = false;
    Some(if terminate {
        Signal::Terminate
    } else {
        Signal::Interrupt
    })
}
