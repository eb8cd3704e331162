//! A parsed JSON document as a Rust tree, for code that reads JSON without
//! Python (tests, fuzz targets, and any core check that needs the values).
//! The binding builds Python objects straight from the reader instead.

use super::read::{read, Build, Stop, Text};

/// A JSON value as `json.loads` makes it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    /// An integer outside i64, as its decimal text (Python makes an `int`).
    BigInt(String),
    Float(f64),
    Str(String),
    Array(Vec<Value>),
    /// Members in document order; a repeated key is kept (Python's dict keeps
    /// the first position and the last value).
    Object(Vec<(String, Value)>),
}

/// Nesting deeper than this is left to Python by [`parse`] (which raises
/// RecursionError only far deeper).
pub const MAX_DEPTH: usize = 200;

/// Parse `doc` as `json.loads(doc)` would, or say where the reader gave up.
pub fn parse(doc: &[u8]) -> Result<Value, Stop<std::convert::Infallible>> {
    read(doc, MAX_DEPTH, &mut Tree)
}

/// The builder behind [`parse`].
pub struct Tree;

impl Build<'_> for Tree {
    type Value = Value;
    type List = Vec<Value>;
    type Map = Vec<(String, Value)>;
    type Error = std::convert::Infallible;

    fn null(&mut self) -> Result<Value, Self::Error> {
        Ok(Value::Null)
    }
    fn bool(&mut self, v: bool) -> Result<Value, Self::Error> {
        Ok(Value::Bool(v))
    }
    fn int(&mut self, v: i64) -> Result<Value, Self::Error> {
        Ok(Value::Int(v))
    }
    fn big_int(&mut self, digits: &str) -> Result<Value, Self::Error> {
        Ok(Value::BigInt(digits.to_owned()))
    }
    fn float(&mut self, v: f64) -> Result<Value, Self::Error> {
        Ok(Value::Float(v))
    }
    fn str(&mut self, s: Text<'_, '_>) -> Result<Value, Self::Error> {
        Ok(Value::Str(s.as_str().to_owned()))
    }
    fn list(&mut self) -> Result<Vec<Value>, Self::Error> {
        Ok(Vec::new())
    }
    fn push(&mut self, list: &mut Vec<Value>, item: Value) -> Result<(), Self::Error> {
        list.push(item);
        Ok(())
    }
    fn end_list(&mut self, list: Vec<Value>) -> Result<Value, Self::Error> {
        Ok(Value::Array(list))
    }
    fn map(&mut self) -> Result<Self::Map, Self::Error> {
        Ok(Vec::new())
    }
    fn insert(
        &mut self,
        map: &mut Self::Map,
        key: Text<'_, '_>,
        v: Value,
    ) -> Result<(), Self::Error> {
        map.push((key.as_str().to_owned(), v));
        Ok(())
    }
    fn end_map(&mut self, map: Self::Map) -> Result<Value, Self::Error> {
        Ok(Value::Object(map))
    }
}

/// `bytes.decode("latin-1")` as UTF-8 text: Django decodes signed payloads that
/// way before `json.loads`. Borrowed when the bytes are ASCII (the usual case:
/// Django writes with `ensure_ascii`).
pub fn latin1_to_utf8(data: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    if data.is_ascii() {
        return std::borrow::Cow::Borrowed(data);
    }
    let text: String = data.iter().map(|&b| char::from(b)).collect();
    std::borrow::Cow::Owned(text.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unsupported(doc: &str) -> bool {
        matches!(parse(doc.as_bytes()), Err(Stop::Unsupported { .. }))
    }

    #[test]
    fn reads_like_json_loads() {
        let v = parse(br#" {"a": [1, -2.5e1, true, null, "\u00e9\ud83d\ude00"], "b": Infinity} "#)
            .unwrap();
        assert_eq!(
            v,
            Value::Object(vec![
                (
                    "a".into(),
                    Value::Array(vec![
                        Value::Int(1),
                        Value::Float(-25.0),
                        Value::Bool(true),
                        Value::Null,
                        Value::Str("é😀".into()),
                    ])
                ),
                ("b".into(), Value::Float(f64::INFINITY)),
            ])
        );
        assert!(matches!(parse(b"NaN"), Ok(Value::Float(f)) if f.is_nan()));
        assert_eq!(
            parse(b"123456789012345678901").unwrap(),
            Value::BigInt("123456789012345678901".into())
        );
        assert_eq!(parse(b"-0").unwrap(), Value::Int(0));
        assert_eq!(parse(b"1E400").unwrap(), Value::Float(f64::INFINITY));
        assert_eq!(
            parse(br#"{"k\n": "v", "k\n": 2}"#).unwrap(),
            Value::Object(vec![
                ("k\n".into(), Value::Str("v".into())),
                ("k\n".into(), Value::Int(2))
            ])
        );
        // An escaped key keeps its text while the value's escapes are decoded.
        assert_eq!(
            parse(br#"{"\u0041": "\u0042"}"#).unwrap(),
            Value::Object(vec![("A".into(), Value::Str("B".into()))])
        );
    }

    #[test]
    fn leaves_to_python_what_it_cannot_match() {
        for doc in [
            "[1,]",
            "{} x",
            "\"\\ud800\"",
            "\"\\udc00x\"",
            "\"a\nb\"",
            "1.",
            "01",
            "+1",
            "'a'",
            "\u{feff}{}",
            "{\"a\" 1}",
            "[1 2]",
            "tru",
            "-",
            "",
            "\"\\x\"",
            "\"\\u12g4\"",
        ] {
            assert!(unsupported(doc), "{doc:?}");
        }
        assert!(unsupported(&"[".repeat(MAX_DEPTH + 1)));
        assert!(
            parse(format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH)).as_bytes()).is_ok()
        );
        assert!(unsupported(
            &"9".repeat(super::super::read::MAX_INT_DIGITS + 1)
        ));
        assert!(matches!(parse(b"\xff"), Err(Stop::Unsupported { .. })));
    }

    #[test]
    fn latin1_is_decoded_per_byte() {
        assert_eq!(&*latin1_to_utf8(b"ab"), b"ab");
        assert_eq!(&*latin1_to_utf8(b"\"\xe9\""), "\"é\"".as_bytes());
        assert_eq!(
            parse(&latin1_to_utf8(b"\"\xe9\xff\"")).unwrap(),
            Value::Str("éÿ".into())
        );
    }
}
