//! ferroauth: the pure-Rust core (`ct`, `password`) and, with the `python`
//! feature, the PyO3 binding layer registered as `ferroauth._core`.

pub mod b64;
pub mod ct;
pub mod deflate;
pub mod djsign;
pub mod inflate;
pub mod jwt;
pub mod password;
pub mod pyfloat;
pub mod pyjson;
pub mod serial;
pub mod signing;
#[cfg(test)]
pub(crate) mod test_rng;
#[cfg(test)]
pub(crate) mod timing;

#[cfg(feature = "python")]
mod py;

#[cfg(feature = "python")]
#[pyo3::pymodule]
#[pyo3(name = "_core", gil_used = false)]
fn core_module(m: &pyo3::Bound<'_, pyo3::types::PyModule>) -> pyo3::PyResult<()> {
    py::errors::register(m)?;
    py::ct::register(m)?;
    py::password::register(m)?;
    py::serial::register(m)?;
    py::signing::register(m)?;
    py::djsign::register(m)?;
    py::jwt::register(m)?;
    Ok(())
}
