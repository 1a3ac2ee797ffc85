//! `Shop`: the demo shop's HTTP server (axum on a current-thread tokio runtime of its own thread).
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use rusqlite::Connection;

use super::download::download_xml;
use super::error::DemoError;
use super::legacy::{DIE_TEXT, Legacy};
use super::protocol::{self, Refusal, Report};
use super::seed::{self, DEFAULT_SEED};
use super::serving::Serving;
use super::store;

/// The three endpoints.
pub const DOWNLOAD_PATH: &str = "/zynk/download";
pub const NOTIFY_PATH: &str = "/zynk/notify";
pub const UPLOAD_PATH: &str = "/zynk/upload";
/// The largest body accepted; a 200-product chunk is a few hundred kilobytes.
pub const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

/// Upload and notify requests seen and the ones (counted from the first) set to fail.
#[derive(Debug, Default)]
struct Faults {
    uploads_seen: u64,
    fail_at: Vec<u64>,
    notifies_seen: u64,
    notify_fail_at: Vec<u64>,
    /// Notify requests that wait this long before answering 500, storing nothing.
    notify_stall_at: Vec<(u64, std::time::Duration)>,
}

struct AppState {
    conn: Mutex<Connection>,
    faults: Arc<Mutex<Faults>>,
    legacy: Legacy,
}

/// Locks a mutex even if a thread panicked while holding it: the shop's data is in SQLite
/// transactions, so nothing half-written hides behind a poisoned lock.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The demo shop, serving its SQLite data over HTTP until stopped or dropped.
pub struct Shop {
    serving: Serving,
    db: PathBuf,
    faults: Arc<Mutex<Faults>>,
}

impl std::fmt::Debug for Shop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shop")
            .field("addr", &self.serving.addr())
            .field("db", &self.db)
            .finish_non_exhaustive()
    }
}

/// Opens the shop database, creating and seeding it with `seed` if it is new (no tables).
///
/// # Errors
/// [`DemoError::Open`] if the file cannot be opened or is not SQLite,
/// [`DemoError::NotAShop`] if it is another application's database (the ledger, say),
/// or a database error.
pub(super) fn open_or_seed(db: &Path, seed: u64) -> Result<Connection, DemoError> {
    let open_err = |source| DemoError::Open {
        path: db.to_path_buf(),
        source,
    };
    let conn = Connection::open(db).map_err(open_err)?;
    store::configure(&conn)?;
    // The first real read tells whether the file is a database at all.
    let seeded = match store::seeded_with(&conn) {
        Ok(s) => s,
        Err(DemoError::Database(e)) => return Err(open_err(e)),
        Err(e) => return Err(e),
    };
    if seeded.is_none() {
        // Never add the shop's tables to someone else's database.
        if store::has_any_table(&conn)? && !store::has_schema(&conn)? {
            return Err(DemoError::NotAShop {
                path: db.to_path_buf(),
            });
        }
        seed::seed(&conn, seed)?;
    }
    Ok(conn)
}

impl Shop {
    /// Opens (creating and seeding with seed 1 if new) the shop database at `db`, and serves
    /// it on `addr` (e.g. `127.0.0.1:0` for any free port).
    ///
    /// # Errors
    /// [`DemoError::Open`], [`DemoError::Bind`], [`DemoError::Server`] or a database error.
    pub fn start(db: &Path, addr: &str) -> Result<Shop, DemoError> {
        Shop::start_seeded(db, addr, DEFAULT_SEED)
    }

    /// As [`Shop::start`], seeding a new database with `seed`. An existing database keeps
    /// the data it has.
    ///
    /// # Errors
    /// As [`Shop::start`].
    pub fn start_seeded(db: &Path, addr: &str, seed: u64) -> Result<Shop, DemoError> {
        Shop::start_legacy(db, addr, seed, Legacy::default())
    }

