//! A parsed JSON document as a Rust tree, for code that reads JSON without
//! Python (the JWT fast path, tests, fuzz targets, and any core check that
//! needs the values). The binding builds Python objects straight from the
//! reader instead.

use std::borrow::Cow;

use super::read::{read, Build, Stop, Text};

/// A JSON value as `json.loads` makes it. Strings without escapes borrow from
/// the document, so parsing a typical document allocates only the containers.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Null,
    Bool(bool),
    Int(i64),
    /// An integer outside i64, as its decimal text (Python makes an `int`).
    BigInt(Cow<'a, str>),
    Float(f64),
    Str(Cow<'a, str>),
    Array(Vec<Value<'a>>),
    /// Members in document order; a repeated key is kept (Python's dict keeps
    /// the first position and the last value).
    Object(Members<'a>),
}

/// The members of a JSON object, in document order.
pub type Members<'a> = Vec<(Cow<'a, str>, Value<'a>)>;

impl<'a> Value<'a> {
    /// The last member named `name` (Python's dict keeps the last value).
    pub fn member<'m>(
        members: &'m [(Cow<'a, str>, Value<'a>)],
        name: &str,
    ) -> Option<&'m Value<'a>> {
        members
            .iter()
            .rev()
            .find(|(k, _)| k.as_ref() == name)
            .map(|(_, v)| v)
    }

    /// The same value owning all its strings.
    pub fn into_owned(self) -> Value<'static> {
        match self {
            Value::Null => Value::Null,
            Value::Bool(b) => Value::Bool(b),
            Value::Int(i) => Value::Int(i),
            Value::BigInt(digits) => Value::BigInt(Cow::Owned(digits.into_owned())),
            Value::Float(f) => Value::Float(f),
            Value::Str(s) => Value::Str(Cow::Owned(s.into_owned())),
            Value::Array(items) => Value::Array(items.into_iter().map(Value::into_owned).collect()),
            Value::Object(members) => Value::Object(owned_members(members)),
        }
    }

    /// Python truthiness.
    pub fn truthy(&self) -> bool {
        match self {
            Value::Null => false,
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            // Outside i64, so never zero.
            Value::BigInt(_) => true,
            Value::Float(f) => *f != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::Array(a) => !a.is_empty(),
            Value::Object(o) => !o.is_empty(),
        }
    }
}

/// Object members owning all their strings.
pub fn owned_members(members: Members<'_>) -> Members<'static> {
    members
        .into_iter()
        .map(|(k, v)| (Cow::Owned(k.into_owned()), v.into_owned()))
        .collect()
}

/// Nesting deeper than this is left to Python by [`parse`] (which raises
/// RecursionError only far deeper).
pub const MAX_DEPTH: usize = 200;

/// Parse `doc` as `json.loads(doc)` would, or say where the reader gave up.
pub fn parse(doc: &[u8]) -> Result<Value<'_>, Stop<std::convert::Infallible>> {
    read(doc, MAX_DEPTH, &mut Tree)
}

/// The builder behind [`parse`]: every value, strings borrowed where the
/// document has them unescaped.
pub struct Tree;

impl<'a> Build<'a> for Tree {
    type Value = Value<'a>;
    type List = Vec<Value<'a>>;
    type Map = Members<'a>;
    type Error = std::convert::Infallible;

    fn null(&mut self) -> Result<Value<'a>, Self::Error> {
        Ok(Value::Null)
    }
    fn bool(&mut self, v: bool) -> Result<Value<'a>, Self::Error> {
        Ok(Value::Bool(v))
    }
    fn int(&mut self, v: i64) -> Result<Value<'a>, Self::Error> {
        Ok(Value::Int(v))
    }
    fn big_int(&mut self, digits: &str) -> Result<Value<'a>, Self::Error> {
        Ok(Value::BigInt(Cow::Owned(digits.to_owned())))
    }
    fn float(&mut self, v: f64) -> Result<Value<'a>, Self::Error> {
        Ok(Value::Float(v))
    }
    fn str(&mut self, s: Text<'a, '_>) -> Result<Value<'a>, Self::Error> {
        Ok(Value::Str(s.into_cow()))
    }
    fn list(&mut self) -> Result<Vec<Value<'a>>, Self::Error> {
        Ok(Vec::new())
    }
    fn push(&mut self, list: &mut Vec<Value<'a>>, item: Value<'a>) -> Result<(), Self::Error> {
        list.push(item);
        Ok(())
    }
    fn end_list(&mut self, list: Vec<Value<'a>>) -> Result<Value<'a>, Self::Error> {
        Ok(Value::Array(list))
    }
    fn map(&mut self) -> Result<Members<'a>, Self::Error> {
        Ok(Vec::new())
    }
    fn insert(
        &mut self,
        map: &mut Members<'a>,
        key: Text<'a, '_>,
        v: Value<'a>,
    ) -> Result<(), Self::Error> {
        map.push((key.into_cow(), v));
        Ok(())
    }
    fn end_map(&mut self, map: Members<'a>) -> Result<Value<'a>, Self::Error> {
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
    fn strings_borrow_from_the_document_unless_escaped() {
        let doc = br#"{"k": "plain", "\u0041": "x\ny", "n": -123456789012345678901}"#;
        let Value::Object(m) = parse(doc).unwrap() else {
            panic!()
        };
        assert!(matches!(&m[0].0, Cow::Borrowed("k")));
        assert!(matches!(&m[0].1, Value::Str(Cow::Borrowed("plain"))));
        assert!(matches!(&m[1].0, Cow::Owned(k) if k == "A"));
        assert!(matches!(&m[1].1, Value::Str(Cow::Owned(s)) if s == "x\ny"));
        assert_eq!(m[2].1, Value::BigInt("-123456789012345678901".into()));
        let owned: Value<'static> = Value::Object(owned_members(m.clone()));
        assert_eq!(owned, Value::Object(m.clone()));
        assert_eq!(parse(doc).unwrap().into_owned(), Value::Object(m));
    }

    #[test]
    fn member_and_truthiness_are_pythons() {
        let Value::Object(m) = parse(br#"{"a": 1, "b": 2, "a": 3}"#).unwrap() else {
            panic!()
        };
        assert_eq!(Value::member(&m, "a"), Some(&Value::Int(3)));
        assert_eq!(Value::member(&m, "c"), None);
        for (doc, truthy) in [
            ("null", false),
            ("false", false),
            ("true", true),
            ("0", false),
            ("-1", true),
            ("0.0", false),
            ("-0.0", false),
            ("NaN", true),
            ("\"\"", false),
            ("\" \"", true),
            ("[]", false),
            ("[0]", true),
            ("{}", false),
            ("{\"\": 0}", true),
            // Outside i64, so never zero.
            ("18446744073709551616", true),
            ("-9223372036854775809", true),
        ] {
            assert_eq!(parse(doc.as_bytes()).unwrap().truthy(), truthy, "{doc}");
        }
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
