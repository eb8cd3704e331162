//! The fill against RFC 9106's vectors and, differentially, against the
//! RustCrypto `argon2` crate, on every backend this CPU can run.

use super::*;

fn backends() -> Vec<Backend> {
    let mut all = vec![Backend::Portable];
    #[cfg(target_arch = "x86_64")]
    {
        if std::is_x86_feature_detected!("avx2") {
            all.push(Backend::Avx2);
        } else {
            eprintln!("no AVX2 on this CPU: only the portable backend is tested");
        }
    }
    all
}

#[allow(clippy::too_many_arguments)]
fn ours(
    params: &Params,
    password: &[u8],
    salt: &[u8],
    secret: &[u8],
    associated: &[u8],
    out_len: usize,
    backend: Backend,
) -> Result<Vec<u8>, Error> {
    let mut memory = vec![Block::ZERO; params.block_count()];
    let mut out = vec![0u8; out_len];
    hash_into(
        params,
        password,
        salt,
        secret,
        associated,
        &mut out,
        &mut memory,
        backend,
    )?;
    Ok(out)
}

fn crate_reference(
    params: &Params,
    password: &[u8],
    salt: &[u8],
    secret: &[u8],
    associated: &[u8],
    out_len: usize,
) -> Vec<u8> {
    let algorithm = match params.variant {
        Variant::D => argon2::Algorithm::Argon2d,
        Variant::I => argon2::Algorithm::Argon2i,
        Variant::Id => argon2::Algorithm::Argon2id,
    };
    let version = if params.version == ARGON2_V10 {
        argon2::Version::V0x10
    } else {
        argon2::Version::V0x13
    };
    let crate_params = argon2::ParamsBuilder::new()
        .m_cost(params.memory_kib)
        .t_cost(params.passes)
        .p_cost(params.lanes)
        .output_len(out_len)
        .data(argon2::AssociatedData::new(associated).unwrap())
        .build()
        .unwrap();
    let ctx = argon2::Argon2::new_with_secret(secret, algorithm, version, crate_params).unwrap();
    let mut out = vec![0u8; out_len];
    ctx.hash_password_into(password, salt, &mut out).unwrap();
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn rfc9106_vectors() {
    // RFC 9106 §5: password 32 x 01, salt 16 x 02, secret 8 x 03, associated
    // data 12 x 04, m = 32 KiB, t = 3, p = 4, 32-byte tag, version 0x13.
    let cases = [
        (
            Variant::D,
            "512b391b6f1162975371d30919734294f868e3be3984f3c1a13a4db9fabe4acb",
        ),
        (
            Variant::I,
            "c814d9d1dc7f37aa13f0d77f2494bda1c8de6b016dd388d29952a4c4672b6ce8",
        ),
        (
            Variant::Id,
            "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659",
        ),
    ];
    for backend in backends() {
        for (variant, expected) in cases {
            let params = Params {
                variant,
                version: ARGON2_V13,
                memory_kib: 32,
                passes: 3,
                lanes: 4,
            };
            let tag = ours(&params, &[1; 32], &[2; 16], &[3; 8], &[4; 12], 32, backend).unwrap();
            assert_eq!(hex(&tag), expected, "{variant:?} on {backend:?}");
        }
    }
}

/// splitmix64: a reproducible stream of test parameters without a rand crate.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// Between `min` and `max` (inclusive) random bytes.
    fn bytes(&mut self, min: usize, max: usize) -> Vec<u8> {
        let len = min + self.below((max - min + 1) as u64) as usize;
        (0..len).map(|_| self.next() as u8).collect()
    }
}

fn check_against_crate(
    params: &Params,
    password: &[u8],
    salt: &[u8],
    secret: &[u8],
    associated: &[u8],
    out_len: usize,
) {
    let expected = crate_reference(params, password, salt, secret, associated, out_len);
    for backend in backends() {
        let got = ours(params, password, salt, secret, associated, out_len, backend).unwrap();
        assert_eq!(
            hex(&got),
            hex(&expected),
            "{params:?} pw {} salt {} secret {} ad {} out {out_len} on {backend:?}",
            password.len(),
            salt.len(),
            secret.len(),
            associated.len()
        );
    }
}

