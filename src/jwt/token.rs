//! The HS256/384/512 decode fast path: split, base64url-decode, parse, verify and
//! check the registered claims with PyJWT's default options -- all in Rust.
//!
//! It only ever answers "valid, here are the claims" or `Unsupported`. Every
//! rejection, and every token it does not handle exactly as PyJWT would (padding,
//! `kid`/`crit`/`b64` headers, unusual claim types), is `Unsupported`: the caller
//! then runs the full PyJWT-compatible path, which raises PyJWT's exception.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use std::borrow::Cow;

use super::parse::{owned_members, parse, Members, Unsupported, Value};

/// What the caller asked to be checked (PyJWT's default options).
pub struct Expect<'a> {
    pub now: f64,
    pub leeway: f64,
    /// `audience` as a list of strings (a str audience is a one-element list).
    pub audience: Option<&'a [Cow<'a, str>]>,
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
    // Strict: padding and non-canonical trailing bits are rejected.
    let mut out = Vec::with_capacity(segment.len() / 4 * 3 + 2);
    super::b64::decode_strict(segment, &mut out).ok_or(Unsupported)?;
    Ok(out)
}

/// The header segments almost every token carries, with their `alg`: PyJWT's
/// `{"alg":…,"typ":"JWT"}` (sorted keys) and the `{"typ":"JWT","alg":…}` order other
/// libraries write. A token whose header segment is one of these byte for byte has
/// exactly that header, so it needs no decoding or parsing.
///
/// Every one of them is 36 characters (27 bytes of JSON), so they are kept as
/// fixed-size arrays, compared inline rather than by a `memcmp` call each, with
/// PyJWT's order and the most used algorithms first.
fn known_header(segment: &[u8]) -> Option<&'static str> {
    let segment = <&[u8; 36]>::try_from(segment).ok()?;
    known_headers()
        .iter()
        .find(|(seg, _)| seg == segment)
        .map(|(_, alg)| *alg)
}

