//! `archive [to DIR] [keep N archives | keep N days]`: zip the working directory's files,
//! then remove them (Zynk's Archive Workflow Data).
use std::fs::File;
use std::io::{BufReader, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use super::{Kind, Param, Task};
use crate::check::{Args, CheckError, Checker, Template};
use crate::plan::{Action, Effect, LoopFile, PlanFile, Planner};
use crate::runtime::{Counts, Outcome, RunCode, RunError, Runtime, Step};
use crate::source::Span;

pub(super) struct Archive;

static PARAMS: [Param; 2] = [
    Param::option(
        "to",
        Kind::Path,
        "the archive folder (default \"Archive\" in the working directory)",
    ),
    Param::option(
        "keep",
        Kind::CountUnit(&["archives", "days"]),
        "housekeeping: keep the newest N archives, or archives younger than N days",
    ),
];

impl Task for Archive {
    fn head(&self) -> &'static [&'static str] {
        &["archive"]
    }
    fn summary(&self) -> &'static str {
        "Zip every file directly in the working directory into the archive folder, then remove them"
    }
    fn params(&self) -> &'static [Param] {
        &PARAMS
    }
    fn example(&self) -> &'static str {
        "archive to \"Archive\" keep 30 archives"
    }
    fn compile(&self, args: &mut Args, cx: &mut Checker<'_>) -> Option<Box<dyn Step>> {
        let keep = match args.count_unit("keep") {
            Some((0, unit)) => {
                cx.error(CheckError::OutOfRange {
                    message: format!("`keep 0 {unit}` would delete every archive"),
                    span: args.span_of("keep").into(),
                    label: "zero".into(),
                    help: "keep at least 1, or leave `keep` out to keep every archive".into(),
                });
                return None;
            }
            Some((n, "days")) => Some(Keep::Days(n)),
            Some((n, _)) => Some(Keep::Archives(n)),
            None => None,
        };
        Some(Box::new(ArchiveStep {
            dir: args
                .text("to")
                .unwrap_or_else(|| Template::text("Archive", args.head_span)),
            keep,
            span: args.head_span,
        }))
    }
}

#[derive(Debug, Clone, Copy)]
enum Keep {
    Archives(u64),
    Days(u64),
}

#[derive(Debug)]
struct ArchiveStep {
    dir: Template,
    keep: Option<Keep>,
    span: Span,
}

impl Step for ArchiveStep {
    fn plan(&self, p: &mut Planner<'_>) {
        let dir = p.file(&self.dir);
        p.effect(Effect::new(Action::CreateFolder).path(&dir.shown));
        let workdir = p.workdir.clone();
        let listing = p.listing(&workdir, false);
        let mut files: Vec<PlanFile> = listing
            .files
            .iter()
            .filter_map(LoopFile::path)
            .map(|path| p.known_file(path))
            .collect();
        files.sort_by(|a, b| a.path.cmp(&b.path));
        let mut effect =
            Effect::new(Action::Archive).path(format!("{}/<date and time>_archive.zip", dir.shown));
        effect.files = Some(
            files
                .iter()
                .map(|f| match f.describe() {
                    Some(d) => format!("{} ({d})", f.shown),
                    None => f.shown.clone(),
                })
                .collect(),
        );
        if !listing.filled_by.is_empty() {
            let lines: Vec<String> = listing.filled_by.iter().map(ToString::to_string).collect();
            effect.detail = Some(format!(
                "and the files line {} writes here",
                lines.join(", line ")
            ));
        }
        effect.depends_on = files.iter().find_map(|f| f.depends_on);
        p.effect(effect);
        for file in &files {
            p.removed(file);
        }
        if let Some(keep) = self.keep {
            let zipping = !files.is_empty();
            for old in old_archives(&dir.path, keep, zipping) {
                let file = p.known_file(&old);
                p.delete(&file);
            }
        }
    }

