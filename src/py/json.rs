//! Python objects straight from the core's JSON reader (`crate::pyjson::read`),
//! as `json.loads` makes them: no intermediate tree, one pass.

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyType};

use super::key_cache::key_str;
use crate::pyjson::read::{read, Build, Stop, Text};

/// Why a fast path gave up (never shown to users: the caller's Python path takes
/// over and raises, or returns, exactly what the peer does).
pub struct Fallback;

impl From<PyErr> for Fallback {
    fn from(_: PyErr) -> Self {
        Fallback
    }
}

/// `json.loads(..., object_hook=...)`: called on every finished dict, innermost
/// first; `Ok(None)` keeps the dict, `Ok(Some(v))` replaces it with `v`.
pub type ObjectHook =
    for<'py> fn(Python<'py>, &Bound<'py, PyDict>) -> Result<Option<Bound<'py, PyAny>>, Fallback>;

/// Nesting deeper than this is left to Python (far below its RecursionError).
pub const MAX_DEPTH: usize = 200;

/// `json.loads(doc, object_hook=hook)` for the documents the reader matches
/// exactly; `Fallback` for the rest (the caller then runs Python's json).
///
/// With `top_type` (a dict subclass with dict's constructor), the document must
/// be an object and is built as `top_type()` filled with its members: what
/// `top_type(json.loads(doc))` gives, without the copy (Starlette's `Session`).
pub fn loads<'py>(
    py: Python<'py>,
    doc: &[u8],
    object_hook: Option<ObjectHook>,
    top_type: Option<&Bound<'py, PyType>>,
) -> Result<Bound<'py, PyAny>, Fallback> {
    if top_type.is_some() && doc.trim_ascii_start().first() != Some(&b'{') {
        return Err(Fallback);
    }
    let mut objects = Objects {
        py,
        object_hook,
        top_type: top_type.cloned(),
    };
    read(doc, MAX_DEPTH, &mut objects).map_err(|stop| match stop {
        Stop::Unsupported { .. } | Stop::Build(Fallback) => Fallback,
    })
}

struct Objects<'py> {
    py: Python<'py>,
    object_hook: Option<ObjectHook>,
    /// The type of the first (outermost) object, taken when it is started.
    top_type: Option<Bound<'py, PyType>>,
}

impl<'py> Build<'_> for Objects<'py> {
    type Value = Bound<'py, PyAny>;
    type List = Bound<'py, PyList>;
    type Map = Bound<'py, PyDict>;
    type Error = Fallback;

    fn null(&mut self) -> Result<Self::Value, Fallback> {
        Ok(self.py.None().into_bound(self.py))
    }
    fn bool(&mut self, v: bool) -> Result<Self::Value, Fallback> {
        Ok(PyBool::new(self.py, v).to_owned().into_any())
    }
    fn int(&mut self, v: i64) -> Result<Self::Value, Fallback> {
        Ok(PyInt::new(self.py, v).into_any())
    }
    fn big_int(&mut self, digits: &str) -> Result<Self::Value, Fallback> {
        Ok(self.py.get_type::<PyInt>().call1((digits,))?)
    }
    fn float(&mut self, v: f64) -> Result<Self::Value, Fallback> {
        Ok(PyFloat::new(self.py, v).into_any())
    }
    fn str(&mut self, s: Text<'_, '_>) -> Result<Self::Value, Fallback> {
        Ok(PyString::new(self.py, s.as_str()).into_any())
    }
    fn list(&mut self) -> Result<Self::List, Fallback> {
        Ok(PyList::empty(self.py))
    }
    fn push(&mut self, list: &mut Self::List, item: Self::Value) -> Result<(), Fallback> {
        Ok(list.append(item)?)
    }
    fn end_list(&mut self, list: Self::List) -> Result<Self::Value, Fallback> {
        Ok(list.into_any())
    }
    fn map(&mut self) -> Result<Self::Map, Fallback> {
        match self.top_type.take() {
            Some(t) => Ok(t.call0()?.cast_into::<PyDict>().map_err(|_| Fallback)?),
            None => Ok(PyDict::new(self.py)),
        }
    }
    fn insert(
        &mut self,
        map: &mut Self::Map,
        key: Text<'_, '_>,
        v: Self::Value,
    ) -> Result<(), Fallback> {
        Ok(map.set_item(key_str(self.py, key.as_str()), v)?)
    }
    fn end_map(&mut self, map: Self::Map) -> Result<Self::Value, Fallback> {
        if let Some(hook) = self.object_hook {
            if let Some(replaced) = hook(self.py, &map)? {
                return Ok(replaced);
            }
        }
        Ok(map.into_any())
    }
}
