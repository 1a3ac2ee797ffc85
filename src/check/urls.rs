//! Whether a URL's scheme and host parse, remembered per host: a script may send
//! thousands of requests to one shop.
use std::collections::HashMap;

use super::Checker;

/// The answer for each `scheme://host:port` checked so far: `None` when it parses.
#[derive(Debug, Default)]
pub struct Hosts {
    checked: HashMap<String, Option<String>>,
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
}
