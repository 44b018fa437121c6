//! The awsQuery protocol around generated code: HTTP request and response parts, the
//! `<ErrorResponse>` envelope, and the error types every operation shares.

use std::error::Error;
use std::fmt;

use crate::xml::{XmlError, XmlReader};
use crate::BuildError;

/// The parts of an HTTP request an operation's serializer produces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// `POST` for awsQuery.
    pub method: &'static str,
    /// `/` for awsQuery.
    pub path: &'static str,
    /// Headers the protocol needs (content type); signing and transport add theirs.
    pub headers: Vec<(&'static str, String)>,
    /// The form-encoded body.
    pub body: String,
}

impl HttpRequest {
    /// An awsQuery request: a form POST to `/`.
    pub fn form_post(body: String) -> Self {
        HttpRequest {
            method: "POST",
            path: "/",
            headers: vec![(
                "content-type",
                "application/x-www-form-urlencoded; charset=utf-8".to_string(),
            )],
            body,
        }
    }
}

/// The type of [`HttpResponse::body`], re-exported so that a transport can name it.
pub use bytes::Bytes;

/// The parts of an HTTP response an operation's parser reads.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HttpResponse {
    /// Status code.
    pub status: u16,
    /// Headers as received.
    pub headers: Vec<(String, String)>,
    /// Body bytes, shared: a transport hands over the buffer it read into, and a clone
    /// (a canned response in a test) does not copy them. A `Vec<u8>` converts without a copy.
    ///
    /// From the built-in transport, the body is a slice of the connection's read buffer
    /// (8 KiB or more), which stays allocated as long as the body does: to keep a small body
    /// long after the call, copy it (`body.to_vec()`).
    pub body: Bytes,
}

impl HttpResponse {
    /// A response from its parts.
    pub fn new(status: u16, headers: Vec<(String, String)>, body: impl Into<Vec<u8>>) -> Self {
        HttpResponse {
            status,
            headers,
            body: Bytes::from(body.into()),
        }
    }

    /// The start of the body as text, for error messages: at most 200 characters, with `…`
    /// when cut.
    pub(crate) fn body_excerpt(&self) -> String {
        let text = String::from_utf8_lossy(&self.body);
        let mut excerpt: String = text.chars().take(EXCERPT_CHARS).collect();
        if text.chars().count() > EXCERPT_CHARS {
            excerpt.push('…');
        }
        excerpt
    }

    /// The first value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The `x-amzn-RequestId` header, if present.
    pub fn request_id_header(&self) -> Option<&str> {
        self.header("x-amzn-requestid")
    }

    /// True for 2xx statuses.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// What every service error carries besides its modeled members.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ErrorMeta {
    /// The `<Code>`.
    pub code: Option<String>,
    /// The `<Message>`.
    pub message: Option<String>,
    /// The request id (header first, else body).
    pub request_id: Option<String>,
    /// The HTTP status.
    pub status: u16,
    /// Requests sent in the call this error ended, retries included (0 when unknown).
    pub attempts: u32,
}

/// The operation an error type belongs to: generated error enums implement it, so every
/// error of a call can name its operation.
pub trait OperationName {
    /// The operation's name, e.g. `TestMigration`.
    const OPERATION: &'static str;
}

impl fmt::Display for ErrorMeta {
    /// `Code: message (request id: …, HTTP 404)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code.as_deref().unwrap_or("UnknownError"))?;
        if let Some(m) = &self.message {
            write!(f, ": {m}")?;
        }
        write!(
            f,
            " (request id: {}, HTTP {})",
            self.request_id.as_deref().unwrap_or("none"),
            self.status
        )
    }
}

/// Read access to the request id of an output or an error.
pub trait RequestId {
    /// The id AWS gave the request, for support cases and logs.
    fn request_id(&self) -> Option<&str>;
}

/// Access to the metadata of a service error.
pub trait ProvideErrorMeta {
    /// Code, message, request id and status of the error.
    fn meta(&self) -> &ErrorMeta;

    /// The same, to record the call it ended.
    fn meta_mut(&mut self) -> &mut ErrorMeta;
}

/// A service error whose code this crate does not model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnhandledError {
    meta: ErrorMeta,
}

impl UnhandledError {
    /// Wraps the error's metadata.
    pub fn new(meta: ErrorMeta) -> Self {
        UnhandledError { meta }
    }

    /// The error code, if the body had one.
    pub fn code(&self) -> Option<&str> {
        self.meta.code.as_deref()
    }

    /// The error message, if the body had one.
    pub fn message(&self) -> Option<&str> {
        self.meta.message.as_deref()
    }
}

