//! Any stored hash, through the scheme dispatch (see `check_stored_hash`).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(stored) = std::str::from_utf8(data) {
        ferroauth_fuzz::check_stored_hash(stored);
    }
});
