//! `PgUrl`: `postgres://USER@HOST:PORT/DB?sslmode=…`, parsed without ever echoing a password.
use std::fmt;
use std::path::PathBuf;

use percent_encoding::percent_decode_str;

use crate::state::StateError;

/// How the connection uses TLS (libpq's `sslmode` names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    /// Plain TCP.
    Disable,
    /// TLS when the server offers it (libpq's default); the certificate is not checked.
    Prefer,
    /// TLS or no connection; the certificate is not checked unless `sslrootcert` is given.
    Require,
    /// TLS with the certificate's chain verified.
    VerifyCa,
    /// TLS with the chain and the host name verified.
    VerifyFull,
}

impl SslMode {
    fn parse(text: &str) -> Option<SslMode> {
        Some(match text {
            "disable" => SslMode::Disable,
            "prefer" | "allow" => SslMode::Prefer,
            "require" => SslMode::Require,
            "verify-ca" => SslMode::VerifyCa,
            "verify-full" => SslMode::VerifyFull,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            SslMode::Disable => "disable",
            SslMode::Prefer => "prefer",
            SslMode::Require => "require",
            SslMode::VerifyCa => "verify-ca",
            SslMode::VerifyFull => "verify-full",
        }
    }
}

/// A PostgreSQL server and database. `Display` shows it without the password.
#[derive(Clone, PartialEq, Eq)]
pub struct PgUrl {
    pub user: String,
    /// A password written in the URL (PGPASSWORD or `.pgpass` are the better places).
    pub password: Option<String>,
    pub host: String,
    pub port: u16,
    pub dbname: String,
    pub sslmode: SslMode,
    /// Extra trusted CA certificates (PEM), besides the public roots.
    pub sslrootcert: Option<PathBuf>,
    /// Seconds to wait for the server when connecting.
    pub connect_timeout: u64,
    /// How the session names itself on the server (`pg_stat_activity`).
    pub application_name: String,
}

impl fmt::Debug for PgUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PgUrl({self})")
    }
}

impl fmt::Display for PgUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        write!(
            f,
            "postgres://{}@{host}:{}/{}",
            self.user, self.port, self.dbname
        )?;
        if self.sslmode != SslMode::Prefer {
            write!(f, "?sslmode={}", self.sslmode.name())?;
        }
        Ok(())
    }
}

fn bad(reason: impl Into<String>) -> StateError {
    StateError::BadUrl {
        reason: reason.into(),
    }
}

fn decode(text: &str, what: &str) -> Result<String, StateError> {
    percent_decode_str(text)
        .decode_utf8()
        .map(|s| s.into_owned())
        .map_err(|_| bad(format!("has a {what} that is not UTF-8 once decoded")))
}

impl PgUrl {
    /// Parses `postgres://` or `postgresql://` URLs. No error quotes the URL (it may hold
    /// a password); each names the part at fault.
    pub fn parse(text: &str) -> Result<PgUrl, StateError> {
        let text = text.trim();
        let rest = text
            .strip_prefix("postgres://")
            .or_else(|| text.strip_prefix("postgresql://"))
            .ok_or_else(|| bad("must start with `postgres://`"))?;
        let (main, query) = rest.split_once('?').unwrap_or((rest, ""));
        let (authority, path) = main.split_once('/').unwrap_or((main, ""));
        let (userinfo, hostport) = match authority.rsplit_once('@') {
            Some((u, h)) => (Some(u), h),
            None => (None, authority),
        };
        let (user, password) = match userinfo {
            Some(info) => match info.split_once(':') {
                Some((u, p)) => (decode(u, "user")?, Some(decode(p, "password")?)),
                None => (decode(info, "user")?, None),
            },
            None => (String::new(), None),
        };
        let (host, port) = split_host_port(hostport)?;
        let user = if user.is_empty() {
            std::env::var("PGUSER")
                .ok()
                .filter(|u| !u.is_empty())
                .or_else(|| whoami::username().ok())
                .ok_or_else(|| bad("names no user: write `postgres://USER@HOST/DB`"))?
        } else {
            user
        };
        let dbname = match decode(path, "database")? {
            db if db.is_empty() => user.clone(),
            db => db,
        };
        let mut url = PgUrl {
            user,
            password,
            host,
            port,
            dbname,
            sslmode: SslMode::Prefer,
            sslrootcert: None,
            connect_timeout: 10,
            application_name: "zynk".to_string(),
        };
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let value = decode(value, key)?;
            match key {
                "sslmode" => {
                    url.sslmode = SslMode::parse(&value).ok_or_else(|| {
                        bad(format!(
                            "has `sslmode={value}`: use disable, prefer, require, verify-ca or verify-full"
                        ))
                    })?;
                }
                "sslrootcert" => url.sslrootcert = Some(PathBuf::from(value)),
                "connect_timeout" => {
                    url.connect_timeout = value.parse().map_err(|_| {
                        bad(format!("has `connect_timeout={value}`: give whole seconds"))
                    })?;
                }
                "application_name" => url.application_name = value,
                "password" => {
                    return Err(bad("has a password option: use PGPASSWORD or ~/.pgpass"));
                }
                other => {
                    return Err(bad(format!(
                        "has the option `{other}`, which zynk does not know (it knows sslmode, sslrootcert, connect_timeout, application_name)"
                    )));
                }
            }
        }
        Ok(url)
    }
}

