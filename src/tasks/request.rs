//! What `fetch`, `notify` and `http` share: their options and how a request is run.
use std::time::Duration;

use super::{Kind, Param};
use crate::check::downloads::XmlReason;
use crate::check::{Args, Bound, CheckError, Checker, Template};
use crate::http::defaults::{
    DEFAULT_RETRIES, DEFAULT_RETRY_WAIT, DEFAULT_TIMEOUT, MAX_RETRY_WAIT, MAX_SIZE,
};
use crate::http::{Body, Expectation, Method, Redacted, Request, Rule};
use crate::plan::{Action, Effect, FileState, Planner};
use crate::runtime::{Outcome, RunCode, RunError, Runtime, Step};
use crate::source::Span;

/// The units of `max_size`, with their size in bytes (1 KB = 1024 bytes).
const SIZE_UNITS: [(&str, u64); 4] = [
    ("bytes", 1),
    ("KB", 1 << 10),
    ("MB", 1 << 20),
    ("GB", 1 << 30),
];

/// How many options every HTTP statement takes.
const COMMON_LEN: usize = 16;

/// A statement's own params followed by [`COMMON`]; `M` must be `N + 16`.
pub(super) const fn with_common<const N: usize, const M: usize>(own: [Param; N]) -> [Param; M] {
    assert!(
        N + COMMON_LEN == M,
        "a statement's params are its own and COMMON"
    );
    let mut out = [COMMON[0]; M];
    let mut i = 0;
    while i < N {
        out[i] = own[i];
        i += 1;
    }
    let mut j = 0;
    while j < COMMON_LEN {
        out[N + j] = COMMON[j];
        j += 1;
    }
    out
}

/// Options every HTTP statement takes.
pub(super) const COMMON: [Param; COMMON_LEN] = [
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
    Param::option(
        "oauth2",
        Kind::Text,
        "an OAuth2 token endpoint: the request carries a bearer token got there with `client` credentials (fetched once per run, again on 401)",
    ),
    Param::option(
        "client",
        Kind::Pair,
        "with `oauth2`: the client id and secret: client \"zynk\" env(\"CLIENT_SECRET\")",
    ),
    Param::option(
        "scope",
        Kind::Text,
        "with `oauth2`: the scope asked for",
    ),
    Param::option(
        "bearer",
        Kind::Text,
        "a bearer token, sent as `Authorization: Bearer …` and never shown: bearer env(\"SHOP_TOKEN\")",
    ),
    Param::option(
        "expect",
        Kind::Choice(&["xml", "empty", "any"]),
        "what a good answer's body is: well-formed `xml`, `empty`, or `any` (default `any`; a fetch whose file a later import reads defaults to `xml`)",
    ),
    Param::option(
        "expect_text",
        Kind::Text,
        "text a good answer's body contains: expect_text \"OK\"",
    )
    .repeated(),
    Param::option(
        "fail_on",
        Kind::Text,
        "a regular expression that fails the statement when the body matches, even with 200: fail_on \"^Could not\"",
    )
    .repeated(),
    Param::option(
        "max_size",
        Kind::CountUnit(&["bytes", "KB", "MB", "GB"]),
        "the largest response body accepted (default 1 GB); a larger one fails and saves nothing",
    ),
    Param::option(
        "max_retry_wait",
        Kind::Duration,
        "the longest wait between two attempts, whatever Retry-After asks (default 5m)",
    ),
    Param::option(
        "ca_cert",
        Kind::Path,
        "a PEM file of a private certificate authority to trust for https",
    ),
];

/// What `fetch … as NAME` (and `notify`, `http`) lets later lines read.
pub(super) static RESULTS: &[(&str, &str)] = &[
    ("status", "the HTTP status code of the response, e.g. 200"),
    ("size", "the length of the response body in bytes"),
];

/// A compiled HTTP statement. The options most statements leave alone are kept apart,
/// boxed only when one is given: a script may hold a hundred thousand requests.
#[derive(Debug)]
pub(super) struct RequestStep {
    pub method: Method,
    pub url: Template,
    pub output: Option<Template>,
    pub timeout: Duration,
    pub retries: u32,
    /// Whether the script said `expect any`, which turns off the implied XML check.
    pub expect_any: bool,
    /// Set during the check when a later import reads this fetch's file as Connect XML.
    pub xml_reason: Option<XmlReason>,
    /// `None`: every option below at its default.
    pub options: Option<Box<RequestOptions>>,
    pub span: Span,
}

