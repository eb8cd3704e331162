use super::*;

fn sample() -> Vec<u8> {
    let mut w = Writer::new();
    w.begin(Container::Dict, 3);
    w.str("user");
    w.int(-42);
    w.str("when");
    w.datetime(
        Date {
            year: 2026,
            month: 11,
            day: 23,
        },
        Time {
            hour: 1,
            minute: 2,
            second: 3,
            microsecond: 456,
            fold: false,
            offset: Some(Offset {
                seconds: -3600,
                microseconds: 0,
            }),
        },
    );
    w.begin(Container::Tuple, 2);
    w.big_int(true, &[1, 0, 0, 0, 0, 0, 0, 0, 1]);
    w.float(f64::NAN);
    w.begin(Container::Set, 0);
    w.finish()
}

#[test]
fn round_trip_items() {
    let data = sample();
    let mut r = Reader::new(&data, Limits::DEFAULT).unwrap();
    assert_eq!(r.item().unwrap(), Item::Begin(Container::Dict, 3));
    assert_eq!(r.item().unwrap(), Item::Str("user"));
    assert_eq!(r.item().unwrap(), Item::Int(-42));
    assert_eq!(r.item().unwrap(), Item::Str("when"));
    match r.item().unwrap() {
        Item::DateTime(d, t) => {
            assert_eq!((d.year, d.month, d.day, t.microsecond), (2026, 11, 23, 456));
            assert_eq!(
                t.offset,
                Some(Offset {
                    seconds: -3600,
                    microseconds: 0
                })
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(r.item().unwrap(), Item::Begin(Container::Tuple, 2));
    assert_eq!(
        r.item().unwrap(),
        Item::BigInt {
            negative: true,
            magnitude_le: &[1, 0, 0, 0, 0, 0, 0, 0, 1]
        }
    );
    match r.item().unwrap() {
        Item::Float(f) => assert!(f.is_nan()),
        other => panic!("{other:?}"),
    }
    assert_eq!(r.item().unwrap(), Item::Begin(Container::Set, 0));
    r.finish().unwrap();
}

#[test]
fn int_extremes_round_trip() {
    for v in [0, 1, -1, 63, -64, i64::MAX, i64::MIN] {
        let mut w = Writer::new();
        w.int(v);
        let data = w.finish();
        assert_eq!(
            Reader::new(&data, Limits::DEFAULT).unwrap().item().unwrap(),
            Item::Int(v)
        );
    }
}

#[test]
fn every_truncation_is_an_error_never_a_panic() {
    let data = sample();
    for cut in 0..data.len() {
        let result = std::panic::catch_unwind(|| {
            let mut r = Reader::new(&data[..cut], Limits::DEFAULT)?;
            for _ in 0..20 {
                r.item()?;
            }
            r.finish()
        });
        assert!(matches!(result, Ok(Err(_))), "cut at {cut}");
    }
}

#[test]
fn headers_sizes_and_lying_counts() {
    assert_eq!(
        Reader::new(b"\x80\x04\x95", Limits::DEFAULT).err(),
        Some(SerialError::LegacyPickle)
    );
    assert!(matches!(
        Reader::new(b"\xfa\x09", Limits::DEFAULT).err(),
        Some(SerialError::NotOurs(_))
    ));
    assert!(matches!(
        Reader::new(b"{}", Limits::DEFAULT).err(),
        Some(SerialError::NotOurs(_))
    ));
    let small = Limits {
        max_size: 4,
        max_depth: 8,
    };
    assert!(matches!(
        Reader::new(&sample(), small).err(),
        Some(SerialError::TooLarge { .. })
    ));
    // A list claiming 2^60 items in a 12-byte payload must not be believed.
    let lying = [
        MAGIC,
        VERSION,
        tag::LIST,
        0x80,
        0x80,
        0x80,
        0x80,
        0x80,
        0x80,
        0x80,
        0x80,
        0x10,
    ];
    assert_eq!(
        Reader::new(&lying, Limits::DEFAULT).unwrap().item().err(),
        Some(SerialError::Truncated)
    );
}

#[test]
fn random_bytes_never_panic() {
    let mut next = crate::test_rng::xorshift(0x2545F4914F6CDD1D);
    for _ in 0..20_000 {
        let len = (next() % 40) as usize;
        let mut data = vec![MAGIC, VERSION];
        for _ in 0..len {
            data.push(next() as u8);
        }
        std::panic::catch_unwind(|| {
            let mut r = Reader::new(&data, Limits::DEFAULT).unwrap();
            while r.item().is_ok() {}
        })
        .expect("reader panicked");
    }
}
