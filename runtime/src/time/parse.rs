//! Parsing each wire format into a [`DateTime`]; strict, with errors that say
//! what was wrong and where.

use super::civil::{days_from_civil, days_in_month, SECS_PER_DAY};
use super::format::{MONTHS, WEEKDAYS};
use super::{DateTime, DateTimeError, TimestampFormat, NANOS_PER_SEC};

const LONG_WEEKDAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Byte cursor that turns every failure into a [`DateTimeError`] quoting the input.
struct Cursor<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    format: TimestampFormat,
}

impl<'a> Cursor<'a> {
    fn new(text: &'a str, format: TimestampFormat) -> Self {
        Self {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            format,
        }
    }

    fn error(&self, reason: &str) -> DateTimeError {
        DateTimeError::parse(self.format, self.text, reason)
    }

    /// Error naming what was expected at the current offset.
    fn expected(&self, what: &str) -> DateTimeError {
        let found = match self.bytes.get(self.pos) {
            None => "end of input".to_string(),
            Some(_) => {
                let c = self.text.get(self.pos..).and_then(|s| s.chars().next());
                format!("{:?}", c.unwrap_or('\u{FFFD}'))
            }
        };
        self.error(&format!(
            "expected {what} at offset {}, found {found}",
            self.pos
        ))
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn eat(&mut self, byte: u8) -> bool {
        if self.peek() == Some(byte) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, byte: u8, what: &str) -> Result<(), DateTimeError> {
        if self.eat(byte) {
            Ok(())
        } else {
            Err(self.expected(what))
        }
    }

    /// Exactly `n` ASCII digits (n <= 9, so the value fits in u32).
    fn digits(&mut self, n: usize, what: &str) -> Result<u32, DateTimeError> {
        let mut value = 0u32;
        for _ in 0..n {
            match self.peek() {
                Some(b @ b'0'..=b'9') => {
                    value = value * 10 + u32::from(b - b'0');
                    self.pos += 1;
                }
                _ => return Err(self.expected(&format!("{n}-digit {what}"))),
            }
        }
        Ok(value)
    }

    /// `.` followed by one or more digits, if present; kept to 9 digits (truncated).
    fn fraction(&mut self) -> Result<u32, DateTimeError> {
        if !self.eat(b'.') {
            return Ok(0);
        }
        let start = self.pos;
        let mut nanos = 0u32;
        while let Some(b @ b'0'..=b'9') = self.peek() {
            if self.pos - start < 9 {
                nanos = nanos * 10 + u32::from(b - b'0');
            }
            self.pos += 1;
        }
        let len = self.pos - start;
        if len == 0 {
            return Err(self.expected("digits after the decimal point"));
        }
        for _ in len..9 {
            nanos *= 10;
        }
        Ok(nanos)
    }

    /// A (possibly empty) run of ASCII digits.
    fn run_of_digits(&mut self) -> &'a str {
        let start = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
        self.text.get(start..self.pos).unwrap_or("")
    }

    /// ASCII letters, as a string slice (may be empty).
    fn word(&mut self) -> &'a str {
        let start = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_alphabetic()) {
            self.pos += 1;
        }
        self.text.get(start..self.pos).unwrap_or("")
    }

    fn end(&self) -> Result<(), DateTimeError> {
        if self.pos == self.bytes.len() {
            Ok(())
        } else {
            Err(self.expected("end of input"))
        }
    }
}

/// Calendar fields before validation and conversion.
struct Civil {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    nanos: u32,
}

impl Civil {
    /// Validates ranges and converts to a `DateTime` shifted by `offset_secs`
    /// (local time minus UTC).
    fn to_utc(&self, c: &Cursor<'_>, offset_secs: i64) -> Result<DateTime, DateTimeError> {
        if !(1..=12).contains(&self.month) {
            return Err(c.error(&format!("month {} is out of range 01-12", self.month)));
        }
        let month_days = days_in_month(self.year, self.month);
        if self.day == 0 || self.day > month_days {
            let month_name = MONTH_NAMES[(self.month - 1) as usize];
            return Err(c.error(&format!(
                "day {} does not exist in {month_name} {} (it has {month_days} days)",
                self.day, self.year
            )));
        }
        if self.hour > 23 {
            return Err(c.error(&format!("hour {} is out of range 00-23", self.hour)));
        }
        if self.minute > 59 {
            return Err(c.error(&format!("minute {} is out of range 00-59", self.minute)));
        }
        // Leap seconds (60) are rejected: AWS never sends them and UTC-based
        // epoch arithmetic cannot represent them.
        if self.second > 59 {
            return Err(c.error(&format!("second {} is out of range 00-59", self.second)));
        }
        let days = days_from_civil(self.year, self.month, self.day);
        let secs = days * SECS_PER_DAY
            + i64::from(self.hour * 3600 + self.minute * 60 + self.second)
            - offset_secs;
        Ok(DateTime::from_secs_and_nanos(secs, self.nanos))
    }
}

