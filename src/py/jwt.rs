//! Binding for the JWT core: `json.dumps`-exact serialization of plain Python
//! data, HMAC sign/verify, and `JwtKey` (a parsed asymmetric key).

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};

use std::borrow::Cow;

use crate::jwt::parse::Value;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::jwt::token::{
    decode_hs_key_into, decode_hs_key_many, decode_into, decode_many_with, Expect, CHECK_ALL,
};
use crate::jwt::{b64, hmac, keys::AsymKey, JwtError};
use crate::pyjson;

/// The token size cap the fast paths apply (ferroauth.jwt.set_max_token_size keeps
/// it equal to the Python-side limit).
static MAX_TOKEN_SIZE: AtomicUsize = AtomicUsize::new(1 << 20);

/// Set the token size cap the Rust fast paths apply.
#[pyfunction]
fn jwt_set_max_token_size(size: usize) {
    MAX_TOKEN_SIZE.store(size, Ordering::Relaxed);
}

/// A prepared HMAC secret: the keyed SHA-256/384/512 states, computed once per key.
#[pyclass(frozen, module = "ferroauth._core", name = "HsKey")]
struct HsKey {
    inner: hmac::HmacKey,
}

#[pymethods]
impl HsKey {
    #[new]
    fn new(secret: &[u8]) -> PyResult<Self> {
        hmac::HmacKey::new(secret)
            .map(|inner| HsKey { inner })
            .ok_or_else(|| PyValueError::new_err("HMAC key rejected"))
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }
}

/// `leeway` as seconds when it is an int or float (the fast paths' case).
fn leeway_seconds(leeway: &Bound<'_, PyAny>) -> Option<f64> {
    if leeway.is_exact_instance_of::<PyInt>() || leeway.is_exact_instance_of::<PyFloat>() {
        leeway.extract::<f64>().ok()
    } else {
        None
    }
}

/// Deeper structures go to Python's json (which then behaves exactly as PyJWT's would).
const MAX_DEPTH: usize = 64;

fn to_py(err: JwtError) -> PyErr {
    PyValueError::new_err(err.to_string())
}

/// Serialize `obj`; Ok(false) means "not plain JSON data: let Python's json do it".
fn write_value(
    out: &mut Vec<u8>,
    obj: &Bound<'_, PyAny>,
    sort: bool,
    depth: usize,
) -> PyResult<bool> {
    if depth > MAX_DEPTH {
        return Ok(false);
    }
    if let Ok(text) = obj.cast_exact::<PyString>() {
        let Ok(text) = text.to_str() else {
            return Ok(false); // lone surrogates: Python escapes them
        };
        pyjson::write_str(out, text, true);
    } else if obj.is_none() {
        out.extend_from_slice(b"null");
    } else if obj.is_exact_instance_of::<PyBool>() {
        out.extend_from_slice(if obj.is_truthy()? { b"true" } else { b"false" });
    } else if obj.is_exact_instance_of::<PyInt>() {
        match obj.extract::<i64>() {
            Ok(v) => pyjson::write_int(out, v),
            Err(_) => match obj.str() {
                Ok(s) => out.extend_from_slice(s.to_str()?.as_bytes()),
                Err(_) => return Ok(false),
            },
        }
    } else if obj.is_exact_instance_of::<PyFloat>() {
        pyjson::write_float(out, obj.cast::<PyFloat>()?.value());
    } else if obj.is_exact_instance_of::<PyDict>() {
        let dict = obj.cast::<PyDict>()?;
        out.push(b'{');
        if sort {
            let mut items: Vec<(String, Bound<'_, PyAny>)> = Vec::with_capacity(dict.len());
            for (k, v) in dict.iter() {
                if !k.is_exact_instance_of::<PyString>() {
                    return Ok(false);
                }
                let Ok(key) = k.cast::<PyString>()?.to_str() else {
                    return Ok(false);
                };
                items.push((key.to_owned(), v));
            }
            items.sort_by(|a, b| a.0.cmp(&b.0));
            for (i, (k, v)) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                pyjson::write_str(out, k, true);
                out.push(b':');
                if !write_value(out, v, sort, depth + 1)? {
                    return Ok(false);
                }
            }
        } else {
            for (i, (k, v)) in dict.iter().enumerate() {
                if !k.is_exact_instance_of::<PyString>() {
                    return Ok(false);
                }
                let Ok(key) = k.cast::<PyString>()?.to_str() else {
                    return Ok(false);
                };
                if i > 0 {
                    out.push(b',');
                }
                pyjson::write_str(out, key, true);
                out.push(b':');
                if !write_value(out, &v, sort, depth + 1)? {
                    return Ok(false);
                }
            }
        }
        out.push(b'}');
    } else if obj.is_exact_instance_of::<PyList>() || obj.is_exact_instance_of::<PyTuple>() {
        out.push(b'[');
        for (i, item) in obj.try_iter()?.enumerate() {
            if i > 0 {
                out.push(b',');
            }
            if !write_value(out, &item?, sort, depth + 1)? {
                return Ok(false);
            }
        }
        out.push(b']');
    } else {
        return Ok(false);
    }
    Ok(true)
}

