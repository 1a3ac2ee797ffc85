//! `delete FILE`: remove a file (Zynk's Delete File task); a missing file is NotFound.
use super::{Kind, Param, Task};
use crate::check::{Args, Checker, Template};
use crate::plan::Planner;
use crate::runtime::{Outcome, RunCode, RunError, Runtime, Step};

pub(super) struct Delete;

static PARAMS: [Param; 1] = [Param::positional("file", Kind::Path, "the file to delete")];

impl Task for Delete {
    fn head(&self) -> &'static [&'static str] {
        &["delete"]
    }
    fn summary(&self) -> &'static str {
        "Delete a file; a missing file fails with NotFound"
    }
    fn params(&self) -> &'static [Param] {
        &PARAMS
    }
    fn example(&self) -> &'static str {
        "delete \"old_export.xml\""
    }
    fn compile(&self, args: &mut Args, _cx: &mut Checker<'_>) -> Option<Box<dyn Step>> {
        Some(Box::new(DeleteFile {
            file: args.text("file")?,
        }))
    }
}

#[derive(Debug)]
struct DeleteFile {
    file: Template,
}

impl Step for DeleteFile {
    fn plan(&self, p: &mut Planner<'_>) {
        let file = p.file(&self.file);
        p.delete(&file);
    }

    fn run(&self, rt: &mut Runtime<'_>) -> Result<Outcome, RunError> {
        let path = rt.path(&self.file)?;
        let meta = std::fs::symlink_metadata(&path)
            .map_err(|_| RunError::not_found(&path, self.file.span, "the file to delete"))?;
        if meta.is_dir() {
            return Err(RunError::raise(
                RunCode::IsAFolder,
                format!("`{}` is a folder, not a file", rt.show(&path)),
                self.file.span,
                "a folder",
            )
            .with_help("`delete` removes single files; `archive` clears the working directory"));
        }
        std::fs::remove_file(&path)
            .map_err(|e| RunError::io(&e, "delete", &path, self.file.span))?;
        Ok(Outcome::success(format!("deleted {}", rt.show(&path))))
    }
}
