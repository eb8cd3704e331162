//! Every recorded vector in `../shared/vectors/passwords.json` verifies, fails
//! for a wrong password, and is reproduced byte for byte from its salt.

use crate::password::{self, format, HashSpec, Scheme};

fn vectors() -> Vec<serde_json::Value> {
    let path = std::env::var("FERROAUTH_VECTORS")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/vectors").to_string());
    let text = std::fs::read_to_string(format!("{path}/passwords.json"))
        .unwrap_or_else(|e| panic!("the shared password vectors must be present at {path}: {e}"));
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    json["vectors"].as_array().unwrap().clone()
}

fn password_of(v: &serde_json::Value) -> String {
    v.get("password")
        .and_then(|p| p.as_str())
        .unwrap_or("correct horse")
        .to_string()
}

#[test]
fn every_vector_verifies_and_rejects_a_wrong_password() {
    let all = vectors();
    assert!(all.len() >= 15, "expected the full vector set");
    for v in &all {
        let stored = v["hash"].as_str().unwrap();
        let password = password_of(v);
        assert_eq!(
            password::verify(password.as_bytes(), stored),
            Ok(true),
            "{stored}"
        );
        assert_eq!(
            password::verify(b"wrong horse", stored),
            Ok(false),
            "{stored}"
        );
    }
}

#[test]
fn every_vector_renders_back_byte_for_byte() {
    for v in vectors() {
        let stored = v["hash"].as_str().unwrap();
        let parsed = password::parse(stored).unwrap();
        assert_eq!(format::render(&parsed), stored);
    }
}

#[test]
fn writable_vectors_are_reproduced_from_salt_and_defaults() {
    // Vectors written with the library's default parameters, by the scheme that writes them.
    let by_library = |v: &serde_json::Value| -> Option<&'static str> {
        let lib = v["library"].as_str()?;
        let stored = v["hash"].as_str()?;
        Some(match () {
            _ if lib.starts_with("werkzeug") && stored.starts_with("scrypt:32768:8:1$") => {
                "werkzeug_scrypt"
            }
            _ if lib.starts_with("werkzeug") && stored.starts_with("pbkdf2:sha256:1000000$") => {
                "werkzeug_pbkdf2"
            }
            _ if lib.starts_with("django") => match v["hasher"].as_str()? {
                "PBKDF2PasswordHasher" => "django_pbkdf2_sha256",
                "PBKDF2SHA1PasswordHasher" => "django_pbkdf2_sha1",
                "Argon2PasswordHasher" => "django_argon2",
                "ScryptPasswordHasher" => "django_scrypt",
                "MD5PasswordHasher" => "django_md5",
                "BCryptSHA256PasswordHasher" => "django_bcrypt_sha256",
                "BCryptPasswordHasher" => "django_bcrypt",
                _ => return None,
            },
            _ if lib.starts_with("argon2-cffi") => "argon2id",
            _ => return None,
        })
    };
    let mut reproduced = 0;
    for v in vectors() {
        let Some(scheme) = by_library(&v) else {
            continue;
        };
        let stored = v["hash"].as_str().unwrap();
        let parsed = password::parse(stored).unwrap();
        let spec = HashSpec::new(scheme).unwrap();
        let ours =
            password::hash(password_of(&v).as_bytes(), &spec, Some(parsed.salt.clone())).unwrap();
        assert_eq!(ours, stored, "{scheme}");
        // A short salt ("seasalt") is below the scheme's salt length: that alone calls for a rehash.
        let default_salt = parsed.salt.len() == spec.salt_len;
        assert_eq!(
            password::needs_rehash(&parsed, &spec),
            !default_salt,
            "{scheme}"
        );
        reproduced += 1;
    }
    assert!(
        reproduced >= 10,
        "only {reproduced} vectors were checked against defaults"
    );
}

#[test]
fn identify_names_the_scheme() {
    let names: Vec<String> = vectors()
        .iter()
        .map(|v| password::describe(&password::parse(v["hash"].as_str().unwrap()).unwrap()).0)
        .collect();
    for expected in [
        "werkzeug_scrypt",
        "werkzeug_pbkdf2",
        "django_pbkdf2_sha256",
        "django_argon2",
        "argon2id",
        "pbkdf2_sha256",
        "bcrypt_sha256",
        "sha512_crypt",
        "django_md5",
    ] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} missing from {names:?}"
        );
    }
}

#[test]
fn argon2_without_version_is_0x10() {
    let h = password::parse(
        "$argon2i$m=4096,t=3,p=1$c29tZXNhbHQ$iWh06vD8Fy27wf9npn6FXWiCX4K6pW6Ue1Bnzz07Z8A",
    )
    .unwrap();
    let (_, params) = password::describe(&h);
    assert!(params.contains(&("version", password::spec::Param::Int(16))));
}