/// The options of a request that are rarely given.
#[derive(Debug)]
pub(super) struct RequestOptions {
    pub body: Option<Box<Template>>,
    pub form: Vec<(Template, Template)>,
    pub headers: Vec<(Template, Template)>,
    pub auth: Option<Box<(Template, Template)>>,
    pub bearer: Option<Box<Template>>,
    /// `oauth2 URL client ID SECRET [scope S]`.
    pub oauth2: Option<Box<OAuth2Step>>,
    /// `pages …`: follow the answer's pages into one document (`fetch` only).
    pub paging: Option<Box<super::pages::Paging>>,
    /// `json`: the `with` file is XML sent as JSON (`docs/json.md`), in `batch` requests.
    pub json: Option<Box<super::json_body::JsonBody>>,
    pub retry_wait: Duration,
    /// `None`: the default User-Agent.
    pub user_agent: Option<Box<Template>>,
    pub max_retry_wait: Duration,
    pub max_size: u64,
    /// The rules the script states (`expect`, `expect_text`, `fail_on`).
    pub rules: Vec<RuleStep>,
    pub ca_cert: Option<Box<Template>>,
}

/// The options of a request that gives none of them.
static DEFAULT_OPTIONS: RequestOptions = RequestOptions {
    body: None,
    form: Vec::new(),
    headers: Vec::new(),
    auth: None,
    bearer: None,
    oauth2: None,
    paging: None,
    json: None,
    retry_wait: DEFAULT_RETRY_WAIT,
    user_agent: None,
    max_retry_wait: MAX_RETRY_WAIT,
    max_size: MAX_SIZE,
    rules: Vec::new(),
    ca_cert: None,
};

impl RequestOptions {
    fn is_default(&self) -> bool {
        self.body.is_none()
            && self.form.is_empty()
            && self.headers.is_empty()
            && self.auth.is_none()
            && self.bearer.is_none()
            && self.oauth2.is_none()
            && self.paging.is_none()
            && self.json.is_none()
            && self.retry_wait == DEFAULT_RETRY_WAIT
            && self.user_agent.is_none()
            && self.max_retry_wait == MAX_RETRY_WAIT
            && self.max_size == MAX_SIZE
            && self.rules.is_empty()
            && self.ca_cert.is_none()
    }
}

/// `oauth2` as compiled.
#[derive(Debug)]
pub(super) struct OAuth2Step {
    pub token_url: Template,
    pub client: (Template, Template),
    pub scope: Option<Template>,
}

/// A rule as compiled: ready, or a pattern with variables compiled when it is rendered.
#[derive(Debug)]
pub(super) enum RuleStep {
    Ready(Rule),
    Contains(Template),
    FailOn(Template),
}