impl ProvideErrorMeta for UnhandledError {
    fn meta(&self) -> &ErrorMeta {
        &self.meta
    }

    fn meta_mut(&mut self) -> &mut ErrorMeta {
        &mut self.meta
    }
}

impl RequestId for UnhandledError {
    fn request_id(&self) -> Option<&str> {
        self.meta.request_id.as_deref()
    }
}

impl fmt::Display for UnhandledError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.meta.fmt(f)
    }
}

impl Error for UnhandledError {}

/// A response that is not what the protocol promises: not XML, the wrong envelope, a
/// truncated body, an HTML page from a proxy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseError {
    status: u16,
    reason: String,
    excerpt: String,
    request_id: Option<String>,
    /// The body is not the protocol's XML at all (an HTML page, JSON, plain text), as opposed
    /// to protocol XML that is malformed or incomplete.
    foreign: Option<String>,
    attempts: u32,
}

/// How much of a bad body an error quotes.
const EXCERPT_CHARS: usize = 200;

impl ResponseError {
    /// Describes an unreadable response: its status, why, and the start of its body.
    pub fn new(response: &HttpResponse, reason: impl Into<String>) -> Self {
        ResponseError {
            status: response.status,
            reason: reason.into(),
            excerpt: response.body_excerpt(),
            request_id: response.request_id_header().map(str::to_string),
            foreign: None,
            attempts: 0,
        }
    }

    /// Describes a body that is not the protocol's XML at all: its content type (when the
    /// response says) is kept for the message.
    pub fn foreign(response: &HttpResponse) -> Self {
        let mut e = ResponseError::new(response, "the body is not an XML response of this service");
        e.foreign = Some(
            response
                .header("content-type")
                .map(|t| t.split(';').next().unwrap_or(t).trim().to_string())
                .filter(|t| !t.is_empty())
                .unwrap_or_else(|| "no content type".to_string()),
        );
        e
    }

    /// Whether the body was something other than the protocol's XML (an HTML page from a
    /// proxy, say), rather than protocol XML that is malformed.
    pub fn is_foreign_body(&self) -> bool {
        self.foreign.is_some()
    }

    /// Requests sent in the call, retries included (0 when unknown).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    pub(crate) fn set_attempts(&mut self, attempts: u32) {
        self.attempts = attempts;
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// Why the body could not be read.
    pub fn reason(&self) -> &str {
        &self.reason
    }

    /// The start of the body, as text.
    pub fn excerpt(&self) -> &str {
        &self.excerpt
    }
}

impl RequestId for ResponseError {
    fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}

impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.foreign {
            Some(content_type) => write!(
                f,
                "HTTP {} from the service with a body that is not its XML ({content_type})",
                self.status
            )?,
            None => write!(
                f,
                "HTTP {} with a malformed response: {}",
                self.status, self.reason
            )?,
        }
        if let Some(id) = &self.request_id {
            write!(f, " (request id: {id})")?;
        }
        if self.excerpt.is_empty() {
            f.write_str("; the body is empty")
        } else {
            write!(f, "; body starts: {:?}", self.excerpt)
        }
    }
}

impl Error for ResponseError {}

/// Everything an operation call can fail with; `E` is the operation's modeled error enum.
#[derive(Debug)]
#[non_exhaustive]
pub enum SdkError<E> {
    /// The request could not be built: a missing required member or a value the model forbids.
    /// Nothing was sent.
    Build(BuildError),
    /// The service answered with an error (modeled or not).
    Service(E),
    /// The response could not be read.
    Response(ResponseError),
    /// The request could not be sent or no complete response came back: connection refused
    /// or reset, a connection dropped mid-response, a connect timeout. Retried.
    Transport(crate::client::TransportError),
    /// The attempt timeout (after the retries it allows) or the operation timeout expired;
    /// says which, and the duration.
    Timeout(crate::client::TimeoutError),
    /// No credentials could be had. Nothing was sent.
    Credentials(crate::auth::CredentialsError),
    /// No endpoint could be resolved (or the endpoint URL is invalid, or no region is
    /// configured). Nothing was sent.
    Endpoint(crate::endpoint::EndpointError),
    /// The request could not be signed (an invalid region or access key id). Nothing was
    /// sent.
    Signing(crate::auth::SigningError),
}

impl<E> SdkError<E> {
    /// The service error, if that is what this is.
    pub fn as_service_error(&self) -> Option<&E> {
        match self {
            SdkError::Service(e) => Some(e),
            _ => None,
        }
    }