/// `json.dumps(obj, separators=(",", ":"), sort_keys=sort_keys).encode()` for plain
/// JSON data (exact dict/list/tuple/str/int/float/bool/None, str keys); None when
/// `obj` holds anything else, so the caller can use Python's json.
#[pyfunction]
#[pyo3(signature = (obj, sort_keys=false))]
fn jwt_dumps<'py>(
    obj: &Bound<'py, PyAny>,
    sort_keys: bool,
) -> PyResult<Option<Bound<'py, PyBytes>>> {
    let mut out = Vec::with_capacity(128);
    if write_value(&mut out, obj, sort_keys, 0)? {
        Ok(Some(PyBytes::new(obj.py(), &out)))
    } else {
        Ok(None)
    }
}

/// HMAC-SHA-`bits` (256, 384 or 512) of `msg` under `key`.
#[pyfunction]
fn jwt_hmac_sign<'py>(
    py: Python<'py>,
    bits: u32,
    key: &[u8],
    msg: &[u8],
) -> PyResult<Bound<'py, PyBytes>> {
    let tag = hmac::sign(bits, key, msg).map_err(to_py)?;
    Ok(PyBytes::new(py, &tag))
}

/// Whether `sig` is the HMAC-SHA-`bits` tag of `msg`, compared in constant time.
#[pyfunction]
fn jwt_hmac_verify(bits: u32, key: &[u8], msg: &[u8], sig: &[u8]) -> PyResult<bool> {
    hmac::verify(bits, key, msg, sig).map_err(to_py)
}

/// A default-header HS* encoder: the base64url header segment, the hash size and
/// the prepared secret, built once per (algorithm, key, typ) by the caller's cache.
#[pyclass(frozen, module = "ferroauth._core", name = "HsEncoder")]
struct HsEncoder {
    header_b64: Vec<u8>,
    bits: u32,
    key: Py<HsKey>,
}

#[pymethods]
impl HsEncoder {
    #[new]
    fn new(header_b64: &[u8], bits: u32, key: Py<HsKey>) -> PyResult<Self> {
        if !matches!(bits, 256 | 384 | 512) {
            return Err(PyValueError::new_err("bits must be 256, 384 or 512"));
        }
        Ok(HsEncoder {
            header_b64: header_b64.to_vec(),
            bits,
            key,
        })
    }

    #[getter]
    fn header_b64<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.header_b64)
    }

    #[getter]
    fn bits(&self) -> u32 {
        self.bits
    }

    #[getter]
    fn key(&self, py: Python<'_>) -> Py<HsKey> {
        self.key.clone_ref(py)
    }
}

