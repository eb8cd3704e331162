//! The HS* decode fast path (src/jwt/token.rs) on arbitrary tokens, and on
//! validly signed tokens whose payload is the fuzzer's bytes: with every claim
//! check off, such a token decodes exactly when its payload is a JSON object,
//! and the claims are that object.
#![no_main]
use ferroauth::jwt::parse::{parse, Value};
use ferroauth::jwt::token::{decode_hs, decode_with, Expect, CHECK_ALL};
use ferroauth::jwt::{b64, hmac};
use libfuzzer_sys::fuzz_target;

const KEY: &[u8] = b"0123456789abcdef0123456789abcdef";

fuzz_target!(|data: &[u8]| {
    let aud = [std::borrow::Cow::Borrowed("api")];
    let strict = Expect {
        now: 1_700_000_000.0,
        leeway: 0.0,
        audience: Some(&aud),
        issuer: Some("me"),
        subject: None,
        checks: CHECK_ALL,
        require: &[],
    };
    let _ = decode_hs(data, KEY, &|_| true, &strict);
    let _ = decode_with(data, &|_, _, _| true, &strict);

    let mut token = Vec::new();
    b64::encode_into(br#"{"alg":"HS256","typ":"JWT"}"#, &mut token);
    token.push(b'.');
    b64::encode_into(data, &mut token);
    let sig = hmac::sign(256, KEY, &token).unwrap();
    token.push(b'.');
    b64::encode_into(&sig, &mut token);
    let lax = Expect {
        checks: 0,
        audience: None,
        issuer: None,
        ..strict
    };
    let decoded = decode_hs(&token, KEY, &|a| a == "HS256", &lax);
    match (parse(data), decoded) {
        (Ok(Value::Object(want)), Ok(got)) => {
            assert!(ferroauth_fuzz::pyjson::same(
                &Value::Object(want),
                &Value::Object(got)
            ))
        }
        (Ok(Value::Object(_)), Err(_)) => panic!("a signed object payload was refused"),
        (_, Ok(_)) => panic!("a payload that is not a JSON object was accepted"),
        (_, Err(_)) => {}
    }
    // One flipped signature byte is always refused.
    let last = token.len() - 2;
    token[last] = if token[last] == b'A' { b'B' } else { b'A' };
    assert!(decode_hs(&token, KEY, &|_| true, &lax).is_err());
});