    /// Consumes the error, returning the service error if that is what this is.
    pub fn into_service_error(self) -> Option<E> {
        match self {
            SdkError::Service(e) => Some(e),
            _ => None,
        }
    }
}

impl<E: ProvideErrorMeta> SdkError<E> {
    /// How many requests the call sent, retries included: 0 when it failed before sending
    /// (or for an error made outside a call).
    pub fn attempts(&self) -> u32 {
        match self {
            SdkError::Service(e) => e.meta().attempts,
            SdkError::Response(e) => e.attempts(),
            SdkError::Transport(e) => e.attempts(),
            SdkError::Timeout(e) => e.attempts(),
            _ => 0,
        }
    }

    /// Records how many requests the call sent.
    pub(crate) fn with_attempts(mut self, attempts: u32) -> Self {
        match &mut self {
            SdkError::Service(e) => e.meta_mut().attempts = attempts,
            SdkError::Response(e) => e.set_attempts(attempts),
            SdkError::Transport(e) => e.set_attempts(attempts),
            SdkError::Timeout(e) => e.set_attempts(attempts),
            _ => {}
        }
        self
    }
}

/// `TestMigration failed after 3 attempts: …`: the operation, the attempts when there were
/// retries, then what went wrong in words of the kind of failure.
impl<E: fmt::Display + ProvideErrorMeta + OperationName> fmt::Display for SdkError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed", E::OPERATION)?;
        let attempts = self.attempts();
        if attempts > 1 {
            write!(f, " after {attempts} attempts")?;
        }
        match self {
            SdkError::Build(e) => write!(f, " before sending, the request is invalid: {e}"),
            SdkError::Service(e) => write!(f, ", the service answered with an error: {e}"),
            SdkError::Response(e) => write!(f, ": {e}"),
            SdkError::Transport(e) => write!(f, ", the request did not get an answer: {e}"),
            SdkError::Timeout(e) => write!(f, ": {e}"),
            SdkError::Credentials(e) => write!(f, " before sending, no credentials: {e}"),
            SdkError::Endpoint(e) => write!(f, " before sending, no endpoint: {e}"),
            SdkError::Signing(e) => write!(f, " before sending, the request cannot be signed: {e}"),
        }
    }
}

impl<E: Error + ProvideErrorMeta + OperationName + 'static> Error for SdkError<E> {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            SdkError::Build(e) => Some(e),
            SdkError::Service(e) => Some(e),
            SdkError::Response(e) => Some(e),
            SdkError::Transport(e) => Some(e),
            SdkError::Timeout(e) => Some(e),
            SdkError::Credentials(e) => Some(e),
            SdkError::Endpoint(e) => Some(e),
            SdkError::Signing(e) => Some(e),
        }
    }
}

impl<E> From<BuildError> for SdkError<E> {
    fn from(e: BuildError) -> Self {
        SdkError::Build(e)
    }
}

/// Reads an error envelope: awsQuery's `<ErrorResponse><Error>…</Error><RequestId/>
/// </ErrorResponse>`, or ec2Query's `<Response><Errors><Error>…</Error></Errors><RequestID/>
/// </Response>` (which some awsQuery services send too). Of several `<Error>`s, the first wins.
///
/// The request id of the `x-amzn-RequestId` header wins over the body's.
pub fn parse_error_meta(response: &HttpResponse) -> Result<ErrorMeta, ResponseError> {
    let mut meta = ErrorMeta {
        status: response.status,
        ..ErrorMeta::default()
    };
    let mut r = XmlReader::new(&response.body);
    // Not XML, or XML of something else (a proxy's HTML page): not this service's answer.
    match r.root_name() {
        Some(b"ErrorResponse" | b"Response") => {}
        _ => return Err(ResponseError::foreign(response)),
    }
    let depth = 1;
    // The header's request id wins; the body's is read only when there is none.
    let header_id = response.request_id_header();
    let result = (|| -> Result<(), XmlError> {
        let mut seen_error = false;
        while let Some(name) = r.child(depth) {
            match name {
                b"Error" if !seen_error => {
                    seen_error = true;
                    read_code_and_message(&mut r, depth + 1, &mut meta)?
                }
                b"Errors" => {
                    while let Some(error) = r.child(depth + 1) {
                        if error == b"Error" && !seen_error {
                            seen_error = true;
                            read_code_and_message(&mut r, depth + 2, &mut meta)?;
                        }
                    }
                }
                b"RequestId" | b"RequestID" if header_id.is_none() => {
                    meta.request_id = Some(r.read_text()?.trim().to_string())
                }
                _ => {}
            }
        }
        r.failure()
    })();
    result.map_err(|e| {
        ResponseError::new(response, format!("the error response is malformed: {e}"))
    })?;
    if meta.code.is_none() {
        return Err(ResponseError::new(
            response,
            "the error response has no <Code>",
        ));
    }
    if let Some(id) = header_id {
        meta.request_id = Some(id.to_string());
    }
    Ok(meta)
}

