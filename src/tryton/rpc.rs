//! Tryton's JSON-RPC over HTTP: one login per run, a session header on every call, one kept-alive connection.
use std::time::Duration;

use base64::Engine as _;
use reqwest::blocking;
use serde_json::{Value, json};

use super::error::TrytonError;
use super::error_shape::{ErrorShape, error_shape};
use super::target::TrytonTarget;

/// Why one call did not give a result.
#[derive(Debug)]
pub enum CallError {
    /// Tryton refused the call for a reason about the records sent (validation, a required
    /// field, a unique code, a workflow step refused): its own message.
    User(String),
    /// Tryton asks to confirm a warning before it goes on; zynk never confirms one.
    Warning(String),
    /// The request may have reached Tryton but no answer came (timeout, connection reset):
    /// whether it did anything is not known.
    Lost(String),
    /// The statement cannot go on.
    Fatal(TrytonError),
}

impl From<TrytonError> for CallError {
    fn from(e: TrytonError) -> Self {
        CallError::Fatal(e)
    }
}

impl CallError {
    /// The statement-level error for a call whose failure cannot be pinned on a record.
    pub fn into_fatal(self, session: &Session, method: &str) -> TrytonError {
        match self {
            CallError::Fatal(e) => e,
            CallError::User(message) | CallError::Warning(message) => TrytonError::Fault {
                url: session.shown_url.clone(),
                method: method.to_string(),
                message,
            },
            CallError::Lost(reason) => TrytonError::Unreachable {
                url: session.shown_url.clone(),
                reason,
            },
        }
    }
}

/// A logged-in connection to one Tryton database.
pub struct Session {
    http: blocking::Client,
    /// `http://host:port/DB/rpc/`
    endpoint: String,
    /// The server's URL as it may be shown (secrets redacted).
    pub shown_url: String,
    database: String,
    user: String,
    password: String,
    timeout: Duration,
    /// `Session base64(user:uid:session)`, once logged in.
    authorization: Option<String>,
    /// The context every model call ends with (`company`).
    context: Value,
    next_id: u64,
    /// How many calls were made (for the bench and the status line).
    pub calls: u64,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("url", &self.shown_url)
            .field("database", &self.database)
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

impl Session {
    /// Logs in to the target's database and reads the user's company.
    ///
    /// # Errors
    ///
    /// [`TrytonError::Unreachable`], [`TrytonError::Login`], [`TrytonError::Server`] (e.g.
    /// 404 for an unknown database), [`TrytonError::Setup`] when the user has no company.
    pub fn open(target: &TrytonTarget, password: String) -> Result<Session, TrytonError> {
        let shown_url = crate::http::redact_url(&target.url);
        let http = crate::http::blocking_client(target.ca_cert.as_deref()).map_err(|e| {
            TrytonError::Unreachable {
                url: shown_url.clone(),
                reason: e.to_string(),
            }
        })?;
        let base = target.url.trim_end_matches('/');
        let mut session = Session {
            http,
            endpoint: format!("{base}/{}/rpc/", target.database),
            shown_url,
            database: target.database.clone(),
            user: target.user.clone(),
            password,
            timeout: target.timeout,
            authorization: None,
            context: json!({}),
            next_id: 0,
            calls: 0,
        };
        session.login()?;
        let prefs = session
            .call(
                "model.res.user.get_preferences",
                vec![json!(true), json!({})],
            )
            .map_err(|e| e.into_fatal(&session, "model.res.user.get_preferences"))?;
        let Some(company) = prefs.get("company").and_then(Value::as_i64) else {
            return Err(TrytonError::Setup {
                database: session.database.clone(),
                what: format!("user `{}` has no company", session.user),
                help:
                    "set up a company (the `company.company.config` wizard) and give it to the user"
                        .into(),
            });
        };
        session.context = json!({ "company": company });
        Ok(session)
    }

    /// The database name.
    #[must_use]
    pub fn database(&self) -> &str {
        &self.database
    }

