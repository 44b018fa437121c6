//! Byte-level searches used by the reader. All positions are byte offsets into
//! the whole input; every delimiter searched for is ASCII, so a position found
//! here is always a `char` boundary of the (valid UTF-8) input.

/// XML's whitespace: space, tab, CR, LF.
#[inline]
pub(super) fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// First position at or after `from` that is not whitespace (or `bytes.len()`).
#[inline]
pub(super) fn skip_space(bytes: &[u8], from: usize) -> usize {
    match bytes.get(from..) {
        Some(rest) => rest
            .iter()
            .position(|&b| !is_space(b))
            .map_or(bytes.len(), |i| from + i),
        None => bytes.len(),
    }
}

/// First `<` or `&` at or after `from` (or `bytes.len()`): the end of a run of
/// character data.
#[inline]
pub(super) fn text_end(bytes: &[u8], from: usize) -> usize {
    find(
        bytes,
        from,
        |w| eq_mask(w, b'<') | eq_mask(w, b'&'),
        |b| b == b'<' || b == b'&',
    )
}

/// First byte at or after `from` above `' '` (or `bytes.len()`): past indentation. Bytes
/// below `' '` other than XML's whitespace are passed over too; callers that must refuse them
/// use [`skip_space`].
#[inline]
pub(super) fn past_blanks(bytes: &[u8], from: usize) -> usize {
    find(bytes, from, |w| gt_mask(w, b' '), |b| b > b' ')
}

/// Like [`text_end`], but also stops at `\r` (which text decoding must normalise).
#[inline]
pub(super) fn text_end_or_cr(bytes: &[u8], from: usize) -> usize {
    find(
        bytes,
        from,
        |w| eq_mask(w, b'<') | eq_mask(w, b'&') | eq_mask(w, b'\r'),
        |b| b == b'<' || b == b'&' || b == b'\r',
    )
}

/// First byte at or after `from` that ends an element name in a start tag:
/// whitespace, `>`, `/` or a quote (or `bytes.len()`); where the local name starts: after
/// the first `:` before that byte, or at `from`; and that byte (`None` at the end of the input).
/// One pass finds them all: names are scanned once.
#[inline]
pub(super) fn name_stop(bytes: &[u8], from: usize) -> (usize, usize, Option<u8>) {
    // The stop bytes, all below 64, as bits: whitespace, `"`, `'`, `/` and `>`.
    const STOPS: u64 = 1 << b'\t'
        | 1 << b'\n'
        | 1 << b'\r'
        | 1 << b' '
        | 1 << b'"'
        | 1 << b'\''
        | 1 << b'/'
        | 1 << b'>';
    let mut at = from;
    let mut local = from;
    loop {
        // Every stop byte, and `:`, is below `@`: one comparison a word finds them. The name
        // bytes below `@` (digits, `-`, `.`) are candidates too, which the exact check passes
        // over; AWS element names have few of them.
        let (i, b) = find_at(bytes, at, |w| lt_mask(w, b'@'), |b| b < b'@');
        let Some(c) = b else {
            return (i, local, b);
        };
        // Tests, not a `match`: rustc made that a jump table, whose load and indirect jump
        // came before every element's next step. Most names end at `>`. (A candidate is below
        // `@`, so `c & 63` is `c`.)
        if c == b'>' || STOPS >> (c & 63) & 1 != 0 {
            return (i, local, b);
        }
        if c == b':' && local == from {
            local = i + 1;
        }
        at = i + 1;
    }
}

/// A qualified name without its namespace prefix: what follows the first `:`, if any.
#[inline]
pub(super) fn local_part(qname: &[u8]) -> &[u8] {
    let i = find(qname, 0, |w| eq_mask(w, b':'), |b| b == b':');
    qname.get(i + 1..).unwrap_or(qname)
}

/// Where a start tag whose name starts at `name_start` ends, found the general way (quotes,
/// attributes, whitespace), searching for its `>` from `from`: the end of its qualified name,
/// the end of its content (before a `/` of `/>`), and its `>`. `None` if it is not closed.
pub(super) fn tag_bounds(
    bytes: &[u8],
    name_start: usize,
    from: usize,
) -> Option<(usize, usize, usize)> {
    let gt = tag_end(bytes, from)?;
    let content = bytes.get(name_start..gt).unwrap_or_default();
    let content_end = if content.last() == Some(&b'/') {
        gt - 1
    } else {
        gt
    };
    let name = bytes.get(name_start..content_end).unwrap_or_default();
    Some((name_start + name_len(name), content_end, gt))
}

