//! `notify`/`http … with FILE json [batch N]`: an XML file (a `map` output) sent as JSON, in
//! requests of at most N records, each answer checked for per-item errors.
//!
//! The body is the file read as XML and written as JSON in the correspondence of
//! `docs/json.md`. With `batch N` the records are the root element's children, sent N at a
//! time, each name as an array (`{"update": [ … ]}`); no records, no request. Every answer is
//! read as JSON: an item of one of its arrays with a non-null `error` (WooCommerce's batch
//! answers) fails the statement once every batch has been sent. The answers are merged
//! into the `to` file: object answers member by member (arrays joined), else an array.
use serde_json::{Map, Value};

use super::request::RequestStep;
use crate::check::{Args, CheckError, Checker};
use crate::http::{Body, Redacted, Request};
use crate::runtime::{Outcome, RunCode, RunError, Runtime};

/// How many item errors a failure quotes.
const QUOTED_ERRORS: usize = 5;

/// A compiled `json` option.
#[derive(Debug)]
pub(super) struct JsonBody {
    /// At most this many records per request.
    pub batch: Option<u64>,
}

impl JsonBody {
    /// `Some(None)` without `json`; `None` after an error was reported.
    pub(super) fn compile(args: &Args, cx: &mut Checker<'_>) -> Option<Option<JsonBody>> {
        let batch = args.count("batch");
        if !args.flag("json") {
            if args.has("batch") {
                cx.error(CheckError::IncompleteOptions {
                    message: "`batch` splits a JSON body: it needs `json`".into(),
                    span: args.span_of("batch").into(),
                    label: "without `json`".into(),
                    help: "write `with \"FILE.xml\" json batch 100`".into(),
                });
                return None;
            }
            return Some(None);
        }
        if !args.has("with") {
            cx.error(CheckError::IncompleteOptions {
                message: "`json` sends the `with` file as JSON, and there is none".into(),
                span: args.span_of("json").into(),
                label: "nothing to send".into(),
                help: "name the XML file to send: `with \"batch.xml\" json`".into(),
            });
            return None;
        }
        if batch == Some(0) {
            cx.error(CheckError::OutOfRange {
                message: "`batch 0` would send nothing".into(),
                span: args.span_of("batch").into(),
                label: "zero".into(),
                help: "give the largest number of records one request may carry, e.g. `batch 100`"
                    .into(),
            });
            return None;
        }
        Some(Some(JsonBody { batch }))
    }

    /// Sends the `with` file as JSON, in batches, and checks every answer.
    pub(super) fn run(
        &self,
        step: &RequestStep,
        rt: &mut Runtime<'_>,
        mut request: Request,
        shown: &str,
    ) -> Result<Outcome, RunError> {
        let span = step.span;
        let Some(with) = &step.options().body else {
            return Err(RunError::raise(
                RunCode::Internal,
                "`json` needs `with FILE`",
                span,
                "no body",
            ));
        };
        // `with order` in a record loop sends the record itself; otherwise `with` names a file.
        let (text, source) = if with.is_record() {
            (rt.render(with)?.text, "this record".to_string())
        } else {
            let path = rt.path(with)?;
            if !path.is_file() {
                return Err(RunError::not_found(&path, with.span, "the file to send"));
            }
            let text = crate::xml_input::read_text(&path).map_err(|e| match e {
                crate::xml_input::SourceError::Io(e) => RunError::io(&e, "read", &path, with.span),
                crate::xml_input::SourceError::Encoding(e) => RunError::from_diagnostic(
                    &e,
                    crate::process::FailureKind::Fail,
                    with.span,
                    "this file",
                ),
            })?;
            (text, format!("`{}`", rt.show(&path)))
        };
        let doc = roxmltree::Document::parse(&text).map_err(|e| {
            RunError::raise(
                RunCode::JsonMalformedXml,
                format!("{source} is not well-formed XML: {e}"),
                with.span,
                "this body",
            )
        })?;
        let root = doc.root_element();
        let bodies: Vec<Value> = match self.batch {
            None => vec![crate::json::value_of(root)],
            Some(n) => {
                let records: Vec<roxmltree::Node<'_, '_>> = root
                    .children()
                    .filter(roxmltree::Node::is_element)
                    .collect();
                let n = usize::try_from(n).unwrap_or(usize::MAX);
                records
                    .chunks(n)
                    .map(|chunk| crate::json::object_from(chunk, true))
                    .collect()
            }
        };
        if !request
            .headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("content-type"))
        {
            request
                .headers
                .push(("Content-Type".into(), "application/json".into()));
        }
        let output = match &step.output {
            Some(t) => Some(rt.path(t)?),
            None => None,
        };
        let dir = output
            .as_deref()
            .and_then(std::path::Path::parent)
            .map_or_else(|| rt.resolve("."), std::path::Path::to_path_buf);
        std::fs::create_dir_all(&dir).map_err(|e| RunError::io(&e, "create", &dir, span))?;
        let answer_file = crate::output_file::create_in(&dir, ".zynk-answer")
            .map_err(|e| RunError::io(&e, "create", &dir, span))?
            .into_temp_path();
        let client = rt.http(span)?.clone();
        let method = step.method_name();
        let mut answers = Vec::new();
        let mut item_errors = Vec::new();
        let total = bodies.len();
        for (i, body) in bodies.into_iter().enumerate() {
            request.body = Body::Text(body.to_string());
            let label = format!("{method} {} (batch {} of {total})", Redacted(shown), i + 1);
            let result = client.execute_with(&request, Some(&answer_file), &mut |wait| {
                rt.note_wait(&label, wait);
            });
            result.map_err(|error| {
                RunError::from_diagnostic(
                    &error,
                    error.kind(),
                    span,
                    if total > 1 {
                        format!("{label} failed; the batches before it were sent")
                    } else {
                        format!("{method} {} failed", Redacted(shown))
                    },
                )
            })?;
            let answer = std::fs::read_to_string(&answer_file).unwrap_or_default();
            let value: Value = serde_json::from_str(&answer).unwrap_or(Value::String(answer));
            item_errors.extend(errors_in(&value));
            answers.push(value);
        }
        if let Some(output) = &output {
            let merged = merge(answers);
            write_file(output, format!("{merged:#}\n").as_bytes())
                .map_err(|e| RunError::io(&e, "write", output, span))?;
        }
        if !item_errors.is_empty() {
            let quoted: Vec<String> = item_errors.iter().take(QUOTED_ERRORS).cloned().collect();
            let more = item_errors.len().saturating_sub(QUOTED_ERRORS);
            return Err(RunError::raise(
                RunCode::ItemErrors,
                format!(
                    "{method} {} answered 200, but {} item{} failed: {}{}",
                    Redacted(shown),
                    item_errors.len(),
                    if item_errors.len() == 1 { "" } else { "s" },
                    crate::http::mask(&quoted.join("; ")),
                    if more > 0 { format!(" (and {more} more)") } else { String::new() }
                ),
                span,
                "this request",
            )
            .with_help("the other items were applied; the answer (the `to` file) says which failed and why"));
        }
        let saved = output
            .as_deref()
            .map(|p| format!(" → {}", rt.show(p)))
            .unwrap_or_default();
        Ok(Outcome::success(format!(
            "{method} {} · {total} JSON request{}{saved}",
            Redacted(shown),
            if total == 1 { "" } else { "s" }
        ))
        .with_result("status", 200)
        .with_result("size", total as u64))
    }
}

