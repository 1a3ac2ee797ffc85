//! `notify URL with FILE [to FILE]`: POST a file or text and keep the response.
use super::{Kind, Param, Task, request};
use crate::check::{Args, Checker};
use crate::http::Method;
use crate::runtime::Step;

pub(super) struct Notify;

static PARAMS: [Param; 22] = request::with_common([
    Param::positional("url", Kind::Text, "the address to post to"),
    Param::option(
        "with",
        Kind::Text,
        "the body: the file it names, sent as is, or else the text itself unless it reads like a file name (http.md)",
    ),
    Param::option(
        "form",
        Kind::Pair,
        "a form value; any form values are sent instead of `with`",
    )
    .repeated(),
    Param::option("to", Kind::Path, "the file the response body is saved to"),
    Param::option(
        "json",
        Kind::Flag,
        "send the `with` file (XML) or the `foreach` record as JSON (json.md); the answer is read as JSON and an item with an `error` fails the statement",
    ),
    Param::option(
        "batch",
        Kind::Count,
        "with `json`: send the records (the root's children) in requests of at most this many",
    ),
]);

impl Task for Notify {
    fn head(&self) -> &'static [&'static str] {
        &["notify"]
    }
    fn summary(&self) -> &'static str {
        "POST a file or text to a URL (notifications and uploads) and save the response"
    }
    fn params(&self) -> &'static [Param] {
        &PARAMS
    }
    fn results(&self) -> &'static [(&'static str, &'static str)] {
        super::request::RESULTS
    }
    fn example(&self) -> &'static str {
        "notify \"https://shop.example/zynk/notify\" with \"customer_success.xml\" to \"customer_success_response.txt\""
    }
    fn compile(&self, args: &mut Args, cx: &mut Checker<'_>) -> Option<Box<dyn Step>> {
        request::compile(Method::Post, args, cx)
    }
}
