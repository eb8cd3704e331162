//! Token JSON (src/jwt/parse.rs, the shared reader src/pyjson/read.rs with
//! the JWT builder) and the JSON writers (src/pyjson/write.rs via the signing
//! writer): whatever the reader accepts renders to text it reads back to the
//! same value;
//! and where the Rust-tree builder also accepts the text, both builders made
//! the same values.
#![no_main]
use ferroauth::jwt::parse::parse;
use ferroauth_fuzz::{jwt, pyjson};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(value) = parse(data) else {
        return;
    };
    let mut text = jwt::render(&value);
    // The reader leaves documents under two bytes to Python (encoding sniffing).
    if text.len() < 2 {
        text.push(b' ');
    }
    let again = parse(&text).unwrap_or_else(|_| panic!("rendering {text:?} does not parse"));
    assert!(jwt::same(&value, &again), "{value:?} -> {again:?}");
    if let Ok(other) = ferroauth::pyjson::value::parse(data) {
        assert!(
            pyjson::same(&other, &jwt::tree(&value)),
            "readers disagree on {data:?}: {other:?} vs {value:?}"
        );
    }
});
