//! Standard base64 (RFC 4648 §4, `+` `/` alphabet, `=` padding) for blob members.

use std::error::Error;
use std::fmt;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Marks bytes that are not part of the alphabet in [`DECODE`].
const INVALID: u8 = 0xFF;
/// Marks ASCII whitespace, which decoding skips (XML bodies wrap long values).
const SPACE: u8 = 0xFE;
/// Marks the padding character.
const PAD: u8 = 0xFD;

/// Byte → 6-bit value, or one of the markers above; built at compile time.
const DECODE: [u8; 256] = {
    let mut table = [INVALID; 256];
    let mut i = 0;
    while i < 64 {
        table[ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    table[b' ' as usize] = SPACE;
    table[b'\t' as usize] = SPACE;
    table[b'\n' as usize] = SPACE;
    table[b'\r' as usize] = SPACE;
    table[0x0C] = SPACE; // form feed, ASCII whitespace per `u8::is_ascii_whitespace`
    table[b'=' as usize] = PAD;
    table
};

/// Encodes `bytes` as standard base64 with padding.
pub fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(encoded_len(bytes.len()));
    encode_to(bytes, &mut out);
    out
}

/// Appends the standard base64 encoding of `bytes` (with padding) to `out`.
pub fn encode_to(bytes: &[u8], out: &mut String) {
    out.reserve(encoded_len(bytes.len()));
    let sym = |v: u32| ALPHABET[(v & 0x3F) as usize] as char;
    let mut chunks = bytes.chunks_exact(3);
    for c in &mut chunks {
        let n = (u32::from(c[0]) << 16) | (u32::from(c[1]) << 8) | u32::from(c[2]);
        out.push(sym(n >> 18));
        out.push(sym(n >> 12));
        out.push(sym(n >> 6));
        out.push(sym(n));
    }
    match *chunks.remainder() {
        [a] => {
            let n = u32::from(a) << 16;
            out.push(sym(n >> 18));
            out.push(sym(n >> 12));
            out.push_str("==");
        }
        [a, b] => {
            let n = (u32::from(a) << 16) | (u32::from(b) << 8);
            out.push(sym(n >> 18));
            out.push(sym(n >> 12));
            out.push(sym(n >> 6));
            out.push('=');
        }
        _ => {}
    }
}

fn encoded_len(n: usize) -> usize {
    n.div_ceil(3).saturating_mul(4)
}

/// Decodes standard base64.
///
/// Padding may be omitted, and ASCII whitespace anywhere is ignored. Bits left
/// over in the final symbol are ignored rather than rejected, as most decoders do.
pub fn decode(text: &str) -> Result<Vec<u8>, Base64Error> {
    let input = text.as_bytes();
    let mut out = Vec::with_capacity(input.len() / 4 * 3 + 3);
    let mut acc: u32 = 0;
    // Symbols collected in the current 4-symbol group.
    let mut held = 0u32;
    // Padding seen so far; once non-zero only more padding or whitespace may follow.
    let mut pads = 0u32;
    let mut last_symbol = 0usize;
    for (offset, &byte) in input.iter().enumerate() {
        let v = DECODE[byte as usize];
        if v < 64 {
            if pads > 0 {
                return Err(Base64Error::new(offset, None, "data after padding"));
            }
            acc = (acc << 6) | u32::from(v);
            held += 1;
            last_symbol = offset;
            if held == 4 {
                out.extend_from_slice(&[(acc >> 16) as u8, (acc >> 8) as u8, acc as u8]);
                acc = 0;
                held = 0;
            }
        } else if v == SPACE {
            continue;
        } else if v == PAD {
            // Padding is only valid after 2 or 3 symbols of a group, and only up to 4.
            if held < 2 || held + pads >= 4 {
                return Err(Base64Error::new(offset, None, "unexpected padding"));
            }
            pads += 1;
        } else {
            return Err(Base64Error::new(offset, Some(byte), "invalid character"));
        }
    }
    if pads > 0 && held + pads != 4 {
        return Err(Base64Error::new(input.len(), None, "incomplete padding"));
    }
    match held {
        0 => {}
        2 => out.push((acc >> 4) as u8),
        3 => out.extend_from_slice(&[(acc >> 10) as u8, (acc >> 2) as u8]),
        _ => {
            return Err(Base64Error::new(
                last_symbol,
                None,
                "truncated input (a lone final symbol)",
            ))
        }
    }
    Ok(out)
}

/// Why [`decode`] rejected its input, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Base64Error {
    offset: usize,
    byte: Option<u8>,
    reason: &'static str,
}

impl Base64Error {
    fn new(offset: usize, byte: Option<u8>, reason: &'static str) -> Self {
        Self {
            offset,
            byte,
            reason,
        }
    }

    /// Byte offset in the input where decoding failed (the input length for
    /// errors found at the end).
    pub fn offset(&self) -> usize {
        self.offset
    }
}

impl fmt::Display for Base64Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid base64: {} at byte {}", self.reason, self.offset)?;
        if let Some(byte) = self.byte {
            write!(f, " (0x{byte:02X})")?;
        }
        Ok(())
    }
}

impl Error for Base64Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_round_trip() {
        for (i, &c) in ALPHABET.iter().enumerate() {
            assert_eq!(DECODE[c as usize] as usize, i);
        }
    }

    #[test]
    fn all_lengths_round_trip() {
        let data: Vec<u8> = (0..=255u8).collect();
        for n in 0..data.len() {
            let enc = encode(&data[..n]);
            assert_eq!(enc.len() % 4, 0);
            assert_eq!(decode(&enc).unwrap(), &data[..n]);
            assert_eq!(decode(enc.trim_end_matches('=')).unwrap(), &data[..n]);
        }
    }
}
