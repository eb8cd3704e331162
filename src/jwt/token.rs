//! The HS256/384/512 decode fast path: split, base64url-decode, parse, verify and
//! check the registered claims with PyJWT's default options -- all in Rust.
//!
//! It only ever answers "valid, here are the claims" or `Unsupported`. Every
//! rejection, and every token it does not handle exactly as PyJWT would (padding,
//! `kid`/`crit`/`b64` headers, unusual claim types), is `Unsupported`: the caller
//! then runs the full PyJWT-compatible path, which raises PyJWT's exception.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use super::parse::{parse, Unsupported, Value};

/// What the caller asked to be checked (PyJWT's default options).
pub struct Expect<'a> {
    pub now: f64,
    pub leeway: f64,
    /// `audience` as a list of strings (a str audience is a one-element list).
    pub audience: Option<&'a [String]>,
    pub issuer: Option<&'a str>,
    pub subject: Option<&'a str>,
    /// Which claim checks are on (the `CHECK_*` bits; PyJWT's `verify_*` options).
    pub checks: u8,
    /// Claims that must be present and not null (PyJWT's `require` option).
    pub require: &'a [String],
}

pub const CHECK_EXP: u8 = 1;
pub const CHECK_NBF: u8 = 2;
pub const CHECK_IAT: u8 = 4;
pub const CHECK_AUD: u8 = 8;
pub const CHECK_ISS: u8 = 16;
pub const CHECK_SUB: u8 = 32;
pub const CHECK_JTI: u8 = 64;
/// PyJWT's defaults: every check on.
pub const CHECK_ALL: u8 = 127;

fn b64(segment: &[u8]) -> Result<Vec<u8>, Unsupported> {
    // The strict engine rejects padding and non-canonical trailing bits.
    URL_SAFE_NO_PAD.decode(segment).map_err(|_| Unsupported)
}

fn hs_bits(alg: &str) -> Option<u32> {
    match alg {
        "HS256" => Some(256),
        "HS384" => Some(384),
        "HS512" => Some(512),
        _ => None,
    }
}

/// A time claim as PyJWT's `int(value)` would see it, when that is exact here.
fn int_time(v: &Value) -> Result<f64, Unsupported> {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
    match v {
        Value::Int(i) if (*i as f64).abs() < EXACT => Ok(*i as f64),
        Value::Float(f) if f.is_finite() && f.abs() < EXACT => Ok(f.trunc()),
        _ => Err(Unsupported),
    }
}

fn check(ok: bool) -> Result<(), Unsupported> {
    if ok {
        Ok(())
    } else {
        Err(Unsupported)
    }
}

/// PyJWT's claim checks with default options; any failure is `Unsupported`.
pub fn check_claims(claims: &[(String, Value)], e: &Expect<'_>) -> Result<(), Unsupported> {
    let get = |name: &str| Value::member(claims, name);
    let on = |bit: u8| e.checks & bit != 0;
    for name in e.require {
        check(!matches!(get(name), None | Some(Value::Null)))?;
    }
    if let Some(iat) = get("iat").filter(|_| on(CHECK_IAT)) {
        check(int_time(iat)? <= e.now + e.leeway)?;
    }
    if let Some(nbf) = get("nbf").filter(|_| on(CHECK_NBF)) {
        check(int_time(nbf)? <= e.now + e.leeway)?;
    }
    if let Some(exp) = get("exp").filter(|_| on(CHECK_EXP)) {
        check(int_time(exp)? > e.now - e.leeway)?;
    }
    if let Some(issuer) = e.issuer.filter(|_| on(CHECK_ISS)) {
        check(matches!(get("iss"), Some(Value::Str(s)) if s == issuer))?;
    }
    if on(CHECK_AUD) {
        let aud = get("aud").filter(|v| v.truthy());
        match (e.audience, aud) {
            (None, None) => {}
            (None, Some(_)) | (Some(_), None) => return Err(Unsupported),
            (Some(wanted), Some(claim)) => {
                let listed: Vec<&str> = match claim {
                    Value::Str(s) => vec![s.as_str()],
                    Value::Array(items) => items
                        .iter()
                        .map(|i| match i {
                            Value::Str(s) => Ok(s.as_str()),
                            _ => Err(Unsupported),
                        })
                        .collect::<Result<_, _>>()?,
                    _ => return Err(Unsupported),
                };
                check(wanted.iter().any(|w| listed.contains(&w.as_str())))?;
            }
        }
    }
    if let Some(sub) = get("sub").filter(|_| on(CHECK_SUB)) {
        let Value::Str(s) = sub else {
            return Err(Unsupported);
        };
        if let Some(subject) = e.subject {
            check(s == subject)?;
        }
    }
    if let Some(jti) = get("jti").filter(|_| on(CHECK_JTI)) {
        check(matches!(jti, Value::Str(_)))?;
    }
    Ok(())
}