    fn run(&self, rt: &mut Runtime<'_>) -> Result<Outcome, RunError> {
        let archive_dir = rt.path(&self.dir)?;
        let io = |e: std::io::Error, what: &str, p: &Path| RunError::io(&e, what, p, self.span);
        std::fs::create_dir_all(&archive_dir)
            .map_err(|e| io(e, "create the archive folder", &archive_dir))?;
        let same = archive_dir.canonicalize().ok() == rt.workdir.canonicalize().ok();
        if same {
            return Err(RunError::raise(
                RunCode::ArchiveInWorkdir,
                "the archive folder is the working directory itself",
                self.dir.span,
                "archives would be archived by the next run",
            )
            .with_help("use a sub-folder such as \"Archive\" (the default) or a folder outside the data folder"));
        }
        let mut files = Vec::new();
        for entry in std::fs::read_dir(&rt.workdir).map_err(|e| io(e, "list", &rt.workdir))? {
            let entry = entry.map_err(|e| io(e, "list", &rt.workdir))?;
            // zynk's temporary files are never archived (nor removed).
            if entry.path().is_file() && !crate::runtime::litter::is_temp_path(&entry.path()) {
                files.push(entry.path());
            }
        }
        files.sort();
        let mut outcome = if files.is_empty() {
            Outcome::no_data("no files in the working directory")
        } else {
            let zip = write_zip(&archive_dir, &files, self.span)?;
            rt.archive_path = Some(zip.clone());
            let mut failed = Vec::new();
            for file in &files {
                crate::process::fault::point("archive:remove");
                if let Err(e) = std::fs::remove_file(file) {
                    failed.push(format!("{}: {e}", rt.show(file)));
                }
            }
            if !failed.is_empty() {
                return Err(RunError::raise(
                    RunCode::ArchiveCleanup,
                    format!(
                        "archived to {}, but {} file(s) could not be removed: {}",
                        rt.show(&zip),
                        failed.len(),
                        failed.join("; ")
                    ),
                    self.span,
                    "while clearing the working directory",
                )
                .with_help("the zip is complete; remove the files by hand before the next run so they are not archived twice"));
            }
            let n = files.len() as u64;
            Outcome::success(format!(
                "{n} file{} → {}",
                if n == 1 { "" } else { "s" },
                rt.show(&zip)
            ))
            .with_counts(Counts {
                input: n,
                output: n,
                failed: 0,
            })
        };
        if let Some(keep) = self.keep {
            let removed = housekeeping(&archive_dir, keep, rt.archive_path.as_deref())
                .map_err(|e| io(e, "clean up old archives in", &archive_dir))?;
            if removed > 0 {
                outcome
                    .detail
                    .push_str(&format!(", {removed} old archive(s) removed"));
            }
        }
        Ok(outcome)
    }
}

/// The archives in `dir` that housekeeping would remove now, with a new one written first
/// when `zipping`.
fn old_archives(dir: &Path, keep: Keep, zipping: bool) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut archives: Vec<(PathBuf, SystemTime)> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with("_archive.zip"))
        .filter_map(|e| Some((e.path(), e.metadata().ok()?.modified().ok()?)))
        .collect();
    archives.sort_by_key(|(path, _)| {
        std::cmp::Reverse(
            path.file_name()
                .map(|n| archive_order(&n.to_string_lossy())),
        )
    });
    let now = SystemTime::now();
    let offset = u64::from(zipping);
    archives
        .into_iter()
        .enumerate()
        .filter(|(index, (_, modified))| match keep {
            Keep::Archives(n) => *index as u64 + offset >= n,
            Keep::Days(days) => now
                .duration_since(*modified)
                .is_ok_and(|age| age > Duration::from_secs(days * 86_400)),
        })
        .map(|(_, (path, _))| path)
        .collect()
}

