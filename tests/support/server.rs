//! A small HTTP/1.1 server on 127.0.0.1 for tests: scripted responses, every request recorded.
//!
//! ```ignore
//! let server = TestServer::start(|req| match req.path.as_str() {
//!     "/zynk/download" => TestResponse::ok("<Company/>").header("Content-Type", "text/xml"),
//!     _ => TestResponse::status(404, "no such page"),
//! });
//! let url = server.url("/zynk/download");
//! // … run the client against `url` …
//! assert_eq!(server.requests()[0].method, "GET");
//! ```
//!
//! Each connection gets its own thread and is kept alive until the client closes it, so a
//! pooling client reuses connections. The server only listens on loopback and stops on `Drop`.
#![allow(dead_code)] // each test binary uses a different part of this module

use std::fmt::Write as _;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// A request as the server received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedRequest {
    /// Upper-case method, e.g. `POST`.
    pub method: String,
    /// The path with its query, e.g. `/zynk/notify?x=1`.
    pub path: String,
    /// Headers in the order received, names as sent.
    pub headers: Vec<(String, String)>,
    /// The body, with any chunked transfer encoding removed.
    pub body: Vec<u8>,
    /// Which connection carried the request (0 for the first one accepted, then 1, …).
    pub connection: u64,
}

impl RecordedRequest {
    /// The first header with this name, in any case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Every value of headers with this name, in any case.
    pub fn header_all(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The body as (lossy) UTF-8 text.
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// What the server answers; build with [`TestResponse::ok`] or [`TestResponse::status`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestResponse {
    pub status: u16,
    /// Extra headers. A `Content-Length` here replaces the real one (to fake a truncated body).
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Wait this long before answering (the request is recorded first).
    pub delay: Option<Duration>,
    /// Close the connection after this response.
    pub close: bool,
}

impl TestResponse {
    /// `200 OK` with this body.
    pub fn ok(body: impl Into<Vec<u8>>) -> TestResponse {
        TestResponse::status(200, body)
    }

    /// Any status with this body.
    pub fn status(status: u16, body: impl Into<Vec<u8>>) -> TestResponse {
        TestResponse {
            status,
            headers: Vec::new(),
            body: body.into(),
            delay: None,
            close: false,
        }
    }

    /// Adds a header.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> TestResponse {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Answers only after `delay`.
    pub fn delay(mut self, delay: Duration) -> TestResponse {
        self.delay = Some(delay);
        self
    }

    /// Closes the connection once the response is written.
    pub fn close(mut self) -> TestResponse {
        self.close = true;
        self
    }
}

type Handler = dyn Fn(&RecordedRequest) -> TestResponse + Send + Sync + 'static;

struct Shared {
    handler: Box<Handler>,
    requests: Mutex<Vec<RecordedRequest>>,
    connections: Mutex<Vec<TcpStream>>,
    next_connection: AtomicU64,
    stop: AtomicBool,
}

/// A running server; it stops when dropped.
pub struct TestServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    acceptor: Option<JoinHandle<()>>,
}

impl TestServer {
    /// Starts a server on a free loopback port; `handler` answers every request.
    pub fn start(
        handler: impl Fn(&RecordedRequest) -> TestResponse + Send + Sync + 'static,
    ) -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let addr = listener.local_addr().expect("the bound address");
        let shared = Arc::new(Shared {
            handler: Box::new(handler),
            requests: Mutex::new(Vec::new()),
            connections: Mutex::new(Vec::new()),
            next_connection: AtomicU64::new(0),
            stop: AtomicBool::new(false),
        });
        let accept_shared = Arc::clone(&shared);
        let acceptor = thread::spawn(move || accept_loop(&listener, &accept_shared));
        TestServer {
            addr,
            shared,
            acceptor: Some(acceptor),
        }
    }

    /// Answers the n-th request with `responses[n]`, repeating the last one after that.
    pub fn sequence(responses: Vec<TestResponse>) -> TestServer {
        assert!(!responses.is_empty(), "a sequence needs a response");
        let next = AtomicUsize::new(0);
        TestServer::start(move |_| {
            let n = next.fetch_add(1, Ordering::SeqCst);
            responses[n.min(responses.len() - 1)].clone()
        })
    }

    /// `http://127.0.0.1:<port><path>`; a missing leading `/` is added.
    pub fn url(&self, path: &str) -> String {
        let slash = if path.starts_with('/') { "" } else { "/" };
        format!("http://{}{slash}{path}", self.addr)
    }

    /// The server's address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.shared.requests).clone()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        // Wake the acceptor, which is blocked in `accept`.
        let _ = TcpStream::connect(self.addr);
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
        for stream in lock(&self.shared.connections).drain(..) {
            let _ = stream.shutdown(Shutdown::Both);
        }
    }
}

