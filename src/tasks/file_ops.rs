//! What `copy`, `move` and `write` share: resolving a target and replacing files atomically.
use std::io::Write;
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::runtime::{RunCode, RunError, Runtime};
use crate::source::Span;

/// Where a file named `source` goes when the target is `target`: into it when it is a
/// folder (or is written with a trailing slash), else the target itself.
pub(super) fn target_path(source: &Path, target: &Path, written: &str) -> PathBuf {
    let into_folder = target.is_dir() || written.ends_with('/') || written.ends_with('\\');
    match (into_folder, source.file_name()) {
        (true, Some(name)) => target.join(name),
        _ => target.to_path_buf(),
    }
}

/// The source and the target of a `copy` or `move`, as the plan sees them.
pub(super) fn plan_target(
    p: &crate::plan::Planner<'_>,
    file: &crate::check::Template,
    to: &crate::check::Template,
) -> (crate::plan::PlanFile, crate::plan::PlanFile) {
    let source = p.file(file);
    let written = p.render(to).text;
    let target = p.file(to);
    let into = target_path(&source.path, &target.path, &written);
    let target = if into == target.path || target.state == crate::plan::FileState::Unknown {
        target
    } else {
        crate::plan::PlanFile {
            depends_on: target.depends_on.or(source.depends_on),
            ..p.known_file(&into)
        }
    };
    (source, target)
}

/// The error for a target that exists when `overwrite` was not given.
pub(super) fn target_exists(
    rt: &Runtime<'_>,
    target: &Path,
    span: Span,
    statement: &str,
) -> RunError {
    RunError::raise(
        RunCode::TargetExists,
        format!("`{}` already exists", rt.show(target)),
        span,
        "the target is already there",
    )
    .with_help(format!(
        "add `overwrite` to replace it: `{statement} … overwrite`, or delete it first"
    ))
}

/// The error for a source file that is a folder.
pub(super) fn is_a_folder(rt: &Runtime<'_>, path: &Path, span: Span, statement: &str) -> RunError {
    RunError::raise(
        RunCode::IsAFolder,
        format!("`{}` is a folder, not a file", rt.show(path)),
        span,
        "a folder",
    )
    .with_help(format!("`{statement}` works on single files"))
}

/// Creates the parent folders of `path`.
pub(super) fn make_parent(path: &Path, span: Span) -> Result<(), RunError> {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => std::fs::create_dir_all(parent)
            .map_err(|e| RunError::io(&e, "create the folder", parent, span)),
        _ => Ok(()),
    }
}

/// Writes `target` through a temporary file beside it, synced before it takes the
/// target's name: a reader sees the old file or the new one, never half of one. With
/// `overwrite` false an existing target is left alone and `Ok(false)` returned.
pub(super) fn replace_with(
    target: &Path,
    overwrite: bool,
    span: Span,
    fill: impl FnOnce(&mut NamedTempFile) -> std::io::Result<()>,
) -> Result<bool, RunError> {
    make_parent(target, span)?;
    let dir = crate::output_file::folder_of(target);
    let mut temp = crate::output_file::create_for(target)
        .map_err(|e| RunError::io(&e, "create a file in", &dir, span))?;
    fill(&mut temp).map_err(|e| RunError::io(&e, "write", target, span))?;
    temp.flush()
        .and_then(|()| temp.as_file().sync_all())
        .map_err(|e| RunError::io(&e, "write", target, span))?;
    match crate::output_file::keep(temp, target, overwrite) {
        Ok(()) => Ok(true),
        Err(e) if !overwrite && e.error.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(RunError::io(&e.error, "save", target, span)),
    }
}

/// Copies `source` to `target` atomically (see [`replace_with`]).
pub(super) fn copy_file(
    source: &Path,
    target: &Path,
    overwrite: bool,
    span: Span,
) -> Result<bool, RunError> {
    let mut input =
        std::fs::File::open(source).map_err(|e| RunError::io(&e, "read", source, span))?;
    replace_with(target, overwrite, span, |temp| {
        std::io::copy(&mut input, temp).map(|_| ())
    })
}
