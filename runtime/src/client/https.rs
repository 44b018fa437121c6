//! The default transport: HTTP/1.1 over rustls (ring), on hyper's pooled client.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioTimer};

use super::config::DEFAULT_CONNECT_TIMEOUT;
use super::transport::{
    BoxFuture, Transport, TransportError, TransportErrorKind, TransportRequest,
};
use crate::protocol::HttpResponse;

/// How long an idle pooled connection is kept.
const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(90);

/// HTTPS (and plain HTTP, for local endpoints) on hyper and rustls.
///
/// Connections are pooled and reused across calls and across clones (clones share the
/// pool). TLS uses rustls with the `ring` provider and Mozilla's root certificates
/// (`webpki-roots`); TLS 1.2 and 1.3; HTTP/1.1. Needs a tokio runtime.
#[derive(Clone)]
pub struct HttpsTransport {
    client: Client<HttpsConnector<HttpConnector>, Full<Bytes>>,
    connect_timeout: Option<Duration>,
}

impl HttpsTransport {
    /// A transport with the default connect timeout (3.1 s).
    pub fn new() -> Self {
        Self::builder().build()
    }

    /// A builder for the connect timeout and the TLS configuration.
    pub fn builder() -> HttpsTransportBuilder {
        HttpsTransportBuilder {
            connect_timeout: Some(DEFAULT_CONNECT_TIMEOUT),
            tls_config: None,
        }
    }

    /// The connect timeout (TCP and TLS handshake), if any.
    pub fn connect_timeout(&self) -> Option<Duration> {
        self.connect_timeout
    }
}

impl Default for HttpsTransport {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for HttpsTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpsTransport")
            .field("connect_timeout", &self.connect_timeout)
            .finish_non_exhaustive()
    }
}

/// Builds an [`HttpsTransport`].
#[derive(Debug)]
pub struct HttpsTransportBuilder {
    connect_timeout: Option<Duration>,
    tls_config: Option<rustls::ClientConfig>,
}

impl HttpsTransportBuilder {
    /// How long connecting (TCP connect; the TLS handshake follows within the attempt
    /// timeout) may take; `None` for no limit. Default 3.1 s.
    pub fn connect_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Uses this rustls configuration (e.g. with a private CA in its roots) instead of the
    /// default one (ring provider, Mozilla roots). Its ALPN list must be empty.
    pub fn tls_config(mut self, config: rustls::ClientConfig) -> Self {
        self.tls_config = Some(config);
        self
    }

    /// The transport.
    pub fn build(self) -> HttpsTransport {
        let tls = self.tls_config.unwrap_or_else(default_tls_config);
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_nodelay(true);
        http.set_connect_timeout(self.connect_timeout);
        let connector = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(tls)
            .https_or_http()
            .enable_http1()
            .wrap_connector(http);
        let client = Client::builder(TokioExecutor::new())
            .pool_timer(TokioTimer::new())
            .pool_idle_timeout(POOL_IDLE_TIMEOUT)
            .build(connector);
        HttpsTransport {
            client,
            connect_timeout: self.connect_timeout,
        }
    }
}

fn default_tls_config() -> rustls::ClientConfig {
    let roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    // The ring provider explicitly: `ClientConfig::builder()` would panic if another crate in
    // the user's build turned on rustls' aws-lc-rs provider too.
    rustls::ClientConfig::builder_with_provider(rustls::crypto::ring::default_provider().into())
        .with_safe_default_protocol_versions()
        .expect("ring supports rustls' default protocol versions")
        .with_root_certificates(roots)
        .with_no_client_auth()
}

impl Transport for HttpsTransport {
    fn send(
        &self,
        request: TransportRequest,
    ) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(self.send_request(request))
    }
}

impl HttpsTransport {
    async fn send_request(
        &self,
        request: TransportRequest,
    ) -> Result<HttpResponse, TransportError> {
        let invalid = |what: &str, e: &dyn fmt::Display| {
            TransportError::new(TransportErrorKind::InvalidRequest, format!("{what}: {e}"))
        };
        let mut builder = hyper::Request::builder()
            .method(request.method.as_str())
            .uri(request.url.as_str());
        for (name, value) in &request.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        let http_request = builder
            .body(Full::new(Bytes::from(request.body)))
            .map_err(|e| invalid("cannot build the HTTP request", &e))?;

        let response = self.client.request(http_request).await.map_err(|e| {
            let kind = if e.is_connect() {
                if is_timeout(&e) {
                    TransportErrorKind::Timeout
                } else {
                    TransportErrorKind::Connect
                }
            } else {
                TransportErrorKind::Io
            };
            let message = if kind == TransportErrorKind::Timeout {
                format!(
                    "could not connect within {:?}",
                    self.connect_timeout.unwrap_or_default()
                )
            } else {
                error_chain(&e)
            };
            TransportError::new(kind, message).with_source(e)
        })?;
        let (parts, body) = response.into_parts();
        let body = body.collect().await.map_err(|e| {
            TransportError::io(format!(
                "the connection failed while reading the response body: {}",
                error_chain(&e)
            ))
            .with_source(e)
        })?;
        let headers = parts
            .headers
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        Ok(HttpResponse {
            status: parts.status.as_u16(),
            headers,
            // `Bytes` into `Vec` reuses the allocation when the body came in one piece.
            body: Vec::from(body.to_bytes()),
        })
    }
}

/// The messages of an error and its sources, joined (hyper's top-level messages are terse).
fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = s.source();
    }
    out
}

fn is_timeout(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut source = Some(e);
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            if io.kind() == std::io::ErrorKind::TimedOut {
                return true;
            }
        }
        source = s.source();
    }
    false
}