/// Reads `<Code>` and `<Message>` from the `<Error>` element at `depth`.
fn read_code_and_message(
    r: &mut XmlReader<'_>,
    depth: usize,
    meta: &mut ErrorMeta,
) -> Result<(), XmlError> {
    while let Some(name) = r.child(depth) {
        match name {
            b"Code" => meta.code = Some(r.read_text()?.trim().to_string()),
            b"Message" => meta.message = Some(r.read_string()?),
            _ => {}
        }
    }
    Ok(())
}

/// Parses the members of a modeled error from the `<Error>` element of the envelope: `parse`
/// is given the reader on that element and its depth.
pub fn parse_error_members<T>(
    response: &HttpResponse,
    parse: impl Fn(&mut XmlReader<'_>, usize) -> Result<T, XmlError>,
) -> Result<T, ResponseError> {
    // Parsers leave a malformed document's error in the reader.
    let parsed = |r: &mut XmlReader<'_>, depth: usize| {
        let value = parse(r, depth)?;
        r.failure()?;
        Ok(value)
    };
    let result = (|| -> Result<T, XmlError> {
        let mut r = XmlReader::new(&response.body);
        let depth = r.root()?.depth();
        while let Some(name) = r.child(depth) {
            match name {
                b"Error" => return parsed(&mut r, depth + 1),
                b"Errors" => {
                    while let Some(error) = r.child(depth + 1) {
                        if error == b"Error" {
                            return parsed(&mut r, depth + 2);
                        }
                    }
                }
                _ => {}
            }
        }
        r.failure()?;
        Err(XmlError::custom(
            "the error response has no <Error> element",
        ))
    })();
    result
        .map_err(|e| ResponseError::new(response, format!("cannot read the error's members: {e}")))
}

