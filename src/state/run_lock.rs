//! One run at a time per working directory: an OS file lock on `<data>/<workflow>.lock`,
//! beside the working directory (so it is never part of the working files).
//!
//! The lock is an advisory `flock`/`LockFileEx` lock held by the open file, so the operating
//! system drops it when the holder exits or is killed: a lock left by a dead process is
//! taken over without any clean-up. The file's text names the holder (pid, start time) so a
//! refused run can say who holds it.
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How often a waiting run retries the lock.
const POLL: Duration = Duration::from_millis(100);

/// The run lock of one working directory, released when dropped.
#[derive(Debug)]
pub struct RunLock {
    file: File,
    path: PathBuf,
}

/// The run lock could not be taken.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum LockError {
    /// Another run holds the lock (and `--wait` was not given, or ran out).
    #[error("another run of this workflow is in progress ({holder})")]
    #[diagnostic(
        code(zynk::run::locked),
        help(
            "wait for it to finish, or pass `--wait 10m` to queue behind it; the lock (`{path}`) is released when its process ends, even if it is killed"
        )
    )]
    Busy {
        /// Who holds it: `pid 4242, started 2026-01-31 09:30:00`.
        holder: String,
        path: String,
    },
    /// Another run, on this host or another, holds the workflow's lock on the shared state
    /// store (and `--wait` was not given, or ran out).
    #[error("another run of this workflow is in progress ({holder})")]
    #[diagnostic(
        code(zynk::run::locked),
        help(
            "wait for it to finish, or pass `--wait 10m` to queue behind it; the lock on `{store}` is released when the holder's connection ends, even if its process is killed"
        )
    )]
    SharedBusy {
        /// Who holds it: `host web-1, pid 4242, started 2026-01-31 09:30:00 UTC`.
        holder: String,
        /// The state store, without password.
        store: String,
    },
    /// The shared state store failed while taking the lock.
    #[error("cannot take the run lock on `{store}`: {reason}")]
    #[diagnostic(
        code(zynk::run::lock_server),
        help("check that the state store's server is up and reachable from this host")
    )]
    Server { store: String, reason: String },
    /// The lock file cannot be created or locked.
    #[error("cannot lock `{path}`: {reason}")]
    #[diagnostic(
        code(zynk::run::lock_io),
        help("check that the data folder is writable and on a file system that supports locks")
    )]
    Io { path: String, reason: String },
}

impl RunLock {
    /// Takes the lock of `workdir`, waiting up to `wait` for a running holder to finish.
    pub fn acquire(workdir: &Path, wait: Option<Duration>) -> Result<RunLock, LockError> {
        let path = lock_path(workdir);
        let io = |e: std::io::Error| LockError::Io {
            path: path.display().to_string(),
            reason: e.to_string(),
        };
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io)?;
        let deadline = wait.map(|w| Instant::now() + w);
        loop {
            match fs4::FileExt::try_lock(&file) {
                Ok(()) => break,
                Err(fs4::TryLockError::WouldBlock) => {
                    if deadline.is_some_and(|d| Instant::now() < d) {
                        std::thread::sleep(POLL);
                        continue;
                    }
                    return Err(LockError::Busy {
                        holder: holder(&mut file),
                        path: path.display().to_string(),
                    });
                }
                Err(fs4::TryLockError::Error(e)) => return Err(io(e)),
            }
        }
        let started = jiff::Zoned::now().strftime("%Y-%m-%d %H:%M:%S %Z");
        let text = format!("pid {}, started {started}\n", std::process::id());
        file.set_len(0).map_err(io)?;
        file.rewind().map_err(io)?;
        file.write_all(text.as_bytes()).map_err(io)?;
        file.flush().map_err(io)?;
        Ok(RunLock { file, path })
    }

    /// The lock file.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for RunLock {
    fn drop(&mut self) {
        let _ = fs4::FileExt::unlock(&self.file);
    }
}

/// The lock file of a working directory: `<data>/<workflow>.lock`.
#[must_use]
pub(crate) fn lock_path(workdir: &Path) -> PathBuf {
    let mut name = workdir
        .file_name()
        .map(std::ffi::OsStr::to_os_string)
        .unwrap_or_default();
    name.push(".lock");
    workdir.with_file_name(name)
}

/// The holder as its lock file names it (it writes its name just after taking the lock,
/// so a run refused at that instant reads again for a moment).
fn holder(file: &mut File) -> String {
    for _ in 0..25 {
        let mut text = String::new();
        let _ = file.rewind();
        let _ = file.take(200).read_to_string(&mut text);
        let text = text.trim();
        if text.ends_with(')') || text.contains(" started ") {
            return text.to_string();
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    "holder unknown".to_string()
}

/// Parses a `--wait` value: `30s`, `10m`, `1h`, `500ms`, or a number of seconds.
pub(crate) fn parse_wait(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (digits, unit) = text.split_at(split);
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("expected a duration such as `30s` or `10m`, got `{text}`"))?;
    let per_unit_ms: u64 = match unit {
        "ms" => 1,
        "" | "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        _ => {
            return Err(format!(
                "unknown unit `{unit}` in `{text}`: use ms, s, m or h"
            ));
        }
    };
    n.checked_mul(per_unit_ms)
        .filter(|ms| *ms <= 7 * 24 * 3_600_000)
        .map(Duration::from_millis)
        .ok_or_else(|| format!("`{text}` is longer than the 7-day maximum"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_is_refused_naming_the_holder() {
        let dir = tempfile::tempdir().expect("dir");
        let workdir = dir.path().join("Shop v1.2");
        assert_eq!(lock_path(&workdir), dir.path().join("Shop v1.2.lock"));
        let first = RunLock::acquire(&workdir, None).expect("first");
        let err = RunLock::acquire(&workdir, None).expect_err("second");
        let text = err.to_string();
        assert!(
            text.contains(&format!("pid {}", std::process::id())),
            "{text}"
        );
        drop(first);
        RunLock::acquire(&workdir, Some(Duration::from_millis(50))).expect("after release");
    }

    #[test]
    fn wait_values() {
        assert_eq!(parse_wait("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_wait("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_wait("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_wait("5"), Ok(Duration::from_secs(5)));
        assert!(parse_wait("5d").is_err());
        assert!(parse_wait("99999999999999999999h").is_err());
        assert!(parse_wait("9999h").is_err());
    }
}
