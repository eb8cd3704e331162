//! PBKDF2-HMAC over the raw SHA block functions.
//!
//! An HMAC of a message shorter than one block costs exactly two compressions
//! once the keyed inner and outer states are known. PBKDF2 iterates such an HMAC,
//! so computing those two states once and then running the compression function
//! directly (instead of cloning a keyed `Hmac` per iteration) removes all the
//! per-iteration buffering and finalisation work. The block functions come from
//! RustCrypto `sha1` / `sha2`, which use SHA-NI where the CPU has it.

use hmac::{Hmac, KeyInit, Mac};
use zeroize::Zeroize;

use super::error::{PasswordError, Result};

/// The digests PBKDF2 runs over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Digest {
    Md5,
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
}

impl Digest {
    /// hashlib's name for the digest.
    pub fn name(self) -> &'static str {
        match self {
            Digest::Md5 => "md5",
            Digest::Sha1 => "sha1",
            Digest::Sha224 => "sha224",
            Digest::Sha256 => "sha256",
            Digest::Sha384 => "sha384",
            Digest::Sha512 => "sha512",
        }
    }

    pub fn from_name(name: &str) -> Option<Digest> {
        Some(match name {
            "md5" => Digest::Md5,
            "sha1" => Digest::Sha1,
            "sha224" => Digest::Sha224,
            "sha256" => Digest::Sha256,
            "sha384" => Digest::Sha384,
            "sha512" => Digest::Sha512,
            _ => return None,
        })
    }

    /// Output size in bytes: PBKDF2's default key length.
    pub fn output_len(self) -> usize {
        match self {
            Digest::Md5 => 16,
            Digest::Sha1 => 20,
            Digest::Sha224 => 28,
            Digest::Sha256 => 32,
            Digest::Sha384 => 48,
            Digest::Sha512 => 64,
        }
    }
}

/// PBKDF2-HMAC-`digest` of `password` and `salt`, filling `out`.
pub fn pbkdf2(
    digest: Digest,
    password: &[u8],
    salt: &[u8],
    iterations: u32,
    out: &mut [u8],
) -> Result<()> {
    if iterations == 0 {
        return Err(PasswordError::InvalidParameter(
            "iteration value must be greater than 0.".into(),
        ));
    }
    if out.is_empty() {
        return Err(PasswordError::InvalidParameter(
            "key length must be greater than 0.".into(),
        ));
    }
    match digest {
        Digest::Sha1 => derive::<Sha1Block>(password, salt, iterations, out),
        Digest::Sha224 => derive::<Sha224Block>(password, salt, iterations, out),
        Digest::Sha256 => derive::<Sha256Block>(password, salt, iterations, out),
        Digest::Sha384 => derive::<Sha384Block>(password, salt, iterations, out),
        Digest::Sha512 => derive::<Sha512Block>(password, salt, iterations, out),
        Digest::Md5 => derive_md5(password, salt, iterations, out),
    }
    Ok(())
}

/// A Merkle–Damgård hash exposed as its compression function.
trait BlockHash {
    type Word: Copy + Default + core::ops::BitXorAssign;
    type State: Copy + AsRef<[Self::Word]> + AsMut<[Self::Word]>;
    type Block: Copy + AsRef<[u8]> + AsMut<[u8]>;
    const IV: Self::State;
    const ZERO_BLOCK: Self::Block;
    /// Digest length in bytes (a truncation of the state for SHA-224/384).
    const OUT: usize;
    /// Width of the message-length field at the end of the last block.
    const LEN_FIELD: usize;
    fn compress(state: &mut Self::State, block: &Self::Block);
    fn put_word(word: Self::Word, out: &mut [u8]);

    const WORD: usize = core::mem::size_of::<Self::Word>();
    const BLOCK: usize = core::mem::size_of::<Self::Block>();

    fn write_digest(state: &Self::State, out: &mut [u8]) {
        for (chunk, word) in out[..Self::OUT].chunks_mut(Self::WORD).zip(state.as_ref()) {
            Self::put_word(*word, chunk);
        }
    }

