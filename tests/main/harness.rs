//! Running the real `zynk` binary on scripts in temporary folders.
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A temporary project: a script file and its data folder.
pub struct Project {
    pub dir: tempfile::TempDir,
}

/// What a run printed and how it exited.
pub struct Outcome {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Project {
    pub fn new() -> Project {
        Project {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Writes `script.zynk`.
    pub fn script(&self, text: &str) -> PathBuf {
        let path = self.path("script.zynk");
        std::fs::write(&path, text).expect("write script");
        path
    }

    /// The working directory of workflow `name`.
    pub fn workdir(&self, name: &str) -> PathBuf {
        self.path("data").join(name)
    }

    pub fn write(&self, rel: &str, text: &str) {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }

    pub fn zynk(&self, args: &[&str]) -> Outcome {
        zynk_in(self.dir.path(), args)
    }
}

pub fn zynk_in(dir: &Path, args: &[&str]) -> Outcome {
    let output: Output = Command::new(env!("CARGO_BIN_EXE_zynk"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "80")
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .env_remove("ALL_PROXY")
        .output()
        .expect("run zynk");
    Outcome {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// File names in a folder, sorted.
pub fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}