/// Write a payload dict's JSON (insertion order) in one pass; Ok(false) when a
/// member is not plain JSON data or `iss` is not a str (PyJWT's TypeError comes
/// from the caller's full path).
fn write_payload(out: &mut Vec<u8>, payload: &Bound<'_, PyDict>) -> PyResult<bool> {
    out.push(b'{');
    let mut first = true;
    for (k, v) in payload.iter() {
        let Ok(key) = k.cast_exact::<PyString>() else {
            return Ok(false);
        };
        let Ok(key) = key.to_str() else {
            return Ok(false);
        };
        if key == "iss" && !v.is_exact_instance_of::<PyString>() {
            return Ok(false);
        }
        if !first {
            out.push(b',');
        }
        first = false;
        pyjson::write_str(out, key, true);
        out.push(b':');
        if !write_value(out, &v, false, 1)? {
            return Ok(false);
        }
    }
    out.push(b'}');
    Ok(true)
}

/// The whole HS* token for `payload` under PyJWT's defaults with `encoder`'s
/// header and secret; None when `payload` is not plain JSON data or has a non-str
/// `iss` (the caller's full path then handles it).
#[pyfunction]
fn jwt_encode_hs<'py>(
    payload: &Bound<'py, PyAny>,
    encoder: &HsEncoder,
) -> PyResult<Option<Bound<'py, PyString>>> {
    let Ok(payload) = payload.cast_exact::<PyDict>() else {
        return Ok(None);
    };
    let mut body = Vec::with_capacity(256);
    if !write_payload(&mut body, payload)? {
        return Ok(None);
    }
    let header = &encoder.header_b64;
    let mut token = Vec::with_capacity(header.len() + body.len().div_ceil(3) * 4 + 90);
    token.extend_from_slice(header);
    token.push(b'.');
    b64::encode_into(&body, &mut token);
    let mut tag = [0u8; hmac::MAX_TAG];
    let Some(n) = encoder
        .key
        .get()
        .inner
        .sign_to(encoder.bits, &token, &mut tag)
    else {
        return Ok(None);
    };
    token.push(b'.');
    b64::encode_into(&tag[..n], &mut token);
    // base64url and '.' are ASCII.
    let text = String::from_utf8(token).map_err(|_| PyValueError::new_err("non-ASCII token"))?;
    Ok(Some(PyString::new(payload.py(), &text)))
}

fn to_object<'py>(py: Python<'py>, v: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Int(i) => i.into_pyobject(py)?.into_any(),
        // `int(digits)`, as json.loads makes it (token parsing leaves such
        // documents to Python, but the value type has them).
        Value::BigInt(digits) => py.get_type::<PyInt>().call1((digits.as_ref(),))?,
        Value::Float(f) => PyFloat::new(py, *f).into_any(),
        Value::Str(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(to_object(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(members) => members_to_dict(py, members)?.into_any(),
    })
}

/// The registered claim names as interned strings (their hash is cached, so
/// building the dict and the caller's `claims["sub"]` skip hashing); others new.
fn claim_name<'py>(py: Python<'py>, name: &str) -> Bound<'py, PyString> {
    use pyo3::intern;
    match name {
        "sub" => intern!(py, "sub").clone(),
        "exp" => intern!(py, "exp").clone(),
        "iat" => intern!(py, "iat").clone(),
        "nbf" => intern!(py, "nbf").clone(),
        "iss" => intern!(py, "iss").clone(),
        "aud" => intern!(py, "aud").clone(),
        "jti" => intern!(py, "jti").clone(),
        "typ" => intern!(py, "typ").clone(),
        "alg" => intern!(py, "alg").clone(),
        "kid" => intern!(py, "kid").clone(),
        "name" => intern!(py, "name").clone(),
        "scope" => intern!(py, "scope").clone(),
        "user_id" => intern!(py, "user_id").clone(),
        "token_type" => intern!(py, "token_type").clone(),
        // Other claim names repeat from token to token too: the JSON key cache.
        _ => crate::py::key_cache::key_str(py, name),
    }
}

fn members_to_dict<'py>(
    py: Python<'py>,
    members: &[(Cow<'_, str>, Value<'_>)],
) -> PyResult<Bound<'py, PyDict>> {
    // Nested objects and batches: a new dict each (the template is for top-level
    // claim sets, which repeat).
    let dict = PyDict::new(py);
    for (k, v) in members {
        dict.set_item(claim_name(py, k), to_object(py, v)?)?;
    }
    Ok(dict)
}

