//! SigV4 for an awsQuery request (ElastiCache `TestMigration`), checked against values from
//! independent implementations, and the signer's handling of headers and bad input.
//!
//! How the expected values were produced: a Python 3 script computed the canonical request,
//! string to sign and signature by hand with `hashlib`/`hmac` (sorted lowercase headers, hex
//! SHA-256 of the body, kDate→kRegion→kService→kSigning), and botocore 1.44.8's
//! `botocore.auth.SigV4Auth.add_auth` (installed in a throwaway venv, clock patched through
//! `botocore.auth.get_current_datetime`) signed an `AWSRequest` of the same POST with the same
//! credentials and time. Both gave the `Authorization` headers below, with and without the
//! session token.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_lite_runtime::auth::{sign, sign_detailed, Credentials, SigningRequest};

const ACCESS_KEY_ID: &str = "AKIAIOSFODNN7EXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const TOKEN: &str = "FwoGZXIvYXdzEXAMPLE//////////wEaDEXAMPLE+token/with==";
const HOST: &str = "elasticache.us-east-1.amazonaws.com";
const CONTENT_TYPE: &str = "application/x-www-form-urlencoded; charset=utf-8";
const BODY: &[u8] = b"Action=TestMigration&Version=2015-02-02&ReplicationGroupId=rg";

/// 2024-02-29T23:59:58Z (a leap day, two seconds before midnight).
fn time() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_709_251_198)
}

fn headers() -> Vec<(String, String)> {
    vec![
        ("host".to_owned(), HOST.to_owned()),
        ("content-type".to_owned(), CONTENT_TYPE.to_owned()),
    ]
}

fn signed_headers(credentials: &Credentials) -> Vec<(String, String)> {
    signed_headers_in(credentials, "us-east-1")
}

/// The test request's headers once signed for `region`.
fn signed_headers_in(credentials: &Credentials, region: &str) -> Vec<(String, String)> {
    let mut headers = headers();
    let mut request = SigningRequest {
        method: "POST",
        path: "/",
        query: "",
        headers: &mut headers,
        body: BODY,
    };
    sign(&mut request, credentials, region, "elasticache", time()).unwrap();
    headers
}

fn get<'a>(headers: &'a [(String, String)], name: &str) -> Vec<&'a str> {
    headers
        .iter()
        .filter(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
        .collect()
}

#[test]
fn elasticache_request_without_session_token() {
    let credentials = Credentials::new(ACCESS_KEY_ID, SECRET, None);
    let headers = signed_headers(&credentials);
    assert_eq!(get(&headers, "x-amz-date"), ["20240229T235958Z"]);
    assert!(get(&headers, "x-amz-security-token").is_empty());
    assert!(get(&headers, "x-amz-content-sha256").is_empty());
    assert_eq!(
        get(&headers, "authorization"),
        ["AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240229/us-east-1/elasticache/aws4_request, \
          SignedHeaders=content-type;host;x-amz-date, \
          Signature=d83179c29830c7fd8bc2118be36f4578f19c454bca2c0bcb7f2a088b3be878a0"]
    );
    assert_eq!(headers.len(), 4, "{headers:?}");
}

#[test]
fn elasticache_request_with_session_token() {
    let credentials = Credentials::new(ACCESS_KEY_ID, SECRET, Some(TOKEN.to_owned()));
    let headers = signed_headers(&credentials);
    assert_eq!(get(&headers, "x-amz-date"), ["20240229T235958Z"]);
    assert_eq!(get(&headers, "x-amz-security-token"), [TOKEN]);
    assert_eq!(
        get(&headers, "authorization"),
        ["AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240229/us-east-1/elasticache/aws4_request, \
          SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, \
          Signature=5acb1f54782089cedebe8d85122a7f3a7161c9e1a1f1d4dc1611aedf1316b5ca"]
    );
}

#[test]
fn elasticache_canonical_request_and_string_to_sign() {
    let credentials = Credentials::new(ACCESS_KEY_ID, SECRET, None);
    let mut headers = headers();
    let mut request = SigningRequest {
        method: "POST",
        path: "/",
        query: "",
        headers: &mut headers,
        body: BODY,
    };
    let output = sign_detailed(
        &mut request,
        &credentials,
        "us-east-1",
        "elasticache",
        time(),
    )
    .unwrap();
    assert_eq!(
        output.canonical_request(),
        "POST\n/\n\n\
         content-type:application/x-www-form-urlencoded; charset=utf-8\n\
         host:elasticache.us-east-1.amazonaws.com\n\
         x-amz-date:20240229T235958Z\n\n\
         content-type;host;x-amz-date\n\
         20cd388d3f7f97e13339997f8a9edd1f5634ad31df1025c65eabf7faf13df17f"
    );
    assert_eq!(
        output.string_to_sign(),
        "AWS4-HMAC-SHA256\n20240229T235958Z\n20240229/us-east-1/elasticache/aws4_request\n\
         6a873245c3213ef6d1a435929af3536f41e5723830cc4db96e4dd53549fdf93d"
    );
    assert_eq!(
        output.signature(),
        "d83179c29830c7fd8bc2118be36f4578f19c454bca2c0bcb7f2a088b3be878a0"
    );
}

/// A retried request is signed again in place: old signing headers are replaced, not doubled.
#[test]
fn signing_twice_replaces_the_signing_headers() {
    let with_token = Credentials::new(ACCESS_KEY_ID, SECRET, Some(TOKEN.to_owned()));
    let mut headers = signed_headers(&with_token);
    let without_token = Credentials::new(ACCESS_KEY_ID, SECRET, None);
    let mut request = SigningRequest {
        method: "POST",
        path: "/",
        query: "",
        headers: &mut headers,
        body: BODY,
    };
    sign(
        &mut request,
        &without_token,
        "us-east-1",
        "elasticache",
        time(),
    )
    .unwrap();
    assert_eq!(headers, signed_headers(&without_token));
}

