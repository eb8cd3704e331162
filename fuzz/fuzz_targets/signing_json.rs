//! The signing JSON reader and writer (src/signing/json.rs), as Flask,
//! itsdangerous and Starlette sessions use them: every accepted document
//! renders, in all four `json.dumps` styles, to text that reads back to the
//! same value. Where Django's reader (src/djsign.rs) also accepts the bytes
//! (read as latin-1, as Django does), the two agree.
#![no_main]
use ferroauth::signing::json::{parse, Style};
use ferroauth_fuzz::signing_json::{same, same_as_django, to_string};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some(dj) = ferroauth::djsign::json_loads_latin1(data) {
        let latin1: String = data.iter().map(|&b| b as char).collect();
        if let Ok(v) = parse(&latin1) {
            assert!(same_as_django(&v, &dj), "readers disagree on {latin1:?}");
        }
    }
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(value) = parse(text) else {
        return;
    };
    for compact in [false, true] {
        for ensure_ascii in [false, true] {
            let style = Style {
                compact,
                ensure_ascii,
            };
            let out = to_string(&value, style);
            let again = parse(&out).unwrap_or_else(|e| panic!("{out:?} does not parse: {e}"));
            assert!(same(&value, &again), "{text:?} -> {out:?}");
            assert!(!ensure_ascii || out.is_ascii());
        }
    }
});
