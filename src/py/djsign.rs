//! Django signing: the salted HMAC signature and whole `sign_object` tokens. These
//! are microsecond calls, so the GIL is kept (releasing it would cost more).

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};

use super::input::{secret_bytes, secret_ref, SecretRef};
use super::json;
use crate::djsign::{self, Algorithm};
use crate::pyjson::value::latin1_to_utf8;

/// ``base64_hmac(key_salt, value, secret, algorithm)``: URL-safe base64 of Django's
/// salted HMAC, or ``None`` for an algorithm the core does not run (the caller
/// falls back to hashlib). Arguments are str (UTF-8) or bytes.
#[pyfunction]
pub fn django_signature(
    algorithm: &str,
    key_salt: &Bound<'_, PyAny>,
    secret: &Bound<'_, PyAny>,
    value: &Bound<'_, PyAny>,
) -> PyResult<Option<String>> {
    let Some(alg) = Algorithm::from_name(algorithm) else {
        return Ok(None);
    };
    let key_salt = secret_bytes(key_salt, "key_salt")?;
    let secret = secret_bytes(secret, "key")?;
    let value = secret_bytes(value, "value")?;
    Ok(Some(djsign::signature(alg, &key_salt, &secret, &value)))
}

/// The token ``Signer.sign_object`` writes for serialized (and maybe compressed)
/// ``payload``: ``["."]b64(payload)[sep b62(timestamp)] sep signature``; ``None`` for
/// an algorithm the core does not run.
#[pyfunction]
#[pyo3(signature = (algorithm, key_salt, secret, payload, compressed, sep, timestamp = None))]
pub fn django_sign_payload(
    algorithm: &str,
    key_salt: &Bound<'_, PyAny>,
    secret: &Bound<'_, PyAny>,
    payload: &[u8],
    compressed: bool,
    sep: &str,
    timestamp: Option<i64>,
) -> PyResult<Option<String>> {
    let Some(alg) = Algorithm::from_name(algorithm) else {
        return Ok(None);
    };
    let key_salt = secret_bytes(key_salt, "key_salt")?;
    let secret = secret_bytes(secret, "key")?;
    Ok(Some(djsign::sign_payload(
        alg, &key_salt, &secret, payload, compressed, sep, timestamp,
    )))
}

/// Run `f` with the digest, key salt and keys (the key then the fallbacks) of an
/// unsign call, the `str`/`bytes` secrets borrowed rather than copied; `None`
/// for an algorithm the core does not run (Django's path then decides).
fn with_unsign_keys<'py, R>(
    algorithm: &str,
    key_salt: &Bound<'py, PyAny>,
    keys: &Bound<'py, PyAny>,
    f: impl FnOnce(Algorithm, &[u8], &[SecretRef<'_>]) -> PyResult<Option<R>>,
) -> PyResult<Option<R>> {
    let Some(alg) = Algorithm::from_name(algorithm) else {
        return Ok(None);
    };
    let key_salt = secret_ref(key_salt, "key_salt")?;
    let items = keys.try_iter()?.collect::<PyResult<Vec<_>>>()?;
    let keys = items
        .iter()
        .map(|key| secret_ref(key, "key"))
        .collect::<PyResult<Vec<_>>>()?;
    f(alg, key_salt.as_ref(), &keys)
}

/// A verified token: ``(payload, compressed, timestamp)``.
type UnsignedTuple<'py> = (Bound<'py, PyBytes>, bool, Option<i64>);

/// ``Signer.unsign_object`` up to deserialization, for ``keys`` (the key then the
/// fallbacks): ``(payload, compressed, timestamp)`` when a key's signature matches
/// exactly and the token parses, else ``None`` (the caller takes Django's path,
/// which raises the precise exception).
#[pyfunction]
pub fn django_unsign_payload<'py>(
    py: Python<'py>,
    algorithm: &str,
    key_salt: &Bound<'py, PyAny>,
    keys: &Bound<'py, PyAny>,
    signed: &str,
    sep: &str,
    timestamped: bool,
) -> PyResult<Option<UnsignedTuple<'py>>> {
    with_unsign_keys(algorithm, key_salt, keys, |alg, key_salt, keys| {
        Ok(
            djsign::unsign_payload(alg, key_salt, keys, signed, sep, timestamped)
                .map(|u| (PyBytes::new(py, &u.payload), u.compressed, u.timestamp)),
        )
    })
}

/// The largest inflated payload the one-call path handles; larger ones take
/// Django's Python path (which has no limit of its own).
const MAX_INFLATED: usize = 1 << 20;

/// ``TimestampSigner.unsign_object`` with the JSON serializer in one call: verify,
/// split, base64-decode, inflate and parse. ``(object, timestamp)`` when every step
/// is certain to match Django, else ``None`` (the caller takes Django's path, which
/// raises Django's exception). The caller checks ``max_age`` with the timestamp.
#[pyfunction]
pub fn django_loads_object<'py>(
    py: Python<'py>,
    algorithm: &str,
    key_salt: &Bound<'py, PyAny>,
    keys: &Bound<'py, PyAny>,
    signed: &str,
    sep: &str,
) -> PyResult<Option<(Bound<'py, PyAny>, i64)>> {
    let found = with_unsign_keys(algorithm, key_salt, keys, |alg, key_salt, keys| {
        Ok(djsign::unsign_payload(
            alg, key_salt, keys, signed, sep, true,
        ))
    })?;
    let Some(unsigned) = found else {
        return Ok(None);
    };
    let Some(timestamp) = unsigned.timestamp else {
        return Ok(None);
    };
    let inflated;
    let data = if unsigned.compressed {
        match crate::signing::zlib::decompress(&unsigned.payload, MAX_INFLATED) {
            Ok(bytes) => {
                inflated = bytes;
                &inflated
            }
            Err(_) => return Ok(None),
        }
    } else {
        &unsigned.payload
    };
    Ok(loads_latin1(py, data).map(|obj| (obj, timestamp)))
}

