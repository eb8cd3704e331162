//! Claims dicts built by copying a dict with the same keys. Tokens from one issuer
//! carry the same claim names in the same order on every request; a new dict
//! filled key by key grows its table past five entries (a resize and a rehash),
//! while `PyDict_Copy` of a same-keyed dict clones the sized table in one copy,
//! and storing each value then only replaces one. The result is an ordinary dict
//! with the same keys, order and values: only its internal table size may differ,
//! which no dict operation shows.

use std::cell::RefCell;

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

/// Wider claim sets are rare, and comparing names costs more than a copy saves.
const MAX_KEYS: usize = 16;

struct Shape {
    names: Vec<Box<str>>,
    keys: Vec<Py<PyString>>,
    template: Py<PyDict>,
}

thread_local! {
    // Per thread (no lock); the latest claim set with distinct names seen here.
    static LAST: RefCell<Option<Shape>> = const { RefCell::new(None) };
}

/// The dict `{name(i): value(i)}` for `i` in `0..n`, in order, where `key(name)`
/// makes a key str; the same as inserting them one by one into a new dict (a
/// repeated name keeps its first position and its last value).
pub fn build<'py, 'n>(
    py: Python<'py>,
    n: usize,
    name: impl Fn(usize) -> &'n str,
    key: impl Fn(&str) -> Bound<'py, PyString>,
    mut value: impl FnMut(usize) -> PyResult<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    let cacheable = n > 5 && n <= MAX_KEYS;
    if cacheable {
        // Used with the GIL held; `value` only makes plain objects (no Python code
        // runs), and a busy or missing cache just means the plain path below.
        let hit = LAST
            .try_with(|last| {
                let last = last.try_borrow().ok()?;
                let shape = last.as_ref()?;
                let same = shape.names.len() == n
                    && shape
                        .names
                        .iter()
                        .enumerate()
                        .all(|(i, a)| a.as_ref() == name(i));
                if !same {
                    return None;
                }
                Some(shape.template.bind(py).copy().and_then(|dict| {
                    for (i, k) in shape.keys.iter().enumerate() {
                        dict.set_item(k.bind(py), value(i)?)?;
                    }
                    Ok(dict)
                }))
            })
            .ok()
            .flatten();
        if let Some(dict) = hit {
            return dict;
        }
    }
    let dict = PyDict::new(py);
    let mut keys = Vec::with_capacity(if cacheable { n } else { 0 });
    for i in 0..n {
        let k = key(name(i));
        dict.set_item(&k, value(i)?)?;
        if cacheable {
            keys.push(k.unbind());
        }
    }
    // Distinct names only (len equal): the template then has exactly these keys.
    if cacheable && dict.len() == n {
        // Values None: the template must not keep this call's claims alive (every
        // value is replaced in each copy anyway).
        let template = dict.copy()?;
        for k in &keys {
            template.set_item(k.bind(py), py.None())?;
        }
        let shape = Shape {
            names: (0..n).map(|i| Box::<str>::from(name(i))).collect(),
            keys,
            template: template.unbind(),
        };
        let _ = LAST.try_with(|last| {
            if let Ok(mut last) = last.try_borrow_mut() {
                *last = Some(shape);
            }
        });
    }
    Ok(dict)
}
