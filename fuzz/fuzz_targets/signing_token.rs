//! itsdangerous tokens (src/signing/): `Signer.unsign` on arbitrary tokens with
//! each key derivation, the payload decoder with a small decompression limit,
//! and the sign -> unsign round trip for arbitrary values and timestamps.
#![no_main]
use ferroauth::signing::{self, b64, timestamp, zlib, Digest, KeyDerivation, Limits, Signer};
use libfuzzer_sys::fuzz_target;

const DERIVATIONS: [KeyDerivation; 4] = [
    KeyDerivation::Concat,
    KeyDerivation::DjangoConcat,
    KeyDerivation::Hmac,
    KeyDerivation::None,
];
const DIGESTS: [Digest; 3] = [Digest::Sha1, Digest::Sha256, Digest::Sha512];
const LIMITS: Limits = Limits {
    max_token_len: 4096,
    max_decompressed_len: 4096,
};

fuzz_target!(|data: &[u8]| {
    let Some((&choice, token)) = data.split_first() else {
        return;
    };
    let derivation = DERIVATIONS[choice as usize % 4];
    let digest = DIGESTS[(choice as usize / 4) % 3];
    let sep: &[u8] = if choice & 0x80 != 0 { b"." } else { b"|" };
    let secrets = [b"old secret".to_vec(), b"secret-key".to_vec()];
    let signer = Signer::new(digest, derivation, &secrets, b"itsdangerous.Signer", sep).unwrap();

    for timed in [false, true] {
        if let Ok((payload, ts)) = signer.unsign(token, timed) {
            assert!(token.starts_with(payload));
            assert_eq!(ts.is_some(), timed);
        }
    }
    if let Ok(json) = signing::decode_urlsafe_payload(token, &LIMITS) {
        assert!(json.len() <= LIMITS.max_decompressed_len + token.len());
    }
    if let Ok(out) = zlib::decompress(token, 1024) {
        assert!(out.len() <= 1024);
    }
    for decoded in [
        b64::lenient_urlsafe_decode(token),
        b64::lenient_std_decode(token),
    ]
    .into_iter()
    .flatten()
    {
        assert!(decoded.len() <= token.len());
    }

    // Round trips: any value and timestamp come back from a token signed with
    // the newest key, and an encoded payload decodes to its JSON bytes.
    let ts = token
        .iter()
        .take(8)
        .fold(0u64, |acc, &b| (acc << 8) | b as u64);
    let signed = signer.sign(token, Some(ts));
    assert_eq!(signer.unsign(&signed, true), Ok((token, Some(ts))));
    let signed = signer.sign(token, None);
    assert_eq!(signer.unsign(&signed, false), Ok((token, None)));
    let (bytes, first) = timestamp::be_bytes(ts);
    assert_eq!(timestamp::bytes_to_int(&bytes[first..]), Ok(ts));
    let encoded = signing::encode_urlsafe_payload(token);
    let limits = Limits {
        max_token_len: usize::MAX,
        max_decompressed_len: token.len(),
    };
    assert_eq!(
        signing::decode_urlsafe_payload(&encoded, &limits).as_deref(),
        Ok(token)
    );
    assert_eq!(
        b64::lenient_urlsafe_decode(b64::urlsafe_encode(token).as_bytes()).as_deref(),
        Ok(token)
    );
    assert_eq!(
        b64::lenient_std_decode(b64::std_encode(token).as_bytes()).as_deref(),
        Ok(token)
    );
});
