//! The files of a plan: what is on disk now, and what earlier statements write or remove.
use std::path::{Component, Path, PathBuf};

use super::Planner;
use super::model::{Action, Effect, FileState};
use crate::check::{FileField, Template};
use crate::runtime::FileInfo;

/// What earlier statements of the plan do to files, in order.
#[derive(Debug, Default)]
pub(super) struct Changes {
    /// A file written (`removed` false) or removed, by the statement on `line`.
    files: Vec<(PathBuf, usize, bool)>,
    /// Folders an earlier statement writes files into whose names are not known.
    folders: Vec<(PathBuf, usize)>,
}

/// A file a statement names, as far as the plan knows it.
#[derive(Debug, Clone)]
pub struct PlanFile {
    /// The resolved path; with `${…}` placeholders when not known.
    pub path: PathBuf,
    /// As shown: relative to the working directory when inside it.
    pub shown: String,
    pub state: FileState,
    /// The statement that writes or removes it, or that its name comes from.
    pub depends_on: Option<usize>,
}

impl PlanFile {
    /// Whether it can be read now, unchanged by the run before it.
    #[must_use]
    pub fn is_present(&self) -> bool {
        self.state == FileState::Present
    }

    /// The state in words, for an effect's detail; `None` when it is simply there.
    #[must_use]
    pub fn describe(&self) -> Option<String> {
        let line = self
            .depends_on
            .map_or_else(String::new, |l| format!(" by line {l}"));
        match self.state {
            FileState::Present => None,
            FileState::Missing => {
                Some("missing now: the run would fail here unless it appears".into())
            }
            FileState::Written => Some(format!("written{line}")),
            FileState::Removed => Some(format!("removed{line}: the run would fail here")),
            FileState::Unknown => Some(match self.depends_on {
                Some(l) => format!("name known only while running: from line {l}"),
                None => "name known only while running".into(),
            }),
        }
    }
}

/// The file a `foreach` binds, as far as the plan knows it.
#[derive(Debug, Clone)]
pub enum LoopFile {
    /// A file there now.
    Present(FileInfo),
    /// A file an earlier statement (`line`) writes, under a known name.
    Written { path: PathBuf, line: usize },
    /// One of the files an earlier statement (`line`) writes into `dir`, names unknown.
    Unknown { dir: PathBuf, line: usize },
}

impl LoopFile {
    /// A field's value, when it is known before the run.
    #[must_use]
    pub fn field(&self, field: FileField) -> Option<String> {
        match (self, field) {
            (LoopFile::Present(info), _) => Some(info.field(field)),
            (LoopFile::Written { .. }, FileField::Size | FileField::Modified) => None,
            (LoopFile::Written { path, .. }, _) => Some(
                FileInfo {
                    path: path.clone(),
                    size: 0,
                    modified: None,
                }
                .field(field),
            ),
            (LoopFile::Unknown { dir, .. }, FileField::Dir) => Some(dir.display().to_string()),
            (LoopFile::Unknown { .. }, _) => None,
        }
    }

    /// The file's path, when its name is known.
    #[must_use]
    pub fn path(&self) -> Option<&Path> {
        match self {
            LoopFile::Present(info) => Some(&info.path),
            LoopFile::Written { path, .. } => Some(path),
            LoopFile::Unknown { .. } => None,
        }
    }

    /// The statement that writes the file, if it is not there now.
    #[must_use]
    pub fn written_by(&self) -> Option<usize> {
        match self {
            LoopFile::Present(_) => None,
            LoopFile::Written { line, .. } | LoopFile::Unknown { line, .. } => Some(*line),
        }
    }
}

/// What a folder holds when a statement lists it.
#[derive(Debug, Default)]
pub struct Listing {
    /// The files, there now or written under known names by earlier statements.
    pub files: Vec<LoopFile>,
    /// Earlier statements that write files of unknown names into the folder.
    pub filled_by: Vec<usize>,
    /// Whether the folder is missing and no earlier statement fills it.
    pub missing: bool,
}

/// `path` without `.` parts and with `..` applied, so two spellings compare equal.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

