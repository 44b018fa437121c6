//! AWS Signature Version 4 for requests signed in the `Authorization` header.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

use super::credentials::SigningKey;
use super::Credentials;

const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// Headers that are never signed: `authorization` carries the signature itself, and the rest
/// may be added or rewritten by proxies and HTTP stacks after signing (the AWS SDKs leave
/// them out for the same reason).
const UNSIGNED_HEADERS: &[&str] = &[
    "authorization",
    "user-agent",
    "x-amzn-trace-id",
    "expect",
    "transfer-encoding",
    "connection",
];

/// A request to sign in place.
///
/// `path` and `query` are as they will be sent on the wire, without the `?`. The path is
/// normalised (`.`/`..` segments and repeated slashes removed) and each segment is URI-encoded
/// once more, as SigV4 requires for every service but S3. Query parameters are decoded and
/// re-encoded (RFC 3986), then sorted by name and value; a `+` is a literal plus.
///
/// `Debug` shows header names only (values may hold the session token) and the body length.
pub struct SigningRequest<'a> {
    /// HTTP method, e.g. `POST`.
    pub method: &'a str,
    /// Request path, e.g. `/`.
    pub path: &'a str,
    /// Query string without the leading `?` (empty when there is none).
    pub query: &'a str,
    /// Request headers; must already contain `host` (and `content-type` when there is a
    /// body). Signing removes any earlier `authorization`, `x-amz-date` and
    /// `x-amz-security-token` (so a retried request can be signed again) and appends new ones.
    pub headers: &'a mut Vec<(String, String)>,
    /// The exact request body; its SHA-256 is the payload hash.
    pub body: &'a [u8],
}

impl fmt::Debug for SigningRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("SigningRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("header_names", &names)
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// The intermediate values of a signature, returned by [`sign_detailed`].
///
/// When AWS answers `SignatureDoesNotMatch`, comparing these with the canonical request in
/// its error message shows what differs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningOutput {
    canonical_request: String,
    string_to_sign: String,
    signature: String,
}

impl SigningOutput {
    /// The canonical request (method, URI, query, headers, signed headers, payload hash).
    pub fn canonical_request(&self) -> &str {
        &self.canonical_request
    }

    /// The string to sign (algorithm, date, scope, hash of the canonical request).
    pub fn string_to_sign(&self) -> &str {
        &self.string_to_sign
    }

    /// The signature: lowercase hex HMAC-SHA256 of the string to sign.
    pub fn signature(&self) -> &str {
        &self.signature
    }
}

/// Why a request could not be signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningError {
    kind: SigningErrorKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum SigningErrorKind {
    TimeBeforeEpoch,
    TimeOutOfRange,
    MissingHost,
    InvalidScopePart { what: &'static str, value: String },
    InvalidAccessKeyId,
    InvalidSessionToken,
    InvalidHeaderName,
    InvalidExpiry,
}

impl SigningError {
    fn new(kind: SigningErrorKind) -> Self {
        Self { kind }
    }
}

impl fmt::Display for SigningError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            SigningErrorKind::TimeBeforeEpoch => {
                f.write_str("cannot sign request: the signing time is before 1970-01-01")
            }
            SigningErrorKind::TimeOutOfRange => {
                f.write_str("cannot sign request: the signing time is after the year 9999")
            }
            SigningErrorKind::MissingHost => {
                f.write_str("cannot sign request: it has no `host` header")
            }
            SigningErrorKind::InvalidScopePart { what, value } => write!(
                f,
                "cannot sign request: invalid {what} {value:?} (must be non-empty, without \
                 '/', whitespace or control characters)"
            ),
            SigningErrorKind::InvalidAccessKeyId => f.write_str(
                "cannot sign request: the access key id is empty or contains characters that \
                 are not allowed (whitespace, control characters, ',' or '/')",
            ),
            SigningErrorKind::InvalidSessionToken => {
                f.write_str("cannot sign request: the session token contains control characters")
            }
            SigningErrorKind::InvalidHeaderName => {
                f.write_str("cannot sign request: a header has an empty name")
            }
            SigningErrorKind::InvalidExpiry => {
                f.write_str("cannot presign request: the expiry must be from 1 second to 7 days")
            }
        }
    }
}

impl std::error::Error for SigningError {}

