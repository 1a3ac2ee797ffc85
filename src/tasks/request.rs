//! What `fetch`, `notify` and `http` share: their options and how a request is run.
use std::time::Duration;

use super::{Kind, Param};
use crate::check::{Args, CheckError, Checker, Template};
use crate::http::defaults::{
    DEFAULT_RETRIES, DEFAULT_RETRY_WAIT, DEFAULT_TIMEOUT, DEFAULT_USER_AGENT,
};
use crate::http::{Body, Method, Redacted, Request};
use crate::runtime::{Outcome, RunError, Runtime, Step};
use crate::source::Span;

/// Options every HTTP statement takes.
pub const COMMON: [Param; 6] = [
    Param::option(
        "retries",
        Kind::Count,
        "extra attempts after connection errors, timeouts, 429 and 503 (default 1)",
    ),
    Param::option(
        "timeout",
        Kind::Duration,
        "how long to wait for the whole response (default 2m)",
    ),
    Param::option(
        "retry_wait",
        Kind::Duration,
        "wait before the first retry, doubled after each (default 1s); a Retry-After header wins",
    ),
    Param::option(
        "user_agent",
        Kind::Text,
        "the User-Agent header (default \"Zynk Software Ltd/Zynk\")",
    ),
    Param::option(
        "header",
        Kind::Pair,
        "an extra request header: header \"Content-Type\" \"text/xml\"",
    )
    .repeated(),
    Param::option(
        "auth",
        Kind::Pair,
        "HTTP basic authentication: auth \"user\" env(\"SHOP_PASSWORD\")",
    ),
];

/// What `fetch … as NAME` (and `notify`, `http`) lets later lines read.
pub static RESULTS: &[(&str, &str)] = &[
    ("status", "the HTTP status code of the response, e.g. 200"),
    ("size", "the length of the response body in bytes"),
];

/// A compiled HTTP statement.
#[derive(Debug)]
pub struct RequestStep {
    pub method: Method,
    pub url: Template,
    pub body: Option<Template>,
    pub form: Vec<(Template, Template)>,
    pub output: Option<Template>,
    pub headers: Vec<(Template, Template)>,
    pub auth: Option<(Template, Template)>,
    pub timeout: Duration,
    pub retries: u32,
    pub retry_wait: Duration,
    pub user_agent: Template,
    pub span: Span,
}

/// Builds the step from checked arguments; `method` is fixed by the statement or read
/// from its `method` argument.
pub fn compile(method: Method, args: &Args, cx: &mut Checker<'_>) -> Option<Box<dyn Step>> {
    let url = args.text("url")?;
    check_url(&url, cx);
    let auth = args.pairs("auth").into_iter().next();
    let retries = args.count("retries").unwrap_or(u64::from(DEFAULT_RETRIES));
    let Ok(retries) = u32::try_from(retries) else {
        cx.error(CheckError::InvalidValue {
            message: format!("{retries} retries is too many"),
            span: args.span_of("retries").into(),
            label: "too large".into(),
            help: "a handful of retries is plenty; use `retry_wait` to wait longer between them"
                .into(),
        });
        return None;
    };
    let timeout = args.duration("timeout").unwrap_or(DEFAULT_TIMEOUT);
    if timeout.is_zero() {
        cx.error(CheckError::InvalidValue {
            message: "the timeout must be longer than zero".into(),
            span: args.span_of("timeout").into(),
            label: "zero".into(),
            help: "write e.g. `timeout 30s`".into(),
        });
        return None;
    }
    Some(Box::new(RequestStep {
        method,
        url,
        body: args.text("with"),
        form: args.pairs("form"),
        output: args.text("to"),
        headers: args.pairs("header"),
        auth,
        timeout,
        retries,
        retry_wait: args.duration("retry_wait").unwrap_or(DEFAULT_RETRY_WAIT),
        user_agent: args
            .text("user_agent")
            .unwrap_or_else(|| Template::text(DEFAULT_USER_AGENT, args.head_span)),
        span: args.span,
    }))
}

/// Rejects URLs that cannot be requested, as far as they are known before the run.
fn check_url(url: &Template, cx: &mut Checker<'_>) {
    let prefix = match url.parts.first() {
        Some(crate::check::Part::Text(t)) => t.clone(),
        _ => return,
    };
    let lower = prefix.to_ascii_lowercase();
    let scheme_ok = ["http://", "https://"]
        .iter()
        .any(|s| lower.starts_with(s) || (url.constant().is_none() && s.starts_with(&lower)));
    if !scheme_ok {
        let help = if lower.contains("://") {
            "zynk speaks HTTP and HTTPS only".to_string()
        } else {
            format!("write the full address, e.g. \"https://{prefix}\"")
        };
        cx.error(CheckError::InvalidUrl {
            reason: "a URL must start with http:// or https://".into(),
            span: url.span.into(),
            help,
        });
        return;
    }
    if let Some(full) = url.constant()
        && let Err(e) = reqwest::Url::parse(&full)
    {
        cx.error(CheckError::InvalidUrl {
            reason: e.to_string(),
            span: url.span.into(),
            help: "check the host name and port".into(),
        });
    }
}