/// The claims dict; a top-level str claim equal to one of `reuse` (the caller's
/// `issuer`/`audience`/`subject` str arguments, keyed by claim name) is that same
/// str object: equal and immutable, so only identity differs from a fresh copy,
/// and it saves creating (and later freeing) the string.
fn claims_to_dict<'py>(
    py: Python<'py>,
    members: &[(Cow<'_, str>, Value<'_>)],
    reuse: &Reuse<'_, 'py>,
) -> PyResult<Bound<'py, PyDict>> {
    let value = |i: usize| -> PyResult<Bound<'py, PyAny>> {
        let (k, v) = &members[i];
        if let Value::Str(text) = v {
            let arg = match k.as_ref() {
                "iss" => reuse.iss,
                "aud" => reuse.aud,
                "sub" => reuse.sub,
                _ => None,
            };
            if let Some(same) = arg.filter(|a| a.to_str().ok() == Some(text.as_ref())) {
                return Ok(same.clone().into_any());
            }
        }
        to_object(py, v)
    };
    crate::py::dict_shape::build(
        py,
        members.len(),
        |i| members[i].0.as_ref(),
        |name| claim_name(py, name),
        value,
    )
}

/// A str (borrowed: the caller's argument is immutable and alive for the whole
/// call, even while the GIL is released), or a list/tuple of str (copied: a list
/// can change under a released GIL); None for any other shape.
fn str_list<'a>(obj: &'a Bound<'_, PyAny>) -> PyResult<Option<StrArg<'a>>> {
    if let Ok(s) = obj.cast_exact::<PyString>() {
        return Ok(Some(StrArg::One([Cow::Borrowed(s.to_str()?)])));
    }
    if !(obj.is_exact_instance_of::<PyList>() || obj.is_exact_instance_of::<PyTuple>()) {
        return Ok(None);
    }
    let mut out = Vec::new();
    for item in obj.try_iter()? {
        let item = item?;
        let Ok(text) = item.cast_exact::<PyString>() else {
            return Ok(None);
        };
        out.push(Cow::Owned(text.to_str()?.to_owned()));
    }
    Ok(Some(StrArg::Many(out)))
}

/// One str argument (on the stack) or a copied list of them.
enum StrArg<'a> {
    One([Cow<'a, str>; 1]),
    Many(Vec<Cow<'a, str>>),
}

impl<'a> StrArg<'a> {
    fn as_slice(&self) -> &[Cow<'a, str>] {
        match self {
            StrArg::One(one) => one,
            StrArg::Many(many) => many,
        }
    }
}

fn opt_str<'a>(obj: &'a Bound<'_, PyAny>) -> PyResult<Option<Option<&'a str>>> {
    if obj.is_none() {
        return Ok(Some(None));
    }
    if let Ok(s) = obj.cast_exact::<PyString>() {
        return Ok(Some(Some(s.to_str()?)));
    }
    Ok(None)
}

/// `algorithms` for the batch paths: a copied list of str (the GIL is released
/// while it is used); None for any other shape. A str `algorithms` has
/// `"HS256" in "HS256,RS256"` substring semantics: Python's.
fn owned_algs(algorithms: &Bound<'_, PyAny>) -> PyResult<Option<Vec<Cow<'static, str>>>> {
    if algorithms.is_exact_instance_of::<PyString>() {
        return Ok(None);
    }
    Ok(str_list(algorithms)?.map(|list| {
        list.as_slice()
            .iter()
            .map(|a| Cow::Owned(a.to_string()))
            .collect()
    }))
}

/// `algorithms` for the one-token paths: the caller's list or tuple itself,
/// searched in place with the GIL held; None for any other shape.
fn live_algs<'a, 'py>(algorithms: &'a Bound<'py, PyAny>) -> Option<&'a Bound<'py, PyAny>> {
    (algorithms.is_exact_instance_of::<PyList>() || algorithms.is_exact_instance_of::<PyTuple>())
        .then_some(algorithms)
}

/// `alg in algorithms` for a list/tuple, scanning in order as Python does; false
/// (the full path decides) at the first item that is not an exact str.
fn live_contains(algorithms: &Bound<'_, PyAny>, alg: &str) -> bool {
    let check = |item: Bound<'_, PyAny>| -> Option<bool> {
        let text = item.cast_exact::<PyString>().ok()?;
        Some(text.to_str().ok()? == alg)
    };
    let scan = |items: &mut dyn Iterator<Item = Bound<'_, PyAny>>| {
        for item in items {
            match check(item) {
                Some(true) => return true,
                Some(false) => {}
                None => return false,
            }
        }
        false
    };
    if let Ok(list) = algorithms.cast_exact::<PyList>() {
        scan(&mut list.iter())
    } else if let Ok(tuple) = algorithms.cast_exact::<PyTuple>() {
        scan(&mut tuple.iter())
    } else {
        false
    }
}

/// The claim arguments of a decode call, converted once for every fast path;
/// [`ClaimArgs::extract`] gives `None` when any has a shape only the Python path
/// handles.
struct ClaimArgs<'a> {
    aud: Option<StrArg<'a>>,
    iss: Option<&'a str>,
    sub: Option<&'a str>,
}