    /// The company the session works in.
    #[must_use]
    pub fn company(&self) -> i64 {
        self.context
            .get("company")
            .and_then(Value::as_i64)
            .unwrap_or_default()
    }

    fn login(&mut self) -> Result<(), TrytonError> {
        self.authorization = None;
        let params = vec![
            json!(self.user),
            json!({ "password": self.password }),
            json!("en"),
        ];
        let result = match self.send("common.db.login", &params) {
            Ok(r) => r,
            Err(CallError::Fatal(TrytonError::Server { status: 401, .. })) => {
                return Err(self.login_error());
            }
            Err(CallError::Fatal(e)) => return Err(e),
            Err(CallError::User(_) | CallError::Warning(_)) => return Err(self.login_error()),
            Err(CallError::Lost(reason)) => {
                return Err(TrytonError::Unreachable {
                    url: self.shown_url.clone(),
                    reason,
                });
            }
        };
        let (Some(uid), Some(key)) = (
            result.get(0).and_then(Value::as_i64),
            result.get(1).and_then(Value::as_str),
        ) else {
            return Err(TrytonError::Answer {
                url: self.shown_url.clone(),
                method: "common.db.login".into(),
                reason: "no user id and session key in the answer".into(),
            });
        };
        let token =
            base64::engine::general_purpose::STANDARD.encode(format!("{}:{uid}:{key}", self.user));
        self.authorization = Some(format!("Session {token}"));
        Ok(())
    }

    fn login_error(&self) -> TrytonError {
        TrytonError::Login {
            url: self.shown_url.clone(),
            user: self.user.clone(),
            database: self.database.clone(),
        }
    }

    /// Calls `model.<model>.<method>` with `args` and the session's context last.
    ///
    /// # Errors
    ///
    /// See [`CallError`].
    pub fn model(
        &mut self,
        model: &str,
        method: &str,
        mut args: Vec<Value>,
    ) -> Result<Value, CallError> {
        args.push(self.context.clone());
        self.call(&format!("model.{model}.{method}"), args)
    }

    /// `search_read` of `fields` on the records matching `domain`.
    ///
    /// # Errors
    ///
    /// Any error is statement-level: a search has no record to blame.
    pub fn search_read(
        &mut self,
        model: &str,
        domain: Value,
        fields: &[&str],
    ) -> Result<Vec<Value>, TrytonError> {
        let method = format!("model.{model}.search_read");
        let result = self
            .model(
                model,
                "search_read",
                vec![domain, json!(0), Value::Null, Value::Null, json!(fields)],
            )
            .map_err(|e| e.into_fatal(self, &method))?;
        match result {
            Value::Array(rows) => Ok(rows),
            _ => Err(TrytonError::Answer {
                url: self.shown_url.clone(),
                method,
                reason: "search_read did not answer a list".into(),
            }),
        }
    }

    /// `search_read` ordered by `order`, with `extra` added to the context (e.g. `locations`
    /// for stock quantities).
    ///
    /// # Errors
    ///
    /// Any error is statement-level.
    pub fn search_read_in(
        &mut self,
        model: &str,
        domain: Value,
        fields: &[&str],
        extra: &Value,
        order: &str,
    ) -> Result<Vec<Value>, TrytonError> {
        let method = format!("model.{model}.search_read");
        let mut context = self.context.clone();
        if let (Some(c), Some(e)) = (context.as_object_mut(), extra.as_object()) {
            for (k, v) in e {
                c.insert(k.clone(), v.clone());
            }
        }
        let args = vec![
            domain,
            json!(0),
            Value::Null,
            json!([[order, "ASC"]]),
            json!(fields),
            context,
        ];
        match self.call(&method, args) {
            Ok(Value::Array(rows)) => Ok(rows),
            Ok(_) => Err(TrytonError::Answer {
                url: self.shown_url.clone(),
                method,
                reason: "search_read did not answer a list".into(),
            }),
            Err(e) => Err(e.into_fatal(self, &method)),
        }
    }

