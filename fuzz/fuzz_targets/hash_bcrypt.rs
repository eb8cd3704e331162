//! Stored hashes of the bcrypt family: parse, render, re-parse (see `check_stored_hash`).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    ferroauth_fuzz::fuzz_family(data, ferroauth_fuzz::prefixes::BCRYPT);
});