impl<'a> ClaimArgs<'a> {
    fn extract(
        audience: &'a Bound<'_, PyAny>,
        issuer: &'a Bound<'_, PyAny>,
        subject: &'a Bound<'_, PyAny>,
    ) -> PyResult<Option<Self>> {
        let aud = if audience.is_none() {
            None
        } else {
            match str_list(audience)? {
                Some(list) => Some(list),
                None => return Ok(None),
            }
        };
        let (Some(iss), Some(sub)) = (opt_str(issuer)?, opt_str(subject)?) else {
            return Ok(None);
        };
        Ok(Some(ClaimArgs { aud, iss, sub }))
    }

    /// The core's claim checks (PyJWT's verify_* options as `checks` bits) for these arguments.
    fn claim_checks<'b>(
        &'b self,
        now: f64,
        leeway: f64,
        checks: u8,
        require: &'b [String],
    ) -> Expect<'b> {
        Expect {
            now,
            leeway,
            audience: self.aud.as_ref().map(StrArg::as_slice),
            issuer: self.iss,
            subject: self.sub,
            checks,
            require,
        }
    }
}

/// The caller's str `issuer`/`audience`/`subject` arguments, which the claims
/// dict can reuse (see [`claims_to_dict`]).
struct Reuse<'a, 'py> {
    iss: Option<&'a Bound<'py, PyString>>,
    aud: Option<&'a Bound<'py, PyString>>,
    sub: Option<&'a Bound<'py, PyString>>,
}

fn reusable<'a, 'py>(
    audience: &'a Bound<'py, PyAny>,
    issuer: &'a Bound<'py, PyAny>,
    subject: &'a Bound<'py, PyAny>,
) -> Reuse<'a, 'py> {
    Reuse {
        iss: issuer.cast_exact::<PyString>().ok(),
        aud: audience.cast_exact::<PyString>().ok(),
        sub: subject.cast_exact::<PyString>().ok(),
    }
}

/// Bit 0/1/2 of `hs_mask` for HS256/384/512 (registered as default HMAC algorithms
/// on the caller's PyJWS).
fn hs_bit(alg: &str) -> u8 {
    match alg {
        "HS256" => 1,
        "HS384" => 2,
        "HS512" => 4,
        _ => 0,
    }
}

/// The asymmetric algorithm names as interned strings (a dict lookup with them
/// hashes nothing); others new.
fn alg_name<'py>(py: Python<'py>, alg: &str) -> Bound<'py, PyString> {
    use pyo3::intern;
    match alg {
        "RS256" => intern!(py, "RS256").clone(),
        "RS384" => intern!(py, "RS384").clone(),
        "RS512" => intern!(py, "RS512").clone(),
        "PS256" => intern!(py, "PS256").clone(),
        "PS384" => intern!(py, "PS384").clone(),
        "PS512" => intern!(py, "PS512").clone(),
        "ES256" => intern!(py, "ES256").clone(),
        "ES384" => intern!(py, "ES384").clone(),
        "EdDSA" => intern!(py, "EdDSA").clone(),
        _ => PyString::new(py, alg),
    }
}

