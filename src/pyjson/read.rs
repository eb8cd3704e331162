//! The JSON reader: exactly what CPython's `json.loads` accepts for ordinary
//! documents, handed in document order to a [`Build`] that makes the values —
//! Python objects in the binding (no intermediate tree), [`super::value::Value`]
//! in Rust.
//!
//! Anything it cannot read the way `json.loads` does — invalid JSON, invalid
//! UTF-8, lone surrogates (a Rust `str` cannot hold them), integers past
//! `MAX_INT_DIGITS`, nesting past the caller's depth — stops with
//! [`Stop::Unsupported`]. Callers then run Python's own `json.loads`, so every
//! error and edge case stays the peer's.

/// Integers with more digits than this are left to Python (CPython 3.11+
/// refuses `int(text)` past 4300 digits; below that it converts).
pub const MAX_INT_DIGITS: usize = 4000;

/// A string the reader found: a slice of the document when it had no escapes
/// (the common case: no copy, and a builder may keep it), else text decoded
/// into a buffer that lives only for the call.
#[derive(Clone, Copy)]
pub enum Text<'doc, 'tmp> {
    Doc(&'doc str),
    Decoded(&'tmp str),
}

impl<'doc> Text<'doc, '_> {
    pub fn as_str(&self) -> &str {
        match self {
            Text::Doc(s) | Text::Decoded(s) => s,
        }
    }

    /// Borrowed from the document where possible, else copied.
    pub fn into_cow(self) -> std::borrow::Cow<'doc, str> {
        match self {
            Text::Doc(s) => std::borrow::Cow::Borrowed(s),
            Text::Decoded(s) => std::borrow::Cow::Owned(s.to_owned()),
        }
    }
}

/// Makes the values the reader finds in a document that lives for `'doc`.
/// `List` and `Map` are containers under construction; `end_list`/`end_map`
/// turn them into values (which is where an `object_hook` such as Flask's
/// untagging runs).
pub trait Build<'doc> {
    type Value;
    type List;
    type Map;
    type Error;

    fn null(&mut self) -> Result<Self::Value, Self::Error>;
    fn bool(&mut self, v: bool) -> Result<Self::Value, Self::Error>;
    fn int(&mut self, v: i64) -> Result<Self::Value, Self::Error>;
    /// An integer outside i64, as its decimal text (optional sign, digits).
    fn big_int(&mut self, digits: &str) -> Result<Self::Value, Self::Error>;
    fn float(&mut self, v: f64) -> Result<Self::Value, Self::Error>;
    fn str(&mut self, s: Text<'doc, '_>) -> Result<Self::Value, Self::Error>;
    fn list(&mut self) -> Result<Self::List, Self::Error>;
    fn push(&mut self, list: &mut Self::List, item: Self::Value) -> Result<(), Self::Error>;
    fn end_list(&mut self, list: Self::List) -> Result<Self::Value, Self::Error>;
    fn map(&mut self) -> Result<Self::Map, Self::Error>;
    /// A member; a repeated key is inserted again (Python's dict keeps the first
    /// position and the last value).
    fn insert(
        &mut self,
        map: &mut Self::Map,
        key: Text<'doc, '_>,
        v: Self::Value,
    ) -> Result<(), Self::Error>;
    fn end_map(&mut self, map: Self::Map) -> Result<Self::Value, Self::Error>;
}

/// Why reading stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stop<E> {
    /// Not a document this reader reads exactly like `json.loads` (see the module
    /// doc); `at` is the byte offset where it gave up.
    Unsupported { what: &'static str, at: usize },
    /// The builder failed (e.g. a Python error, or it declined a value).
    Build(E),
}

