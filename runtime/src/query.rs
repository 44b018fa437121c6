//! awsQuery request bodies (`application/x-www-form-urlencoded`).
//!
//! Serializers walk the input shape and push key segments onto one reusable
//! key buffer, so writing a member allocates nothing beyond the body itself.

use std::fmt::Write as _;

use crate::time::{DateTime, DateTimeError, TimestampFormat};

/// Builds an awsQuery form body: `Action=…&Version=…&Key.Path=value…`.
///
/// ```
/// use aws_lite_runtime::query::QueryWriter;
/// let mut w = QueryWriter::new("TestMigration", "2015-02-02");
/// let list = w.push("CustomerNodeEndpointList");
/// let item = w.push_index(Some("member"), 1);
/// let field = w.push("Address");
/// w.string("10.0.0.5");
/// w.pop(field);
/// w.pop(item);
/// w.pop(list);
/// assert_eq!(
///     w.finish(),
///     "Action=TestMigration&Version=2015-02-02&CustomerNodeEndpointList.member.1.Address=10.0.0.5"
/// );
/// ```
#[derive(Debug, Clone)]
pub struct QueryWriter {
    body: String,
    /// Current key, already percent-encoded (so always ASCII).
    key: String,
    /// Reused for values that are rendered before encoding (base64, timestamps).
    scratch: String,
}

impl QueryWriter {
    /// Starts a body for `action` of the service API `version`.
    pub fn new(action: &str, version: &str) -> Self {
        Self::with_capacity(action, version, 256)
    }

    /// Like [`new`](Self::new), reserving `capacity` bytes for the body.
    pub fn with_capacity(action: &str, version: &str, capacity: usize) -> Self {
        let mut body = String::with_capacity(capacity);
        body.push_str("Action=");
        percent_encode(action, &mut body);
        body.push_str("&Version=");
        percent_encode(version, &mut body);
        Self {
            body,
            key: String::with_capacity(64),
            scratch: String::new(),
        }
    }

    /// Appends `.segment` (just `segment` at the top level) to the key and
    /// returns a mark for [`pop`](Self::pop).
    pub fn push(&mut self, segment: &str) -> usize {
        let mark = self.key.len();
        if mark != 0 {
            self.key.push('.');
        }
        percent_encode(segment, &mut self.key);
        mark
    }

    /// Appends `.segment.index` (or `.index` when `segment` is `None`, as for
    /// flattened lists and maps) and returns a mark for [`pop`](Self::pop).
    pub fn push_index(&mut self, segment: Option<&str>, index: usize) -> usize {
        let mark = self.key.len();
        if let Some(segment) = segment {
            self.push(segment);
        }
        if !self.key.is_empty() {
            self.key.push('.');
        }
        push_u64(index as u64, &mut self.key);
        mark
    }

    /// Truncates the key back to a mark returned by `push`/`push_index`.
    pub fn pop(&mut self, mark: usize) {
        // The key is ASCII, so any mark is a char boundary and truncate cannot panic.
        self.key.truncate(mark);
    }

    /// Starts a `&key=` pair; the caller appends the encoded value.
    fn start(&mut self) {
        self.body.push('&');
        self.body.push_str(&self.key);
        self.body.push('=');
    }

    /// Writes a string (or enum) value; an empty string gives `key=`.
    pub fn string(&mut self, value: &str) {
        self.start();
        percent_encode(value, &mut self.body);
    }

    /// Writes `true` or `false`.
    pub fn boolean(&mut self, value: bool) {
        self.start();
        self.body.push_str(if value { "true" } else { "false" });
    }

    /// Writes a signed integer (byte, short, integer, long).
    pub fn integer(&mut self, value: i64) {
        self.start();
        if value < 0 {
            self.body.push('-');
        }
        push_u64(value.unsigned_abs(), &mut self.body);
    }

    /// Writes an unsigned integer.
    pub fn unsigned(&mut self, value: u64) {
        self.start();
        push_u64(value, &mut self.body);
    }