fn known_headers() -> &'static [([u8; 36], &'static str)] {
    use std::sync::OnceLock;
    static KNOWN: OnceLock<Vec<([u8; 36], &'static str)>> = OnceLock::new();
    KNOWN.get_or_init(|| {
        let mut out = Vec::new();
        for order in [0, 1] {
            for alg in [
                "HS256", "RS256", "ES256", "EdDSA", "HS384", "HS512", "RS384", "RS512", "PS256",
                "PS384", "PS512", "ES384",
            ] {
                let json = if order == 0 {
                    format!(r#"{{"alg":"{alg}","typ":"JWT"}}"#)
                } else {
                    format!(r#"{{"typ":"JWT","alg":"{alg}"}}"#)
                };
                if let Ok(seg) = <[u8; 36]>::try_from(URL_SAFE_NO_PAD.encode(json).as_bytes()) {
                    out.push((seg, alg));
                }
            }
        }
        out
    })
}

/// The `alg` of a header segment the fast path handles (no `crit`/`b64`, a str
/// `kid` if any), or `Unsupported`.
fn header_alg(segment: &[u8]) -> Result<Cow<'static, str>, Unsupported> {
    if let Some(alg) = known_header(segment) {
        return Ok(Cow::Borrowed(alg));
    }
    let raw = b64(segment)?;
    let Value::Object(header) = parse(&raw)? else {
        return Err(Unsupported);
    };
    for (name, value) in &header {
        match name.as_ref() {
            "crit" | "b64" => return Err(Unsupported),
            "kid" if !matches!(value, Value::Str(_)) => return Err(Unsupported),
            _ => {}
        }
    }
    match Value::member(&header, "alg") {
        Some(Value::Str(alg)) => Ok(Cow::Owned(alg.to_string())),
        _ => Err(Unsupported),
    }
}

/// Decode a signature segment and hand it to `f` (on the stack: every signature
/// the fast paths verify, up to RSA-4096's 512 bytes, fits).
fn with_signature<T>(segment: &[u8], f: impl FnOnce(&[u8]) -> T) -> Result<T, Unsupported> {
    let mut buf = [0u8; 512];
    if let Some(n) = super::b64::decode_strict_to(segment, &mut buf) {
        return Ok(f(&buf[..n]));
    }
    Ok(f(&b64(segment)?))
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
pub fn check_claims(
    claims: &[(Cow<'_, str>, Value<'_>)],
    e: &Expect<'_>,
) -> Result<(), Unsupported> {
    let get = |name: &str| Value::member(claims, name);
    let on = |bit: u8| e.checks & bit != 0;
    for name in e.require {
        check(!matches!(get(name), None | Some(Value::Null)))?;
    }
    // The registered claims in one pass (the last of a repeated name wins, as in
    // the dict json.loads builds).
    let (mut iat, mut nbf, mut exp, mut iss, mut aud, mut sub, mut jti) =
        (None, None, None, None, None, None, None);
    for (name, value) in claims {
        let slot = match name.as_ref() {
            "iat" => &mut iat,
            "nbf" => &mut nbf,
            "exp" => &mut exp,
            "iss" => &mut iss,
            "aud" => &mut aud,
            "sub" => &mut sub,
            "jti" => &mut jti,
            _ => continue,
        };
        *slot = Some(value);
    }
    if let Some(iat) = iat.filter(|_| on(CHECK_IAT)) {
        check(int_time(iat)? <= e.now + e.leeway)?;
    }
    if let Some(nbf) = nbf.filter(|_| on(CHECK_NBF)) {
        check(int_time(nbf)? <= e.now + e.leeway)?;
    }
    if let Some(exp) = exp.filter(|_| on(CHECK_EXP)) {
        check(int_time(exp)? > e.now - e.leeway)?;
    }
    if let Some(issuer) = e.issuer.filter(|_| on(CHECK_ISS)) {
        check(matches!(iss, Some(Value::Str(s)) if s.as_ref() == issuer))?;
    }
    if on(CHECK_AUD) {
        let aud = aud.filter(|v| v.truthy());
        match (e.audience, aud) {
            (None, None) => {}
            (None, Some(_)) | (Some(_), None) => return Err(Unsupported),
            (Some(wanted), Some(claim)) => {
                // A str claim is a one-element list; a list must hold only str.
                let listed: &[Value<'_>] = match claim {
                    Value::Str(_) => std::slice::from_ref(claim),
                    Value::Array(items) if items.iter().all(|i| matches!(i, Value::Str(_))) => {
                        items
                    }
                    _ => return Err(Unsupported),
                };
                let has = |w: &str| {
                    listed
                        .iter()
                        .any(|i| matches!(i, Value::Str(s) if s.as_ref() == w))
                };
                check(wanted.iter().any(|w| has(w)))?;
            }
        }
    }
    if let Some(sub) = sub.filter(|_| on(CHECK_SUB)) {
        let Value::Str(s) = sub else {
            return Err(Unsupported);
        };
        if let Some(subject) = e.subject {
            check(s.as_ref() == subject)?;
        }
    }
    if let Some(jti) = jti.filter(|_| on(CHECK_JTI)) {
        check(matches!(jti, Value::Str(_)))?;
    }
    Ok(())
}

/// The signature check the fast path runs: `verify(alg, signing_input, signature)`
/// is true only for an allowed algorithm and a valid signature.
pub type Verify<'a> = dyn Fn(&str, &[u8], &[u8]) -> bool + Sync + 'a;

/// [`Verify`] for one token on the calling thread (it may release the GIL itself).
pub type LocalVerify<'a> = dyn Fn(&str, &[u8], &[u8]) -> bool + 'a;

/// Verify a token with `verify`, check its claims, and hand them to `emit`
/// (which builds the caller's result while they still borrow the decoded payload).
pub fn decode_into<T>(
    token: &[u8],
    verify: &LocalVerify<'_>,
    expect: &Expect<'_>,
    emit: impl FnOnce(Members<'_>) -> T,
) -> Result<T, Unsupported> {
    // A third '.' would be in the signature segment, which then does not decode
    // (it is not in the base64url alphabet): Unsupported, as a split would say,
    // without scanning the signature for it first.
    let d1 = memchr::memchr(b'.', token).ok_or(Unsupported)?;
    let d2 = d1 + 1 + memchr::memchr(b'.', &token[d1 + 1..]).ok_or(Unsupported)?;
    let (h, p, s) = (&token[..d1], &token[d1 + 1..d2], &token[d2 + 1..]);
    let alg = header_alg(h)?;
    let signing_input = &token[..h.len() + 1 + p.len()];
    if !with_signature(s, |sig| verify(&alg, signing_input, sig))? {
        return Err(Unsupported);
    }
    // Typical payloads decode on the stack (no allocation); longer ones on the heap.
    let mut stack = [0u8; 768];
    let heap;
    let payload: &[u8] = match super::b64::decode_strict_to(p, &mut stack) {
        Some(n) => &stack[..n],
        None => {
            heap = b64(p)?;
            &heap
        }
    };
    let Value::Object(claims) = parse(payload)? else {
        return Err(Unsupported);
    };
    check_claims(&claims, expect)?;
    Ok(emit(claims))
}

/// Verify a token with `verify` and return its claims (see the module docs).
pub fn decode_with(
    token: &[u8],
    verify: &Verify<'_>,
    expect: &Expect<'_>,
) -> Result<Members<'static>, Unsupported> {
    decode_into(token, verify, expect, owned_members)
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
) -> Result<Members<'static>, Unsupported> {
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

/// [`decode_hs`] with the secret's keyed hash states precomputed, handing the
/// claims to `emit` (see [`decode_into`]).
pub fn decode_hs_key_into<T>(
    token: &[u8],
    key: &super::hmac::HmacKey,
    allowed: &dyn Fn(&str) -> bool,
    expect: &Expect<'_>,
    emit: impl FnOnce(Members<'_>) -> T,
) -> Result<T, Unsupported> {
    let verify = |alg: &str, msg: &[u8], sig: &[u8]| {
        // Short keys make PyJWT warn: leave them to the full path.
        hs_bits(alg).is_some_and(|bits| {
            key.len() >= (bits / 8) as usize && allowed(alg) && key.verify(bits, msg, sig)
        })
    };
    decode_into(token, &verify, expect, emit)
}

/// [`decode_hs`] with the secret's keyed hash states precomputed.
pub fn decode_hs_key(
    token: &[u8],
    key: &super::hmac::HmacKey,
    allowed: &(dyn Fn(&str) -> bool + Sync),
    expect: &Expect<'_>,
) -> Result<Members<'static>, Unsupported> {
    decode_hs_key_into(token, key, allowed, expect, owned_members)
}

/// [`decode_hs_key`] over many tokens in parallel (rayon), results in input order.
pub fn decode_hs_key_many(
    tokens: &[Vec<u8>],
    key: &super::hmac::HmacKey,
    allowed: &(dyn Fn(&str) -> bool + Sync),
    expect: &Expect<'_>,
) -> Vec<Result<Members<'static>, Unsupported>> {
    use rayon::prelude::*;
    tokens
        .par_iter()
        .map(|t| decode_hs_key(t, key, allowed, expect))
        .collect()
}

/// [`decode_hs`] over many tokens in parallel (rayon), results in input order.
pub fn decode_hs_many(
    tokens: &[Vec<u8>],
    key: &[u8],
    allowed: &(dyn Fn(&str) -> bool + Sync),
    expect: &Expect<'_>,
) -> Vec<Result<Members<'static>, Unsupported>> {
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
) -> Vec<Result<Members<'static>, Unsupported>> {
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

    fn expect<'a>(aud: Option<&'a [Cow<'a, str>]>) -> Expect<'a> {
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
        let aud = [Cow::Borrowed("api")];
        let claims = decode_hs(&t, KEY, &|a| a == "HS256", &expect(Some(&aud))).unwrap();
        assert_eq!(claims.len(), 3);
    }

    #[test]
    fn known_headers_cover_every_algorithm_in_both_orders() {
        assert_eq!(known_headers().len(), 24);
        for (json, alg) in [
            (r#"{"alg":"HS256","typ":"JWT"}"#, Some("HS256")),
            (r#"{"typ":"JWT","alg":"EdDSA"}"#, Some("EdDSA")),
            (r#"{"alg":"ES384","typ":"JWT"}"#, Some("ES384")),
            (r#"{"alg":"HS256","typ":"JWS"}"#, None),
            (r#"{"alg":"HS256"}"#, None),
        ] {
            assert_eq!(known_header(URL_SAFE_NO_PAD.encode(json).as_bytes()), alg);
        }
    }

    #[test]
    fn every_rejection_is_left_to_the_full_path() {
        let aud = [Cow::Borrowed("api")];
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
