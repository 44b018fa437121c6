//! The default transport: HTTP/1.1 over rustls (ring), on hyper's connections and our pool.

use std::fmt;
use std::pin::pin;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::header::{HeaderName, HeaderValue};
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
        // What needs no waiting is done before the future is boxed, and the future keeps it
        // boxed on its own: the future every call allocates stays below 1 KiB. glibc answers a
        // larger request by first merging every small block freed since (the last response's
        // strings), which slows the allocations of the parse that follows.
        let prepared = prepare(request).map(Box::new);
        Box::pin(async move { self.send_prepared(prepared?).await })
    }
}

/// The most headers a request may have: hyper's header map panics past 24,576 (and no service
/// accepts anywhere near this many).
const MAX_HEADERS: usize = 10_000;

/// A request ready to go: where, and the hyper request.
struct Prepared {
    uri: hyper::Uri,
    endpoint: Endpoint,
    /// Taken by the exchange; given back when a connection closed before it took it.
    request: Option<hyper::Request<Full<Bytes>>>,
}

/// Checks the URL and builds the hyper request.
fn prepare(request: TransportRequest) -> Result<Prepared, TransportError> {
    let invalid = |what: &str, e: &dyn fmt::Display| {
        TransportError::new(TransportErrorKind::InvalidRequest, format!("{what}: {e}"))
    };
    // The request's own strings become the hyper request's (no copies): the URL here, the
    // header values in `to_hyper`.
    let uri = hyper::Uri::try_from(request.url).map_err(|e| invalid("invalid request URL", &e))?;
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
    if request.headers.len() > MAX_HEADERS {
        let count = format!("{} headers, more than {MAX_HEADERS}", request.headers.len());
        return Err(invalid("cannot build the HTTP request", &count));
    }
    let http_request = to_hyper(
        request.method,
        &uri,
        request.headers,
        request.body,
        &endpoint.authority,
    )
    .map_err(|e| invalid("cannot build the HTTP request", &e))?;
    Ok(Prepared {
        uri,
        endpoint,
        request: Some(http_request),
    })
}

impl HttpsTransport {
    async fn send_prepared(
        &self,
        mut prepared: Box<Prepared>,
    ) -> Result<HttpResponse, TransportError> {
        let (mut conn, reused) = match self.pool.take(&prepared.endpoint).await {
            Some(conn) => (conn, true),
            None => (self.connect(prepared.uri.clone()).await?, false),
        };
        let mut result = exchange(&mut conn, &mut prepared.request).await;
        // The request is back only when hyper never took it: the server closed the pooled
        // connection just as it was taken, and nothing was written. It goes on a new
        // connection at once (not through the retry strategy, which would count it as a
        // failed attempt).
        if reused && prepared.request.is_some() {
            conn = self.connect(prepared.uri.clone()).await?;
            result = exchange(&mut conn, &mut prepared.request).await;
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
        self.pool.put(prepared.endpoint, conn);
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
            body,
        })
    }

    /// A new connection: TCP (within the connect timeout), TLS for `https`, then HTTP/1.1.
    ///
    /// Boxed: the future (TCP, TLS handshake) is several KiB, and a call that reuses a
    /// connection should not carry it in its own. Boxed as a trait object rather than as its
    /// own type, which made a one-call program's binary 19 KB larger.
    fn connect(&self, uri: hyper::Uri) -> BoxFuture<'_, Result<Conn, TransportError>> {
        Box::pin(async move {
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
        })
    }
}

/// The hyper request for a transport request: its method, the target in origin form (the
/// host travels in the `host` header the request already has, as signed; `authority` is
/// added only when it has none), its headers in order, and its body.
fn to_hyper(
    method: String,
    uri: &hyper::Uri,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    authority: &str,
) -> Result<hyper::Request<Full<Bytes>>, hyper::http::Error> {
    let mut request = hyper::Request::new(Full::new(Bytes::from(body)));
    *request.method_mut() = match method.as_str() {
        "POST" => hyper::Method::POST,
        "GET" => hyper::Method::GET,
        other => hyper::Method::from_bytes(other.as_bytes())?,
    };
    *request.uri_mut() = match uri.path_and_query().map_or("/", |p| p.as_str()) {
        "/" => hyper::Uri::from_static("/"),
        target => hyper::Uri::try_from(target)?,
    };
    let map = request.headers_mut();
    map.reserve(headers.len() + 1);
    let mut has_host = false;
    for (name, value) in headers {
        let name = header_name(&name)?;
        has_host |= name == hyper::header::HOST;
        map.append(name, HeaderValue::try_from(value)?);
    }
    if !has_host {
        map.append(hyper::header::HOST, HeaderValue::from_str(authority)?);
    }
    Ok(request)
}

