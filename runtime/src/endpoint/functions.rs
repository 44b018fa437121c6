//! The rules engine's library functions on evaluated arguments (none of them `None`; the
//! evaluator handles `isSet`, `getAttr`, `coalesce` and `ite` itself).

use super::partition;
use super::{EndpointError, EndpointErrorKind, Value};

const KNOWN: &[&str] = &[
    "not",
    "booleanEquals",
    "stringEquals",
    "parseURL",
    "substring",
    "uriEncode",
    "isValidHostLabel",
    "split",
    "aws.partition",
    "aws.parseArn",
    "aws.isVirtualHostableS3Bucket",
];

pub(super) fn is_known(name: &str) -> bool {
    KNOWN.contains(&name)
}

pub(super) fn unknown(name: &str) -> EndpointError {
    EndpointError::new(
        EndpointErrorKind::InvalidRuleSet,
        format!("the endpoint rules call unknown function `{name}`"),
    )
}

fn bad_args(name: &str) -> EndpointError {
    EndpointError::new(
        EndpointErrorKind::InvalidRuleSet,
        format!("function `{name}` got the wrong number or types of arguments"),
    )
}

fn opt(v: Option<Value>) -> Value {
    v.unwrap_or(Value::None)
}

/// Calls library function `name`.
pub(super) fn call(name: &str, args: &[&Value]) -> Result<Value, EndpointError> {
    use Value::{Bool, Int, String as Str};
    Ok(match (name, args) {
        ("not", [Bool(b)]) => Bool(!b),
        ("booleanEquals", [Bool(a), Bool(b)]) => Bool(a == b),
        ("stringEquals", [Str(a), Str(b)]) => Bool(a == b),
        ("parseURL", [Str(s)]) => opt(parse_url(s)),
        ("substring", [Str(s), Int(start), Int(stop), Bool(rev)]) => {
            opt(substring(s, *start, *stop, *rev).map(|s| Str(s.to_string())))
        }
        ("uriEncode", [Str(s)]) => Str(uri_encode(s)),
        ("isValidHostLabel", [Str(s), Bool(sub)]) => Bool(is_valid_host_label(s, *sub)),
        ("split", [Str(s), Str(delim), Int(limit)]) => opt(split(s, delim, *limit)
            .map(|parts| Value::Array(parts.into_iter().map(|p| Str(p.to_string())).collect()))),
        ("aws.partition", [Str(region)]) => partition_value(region),
        ("aws.parseArn", [Str(s)]) => opt(parse_arn(s)),
        ("aws.isVirtualHostableS3Bucket", [Str(s), Bool(sub)]) => {
            Bool(is_virtual_hostable_s3_bucket(s, *sub))
        }
        (name, _) if is_known(name) => return Err(bad_args(name)),
        (name, _) => return Err(unknown(name)),
    })
}

fn partition_value(region: &str) -> Value {
    let p = partition::partition_for_region(region);
    let o = &p.outputs;
    Value::Object(vec![
        ("name", Value::String(o.name.to_string())),
        ("dnsSuffix", Value::String(o.dns_suffix.to_string())),
        (
            "dualStackDnsSuffix",
            Value::String(o.dual_stack_dns_suffix.to_string()),
        ),
        ("supportsFIPS", Value::Bool(o.supports_fips)),
        ("supportsDualStack", Value::Bool(o.supports_dual_stack)),
        (
            "implicitGlobalRegion",
            Value::String(o.implicit_global_region.to_string()),
        ),
    ])
}