#[test]
fn malformed_and_hostile_hashes_are_errors_not_panics() {
    let cases = [
        "", "$", "$$", "$argon2id$", "$argon2id$v=19$m=65536,t=3,p=4$", "$argon2id$v=19$m=65536,t=3$c2FsdHNhbHQ$aGFzaA",
        "$argon2id$v=19$m=4294967295,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2g", "$argon2id$v=19$m=99999999999999999999,t=1,p=1$c2FsdHNhbHQ$aGFzaA",
        "$scrypt$ln=30,r=8,p=1$c2FsdA$aGFzaA", "$scrypt$ln=99,r=8,p=1$c2FsdA$aGFzaA", "$2b$31$abcdefghijklmnopqrstuu1234567890123456789012345678901",
        "$2b$12$short", "$2z$12$abcdefghijklmnopqrstuuFDJRuYeKkCzo3Wy7h8SxhBSHBAHiPK2", "$pbkdf2-sha256$1000000000000$c2FsdA$aGFzaA",
        "$pbkdf2-sha256$x$c2FsdA$aGFzaA", "$6$rounds=999999999$salt$aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "pbkdf2:sha256:1000000000000$salt$00", "pbkdf2:sha256:-1$salt$00", "pbkdf2:nope:1000$salt$00", "scrypt:1073741824:8:1$salt$00",
        "scrypt:3:8:1$salt$00", "scrypt:1:2$salt$00", "pbkdf2:a:b:c$s$h", "bogus$salt$hash", "nodollar", "pbkdf2_sha256$1000$salt",
        "argon2$argon2id$", "bcrypt$$2b$12$x", "scrypt$1073741824$salt$8$1$aGFzaA==", "md5$salt", "$unknown$x",
        "$bcrypt-sha256$v=2,t=2c,r=12$abcdefghijklmnopqrstuu$aP56a.SWvVzRr1c7jVmZnIGQHwjrhZe",
    ];
    for stored in cases {
        let result = std::panic::catch_unwind(|| password::verify(b"pw", stored));
        match result {
            Ok(Err(_)) => {}
            Ok(Ok(ok)) => assert!(!ok, "{stored} verified"),
            Err(_) => panic!("{stored} panicked"),
        }
    }
    let long = format!(
        "$argon2id$v=19$m=65536,t=3,p=4${}$aGFzaA",
        "A".repeat(2_000_000)
    );
    assert!(password::verify(b"pw", &long).is_err());
}

#[test]
fn werkzeug_uppercase_hex_never_matches() {
    let stored = "pbkdf2:sha1:1000$saltsaltsaltsalt$11470A8ACC7ECAF880A9D4E69443E6CBEE729145";
    assert_eq!(password::verify(b"correct horse", stored), Ok(false));
    assert_eq!(
        password::parse(stored).unwrap().scheme,
        Scheme::WerkzeugPbkdf2
    );
}

#[test]
fn django_non_canonical_strings_never_match() {
    // Django re-encodes and compares strings: a leading zero in iterations cannot match.
    let stored = "pbkdf2_sha256$01500000$saltsaltsaltsaltsaltsa$Y1udjtnruQXZZtSPwAFYP/urmU0Kp+odkqn2TOzoDAo=";
    assert_eq!(password::verify(b"correct horse", stored), Ok(false));
}

#[test]
fn every_writable_scheme_round_trips() {
    for name in crate::password::spec::WRITABLE {
        let mut spec = HashSpec::new(name).unwrap();
        // Cheap parameters: this test is about formats, not cost.
        for (param, value) in [
            ("memory_cost", 64),
            ("time_cost", 1),
            ("parallelism", 1),
            ("n", 16),
            ("iterations", 10),
            ("rounds", 4),
        ] {
            let _ = spec.set(param, value);
        }
        for password in [
            "",
            "pässwörd",
            "a much longer password with spaces and symbols !@#$%^&*()",
        ] {
            let stored = password::hash(password.as_bytes(), &spec, None).unwrap();
            assert_eq!(
                password::verify(password.as_bytes(), &stored),
                Ok(true),
                "{name}: {stored}"
            );
            assert_eq!(
                password::verify(b"other", &stored),
                Ok(false),
                "{name}: {stored}"
            );
            let parsed = password::parse(&stored).unwrap();
            assert_eq!(password::describe(&parsed).0, *name);
            assert!(!password::needs_rehash(&parsed, &spec), "{name}");
        }
    }
}
