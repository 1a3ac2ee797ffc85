//! `fetch … pages number|link|cursor`: following a JSON API's pages into one document.
//!
//! Each page is fetched with the statement's options (auth, retries, 429 and `Retry-After`) into
//! a temporary file, read as JSON, and its records appended to the output: a page that is an
//! array gives its items; an object gives the items of its one array member (`{"orders": […]}`).
//! The output is one document of the same shape holding every page's records. See `docs/json.md`.
use std::io::Write as _;
use std::path::Path;

use serde_json::Value;

use super::request::RequestStep;
use crate::check::{Args, CheckError, Checker, Template};
use crate::http::{Method, Redacted, Request};
use crate::runtime::{Outcome, RunCode, RunError, Runtime};

/// The largest number of pages one `fetch` follows unless `max_pages` says otherwise.
pub(super) const DEFAULT_MAX_PAGES: u64 = 1000;

/// How the next page is found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Mode {
    /// `page=N` in the query, from N = 1 (or the URL's own `page`), until a page is empty or
    /// `X-WP-TotalPages` (or `X-Total-Pages`) is reached.
    Number,
    /// The `Link` header's `rel="next"` address (WooCommerce, Shopify's `page_info`).
    Link,
    /// A field of the page (a path such as `meta/next_cursor`) whose value goes into the query.
    Cursor(String),
}

/// A compiled `pages` option.
#[derive(Debug)]
pub(super) struct Paging {
    pub mode: Mode,
    /// The query parameter that carries the page number or cursor (`page`, `cursor`).
    pub param: Option<Template>,
    pub max_pages: u64,
}

impl Paging {
    /// The paging a statement asks for: `Ok(None)` without `pages`, `Err(())` after reporting.
    pub(super) fn compile(
        method: Method,
        args: &Args,
        cx: &mut Checker<'_>,
    ) -> Option<Option<Paging>> {
        let Some(mode) = args.choice("pages") else {
            for name in ["page_param", "cursor", "max_pages"] {
                if args.has(name) {
                    cx.error(CheckError::IncompleteOptions {
                        message: format!("`{name}` is an option of `pages`"),
                        span: args.span_of(name).into(),
                        label: "without `pages`".into(),
                        help: "add `pages number`, `pages link` or `pages cursor` to follow the answer's pages".into(),
                    });
                    return None;
                }
            }
            return Some(None);
        };
        if method != Method::Get {
            return Some(None);
        }
        let mode = match mode {
            "number" => Mode::Number,
            "link" => Mode::Link,
            _ => {
                let Some(path) = args.text("cursor").and_then(|t| t.constant()) else {
                    cx.error(CheckError::IncompleteOptions {
                        message: "`pages cursor` needs the field that holds the next cursor".into(),
                        span: args.span_of("pages").into(),
                        label: "which field?".into(),
                        help: "name it with `cursor`, e.g. `pages cursor cursor \"meta/next_cursor\" page_param \"cursor\"`".into(),
                    });
                    return None;
                };
                Mode::Cursor(path)
            }
        };
        let max_pages = args.count("max_pages").unwrap_or(DEFAULT_MAX_PAGES);
        if max_pages == 0 {
            cx.error(CheckError::OutOfRange {
                message: "`max_pages 0` would fetch nothing".into(),
                span: args.span_of("max_pages").into(),
                label: "zero".into(),
                help: format!("give at least 1 (the default is {DEFAULT_MAX_PAGES})"),
            });
            return None;
        }
        Some(Some(Paging {
            mode,
            param: args.text("page_param"),
            max_pages,
        }))
    }

