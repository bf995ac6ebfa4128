//! CRC32B/H/W/X and CRC32CB/H/W/X (ARM ARM C6.2.74, C6.2.75; FEAT_CRC32,
//! which the Cortex-A57 implements: ID_AA64ISAR0_EL1.CRC32 = 1).
//!
//! The pseudocode folds the data into the accumulator with a bit-reflected
//! polynomial and no pre- or post-inversion: `Wd = CRC(Wn, Rm<size-1:0>)`.
//! A helper does it a byte at a time from a 256-entry table.

use super::{Step, Translator};
use crate::decode::Insn;
use chimera_ir::{Helper, Type};

/// The CRC-32 polynomial 0x04C11DB7 (ISO-HDLC), bit-reflected.
const POLY_CRC32: u32 = 0x04c1_1db7_u32.reverse_bits();
/// The CRC-32C polynomial 0x1EDC6F41 (Castagnoli), bit-reflected.
const POLY_CRC32C: u32 = 0x1edc_6f41_u32.reverse_bits();

/// The byte-at-a-time table of a reflected polynomial.
const fn table(poly: u32) -> [u32; 256] {
    let mut t = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 { (c >> 1) ^ poly } else { c >> 1 };
            k += 1;
        }
        t[i] = c;
        i += 1;
    }
    t
}

static TABLE_CRC32: [u32; 256] = table(POLY_CRC32);
static TABLE_CRC32C: [u32; 256] = table(POLY_CRC32C);

/// Fold the low `bytes` bytes of `data` into `acc`, least significant byte
/// first (the reflected order of the pseudocode).
fn fold(table: &[u32; 256], acc: u32, data: u64, bytes: u64) -> u32 {
    (0..bytes).fold(acc, |c, k| table[usize::from((c as u8) ^ (data >> (8 * k)) as u8)] ^ (c >> 8))
}

/// CRC32*: the new accumulator from `acc` (Wn) and the low `bytes` bytes of `data`.
pub fn update_crc32(acc: u32, data: u64, bytes: u64) -> u32 {
    fold(&TABLE_CRC32, acc, data, bytes)
}

/// CRC32C*: as [`update_crc32`] with the Castagnoli polynomial.
pub fn update_crc32c(acc: u32, data: u64, bytes: u64) -> u32 {
    fold(&TABLE_CRC32C, acc, data, bytes)
}

extern "C" fn crc32_helper(_cpu: *mut u8, _env: *mut u8, acc: u64, data: u64, bytes: u64) -> u64 {
    u64::from(update_crc32(acc as u32, data, bytes))
}

extern "C" fn crc32c_helper(_cpu: *mut u8, _env: *mut u8, acc: u64, data: u64, bytes: u64) -> u64 {
    u64::from(update_crc32c(acc as u32, data, bytes))
}

/// CRC32B/H/W/X: [`update_crc32`]`(a, b, c)`.
pub const CRC32_HELPER: Helper = Helper::pure("a64_crc32", crc32_helper);
/// CRC32CB/H/W/X: [`update_crc32c`]`(a, b, c)`.
pub const CRC32C_HELPER: Helper = Helper::pure("a64_crc32c", crc32c_helper);

/// CRC32* and CRC32C* (C6.2.74, C6.2.75): bit 12 is C, bits \[11:10\] the
/// size (the table only holds sf = 1 with size 0b11 and sf = 0 with the others).
pub(super) fn crc32(t: &mut Translator, i: Insn) -> Step {
    let acc = t.reg(false, i.rn());
    let acc = t.b.zext(Type::I64, acc);
    let data = t.x(i.rm());
    let bytes = t.c64(1 << i.bits(11, 10));
    let helper = if i.bit(12) { CRC32C_HELPER } else { CRC32_HELPER };
    let r = t.b.call(helper, &[acc, data, bytes]);
    let r = t.b.trunc(Type::I32, r);
    t.set_x(i.rd(), r);
    Step::Next
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The check values of the two CRCs over "123456789" (initial value and
    /// final XOR 0xFFFFFFFF), one byte at a time as CRC32B/CRC32CB compute.
    #[test]
    fn check_values() {
        let by_bytes = |f: fn(u32, u64, u64) -> u32| !b"123456789".iter().fold(!0u32, |c, &b| f(c, u64::from(b), 1));
        assert_eq!(by_bytes(update_crc32), 0xcbf4_3926);
        assert_eq!(by_bytes(update_crc32c), 0xe306_9283);
    }

    /// Wider forms equal the byte form applied to each byte, low byte first.
    #[test]
    fn widths_agree() {
        let data = 0x0123_4567_89ab_cdefu64;
        for f in [update_crc32 as fn(u32, u64, u64) -> u32, update_crc32c] {
            for bytes in [2u64, 4, 8] {
                let bytewise = (0..bytes).fold(0x1234_5678, |c, k| f(c, data >> (8 * k), 1));
                assert_eq!(f(0x1234_5678, data, bytes), bytewise);
            }
        }
    }
}
