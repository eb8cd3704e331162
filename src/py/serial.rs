//! The safe serializer's binding: Python values <-> the `serial` wire format,
//! walking objects directly with no intermediate tree.

use pyo3::create_exception;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{
    PyBool, PyBytes, PyDict, PyFloat, PyFrozenSet, PyInt, PyList, PySet, PyString, PyTuple, PyType,
};

use super::input::type_name;
use crate::serial::{
    Container, Date, Item, Limits, Offset, Reader, SerialError, Time, TimeDelta, Writer,
};

create_exception!(
    ferroauth.serializers,
    UnsupportedTypeError,
    PyTypeError,
    "A value of a type the safe serializer does not encode."
);
create_exception!(
    ferroauth.serializers,
    DecodeError,
    PyValueError,
    "A payload that is truncated, malformed, oversized, too deep, or not ferroauth's."
);
create_exception!(
    ferroauth.serializers,
    LegacyPickleError,
    DecodeError,
    "A pickle payload; ferroauth never unpickles implicitly."
);

/// The standard-library classes the format knows, looked up once.
struct Kinds {
    datetime: Py<PyType>,
    date: Py<PyType>,
    time: Py<PyType>,
    timedelta: Py<PyType>,
    timezone: Py<PyType>,
    uuid: Py<PyType>,
    decimal: Py<PyType>,
}

static KINDS: PyOnceLock<Kinds> = PyOnceLock::new();

fn kinds(py: Python<'_>) -> PyResult<&Kinds> {
    KINDS.get_or_try_init(py, || {
        let datetime = py.import("datetime")?;
        let class = |module: &Bound<'_, PyModule>, name: &str| -> PyResult<Py<PyType>> {
            Ok(module.getattr(name)?.cast_into::<PyType>()?.unbind())
        };
        Ok(Kinds {
            datetime: class(&datetime, "datetime")?,
            date: class(&datetime, "date")?,
            time: class(&datetime, "time")?,
            timedelta: class(&datetime, "timedelta")?,
            timezone: class(&datetime, "timezone")?,
            uuid: class(&py.import("uuid")?, "UUID")?,
            decimal: class(&py.import("decimal")?, "Decimal")?,
        })
    })
}

fn decode_error(err: SerialError) -> PyErr {
    match err {
        SerialError::LegacyPickle => LegacyPickleError::new_err(err.to_string()),
        other => DecodeError::new_err(other.to_string()),
    }
}

/// Encode ``value`` (str, int, float, bool, None, bytes, list, tuple, dict, set,
/// frozenset, datetime, date, time, timedelta, UUID, Decimal, nested) to bytes.
#[pyfunction]
#[pyo3(signature = (value, *, max_depth = Limits::DEFAULT.max_depth))]
pub fn dumps<'py>(
    py: Python<'py>,
    value: &Bound<'py, PyAny>,
    max_depth: usize,
) -> PyResult<Bound<'py, PyBytes>> {
    let mut writer = Writer::new();
    Encoder {
        kinds: kinds(py)?,
        max_depth,
    }
    .value(&mut writer, value, 0)?;
    Ok(PyBytes::new(py, &writer.finish()))
}

struct Encoder<'k> {
    kinds: &'k Kinds,
    max_depth: usize,
}

impl Encoder<'_> {
    fn value(&self, w: &mut Writer, obj: &Bound<'_, PyAny>, depth: usize) -> PyResult<()> {
        if depth > self.max_depth {
            return Err(PyValueError::new_err(format!(
                "value nests containers deeper than {} levels (or contains itself)",
                self.max_depth
            )));
        }
        let ty = obj.get_type();
        if obj.is_none() {
            w.none();
        } else if let Ok(s) = obj.cast_exact::<PyString>() {
            w.str(s.to_str()?);
        } else if let Ok(b) = obj.cast_exact::<PyBool>() {
            w.bool(b.is_true());
        } else if obj.is_exact_instance_of::<PyInt>() {
            match obj.extract::<i64>() {
                Ok(v) => w.int(v),
                Err(_) => self.big_int(w, obj)?,
            }
        } else if let Ok(f) = obj.cast_exact::<PyFloat>() {
            w.float(f.value());
        } else if let Ok(b) = obj.cast_exact::<PyBytes>() {
            w.bytes(b.as_bytes());
        } else if let Ok(d) = obj.cast_exact::<PyDict>() {
            w.begin(Container::Dict, d.len());
            for (k, v) in d.iter() {
                self.value(w, &k, depth + 1)?;
                self.value(w, &v, depth + 1)?;
            }
        } else if let Ok(l) = obj.cast_exact::<PyList>() {
            w.begin(Container::List, l.len());
            for item in l.iter() {
                self.value(w, &item, depth + 1)?;
            }
        } else if let Ok(t) = obj.cast_exact::<PyTuple>() {
            w.begin(Container::Tuple, t.len());
            for item in t.iter() {
                self.value(w, &item, depth + 1)?;
            }
        } else if let Ok(s) = obj.cast_exact::<PySet>() {
            w.begin(Container::Set, s.len());
            for item in s.iter() {
                self.value(w, &item, depth + 1)?;
            }
        } else if let Ok(s) = obj.cast_exact::<PyFrozenSet>() {
            w.begin(Container::FrozenSet, s.len());
            for item in s.iter() {
                self.value(w, &item, depth + 1)?;
            }
        } else if ty.is(self.kinds.datetime.bind(obj.py())) {
            w.datetime(date_of(obj)?, time_of(obj)?);
        } else if ty.is(self.kinds.date.bind(obj.py())) {
            w.date(date_of(obj)?);
        } else if ty.is(self.kinds.time.bind(obj.py())) {
            w.time(time_of(obj)?);
        } else if ty.is(self.kinds.timedelta.bind(obj.py())) {
            w.timedelta(TimeDelta {
                days: obj.getattr("days")?.extract()?,
                seconds: obj.getattr("seconds")?.extract()?,
                microseconds: obj.getattr("microseconds")?.extract()?,
            });
        } else if ty.is(self.kinds.uuid.bind(obj.py())) {
            w.uuid(obj.getattr("bytes")?.extract()?);
        } else if ty.is(self.kinds.decimal.bind(obj.py())) {
            w.decimal(obj.str()?.to_str()?);
        } else {
            return Err(unsupported(obj));
        }
        Ok(())
    }

    fn big_int(&self, w: &mut Writer, obj: &Bound<'_, PyAny>) -> PyResult<()> {
        let negative = obj.lt(0)?;
        let magnitude = obj.call_method0("__abs__")?;
        let bits: usize = magnitude.call_method0("bit_length")?.extract()?;
        let bytes = magnitude.call_method1("to_bytes", (bits.div_ceil(8), "little"))?;
        w.big_int(negative, bytes.cast::<PyBytes>()?.as_bytes());
        Ok(())
    }
}

