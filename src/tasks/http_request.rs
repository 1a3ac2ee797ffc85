//! `http METHOD URL [with X] [to FILE]`: any HTTP method, for what `fetch` and `notify` do not cover.
use super::{Kind, Param, Task, request};
use crate::check::{Args, CheckError, Checker};
use crate::http::Method;
use crate::runtime::Step;

pub(super) struct HttpRequest;

static PARAMS: [Param; 23] = request::with_common([
    Param::positional("method", Kind::Choice(&Method::NAMES), "the HTTP method"),
    Param::positional("url", Kind::Text, "the address"),
    Param::option(
        "with",
        Kind::Text,
        "the body: a file or text (not sent with GET or HEAD)",
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

impl Task for HttpRequest {
    fn head(&self) -> &'static [&'static str] {
        &["http"]
    }
    fn summary(&self) -> &'static str {
        "Send a request with any method (GET, POST, PUT, PATCH, DELETE, HEAD)"
    }
    fn params(&self) -> &'static [Param] {
        &PARAMS
    }
    fn results(&self) -> &'static [(&'static str, &'static str)] {
        super::request::RESULTS
    }
    fn example(&self) -> &'static str {
        "http PUT \"https://shop.example/api/stock\" with \"stock.xml\" to \"stock_response.txt\""
    }
    fn compile(&self, args: &mut Args, cx: &mut Checker<'_>) -> Option<Box<dyn Step>> {
        let name = args.choice("method")?;
        let Ok(method) = name.parse::<Method>() else {
            cx.error(CheckError::NotAChoice {
                message: format!("`{name}` is not an HTTP method"),
                span: args.span_of("method").into(),
                label: "not a method".into(),
                help: format!("use one of {}", Method::NAMES.join(", ")),
            });
            return None;
        };
        request::compile(method, args, cx)
    }
}
