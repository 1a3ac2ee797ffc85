//! Whether a URL's scheme and host parse, remembered per host: a script may send
//! thousands of requests to one shop.
use std::collections::{HashMap, HashSet};

use super::{CheckError, CheckWarning, Checker, VarSource};
use crate::source::Span;

/// The answer for each `scheme://host:port` checked so far: `None` when it parses.
#[derive(Debug, Default)]
pub(super) struct Hosts {
    checked: HashMap<String, Option<String>>,
    /// `--var` values already reported as a bad start of a URL (once each, however many
    /// statements use them).
    reported_vars: HashSet<String>,
}

impl Checker<'_> {
    /// Why `url` is not a valid address, if it is not. Only its scheme and authority can
    /// make a URL invalid (the path, query and fragment are percent-encoded as needed),
    /// so those are parsed, once per distinct authority.
    pub fn url_error(&mut self, url: &str) -> Option<String> {
        let after_scheme = url.find("://").map_or(0, |at| at + 3);
        let end = url[after_scheme..]
            .find(['/', '?', '#'])
            .map_or(url.len(), |at| after_scheme + at);
        let origin = &url[..end];
        if let Some(answer) = self.hosts.checked.get(origin) {
            return answer.clone();
        }
        let answer = reqwest::Url::parse(origin).err().map(|e| e.to_string());
        self.hosts
            .checked
            .insert(origin.to_string(), answer.clone());
        answer
    }

    /// The `--var NAME=VALUE` a URL starts with (`"${site}/zynk/download"` run with
    /// `--var site=…`), if it starts with one.
    pub fn url_var(&self, span: Span) -> Option<(String, String)> {
        let raw = self.source.text.get(span.start..span.end)?;
        let rest = raw.trim_start_matches('"').strip_prefix("${")?;
        let name = rest[..rest.find('}')?].trim();
        self.vars
            .iter()
            .find(|(n, _)| n == name)
            .map(|(n, v)| (n.clone(), v.clone()))
    }

    /// Reports a URL that is wrong because of the `--var` it starts with, against the
    /// `--var` text, once per value; true when it did (or had already).
    pub fn url_var_error(&mut self, span: Span, reason: &str) -> bool {
        let Some((name, value)) = self.url_var(span) else {
            return false;
        };
        if self.hosts.reported_vars.insert(name.clone()) {
            let host = value.trim().trim_start_matches('/');
            let example = if host.is_empty() {
                "https://shop.example".to_string()
            } else if host.starts_with("127.") || host.starts_with("localhost") {
                format!("http://{host}")
            } else {
                format!("https://{host}")
            };
            self.error(CheckError::InvalidParamValue {
                name: name.clone(),
                value: value.clone(),
                expected: "a website address".into(),
                var: VarSource::new(&name, &value),
                span: VarSource::value_span(&name, &value),
                reason: reason.to_string(),
                help: format!(
                    "`{name}` starts the URLs of this script's requests: give the full address, e.g. `--var {name}={example}`"
                ),
            });
        }
        true
    }

    /// Warns about `//` inside a URL's path (`--var site=https://shop.example/` before
    /// `"${site}/zynk/download"` asks for `//zynk/download`).
    pub fn check_url_path(&mut self, url: &str, span: Span) {
        let after_scheme = url.find("://").map_or(0, |at| at + 3);
        let Some(path_at) = url[after_scheme..].find('/').map(|at| after_scheme + at) else {
            return;
        };
        let path = &url[path_at..];
        let path = &path[..path.find(['?', '#']).unwrap_or(path.len())];
        if !path.contains("//") {
            return;
        }
        let help = match self.url_var(span) {
            Some((name, value)) if value.ends_with('/') => {
                if !self.hosts.reported_vars.insert(format!("//{name}")) {
                    return;
                }
                format!(
                    "`--var {name}={value}` ends in `/` and the script adds another: drop the last `/` from the value (said once for every URL that starts with `{name}`)"
                )
            }
            _ => "most sites answer `//` with a redirect or a 404: write one `/`".to_string(),
        };
        self.warn(CheckWarning::DoubleSlash {
            url: crate::http::redact_url(url),
            span: span.into(),
            help,
        });
    }
}