fn unsupported(obj: &Bound<'_, PyAny>) -> PyErr {
    let name = type_name(obj);
    let hint = [
        ("dict", obj.is_instance_of::<PyDict>()),
        ("list", obj.is_instance_of::<PyList>()),
        ("tuple", obj.is_instance_of::<PyTuple>()),
        ("str", obj.is_instance_of::<PyString>()),
        ("int", obj.is_instance_of::<PyInt>()),
    ]
    .into_iter()
    .find(|(_, is)| *is)
    .map(|(base, _)| format!(" (a {base} subclass: convert it to {base} first)"))
    .unwrap_or_default();
    UnsupportedTypeError::new_err(format!("cannot serialize a value of type {name}{hint}"))
}

fn date_of(obj: &Bound<'_, PyAny>) -> PyResult<Date> {
    Ok(Date {
        year: obj.getattr("year")?.extract()?,
        month: obj.getattr("month")?.extract()?,
        day: obj.getattr("day")?.extract()?,
    })
}

fn time_of(obj: &Bound<'_, PyAny>) -> PyResult<Time> {
    let offset = obj.call_method0("utcoffset")?;
    let offset = if offset.is_none() {
        None
    } else {
        let days: i64 = offset.getattr("days")?.extract()?;
        let seconds: i64 = offset.getattr("seconds")?.extract()?;
        Some(Offset {
            seconds: days * 86_400 + seconds,
            microseconds: offset.getattr("microseconds")?.extract()?,
        })
    };
    Ok(Time {
        hour: obj.getattr("hour")?.extract()?,
        minute: obj.getattr("minute")?.extract()?,
        second: obj.getattr("second")?.extract()?,
        microsecond: obj.getattr("microsecond")?.extract()?,
        fold: obj.getattr("fold")?.extract::<u8>()? == 1,
        offset,
    })
}

/// Decode a payload written by :func:`dumps`. Pickle payloads raise
/// ``LegacyPickleError``; anything malformed raises ``DecodeError``.
#[pyfunction]
#[pyo3(signature = (data, *, max_size = Limits::DEFAULT.max_size, max_depth = Limits::DEFAULT.max_depth))]
pub fn loads<'py>(
    py: Python<'py>,
    data: &[u8],
    max_size: usize,
    max_depth: usize,
) -> PyResult<Bound<'py, PyAny>> {
    let mut reader = Reader::new(
        data,
        Limits {
            max_size,
            max_depth,
        },
    )
    .map_err(decode_error)?;
    let value = Decoder {
        kinds: kinds(py)?,
        max_depth,
    }
    .value(py, &mut reader, 0)?;
    reader.finish().map_err(decode_error)?;
    Ok(value)
}

struct Decoder<'k> {
    kinds: &'k Kinds,
    max_depth: usize,
}

