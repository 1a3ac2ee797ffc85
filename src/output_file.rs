//! Output files: written under a temporary name beside their target, renamed into place when complete, all with one mode.
//!
//! Every file zynk leaves for a user (responses, documents, chunks, copies, archives) is
//! created here, so all of them get the mode other Unix tools give a new file: `0666`
//! less the umask (`0644` under the usual umask of `022`), never the `0600` of a private
//! temporary file.
use std::io;
use std::path::{Path, PathBuf};

use tempfile::{NamedTempFile, PersistError};

/// The mode a new output file is created with, before the umask applies.
pub(crate) const MODE: u32 = 0o666;

/// The folder `target` is written in (`.` for a bare file name).
pub(crate) fn folder_of(target: &Path) -> PathBuf {
    match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// A new temporary file in `dir` (created first if missing), named `.{prefix}….part` so
/// a listing tells it from finished files, with the mode every output has.
pub(crate) fn create_in(dir: &Path, prefix: &str) -> io::Result<NamedTempFile> {
    std::fs::create_dir_all(dir)?;
    create_in_existing(dir, prefix)
}

/// [`create_in`] for a folder known to exist (no look-up of the folder first: a split
/// makes hundreds of these in one folder).
pub(crate) fn create_in_existing(dir: &Path, prefix: &str) -> io::Result<NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(prefix).suffix(".part");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(MODE));
    }
    builder.tempfile_in(dir)
}

/// A new temporary file beside `target`, in its folder (see [`create_in`]).
pub(crate) fn create_for(target: &Path) -> io::Result<NamedTempFile> {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    create_in(&folder_of(target), &format!(".{name}."))
}

/// Renames a complete `temp` to `target`: replacing what is there when `replace`, else
/// leaving an existing target alone and handing the file back in the error (its kind
/// `AlreadyExists`). The rename is atomic on one file system: a reader sees the old file
/// or the new one, never half of one.
pub(crate) fn keep(
    temp: NamedTempFile,
    target: &Path,
    replace: bool,
) -> Result<(), Box<PersistError>> {
    let kept = if replace {
        temp.persist(target)
    } else {
        temp.persist_noclobber(target)
    };
    kept.map(drop).map_err(Box::new)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_file_has_the_output_mode_and_an_existing_one_is_refused() {
        let dir = tempfile::tempdir().expect("dir");
        let target = dir.path().join("sub").join("out.txt");
        let mut temp = create_for(&target).expect("temp");
        io::Write::write_all(&mut temp, b"new").expect("write");
        keep(temp, &target, true).expect("kept");
        assert_eq!(std::fs::read(&target).expect("read"), b"new");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).expect("meta").permissions().mode();
            let plain = dir.path().join("plain.txt");
            std::fs::File::create(&plain).expect("create");
            assert_eq!(mode(&target), mode(&plain), "the mode File::create gives");
        }
        let again = create_for(&target).expect("temp");
        let refused = keep(again, &target, false).expect_err("exists");
        assert_eq!(refused.error.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read(&target).expect("read"), b"new");
    }
}
