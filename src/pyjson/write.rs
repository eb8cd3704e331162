//! The pieces of JSON text as `json.dumps` writes them: strings (with
//! `ensure_ascii` either way), floats (`float.__repr__`, and
//! `NaN`/`Infinity`/`-Infinity`) and integers.

/// Where the text goes: the JWT writer builds bytes, the signing writers a `String`.
pub trait Sink {
    fn put(&mut self, text: &str);
    fn put_byte(&mut self, ascii: u8);
    /// ASCII bytes (digits, escapes): no UTF-8 re-validation on the hot path.
    fn put_ascii(&mut self, ascii: &[u8]) {
        for &b in ascii {
            self.put_byte(b);
        }
    }
}

impl Sink for Vec<u8> {
    #[inline]
    fn put(&mut self, text: &str) {
        self.extend_from_slice(text.as_bytes());
    }
    #[inline]
    fn put_byte(&mut self, ascii: u8) {
        self.push(ascii);
    }
    #[inline]
    fn put_ascii(&mut self, ascii: &[u8]) {
        self.extend_from_slice(ascii);
    }
}

impl Sink for String {
    #[inline]
    fn put(&mut self, text: &str) {
        self.push_str(text);
    }
    #[inline]
    fn put_byte(&mut self, ascii: u8) {
        self.push(char::from(ascii));
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

fn put_u_escape<S: Sink>(out: &mut S, unit: u32) {
    out.put("\\u");
    for shift in [12, 8, 4, 0] {
        out.put_byte(HEX[((unit >> shift) & 0xf) as usize]);
    }
}

/// Whether `json.dumps` copies this character as it is.
#[inline]
fn plain(ch: char, ensure_ascii: bool) -> bool {
    match ch {
        '"' | '\\' => false,
        ' '..='~' => true,
        _ => !ensure_ascii && ch >= '\u{7f}',
    }
}

/// `s` as a JSON string literal: `"`, `\` and the C0 controls escaped (the
/// short forms `\n \r \t \b \f` where they exist, else `\u00XX` in lowercase
/// hex); with `ensure_ascii` also everything from U+007F up, astral
/// characters as surrogate pairs.
pub fn write_str<S: Sink>(out: &mut S, s: &str, ensure_ascii: bool) {
    out.put_byte(b'"');
    // Most strings (claim names, ids, URLs) are printable ASCII without quotes or
    // backslashes: one branch-free scan over the bytes, then one copy.
    if s.bytes().fold(true, |ok, b| {
        ok & (b' '..=b'~').contains(&b) & (b != b'"') & (b != b'\\')
    }) {
        out.put(s);
        out.put_byte(b'"');
        return;
    }
    // Copy runs of plain characters at once; most strings are one run.
    let mut run = 0;
    for (i, ch) in s.char_indices() {
        if plain(ch, ensure_ascii) {
            continue;
        }
        out.put(&s[run..i]);
        run = i + ch.len_utf8();
        match ch {
            '"' => out.put("\\\""),
            '\\' => out.put("\\\\"),
            '\n' => out.put("\\n"),
            '\r' => out.put("\\r"),
            '\t' => out.put("\\t"),
            '\u{8}' => out.put("\\b"),
            '\u{c}' => out.put("\\f"),
            _ => {
                let mut units = [0u16; 2];
                for unit in ch.encode_utf16(&mut units) {
                    put_u_escape(out, u32::from(*unit));
                }
            }
        }
    }
    out.put(&s[run..]);
    out.put_byte(b'"');
}

/// `v` as `float.__repr__` writes it, with `json.dumps`'s `NaN`, `Infinity`
/// and `-Infinity` for the non-finite values.
pub fn write_float<S: Sink>(out: &mut S, v: f64) {
    if v.is_nan() {
        out.put("NaN");
        return;
    }
    if v.is_infinite() {
        out.put(if v > 0.0 { "Infinity" } else { "-Infinity" });
        return;
    }
    let (negative, digits, exp) = crate::pyfloat::repr_parts(v);
    // `repr_parts` writes ASCII digits only.
    let digits = std::str::from_utf8(&digits).unwrap_or("0"); // ok: ASCII by construction
    let n = digits.len() as i32;
    let point = exp + 1; // value = 0.DIGITS × 10^point
    if negative {
        out.put_byte(b'-');
    }
    // repr switches to exponent form when the decimal point would sit more
    // than 16 places right, or 4 or more places left, of the first digit.
    if -4 < point && point <= 16 {
        if point <= 0 {
            out.put("0.");
            for _ in 0..-point {
                out.put_byte(b'0');
            }
            out.put(digits);
        } else if point < n {
            out.put(&digits[..point as usize]);
            out.put_byte(b'.');
            out.put(&digits[point as usize..]);
        } else {
            out.put(digits);
            for _ in n..point {
                out.put_byte(b'0');
            }
            out.put(".0");
        }
    } else {
        out.put(&digits[..1]);
        if n > 1 {
            out.put_byte(b'.');
            out.put(&digits[1..]);
        }
        let e = point - 1;
        out.put(if e < 0 { "e-" } else { "e+" });
        if e.abs() < 10 {
            out.put_byte(b'0');
        }
        write_int(out, i64::from(e.abs()));
    }
}

/// An integer in decimal, without allocating.
pub fn write_int<S: Sink>(out: &mut S, v: i64) {
    // Two digits per division (a timestamp is 10 digits).
    const PAIRS: &[u8; 200] = b"0001020304050607080910111213141516171819\
        2021222324252627282930313233343536373839\
        4041424344454647484950515253545556575859\
        6061626364656667686970717273747576777879\
        8081828384858687888990919293949596979899";
    let mut buf = [0u8; 20];
    let mut n = v.unsigned_abs();
    let mut i = buf.len();
    while n >= 100 {
        let d = (n % 100) as usize * 2;
        n /= 100;
        i -= 2;
        buf[i..i + 2].copy_from_slice(&PAIRS[d..d + 2]);
    }
    if n >= 10 {
        let d = n as usize * 2;
        i -= 2;
        buf[i..i + 2].copy_from_slice(&PAIRS[d..d + 2]);
    } else {
        i -= 1;
        buf[i] = b'0' + n as u8;
    }
    if v < 0 {
        out.put_byte(b'-');
    }
    out.put_ascii(&buf[i..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str, ensure_ascii: bool) -> String {
        let mut bytes = Vec::new();
        write_str(&mut bytes, v, ensure_ascii);
        let mut text = String::new();
        write_str(&mut text, v, ensure_ascii);
        assert_eq!(
            text.as_bytes(),
            &bytes[..],
            "both sinks write the same text"
        );
        text
    }

    fn f(v: f64) -> String {
        let mut text = String::new();
        write_float(&mut text, v);
        text
    }

    #[test]
    fn strings_with_ensure_ascii() {
        // Expected values are what CPython's json.dumps prints for these inputs.
        assert_eq!(s("abc", true), r#""abc""#);
        assert_eq!(s("a\"b\\c", true), r#""a\"b\\c""#);
        assert_eq!(s("\n\r\t\u{8}\u{c}", true), r#""\n\r\t\b\f""#);
        assert_eq!(s("\u{0}\u{1f}\u{7f}", true), r#""\u0000\u001f\u007f""#);
        assert_eq!(s("é€", true), r#""\u00e9\u20ac""#);
        assert_eq!(s("😀", true), r#""\ud83d\ude00""#);
        assert_eq!(s("x😀y", true), r#""x\ud83d\ude00y""#);
        assert_eq!(s("/", true), r#""/""#);
        assert_eq!(s("", true), r#""""#);
    }

    #[test]
    fn strings_without_ensure_ascii() {
        // json.dumps(..., ensure_ascii=False): only quotes, backslashes and C0 controls.
        assert_eq!(s("a\u{7f}é😀\u{1}", false), "\"a\u{7f}é😀\\u0001\"");
        assert_eq!(s("\"\\\n", false), r#""\"\\\n""#);
    }

    #[test]
    // 562949953421312.25 is written as the exact binary value it is (a tie
    // that repr rounds to even), not as the shortest text that reads back.
    #[allow(clippy::excessive_precision)]
    fn floats_match_python_repr() {
        let cases: &[(f64, &str)] = &[
            (0.0, "0.0"),
            (-0.0, "-0.0"),
            (1.0, "1.0"),
            (1.5, "1.5"),
            (0.1, "0.1"),
            (-2.5, "-2.5"),
            (-12.25, "-12.25"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (0.000123, "0.000123"),
            (1e15, "1000000000000000.0"),
            (1e16, "1e+16"),
            (1.5e16, "1.5e+16"),
            (1e22, "1e+22"),
            (123456789012345678.0, "1.2345678901234568e+17"),
            (1234567890123456.7, "1234567890123456.8"),
            (562949953421312.25, "562949953421312.2"),
            (5e-324, "5e-324"),
            (1.5e300, "1.5e+300"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
            (1e100, "1e+100"),
            (f64::NAN, "NaN"),
            (f64::INFINITY, "Infinity"),
            (f64::NEG_INFINITY, "-Infinity"),
        ];
        for (v, want) in cases {
            assert_eq!(f(*v), *want, "{v:?}");
        }
    }

    #[test]
    fn integers() {
        for (v, want) in [
            (0, "0"),
            (-7, "-7"),
            (10, "10"),
            (99, "99"),
            (100, "100"),
            (-1005, "-1005"),
            (1_700_000_000, "1700000000"),
            (i64::MAX, "9223372036854775807"),
            (i64::MIN, "-9223372036854775808"),
        ] {
            let mut out = Vec::new();
            write_int(&mut out, v);
            assert_eq!(out, want.as_bytes());
        }
        for v in (-20_000..20_000).chain((0..64).map(|k| 1i64 << k)) {
            let mut out = String::new();
            write_int(&mut out, v);
            assert_eq!(out, v.to_string());
        }
    }
}