impl Decoder<'_> {
    fn value<'py>(
        &self,
        py: Python<'py>,
        r: &mut Reader<'_>,
        depth: usize,
    ) -> PyResult<Bound<'py, PyAny>> {
        Ok(match r.item().map_err(decode_error)? {
            Item::None => py.None().into_bound(py),
            Item::Bool(b) => PyBool::new(py, b).to_owned().into_any(),
            Item::Int(v) => v.into_pyobject(py)?.into_any(),
            Item::BigInt {
                negative,
                magnitude_le,
            } => {
                let magnitude = py
                    .get_type::<PyInt>()
                    .call_method1("from_bytes", (PyBytes::new(py, magnitude_le), "little"))?;
                if negative {
                    magnitude.neg()?
                } else {
                    magnitude
                }
            }
            Item::Float(f) => PyFloat::new(py, f).into_any(),
            Item::Str(s) => PyString::new(py, s).into_any(),
            Item::Bytes(b) => PyBytes::new(py, b).into_any(),
            Item::Begin(kind, len) => {
                if depth >= self.max_depth {
                    return Err(decode_error(SerialError::TooDeep {
                        max: self.max_depth,
                    }));
                }
                self.container(py, r, kind, len, depth + 1)?
            }
            Item::DateTime(d, t) => {
                let tz = self.timezone(py, t.offset)?;
                let kwargs = PyDict::new(py);
                kwargs.set_item("tzinfo", tz)?;
                kwargs.set_item("fold", t.fold as u8)?;
                self.kinds
                    .datetime
                    .bind(py)
                    .call(
                        (
                            d.year,
                            d.month,
                            d.day,
                            t.hour,
                            t.minute,
                            t.second,
                            t.microsecond,
                        ),
                        Some(&kwargs),
                    )
                    .map_err(|e| {
                        DecodeError::new_err(format!("malformed payload: invalid datetime: {e}"))
                    })?
            }
            Item::Date(d) => self
                .kinds
                .date
                .bind(py)
                .call1((d.year, d.month, d.day))
                .map_err(|e| {
                    DecodeError::new_err(format!("malformed payload: invalid date: {e}"))
                })?,
            Item::Time(t) => {
                let kwargs = PyDict::new(py);
                kwargs.set_item("tzinfo", self.timezone(py, t.offset)?)?;
                kwargs.set_item("fold", t.fold as u8)?;
                self.kinds
                    .time
                    .bind(py)
                    .call((t.hour, t.minute, t.second, t.microsecond), Some(&kwargs))
                    .map_err(|e| {
                        DecodeError::new_err(format!("malformed payload: invalid time: {e}"))
                    })?
            }
            Item::TimeDelta(td) => self
                .kinds
                .timedelta
                .bind(py)
                .call1((td.days, td.seconds, td.microseconds))
                .map_err(|e| {
                    DecodeError::new_err(format!("malformed payload: invalid timedelta: {e}"))
                })?,
            Item::Uuid(bytes) => {
                let kwargs = PyDict::new(py);
                kwargs.set_item("bytes", PyBytes::new(py, &bytes))?;
                self.kinds.uuid.bind(py).call((), Some(&kwargs))?
            }
            Item::Decimal(text) => self.kinds.decimal.bind(py).call1((text,)).map_err(|e| {
                DecodeError::new_err(format!("malformed payload: invalid decimal: {e}"))
            })?,
        })
    }

    fn container<'py>(
        &self,
        py: Python<'py>,
        r: &mut Reader<'_>,
        kind: Container,
        len: usize,
        depth: usize,
    ) -> PyResult<Bound<'py, PyAny>> {
        let mut items = || -> PyResult<Vec<Bound<'py, PyAny>>> {
            (0..len).map(|_| self.value(py, r, depth)).collect()
        };
        let unhashable = |e: PyErr| {
            DecodeError::new_err(format!(
                "malformed payload: unhashable set item or dict key: {e}"
            ))
        };
        Ok(match kind {
            Container::List => PyList::new(py, items()?)?.into_any(),
            Container::Tuple => PyTuple::new(py, items()?)?.into_any(),
            Container::Set => PySet::new(py, items()?).map_err(unhashable)?.into_any(),
            Container::FrozenSet => PyFrozenSet::new(py, items()?)
                .map_err(unhashable)?
                .into_any(),
            Container::Dict => {
                let dict = PyDict::new(py);
                for _ in 0..len {
                    let key = self.value(py, r, depth)?;
                    let value = self.value(py, r, depth)?;
                    dict.set_item(key, value).map_err(unhashable)?;
                }
                dict.into_any()
            }
        })
    }

    fn timezone<'py>(
        &self,
        py: Python<'py>,
        offset: Option<Offset>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let Some(offset) = offset else {
            return Ok(py.None().into_bound(py));
        };
        let delta = self
            .kinds
            .timedelta
            .bind(py)
            .call1((0, offset.seconds, offset.microseconds))
            .map_err(|e| {
                DecodeError::new_err(format!("malformed payload: invalid UTC offset: {e}"))
            })?;
        self.kinds.timezone.bind(py).call1((delta,)).map_err(|e| {
            DecodeError::new_err(format!("malformed payload: invalid UTC offset: {e}"))
        })
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add(
        "UnsupportedTypeError",
        py.get_type::<UnsupportedTypeError>(),
    )?;
    m.add("DecodeError", py.get_type::<DecodeError>())?;
    m.add("LegacyPickleError", py.get_type::<LegacyPickleError>())?;
    m.add_function(wrap_pyfunction!(dumps, m)?)?;
    m.add_function(wrap_pyfunction!(loads, m)?)?;
    Ok(())
}
