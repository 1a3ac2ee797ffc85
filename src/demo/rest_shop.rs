//! `RestShop<T>`: a demo shop's REST API over loopback — its data behind a lock, every call
//! answered by one function of the data and the request, JSON answers.
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::Response;
use serde_json::Value;

use super::error::DemoError;
use super::serving::Serving;

/// One call to the API, as the answering function sees it.
pub(super) struct Call<'a> {
    pub method: &'a Method,
    pub uri: &'a Uri,
    pub headers: &'a HeaderMap,
    pub query: Vec<(String, String)>,
    pub body: &'a [u8],
}

impl Call<'_> {
    /// `http://HOST/path` of this call, for the links of a page.
    pub(super) fn base(&self) -> String {
        let host = self
            .headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("127.0.0.1");
        format!("http://{host}{}", self.uri.path())
    }
}

/// The function that answers every call.
pub(super) type Answer<T> = fn(&mut T, &Call<'_>) -> Response;

struct Shared<T> {
    data: Mutex<T>,
    answer: Answer<T>,
}

/// A shop serving its data until stopped or dropped.
pub struct RestShop<T> {
    serving: Serving,
    shared: Arc<Shared<T>>,
}

impl<T: Send + 'static> RestShop<T> {
    /// Serves `data` on `addr` (`127.0.0.1:0` for any free port), each call answered by
    /// `answer`.
    pub(super) fn serve(
        data: T,
        addr: &str,
        thread_name: &str,
        answer: Answer<T>,
    ) -> Result<RestShop<T>, DemoError> {
        let shared = Arc::new(Shared {
            data: Mutex::new(data),
            answer,
        });
        let app = Router::new()
            .fallback(handle::<T>)
            .with_state(Arc::clone(&shared));
        let serving = Serving::start(addr, thread_name, app)?;
        Ok(RestShop { serving, shared })
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    #[must_use]
    pub fn url(&self) -> String {
        format!("http://{}", self.serving.addr())
    }

    /// Reads (or changes) what the shop holds.
    pub fn with<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        f(&mut lock(&self.shared.data))
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

async fn handle<T: Send + 'static>(
    State(shared): State<Arc<Shared<T>>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let query = form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
        .into_owned()
        .collect();
    let call = Call {
        method: &method,
        uri: &uri,
        headers: &headers,
        query,
        body: &body,
    };
    let mut data = lock(&shared.data);
    (shared.answer)(&mut data, &call)
}

/// A JSON answer with `status`, `content_type` and extra headers.
pub(super) fn json_response(
    status: u16,
    content_type: &str,
    body: &Value,
    headers: Vec<(&'static str, String)>,
) -> Response {
    let mut builder = Response::builder()
        .status(StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
        .header(header::CONTENT_TYPE, content_type);
    for (name, value) in headers {
        builder = builder.header(name, value);
    }
    builder
        .body(Body::from(body.to_string()))
        .unwrap_or_else(|_| Response::new(Body::empty()))
}
