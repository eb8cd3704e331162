//! Converting Python arguments to bytes, with TypeErrors that name the type.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyString};
use zeroize::Zeroizing;

/// A password or secret as bytes: `str` is encoded as UTF-8, bytes-like objects are copied.
pub fn secret_bytes(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Zeroizing<Vec<u8>>> {
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Zeroizing::new(s.to_str()?.as_bytes().to_vec()));
    }
    bytes_like(obj).map(Zeroizing::new).ok_or_else(|| {
        PyTypeError::new_err(format!(
            "{what} must be str or bytes, not {}",
            type_name(obj)
        ))
    })
}

/// A secret read from `str` or `bytes` without copying it (the common case),
/// or a wiped-on-drop copy from any other bytes-like object.
pub enum SecretRef<'a> {
    Borrowed(&'a [u8]),
    Owned(Zeroizing<Vec<u8>>),
}

impl AsRef<[u8]> for SecretRef<'_> {
    fn as_ref(&self) -> &[u8] {
        match self {
            SecretRef::Borrowed(b) => b,
            SecretRef::Owned(v) => v,
        }
    }
}

/// [`secret_bytes`], borrowing the bytes of a `str` (its cached UTF-8) or `bytes`.
pub fn secret_ref<'a>(obj: &'a Bound<'_, PyAny>, what: &str) -> PyResult<SecretRef<'a>> {
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(SecretRef::Borrowed(s.to_str()?.as_bytes()));
    }
    if let Ok(b) = obj.cast::<PyBytes>() {
        return Ok(SecretRef::Borrowed(b.as_bytes()));
    }
    secret_bytes(obj, what).map(SecretRef::Owned)
}

/// The content of bytes, bytearray or any object exposing the buffer protocol.
pub fn bytes_like(obj: &Bound<'_, PyAny>) -> Option<Vec<u8>> {
    if let Ok(b) = obj.cast::<PyBytes>() {
        return Some(b.as_bytes().to_vec());
    }
    if let Ok(b) = obj.cast::<PyByteArray>() {
        return Some(b.to_vec());
    }
    // Other buffers (memoryview, array, mmap): the limited API before 3.11 has no
    // buffer access, so copy through memoryview. These are rare and small.
    let view = obj
        .py()
        .import("builtins")
        .ok()?
        .getattr("memoryview")
        .ok()?
        .call1((obj,))
        .ok()?;
    view.call_method0("tobytes").ok()?.extract::<Vec<u8>>().ok()
}

/// A stored hash as text. Bytes are accepted when they are ASCII, as argon2-cffi and bcrypt accept them.
pub fn stored_hash(obj: &Bound<'_, PyAny>) -> PyResult<String> {
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(s.to_str()?.to_owned());
    }
    if let Some(bytes) = bytes_like(obj) {
        return String::from_utf8(bytes).map_err(|_| {
            crate::py::errors::InvalidHashError::new_err("the stored hash is not valid UTF-8")
        });
    }
    Err(PyTypeError::new_err(format!(
        "stored hash must be str or bytes, not {}",
        type_name(obj)
    )))
}

pub fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "object".into())
}