/// Signs `req` in place with SigV4.
///
/// Adds `x-amz-date`, `x-amz-security-token` (when `credentials` has a session token) and
/// `authorization`. Every header is signed, lowercased and sorted, except `user-agent`,
/// `x-amzn-trace-id`, `expect`, `transfer-encoding` and `connection`; for an awsQuery request
/// the signed headers are `content-type;host;x-amz-date[;x-amz-security-token]`. The payload
/// hash is the hex SHA-256 of `req.body`; no `x-amz-content-sha256` header is added.
///
/// # Errors
///
/// When `time` is before the epoch or after the year 9999, `req` has no `host` header,
/// `region` or `service` is empty or contains `/`, whitespace or control characters, or the
/// access key id or session token cannot be sent in a header. `req` is unchanged then.
pub fn sign(
    req: &mut SigningRequest<'_>,
    credentials: &Credentials,
    region: &str,
    service: &str,
    time: SystemTime,
) -> Result<(), SigningError> {
    sign_detailed(req, credentials, region, service, time).map(|_| ())
}

/// [`sign`], also returning the canonical request, string to sign and signature.
///
/// # Errors
///
/// As [`sign`].
pub fn sign_detailed(
    req: &mut SigningRequest<'_>,
    credentials: &Credentials,
    region: &str,
    service: &str,
    time: SystemTime,
) -> Result<SigningOutput, SigningError> {
    let date_time = format_amz_date(time)?;
    check_scope_part("region", region)?;
    check_scope_part("service", service)?;
    let access_key_id = credentials.access_key_id();
    check_access_key_id(access_key_id)?;
    let token = credentials.session_token().filter(|t| !t.is_empty());
    if token.is_some_and(|t| t.chars().any(char::is_control)) {
        return Err(SigningError::new(SigningErrorKind::InvalidSessionToken));
    }
    if req.headers.iter().any(|(name, _)| name.trim().is_empty()) {
        return Err(SigningError::new(SigningErrorKind::InvalidHeaderName));
    }
    if !req
        .headers
        .iter()
        .any(|(name, _)| name.trim().eq_ignore_ascii_case("host"))
    {
        return Err(SigningError::new(SigningErrorKind::MissingHost));
    }

    // From here on nothing fails: the request is changed only when it is signed.
    req.headers.retain(|(name, _)| {
        let name = name.trim();
        !(name.eq_ignore_ascii_case("authorization")
            || name.eq_ignore_ascii_case("x-amz-date")
            || name.eq_ignore_ascii_case("x-amz-security-token"))
    });
    req.headers
        .push(("x-amz-date".to_owned(), date_time.clone()));
    if let Some(token) = token {
        req.headers
            .push(("x-amz-security-token".to_owned(), token.to_owned()));
    }

    let date = &date_time[..8];
    let scope = scope(date, region, service);
    let (canonical_request, signed_headers) = canonical_request(req);
    let string_to_sign = string_to_sign(&date_time, &scope, &canonical_request);

    let signature = signature(credentials, date, region, service, &string_to_sign);

    let mut authorization = String::with_capacity(
        64 + access_key_id.len() + scope.len() + signed_headers.len() + signature.len(),
    );
    for part in [
        ALGORITHM,
        " Credential=",
        access_key_id,
        "/",
        &scope,
        ", SignedHeaders=",
        &signed_headers,
        ", Signature=",
        &signature,
    ] {
        authorization.push_str(part);
    }
    req.headers
        .push(("authorization".to_owned(), authorization));

    Ok(SigningOutput {
        canonical_request,
        string_to_sign,
        signature,
    })
}

