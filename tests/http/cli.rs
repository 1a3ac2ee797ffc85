//! Running the real `zynk` binary on a script in a temporary folder.
use std::path::{Path, PathBuf};
use std::process::Command;

/// A temporary folder with `script.zynk` and the data folder `data/`.
pub struct Project {
    pub dir: tempfile::TempDir,
}

/// What a run printed and how it exited.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// stderr with diagnostics' wrapped lines joined, for `contains` checks.
    pub fn said(&self) -> String {
        let mut out = String::new();
        for line in self.stderr.lines() {
            let trimmed = line.trim_start();
            let continued = trimmed.strip_prefix("│ ").or_else(|| {
                (line.starts_with("        ") && !trimmed.is_empty()).then_some(trimmed)
            });
            match continued {
                Some(rest) => {
                    out.push(' ');
                    out.push_str(rest);
                }
                None => {
                    out.push('\n');
                    out.push_str(line);
                }
            }
        }
        out
    }

    /// Everything the run printed.
    pub fn printed(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }
}

impl Project {
    pub fn new() -> Project {
        Project {
            dir: tempfile::tempdir().expect("a temp dir"),
        }
    }

    /// The working directory of workflow `t` (every script here declares `workflow "t"`).
    pub fn workdir(&self) -> PathBuf {
        self.dir.path().join("data/t")
    }

    /// Writes `script.zynk` (after a `workflow "t"` line) and runs it with extra arguments.
    pub fn run(&self, script: &str, extra: &[&str]) -> Run {
        let path = self.dir.path().join("script.zynk");
        std::fs::write(&path, format!("workflow \"t\"\n{script}")).expect("write the script");
        let mut args = vec!["run", "script.zynk", "--data", "data"];
        args.extend_from_slice(extra);
        zynk(self.dir.path(), &args)
    }
}

pub fn zynk(dir: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_zynk"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .env_remove("HTTPS_PROXY")
        .env_remove("https_proxy")
        .env_remove("ALL_PROXY")
        .output()
        .expect("run zynk");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}
