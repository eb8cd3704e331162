//! Password hashing: `hash_password`, `verify_password`, `identify`, policies,
//! batches, limits, and the raw KDFs the werkzeug adapter calls.

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString, PyTuple};
use rayon::prelude::*;
use zeroize::Zeroizing;

use super::errors::to_py;
use super::input::{secret_bytes, stored_hash, type_name};
use crate::password::kdf::Kdf;
use crate::password::limits::{self, Limits};
use crate::password::pbkdf2::Digest;
use crate::password::spec::Param;
use crate::password::{self, HashSpec, PasswordError};

/// A scheme with its parameters: what new hashes are written with, and what
/// `needs_rehash` compares stored hashes against.
///
/// ``Policy()`` is argon2id with argon2-cffi's defaults (RFC 9106 low-memory:
/// ``time_cost=3, memory_cost=65536, parallelism=4, hash_len=32, salt_len=16``).
#[pyclass(frozen, eq, name = "Policy", module = "ferroauth")]
#[derive(PartialEq)]
pub struct PyPolicy {
    spec: HashSpec,
}

#[pymethods]
impl PyPolicy {
    #[new]
    #[pyo3(signature = (scheme = "argon2id", **params))]
    fn new(scheme: &str, params: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        Ok(PyPolicy {
            spec: build_spec(scheme, params)?,
        })
    }

    /// The scheme name, e.g. ``"argon2id"`` or ``"werkzeug_pbkdf2"``.
    #[getter]
    fn scheme(&self) -> String {
        self.spec.describe().0
    }

    /// The scheme's parameters as a dict (including ``salt_len`` and ``hash_len``).
    #[getter]
    fn params<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        params_dict(py, &self.spec.describe().1)
    }

    fn __repr__(&self) -> String {
        let (name, params) = self.spec.describe();
        let shown: Vec<String> = params
            .iter()
            .map(|(k, v)| match v {
                Param::Int(i) => format!("{k}={i}"),
                Param::Text(t) => format!("{k}={t:?}"),
            })
            .collect();
        format!("Policy({name:?}, {})", shown.join(", "))
    }
}

fn build_spec(scheme: &str, params: Option<&Bound<'_, PyDict>>) -> PyResult<HashSpec> {
    let mut spec = HashSpec::new(scheme).map_err(to_py)?;
    if let Some(params) = params {
        for (key, value) in params.iter() {
            let key: String = key.extract()?;
            if matches!(key.as_str(), "digest" | "ident") {
                let text = value.cast::<PyString>().map_err(|_| {
                    PyTypeError::new_err(format!("{key} must be str, not {}", type_name(&value)))
                })?;
                spec.set_text(&key, text.to_str()?).map_err(to_py)?;
                continue;
            }
            if value.is_instance_of::<pyo3::types::PyBool>()
                || !value.is_instance_of::<pyo3::types::PyInt>()
            {
                return Err(PyTypeError::new_err(format!(
                    "{key} must be int, not {}",
                    type_name(&value)
                )));
            }
            let number: u64 = value.extract().map_err(|_| {
                PyValueError::new_err(format!(
                    "{key} must be a non-negative integer below 2**64, got {value}"
                ))
            })?;
            spec.set(&key, number).map_err(to_py)?;
        }
    }
    Ok(spec)
}

fn params_dict<'py>(
    py: Python<'py>,
    params: &[(&'static str, Param)],
) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    for (key, value) in params {
        match value {
            Param::Int(i) => dict.set_item(key, i)?,
            Param::Text(t) => dict.set_item(key, t)?,
        }
    }
    Ok(dict)
}

fn spec_from(
    policy: Option<&Bound<'_, PyPolicy>>,
    scheme: &str,
    params: Option<&Bound<'_, PyDict>>,
) -> PyResult<HashSpec> {
    match policy {
        Some(policy) => {
            if params.is_some_and(|p| !p.is_empty()) {
                return Err(PyTypeError::new_err(
                    "pass either policy or scheme parameters, not both",
                ));
            }
            Ok(policy.get().spec.clone())
        }
        None => build_spec(scheme, params),
    }
}