/// The hex HMAC of `string_to_sign` under the key derived for the date, region and service;
/// the key, as an HMAC already keyed with it, is cached in the credentials (and their clones)
/// until the scope changes.
fn signature(
    credentials: &Credentials,
    date: &str,
    region: &str,
    service: &str,
    string_to_sign: &str,
) -> String {
    let date_bytes: [u8; 8] = date.as_bytes().try_into().unwrap_or([b'0'; 8]);
    let cached = {
        let slot = credentials
            .signing_key
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        slot.as_ref()
            .filter(|k| k.date == date_bytes && k.region == region && k.service == service)
            .map(|k| k.mac.clone())
    };
    let mut mac = match cached {
        Some(mac) => mac,
        None => {
            let mut secret = String::with_capacity(4 + credentials.secret_access_key().len());
            secret.push_str("AWS4");
            secret.push_str(credentials.secret_access_key());
            let k_date = hmac_sha256(secret.as_bytes(), date.as_bytes());
            let k_region = hmac_sha256(&k_date, region.as_bytes());
            let k_service = hmac_sha256(&k_region, service.as_bytes());
            let mac = keyed_hmac(&hmac_sha256(&k_service, b"aws4_request"));
            *credentials
                .signing_key
                .lock()
                .unwrap_or_else(|e| e.into_inner()) = Some(SigningKey {
                date: date_bytes,
                region: region.to_owned(),
                service: service.to_owned(),
                mac: mac.clone(),
            });
            mac
        }
    };
    mac.update(string_to_sign.as_bytes());
    let mut out = String::with_capacity(64);
    push_hex(&mac.finalize().into_bytes(), &mut out);
    out
}

/// A request to presign: SigV4 in the query string rather than in headers.
#[derive(Debug, Clone, Copy)]
pub struct PresignRequest<'a> {
    /// HTTP method, e.g. `GET`.
    pub method: &'a str,
    /// The `host` header's value (the only signed header).
    pub host: &'a str,
    /// Request path, e.g. `/`.
    pub path: &'a str,
    /// The request's own query parameters, already encoded, without `?` (may be empty).
    pub query: &'a str,
    /// How long the signature is valid (`X-Amz-Expires`, whole seconds, at most 7 days).
    pub expires: std::time::Duration,
}

/// Presigns a request: returns its query string with the `X-Amz-Algorithm`,
/// `X-Amz-Credential`, `X-Amz-Date`, `X-Amz-Expires`, `X-Amz-SignedHeaders`,
/// `X-Amz-Security-Token` (with session credentials) and `X-Amz-Signature` parameters
/// appended, in that order. Only `host` is signed, and the payload hash is that of an empty
/// body, as for the query-string authentication of AWS's services other than S3.
///
/// # Errors
///
/// As [`sign`]; also when `expires` is zero or longer than seven days, or `host` is empty.
pub fn presign(
    request: &PresignRequest<'_>,
    credentials: &Credentials,
    region: &str,
    service: &str,
    time: SystemTime,
) -> Result<String, SigningError> {
    let date_time = format_amz_date(time)?;
    check_scope_part("region", region)?;
    check_scope_part("service", service)?;
    check_access_key_id(credentials.access_key_id())?;
    let token = credentials.session_token().filter(|t| !t.is_empty());
    if token.is_some_and(|t| t.chars().any(char::is_control)) {
        return Err(SigningError::new(SigningErrorKind::InvalidSessionToken));
    }
    let expires = request.expires.as_secs();
    if expires == 0 || expires > 7 * 24 * 3600 {
        return Err(SigningError::new(SigningErrorKind::InvalidExpiry));
    }
    if request.host.trim().is_empty() {
        return Err(SigningError::new(SigningErrorKind::MissingHost));
    }
    let date = &date_time[..8];
    let scope = scope(date, region, service);
    let mut query = String::with_capacity(request.query.len() + 300);
    query.push_str(request.query.strip_prefix('?').unwrap_or(request.query));
    let mut param = |name: &str, value: &str| {
        if !query.is_empty() {
            query.push('&');
        }
        query.push_str(name);
        query.push('=');
        uri_encode(value.as_bytes(), &mut query);
    };
    param("X-Amz-Algorithm", ALGORITHM);
    param(
        "X-Amz-Credential",
        &format!("{}/{scope}", credentials.access_key_id()),
    );
    param("X-Amz-Date", &date_time);
    param("X-Amz-Expires", &expires.to_string());
    param("X-Amz-SignedHeaders", "host");
    if let Some(token) = token {
        param("X-Amz-Security-Token", token);
    }
    let mut headers = vec![("host".to_owned(), request.host.to_owned())];
    let signing = SigningRequest {
        method: request.method,
        path: request.path,
        query: &query,
        headers: &mut headers,
        body: b"",
    };
    let (canonical_request, _) = canonical_request(&signing);
    let string_to_sign = string_to_sign(&date_time, &scope, &canonical_request);
    let signature = signature(credentials, date, region, service, &string_to_sign);
    query.push_str("&X-Amz-Signature=");
    query.push_str(&signature);
    Ok(query)
}

