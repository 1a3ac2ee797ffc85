//! `fetch URL to FILE`: download with GET (Zynk's HTTP task, Method=GET).
use super::{Kind, Param, Task, request};
use crate::check::{Args, Checker};
use crate::http::Method;
use crate::runtime::Step;

pub(super) struct Fetch;

static PARAMS: [Param; 22] = request::with_common([
    Param::positional("url", Kind::Text, "the address to download"),
    Param::required("to", Kind::Path, "the file the response body is saved to"),
    Param::option(
        "pages",
        Kind::Choice(&["number", "link", "cursor"]),
        "follow a JSON API's pages into one document: by `page=N` until an empty page or X-WP-TotalPages, by the Link header's rel=\"next\", or by a cursor field (json.md)",
    ),
    Param::option(
        "page_param",
        Kind::Text,
        "the query parameter that carries the page number or cursor (default \"page\", or \"cursor\" for `pages cursor`)",
    ),
    Param::option(
        "cursor",
        Kind::Text,
        "with `pages cursor`: the field of each page holding the next cursor, as a path: cursor \"meta/next_cursor\"",
    ),
    Param::option(
        "max_pages",
        Kind::Count,
        "the most pages followed (default 1000); a longer answer fails and saves nothing",
    ),
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
