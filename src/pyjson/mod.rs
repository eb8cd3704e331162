//! JSON text exactly as CPython's `json` module writes and reads it.
//!
//! Tokens are compared byte for byte with the peers' (PyJWT, itsdangerous,
//! Flask, Starlette, Django), and what they decode must be the objects
//! `json.loads` makes, so every JSON writer and reader in the crate goes
//! through this module rather than its own copy of the rules.

pub mod read;
pub mod value;
mod write;

pub use write::{write_float, write_int, write_str, Sink};
