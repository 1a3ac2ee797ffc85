//! `move FILE to FILE|DIR [overwrite]`: move a file (Zynk's Move File task), by rename where possible.
use std::path::Path;

use super::file_ops::{
    copy_file, is_a_folder, make_parent, plan_target, target_exists, target_path,
};
use super::{Kind, Param, Task};
use crate::check::{Args, Checker, Template};
use crate::plan::{Action, Effect, Planner};
use crate::runtime::{Outcome, RunError, Runtime, Step};
use crate::source::Span;

pub(super) struct Move;

static PARAMS: [Param; 3] = [
    Param::positional("file", Kind::Path, "the file to move"),
    Param::required(
        "to",
        Kind::Path,
        "the new name, or a folder to move into (an existing folder, or a path ending in `/`)",
    ),
    Param::option(
        "overwrite",
        Kind::Flag,
        "replace the target if it exists (without it, an existing target fails the statement)",
    ),
];

impl Task for Move {
    fn head(&self) -> &'static [&'static str] {
        &["move"]
    }
    fn summary(&self) -> &'static str {
        "Move a file: an atomic rename on the same disk; across disks a synced copy, then the original is removed"
    }
    fn params(&self) -> &'static [Param] {
        &PARAMS
    }
    fn example(&self) -> &'static str {
        "move \"customer_success.xml\" to \"Done/\""
    }
    fn compile(&self, args: &mut Args, _cx: &mut Checker<'_>) -> Option<Box<dyn Step>> {
        Some(Box::new(MoveStep {
            file: args.text("file")?,
            to: args.text("to")?,
            overwrite: args.flag("overwrite"),
        }))
    }
}

#[derive(Debug)]
struct MoveStep {
    file: Template,
    to: Template,
    overwrite: bool,
}

impl Step for MoveStep {
    fn plan(&self, p: &mut Planner<'_>) {
        let (source, target) = plan_target(p, &self.file, &self.to);
        let mut effect = Effect::new(Action::Move).path(&source.shown);
        effect.to = Some(target.shown.clone());
        effect.state = Some(source.state);
        effect.depends_on = source.depends_on;
        effect.detail = source.describe();
        p.effect(effect);
        p.removed(&source);
        p.written(&target);
    }

    fn run(&self, rt: &mut Runtime<'_>) -> Result<Outcome, RunError> {
        let source = rt.path(&self.file)?;
        let written = rt.render(&self.to)?.text;
        let target = target_path(&source, &rt.path(&self.to)?, &written);
        match std::fs::symlink_metadata(&source) {
            Err(_) => {
                return Err(RunError::not_found(
                    &source,
                    self.file.span,
                    "the file to move",
                ));
            }
            Ok(m) if m.is_dir() => return Err(is_a_folder(rt, &source, self.file.span, "move")),
            Ok(_) => {}
        }
        if target.is_dir() {
            return Err(is_a_folder(rt, &target, self.to.span, "move"));
        }
        if std::fs::canonicalize(&source).ok() == std::fs::canonicalize(&target).ok() {
            return Ok(Outcome::no_data(format!(
                "{} is already there",
                rt.show(&target)
            )));
        }
        if !self.overwrite && target.exists() {
            return Err(target_exists(rt, &target, self.to.span, "move"));
        }
        make_parent(&target, self.to.span)?;
        let how = match std::fs::rename(&source, &target) {
            Ok(()) => "renamed",
            Err(e) if e.kind() == std::io::ErrorKind::CrossesDevices => {
                move_across_devices(rt, &source, &target, self.overwrite, self.to.span)?;
                "copied across devices"
            }
            Err(e) => return Err(RunError::io(&e, "move", &source, self.file.span)),
        };
        Ok(Outcome::success(format!(
            "{} → {} ({how})",
            rt.show(&source),
            rt.show(&target)
        )))
    }
}

/// A rename cannot cross file systems: copy (synced), then remove the original.
fn move_across_devices(
    rt: &Runtime<'_>,
    source: &Path,
    target: &Path,
    overwrite: bool,
    span: Span,
) -> Result<(), RunError> {
    if !copy_file(source, target, overwrite, span)? {
        return Err(target_exists(rt, target, span, "move"));
    }
    std::fs::remove_file(source).map_err(|e| {
        RunError::io(&e, "remove the original after copying", source, span)
            .with_help("the file was copied; remove the original by hand")
    })
}
