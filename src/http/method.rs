//! The HTTP methods a script can use: the one list the statements and the client share.
use std::fmt;
use std::str::FromStr;

/// An HTTP method a script can use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
    Head,
}

impl Method {
    /// Every method, in the order the docs list them.
    pub const ALL: [Method; 6] = [
        Method::Get,
        Method::Post,
        Method::Put,
        Method::Patch,
        Method::Delete,
        Method::Head,
    ];

    /// The names of [`Method::ALL`], in the same order (for a statement's choice list).
    pub const NAMES: [&'static str; 6] = {
        let mut names = [""; 6];
        let mut i = 0;
        while i < names.len() {
            names[i] = Method::ALL[i].as_str();
            i += 1;
        }
        names
    };

    /// The method's upper-case name, as sent on the wire.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
            Method::Head => "HEAD",
        }
    }

    /// Whether a request with this method carries a body (GET and HEAD never do).
    #[must_use]
    pub fn sends_body(self) -> bool {
        !matches!(self, Method::Get | Method::Head)
    }

    /// Whether sending the request twice has the same effect as sending it once.
    pub(super) fn is_idempotent(self) -> bool {
        !matches!(self, Method::Post | Method::Patch)
    }

    pub(super) fn to_reqwest(self) -> reqwest::Method {
        match self {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Patch => reqwest::Method::PATCH,
            Method::Delete => reqwest::Method::DELETE,
            Method::Head => reqwest::Method::HEAD,
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Method {
    type Err = UnknownMethod;

    /// Parses a method name in any case (`get`, `Post`, `DELETE`).
    fn from_str(s: &str) -> Result<Method, UnknownMethod> {
        Method::ALL
            .into_iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| UnknownMethod {
                given: s.to_string(),
            })
    }
}

/// A method name that is not one of [`Method::NAMES`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown HTTP method `{given}`: expected one of {}", Method::NAMES.join(", "))]
pub struct UnknownMethod {
    /// The name as written.
    pub given: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_parse_in_any_case_and_print_upper_case() {
        for method in Method::ALL {
            assert_eq!(method.as_str().to_lowercase().parse::<Method>(), Ok(method));
            assert_eq!(method.to_string(), method.as_str());
        }
        assert_eq!(Method::NAMES[5], "HEAD");
        assert!("FETCH".parse::<Method>().is_err());
    }
}