    /// Calls `method`, logging in again once if the session has expired (HTTP 401).
    ///
    /// # Errors
    ///
    /// See [`CallError`].
    pub fn call(&mut self, method: &str, params: Vec<Value>) -> Result<Value, CallError> {
        match self.send(method, &params) {
            Err(CallError::Fatal(TrytonError::Server { status: 401, .. })) => {
                self.login()?;
                self.send(method, &params)
            }
            other => other,
        }
    }

    fn send(&mut self, method: &str, params: &[Value]) -> Result<Value, CallError> {
        self.next_id += 1;
        self.calls += 1;
        let body = json!({ "id": self.next_id, "method": method, "params": params });
        let mut request = self
            .http
            .post(&self.endpoint)
            .timeout(self.timeout)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body.to_string());
        if let Some(auth) = &self.authorization {
            request = request.header(reqwest::header::AUTHORIZATION, auth);
        }
        let response = request.send().map_err(|e| self.transport(&e))?;
        let status = response.status().as_u16();
        let text = response.text().map_err(|e| self.transport(&e))?;
        if status != 200 {
            return Err(CallError::Fatal(self.status_error(method, status, &text)));
        }
        let answer: Value = serde_json::from_str(&text).map_err(|e| {
            CallError::Fatal(TrytonError::Answer {
                url: self.shown_url.clone(),
                method: method.to_string(),
                reason: format!("not JSON ({e})"),
            })
        })?;
        if let Some(error) = answer.get("error").filter(|e| !e.is_null()) {
            return Err(self.rpc_error(method, error));
        }
        answer.get("result").cloned().ok_or_else(|| {
            CallError::Fatal(TrytonError::Answer {
                url: self.shown_url.clone(),
                method: method.to_string(),
                reason: "neither `result` nor `error` in the answer".into(),
            })
        })
    }

    fn transport(&self, e: &reqwest::Error) -> CallError {
        let reason = crate::http::failure_text(e);
        if e.is_connect() || e.is_builder() {
            CallError::Fatal(TrytonError::Unreachable {
                url: self.shown_url.clone(),
                reason,
            })
        } else {
            CallError::Lost(reason)
        }
    }

    fn status_error(&self, method: &str, status: u16, body: &str) -> TrytonError {
        let first = body
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with('<'))
            .unwrap_or_default();
        let detail = if first.is_empty() {
            String::new()
        } else {
            format!(": {}", first.chars().take(200).collect::<String>())
        };
        let help = match status {
            401 => "the session was refused: check the user and password".to_string(),
            404 => format!(
                "is `{}` a database of this server? (`trytond -d {}` must serve it)",
                self.database, self.database
            ),
            429 => "Tryton limits logins after failures: wait a minute and run again".to_string(),
            s if s >= 500 => {
                "see the Tryton server's log; nothing is done twice when you run again".to_string()
            }
            _ => "see the Tryton server's log".to_string(),
        };
        TrytonError::Server {
            url: self.shown_url.clone(),
            method: method.to_string(),
            status,
            detail,
            help,
        }
    }

    fn rpc_error(&self, method: &str, error: &Value) -> CallError {
        let fault = |message: String| {
            CallError::Fatal(TrytonError::Fault {
                url: self.shown_url.clone(),
                method: method.to_string(),
                message,
            })
        };
        match error_shape(error) {
            ErrorShape::User(m) => CallError::User(m),
            ErrorShape::Warning(m) => CallError::Warning(m),
            ErrorShape::Login => CallError::Fatal(self.login_error()),
            ErrorShape::Concurrency(m) => {
                fault(format!("another user changed the records meanwhile ({m})"))
            }
            ErrorShape::Other(m) => fault(m),
        }
    }

    /// Logs out (best effort: the session expires on its own).
    pub fn close(&mut self) {
        if self.authorization.is_some() {
            self.timeout = Duration::from_secs(5);
            let _ = self.send("common.db.logout", &[]);
            self.authorization = None;
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        self.close();
    }
}
