//! Binding for the signing core: a `SignerCore` per serializer configuration
//! that does a whole `dumps` / `loads` (JSON, zlib, base64, HMAC, timestamp) in
//! one call. Anything the fast path cannot reproduce exactly (custom types,
//! lone surrogates, a bad token) returns `None` and the Python adapter takes
//! its slow path, which raises the peer's own exception.

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple, PyType};

use rayon::prelude::*;
use zeroize::Zeroize;

use super::clock;
use super::json::{self, Fallback};
use crate::b64::Alphabet;
use crate::signing::json::{Style, Writer};
use crate::signing::{self, b64, Digest, KeyDerivation, Limits, SigningError, DEFAULT_LIMITS};

/// How the JSON sits inside the token.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Encoding {
    /// `Serializer`: the JSON text itself.
    Raw,
    /// `URLSafeSerializerMixin`: zlib when it helps, url-safe base64, `.` marker.
    UrlSafe,
    /// Starlette: `base64.b64encode` of the JSON.
    Std,
}

/// The Flask tags `TagDict` escapes when they are a one-key dict's only key.
const FLASK_TAGS: [&str; 6] = [" di", " t", " b", " m", " u", " d"];

/// A signer with derived keys plus the payload format of one serializer.
#[pyclass(frozen, name = "SignerCore", module = "ferroauth._core")]
pub struct SignerCore {
    signer: signing::Signer,
    style: Style,
    sort_keys: bool,
    tagged: bool,
    encoding: Encoding,
    limits: Limits,
    /// A dict subclass `loads` builds the outermost object as and `dumps`
    /// writes like a dict at the top (Starlette's `Session`).
    mapping_type: Option<Py<PyType>>,
}

fn value_err(e: SigningError) -> PyErr {
    PyValueError::new_err(e.to_string())
}

