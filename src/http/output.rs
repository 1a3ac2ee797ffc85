//! The output file being written: a temporary `.part` file beside it until the body is complete.
use std::io::Write;
use std::path::{Path, PathBuf};

use super::error::HttpError;

/// The output file being written: a temporary file in the same folder until it is complete.
pub(super) struct TempOutput {
    file: tempfile::NamedTempFile,
    path: PathBuf,
}

impl TempOutput {
    pub(super) fn create(path: &Path) -> Result<TempOutput, HttpError> {
        let output_error = |source| HttpError::Output {
            path: path.to_path_buf(),
            source,
        };
        let file = crate::output_file::create_for(path).map_err(output_error)?;
        Ok(TempOutput {
            file,
            path: path.to_path_buf(),
        })
    }

    pub(super) fn write(&mut self, chunk: &[u8]) -> Result<(), HttpError> {
        self.file
            .as_file_mut()
            .write_all(chunk)
            .map_err(|source| HttpError::Output {
                path: self.path.clone(),
                source,
            })
    }

    /// The file being written, to read it back before it is kept.
    pub(super) fn file_mut(&mut self) -> &mut std::fs::File {
        self.file.as_file_mut()
    }

    /// Flushes the file to disk and renames it over the output path.
    pub(super) fn finish(self) -> Result<PathBuf, HttpError> {
        let path = self.path;
        let output_error = |source| HttpError::Output {
            path: path.clone(),
            source,
        };
        self.file.as_file().sync_all().map_err(output_error)?;
        crate::output_file::keep(self.file, &path, true).map_err(|err| output_error(err.error))?;
        Ok(path)
    }
}
