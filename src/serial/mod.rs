//! The safe serializer's wire format: a typed, versioned binary encoding of
//! Python session and cache values that never executes code.
//!
//! The core knows nothing of Python objects. The binding walks Python values
//! and calls the [`Writer`]; decoding pulls [`Item`]s from the [`Reader`] and
//! builds objects directly, so no intermediate tree is allocated.
//!
//! Layout: `MAGIC`, `VERSION`, then one item. An item is a tag byte followed by
//! its payload; containers give their element count and their elements follow.

mod reader;
mod writer;

pub use reader::{Item, Reader};
pub use writer::Writer;

use std::fmt;

/// First byte of every payload; pickle protocol 2+ starts with 0x80 instead.
pub const MAGIC: u8 = 0xfa;
pub const VERSION: u8 = 1;
/// Pickle protocol 2 and later begin with the PROTO opcode.
pub const PICKLE_PROTO: u8 = 0x80;

pub(crate) mod tag {
    pub const NONE: u8 = 0x00;
    pub const FALSE: u8 = 0x01;
    pub const TRUE: u8 = 0x02;
    pub const INT: u8 = 0x03;
    pub const BIG_INT: u8 = 0x04;
    pub const FLOAT: u8 = 0x05;
    pub const STR: u8 = 0x06;
    pub const BYTES: u8 = 0x07;
    pub const LIST: u8 = 0x08;
    pub const TUPLE: u8 = 0x09;
    pub const DICT: u8 = 0x0a;
    pub const SET: u8 = 0x0b;
    pub const FROZENSET: u8 = 0x0c;
    pub const DATETIME: u8 = 0x0d;
    pub const DATE: u8 = 0x0e;
    pub const TIME: u8 = 0x0f;
    pub const TIMEDELTA: u8 = 0x10;
    pub const UUID: u8 = 0x11;
    pub const DECIMAL: u8 = 0x12;
}

/// Container kinds: their items follow the count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Container {
    List,
    Tuple,
    /// `len` is the number of key/value pairs.
    Dict,
    Set,
    FrozenSet,
}

/// A UTC offset (what `tzinfo.utcoffset()` returns), or none for naive values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Offset {
    pub seconds: i64,
    pub microseconds: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Time {
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
    pub microsecond: u32,
    pub fold: bool,
    pub offset: Option<Offset>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeDelta {
    pub days: i64,
    pub seconds: u32,
    pub microseconds: u32,
}

/// Bounds on what decoding accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest payload in bytes (default 16 MiB).
    pub max_size: usize,
    /// Deepest container nesting (default 64).
    pub max_depth: usize,
}

impl Limits {
    pub const DEFAULT: Limits = Limits {
        max_size: 16 << 20,
        max_depth: 64,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SerialError {
    /// A pickle payload: never unpickled implicitly.
    LegacyPickle,
    /// Not a ferroauth payload, or a version this build does not read.
    NotOurs(String),
    Truncated,
    Malformed(String),
    TooLarge {
        size: usize,
        max: usize,
    },
    TooDeep {
        max: usize,
    },
}

impl fmt::Display for SerialError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::LegacyPickle => f.write_str(
                "this is a pickle payload; ferroauth never unpickles implicitly (pass allow_pickle=True to migrate trusted data)",
            ),
            Self::NotOurs(why) => write!(f, "not a ferroauth payload: {why}"),
            Self::Truncated => f.write_str("payload is truncated"),
            Self::Malformed(why) => write!(f, "malformed payload: {why}"),
            Self::TooLarge { size, max } => write!(f, "payload of {size} bytes exceeds the limit of {max} bytes"),
            Self::TooDeep { max } => write!(f, "payload nests containers deeper than {max} levels"),
        }
    }
}

impl std::error::Error for SerialError {}

#[cfg(test)]
mod tests;
