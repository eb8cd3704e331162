"""Write the seed corpus, fuzz/corpus/<target>/, from the golden vectors and a
few hand-made inputs. Run once by hand (`python fuzz/seeds.py`); the files are
committed. Nothing here comes from a peer's test files."""

import base64
import hashlib
import hmac
import json
import pathlib
import struct
import subprocess
import tempfile
import zlib

ROOT = pathlib.Path(__file__).resolve().parent
VECTORS = pathlib.Path("/work/shared/vectors")
corpus: dict[str, list[bytes]] = {}


def add(target: str, data: bytes | str) -> None:
    corpus.setdefault(target, []).append(data.encode() if isinstance(data, str) else data)


passwords = json.loads((VECTORS / "passwords.json").read_text())["vectors"]
signing = json.loads((VECTORS / "signing.json").read_text())["vectors"]

# Stored hashes: the recorded ones, plus cheap ones built with hashlib so the
# verify target can run their KDF under its low limits.
salt = "saltsaltsalt"
cheap = [
    f"pbkdf2:sha256:1000${salt}$"
    + hashlib.pbkdf2_hmac("sha256", b"correct horse", salt.encode(), 1000).hex(),
    f"pbkdf2_sha256$1000${salt}$"
    + base64.b64encode(
        hashlib.pbkdf2_hmac("sha256", b"correct horse", salt.encode(), 1000)
    ).decode(),
    f"md5${salt}$" + hashlib.md5((salt + "correct horse").encode()).hexdigest(),
    f"scrypt:1024:2:1${salt}$"
    + hashlib.scrypt(b"correct horse", salt=salt.encode(), n=1024, r=2, p=1, dklen=64).hex(),
    "$2b$04$abcdefghijklmnopqrstuu" + "A" * 31,
    "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$" + "A" * 43,
    "$scrypt$ln=4,r=8,p=1$c2FsdHNhbHQ$" + "A" * 43,
    "$pbkdf2$1000$c2FsdHNhbHQ$" + "A" * 27,
    "$5$rounds=1000$saltsalt$" + "A" * 43,
]
hashes = [v["hash"] for v in passwords] + cheap
for h in hashes:
    add("hash_any", h)
    add("hash_verify", "correct horse\n" + h)
    add("hash_verify", "wrong\n" + h)
families = {
    "hash_phc": ["$argon2id$", "$argon2i$", "$argon2d$", "$scrypt$"],
    "hash_werkzeug": ["pbkdf2:", "scrypt:", "pbkdf2$", "scrypt$"],
    "hash_django": [
        "pbkdf2_sha256$",
        "pbkdf2_sha1$",
        "argon2$",
        "bcrypt_sha256$",
        "bcrypt$",
        "md5$",
        "scrypt$",
    ],
    "hash_passlib": [
        "$pbkdf2$",
        "$pbkdf2-sha256$",
        "$pbkdf2-sha512$",
        "$bcrypt-sha256$",
        "$5$",
        "$6$",
    ],
    "hash_bcrypt": ["$2a$", "$2b$", "$2y$", "$2x$"],
}
for target, prefixes in families.items():
    for h in hashes:
        for i, p in enumerate(prefixes):
            if h.startswith(p):
                add(target, bytes([i]) + h[len(p) :].encode())
                break

# JSON documents, as token payloads and session contents.
docs = [
    '{"alg":"HS256","typ":"JWT"}',
    '{"sub":"1234567890","name":"John Doe","iat":1516239022}',
    '{"iss":"me","exp":1700000100,"aud":["x","api"],"nbf":1.5e9}',
    '{"a": [1, -2.5e-3, true, false, null, "\\u00e9\\ud83d\\ude00\\n"]}',
    "[NaN, Infinity, -Infinity, 1e400, 123456789012345678901234567890]",
    '{"k": "x", "k": "y"}',
    ' "caf\u00e9" ',
    '{"_fresh": true, " t": ["a", "b"], " b": "aGVsbG8="}',
]
for v in signing:
    if v["kind"] == "itsdangerous.Serializer(json)":
        docs.append(v["token"].rsplit(".", 1)[0])
for d in docs:
    add("jwt_json", d)
    add("signing_json", d)
    add("jwt_token", d)


def b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


key = b"0123456789abcdef0123456789abcdef"
for d in docs[:3]:
    signing_input = b64u(docs[0].encode()) + "." + b64u(d.encode())
    sig = hmac.new(key, signing_input.encode(), "sha256").digest()
    add("jwt_token", signing_input + "." + b64u(sig))
# RFC 7515 appendix A.1.
add(
    "jwt_token",
    "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkz"
    "ODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
)