/// The signature check the fast path runs: `verify(alg, signing_input, signature)`
/// is true only for an allowed algorithm and a valid signature.
pub type Verify<'a> = dyn Fn(&str, &[u8], &[u8]) -> bool + Sync + 'a;

/// Verify a token with `verify` and return its claims (see the module docs).
pub fn decode_with(
    token: &[u8],
    verify: &Verify<'_>,
    expect: &Expect<'_>,
) -> Result<Vec<(String, Value)>, Unsupported> {
    let mut parts = token.split(|b| *b == b'.');
    let (Some(h), Some(p), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Unsupported);
    };
    let Value::Object(header) = parse(&b64(h)?)? else {
        return Err(Unsupported);
    };
    for (name, value) in &header {
        match name.as_str() {
            "crit" | "b64" => return Err(Unsupported),
            "kid" if !matches!(value, Value::Str(_)) => return Err(Unsupported),
            _ => {}
        }
    }
    let Some(Value::Str(alg)) = Value::member(&header, "alg") else {
        return Err(Unsupported);
    };
    let sig = b64(s)?;
    let signing_input = &token[..h.len() + 1 + p.len()];
    if !verify(alg, signing_input, &sig) {
        return Err(Unsupported);
    }
    let Value::Object(claims) = parse(&b64(p)?)? else {
        return Err(Unsupported);
    };
    check_claims(&claims, expect)?;
    Ok(claims)
}

/// Verify an HS* token and return its claims.
///
/// `allowed(alg)` says whether the token's `alg` is in the caller's `algorithms` and
/// registered as the default HMAC algorithm; `key` is the prepared HMAC secret.
pub fn decode_hs(
    token: &[u8],
    key: &[u8],
    allowed: &(dyn Fn(&str) -> bool + Sync),
    expect: &Expect<'_>,
) -> Result<Vec<(String, Value)>, Unsupported> {
    let verify = |alg: &str, msg: &[u8], sig: &[u8]| {
        // Short keys make PyJWT warn: leave them to the full path.
        hs_bits(alg).is_some_and(|bits| {
            key.len() >= (bits / 8) as usize
                && allowed(alg)
                && super::hmac::verify(bits, key, msg, sig).unwrap_or(false)
        })
    };
    decode_with(token, &verify, expect)
}

/// [`decode_hs`] over many tokens in parallel (rayon), results in input order.
pub fn decode_hs_many(
    tokens: &[Vec<u8>],
    key: &[u8],
    allowed: &(dyn Fn(&str) -> bool + Sync),
    expect: &Expect<'_>,
) -> Vec<Result<Vec<(String, Value)>, Unsupported>> {
    use rayon::prelude::*;
    tokens
        .par_iter()
        .map(|t| decode_hs(t, key, allowed, expect))
        .collect()
}