#[pymethods]
impl SignerCore {
    /// ``SignerCore(digest, key_derivation, secret_keys, salt, sep, *, compact=True,
    /// ensure_ascii=False, sort_keys=False, tagged=False, encoding="urlsafe")``
    #[new]
    #[pyo3(signature = (digest, key_derivation, secret_keys, salt, sep, *, compact=true,
        ensure_ascii=false, sort_keys=false, tagged=false, encoding="urlsafe",
        max_token_len=DEFAULT_LIMITS.max_token_len, mapping_type=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        digest: &str,
        key_derivation: &str,
        mut secret_keys: Vec<Vec<u8>>,
        salt: &[u8],
        sep: &[u8],
        compact: bool,
        ensure_ascii: bool,
        sort_keys: bool,
        tagged: bool,
        encoding: &str,
        max_token_len: usize,
        mapping_type: Option<Bound<'_, PyType>>,
    ) -> PyResult<Self> {
        if let Some(t) = &mapping_type {
            if !t.is_subclass_of::<PyDict>()? {
                return Err(PyTypeError::new_err("mapping_type must be a dict subclass"));
            }
        }
        let digest = Digest::from_name(digest).map_err(value_err)?;
        let kd = KeyDerivation::from_name(key_derivation)
            .map_err(|e| PyTypeError::new_err(e.to_string()))?;
        let encoding = match encoding {
            "raw" => Encoding::Raw,
            "urlsafe" => Encoding::UrlSafe,
            "std" => Encoding::Std,
            other => return Err(PyValueError::new_err(format!("unknown encoding {other:?}"))),
        };
        let signer = signing::Signer::new(digest, kd, &secret_keys, salt, sep);
        // The derived keys live on in the keyed HMAC states; wipe our copies of the secrets.
        secret_keys.iter_mut().for_each(|k| k.zeroize());
        Ok(SignerCore {
            signer: signer.map_err(value_err)?,
            style: Style {
                compact,
                ensure_ascii,
            },
            sort_keys,
            tagged,
            encoding,
            limits: Limits {
                max_token_len,
                ..DEFAULT_LIMITS
            },
            mapping_type: mapping_type.map(Bound::unbind),
        })
    }

    /// Sign bytes: ``value SEP [ts SEP] sig`` (``ts=None`` for an untimed signer).
    #[pyo3(signature = (value, ts=None))]
    fn sign<'py>(&self, py: Python<'py>, value: &[u8], ts: Option<u64>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.signer.sign(value, ts))
    }

    /// ``(payload, ts)`` of a valid token (``ts`` is None when untimed), or None.
    #[pyo3(signature = (token, timed, now=None, max_age=None))]
    fn unsign<'py>(
        &self,
        py: Python<'py>,
        token: &Bound<'py, PyAny>,
        timed: bool,
        now: Option<i64>,
        max_age: Option<f64>,
    ) -> Option<(Bound<'py, PyBytes>, Option<u64>)> {
        let token = self.accepted(token)?;
        let (payload, ts) = self
            .signer
            .unsign_unexpired(token.as_bytes(), timed, now, max_age)
            .ok()?;
        Some((PyBytes::new(py, payload), ts))
    }

    /// ``unsign`` for many tokens at once, in parallel with the GIL released:
    /// a list with ``(payload, ts)`` for each valid token and None for the rest.
    #[pyo3(signature = (tokens, timed, now=None, max_age=None))]
    fn unsign_many<'py>(
        &self,
        py: Python<'py>,
        tokens: Vec<Vec<u8>>,
        timed: bool,
        now: Option<i64>,
        max_age: Option<f64>,
    ) -> PyResult<Vec<Option<Verified<'py>>>> {
        let limit = self.limits.max_token_len;
        let results: Vec<Option<(Vec<u8>, Option<u64>)>> = py.detach(|| {
            tokens
                .par_iter()
                .map(|token| {
                    if token.len() > limit {
                        return None;
                    }
                    let (payload, ts) = self
                        .signer
                        .unsign_unexpired(token, timed, now, max_age)
                        .ok()?;
                    Some((payload.to_vec(), ts))
                })
                .collect()
        });
        Ok(results
            .into_iter()
            .map(|r| r.map(|(payload, ts)| (PyBytes::new(py, &payload), ts)))
            .collect())
    }

    /// The whole ``dumps``: JSON, payload encoding, timestamp and signature.
    /// Returns None when ``obj`` holds anything but the plain JSON types.
    #[pyo3(signature = (obj, ts=None))]
    fn dumps<'py>(
        &self,
        py: Python<'py>,
        obj: &Bound<'py, PyAny>,
        ts: Option<u64>,
    ) -> Option<Bound<'py, PyString>> {
        self.dump_token(py, obj, ts)
    }

    /// ``dumps(obj, int(time.time()))`` with the clock read here (through the
    /// ``time`` module, so freezegun applies): one call less per cookie.
    fn dumps_now<'py>(
        &self,
        py: Python<'py>,
        obj: &Bound<'py, PyAny>,
    ) -> Option<Bound<'py, PyString>> {
        self.dump_token(py, obj, Some(clock::unix_seconds(py)?))
    }

    /// The whole ``loads``: returns ``(obj, ts)`` or None (invalid, expired, or
    /// not readable by the fast path: the caller's slow path decides which).
    #[pyo3(signature = (token, timed, now=None, max_age=None))]
    fn loads<'py>(
        &self,
        py: Python<'py>,
        token: &Bound<'py, PyAny>,
        timed: bool,
        now: Option<i64>,
        max_age: Option<f64>,
    ) -> Option<(Bound<'py, PyAny>, Option<u64>)> {
        self.load_token(py, token, timed, now, max_age)
    }

    /// A timed ``loads`` that returns only the object, reading the clock here
    /// when ``max_age`` is given (through the ``time`` module, as ``dumps_now``).
    /// ``max_age`` is None, an int or a float; any other type (a bool, a
    /// subclass, a Decimal) gets None, for the caller's Python path to compare
    /// by that type's own rules, as itsdangerous does.
    #[pyo3(signature = (token, max_age=None))]
    fn loads_now<'py>(
        &self,
        py: Python<'py>,
        token: &Bound<'py, PyAny>,
        max_age: Option<&Bound<'py, PyAny>>,
    ) -> Option<Bound<'py, PyAny>> {
        let max_age = match max_age {
            None => None,
            Some(m) if m.is_exact_instance_of::<PyInt>() || m.is_exact_instance_of::<PyFloat>() => {
                Some(m.extract::<f64>().ok()?)
            }
            Some(_) => return None,
        };
        let now = match max_age {
            Some(_) => Some(i64::try_from(clock::unix_seconds(py)?).ok()?),
            None => None,
        };
        Some(self.load_token(py, token, true, now, max_age)?.0)
    }

    /// The JSON text ``dumps`` would sign, or None (for tests and the slow path).
    fn json_dumps(&self, obj: &Bound<'_, PyAny>) -> Option<String> {
        let mut w = Writer::new(self.style);
        self.write(&mut w, obj, 0).ok()?;
        Some(w.out)
    }
}

