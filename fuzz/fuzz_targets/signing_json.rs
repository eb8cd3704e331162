//! The JSON reader (src/pyjson/read.rs) and the signing writer
//! (src/signing/json.rs), as Flask, itsdangerous, Starlette and Django sessions
//! use them: every accepted document renders, in all four `json.dumps` styles,
//! to text that reads back to the same value.
#![no_main]
use ferroauth::pyjson::value::parse;
use ferroauth::signing::json::Style;
use ferroauth_fuzz::pyjson::{same, to_string};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(value) = parse(data) else {
        return;
    };
    for compact in [false, true] {
        for ensure_ascii in [false, true] {
            let style = Style {
                compact,
                ensure_ascii,
            };
            let out = to_string(&value, style);
            let again =
                parse(out.as_bytes()).unwrap_or_else(|e| panic!("{out:?} does not parse: {e:?}"));
            assert!(same(&value, &again), "{data:?} -> {out:?}");
            assert!(!ensure_ascii || out.is_ascii());
        }
    }
});
