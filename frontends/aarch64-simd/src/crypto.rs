//! The cryptographic extension groups (ARM ARM C4.1.6): AES (AESE, AESD,
//! AESMC, AESIMC), three-register SHA (SHA1C/P/M/SU0, SHA256H/H2/SU1) and
//! two-register SHA (SHA1H, SHA1SU1, SHA256SU0). Pseudocode:
//! shared/functions/crypto (`AESSubBytes`, `AESShiftRows`, `AESMixColumns`,
//! `SHAchoose`, `SHAmajority`, `SHAparity`, `SHA256hash`, ...).

use crate::{bits, Fields, SimdState};

/// Multiplication in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1 (FIPS 197 4.2).
const fn gf_mul(a: u8, b: u8) -> u8 {
    let (mut a, mut b, mut r) = (a, b, 0u8);
    while b != 0 {
        if b & 1 != 0 {
            r ^= a;
        }
        let hi = a & 0x80;
        a <<= 1;
        if hi != 0 {
            a ^= 0x1b;
        }
        b >>= 1;
    }
    r
}

/// The AES S-box (FIPS 197 5.1.1): multiplicative inverse, then the affine map.
const fn make_sbox() -> [u8; 256] {
    let mut t = [0u8; 256];
    let mut x = 0usize;
    while x < 256 {
        // x^254 is the inverse of x (0 for 0).
        let mut inv = 1u8;
        let mut k = 0;
        while k < 254 {
            inv = gf_mul(inv, x as u8);
            k += 1;
        }
        let b = inv;
        t[x] = b ^ b.rotate_left(1) ^ b.rotate_left(2) ^ b.rotate_left(3) ^ b.rotate_left(4) ^ 0x63;
        x += 1;
    }
    t
}

/// The inverse S-box: the inverse permutation of [`SBOX`].
const fn make_inv_sbox(s: &[u8; 256]) -> [u8; 256] {
    let mut t = [0u8; 256];
    let mut x = 0usize;
    while x < 256 {
        t[s[x] as usize] = x as u8;
        x += 1;
    }
    t
}

static SBOX: [u8; 256] = make_sbox();
static INV_SBOX: [u8; 256] = make_inv_sbox(&SBOX);

/// Byte `i` of the state is row `i % 4`, column `i / 4` (the AES column-major order).
fn bytes(v: u128) -> [u8; 16] {
    v.to_le_bytes()
}

/// `AESShiftRows` / `AESInvShiftRows` then `AESSubBytes` / `AESInvSubBytes`.
fn aes_round(v: u128, decrypt: bool) -> u128 {
    let b = bytes(v);
    let mut out = [0u8; 16];
    for c in 0..4 {
        for r in 0..4 {
            let src = if decrypt { (c + 4 - r) % 4 } else { (c + r) % 4 };
            let x = b[r + 4 * src];
            out[r + 4 * c] = if decrypt { INV_SBOX[x as usize] } else { SBOX[x as usize] };
        }
    }
    u128::from_le_bytes(out)
}

/// `AESMixColumns` / `AESInvMixColumns`.
fn mix_columns(v: u128, inverse: bool) -> u128 {
    let b = bytes(v);
    let k: [u8; 4] = if inverse { [14, 11, 13, 9] } else { [2, 3, 1, 1] };
    let mut out = [0u8; 16];
    for c in 0..4 {
        for r in 0..4 {
            let mut x = 0;
            for j in 0..4 {
                x ^= gf_mul(b[4 * c + (r + j) % 4], k[j]);
            }
            out[4 * c + r] = x;
        }
    }
    u128::from_le_bytes(out)
}

/// AESE, AESD, AESMC, AESIMC (C7.2.7 etc.).
pub(crate) fn aes(s: &mut SimdState, insn: u32) -> bool {
    let f = Fields::of(insn);
    let opcode = bits(insn, 16, 12);
    if f.size != 0 || !(4..=7).contains(&opcode) {
        return false;
    }
    let vn = s.vreg(f.n);
    let r = match opcode {
        4 => aes_round(s.vreg(f.d) ^ vn, false),
        5 => aes_round(s.vreg(f.d) ^ vn, true),
        6 => mix_columns(vn, false),
        _ => mix_columns(vn, true),
    };
    s.set_vreg(f.d, r, 128);
    true
}

/// 32-bit element `i` of `v`.
fn w(v: u128, i: u32) -> u32 {
    (v >> (32 * i)) as u32
}

/// The vector of four 32-bit elements.
fn from_words(x: [u32; 4]) -> u128 {
    x.iter().rev().fold(0u128, |acc, &e| (acc << 32) | u128::from(e))
}

/// `SHAchoose`, `SHAparity`, `SHAmajority`.
fn sha_choose(x: u32, y: u32, z: u32) -> u32 {
    ((y ^ z) & x) ^ z
}
fn sha_parity(x: u32, y: u32, z: u32) -> u32 {
    x ^ y ^ z
}
fn sha_majority(x: u32, y: u32, z: u32) -> u32 {
    (x & y) | ((x | y) & z)
}

