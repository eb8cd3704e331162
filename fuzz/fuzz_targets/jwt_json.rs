//! Token JSON (src/jwt/parse.rs, the shared reader src/pyjson/read.rs with
//! the JWT builder) and the JSON writers (src/pyjson/write.rs via the signing
//! writer): whatever the reader accepts renders to text it reads back to the
//! same value;
//! and where the general builder (src/pyjson/value.rs) also accepts the text,
//! both builders made the same value.
#![no_main]
use ferroauth::jwt::parse::parse;
use ferroauth_fuzz::pyjson::{same, to_string, DUMPS_DEFAULT};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(value) = parse(data) else {
        return;
    };
    let mut text = to_string(&value, DUMPS_DEFAULT).into_bytes();
    // The reader leaves documents under two bytes to Python (encoding sniffing).
    if text.len() < 2 {
        text.push(b' ');
    }
    let again = parse(&text).unwrap_or_else(|_| panic!("rendering {text:?} does not parse"));
    assert!(same(&value, &again), "{value:?} -> {again:?}");
    if let Ok(other) = ferroauth::pyjson::value::parse(data) {
        assert!(
            same(&other, &value),
            "readers disagree on {data:?}: {other:?} vs {value:?}"
        );
    }
});