const X_AMZ_DATE: HeaderName = HeaderName::from_static("x-amz-date");
const X_AMZ_SECURITY_TOKEN: HeaderName = HeaderName::from_static("x-amz-security-token");
const AMZ_SDK_INVOCATION_ID: HeaderName = HeaderName::from_static("amz-sdk-invocation-id");
const AMZ_SDK_REQUEST: HeaderName = HeaderName::from_static("amz-sdk-request");

/// A header name: the ones every call sends without an allocation, any other parsed.
fn header_name(name: &str) -> Result<HeaderName, hyper::http::Error> {
    use hyper::header;
    Ok(match name {
        "host" => header::HOST,
        "content-type" => header::CONTENT_TYPE,
        "content-length" => header::CONTENT_LENGTH,
        "authorization" => header::AUTHORIZATION,
        "user-agent" => header::USER_AGENT,
        "x-amz-date" => X_AMZ_DATE,
        "x-amz-security-token" => X_AMZ_SECURITY_TOKEN,
        "amz-sdk-invocation-id" => AMZ_SDK_INVOCATION_ID,
        "amz-sdk-request" => AMZ_SDK_REQUEST,
        other => HeaderName::from_bytes(other.as_bytes())?,
    })
}

/// Why an exchange failed.
enum ExchangeError {
    Hyper(hyper::Error),
    /// The connection closed before it took the request: nothing was sent. When hyper gave the
    /// request back, it is in the exchange's `request` again.
    NotSent,
    /// The connection closed before the response was complete.
    Closed,
}

/// Sends the request taken from `request` on `conn` and reads the whole response, driving the
/// connection. A request the connection never took is put back in `request`.
async fn exchange(
    conn: &mut Conn,
    request: &mut Option<hyper::Request<Full<Bytes>>>,
) -> Result<(hyper::http::response::Parts, Bytes), ExchangeError> {
    let (parts, mut body) = response_head(conn, request).await?.into_parts();
    // The body's data frames: one, as read, when it came in one piece (the usual case),
    // else joined. Trailers are not part of an awsQuery response and are dropped.
    let mut first = Bytes::new();
    let mut joined = Vec::new();
    loop {
        let data = match conn.drive(body.frame()).await {
            Ok(Some(Ok(frame))) => match frame.into_data() {
                Ok(data) => data,
                Err(_trailers) => continue,
            },
            Ok(None) => break,
            Ok(Some(Err(e))) | Err(DriveError::Hyper(e)) => return Err(ExchangeError::Hyper(e)),
            Err(DriveError::Closed) => return Err(ExchangeError::Closed),
        };
        if first.is_empty() {
            first = data;
        } else {
            if joined.is_empty() {
                joined.extend_from_slice(&first);
            }
            joined.extend_from_slice(&data);
        }
    }
    Ok((
        parts,
        if joined.is_empty() {
            first
        } else {
            joined.into()
        },
    ))
}

/// The first part of [`exchange`]: sends the request and waits for the response's head. A
/// function of its own so that hyper's response future is gone while the body is read, and the
/// two do not both take room in the call's future.
async fn response_head(
    conn: &mut Conn,
    request: &mut Option<hyper::Request<Full<Bytes>>>,
) -> Result<hyper::Response<hyper::body::Incoming>, ExchangeError> {
    let Some(sent) = request.take() else {
        return Err(ExchangeError::NotSent);
    };
    let mut response = pin!(conn.send(sent));
    match conn.drive(response.as_mut()).await {
        Ok(head) => return head.map_err(|e| not_answered(e, request)),
        Err(DriveError::Hyper(e)) => return Err(ExchangeError::Hyper(e)),
        // Closed with no answer: once the connection is dropped, the response future says
        // whether the request was ever taken.
        Err(DriveError::Closed) => {}
    }
    conn.release();
    response.await.map_err(|e| not_answered(e, request))
}

