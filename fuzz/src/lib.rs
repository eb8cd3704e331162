//! Helpers shared by the fuzz targets: splitting the fuzzer's bytes into
//! choices, and value comparisons that treat NaN as equal to itself (a
//! round trip of `NaN` is correct even though `NaN != NaN`).

/// The first byte picks one of `options`; the rest is the input proper.
pub fn pick<'a, T>(data: &'a [u8], options: &'a [T]) -> Option<(&'a T, &'a [u8])> {
    let (&first, rest) = data.split_first()?;
    Some((&options[first as usize % options.len()], rest))
}

/// Floats equal as values, with NaN equal to NaN and 0.0 distinct from -0.0.
pub fn same_f64(a: f64, b: f64) -> bool {
    (a.is_nan() && b.is_nan()) || a.to_bits() == b.to_bits()
}

/// Stored-hash prefixes by family, so each family has a target that spends its
/// time past the scheme dispatch in `password::format::parse`.
pub mod prefixes {
    pub const PHC: &[&str] = &["$argon2id$", "$argon2i$", "$argon2d$", "$scrypt$"];
    pub const WERKZEUG: &[&str] = &["pbkdf2:", "scrypt:", "pbkdf2$", "scrypt$"];
    pub const DJANGO: &[&str] = &[
        "pbkdf2_sha256$",
        "pbkdf2_sha1$",
        "argon2$",
        "bcrypt_sha256$",
        "bcrypt$",
        "md5$",
        "scrypt$",
    ];
    pub const PASSLIB: &[&str] = &[
        "$pbkdf2$",
        "$pbkdf2-sha256$",
        "$pbkdf2-sha512$",
        "$bcrypt-sha256$",
        "$5$",
        "$6$",
    ];
    pub const BCRYPT: &[&str] = &["$2a$", "$2b$", "$2y$", "$2x$"];
}

/// Parse a stored hash and check what must hold for every hash we accept:
/// rendering it gives a string that parses back to the same hash (now
/// canonical) and renders identically again. (Rendering need not give back the
/// input itself: the peers accept leading zeros in numbers, non-canonical
/// base64 tail bits and werkzeug's bare `scrypt$`, and so do we.)
pub fn check_stored_hash(stored: &str) {
    use ferroauth::password::{self, format};
    let Ok(hash) = password::parse(stored) else {
        return;
    };
    let _ = password::describe(&hash);
    let rendered = format::render(&hash);
    let again = match password::parse(&rendered) {
        Ok(h) => h,
        Err(e) => panic!("{stored:?} parsed, but its rendering {rendered:?} does not: {e}"),
    };
    assert!(again.canonical, "rendering {rendered:?} is not canonical");
    assert_eq!(
        (again.scheme, &again.kdf, again.variant, &again.salt),
        (hash.scheme, &hash.kdf, hash.variant, &hash.salt),
        "{stored:?} -> {rendered:?} changed the hash"
    );
    if !hash.digest.is_empty() {
        assert_eq!(again.digest, hash.digest, "{stored:?} -> {rendered:?}");
    }
    assert_eq!(format::render(&again), rendered, "rendering is not stable");
}

/// Build a stored hash from the target's prefix list and check it.
pub fn fuzz_family(data: &[u8], prefixes: &[&str]) {
    let Some((prefix, rest)) = pick(data, prefixes) else {
        return;
    };
    let stored = format!("{prefix}{}", String::from_utf8_lossy(rest));
    check_stored_hash(&stored);
}

/// Rendering and comparing the crate's JSON tree, whichever builder made it
/// (`pyjson::value::parse` or the JWT reader `jwt::parse::parse`).
pub mod pyjson {
    use ferroauth::pyjson::value::Value;
    use ferroauth::signing::json::{Style, Writer};

    /// `json.dumps(v)` with its default separators and `ensure_ascii`, as
    /// PyJWT writes token JSON.
    pub const DUMPS_DEFAULT: Style = Style {
        compact: false,
        ensure_ascii: true,
    };

    pub fn render(v: &Value, w: &mut Writer) {
        match v {
            Value::Null => w.null(),
            Value::Bool(b) => w.bool(*b),
            Value::Int(i) => w.int(*i),
            Value::BigInt(digits) => w.raw(digits),
            Value::Float(f) => w.float(*f),
            Value::Str(s) => w.string(s),
            Value::Array(items) => {
                w.out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        w.item_sep();
                    }
                    render(item, w);
                }
                w.out.push(']');
            }
            Value::Object(members) => {
                w.out.push('{');
                for (i, (k, item)) in members.iter().enumerate() {
                    if i > 0 {
                        w.item_sep();
                    }
                    w.string(k);
                    w.key_sep();
                    render(item, w);
                }
                w.out.push('}');
            }
        }
    }

    pub fn to_string(v: &Value, style: Style) -> String {
        let mut w = Writer::new(style);
        render(v, &mut w);
        w.out
    }

    pub fn same(a: &Value, b: &Value) -> bool {
        match (a, b) {
            (Value::Float(x), Value::Float(y)) => crate::same_f64(*x, *y),
            (Value::Array(x), Value::Array(y)) => {
                x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
            }
            (Value::Object(x), Value::Object(y)) => {
                x.len() == y.len()
                    && x.iter()
                        .zip(y)
                        .all(|((k1, v1), (k2, v2))| k1 == k2 && same(v1, v2))
            }
            _ => a == b,
        }
    }
}