/// RFC 3339 `date-time`: `YYYY-MM-DD(T|t)hh:mm:ss[.f+](Z|z|±hh:mm)`.
pub(super) fn rfc3339(text: &str) -> Result<DateTime, DateTimeError> {
    let mut c = Cursor::new(text, TimestampFormat::DateTime);
    let year = i64::from(c.digits(4, "year")?);
    c.expect(b'-', "'-' after the year")?;
    let month = c.digits(2, "month")?;
    c.expect(b'-', "'-' after the month")?;
    let day = c.digits(2, "day")?;
    if !(c.eat(b'T') || c.eat(b't')) {
        return Err(c.expected("'T' between date and time"));
    }
    let hour = c.digits(2, "hour")?;
    c.expect(b':', "':' after the hour")?;
    let minute = c.digits(2, "minute")?;
    c.expect(b':', "':' after the minute")?;
    let second = c.digits(2, "second")?;
    let nanos = c.fraction()?;
    let offset_secs = match c.peek() {
        Some(b'Z' | b'z') => {
            c.pos += 1;
            0
        }
        Some(sign @ (b'+' | b'-')) => {
            c.pos += 1;
            let oh = c.digits(2, "offset hour")?;
            c.expect(b':', "':' in the UTC offset")?;
            let om = c.digits(2, "offset minute")?;
            if oh > 23 || om > 59 {
                return Err(c.error(&format!("UTC offset {oh:02}:{om:02} is out of range")));
            }
            let secs = i64::from(oh * 3600 + om * 60);
            if sign == b'-' {
                -secs
            } else {
                secs
            }
        }
        _ => return Err(c.expected("time zone offset ('Z' or ±hh:mm)")),
    };
    c.end()?;
    let civil = Civil {
        year,
        month,
        day,
        hour,
        minute,
        second,
        nanos,
    };
    civil.to_utc(&c, offset_secs)
}

/// IMF-fixdate (`Sun, 06 Nov 1994 08:49:37[.123] GMT`), RFC 850
/// (`Sunday, 06-Nov-94 08:49:37 GMT`) or asctime (`Sun Nov  6 08:49:37 1994`).
pub(super) fn http_date(text: &str) -> Result<DateTime, DateTimeError> {
    let mut c = Cursor::new(text, TimestampFormat::HttpDate);
    let weekday = c.word();
    let civil = if c.eat(b',') {
        if WEEKDAYS.iter().any(|w| w.eq_ignore_ascii_case(weekday)) {
            imf_fixdate(&mut c)?
        } else if LONG_WEEKDAYS
            .iter()
            .any(|w| w.eq_ignore_ascii_case(weekday))
        {
            rfc850(&mut c)?
        } else {
            return Err(c.error(&format!("{weekday:?} is not a day of the week")));
        }
    } else if c.peek() == Some(b' ') && WEEKDAYS.iter().any(|w| w.eq_ignore_ascii_case(weekday)) {
        asctime(&mut c)?
    } else {
        return Err(
            c.error("expected a day name followed by ',' (IMF-fixdate, RFC 850) or ' ' (asctime)")
        );
    };
    c.end()?;
    civil.to_utc(&c, 0)
}

fn imf_fixdate(c: &mut Cursor<'_>) -> Result<Civil, DateTimeError> {
    c.expect(b' ', "' ' after the day name")?;
    let day = c.digits(2, "day")?;
    c.expect(b' ', "' ' after the day")?;
    let month = month(c)?;
    c.expect(b' ', "' ' after the month")?;
    let year = i64::from(c.digits(4, "year")?);
    c.expect(b' ', "' ' after the year")?;
    let civil = clock(c, year, month, day)?;
    gmt(c)?;
    Ok(civil)
}

fn rfc850(c: &mut Cursor<'_>) -> Result<Civil, DateTimeError> {
    c.expect(b' ', "' ' after the day name")?;
    let day = c.digits(2, "day")?;
    c.expect(b'-', "'-' after the day")?;
    let month = month(c)?;
    c.expect(b'-', "'-' after the month")?;
    let yy = i64::from(c.digits(2, "year")?);
    // Two-digit years: 70-99 are 19xx, 00-69 are 20xx (the usual POSIX pivot).
    let year = if yy >= 70 { 1900 + yy } else { 2000 + yy };
    c.expect(b' ', "' ' after the year")?;
    let civil = clock(c, year, month, day)?;
    gmt(c)?;
    Ok(civil)
}

