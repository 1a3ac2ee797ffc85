//! `ledger "FILE"`: use another ledger than `<data>/ledger.sqlite` (a second company).
use super::{Kind, Param, Task};
use crate::check::{Args, Checker, Template};
use crate::plan::{Action, Effect, Planner};
use crate::runtime::{Outcome, RunError, Runtime, Step};

pub(super) struct LedgerFile;

static PARAMS: [Param; 1] = [Param::positional(
    "file",
    Kind::Path,
    "the ledger file, relative to the data folder",
)];

impl Task for LedgerFile {
    fn head(&self) -> &'static [&'static str] {
        &["ledger"]
    }
    fn summary(&self) -> &'static str {
        "Choose the ledger file the following statements use (default `<data>/ledger.sqlite`)"
    }
    fn params(&self) -> &'static [Param] {
        &PARAMS
    }
    fn example(&self) -> &'static str {
        "ledger \"second-company.sqlite\""
    }
    fn compile(&self, args: &mut Args, cx: &mut Checker<'_>) -> Option<Box<dyn Step>> {
        cx.use_embedded_ledger();
        Some(Box::new(UseLedger {
            file: args.text("file")?,
        }))
    }
}

#[derive(Debug)]
struct UseLedger {
    file: Template,
}

impl Step for UseLedger {
    fn plan(&self, p: &mut Planner<'_>) {
        let name = p.render(&self.file).text;
        let path = p.data_dir.join(&name);
        let effect = Effect::new(Action::Ledger)
            .path(p.show_data(&path))
            .detail("the following statements use this ledger");
        p.effect(effect);
        p.set_ledger(path);
    }

    fn run(&self, rt: &mut Runtime<'_>) -> Result<Outcome, RunError> {
        let name = rt.render(&self.file)?.text;
        let path = rt.data_dir.join(&name);
        rt.use_ledger_file(path);
        Ok(Outcome::success(format!("using ledger {name}")))
    }
}