#[test]
fn random_parameters_match_the_argon2_crate() {
    let mut rng = Rng(0x00A2_6017_5EED);
    for _ in 0..120 {
        let variant = [Variant::D, Variant::I, Variant::Id][rng.below(3) as usize];
        let version = [ARGON2_V10, ARGON2_V13][rng.below(2) as usize];
        let lanes = 1 + rng.below(5) as u32;
        // From the minimum 8 per lane up, mostly not a multiple of 4 * lanes.
        let memory_kib = 8 * lanes + rng.below(300) as u32;
        let passes = 1 + rng.below(3) as u32;
        let params = Params {
            variant,
            version,
            memory_kib,
            passes,
            lanes,
        };
        let password = rng.bytes(0, 89);
        let salt = rng.bytes(8, 47);
        let secret = rng.bytes(0, 16);
        let associated = rng.bytes(0, 32);
        // Tags up to 64 bytes take one BLAKE2b; longer ones the H' chain.
        let out_len = 4 + rng.below(150) as usize;
        check_against_crate(&params, &password, &salt, &secret, &associated, out_len);
    }
}

#[test]
fn edge_sizes_match_the_argon2_crate() {
    let mut rng = Rng(7);
    for variant in [Variant::D, Variant::I, Variant::Id] {
        for version in [ARGON2_V10, ARGON2_V13] {
            for (memory_kib, passes, lanes) in [
                (8, 1, 1),
                (16, 1, 2),
                (24, 2, 3),
                (8 * 7 + 5, 1, 7),
                (9, 1, 1),
                (4 * 128 + 3, 1, 1), // a segment of exactly 128 blocks, plus slack
                (4 * 129, 2, 1),     // one block past an address block
                (2048, 1, 4),
            ] {
                let params = Params {
                    variant,
                    version,
                    memory_kib,
                    passes,
                    lanes,
                };
                let password = rng.bytes(16, 16);
                let salt = rng.bytes(16, 16);
                for out_len in [4, 32, 64, 65, 96, 97, 128] {
                    check_against_crate(&params, &password, &salt, &[], &[], out_len);
                }
            }
        }
    }
}

#[test]
fn production_sized_parameters_match_the_argon2_crate() {
    // OWASP's argon2id setting and argon2-cffi's default, once each.
    for (memory_kib, passes, lanes) in [(19 * 1024, 2, 1), (64 * 1024, 3, 4)] {
        let params = Params {
            variant: Variant::Id,
            version: ARGON2_V13,
            memory_kib,
            passes,
            lanes,
        };
        check_against_crate(&params, b"hunter2", b"saltsaltsaltsalt", &[], &[], 32);
    }
}

#[test]
fn bad_inputs_are_the_crates_errors() {
    let params = Params {
        variant: Variant::Id,
        version: ARGON2_V13,
        memory_kib: 8,
        passes: 1,
        lanes: 1,
    };
    let run = |params: &Params, salt: &[u8], out_len: usize| {
        ours(params, b"pw", salt, &[], &[], out_len, Backend::Portable).unwrap_err()
    };
    assert_eq!(run(&params, b"short", 32), Error::SaltTooShort);
    assert_eq!(run(&params, b"saltsalt", 3), Error::OutputTooShort);
    let bad_version = Params {
        version: 0x12,
        ..params
    };
    assert_eq!(run(&bad_version, b"saltsalt", 32), Error::VersionInvalid);
    let no_passes = Params {
        passes: 0,
        ..params
    };
    assert_eq!(run(&no_passes, b"saltsalt", 32), Error::TimeTooSmall);
    let no_lanes = Params { lanes: 0, ..params };
    assert_eq!(
        ours(
            &no_lanes,
            b"pw",
            b"saltsalt",
            &[],
            &[],
            32,
            Backend::Portable
        )
        .unwrap_err(),
        Error::ThreadsTooFew
    );
    // Memory of the wrong size is refused rather than indexed out of bounds.
    let mut memory = vec![Block::ZERO; 7];
    let mut out = [0u8; 32];
    assert_eq!(
        hash_into(
            &params,
            b"pw",
            b"saltsalt",
            &[],
            &[],
            &mut out,
            &mut memory,
            Backend::Portable
        )
        .unwrap_err(),
        Error::MemoryTooLittle
    );
}
