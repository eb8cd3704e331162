//! The wall clock as the Python peers read it: `int(time.time())`, looked up on
//! the `time` module at every call, so freezegun and a monkeypatched
//! `time.time` apply exactly as they do to the pure-Python libraries.

use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyModule;

static TIME_MODULE: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

/// `int(time.time())` as whole seconds since the epoch; None when the clock
/// reads something a u64 timestamp cannot hold (a frozen date before 1970, a
/// mock returning junk): callers then take their Python path, which fails the
/// way the peer does.
pub fn unix_seconds(py: Python<'_>) -> Option<u64> {
    let module = TIME_MODULE
        .get_or_try_init(py, || PyModule::import(py, "time").map(Bound::unbind))
        .ok()?;
    let now = module
        .bind(py)
        .getattr(intern!(py, "time"))
        .ok()?
        .call0()
        .ok()?;
    let secs: f64 = now.extract().ok()?;
    // `int()` truncates toward zero; only whole non-negative seconds fit.
    (secs.is_finite() && secs >= 0.0 && secs < u64::MAX as f64).then(|| secs.trunc() as u64)
}
