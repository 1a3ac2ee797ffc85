//! The state store: truth table, export watermarks, run log and (when shared) the run lock.
//!
//! One host keeps it in `<data>/state.sqlite`; hosts that share a workflow keep it on a
//! PostgreSQL server (`--state postgres://…`). Both sit behind [`backend::Backend`]; the
//! logic they share (staged watermarks, batched task rows) is here.
mod backend;
mod clock;
mod error;
mod host;
mod location;
pub mod postgres;
pub(crate) mod run_lock;
mod run_log;
mod sqlite;
mod truth;
mod watermark;

use std::cell::{Cell, RefCell};
use std::path::Path;
use std::time::Duration;

pub use clock::{from_micros, now_micros};
pub use error::StateError;
pub use host::host_name;
pub use location::{ENV_VAR as STATE_ENV_VAR, StateLocation};
pub use run_lock::{LockError, RunLock};
pub use run_log::{RunId, RunSummary, TaskRunRow};
pub use truth::{TRUTH_CUSTOMER, TRUTH_INVOICE, TRUTH_SALES_ORDER, TRUTH_TRANSACTION};
pub(crate) use truth::{
    lookup as truth_lookup_on, lookup_row as truth_row_on, store as truth_store_on,
    store_with as truth_store_with_on,
};

use backend::Backend;

/// The project's own state, in a SQLite file of this host or on a shared PostgreSQL server.
pub struct StateStore {
    backend: Box<dyn Backend>,
    /// Export watermarks set during a run, committed when it succeeds (`None`: not staging).
    staged: RefCell<Option<Vec<watermark::Staged>>>,
    /// Task-run rows not yet written (the run log writes them in batches).
    pending: RefCell<Vec<backend::PendingTask>>,
    /// When the pending task rows were last written.
    flushed_at: Cell<std::time::Instant>,
    /// The run already checked to exist, so each task row need not ask again.
    known_run: Cell<Option<i64>>,
}

impl StateStore {
    /// Opens (creating the file and its parent folders if needed) and migrates a SQLite store.
    pub fn open(path: &Path) -> Result<StateStore, StateError> {
        Ok(StateStore::with(Box::new(sqlite::SqliteState::open(path)?)))
    }

    /// Opens the store at `location`: the SQLite file, or a PostgreSQL server (connecting
    /// and migrating its schema once, however many hosts start together).
    pub fn connect(location: &StateLocation) -> Result<StateStore, StateError> {
        match location {
            StateLocation::File(path) => StateStore::open(path),
            StateLocation::Postgres(url) => {
                Ok(StateStore::with(Box::new(postgres::PgState::connect(url)?)))
            }
        }
    }

    /// Opens a shared store to read it, creating nothing (for `zynk plan`): `None` for a
    /// file store (read its file instead) or a server without a zynk schema yet.
    pub fn connect_existing(location: &StateLocation) -> Result<Option<StateStore>, StateError> {
        match location {
            StateLocation::File(_) => Ok(None),
            StateLocation::Postgres(url) => {
                Ok(postgres::PgState::connect_existing(url)?
                    .map(|pg| StateStore::with(Box::new(pg))))
            }
        }
    }

    fn with(backend: Box<dyn Backend>) -> StateStore {
        StateStore {
            backend,
            staged: RefCell::new(None),
            pending: RefCell::new(Vec::new()),
            flushed_at: Cell::new(std::time::Instant::now()),
            known_run: Cell::new(None),
        }
    }

    /// The SQLite file of this store, if it is one (imports attach it to the ledger's
    /// connection so truth rows commit with the ledger records).
    #[must_use]
    pub fn file(&self) -> Option<&Path> {
        self.backend.file()
    }

    /// Where this store is, to open another connection to it.
    #[must_use]
    pub fn location(&self) -> StateLocation {
        self.backend.location()
    }

    /// Whether several hosts share this store (a server rather than a file).
    #[must_use]
    pub fn shared(&self) -> bool {
        self.backend.shared()
    }

    /// The store as messages name it: its file, or its URL without any password.
    #[must_use]
    pub fn describe(&self) -> String {
        self.backend.describe()
    }

    /// Takes the workflow's run lock on a shared store, waiting up to `wait` for the
    /// holder; the lock lasts as long as this store's connection. A file store has none.
    pub fn lock_workflow(
        &self,
        workflow: &str,
        wait: Option<Duration>,
    ) -> Result<(), crate::state::LockError> {
        self.backend.lock_workflow(workflow, &host_name(), wait)
    }

    /// `ConnectionLost` if a shared store's connection is gone. Unless `now`, a connection
    /// that answered a moment ago is taken to be alive without asking.
    pub fn check_alive(&self, now: bool) -> Result<(), StateError> {
        self.backend.check_alive(now)
    }

    /// The external id stored for a website `internal_id` (e.g. customer `Id` → account reference).
    pub fn truth_lookup(
        &self,
        workflow: &str,
        kind: &str,
        internal_id: &str,
    ) -> Result<Option<String>, StateError> {
        self.backend.truth_lookup(workflow, kind, internal_id)
    }

    /// Stores a truth row (used by tests and helper statements; imports write theirs themselves).
    pub fn truth_store(
        &self,
        workflow: &str,
        kind: &str,
        internal_id: &str,
        external_id: &str,
    ) -> Result<(), StateError> {
        self.backend
            .truth_store(workflow, kind, internal_id, external_id, None)
    }

    /// Stores a truth row with the content fingerprint of the record it came from.
    pub fn truth_store_with(
        &self,
        workflow: &str,
        kind: &str,
        internal_id: &str,
        external_id: &str,
        fingerprint: &str,
    ) -> Result<(), StateError> {
        self.backend
            .truth_store(workflow, kind, internal_id, external_id, Some(fingerprint))
    }

    /// The external id and the content fingerprint stored for `internal_id`, if any.
    pub fn truth_row(
        &self,
        workflow: &str,
        kind: &str,
        internal_id: &str,
    ) -> Result<Option<(String, Option<String>)>, StateError> {
        self.backend.truth_row(workflow, kind, internal_id)
    }

    /// How many truth rows a workflow holds for a type.
    pub fn truth_count(&self, workflow: &str, kind: &str) -> Result<u64, StateError> {
        self.backend.truth_count(workflow, kind)
    }
}