fn asctime(c: &mut Cursor<'_>) -> Result<Civil, DateTimeError> {
    c.expect(b' ', "' ' after the day name")?;
    let month = month(c)?;
    c.expect(b' ', "' ' after the month")?;
    // The day is space-padded (`Nov  6`); accept a zero-padded one as well.
    let day = if c.eat(b' ') {
        c.digits(1, "day")?
    } else {
        c.digits(2, "day")?
    };
    c.expect(b' ', "' ' after the day")?;
    let mut civil = clock(c, 0, month, day)?;
    c.expect(b' ', "' ' after the time")?;
    civil.year = i64::from(c.digits(4, "year")?);
    Ok(civil)
}

/// Three-letter month name → 1..=12.
fn month(c: &mut Cursor<'_>) -> Result<u32, DateTimeError> {
    let start = c.pos;
    let name = c.word();
    match MONTHS.iter().position(|m| m.eq_ignore_ascii_case(name)) {
        // position is below 12, so the cast is exact.
        Some(i) => Ok(i as u32 + 1),
        None => {
            c.pos = start;
            Err(c.expected("three-letter month name"))
        }
    }
}

/// `hh:mm:ss[.f+]` into a `Civil` with the given date.
fn clock(c: &mut Cursor<'_>, year: i64, month: u32, day: u32) -> Result<Civil, DateTimeError> {
    let hour = c.digits(2, "hour")?;
    c.expect(b':', "':' after the hour")?;
    let minute = c.digits(2, "minute")?;
    c.expect(b':', "':' after the minute")?;
    let second = c.digits(2, "second")?;
    // Not in RFC 7231, but some AWS services send milliseconds here.
    let nanos = c.fraction()?;
    Ok(Civil {
        year,
        month,
        day,
        hour,
        minute,
        second,
        nanos,
    })
}

fn gmt(c: &mut Cursor<'_>) -> Result<(), DateTimeError> {
    c.expect(b' ', "' ' before the time zone")?;
    let start = c.pos;
    if c.word().eq_ignore_ascii_case("GMT") {
        Ok(())
    } else {
        c.pos = start;
        Err(c.expected("\"GMT\""))
    }
}

/// `[-]digits[.digits][(e|E)[+|-]digits]`, converted exactly (no float rounding);
/// digits below a nanosecond are truncated.
pub(super) fn epoch_seconds(text: &str) -> Result<DateTime, DateTimeError> {
    let mut c = Cursor::new(text, TimestampFormat::EpochSeconds);
    let negative = c.eat(b'-');
    let int_digits = c.run_of_digits();
    if int_digits.is_empty() {
        return Err(c.expected("digits"));
    }
    let frac_digits = if c.eat(b'.') {
        let digits = c.run_of_digits();
        if digits.is_empty() {
            return Err(c.expected("digits after the decimal point"));
        }
        digits
    } else {
        ""
    };
    let mut exponent: i64 = 0;
    if c.eat(b'e') || c.eat(b'E') {
        let exp_negative = if c.eat(b'-') {
            true
        } else {
            c.eat(b'+');
            false
        };
        let digits = c.run_of_digits();
        if digits.is_empty() {
            return Err(c.expected("exponent digits"));
        }
        for b in digits.bytes() {
            exponent = exponent
                .saturating_mul(10)
                .saturating_add(i64::from(b - b'0'));
        }
        if exp_negative {
            exponent = -exponent;
        }
    }
    c.end()?;

    // value = digits × 10^(exponent − fraction length); in nanoseconds add 9.
    let frac_len = i64::try_from(frac_digits.len()).unwrap_or(i64::MAX);
    let scale = exponent.saturating_sub(frac_len).saturating_add(9);
    let all_digits = int_digits.bytes().chain(frac_digits.bytes());
    // A negative scale drops that many trailing digits (truncation).
    let total_len = int_digits.len().saturating_add(frac_digits.len());
    let keep = if scale < 0 {
        total_len.saturating_sub(usize::try_from(scale.unsigned_abs()).unwrap_or(usize::MAX))
    } else {
        total_len
    };
    let mut magnitude: i128 = 0;
    for b in all_digits.take(keep) {
        // Saturating: anything this large fails the range check below.
        magnitude = magnitude
            .saturating_mul(10)
            .saturating_add(i128::from(b - b'0'));
    }
    if magnitude != 0 {
        // Past 10^40 nanoseconds everything saturates anyway; this bounds the loop.
        for _ in 0..scale.clamp(0, 40) {
            magnitude = magnitude.saturating_mul(10);
        }
        if scale > 40 {
            magnitude = i128::MAX;
        }
    }
    let total = if negative { -magnitude } else { magnitude };
    let secs = i64::try_from(total.div_euclid(i128::from(NANOS_PER_SEC)))
        .map_err(|_| c.error("outside the supported range"))?;
    // rem_euclid is in 0..1e9, so it fits in u32.
    let nanos = total.rem_euclid(i128::from(NANOS_PER_SEC)) as u32;
    Ok(DateTime::from_secs_and_nanos(secs, nanos))
}
