//! gzip (RFC 1952) for `requestCompression`: a DEFLATE stream from `miniz_oxide` (pure Rust),
//! wrapped in the gzip header and trailer written here (CRC-32 and size).

/// `body` compressed as one gzip member.
pub fn compress(body: &[u8]) -> Vec<u8> {
    // Level 6: zlib's default, the usual balance of size and time.
    let deflated = miniz_oxide::deflate::compress_to_vec(body, 6);
    let mut out = Vec::with_capacity(deflated.len() + 18);
    // Magic, deflate, no flags, no mtime, no extra flags, unknown OS.
    out.extend_from_slice(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255]);
    out.extend_from_slice(&deflated);
    out.extend_from_slice(&crc32(body).to_le_bytes());
    // ISIZE: the input's length modulo 2^32, as the format defines it.
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    out
}

/// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), table-driven.
fn crc32(data: &[u8]) -> u32 {
    const TABLE: [u32; 256] = {
        let mut table = [0u32; 256];
        let mut i = 0;
        while i < 256 {
            let mut c = i as u32;
            let mut k = 0;
            while k < 8 {
                c = if c & 1 != 0 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
                k += 1;
            }
            table[i] = c;
            i += 1;
        }
        table
    };
    let mut crc = !0u32;
    for &b in data {
        crc = TABLE[((crc ^ u32::from(b)) & 0xff) as usize] ^ (crc >> 8);
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_check_value() {
        // The CRC-32 check value of "123456789".
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
    }

    #[test]
    fn round_trips_through_a_deflate_decoder() {
        let body = "Action=PutMetricData&Version=2010-08-01&".repeat(500);
        let gz = compress(body.as_bytes());
        assert_eq!(&gz[..3], &[0x1f, 0x8b, 8]);
        assert!(gz.len() < body.len() / 10, "compresses: {}", gz.len());
        let inflated = miniz_oxide::inflate::decompress_to_vec(&gz[10..gz.len() - 8]).unwrap();
        assert_eq!(inflated, body.as_bytes());
        let n = gz.len();
        assert_eq!(
            u32::from_le_bytes(gz[n - 8..n - 4].try_into().unwrap()),
            crc32(body.as_bytes())
        );
        assert_eq!(
            u32::from_le_bytes(gz[n - 4..].try_into().unwrap()),
            body.len() as u32
        );
    }
}
