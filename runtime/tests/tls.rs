//! The default transport over TLS, against a loopback rustls server whose certificate comes
//! from a test CA (`tests/data/tls/`, made with `openssl`; valid until 2036).

#![cfg(feature = "default-https")]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use aws_lite_runtime::client::{HttpsTransport, Transport, TransportErrorKind, TransportRequest};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const CA: &[u8] = include_bytes!("data/tls/ca.pem");
const CERT: &[u8] = include_bytes!("data/tls/server.pem");
const KEY: &[u8] = include_bytes!("data/tls/server.key");

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    rustls::crypto::ring::default_provider().into()
}

/// A TLS server answering every request on a connection with `body` (keep-alive); returns
/// its port and the number of connections it accepted so far.
async fn server(body: &'static str) -> (u16, Arc<AtomicUsize>) {
    let certs = vec![CertificateDer::from_pem_slice(CERT).unwrap()];
    let key = PrivateKeyDer::from_pem_slice(KEY).unwrap();
    let config = rustls::ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let accepted = Arc::new(AtomicUsize::new(0));
    let count = accepted.clone();
    tokio::spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else {
                return;
            };
            count.fetch_add(1, Ordering::SeqCst);
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                loop {
                    // Requests here have no body: the head is the whole request.
                    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                        match tls.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                    }
                    let head = String::from_utf8_lossy(&buf).into_owned();
                    buf.clear();
                    let line = head.lines().next().unwrap_or_default().to_string();
                    let reply = format!(
                        "HTTP/1.1 200 OK\r\ncontent-length: {}\r\nx-request-line: {line}\r\n\r\n{body}",
                        body.len()
                    );
                    if tls.write_all(reply.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    (port, accepted)
}

fn request(port: u16) -> TransportRequest {
    TransportRequest {
        method: "GET".into(),
        url: format!("https://localhost:{port}/path?q=1"),
        headers: vec![("host".into(), format!("localhost:{port}"))],
        body: Vec::new(),
    }
}

#[tokio::test]
async fn https_with_a_private_ca_reuses_its_connection() {
    let (port, accepted) = server("hello over tls").await;
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(CertificateDer::from_pem_slice(CA).unwrap())
        .unwrap();
    let tls = rustls::ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let transport = HttpsTransport::builder().tls_config(tls).build();
    for _ in 0..3 {
        let response = transport.send(request(port)).await.unwrap();
        assert_eq!(response.status, 200);
        assert_eq!(response.body, &b"hello over tls"[..]);
        // Origin form on the request line.
        let line = response
            .headers
            .iter()
            .find(|(k, _)| k == "x-request-line")
            .map(|(_, v)| v.as_str());
        assert_eq!(line, Some("GET /path?q=1 HTTP/1.1"));
    }
    assert_eq!(
        accepted.load(Ordering::SeqCst),
        1,
        "one connection for three calls"
    );
}

#[tokio::test]
async fn an_untrusted_certificate_is_refused() {
    let (port, _) = server("never read").await;
    // The default transport trusts Mozilla's roots only.
    let err = HttpsTransport::new().send(request(port)).await.unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Connect, "{err}");
    assert!(
        err.to_string().to_lowercase().contains("certificate"),
        "{err}"
    );
}
