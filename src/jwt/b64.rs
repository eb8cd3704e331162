//! JWS segments: unpadded base64url (RFC 7515 §2), decoded strictly — the
//! canonical form only, as PyJWT 2.15 accepts. The codec is `crate::b64`.

use crate::b64::{self as codec, Alphabet::UrlSafe};

/// Append the segment form of `data` to `out`.
pub fn encode_into(data: &[u8], out: &mut Vec<u8>) {
    codec::encode_into(data, UrlSafe, false, out);
}

/// The segment form of `data`.
pub fn encode(data: &[u8]) -> String {
    codec::encode(data, UrlSafe, false)
}

/// Decode a segment, appending to `out`; None unless canonical.
pub fn decode_strict(seg: &[u8], out: &mut Vec<u8>) -> Option<()> {
    codec::decode_into(seg, UrlSafe, out)
}

/// Decode a segment into the front of `out` (a stack buffer for a signature),
/// returning its length; None unless canonical, or when `out` is too short.
pub fn decode_strict_to(seg: &[u8], out: &mut [u8]) -> Option<usize> {
    codec::decode_to(seg, UrlSafe, out)
}
