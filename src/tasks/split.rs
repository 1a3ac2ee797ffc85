//! `split FILE by xpath `…` limit N into DIR`: cut an XML file into chunks of N records.
use super::pending::Pending;
use super::{Kind, Param, Task};
use crate::check::{Args, CheckError, Checker};
use crate::runtime::Step;

pub struct Split;

static PARAMS: [Param; 4] = [
    Param::positional("input", Kind::Path, "the XML file to split (left in place)"),
    Param::required(
        "by xpath",
        Kind::XPath,
        "selects the records, e.g. `/Company/Products/Product`",
    ),
    Param::option(
        "limit",
        Kind::Count,
        "the most records per chunk (default 200)",
    ),
    Param::required(
        "into",
        Kind::Path,
        "the folder the chunks are written to, as <input stem>_<n>.xml",
    ),
];

impl Task for Split {
    fn head(&self) -> &'static [&'static str] {
        &["split"]
    }
    fn summary(&self) -> &'static str {
        "Split an XML file into chunks of at most N records selected by an XPath"
    }
    fn params(&self) -> &'static [Param] {
        &PARAMS
    }
    fn example(&self) -> &'static str {
        "split \"product_export.xml\" by xpath `/Company/Products/Product` limit 200 into \"Stock Export\""
    }
    fn compile(&self, args: &mut Args, cx: &mut Checker<'_>) -> Option<Box<dyn Step>> {
        if args.count("limit") == Some(0) {
            cx.error(CheckError::InvalidValue {
                message: "the limit must be at least 1".into(),
                span: args.span_of("limit").into(),
                label: "zero records per chunk".into(),
                help: "Zynk's default is `limit 200`".into(),
            });
            return None;
        }
        Some(Box::new(Pending {
            statement: args.statement.clone(),
            span: args.span,
        }))
    }
}
