//! The request pipeline of generated clients: configuration, the transport, signing,
//! retries and timeouts.
//!
//! A generated operation serializes its input into an [`HttpRequest`], resolves the endpoint,
//! and hands both to [`invoke`], which does the rest:
//!
//! 1. credentials, from the [`Config`] (static, or a provider, cached);
//! 2. per attempt: the headers (`host`, `content-type`, `content-length`,
//!    `amz-sdk-invocation-id`, `amz-sdk-request`, the endpoint's own), SigV4 signing for the
//!    config's region and the operation's signing name, `user-agent`, then the [`Transport`]
//!    under the attempt timeout, then the operation's parser;
//! 3. retries as AWS SDKs' "standard" mode: throttling and transient error codes, HTTP
//!    500/502/503/504, transport failures, attempt timeouts and the operation's
//!    `@retryable` errors; never anything else. Backoff is
//!    `rand(0,1) × min(initial_backoff × 2^(attempt−1), max_backoff)`; a retry quota
//!    shared by everything that uses one `Config` stops retries when a service is failing;
//! 4. the operation timeout around all of it.
//!
//! # Which headers are signed
//!
//! Like the AWS SDK for Rust, every header is signed except those a proxy may change or
//! that are set after signing: `user-agent` (added after signing), `authorization`,
//! `x-amzn-trace-id`, `transfer-encoding` and `expect` (never set here). So the signed list
//! is `amz-sdk-invocation-id;amz-sdk-request;content-length;content-type;host;x-amz-date`
//! (plus `x-amz-security-token` with session credentials, and any endpoint headers).
//! `amz-sdk-request` changes per attempt, so each attempt is signed anew (which also keeps
//! `x-amz-date` fresh across long backoffs).
//!
//! # Observability
//!
//! An `info`-level span `aws_call` per call (operation, service, invocation id) and a
//! `debug`-level span `aws_attempt` per attempt (attempt number, HTTP status, request id),
//! with `debug` events for retry decisions. Credentials, signatures and bodies are never
//! logged, and the `Debug` output of [`TransportRequest`] and [`Config`] redacts them.
//!
//! # Tests without a network
//!
//! [`MockTransport`] answers from canned responses and records every request; it has no
//! network code, so a test using it can never reach AWS.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::SystemTime;

use tracing::field::Empty;
use tracing::Instrument;

use crate::auth::{Credentials, SigningRequest};
use crate::endpoint::{Endpoint, EndpointError, EndpointErrorKind};
use crate::protocol::{HttpRequest, HttpResponse, OperationName, ProvideErrorMeta, SdkError};
use crate::query::push_u64;

mod config;
pub(crate) use config::default_transport;
#[cfg(feature = "default-https")]
mod https;
mod mock;
#[cfg(feature = "default-https")]
mod pool;
mod retry;
mod transport;

pub use config::{
    Config, ConfigBuilder, IdempotencyTokenProvider, DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_INITIAL_BACKOFF, DEFAULT_MAX_ATTEMPTS, DEFAULT_MAX_BACKOFF,
    DEFAULT_MIN_COMPRESSION_SIZE, MAX_MIN_COMPRESSION_SIZE,
};
#[cfg(feature = "default-https")]
pub use https::{HttpsTransport, HttpsTransportBuilder};
pub use mock::MockTransport;
pub use retry::{
    DEFAULT_RETRY_QUOTA, RETRY_COST, THROTTLING_CODES, TIMEOUT_RETRY_COST, TRANSIENT_CODES,
    TRANSIENT_STATUSES,
};
pub use transport::{
    BoxFuture, TimeoutError, TimeoutKind, Transport, TransportError, TransportErrorKind,
    TransportRequest,
};

use retry::{backoff, classify, RetryKind, NO_RETRY_INCREMENT};

/// What [`invoke`] needs to know about an operation (generated from the model).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperationSpec {
    /// The operation's name, e.g. `TestMigration` (for spans and messages).
    pub name: &'static str,
    /// The SigV4 signing name (`aws.auth#sigv4` `name`), e.g. `elasticache`.
    pub signing_name: &'static str,
    /// Codes of the operation's errors marked `@retryable`, retried besides the standard
    /// ones.
    pub retryable_codes: &'static [&'static str],
    /// The operation has `smithy.api#requestCompression` with gzip: bodies of at least the
    /// config's minimum size are sent gzipped (needs the `gzip` feature).
    pub request_compression: bool,
    /// How requests are authenticated.
    pub auth: OperationAuth,
}