/// [`decode_with`] over many tokens in parallel (rayon), results in input order.
pub fn decode_many_with(
    tokens: &[Vec<u8>],
    verify: &Verify<'_>,
    expect: &Expect<'_>,
) -> Vec<Result<Vec<(String, Value)>, Unsupported>> {
    use rayon::prelude::*;
    tokens
        .par_iter()
        .map(|t| decode_with(t, verify, expect))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8] = b"0123456789abcdef0123456789abcdef";

    fn token(header: &str, payload: &str, key: &[u8]) -> Vec<u8> {
        let mut t = Vec::new();
        crate::jwt::b64::encode_into(header.as_bytes(), &mut t);
        t.push(b'.');
        crate::jwt::b64::encode_into(payload.as_bytes(), &mut t);
        let sig = crate::jwt::hmac::sign(256, key, &t).unwrap();
        t.push(b'.');
        crate::jwt::b64::encode_into(&sig, &mut t);
        t
    }

    fn expect<'a>(aud: Option<&'a [String]>) -> Expect<'a> {
        Expect {
            now: 1000.0,
            leeway: 0.0,
            audience: aud,
            issuer: Some("me"),
            subject: None,
            checks: CHECK_ALL,
            require: &[],
        }
    }

    #[test]
    fn checks_can_be_turned_off_and_claims_required() {
        let t = token(
            r#"{"alg":"HS256"}"#,
            r#"{"iss":"me","exp":1,"sub":5,"x":null}"#,
            KEY,
        );
        let mut e = expect(None);
        assert!(decode_hs(&t, KEY, &|_| true, &e).is_err());
        e.checks = CHECK_ALL & !CHECK_EXP & !CHECK_SUB;
        assert!(decode_hs(&t, KEY, &|_| true, &e).is_ok());
        let required = vec!["x".to_string()];
        e.require = &required;
        assert!(decode_hs(&t, KEY, &|_| true, &e).is_err());
        let required = vec!["iss".to_string()];
        e.require = &required;
        assert!(decode_hs(&t, KEY, &|_| true, &e).is_ok());
    }

    #[test]
    fn valid_token_passes_and_claims_are_returned() {
        let t = token(
            r#"{"alg":"HS256","typ":"JWT"}"#,
            r#"{"iss":"me","exp":1001,"aud":["x","api"]}"#,
            KEY,
        );
        let aud = vec!["api".to_string()];
        let claims = decode_hs(&t, KEY, &|a| a == "HS256", &expect(Some(&aud))).unwrap();
        assert_eq!(claims.len(), 3);
    }

    #[test]
    fn every_rejection_is_left_to_the_full_path() {
        let aud = vec!["api".to_string()];
        let good = r#"{"alg":"HS256"}"#;
        let cases: Vec<(Vec<u8>, &[u8])> = vec![
            (token(good, r#"{"iss":"me","exp":1000}"#, KEY), KEY), // exp == now: expired
            (token(good, r#"{"iss":"me","nbf":1001}"#, KEY), KEY),
            (token(good, r#"{"iss":"me","iat":1001}"#, KEY), KEY),
            (token(good, r#"{"iss":"you"}"#, KEY), KEY),
            (token(good, r#"{"iss":"me","aud":"web"}"#, KEY), KEY),
            (token(good, r#"{"iss":"me","sub":1}"#, KEY), KEY),
            (token(good, r#"{"iss":"me","jti":[]}"#, KEY), KEY),
            (token(good, r#"{"iss":"me","exp":"1001"}"#, KEY), KEY),
            (
                token(r#"{"alg":"HS256","crit":["b64"]}"#, r#"{"iss":"me"}"#, KEY),
                KEY,
            ),
            (
                token(r#"{"alg":"HS256","kid":1}"#, r#"{"iss":"me"}"#, KEY),
                KEY,
            ),
            (
                token(good, r#"{"iss":"me"}"#, b"another key, 32 bytes long......"),
                KEY,
            ),
            (token(good, r#"{"iss":"me"}"#, b"short"), b"short"),
            (b"a.b".to_vec(), KEY),
            (b"a.b.c.d".to_vec(), KEY),
        ];
        for (t, k) in cases {
            assert!(
                decode_hs(&t, k, &|_| true, &expect(Some(&aud))).is_err(),
                "{t:?}"
            );
        }
        let t = token(good, r#"{"iss":"me"}"#, KEY);
        assert!(decode_hs(&t, KEY, &|_| false, &expect(None)).is_err());
        assert!(decode_hs(&t, KEY, &|_| true, &expect(None)).is_ok());
        let batch = decode_hs_many(
            &[t.clone(), b"x".to_vec(), t.clone()],
            KEY,
            &|_| true,
            &expect(None),
        );
        assert!(batch[0].is_ok() && batch[1].is_err() && batch[2].is_ok());
        let mut padded = t.clone();
        padded.push(b'=');
        assert!(decode_hs(&padded, KEY, &|_| true, &expect(None)).is_err());
    }
}
