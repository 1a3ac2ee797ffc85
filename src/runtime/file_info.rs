//! The current file of a `foreach` loop and its fields.
use std::path::{Path, PathBuf};

use crate::check::FileField;

/// What a loop variable knows about its file (Zynk's `Context.Current`).
#[derive(Debug, Clone)]
pub struct FileInfo {
    pub path: PathBuf,
    pub size: u64,
    pub modified: Option<std::time::SystemTime>,
}

impl FileInfo {
    pub fn read(path: &Path) -> std::io::Result<FileInfo> {
        let meta = std::fs::metadata(path)?;
        Ok(FileInfo {
            path: path.to_path_buf(),
            size: meta.len(),
            modified: meta.modified().ok(),
        })
    }

    /// The text of one field.
    #[must_use]
    pub fn field(&self, field: FileField) -> String {
        let lossy = |s: Option<&std::ffi::OsStr>| {
            s.map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        };
        match field {
            FileField::Path => self.path.display().to_string(),
            FileField::Name => lossy(self.path.file_name()),
            FileField::Stem => lossy(self.path.file_stem()),
            FileField::Ext => self
                .path
                .extension()
                .map(|e| format!(".{}", e.to_string_lossy()))
                .unwrap_or_default(),
            FileField::Dir => self
                .path
                .parent()
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
            FileField::Size => self.size.to_string(),
            FileField::Modified => self
                .modified
                .and_then(|m| jiff::Timestamp::try_from(m).ok())
                .and_then(|t| jiff::Timestamp::from_second(t.as_second()).ok())
                .map(|t| t.to_string())
                .unwrap_or_default(),
        }
    }
}