    /// Writes a float: the shortest decimal that reads back as the same `f32`,
    /// or `NaN`, `Infinity`, `-Infinity`.
    pub fn float(&mut self, value: f32) {
        self.double_inner(f64::from(value), |v, out| {
            let _ = write!(out, "{}", v as f32);
        });
    }

    /// Writes a double: the shortest decimal that reads back as the same `f64`,
    /// or `NaN`, `Infinity`, `-Infinity`.
    pub fn double(&mut self, value: f64) {
        self.double_inner(value, |v, out| {
            let _ = write!(out, "{v}");
        });
    }

    fn double_inner(&mut self, value: f64, finite: impl FnOnce(f64, &mut String)) {
        self.start();
        if value.is_nan() {
            self.body.push_str("NaN");
        } else if value.is_infinite() {
            self.body
                .push_str(if value > 0.0 { "Infinity" } else { "-Infinity" });
        } else {
            // `Display` for floats prints plain decimal digits (never an exponent),
            // the shortest that round-trip; only `-` and `.` appear, neither needs encoding.
            finite(value, &mut self.body);
        }
    }

    /// Writes a `bigInteger`/`bigDecimal` already rendered as text.
    pub fn big(&mut self, value: &str) {
        self.string(value);
    }

    /// Writes a timestamp in `format`; on error nothing is written.
    pub fn date_time(
        &mut self,
        value: &DateTime,
        format: TimestampFormat,
    ) -> Result<(), DateTimeError> {
        self.scratch.clear();
        value.write_to(format, &mut self.scratch)?;
        self.start();
        percent_encode(&self.scratch, &mut self.body);
        Ok(())
    }

    /// Writes a blob as standard base64 (then percent-encoded).
    pub fn blob(&mut self, value: &[u8]) {
        self.scratch.clear();
        crate::base64::encode_to(value, &mut self.scratch);
        self.start();
        percent_encode(&self.scratch, &mut self.body);
    }

    /// Writes `key=`, which is how an empty list is sent.
    pub fn empty(&mut self) {
        self.start();
    }

    /// The body written so far.
    pub fn as_str(&self) -> &str {
        &self.body
    }

    /// Returns the finished body.
    pub fn finish(self) -> String {
        self.body
    }
}

/// Bytes RFC 3986 leaves unreserved: `A–Z a–z 0–9 - . _ ~`.
const UNRESERVED: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] =
            matches!(b as u8, b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~');
        b += 1;
    }
    table
};

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// Appends `text` percent-encoded per RFC 3986 (UTF-8 bytes as uppercase `%XX`,
/// so space is `%20` and `+` is `%2B`).
pub fn percent_encode(text: &str, out: &mut String) {
    let bytes = text.as_bytes();
    let mut run_start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if UNRESERVED[b as usize] {
            continue;
        }
        // The run is ASCII and ends before byte `i`, so both ends are char boundaries.
        out.push_str(text.get(run_start..i).unwrap_or_default());
        out.push('%');
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 0xF)]));
        run_start = i + 1;
    }
    out.push_str(text.get(run_start..).unwrap_or_default());
}

/// Decimal digits of `n`, without going through `fmt`.
pub(crate) fn push_u64(mut n: u64, out: &mut String) {
    let mut buf = [0u8; 20];
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

    #[test]
    fn unreserved_table() {
        for b in 0..=255u8 {
            let expected = b.is_ascii_alphanumeric() || b"-._~".contains(&b);
            assert_eq!(UNRESERVED[b as usize], expected, "{b}");
        }
    }

    #[test]
    fn integers() {
        for v in [0, 1, -1, 42, i64::MIN, i64::MAX] {
            let mut w = QueryWriter::new("A", "1");
            w.push("N");
            w.integer(v);
            assert_eq!(w.as_str(), format!("Action=A&Version=1&N={v}"));
        }
    }
}