    /// Continue hashing `msg` from `state`, which has already absorbed
    /// `absorbed` bytes (a whole number of blocks), and apply the final padding.
    fn finish(mut state: Self::State, absorbed: usize, msg: &[u8]) -> Self::State {
        let mut chunks = msg.chunks_exact(Self::BLOCK);
        let mut block = Self::ZERO_BLOCK;
        for chunk in &mut chunks {
            block.as_mut().copy_from_slice(chunk);
            Self::compress(&mut state, &block);
        }
        let rest = chunks.remainder();
        let bits = ((absorbed + msg.len()) as u128) * 8;
        let mut tail = [0u8; 256];
        tail[..rest.len()].copy_from_slice(rest);
        tail[rest.len()] = 0x80;
        let tail_len = if rest.len() < Self::BLOCK - Self::LEN_FIELD {
            Self::BLOCK
        } else {
            2 * Self::BLOCK
        };
        let len_bytes = bits.to_be_bytes();
        tail[tail_len - Self::LEN_FIELD..tail_len]
            .copy_from_slice(&len_bytes[16 - Self::LEN_FIELD..]);
        for chunk in tail[..tail_len].chunks_exact(Self::BLOCK) {
            block.as_mut().copy_from_slice(chunk);
            Self::compress(&mut state, &block);
        }
        tail.zeroize();
        block.as_mut().zeroize();
        state
    }
}

/// The HMAC inner and outer states after absorbing the padded key.
fn keyed_states<H: BlockHash>(key: &[u8]) -> (H::State, H::State) {
    let mut padded = H::ZERO_BLOCK;
    if key.len() > H::BLOCK {
        let digest = H::finish(H::IV, 0, key);
        H::write_digest(&digest, padded.as_mut());
    } else {
        padded.as_mut()[..key.len()].copy_from_slice(key);
    }
    let mut inner_block = padded;
    let mut outer_block = padded;
    for (i, o) in inner_block.as_mut().iter_mut().zip(outer_block.as_mut()) {
        *i ^= 0x36;
        *o ^= 0x5c;
    }
    let mut inner = H::IV;
    let mut outer = H::IV;
    H::compress(&mut inner, &inner_block);
    H::compress(&mut outer, &outer_block);
    padded.as_mut().zeroize();
    inner_block.as_mut().zeroize();
    outer_block.as_mut().zeroize();
    (inner, outer)
}

/// A block holding a one-digest message after one absorbed key block, padded.
fn digest_message_block<H: BlockHash>() -> H::Block {
    let mut block = H::ZERO_BLOCK;
    let bytes = block.as_mut();
    bytes[H::OUT] = 0x80;
    let bits = ((H::BLOCK + H::OUT) as u128 * 8).to_be_bytes();
    bytes[H::BLOCK - H::LEN_FIELD..].copy_from_slice(&bits[16 - H::LEN_FIELD..]);
    block
}

fn derive<H: BlockHash>(password: &[u8], salt: &[u8], iterations: u32, out: &mut [u8]) {
    let (inner, outer) = keyed_states::<H>(password);
    let mut inner_block = digest_message_block::<H>();
    let mut outer_block = digest_message_block::<H>();
    let mut first_msg = Vec::with_capacity(salt.len() + 4);
    let mut digest_bytes = [0u8; 64];
    for (index, chunk) in out.chunks_mut(H::OUT).enumerate() {
        first_msg.clear();
        first_msg.extend_from_slice(salt);
        first_msg.extend_from_slice(&(index as u32 + 1).to_be_bytes());
        // U_1 = HMAC(password, salt || INT(i))
        let inner_digest = H::finish(inner, H::BLOCK, &first_msg);
        H::write_digest(&inner_digest, outer_block.as_mut());
        let mut u = outer;
        H::compress(&mut u, &outer_block);
        let mut acc = u;
        for _ in 1..iterations {
            H::write_digest(&u, inner_block.as_mut());
            let mut s = inner;
            H::compress(&mut s, &inner_block);
            H::write_digest(&s, outer_block.as_mut());
            u = outer;
            H::compress(&mut u, &outer_block);
            for (a, w) in acc.as_mut().iter_mut().zip(u.as_ref()) {
                *a ^= *w;
            }
        }
        H::write_digest(&acc, &mut digest_bytes);
        chunk.copy_from_slice(&digest_bytes[..chunk.len()]);
    }
    inner_block.as_mut().zeroize();
    outer_block.as_mut().zeroize();
    digest_bytes.zeroize();
    first_msg.zeroize();
}

