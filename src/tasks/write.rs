//! `write TEXT to FILE`: write small files such as markers, atomically.
use std::io::Write as _;

use super::file_ops::{is_a_folder, replace_with};
use super::{Kind, Param, Task};
use crate::check::{Args, Checker, Template};
use crate::plan::Planner;
use crate::runtime::{Outcome, RunError, Runtime, Step};

pub(super) struct Write;

static PARAMS: [Param; 2] = [
    Param::positional(
        "text",
        Kind::Text,
        "what to write: text with `${…}`, or a `foreach` record to write it as XML",
    ),
    Param::required(
        "to",
        Kind::Path,
        "the file; it is replaced whole (readers never see half of it), parent folders are created",
    ),
];

impl Task for Write {
    fn head(&self) -> &'static [&'static str] {
        &["write"]
    }
    fn summary(&self) -> &'static str {
        "Write text to a file, replacing it atomically: markers, small notes, one record of a `foreach`"
    }
    fn params(&self) -> &'static [Param] {
        &PARAMS
    }
    fn example(&self) -> &'static str {
        "write \"orders imported\" to \"orders.done\""
    }
    fn compile(&self, args: &mut Args, _cx: &mut Checker<'_>) -> Option<Box<dyn Step>> {
        Some(Box::new(WriteStep {
            text: args.text("text")?,
            to: args.text("to")?,
        }))
    }
}

#[derive(Debug)]
struct WriteStep {
    text: Template,
    to: Template,
}

impl Step for WriteStep {
    fn plan(&self, p: &mut Planner<'_>) {
        let target = p.file(&self.to);
        p.write(&target);
    }

    fn run(&self, rt: &mut Runtime<'_>) -> Result<Outcome, RunError> {
        let text = rt.render(&self.text)?.text;
        let target = rt.path(&self.to)?;
        if target.is_dir() {
            return Err(is_a_folder(rt, &target, self.to.span, "write"));
        }
        replace_with(&target, true, self.to.span, |file| {
            file.write_all(text.as_bytes())
        })?;
        Ok(Outcome::success(format!(
            "{} → {}",
            crate::tasks::request::human_bytes(text.len() as u64),
            rt.show(&target)
        )))
    }
}
