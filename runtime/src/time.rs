//! The `timestamp` shape: [`DateTime`], its wire formats and errors.

mod civil;
mod format;
mod parse;

use std::error::Error;
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const NANOS_PER_SEC: u32 = 1_000_000_000;

/// An instant in UTC: whole seconds since the Unix epoch plus sub-second nanoseconds.
///
/// `nanos` is always below 1e9 and never negative, so an instant before the
/// epoch has `secs < 0` (e.g. -0.5 s is `secs = -1, nanos = 500_000_000`).
/// Ordering follows time.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DateTime {
    // Field order matters: the derived `Ord` compares `secs` first.
    secs: i64,
    nanos: u32,
}

/// Wire representations of a timestamp (Smithy's `timestampFormat` trait).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum TimestampFormat {
    /// RFC 3339 `date-time` in UTC, e.g. `2024-01-02T03:04:05Z` (awsQuery default).
    DateTime,
    /// RFC 7231 IMF-fixdate, e.g. `Tue, 02 Jan 2024 03:04:05 GMT`.
    HttpDate,
    /// Seconds since the Unix epoch, e.g. `1704164645.123`.
    EpochSeconds,
}

impl DateTime {
    /// Whole seconds since the Unix epoch.
    pub const fn from_secs(secs: i64) -> Self {
        Self { secs, nanos: 0 }
    }

    /// Milliseconds since the Unix epoch.
    pub const fn from_millis(millis: i64) -> Self {
        Self {
            secs: millis.div_euclid(1000),
            // rem_euclid is in 0..1000, so the cast and product cannot overflow.
            nanos: millis.rem_euclid(1000) as u32 * 1_000_000,
        }
    }

    /// Seconds plus nanoseconds; nanoseconds of a second or more carry into the
    /// seconds (saturating at the ends of the `i64` range).
    pub const fn from_secs_and_nanos(secs: i64, nanos: u32) -> Self {
        Self {
            secs: secs.saturating_add((nanos / NANOS_PER_SEC) as i64),
            nanos: nanos % NANOS_PER_SEC,
        }
    }

    /// Fractional seconds since the epoch, rounded to the nearest nanosecond.
    ///
    /// Rejects NaN, infinities and values outside the `i64` seconds range.
    pub fn from_fractional_secs(secs: f64) -> Result<Self, DateTimeError> {
        // 2^63 is exactly representable; anything at or beyond it overflows i64.
        const LIMIT: f64 = 9_223_372_036_854_775_808.0;
        if !secs.is_finite() {
            return Err(DateTimeError::new(format!(
                "{secs} is not a finite number of seconds"
            )));
        }
        let whole = secs.floor();
        if !(-LIMIT..LIMIT).contains(&whole) {
            return Err(DateTimeError::new(format!(
                "{secs} seconds is outside the supported range"
            )));
        }
        // In range, so the cast is exact; the fraction is in [0, 1).
        let nanos = ((secs - whole) * f64::from(NANOS_PER_SEC)).round() as u32;
        Ok(Self::from_secs_and_nanos(whole as i64, nanos))
    }

    /// Whole seconds since the epoch (rounded towards negative infinity).
    pub const fn secs(&self) -> i64 {
        self.secs
    }

    /// Nanoseconds past [`secs`](Self::secs), in `0..1_000_000_000`.
    pub const fn subsec_nanos(&self) -> u32 {
        self.nanos
    }

    /// Milliseconds since the epoch (rounded towards negative infinity); fails
    /// only when the result does not fit in an `i64`.
    pub fn to_millis(&self) -> Result<i64, DateTimeError> {
        // i128 cannot overflow here; only the final narrowing can fail.
        let millis = i128::from(self.secs) * 1000 + i128::from(self.nanos / 1_000_000);
        i64::try_from(millis).map_err(|_| {
            DateTimeError::new(format!(
                "{} seconds does not fit in i64 milliseconds",
                self.secs
            ))
        })
    }

    /// Formats this instant in `format`.
    ///
    /// Fails for `DateTime` and `HttpDate` when the year is outside 0001..=9999,
    /// which those formats cannot express.
    pub fn fmt(&self, format: TimestampFormat) -> Result<String, DateTimeError> {
        let mut out = String::with_capacity(32);
        self.write_to(format, &mut out)?;
        Ok(out)
    }

    /// Appends this instant in `format` to `out`; see [`fmt`](Self::fmt).
    ///
    /// On error nothing is appended.
    pub fn write_to(&self, format: TimestampFormat, out: &mut String) -> Result<(), DateTimeError> {
        match format {
            TimestampFormat::DateTime => format::rfc3339(*self, out),
            TimestampFormat::HttpDate => format::http_date(*self, out),
            TimestampFormat::EpochSeconds => {
                format::epoch_seconds(*self, out);
                Ok(())
            }
        }
    }

    /// Parses `text` in `format`.
    ///
    /// - `DateTime`: RFC 3339 `date-time` with any offset (converted to UTC) and
    ///   fractional seconds of any length (kept to the nanosecond, extra digits
    ///   truncated).
    /// - `HttpDate`: IMF-fixdate (optionally with fractional seconds), RFC 850 or
    ///   asctime.
    /// - `EpochSeconds`: `[-]digits[.digits][e[+-]digits]`.
    pub fn parse(text: &str, format: TimestampFormat) -> Result<Self, DateTimeError> {
        match format {
            TimestampFormat::DateTime => parse::rfc3339(text),
            TimestampFormat::HttpDate => parse::http_date(text),
            TimestampFormat::EpochSeconds => parse::epoch_seconds(text),
        }
    }
}

