//! A tiny matcher for the regular expressions of partition `regionRegex` values, such as
//! `^(us|eu|ap)\-\w+\-\d+$`. Supported: literal characters, escapes (`\-`, `\.`, …), the
//! classes `\w`, `\d` and `.`, groups of literal alternatives `(a|bc)`, and the quantifiers
//! `+`, `*` and `?` after a single character, class or group. The whole text must match
//! (as if anchored; `^` and `$` are accepted). Anything else never matches.

#[derive(Debug, Clone, PartialEq)]
enum Atom {
    Char(char),
    Word,
    Digit,
    Any,
    Group(Vec<String>),
}

#[derive(Debug, Clone, PartialEq)]
struct Token {
    atom: Atom,
    min: usize,
    max: usize,
}

/// Whether `text` matches `pattern` entirely; `false` for unsupported syntax.
pub(super) fn is_match(pattern: &str, text: &str) -> bool {
    match parse(pattern) {
        Some(tokens) => match_at(&tokens, text),
        None => false,
    }
}

fn parse(pattern: &str) -> Option<Vec<Token>> {
    let body = pattern.strip_prefix('^').unwrap_or(pattern);
    let body = match body.strip_suffix('$') {
        Some(b) if !b.ends_with('\\') => b,
        _ => body,
    };
    let mut tokens: Vec<Token> = Vec::new();
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        let atom = match c {
            '\\' => escape(chars.next()?),
            '.' => Atom::Any,
            '(' => {
                let mut alts = vec![String::new()];
                loop {
                    match chars.next()? {
                        ')' => break,
                        '|' => alts.push(String::new()),
                        '\\' => match escape(chars.next()?) {
                            Atom::Char(e) => alts.last_mut()?.push(e),
                            _ => return None,
                        },
                        '(' | '[' | ']' | '{' | '}' | '*' | '+' | '?' | '.' | '^' | '$' => {
                            return None
                        }
                        ch => alts.last_mut()?.push(ch),
                    }
                }
                Atom::Group(alts)
            }
            '+' | '*' | '?' => {
                let last = tokens.last_mut()?;
                if (last.min, last.max) != (1, 1) {
                    return None;
                }
                match c {
                    '+' => last.max = usize::MAX,
                    '*' => (last.min, last.max) = (0, usize::MAX),
                    _ => last.min = 0,
                }
                continue;
            }
            '[' | ']' | '{' | '}' | ')' | '|' | '^' | '$' => return None,
            ch => Atom::Char(ch),
        };
        tokens.push(Token {
            atom,
            min: 1,
            max: 1,
        });
    }
    Some(tokens)
}

fn escape(c: char) -> Atom {
    match c {
        'w' => Atom::Word,
        'd' => Atom::Digit,
        other => Atom::Char(other),
    }
}

/// Lengths (in bytes) of the ways `atom` can match at the start of `text`.
fn one(atom: &Atom, text: &str, out: &mut Vec<usize>) {
    out.clear();
    let first = text.chars().next();
    match atom {
        Atom::Char(c) => {
            if first == Some(*c) {
                out.push(c.len_utf8());
            }
        }
        Atom::Word => {
            if first.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
                out.push(1);
            }
        }
        Atom::Digit => {
            if first.is_some_and(|c| c.is_ascii_digit()) {
                out.push(1);
            }
        }
        Atom::Any => {
            if let Some(c) = first {
                if c != '\n' {
                    out.push(c.len_utf8());
                }
            }
        }
        Atom::Group(alts) => {
            for a in alts {
                if text.starts_with(a.as_str()) {
                    out.push(a.len());
                }
            }
        }
    }
}

/// Backtracking over an explicit stack of (token index, text offset) states, so neither
/// pattern nor text length affects the call stack.
fn match_at(tokens: &[Token], text: &str) -> bool {
    // A state: next token, byte offset, repetitions of that token so far.
    let mut stack: Vec<(usize, usize, usize)> = vec![(0, 0, 0)];
    let mut seen = std::collections::HashSet::new();
    let mut lens = Vec::new();
    while let Some((ti, pos, reps)) = stack.pop() {
        // Quantifiers allow 0 or 1 minimum and 1 or unbounded maximum repetitions, so every
        // count from 1 up behaves alike.
        if !seen.insert((ti, pos, reps.min(1))) {
            continue;
        }
        let Some(tok) = tokens.get(ti) else {
            if pos == text.len() {
                return true;
            }
            continue;
        };
        if reps >= tok.min {
            stack.push((ti + 1, pos, 0));
        }
        if reps < tok.max {
            one(&tok.atom, &text[pos..], &mut lens);
            for &l in &lens {
                if l > 0 {
                    stack.push((ti, pos + l, reps.saturating_add(1)));
                }
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::is_match;

    #[test]
    fn region_patterns() {
        let aws = r"^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$";
        assert!(is_match(aws, "us-east-1"));
        assert!(is_match(aws, "mx-central-12"));
        assert!(!is_match(aws, "us-gov-west-1"));
        assert!(!is_match(aws, "cn-north-1"));
        assert!(!is_match(aws, "us-east-1x"));
        assert!(!is_match(aws, "xus-east-1"));
        assert!(!is_match(aws, "us-east-"));
        assert!(!is_match(aws, ""));
        let gov = r"^us\-gov\-\w+\-\d+$";
        assert!(is_match(gov, "us-gov-west-1"));
        assert!(!is_match(gov, "us-gov-west"));
        let eusc = r"^eusc\-(de)\-\w+\-\d+$";
        assert!(is_match(eusc, "eusc-de-east-1"));
        assert!(!is_match(eusc, "eusc-fr-east-1"));
    }

    #[test]
    fn quantifiers_and_classes() {
        assert!(is_match("a*b?c+", "c"));
        assert!(is_match("a*b?c+", "aaabccc"));
        assert!(!is_match("a*b?c+", "abbc"));
        assert!(is_match(r"a.c", "a\u{e9}c"));
        assert!(is_match(r"\w+\w", "ab"));
        assert!(is_match(r"(a|ab)c", "abc"));
        assert!(is_match(r"\$", "$"));
    }

    #[test]
    fn unsupported_syntax_never_matches() {
        for p in ["[a-z]+", "a{2}", "(a(b))", "a++", "(a", "\\", "a|b", ")"] {
            assert!(!is_match(p, "a"), "{p}");
        }
    }

    #[test]
    fn long_input_is_fine() {
        let long = format!("us-{}-1", "a".repeat(100_000));
        assert!(is_match(r"^(us|eu)\-\w+\-\d+$", &long));
        let bad = format!("us-{}", "a".repeat(100_000));
        assert!(!is_match(r"^(us|eu)\-\w+\-\d+$", &bad));
    }
}