# Keys: the first byte is the algorithm index in jwt_keys.rs, |0x80 for private.
algs = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA"]
with tempfile.TemporaryDirectory() as tmp:

    def openssl(*args: str) -> bytes:
        return subprocess.run(["openssl", *args], check=True, capture_output=True).stdout

    for alg, gen in [
        ("RS256", ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"]),
        ("ES256", ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"]),
        ("ES384", ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"]),
        ("EdDSA", ["-algorithm", "ED25519"]),
    ]:
        pem = f"{tmp}/{alg}.pem"
        openssl("genpkey", *gen, "-out", pem)
        i = algs.index(alg)
        if alg == "RS256":
            private = openssl("rsa", "-in", pem, "-outform", "DER", "-traditional")
            public = openssl("rsa", "-in", pem, "-RSAPublicKey_out", "-outform", "DER")
            add("jwt_keys", bytes([i | 0x80]) + private)
            add("jwt_keys", bytes([3 | 0x80]) + private)  # PS256
            add("jwt_keys", bytes([i]) + public)
            continue
        private = openssl("pkey", "-in", pem, "-outform", "DER")
        spki = openssl("pkey", "-in", pem, "-pubout", "-outform", "DER")
        # The raw point / key is the end of the SubjectPublicKeyInfo.
        raw = spki[-32:] if alg == "EdDSA" else spki[-(65 if alg == "ES256" else 97) :]
        add("jwt_keys", bytes([i | 0x80]) + private)
        add("jwt_keys", bytes([i]) + raw)

# Signed tokens: the first byte picks derivation/digest/separator (see the targets).
for v in signing:
    token = v["token"].encode()
    if v["kind"].startswith(("itsdangerous", "flask")):
        add("signing_token", bytes([0x80 | 2]) + token)  # hmac derivation, sha1, "."
        add("signing_token", bytes([0x80 | 1]) + token)  # django-concat
    elif v["kind"].startswith("django"):
        add("djsign_token", bytes([0x80 | 0x40 | 1]) + token)  # sha256, ":", timestamped
        add("djsign_token", bytes([0x80 | 1]) + token)
    else:
        add("signing_token", bytes([0x80]) + token)


# Safe serializer payloads: MAGIC, VERSION, one item (see src/serial/mod.rs).
def varint(n: int) -> bytes:
    out = b""
    while True:
        b, n = n & 0x7F, n >> 7
        out += bytes([b | (0x80 if n else 0)])
        if not n:
            return out


def blob(b: bytes) -> bytes:
    return varint(len(b)) + b


head = b"\xfa\x01"
add("serial_reader", head + b"\x00")
add("serial_reader", head + b"\x03" + varint(83))  # -42 zigzag
add("serial_reader", head + b"\x05" + struct.pack("<d", 1.5))
add("serial_reader", head + b"\x06" + blob("caf\u00e9".encode()))
add(
    "serial_reader",
    head
    + b"\x0a"
    + varint(2)
    + b"\x06"
    + blob(b"user")
    + b"\x03\x54"
    + b"\x06"
    + blob(b"roles")
    + b"\x08"
    + varint(2)
    + b"\x06\x01a"
    + b"\x07\x01b",
)
add(
    "serial_reader",
    head
    + b"\x0d"
    + varint(2026)
    + b"\x0b\x17"
    + b"\x01\x02\x03"
    + varint(456)
    + b"\x00\x01"
    + varint(7199)
    + varint(0),
)
add(
    "serial_reader",
    head
    + b"\x09"
    + varint(3)
    + b"\x04\x01"
    + blob(b"\x01" + b"\x00" * 8)
    + b"\x10"
    + varint(4)
    + varint(5)
    + varint(6)
    + b"\x11"
    + bytes(range(16)),
)
add("serial_reader", head + b"\x0b" + varint(1) + b"\x0c" + varint(1) + b"\x12" + blob(b"1.50"))
add("serial_reader", head + b"\x0e" + varint(1999) + b"\x0c\x1f")
add("serial_reader", b"\x80\x04\x95")  # pickle

# deflate_exact: first byte 0 = the rest as is; 1 = the rest after two
# little-endian length bytes, tiled to that length; 2 = tiled with bytes flipped.
session = json.dumps(
    {"user_id": 42, "csrf": "51c0ae4e67ece03d97accfc9c90ac2a0e5868131", "roles": ["a", "b"]},
    separators=(",", ":"),
).encode()
for data in (
    b"",
    b"a" * 13,
    session,
    session * 3,
    bytes(range(256)),
    b"abcabcabcabd" * 20,
    b"-xyz\x00\x00\x00--------xyz+++++++xyz",
):
    add("deflate_exact", b"\x00" + data)
for length in (4099, 8192, 16382, 16383):
    add("deflate_exact", b"\x01" + struct.pack("<H", length) + session)
    add("deflate_exact", b"\x02" + struct.pack("<H", length) + b"abcdefgh" * 3)


# inflate_agrees: first byte < 20 = the rest compressed by zlib at level
# byte % 10 (odd: then corrupted); >= 20 = the rest is the stream itself.
for data in (b"", session, session * 3, bytes(range(256)), b"abcabcabcabd" * 20):
    for mode in (0, 1, 6, 9, 11):
        add("inflate_agrees", bytes([mode]) + data)
add("inflate_agrees", b"\x14" + zlib.compress(session))
add("inflate_agrees", b"\xf0" + zlib.compress(session * 2))


for target, items in corpus.items():
    d = ROOT / "corpus" / target
    d.mkdir(parents=True, exist_ok=True)
    for old in d.iterdir():
        old.unlink()
    for n, data in enumerate(items):
        (d / f"seed-{n:02d}").write_bytes(data)
    print(target, len(items))
