//! The seam between the ledger statements and the ledger they post into: the embedded SQLite ledger or a remote ERP (Tryton).
//!
//! A statement asks the runtime for the [`Backend`] in force and matches on it; another ERP
//! is another variant here and a module of its own, with no change to the language.
use crate::check::Template;
use crate::source::Span;
use crate::tryton::{Session, TrytonError, TrytonTarget};

use super::{RunCode, RunError, Runtime};
use crate::process::FailureKind;

/// The ledger the following statements use.
pub enum Backend<'a> {
    /// The embedded ledger file and the state store.
    Embedded(&'a mut crate::ledger::Ledger, &'a crate::state::StateStore),
    /// A Tryton database, logged in, with what `ledger tryton` chose, and the state store.
    Tryton(
        &'a mut Session,
        &'a TrytonTarget,
        &'a crate::state::StateStore,
    ),
}

/// A `ledger tryton` in force: where, the password's template (rendered only to log in),
/// and the session once opened.
pub(super) struct Remote {
    pub(super) target: TrytonTarget,
    pub(super) password: Template,
    pub(super) session: Option<Session>,
}

/// A Tryton failure as a statement failure at `span`.
#[must_use]
pub fn tryton_failure(error: &TrytonError, span: Span) -> RunError {
    let kind = match error {
        TrytonError::Login { .. } => FailureKind::NotAuthorised,
        TrytonError::Import(e) if e.is_not_found() => FailureKind::NotFound,
        _ => FailureKind::Fail,
    };
    RunError::from_diagnostic(error, kind, span, "while talking to Tryton")
}

impl Runtime<'_> {
    /// Makes the following statements use the embedded ledger at `path`.
    pub fn use_ledger_file(&mut self, path: std::path::PathBuf) {
        self.remote = None;
        self.ledger_path = path;
    }

    /// Makes the following statements use a Tryton database; the session opens on first use
    /// (and is kept when the target is the one already in use).
    pub fn use_tryton(&mut self, target: TrytonTarget, password: Template) {
        if self.remote.as_ref().is_some_and(|r| r.target == target) {
            return;
        }
        self.remote = Some(Remote {
            target,
            password,
            session: None,
        });
    }

    /// The ledger in force: the embedded one (opened on first use) or Tryton (logged in on
    /// first use).
    pub fn backend(&mut self, span: Span) -> Result<Backend<'_>, RunError> {
        if self.remote.is_none() {
            let (ledger, state) = self.ledger(span)?;
            return Ok(Backend::Embedded(ledger, state));
        }
        let password = match self.remote.as_ref() {
            Some(r) if r.session.is_none() => Some(self.render(&r.password)?.text),
            _ => None,
        };
        let state = &self.state;
        let Some(remote) = self.remote.as_mut() else {
            return Err(RunError::raise(
                RunCode::Internal,
                "no ledger",
                span,
                "here",
            ));
        };
        if let Some(password) = password {
            let session =
                Session::open(&remote.target, password).map_err(|e| tryton_failure(&e, span))?;
            remote.session = Some(session);
        }
        match remote.session.as_mut() {
            Some(session) => Ok(Backend::Tryton(session, &remote.target, state)),
            None => Err(RunError::raise(
                RunCode::Internal,
                "no Tryton session",
                span,
                "here",
            )),
        }
    }
}
