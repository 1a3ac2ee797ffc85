//! Where a command finds its data folder: `--data DIR`, else `ZYNK_DATA`, else the `data`
//! folder beside the script (the current folder for commands that take no script).
use std::path::{Path, PathBuf};

/// The environment variable naming the data folder when `--data` is not given.
pub(crate) const ENV_VAR: &str = "ZYNK_DATA";

/// Resolves the data folder of a command; `script` is the script it runs, if any.
#[must_use]
pub(crate) fn resolve(flag: Option<&Path>, script: Option<&Path>) -> PathBuf {
    if let Some(dir) = flag {
        return dir.to_path_buf();
    }
    if let Some(dir) = std::env::var_os(ENV_VAR).filter(|v| !v.is_empty()) {
        return PathBuf::from(dir);
    }
    let base = script
        .and_then(Path::parent)
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if base == Path::new(".") {
        PathBuf::from("data")
    } else {
        base.join("data")
    }
}

/// Data folders one level below the current folder that hold `file` (e.g. `scripts/data`
/// after `zynk run scripts/x.zynk`), for the help of a command that found nothing.
#[must_use]
pub(crate) fn nearby_holding(file: &str) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(".") else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| PathBuf::from(e.file_name()).join("data"))
        .filter(|dir| dir.join(file).is_file())
        .collect();
    found.sort();
    found
}
