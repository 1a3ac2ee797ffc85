//! TLS with a private CA made in the test: `ca_cert FILE` trusts it; without it, and for other
//! TLS failures, the error is a sentence, never rustls' `Debug` text.
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::Arc;

use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

use crate::http::cli::Project;
use crate::http::support::server::{TestResponse, TestServer};

/// A private CA and a certificate it signed for `localhost` and 127.0.0.1.
struct Pki {
    ca_pem: String,
    ca_der: CertificateDer<'static>,
    ca_key: PrivateKeyDer<'static>,
    server_der: CertificateDer<'static>,
    server_key: PrivateKeyDer<'static>,
}

fn pki() -> Pki {
    let ca_key = KeyPair::generate().expect("a CA key");
    let mut ca_params =
        CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()])
            .expect("CA params");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = ca_params.self_signed(&ca_key).expect("the CA certificate");
    let issuer = Issuer::new(ca_params, &ca_key);
    let server_key = KeyPair::generate().expect("a server key");
    let server = CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()])
        .expect("server params")
        .signed_by(&server_key, &issuer)
        .expect("the server certificate");
    Pki {
        ca_pem: ca.pem(),
        ca_der: ca.der().clone(),
        ca_key: PrivatePkcs8KeyDer::from(ca_key.serialize_der()).into(),
        server_der: server.der().clone(),
        server_key: PrivatePkcs8KeyDer::from(server_key.serialize_der()).into(),
    }
}

/// An HTTPS server on 127.0.0.1 presenting `chain`; answers `<Company/>` to every request.
fn https_server(chain: Vec<CertificateDer<'static>>, key: PrivateKeyDer<'static>) -> u16 {
    let config = rustls::ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .expect("a server config");
    let config = Arc::new(config);
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    let port = listener.local_addr().expect("the bound address").port();
    std::thread::spawn(move || {
        for tcp in listener.incoming() {
            let Ok(tcp) = tcp else { return };
            let config = Arc::clone(&config);
            std::thread::spawn(move || {
                let Ok(conn) = rustls::ServerConnection::new(config) else {
                    return;
                };
                let mut tls = rustls::StreamOwned::new(conn, tcp);
                let mut reader = BufReader::new(&mut tls);
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 0) && line != "\r\n" {
                    line.clear();
                }
                let _ = tls.write_all(
                    b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\nConnection: close\r\n\r\n<Company/>",
                );
                let _ = tls.flush();
                tls.conn.send_close_notify();
                let _ = tls.flush();
            });
        }
    });
    port
}

fn assert_no_debug_text(stderr: &str) {
    for debug in [
        "Other(",
        "OtherError",
        "InvalidCertificate",
        "UnknownIssuer",
        "CaUsedAsEndEntity",
        "InvalidContentType",
    ] {
        assert!(
            !stderr.contains(debug),
            "Debug text `{debug}` in:\n{stderr}"
        );
    }
}

#[test]
fn ca_cert_trusts_a_private_ca_and_without_it_the_error_says_how() {
    let pki = pki();
    let port = https_server(vec![pki.server_der.clone()], pki.server_key.clone_key());
    let project = Project::new();
    std::fs::write(project.dir.path().join("ca.pem"), &pki.ca_pem).expect("write the CA");
    let ca = project.dir.path().join("ca.pem").display().to_string();

    let trusted = project.run(
        &format!("fetch \"https://localhost:{port}/d\" to \"d.xml\" ca_cert \"{ca}\"\n"),
        &[],
    );
    assert_eq!(trusted.code, 0, "{}", trusted.printed());
    assert_eq!(
        std::fs::read_to_string(project.workdir().join("d.xml")).expect("the download"),
        "<Company/>"
    );

    let untrusted = project.run(
        &format!("fetch \"https://localhost:{port}/d\" to \"e.xml\" retries 0\n"),
        &[],
    );
    assert_eq!(untrusted.code, 1, "{}", untrusted.printed());
    assert!(
        untrusted.said().contains("zynk::http::tls"),
        "{}",
        untrusted.stderr
    );
    assert!(
        untrusted
            .said()
            .contains("not signed by a trusted certificate authority"),
        "{}",
        untrusted.stderr
    );
    assert!(
        untrusted.said().contains("ca_cert FILE"),
        "{}",
        untrusted.stderr
    );
    assert_no_debug_text(&untrusted.stderr);
}

#[test]
fn a_ca_certificate_used_as_the_site_certificate_is_explained_in_words() {
    let pki = pki();
    let port = https_server(vec![pki.ca_der.clone()], pki.ca_key.clone_key());
    let project = Project::new();
    std::fs::write(project.dir.path().join("ca.pem"), &pki.ca_pem).expect("write the CA");

    let run = project.run(
        &format!(
            "fetch \"https://localhost:{port}/d\" to \"d.xml\" retries 0 ca_cert \"../../ca.pem\"\n"
        ),
        &[],
    );

    assert_eq!(run.code, 1, "{}", run.printed());
    assert!(run.said().contains("zynk::http::tls"), "{}", run.stderr);
    assert!(
        run.said().contains("ca used as end entity"),
        "{}",
        run.stderr
    );
    assert_no_debug_text(&run.stderr);
}

#[test]
fn https_to_a_plain_http_port_says_so() {
    let server = TestServer::start(|_| TestResponse::ok("x"));
    let project = Project::new();
    let url = server.url("/d").replace("http://", "https://");
    let run = project.run(&format!("fetch \"{url}\" to \"d.xml\" retries 0\n"), &[]);
    assert_eq!(run.code, 1, "{}", run.printed());
    assert!(
        run.said()
            .contains("does it serve plain `http` on this port?"),
        "{}",
        run.stderr
    );
    assert_no_debug_text(&run.stderr);
}

#[test]
fn a_missing_ca_cert_file_is_named() {
    let project = Project::new();
    let run = project.run(
        "fetch \"https://localhost:9/d\" to \"d.xml\" ca_cert \"nowhere.pem\"\n",
        &[],
    );
    assert_eq!(run.code, 1, "{}", run.printed());
    assert!(run.said().contains("zynk::http::ca_cert"), "{}", run.stderr);
    assert!(run.said().contains("nowhere.pem"), "{}", run.stderr);
}