/// Reads a success envelope `<{op}Response><{op}Result>…</{op}Result><ResponseMetadata>`;
/// `parse` reads the result element, given the reader on it and its depth; `empty` makes the output when the body has none (an
/// operation without output members may answer that way), or `None` when that is an error.
pub fn parse_success<T>(
    response: &HttpResponse,
    operation: &str,
    parse: impl Fn(&mut XmlReader<'_>, usize) -> Result<T, XmlError>,
    empty: fn() -> Option<T>,
) -> Result<(T, Option<String>), ResponseError> {
    let mut output = None;
    let request_id = parse_success_into(
        response,
        operation,
        |r, depth| {
            output = Some(parse(r, depth)?);
            Ok(())
        },
        true,
    )?;
    match output.or_else(empty) {
        Some(output) => Ok((output, request_id)),
        None => Err(no_result(response, operation)),
    }
}

/// [`parse_success`] for an output that `parse` fills in place (generated parsers do so:
/// moving a large output from frame to frame cost more than reading it). Returns the request
/// id; a body without `<{op}Result>` is an error unless `empty_ok` (an operation without
/// output members may answer with an empty body or an empty envelope).
pub fn parse_success_into(
    response: &HttpResponse,
    operation: &str,
    mut parse: impl FnMut(&mut XmlReader<'_>, usize) -> Result<(), XmlError>,
    empty_ok: bool,
) -> Result<Option<String>, ResponseError> {
    // The header's request id wins; the body's is read only when there is none.
    let header_id = response.request_id_header();
    let result = (|| -> Result<(bool, Option<String>), XmlError> {
        let mut r = XmlReader::new(&response.body);
        read_response_root(&mut r, operation)?;
        let depth = 1;
        let mut found = false;
        let mut request_id = None;
        while let Some(n) = r.child(depth) {
            if n.len() == operation.len() + "Result".len()
                && n.starts_with(operation.as_bytes())
                && n.ends_with(b"Result")
            {
                // A repeated result element (never sent by AWS) adds to the first.
                parse(&mut r, depth + 1)?;
                found = true;
            } else if n == b"ResponseMetadata" && header_id.is_none() {
                while let Some(m) = r.child(depth + 1) {
                    if m == b"RequestId" {
                        request_id = Some(r.read_text()?.trim().to_string());
                    }
                }
            }
        }
        // Parsers leave a malformed document's error in the reader; `child` has returned
        // `None` since.
        r.failure()?;
        Ok((found, request_id))
    })();
    let (found, body_id) = match result {
        Ok(v) => v,
        // An operation without output members may answer with an empty body.
        Err(_) if response.body.iter().all(u8::is_ascii_whitespace) => (false, None),
        Err(e) => return Err(success_body_error(response, operation, e)),
    };
    if !found && !empty_ok {
        return Err(no_result(response, operation));
    }
    Ok(header_id.map(str::to_string).or(body_id))
}

#[cold]
fn no_result(response: &HttpResponse, operation: &str) -> ResponseError {
    ResponseError::new(response, format!("the response has no <{operation}Result>"))
}

/// Reads an ec2Query success response: `<{op}Response>` holds the output's members directly
/// (no `Result` wrapper) beside a `<requestId>`, which `parse` keeps in the output (given the
/// reader on the root element and its depth). Returns the output and the `x-amzn-RequestId`
/// header's id, if any.
pub fn parse_ec2_success<T>(
    response: &HttpResponse,
    operation: &str,
    parse: impl Fn(&mut XmlReader<'_>, usize) -> Result<T, XmlError>,
    empty: fn() -> Option<T>,
) -> Result<(T, Option<String>), ResponseError> {
    let header_id = response.request_id_header().map(str::to_string);
    if response.body.iter().all(u8::is_ascii_whitespace) {
        return match empty() {
            Some(output) => Ok((output, header_id)),
            None => Err(ResponseError::new(
                response,
                format!("the {operation} response is empty"),
            )),
        };
    }
    let result = (|| -> Result<T, XmlError> {
        let mut r = XmlReader::new(&response.body);
        read_response_root(&mut r, operation)?;
        let output = parse(&mut r, 1)?;
        // Parsers leave a malformed document's error in the reader.
        r.failure()?;
        Ok(output)
    })();
    match result {
        Ok(output) => Ok((output, header_id)),
        Err(e) => Err(success_body_error(response, operation, e)),
    }
}

/// Why a 2xx body could not be read: not the service's XML at all (no XML root, or a root
/// that is no `…Response`, like a proxy's HTML page), or the service's XML, malformed.
fn success_body_error(response: &HttpResponse, operation: &str, e: XmlError) -> ResponseError {
    let foreign = XmlReader::new(&response.body)
        .root()
        .map_or(true, |root| !root.local_name().ends_with(b"Response"));
    if foreign {
        ResponseError::foreign(response)
    } else {
        ResponseError::new(response, format!("not a valid {operation} response: {e}"))
    }
}

/// Reads the root of a success body, which must be `<{operation}Response>` (at depth 1).
fn read_response_root(r: &mut XmlReader<'_>, operation: &str) -> Result<(), XmlError> {
    let name = r.root_name();
    // `None` comes with an error kept in the reader, which `failure` returns.
    r.failure()?;
    let name = name.unwrap_or_default();
    if name.len() != operation.len() + "Response".len()
        || !name.starts_with(operation.as_bytes())
        || !name.ends_with(b"Response")
    {
        return Err(XmlError::custom(format!(
            "expected <{operation}Response>, found <{}>",
            r.current_name()
        )));
    }
    Ok(())
}

/// A fresh idempotency token: a random UUID version 4.
pub fn idempotency_token() -> String {
    let mut bits = [0u8; 16];
    for chunk in bits.chunks_mut(8) {
        chunk.copy_from_slice(&crate::random::u64().to_le_bytes());
    }
    bits[6] = (bits[6] & 0x0f) | 0x40; // version 4
    bits[8] = (bits[8] & 0x3f) | 0x80; // RFC 4122 variant
                                       // 8-4-4-4-12 lowercase hex (this runs for every call's invocation id).
    let mut out = String::with_capacity(36);
    for (i, group) in [0..4, 4..6, 6..8, 8..10, 10..16].into_iter().enumerate() {
        if i > 0 {
            out.push('-');
        }
        crate::auth::push_hex(&bits[group], &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn idempotency_tokens_are_uuid_v4() {
        let a = super::idempotency_token();
        let b = super::idempotency_token();
        assert_ne!(a, b);
        for token in [a, b] {
            let parts: Vec<&str> = token.split('-').collect();
            let lens: Vec<usize> = parts.iter().map(|p| p.len()).collect();
            assert_eq!(lens, [8, 4, 4, 4, 12], "{token}");
            assert!(token
                .bytes()
                .all(|c| c == b'-' || c.is_ascii_digit() || (b'a'..=b'f').contains(&c)));
            assert_eq!(&parts[2][..1], "4", "{token}");
            assert!(matches!(&parts[3][..1], "8" | "9" | "a" | "b"), "{token}");
        }
    }
}
