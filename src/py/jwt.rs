//! Binding for the JWT core: `json.dumps`-exact serialization of plain Python
//! data, HMAC sign/verify, and `JwtKey` (a parsed asymmetric key).

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};

use crate::jwt::{hmac, json, keys::AsymKey, JwtError};

/// Deeper structures go to Python's json (which then behaves exactly as PyJWT's would).
const MAX_DEPTH: usize = 64;

fn to_py(err: JwtError) -> PyErr {
    PyValueError::new_err(err.to_string())
}

/// Serialize `obj`; Ok(false) means "not plain JSON data: let Python's json do it".
fn write_value(out: &mut Vec<u8>, obj: &Bound<'_, PyAny>, sort: bool, depth: usize) -> PyResult<bool> {
    if depth > MAX_DEPTH {
        return Ok(false);
    }
    if obj.is_exact_instance_of::<PyString>() {
        let Ok(text) = obj.cast::<PyString>()?.to_str() else {
            return Ok(false); // lone surrogates: Python escapes them
        };
        json::write_str(out, text);
    } else if obj.is_none() {
        out.extend_from_slice(b"null");
    } else if obj.is_exact_instance_of::<PyBool>() {
        out.extend_from_slice(if obj.is_truthy()? { b"true" } else { b"false" });
    } else if obj.is_exact_instance_of::<PyInt>() {
        match obj.extract::<i64>() {
            Ok(v) => json::write_i64(out, v),
            Err(_) => match obj.str() {
                Ok(s) => out.extend_from_slice(s.to_str()?.as_bytes()),
                Err(_) => return Ok(false),
            },
        }
    } else if obj.is_exact_instance_of::<PyFloat>() {
        json::write_f64(out, obj.cast::<PyFloat>()?.value());
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
                json::write_str(out, k);
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
                json::write_str(out, key);
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
fn jwt_dumps<'py>(obj: &Bound<'py, PyAny>, sort_keys: bool) -> PyResult<Option<Bound<'py, PyBytes>>> {
    let mut out = Vec::with_capacity(128);
    if write_value(&mut out, obj, sort_keys, 0)? {
        Ok(Some(PyBytes::new(obj.py(), &out)))
    } else {
        Ok(None)
    }
}

/// HMAC-SHA-`bits` (256, 384 or 512) of `msg` under `key`.
#[pyfunction]
fn jwt_hmac_sign<'py>(py: Python<'py>, bits: u32, key: &[u8], msg: &[u8]) -> PyResult<Bound<'py, PyBytes>> {
    let tag = hmac::sign(bits, key, msg).map_err(to_py)?;
    Ok(PyBytes::new(py, &tag))
}

/// Whether `sig` is the HMAC-SHA-`bits` tag of `msg`, compared in constant time.
#[pyfunction]
fn jwt_hmac_verify(bits: u32, key: &[u8], msg: &[u8], sig: &[u8]) -> PyResult<bool> {
    hmac::verify(bits, key, msg, sig).map_err(to_py)
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
    m.add_function(wrap_pyfunction!(jwt_hmac_sign, m)?)?;
    m.add_function(wrap_pyfunction!(jwt_hmac_verify, m)?)?;
    m.add_class::<JwtKey>()?;
    Ok(())
}
