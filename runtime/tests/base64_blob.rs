//! Base64 (RFC 4648 §4 and §10 test vectors) and the Blob type.

use aws_lite_runtime::{base64, Blob};

const RFC4648: [(&str, &str); 7] = [
    ("", ""),
    ("f", "Zg=="),
    ("fo", "Zm8="),
    ("foo", "Zm9v"),
    ("foob", "Zm9vYg=="),
    ("fooba", "Zm9vYmE="),
    ("foobar", "Zm9vYmFy"),
];

#[test]
fn rfc4648_vectors() {
    for (plain, encoded) in RFC4648 {
        assert_eq!(base64::encode(plain.as_bytes()), encoded);
        assert_eq!(base64::decode(encoded).unwrap(), plain.as_bytes());
        // Padding may be left out.
        assert_eq!(
            base64::decode(encoded.trim_end_matches('=')).unwrap(),
            plain.as_bytes()
        );
    }
}

#[test]
fn encode_to_appends() {
    let mut out = String::from("x=");
    base64::encode_to(b"foobar", &mut out);
    base64::encode_to(b"f", &mut out);
    assert_eq!(out, "x=Zm9vYmFyZg==");
}

#[test]
fn uses_the_standard_alphabet() {
    assert_eq!(base64::encode(&[0xFB, 0xFF, 0xBF]), "+/+/");
    assert_eq!(base64::decode("+/+/").unwrap(), [0xFB, 0xFF, 0xBF]);
    // URL-safe symbols belong to another alphabet.
    assert!(base64::decode("-_-_").is_err());
}

#[test]
fn binary_round_trip() {
    let mut state = 0x1234_5678u32;
    for len in 0..300 {
        let data: Vec<u8> = (0..len)
            .map(|_| {
                state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                (state >> 24) as u8
            })
            .collect();
        let text = base64::encode(&data);
        assert_eq!(base64::decode(&text).unwrap(), data);
    }
}

#[test]
fn whitespace_is_ignored() {
    assert_eq!(base64::decode("Zm9v\nYmFy").unwrap(), b"foobar");
    assert_eq!(base64::decode("  Zm9v\r\n\tYmE=\n").unwrap(), b"fooba");
    assert_eq!(base64::decode("Z m 9 v Y g = =").unwrap(), b"foob");
    assert_eq!(base64::decode(" \n ").unwrap(), b"");
}

#[test]
fn errors_name_the_offset() {
    let cases = [
        ("Zm9v*mFy", 4, "invalid character"),
        ("Zm9vYmFy\u{e9}", 8, "invalid character"),
        ("Zg==Zg==", 4, "data after padding"),
        ("Z===", 1, "unexpected padding"),
        ("=", 0, "unexpected padding"),
        ("Zm9v=", 4, "unexpected padding"),
        ("Zg=", 3, "incomplete padding"),
        ("Zm9vY", 4, "truncated"),
        ("Zg===", 4, "unexpected padding"),
    ];
    for (text, offset, reason) in cases {
        let err = base64::decode(text).unwrap_err();
        assert_eq!(err.offset(), offset, "{text:?}: {err}");
        let msg = err.to_string();
        assert!(msg.contains(reason), "{text:?}: {msg}");
        assert!(msg.contains(&format!("byte {offset}")), "{msg}");
    }
    assert!(base64::decode("Zm9v*")
        .unwrap_err()
        .to_string()
        .contains("0x2A"));
}

#[test]
fn decode_never_panics() {
    let alphabet = b"AZaz09+/= \n*-\xC3";
    let mut state = 7u32;
    for len in 0..64 {
        for _ in 0..20 {
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    alphabet[(state >> 16) as usize % alphabet.len()]
                })
                .collect();
            let _ = base64::decode(&String::from_utf8_lossy(&bytes));
        }
    }
}

#[test]
fn blob_basics() {
    let b = Blob::new(b"abc".to_vec());
    assert_eq!(b.as_ref(), b"abc");
    assert_eq!(Blob::from(&b"abc"[..]), b);
    assert_eq!(Blob::from(vec![1, 2]).into_inner(), vec![1, 2]);
    assert_eq!(Blob::new("xyz"), Blob::new(*b"xyz"));
    assert_eq!(Blob::default().as_ref().len(), 0);
    let v: Vec<u8> = Blob::new([9u8]).into();
    assert_eq!(v, [9]);
}