/// Whether `bytes[a..a + len]` and `bytes[b..b + len]` are equal (false if
/// either is out of bounds). Inline and word-at-a-time: names are short, and a
/// call to `memcmp` costs more than comparing them. Always inlined: it runs for every end
/// tag, and where rustc chose a call, the call cost as much as the comparison.
#[inline(always)]
pub(super) fn same_bytes_at(bytes: &[u8], a: usize, b: usize, len: usize) -> bool {
    let (Some(x), Some(y)) = (bytes.get(a..a + len), bytes.get(b..b + len)) else {
        return false;
    };
    if len <= 8 {
        // One word each, read from the document past the name when possible.
        if let (Some(wx), Some(wy)) = (bytes.get(a..a + 8), bytes.get(b..b + 8)) {
            // The low `len` bytes (a shift by 64, for `len == 0`, keeps none).
            let keep = u64::MAX.checked_shr(64 - 8 * len as u32).unwrap_or(0);
            return (word(wx) ^ word(wy)) & keep == 0;
        }
        return x == y;
    }
    // Whole words, then the last 8 bytes (overlapping the previous word).
    let (mut wx, mut wy) = (x.chunks_exact(8), y.chunks_exact(8));
    for (cx, cy) in (&mut wx).zip(&mut wy) {
        if word(cx) != word(cy) {
            return false;
        }
    }
    match (x.get(len - 8..), y.get(len - 8..)) {
        (Some(tx), Some(ty)) => word(tx) == word(ty),
        _ => false,
    }
}

/// Word-at-a-time search: position of the first byte at or after `from` for
/// which `is` holds, `bytes.len()` if none. `mask` must flag, for an 8-byte
/// little-endian word, at least the lowest byte for which `is` holds and no
/// byte below it (the classic "has zero byte" tricks below do exactly that).
#[inline(always)]
fn find(bytes: &[u8], from: usize, mask: impl Fn(u64) -> u64, is: impl Fn(u8) -> bool) -> usize {
    find_at(bytes, from, mask, is).0
}

/// [`find`], with the byte found (`None` at the end of the input). The byte is taken from the
/// word already in a register: loading it again from memory, at an address that had to wait
/// for the search, put a load's latency before every decision about it.
#[inline(always)]
fn find_at(
    bytes: &[u8],
    from: usize,
    mask: impl Fn(u64) -> u64,
    is: impl Fn(u8) -> bool,
) -> (usize, Option<u8>) {
    let Some(rest) = bytes.get(from..) else {
        return (bytes.len(), None);
    };
    let mut words = rest.chunks_exact(8);
    let mut at = from;
    for chunk in &mut words {
        let w = word(chunk);
        let m = mask(w);
        if m != 0 {
            let bit = m.trailing_zeros();
            // The flagged byte's lowest bit: its high bit (`bit`) rounded down to a multiple of 8.
            return (at + (bit / 8) as usize, Some((w >> (bit & !7)) as u8));
        }
        at += 8;
    }
    match words.remainder().iter().position(|&b| is(b)) {
        Some(i) => (at + i, words.remainder().get(i).copied()),
        None => (bytes.len(), None),
    }
}

const ONES: u64 = u64::from_le_bytes([0x01; 8]);
const HIGHS: u64 = u64::from_le_bytes([0x80; 8]);

/// 8 bytes as a little-endian word (callers pass exactly 8).
#[inline(always)]
fn word(chunk: &[u8]) -> u64 {
    <[u8; 8]>::try_from(chunk).map_or(0, u64::from_le_bytes)
}

/// High bit set in (at least) the lowest byte of `w` equal to `byte`, and in
/// no byte below it.
#[inline(always)]
fn eq_mask(w: u64, byte: u8) -> u64 {
    let x = w ^ (ONES * u64::from(byte));
    x.wrapping_sub(ONES) & !x & HIGHS
}

/// High bit set in (at least) the lowest byte of `w` below `n` (`n` <= 128),
/// and in no byte below it.
#[inline(always)]
fn lt_mask(w: u64, n: u8) -> u64 {
    w.wrapping_sub(ONES * u64::from(n)) & !w & HIGHS
}

