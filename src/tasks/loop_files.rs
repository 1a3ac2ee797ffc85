//! Which files a `foreach` over a folder visits, in what order, and the key of its
//! watermark: decided here once, for `zynk run` (files on disk) and `zynk plan` (files as
//! the plan knows them).
use std::path::{Path, PathBuf};

use globset::GlobMatcher;
use jiff::Timestamp;

use crate::check::Template;
use crate::plan::LoopFile;

/// A file a loop may visit.
pub(super) trait Candidate {
    /// Its path, when its name is known.
    fn known_path(&self) -> Option<&Path>;
    /// Whether it changed after `since`.
    fn modified_after(&self, since: Timestamp) -> bool;
}

impl Candidate for PathBuf {
    fn known_path(&self) -> Option<&Path> {
        Some(self)
    }
    fn modified_after(&self, since: Timestamp) -> bool {
        modified_after(self, since)
    }
}

/// A file an earlier statement writes counts as changed.
impl Candidate for LoopFile {
    fn known_path(&self) -> Option<&Path> {
        self.path()
    }
    fn modified_after(&self, since: Timestamp) -> bool {
        match self {
            LoopFile::Present(info) => modified_after(&info.path, since),
            LoopFile::Written { .. } | LoopFile::Unknown { .. } => true,
        }
    }
}

/// The key a loop over the folder `dir` (as the run shows it) keeps its watermark under.
pub(super) fn watermark_key(dir: &str, pattern: Option<&Template>) -> String {
    format!(
        "foreach {dir} {}",
        pattern.and_then(Template::constant).unwrap_or_default()
    )
}

/// Keeps the files whose name `matcher` matches (all without one), puts them in natural
/// name order, and with `since` keeps only those changed after it.
pub(super) fn choose<C: Candidate>(
    files: &mut Vec<C>,
    matcher: Option<&GlobMatcher>,
    since: Option<Timestamp>,
) {
    files.retain(|f| {
        let name = f
            .known_path()
            .and_then(Path::file_name)
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        matcher.is_none_or(|m| m.is_match(&name))
    });
    files.sort_by_cached_key(|f| {
        natural_key(
            &f.known_path()
                .map(|p| p.to_string_lossy().into_owned())
                .unwrap_or_default(),
        )
    });
    if let Some(since) = since {
        files.retain(|f| f.modified_after(since));
    }
}

/// Whether the file was last written after `since`; a file whose time cannot be read
/// counts as changed.
fn modified_after(path: &Path, since: Timestamp) -> bool {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|m| Timestamp::try_from(m).ok())
        .is_none_or(|m| m > since)
}

/// Case-insensitive sort key in which runs of digits compare as numbers, so
/// `product_export_2.xml` comes before `product_export_10.xml`.
fn natural_key(text: &str) -> Vec<(String, u128)> {
    let mut key = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_ascii_digit() {
            let mut digits = String::new();
            while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                digits.push(d);
                chars.next();
            }
            key.push((String::new(), digits.parse().unwrap_or(u128::MAX)));
        } else {
            let mut run = String::new();
            while let Some(&d) = chars.peek().filter(|d| !d.is_ascii_digit()) {
                run.extend(d.to_lowercase());
                chars.next();
            }
            key.push((run, 0));
        }
    }
    key
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::choose;
    use crate::plan::LoopFile;
    use crate::runtime::FileInfo;

    fn matcher(glob: &str) -> globset::GlobMatcher {
        globset::GlobBuilder::new(glob)
            .case_insensitive(true)
            .build()
            .expect("a glob")
            .compile_matcher()
    }

    #[test]
    fn digits_compare_as_numbers_and_case_is_ignored() {
        let mut names = vec!["b_10.xml", "b_2.xml", "B_1.xml", "a.xml", "b_2a.xml"];
        names.sort_by_cached_key(|n| super::natural_key(n));
        assert_eq!(
            names,
            ["a.xml", "B_1.xml", "b_2.xml", "b_2a.xml", "b_10.xml"]
        );
    }

    #[test]
    fn a_run_and_a_plan_choose_the_same_files_in_the_same_order() {
        let dir = tempfile::tempdir().expect("a temp folder");
        let names = ["Stock_10.xml", "stock_2.xml", "notes.txt", "STOCK_1.XML"];
        for name in names {
            std::fs::write(dir.path().join(name), "x").expect("a file");
        }
        let mut run: Vec<PathBuf> = names.iter().map(|n| dir.path().join(n)).collect();
        let mut plan: Vec<LoopFile> = run
            .iter()
            .map(|p| LoopFile::Present(FileInfo::read(p).expect("a file's facts")))
            .collect();
        let glob = matcher("*.xml");
        choose(&mut run, Some(&glob), None);
        choose(&mut plan, Some(&glob), None);
        let shown: Vec<String> = run
            .iter()
            .map(|p| {
                p.file_name()
                    .expect("a name")
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        assert_eq!(shown, ["STOCK_1.XML", "stock_2.xml", "Stock_10.xml"]);
        let planned: Vec<PathBuf> = plan
            .iter()
            .filter_map(|f| f.path().map(PathBuf::from))
            .collect();
        assert_eq!(planned, run);
    }

    #[test]
    fn only_files_changed_since_the_watermark_are_kept_and_written_ones_count_as_changed() {
        let dir = tempfile::tempdir().expect("a temp folder");
        let old = dir.path().join("old.xml");
        std::fs::write(&old, "x").expect("a file");
        let since = jiff::Timestamp::now()
            .checked_add(jiff::SignedDuration::from_secs(60))
            .expect("a time");
        let mut run = vec![old.clone()];
        choose(&mut run, None, Some(since));
        assert!(
            run.is_empty(),
            "a file older than the watermark is left out"
        );
        let mut plan = vec![
            LoopFile::Present(FileInfo::read(&old).expect("a file's facts")),
            LoopFile::Written {
                path: dir.path().join("new.xml"),
                line: 3,
            },
        ];
        choose(&mut plan, None, Some(since));
        assert_eq!(plan.len(), 1);
        assert_eq!(plan[0].written_by(), Some(3));
    }
}
