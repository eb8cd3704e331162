//! Verify a password against any stored hash, with the work limits set so low
//! that no input can make one run take more than a few milliseconds: this
//! exercises the limit checks and every KDF's parameter handling, not its speed.
#![no_main]
use std::sync::Once;

use ferroauth::password::{self, limits};
use libfuzzer_sys::fuzz_target;

static LOW_LIMITS: Once = Once::new();

fuzz_target!(|data: &[u8]| {
    LOW_LIMITS.call_once(|| {
        limits::set(limits::Limits {
            argon2_max_memory_kib: 256,
            argon2_max_time_cost: 3,
            argon2_max_parallelism: 4,
            scrypt_max_memory: 1 << 20,
            scrypt_max_cost: 1 << 12,
            pbkdf2_max_iterations: 5_000,
            bcrypt_max_cost: 5,
            sha_crypt_max_rounds: 5_000,
            max_input_len: 4096,
        })
    });
    // The first line is the password, the rest the stored hash.
    let (pw, stored) = match data.iter().position(|&b| b == b'\n') {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (&b"correct horse"[..], data),
    };
    let Ok(stored) = std::str::from_utf8(stored) else {
        return;
    };
    if let Ok(true) = password::verify(pw, stored) {
        // A match means the hash parsed as canonical; its rendering must match too.
        let hash = password::parse(stored).unwrap();
        let rendered = password::format::render(&hash);
        assert_eq!(password::verify(pw, &rendered), Ok(true), "{stored:?}");
    }
});
