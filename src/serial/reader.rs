//! Decoding: a pull parser over a payload, checked at every step.

use super::{
    tag, Container, Date, Limits, Offset, SerialError, Time, TimeDelta, MAGIC, PICKLE_PROTO,
    VERSION,
};

/// One decoded item. Containers give their count; their items follow.
#[derive(Debug, Clone, PartialEq)]
pub enum Item<'a> {
    None,
    Bool(bool),
    Int(i64),
    BigInt {
        negative: bool,
        magnitude_le: &'a [u8],
    },
    Float(f64),
    Str(&'a str),
    Bytes(&'a [u8]),
    Begin(Container, usize),
    DateTime(Date, Time),
    Date(Date),
    Time(Time),
    TimeDelta(TimeDelta),
    Uuid([u8; 16]),
    Decimal(&'a str),
}

pub struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
    limits: Limits,
}

type Result<T> = std::result::Result<T, SerialError>;

impl<'a> Reader<'a> {
    /// Check the header and size; the first `item` returns the top-level item.
    pub fn new(data: &'a [u8], limits: Limits) -> Result<Reader<'a>> {
        if data.len() > limits.max_size {
            return Err(SerialError::TooLarge {
                size: data.len(),
                max: limits.max_size,
            });
        }
        match data {
            [MAGIC, VERSION, ..] => Ok(Reader {
                data,
                pos: 2,
                limits,
            }),
            [MAGIC, version, ..] => Err(SerialError::NotOurs(format!(
                "format version {version} is not supported"
            ))),
            [PICKLE_PROTO, ..] => Err(SerialError::LegacyPickle),
            [] => Err(SerialError::Truncated),
            _ => Err(SerialError::NotOurs("unknown header".into())),
        }
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Error unless every byte was consumed.
    pub fn finish(&self) -> Result<()> {
        if self.pos != self.data.len() {
            return Err(SerialError::Malformed(format!(
                "{} trailing bytes",
                self.data.len() - self.pos
            )));
        }
        Ok(())
    }

    pub fn item(&mut self) -> Result<Item<'a>> {
        let tag = self.byte()?;
        Ok(match tag {
            tag::NONE => Item::None,
            tag::FALSE => Item::Bool(false),
            tag::TRUE => Item::Bool(true),
            tag::INT => Item::Int(unzigzag(self.varint()?)),
            tag::BIG_INT => {
                let negative = match self.byte()? {
                    0 => false,
                    1 => true,
                    _ => return Err(malformed("bad integer sign")),
                };
                Item::BigInt {
                    negative,
                    magnitude_le: self.blob()?,
                }
            }
            tag::FLOAT => Item::Float(f64::from_bits(u64::from_le_bytes(self.array()?))),
            tag::STR => Item::Str(
                std::str::from_utf8(self.blob()?).map_err(|_| malformed("string is not UTF-8"))?,
            ),
            tag::BYTES => Item::Bytes(self.blob()?),
            tag::LIST => Item::Begin(Container::List, self.count(1)?),
            tag::TUPLE => Item::Begin(Container::Tuple, self.count(1)?),
            tag::DICT => Item::Begin(Container::Dict, self.count(2)?),
            tag::SET => Item::Begin(Container::Set, self.count(1)?),
            tag::FROZENSET => Item::Begin(Container::FrozenSet, self.count(1)?),
            tag::DATETIME => {
                let date = self.date_fields()?;
                Item::DateTime(date, self.time_fields()?)
            }
            tag::DATE => Item::Date(self.date_fields()?),
            tag::TIME => Item::Time(self.time_fields()?),
            tag::TIMEDELTA => Item::TimeDelta(TimeDelta {
                days: unzigzag(self.varint()?),
                seconds: self.small()?,
                microseconds: self.small()?,
            }),
            tag::UUID => Item::Uuid(self.array()?),
            tag::DECIMAL => {
                let text = std::str::from_utf8(self.blob()?)
                    .map_err(|_| malformed("decimal is not text"))?;
                Item::Decimal(text)
            }
            other => return Err(malformed(&format!("unknown tag 0x{other:02x}"))),
        })
    }

    fn byte(&mut self) -> Result<u8> {
        let b = *self.data.get(self.pos).ok_or(SerialError::Truncated)?;
        self.pos += 1;
        Ok(b)
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.data.len())
            .ok_or(SerialError::Truncated)?;
        let slice = &self.data[self.pos..end];
        self.pos = end;
        Ok(slice)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N]> {
        let slice = self.take(N)?;
        let mut out = [0u8; N];
        out.copy_from_slice(slice);
        Ok(out)
    }

    fn varint(&mut self) -> Result<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            value |= ((b & 0x7f) as u64) << shift;
            if b & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(malformed("integer field is too long"))
    }

    fn small<T: TryFrom<u64>>(&mut self) -> Result<T> {
        T::try_from(self.varint()?).map_err(|_| malformed("field out of range"))
    }

    fn blob(&mut self) -> Result<&'a [u8]> {
        let len: usize = self.small()?;
        self.take(len)
    }

    /// A container count; each element takes at least one byte per slot, so a
    /// count larger than what is left is a lie that could make us preallocate.
    fn count(&mut self, slots_per_item: usize) -> Result<usize> {
        let n: usize = self.small()?;
        let remaining = self.data.len() - self.pos;
        if n.checked_mul(slots_per_item)
            .is_none_or(|needed| needed > remaining)
        {
            return Err(SerialError::Truncated);
        }
        Ok(n)
    }

    fn date_fields(&mut self) -> Result<Date> {
        let year = self.small()?;
        let [month, day] = self.array()?;
        Ok(Date { year, month, day })
    }

    fn time_fields(&mut self) -> Result<Time> {
        let [hour, minute, second] = self.array()?;
        let microsecond = self.small()?;
        let fold = self.byte()? == 1;
        let offset = match self.byte()? {
            0 => None,
            1 => Some(Offset {
                seconds: unzigzag(self.varint()?),
                microseconds: self.small()?,
            }),
            _ => return Err(malformed("bad time zone marker")),
        };
        Ok(Time {
            hour,
            minute,
            second,
            microsecond,
            fold,
            offset,
        })
    }
}

fn malformed(why: &str) -> SerialError {
    SerialError::Malformed(why.to_string())
}

fn unzigzag(value: u64) -> i64 {
    ((value >> 1) as i64) ^ -((value & 1) as i64)
}