/// Token as bytes: a `str` is UTF-8 encoded (itsdangerous `want_bytes`).
enum TokenBytes<'a> {
    Str(&'a str),
    Bytes(&'a [u8]),
}

impl TokenBytes<'_> {
    fn as_bytes(&self) -> &[u8] {
        match self {
            TokenBytes::Str(s) => s.as_bytes(),
            TokenBytes::Bytes(b) => b,
        }
    }
    fn len(&self) -> usize {
        self.as_bytes().len()
    }
}

fn token_bytes<'a>(obj: &'a Bound<'_, PyAny>) -> Result<TokenBytes<'a>, Fallback> {
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(TokenBytes::Str(s.to_str()?));
    }
    if let Ok(b) = obj.cast::<PyBytes>() {
        return Ok(TokenBytes::Bytes(b.as_bytes()));
    }
    Err(Fallback)
}

/// A verified token's payload and timestamp.
type Verified<'py> = (Bound<'py, PyBytes>, Option<u64>);

/// Tokens longer than this are verified and parsed with the GIL released.
const DETACH_ABOVE: usize = 16 * 1024;

impl SignerCore {
    /// The token's bytes when the fast path takes it: a str or bytes within
    /// the length bound.
    fn accepted<'a>(&self, token: &'a Bound<'_, PyAny>) -> Option<TokenBytes<'a>> {
        let token = token_bytes(token).ok()?;
        (token.len() <= self.limits.max_token_len).then_some(token)
    }