    /// Fetches every page of `request` into the statement's output file.
    pub(super) fn run(
        &self,
        step: &RequestStep,
        rt: &mut Runtime<'_>,
        mut request: Request,
        shown: &str,
    ) -> Result<Outcome, RunError> {
        let span = step.span;
        let Some(output) = &step.output else {
            return Err(RunError::raise(
                RunCode::Internal,
                "`pages` needs `to FILE`",
                span,
                "no output",
            ));
        };
        let output = rt.path(output)?;
        let param = match &self.param {
            Some(t) => rt.render(t)?.text,
            None => match self.mode {
                Mode::Cursor(_) => "cursor".to_string(),
                _ => "page".to_string(),
            },
        };
        let dir = output.parent().unwrap_or(Path::new(".")).to_path_buf();
        std::fs::create_dir_all(&dir).map_err(|e| RunError::io(&e, "create", &dir, span))?;
        let page_file = crate::output_file::create_in(&dir, ".zynk-page")
            .map_err(|e| RunError::io(&e, "create", &dir, span))?
            .into_temp_path();
        let mut merged = Merged::new(&dir).map_err(|e| RunError::io(&e, "create", &dir, span))?;
        let client = rt.http(span)?.clone();
        let mut number = match self.mode {
            Mode::Number => query_value(&request.url, &param)
                .and_then(|v| v.parse::<u64>().ok())
                .unwrap_or(1),
            _ => 0,
        };
        if self.mode == Mode::Number {
            request.url = with_query(&request.url, &param, &number.to_string());
        }
        let mut pages = 0u64;
        let mut bytes = 0u64;
        // Whether an answer said how many pages there are.
        let mut counted = false;
        loop {
            pages += 1;
            if pages > self.max_pages {
                return Err(RunError::raise(
                    RunCode::TooManyPages,
                    format!(
                        "{} has more than {} pages (max_pages); nothing was saved",
                        Redacted(shown),
                        self.max_pages
                    ),
                    span,
                    "this fetch",
                )
                .with_help(
                    "raise `max_pages`, or narrow the query (a filter, a larger per_page)",
                ));
            }
            let page_shown = format!("GET {} (page {pages})", crate::http::redact(&request.url));
            let answer = client.execute_with(&request, Some(&page_file), &mut |wait| {
                rt.note_wait(&page_shown, wait);
            });
            let response = match answer {
                // WordPress answers 400 for a page past the last; without a page count to
                // stop at, that is the end.
                Err(crate::http::HttpError::Status { status: 400, .. })
                    if self.mode == Mode::Number && pages > 1 && !counted =>
                {
                    pages -= 1;
                    break;
                }
                Err(error) => {
                    return Err(RunError::from_diagnostic(
                        &error,
                        error.kind(),
                        span,
                        format!("GET {} failed on page {pages}", Redacted(shown)),
                    ));
                }
                Ok(response) => response,
            };
            bytes += response.bytes;
            let text = std::fs::read_to_string(&page_file)
                .map_err(|e| RunError::io(&e, "read", &page_file, span))?;
            let page: Value = serde_json::from_str(&text).map_err(|e| {
                RunError::raise(
                    RunCode::PageNotJson,
                    format!(
                        "page {pages} of {} is not JSON ({e}); `pages` reads JSON answers",
                        Redacted(shown)
                    ),
                    span,
                    "this fetch",
                )
                .with_help(format!(
                    "the answer starts: {}",
                    text.chars().take(120).collect::<String>()
                ))
            })?;
            let (records, cursor) = match &self.mode {
                Mode::Cursor(path) => (&page, lookup(&page, path)),
                _ => (&page, None),
            };
            let count = merged.add(records).map_err(|why| {
                RunError::raise(
                    RunCode::PageNotJson,
                    format!("page {pages} of {}: {why}", Redacted(shown)),
                    span,
                    "this fetch",
                )
            })?;
            let next = match &self.mode {
                Mode::Number => {
                    let total = response
                        .header("x-wp-totalpages")
                        .or_else(|| response.header("x-total-pages"))
                        .and_then(|v| v.trim().parse::<u64>().ok());
                    counted |= total.is_some();
                    let last = count == 0 || total.is_some_and(|t| number >= t);
                    (!last).then(|| {
                        number += 1;
                        with_query(&request.url, &param, &number.to_string())
                    })
                }
                Mode::Link => response
                    .header("link")
                    .and_then(next_link)
                    .and_then(|next| resolve(&request.url, &next)),
                Mode::Cursor(_) => cursor
                    .filter(|c| !c.is_empty() && count > 0)
                    .map(|c| with_query(&request.url, &param, &c)),
            };
            match next {
                Some(url) => request.url = url,
                None => break,
            }
        }
        let records = merged.records;
        merged
            .finish(&output)
            .map_err(|e| RunError::io(&e, "write", &output, span))?;
        Ok(Outcome::success(format!(
            "GET {} · {pages} page{}, {records} records → {} ({})",
            Redacted(shown),
            if pages == 1 { "" } else { "s" },
            rt.show(&output),
            super::request::human_bytes(bytes)
        ))
        .with_result("status", 200)
        .with_result("size", bytes))
    }
}

/// The output being built: `[` records `]`, or `{"key": [` records `]}` for object pages.
struct Merged {
    file: std::io::BufWriter<tempfile::NamedTempFile>,
    /// The array member of object pages, once the first page named it.
    key: Option<Option<String>>,
    records: u64,
}

impl Merged {
    fn new(dir: &Path) -> std::io::Result<Merged> {
        let file = crate::output_file::create_in(dir, ".zynk-pages")?;
        Ok(Merged {
            file: std::io::BufWriter::new(file),
            key: None,
            records: 0,
        })
    }