/// Plain PBKDF2 through the `hmac` crate: MD5 has no block-level path here
/// (it is little-endian, and only legacy werkzeug hashes use it).
fn derive_md5(password: &[u8], salt: &[u8], iterations: u32, out: &mut [u8]) {
    type HmacMd5 = Hmac<md5::Md5>;
    let keyed = <HmacMd5 as KeyInit>::new_from_slice(password).unwrap(); // ok: HMAC takes keys of any length
    for (index, chunk) in out.chunks_mut(16).enumerate() {
        let mut mac = keyed.clone();
        mac.update(salt);
        mac.update(&(index as u32 + 1).to_be_bytes());
        let mut u: [u8; 16] = mac.finalize().into_bytes().into();
        let mut acc = u;
        for _ in 1..iterations {
            let mut mac = keyed.clone();
            mac.update(&u);
            u = mac.finalize().into_bytes().into();
            for (a, b) in acc.iter_mut().zip(&u) {
                *a ^= b;
            }
        }
        chunk.copy_from_slice(&acc[..chunk.len()]);
        u.zeroize();
        acc.zeroize();
    }
}

macro_rules! block_hash {
    ($name:ident, $word:ty, $words:expr, $block:expr, $out:expr, $len_field:expr, $iv:expr, $compress:path) => {
        struct $name;
        impl BlockHash for $name {
            type Word = $word;
            type State = [$word; $words];
            type Block = [u8; $block];
            const IV: Self::State = $iv;
            const ZERO_BLOCK: Self::Block = [0u8; $block];
            const OUT: usize = $out;
            const LEN_FIELD: usize = $len_field;
            #[inline(always)]
            fn compress(state: &mut Self::State, block: &Self::Block) {
                $compress(state, core::slice::from_ref(block));
            }
            #[inline(always)]
            fn put_word(word: $word, out: &mut [u8]) {
                out.copy_from_slice(&word.to_be_bytes()[..out.len()]);
            }
        }
    };
}

// Initial hash values from FIPS 180-4, section 5.3.
block_hash!(
    Sha1Block,
    u32,
    5,
    64,
    20,
    8,
    [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0],
    sha1::block_api::compress
);
block_hash!(
    Sha224Block,
    u32,
    8,
    64,
    28,
    8,
    [
        0xc1059ed8, 0x367cd507, 0x3070dd17, 0xf70e5939, 0xffc00b31, 0x68581511, 0x64f98fa7,
        0xbefa4fa4
    ],
    sha2::block_api::compress256
);
block_hash!(
    Sha256Block,
    u32,
    8,
    64,
    32,
    8,
    [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
        0x5be0cd19
    ],
    sha2::block_api::compress256
);
block_hash!(
    Sha384Block,
    u64,
    8,
    128,
    48,
    16,
    [
        0xcbbb9d5dc1059ed8,
        0x629a292a367cd507,
        0x9159015a3070dd17,
        0x152fecd8f70e5939,
        0x67332667ffc00b31,
        0x8eb44a8768581511,
        0xdb0c2e0d64f98fa7,
        0x47b5481dbefa4fa4
    ],
    sha2::block_api::compress512
);
block_hash!(
    Sha512Block,
    u64,
    8,
    128,
    64,
    16,
    [
        0x6a09e667f3bcc908,
        0xbb67ae8584caa73b,
        0x3c6ef372fe94f82b,
        0xa54ff53a5f1d36f1,
        0x510e527fade682d1,
        0x9b05688c2b3e6c1f,
        0x1f83d9abfb41bd6b,
        0x5be0cd19137e2179
    ],
    sha2::block_api::compress512
);

