//! `map FILE to FILE`: turn a shop's own XML into Connect XML with XPath field mappings.
use super::pending::Pending;
use super::{Kind, Param, Task};
use crate::check::{Args, Checker};
use crate::runtime::Step;

pub struct Map;

static PARAMS: [Param; 2] = [
    Param::positional("input", Kind::Path, "the shop's XML file"),
    Param::required("to", Kind::Path, "the Connect XML file to write"),
];

impl Task for Map {
    fn head(&self) -> &'static [&'static str] {
        &["map"]
    }
    fn summary(&self) -> &'static str {
        "Map a shop's XML export into Connect XML"
    }
    fn params(&self) -> &'static [Param] {
        &PARAMS
    }
    fn example(&self) -> &'static str {
        "map \"shop_orders.xml\" to \"orders.xml\""
    }
    fn compile(&self, args: &mut Args, _cx: &mut Checker<'_>) -> Option<Box<dyn Step>> {
        Some(Box::new(Pending {
            statement: args.statement.clone(),
            span: args.span,
        }))
    }
}