/// Read `doc` (UTF-8 JSON text, optional surrounding whitespace) into `b`'s values,
/// with containers nested at most `max_depth` deep.
pub fn read<'doc, B: Build<'doc>>(
    doc: &'doc [u8],
    max_depth: usize,
    b: &mut B,
) -> Result<B::Value, Stop<B::Error>> {
    let Ok(text) = std::str::from_utf8(doc) else {
        return Err(Stop::Unsupported {
            what: "not UTF-8",
            at: 0,
        });
    };
    let mut r = Reader {
        text,
        s: doc,
        i: 0,
        max_depth,
        scratch: String::new(),
    };
    r.ws();
    let v = r.value(b, 0)?;
    r.ws();
    if r.i != doc.len() {
        return Err(r.unsupported("Extra data"));
    }
    Ok(v)
}

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

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `w` that is a STOP byte (a quote, a backslash
/// or below 0x20). The lowest set bit marks the first one exactly; bits above
/// it may be spurious (a borrow carries upward), which `plain_run` never reads.
fn stop_bytes(w: u64) -> u64 {
    let zero_byte = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS;
    let below_0x20 = w.wrapping_sub(ONES * 0x20) & !w & HIGHS;
    zero_byte(w ^ (ONES * u64::from(b'"'))) | zero_byte(w ^ (ONES * u64::from(b'\\'))) | below_0x20
}

struct Reader<'doc> {
    /// The document, validated as UTF-8 once so string slices need no re-check.
    text: &'doc str,
    s: &'doc [u8],
    i: usize,
    max_depth: usize,
    /// Where strings with escapes are decoded (reused across strings).
    scratch: String,
}

type R<T, E> = Result<T, Stop<E>>;

fn built<T, E>(r: Result<T, E>) -> Result<T, Stop<E>> {
    r.map_err(Stop::Build)
}

