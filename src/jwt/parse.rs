//! A strict JSON reader for token headers and payloads that accepts exactly what
//! CPython's `json.loads` accepts for ordinary documents and produces the same
//! values. Anything it does not handle identically (huge integers, lone
//! surrogates, nesting past `MAX_DEPTH`, other encodings) is reported as
//! `Unsupported`, and the caller then uses Python's json -- so errors and edge
//! cases stay exactly PyJWT's.

use std::borrow::Cow;

/// A parsed JSON value. Objects keep every member in document order (duplicates
/// included: Python keeps the first position and the last value). Strings without
/// escapes borrow from the document, so parsing a typical payload allocates only
/// the member lists.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Cow<'a, str>),
    Array(Vec<Value<'a>>),
    Object(Vec<(Cow<'a, str>, Value<'a>)>),
}

/// The members of a JSON object.
pub type Members<'a> = Vec<(Cow<'a, str>, Value<'a>)>;

/// The document is not one this reader handles exactly like `json.loads`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unsupported;

pub const MAX_DEPTH: usize = 64;

/// The bytes that end a run of plain string content: quote, backslash, C0 controls.
static STOP: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = true;
        i += 1;
    }
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t
};

struct Reader<'a> {
    b: &'a [u8],
    /// The same document as text (validated as UTF-8 once, up front).
    text: &'a str,
    i: usize,
}

type R<T> = Result<T, Unsupported>;

impl<'a> Reader<'a> {
    fn ws(&mut self) {
        while let Some(c) = self.b.get(self.i) {
            if matches!(c, b' ' | b'\t' | b'\n' | b'\r') {
                self.i += 1;
            } else {
                break;
            }
        }
    }

    fn eat(&mut self, lit: &[u8]) -> bool {
        if self.b[self.i..].starts_with(lit) {
            self.i += lit.len();
            true
        } else {
            false
        }
    }