impl Step for RequestStep {
    fn run(&self, rt: &mut Runtime<'_>) -> Result<Outcome, RunError> {
        let url = rt.render(&self.url)?;
        let mut request = Request::new(self.method, url.text.clone());
        request.timeout = self.timeout;
        request.retries = self.retries;
        request.retry_wait = self.retry_wait;
        request.user_agent = rt.render(&self.user_agent)?.text;
        for (name, value) in &self.headers {
            request
                .headers
                .push((rt.render(name)?.text, rt.render(value)?.text));
        }
        if let Some((user, password)) = &self.auth {
            request.basic_auth = Some((rt.render(user)?.text, rt.render(password)?.text));
        }
        let mut sent = String::new();
        if !self.form.is_empty() {
            let mut form = Vec::new();
            for (name, value) in &self.form {
                form.push((rt.render(name)?.text, rt.render(value)?.text));
            }
            sent = format!(" {} form values", form.len());
            request.body = Body::Form(form);
        } else if let Some(body) = &self.body {
            let (b, label) = self.body_of(rt, body)?;
            request.body = b;
            sent = label;
        }
        let output = match &self.output {
            Some(t) => Some(rt.path(t)?),
            None => None,
        };
        let span = self.span;
        let client = rt.http(span)?;
        match client.execute(&request, output.as_deref()) {
            Ok(response) => {
                let saved = output
                    .as_deref()
                    .map(|p| format!(" → {}", rt.show(p)))
                    .unwrap_or_default();
                let retried = if response.attempts > 1 {
                    format!(", {} attempts", response.attempts)
                } else {
                    String::new()
                };
                Ok(Outcome::success(format!(
                    "{} {}{sent}{saved} ({}, {}{retried})",
                    self.method_name(),
                    Redacted(&url.display),
                    response.status,
                    human_bytes(response.bytes)
                ))
                .with_result("status", u64::from(response.status))
                .with_result("size", response.bytes))
            }
            Err(error) => Err(RunError::from_diagnostic(
                &error,
                error.kind(),
                span,
                format!("{} {} failed", self.method_name(), Redacted(&url.display)),
            )),
        }
    }
}

impl RequestStep {
    fn method_name(&self) -> &'static str {
        self.method.as_str()
    }

    /// `with X`: the file X names if it exists; a missing file if X looks like a file
    /// name; otherwise the text itself.
    fn body_of(&self, rt: &Runtime<'_>, body: &Template) -> Result<(Body, String), RunError> {
        let rendered = rt.render(body)?;
        let path = rt.resolve(&rendered.text);
        if body.is_loop_file() || looks_like_file(&rendered.text) || path.is_file() {
            if !path.is_file() {
                return Err(RunError::not_found(&path, body.span, "the file to send"));
            }
            return Ok((Body::File(path.clone()), format!(" {}", rt.show(&path))));
        }
        let len = rendered.text.len();
        Ok((Body::Text(rendered.text), format!(" {len} bytes of text")))
    }
}

/// Whether text reads as a file name (`customer_success.xml`, `Stock Export/a_1.xml`).
fn looks_like_file(text: &str) -> bool {
    let t = text.trim();
    if t.is_empty() || t.contains(['\n', '<', '{', '[']) || t.len() > 1024 {
        return false;
    }
    match t.rsplit_once('.') {
        Some((stem, ext)) => {
            !stem.is_empty()
                && (1..=5).contains(&ext.len())
                && ext.chars().all(|c| c.is_ascii_alphanumeric())
        }
        None => false,
    }
}

/// `1.2 KB`, `3 bytes`.
#[must_use]
pub fn human_bytes(n: u64) -> String {
    #[allow(clippy::cast_precision_loss)]
    let f = n as f64;
    if n < 1024 {
        format!("{n} B")
    } else if n < 1024 * 1024 {
        format!("{:.1} KB", f / 1024.0)
    } else if n < 1024 * 1024 * 1024 {
        format!("{:.1} MB", f / (1024.0 * 1024.0))
    } else {
        format!("{:.2} GB", f / (1024.0 * 1024.0 * 1024.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_recognised() {
        assert!(looks_like_file("customer_success.xml"));
        assert!(looks_like_file("Stock Export/product_export_1.xml"));
        assert!(!looks_like_file("<Company/>"));
        assert!(!looks_like_file("hello world"));
        assert!(!looks_like_file("version 1.0 of the text"));
    }

    #[test]
    fn option_docs_state_the_declared_defaults() {
        let doc = |name: &str| {
            COMMON
                .iter()
                .find(|p| p.name == name)
                .map(|p| p.doc)
                .unwrap_or_default()
        };
        assert!(doc("retries").contains(&format!("(default {DEFAULT_RETRIES})")));
        assert_eq!(DEFAULT_TIMEOUT, Duration::from_secs(120));
        assert!(doc("timeout").contains("(default 2m)"));
        assert_eq!(DEFAULT_RETRY_WAIT, Duration::from_secs(1));
        assert!(doc("retry_wait").contains("(default 1s)"));
        assert!(doc("user_agent").contains(&format!("(default \"{DEFAULT_USER_AGENT}\")")));
    }
}