/// Writes `bytes` to `target` through a temporary file renamed into place.
fn write_file(target: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut temp = crate::output_file::create_for(target)?;
    temp.write_all(bytes)?;
    crate::output_file::keep(temp, target, true).map_err(|e| e.error)
}

/// The per-item errors of a batch answer: `id 12: Invalid ID. (woocommerce_rest_…)`.
fn errors_in(answer: &Value) -> Vec<String> {
    let Value::Object(members) = answer else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (key, value) in members {
        let Value::Array(items) = value else { continue };
        for item in items {
            let Some(error) = item.get("error").filter(|e| !e.is_null()) else {
                continue;
            };
            let id = item
                .get("id")
                .map(|v| v.to_string().trim_matches('"').to_string())
                .unwrap_or_default();
            let message = error
                .get("message")
                .and_then(Value::as_str)
                .map_or_else(|| error.to_string(), str::to_string);
            let code = error.get("code").and_then(Value::as_str).unwrap_or("");
            out.push(format!("{key} id {id}: {message} ({code})"));
        }
    }
    out
}

/// One document of several answers: objects member by member (arrays joined), else an array.
fn merge(mut answers: Vec<Value>) -> Value {
    if answers.len() == 1 {
        return answers.remove(0);
    }
    if answers.is_empty() {
        return Value::Object(Map::new());
    }
    if !answers.iter().all(Value::is_object) {
        return Value::Array(answers);
    }
    let mut merged = Map::new();
    for answer in answers {
        let Value::Object(members) = answer else {
            continue;
        };
        for (key, value) in members {
            match (merged.get_mut(&key), value) {
                (Some(Value::Array(have)), Value::Array(more)) => have.extend(more),
                (_, value) => {
                    merged.insert(key, value);
                }
            }
        }
    }
    Value::Object(merged)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn item_errors_are_found() {
        let answer = json!({"update": [
            {"id": 5, "status": "completed"},
            {"id": 0, "error": {"code": "woocommerce_rest_shop_order_invalid_id", "message": "Invalid ID.", "data": {"status": 400}}}
        ]});
        assert_eq!(
            errors_in(&answer),
            vec!["update id 0: Invalid ID. (woocommerce_rest_shop_order_invalid_id)".to_string()]
        );
        assert!(errors_in(&json!({"update": [{"id": 1}]})).is_empty());
    }

    #[test]
    fn answers_merge() {
        assert_eq!(
            merge(vec![json!({"update": [1]}), json!({"update": [2]})]),
            json!({"update": [1, 2]})
        );
    }
}
