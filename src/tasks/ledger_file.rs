//! `ledger "FILE"`: use another ledger than `<data>/ledger.sqlite` (a second company).
use super::{Kind, Param, Task};
use crate::check::{Args, Checker, Template};
use crate::runtime::{Outcome, RunError, Runtime, Step};

pub struct LedgerFile;

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
    fn compile(&self, args: &mut Args, _cx: &mut Checker<'_>) -> Option<Box<dyn Step>> {
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
    fn run(&self, rt: &mut Runtime<'_>) -> Result<Outcome, RunError> {
        let name = rt.render(&self.file)?.text;
        let path = rt.data_dir.join(&name);
        rt.ledger_path = path;
        Ok(Outcome::success(format!("using ledger {name}")))
    }
}
