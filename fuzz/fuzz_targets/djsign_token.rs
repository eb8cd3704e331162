//! Django signing (src/djsign.rs): `unsign_payload` on arbitrary signed
//! strings, base62 timestamps, and the sign -> unsign round trip.
#![no_main]
use ferroauth::djsign::{self, Algorithm};
use libfuzzer_sys::fuzz_target;
use zeroize::Zeroizing;

const ALGS: [Algorithm; 3] = [Algorithm::Sha1, Algorithm::Sha256, Algorithm::Sha512];

fuzz_target!(|data: &[u8]| {
    let Some((&choice, rest)) = data.split_first() else {
        return;
    };
    let alg = ALGS[choice as usize % 3];
    let sep = if choice & 0x80 != 0 { ":" } else { "/" };
    let timestamped = choice & 0x40 != 0;
    let keys = [
        Zeroizing::new(b"old-secret".to_vec()),
        Zeroizing::new(b"django-insecure-secret".to_vec()),
    ];
    let salt = b"django.core.signing.TimestampSigner";
    let text = String::from_utf8_lossy(rest);
    let _ = djsign::unsign_payload(alg, salt, &keys, &text, sep, timestamped);
    if let Some(n) = djsign::b62_decode(&text) {
        // Decoding accepts leading zeros and "-0"; re-encoding is canonical.
        assert_eq!(djsign::b62_decode(&djsign::b62_encode(n)), Some(n));
    }

    let ts = rest
        .iter()
        .take(8)
        .fold(0i64, |acc, &b| (acc << 8) | b as i64);
    assert_eq!(
        djsign::b62_decode(&djsign::b62_encode(ts)),
        Some(ts),
        "{ts}"
    );
    let compressed = choice & 0x20 != 0;
    let timestamp = timestamped.then_some(ts);
    let signed = djsign::sign_payload(alg, salt, &keys[1], rest, compressed, sep, timestamp);
    let unsigned = djsign::unsign_payload(alg, salt, &keys, &signed, sep, timestamped)
        .unwrap_or_else(|| panic!("own token refused: {signed:?}"));
    assert_eq!(
        (
            unsigned.payload.as_slice(),
            unsigned.compressed,
            unsigned.timestamp
        ),
        (rest, compressed, timestamp)
    );
});