/// High bit set in (at least) the lowest byte of `w` above `n` (`n` < 128), and in no byte
/// below it. (A byte of 128 or more can carry into the bytes above it, never below.)
#[inline(always)]
fn gt_mask(w: u64, n: u8) -> u64 {
    (w.wrapping_add(ONES * u64::from(127 - n)) | w) & HIGHS
}

/// First occurrence of `byte` at or after `from`.
#[inline]
pub(super) fn find_byte(bytes: &[u8], from: usize, byte: u8) -> Option<usize> {
    let rest = bytes.get(from..)?;
    rest.iter().position(|&b| b == byte).map(|i| from + i)
}

/// Start of the first occurrence of `needle` (non-empty, ending in a byte that
/// does not occur earlier in it, e.g. `-->`, `]]>`, `?>`) at or after `from`.
pub(super) fn find_seq(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let (&last, head) = needle.split_last()?;
    let mut at = from.checked_add(head.len())?;
    loop {
        let end = find_byte(bytes, at, last)?;
        let start = end - head.len();
        if bytes.get(start..end) == Some(head) {
            return Some(start);
        }
        at = end + 1;
    }
}

/// The `>` closing a tag whose content starts at `from`, skipping `>` inside
/// quoted attribute values. Word at a time: a root element's namespace declaration is long.
pub(super) fn tag_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    loop {
        let i = find(
            bytes,
            at,
            |w| eq_mask(w, b'>') | eq_mask(w, b'"') | eq_mask(w, b'\''),
            |b| matches!(b, b'>' | b'"' | b'\''),
        );
        let quote = *bytes.get(i)?;
        if quote == b'>' {
            return Some(i);
        }
        let close = find(bytes, i + 1, |w| eq_mask(w, quote), |b| b == quote);
        if close >= bytes.len() {
            return None;
        }
        at = close + 1;
    }
}

/// The `>` closing a `<!DOCTYPE`, whose name starts at `from`: quoted strings
/// and an internal subset `[…]` (with its comments, processing instructions
/// and declarations) may contain `>`.
pub(super) fn doctype_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    loop {
        match *bytes.get(i)? {
            b'>' => return Some(i),
            q @ (b'"' | b'\'') => i = find_byte(bytes, i + 1, q)? + 1,
            b'[' => {
                i = internal_subset_end(bytes, i + 1)?;
                return find_byte(bytes, i, b'>');
            }
            _ => i += 1,
        }
    }
}

/// Position just after the `]` ending an internal subset that starts at `from`.
fn internal_subset_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    loop {
        match *bytes.get(i)? {
            b']' => return Some(i + 1),
            b'<' => {
                let rest = bytes.get(i + 1..)?;
                i = if rest.starts_with(b"!--") {
                    find_seq(bytes, i + 4, b"-->")? + 3
                } else if rest.starts_with(b"?") {
                    find_seq(bytes, i + 2, b"?>")? + 2
                } else {
                    tag_end(bytes, i + 1)? + 1
                };
            }
            _ => i += 1,
        }
    }
}

/// Length of the name at the start of a tag's content: up to the first
/// whitespace.
#[inline]
pub(super) fn name_len(content: &[u8]) -> usize {
    content
        .iter()
        .position(|&b| is_space(b))
        .unwrap_or(content.len())
}