impl fmt::Display for DateTime {
    /// RFC 3339 in UTC; years outside 0000..=9999 use the ISO 8601 expanded
    /// form (`+10000-01-01T00:00:00Z`) so that display never fails.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::with_capacity(32);
        format::rfc3339_expanded(*self, &mut out);
        f.write_str(&out)
    }
}

impl std::str::FromStr for DateTime {
    type Err = DateTimeError;

    /// Parses RFC 3339, like `DateTime::parse(s, TimestampFormat::DateTime)`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse::rfc3339(s)
    }
}

impl From<SystemTime> for DateTime {
    /// Saturates at the ends of the `i64` seconds range.
    fn from(time: SystemTime) -> Self {
        match time.duration_since(UNIX_EPOCH) {
            Ok(after) => Self {
                secs: i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
                nanos: after.subsec_nanos(),
            },
            Err(err) => {
                let before = err.duration();
                let secs = i64::try_from(before.as_secs()).unwrap_or(i64::MAX);
                match before.subsec_nanos() {
                    0 => Self::from_secs(secs.saturating_neg()),
                    n => Self {
                        secs: secs.saturating_neg().saturating_sub(1),
                        nanos: NANOS_PER_SEC - n,
                    },
                }
            }
        }
    }
}

impl TryFrom<DateTime> for SystemTime {
    type Error = DateTimeError;

    fn try_from(time: DateTime) -> Result<Self, Self::Error> {
        let out_of_range =
            || DateTimeError::new(format!("{time} is outside the range of SystemTime"));
        if time.secs >= 0 {
            let after = Duration::new(time.secs.unsigned_abs(), time.nanos);
            UNIX_EPOCH.checked_add(after).ok_or_else(out_of_range)
        } else {
            let whole = UNIX_EPOCH
                .checked_sub(Duration::from_secs(time.secs.unsigned_abs()))
                .ok_or_else(out_of_range)?;
            whole
                .checked_add(Duration::from_nanos(u64::from(time.nanos)))
                .ok_or_else(out_of_range)
        }
    }
}

/// A timestamp could not be parsed, formatted or converted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateTimeError {
    message: String,
}

impl DateTimeError {
    fn new(message: String) -> Self {
        Self { message }
    }

    /// An error about `input` (quoted, truncated to 64 characters) in `format`.
    fn parse(format: TimestampFormat, input: &str, reason: &str) -> Self {
        const MAX_CHARS: usize = 64;
        let what = match format {
            TimestampFormat::DateTime => "RFC 3339 date-time",
            TimestampFormat::HttpDate => "HTTP date",
            TimestampFormat::EpochSeconds => "epoch-seconds timestamp",
        };
        let shown: String = input.chars().take(MAX_CHARS).collect();
        let ellipsis = if shown.len() < input.len() { "…" } else { "" };
        Self::new(format!("invalid {what} {shown:?}{ellipsis}: {reason}"))
    }
}

impl fmt::Display for DateTimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl Error for DateTimeError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_nanos() {
        let t = DateTime::from_secs_and_nanos(1, 2_500_000_000);
        assert_eq!((t.secs(), t.subsec_nanos()), (3, 500_000_000));
        let t = DateTime::from_secs_and_nanos(i64::MAX, u32::MAX);
        assert_eq!(t.secs(), i64::MAX);
        assert!(t.subsec_nanos() < NANOS_PER_SEC);
    }

    #[test]
    fn millis_round_trip() {
        for ms in [
            0,
            1,
            -1,
            999,
            -999,
            1000,
            -1001,
            1_704_164_645_123,
            i64::MIN,
            i64::MAX,
        ] {
            let t = DateTime::from_millis(ms);
            assert!(t.subsec_nanos() < NANOS_PER_SEC);
            assert_eq!(t.to_millis(), Ok(ms), "{ms}");
        }
        assert_eq!(DateTime::from_millis(-1).secs(), -1);
        assert_eq!(DateTime::from_millis(-1).subsec_nanos(), 999_000_000);
        assert!(DateTime::from_secs(i64::MAX).to_millis().is_err());
    }

    #[test]
    fn fractional_secs() {
        let t = DateTime::from_fractional_secs(-1.5).unwrap();
        assert_eq!((t.secs(), t.subsec_nanos()), (-2, 500_000_000));
        let t = DateTime::from_fractional_secs(1.999_999_999_9).unwrap();
        assert_eq!((t.secs(), t.subsec_nanos()), (2, 0));
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 1e19, -1e19] {
            assert!(DateTime::from_fractional_secs(bad).is_err(), "{bad}");
        }
        assert!(DateTime::from_fractional_secs(-(2f64.powi(63))).is_ok());
    }

    #[test]
    fn system_time_round_trip() {
        for (secs, nanos) in [
            (0, 0),
            (1, 5),
            (-1, 5),
            (-1, 0),
            (1_704_164_645, 123_000_000),
        ] {
            let t = DateTime::from_secs_and_nanos(secs, nanos);
            let st = SystemTime::try_from(t).unwrap();
            assert_eq!(DateTime::from(st), t);
        }
        let before = UNIX_EPOCH - Duration::from_millis(1500);
        assert_eq!(DateTime::from(before), DateTime::from_millis(-1500));
    }

    #[test]
    fn ordering_follows_time() {
        assert!(DateTime::from_millis(-1500) < DateTime::from_millis(-500));
        assert!(DateTime::from_millis(-1) < DateTime::from_secs(0));
    }

    #[test]
    fn error_truncates_input() {
        let long = "x".repeat(100);
        let msg = DateTimeError::parse(TimestampFormat::DateTime, &long, "bad").to_string();
        assert!(msg.contains(&format!("\"{}\"…", "x".repeat(64))), "{msg}");
        assert!(!msg.contains(&"x".repeat(65)));
    }
}
