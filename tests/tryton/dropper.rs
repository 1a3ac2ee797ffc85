//! A proxy in front of a real trytond that loses one answer: the call reaches Tryton and is done, but the client never hears back (a reset after the server committed).
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Forwards every request to `upstream`; the first one whose body contains `needle` is
/// forwarded, and its answer dropped by closing the connection. With `die`, every later
/// request is dropped unanswered too, as if the server had gone.
pub struct Dropper {
    pub url: String,
    pub dropped: Arc<AtomicBool>,
}

/// A TLS identity for the proxy: the certificate chain and its key.
pub type Identity = (
    Vec<rustls::pki_types::CertificateDer<'static>>,
    rustls::pki_types::PrivateKeyDer<'static>,
);

impl Dropper {
    pub fn start(upstream: String, needle: &'static str) -> Dropper {
        Dropper::with(upstream, needle, false, None)
    }

    /// An `https://` front of `upstream` presenting `identity`, dropping nothing.
    pub fn tls(upstream: String, identity: Identity) -> Dropper {
        Dropper::with(upstream, "\u{0}never", false, Some(identity))
    }

    /// A server that dies at the first request containing `needle` (which it never forwards).
    pub fn dying(upstream: String, needle: &'static str) -> Dropper {
        Dropper::with(upstream, needle, true, None)
    }

    fn with(upstream: String, needle: &'static str, die: bool, tls: Option<Identity>) -> Dropper {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let url = match tls {
            Some(_) => format!("https://localhost:{port}"),
            None => format!("http://127.0.0.1:{port}"),
        };
        let config = tls.map(|(chain, key)| {
            Arc::new(
                rustls::ServerConfig::builder()
                    .with_no_client_auth()
                    .with_single_cert(chain, key)
                    .expect("a server config"),
            )
        });
        let dropped = Arc::new(AtomicBool::new(false));
        let flag = dropped.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let upstream = upstream.clone();
                let flag = flag.clone();
                let config = config.clone();
                std::thread::spawn(move || match config {
                    Some(config) => {
                        let Ok(conn) = rustls::ServerConnection::new(config) else {
                            return;
                        };
                        serve(
                            rustls::StreamOwned::new(conn, stream),
                            &upstream,
                            needle,
                            &flag,
                            die,
                        );
                    }
                    None => serve(stream, &upstream, needle, &flag, die),
                });
            }
        });
        Dropper { url, dropped }
    }
}

fn serve(stream: impl Read + Write, upstream: &str, needle: &str, dropped: &AtomicBool, die: bool) {
    let client = reqwest::blocking::Client::new();
    let mut reader = BufReader::new(stream);
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
        let mut headers = Vec::new();
        let mut length = 0usize;
        loop {
            let mut h = String::new();
            if reader.read_line(&mut h).unwrap_or(0) == 0 {
                return;
            }
            let h = h.trim_end().to_string();
            if h.is_empty() {
                break;
            }
            if let Some((name, value)) = h.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().unwrap_or(0);
                }
                if name.eq_ignore_ascii_case("authorization")
                    || name.eq_ignore_ascii_case("content-type")
                {
                    headers.push((name.to_string(), value.trim().to_string()));
                }
            }
        }
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        if die
            && (dropped.load(Ordering::SeqCst) || String::from_utf8_lossy(&body).contains(needle))
        {
            dropped.store(true, Ordering::SeqCst);
            return;
        }
        let mut req = client.post(format!("{upstream}{path}")).body(body.clone());
        for (n, v) in &headers {
            req = req.header(n.as_str(), v.as_str());
        }
        let Ok(resp) = req.send() else { return };
        let status = resp.status().as_u16();
        let answer = resp.bytes().unwrap_or_default();
        if String::from_utf8_lossy(&body).contains(needle) && !dropped.swap(true, Ordering::SeqCst)
        {
            return;
        }
        let head = format!(
            "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            answer.len()
        );
        let writer = reader.get_mut();
        if writer.write_all(head.as_bytes()).is_err()
            || writer.write_all(&answer).is_err()
            || writer.flush().is_err()
        {
            return;
        }
    }
}
