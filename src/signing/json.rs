//! JSON exactly as CPython's `json` module writes and reads it.
//!
//! [`Writer`] reproduces `json.dumps` output for the plain types: separators
//! here, the strings, floats and integers from [`crate::pyjson`]. The binding
//! walks Python objects and drives it. [`parse`] reads JSON the way
//! `json.loads` does for everything a Rust `String` can hold; inputs it cannot
//! represent exactly (lone surrogates, huge integers, very deep nesting) return
//! `SigningError::Json` so the caller can fall back to Python's own parser.

use super::error::{Result, SigningError};
use crate::pyjson;

/// How `json.dumps` was configured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    /// `separators=(",", ":")` when true, else the default `(", ", ": ")`.
    pub compact: bool,
    pub ensure_ascii: bool,
}

pub struct Writer {
    pub out: String,
    style: Style,
}

impl Writer {
    pub fn new(style: Style) -> Writer {
        Writer {
            out: String::with_capacity(256),
            style,
        }
    }

    pub fn style(&self) -> Style {
        self.style
    }

    pub fn null(&mut self) {
        self.out.push_str("null");
    }

    pub fn bool(&mut self, v: bool) {
        self.out.push_str(if v { "true" } else { "false" });
    }

    pub fn int(&mut self, v: i64) {
        pyjson::write_int(&mut self.out, v);
    }

    /// An integer already rendered in decimal (Python's `int.__repr__`).
    pub fn raw(&mut self, digits: &str) {
        self.out.push_str(digits);
    }

    pub fn float(&mut self, v: f64) {
        pyjson::write_float(&mut self.out, v);
    }

    pub fn item_sep(&mut self) {
        self.out
            .push_str(if self.style.compact { "," } else { ", " });
    }

    pub fn key_sep(&mut self) {
        self.out
            .push_str(if self.style.compact { ":" } else { ": " });
    }

    pub fn string(&mut self, s: &str) {
        pyjson::write_str(&mut self.out, s, self.style.ensure_ascii);
    }
}

/// A parsed JSON document.
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
    /// Pairs in document order; duplicates are kept (Python: first position, last value).
    Object(Vec<(String, Value)>),
}

/// Nesting deeper than this is left to Python's parser.
pub const MAX_DEPTH: usize = 200;
/// Integers with more digits than this are left to Python (its str-to-int limit).
const MAX_INT_DIGITS: usize = 4000;