    /// Appends a page's records; how many it had.
    fn add(&mut self, page: &Value) -> Result<u64, String> {
        let (key, items) = match page {
            Value::Array(items) => (None, items),
            Value::Object(map) => {
                let mut arrays = map.iter().filter(|(_, v)| v.is_array());
                match (arrays.next(), arrays.next()) {
                    (Some((k, Value::Array(items))), None) => (Some(k.clone()), items),
                    _ => {
                        return Err("an object page must hold exactly one array of records".into());
                    }
                }
            }
            _ => return Err("a page must be a JSON array or an object holding one".into()),
        };
        match &self.key {
            None => {
                let start = match &key {
                    None => "[".to_string(),
                    Some(k) => format!("{{{}:[", Value::String(k.clone())),
                };
                self.write(start.as_bytes())?;
                self.key = Some(key);
            }
            Some(first) if *first != key => {
                return Err("its records are not where the first page had them".into());
            }
            Some(_) => {}
        }
        for item in items {
            if self.records > 0 {
                self.write(b",\n")?;
            }
            let text = serde_json::to_string(item).map_err(|e| e.to_string())?;
            self.write(text.as_bytes())?;
            self.records += 1;
        }
        Ok(items.len() as u64)
    }

    fn write(&mut self, bytes: &[u8]) -> Result<(), String> {
        self.file.write_all(bytes).map_err(|e| e.to_string())
    }

    /// Closes the document and renames it over `output`.
    fn finish(mut self, output: &Path) -> std::io::Result<()> {
        let end: &[u8] = match &self.key {
            None => b"[]\n",
            Some(None) => b"]\n",
            Some(Some(_)) => b"]}\n",
        };
        self.file.write_all(end)?;
        let file = self.file.into_inner().map_err(|e| e.into_error())?;
        file.as_file().sync_all()?;
        file.persist(output).map_err(|e| e.error)?;
        Ok(())
    }
}

/// The value at a slash path (`meta/next_cursor`) of a JSON value, as text.
fn lookup(value: &Value, path: &str) -> Option<String> {
    let mut at = value;
    for step in path.split('/').filter(|s| !s.is_empty()) {
        at = at.get(step)?;
    }
    match at {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The address of `rel="next"` in a `Link` header.
fn next_link(header: &str) -> Option<String> {
    header.split(',').find_map(|part| {
        let (target, params) = part.split_once(';')?;
        let target = target.trim().strip_prefix('<')?.strip_suffix('>')?;
        params
            .split(';')
            .any(|p| {
                let p = p.trim().to_ascii_lowercase().replace(' ', "");
                p == "rel=\"next\"" || p == "rel=next"
            })
            .then(|| target.to_string())
    })
}

/// `next` (absolute or relative) against the current address.
fn resolve(current: &str, next: &str) -> Option<String> {
    let base = reqwest::Url::parse(current).ok()?;
    let mut url = base.join(next).ok()?;
    // The page's own credentials (if the address had any) stay on the next one.
    if url.host() == base.host() && url.username().is_empty() && !base.username().is_empty() {
        let _ = url.set_username(base.username());
        let _ = url.set_password(base.password());
    }
    Some(url.to_string())
}

/// The value of the query parameter `name` in `url`.
fn query_value(url: &str, name: &str) -> Option<String> {
    let url = reqwest::Url::parse(url).ok()?;
    url.query_pairs()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.into_owned())
}

/// `url` with the query parameter `name` set to `value` (replacing it, or added at the end).
fn with_query(url: &str, name: &str, value: &str) -> String {
    let Ok(mut parsed) = reqwest::Url::parse(url) else {
        return url.to_string();
    };
    let pairs: Vec<(String, String)> = parsed
        .query_pairs()
        .filter(|(n, _)| n != name)
        .map(|(n, v)| (n.into_owned(), v.into_owned()))
        .collect();
    parsed
        .query_pairs_mut()
        .clear()
        .extend_pairs(pairs)
        .append_pair(name, value);
    parsed.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_links_are_found() {
        let header = "<https://s.example/wp-json/wc/v3/orders?page=1>; rel=\"prev\", <https://s.example/wp-json/wc/v3/orders?page=3>; rel=\"next\"";
        assert_eq!(
            next_link(header).as_deref(),
            Some("https://s.example/wp-json/wc/v3/orders?page=3")
        );
        assert_eq!(next_link("<https://s.example/x>; rel=\"prev\""), None);
    }

    #[test]
    fn page_numbers_replace_the_query_value() {
        assert_eq!(
            with_query(
                "http://h/o?status=processing&page=2&per_page=5",
                "page",
                "3"
            ),
            "http://h/o?status=processing&per_page=5&page=3"
        );
        assert_eq!(
            query_value("http://h/o?page=4", "page").as_deref(),
            Some("4")
        );
        assert_eq!(
            lookup(&serde_json::json!({"meta": {"next": "abc"}}), "meta/next").as_deref(),
            Some("abc")
        );
    }
}