/// `parseURL`: http(s) URLs without a query or fragment.
pub(super) fn parse_url(url: &str) -> Option<Value> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = if scheme.eq_ignore_ascii_case("https") {
        "https"
    } else if scheme.eq_ignore_ascii_case("http") {
        "http"
    } else {
        return None;
    };
    if rest.contains(['?', '#']) {
        return None;
    }
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    if path.chars().any(|c| c.is_ascii_control() || c == ' ') {
        return None;
    }
    // Drop any userinfo: the URL structure never includes it.
    let authority = match authority.rfind('@') {
        Some(i) => &authority[i + 1..],
        None => authority,
    };
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let end = v6.find(']')?;
        let inside = &v6[..end];
        if inside.is_empty()
            || !inside
                .chars()
                .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.' || c == '%')
        {
            return None;
        }
        let after = &v6[end + 1..];
        let port = match after {
            "" => None,
            p => Some(p.strip_prefix(':')?),
        };
        (&authority[..end + 2], port)
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    if let Some(p) = port {
        if p.is_empty() || p.len() > 5 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
    }
    if host.is_empty() {
        return None;
    }
    let is_v6 = host.starts_with('[');
    if !is_v6
        && !host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~%!$&'()*+,;=".contains(&b))
    {
        return None;
    }
    let normalized = if path.trim().is_empty() {
        "/".to_string()
    } else {
        let mut n = String::with_capacity(path.len() + 2);
        if !path.starts_with('/') {
            n.push('/');
        }
        n.push_str(path);
        if !path.ends_with('/') {
            n.push('/');
        }
        n
    };
    Some(Value::Object(vec![
        ("scheme", Value::String(scheme.to_string())),
        ("authority", Value::String(authority.to_string())),
        ("path", Value::String(path.to_string())),
        ("normalizedPath", Value::String(normalized)),
        ("isIp", Value::Bool(is_v6 || is_ipv4(host))),
    ]))
}

/// Four dot-separated decimal numbers, each at most 255.
pub(super) fn is_ipv4(host: &str) -> bool {
    let mut n = 0;
    for part in host.split('.') {
        n += 1;
        if n > 4
            || part.is_empty()
            || part.len() > 3
            || !part.bytes().all(|b| b.is_ascii_digit())
            || part.parse::<u16>().map_or(true, |v| v > 255)
        {
            return false;
        }
    }
    n == 4
}

/// `substring`: ASCII only; `reverse` counts from the end.
pub(super) fn substring(s: &str, start: i64, stop: i64, reverse: bool) -> Option<&str> {
    if !s.is_ascii() || start < 0 || start >= stop {
        return None;
    }
    let len = s.len();
    let (start, stop) = (usize::try_from(start).ok()?, usize::try_from(stop).ok()?);
    if stop > len {
        return None;
    }
    if reverse {
        s.get(len - stop..len - start)
    } else {
        s.get(start..stop)
    }
}

/// `uriEncode`: percent-encodes everything but RFC 3986 unreserved characters.
pub(super) fn uri_encode(s: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        }
    }
    out
}

/// `isValidHostLabel`: an RFC 1123 label (1–63 letters, digits or hyphens, starting with a
/// letter or digit); with `allow_sub_domains`, dot-separated labels that each qualify.
pub(super) fn is_valid_host_label(s: &str, allow_sub_domains: bool) -> bool {
    fn label(l: &str) -> bool {
        !l.is_empty()
            && l.len() <= 63
            && l.as_bytes()[0].is_ascii_alphanumeric()
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    }
    if allow_sub_domains {
        s.split('.').all(label)
    } else {
        label(s)
    }
}

/// `split`: `limit` 0 splits everywhere, `n > 0` into at most `n` parts.
pub(super) fn split<'a>(s: &'a str, delim: &str, limit: i64) -> Option<Vec<&'a str>> {
    if delim.is_empty() || limit < 0 {
        return None;
    }
    if s.is_empty() || limit == 1 {
        return Some(vec![s]);
    }
    Some(if limit == 0 {
        s.split(delim).collect()
    } else {
        s.splitn(usize::try_from(limit).ok()?, delim).collect()
    })
}

/// `aws.parseArn`: `arn:partition:service:region:account:resource`.
pub(super) fn parse_arn(s: &str) -> Option<Value> {
    let mut parts = s.splitn(6, ':');
    let (arn, partition, service, region, account, resource) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    if arn != "arn" || partition.is_empty() || service.is_empty() || resource.is_empty() {
        return None;
    }
    let resource_id = resource
        .split([':', '/'])
        .map(|r| Value::String(r.to_string()))
        .collect();
    Some(Value::Object(vec![
        ("partition", Value::String(partition.to_string())),
        ("service", Value::String(service.to_string())),
        ("region", Value::String(region.to_string())),
        ("accountId", Value::String(account.to_string())),
        ("resourceId", Value::Array(resource_id)),
    ]))
}