fn salt_bytes(salt: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Vec<u8>>> {
    salt.map(|s| secret_bytes(s, "salt").map(|b| b.to_vec()))
        .transpose()
}

/// Hash ``password`` for storage.
///
/// ``scheme`` picks the algorithm and encoding (default ``"argon2id"``); keyword
/// parameters override the scheme's defaults (``time_cost``, ``memory_cost``,
/// ``parallelism`` for argon2; ``n``, ``r``, ``p`` for scrypt; ``iterations``
/// for PBKDF2; ``rounds`` for bcrypt; ``salt_len``, ``hash_len``). ``salt``
/// fixes the salt (for reproducible tests). The GIL is released while hashing.
#[pyfunction]
#[pyo3(signature = (password, *, scheme = "argon2id", salt = None, policy = None, **params))]
pub fn hash_password(
    py: Python<'_>,
    password: &Bound<'_, PyAny>,
    scheme: &str,
    salt: Option<&Bound<'_, PyAny>>,
    policy: Option<&Bound<'_, PyPolicy>>,
    params: Option<&Bound<'_, PyDict>>,
) -> PyResult<String> {
    let password = secret_bytes(password, "password")?;
    let spec = spec_from(policy, scheme, params)?;
    let salt = salt_bytes(salt)?;
    py.detach(|| password::hash(&password, &spec, salt))
        .map_err(to_py)
}

/// ``True`` when ``password`` matches ``stored``, in any format ferroauth reads
/// (argon2, scrypt, PBKDF2, bcrypt, sha-crypt; werkzeug, Django, passlib and PHC
/// encodings). Raises ``InvalidHashError`` for a malformed hash and
/// ``LimitExceededError`` for parameters over the limits.
#[pyfunction]
pub fn verify_password(
    py: Python<'_>,
    password: &Bound<'_, PyAny>,
    stored: &Bound<'_, PyAny>,
) -> PyResult<bool> {
    let password = secret_bytes(password, "password")?;
    let stored = stored_hash(stored)?;
    py.detach(|| password::verify(&password, &stored))
        .map_err(to_py)
}

/// The scheme and parameters of a stored hash, without verifying anything.
#[pyfunction]
pub fn identify<'py>(py: Python<'py>, stored: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyDict>> {
    let parsed = password::parse(&stored_hash(stored)?).map_err(to_py)?;
    let (name, params) = password::describe(&parsed);
    let dict = PyDict::new(py);
    dict.set_item("scheme", name)?;
    for (key, value) in params_dict(py, &params)?.iter() {
        dict.set_item(key, value)?;
    }
    Ok(dict)
}

/// ``True`` when ``stored`` was not written with ``policy``'s scheme and parameters.
#[pyfunction]
pub fn needs_rehash(stored: &Bound<'_, PyAny>, policy: &Bound<'_, PyPolicy>) -> PyResult<bool> {
    let parsed = password::parse(&stored_hash(stored)?).map_err(to_py)?;
    Ok(password::needs_rehash(&parsed, &policy.get().spec))
}

/// Verify, and when the password matches a hash that ``policy`` would write
/// differently, return a new hash to store: ``(ok, new_hash_or_None)``.
#[pyfunction]
#[pyo3(signature = (password, stored, policy = None))]
pub fn verify_and_update(
    py: Python<'_>,
    password: &Bound<'_, PyAny>,
    stored: &Bound<'_, PyAny>,
    policy: Option<&Bound<'_, PyPolicy>>,
) -> PyResult<(bool, Option<String>)> {
    let password = secret_bytes(password, "password")?;
    let stored = stored_hash(stored)?;
    let spec = spec_from(policy, "argon2id", None)?;
    py.detach(|| -> password::Result<(bool, Option<String>)> {
        let parsed = password::parse(&stored)?;
        if !password::verify_parsed(&password, &parsed)? {
            return Ok((false, None));
        }
        if !password::needs_rehash(&parsed, &spec) {
            return Ok((true, None));
        }
        Ok((true, Some(password::hash(&password, &spec, None)?)))
    })
    .map_err(to_py)
}

fn secrets(items: &Bound<'_, PyAny>, what: &str) -> PyResult<Vec<Zeroizing<Vec<u8>>>> {
    items
        .try_iter()?
        .map(|item| secret_bytes(&item?, what))
        .collect()
}

/// Hash many passwords in parallel (rayon, GIL released); results in input order.
#[pyfunction]
#[pyo3(signature = (passwords, *, scheme = "argon2id", policy = None, **params))]
pub fn hash_many(
    py: Python<'_>,
    passwords: &Bound<'_, PyAny>,
    scheme: &str,
    policy: Option<&Bound<'_, PyPolicy>>,
    params: Option<&Bound<'_, PyDict>>,
) -> PyResult<Vec<String>> {
    let passwords = secrets(passwords, "password")?;
    let spec = spec_from(policy, scheme, params)?;
    py.detach(|| {
        passwords
            .par_iter()
            .map(|p| password::hash(p, &spec, None))
            .collect::<Result<Vec<_>, _>>()
    })
    .map_err(to_py)
}

/// Verify ``passwords[i]`` against ``hashes[i]`` in parallel; results in input order.
/// A malformed hash raises, as ``verify_password`` does.
#[pyfunction]
pub fn verify_many(
    py: Python<'_>,
    passwords: &Bound<'_, PyAny>,
    hashes: &Bound<'_, PyAny>,
) -> PyResult<Vec<bool>> {
    let passwords = secrets(passwords, "password")?;
    let hashes: Vec<String> = hashes
        .try_iter()?
        .map(|h| stored_hash(&h?))
        .collect::<PyResult<_>>()?;
    if passwords.len() != hashes.len() {
        return Err(PyValueError::new_err(format!(
            "verify_many needs as many hashes as passwords ({} != {})",
            hashes.len(),
            passwords.len()
        )));
    }
    py.detach(|| {
        passwords
            .par_iter()
            .zip(hashes.par_iter())
            .map(|(p, h)| password::verify(p, h))
            .collect::<Result<Vec<_>, _>>()
    })
    .map_err(to_py)
}

/// The limits on work parameters of hashes being verified or created.
#[pyfunction]
pub fn get_limits(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
    let dict = PyDict::new(py);
    for (name, value) in limits::current().entries() {
        dict.set_item(name, value)?;
    }
    Ok(dict)
}

/// Change limits for this process, e.g. ``set_limits(argon2_max_memory_kib=262144)``.
/// ``set_limits(defaults=True)`` restores the defaults first. Returns the limits now in force.
#[pyfunction]
#[pyo3(signature = (*, defaults = false, **changes))]
pub fn set_limits<'py>(
    py: Python<'py>,
    defaults: bool,
    changes: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyDict>> {
    let mut l = if defaults {
        Limits::DEFAULT
    } else {
        limits::current()
    };
    if let Some(changes) = changes {
        for (key, value) in changes.iter() {
            let key: String = key.extract()?;
            let value: u64 = value
                .extract()
                .map_err(|_| PyTypeError::new_err(format!("{key} must be a non-negative int")))?;
            l.set_by_name(&key, value).map_err(|e| match e {
                PasswordError::Unsupported(m) => PyTypeError::new_err(m),
                other => to_py(other),
            })?;
        }
    }
    limits::set(l);
    get_limits(py)
}

/// PBKDF2-HMAC with hashlib's digest names and a bounded iteration count. Returns
/// ``None`` for a digest the core does not run, so the caller can defer to hashlib.
#[pyfunction]
pub fn pbkdf2_hmac<'py>(
    py: Python<'py>,
    digest: &str,
    password: &[u8],
    salt: &[u8],
    iterations: u32,
    dklen: usize,
) -> PyResult<Option<Bound<'py, pyo3::types::PyBytes>>> {
    let Some(digest) = Digest::from_name(digest) else {
        return Ok(None);
    };
    let kdf = Kdf::Pbkdf2 { digest, iterations };
    let (password, salt) = (Zeroizing::new(password.to_vec()), salt.to_vec());
    let out = py
        .detach(|| kdf.derive(&password, &salt, dklen))
        .map_err(to_py)?;
    Ok(Some(pyo3::types::PyBytes::new(py, &out)))
}

