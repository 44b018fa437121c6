//! Decoding references in text content and parsing leaf values.

use std::borrow::Cow;

use super::scan::is_space;

/// Replacement text of one of XML's five predefined entities.
pub(super) fn predefined_entity(name: &str) -> Option<char> {
    Some(match name {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "apos" => '\'',
        "quot" => '"',
        _ => return None,
    })
}

/// The character a reference stands for, given what is between `&` and `;`:
/// `#` + decimal or `#x` + hexadecimal digits (no sign), or a predefined entity.
/// `None` if it is not defined or not an XML character.
pub(super) fn decode_reference(name: &str) -> Option<char> {
    let Some(number) = name.strip_prefix('#') else {
        return predefined_entity(name);
    };
    let (digits, radix) = match number.strip_prefix('x') {
        Some(hex) => (hex, 16),
        None => (number, 10),
    };
    // `from_str_radix` would accept a leading `+`.
    if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let code = u32::from_str_radix(digits, radix).ok()?;
    char::from_u32(code).filter(|&c| is_xml_char(c))
}

/// Appends `text` with XML 1.0 line-end normalisation (`\r\n` and a lone `\r`
/// become `\n`).
pub(super) fn push_normalized(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(i) = rest.find('\r') {
        out.push_str(rest.get(..i).unwrap_or_default());
        out.push('\n');
        let after = rest.get(i + 1..).unwrap_or_default();
        rest = after.strip_prefix('\n').unwrap_or(after);
    }
    out.push_str(rest);
}

/// Appends a piece of text, borrowing when it is the only piece.
pub(super) fn append<'a>(text: &mut Cow<'a, str>, piece: &'a str) {
    if text.is_empty() {
        *text = Cow::Borrowed(piece);
    } else if !piece.is_empty() {
        text.to_mut().push_str(piece);
    }
}

/// Whether `c` may appear in an XML 1.0 document (the `Char` production); a
/// character reference to anything else is not well-formed.
pub(super) fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Strict float syntax: `NaN`, `Infinity`, `-Infinity`, or a decimal number.
///
/// Rust's own parser also takes `inf`, `nan` and friends in any case; Smithy
/// does not, so those are refused here.
pub(super) fn parse_float<T: std::str::FromStr>(
    text: &str,
    nan: T,
    inf: T,
    neg_inf: T,
) -> Option<T> {
    match text {
        "NaN" => Some(nan),
        "Infinity" => Some(inf),
        "-Infinity" => Some(neg_inf),
        _ if text
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.' | b'e' | b'E')) =>
        {
            text.parse().ok()
        }
        _ => None,
    }
}

/// Up to 64 characters of `text` for an error message, quoted.
pub(super) fn quote(text: &str) -> String {
    const MAX_CHARS: usize = 64;
    let shown: String = text.chars().take(MAX_CHARS).collect();
    let ellipsis = if shown.len() < text.len() { "…" } else { "" };
    format!("{shown:?}{ellipsis}")
}

/// Trims the whitespace XML allows around values (space, tab, CR, LF).
pub(super) fn trim(text: &str) -> &str {
    // Byte-wise: the whitespace bytes are ASCII, so cutting there keeps `char`
    // boundaries.
    let bytes = text.as_bytes();
    let start = bytes
        .iter()
        .position(|&b| !is_space(b))
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|&b| !is_space(b))
        .map_or(start, |i| i + 1);
    text.get(start..end).unwrap_or_default()
}