/// Parse `text` as `json.loads` would.
pub fn parse(text: &str) -> Result<Value> {
    let mut p = Parser {
        s: text.as_bytes(),
        i: 0,
    };
    p.ws();
    let v = p.value(0)?;
    p.ws();
    if p.i != p.s.len() {
        return Err(p.err("Extra data"));
    }
    Ok(v)
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl<'a> Parser<'a> {
    fn err(&self, what: &str) -> SigningError {
        SigningError::Json(format!("{what} at byte {}", self.i))
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.s.get(self.i) {
            self.i += 1;
        }
    }

    fn eat(&mut self, lit: &[u8]) -> bool {
        if self.s[self.i..].starts_with(lit) {
            self.i += lit.len();
            true
        } else {
            false
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value> {
        if depth > MAX_DEPTH {
            return Err(self.err("nesting too deep for the fast path"));
        }
        match self.s.get(self.i) {
            None => Err(self.err("Expecting value")),
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => Ok(Value::Str(self.string()?)),
            Some(b'n') if self.eat(b"null") => Ok(Value::Null),
            Some(b't') if self.eat(b"true") => Ok(Value::Bool(true)),
            Some(b'f') if self.eat(b"false") => Ok(Value::Bool(false)),
            Some(b'N') if self.eat(b"NaN") => Ok(Value::Float(f64::NAN)),
            Some(b'I') if self.eat(b"Infinity") => Ok(Value::Float(f64::INFINITY)),
            Some(b'-') if self.s[self.i..].starts_with(b"-Infinity") => {
                self.i += 9;
                Ok(Value::Float(f64::NEG_INFINITY))
            }
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.err("Expecting value")),
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.i;
        while let Some(b'0'..=b'9') = self.s.get(self.i) {
            self.i += 1;
        }
        self.i - start
    }

    fn number(&mut self) -> Result<Value> {
        let start = self.i;
        if self.s[self.i] == b'-' {
            self.i += 1;
        }
        match self.s.get(self.i) {
            Some(b'0') => self.i += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(self.err("Expecting value")),
        }
        let int_end = self.i;
        let mut is_float = false;
        // A fraction or exponent counts only when complete, as Python's regex does.
        if self.s.get(self.i) == Some(&b'.') {
            let save = self.i;
            self.i += 1;
            if self.digits() == 0 {
                self.i = save;
            } else {
                is_float = true;
            }
        }
        if let Some(b'e' | b'E') = self.s.get(self.i) {
            let save = self.i;
            self.i += 1;
            if let Some(b'+' | b'-') = self.s.get(self.i) {
                self.i += 1;
            }
            if self.digits() == 0 {
                self.i = save;
            } else {
                is_float = true;
            }
        }
        // The bytes are ASCII digits and signs: always valid UTF-8.
        let text = std::str::from_utf8(&self.s[start..self.i]).map_err(|_| self.err("number"))?;
        if is_float {
            return text
                .parse::<f64>()
                .map(Value::Float)
                .map_err(|_| self.err("float"));
        }
        debug_assert_eq!(int_end, self.i);
        match text.parse::<i64>() {
            Ok(v) => Ok(Value::Int(v)),
            Err(_) if text.len() <= MAX_INT_DIGITS => Ok(Value::BigInt(text.to_owned())),
            Err(_) => Err(self.err("integer too long for the fast path")),
        }
    }

    fn hex4(&mut self) -> Result<u32> {
        let h = self
            .s
            .get(self.i..self.i + 4)
            .ok_or_else(|| self.err("Invalid \\uXXXX escape"))?;
        let mut v = 0u32;
        for &c in h {
            let d = (c as char)
                .to_digit(16)
                .ok_or_else(|| self.err("Invalid \\uXXXX escape"))?;
            v = v * 16 + d;
        }
        self.i += 4;
        Ok(v)
    }

    fn string(&mut self) -> Result<String> {
        self.i += 1; // opening quote
        let mut out = String::new();
        loop {
            let start = self.i;
            while let Some(&c) = self.s.get(self.i) {
                if c == b'"' || c == b'\\' || c < 0x20 {
                    break;
                }
                self.i += 1;
            }
            let chunk =
                std::str::from_utf8(&self.s[start..self.i]).map_err(|_| self.err("utf-8"))?;
            out.push_str(chunk);
            match self.s.get(self.i) {
                Some(b'"') => {
                    self.i += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.i += 1;
                    let esc = *self
                        .s
                        .get(self.i)
                        .ok_or_else(|| self.err("Unterminated string"))?;
                    self.i += 1;
                    match esc {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{08}'),
                        b'f' => out.push('\u{0c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let hi = self.hex4()?;
                            let code = if (0xd800..0xdc00).contains(&hi)
                                && self.s[self.i..].starts_with(b"\\u")
                            {
                                let save = self.i;
                                self.i += 2;
                                let lo = self.hex4()?;
                                if (0xdc00..0xe000).contains(&lo) {
                                    0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00)
                                } else {
                                    self.i = save;
                                    hi
                                }
                            } else {
                                hi
                            };
                            let ch = char::from_u32(code)
                                .ok_or_else(|| self.err("lone surrogate: left to Python"))?;
                            out.push(ch);
                        }
                        _ => return Err(self.err("Invalid \\escape")),
                    }
                }
                // Control characters are errors in strict mode; end of input too.
                _ => return Err(self.err("Invalid control character or unterminated string")),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value> {
        self.i += 1;
        let mut items = Vec::new();
        self.ws();
        if self.s.get(self.i) == Some(&b']') {
            self.i += 1;
            return Ok(Value::Array(items));
        }
        loop {
            self.ws();
            items.push(self.value(depth + 1)?);
            self.ws();
            match self.s.get(self.i) {
                Some(b',') => self.i += 1,
                Some(b']') => {
                    self.i += 1;
                    return Ok(Value::Array(items));
                }
                _ => return Err(self.err("Expecting ',' delimiter")),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value> {
        self.i += 1;
        let mut pairs = Vec::new();
        self.ws();
        if self.s.get(self.i) == Some(&b'}') {
            self.i += 1;
            return Ok(Value::Object(pairs));
        }
        loop {
            self.ws();
            if self.s.get(self.i) != Some(&b'"') {
                return Err(self.err("Expecting property name enclosed in double quotes"));
            }
            let key = self.string()?;
            self.ws();
            if self.s.get(self.i) != Some(&b':') {
                return Err(self.err("Expecting ':' delimiter"));
            }
            self.i += 1;
            self.ws();
            let v = self.value(depth + 1)?;
            pairs.push((key, v));
            self.ws();
            match self.s.get(self.i) {
                Some(b',') => self.i += 1,
                Some(b'}') => {
                    self.i += 1;
                    return Ok(Value::Object(pairs));
                }
                _ => return Err(self.err("Expecting ',' delimiter")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writer_separators() {
        for (compact, want) in [(true, r#"{"a":[1,2]}"#), (false, r#"{"a": [1, 2]}"#)] {
            let mut w = Writer::new(Style {
                compact,
                ensure_ascii: true,
            });
            w.out.push('{');
            w.string("a");
            w.key_sep();
            w.out.push('[');
            w.int(1);
            w.item_sep();
            w.int(2);
            w.out.push_str("]}");
            assert_eq!(w.out, want);
        }
    }

    #[test]
    fn parse_like_python() {
        let v =
            parse(r#" {"a": [1, -2.5e1, true, null, "\u00e9\ud83d\ude00"], "b": NaN} "#).unwrap();
        let Value::Object(pairs) = v else {
            panic!("not an object")
        };
        assert_eq!(pairs[0].0, "a");
        assert_eq!(
            pairs[0].1,
            Value::Array(vec![
                Value::Int(1),
                Value::Float(-25.0),
                Value::Bool(true),
                Value::Null,
                Value::Str("é😀".into())
            ])
        );
        assert_eq!(
            parse("123456789012345678901").unwrap(),
            Value::BigInt("123456789012345678901".into())
        );
        assert!(parse("[1,]").is_err());
        assert!(parse("{} x").is_err());
        assert!(parse("\"\\ud800\"").is_err()); // lone surrogate: left to Python
        assert!(parse("\"a\nb\"").is_err()); // strict control characters
        assert!(parse("1.").is_err());
        assert!(parse(&"[".repeat(500)).is_err());
    }
}