/// Writes the zip under a temporary name and moves it into place once it is complete.
fn write_zip(dir: &Path, files: &[PathBuf], span: Span) -> Result<PathBuf, RunError> {
    let fail = |e: &dyn std::fmt::Display, what: &str, p: &Path| {
        RunError::raise(
            RunCode::Archive,
            format!("could not {what} `{}`: {e}", p.display()),
            span,
            "while archiving",
        )
        .with_help("nothing was deleted; the working directory is as it was")
    };
    let temp = crate::output_file::create_in(dir, ".zynk-archive-")
        .map_err(|e| fail(&e, "create a file in", dir))?;
    let mut zip = zip::ZipWriter::new(temp);
    for path in files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let modified = std::fs::metadata(path).and_then(|m| m.modified()).ok();
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(
                std::fs::metadata(path)
                    .map(|m| m.len() > u64::from(u32::MAX))
                    .unwrap_or(false),
            )
            .last_modified_time(zip_time(modified));
        zip.start_file(name, options)
            .map_err(|e| fail(&e, "add", path))?;
        let file = File::open(path).map_err(|e| fail(&e, "read", path))?;
        std::io::copy(&mut BufReader::new(file), &mut zip).map_err(|e| fail(&e, "read", path))?;
    }
    let mut temp = zip
        .finish()
        .map_err(|e| fail(&e, "finish the zip in", dir))?;
    temp.flush().map_err(|e| fail(&e, "write", dir))?;
    temp.as_file()
        .sync_all()
        .map_err(|e| fail(&e, "write", dir))?;
    crate::process::fault::point("archive:zip");
    let stamp = jiff::Zoned::now().strftime("%Y%m%d%H%M%S").to_string();
    let mut n = 0;
    loop {
        let name = if n == 0 {
            format!("{stamp}_archive.zip")
        } else {
            format!("{stamp}_{n}_archive.zip")
        };
        let target = dir.join(name);
        match crate::output_file::keep(temp, &target, false) {
            Ok(()) => return Ok(target),
            Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists && n < 10_000 => {
                temp = e.file;
                n += 1;
            }
            Err(e) => return Err(fail(&e.error, "save", &target)),
        }
    }
}

/// A file's modification time as a zip time stamp (local time, as zip tools show it).
fn zip_time(modified: Option<SystemTime>) -> zip::DateTime {
    modified
        .and_then(|m| jiff::Timestamp::try_from(m).ok())
        .map(|t| t.to_zoned(jiff::tz::TimeZone::system()).datetime())
        .and_then(|civil| zip::DateTime::try_from(civil).ok())
        .unwrap_or_default()
}

/// Sort key of an archive name: `20240131093000_archive.zip` → (stamp, 0),
/// `20240131093000_2_archive.zip` → (stamp, 2); other names sort first.
fn archive_order(name: &str) -> (String, u64) {
    let stem = name.strip_suffix("_archive.zip").unwrap_or(name);
    match stem.split_once('_') {
        Some((stamp, n)) => (stamp.to_string(), n.parse().unwrap_or(0)),
        None => (stem.to_string(), 0),
    }
}

/// Removes old `*_archive.zip` files; never the one just written. Returns how many.
fn housekeeping(dir: &Path, keep: Keep, newest: Option<&Path>) -> std::io::Result<usize> {
    let mut archives: Vec<(PathBuf, SystemTime)> = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path().is_file() && name.ends_with("_archive.zip") {
            let modified = entry.metadata()?.modified()?;
            archives.push((entry.path(), modified));
        }
    }
    // Newest first: by the time stamp in the name, then by the collision suffix.
    archives.sort_by_key(|(path, _)| {
        std::cmp::Reverse(
            path.file_name()
                .map(|n| archive_order(&n.to_string_lossy())),
        )
    });
    // The archive just written is the newest whatever its name sorts as (a name freed by
    // an earlier housekeeping can be taken again within the same second): it counts first.
    let written = archives
        .iter()
        .position(|(path, _)| Some(path.as_path()) == newest);
    let kept_before = u64::from(written.is_some());
    if let Some(at) = written {
        archives.remove(at);
    }
    let now = SystemTime::now();
    let mut removed = 0;
    for (index, (path, modified)) in archives.iter().enumerate() {
        let old = match keep {
            Keep::Archives(n) => index as u64 + kept_before >= n,
            Keep::Days(days) => now
                .duration_since(*modified)
                .is_ok_and(|age| age > Duration::from_secs(days * 86_400)),
        };
        if old {
            std::fs::remove_file(path)?;
            removed += 1;
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::archive_order;

    #[test]
    fn archives_order_by_time_then_suffix() {
        let mut names = vec![
            "20240131093000_1_archive.zip",
            "20240131093001_archive.zip",
            "20240131093000_archive.zip",
            "20240131093000_10_archive.zip",
            "20240131093000_2_archive.zip",
        ];
        names.sort_by_key(|n| archive_order(n));
        assert_eq!(
            names,
            vec![
                "20240131093000_archive.zip",
                "20240131093000_1_archive.zip",
                "20240131093000_2_archive.zip",
                "20240131093000_10_archive.zip",
                "20240131093001_archive.zip",
            ]
        );
    }
}