/// How an operation's requests are authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum OperationAuth {
    /// Signed with SigV4; a call without credentials fails.
    SigV4,
    /// Signed with SigV4 when the config's credentials are available, unsigned otherwise
    /// (`smithy.api#optionalAuth`).
    OptionalSigV4,
    /// Never signed, and no credentials are looked up (`smithy.api#auth` with no scheme,
    /// e.g. STS `AssumeRoleWithWebIdentity`).
    None,
}

/// Makes one call: credentials, then per attempt sign, send through the transport (under the
/// attempt timeout) and parse, retrying per the standard retry mode; the operation timeout
/// bounds all of it. See the [module documentation](self).
///
/// `request` is the serialized operation (path relative to the endpoint URL's path);
/// `parse` turns a response into the output or an error ([`SdkError::Service`] for service
/// errors, [`SdkError::Response`] for unreadable bodies).
pub async fn invoke<O, E>(
    config: &Config,
    spec: &OperationSpec,
    endpoint: &Endpoint,
    request: HttpRequest,
    parse: fn(&HttpResponse) -> Result<O, SdkError<E>>,
) -> Result<O, SdkError<E>>
where
    E: ProvideErrorMeta + OperationName + std::error::Error + Send + Sync + 'static,
{
    let invocation_id = crate::protocol::idempotency_token();
    let span = tracing::info_span!(
        "aws_call",
        operation = spec.name,
        service = spec.signing_name,
        invocation_id = %invocation_id,
        attempts = Empty,
    );
    // Attempts so far, for the operation timeout's error (the call is dropped with it).
    let sent = AtomicU32::new(0);
    let call = run(
        config,
        spec,
        endpoint,
        request,
        parse,
        Progress {
            invocation_id,
            span: span.clone(),
            sent: &sent,
        },
    );
    match config.operation_timeout() {
        None => call.instrument(span).await,
        Some(limit) => {
            let timed = tokio::time::timeout(limit, call).instrument(span.clone());
            match timed.await {
                Ok(result) => result,
                Err(_) => {
                    let _enter = span.enter();
                    tracing::debug!(timeout = ?limit, "operation timeout");
                    Err(
                        SdkError::Timeout(TimeoutError::new(TimeoutKind::Operation, limit))
                            .with_attempts(sent.load(Ordering::Relaxed)),
                    )
                }
            }
        }
    }
}

/// What a call shares with its attempts and reports as it goes: its id, its span, and the
/// attempts sent so far (read by the operation timeout, which drops the call).
struct Progress<'a> {
    invocation_id: String,
    span: tracing::Span,
    sent: &'a AtomicU32,
}