/// `bytes` without trailing whitespace.
#[inline]
pub(super) fn trim_end(bytes: &[u8]) -> &[u8] {
    let len = bytes
        .iter()
        .rposition(|&b| !is_space(b))
        .map_or(0, |i| i + 1);
    bytes.get(..len).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequences() {
        assert_eq!(find_seq(b"<!-- a -- b -->x", 4, b"-->"), Some(12));
        assert_eq!(find_seq(b"<!---->", 4, b"-->"), Some(4));
        assert_eq!(find_seq(b"<!--->", 4, b"-->"), None);
        assert_eq!(find_seq(b"a]]]>", 0, b"]]>"), Some(2));
        assert_eq!(find_seq(b"??>", 0, b"?>"), Some(1));
        assert_eq!(find_seq(b"", 0, b"?>"), None);
        assert_eq!(find_seq(b"x", 5, b"?>"), None);
    }

    #[test]
    fn tags() {
        assert_eq!(tag_end(br#"a b=">" c='>"'>x"#, 0), Some(14));
        assert_eq!(tag_end(br#"a b=">"#, 0), None);
        assert_eq!(tag_end(b"a", 9), None);
        assert_eq!(name_len(b"p:a b"), 3);
        assert_eq!(name_len(b"a"), 1);
        assert_eq!(trim_end(b"a \t\r\n"), b"a");
        assert_eq!(trim_end(b"  "), b"");
    }

    #[test]
    fn doctypes() {
        let d = br#"<!DOCTYPE r SYSTEM "a>b" [<!ENTITY x "]>"><!-- ]> --><?p ]>?>]>rest"#;
        assert_eq!(doctype_end(d, 9), Some(d.len() - 5));
        assert_eq!(doctype_end(b"<!DOCTYPE r [", 9), None);
        assert_eq!(doctype_end(b"<!DOCTYPE r 'x>", 9), None);
    }

    /// The `>` ending a tag, byte by byte, outside quotes.
    fn naive_tag_end(doc: &[u8], from: usize) -> Option<usize> {
        let mut quote = 0u8;
        for (i, &b) in doc.iter().enumerate().skip(from) {
            if quote == 0 {
                match b {
                    b'>' => return Some(i),
                    b'"' | b'\'' => quote = b,
                    _ => {}
                }
            } else if b == quote {
                quote = 0;
            }
        }
        None
    }

    /// The word-at-a-time searches agree with a byte-by-byte search at every
    /// alignment, whatever surrounds the match.
    #[test]
    fn word_searches_match_bytewise() {
        let alphabet = b"ab-.0<&>/ \r\n\t\"'\x7f\x80\xc3\xff\x00:";
        let mut state = 0x2545_f491u32;
        for round in 0..1500 {
            let len = round % 40;
            let doc: Vec<u8> = (0..len)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 17;
                    state ^= state << 5;
                    alphabet[state as usize % alphabet.len()]
                })
                .collect();
            for from in 0..=len + 1 {
                let naive =
                    |stop: &dyn Fn(u8) -> bool| (from..len).find(|&i| stop(doc[i])).unwrap_or(len);
                assert_eq!(text_end(&doc, from), naive(&|b| b == b'<' || b == b'&'));
                assert_eq!(
                    text_end_or_cr(&doc, from),
                    naive(&|b| b == b'<' || b == b'&' || b == b'\r')
                );
                let stop = naive(&|b| matches!(b, b'>' | b'/' | b'"' | b'\'') || is_space(b));
                let local = (from..stop)
                    .find(|&i| doc[i] == b':')
                    .map_or(from, |i| i + 1);
                assert_eq!(name_stop(&doc, from), (stop, local, doc.get(stop).copied()));
                assert_eq!(tag_end(&doc, from), naive_tag_end(&doc, from));
                assert_eq!(past_blanks(&doc, from), naive(&|b| b > b' '));
            }
        }
        for round in 0..300 {
            let len = round % 24;
            let doc: Vec<u8> = (0..len)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 17;
                    state ^= state << 5;
                    b"ab"[state as usize % 2]
                })
                .collect();
            for a in 0..=len {
                for b in 0..=len {
                    for n in 0..=len + 1 {
                        let expected = match (doc.get(a..a + n), doc.get(b..b + n)) {
                            (Some(x), Some(y)) => x == y,
                            _ => false,
                        };
                        assert_eq!(same_bytes_at(&doc, a, b, n), expected);
                    }
                }
            }
        }
        let names = b"<NodeGroupMembers></NodeGroupMembers></NodeGroupMembert></ModeGroupMembers>";
        assert!(same_bytes_at(names, 1, 20, 16));
        assert!(!same_bytes_at(names, 1, 39, 16));
        assert!(!same_bytes_at(names, 1, 58, 16));
        assert!(same_bytes_at(b"<a></a>", 1, 5, 1));
        assert!(!same_bytes_at(b"<a></b>", 1, 5, 1));
        assert!(!same_bytes_at(b"<a></a", 1, 5, 2));
    }

    #[test]
    fn text_runs() {
        assert_eq!(text_end(b"ab<", 0), 2);
        assert_eq!(text_end(b"ab&", 1), 2);
        assert_eq!(text_end(b"ab", 0), 2);
        assert_eq!(text_end(b"ab", 7), 2);
        assert_eq!(text_end_or_cr(b"a\rb<", 0), 1);
        assert_eq!(skip_space(b" \n\tx", 0), 3);
        assert_eq!(skip_space(b"  ", 0), 2);
    }
}
