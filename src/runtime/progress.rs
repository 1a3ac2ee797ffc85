//! A progress line for statements that run long, drawn by `indicatif` on a terminal only.
use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Statements quicker than this never show a progress line.
const QUIET_FOR: Duration = Duration::from_millis(800);
const TICK: Duration = Duration::from_millis(100);

/// Shows `⠋ import sales orders · line 12 · 3.4s` on stderr while a statement runs, and
/// erases it when dropped.
pub(crate) struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// Starts a progress line if stderr is a terminal and `enabled`.
    #[must_use]
    pub(crate) fn start(label: String, enabled: bool) -> Progress {
        // Whether stderr is a terminal is asked once, not once per statement of a loop.
        static TERMINAL: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
        if !enabled || !*TERMINAL.get_or_init(|| std::io::stderr().is_terminal()) {
            return Progress { bar: None };
        }
        let target = ProgressDrawTarget::stderr();
        if target.is_hidden() {
            return Progress { bar: None };
        }
        let bar = ProgressBar::with_draw_target(None, target).with_style(style());
        bar.set_message(label);
        // Hidden until QUIET_FOR has passed, so quick statements leave no trace.
        bar.set_draw_target(ProgressDrawTarget::hidden());
        let shown = bar.clone();
        std::thread::spawn(move || {
            std::thread::sleep(QUIET_FOR);
            if !shown.is_finished() {
                shown.set_draw_target(ProgressDrawTarget::stderr());
                shown.enable_steady_tick(TICK);
            }
        });
        Progress { bar: Some(bar) }
    }
}

fn style() -> ProgressStyle {
    ProgressStyle::with_template("{spinner} {msg} · {elapsed}")
        .unwrap_or_else(|_| ProgressStyle::default_spinner())
        .tick_strings(&["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏", " "])
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stays_silent_off_a_terminal() {
        let progress = Progress::start("x".into(), false);
        assert!(progress.bar.is_none());
    }
}
