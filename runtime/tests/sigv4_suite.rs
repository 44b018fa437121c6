//! AWS's published SigV4 test suite (header signing), from `tests/data/sigv4/` (see the
//! README there for where each file comes from).
//!
//! For every case: the canonical request, the string to sign, the signature, the whole
//! `Authorization` header and the added `X-Amz-Date` / `X-Amz-Security-Token` match the
//! suite. Where the case's context signs the body hash (`"sign_body": true`), the test adds
//! `x-amz-content-sha256` before signing, as AWS's signer would (our signer does not add it).

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_lite_runtime::auth::{sign_detailed, Credentials, SigningRequest};

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sigv4")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The string value of `"key": "value"` in a flat-enough JSON text.
fn json_string(json: &str, key: &str) -> Option<String> {
    let start = json.find(&format!("\"{key}\""))? + key.len() + 2;
    let rest = json[start..].trim_start().strip_prefix(':')?.trim_start();
    let rest = rest.strip_prefix('"')?;
    Some(rest[..rest.find('"')?].to_owned())
}

fn json_bool(json: &str, key: &str) -> bool {
    json.find(&format!("\"{key}\""))
        .map(|i| {
            json[i + key.len() + 2..]
                .trim_start()
                .trim_start_matches(':')
                .trim_start()
        })
        .is_some_and(|rest| rest.starts_with("true"))
}

/// `YYYY-MM-DDTHH:MM:SSZ` as a `SystemTime`.
fn parse_timestamp(text: &str) -> SystemTime {
    let num = |range: std::ops::Range<usize>| -> i64 { text[range].parse().unwrap() };
    let (y, m, d) = (num(0..4), num(5..7), num(8..10));
    // Days from 1970-01-01 (proleptic Gregorian, years after 1970 are enough here).
    let leap = |y: i64| (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let mut days = (1970..y)
        .map(|y| if leap(y) { 366 } else { 365 })
        .sum::<i64>();
    let month_days = [
        31,
        if leap(y) { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    days += month_days[..(m - 1) as usize].iter().sum::<i64>() + d - 1;
    let secs = days * 86_400 + num(11..13) * 3600 + num(14..16) * 60 + num(17..19);
    UNIX_EPOCH + Duration::from_secs(secs as u64)
}

struct Request {
    method: String,
    path: String,
    query: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// `METHOD target HTTP/1.1`, `Name:value` lines, a blank line, the body.
fn parse_request(text: &str) -> Request {
    let (head, body) = text.split_once("\n\n").unwrap_or((text, ""));
    let mut lines = head.lines();
    let request_line = lines.next().unwrap();
    let (method, rest) = request_line.split_once(' ').unwrap();
    let target = rest.strip_suffix(" HTTP/1.1").unwrap();
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let headers = lines
        .filter(|l| !l.is_empty())
        .map(|l| {
            let (name, value) = l.split_once(':').unwrap();
            (name.to_owned(), value.to_owned())
        })
        .collect();
    Request {
        method: method.to_owned(),
        path: path.to_owned(),
        query: query.to_owned(),
        headers,
        body: body.as_bytes().to_vec(),
    }
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Vec<&'a str> {
    headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
        .collect()
}

/// Runs one case; returns the differences.
fn run_case(dir: &Path) -> Vec<String> {
    let context = read(&dir.join("context.json"));
    let access_key_id = json_string(&context, "access_key_id").unwrap();
    let secret = json_string(&context, "secret_access_key").unwrap();
    let token = json_string(&context, "token");
    let region = json_string(&context, "region").unwrap();
    let service = json_string(&context, "service").unwrap();
    let time = parse_timestamp(&json_string(&context, "timestamp").unwrap());
    let credentials = Credentials::new(access_key_id, secret, token.clone());

    let mut request = parse_request(&read(&dir.join("request.txt")));
    if json_bool(&context, "sign_body") {
        let hash = sha256_hex(&request.body);
        request
            .headers
            .push(("x-amz-content-sha256".to_owned(), hash));
    }
    let mut signing = SigningRequest {
        method: &request.method,
        path: &request.path,
        query: &request.query,
        headers: &mut request.headers,
        body: &request.body,
    };
    let output = match sign_detailed(&mut signing, &credentials, &region, &service, time) {
        Ok(output) => output,
        Err(e) => return vec![format!("signing failed: {e}")],
    };

    let mut problems = Vec::new();
    let mut check = |what: &str, got: &str, want: &str| {
        if got != want {
            problems.push(format!("{what}:\n  got  {got:?}\n  want {want:?}"));
        }
    };
    let expected_creq = read(&dir.join("header-canonical-request.txt"));
    check(
        "canonical request",
        output.canonical_request(),
        expected_creq.trim_end_matches('\n'),
    );
    let expected_sts = read(&dir.join("header-string-to-sign.txt"));
    check(
        "string to sign",
        output.string_to_sign(),
        expected_sts.trim_end_matches('\n'),
    );
    let expected_signature = read(&dir.join("header-signature.txt"));
    check("signature", output.signature(), expected_signature.trim());

    let signed = parse_request(&read(&dir.join("header-signed-request.txt")));
    for name in ["authorization", "x-amz-date", "x-amz-security-token"] {
        let got = header(&request.headers, name).join(" | ");
        let want = header(&signed.headers, name).join(" | ");
        check(name, &got, &want);
    }
    problems
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn published_sigv4_test_suite() {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(data_dir())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .collect();
    cases.sort();
    assert!(
        cases.len() >= 20,
        "expected the test vectors, found {cases:?}"
    );

    let mut failures = Vec::new();
    for dir in &cases {
        let problems = run_case(dir);
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        if !problems.is_empty() {
            failures.push(format!("{name}:\n{}", problems.join("\n")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

/// The cases the brief names are all present (a renamed folder must not silently drop one).
#[test]
fn named_cases_are_present() {
    for name in [
        "get-vanilla",
        "get-vanilla-query-order-key-case",
        "get-header-value-trim",
        "get-header-key-duplicate",
        "post-x-www-form-urlencoded",
        "post-vanilla",
        "get-vanilla-with-session-token",
        "get-space-normalized",
        "get-slash-normalized",
        "get-slashes-normalized",
        "get-percent-encoded",
        "get-query-plus",
    ] {
        let dir = data_dir().join(name);
        for file in [
            "context.json",
            "request.txt",
            "header-canonical-request.txt",
            "header-string-to-sign.txt",
            "header-signature.txt",
            "header-signed-request.txt",
        ] {
            assert!(dir.join(file).is_file(), "missing {name}/{file}");
        }
    }
}
