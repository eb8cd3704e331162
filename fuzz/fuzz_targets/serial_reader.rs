//! The safe serializer's reader (src/serial/reader.rs), walked the way the
//! binding walks it (containers give their counts, depth limited): it never
//! panics, and whatever it accepts, the writer re-encodes to bytes that read
//! back to the same items and re-encode identically.
#![no_main]
use ferroauth::serial::{Item, Limits, Reader, Writer};
use libfuzzer_sys::fuzz_target;

const LIMITS: Limits = Limits {
    max_size: 1 << 16,
    max_depth: 16,
};

/// Every item of one payload in order, or `None` where reading fails.
fn read_all(data: &[u8]) -> Option<Vec<String>> {
    let mut r = Reader::new(data, LIMITS).ok()?;
    let mut items = Vec::new();
    // Items still to read in each open container.
    let mut pending: Vec<usize> = vec![1];
    while let Some(left) = pending.last_mut() {
        if *left == 0 {
            pending.pop();
            continue;
        }
        *left -= 1;
        let item = r.item().ok()?;
        if let Item::Begin(kind, n) = item {
            if pending.len() > LIMITS.max_depth {
                return None;
            }
            let slots = if kind == ferroauth::serial::Container::Dict {
                2 * n
            } else {
                n
            };
            pending.push(slots);
        }
        items.push(format!("{item:?}"));
    }
    r.finish().ok()?;
    Some(items)
}

fn write(item: &Item<'_>, w: &mut Option<&mut Writer>) {
    let Some(w) = w else { return };
    match *item {
        Item::None => w.none(),
        Item::Bool(b) => w.bool(b),
        Item::Int(i) => w.int(i),
        Item::BigInt {
            negative,
            magnitude_le,
        } => w.big_int(negative, magnitude_le),
        Item::Float(f) => w.float(f),
        Item::Str(s) => w.str(s),
        Item::Bytes(b) => w.bytes(b),
        Item::Begin(kind, n) => w.begin(kind, n),
        Item::DateTime(d, t) => w.datetime(d, t),
        Item::Date(d) => w.date(d),
        Item::Time(t) => w.time(t),
        Item::TimeDelta(td) => w.timedelta(td),
        Item::Uuid(u) => w.uuid(u),
        Item::Decimal(s) => w.decimal(s),
    }
}

/// Re-encode a payload the reader accepts.
fn rewrite(data: &[u8]) -> Vec<u8> {
    let mut w = Writer::new();
    let mut r = Reader::new(data, LIMITS).unwrap();
    let mut pending: Vec<usize> = vec![1];
    while let Some(left) = pending.last_mut() {
        if *left == 0 {
            pending.pop();
            continue;
        }
        *left -= 1;
        let item = r.item().unwrap();
        if let Item::Begin(kind, n) = item {
            let slots = if kind == ferroauth::serial::Container::Dict {
                2 * n
            } else {
                n
            };
            pending.push(slots);
        }
        write(&item, &mut Some(&mut w));
    }
    w.finish()
}

fuzz_target!(|data: &[u8]| {
    let Some(items) = read_all(data) else {
        return;
    };
    let encoded = rewrite(data);
    assert_eq!(
        read_all(&encoded).as_ref(),
        Some(&items),
        "re-encoding changed the items"
    );
    assert_eq!(rewrite(&encoded), encoded, "re-encoding is not stable");
});
