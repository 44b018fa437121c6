//! Writing [`DateTime`] in each wire format, straight into a `String`.

use super::civil::{civil_from_days, weekday, SECS_PER_DAY};
use super::{DateTime, DateTimeError, NANOS_PER_SEC};

pub(super) const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
pub(super) const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Calendar fields of an instant in UTC.
struct Fields {
    days: i64,
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
}

fn fields(t: DateTime) -> Fields {
    let days = t.secs.div_euclid(SECS_PER_DAY);
    // rem_euclid is in 0..86_400, so the cast is exact.
    let secs_of_day = t.secs.rem_euclid(SECS_PER_DAY) as u32;
    let (year, month, day) = civil_from_days(days);
    Fields {
        days,
        year,
        month,
        day,
        hour: secs_of_day / 3600,
        minute: secs_of_day / 60 % 60,
        second: secs_of_day % 60,
    }
}

/// Checks the year first so that nothing is written on error.
fn four_digit_year(t: DateTime, what: &str) -> Result<Fields, DateTimeError> {
    let f = fields(t);
    if (1..=9999).contains(&f.year) {
        Ok(f)
    } else {
        Err(DateTimeError::new(format!(
            "cannot format {t} as {what}: the year must be within 0001..=9999"
        )))
    }
}

/// `2024-01-02T03:04:05Z`, with `.fff…` (trailing zeros trimmed) when there are nanos.
pub(super) fn rfc3339(t: DateTime, out: &mut String) -> Result<(), DateTimeError> {
    let f = four_digit_year(t, "an RFC 3339 date-time")?;
    write_rfc3339(&f, t.nanos, out);
    Ok(())
}

/// Like [`rfc3339`] but never fails: other years get a sign and at least 4 digits.
pub(super) fn rfc3339_expanded(t: DateTime, out: &mut String) {
    let f = fields(t);
    write_rfc3339(&f, t.nanos, out);
}

fn write_rfc3339(f: &Fields, nanos: u32, out: &mut String) {
    write_year(f.year, out);
    out.push('-');
    push2(f.month, out);
    out.push('-');
    push2(f.day, out);
    out.push('T');
    write_clock(f, out);
    write_fraction(nanos, out);
    out.push('Z');
}

/// `Tue, 02 Jan 2024 03:04:05 GMT`; HTTP dates carry no fraction, so it is dropped.
pub(super) fn http_date(t: DateTime, out: &mut String) -> Result<(), DateTimeError> {
    let f = four_digit_year(t, "an HTTP date")?;
    out.push_str(WEEKDAYS[weekday(f.days)]);
    out.push_str(", ");
    push2(f.day, out);
    out.push(' ');
    // month is 1..=12 by construction.
    out.push_str(MONTHS[(f.month as usize + 11) % 12]);
    out.push(' ');
    write_year(f.year, out);
    out.push(' ');
    write_clock(&f, out);
    out.push_str(" GMT");
    Ok(())
}

/// `1704164645`, or `1704164645.123` with trailing zeros trimmed.
pub(super) fn epoch_seconds(t: DateTime, out: &mut String) {
    // i128 holds every secs * 1e9 + nanos, so the sign and magnitude split is exact.
    let total = i128::from(t.secs) * i128::from(NANOS_PER_SEC) + i128::from(t.nanos);
    if total < 0 {
        out.push('-');
    }
    let magnitude = total.unsigned_abs();
    let nanos_per_sec = u128::from(NANOS_PER_SEC);
    push_u128(magnitude / nanos_per_sec, out);
    // The remainder is below 1e9, so it fits in u32.
    write_fraction((magnitude % nanos_per_sec) as u32, out);
}

fn write_year(year: i64, out: &mut String) {
    if (0..=9999).contains(&year) {
        // In range, so the cast is exact.
        let y = year as u32;
        push2(y / 100, out);
        push2(y % 100, out);
    } else {
        out.push(if year < 0 { '-' } else { '+' });
        let magnitude = year.unsigned_abs();
        if magnitude < 1000 {
            // At least four digits, as ISO 8601 expanded years require.
            for _ in 0..(4 - decimal_len(u128::from(magnitude))) {
                out.push('0');
            }
        }
        push_u128(u128::from(magnitude), out);
    }
}

fn write_clock(f: &Fields, out: &mut String) {
    push2(f.hour, out);
    out.push(':');
    push2(f.minute, out);
    out.push(':');
    push2(f.second, out);
}

/// `.` plus up to 9 digits without trailing zeros; nothing for zero.
fn write_fraction(nanos: u32, out: &mut String) {
    if nanos == 0 {
        return;
    }
    let mut digits = [b'0'; 9];
    let mut n = nanos;
    for d in digits.iter_mut().rev() {
        *d = b'0' + (n % 10) as u8;
        n /= 10;
    }
    let len = digits.iter().rposition(|&d| d != b'0').map_or(0, |i| i + 1);
    out.push('.');
    for &d in &digits[..len] {
        out.push(char::from(d));
    }
}

/// Two digits of a value below 100.
fn push2(n: u32, out: &mut String) {
    out.push(char::from(b'0' + (n / 10 % 10) as u8));
    out.push(char::from(b'0' + (n % 10) as u8));
}

fn decimal_len(mut n: u128) -> usize {
    let mut len = 1;
    while n >= 10 {
        n /= 10;
        len += 1;
    }
    len
}

fn push_u128(mut n: u128, out: &mut String) {
    let mut buf = [0u8; 40];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &buf[i..] {
        out.push(char::from(d));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expanded(t: DateTime) -> String {
        let mut s = String::new();
        rfc3339_expanded(t, &mut s);
        s
    }

    #[test]
    fn expanded_years() {
        assert_eq!(
            expanded(DateTime::from_secs(253_402_300_800)),
            "+10000-01-01T00:00:00Z"
        );
        assert_eq!(
            expanded(DateTime::from_secs(-62_167_219_200)),
            "0000-01-01T00:00:00Z"
        );
        assert_eq!(
            expanded(DateTime::from_secs(-62_167_219_201)),
            "-0001-12-31T23:59:59Z"
        );
        // Extremes must not panic.
        let _ = expanded(DateTime::from_secs(i64::MIN));
        let _ = expanded(DateTime::from_secs_and_nanos(i64::MAX, 999_999_999));
    }

    #[test]
    fn epoch_extremes() {
        let mut s = String::new();
        epoch_seconds(DateTime::from_secs(i64::MIN), &mut s);
        assert_eq!(s, i64::MIN.to_string());
    }
}