    fn dump_token<'py>(
        &self,
        py: Python<'py>,
        obj: &Bound<'py, PyAny>,
        ts: Option<u64>,
    ) -> Option<Bound<'py, PyString>> {
        let mut w = Writer::new(self.style);
        match (&self.mapping_type, obj.cast::<PyDict>()) {
            (Some(t), Ok(d)) if obj.get_type().is(t.bind(py)) => self.write_dict(&mut w, d, 0),
            _ => self.write(&mut w, obj, 0),
        }
        .ok()?;
        // The payload is written straight into the token's buffer, which the
        // signer then extends: one allocation for the whole token.
        let finish = |json: String| {
            let json = json.as_bytes();
            let mut token = Vec::with_capacity(json.len() * 4 / 3 + 64);
            match self.encoding {
                Encoding::Raw => token.extend_from_slice(json),
                Encoding::UrlSafe => signing::encode_urlsafe_payload_into(json, &mut token),
                Encoding::Std => crate::b64::encode_into(json, Alphabet::Std, true, &mut token),
            }
            self.signer.sign_into(&mut token, ts);
            token
        };
        let token = if w.out.len() > DETACH_ABOVE {
            py.detach(|| finish(w.out))
        } else {
            finish(w.out)
        };
        // Base64 parts and a UTF-8 JSON payload: always valid UTF-8.
        let text = std::str::from_utf8(&token).ok()?;
        Some(PyString::new(py, text))
    }

    fn load_token<'py>(
        &self,
        py: Python<'py>,
        token: &Bound<'py, PyAny>,
        timed: bool,
        now: Option<i64>,
        max_age: Option<f64>,
    ) -> Option<(Bound<'py, PyAny>, Option<u64>)> {
        let token = self.accepted(token)?;
        let bytes = token.as_bytes();
        // Verify and decode without Python objects; large tokens do it with the
        // GIL released (small ones: the release costs more). The JSON then
        // becomes Python objects in one pass.
        let (doc, ts) = if bytes.len() > DETACH_ABOVE {
            py.detach(|| self.verify_and_decode(bytes, timed, now, max_age))?
        } else {
            self.verify_and_decode(bytes, timed, now, max_age)?
        };
        let hook: Option<json::ObjectHook> = if self.tagged { Some(untag) } else { None };
        let top = self.mapping_type.as_ref().map(|t| t.bind(py));
        let obj = json::loads(py, &doc, hook, top).ok()?;
        Some((obj, ts))
    }

    /// The JSON bytes of a valid, unexpired token.
    fn verify_and_decode(
        &self,
        token: &[u8],
        timed: bool,
        now: Option<i64>,
        max_age: Option<f64>,
    ) -> Option<(Vec<u8>, Option<u64>)> {
        let (payload, ts) = self
            .signer
            .unsign_unexpired(token, timed, now, max_age)
            .ok()?;
        let doc = match self.encoding {
            Encoding::Raw => payload.to_vec(),
            Encoding::UrlSafe => signing::decode_urlsafe_payload(payload, &self.limits).ok()?,
            Encoding::Std => b64::lenient_std_decode(payload).ok()?,
        };
        Some((doc, ts))
    }

    fn write(&self, w: &mut Writer, obj: &Bound<'_, PyAny>, depth: usize) -> Result<(), Fallback> {
        if depth > json::MAX_DEPTH {
            return Err(Fallback);
        }
        if obj.is_none() {
            w.null();
        } else if let Ok(s) = obj.cast_exact::<PyString>() {
            w.string(s.to_str()?);
        } else if let Ok(b) = obj.cast_exact::<PyBool>() {
            w.bool(b.is_true());
        } else if let Ok(i) = obj.cast_exact::<PyInt>() {
            match i.extract::<i64>() {
                Ok(v) => w.int(v),
                Err(_) => w.raw(i.str()?.to_str()?),
            }
        } else if let Ok(f) = obj.cast_exact::<PyFloat>() {
            w.float(f.value());
        } else if let Ok(d) = obj.cast_exact::<PyDict>() {
            self.write_dict(w, d, depth)?;
        } else if let Ok(l) = obj.cast_exact::<PyList>() {
            w.out.push('[');
            for (n, item) in l.iter().enumerate() {
                if n > 0 {
                    w.item_sep();
                }
                self.write(w, &item, depth + 1)?;
            }
            w.out.push(']');
        } else if let Ok(t) = obj.cast_exact::<PyTuple>() {
            if self.tagged {
                w.out.push_str("{\" t\"");
                w.key_sep();
            }
            w.out.push('[');
            for (n, item) in t.iter().enumerate() {
                if n > 0 {
                    w.item_sep();
                }
                self.write(w, &item, depth + 1)?;
            }
            w.out.push(']');
            if self.tagged {
                w.out.push('}');
            }
        } else if let (true, Ok(b)) = (self.tagged, obj.cast_exact::<PyBytes>()) {
            w.out.push_str("{\" b\"");
            w.key_sep();
            w.string(&b64::std_encode(b.as_bytes()));
            w.out.push('}');
        } else {
            // Markup, UUID, datetime, subclasses, custom types: Python decides.
            return Err(Fallback);
        }
        Ok(())
    }

    fn write_dict(
        &self,
        w: &mut Writer,
        d: &Bound<'_, PyDict>,
        depth: usize,
    ) -> Result<(), Fallback> {
        let len = d.len();
        if self.tagged && len == 1 {
            // TagDict: a one-key dict whose key is a tag is wrapped as {" di": {"<key>__": v}}.
            for (k, v) in d.iter() {
                let Ok(k) = k.cast_exact::<PyString>() else {
                    break;
                };
                let key = k.to_str()?;
                if FLASK_TAGS.contains(&key) {
                    w.out.push_str("{\" di\"");
                    w.key_sep();
                    w.out.push('{');
                    w.string(&format!("{key}__"));
                    w.key_sep();
                    self.write(w, &v, depth + 1)?;
                    w.out.push_str("}}");
                    return Ok(());
                }
            }
        }
        w.out.push('{');
        if self.sort_keys && len > 1 {
            let mut items: Vec<(String, Bound<'_, PyAny>)> = Vec::with_capacity(len);
            for (k, v) in d.iter() {
                let k = k.cast_exact::<PyString>().map_err(|_| Fallback)?;
                items.push((k.to_str()?.to_owned(), v));
            }
            items.sort_by(|a, b| a.0.cmp(&b.0));
            for (n, (k, v)) in items.iter().enumerate() {
                if n > 0 {
                    w.item_sep();
                }
                w.string(k);
                w.key_sep();
                self.write(w, v, depth + 1)?;
            }
        } else {
            for (n, (k, v)) in d.iter().enumerate() {
                if n > 0 {
                    w.item_sep();
                }
                let k = k.cast_exact::<PyString>().map_err(|_| Fallback)?;
                w.string(k.to_str()?);
                w.key_sep();
                self.write(w, &v, depth + 1)?;
            }
        }
        w.out.push('}');
        Ok(())
    }
}

