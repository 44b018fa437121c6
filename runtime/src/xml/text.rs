//! Decoding references in text content and parsing leaf values.

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
    text.trim_matches(|c: char| c.is_ascii_whitespace())
}
