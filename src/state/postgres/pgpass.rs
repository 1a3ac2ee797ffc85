//! The password of a connection: `PGPASSWORD`, else the first matching line of the password
//! file (`PGPASSFILE`, else `~/.pgpass`), as libpq finds it.
use std::path::PathBuf;

use super::PgUrl;

/// The password for `url`, if the environment or the password file has one.
pub(super) fn password_for(url: &PgUrl) -> Option<String> {
    if let Some(p) = std::env::var("PGPASSWORD").ok().filter(|p| !p.is_empty()) {
        return Some(p);
    }
    let path = std::env::var_os("PGPASSFILE")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".pgpass")))?;
    if !private(&path) {
        return None;
    }
    let text = std::fs::read_to_string(path).ok()?;
    lookup(&text, url)
}

/// libpq ignores a password file that others may read.
#[cfg(unix)]
fn private(path: &std::path::Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o077 == 0)
}

#[cfg(not(unix))]
fn private(path: &std::path::Path) -> bool {
    path.is_file()
}

/// The first line `host:port:database:user:password` that matches (`*` matches anything;
/// `\:` and `\\` escape).
fn lookup(text: &str, url: &PgUrl) -> Option<String> {
    let port = url.port.to_string();
    let wanted = [
        url.host.as_str(),
        port.as_str(),
        url.dbname.as_str(),
        url.user.as_str(),
    ];
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#') && !l.trim().is_empty())
        .map(fields)
        .find(|f| {
            f.len() >= 5
                && f.iter()
                    .zip(wanted)
                    .all(|(have, want)| have == "*" || have == want)
        })
        .map(|f| f[4].clone())
}

fn fields(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let (Some(next), Some(f)) = (chars.next(), out.last_mut()) {
                    f.push(next);
                }
            }
            ':' if out.len() < 5 => out.push(String::new()),
            c => {
                if let Some(f) = out.last_mut() {
                    f.push(c);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_matching_line_wins_with_wildcards_and_escapes()
    -> Result<(), crate::state::StateError> {
        let url = PgUrl::parse("postgres://zynk@db:5433/shops")?;
        let text =
            "# comment\nother:5433:shops:zynk:no\ndb:*:shops:zynk:pa\\:ss\\\\1\n*:*:*:*:any\n";
        assert_eq!(lookup(text, &url).as_deref(), Some("pa:ss\\1"));
        assert_eq!(lookup("*:*:*:*:any", &url).as_deref(), Some("any"));
        assert_eq!(lookup("db:5432:shops:zynk:x", &url), None);
        Ok(())
    }
}
