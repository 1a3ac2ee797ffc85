//! Where the state store lives: `<data>/state.sqlite`, or a PostgreSQL server named by
//! `--state postgres://USER@HOST:PORT/DB` or `ZYNK_STATE`.
use std::path::{Path, PathBuf};

use super::StateError;
use super::postgres::PgUrl;

/// The environment variable naming the state store when `--state` is not given.
pub const ENV_VAR: &str = "ZYNK_STATE";

/// A state store's place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StateLocation {
    /// A SQLite file of this host.
    File(PathBuf),
    /// A PostgreSQL database that several hosts share.
    Postgres(PgUrl),
}

impl StateLocation {
    /// `--state URL`, else `ZYNK_STATE`, else the file `state_file` in the data folder.
    pub fn resolve(flag: Option<&str>, state_file: &Path) -> Result<StateLocation, StateError> {
        let from_env = std::env::var(ENV_VAR).ok().filter(|v| !v.trim().is_empty());
        match flag.map(str::to_string).or(from_env) {
            Some(url) => Ok(StateLocation::Postgres(PgUrl::parse(&url)?)),
            None => Ok(StateLocation::File(state_file.to_path_buf())),
        }
    }

    /// Whether hosts share this store.
    #[must_use]
    pub fn shared(&self) -> bool {
        matches!(self, StateLocation::Postgres(_))
    }

    /// The store as messages name it (a URL never shows its password).
    #[must_use]
    pub fn describe(&self) -> String {
        match self {
            StateLocation::File(path) => path.display().to_string(),
            StateLocation::Postgres(url) => url.to_string(),
        }
    }
}
