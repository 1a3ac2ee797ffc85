//! zynk's own temporary files: how they are named, and removing those a killed run left.
//!
//! Every file zynk writes goes to a temporary name first and is renamed into place when
//! complete (see [`crate::output_file`]): `.<name>.*.part` beside the target, or
//! `.zynk-split-*.part` / `.zynk-archive-*.part` (older versions wrote `.zynk-*.tmp`),
//! and `.zynk-*` folders (a `split` staging its chunks). A run killed before the rename leaves one behind; the
//! next run removes them at its start, while it holds the run lock, so no other run's
//! temporary file is touched.
use std::path::Path;

/// Whether `name` is one of zynk's temporary files.
#[must_use]
pub(crate) fn is_temp(name: &str) -> bool {
    (name.starts_with(".zynk-") && name.ends_with(".tmp"))
        || (name.starts_with('.') && name.ends_with(".part") && name.len() > ".part".len() + 1)
}

/// Whether a folder named `name` is one of zynk's temporary folders (`.zynk-*`, e.g. the
/// staging folder of a `split` that finds chunks still waiting).
#[must_use]
pub(crate) fn is_temp_dir(name: &str) -> bool {
    name.starts_with(".zynk-")
}

/// Whether the file at `path` is one of zynk's temporary files: never archived, never
/// listed by `foreach`.
#[must_use]
pub(crate) fn is_temp_path(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| is_temp(&n.to_string_lossy()))
}

/// Removes zynk's temporary files under `dir`, recursively; returns how many went.
/// Unreadable folders are skipped: this is housekeeping, never a reason to fail a run.
pub(crate) fn sweep(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        let name = entry.file_name().to_string_lossy().into_owned();
        if kind.is_dir() && is_temp_dir(&name) {
            if std::fs::remove_dir_all(entry.path()).is_ok() {
                removed += 1;
            }
        } else if kind.is_dir() {
            removed += sweep(&entry.path());
        } else if kind.is_file() && is_temp(&name) && std::fs::remove_file(entry.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for temp in [
            ".zynk-split-a1B2c3.tmp",
            ".zynk-archive-x.tmp",
            ".zynk-Q9.tmp",
            ".download.xml.Ab12.part",
        ] {
            assert!(is_temp(temp), "{temp}");
        }
        for user in [
            "download.xml",
            "zynk-a.tmp",
            "report.part",
            ".part",
            "a.tmp",
            ".zynk.lock",
        ] {
            assert!(!is_temp(user), "{user}");
        }
    }

    #[test]
    fn sweep_removes_only_temporary_files() {
        let dir = tempfile::tempdir().expect("dir");
        let sub = dir.path().join("Stock Export");
        std::fs::create_dir_all(&sub).expect("mkdir");
        for name in [".zynk-split-1.tmp", "keep.xml", ".keep"] {
            std::fs::write(sub.join(name), "x").expect("write");
        }
        std::fs::write(dir.path().join(".download.xml.z.part"), "x").expect("write");
        let staging = sub.join(".zynk-split-Ab12");
        std::fs::create_dir_all(&staging).expect("mkdir");
        std::fs::write(staging.join("product_export_7.xml"), "x").expect("write");
        assert_eq!(sweep(dir.path()), 3);
        assert!(!staging.exists());
        assert!(sub.join("keep.xml").is_file());
        assert!(sub.join(".keep").is_file());
        assert!(!sub.join(".zynk-split-1.tmp").exists());
    }
}
