//! The exceptions the password core raises, and the mapping from core errors.

use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use crate::password::PasswordError;

create_exception!(
    ferroauth,
    InvalidHashError,
    PyValueError,
    "The stored hash is malformed or truncated."
);
create_exception!(
    ferroauth,
    UnsupportedSchemeError,
    PyValueError,
    "The stored hash uses a scheme or variant ferroauth does not implement."
);
create_exception!(
    ferroauth,
    LimitExceededError,
    PyValueError,
    "A work parameter is over the configured limit (see ferroauth.set_limits)."
);

pub fn to_py(err: PasswordError) -> PyErr {
    let message = err.to_string();
    match err {
        PasswordError::Malformed(_) => InvalidHashError::new_err(message),
        PasswordError::Unsupported(_) => UnsupportedSchemeError::new_err(message),
        PasswordError::LimitExceeded(_) => LimitExceededError::new_err(message),
        PasswordError::InvalidParameter(_) | PasswordError::PasswordTooLong => {
            PyValueError::new_err(message)
        }
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("InvalidHashError", py.get_type::<InvalidHashError>())?;
    m.add(
        "UnsupportedSchemeError",
        py.get_type::<UnsupportedSchemeError>(),
    )?;
    m.add("LimitExceededError", py.get_type::<LimitExceededError>())?;
    Ok(())
}