async fn run<O, E>(
    config: &Config,
    spec: &OperationSpec,
    endpoint: &Endpoint,
    mut request: HttpRequest,
    parse: fn(&HttpResponse) -> Result<O, SdkError<E>>,
    progress: Progress<'_>,
) -> Result<O, SdkError<E>>
where
    E: ProvideErrorMeta + OperationName + std::error::Error + Send + Sync + 'static,
{
    let target = Target::new(&endpoint.url, request.path).map_err(SdkError::Endpoint)?;
    let Some(transport) = config.transport() else {
        return Err(SdkError::Transport(TransportError::new(
            TransportErrorKind::NoResponse,
            "no transport configured: enable the `default-https` feature of \
             aws-lite-runtime or set one with ConfigBuilder::transport",
        )));
    };
    let credentials = match spec.auth {
        OperationAuth::SigV4 => Some(config.credentials().await.map_err(SdkError::Credentials)?),
        // Unsigned only when there are no credentials at all; a broken source is an error.
        OperationAuth::OptionalSigV4 => match config.credentials().await {
            Ok(c) => Some(c),
            Err(e) if e.is_not_found() => None,
            Err(e) => return Err(SdkError::Credentials(e)),
        },
        OperationAuth::None => None,
    };
    let mut body = std::mem::take(&mut request.body).into_bytes();
    if spec.request_compression
        && !config.disable_request_compression()
        && body.len() >= config.request_min_compression_size_bytes() as usize
    {
        compress(&mut request, &mut body);
    }
    let max_attempts = config.max_attempts();
    let quota = config.retry_quota();
    // The quota cost of the retry that led to the current attempt.
    let mut last_cost = 0;
    let mut attempt = 1;
    loop {
        progress.span.record("attempts", attempt);
        progress.sent.store(attempt, Ordering::Relaxed);
        let span = tracing::debug_span!("aws_attempt", attempt, status = Empty, request_id = Empty);
        let parts = AttemptParts {
            config,
            spec,
            endpoint,
            target: &target,
            request: &request,
            body: &body,
            credentials: credentials.as_ref(),
            invocation_id: &progress.invocation_id,
            attempt,
            max_attempts,
        };
        let result = try_once(parts, transport.as_ref(), parse, &span)
            .instrument(span.clone())
            .await;
        let error = match result {
            Ok(output) => {
                quota.release(if attempt == 1 {
                    NO_RETRY_INCREMENT
                } else {
                    last_cost
                });
                return Ok(output);
            }
            Err(e) => e,
        };
        let kind = classify(&error, spec.retryable_codes);
        let _enter = span.enter();
        if kind == RetryKind::Never {
            tracing::debug!("not retryable");
            return Err(error.with_attempts(attempt));
        }
        if attempt >= max_attempts {
            tracing::debug!(max_attempts, "retryable, but no attempts left");
            return Err(error.with_attempts(attempt));
        }
        if !quota.try_acquire(kind.cost()) {
            tracing::debug!(
                available = quota.available(),
                "retryable, but the retry quota is exhausted"
            );
            return Err(error.with_attempts(attempt));
        }
        last_cost = kind.cost();
        let delay = backoff(attempt, config.initial_backoff(), config.max_backoff());
        tracing::info!(?delay, reason = %RetryReason(&error), attempt, "retrying");
        drop(_enter);
        tokio::time::sleep(delay).await;
        attempt += 1;
    }
}

/// Gzips the body before signing (the signature covers what is sent), and says so in
/// `Content-Encoding` after any encoding already there.
#[cfg(feature = "gzip")]
fn compress(request: &mut HttpRequest, body: &mut Vec<u8>) {
    *body = crate::gzip::compress(body);
    match request
        .headers
        .iter_mut()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-encoding"))
    {
        Some((_, v)) => v.push_str(", gzip"),
        None => request
            .headers
            .push(("content-encoding", "gzip".to_string())),
    }
}

/// Without the `gzip` feature the body goes as it is (compression is an optimisation the
/// service does not require).
#[cfg(not(feature = "gzip"))]
fn compress(_request: &mut HttpRequest, _body: &mut Vec<u8>) {}

/// The retry reason for the log: a code or a kind, never a message or a body.
struct RetryReason<'a, E>(&'a SdkError<E>);

impl<E: ProvideErrorMeta> std::fmt::Display for RetryReason<'_, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            SdkError::Service(e) => {
                let meta = e.meta();
                write!(
                    f,
                    "{} (HTTP {})",
                    meta.code.as_deref().unwrap_or("unknown error code"),
                    meta.status
                )
            }
            SdkError::Response(e) => write!(f, "unreadable response (HTTP {})", e.status()),
            SdkError::Transport(e) => write!(f, "{:?}", e.kind()),
            SdkError::Timeout(e) => write!(f, "{:?} timeout", e.kind()),
            _ => f.write_str("other"),
        }
    }
}

struct AttemptParts<'a> {
    config: &'a Config,
    spec: &'a OperationSpec,
    endpoint: &'a Endpoint,
    target: &'a Target,
    request: &'a HttpRequest,
    body: &'a [u8],
    /// `None` sends the request unsigned.
    credentials: Option<&'a Credentials>,
    invocation_id: &'a str,
    attempt: u32,
    max_attempts: u32,
}