/// Builds the step from checked arguments; `method` is fixed by the statement or read
/// from its `method` argument.
pub(super) fn compile(method: Method, args: &Args, cx: &mut Checker<'_>) -> Option<Box<dyn Step>> {
    let url = args.text("url")?;
    check_url(&url, cx);
    let auth = args.pairs("auth").into_iter().next().map(Box::new);
    let retries = args.count("retries").unwrap_or(u64::from(DEFAULT_RETRIES));
    let Ok(retries) = u32::try_from(retries) else {
        cx.error(CheckError::OutOfRange {
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
        cx.error(CheckError::OutOfRange {
            message: "the timeout must be longer than zero".into(),
            span: args.span_of("timeout").into(),
            label: "zero".into(),
            help: "write e.g. `timeout 30s`".into(),
        });
        return None;
    }
    let max_size = max_size(args, cx)?;
    let (rules, expect_any) = rules(args, cx)?;
    let output = args.text("to");
    let xml_reason = match &output {
        Some(path) if method == Method::Get => Some(cx.watch_download(path)),
        _ => None,
    };
    let options = RequestOptions {
        body: args.text("with").map(Box::new),
        form: args.pairs("form"),
        headers: args.pairs("header"),
        auth,
        bearer: args.text("bearer").map(Box::new),
        oauth2: oauth2(args, cx)?.map(Box::new),
        paging: super::pages::Paging::compile(method, args, cx)?.map(Box::new),
        json: super::json_body::JsonBody::compile(args, cx)?.map(Box::new),
        retry_wait: args.duration("retry_wait").unwrap_or(DEFAULT_RETRY_WAIT),
        user_agent: args.text("user_agent").map(Box::new),
        max_retry_wait: args.duration("max_retry_wait").unwrap_or(MAX_RETRY_WAIT),
        max_size,
        rules,
        ca_cert: args.text("ca_cert").map(Box::new),
    };
    Some(Box::new(RequestStep {
        method,
        url,
        output,
        timeout,
        retries,
        expect_any,
        xml_reason,
        options: (!options.is_default()).then(|| Box::new(options)),
        span: args.span,
    }))
}

/// `oauth2 … client …`: both or neither (`scope` only with them).
fn oauth2(args: &Args, cx: &mut Checker<'_>) -> Option<Option<OAuth2Step>> {
    let client = args.pairs("client").into_iter().next();
    match (args.text("oauth2"), client) {
        (Some(token_url), Some(client)) => Some(Some(OAuth2Step {
            token_url,
            client,
            scope: args.text("scope"),
        })),
        (None, None) if !args.has("scope") => Some(None),
        (url, _) => {
            let (name, help) = if url.is_some() {
                (
                    "oauth2",
                    "add the client credentials: `client \"id\" env(\"CLIENT_SECRET\")`",
                )
            } else if args.has("client") {
                (
                    "client",
                    "add the token endpoint: `oauth2 \"https://auth.example/token\"`",
                )
            } else {
                ("scope", "`scope` goes with `oauth2` and `client`")
            };
            cx.error(CheckError::IncompleteOptions {
                message:
                    "OAuth2 needs both `oauth2` (the token endpoint) and `client` (id and secret)"
                        .into(),
                span: args.span_of(name).into(),
                label: "incomplete".into(),
                help: help.into(),
            });
            None
        }
    }
}

/// `max_size N UNIT` in bytes, or the default.
fn max_size(args: &Args, cx: &mut Checker<'_>) -> Option<u64> {
    let Some((n, unit)) = args.count_unit("max_size") else {
        return Some(MAX_SIZE);
    };
    let scale = SIZE_UNITS
        .iter()
        .find(|(name, _)| *name == unit)
        .map_or(1, |(_, scale)| *scale);
    match n.checked_mul(scale) {
        Some(0) | None => {
            cx.error(CheckError::OutOfRange {
                message: format!("`max_size {n} {unit}` is out of range"),
                span: args.span_of("max_size").into(),
                label: if n == 0 { "zero" } else { "too large" }.into(),
                help: format!(
                    "give a size from 1 byte to {} GB, e.g. `max_size 100 MB`",
                    u64::MAX >> 30
                ),
            });
            None
        }
        Some(bytes) => Some(bytes),
    }
}

/// The rules the script states for a good answer, and whether it said `expect any`.
fn rules(args: &Args, cx: &mut Checker<'_>) -> Option<(Vec<RuleStep>, bool)> {
    let mut rules = Vec::new();
    let expect = args.choice("expect");
    match expect {
        Some("xml") => rules.push(RuleStep::Ready(Rule::Xml)),
        Some("empty") => rules.push(RuleStep::Ready(Rule::Empty)),
        _ => {}
    }
    for text in texts(args, "expect_text") {
        rules.push(match text.constant() {
            Some(text) => RuleStep::Ready(Rule::Contains(text)),
            None => RuleStep::Contains(text),
        });
    }
    let mut ok = true;
    for pattern in texts(args, "fail_on") {
        match pattern.constant() {
            Some(text) => match compile_regex(&text) {
                Ok(regex) => rules.push(RuleStep::Ready(Rule::FailOn(regex))),
                Err(reason) => {
                    cx.error(CheckError::InvalidRegex {
                        message: "`fail_on` is not a valid regular expression".into(),
                        span: pattern.span.into(),
                        label: reason,
                        help: "write a regular expression (Rust `regex` syntax), e.g. `fail_on \"(?i)^could not|error\"`; escape `\\`, `(` and `[` to match them literally".into(),
                    });
                    ok = false;
                }
            },
            None => rules.push(RuleStep::FailOn(pattern)),
        }
    }
    ok.then_some((rules, expect == Some("any")))
}

/// Every value of a repeated text option, in order.
fn texts(args: &Args, name: &str) -> Vec<Template> {
    args.values
        .iter()
        .filter(|a| a.name == name)
        .filter_map(|a| match &a.value {
            Bound::Text(t) => Some(t.clone()),
            _ => None,
        })
        .collect()
}

/// A `fail_on` pattern as a regex, or why it is not one (in one line).
fn compile_regex(pattern: &str) -> Result<regex::Regex, String> {
    regex::RegexBuilder::new(pattern)
        .size_limit(1 << 20)
        .build()
        .map_err(|err| match err {
            regex::Error::Syntax(text) => text
                .lines()
                .rev()
                .find(|l| l.starts_with("error:"))
                .map_or_else(
                    || "not a valid pattern".to_string(),
                    |l| l.trim_start_matches("error:").trim().to_string(),
                ),
            regex::Error::CompiledTooBig(_) => "the pattern is too large".to_string(),
            _ => "not a valid pattern".to_string(),
        })
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
        if cx.url_var_error(url.span, "no http:// or https:// at the start") {
            return;
        }
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
    if let Some(full) = url.constant() {
        if let Some(reason) = cx.url_error(&full) {
            if !cx.url_var_error(url.span, &reason) {
                cx.error(CheckError::InvalidUrl {
                    reason,
                    span: url.span.into(),
                    help: "check the host name and port".into(),
                });
            }
        } else {
            cx.check_url_path(&full, url.span);
        }
    }
}

impl Step for RequestStep {
    fn plan(&self, p: &mut Planner<'_>) {
        self.plan_request(p);
    }

    fn run(&self, rt: &mut Runtime<'_>) -> Result<Outcome, RunError> {
        let url = rt.render(&self.url)?;
        let mut request = Request::new(self.method, url.text.clone());
        request.timeout = self.timeout;
        request.retries = self.retries;
        request.retry_wait = self.options().retry_wait;
        request.max_retry_wait = self.options().max_retry_wait;
        request.max_size = self.options().max_size;
        request.expect = self.expectations(rt)?;
        if let Some(ca) = &self.options().ca_cert {
            request.ca_cert = Some(rt.path(ca)?);
        }
        if let Some(user_agent) = &self.options().user_agent {
            request.user_agent = rt.render(user_agent)?.text;
        }
        for (name, value) in &self.options().headers {
            request
                .headers
                .push((rt.render(name)?.text, rt.render(value)?.text));
        }
        if let Some((user, password)) = self.options().auth.as_deref() {
            request.basic_auth = Some((rt.render(user)?.text, rt.render(password)?.text));
        }
        if let Some(o) = &self.options().oauth2 {
            request.oauth2 = Some(crate::http::OAuth2 {
                token_url: rt.render(&o.token_url)?.text,
                client_id: rt.render(&o.client.0)?.text,
                client_secret: rt.render(&o.client.1)?.text,
                scope: match &o.scope {
                    Some(t) => Some(rt.render(t)?.text),
                    None => None,
                },
            });
        }
        if let Some(token) = &self.options().bearer {
            let token = rt.render(token)?.text;
            request
                .headers
                .push(("Authorization".into(), format!("Bearer {}", token.trim())));
        }
        if let Some(paging) = &self.options().paging {
            return paging.run(self, rt, request, &url.display);
        }
        if let Some(json) = &self.options().json {
            return json.run(self, rt, request, &url.display);
        }
        let mut sent = String::new();
        if !self.options().form.is_empty() {
            let mut form = Vec::new();
            for (name, value) in &self.options().form {
                form.push((rt.render(name)?.text, rt.render(value)?.text));
            }
            sent = format!(" {} form values", form.len());
            request.body = Body::Form(form);
        } else if let Some(body) = &self.options().body {
            let (b, label) = self.body_of(rt, body)?;
            request.body = b;
            sent = label;
        }
        let output = match &self.output {
            Some(t) => Some(rt.path(t)?),
            None => None,
        };
        let span = self.span;
        let client = rt.http(span)?.clone();
        // Said at once: a wait may be long, and the status line comes after it.
        let shown = format!("{} {}", self.method_name(), Redacted(&url.display));
        let result = client.execute_with(&request, output.as_deref(), &mut |wait| {
            rt.note_wait(&shown, wait);
        });
        match result {
            Ok(response) => {
                let notes = response.notes.clone();
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
                .with_result("size", response.bytes)
                .with_warnings(notes))
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
    /// The plan of a request: what is sent where, and the file the answer is saved to.
    fn plan_request(&self, p: &mut Planner<'_>) {
        let url = p.render(&self.url);
        let mut effect = Effect::new(Action::Request).depends_on(url.depends_on);
        effect.method = Some(self.method_name().to_string());
        effect.url = Some(crate::http::redact(&url.display).into_owned());
        if !url.known {
            effect.detail = Some("the address is known only while running".into());
        }
        if let Some(ca) = &self.options().ca_cert {
            let file = p.file(ca);
            p.read_file(&file);
        }
        if !self.method.sends_body() {
            // GET and HEAD send no body.
        } else if !self.options().form.is_empty() {
            effect.body = Some(format!("{} form values", self.options().form.len()));
        } else if let Some(body) = self.options().body.as_ref().filter(|b| b.is_record()) {
            effect.body = Some(format!("the record {}", p.render(body).display));
        } else if let Some(body) = &self.options().body {
            let text = p.render(body);
            let file = p.file(body);
            if body.is_loop_file()
                || !text.known
                || looks_like_file(&text.text)
                || file.state != FileState::Missing
            {
                effect.body = Some(file.shown.clone());
                effect.state = Some(file.state);
                effect = effect.depends_on(file.depends_on);
                effect.detail = match (effect.detail.take(), file.describe()) {
                    (Some(url), Some(body)) => Some(format!("{url}; the body: {body}")),
                    (url, body) => url.or(body),
                };
            } else {
                effect.body = Some(format!("{} bytes of text", text.text.len()));
            }
        }
        let how = match (&self.options().paging, &self.options().json) {
            (Some(paging), _) => Some(format!(
                "every page by `{}`, at most {}, into one document",
                match &paging.mode {
                    super::pages::Mode::Number => "pages number".to_string(),
                    super::pages::Mode::Link => "pages link".to_string(),
                    super::pages::Mode::Cursor(path) => format!("pages cursor {path}"),
                },
                paging.max_pages
            )),
            (None, Some(json)) => Some(match json.batch {
                Some(n) => format!("sent as JSON, at most {n} records a request"),
                None => "sent as JSON".to_string(),
            }),
            (None, None) => None,
        };
        if let Some(how) = how {
            effect.detail = Some(match effect.detail.take() {
                Some(detail) => format!("{how}; {detail}"),
                None => how,
            });
        }
        p.effect(effect);
        if let Some(output) = &self.output {
            let file = p.file(output);
            p.write(&file);
        }
    }

    /// The rarely given options, defaults when none was.
    pub(crate) fn options(&self) -> &RequestOptions {
        self.options.as_deref().unwrap_or(&DEFAULT_OPTIONS)
    }

    pub(crate) fn method_name(&self) -> &'static str {
        self.method.as_str()
    }

    /// The rules for this run: the stated ones rendered, and the implied XML check of a
    /// download a later import reads.
    fn expectations(&self, rt: &Runtime<'_>) -> Result<Vec<Expectation>, RunError> {
        let mut out = Vec::new();
        for rule in &self.options().rules {
            let rule = match rule {
                RuleStep::Ready(rule) => rule.clone(),
                RuleStep::Contains(text) => Rule::Contains(rt.render(text)?.text),
                RuleStep::FailOn(pattern) => {
                    let text = rt.render(pattern)?.text;
                    let regex = compile_regex(&text).map_err(|reason| {
                        RunError::raise(
                            RunCode::InvalidPattern,
                            format!("`fail_on` is not a valid regular expression: {reason}"),
                            pattern.span,
                            "this pattern",
                        )
                    })?;
                    Rule::FailOn(regex)
                }
            };
            out.push(Expectation::stated(rule));
        }
        let stated_xml = out.iter().any(|e| e.rule == Rule::Xml);
        if let Some(reason) = self.xml_reason.as_ref().and_then(|r| r.get())
            && !self.expect_any
            && !stated_xml
        {
            out.insert(
                0,
                Expectation {
                    rule: Rule::Xml,
                    implied_by: Some(reason.to_string()),
                },
            );
        }
        Ok(out)
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

/// Whether text reads as a file name (`customer_success.xml`, `Stock Export/a_1.xml`):
/// one line without `<`, `{` or `[`, ending in `.` and an extension of 1 to 5 letters and
/// digits with at least one letter (so `total=12.50` is text).
pub(crate) fn looks_like_file(text: &str) -> bool {
    let t = text.trim();
    if t.is_empty() || t.contains(['\n', '<', '{', '[']) || t.len() > 1024 {
        return false;
    }
    match t.rsplit_once('.') {
        Some((stem, ext)) => {
            !stem.is_empty()
                && (1..=5).contains(&ext.len())
                && ext.chars().all(|c| c.is_ascii_alphanumeric())
                && ext.chars().any(|c| c.is_ascii_alphabetic())
        }
        None => false,
    }
}

/// `1.2 KB`, `3 bytes`.
#[must_use]
pub(super) fn human_bytes(n: u64) -> String {
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
    use crate::http::defaults::DEFAULT_USER_AGENT;

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