/// `aws.isVirtualHostableS3Bucket`: a DNS-compatible bucket name (3–63 lowercase letters,
/// digits and hyphens, starting and ending with a letter or digit); with
/// `allow_sub_domains` also dots, but no `.-`, `-.` or `..`, and not an IPv4 address.
pub(super) fn is_virtual_hostable_s3_bucket(s: &str, allow_sub_domains: bool) -> bool {
    let b = s.as_bytes();
    let alnum = |c: u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    if b.len() < 3 || b.len() > 63 || !alnum(b[0]) || !alnum(b[b.len() - 1]) {
        return false;
    }
    if !allow_sub_domains {
        return b.iter().all(|&c| alnum(c) || c == b'-');
    }
    let mut last = b[0];
    for &c in &b[1..] {
        let ok = match c {
            b'.' => last != b'.' && last != b'-',
            b'-' => last != b'.',
            c => alnum(c),
        };
        if !ok {
            return false;
        }
        last = c;
    }
    !is_ipv4(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field<'v>(v: &'v Value, k: &str) -> &'v Value {
        v.field(k).unwrap()
    }

    #[test]
    fn parse_url_examples() {
        let u = parse_url("https://example.com").unwrap();
        assert_eq!(field(&u, "scheme").as_str(), Some("https"));
        assert_eq!(field(&u, "authority").as_str(), Some("example.com"));
        assert_eq!(field(&u, "path").as_str(), Some(""));
        assert_eq!(field(&u, "normalizedPath").as_str(), Some("/"));
        assert_eq!(field(&u, "isIp").as_bool(), Some(false));

        let u = parse_url("http://example.com:80/foo/bar").unwrap();
        assert_eq!(field(&u, "authority").as_str(), Some("example.com:80"));
        assert_eq!(field(&u, "path").as_str(), Some("/foo/bar"));
        assert_eq!(field(&u, "normalizedPath").as_str(), Some("/foo/bar/"));

        let u = parse_url("https://127.0.0.1").unwrap();
        assert_eq!(field(&u, "isIp").as_bool(), Some(true));
        let u = parse_url("https://[fe80::1]:8443/").unwrap();
        assert_eq!(field(&u, "authority").as_str(), Some("[fe80::1]:8443"));
        assert_eq!(field(&u, "isIp").as_bool(), Some(true));
        assert_eq!(field(&u, "normalizedPath").as_str(), Some("/"));
        let u = parse_url("https://user:pw@host.example:1/a").unwrap();
        assert_eq!(field(&u, "authority").as_str(), Some("host.example:1"));
        let u = parse_url("HTTPS://256.1.1.1").unwrap();
        assert_eq!(field(&u, "scheme").as_str(), Some("https"));
        assert_eq!(field(&u, "isIp").as_bool(), Some(false));

        for bad in [
            "https://example.com:8443?foo=bar&faz=baz",
            "https://example.com/#frag",
            "example.com",
            "ftp://example.com",
            "https://",
            "https://:80",
            "https://exa mple.com",
            "https://example.com:http",
            "https://[fe80::1",
            "https://[zz]",
            "https://ex\u{e9}mple.com",
            "",
        ] {
            assert_eq!(parse_url(bad), None, "{bad}");
        }
    }

    #[test]
    fn substring_rules() {
        assert_eq!(substring("abcdefg", 0, 4, false), Some("abcd"));
        assert_eq!(substring("abcdefg", 0, 4, true), Some("defg"));
        assert_eq!(substring("abcdefg", 1, 3, true), Some("ef"));
        assert_eq!(substring("abc", 0, 4, false), None);
        assert_eq!(substring("abc", 2, 2, false), None);
        assert_eq!(substring("abc", -1, 2, false), None);
        assert_eq!(substring("ab\u{e9}d", 0, 2, false), None);
        assert_eq!(substring("abc", 0, 3, false), Some("abc"));
    }

    #[test]
    fn uri_encode_everything_but_unreserved() {
        assert_eq!(uri_encode("a-b_c.d~e"), "a-b_c.d~e");
        assert_eq!(
            uri_encode("/:,?#[]{}|@! $&'()*+;=%<>\"^`\\"),
            "%2F%3A%2C%3F%23%5B%5D%7B%7D%7C%40%21%20%24%26%27%28%29%2A%2B%3B%3D%25%3C%3E%22%5E%60%5C"
        );
        assert_eq!(uri_encode("\u{e9}"), "%C3%A9");
    }

    #[test]
    fn host_labels() {
        assert!(is_valid_host_label("abc-1", false));
        assert!(is_valid_host_label("1abc", false));
        assert!(!is_valid_host_label("-abc", false));
        assert!(!is_valid_host_label("", false));
        assert!(!is_valid_host_label("a.b", false));
        assert!(!is_valid_host_label("a_b", false));
        assert!(is_valid_host_label(&"a".repeat(63), false));
        assert!(!is_valid_host_label(&"a".repeat(64), false));
        assert!(is_valid_host_label("a.b-c.d", true));
        assert!(!is_valid_host_label("a..b", true));
        assert!(!is_valid_host_label("a.-b", true));
        assert!(!is_valid_host_label("a.", true));
    }

    #[test]
    fn buckets() {
        assert!(is_virtual_hostable_s3_bucket("my-bucket", false));
        assert!(!is_virtual_hostable_s3_bucket("my.bucket", false));
        assert!(is_virtual_hostable_s3_bucket("my.bucket", true));
        assert!(!is_virtual_hostable_s3_bucket("My-bucket", false));
        assert!(!is_virtual_hostable_s3_bucket("ab", false));
        assert!(!is_virtual_hostable_s3_bucket(&"a".repeat(64), false));
        assert!(!is_virtual_hostable_s3_bucket("bucket-", false));
        assert!(!is_virtual_hostable_s3_bucket("a..b", true));
        assert!(!is_virtual_hostable_s3_bucket("a-.b", true));
        assert!(!is_virtual_hostable_s3_bucket("a.-b", true));
        assert!(!is_virtual_hostable_s3_bucket("192.168.5.4", true));
        assert!(is_virtual_hostable_s3_bucket("192.168.5", true));
    }

    #[test]
    fn arns() {
        let a = parse_arn("arn:aws:ec2:us-east-1:012345678910:vpc/vpc-0e98").unwrap();
        assert_eq!(field(&a, "service").as_str(), Some("ec2"));
        assert_eq!(
            field(&a, "resourceId"),
            &Value::Array(vec!["vpc".into(), "vpc-0e98".into()])
        );
        let a = parse_arn("arn:aws:s3:::bucket_name").unwrap();
        assert_eq!(field(&a, "region").as_str(), Some(""));
        assert_eq!(field(&a, "accountId").as_str(), Some(""));
        let a = parse_arn("arn:aws:s3:us-west-2:123:accesspoint:my:ap").unwrap();
        assert_eq!(
            field(&a, "resourceId"),
            &Value::Array(vec!["accesspoint".into(), "my".into(), "ap".into()])
        );
        assert_eq!(parse_arn("11111111-2222-3333-4444-555555555555"), None);
        assert_eq!(parse_arn("arn:aws:s3:::"), None);
        assert_eq!(parse_arn("arn::s3:::x"), None);
        assert_eq!(parse_arn("urn:aws:s3:::x"), None);
    }

    #[test]
    fn splits() {
        assert_eq!(split("a--b--c", "--", 0), Some(vec!["a", "b", "c"]));
        assert_eq!(split("a--b--c", "--", 2), Some(vec!["a", "b--c"]));
        assert_eq!(split("----", "--", 0), Some(vec!["", "", ""]));
        assert_eq!(split("", "--", 0), Some(vec![""]));
        assert_eq!(split("abc", "--", 1), Some(vec!["abc"]));
        assert_eq!(split("abc", "", 0), None);
        assert_eq!(split("abc", "b", -1), None);
    }

    #[test]
    fn ipv4() {
        assert!(is_ipv4("0.0.0.0"));
        assert!(is_ipv4("255.255.255.255"));
        assert!(!is_ipv4("256.0.0.0"));
        assert!(!is_ipv4("1.2.3"));
        assert!(!is_ipv4("1.2.3.4.5"));
        assert!(!is_ipv4("1.2.3.x"));
        assert!(!is_ipv4("1..3.4"));
    }
}
