//! The names of a split's chunks, `<stem>_<n>.xml`, numbered after the chunks an earlier run
//! left in the folder: one rule for the split itself, `zynk run` and `zynk plan`.
use std::ffi::OsString;
use std::path::Path;

/// How a split names its chunks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChunkNames {
    stem: OsString,
    /// How many chunks of this stem wait in the folder.
    waiting: u64,
    /// The highest number among them: this split's chunks are numbered after it.
    after: u64,
}

impl ChunkNames {
    /// Chunks of `input` numbered from 1, whatever the folder holds.
    #[must_use]
    pub fn fresh(input: &Path) -> ChunkNames {
        ChunkNames {
            stem: stem(input),
            waiting: 0,
            after: 0,
        }
    }

    /// Chunks of `input` numbered after those of the same stem already in `dir` (an upload
    /// failed, say), so none is overwritten and a `foreach` over the folder, in natural name
    /// order, still takes the older ones first. A folder that cannot be read holds none.
    #[must_use]
    pub fn after_waiting(input: &Path, dir: &Path) -> ChunkNames {
        let stem = stem(input);
        let prefix = format!("{}_", stem.to_string_lossy());
        let (waiting, after) = std::fs::read_dir(dir)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter_map(|e| {
                        let name = e.file_name().to_string_lossy().into_owned();
                        name.strip_prefix(&prefix)?
                            .strip_suffix(".xml")?
                            .parse::<u64>()
                            .ok()
                    })
                    .fold((0, 0), |(n, high), k| (n + 1, high.max(k)))
            })
            .unwrap_or((0, 0));
        ChunkNames {
            stem,
            waiting,
            after,
        }
    }

    /// The file name of this split's `k`-th chunk, counting from 1.
    #[must_use]
    pub fn name(&self, k: u64) -> OsString {
        let mut name = self.stem.clone();
        name.push(format!("_{}.xml", self.after + k));
        name
    }

    /// `<stem>_<n>.xml`, for a plan that cannot count the chunks.
    #[must_use]
    pub fn pattern(&self) -> String {
        format!("{}_<n>.xml", self.stem.to_string_lossy())
    }

    /// How many chunks an earlier run left, and the highest number among them.
    #[must_use]
    pub fn waiting(&self) -> (u64, u64) {
        (self.waiting, self.after)
    }

    /// What a report adds when chunks were waiting: where this split's numbering starts.
    #[must_use]
    pub fn waiting_note(&self) -> Option<String> {
        (self.waiting > 0).then(|| {
            let s = if self.waiting == 1 { "" } else { "s" };
            format!(
                "numbered from {} after {} chunk{s} still waiting from an earlier run",
                self.after + 1,
                self.waiting
            )
        })
    }
}

/// The input's file name without its extension; `split` for a path that has none.
fn stem(input: &Path) -> OsString {
    input
        .file_stem()
        .map_or_else(|| OsString::from("split"), OsString::from)
}

#[cfg(test)]
mod tests {
    use super::ChunkNames;
    use std::path::Path;

    #[test]
    fn chunks_are_numbered_after_those_waiting_of_the_same_stem() {
        let dir = tempfile::tempdir().expect("a temp folder");
        for name in ["stock_2.xml", "stock_10.xml", "other_40.xml", "stock_x.xml"] {
            std::fs::write(dir.path().join(name), "<a/>").expect("a waiting chunk");
        }
        let names = ChunkNames::after_waiting(Path::new("in/stock.xml"), dir.path());
        assert_eq!(names.waiting(), (2, 10));
        assert_eq!(names.name(1), "stock_11.xml");
        assert_eq!(
            names.waiting_note().as_deref(),
            Some("numbered from 11 after 2 chunks still waiting from an earlier run")
        );
        let fresh = ChunkNames::fresh(Path::new("in/stock.xml"));
        assert_eq!(fresh.name(3), "stock_3.xml");
        assert_eq!(fresh.waiting_note(), None);
        assert_eq!(fresh.pattern(), "stock_<n>.xml");
    }

    #[test]
    fn a_missing_folder_holds_no_chunks() {
        let names = ChunkNames::after_waiting(Path::new("a.xml"), Path::new("no/such/folder"));
        assert_eq!(names.waiting(), (0, 0));
        assert_eq!(names.name(1), "a_1.xml");
    }
}