/// Why hyper gave no response; a request it gives back goes back in `request`.
fn not_answered(
    mut e: hyper::client::conn::TrySendError<hyper::Request<Full<Bytes>>>,
    request: &mut Option<hyper::Request<Full<Bytes>>>,
) -> ExchangeError {
    match e.take_message() {
        Some(unsent) => {
            *request = Some(unsent);
            ExchangeError::NotSent
        }
        None => match e.into_error() {
            e if e.is_canceled() => ExchangeError::NotSent,
            e => ExchangeError::Hyper(e),
        },
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

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_hyper_request_keeps_method_target_headers_in_order_and_body() {
        let uri: hyper::Uri = "https://example.com:8443/a/b?x=1&y=%2F".parse().unwrap();
        let sent = headers(&[
            ("host", "example.com:8443"),
            ("content-type", "text/plain"),
            ("x-amz-date", "20260101T000000Z"),
            ("x-custom-thing", "two words"),
            ("x-custom-thing", "again"),
            ("authorization", "AWS4-HMAC-SHA256 abc"),
        ]);
        let request = to_hyper(
            "PUT".into(),
            &uri,
            sent.clone(),
            b"body".to_vec(),
            "ignored",
        )
        .unwrap();
        assert_eq!(request.method(), hyper::Method::PUT);
        assert_eq!(request.uri(), "/a/b?x=1&y=%2F");
        let got: Vec<(String, String)> = request
            .headers()
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_str().unwrap().to_string()))
            .collect();
        // A HeaderMap keeps the order of first appearance per name, and values in order.
        assert_eq!(got, sent);
        assert_eq!(
            hyper::body::Body::size_hint(request.body()).exact(),
            Some(4)
        );
    }

    #[test]
    fn the_hyper_request_gets_a_host_only_when_it_has_none_and_a_root_target() {
        let uri: hyper::Uri = "http://127.0.0.1:9000".parse().unwrap();
        let request = to_hyper(
            "POST".into(),
            &uri,
            headers(&[("content-length", "0")]),
            Vec::new(),
            "127.0.0.1:9000",
        )
        .unwrap();
        assert_eq!(request.uri(), "/");
        assert_eq!(request.headers()["host"], "127.0.0.1:9000");
        assert_eq!(request.headers().len(), 2);
    }

    #[test]
    fn the_future_each_call_allocates_stays_below_a_large_allocation() {
        // glibc serves requests below 1009 bytes from its small bins; a larger one first
        // merges every small block freed since, which slows the parse's allocations after it.
        let transport = HttpsTransport::new();
        let request = TransportRequest {
            method: "POST".into(),
            url: "https://example.com/".into(),
            headers: headers(&[("host", "example.com")]),
            body: b"Action=X".to_vec(),
        };
        let future = transport.send(request);
        let size = std::mem::size_of_val(&*future);
        assert!(size < 1009, "the boxed future of a call is {size} bytes");
    }

    #[tokio::test]
    async fn a_request_a_closed_connection_never_took_comes_back() {
        // The peer accepts and closes at once; the client sees the end of the stream before it
        // writes, as when a pooled connection closes just as a call takes it. (hyper gives the
        // request back through the response future here; `Conn::release` covers the case where
        // its connection future ends first, which this does not reach.)
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        drop(listener.accept().await.unwrap());
        stream.readable().await.unwrap();
        let stream = hyper_rustls::MaybeHttpsStream::Http(hyper_util::rt::TokioIo::new(stream));
        let mut conn = Conn::handshake(stream).await.unwrap();
        let uri: hyper::Uri = format!("http://{addr}/").parse().unwrap();
        let request = to_hyper("POST".into(), &uri, headers(&[]), b"x".to_vec(), "h").unwrap();
        let mut request = Some(request);
        let result = tokio::time::timeout(
            std::time::Duration::from_secs(10),
            exchange(&mut conn, &mut request),
        )
        .await
        .expect("the exchange ends");
        assert!(matches!(result, Err(ExchangeError::NotSent)));
        let back = request.expect("hyper gave the request back");
        assert_eq!(back.headers()["host"], "h");
        // The connection is done with: the pool does not take it back.
        assert!(!conn.reusable());
    }

    #[test]
    fn more_headers_than_a_request_can_carry_are_an_error_not_a_panic() {
        let many = (0..30_000).map(|i| (format!("x-h{i}"), "v".to_string()));
        let request = TransportRequest {
            method: "POST".into(),
            url: "https://example.com/".into(),
            headers: many.collect(),
            body: Vec::new(),
        };
        let Err(e) = prepare(request) else {
            panic!("30,000 headers were accepted")
        };
        assert!(e.to_string().contains("30000 headers"), "{e}");
    }

    #[test]
    fn a_header_hyper_cannot_send_is_an_error_not_a_panic() {
        let uri: hyper::Uri = "http://h/".parse().unwrap();
        for bad in [
            headers(&[("x-a", "line\r\nbreak")]),
            headers(&[("bad name", "v")]),
            headers(&[("", "v")]),
        ] {
            assert!(
                to_hyper("POST".into(), &uri, bad.clone(), Vec::new(), "h").is_err(),
                "{bad:?}"
            );
        }
        assert!(to_hyper("P OST".into(), &uri, Vec::new(), Vec::new(), "h").is_err());
    }
}