/// Flask's `TaggedJSONSerializer` object hook for the tags whose types are
/// builtins: a one-key dict whose key is a tag becomes the tagged value. Tags
/// whose Python types live in other modules (Markup, UUID, datetime) go to Python.
fn untag<'py>(
    py: Python<'py>,
    dict: &Bound<'py, PyDict>,
) -> Result<Option<Bound<'py, PyAny>>, Fallback> {
    if dict.len() != 1 {
        return Ok(None);
    }
    let Some((tag, value)) = dict.iter().next() else {
        return Ok(None);
    };
    let tag = tag.cast_into::<PyString>().map_err(|_| Fallback)?;
    let tag = tag.to_str()?;
    if !FLASK_TAGS.contains(&tag) {
        return Ok(None);
    }
    Ok(Some(match tag {
        " t" => {
            let items = value.cast_into::<PyList>().map_err(|_| Fallback)?;
            PyTuple::new(py, items.iter())?.into_any()
        }
        " b" => {
            let text = value.cast_into::<PyString>().map_err(|_| Fallback)?;
            let text = text.to_str()?;
            if !text.is_ascii() {
                return Err(Fallback);
            }
            let raw = b64::lenient_std_decode(text.as_bytes()).map_err(|_| Fallback)?;
            PyBytes::new(py, &raw).into_any()
        }
        " di" => {
            // The inner dict has been through this hook already: a tagged key
            // there would have made it something else.
            let inner = value.cast_into::<PyDict>().map_err(|_| Fallback)?;
            if inner.len() != 1 {
                return Err(Fallback);
            }
            let Some((key, v)) = inner.iter().next() else {
                return Err(Fallback);
            };
            let key = key.cast_into::<PyString>().map_err(|_| Fallback)?;
            let key = key.to_str()?;
            let mut chars = key.chars();
            chars.next_back();
            chars.next_back();
            let out = PyDict::new(py);
            out.set_item(chars.as_str(), v)?;
            out.into_any()
        }
        _ => return Err(Fallback),
    }))
}

/// itsdangerous's lenient url-safe base64 decode; ValueError with binascii's message.
#[pyfunction]
fn signing_b64decode<'py>(py: Python<'py>, data: &[u8]) -> PyResult<Bound<'py, PyBytes>> {
    let raw = b64::lenient_urlsafe_decode(data).map_err(value_err)?;
    Ok(PyBytes::new(py, &raw))
}

/// Url-safe base64 without padding.
#[pyfunction]
fn signing_b64encode<'py>(py: Python<'py>, data: &[u8]) -> Bound<'py, PyBytes> {
    PyBytes::new(py, b64::urlsafe_encode(data).as_bytes())
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<SignerCore>()?;
    m.add_function(wrap_pyfunction!(signing_b64decode, m)?)?;
    m.add_function(wrap_pyfunction!(signing_b64encode, m)?)?;
    Ok(())
}
