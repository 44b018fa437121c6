//! Timestamp formats, written from RFC 3339, RFC 7231 and Smithy's timestampFormat.

use aws_lite_runtime::{DateTime, TimestampFormat};
use TimestampFormat::{DateTime as Rfc3339, EpochSeconds, HttpDate};

/// 2024-01-02T03:04:05Z
const T: i64 = 1_704_164_645;

fn dt(secs: i64, nanos: u32) -> DateTime {
    DateTime::from_secs_and_nanos(secs, nanos)
}

fn parse(text: &str, format: TimestampFormat) -> DateTime {
    match DateTime::parse(text, format) {
        Ok(t) => t,
        Err(e) => panic!("{text:?} should parse: {e}"),
    }
}

fn parse_err(text: &str, format: TimestampFormat) -> String {
    match DateTime::parse(text, format) {
        Ok(t) => panic!("{text:?} should be rejected, got {t:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn rfc3339_format() {
    assert_eq!(dt(T, 0).fmt(Rfc3339).unwrap(), "2024-01-02T03:04:05Z");
    assert_eq!(
        dt(T, 123_000_000).fmt(Rfc3339).unwrap(),
        "2024-01-02T03:04:05.123Z"
    );
    assert_eq!(
        dt(T, 1).fmt(Rfc3339).unwrap(),
        "2024-01-02T03:04:05.000000001Z"
    );
    assert_eq!(
        dt(T, 100_000).fmt(Rfc3339).unwrap(),
        "2024-01-02T03:04:05.0001Z"
    );
    assert_eq!(dt(0, 0).fmt(Rfc3339).unwrap(), "1970-01-01T00:00:00Z");
    assert_eq!(
        dt(-1, 500_000_000).fmt(Rfc3339).unwrap(),
        "1969-12-31T23:59:59.5Z"
    );
    assert_eq!(
        dt(951_782_400, 0).fmt(Rfc3339).unwrap(),
        "2000-02-29T00:00:00Z"
    );
    // Range limits of the 4-digit year.
    assert_eq!(
        dt(-62_135_596_800, 0).fmt(Rfc3339).unwrap(),
        "0001-01-01T00:00:00Z"
    );
    assert_eq!(
        dt(253_402_300_799, 999_999_999).fmt(Rfc3339).unwrap(),
        "9999-12-31T23:59:59.999999999Z"
    );
    assert!(dt(-62_135_596_801, 0).fmt(Rfc3339).is_err());
    assert!(dt(253_402_300_800, 0).fmt(Rfc3339).is_err());
    assert!(dt(i64::MAX, 0).fmt(Rfc3339).is_err());
    assert!(dt(i64::MIN, 0).fmt(HttpDate).is_err());
}

#[test]
fn write_to_appends_and_leaves_output_alone_on_error() {
    let mut out = String::from("x=");
    dt(T, 0).write_to(Rfc3339, &mut out).unwrap();
    assert_eq!(out, "x=2024-01-02T03:04:05Z");
    let err = dt(i64::MAX, 0).write_to(Rfc3339, &mut out).unwrap_err();
    assert_eq!(out, "x=2024-01-02T03:04:05Z");
    assert!(err.to_string().contains("0001..=9999"), "{err}");
}

#[test]
fn display_is_rfc3339_and_never_fails() {
    assert_eq!(dt(T, 120_000_000).to_string(), "2024-01-02T03:04:05.12Z");
    assert_eq!(dt(253_402_300_800, 0).to_string(), "+10000-01-01T00:00:00Z");
    let _ = dt(i64::MIN, 0).to_string();
    let _ = dt(i64::MAX, 999_999_999).to_string();
}

#[test]
fn http_date_format() {
    assert_eq!(
        dt(T, 0).fmt(HttpDate).unwrap(),
        "Tue, 02 Jan 2024 03:04:05 GMT"
    );
    // No fraction in HTTP dates: truncated.
    assert_eq!(
        dt(T, 999_000_000).fmt(HttpDate).unwrap(),
        "Tue, 02 Jan 2024 03:04:05 GMT"
    );
    assert_eq!(
        dt(784_111_777, 0).fmt(HttpDate).unwrap(),
        "Sun, 06 Nov 1994 08:49:37 GMT"
    );
    assert_eq!(
        dt(0, 0).fmt(HttpDate).unwrap(),
        "Thu, 01 Jan 1970 00:00:00 GMT"
    );
    assert_eq!(
        dt(-1, 0).fmt(HttpDate).unwrap(),
        "Wed, 31 Dec 1969 23:59:59 GMT"
    );
}

#[test]
fn epoch_seconds_format() {
    assert_eq!(dt(T, 0).fmt(EpochSeconds).unwrap(), "1704164645");
    assert_eq!(
        dt(T, 123_000_000).fmt(EpochSeconds).unwrap(),
        "1704164645.123"
    );
    assert_eq!(dt(T, 1).fmt(EpochSeconds).unwrap(), "1704164645.000000001");
    assert_eq!(dt(0, 0).fmt(EpochSeconds).unwrap(), "0");
    assert_eq!(dt(-2, 500_000_000).fmt(EpochSeconds).unwrap(), "-1.5");
    assert_eq!(dt(-1, 500_000_000).fmt(EpochSeconds).unwrap(), "-0.5");
    assert_eq!(dt(-1, 0).fmt(EpochSeconds).unwrap(), "-1");
    assert_eq!(
        dt(i64::MAX, 0).fmt(EpochSeconds).unwrap(),
        i64::MAX.to_string()
    );
}

#[test]
fn rfc3339_parse_basic() {
    assert_eq!(parse("2024-01-02T03:04:05Z", Rfc3339), dt(T, 0));
    assert_eq!(parse("2024-01-02t03:04:05z", Rfc3339), dt(T, 0));
    assert_eq!(parse("1970-01-01T00:00:00Z", Rfc3339), dt(0, 0));
    assert_eq!(
        parse("1969-12-31T23:59:59.5Z", Rfc3339),
        dt(-1, 500_000_000)
    );
    assert_eq!(
        parse("0001-01-01T00:00:00Z", Rfc3339),
        dt(-62_135_596_800, 0)
    );
    assert_eq!(
        parse("9999-12-31T23:59:59Z", Rfc3339),
        dt(253_402_300_799, 0)
    );
    // FromStr is the same parser.
    assert_eq!(
        "2024-01-02T03:04:05Z".parse::<DateTime>().unwrap(),
        dt(T, 0)
    );
}

#[test]
fn rfc3339_parse_fractions() {
    assert_eq!(parse("2024-01-02T03:04:05.1Z", Rfc3339), dt(T, 100_000_000));
    assert_eq!(
        parse("2024-01-02T03:04:05.123Z", Rfc3339),
        dt(T, 123_000_000)
    );
    assert_eq!(parse("2024-01-02T03:04:05.000Z", Rfc3339), dt(T, 0));
    assert_eq!(
        parse("2024-01-02T03:04:05.123456789Z", Rfc3339),
        dt(T, 123_456_789)
    );
    // Beyond nanoseconds: kept to 9 digits (truncated).
    assert_eq!(
        parse("2024-01-02T03:04:05.1234567899999Z", Rfc3339),
        dt(T, 123_456_789)
    );
    assert_eq!(
        parse("2024-01-02T03:04:05.000000000001Z", Rfc3339),
        dt(T, 0)
    );
}

#[test]
fn rfc3339_parse_offsets() {
    assert_eq!(parse("2024-01-02T03:04:05+00:00", Rfc3339), dt(T, 0));
    assert_eq!(parse("2024-01-02T03:04:05-00:00", Rfc3339), dt(T, 0));
    assert_eq!(parse("2024-01-02T04:04:05+01:00", Rfc3339), dt(T, 0));
    assert_eq!(parse("2024-01-01T22:34:05-04:30", Rfc3339), dt(T, 0));
    assert_eq!(
        parse("2024-01-02T03:04:05.25+23:59", Rfc3339),
        dt(T - 86_340, 250_000_000)
    );
    // An offset can move the instant across a year boundary.
    assert_eq!(
        parse("2024-12-31T23:30:00-01:00", Rfc3339)
            .fmt(Rfc3339)
            .unwrap(),
        "2025-01-01T00:30:00Z"
    );
}

#[test]
fn rfc3339_leap_days() {
    assert_eq!(
        parse("2024-02-29T00:00:00Z", Rfc3339).fmt(Rfc3339).unwrap(),
        "2024-02-29T00:00:00Z"
    );
    assert_eq!(parse("2000-02-29T00:00:00Z", Rfc3339), dt(951_782_400, 0));
    assert_eq!(
        parse("2400-02-29T12:00:00Z", Rfc3339).fmt(Rfc3339).unwrap(),
        "2400-02-29T12:00:00Z"
    );
    for bad in [
        "2023-02-29T00:00:00Z",
        "1900-02-29T00:00:00Z",
        "2100-02-29T00:00:00Z",
    ] {
        let e = parse_err(bad, Rfc3339);
        assert!(e.contains("day 29 does not exist in February"), "{e}");
    }
    assert!(parse_err("2024-02-30T00:00:00Z", Rfc3339).contains("day 30"));
}

#[test]
fn rfc3339_rejects() {
    let cases = [
        ("", "year"),
        ("2024-01-02", "'T'"),
        ("2024-01-02T03:04:05", "time zone"),
        ("2024-01-02 03:04:05Z", "'T'"),
        ("2024-1-02T03:04:05Z", "month"),
        ("24-01-02T03:04:05Z", "year"),
        ("2024-13-02T03:04:05Z", "month 13"),
        ("2024-00-02T03:04:05Z", "month 0"),
        ("2024-01-00T03:04:05Z", "day 0"),
        ("2024-04-31T03:04:05Z", "day 31 does not exist in April"),
        ("2024-01-32T03:04:05Z", "day 32"),
        ("2024-01-02T24:00:00Z", "hour 24"),
        ("2024-01-02T23:60:00Z", "minute 60"),
        ("2024-01-02T23:59:60Z", "second 60"),
        ("2024-01-02T03:04:05.Z", "digits after the decimal point"),
        ("2024-01-02T03:04:05+0100", "':'"),
        ("2024-01-02T03:04:05+01", "':'"),
        ("2024-01-02T03:04:05+24:00", "offset"),
        ("2024-01-02T03:04:05+01:60", "offset"),
        ("2024-01-02T03:04:05ZZ", "end of input"),
        ("2024-01-02T03:04:05Z ", "end of input"),
        (" 2024-01-02T03:04:05Z", "year"),
        ("2024-01-02T03:04:05UTC", "time zone"),
        ("+2024-01-02T03:04:05Z", "year"),
        ("２０２４-01-02T03:04:05Z", "year"),
        ("2024-01-02T03:04:05.１Z", "digits after the decimal point"),
    ];
    for (text, needle) in cases {
        let e = parse_err(text, Rfc3339);
        assert!(e.contains(needle), "{text:?}: {e}");
        assert!(e.contains("RFC 3339"), "{e}");
        assert!(
            e.contains(&format!("{text:?}")),
            "error should quote the input: {e}"
        );
    }
}

#[test]
fn error_quotes_truncated_input() {
    let long = format!("2024-01-02T03:04:05Z{}", "9".repeat(200));
    let e = parse_err(&long, Rfc3339);
    assert!(e.contains(&format!("{:?}…", &long[..64])), "{e}");
    assert!(e.len() < 200, "{e}");
    // Control characters are escaped rather than echoed.
    let e = parse_err("2024\n", Rfc3339);
    assert!(e.contains("\\n"), "{e}");
}

#[test]
fn rfc3339_round_trips() {
    for (secs, nanos) in [
        (0, 0),
        (T, 0),
        (T, 123_000_000),
        (T, 1),
        (-1, 999_999_999),
        (-62_135_596_800, 0),
        (253_402_300_799, 999_999_999),
    ] {
        let t = dt(secs, nanos);
        assert_eq!(parse(&t.fmt(Rfc3339).unwrap(), Rfc3339), t);
        assert_eq!(parse(&t.fmt(EpochSeconds).unwrap(), EpochSeconds), t);
        assert_eq!(parse(&t.fmt(HttpDate).unwrap(), HttpDate), dt(secs, 0));
    }
    // Every day of a few years, at a varying time of day.
    let start = parse("1999-12-25T00:00:00Z", Rfc3339).secs();
    for i in 0..(366 * 6) {
        let t = dt(start + i * 86_400 + i * 37 % 86_400, 0);
        assert_eq!(parse(&t.fmt(Rfc3339).unwrap(), Rfc3339), t);
        assert_eq!(parse(&t.fmt(HttpDate).unwrap(), HttpDate), t);
    }
}

#[test]
fn http_date_parse() {
    let t = dt(784_111_777, 0);
    assert_eq!(parse("Sun, 06 Nov 1994 08:49:37 GMT", HttpDate), t);
    assert_eq!(
        parse("Sun, 06 Nov 1994 08:49:37.123 GMT", HttpDate),
        dt(784_111_777, 123_000_000)
    );
    assert_eq!(parse("Sunday, 06-Nov-94 08:49:37 GMT", HttpDate), t);
    assert_eq!(parse("Sun Nov  6 08:49:37 1994", HttpDate), t);
    assert_eq!(parse("Sun Nov 06 08:49:37 1994", HttpDate), t);
    assert_eq!(parse("Tue, 02 Jan 2024 03:04:05 GMT", HttpDate), dt(T, 0));
    assert_eq!(
        parse("Thursday, 01-Jan-70 00:00:00 GMT", HttpDate),
        dt(0, 0)
    );
    assert_eq!(
        parse("Friday, 01-Jan-21 00:00:00 GMT", HttpDate)
            .fmt(Rfc3339)
            .unwrap(),
        "2021-01-01T00:00:00Z"
    );
    assert_eq!(
        parse("Thu, 29 Feb 2024 00:00:00 GMT", HttpDate)
            .fmt(Rfc3339)
            .unwrap(),
        "2024-02-29T00:00:00Z"
    );
}

#[test]
fn http_date_rejects() {
    for text in [
        "",
        "2024-01-02T03:04:05Z",
        "Tue, 02 Jan 2024 03:04:05",
        "Tue, 02 Jan 2024 03:04:05 UTC",
        "Tue, 02 Jan 2024 03:04:05 +0000",
        "Tue, 2 Jan 2024 03:04:05 GMT",
        "Tue, 02 Jnu 2024 03:04:05 GMT",
        "Tue, 02 January 2024 03:04:05 GMT",
        "Tue, 02 Jan 24 03:04:05 GMT",
        "Tue 02 Jan 2024 03:04:05 GMT",
        "Xyz, 02 Jan 2024 03:04:05 GMT",
        "Tue, 30 Feb 2024 03:04:05 GMT",
        "Tue, 02 Jan 2024 24:04:05 GMT",
        "Tue, 02 Jan 2024 03:04:05 GMT ",
        "Tue, 02 Jan 2024 03:04:05. GMT",
        "Sun Nov  6 08:49:37 94",
        "Sunday, 06-Nov-1994 08:49:37 GMT",
    ] {
        let e = parse_err(text, HttpDate);
        assert!(e.contains("HTTP date"), "{e}");
    }
}

#[test]
fn epoch_seconds_parse() {
    assert_eq!(parse("1704164645", EpochSeconds), dt(T, 0));
    assert_eq!(parse("1704164645.123", EpochSeconds), dt(T, 123_000_000));
    assert_eq!(parse("1704164645.5", EpochSeconds), dt(T, 500_000_000));
    assert_eq!(parse("0", EpochSeconds), dt(0, 0));
    assert_eq!(parse("-0", EpochSeconds), dt(0, 0));
    assert_eq!(parse("-1.5", EpochSeconds), dt(-2, 500_000_000));
    assert_eq!(parse("-0.000000001", EpochSeconds), dt(-1, 999_999_999));
    assert_eq!(parse("1.1234567891", EpochSeconds), dt(1, 123_456_789));
    assert_eq!(parse("1.7041646451E9", EpochSeconds), dt(T, 100_000_000));
    assert_eq!(parse("1e3", EpochSeconds), dt(1000, 0));
    assert_eq!(parse("15e-1", EpochSeconds), dt(1, 500_000_000));
    assert_eq!(parse("-2.5e+0", EpochSeconds), dt(-3, 500_000_000));
    assert_eq!(parse("9223372036854775807", EpochSeconds), dt(i64::MAX, 0));
    assert_eq!(parse("-9223372036854775808", EpochSeconds), dt(i64::MIN, 0));
    for text in [
        "",
        "-",
        "+1",
        "1.",
        ".5",
        "1..2",
        "1e",
        "1e+",
        "abc",
        "0x10",
        " 1",
        "1 ",
        "NaN",
        "Infinity",
        "inf",
        "1,5",
        "9223372036854775808",
        "-9223372036854775809",
        "1e19",
        "99999999999999999999999999999999999999999999999999",
    ] {
        let e = parse_err(text, EpochSeconds);
        assert!(e.contains("epoch-seconds"), "{e}");
    }
}

#[test]
fn nothing_panics_on_odd_input() {
    let seeds = [
        "2024-01-02T03:04:05.123+01:00",
        "Tue, 02 Jan 2024 03:04:05.123 GMT",
        "Sunday, 06-Nov-94 08:49:37 GMT",
        "Sun Nov  6 08:49:37 1994",
        "-1704164645.123e-3",
    ];
    for seed in seeds {
        for end in 0..=seed.len() {
            for format in [Rfc3339, HttpDate, EpochSeconds] {
                let _ = DateTime::parse(&seed[..end], format);
                let mut changed = seed.as_bytes().to_vec();
                if end < changed.len() {
                    for b in [b'9', b'-', b':', b'Z', b'x', 0xC3] {
                        changed[end] = b;
                        let text = String::from_utf8_lossy(&changed);
                        let _ = DateTime::parse(&text, format);
                    }
                }
            }
        }
    }
}