/// `date/region/service/aws4_request`.
fn scope(date: &str, region: &str, service: &str) -> String {
    let mut scope = String::with_capacity(date.len() + region.len() + service.len() + 16);
    for part in [date, "/", region, "/", service, "/aws4_request"] {
        scope.push_str(part);
    }
    scope
}

/// The algorithm, the time, the scope and the hex SHA-256 of the canonical request.
fn string_to_sign(date_time: &str, scope: &str, canonical_request: &str) -> String {
    let mut out = String::with_capacity(ALGORITHM.len() + date_time.len() + scope.len() + 67);
    for part in [ALGORITHM, "\n", date_time, "\n", scope, "\n"] {
        out.push_str(part);
    }
    push_hex(&Sha256::digest(canonical_request.as_bytes()), &mut out);
    out
}

fn check_access_key_id(access_key_id: &str) -> Result<(), SigningError> {
    if access_key_id.is_empty()
        || access_key_id
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == ',' || c == '/')
    {
        return Err(SigningError::new(SigningErrorKind::InvalidAccessKeyId));
    }
    Ok(())
}

/// Rejects what would break the credential scope or the `Authorization` header.
fn check_scope_part(what: &'static str, value: &str) -> Result<(), SigningError> {
    if value.is_empty()
        || value
            .chars()
            .any(|c| c == '/' || c.is_whitespace() || c.is_control())
    {
        return Err(SigningError::new(SigningErrorKind::InvalidScopePart {
            what,
            value: value.to_owned(),
        }));
    }
    Ok(())
}

/// `YYYYMMDDTHHMMSSZ` in UTC.
fn format_amz_date(time: SystemTime) -> Result<String, SigningError> {
    let secs = time
        .duration_since(UNIX_EPOCH)
        .map_err(|_| SigningError::new(SigningErrorKind::TimeBeforeEpoch))?
        .as_secs();
    let secs =
        i64::try_from(secs).map_err(|_| SigningError::new(SigningErrorKind::TimeOutOfRange))?;
    let (year, month, day) = date_of_day(secs / 86_400);
    let of_day = secs % 86_400;
    if year > 9999 {
        return Err(SigningError::new(SigningErrorKind::TimeOutOfRange));
    }
    // YYYYMMDDTHHMMSSZ, by hand: this runs for every request.
    let mut out = String::with_capacity(16);
    let two = |n: i64, out: &mut String| {
        out.push(char::from(b'0' + (n / 10 % 10) as u8));
        out.push(char::from(b'0' + (n % 10) as u8));
    };
    two(year / 100, &mut out);
    two(year % 100, &mut out);
    two(month, &mut out);
    two(day, &mut out);
    out.push('T');
    two(of_day / 3600, &mut out);
    two(of_day % 3600 / 60, &mut out);
    two(of_day % 60, &mut out);
    out.push('Z');
    Ok(out)
}

