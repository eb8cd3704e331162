//! Python `str` objects for JSON object keys, reused from one document to the
//! next. Session cookies and tokens repeat the same few keys on every request;
//! handing out the `str` made last time skips its allocation, its UTF-8 decode
//! and — because a `str` caches its hash — the siphash a dict insert would run.
//! Keys are immutable values, so sharing the object is not observable (CPython's
//! own `json.loads` already shares keys within one document).

use std::cell::RefCell;

use pyo3::prelude::*;
use pyo3::types::PyString;

/// Direct-mapped: a key goes in the slot its hash picks, replacing what was there.
const SLOTS: usize = 256;
/// Longer keys are rare in sessions and tokens and not worth the comparison.
const MAX_KEY_LEN: usize = 24;

struct Slot {
    len: u8,
    bytes: [u8; MAX_KEY_LEN],
    obj: Py<PyString>,
}

thread_local! {
    // Per thread, so no lock is taken; each thread holds the GIL (or its own
    // attachment) while it uses its cache.
    static CACHE: RefCell<Vec<Option<Slot>>> = RefCell::new((0..SLOTS).map(|_| None).collect());
}

fn slot_of(key: &[u8]) -> usize {
    let mut h = key.len() as u64;
    for chunk in key.chunks(8) {
        let mut word = [0u8; 8];
        word[..chunk.len()].copy_from_slice(chunk);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
    (h >> 56) as usize % SLOTS
}

/// A `str` equal to `key`: the cached one when this thread made it before.
pub fn key_str<'py>(py: Python<'py>, key: &str) -> Bound<'py, PyString> {
    let bytes = key.as_bytes();
    if bytes.len() > MAX_KEY_LEN {
        return PyString::new(py, key);
    }
    let at = slot_of(bytes);
    let cached = CACHE.try_with(|cache| {
        // A re-entrant call cannot happen (nothing here runs Python code), but
        // a busy cache only means a miss.
        let mut cache = cache.try_borrow_mut().ok()?;
        let slot = cache.get_mut(at)?;
        if let Some(s) = slot {
            if &s.bytes[..usize::from(s.len)] == bytes {
                return Some(s.obj.bind(py).clone());
            }
        }
        let obj = PyString::new(py, key);
        let mut stored = [0u8; MAX_KEY_LEN];
        stored[..bytes.len()].copy_from_slice(bytes);
        *slot = Some(Slot {
            len: bytes.len() as u8, // <= MAX_KEY_LEN
            bytes: stored,
            obj: obj.clone().unbind(),
        });
        Some(obj)
    });
    match cached {
        Ok(Some(obj)) => obj,
        _ => PyString::new(py, key), // thread shutting down, or a busy cache
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_spread_common_keys() {
        let keys = [
            "user_id",
            "csrf",
            "roles",
            "_fresh",
            "sub",
            "iat",
            "exp",
            "aud",
            "iss",
            "nbf",
            "jti",
            "name",
            "_auth_user_id",
            "_auth_user_backend",
            "_auth_user_hash",
            "cart",
        ];
        let mut used: Vec<usize> = keys.iter().map(|k| slot_of(k.as_bytes())).collect();
        used.sort_unstable();
        used.dedup();
        assert!(used.len() >= keys.len() - 1, "{used:?}");
        assert!(used.iter().all(|&s| s < SLOTS));
    }
}