/// A token's bytes, borrowed from the `str` or `bytes` object (both immutable, and
/// kept alive by the caller's reference); None for any other type, a str that is
/// not valid UTF-8, or more than `max_size` bytes. The Python path handles those.
fn token_view<'a>(token: &'a Bound<'_, PyAny>, max_size: usize) -> Option<&'a [u8]> {
    let raw = if let Ok(s) = token.cast_exact::<PyString>() {
        s.to_str().ok()?.as_bytes()
    } else {
        token.cast::<PyBytes>().ok()?.as_bytes()
    };
    (raw.len() <= max_size).then_some(raw)
}

/// Verify an HS* token and check its claims with PyJWT's default options, returning
/// the claims dict; None whenever the token is rejected or not handled here (the
/// caller's full path then raises PyJWT's exception or handles it).
///
/// `hs_mask`: bit 0/1/2 set when HS256/384/512 are registered as the default HMAC
/// algorithms of the caller's PyJWS.
#[pyfunction]
#[pyo3(signature = (token, key, algorithms, hs_mask, audience, issuer, subject, leeway, now, checks=CHECK_ALL, require=None))]
#[allow(clippy::too_many_arguments)]
fn jwt_decode_hs<'py>(
    py: Python<'py>,
    token: &Bound<'py, PyAny>,
    key: &HsKey,
    algorithms: &Bound<'py, PyAny>,
    hs_mask: u8,
    audience: &Bound<'py, PyAny>,
    issuer: &Bound<'py, PyAny>,
    subject: &Bound<'py, PyAny>,
    leeway: &Bound<'py, PyAny>,
    now: f64,
    checks: u8,
    require: Option<Vec<String>>,
) -> PyResult<Option<Bound<'py, PyDict>>> {
    let Some(leeway) = leeway_seconds(leeway) else {
        return Ok(None);
    };
    let Some(raw) = token_view(token, MAX_TOKEN_SIZE.load(Ordering::Relaxed)) else {
        return Ok(None);
    };
    let (Some(algs), Some(args)) = (
        live_algs(algorithms),
        ClaimArgs::extract(audience, issuer, subject)?,
    ) else {
        return Ok(None);
    };
    let require = require.unwrap_or_default();
    let expect = args.claim_checks(now, leeway, checks, &require);
    let allowed = |alg: &str| hs_mask & hs_bit(alg) != 0 && live_contains(algs, alg);
    let reuse = reusable(audience, issuer, subject);
    match decode_hs_key_into(raw, &key.inner, &allowed, &expect, |claims| {
        claims_to_dict(py, &claims, &reuse)
    }) {
        Ok(dict) => Ok(Some(dict?)),
        Err(_) => Ok(None),
    }
}

/// [`jwt_decode_hs`] for a list of tokens, verified in parallel with the GIL
/// released; a list with the claims dict or None for each token.
/// The tokens of a batch as bytes. Oversized or unusable ones (not str/bytes, not
/// UTF-8) become empty, which the core reports as unsupported: the caller re-checks
/// those on the Python path.
fn token_bytes(tokens: &Bound<'_, PyAny>, max_size: usize) -> PyResult<Vec<Vec<u8>>> {
    let mut raw = Vec::new();
    for t in tokens.try_iter()? {
        let t = t?;
        let bytes = if let Ok(s) = t.cast::<PyString>() {
            s.to_str()
                .map(|x| x.as_bytes().to_vec())
                .unwrap_or_default()
        } else if let Ok(b) = t.cast::<PyBytes>() {
            b.as_bytes().to_vec()
        } else {
            Vec::new()
        };
        raw.push(if bytes.len() > max_size {
            Vec::new()
        } else {
            bytes
        });
    }
    Ok(raw)
}