async fn try_once<O, E>(
    parts: AttemptParts<'_>,
    transport: &dyn Transport,
    parse: fn(&HttpResponse) -> Result<O, SdkError<E>>,
    span: &tracing::Span,
) -> Result<O, SdkError<E>>
where
    E: ProvideErrorMeta,
{
    let request = build_request(&parts)?;
    let send = transport.send(request);
    let response = match parts.config.attempt_timeout() {
        None => send.await,
        Some(limit) => match tokio::time::timeout(limit, send).await {
            Ok(r) => r,
            Err(_) => {
                tracing::debug!(timeout = ?limit, "attempt timeout");
                return Err(SdkError::Timeout(TimeoutError::new(
                    TimeoutKind::Attempt,
                    limit,
                )));
            }
        },
    };
    let response = match response {
        Ok(r) => r,
        Err(e) => {
            tracing::debug!(kind = ?e.kind(), "transport error");
            return Err(SdkError::Transport(e));
        }
    };
    span.record("status", response.status);
    if let Some(id) = response.request_id_header() {
        span.record("request_id", id);
    }
    let result = parse(&response);
    if let Err(SdkError::Service(e)) = &result {
        if let Some(id) = &e.meta().request_id {
            span.record("request_id", id.as_str());
        }
    }
    result
}

/// Headers that are not signed (see the module documentation).
const UNSIGNED_HEADERS: &[&str] = &[
    "user-agent",
    "authorization",
    "x-amzn-trace-id",
    "transfer-encoding",
    "expect",
];

/// The signed request of one attempt.
fn build_request<E>(parts: &AttemptParts<'_>) -> Result<TransportRequest, SdkError<E>> {
    let mut signed: Vec<(String, String)> =
        Vec::with_capacity(8 + parts.request.headers.len() + parts.endpoint.headers.len());
    signed.push(("host".to_string(), parts.target.host.clone()));
    for (name, value) in &parts.request.headers {
        let name = name.to_ascii_lowercase();
        // These two are computed here, whatever the serializer said.
        if name != "host" && name != "content-length" {
            signed.push((name, value.clone()));
        }
    }
    let mut length = String::with_capacity(20);
    push_u64(parts.body.len() as u64, &mut length);
    signed.push(("content-length".to_string(), length));
    signed.push((
        "amz-sdk-invocation-id".to_string(),
        parts.invocation_id.to_string(),
    ));
    // `attempt=N; max=M`, without `format!` (every attempt builds it).
    let mut request = String::with_capacity(32);
    request.push_str("attempt=");
    push_u64(u64::from(parts.attempt), &mut request);
    request.push_str("; max=");
    push_u64(u64::from(parts.max_attempts), &mut request);
    signed.push(("amz-sdk-request".to_string(), request));
    for (name, values) in &parts.endpoint.headers {
        let name = name.to_ascii_lowercase();
        // An endpoint header replaces one of ours with the same name.
        signed.retain(|(n, _)| *n != name);
        signed.push((name, values.join(",")));
    }
    let mut unsigned: Vec<(String, String)> = Vec::new();
    signed.retain(|(name, value)| {
        if UNSIGNED_HEADERS.contains(&name.as_str()) {
            unsigned.push((name.clone(), value.clone()));
            false
        } else {
            true
        }
    });

    if let Some(credentials) = parts.credentials {
        // The endpoint's `authSchemes` may name another signing region or name.
        let (signing_region, signing_name) = parts.endpoint.sigv4_overrides();
        let region = signing_region.or(parts.config.region()).ok_or_else(|| {
            SdkError::Endpoint(EndpointError::new(
                EndpointErrorKind::MissingParameter,
                "no region configured: SigV4 signing needs one (set it on the config builder, \
                 or AWS_REGION)",
            ))
        })?;
        let mut signing = SigningRequest {
            method: parts.request.method,
            path: &parts.target.path,
            query: &parts.target.query,
            headers: &mut signed,
            body: parts.body,
        };
        crate::auth::sign(
            &mut signing,
            credentials,
            region,
            signing_name.unwrap_or(parts.spec.signing_name),
            SystemTime::now(),
        )
        .map_err(SdkError::Signing)?;
    }

    signed.push((
        "user-agent".to_string(),
        parts.config.user_agent().to_string(),
    ));
    signed.extend(unsigned.into_iter().filter(|(n, _)| n != "user-agent"));
    Ok(TransportRequest {
        method: parts.request.method.to_string(),
        url: parts.target.url.clone(),
        headers: signed,
        body: parts.body.to_vec(),
    })
}