/// Four SHA1 rounds (SHA1C, SHA1P, SHA1M, C7.2.278 etc.): `x` is the
/// hash state ABCD, `y` E, `wk` the four schedule words plus constants.
fn sha1_rounds(op: u32, x: u128, y: u32, wk: u128) -> u128 {
    let mut x = x;
    let mut y = y;
    for e in 0..4 {
        let (b, c, d) = (w(x, 1), w(x, 2), w(x, 3));
        let t = match op {
            0 => sha_choose(b, c, d),
            1 => sha_parity(b, c, d),
            _ => sha_majority(b, c, d),
        };
        y = y.wrapping_add(w(x, 0).rotate_left(5)).wrapping_add(t).wrapping_add(w(wk, e));
        let x1 = b.rotate_left(30);
        x = (x & !(u128::from(u32::MAX) << 32)) | (u128::from(x1) << 32);
        // <Y, X> = ROL(Y : X, 32).
        let top = w(x, 3);
        x = (x << 32) | u128::from(y);
        y = top;
    }
    x
}

/// `SHA256hash(X, Y, W, part1)`.
fn sha256_hash(x: u128, y: u128, wk: u128, part1: bool) -> u128 {
    let (mut x, mut y) = (x, y);
    for e in 0..4 {
        let chs = sha_choose(w(y, 0), w(y, 1), w(y, 2));
        let maj = sha_majority(w(x, 0), w(x, 1), w(x, 2));
        let y0 = w(y, 0);
        let sigma1 = y0.rotate_right(6) ^ y0.rotate_right(11) ^ y0.rotate_right(25);
        let t = w(y, 3).wrapping_add(sigma1).wrapping_add(chs).wrapping_add(w(wk, e));
        let x0 = w(x, 0);
        let sigma0 = x0.rotate_right(2) ^ x0.rotate_right(13) ^ x0.rotate_right(22);
        let x3 = t.wrapping_add(w(x, 3));
        let y3 = t.wrapping_add(sigma0).wrapping_add(maj);
        let mask = !(u128::from(u32::MAX) << 96);
        x = (x & mask) | (u128::from(x3) << 96);
        y = (y & mask) | (u128::from(y3) << 96);
        // <Y, X> = ROL(Y : X, 32).
        let x_top = w(x, 3);
        let y_top = w(y, 3);
        x = (x << 32) | u128::from(y_top);
        y = (y << 32) | u128::from(x_top);
    }
    if part1 {
        x
    } else {
        y
    }
}

/// Cryptographic three-register SHA: SHA1C, SHA1P, SHA1M, SHA1SU0,
/// SHA256H, SHA256H2, SHA256SU1.
pub(crate) fn sha_three_reg(s: &mut SimdState, insn: u32) -> bool {
    let f = Fields::of(insn);
    let opcode = bits(insn, 14, 12);
    if f.size != 0 || opcode == 7 {
        return false;
    }
    let (vd, vn, vm) = (s.vreg(f.d), s.vreg(f.n), s.vreg(f.m));
    let r = match opcode {
        0..=2 => sha1_rounds(opcode, vd, vn as u32, vm),
        // SHA1SU0.
        3 => ((vn << 64) | (vd >> 64)) ^ vd ^ vm,
        4 => sha256_hash(vd, vn, vm, true),
        5 => sha256_hash(vn, vd, vm, false),
        // SHA256SU1.
        _ => {
            let t0 = (vm << 96) | (vn >> 32);
            let sig1 = |e: u32| e.rotate_right(17) ^ e.rotate_right(19) ^ (e >> 10);
            let mut out = [0u32; 4];
            // Elements 0 and 1 from T1 = Vm<127:64>, then 2 and 3 from the new 0 and 1.
            for e in 0..4u32 {
                let x = if e < 2 { w(vm, 2 + e) } else { out[e as usize - 2] };
                out[e as usize] = sig1(x).wrapping_add(w(vd, e)).wrapping_add(w(t0, e));
            }
            from_words(out)
        }
    };
    s.set_vreg(f.d, r, 128);
    true
}

/// Cryptographic two-register SHA: SHA1H, SHA1SU1, SHA256SU0.
pub(crate) fn sha_two_reg(s: &mut SimdState, insn: u32) -> bool {
    let f = Fields::of(insn);
    let opcode = bits(insn, 16, 12);
    if f.size != 0 || opcode > 2 {
        return false;
    }
    let (vd, vn) = (s.vreg(f.d), s.vreg(f.n));
    let r = match opcode {
        // SHA1H: ROL(Sn, 30).
        0 => u128::from((vn as u32).rotate_left(30)),
        // SHA1SU1.
        1 => {
            let t = vd ^ (vn >> 32);
            let mut out = [0, 1, 2, 3].map(|e| w(t, e).rotate_left(1));
            out[3] ^= w(t, 0).rotate_left(2);
            from_words(out)
        }
        // SHA256SU0.
        _ => {
            let t = (vn << 96) | (vd >> 32);
            from_words([0, 1, 2, 3].map(|e| {
                let x = w(t, e);
                (x.rotate_right(7) ^ x.rotate_right(18) ^ (x >> 3)).wrapping_add(w(vd, e))
            }))
        }
    };
    s.set_vreg(f.d, r, 128);
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sbox() {
        assert_eq!(SBOX[0], 0x63);
        assert_eq!(SBOX[0x53], 0xed);
        assert_eq!(INV_SBOX[0x63], 0);
        assert_eq!(gf_mul(0x57, 0x83), 0xc1);
    }
}
