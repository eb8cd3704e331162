//! Encoding: the binding calls one method per value, depth-first.

use super::{tag, Container, Date, Offset, Time, TimeDelta, MAGIC, VERSION};

pub struct Writer {
    buf: Vec<u8>,
}

impl Default for Writer {
    fn default() -> Self {
        Self::new()
    }
}

impl Writer {
    pub fn new() -> Writer {
        Writer {
            buf: vec![MAGIC, VERSION],
        }
    }

    pub fn finish(self) -> Vec<u8> {
        self.buf
    }

    pub fn none(&mut self) {
        self.buf.push(tag::NONE);
    }

    pub fn bool(&mut self, value: bool) {
        self.buf.push(if value { tag::TRUE } else { tag::FALSE });
    }

    pub fn int(&mut self, value: i64) {
        self.buf.push(tag::INT);
        self.varint(zigzag(value));
    }

    /// An integer outside i64: sign and little-endian magnitude.
    pub fn big_int(&mut self, negative: bool, magnitude_le: &[u8]) {
        self.buf.push(tag::BIG_INT);
        self.buf.push(negative as u8);
        self.blob(magnitude_le);
    }

    pub fn float(&mut self, value: f64) {
        self.buf.push(tag::FLOAT);
        self.buf.extend_from_slice(&value.to_bits().to_le_bytes());
    }

    pub fn str(&mut self, value: &str) {
        self.buf.push(tag::STR);
        self.blob(value.as_bytes());
    }

    pub fn bytes(&mut self, value: &[u8]) {
        self.buf.push(tag::BYTES);
        self.blob(value);
    }

    /// Start a container of `len` items (pairs for a dict); the items follow.
    pub fn begin(&mut self, kind: Container, len: usize) {
        self.buf.push(match kind {
            Container::List => tag::LIST,
            Container::Tuple => tag::TUPLE,
            Container::Dict => tag::DICT,
            Container::Set => tag::SET,
            Container::FrozenSet => tag::FROZENSET,
        });
        self.varint(len as u64);
    }

    pub fn datetime(&mut self, date: Date, time: Time) {
        self.buf.push(tag::DATETIME);
        self.date_fields(date);
        self.time_fields(time);
    }

    pub fn date(&mut self, date: Date) {
        self.buf.push(tag::DATE);
        self.date_fields(date);
    }

    pub fn time(&mut self, time: Time) {
        self.buf.push(tag::TIME);
        self.time_fields(time);
    }

    pub fn timedelta(&mut self, delta: TimeDelta) {
        self.buf.push(tag::TIMEDELTA);
        self.varint(zigzag(delta.days));
        self.varint(delta.seconds as u64);
        self.varint(delta.microseconds as u64);
    }

    pub fn uuid(&mut self, value: [u8; 16]) {
        self.buf.push(tag::UUID);
        self.buf.extend_from_slice(&value);
    }

    /// A Decimal as its canonical text (`str(Decimal)`), which round-trips exactly.
    pub fn decimal(&mut self, text: &str) {
        self.buf.push(tag::DECIMAL);
        self.blob(text.as_bytes());
    }

    fn date_fields(&mut self, date: Date) {
        self.varint(date.year as u64);
        self.buf.extend_from_slice(&[date.month, date.day]);
    }

    fn time_fields(&mut self, time: Time) {
        self.buf
            .extend_from_slice(&[time.hour, time.minute, time.second]);
        self.varint(time.microsecond as u64);
        self.buf.push(time.fold as u8);
        match time.offset {
            None => self.buf.push(0),
            Some(Offset {
                seconds,
                microseconds,
            }) => {
                self.buf.push(1);
                self.varint(zigzag(seconds));
                self.varint(microseconds as u64);
            }
        }
    }

    fn blob(&mut self, bytes: &[u8]) {
        self.varint(bytes.len() as u64);
        self.buf.extend_from_slice(bytes);
    }

    fn varint(&mut self, mut value: u64) {
        while value >= 0x80 {
            self.buf.push((value as u8) | 0x80);
            value >>= 7;
        }
        self.buf.push(value as u8);
    }
}

fn zigzag(value: i64) -> u64 {
    ((value << 1) ^ (value >> 63)) as u64
}