/// `(year, month, day)` of a day count since 1970-01-01 (non-negative), proleptic Gregorian.
fn date_of_day(days: i64) -> (i64, i64, i64) {
    // Count from 0000-03-01 so that the leap day ends each year; 146 097 days make the
    // 400-year cycle, 36 524 a century, 1 461 four years.
    let days = days + 719_468;
    let cycle = days / 146_097;
    let day_of_cycle = days % 146_097;
    let year_of_cycle = (day_of_cycle - day_of_cycle / 1_460 + day_of_cycle / 36_524
        - day_of_cycle / 146_096)
        / 365;
    let day_of_year =
        day_of_cycle - (365 * year_of_cycle + year_of_cycle / 4 - year_of_cycle / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = cycle * 400 + year_of_cycle + i64::from(month <= 2);
    (year, month, day)
}

/// The canonical request and the `;`-joined signed header names.
fn canonical_request(req: &SigningRequest<'_>) -> (String, String) {
    let mut out = String::with_capacity(256 + req.path.len() + req.query.len());
    out.push_str(req.method);
    out.push('\n');
    canonical_uri(req.path, &mut out);
    out.push('\n');
    canonical_query(req.query, &mut out);
    out.push('\n');

    // Names are borrowed when already lowercase (the client's always are).
    let mut headers: Vec<(std::borrow::Cow<'_, str>, &str)> = req
        .headers
        .iter()
        .map(|(name, value)| {
            let name = name.trim();
            let name = if name.bytes().any(|b| b.is_ascii_uppercase()) {
                std::borrow::Cow::Owned(name.to_ascii_lowercase())
            } else {
                std::borrow::Cow::Borrowed(name)
            };
            (name, value.as_str())
        })
        .filter(|(name, _)| !UNSIGNED_HEADERS.contains(&name.as_ref()))
        .collect();
    // Stable: values of a repeated header keep their order.
    headers.sort_by(|a, b| a.0.cmp(&b.0));

    let mut signed = String::with_capacity(64);
    let mut previous: Option<&str> = None;
    for (name, value) in &headers {
        if previous == Some(name.as_ref()) {
            out.push(',');
        } else {
            if previous.is_some() {
                out.push('\n');
                signed.push(';');
            }
            out.push_str(name);
            out.push(':');
            signed.push_str(name);
        }
        push_header_value(value, &mut out);
        previous = Some(name);
    }
    if previous.is_some() {
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&signed);
    out.push('\n');
    out.push_str(&hex(&Sha256::digest(req.body)));
    (out, signed)
}

/// Trims the value and collapses each inner run of whitespace into one space.
fn push_header_value(value: &str, out: &mut String) {
    let mut words = value.split_ascii_whitespace();
    if let Some(first) = words.next() {
        out.push_str(first);
        for word in words {
            out.push(' ');
            out.push_str(word);
        }
    }
}

/// Normalises the path (RFC 3986 dot segments, empty segments) and URI-encodes each segment.
fn canonical_uri(path: &str, out: &mut String) {
    let mut segments: Vec<&str> = Vec::new();
    let mut trailing_slash = false;
    for segment in path.split('/') {
        trailing_slash = false;
        match segment {
            "" => trailing_slash = true,
            "." => trailing_slash = true,
            ".." => {
                segments.pop();
                trailing_slash = true;
            }
            segment => segments.push(segment),
        }
    }
    out.push('/');
    for (i, segment) in segments.iter().enumerate() {
        if i > 0 {
            out.push('/');
        }
        uri_encode(segment.as_bytes(), out);
    }
    if trailing_slash && !segments.is_empty() {
        out.push('/');
    }
}

/// Decodes and re-encodes each parameter, sorts by name then value, joins with `&`.
fn canonical_query(query: &str, out: &mut String) {
    let query = query.strip_prefix('?').unwrap_or(query);
    let mut params: Vec<(String, String)> = query
        .split('&')
        .filter(|param| !param.is_empty())
        .map(|param| {
            let (name, value) = param.split_once('=').unwrap_or((param, ""));
            let mut encoded_name = String::with_capacity(name.len());
            uri_encode(&percent_decode(name), &mut encoded_name);
            let mut encoded_value = String::with_capacity(value.len());
            uri_encode(&percent_decode(value), &mut encoded_value);
            (encoded_name, encoded_value)
        })
        .collect();
    params.sort();
    for (i, (name, value)) in params.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(name);
        out.push('=');
        out.push_str(value);
    }
}

/// RFC 3986 encoding: everything but `A-Z a-z 0-9 - _ . ~` becomes `%XX` (uppercase hex).
fn uri_encode(bytes: &[u8], out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in bytes {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0x0f)]));
        }
    }
}

/// Decodes `%XX` escapes; a `%` not followed by two hex digits stays as it is.
fn percent_decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            if let (Some(hi), Some(lo)) = (
                bytes.get(i + 1).and_then(|&b| hex_value(b)),
                bytes.get(i + 2).and_then(|&b| hex_value(b)),
            ) {
                out.push(hi << 4 | lo);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut mac = keyed_hmac(key);
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// HMAC-SHA256 keyed with `key`, before any data.
fn keyed_hmac(key: &[u8]) -> Hmac<Sha256> {
    // HMAC accepts keys of any length, so `new_from_slice` cannot fail; the fallback
    // (hashing the key first, as HMAC itself does for long keys) only avoids a panic path.
    match <Hmac<Sha256> as KeyInit>::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => {
            let mut block = [0u8; 64];
            block[..32].copy_from_slice(&Sha256::digest(key));
            <Hmac<Sha256> as KeyInit>::new(&block.into())
        }
    }
}

