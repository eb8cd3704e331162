//! Unpadded base64url, as PyJWT writes it.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

/// Append the unpadded base64url form of `data` to `out`.
pub fn encode_into(data: &[u8], out: &mut Vec<u8>) {
    let start = out.len();
    out.resize(
        start + base64::encoded_len(data.len(), false).unwrap_or(0),
        0,
    );
    let written = URL_SAFE_NO_PAD
        .encode_slice(data, &mut out[start..])
        .unwrap_or(0);
    out.truncate(start + written);
}

/// The unpadded base64url form of `data`.
pub fn encode(data: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc4648_vectors_without_padding() {
        assert_eq!(encode(b""), "");
        assert_eq!(encode(b"f"), "Zg");
        assert_eq!(encode(b"fo"), "Zm8");
        assert_eq!(encode(b"foo"), "Zm9v");
        assert_eq!(encode(&[0xfb, 0xff]), "-_8");
        let mut out = b"x.".to_vec();
        encode_into(b"foob", &mut out);
        assert_eq!(out, b"x.Zm9vYg");
    }
}
