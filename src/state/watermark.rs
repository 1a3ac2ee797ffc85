//! Export watermarks: the "last run" point of an export, per workflow and task.
//!
//! During a run the store stages them: `export stock modified` sets its new watermark, but
//! it is written only by [`StateStore::commit_watermarks`] when the run ends successfully,
//! after the chunks made from the export have reached the site. A run that fails, is
//! interrupted or is killed leaves the last committed watermark, so the next export takes
//! everything changed since then again.
use jiff::Timestamp;

use super::{StateError, StateStore};

/// A watermark set during a run and not yet committed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Staged {
    workflow: String,
    task: String,
    at: Timestamp,
}

impl StateStore {
    /// The watermark of `task` in `workflow`: the one staged by this run, else the last
    /// committed one; `None` if the export never completed.
    pub fn watermark(&self, workflow: &str, task: &str) -> Result<Option<Timestamp>, StateError> {
        if let Some(staged) = self.staged.borrow().as_ref() {
            if let Some(s) = staged
                .iter()
                .find(|s| s.workflow == workflow && s.task == task)
            {
                return Ok(Some(s.at));
            }
        }
        Ok(self
            .backend
            .watermark(workflow, task)?
            .map(super::from_micros))
    }

    /// Sets the watermark (call only after the export's file was written). While staging
    /// (see [`StateStore::stage_watermarks`]) it is kept until the run commits it.
    pub fn set_watermark(
        &self,
        workflow: &str,
        task: &str,
        at: Timestamp,
    ) -> Result<(), StateError> {
        if let Some(staged) = self.staged.borrow_mut().as_mut() {
            staged.retain(|s| !(s.workflow == workflow && s.task == task));
            staged.push(Staged {
                workflow: workflow.to_string(),
                task: task.to_string(),
                at,
            });
            return Ok(());
        }
        self.write_watermark(workflow, task, at)
    }

    /// From now on, watermarks are staged until [`StateStore::commit_watermarks`].
    pub fn stage_watermarks(&self) {
        self.staged.borrow_mut().get_or_insert_with(Vec::new);
    }

    /// Writes the staged watermarks in one transaction; returns how many. They stay staged
    /// if the write fails, so a later call may retry.
    pub fn commit_watermarks(&self) -> Result<usize, StateError> {
        let pending = self.staged.borrow().clone().unwrap_or_default();
        if pending.is_empty() {
            return Ok(0);
        }
        self.backend.write_watermarks(
            &pending
                .iter()
                .map(|s| (s.workflow.clone(), s.task.clone(), s.at.as_microsecond()))
                .collect::<Vec<_>>(),
        )?;
        if let Some(staged) = self.staged.borrow_mut().as_mut() {
            staged.clear();
        }
        Ok(pending.len())
    }

    fn write_watermark(&self, workflow: &str, task: &str, at: Timestamp) -> Result<(), StateError> {
        self.backend.write_watermarks(&[(
            workflow.to_string(),
            task.to_string(),
            at.as_microsecond(),
        )])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staged_watermarks_wait_for_the_commit() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("state.sqlite");
        let first = Timestamp::from_second(1_700_000_000)?;
        let second = Timestamp::from_second(1_700_000_100)?;
        let store = StateStore::open(&path)?;
        store.set_watermark("Shop", "export_stock", first)?;
        store.stage_watermarks();
        store.set_watermark("Shop", "export_stock", second)?;
        assert_eq!(store.watermark("Shop", "export_stock")?, Some(second));
        // Another process (or the next run after a crash) sees only the committed one.
        let other = StateStore::open(&path)?;
        assert_eq!(other.watermark("Shop", "export_stock")?, Some(first));
        assert_eq!(store.commit_watermarks()?, 1);
        assert_eq!(other.watermark("Shop", "export_stock")?, Some(second));
        assert_eq!(store.commit_watermarks()?, 0);
        Ok(())
    }
}
