//! Constraint traits hold sensible values: `length` and `range` bounds in order, and
//! `pattern` a regular expression that compiles.

use serde_json::Value;

use crate::diagnostics::Diagnostics;
use crate::model::Model;

use super::places;

/// Reports inverted bounds and patterns that are not regular expressions.
pub(super) fn check(model: &Model, diags: &mut Diagnostics) {
    for place in places(model) {
        let traits = place.traits();
        if let Some(length) = traits.length {
            if let (Some(min), Some(max)) = (length.min, length.max) {
                if min > max {
                    diags.push(
                        place
                            .diag(format!(
                                "`smithy.api#length` has `min` {min} greater than `max` {max}, so \
                                 no value can satisfy it"
                            ))
                            .help("make `min` at most `max` (swap them if they were reversed)"),
                    );
                }
            }
        }
        if let Some(range) = traits.range {
            if let (Some(min), Some(max)) = (range.min, range.max) {
                if min > max {
                    let raw = traits.raw.get("smithy.api#range");
                    let text = |key: &str, fallback: f64| {
                        raw.and_then(|r| r.get(key))
                            .filter(|v| v.is_number())
                            .map(Value::to_string)
                            .unwrap_or_else(|| fallback.to_string())
                    };
                    diags.push(
                        place
                            .diag(format!(
                                "`smithy.api#range` has `min` {} greater than `max` {}, so no \
                                 value can satisfy it",
                                text("min", min),
                                text("max", max)
                            ))
                            .help("make `min` at most `max` (swap them if they were reversed)"),
                    );
                }
            }
        }
        if let Some(pattern) = &traits.pattern {
            if let Err(e) = check_pattern(pattern) {
                diags.push(
                    place
                        .diag(format!(
                            "`smithy.api#pattern` {pattern:?} is not a valid regular expression \
                             (checked with the `regex-lite` crate generated clients use): {e}"
                        ))
                        .help(
                            "Smithy patterns are ECMA 262 regular expressions: fix the expression \
                             (a literal `(`, `[`, `{`, `*`, `+`, `?` or `\\` needs a `\\` before it)",
                        ),
                );
            }
        }
    }
}

/// Compiles a pattern with `regex-lite`, after rewriting the ECMA 262 constructs regex-lite
/// lacks but Smithy allows (lookaround, `\p{…}` classes, `\uXXXX` escapes, back-references)
/// into equivalents of the same shape; those only affect matching, not whether the pattern is
/// well formed. Returns regex-lite's message on failure.
pub(super) fn check_pattern(pattern: &str) -> Result<(), String> {
    let rewritten = ecma_to_regex_lite(pattern)?;
    regex_lite::Regex::new(&rewritten).map(|_| ()).map_err(|e| {
        let text = e.to_string();
        // regex-lite shows the pattern, a caret line, then `error: …`; keep the last.
        let last = text.lines().rev().find(|l| !l.trim().is_empty());
        last.unwrap_or(&text)
            .trim()
            .trim_start_matches("error: ")
            .to_string()
    })
}

