//! The default transport: HTTP/1.1 over rustls (ring), on hyper's connections and our pool.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::connect::HttpConnector;
use tower_service::Service;

use super::config::DEFAULT_CONNECT_TIMEOUT;
use super::pool::{Conn, DriveError, Endpoint, Pool};
use super::transport::{
    BoxFuture, Transport, TransportError, TransportErrorKind, TransportRequest,
};
use crate::protocol::HttpResponse;

/// How long an idle pooled connection is kept.
const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(90);

/// HTTPS (and plain HTTP, for local endpoints) on hyper and rustls.
///
/// Connections are pooled and reused across calls and across clones (clones share the
/// pool); a call drives its connection itself, on its own task. TLS uses rustls with the
/// `ring` provider and Mozilla's root certificates (`webpki-roots`); TLS 1.2 and 1.3;
/// HTTP/1.1. Needs a tokio runtime.
#[derive(Clone)]
pub struct HttpsTransport {
    connector: HttpsConnector<HttpConnector>,
    pool: Pool,
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
        HttpsTransport {
            connector,
            pool: Pool::new(POOL_IDLE_TIMEOUT),
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
        let uri: hyper::Uri = request
            .url
            .parse()
            .map_err(|e| invalid("invalid request URL", &e))?;
        let https = match uri.scheme_str() {
            Some("https") => true,
            Some("http") => false,
            _ => {
                return Err(invalid(
                    "invalid request URL",
                    &"the scheme is not http or https",
                ))
            }
        };
        let Some(authority) = uri.authority() else {
            return Err(invalid("invalid request URL", &"it has no host"));
        };
        // Host and port only (no user information), the port only when not the default.
        let authority = match authority.port_u16() {
            Some(port) if port != if https { 443 } else { 80 } => {
                format!("{}:{port}", authority.host())
            }
            _ => authority.host().to_string(),
        };
        let endpoint = Endpoint { https, authority };
        // On the connection the request line carries the path and query only (origin form);
        // the host travels in the `host` header the request already has (it is signed).
        let target = uri.path_and_query().map_or("/", |p| p.as_str()).to_string();
        let body = Bytes::from(request.body);
        let make_request = || {
            let mut builder = hyper::Request::builder()
                .method(request.method.as_str())
                .uri(target.as_str());
            let mut has_host = false;
            for (name, value) in &request.headers {
                has_host |= name.eq_ignore_ascii_case("host");
                builder = builder.header(name.as_str(), value.as_str());
            }
            if !has_host {
                builder = builder.header("host", endpoint.authority.as_str());
            }
            builder
                .body(Full::new(body.clone()))
                .map_err(|e| invalid("cannot build the HTTP request", &e))
        };

        let (mut conn, reused) = match self.pool.take(&endpoint).await {
            Some(conn) => (conn, true),
            None => (self.connect(uri.clone()).await?, false),
        };
        let mut result = exchange(&mut conn, make_request()?).await;
        if reused && matches!(result, Err(ExchangeError::NotSent)) {
            // The server closed the pooled connection just as it was taken: the request was
            // never written, so it goes on a new connection at once (not through the retry
            // strategy, which would count it as a failed attempt).
            conn = self.connect(uri).await?;
            result = exchange(&mut conn, make_request()?).await;
        }
        let (parts, body) = result.map_err(|e| match e {
            ExchangeError::Hyper(e) => TransportError::io(format!(
                "the connection failed during the exchange: {}",
                error_chain(&e)
            ))
            .with_source(e),
            ExchangeError::NotSent | ExchangeError::Closed => TransportError::io(
                "the server closed the connection before the response was complete",
            ),
        })?;
        self.pool.put(endpoint, conn);
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

    /// A new connection: TCP (within the connect timeout), TLS for `https`, then HTTP/1.1.
    async fn connect(&self, uri: hyper::Uri) -> Result<Conn, TransportError> {
        let stream = self.connector.clone().call(uri).await.map_err(|e| {
            let error: &(dyn std::error::Error + 'static) = &*e;
            let (kind, message) = if is_timeout(error) {
                let limit = self.connect_timeout.unwrap_or_default();
                (
                    TransportErrorKind::Timeout,
                    format!("could not connect within {limit:?}"),
                )
            } else {
                (TransportErrorKind::Connect, error_chain(error))
            };
            TransportError::new(kind, message).with_source(e)
        })?;
        Conn::handshake(stream).await.map_err(|e| {
            TransportError::new(TransportErrorKind::Connect, error_chain(&e)).with_source(e)
        })
    }
}

/// Why an exchange failed.
enum ExchangeError {
    Hyper(hyper::Error),
    /// The connection closed before it took the request: nothing was sent.
    NotSent,
    /// The connection closed before the response was complete.
    Closed,
}

/// Sends `request` on `conn` and reads the whole response, driving the connection.
async fn exchange(
    conn: &mut Conn,
    request: hyper::Request<Full<Bytes>>,
) -> Result<
    (
        hyper::http::response::Parts,
        http_body_util::Collected<Bytes>,
    ),
    ExchangeError,
> {
    let response = conn.send(request);
    let response = match conn.drive(response).await {
        Ok(Ok(response)) => response,
        Ok(Err(e)) if e.is_canceled() => return Err(ExchangeError::NotSent),
        Ok(Err(e)) | Err(DriveError::Hyper(e)) => return Err(ExchangeError::Hyper(e)),
        Err(DriveError::Closed) => return Err(ExchangeError::NotSent),
    };
    let (parts, body) = response.into_parts();
    match conn.drive(body.collect()).await {
        Ok(Ok(body)) => Ok((parts, body)),
        Ok(Err(e)) | Err(DriveError::Hyper(e)) => Err(ExchangeError::Hyper(e)),
        Err(DriveError::Closed) => Err(ExchangeError::Closed),
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
