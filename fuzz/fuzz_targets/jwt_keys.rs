//! Asymmetric key material (src/jwt/keys.rs: DER for RSA, PKCS#8 for EC and
//! Ed25519, raw public keys): parsing never panics, and a private key that
//! parses signs messages that its own public half verifies.
#![no_main]
use ferroauth::jwt::keys::AsymKey;
use libfuzzer_sys::fuzz_target;

const ALGS: &[&str] = &[
    "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA", "HS256",
];

fuzz_target!(|data: &[u8]| {
    let Some((&choice, material)) = data.split_first() else {
        return;
    };
    let alg = ALGS[(choice & 0x7f) as usize % ALGS.len()];
    let private = choice & 0x80 != 0;
    let Ok(key) = AsymKey::new(alg, material, private) else {
        return;
    };
    let _ = key.is_rsa();
    assert!(!key.verify(b"message", material));
    if key.can_sign() {
        let sig = key.sign(b"message").expect("a parsed private key signs");
        assert!(key.verify(b"message", &sig), "{alg}: own signature refused");
        assert!(
            !key.verify(b"messagE", &sig),
            "{alg}: signature over another message"
        );
    }
});