/// Lowercase hex.
fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    push_hex(bytes, &mut out);
    out
}

/// Lowercase hex by table lookup (no `fmt` machinery: this runs twice per signature).
pub(crate) fn push_hex(bytes: &[u8], out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.reserve(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 15)]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn uri(path: &str) -> String {
        let mut out = String::new();
        canonical_uri(path, &mut out);
        out
    }

    fn query(q: &str) -> String {
        let mut out = String::new();
        canonical_query(q, &mut out);
        out
    }

    #[test]
    fn paths_are_normalised_and_encoded() {
        assert_eq!(uri(""), "/");
        assert_eq!(uri("/"), "/");
        assert_eq!(uri("//"), "/");
        assert_eq!(uri("/./"), "/");
        assert_eq!(uri("/example/.."), "/");
        assert_eq!(uri("/a/b/.."), "/a/");
        assert_eq!(uri("/../../a"), "/a");
        assert_eq!(uri("//example//"), "/example/");
        assert_eq!(uri("/example space/"), "/example%20space/");
        assert_eq!(uri("/a%2Fb"), "/a%252Fb");
        assert_eq!(uri("relative"), "/relative");
    }

    #[test]
    fn queries_are_sorted_and_reencoded() {
        assert_eq!(query(""), "");
        assert_eq!(query("?"), "");
        assert_eq!(query("b=2&a=1&a=0"), "a=0&a=1&b=2");
        assert_eq!(query("flag&x="), "flag=&x=");
        assert_eq!(query("c+d=%20"), "c%2Bd=%20");
        assert_eq!(query("bad=%zz%4"), "bad=%25zz%254");
        assert_eq!(query("&&a=1&&"), "a=1");
        assert_eq!(query("k=a=b"), "k=a%3Db");
    }

    #[test]
    fn header_values_are_trimmed_and_collapsed() {
        let mut out = String::new();
        push_header_value("  a \t  b\r\n c  ", &mut out);
        assert_eq!(out, "a b c");
        out.clear();
        push_header_value("   ", &mut out);
        assert_eq!(out, "");
    }

    #[test]
    fn amz_dates() {
        assert_eq!(
            format_amz_date(UNIX_EPOCH).as_deref(),
            Ok("19700101T000000Z")
        );
        let t = UNIX_EPOCH + Duration::from_secs(1_440_938_160);
        assert_eq!(format_amz_date(t).as_deref(), Ok("20150830T123600Z"));
        // Leap day and the last second of a day.
        let t = UNIX_EPOCH + Duration::from_secs(951_868_799);
        assert_eq!(format_amz_date(t).as_deref(), Ok("20000229T235959Z"));
        let before = UNIX_EPOCH.checked_sub(Duration::from_secs(1));
        if let Some(before) = before {
            assert!(format_amz_date(before).is_err());
        }
        let far = UNIX_EPOCH.checked_add(Duration::from_secs(400_000_000_000));
        if let Some(far) = far {
            assert!(format_amz_date(far).is_err());
        }
    }

    /// The calendar arithmetic agrees with the crate's RFC 3339 formatter over 1970–9999.
    #[test]
    fn amz_dates_agree_with_rfc3339() {
        let mut secs: u64 = 0;
        while secs < 253_402_300_799 {
            let t = UNIX_EPOCH + Duration::from_secs(secs);
            let rfc3339 = crate::DateTime::from(t)
                .fmt(crate::TimestampFormat::DateTime)
                .unwrap();
            let expected: String = rfc3339
                .chars()
                .filter(|c| !matches!(c, '-' | ':'))
                .collect();
            assert_eq!(format_amz_date(t).unwrap(), expected);
            secs += 86_399 * 37 + 13;
        }
        let last = UNIX_EPOCH + Duration::from_secs(253_402_300_799);
        assert_eq!(format_amz_date(last).as_deref(), Ok("99991231T235959Z"));
        assert!(format_amz_date(last + Duration::from_secs(1)).is_err());
    }

    #[test]
    fn hmac_matches_rfc_4231_case_2() {
        let mac = hmac_sha256(b"Jefe", b"what do ya want for nothing?");
        assert_eq!(
            hex(&mac),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