#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn jwt_decode_hs_many<'py>(
    py: Python<'py>,
    tokens: &Bound<'py, PyAny>,
    key: &HsKey,
    algorithms: &Bound<'py, PyAny>,
    hs_mask: u8,
    audience: &Bound<'py, PyAny>,
    issuer: &Bound<'py, PyAny>,
    subject: &Bound<'py, PyAny>,
    leeway: f64,
    now: f64,
    max_size: usize,
) -> PyResult<Option<Bound<'py, PyList>>> {
    let raw = token_bytes(tokens, max_size)?;
    let (Some(algs), Some(args)) = (
        owned_algs(algorithms)?,
        ClaimArgs::extract(audience, issuer, subject)?,
    ) else {
        return Ok(None);
    };
    let key = key.inner.clone();
    let results = py.detach(|| {
        let expect = args.claim_checks(now, leeway, CHECK_ALL, &[]);
        let allowed = |alg: &str| hs_mask & hs_bit(alg) != 0 && algs.iter().any(|a| a == alg);
        decode_hs_key_many(&raw, &key, &allowed, &expect)
    });
    let out = PyList::empty(py);
    for r in results {
        match r {
            Ok(claims) => out.append(members_to_dict(py, &claims)?)?,
            Err(_) => out.append(py.None())?,
        }
    }
    Ok(Some(out))
}

/// The asymmetric keys a caller's PyJWS runs natively (algorithm name -> JwtKey);
/// `None` when the dict holds anything else.
fn native_keys(keys: &Bound<'_, PyDict>) -> Option<Vec<(String, Py<JwtKey>)>> {
    let mut natives = Vec::with_capacity(keys.len());
    for (k, v) in keys.iter() {
        let (Ok(name), Ok(key)) = (k.extract::<String>(), v.cast_into::<JwtKey>()) else {
            return None;
        };
        natives.push((name, key.unbind()));
    }
    Some(natives)
}

/// The asymmetric fast path: like [`jwt_decode_hs`], verifying with the parsed key
/// `keys[alg]` (a dict of algorithm name -> JwtKey, for the algorithms the caller's
/// PyJWS runs natively). The GIL is released while verifying.
#[pyfunction]
#[pyo3(signature = (token, keys, algorithms, audience, issuer, subject, leeway, now, checks=CHECK_ALL, require=None))]
#[allow(clippy::too_many_arguments)]
fn jwt_decode_native<'py>(
    py: Python<'py>,
    token: &Bound<'py, PyAny>,
    keys: &Bound<'py, PyDict>,
    algorithms: &Bound<'py, PyAny>,
    audience: &Bound<'py, PyAny>,
    issuer: &Bound<'py, PyAny>,
    subject: &Bound<'py, PyAny>,
    leeway: &Bound<'py, PyAny>,
    now: f64,
    checks: u8,
    require: Option<Vec<String>>,
) -> PyResult<Option<Bound<'py, PyDict>>> {
    let Some(leeway) = leeway_seconds(leeway) else {
        return Ok(None);
    };
    let Some(raw) = token_view(token, MAX_TOKEN_SIZE.load(Ordering::Relaxed)) else {
        return Ok(None);
    };
    let (Some(algs), Some(args)) = (
        live_algs(algorithms),
        ClaimArgs::extract(audience, issuer, subject)?,
    ) else {
        return Ok(None);
    };
    let require = require.unwrap_or_default();
    let expect = args.claim_checks(now, leeway, checks, &require);
    // The GIL is released only around the signature check; the claims are then
    // read and turned into the dict straight from the decoded payload. Only the
    // token's algorithm is looked up, and anything but a JwtKey there is left to
    // the full path.
    let verify = |alg: &str, msg: &[u8], sig: &[u8]| {
        if !live_contains(algs, alg) {
            return false;
        }
        let Ok(Some(found)) = keys.get_item(alg_name(py, alg)) else {
            return false;
        };
        let Ok(key) = found.cast_into::<JwtKey>() else {
            return false;
        };
        let key = key.get();
        py.detach(|| key.inner.verify(msg, sig))
    };
    let reuse = reusable(audience, issuer, subject);
    match decode_into(raw, &verify, &expect, |claims| {
        claims_to_dict(py, &claims, &reuse)
    }) {
        Ok(dict) => Ok(Some(dict?)),
        Err(_) => Ok(None),
    }
}