impl Planner<'_> {
    /// Resolves a file a statement names and tells whether it is there.
    #[must_use]
    pub fn file(&self, template: &Template) -> PlanFile {
        let shown = self.render(template);
        let path = self.resolve(&shown.text);
        let display = self.show(&self.resolve(&shown.display));
        if !shown.known {
            return PlanFile {
                path,
                shown: display,
                state: FileState::Unknown,
                depends_on: shown.depends_on,
            };
        }
        let (state, depends_on) = self.state_of(&path);
        PlanFile {
            path,
            shown: display,
            state,
            depends_on,
        }
    }

    /// A file of a known path.
    #[must_use]
    pub fn known_file(&self, path: &Path) -> PlanFile {
        let path = normalize(path);
        let (state, depends_on) = self.state_of(&path);
        PlanFile {
            shown: self.show(&path),
            path,
            state,
            depends_on,
        }
    }

    /// A path relative to the working directory.
    #[must_use]
    pub fn resolve(&self, path: &str) -> PathBuf {
        let p = Path::new(path);
        normalize(&if p.is_absolute() {
            p.to_path_buf()
        } else {
            self.workdir.join(p)
        })
    }

    fn state_of(&self, path: &Path) -> (FileState, Option<usize>) {
        if let Some((_, line, removed)) = self.files.files.iter().rev().find(|(p, ..)| p == path) {
            let state = if *removed {
                FileState::Removed
            } else {
                FileState::Written
            };
            return (state, Some(*line));
        }
        if path.exists() {
            return (FileState::Present, None);
        }
        match self
            .files
            .folders
            .iter()
            .rev()
            .find(|(dir, _)| path.parent() == Some(dir.as_path()))
        {
            Some((_, line)) => (FileState::Written, Some(*line)),
            None => (FileState::Missing, None),
        }
    }

    /// The statement reads `file`; `count` counts its records when it is there now.
    pub fn read(
        &mut self,
        file: &PlanFile,
        count: impl FnOnce(&Path) -> Result<u64, String>,
    ) -> Option<u64> {
        let mut effect = Effect::new(Action::Read).path(&file.shown);
        effect.state = Some(file.state);
        effect.depends_on = file.depends_on;
        if file.is_present() {
            match count(&file.path) {
                Ok(n) => effect.records = Some(n),
                Err(reason) => effect.detail = Some(format!("records not counted: {reason}")),
            }
        } else {
            effect.detail = file.describe().map(|d| match file.state {
                FileState::Written => format!("count unknown: {d}"),
                _ => d,
            });
        }
        let records = effect.records;
        self.effect(effect);
        records
    }

    /// The statement reads `file` whole, without records to count (a request body, a copy).
    pub fn read_file(&mut self, file: &PlanFile) {
        let mut effect = Effect::new(Action::Read).path(&file.shown);
        effect.state = Some(file.state);
        effect.depends_on = file.depends_on;
        effect.detail = file.describe();
        self.effect(effect);
    }

    /// The statement writes or replaces `file`.
    pub fn write(&mut self, file: &PlanFile) {
        let mut effect = Effect::new(Action::Write).path(&file.shown);
        if file.state == FileState::Unknown {
            effect.depends_on = file.depends_on;
            effect.detail = file.describe();
            // `${file.stem}.txt`: the folder is known, the name is not.
            if let Some(dir) = file.path.parent()
                && !dir.to_string_lossy().contains("${")
            {
                let line = self.line();
                self.files.folders.push((dir.to_path_buf(), line));
            }
        } else {
            if file.is_present() {
                effect.detail = Some("replaces the file there now".into());
            }
            let line = self.line();
            self.files.files.push((file.path.clone(), line, false));
        }
        self.effect(effect);
    }

    /// The statement deletes `file`.
    pub fn delete(&mut self, file: &PlanFile) {
        let mut effect = Effect::new(Action::Delete).path(&file.shown);
        effect.state = Some(file.state);
        effect.depends_on = file.depends_on;
        effect.detail = file.describe();
        self.removed(file);
        self.effect(effect);
    }

    /// Marks `file` as gone for the statements after this one.
    pub fn removed(&mut self, file: &PlanFile) {
        if file.state != FileState::Unknown {
            let line = self.line();
            self.files.files.push((file.path.clone(), line, true));
        }
    }

    /// Marks `file` as written, without an effect of its own (a move's target).
    pub fn written(&mut self, file: &PlanFile) {
        if file.state != FileState::Unknown {
            let line = self.line();
            self.files.files.push((file.path.clone(), line, false));
        }
    }

    /// The statement writes files of names not known before the run into `dir`.
    pub fn fills_folder(&mut self, dir: &PlanFile) {
        if dir.state != FileState::Unknown {
            let line = self.line();
            self.files.folders.push((dir.path.clone(), line));
        }
    }

    /// What `dir` will hold when the statement runs: the files there now that no earlier
    /// statement removes, the files earlier statements write into it, in path order.
    #[must_use]
    pub fn listing(&self, dir: &Path, recursive: bool) -> Listing {
        let dir = normalize(dir);
        let mut listing = Listing::default();
        let mut present = Vec::new();
        if list_files(&dir, recursive, &mut present).is_err() {
            listing.missing = true;
        }
        let inside = |p: &Path| {
            if recursive {
                p.starts_with(&dir) && p != dir
            } else {
                p.parent() == Some(dir.as_path())
            }
        };
        let mut seen: Vec<PathBuf> = Vec::new();
        for (path, ..) in self.files.files.iter().rev() {
            if !inside(path) || seen.contains(path) {
                continue;
            }
            seen.push(path.clone());
        }
        for path in present {
            let path = normalize(&path);
            if seen.contains(&path) {
                continue;
            }
            if let Ok(info) = FileInfo::read(&path) {
                listing.files.push(LoopFile::Present(info));
            }
        }
        for path in seen {
            if let (FileState::Written, Some(line)) = self.state_of(&path) {
                listing.files.push(LoopFile::Written { path, line });
            }
        }
        for (folder, line) in &self.files.folders {
            if *folder == dir || (recursive && folder.starts_with(&dir)) {
                listing.filled_by.push(*line);
            }
        }
        if !listing.filled_by.is_empty() || !listing.files.is_empty() {
            listing.missing = false;
        }
        listing
    }
}

/// The files in `dir` (and below it, when `recursive`), zynk's temporary files left out.
fn list_files(dir: &Path, recursive: bool, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            if recursive
                && !crate::runtime::litter::is_temp_dir(&entry.file_name().to_string_lossy())
            {
                list_files(&path, true, out)?;
            }
        } else if path.is_file() && !crate::runtime::litter::is_temp_path(&path) {
            out.push(path);
        }
    }
    Ok(())
}
