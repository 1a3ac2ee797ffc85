//! A progress line for statements that run long, drawn on a terminal only.
use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Statements quicker than this never show a progress line.
const QUIET_FOR: Duration = Duration::from_millis(800);
const FRAMES: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/// Shows `⠋ import sales orders · line 12 · 3.4s` on stderr while a statement runs, and
/// erases it when dropped.
pub struct Progress {
    done: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Progress {
    /// Starts a progress line if stderr is a terminal and `enabled`.
    #[must_use]
    pub fn start(label: String, enabled: bool) -> Progress {
        let done = Arc::new(AtomicBool::new(false));
        if !enabled || !std::io::stderr().is_terminal() {
            return Progress { done, thread: None };
        }
        let flag = Arc::clone(&done);
        let thread = std::thread::spawn(move || {
            let started = Instant::now();
            let mut drawn = false;
            let mut frame = 0;
            while !flag.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(100));
                let elapsed = started.elapsed();
                if elapsed < QUIET_FOR || flag.load(Ordering::Relaxed) {
                    continue;
                }
                let mut err = std::io::stderr().lock();
                let _ = write!(
                    err,
                    "\r\x1b[2K{}",
                    line(FRAMES[frame % FRAMES.len()], &label, elapsed)
                );
                let _ = err.flush();
                drawn = true;
                frame += 1;
            }
            if drawn {
                let mut err = std::io::stderr().lock();
                let _ = write!(err, "\r\x1b[2K");
                let _ = err.flush();
            }
        });
        Progress {
            done,
            thread: Some(thread),
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.done.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn line(frame: &str, label: &str, elapsed: Duration) -> String {
    format!("{frame} {label} · {:.1}s", elapsed.as_secs_f64())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_label_and_time() {
        assert_eq!(
            line("⠋", "split · line 7", Duration::from_millis(3400)),
            "⠋ split · line 7 · 3.4s"
        );
    }

    #[test]
    fn stays_silent_off_a_terminal() {
        let progress = Progress::start("x".into(), false);
        assert!(progress.thread.is_none());
    }
}
