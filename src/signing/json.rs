//! The JSON text of a serializer's `dumps`, as its `json.dumps` call writes it.
//!
//! [`Writer`] adds the configured separators around the strings, floats and
//! integers from [`crate::pyjson`]; the binding walks Python objects and drives
//! it. Reading goes through [`crate::pyjson::read`].

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
}
