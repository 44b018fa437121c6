//! awsQuery form bodies: key paths, value formats and RFC 3986 percent-encoding.

use aws_lite_runtime::query::{percent_encode, QueryWriter};
use aws_lite_runtime::{DateTime, TimestampFormat};

const PREFIX: &str = "Action=Op&Version=2020-01-01";

fn writer() -> QueryWriter {
    QueryWriter::new("Op", "2020-01-01")
}

/// The body after the `Action`/`Version` prefix.
fn rest(w: QueryWriter) -> String {
    let body = w.finish();
    body.strip_prefix(PREFIX).expect("prefix").to_string()
}

fn one(key: &str, f: impl FnOnce(&mut QueryWriter)) -> String {
    let mut w = writer();
    let m = w.push(key);
    f(&mut w);
    w.pop(m);
    rest(w)
}

#[test]
fn the_brief_example() {
    let mut w = QueryWriter::new("TestMigration", "2015-02-02");
    assert_eq!(w.as_str(), "Action=TestMigration&Version=2015-02-02");
    let rg = w.push("ReplicationGroupId");
    w.string("my-group");
    w.pop(rg);
    let m = w.push("CustomerNodeEndpointList");
    for (i, (addr, port)) in [("10.0.0.5", 6379), ("10.0.0.6", 6380)]
        .into_iter()
        .enumerate()
    {
        let m2 = w.push_index(Some("member"), i + 1);
        let m3 = w.push("Address");
        w.string(addr);
        w.pop(m3);
        let m3 = w.push("Port");
        w.integer(port);
        w.pop(m3);
        w.pop(m2);
    }
    w.pop(m);
    assert_eq!(
        w.finish(),
        "Action=TestMigration&Version=2015-02-02&ReplicationGroupId=my-group\
         &CustomerNodeEndpointList.member.1.Address=10.0.0.5\
         &CustomerNodeEndpointList.member.1.Port=6379\
         &CustomerNodeEndpointList.member.2.Address=10.0.0.6\
         &CustomerNodeEndpointList.member.2.Port=6380"
    );
}

#[test]
fn list_and_map_keys() {
    let mut w = writer();
    // Wrapped list with a custom member name.
    let m = w.push("Tags");
    let i = w.push_index(Some("Tag"), 1);
    let k = w.push("Key");
    w.string("k");
    w.pop(k);
    w.pop(i);
    w.pop(m);
    // Flattened list: just the index.
    let m = w.push("Flat");
    let i = w.push_index(None, 2);
    w.string("x");
    w.pop(i);
    w.pop(m);
    // Map entries.
    let m = w.push("Attrs");
    let e = w.push_index(Some("entry"), 1);
    let k = w.push("key");
    w.string("a");
    w.pop(k);
    let v = w.push("value");
    w.string("b");
    w.pop(v);
    w.pop(e);
    w.pop(m);
    // Nested structure.
    let a = w.push("A");
    let b = w.push("B");
    w.boolean(true);
    w.pop(b);
    w.pop(a);
    assert_eq!(
        rest(w),
        "&Tags.Tag.1.Key=k&Flat.2=x&Attrs.entry.1.key=a&Attrs.entry.1.value=b&A.B=true"
    );
}

#[test]
fn marks_restore_the_key() {
    let mut w = writer();
    let a = w.push("A");
    assert_eq!(a, 0);
    let b = w.push("B");
    assert_eq!(b, 1);
    w.pop(b);
    w.string("1");
    w.pop(a);
    w.push("C");
    w.string("2");
    // A stale mark past the end is harmless.
    w.pop(1000);
    w.string("3");
    assert_eq!(rest(w), "&A=1&C=2&C=3");
}

#[test]
fn empty_values() {
    assert_eq!(one("L", |w| w.empty()), "&L=");
    assert_eq!(one("S", |w| w.string("")), "&S=");
}

#[test]
fn scalar_formats() {
    assert_eq!(one("B", |w| w.boolean(false)), "&B=false");
    assert_eq!(one("I", |w| w.integer(-42)), "&I=-42");
    assert_eq!(one("I", |w| w.integer(i64::MIN)), "&I=-9223372036854775808");
    assert_eq!(
        one("U", |w| w.unsigned(u64::MAX)),
        "&U=18446744073709551615"
    );
    assert_eq!(one("F", |w| w.float(10.8)), "&F=10.8");
    assert_eq!(one("F", |w| w.float(0.1)), "&F=0.1");
    assert_eq!(one("D", |w| w.double(0.1)), "&D=0.1");
    assert_eq!(one("D", |w| w.double(1.0)), "&D=1");
    assert_eq!(one("D", |w| w.double(-2.5)), "&D=-2.5");
    assert_eq!(one("D", |w| w.double(1e21)), "&D=1000000000000000000000");
    assert_eq!(one("D", |w| w.double(f64::NAN)), "&D=NaN");
    assert_eq!(one("D", |w| w.double(f64::INFINITY)), "&D=Infinity");
    assert_eq!(one("D", |w| w.double(f64::NEG_INFINITY)), "&D=-Infinity");
    assert_eq!(one("F", |w| w.float(f32::NAN)), "&F=NaN");
    assert_eq!(one("F", |w| w.float(f32::NEG_INFINITY)), "&F=-Infinity");
    assert_eq!(one("N", |w| w.big("-1.5E+10")), "&N=-1.5E%2B10");
}