/// Header names are case-insensitive; user-agent and friends are not signed, so proxies that
/// rewrite them do not break the signature.
#[test]
fn header_case_and_unsigned_headers() {
    let credentials = Credentials::new(ACCESS_KEY_ID, SECRET, None);
    let mut headers = vec![
        ("Content-Type".to_owned(), format!("  {CONTENT_TYPE}  ")),
        ("User-Agent".to_owned(), "aws-lite/0.1".to_owned()),
        ("X-Amzn-Trace-Id".to_owned(), "Root=1-abc".to_owned()),
        ("Host".to_owned(), HOST.to_owned()),
        ("X-Amz-Date".to_owned(), "stale".to_owned()),
        ("Authorization".to_owned(), "stale".to_owned()),
    ];
    let mut request = SigningRequest {
        method: "POST",
        path: "/",
        query: "",
        headers: &mut headers,
        body: BODY,
    };
    sign(
        &mut request,
        &credentials,
        "us-east-1",
        "elasticache",
        time(),
    )
    .unwrap();
    let expected = signed_headers(&credentials);
    assert_eq!(
        get(&headers, "authorization"),
        get(&expected, "authorization")
    );
    assert!(!headers.iter().any(|(_, v)| v == "stale"), "{headers:?}");
}

#[test]
fn bad_input_is_an_error_and_leaves_the_request_unchanged() {
    let credentials = Credentials::new(ACCESS_KEY_ID, SECRET, None);
    let try_sign = |headers: &mut Vec<(String, String)>,
                    credentials: &Credentials,
                    region: &str,
                    time: SystemTime| {
        let before = headers.clone();
        let mut request = SigningRequest {
            method: "POST",
            path: "/",
            query: "",
            headers,
            body: BODY,
        };
        let result = sign(&mut request, credentials, region, "elasticache", time);
        assert_eq!(*request.headers, before);
        result.unwrap_err().to_string()
    };

    let before_epoch = UNIX_EPOCH - Duration::from_secs(1);
    let message = try_sign(&mut headers(), &credentials, "us-east-1", before_epoch);
    assert!(message.contains("before 1970"), "{message}");

    let mut no_host = vec![("content-type".to_owned(), CONTENT_TYPE.to_owned())];
    let message = try_sign(&mut no_host, &credentials, "us-east-1", time());
    assert!(message.contains("host"), "{message}");

    for region in ["", "us/east", "us east", "us-east-1\n"] {
        let message = try_sign(&mut headers(), &credentials, region, time());
        assert!(message.contains("region"), "{message}");
    }

    let bad_key = Credentials::new("AKID\r\nX-Injected: 1", SECRET, None);
    let message = try_sign(&mut headers(), &bad_key, "us-east-1", time());
    assert!(message.contains("access key id"), "{message}");
    assert!(!message.contains(SECRET));

    let bad_token = Credentials::new(ACCESS_KEY_ID, SECRET, Some("tok\nen".to_owned()));
    let message = try_sign(&mut headers(), &bad_token, "us-east-1", time());
    assert!(message.contains("session token"), "{message}");
    assert!(!message.contains("tok\nen"));
}

/// Query and path are canonicalised (a GET-style request, as other protocols would send).
#[test]
fn query_and_path_canonicalisation() {
    let credentials = Credentials::new(ACCESS_KEY_ID, SECRET, None);
    let mut headers = vec![("host".to_owned(), HOST.to_owned())];
    let mut request = SigningRequest {
        method: "GET",
        path: "/a b/./c/../d%2F",
        query: "Version=2015-02-02&Action=Describe&Filter=a+b&Empty&Marker=x%20y",
        headers: &mut headers,
        body: b"",
    };
    let output = sign_detailed(
        &mut request,
        &credentials,
        "us-east-1",
        "elasticache",
        time(),
    )
    .unwrap();
    let creq = output.canonical_request();
    let mut lines = creq.lines();
    assert_eq!(lines.next(), Some("GET"));
    assert_eq!(lines.next(), Some("/a%20b/d%252F"));
    assert_eq!(
        lines.next(),
        Some("Action=Describe&Empty=&Filter=a%2Bb&Marker=x%20y&Version=2015-02-02")
    );
}

/// The `authorization` header of the test request signed for `region`.
fn authorization(credentials: &Credentials, region: &str) -> String {
    get(&signed_headers_in(credentials, region), "authorization").concat()
}

/// Credentials keep the keyed HMAC of their last scope: a signature from that cache, after a
/// change of scope, back again, and through a clone (which shares the cache) is the one that
/// fresh credentials give.
#[test]
fn cached_signing_keys_sign_as_fresh_ones() {
    let fresh = |region| authorization(&Credentials::new(ACCESS_KEY_ID, SECRET, None), region);
    let credentials = Credentials::new(ACCESS_KEY_ID, SECRET, None);
    for region in [
        "us-east-1",
        "us-east-1",
        "eu-west-1",
        "eu-west-1",
        "us-east-1",
    ] {
        assert_eq!(
            authorization(&credentials, region),
            fresh(region),
            "{region}"
        );
    }
    assert_eq!(
        authorization(&credentials.clone(), "us-east-1"),
        fresh("us-east-1")
    );
    assert_ne!(fresh("us-east-1"), fresh("eu-west-1"));
}