/// ``json.loads(data.decode("latin-1"))``, Django's JSON serializer's read, or
/// None where Python's json must decide.
fn loads_latin1<'py>(py: Python<'py>, data: &[u8]) -> Option<Bound<'py, PyAny>> {
    json::loads(py, &latin1_to_utf8(data), None, None).ok()
}

/// ``json.loads(data.decode("latin-1"))`` for the cases the core is sure to match,
/// as a 1-tuple; ``None`` otherwise (the caller then runs json.loads).
#[pyfunction]
pub fn django_json_loads<'py>(
    py: Python<'py>,
    data: &[u8],
) -> PyResult<Option<Bound<'py, PyTuple>>> {
    loads_latin1(py, data)
        .map(|obj| PyTuple::new(py, [obj]))
        .transpose()
}

/// Nesting deeper than this goes to json.dumps (which also detects cycles).
const MAX_DUMP_DEPTH: usize = 200;

/// Append ``obj`` as ``json.dumps(obj, separators=(",", ":"))`` writes it; ``false``
/// for anything but exact dict (str keys), list, tuple, str, int (64-bit), float,
/// bool and None, so the caller falls back to json.dumps.
fn dump_into(obj: &Bound<'_, PyAny>, out: &mut String, depth: usize) -> PyResult<bool> {
    if depth > MAX_DUMP_DEPTH {
        return Ok(false);
    }
    if obj.is_none() {
        out.push_str("null");
    } else if let Ok(s) = obj.cast_exact::<PyString>() {
        let Ok(text) = s.to_str() else {
            return Ok(false); // lone surrogates
        };
        crate::pyjson::write_str(out, text, true);
    } else if let Ok(b) = obj.cast_exact::<PyBool>() {
        out.push_str(if b.is_true() { "true" } else { "false" });
    } else if obj.cast_exact::<PyInt>().is_ok() {
        let Ok(i) = obj.extract::<i64>() else {
            return Ok(false);
        };
        out.push_str(&i.to_string());
    } else if let Ok(f) = obj.cast_exact::<PyFloat>() {
        let v = f.value();
        if v.is_nan() {
            out.push_str("NaN");
        } else if v.is_infinite() {
            out.push_str(if v > 0.0 { "Infinity" } else { "-Infinity" });
        } else {
            // float.__repr__, as json does.
            out.push_str(obj.repr()?.to_str()?);
        }
    } else if let Ok(d) = obj.cast_exact::<PyDict>() {
        out.push('{');
        let mut first = true;
        for (key, value) in d.iter() {
            let Ok(key) = key.cast_exact::<PyString>() else {
                return Ok(false);
            };
            let Ok(key) = key.to_str() else {
                return Ok(false);
            };
            if !first {
                out.push(',');
            }
            first = false;
            crate::pyjson::write_str(out, key, true);
            out.push(':');
            if !dump_into(&value, out, depth + 1)? {
                return Ok(false);
            }
        }
        out.push('}');
    } else if obj.is_exact_instance_of::<PyList>() || obj.is_exact_instance_of::<PyTuple>() {
        // json.dumps writes lists and tuples alike.
        out.push('[');
        for (i, item) in obj.try_iter()?.enumerate() {
            if i > 0 {
                out.push(',');
            }
            if !dump_into(&item?, out, depth + 1)? {
                return Ok(false);
            }
        }
        out.push(']');
    } else {
        return Ok(false);
    }
    Ok(true)
}

/// ``json.dumps(obj, separators=(",", ":")).encode("latin-1")`` for plain JSON data
/// (exact dict with str keys, list, tuple, str, int, float, bool, None), else
/// ``None`` and the caller runs json.dumps (its errors included).
#[pyfunction]
pub fn django_json_dumps<'py>(
    py: Python<'py>,
    obj: &Bound<'py, PyAny>,
) -> PyResult<Option<Bound<'py, PyBytes>>> {
    let mut out = String::with_capacity(128);
    if dump_into(obj, &mut out, 0)? {
        Ok(Some(PyBytes::new(py, out.as_bytes())))
    } else {
        Ok(None)
    }
}

/// ``zlib.compress(data)`` (level 6, the same zlib) when it is shorter than
/// ``len(data) - 1`` (Django's rule for keeping it), else ``None``. Reuses one
/// deflate stream per thread instead of allocating ~256 KiB per call.
#[pyfunction]
pub fn django_compress<'py>(py: Python<'py>, data: &[u8]) -> Option<Bound<'py, PyBytes>> {
    crate::signing::zlib::compress_if_smaller(data).map(|c| PyBytes::new(py, &c))
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(django_compress, m)?)?;
    m.add_function(wrap_pyfunction!(django_signature, m)?)?;
    m.add_function(wrap_pyfunction!(django_sign_payload, m)?)?;
    m.add_function(wrap_pyfunction!(django_unsign_payload, m)?)?;
    m.add_function(wrap_pyfunction!(django_json_loads, m)?)?;
    m.add_function(wrap_pyfunction!(django_loads_object, m)?)?;
    m.add_function(wrap_pyfunction!(django_json_dumps, m)?)?;
    Ok(())
}