#[test]
fn doubles_round_trip() {
    for v in [
        0.1,
        1.0 / 3.0,
        5e-324,
        f64::MAX,
        f64::MIN_POSITIVE,
        -123.456e-7,
    ] {
        let s = one("D", |w| w.double(v));
        let text = s.strip_prefix("&D=").unwrap();
        assert_eq!(text.parse::<f64>().unwrap(), v, "{text}");
    }
    for v in [0.1f32, 1.0 / 3.0, f32::MAX, 16_777_217.0] {
        let s = one("F", |w| w.float(v));
        let text = s.strip_prefix("&F=").unwrap();
        assert_eq!(text.parse::<f32>().unwrap(), v, "{text}");
    }
}

#[test]
fn timestamps() {
    let t = DateTime::from_secs_and_nanos(1_704_164_645, 123_000_000);
    assert_eq!(
        one("T", |w| w.date_time(&t, TimestampFormat::DateTime).unwrap()),
        "&T=2024-01-02T03%3A04%3A05.123Z"
    );
    assert_eq!(
        one("T", |w| w
            .date_time(&t, TimestampFormat::EpochSeconds)
            .unwrap()),
        "&T=1704164645.123"
    );
    assert_eq!(
        one("T", |w| w.date_time(&t, TimestampFormat::HttpDate).unwrap()),
        "&T=Tue%2C%2002%20Jan%202024%2003%3A04%3A05%20GMT"
    );
    // A timestamp that cannot be formatted writes nothing at all.
    let far = DateTime::from_secs(i64::MAX);
    assert_eq!(
        one("T", |w| assert!(w
            .date_time(&far, TimestampFormat::DateTime)
            .is_err())),
        ""
    );
}

#[test]
fn blobs_are_base64_then_percent_encoded() {
    assert_eq!(one("B", |w| w.blob(b"foo")), "&B=Zm9v");
    assert_eq!(one("B", |w| w.blob(b"f")), "&B=Zg%3D%3D");
    assert_eq!(one("B", |w| w.blob(&[0xFB, 0xFF, 0xBF])), "&B=%2B%2F%2B%2F");
    assert_eq!(one("B", |w| w.blob(b"")), "&B=");
}

#[test]
fn percent_encoding() {
    assert_eq!(
        one("S", |w| w.string("&=+/ %~*")),
        "&S=%26%3D%2B%2F%20%25~%2A"
    );
    assert_eq!(one("S", |w| w.string("a-b.c_d~e")), "&S=a-b.c_d~e");
    assert_eq!(one("S", |w| w.string("é")), "&S=%C3%A9");
    assert_eq!(one("S", |w| w.string("😀")), "&S=%F0%9F%98%80");
    assert_eq!(
        one("S", |w| w.string("aé b😀c")),
        "&S=a%C3%A9%20b%F0%9F%98%80c"
    );
    assert_eq!(
        one("S", |w| w.string("line\nbreak\t")),
        "&S=line%0Abreak%09"
    );
    assert_eq!(one("S", |w| w.string("\0")), "&S=%00");
    // Keys are encoded the same way.
    assert_eq!(one("K y+é", |w| w.string("v")), "&K%20y%2B%C3%A9=v");
    let body = QueryWriter::new("A B", "1+1").finish();
    assert_eq!(body, "Action=A%20B&Version=1%2B1");
}

#[test]
fn percent_encode_every_byte_value() {
    // All ASCII, then every 2-byte code point boundary.
    for c in (0u32..0x800).filter_map(char::from_u32) {
        let mut out = String::new();
        percent_encode(c.encode_utf8(&mut [0; 4]), &mut out);
        let unreserved = c.is_ascii_alphanumeric() || "-._~".contains(c);
        if unreserved {
            assert_eq!(out, c.to_string());
        } else {
            let expected: String = c.to_string().bytes().map(|b| format!("%{b:02X}")).collect();
            assert_eq!(out, expected);
        }
    }
}

#[test]
fn with_capacity_and_as_str() {
    let mut w = QueryWriter::with_capacity("Op", "2020-01-01", 4096);
    assert_eq!(w.as_str(), PREFIX);
    w.push("A");
    w.integer(1);
    assert_eq!(w.as_str(), "Action=Op&Version=2020-01-01&A=1");
}
