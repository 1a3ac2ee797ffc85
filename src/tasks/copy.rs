//! `copy FILE to FILE|DIR [overwrite]`: copy a file (Zynk's Copy File task), atomically.
use super::file_ops::{copy_file, is_a_folder, plan_target, target_exists, target_path};
use super::{Kind, Param, Task};
use crate::check::{Args, Checker, Template};
use crate::plan::Planner;
use crate::runtime::{Outcome, RunCode, RunError, Runtime, Step};

pub(super) struct Copy;

static PARAMS: [Param; 3] = [
    Param::positional("file", Kind::Path, "the file to copy"),
    Param::required(
        "to",
        Kind::Path,
        "the new file, or a folder to copy into (it is created if missing)",
    ),
    Param::option(
        "overwrite",
        Kind::Flag,
        "replace the target if it exists (without it, an existing target fails the statement)",
    ),
];

impl Task for Copy {
    fn head(&self) -> &'static [&'static str] {
        &["copy"]
    }
    fn summary(&self) -> &'static str {
        "Copy a file; the copy appears whole or not at all, and an existing target is kept unless `overwrite` is given"
    }
    fn params(&self) -> &'static [Param] {
        &PARAMS
    }
    fn example(&self) -> &'static str {
        "copy \"download.xml\" to \"Backup/download.xml\" overwrite"
    }
    fn compile(&self, args: &mut Args, _cx: &mut Checker<'_>) -> Option<Box<dyn Step>> {
        Some(Box::new(CopyStep {
            file: args.text("file")?,
            to: args.text("to")?,
            overwrite: args.flag("overwrite"),
        }))
    }
}

#[derive(Debug)]
struct CopyStep {
    file: Template,
    to: Template,
    overwrite: bool,
}

impl Step for CopyStep {
    fn plan(&self, p: &mut Planner<'_>) {
        let (source, target) = plan_target(p, &self.file, &self.to);
        p.read_file(&source);
        p.write(&target);
    }

    fn run(&self, rt: &mut Runtime<'_>) -> Result<Outcome, RunError> {
        let source = rt.path(&self.file)?;
        let written = rt.render(&self.to)?.text;
        let target = target_path(&source, &rt.path(&self.to)?, &written);
        match std::fs::metadata(&source) {
            Err(_) => {
                return Err(RunError::not_found(
                    &source,
                    self.file.span,
                    "the file to copy",
                ));
            }
            Ok(m) if m.is_dir() => return Err(is_a_folder(rt, &source, self.file.span, "copy")),
            Ok(_) => {}
        }
        if target.is_dir() {
            return Err(is_a_folder(rt, &target, self.to.span, "copy"));
        }
        if std::fs::canonicalize(&source).ok() == std::fs::canonicalize(&target).ok() {
            return Err(RunError::raise(
                RunCode::SameFile,
                format!("`{}` is the file being copied", rt.show(&target)),
                self.to.span,
                "the source itself",
            )
            .with_help("copy to another name or folder"));
        }
        if !self.overwrite && target.exists() {
            return Err(target_exists(rt, &target, self.to.span, "copy"));
        }
        if !copy_file(&source, &target, self.overwrite, self.to.span)? {
            return Err(target_exists(rt, &target, self.to.span, "copy"));
        }
        Ok(Outcome::success(format!(
            "{} → {}",
            rt.show(&source),
            rt.show(&target)
        )))
    }
}