/// Where a call goes: the endpoint URL joined with the request path.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Target {
    /// The full URL to send to.
    url: String,
    /// The `host` header: the authority without a default port.
    host: String,
    /// The path, as sent and signed.
    path: String,
    /// The query string without `?`, as sent and signed.
    query: String,
}

impl Target {
    fn new(endpoint_url: &str, request_path: &str) -> Result<Target, EndpointError> {
        let invalid = |why: &str| {
            EndpointError::new(
                EndpointErrorKind::InvalidParameter,
                format!("invalid endpoint URL {endpoint_url:?}: {why}"),
            )
        };
        let (scheme, rest) = endpoint_url
            .split_once("://")
            .ok_or_else(|| invalid("no scheme (expected https:// or http://)"))?;
        let (scheme, default_port) = if scheme.eq_ignore_ascii_case("https") {
            ("https", ":443")
        } else if scheme.eq_ignore_ascii_case("http") {
            ("http", ":80")
        } else {
            return Err(invalid("the scheme must be https or http"));
        };
        let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let authority = &rest[..authority_end];
        if authority.is_empty() {
            return Err(invalid("no host"));
        }
        if authority.contains('@') {
            return Err(invalid("user information is not supported"));
        }
        if authority
            .chars()
            .any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(invalid("the host contains whitespace"));
        }
        let rest = &rest[authority_end..];
        let rest = rest.split_once('#').map_or(rest, |(r, _)| r);
        let (base_path, query) = rest.split_once('?').unwrap_or((rest, ""));
        let host = authority
            .strip_suffix(default_port)
            .unwrap_or(authority)
            .to_string();
        let base = base_path.trim_end_matches('/');
        // Built by pushing, not `format!`: this runs on every call.
        let request_path = request_path.strip_prefix('/').unwrap_or(request_path);
        let mut path = String::with_capacity(base.len() + 1 + request_path.len());
        path.push_str(base);
        path.push('/');
        path.push_str(request_path);
        let mut url =
            String::with_capacity(scheme.len() + 3 + host.len() + path.len() + 1 + query.len());
        for part in [scheme, "://", &host, &path] {
            url.push_str(part);
        }
        if !query.is_empty() {
            url.push('?');
            url.push_str(query);
        }
        Ok(Target {
            url,
            host,
            path,
            query: query.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_joins_url_and_path() {
        let t = Target::new("https://elasticache.us-east-1.amazonaws.com", "/").unwrap();
        assert_eq!(t.url, "https://elasticache.us-east-1.amazonaws.com/");
        assert_eq!(t.host, "elasticache.us-east-1.amazonaws.com");
        assert_eq!(t.path, "/");
        assert_eq!(t.query, "");

        let t = Target::new("http://127.0.0.1:4566/prefix/?a=b", "/").unwrap();
        assert_eq!(t.url, "http://127.0.0.1:4566/prefix/?a=b");
        assert_eq!(t.host, "127.0.0.1:4566");
        assert_eq!(t.path, "/prefix/");
        assert_eq!(t.query, "a=b");

        let t = Target::new("HTTPS://example.com:443", "/").unwrap();
        assert_eq!(t.url, "https://example.com/");
        assert_eq!(t.host, "example.com");

        let t = Target::new("http://[::1]:8080", "/").unwrap();
        assert_eq!(t.host, "[::1]:8080");
    }

    #[test]
    fn target_rejects_bad_urls() {
        for bad in [
            "example.com",
            "ftp://example.com",
            "https://",
            "https:///path",
            "https://user@example.com",
            "https://exa mple.com",
        ] {
            let e = Target::new(bad, "/").unwrap_err();
            assert!(e.message().contains("invalid endpoint URL"), "{bad}: {e}");
        }
    }
}
