//! A wrong password's verify takes the same time wherever its derived key
//! first differs from the stored one (see `crate::timing`). PBKDF2 with one
//! iteration keeps the KDF short, so the comparison is a large share of the
//! time. The stored hash is parsed once outside the timed loop: parsing reads
//! the stored text, which is not secret, and the two classes' texts differ.

use std::hint::black_box;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use crate::timing::{assert_constant_time, leaky_eq};

/// Django and werkzeug hashes whose derived key differs from the password's
/// in the first byte (class 0) or the last (class 1).
fn stored_pair(render: impl Fn(&[u8]) -> String) -> [String; 2] {
    let mut key = [0u8; 32];
    pbkdf2_crate::pbkdf2_hmac::<sha2::Sha256>(b"correct horse", b"saltsaltsalt", 1, &mut key);
    let flip = |at: usize| {
        let mut k = key;
        k[at] ^= 1;
        render(&k)
    };
    [flip(0), flip(31)]
}

fn check(what: &str, stored: [String; 2]) {
    let parsed = stored.clone().map(|s| super::parse(&s).unwrap());
    assert_constant_time(
        what,
        8000,
        16,
        |c| {
            let hash = &parsed[c];
            let computed = super::compute(hash, black_box(b"correct horse"), 32).unwrap();
            black_box(leaky_eq(&computed, &hash.digest));
        },
        |c| {
            let ok = super::verify_parsed(black_box(b"correct horse"), black_box(&parsed[c]));
            assert_eq!(ok, Ok(false));
        },
    );
}

#[test]
fn django_pbkdf2_mismatch_time_does_not_depend_on_where_keys_differ() {
    check(
        "Django pbkdf2_sha256 verify",
        stored_pair(|k| format!("pbkdf2_sha256$1$saltsaltsalt${}", STANDARD.encode(k))),
    );
}

#[test]
fn werkzeug_pbkdf2_mismatch_time_does_not_depend_on_where_keys_differ() {
    check(
        "werkzeug pbkdf2:sha256 verify",
        stored_pair(|k| format!("pbkdf2:sha256:1$saltsaltsalt${}", super::b64::hex(k))),
    );
}