impl<'doc> Reader<'doc> {
    fn unsupported<E>(&self, what: &'static str) -> Stop<E> {
        Stop::Unsupported { what, at: self.i }
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.i += 1;
        }
    }

    fn eat(&mut self, lit: &[u8]) -> bool {
        let found = self
            .s
            .get(self.i..)
            .is_some_and(|rest| rest.starts_with(lit));
        if found {
            self.i += lit.len();
        }
        found
    }

    fn value<B: Build<'doc>>(&mut self, b: &mut B, depth: usize) -> R<B::Value, B::Error> {
        match self.peek() {
            Some(b'{') => self.object(b, depth + 1),
            Some(b'[') => self.array(b, depth + 1),
            Some(b'"') => {
                let s = self.string()?;
                let v = b.str(self.text_of(s));
                built(v)
            }
            Some(b'n') if self.eat(b"null") => built(b.null()),
            Some(b't') if self.eat(b"true") => built(b.bool(true)),
            Some(b'f') if self.eat(b"false") => built(b.bool(false)),
            Some(b'N') if self.eat(b"NaN") => built(b.float(f64::NAN)),
            Some(b'I') if self.eat(b"Infinity") => built(b.float(f64::INFINITY)),
            Some(b'-') if self.eat(b"-Infinity") => built(b.float(f64::NEG_INFINITY)),
            Some(b'-' | b'0'..=b'9') => self.number(b),
            _ => Err(self.unsupported("Expecting value")),
        }
    }

    fn object<B: Build<'doc>>(&mut self, b: &mut B, depth: usize) -> R<B::Value, B::Error> {
        if depth > self.max_depth {
            return Err(self.unsupported("nesting deeper than the reader's limit"));
        }
        self.i += 1;
        let mut map = built(b.map())?;
        self.ws();
        if self.peek() == Some(b'}') {
            self.i += 1;
            return built(b.end_map(map));
        }
        loop {
            self.ws();
            if self.peek() != Some(b'"') {
                return Err(self.unsupported("Expecting property name enclosed in double quotes"));
            }
            let key = self.string()?;
            // A key decoded into the scratch buffer must outlive the value's own
            // strings, which reuse that buffer: take it out while the value is read.
            let key = match key {
                Found::Doc(from, to) => Key::Doc(from, to),
                Found::Scratch => Key::Owned(std::mem::take(&mut self.scratch)),
            };
            self.ws();
            if self.peek() != Some(b':') {
                return Err(self.unsupported("Expecting ':' delimiter"));
            }
            self.i += 1;
            self.ws();
            let v = self.value(b, depth)?;
            match key {
                Key::Doc(from, to) => {
                    built(b.insert(&mut map, Text::Doc(&self.text[from..to]), v))?
                }
                Key::Owned(k) => {
                    built(b.insert(&mut map, Text::Decoded(&k), v))?;
                    self.scratch = k; // the buffer back, for reuse
                }
            }
            self.ws();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b'}') => {
                    self.i += 1;
                    return built(b.end_map(map));
                }
                _ => return Err(self.unsupported("Expecting ',' delimiter")),
            }
        }
    }

    fn array<B: Build<'doc>>(&mut self, b: &mut B, depth: usize) -> R<B::Value, B::Error> {
        if depth > self.max_depth {
            return Err(self.unsupported("nesting deeper than the reader's limit"));
        }
        self.i += 1;
        let mut list = built(b.list())?;
        self.ws();
        if self.peek() == Some(b']') {
            self.i += 1;
            return built(b.end_list(list));
        }
        loop {
            self.ws();
            let v = self.value(b, depth)?;
            built(b.push(&mut list, v))?;
            self.ws();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b']') => {
                    self.i += 1;
                    return built(b.end_list(list));
                }
                _ => return Err(self.unsupported("Expecting ',' delimiter")),
            }
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.i;
        while let Some(b'0'..=b'9') = self.peek() {
            self.i += 1;
        }
        self.i - start
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?`, as Python's scanner: a
    /// fraction or exponent counts only when complete (else the number ends
    /// before it), and a number with either is a float.
    fn number<B: Build<'doc>>(&mut self, b: &mut B) -> R<B::Value, B::Error> {
        let start = self.i;
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        let int_start = self.i;
        match self.peek() {
            Some(b'0') => self.i += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(self.unsupported("Expecting value")),
        }
        // Plain integers of up to 18 digits (timestamps, ids) are exact in i64:
        // accumulate them here rather than re-scanning through `str::parse`.
        let n = self.i - int_start;
        if n <= 18 && !matches!(self.peek(), Some(b'.' | b'e' | b'E')) {
            let v = self.s[int_start..self.i]
                .iter()
                .fold(0i64, |acc, &d| acc * 10 + i64::from(d - b'0'));
            return built(b.int(if int_start > start { -v } else { v }));
        }
        let mut is_float = false;
        if self.peek() == Some(b'.') {
            let mark = self.i;
            self.i += 1;
            if self.digits() == 0 {
                self.i = mark;
            } else {
                is_float = true;
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            let mark = self.i;
            self.i += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.i += 1;
            }
            if self.digits() == 0 {
                self.i = mark;
            } else {
                is_float = true;
            }
        }
        let text = &self.text[start..self.i];
        if is_float {
            // Rust's parse rounds correctly, as Python's float() does.
            return match text.parse::<f64>() {
                Ok(f) => built(b.float(f)),
                Err(_) => Err(self.unsupported("float")),
            };
        }
        match text.parse::<i64>() {
            Ok(v) => built(b.int(v)),
            Err(_) if text.len() <= MAX_INT_DIGITS => built(b.big_int(text)),
            Err(_) => Err(self.unsupported("integer longer than the reader's limit")),
        }
    }

    fn hex4<E>(&mut self) -> R<u32, E> {
        let Some(h) = self.s.get(self.i..self.i + 4) else {
            return Err(self.unsupported("Invalid \\uXXXX escape"));
        };
        let mut v = 0u32;
        for &c in h {
            match char::from(c).to_digit(16) {
                Some(d) => v = v * 16 + d,
                None => return Err(self.unsupported("Invalid \\uXXXX escape")),
            }
        }
        self.i += 4;
        Ok(v)
    }

    fn text_of(&self, t: Found) -> Text<'doc, '_> {
        match t {
            Found::Doc(from, to) => Text::Doc(&self.text[from..to]),
            Found::Scratch => Text::Decoded(&self.scratch),
        }
    }

    /// The string at the cursor: a slice of the document when it has no escapes
    /// (the common case: no copy), else decoded into `scratch`.
    fn string<E>(&mut self) -> R<Found, E> {
        self.i += 1; // opening quote
        let start = self.i;
        self.plain_run();
        if self.peek() == Some(b'"') {
            self.i += 1;
            return Ok(Found::Doc(start, self.i - 1));
        }
        self.scratch.clear();
        self.scratch.push_str(&self.text[start..self.i]);
        loop {
            match self.peek() {
                Some(b'"') => {
                    self.i += 1;
                    return Ok(Found::Scratch);
                }
                Some(b'\\') => {
                    self.i += 1;
                    let Some(esc) = self.peek() else {
                        return Err(self.unsupported("Unterminated string"));
                    };
                    self.i += 1;
                    let ch = match esc {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{08}',
                        b'f' => '\u{0c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => return Err(self.unsupported("Invalid \\escape")),
                    };
                    self.scratch.push(ch);
                }
                // Control characters are errors in strict mode; so is the end.
                _ => {
                    return Err(self.unsupported("Invalid control character or unterminated string"))
                }
            }
            let from = self.i;
            self.plain_run();
            self.scratch.push_str(&self.text[from..self.i]);
        }
    }

    /// After `\u`: the character, joining a surrogate pair; a lone surrogate is
    /// Unsupported (Python makes a str a Rust `str` cannot hold).
    fn unicode_escape<E>(&mut self) -> R<char, E> {
        let hi = self.hex4()?;
        let code = if (0xd800..0xdc00).contains(&hi) && self.s[self.i..].starts_with(b"\\u") {
            let mark = self.i;
            self.i += 2;
            let lo = self.hex4()?;
            if (0xdc00..0xe000).contains(&lo) {
                0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00)
            } else {
                self.i = mark;
                hi
            }
        } else {
            hi
        };
        char::from_u32(code).ok_or_else(|| self.unsupported("lone surrogate"))
    }

    /// Advance over string bytes that need no decoding: up to a quote, a
    /// backslash, a control character or the end. (Multi-byte UTF-8 sequences
    /// never contain those bytes, so the cursor stays on a char boundary.)
    fn plain_run(&mut self) {
        let rest = self.s.get(self.i..).unwrap_or_default();
        // Eight bytes at a time while a whole word remains (no setup, so short
        // strings lose nothing), then the table for the tail.
        let mut at = 0;
        while let Some(word) = rest.get(at..at + 8) {
            let mut w = [0u8; 8];
            w.copy_from_slice(word);
            let stops = stop_bytes(u64::from_le_bytes(w));
            if stops != 0 {
                self.i += at + (stops.trailing_zeros() / 8) as usize;
                return;
            }
            at += 8;
        }
        let tail = &rest[at..];
        self.i += at
            + tail
                .iter()
                .position(|&c| STOP[usize::from(c)])
                .unwrap_or(tail.len());
    }
}

/// Where a string's text is: a range of the document, or the scratch buffer.
#[derive(Clone, Copy)]
enum Found {
    Doc(usize, usize),
    Scratch,
}

/// An object key while its value is read.
enum Key {
    Doc(usize, usize),
    Owned(String),
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pyjson::value::{parse, Value};

    /// The word test finds the same first stop byte as the table, for every
    /// byte value at every position of a word whose other bytes vary.
    #[test]
    fn word_scan_agrees_with_the_table() {
        let mut next = crate::test_rng::xorshift(0x5eed);
        for pos in 0..8 {
            for b in 0..=255u8 {
                for _ in 0..8 {
                    let mut w = next().to_le_bytes();
                    w[pos] = b;
                    let first = w.iter().position(|&c| STOP[usize::from(c)]);
                    let stops = stop_bytes(u64::from_le_bytes(w));
                    let found = (stops != 0).then(|| (stops.trailing_zeros() / 8) as usize);
                    assert_eq!(found, first, "{w:?}");
                }
            }
        }
    }

    /// Strings of every length up to three words, with a quote, backslash
    /// escape or control character at every offset, read as the text says.
    #[test]
    fn strings_around_word_boundaries() {
        for len in 0..26 {
            let body: String = (0..len)
                .map(|i| char::from(b'a' + (i % 26) as u8))
                .collect();
            let doc = format!("\"{body}\"");
            assert_eq!(parse(doc.as_bytes()), Ok(Value::Str(body.clone().into())));
            for at in 0..len {
                let escaped = format!("\"{}\\n{}\"", &body[..at], &body[at..]);
                let want = format!("{}\n{}", &body[..at], &body[at..]);
                assert_eq!(parse(escaped.as_bytes()), Ok(Value::Str(want.into())));
                let raw_control = format!("\"{}\u{1}{}\"", &body[..at], &body[at..]);
                assert!(parse(raw_control.as_bytes()).is_err(), "{raw_control:?}");
                let multibyte = format!("\"{}é{}\"", &body[..at], &body[at..]);
                let want = format!("{}é{}", &body[..at], &body[at..]);
                assert_eq!(parse(multibyte.as_bytes()), Ok(Value::Str(want.into())));
            }
        }
    }
}
