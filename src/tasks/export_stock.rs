//! `export stock [all|new|modified] to FILE [published only]`: ledger products as Connect XML.
use super::pending::Pending;
use super::{Kind, Param, Task};
use crate::check::{Args, Checker};
use crate::runtime::Step;

pub struct ExportStock;

static PARAMS: [Param; 3] = [
    Param::positional(
        "mode",
        Kind::Choice(&["all", "new", "modified"]),
        "which products: all, new since the last export, or new and modified (default)",
    )
    .optional(),
    Param::required("to", Kind::Path, "the Connect XML file to write"),
    Param::option(
        "published only",
        Kind::Flag,
        "only products marked to publish on the web",
    ),
];

impl Task for ExportStock {
    fn head(&self) -> &'static [&'static str] {
        &["export", "stock"]
    }
    fn summary(&self) -> &'static str {
        "Export the ledger's products (all, new or modified since the last export) as Connect XML"
    }
    fn params(&self) -> &'static [Param] {
        &PARAMS
    }
    fn example(&self) -> &'static str {
        "export stock modified to \"product_export.xml\""
    }
    fn compile(&self, args: &mut Args, _cx: &mut Checker<'_>) -> Option<Box<dyn Step>> {
        Some(Box::new(Pending {
            statement: args.statement.clone(),
            span: args.span,
        }))
    }
}
