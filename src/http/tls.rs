//! TLS in words: rustls failures described for people, and the private CAs `ca_cert` trusts.
use std::error::Error;
use std::io;
use std::path::Path;

use rustls::{CertificateError, Error as TlsError};

use super::error::HttpError;

/// A person's description of the TLS failure somewhere in `err`'s chain, if there is one.
pub(super) fn describe(err: &(dyn Error + 'static)) -> Option<String> {
    let mut current: Option<&(dyn Error + 'static)> = Some(err);
    while let Some(e) = current {
        if let Some(tls) = e.downcast_ref::<TlsError>() {
            return Some(text(tls));
        }
        // An `io::Error` hides what it wraps from `source()`, so look inside it.
        current = match e.downcast_ref::<io::Error>() {
            Some(io) => match io.get_ref() {
                Some(inner) => Some(inner as &(dyn Error + 'static)),
                None => None,
            },
            None => e.source(),
        };
        if current.is_none() && e.to_string().to_ascii_lowercase().contains("handshake eof") {
            return Some(
                "the site closed the connection during the TLS handshake: does it serve plain `http` on this port?"
                    .to_string(),
            );
        }
    }
    None
}

fn text(err: &TlsError) -> String {
    match err {
        TlsError::InvalidCertificate(cert) => certificate_text(cert),
        TlsError::InvalidMessage(_)
        | TlsError::InappropriateMessage { .. }
        | TlsError::InappropriateHandshakeMessage { .. } => {
            "the site did not answer in TLS: does it serve plain `http` on this port?".to_string()
        }
        TlsError::AlertReceived(alert) => format!(
            "the site refused the TLS handshake ({})",
            words(&format!("{alert:?}"))
        ),
        TlsError::PeerIncompatible(_) => {
            "the site and zynk share no TLS version or cipher suite; the site's TLS may be outdated"
                .to_string()
        }
        TlsError::NoCertificatesPresented => "the site presented no certificate".to_string(),
        TlsError::DecryptError | TlsError::PeerMisbehaved(_) => {
            "the site broke the TLS protocol during the handshake".to_string()
        }
        _ => format!("the TLS handshake failed ({})", words(&format!("{err:?}"))),
    }
}

fn certificate_text(err: &CertificateError) -> String {
    let text = match err {
        CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
            "the site's certificate has expired"
        }
        CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
            "the site's certificate is not valid yet (check this machine's clock)"
        }
        CertificateError::UnknownIssuer => {
            "the site's certificate is not signed by a trusted certificate authority (self-signed, or signed by a private CA: trust that CA with `ca_cert FILE`)"
        }
        CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
            "the site's certificate is made for another host name"
        }
        CertificateError::Revoked => "the site's certificate has been revoked",
        CertificateError::BadSignature => "the site's certificate has an invalid signature",
        CertificateError::BadEncoding => "the site's certificate cannot be read",
        CertificateError::InvalidPurpose | CertificateError::InvalidPurposeContext { .. } => {
            "the site's certificate is not meant for a web server"
        }
        CertificateError::UnsupportedSignatureAlgorithmContext { .. }
        | CertificateError::UnsupportedSignatureAlgorithmForPublicKeyContext { .. } => {
            "the site's certificate uses a signature algorithm zynk does not support"
        }
        other => {
            return format!(
                "the site's certificate was rejected: {}",
                words(&format!("{other:?}"))
            );
        }
    };
    text.to_string()
}

/// The innermost name in a `Debug` text, as words: `Other(OtherError(CaUsedAsEndEntity))` →
/// `ca used as end entity`.
fn words(debug: &str) -> String {
    let name = debug
        .split(|c: char| !c.is_ascii_alphanumeric())
        .rfind(|part| part.starts_with(|c: char| c.is_ascii_uppercase()))
        .unwrap_or("unknown");
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push(' ');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// The certificates of a `ca_cert` PEM file.
pub(super) fn load_ca(path: &Path) -> Result<Vec<reqwest::Certificate>, HttpError> {
    let invalid = |reason: String| HttpError::CaCert {
        path: path.to_path_buf(),
        reason,
    };
    let pem = std::fs::read(path).map_err(|e| invalid(e.to_string()))?;
    let certificates = reqwest::Certificate::from_pem_bundle(&pem)
        .map_err(|_| invalid("it is not a PEM certificate file".to_string()))?;
    if certificates.is_empty() {
        return Err(invalid("it holds no PEM certificate".to_string()));
    }
    Ok(certificates)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_names_become_words() {
        assert_eq!(
            words("Other(OtherError(CaUsedAsEndEntity))"),
            "ca used as end entity"
        );
        assert_eq!(words("HandshakeFailure"), "handshake failure");
    }

    #[test]
    fn certificate_failures_read_as_sentences() {
        let unknown = text(&TlsError::InvalidCertificate(
            CertificateError::UnknownIssuer,
        ));
        assert!(unknown.contains("ca_cert FILE"), "{unknown}");
        let wrapped = io::Error::new(
            io::ErrorKind::InvalidData,
            TlsError::InvalidCertificate(CertificateError::Expired),
        );
        assert_eq!(
            describe(&wrapped).as_deref(),
            Some("the site's certificate has expired")
        );
    }
}