#[cfg(test)]
mod tests {
    use super::*;

    fn reference<D>(password: &[u8], salt: &[u8], iterations: u32, len: usize) -> Vec<u8>
    where
        D: hmac::EagerHash,
        Hmac<D>: KeyInit + Mac + Clone + Sync,
    {
        let mut out = vec![0u8; len];
        pbkdf2_crate::pbkdf2::<Hmac<D>>(password, salt, iterations, &mut out).unwrap();
        out
    }

    fn ours(digest: Digest, password: &[u8], salt: &[u8], iterations: u32, len: usize) -> Vec<u8> {
        let mut out = vec![0u8; len];
        pbkdf2(digest, password, salt, iterations, &mut out).unwrap();
        out
    }

    #[test]
    fn rfc6070_sha1() {
        // RFC 6070 test vectors.
        assert_eq!(
            hex(&ours(Digest::Sha1, b"password", b"salt", 1, 20)),
            "0c60c80f961f0e71f3a9b524af6012062fe037a6"
        );
        assert_eq!(
            hex(&ours(Digest::Sha1, b"password", b"salt", 4096, 20)),
            "4b007901b765489abead49d926f721d065a429c1"
        );
        assert_eq!(
            hex(&ours(
                Digest::Sha1,
                b"passwordPASSWORDpassword",
                b"saltSALTsaltSALTsaltSALTsaltSALTsalt",
                4096,
                25
            )),
            "3d2eec4fe41c849b80c8d83662c0e44a8b291a964cf2f07038"
        );
        assert_eq!(
            hex(&ours(Digest::Sha1, b"pass\0word", b"sa\0lt", 4096, 16)),
            "56fa6aa75548099dcc37d7f03425e0c3"
        );
    }

    #[test]
    fn matches_reference_for_every_digest_and_key_size() {
        let long_key = [0x61u8; 200];
        let salts: [&[u8]; 3] = [b"", b"NaCl", &[7u8; 130]];
        for password in [
            &b""[..],
            b"pw",
            &long_key[..64],
            &long_key[..65],
            &long_key[..129],
            &long_key,
        ] {
            for salt in salts {
                for (iterations, len) in [(1, 7), (2, 32), (3, 100), (17, 64)] {
                    let p = password;
                    assert_eq!(
                        ours(Digest::Sha1, p, salt, iterations, len),
                        reference::<sha1::Sha1>(p, salt, iterations, len)
                    );
                    assert_eq!(
                        ours(Digest::Sha224, p, salt, iterations, len),
                        reference::<sha2::Sha224>(p, salt, iterations, len)
                    );
                    assert_eq!(
                        ours(Digest::Sha256, p, salt, iterations, len),
                        reference::<sha2::Sha256>(p, salt, iterations, len)
                    );
                    assert_eq!(
                        ours(Digest::Sha384, p, salt, iterations, len),
                        reference::<sha2::Sha384>(p, salt, iterations, len)
                    );
                    assert_eq!(
                        ours(Digest::Sha512, p, salt, iterations, len),
                        reference::<sha2::Sha512>(p, salt, iterations, len)
                    );
                    assert_eq!(
                        ours(Digest::Md5, p, salt, iterations, len),
                        reference::<md5::Md5>(p, salt, iterations, len)
                    );
                }
            }
        }
    }

    #[test]
    fn zero_iterations_is_an_error() {
        let mut out = [0u8; 32];
        assert!(pbkdf2(Digest::Sha256, b"p", b"s", 0, &mut out).is_err());
    }

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }
}
