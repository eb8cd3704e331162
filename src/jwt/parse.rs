//! Token headers and payloads as values, read by the crate's JSON reader
//! (`crate::pyjson::read`, exactly what `json.loads` accepts for ordinary
//! documents). Anything it does not read identically (huge integers, lone
//! surrogates, nesting past `MAX_DEPTH`, other encodings) is `Unsupported`, and
//! the caller then uses Python's json -- so errors and edge cases stay exactly
//! PyJWT's.

use crate::pyjson::read::{read, Build, Text};

/// Token values are the crate's JSON tree ([`crate::pyjson::value`]): strings
/// without escapes borrow from the document, so parsing a typical payload
/// allocates only the member lists. [`parse`] never makes `Value::BigInt`.
pub use crate::pyjson::value::{owned_members, Members, Value};

/// The document is not one this reader handles exactly like `json.loads`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unsupported;

pub const MAX_DEPTH: usize = 64;

/// The shared reader's builder for token JSON: borrowed strings, no huge
/// integers (Python's int would be exact; the claim checks here are i64).
struct Claims;

impl<'a> Build<'a> for Claims {
    type Value = Value<'a>;
    type List = Vec<Value<'a>>;
    type Map = Members<'a>;
    type Error = Unsupported;

    fn null(&mut self) -> R<Value<'a>> {
        Ok(Value::Null)
    }
    fn bool(&mut self, v: bool) -> R<Value<'a>> {
        Ok(Value::Bool(v))
    }
    fn int(&mut self, v: i64) -> R<Value<'a>> {
        Ok(Value::Int(v))
    }
    fn big_int(&mut self, _digits: &str) -> R<Value<'a>> {
        Err(Unsupported)
    }
    fn float(&mut self, v: f64) -> R<Value<'a>> {
        Ok(Value::Float(v))
    }
    fn str(&mut self, s: Text<'a, '_>) -> R<Value<'a>> {
        Ok(Value::Str(s.into_cow()))
    }
    fn list(&mut self) -> R<Vec<Value<'a>>> {
        Ok(Vec::new())
    }
    fn push(&mut self, list: &mut Vec<Value<'a>>, item: Value<'a>) -> R<()> {
        list.push(item);
        Ok(())
    }
    fn end_list(&mut self, list: Vec<Value<'a>>) -> R<Value<'a>> {
        Ok(Value::Array(list))
    }
    fn map(&mut self) -> R<Members<'a>> {
        // Headers and claim sets are small objects: one allocation, no regrowth.
        Ok(Vec::with_capacity(8))
    }
    #[inline]
    fn insert(&mut self, map: &mut Members<'a>, key: Text<'a, '_>, v: Value<'a>) -> R<()> {
        map.push((key.into_cow(), v));
        Ok(())
    }
    fn end_map(&mut self, map: Members<'a>) -> R<Value<'a>> {
        Ok(Value::Object(map))
    }
}

type R<T> = Result<T, Unsupported>;

/// Parse a whole document (surrounding JSON whitespace allowed).
pub fn parse(doc: &[u8]) -> Result<Value<'_>, Unsupported> {
    // json.loads(bytes) sniffs UTF-16/32 and a UTF-8 BOM: leave those to Python.
    if doc.len() < 2 || doc[0] == 0 || doc[1] == 0 || doc.starts_with(b"\xef\xbb\xbf") {
        return Err(Unsupported);
    }
    read(doc, MAX_DEPTH, &mut Claims).map_err(|_| Unsupported)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_json_loads_accepts() {
        let v = parse(br#" {"a": [1, -2.5, 1e3, true, null, "x\u00e9\ud83d\ude00\n"], "b": {}} "#)
            .unwrap();
        let Value::Object(m) = v else { panic!() };
        assert_eq!(m[0].0, "a");
        assert_eq!(
            m[0].1,
            Value::Array(vec![
                Value::Int(1),
                Value::Float(-2.5),
                Value::Float(1000.0),
                Value::Bool(true),
                Value::Null,
                Value::Str("xé😀\n".into())
            ])
        );
        assert!(matches!(parse(b"NaN").unwrap(), Value::Float(f) if f.is_nan()));
        assert_eq!(
            parse(b"-Infinity").unwrap(),
            Value::Float(f64::NEG_INFINITY)
        );
        assert_eq!(parse(b"-0").unwrap(), Value::Int(0));
        // Both integer paths (up to 18 digits accumulated, 19 through str::parse).
        for (doc, want) in [
            (&b" 0"[..], 0i64),
            (b"1700000000", 1_700_000_000),
            (b"-42", -42),
            (b"999999999999999999", 999_999_999_999_999_999),
            (b"-999999999999999999", -999_999_999_999_999_999),
            (b"9223372036854775807", i64::MAX),
            (b"-9223372036854775808", i64::MIN),
        ] {
            assert_eq!(parse(doc).unwrap(), Value::Int(want), "{doc:?}");
        }
        assert_eq!(parse(b"12e1").unwrap(), Value::Float(120.0));
        assert_eq!(parse(b"-3.5").unwrap(), Value::Float(-3.5));
        let dup = parse(br#"{"a":1,"a":2}"#).unwrap();
        let Value::Object(m) = dup else { panic!() };
        assert_eq!(Value::member(&m, "a"), Some(&Value::Int(2)));
    }

    #[test]
    fn everything_else_is_left_to_python() {
        for doc in [
            &b"{"[..],
            b"01",
            b"1.",
            b"[1,]",
            b"{\"a\":1,}",
            b"\"\\ud800\"",
            b"\"a\x01\"",
            b"\"\\x\"",
            b"99999999999999999999",
            b"9223372036854775808",
            b"-9223372036854775809",
            b"\xef\xbb\xbf{}",
            b"{\"a\":1} x",
            b"\"\xff\xfe\"",
            b"",
        ] {
            assert_eq!(parse(doc), Err(Unsupported), "{doc:?}");
        }
        let deep = "[".repeat(MAX_DEPTH + 2) + &"]".repeat(MAX_DEPTH + 2);
        assert_eq!(parse(deep.as_bytes()), Err(Unsupported));
    }
}