    /// As [`Shop::start_seeded`], speaking like a legacy website script: the download in
    /// `legacy.encoding` (with non-ASCII names seeded into the data), errors as `200`.
    ///
    /// # Errors
    /// As [`Shop::start`].
    pub fn start_legacy(
        db: &Path,
        addr: &str,
        seed: u64,
        legacy: Legacy,
    ) -> Result<Shop, DemoError> {
        let conn = open_or_seed(db, seed)?;
        if let Some(encoding) = legacy.encoding {
            encoding.seed_names(&conn)?;
        }
        let faults = Arc::new(Mutex::new(Faults::default()));
        let state = Arc::new(AppState {
            conn: Mutex::new(conn),
            faults: Arc::clone(&faults),
            legacy,
        });
        let serving = Serving::start(addr, "zynk-demo-shop", router(state))?;
        Ok(Shop {
            serving,
            db: db.to_path_buf(),
            faults,
        })
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    #[must_use]
    pub fn url(&self) -> String {
        format!("http://{}", self.serving.addr())
    }

    /// The address the shop listens on.
    #[must_use]
    pub fn addr(&self) -> SocketAddr {
        self.serving.addr()
    }

    /// The shop's database file.
    #[must_use]
    pub fn db(&self) -> &Path {
        &self.db
    }

    /// The shop setting `download`: hand out pending orders as `Invoices` (true) or as
    /// `SalesOrders` (false, the default).
    ///
    /// # Errors
    /// A database error.
    pub fn download_invoices(&self, invoices: bool) -> Result<(), DemoError> {
        let conn = Connection::open(&self.db).map_err(|source| DemoError::Open {
            path: self.db.clone(),
            source,
        })?;
        super::store::configure(&conn)?;
        super::store::set_downloads_invoices(&conn, invoices)
    }

    /// Fault injection for tests: the `nth` upload request (1-based) from now on answers
    /// 500 once, without changing any stock. Several calls add several failures.
    pub fn fail_upload(&self, nth: u32) {
        let mut f = lock(&self.faults);
        let at = f.uploads_seen + u64::from(nth.max(1));
        f.fail_at.push(at);
    }

    /// Fault injection for tests: the `nth` notify request (1-based) from now on fails once
    /// without changing anything, answering `500` and [`DIE_TEXT`] (or `200` and the same
    /// text when errors are answered as `200`, as a PHP script's `die()`).
    pub fn fail_notify(&self, nth: u32) {
        let mut f = lock(&self.faults);
        let at = f.notifies_seen + u64::from(nth.max(1));
        f.notify_fail_at.push(at);
    }

    /// Fault injection for tests: the `nth` notify request from now on waits `delay`, then
    /// answers 500 without storing anything (time for a test to kill the client mid-notify).
    pub fn stall_notify(&self, nth: u32, delay: std::time::Duration) {
        let mut f = lock(&self.faults);
        let at = f.notifies_seen + u64::from(nth.max(1));
        f.notify_stall_at.push((at, delay));
    }

    /// How many notify requests the shop has received.
    #[must_use]
    pub fn notifies_seen(&self) -> u64 {
        lock(&self.faults).notifies_seen
    }

    /// Stops serving and waits for the server thread to end.
    pub fn stop(mut self) {
        self.serving.stop();
    }
}

fn router(state: Arc<AppState>) -> Router {
    let errors_as_200 = state.legacy.errors_as_200;
    let router = Router::new()
        .route(
            DOWNLOAD_PATH,
            get(download).fallback(|m: Method| wrong_method(m, "GET, HEAD")),
        )
        .route(
            NOTIFY_PATH,
            post(notify).fallback(|m: Method| wrong_method(m, "POST")),
        )
        .route(
            UPLOAD_PATH,
            post(upload).fallback(|m: Method| wrong_method(m, "POST")),
        )
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state);
    if errors_as_200 {
        router.layer(axum::middleware::map_response(error_as_200))
    } else {
        router
    }
}

/// A legacy script's error: the same text, but status `200` and PHP's default content type.
async fn error_as_200(response: Response) -> Response {
    if response.status().is_success() {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    parts.status = StatusCode::OK;
    parts.headers.remove(header::ALLOW);
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=UTF-8"),
    );
    Response::from_parts(parts, body)
}

fn text(status: StatusCode, body: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        body,
    )
        .into_response()
}

fn shop_failure(e: &DemoError) -> Response {
    text(
        StatusCode::INTERNAL_SERVER_ERROR,
        format!("the shop failed: {e}\n"),
    )
}

async fn wrong_method(method: Method, allow: &'static str) -> Response {
    let mut r = text(
        StatusCode::METHOD_NOT_ALLOWED,
        format!("method {method} not allowed here; use {allow}\n"),
    );
    r.headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static(allow));
    r
}

async fn not_found(uri: Uri) -> Response {
    text(
        StatusCode::NOT_FOUND,
        format!(
            "no such endpoint: {}; the shop serves GET {DOWNLOAD_PATH}, POST {NOTIFY_PATH} and POST {UPLOAD_PATH}\n",
            uri.path()
        ),
    )
}

async fn download(State(state): State<Arc<AppState>>) -> Response {
    let conn = lock(&state.conn);
    match (download_xml(&conn), state.legacy.encoding) {
        (Ok(xml), None) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "text/xml; charset=utf-8")],
            xml,
        )
            .into_response(),
        (Ok(xml), Some(encoding)) => {
            let content_type = format!("application/xml; charset={}", encoding.label());
            (
                StatusCode::OK,
                [(header::CONTENT_TYPE, content_type)],
                encoding.encode_declared(&xml, !state.legacy.wrong_declaration),
            )
                .into_response()
        }
        (Err(e), _) => shop_failure(&e),
    }
}

fn answer(result: Result<Report, Refusal>) -> Response {
    match result {
        Ok(report) => text(StatusCode::OK, report.to_string()),
        Err(Refusal::BadBody(b)) => text(StatusCode::BAD_REQUEST, format!("{b}\n")),
        Err(Refusal::Shop(e)) => shop_failure(&e),
    }
}

async fn notify(State(state): State<Arc<AppState>>, body: Bytes) -> Response {
    let (injected, stall) = {
        let mut f = lock(&state.faults);
        f.notifies_seen += 1;
        let seen = f.notifies_seen;
        let hit = f.notify_fail_at.iter().position(|&at| at == seen);
        let stall = f.notify_stall_at.iter().position(|&(at, _)| at == seen);
        (
            hit.map(|i| f.notify_fail_at.swap_remove(i)).is_some(),
            stall.map(|i| f.notify_stall_at.swap_remove(i).1),
        )
    };
    if let Some(delay) = stall {
        let _ = tokio::task::spawn_blocking(move || std::thread::sleep(delay)).await;
    }
    if injected || stall.is_some() {
        return text(StatusCode::INTERNAL_SERVER_ERROR, format!("{DIE_TEXT}\n"));
    }
    let conn = lock(&state.conn);
    answer(protocol::notify(&conn, &body))
}

async fn upload(State(state): State<Arc<AppState>>, body: Bytes) -> Response {
    let injected = {
        let mut f = lock(&state.faults);
        f.uploads_seen += 1;
        let seen = f.uploads_seen;
        match f.fail_at.iter().position(|&at| at == seen) {
            Some(i) => {
                f.fail_at.swap_remove(i);
                Some(seen)
            }
            None => None,
        }
    };
    if let Some(n) = injected {
        return text(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("injected failure: upload request {n} was set to fail\n"),
        );
    }
    let conn = lock(&state.conn);
    answer(protocol::upload(&conn, &body))
}