/// [`jwt_decode_native`] for a list of tokens, verified in parallel (rayon) with the
/// GIL released; a list with the claims dict or None for each token.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn jwt_decode_native_many<'py>(
    py: Python<'py>,
    tokens: &Bound<'py, PyAny>,
    keys: &Bound<'py, PyDict>,
    algorithms: &Bound<'py, PyAny>,
    audience: &Bound<'py, PyAny>,
    issuer: &Bound<'py, PyAny>,
    subject: &Bound<'py, PyAny>,
    leeway: f64,
    now: f64,
    max_size: usize,
) -> PyResult<Option<Bound<'py, PyList>>> {
    let raw = token_bytes(tokens, max_size)?;
    let (Some(algs), Some(args), Some(natives)) = (
        owned_algs(algorithms)?,
        ClaimArgs::extract(audience, issuer, subject)?,
        native_keys(keys),
    ) else {
        return Ok(None);
    };
    let results = py.detach(|| {
        let expect = args.claim_checks(now, leeway, CHECK_ALL, &[]);
        let verify = |alg: &str, msg: &[u8], sig: &[u8]| {
            algs.iter().any(|a| a == alg)
                && natives
                    .iter()
                    .find(|(name, _)| name == alg)
                    .is_some_and(|(_, key)| key.get().inner.verify(msg, sig))
        };
        decode_many_with(&raw, &verify, &expect)
    });
    let out = PyList::empty(py);
    for r in results {
        match r {
            Ok(claims) => out.append(members_to_dict(py, &claims)?)?,
            Err(_) => out.append(py.None())?,
        }
    }
    Ok(Some(out))
}

/// A parsed RS*/PS*/ES256/ES384/EdDSA key (see `crate::jwt::keys::AsymKey::new` for
/// the accepted encodings). ValueError when the material does not parse.
#[pyclass(frozen, module = "ferroauth._core", name = "JwtKey")]
struct JwtKey {
    inner: AsymKey,
}

#[pymethods]
impl JwtKey {
    #[new]
    fn new(alg: &str, material: &[u8], private: bool) -> PyResult<Self> {
        Ok(JwtKey {
            inner: AsymKey::new(alg, material, private).map_err(to_py)?,
        })
    }

    #[getter]
    fn can_sign(&self) -> bool {
        self.inner.can_sign()
    }

    #[getter]
    fn is_rsa(&self) -> bool {
        self.inner.is_rsa()
    }

    /// The signature of `msg` (the GIL is released while signing).
    fn sign<'py>(&self, py: Python<'py>, msg: &[u8]) -> PyResult<Bound<'py, PyBytes>> {
        let sig = py.detach(|| self.inner.sign(msg)).map_err(to_py)?;
        Ok(PyBytes::new(py, &sig))
    }

    /// Whether `sig` is a valid signature of `msg` (the GIL is released).
    fn verify(&self, py: Python<'_>, msg: &[u8], sig: &[u8]) -> bool {
        py.detach(|| self.inner.verify(msg, sig))
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(jwt_dumps, m)?)?;
    m.add_function(wrap_pyfunction!(jwt_set_max_token_size, m)?)?;
    m.add_class::<HsKey>()?;
    m.add_class::<HsEncoder>()?;
    m.add_function(wrap_pyfunction!(jwt_hmac_sign, m)?)?;
    m.add_function(wrap_pyfunction!(jwt_hmac_verify, m)?)?;
    m.add_function(wrap_pyfunction!(jwt_encode_hs, m)?)?;
    m.add_function(wrap_pyfunction!(jwt_decode_hs, m)?)?;
    m.add_function(wrap_pyfunction!(jwt_decode_hs_many, m)?)?;
    m.add_function(wrap_pyfunction!(jwt_decode_native, m)?)?;
    m.add_function(wrap_pyfunction!(jwt_decode_native_many, m)?)?;
    m.add_class::<JwtKey>()?;
    Ok(())
}
