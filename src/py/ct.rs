//! `compare_digest` with `hmac.compare_digest`'s argument rules.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};

use super::input::{bytes_like, type_name};

/// Return ``a == b`` in time that does not depend on where they differ.
///
/// Accepts two bytes-like objects, or two ASCII-only ``str``; anything else
/// raises ``TypeError`` exactly as :func:`hmac.compare_digest` does.
#[pyfunction]
pub fn compare_digest(a: &Bound<'_, PyAny>, b: &Bound<'_, PyAny>) -> PyResult<bool> {
    if let (Ok(a), Ok(b)) = (a.cast::<PyBytes>(), b.cast::<PyBytes>()) {
        return Ok(crate::ct::eq(a.as_bytes(), b.as_bytes()));
    }
    if let (Ok(sa), Ok(sb)) = (a.cast::<PyString>(), b.cast::<PyString>()) {
        return match (sa.to_str(), sb.to_str()) {
            (Ok(ta), Ok(tb)) if ta.is_ascii() && tb.is_ascii() => {
                Ok(crate::ct::eq(ta.as_bytes(), tb.as_bytes()))
            }
            _ => Err(PyTypeError::new_err(
                "comparing strings with non-ASCII characters is not supported",
            )),
        };
    }
    // Anything else goes through the buffer protocol, failing as CPython does:
    // neither side a buffer names both types; otherwise the first non-buffer fails.
    match (bytes_like(a), bytes_like(b)) {
        (Some(x), Some(y)) => Ok(crate::ct::eq(&x, &y)),
        (None, None) => Err(mismatch(a, b)),
        (None, _) => Err(not_bytes_like(a)),
        (_, None) => Err(not_bytes_like(b)),
    }
}

fn not_bytes_like(obj: &Bound<'_, PyAny>) -> PyErr {
    PyTypeError::new_err(format!(
        "a bytes-like object is required, not '{}'",
        type_name(obj)
    ))
}

fn mismatch(a: &Bound<'_, PyAny>, b: &Bound<'_, PyAny>) -> PyErr {
    PyTypeError::new_err(format!(
        "unsupported operand types(s) or combination of types: '{}' and '{}'",
        type_name(a),
        type_name(b)
    ))
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(compare_digest, m)?)
}