/// A URL on a loopback port where nothing listens (a listener is bound, then dropped).
pub fn dead_url(path: &str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    let addr = listener.local_addr().expect("the bound address");
    drop(listener);
    let slash = if path.starts_with('/') { "" } else { "/" };
    format!("http://{addr}{slash}{path}")
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panicking handler must not hide the requests from the test that asks for them.
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn accept_loop(listener: &TcpListener, shared: &Arc<Shared>) {
    for stream in listener.incoming() {
        if shared.stop.load(Ordering::SeqCst) {
            return;
        }
        let Ok(stream) = stream else { continue };
        if let Ok(clone) = stream.try_clone() {
            lock(&shared.connections).push(clone);
        }
        let id = shared.next_connection.fetch_add(1, Ordering::SeqCst);
        let shared = Arc::clone(shared);
        thread::spawn(move || {
            let _ = serve(stream, id, &shared);
        });
    }
}

/// Serves requests on one connection until the client closes it or asks to.
fn serve(stream: TcpStream, connection: u64, shared: &Shared) -> io::Result<()> {
    let _closer = CloseOnDrop(stream.try_clone()?);
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut writer = stream;
    loop {
        let Some((request, client_closes)) = read_request(&mut reader, connection)? else {
            return Ok(());
        };
        lock(&shared.requests).push(request.clone());
        let response = (shared.handler)(&request);
        if let Some(delay) = response.delay {
            let until = Instant::now() + delay;
            while Instant::now() < until {
                if shared.stop.load(Ordering::SeqCst) {
                    return Ok(());
                }
                thread::sleep(Duration::from_millis(10).min(until - Instant::now()));
            }
        }
        write_response(&mut writer, &request, &response)?;
        if response.close || client_closes {
            writer.shutdown(Shutdown::Both)?;
            return Ok(());
        }
    }
}

/// Shuts the socket down when the connection's thread ends, even by a panicking handler, since
/// `Drop` for the server keeps a clone of every stream open.
struct CloseOnDrop(TcpStream);

impl Drop for CloseOnDrop {
    fn drop(&mut self) {
        let _ = self.0.shutdown(Shutdown::Both);
    }
}

/// Reads one request; `None` when the client closed the connection between requests.
fn read_request(
    reader: &mut BufReader<TcpStream>,
    connection: u64,
) -> io::Result<Option<(RecordedRequest, bool)>> {
    let mut line = String::new();
    if reader.read_line(&mut line)? == 0 {
        return Ok(None);
    }
    let mut parts = line.split_whitespace();
    let (Some(method), Some(path), Some(version)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("bad request line {line:?}"),
        ));
    };
    let (method, path, version) = (method.to_string(), path.to_string(), version.to_string());
    let mut headers = Vec::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        let header = line.trim_end_matches(['\r', '\n']);
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            headers.push((name.trim().to_string(), value.trim().to_string()));
        }
    }
    let find = |name: &str| {
        headers
            .iter()
            .find(|(n, _): &&(String, String)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    let chunked = find("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked"));
    let body = if chunked {
        read_chunked(reader)?
    } else {
        let length = find("content-length")
            .and_then(|v| v.parse::<usize>().ok())
            .unwrap_or(0);
        let mut body = vec![0; length];
        reader.read_exact(&mut body)?;
        body
    };
    let client_closes = find("connection").is_some_and(|v| v.eq_ignore_ascii_case("close"))
        || version == "HTTP/1.0";
    let request = RecordedRequest {
        method,
        path,
        headers,
        body,
        connection,
    };
    Ok(Some((request, client_closes)))
}

fn read_chunked(reader: &mut BufReader<TcpStream>) -> io::Result<Vec<u8>> {
    let mut body = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        reader.read_line(&mut line)?;
        let size_text = line.trim().split(';').next().unwrap_or("");
        let size = usize::from_str_radix(size_text, 16)
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "bad chunk size"))?;
        if size == 0 {
            // Skip trailers up to the blank line.
            loop {
                line.clear();
                if reader.read_line(&mut line)? == 0 || line.trim().is_empty() {
                    return Ok(body);
                }
            }
        }
        let start = body.len();
        body.resize(start + size, 0);
        reader.read_exact(&mut body[start..])?;
        line.clear();
        reader.read_line(&mut line)?;
    }
}

fn write_response(
    writer: &mut TcpStream,
    request: &RecordedRequest,
    response: &TestResponse,
) -> io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\n",
        response.status,
        reason(response.status)
    );
    let has = |name: &str| {
        response
            .headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case(name))
    };
    for (name, value) in &response.headers {
        let _ = write!(head, "{name}: {value}\r\n");
    }
    if !has("content-length") {
        let _ = write!(head, "Content-Length: {}\r\n", response.body.len());
    }
    if response.close && !has("connection") {
        head.push_str("Connection: close\r\n");
    }
    head.push_str("\r\n");
    writer.write_all(head.as_bytes())?;
    if request.method != "HEAD" {
        writer.write_all(&response.body)?;
    }
    writer.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    }
}