fn split_host_port(hostport: &str) -> Result<(String, u16), StateError> {
    let (host, port) = if let Some(rest) = hostport.strip_prefix('[') {
        let (host, after) = rest
            .split_once(']')
            .ok_or_else(|| bad("has an IPv6 host without its closing `]`"))?;
        (host.to_string(), after.strip_prefix(':'))
    } else {
        match hostport.rsplit_once(':') {
            Some((h, p)) => (h.to_string(), Some(p)),
            None => (hostport.to_string(), None),
        }
    };
    if host.is_empty() {
        return Err(bad("names no host: write `postgres://USER@HOST:PORT/DB`"));
    }
    let port = match port {
        None | Some("") => 5432,
        Some(p) => p
            .parse()
            .map_err(|_| bad(format!("has the port `{p}`: give a number up to 65535")))?,
    };
    Ok((decode(&host, "host")?, port))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_parse_and_show_without_their_password() -> Result<(), StateError> {
        let url = PgUrl::parse("postgres://zynk:s%40cret@db.example:6543/shops?sslmode=require")?;
        assert_eq!(url.user, "zynk");
        assert_eq!(url.password.as_deref(), Some("s@cret"));
        assert_eq!((url.host.as_str(), url.port), ("db.example", 6543));
        assert_eq!(url.dbname, "shops");
        assert_eq!(url.sslmode, SslMode::Require);
        assert_eq!(
            url.to_string(),
            "postgres://zynk@db.example:6543/shops?sslmode=require"
        );
        assert!(!format!("{url:?}").contains("cret"));
        let v6 = PgUrl::parse("postgresql://u@[::1]/d")?;
        assert_eq!((v6.host.as_str(), v6.port), ("::1", 5432));
        assert_eq!(v6.to_string(), "postgres://u@[::1]:5432/d");
        assert_eq!(PgUrl::parse("postgres://u@h")?.dbname, "u");
        assert_eq!(PgUrl::parse("postgres://u@h")?.application_name, "zynk");
        let named =
            PgUrl::parse("postgres://u@h/d?application_name=shop%20sync&connect_timeout=3")?;
        assert_eq!(
            (named.application_name.as_str(), named.connect_timeout),
            ("shop sync", 3)
        );
        Ok(())
    }

    #[test]
    fn bad_urls_name_the_part_at_fault_and_never_the_password() {
        for (text, expect) in [
            ("mysql://u:hunter2@h/d", "must start with"),
            ("postgres://u:hunter2@h:99999/d", "port"),
            ("postgres://u:hunter2@/d", "no host"),
            ("postgres://u:hunter2@h/d?sslmode=maybe", "sslmode=maybe"),
            ("postgres://u:hunter2@h/d?pool=3", "`pool`"),
        ] {
            let error = PgUrl::parse(text).expect_err(text).to_string();
            assert!(error.contains(expect), "{text}: {error}");
            assert!(!error.contains("hunter2"), "{text}: {error}");
        }
    }
}
