//! `fetch URL to FILE`: download with GET (Zynk's HTTP task, Method=GET).
use super::{Kind, Param, Task, request};
use crate::check::{Args, Checker};
use crate::http::Method;
use crate::runtime::Step;

pub struct Fetch;

static PARAMS: [Param; 14] = request::with_common([
    Param::positional("url", Kind::Text, "the address to download"),
    Param::required("to", Kind::Path, "the file the response body is saved to"),
]);

impl Task for Fetch {
    fn head(&self) -> &'static [&'static str] {
        &["fetch"]
    }
    fn summary(&self) -> &'static str {
        "Download a URL with GET and save the body to a file"
    }
    fn params(&self) -> &'static [Param] {
        &PARAMS
    }
    fn results(&self) -> &'static [(&'static str, &'static str)] {
        super::request::RESULTS
    }
    fn example(&self) -> &'static str {
        "fetch \"https://shop.example/zynk/download\" to \"download.xml\" retries 1"
    }
    fn compile(&self, args: &mut Args, cx: &mut Checker<'_>) -> Option<Box<dyn Step>> {
        request::compile(Method::Get, args, cx)
    }
}
