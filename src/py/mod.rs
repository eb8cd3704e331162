//! The PyO3 binding layer: argument conversion, GIL release, Rust error ->
//! Python exception. Logic lives in the core or in the Python adapters.

pub mod clock;
pub mod ct;
pub mod dict_shape;
pub mod djsign;
pub mod errors;
pub mod input;
pub mod json;
pub mod jwt;
pub mod key_cache;
pub mod password;
pub mod serial;
pub mod signing;
