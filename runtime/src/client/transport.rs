//! The transport seam: what a client hands to the network, and what it gets back.

use std::error::Error;
use std::fmt;
use std::sync::Arc;

use crate::protocol::HttpResponse;

pub use crate::auth::BoxFuture;

/// Sends one HTTP request and returns the whole response.
///
/// The client calls it once per attempt, with a request that is already signed; the
/// transport must not change the headers. Implement it to use another HTTP stack, a proxy, or
/// an in-memory service in tests ([`MockTransport`](super::MockTransport) is one).
///
/// Return an error only when no complete response came back (connection refused, reset,
/// closed mid-body, a connect timeout); HTTP error statuses are responses. The client retries
/// transport errors, so a transport should not retry on its own.
pub trait Transport: Send + Sync + fmt::Debug {
    /// Sends `request`; resolves to the response with its whole body read.
    fn send(
        &self,
        request: TransportRequest,
    ) -> BoxFuture<'_, Result<HttpResponse, TransportError>>;
}

impl<T: Transport + ?Sized> Transport for Arc<T> {
    fn send(
        &self,
        request: TransportRequest,
    ) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        (**self).send(request)
    }
}

impl<T: Transport + ?Sized> Transport for Box<T> {
    fn send(
        &self,
        request: TransportRequest,
    ) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        (**self).send(request)
    }
}

/// A signed request, ready for the wire.
#[derive(Clone, PartialEq, Eq)]
pub struct TransportRequest {
    /// `POST` for awsQuery.
    pub method: String,
    /// The absolute URL: scheme, authority, path and query.
    pub url: String,
    /// Every header to send, in order, names in lower case (`host` and `content-length`
    /// included).
    pub headers: Vec<(String, String)>,
    /// The body bytes.
    pub body: Vec<u8>,
}

impl TransportRequest {
    /// The first value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as text (lossy), for assertions in tests.
    pub fn body_text(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }
}

/// Headers whose values are secrets: `Debug` output replaces them.
pub(crate) fn is_secret_header(name: &str) -> bool {
    // Signatures, session tokens, the instance metadata session token and the SSO bearer
    // token.
    [
        "authorization",
        "x-amz-security-token",
        "x-aws-ec2-metadata-token",
        "x-amz-sso_bearer_token",
    ]
    .iter()
    .any(|secret| name.eq_ignore_ascii_case(secret))
}

impl fmt::Debug for TransportRequest {
    /// Never prints the signature, the session token or the body (which may hold
    /// sensitive members): only their sizes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Headers<'a>(&'a [(String, String)]);
        impl fmt::Debug for Headers<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let mut m = f.debug_map();
                for (k, v) in self.0 {
                    if is_secret_header(k) {
                        m.entry(k, &"** redacted **");
                    } else {
                        m.entry(k, v);
                    }
                }
                m.finish()
            }
        }
        f.debug_struct("TransportRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &Headers(&self.headers))
            .field("body", &format_args!("<{} bytes>", self.body.len()))
            .finish()
    }
}

/// What kind of failure a [`TransportError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection could be made: DNS failure, connection refused, TLS handshake failure.
    Connect,
    /// The connection failed while the request or the response was in flight (reset, closed
    /// before the whole response was read).
    Io,
    /// The transport's own timeout (e.g. the connect timeout) expired.
    Timeout,
    /// The request could not be turned into an HTTP request (bad URL or header value).
    InvalidRequest,
    /// The transport has nothing to answer with: no transport is configured, or a
    /// [`MockTransport`](super::MockTransport) ran out of responses.
    NoResponse,
    /// Anything else.
    Other,
}

impl TransportErrorKind {
    fn as_str(self) -> &'static str {
        match self {
            TransportErrorKind::Connect => "connection failed",
            TransportErrorKind::Io => "I/O error",
            TransportErrorKind::Timeout => "transport timeout",
            TransportErrorKind::InvalidRequest => "invalid request",
            TransportErrorKind::NoResponse => "no response",
            TransportErrorKind::Other => "transport error",
        }
    }
}

/// The request could not be sent or its response could not be received.
#[derive(Debug)]
pub struct TransportError {
    kind: TransportErrorKind,
    message: String,
    source: Option<Box<dyn Error + Send + Sync + 'static>>,
    attempts: u32,
}

impl TransportError {
    /// An error of `kind` described by `message`.
    pub fn new(kind: TransportErrorKind, message: impl Into<String>) -> Self {
        TransportError {
            kind,
            message: message.into(),
            source: None,
            attempts: 0,
        }
    }

    /// A [`TransportErrorKind::Connect`] error.
    pub fn connect(message: impl Into<String>) -> Self {
        Self::new(TransportErrorKind::Connect, message)
    }

    /// A [`TransportErrorKind::Io`] error.
    pub fn io(message: impl Into<String>) -> Self {
        Self::new(TransportErrorKind::Io, message)
    }

    /// Attaches the underlying error.
    pub fn with_source(
        mut self,
        source: impl Into<Box<dyn Error + Send + Sync + 'static>>,
    ) -> Self {
        self.source = Some(source.into());
        self
    }

    /// The kind of failure.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// The description given when the error was made.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Requests the call sent, retries included (0 when unknown).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    pub(crate) fn set_attempts(&mut self, attempts: u32) {
        self.attempts = attempts;
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.as_str(), self.message)
    }
}

impl Error for TransportError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.source.as_deref().map(|e| e as &(dyn Error + 'static))
    }
}

/// Which timeout expired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TimeoutKind {
    /// One attempt (send and read the response) took longer than the attempt timeout; it is
    /// retried like a transport error.
    Attempt,
    /// The whole call (credentials, every attempt and the backoff between them) took longer
    /// than the operation timeout; never retried.
    Operation,
}

/// The attempt or the operation timeout expired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeoutError {
    kind: TimeoutKind,
    duration: std::time::Duration,
    attempts: u32,
}

impl TimeoutError {
    /// A timeout of `kind` after `duration`.
    pub fn new(kind: TimeoutKind, duration: std::time::Duration) -> Self {
        TimeoutError {
            kind,
            duration,
            attempts: 0,
        }
    }

    /// Requests the call sent, retries included (0 when unknown).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    pub(crate) fn set_attempts(&mut self, attempts: u32) {
        self.attempts = attempts;
    }

    /// Which timeout expired.
    pub fn kind(&self) -> TimeoutKind {
        self.kind
    }

    /// The configured duration that expired.
    pub fn duration(&self) -> std::time::Duration {
        self.duration
    }
}

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            TimeoutKind::Attempt => write!(
                f,
                "no answer within the attempt timeout ({:?})",
                self.duration
            ),
            TimeoutKind::Operation => write!(
                f,
                "the call did not finish within the operation timeout ({:?})",
                self.duration
            ),
        }
    }
}

impl Error for TimeoutError {}