/// scrypt with a bounded cost.
#[pyfunction]
#[pyo3(name = "scrypt")]
pub fn scrypt_kdf<'py>(
    py: Python<'py>,
    password: &[u8],
    salt: &[u8],
    n: u64,
    r: u32,
    p: u32,
    dklen: usize,
) -> PyResult<Bound<'py, pyo3::types::PyBytes>> {
    let kdf = Kdf::Scrypt { n, r, p };
    let (password, salt) = (Zeroizing::new(password.to_vec()), salt.to_vec());
    let out = py
        .detach(|| kdf.derive(&password, &salt, dklen))
        .map_err(to_py)?;
    Ok(pyo3::types::PyBytes::new(py, &out))
}

/// `(scheme, params, count)` of a census.
type Group<'py> = (String, Bound<'py, PyDict>, u64);
/// `(message, count, first indices)` of a census.
type ErrorGroup = (String, u64, Vec<usize>);

/// Count stored hashes by scheme and parameters without verifying anything
/// (parallel, GIL released). Returns ``(groups, errors)``: ``groups`` is a list of
/// ``(scheme, params, count)``, ``errors`` a list of ``(message, count, first_indices)``.
#[pyfunction]
pub fn census<'py>(
    py: Python<'py>,
    hashes: &Bound<'py, PyAny>,
) -> PyResult<(Vec<Group<'py>>, Vec<ErrorGroup>)> {
    let hashes: Vec<String> = hashes
        .try_iter()?
        .map(|h| stored_hash(&h?))
        .collect::<PyResult<_>>()?;
    let result = py.detach(|| password::census::census(&hashes));
    let groups = result
        .counts
        .into_iter()
        .map(|((name, params), n)| Ok((name, params_dict(py, &params)?, n)))
        .collect::<PyResult<Vec<_>>>()?;
    let errors = result
        .errors
        .into_iter()
        .map(|(message, (n, first))| (message, n, first))
        .collect();
    Ok((groups, errors))
}

/// The names of the schemes ``hash_password`` writes.
#[pyfunction]
pub fn schemes(py: Python<'_>) -> PyResult<Bound<'_, PyTuple>> {
    PyTuple::new(
        py,
        password::spec::WRITABLE
            .iter()
            .map(|s| PyString::new(py, s)),
    )
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyPolicy>()?;
    for f in [
        wrap_pyfunction!(hash_password, m)?,
        wrap_pyfunction!(verify_password, m)?,
        wrap_pyfunction!(identify, m)?,
        wrap_pyfunction!(needs_rehash, m)?,
        wrap_pyfunction!(verify_and_update, m)?,
        wrap_pyfunction!(hash_many, m)?,
        wrap_pyfunction!(verify_many, m)?,
        wrap_pyfunction!(get_limits, m)?,
        wrap_pyfunction!(set_limits, m)?,
        wrap_pyfunction!(pbkdf2_hmac, m)?,
        wrap_pyfunction!(scrypt_kdf, m)?,
        wrap_pyfunction!(schemes, m)?,
        wrap_pyfunction!(census, m)?,
    ] {
        m.add_function(f)?;
    }
    Ok(())
}