/// The rewrite described at [`check_pattern`]; also rejects a quantifier that follows another
/// (`a**`), which ECMA forbids but regex-lite accepts.
fn ecma_to_regex_lite(pattern: &str) -> Result<String, String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut in_class = false;
    // After a quantifier; and whether its lazy `?` was seen.
    let mut quantified = false;
    let mut lazy = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if !in_class {
            let quantifier = match c {
                '*' | '+' | '?' => Some(1),
                '{' => quantifier_len(&chars[i..]),
                _ => None,
            };
            match quantifier {
                Some(_) if quantified && c == '?' && !lazy => lazy = true,
                Some(_) if quantified => {
                    return Err(format!(
                        "the quantifier `{c}` at character {} repeats another quantifier",
                        i + 1
                    ))
                }
                Some(_) => (quantified, lazy) = (true, false),
                None => (quantified, lazy) = (false, false),
            }
        }
        if c == '\\' {
            let Some(d) = next else {
                out.push('\\');
                break;
            };
            match d {
                'u' if hex4(&chars, i + 2).is_some() => {
                    let unit = hex4(&chars, i + 2).unwrap_or_default();
                    let low = (chars.get(i + 6) == Some(&'\\') && chars.get(i + 7) == Some(&'u'))
                        .then(|| hex4(&chars, i + 8))
                        .flatten()
                        .filter(|l| (0xDC00..=0xDFFF).contains(l));
                    let code = match low {
                        Some(low) if (0xD800..=0xDBFF).contains(&unit) => {
                            i += 6;
                            0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                        }
                        // A lone surrogate: any character stands in for it.
                        _ if (0xD800..=0xDFFF).contains(&unit) => 0xFFFD,
                        _ => unit,
                    };
                    out.push_str(&format!("\\x{{{code:X}}}"));
                    i += 6;
                }
                'p' | 'P' if chars.get(i + 2) == Some(&'{') => {
                    match chars[i + 2..].iter().position(|&x| x == '}') {
                        Some(end) => {
                            out.push_str(if d == 'p' { "\\w" } else { "\\W" });
                            i += 2 + end + 1;
                        }
                        None => {
                            out.push_str("\\p{");
                            i += 3;
                        }
                    }
                }
                'u' | 'x' if chars.get(i + 2) == Some(&'{') => {
                    // `\u{…}`/`\x{…}`: copied whole, so its braces are not read as a quantifier.
                    let end = chars[i..]
                        .iter()
                        .position(|&x| x == '}')
                        .map_or(chars.len(), |e| i + e + 1);
                    out.extend(&chars[i..end]);
                    i = end;
                }
                '1'..='9' if !in_class => {
                    // A back-reference: drop it.
                    i += 2;
                    while chars.get(i).is_some_and(char::is_ascii_digit) {
                        i += 1;
                    }
                }
                'k' if !in_class && chars.get(i + 2) == Some(&'<') => {
                    match chars[i + 2..].iter().position(|&x| x == '>') {
                        Some(end) => i += 2 + end + 1,
                        None => {
                            out.push_str("\\k");
                            i += 2;
                        }
                    }
                }
                '0' if !chars.get(i + 2).is_some_and(char::is_ascii_digit) => {
                    out.push_str("\\x00");
                    i += 2;
                }
                'c' if chars.get(i + 2).is_some_and(char::is_ascii_alphabetic) => {
                    out.push_str("\\x01");
                    i += 3;
                }
                _ => {
                    out.push(c);
                    out.push(d);
                    i += 2;
                }
            }
            continue;
        }
        if in_class {
            match c {
                ']' => in_class = false,
                // Rust's set operators and nested classes are literals in ECMA classes.
                '[' | '&' | '~' => out.push('\\'),
                '-' if next == Some('-') => out.push('\\'),
                _ => {}
            }
            out.push(c);
            i += 1;
            continue;
        }
        match c {
            '[' => {
                // `[]` matches nothing and `[^]` anything in ECMA; neither compiles in Rust.
                if next == Some(']') {
                    out.push_str("[^\\x00-\\x{10FFFF}]");
                    i += 2;
                    continue;
                }
                if next == Some('^') && chars.get(i + 2) == Some(&']') {
                    out.push_str("[\\x00-\\x{10FFFF}]");
                    i += 3;
                    continue;
                }
                in_class = true;
                out.push('[');
                // A `]` first in a class is a literal in Rust too; copy `^` and it as they are.
                i += 1;
            }
            '(' if next == Some('?') => {
                let rest: String = chars[i + 2..].iter().take(2).collect();
                let lookaround = ["=", "!", "<=", "<!"]
                    .into_iter()
                    .find(|p| rest.starts_with(p));
                match lookaround {
                    Some(p) => {
                        out.push_str("(?:");
                        i += 2 + p.len();
                    }
                    None => {
                        out.push_str("(?");
                        i += 2;
                    }
                }
            }
            '{' => match quantifier_len(&chars[i..]) {
                Some(len) => {
                    out.extend(&chars[i..i + len]);
                    i += len;
                }
                None => {
                    // ECMA reads a `{` that starts no quantifier as itself.
                    out.push_str("\\{");
                    i += 1;
                }
            },
            '}' => {
                // Reached only when not closing a quantifier: a literal in ECMA.
                out.push_str("\\}");
                i += 1;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    Ok(out)
}

/// Four hex digits at `at`, as a number.
fn hex4(chars: &[char], at: usize) -> Option<u32> {
    let digits: String = chars.get(at..at + 4)?.iter().collect();
    if digits.chars().all(|c| c.is_ascii_hexdigit()) {
        u32::from_str_radix(&digits, 16).ok()
    } else {
        None
    }
}

/// The length of the `{n}`, `{n,}` or `{n,m}` quantifier at the start of `chars`, if any.
fn quantifier_len(chars: &[char]) -> Option<usize> {
    let end = chars.iter().position(|&c| c == '}')?;
    let body: String = chars[1..end].iter().collect();
    let (min, max) = match body.split_once(',') {
        Some((min, max)) => (min, Some(max)),
        None => (body.as_str(), None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (digits(min) && max.is_none_or(|m| m.is_empty() || digits(m))).then_some(end + 1)
}

#[cfg(test)]
mod tests {
    use super::check_pattern;

    #[test]
    fn ecma_patterns_that_regex_lite_lacks_are_accepted() {
        for ok in [
            r"^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$",
            r"^(?=.{20,2048}$)arn:aws[a-z-]*:secretsmanager:[a-zA-Z0-9/_+=.@-]+",
            r"^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$",
            r"^[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\r\n\t]*$",
            r"^[\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\u10000-\u10FFFF]+$",
            r"(a)\1",
            r"(?<year>\d{4})-\k<year>",
            r"^(?<!x)y(?<=y)$",
            r"^(HTTPS?|#\{protocol\})$",
            r"a{b",
            r"[[]",
            r"[a&&b]",
            r"[^]",
            r"^\d+$",
        ] {
            assert_eq!(check_pattern(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn malformed_patterns_are_rejected() {
        for bad in [
            r"(abc", r"[a-z", r"a{5,2}", r"*abc", r"abc)", r"[z-a]", r"a**", "\\",
        ] {
            assert!(check_pattern(bad).is_err(), "{bad}");
        }
    }
}