    fn value(&mut self, depth: usize) -> R<Value<'a>> {
        if depth > MAX_DEPTH {
            return Err(Unsupported);
        }
        self.ws();
        match self.b.get(self.i).copied().ok_or(Unsupported)? {
            b'{' => self.object(depth),
            b'[' => self.array(depth),
            b'"' => Ok(Value::Str(self.string()?)),
            b'n' if self.eat(b"null") => Ok(Value::Null),
            b't' if self.eat(b"true") => Ok(Value::Bool(true)),
            b'f' if self.eat(b"false") => Ok(Value::Bool(false)),
            b'N' if self.eat(b"NaN") => Ok(Value::Float(f64::NAN)),
            b'I' if self.eat(b"Infinity") => Ok(Value::Float(f64::INFINITY)),
            b'-' if self.eat(b"-Infinity") => Ok(Value::Float(f64::NEG_INFINITY)),
            b'-' | b'0'..=b'9' => self.number(),
            _ => Err(Unsupported),
        }
    }

    fn object(&mut self, depth: usize) -> R<Value<'a>> {
        self.i += 1;
        let mut members = Vec::with_capacity(8);
        self.ws();
        if self.eat(b"}") {
            return Ok(Value::Object(members));
        }
        loop {
            self.ws();
            if self.b.get(self.i) != Some(&b'"') {
                return Err(Unsupported);
            }
            let key = self.string()?;
            self.ws();
            if !self.eat(b":") {
                return Err(Unsupported);
            }
            let value = self.value(depth + 1)?;
            members.push((key, value));
            self.ws();
            if self.eat(b",") {
                continue;
            }
            if self.eat(b"}") {
                return Ok(Value::Object(members));
            }
            return Err(Unsupported);
        }
    }

    fn array(&mut self, depth: usize) -> R<Value<'a>> {
        self.i += 1;
        let mut items = Vec::new();
        self.ws();
        if self.eat(b"]") {
            return Ok(Value::Array(items));
        }
        loop {
            items.push(self.value(depth + 1)?);
            self.ws();
            if self.eat(b",") {
                continue;
            }
            if self.eat(b"]") {
                return Ok(Value::Array(items));
            }
            return Err(Unsupported);
        }
    }

    fn hex4(&mut self) -> R<u32> {
        let digits = self.b.get(self.i..self.i + 4).ok_or(Unsupported)?;
        let text = std::str::from_utf8(digits).map_err(|_| Unsupported)?;
        if !text.bytes().all(|c| c.is_ascii_hexdigit()) {
            return Err(Unsupported);
        }
        self.i += 4;
        u32::from_str_radix(text, 16).map_err(|_| Unsupported)
    }

    /// Advance past plain string bytes (not a quote, backslash or control).
    fn plain_run(&mut self) {
        let rest = self.b.get(self.i..).unwrap_or_default();
        // Claim strings are short: a table loop beats a SIMD search's setup there.
        self.i += rest
            .iter()
            .position(|&c| STOP[usize::from(c)])
            .unwrap_or(rest.len());
    }

    fn string(&mut self) -> R<Cow<'a, str>> {
        self.i += 1; // opening quote
        let first = self.i;
        self.plain_run();
        if self.b.get(self.i) == Some(&b'"') {
            // No escapes: borrow (quotes are ASCII, so this is a char boundary).
            let s = self.text.get(first..self.i).ok_or(Unsupported)?;
            self.i += 1;
            return Ok(Cow::Borrowed(s));
        }
        let mut out = String::from(self.text.get(first..self.i).ok_or(Unsupported)?);
        loop {
            let start = self.i;
            self.plain_run();
            out.push_str(self.text.get(start..self.i).ok_or(Unsupported)?);
            match self.b.get(self.i).copied().ok_or(Unsupported)? {
                b'"' => {
                    self.i += 1;
                    return Ok(Cow::Owned(out));
                }
                b'\\' => {
                    self.i += 1;
                    let esc = self.b.get(self.i).copied().ok_or(Unsupported)?;
                    self.i += 1;
                    match esc {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let hi = self.hex4()?;
                            let code = if (0xd800..0xdc00).contains(&hi) {
                                if !self.eat(b"\\u") {
                                    return Err(Unsupported); // lone surrogate
                                }
                                let lo = self.hex4()?;
                                if !(0xdc00..0xe000).contains(&lo) {
                                    return Err(Unsupported);
                                }
                                0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00)
                            } else {
                                hi
                            };
                            out.push(char::from_u32(code).ok_or(Unsupported)?);
                        }
                        _ => return Err(Unsupported),
                    }
                }
                _ => return Err(Unsupported), // a raw control character
            }
        }
    }

    fn number(&mut self) -> R<Value<'a>> {
        let start = self.i;
        let negative = self.eat(b"-");
        let int_start = self.i;
        let digits = |r: &mut Self| {
            let s = r.i;
            while r.b.get(r.i).is_some_and(u8::is_ascii_digit) {
                r.i += 1;
            }
            r.i - s
        };
        let n = digits(self);
        if n == 0 || (n > 1 && self.b[int_start] == b'0') {
            return Err(Unsupported);
        }
        // Plain integers of up to 18 digits (timestamps, ids) are exact in i64:
        // accumulate them here rather than re-scanning through `str::parse`.
        if n <= 18 && !matches!(self.b.get(self.i), Some(b'.' | b'e' | b'E')) {
            let v = self.b[int_start..self.i]
                .iter()
                .fold(0i64, |acc, &d| acc * 10 + i64::from(d - b'0'));
            return Ok(Value::Int(if negative { -v } else { v }));
        }
        let mut float = false;
        if self.b.get(self.i) == Some(&b'.') {
            self.i += 1;
            if digits(self) == 0 {
                return Err(Unsupported);
            }
            float = true;
        }
        if matches!(self.b.get(self.i), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.b.get(self.i), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if digits(self) == 0 {
                return Err(Unsupported);
            }
            float = true;
        }
        let text = self.text.get(start..self.i).ok_or(Unsupported)?;
        if float {
            text.parse::<f64>()
                .map(Value::Float)
                .map_err(|_| Unsupported)
        } else {
            text.parse::<i64>().map(Value::Int).map_err(|_| Unsupported)
        }
    }
}

/// Parse a whole document (surrounding JSON whitespace allowed).
pub fn parse(doc: &[u8]) -> Result<Value<'_>, Unsupported> {
    // json.loads(bytes) sniffs UTF-16/32 and a UTF-8 BOM: leave those to Python.
    if doc.len() < 2 || doc[0] == 0 || doc[1] == 0 || doc.starts_with(b"\xef\xbb\xbf") {
        return Err(Unsupported);
    }
    // Invalid UTF-8 anywhere makes json.loads raise: Python's message then.
    let text = std::str::from_utf8(doc).map_err(|_| Unsupported)?;
    let mut r = Reader { b: doc, text, i: 0 };
    let v = r.value(0)?;
    r.ws();
    if r.i != doc.len() {
        return Err(Unsupported);
    }
    Ok(v)
}

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
