//! Which encodings of the SIMD&FP space exist on the Cortex-A57 (ARMv8.0 with
//! FP, AdvSIMD, AES, PMULL, SHA1 and SHA256; no FP16, RDM, dot product, FCMA,
//! JSCVT, FRINTTS or SHA512/SHA3/SM): the reserved-field rules of the ARM ARM
//! C4.1 encoding tables for the loads and stores with V = 1 (C4.1.4) and the
//! data-processing groups "Data Processing -- Scalar Floating-Point and
//! Advanced SIMD" (C4.1.6), as QEMU 7.2 applies them.
//!
//! An allocated encoding first checks that FP is enabled (the FP access trap
//! takes priority over everything but UNDEFINED); an unallocated one is
//! UNDEFINED whatever CPACR_EL1 says.

use crate::decode::Insn;

/// Count of trailing zeros of a 5-bit imm5 (5 when zero): the element size
/// of the copy instructions.
fn imm5_size(imm5: u32) -> u32 {
    imm5.trailing_zeros().min(5)
}

/// True if a SIMD&FP load or store (bits \[27:25\] = 0b110) is allocated.
pub fn load_store_allocated(i: Insn) -> bool {
    let (size, opc) = (i.size(), i.opc());
    // Register forms: a 128-bit Q register only with size 0b00 (opc<1>).
    let reg_size_ok = opc & 2 == 0 || size == 0;
    match i.bits(29, 24) {
        // C4.1.4 AdvSIMD load/store multiple structures (and post-indexed).
        0b001100 => {
            let selem = match i.bits(15, 12) {
                0b0000 => 4,
                0b0100 => 3,
                0b1000 => 2,
                0b0010 | 0b0110 | 0b0111 | 0b1010 => 1,
                _ => return false,
            };
            !i.bit(31) && !i.bit(21) && (i.bit(23) || i.rm() == 0) && (i.bits(11, 10) != 3 || i.bit(30) || selem == 1)
        }
        // AdvSIMD load/store single structure (and post-indexed).
        0b001101 => {
            let (s, bits) = (i.bit(12), i.bits(11, 10));
            let ok = match i.bits(15, 14) {
                0 => true,
                1 => bits & 1 == 0,
                2 => bits & 2 == 0 && (bits & 1 == 0 || !s),
                _ => i.bit(22) && !s,
            };
            !i.bit(31) && (i.bit(23) || i.rm() == 0) && ok
        }
        // LDR (literal, SIMD&FP): S, D, Q.
        0b011100 => i.bits(31, 30) != 3,
        // LDNP/STNP, LDP/STP (SIMD&FP): S, D, Q. A load pair into one
        // register twice is CONSTRAINED UNPREDICTABLE (ARM ARM C6.2.191):
        // Chimera takes the UNDEFINED choice (QEMU loads).
        0b101100 | 0b101101 => i.bits(31, 30) != 3 && !(i.bit(22) && i.rt() == i.rt2()),
        0b111100 if !i.bit(21) => reg_size_ok && i.bits(11, 10) != 0b10,
        // Register offset: the option must extend a W or X register.
        0b111100 => i.bits(11, 10) == 0b10 && i.bit(14) && reg_size_ok,
        0b111101 => reg_size_ok,
        _ => false,
    }
}

/// One group of the data-processing SIMD&FP space: its fixed bits and the
/// reserved-field check of its remaining ones. Groups are tried in order.
struct Group {
    mask: u32,
    value: u32,
    allocated: fn(Insn) -> bool,
}

const fn g(value: u32, mask: u32, allocated: fn(Insn) -> bool) -> Group {
    Group { mask, value, allocated }
}

/// The AdvSIMD and crypto groups (bits \[28:25\] = x111 except the scalar FP
/// ones), ARM ARM C4.1.6, in QEMU's order (modified immediate before shift by
/// immediate, of which it is the immh = 0 corner).
static SIMD_GROUPS: &[Group] = &[
    g(0x0e20_0400, 0x9f20_0400, three_same),
    g(0x0e20_0000, 0x9f20_0c00, three_different),
    g(0x0e20_0800, 0x9f3e_0c00, two_reg_misc),
    g(0x0e30_0800, 0x9f3e_0c00, across_lanes),
    g(0x0e00_0400, 0x9fe0_8400, copy),
    g(0x0f00_0000, 0x9f00_0400, indexed),
    g(0x0f00_0400, 0x9ff8_0400, modified_immediate),
    g(0x0f00_0400, 0x9f80_0400, shift_immediate),
    g(0x0e00_0000, 0xbf20_8c00, table_lookup),
    g(0x0e00_0800, 0xbf20_8c00, permute),
    g(0x2e00_0000, 0xbf20_8400, extract),
    g(0x5e20_0400, 0xdf20_0400, scalar_three_same),
    g(0x5e20_0000, 0xdf20_0c00, scalar_three_different),
    g(0x5e20_0800, 0xdf3e_0c00, scalar_two_reg_misc),
    g(0x5e30_0800, 0xdf3e_0c00, scalar_pairwise),
    g(0x5e00_0400, 0xdfe0_8400, scalar_copy),
    g(0x5f00_0000, 0xdf00_0400, indexed),
    g(0x5f00_0400, 0xdf80_0400, scalar_shift_immediate),
    g(0x4e28_0800, 0xff3e_0c00, crypto_aes),
    g(0x5e00_0000, 0xff20_8c00, crypto_three_reg_sha),
    g(0x5e28_0800, 0xff3e_0c00, crypto_two_reg_sha),
];

/// True if a data-processing SIMD&FP encoding (bits \[27:25\] = 0b111) is allocated.
pub fn data_allocated(i: Insn) -> bool {
    if i.bit(28) && !i.bit(30) {
        return scalar_fp(i);
    }
    SIMD_GROUPS.iter().find(|grp| i.0 & grp.mask == grp.value).is_some_and(|grp| (grp.allocated)(i))
}

/// FP data-processing groups (C4.1.6, bit 28 = 1, bit 30 = 0): M and S
/// (bits 31 and 29) are zero except in the conversions, and the type
/// (bits \[23:22\]) is single or double (half needs FP16).
fn scalar_fp(i: Insn) -> bool {
    let mos = i.bits(31, 29) == 0;
    let ty = i.bits(23, 22);
    let sd = ty < 2;
    if i.bit(24) {
        // FMADD/FMSUB/FNMADD/FNMSUB.
        return mos && sd;
    }
    if !i.bit(21) {
        // Conversion between FP and fixed point: SCVTF/UCVTF, FCVTZS/FCVTZU.
        let scale_ok = i.sf() || i.bits(15, 10) >= 32;
        return !i.s() && scale_ok && sd && matches!(i.bits(20, 16), 0b00010 | 0b00011 | 0b11000 | 0b11001);
    }
    match i.bits(11, 10) {
        // FCCMP/FCCMPE, FP data-processing (2 source), FCSEL.
        1 | 3 => mos && sd,
        2 => mos && sd && i.bits(15, 12) <= 8,
        _ => match i.bits(15, 12).trailing_zeros() {
            // FMOV (scalar, immediate).
            0 => mos && sd && i.bits(9, 5) == 0,
            // FCMP/FCMPE.
            1 => mos && sd && i.bits(15, 14) == 0 && i.bits(2, 0) == 0,
            2 => mos && fp_1src(ty, i.bits(20, 15)),
            3 => false,
            _ => fp_int_conv(i),
        },
    }
}

/// FP data-processing (1 source): FMOV, FABS, FNEG, FSQRT, FCVT, FRINT*.
fn fp_1src(ty: u32, opcode: u32) -> bool {
    match opcode {
        0x4 | 0x5 | 0x7 => ty != 2 && opcode & 3 != ty,
        0x0..=0x3 | 0x8..=0xc | 0xe | 0xf => ty < 2,
        _ => false,
    }
}

/// Conversion between FP and integer: FCVT*, SCVTF/UCVTF, FMOV (general).
fn fp_int_conv(i: Insn) -> bool {
    let (ty, rmode, opcode) = (i.bits(23, 22), i.bits(20, 19), i.bits(18, 16));
    if i.s() {
        return false;
    }
    match opcode {
        2..=5 => rmode == 0 && ty < 2,
        0 | 1 => ty < 2,
        _ => matches!((u32::from(i.sf()) << 7) | (ty << 5) | (rmode << 3) | opcode, 0b0000_0110 | 0b0000_0111 | 0b1010_0110 | 0b1010_0111 | 0b1100_1110 | 0b1100_1111),
    }
}

/// AdvSIMD three same (bits \[15:11\] opcode, U bit 29, size \[23:22\]).
fn three_same(i: Insn) -> bool {
    let (q, u, size, opcode) = (i.bit(30), i.bit(29), i.bits(23, 22), i.bits(15, 11));
    match opcode {
        0x03 => true,
        0x17 => !u && (size != 3 || q),
        0x14 | 0x15 => size != 3,
        0x18..=0x1f => {
            // FP: U, size<1> and the opcode select the operation, size<0> the precision.
            let fpopcode = opcode | (i.bits(23, 23) << 5) | (u32::from(u) << 6);
            let double = i.bit(22);
            if double && !q {
                return false;
            }
            matches!(
                fpopcode,
                0x58 | 0x5a | 0x5e | 0x78 | 0x7e | 0x1b | 0x1f | 0x3f | 0x5d | 0x7d | 0x19 | 0x39 | 0x18 | 0x1a | 0x1c | 0x1e | 0x38 | 0x3a | 0x3e | 0x5b | 0x5c | 0x5f | 0x7a | 0x7c
            )
        }
        0x13 if u && size != 0 => false,
        0x00 | 0x02 | 0x04 | 0x0c..=0x0f | 0x12 | 0x13 => size != 3,
        0x16 => size == 1 || size == 2,
        _ => size != 3 || q,
    }
}

/// AdvSIMD three different.
fn three_different(i: Insn) -> bool {
    let (u, size) = (i.bit(29), i.bits(23, 22));
    match i.bits(15, 12) {
        // PMULL (8-bit, and 64-bit with the crypto extension).
        14 => !u && (size == 0 || size == 3),
        9 | 11 | 13 => !u && size != 0 && size != 3,
        15 => false,
        _ => size != 3,
    }
}

/// AdvSIMD two-register miscellaneous.
fn two_reg_misc(i: Insn) -> bool {
    let (q, u, size, opcode) = (i.bit(30), i.bit(29), i.bits(23, 22), i.bits(16, 12));
    let not_1d = size != 3 || q;
    match opcode {
        // REV64, REV32, REV16: the element must be narrower than the group.
        0x0 | 0x1 => (opcode << 1 | u32::from(u)) + size < 3,
        // CNT, NOT, RBIT.
        0x5 => matches!((u, size), (false, 0) | (true, 0) | (true, 1)),
        0x2 | 0x4 | 0x6 | 0x12 | 0x14 => size != 3,
        0x13 => u && size != 3,
        0xa => !u && not_1d,
        0x3 | 0x7 | 0x8 | 0x9 | 0xb => not_1d,
        0xc..=0xf | 0x16..=0x1f => {
            let double = size & 1 != 0;
            let fp_1d = double && !q;
            match opcode | ((size >> 1) << 5) | (u32::from(u) << 6) {
                0x16 | 0x17 => true,
                0x56 => double,
                0x3c | 0x7c => !double,
                0x2f | 0x6f | 0x1d | 0x5d | 0x2c | 0x2d | 0x2e | 0x6c | 0x6d | 0x7f | 0x1a | 0x1b | 0x3a | 0x3b | 0x5a | 0x5b | 0x7a | 0x7b | 0x5c | 0x1c | 0x3d | 0x7d | 0x18 | 0x19 | 0x38 | 0x39 | 0x59 | 0x79 | 0x58 => !fp_1d,
                _ => false,
            }
        }
        _ => false,
    }
}

/// AdvSIMD across lanes.
fn across_lanes(i: Insn) -> bool {
    let (q, u, size) = (i.bit(30), i.bit(29), i.bits(23, 22));
    match i.bits(16, 12) {
        0x1b => !u && (size < 2 || size == 2 && q),
        0x03 | 0x0a | 0x1a => size < 2 || size == 2 && q,
        // FMAXNMV/FMINNMV, FMAXV/FMINV: single precision, 128-bit only.
        0x0c | 0x0f => u && q && size & 1 == 0,
        _ => false,
    }
}

/// AdvSIMD copy: DUP, INS, UMOV, SMOV.
fn copy(i: Insn) -> bool {
    let (q, size) = (i.bit(30), imm5_size(i.bits(20, 16)));
    if i.bit(29) {
        return q && size <= 3;
    }
    match i.bits(14, 11) {
        0 | 1 => size < 3 || size == 3 && q,
        3 => q && size <= 3,
        // SMOV.
        5 => size < 2 || size == 2 && q,
        // UMOV: Q selects the 64-bit form, for 64-bit elements only.
        7 => size <= 3 && q == (size == 3),
        _ => false,
    }
}

/// AdvSIMD (vector and scalar) x indexed element.
fn indexed(i: Insn) -> bool {
    let (scalar, q, u, size, l) = (i.bit(28), i.bit(30), i.bit(29), i.bits(23, 22), i.bit(21));
    let fp = match (u32::from(u) << 4) | i.bits(15, 12) {
        // MUL, MLA, MLS and the long forms exist as vectors only.
        0x08 | 0x10 | 0x14 | 0x02 | 0x12 | 0x06 | 0x16 | 0x0a | 0x1a if !scalar => false,
        0x03 | 0x07 | 0x0b | 0x0c | 0x0d => false,
        0x01 | 0x05 | 0x09 | 0x19 => true,
        _ => return false,
    };
    if fp {
        match size {
            2 => true,
            3 => !l && q,
            _ => false,
        }
    } else {
        size == 1 || size == 2
    }
}

/// AdvSIMD modified immediate (immh = 0 of the shift group).
fn modified_immediate(i: Insn) -> bool {
    !i.bit(11) && (i.bits(15, 12) != 0xf || !i.bit(29) || i.bit(30))
}

/// AdvSIMD shift by immediate (immh != 0).
fn shift_immediate(i: Insn) -> bool {
    let (q, u, immh) = (i.bit(30), i.bit(29), i.bits(22, 19));
    let wide = immh & 8 != 0;
    match i.bits(15, 11) {
        0x08 => u && (!wide || q),
        0x00 | 0x02 | 0x04 | 0x06 | 0x0a => !wide || q,
        0x10..=0x14 => !wide,
        0x0c => u && (!wide || q),
        0x0e => !wide || q,
        // SCVTF/UCVTF, FCVTZS/FCVTZU (fixed point): single or double.
        0x1c | 0x1f => if wide { q } else { immh & 4 != 0 },
        _ => false,
    }
}

/// TBL/TBX.
fn table_lookup(i: Insn) -> bool {
    i.bits(23, 22) == 0
}

/// UZP1/2, TRN1/2, ZIP1/2.
fn permute(i: Insn) -> bool {
    i.bits(13, 12) != 0 && (i.bits(23, 22) != 3 || i.bit(30))
}

/// EXT.
fn extract(i: Insn) -> bool {
    i.bits(23, 22) == 0 && (i.bit(30) || !i.bit(14))
}

/// AdvSIMD scalar three same.
fn scalar_three_same(i: Insn) -> bool {
    let (u, size, opcode) = (i.bit(29), i.bits(23, 22), i.bits(15, 11));
    if opcode >= 0x18 {
        let fpopcode = opcode | ((size >> 1) << 5) | (u32::from(u) << 6);
        return matches!(fpopcode, 0x1b | 0x1f | 0x3f | 0x5d | 0x7d | 0x1c | 0x5c | 0x7c | 0x7a);
    }
    match opcode {
        0x1 | 0x5 | 0x9 | 0xb => true,
        0x8 | 0xa | 0x6 | 0x7 | 0x11 | 0x10 => size == 3,
        0x16 => size == 1 || size == 2,
        _ => false,
    }
}

/// AdvSIMD scalar three different: SQDMLAL, SQDMLSL, SQDMULL.
fn scalar_three_different(i: Insn) -> bool {
    let size = i.bits(23, 22);
    !i.bit(29) && matches!(i.bits(15, 12), 0x9 | 0xb | 0xd) && size != 0 && size != 3
}

/// AdvSIMD scalar two-register miscellaneous.
fn scalar_two_reg_misc(i: Insn) -> bool {
    let (u, size, opcode) = (i.bit(29), i.bits(23, 22), i.bits(16, 12));
    match opcode {
        0x3 | 0x7 => true,
        0xa => !u && size == 3,
        0x8 | 0x9 | 0xb => size == 3,
        0x12 => u && size != 3,
        0x14 => size != 3,
        0xc..=0xf | 0x16..=0x1d | 0x1f => match opcode | ((size >> 1) << 5) | (u32::from(u) << 6) {
            0x2c | 0x2d | 0x2e | 0x6c | 0x6d | 0x1d | 0x5d | 0x3d | 0x3f | 0x7d | 0x1a | 0x1b | 0x3a | 0x3b | 0x5a | 0x5b | 0x7a | 0x7b | 0x1c | 0x5c => true,
            // FCVTXN: from double only.
            0x56 => size & 1 != 0,
            _ => false,
        },
        _ => false,
    }
}

/// AdvSIMD scalar pairwise: ADDP and the FP pairwise reductions.
fn scalar_pairwise(i: Insn) -> bool {
    let (u, size) = (i.bit(29), i.bits(23, 22));
    match i.bits(16, 12) | ((size >> 1) << 5) {
        0x3b => !u && size == 3,
        0x0c | 0x0d | 0x0f | 0x2c | 0x2f => u,
        _ => false,
    }
}

/// DUP (element, scalar).
fn scalar_copy(i: Insn) -> bool {
    !i.bit(29) && i.bits(14, 11) == 0 && imm5_size(i.bits(20, 16)) <= 3
}

/// AdvSIMD scalar shift by immediate.
fn scalar_shift_immediate(i: Insn) -> bool {
    let (u, immh) = (i.bit(29), i.bits(22, 19));
    let wide = immh & 8 != 0;
    immh != 0
        && match i.bits(15, 11) {
            0x08 => u && wide,
            0x00 | 0x02 | 0x04 | 0x06 | 0x0a => wide,
            0x10 | 0x11 => u && !wide,
            0x12 | 0x13 => !wide,
            0x0c => u,
            0x0e => true,
            0x1c | 0x1f => immh & 0xc != 0,
            _ => false,
        }
}

/// AESE, AESD, AESMC, AESIMC.
fn crypto_aes(i: Insn) -> bool {
    i.bits(23, 22) == 0 && (4..=7).contains(&i.bits(16, 12))
}

/// SHA1C/P/M/SU0, SHA256H/H2/SU1.
fn crypto_three_reg_sha(i: Insn) -> bool {
    i.bits(23, 22) == 0 && i.bits(14, 12) != 7
}

/// SHA1H, SHA1SU1, SHA256SU0.
fn crypto_two_reg_sha(i: Insn) -> bool {
    i.bits(23, 22) == 0 && i.bits(16, 12) <= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples() {
        for w in [0x9e67_0000 /* fmov d0, x0 */, 0x1e62_2820 /* fadd d0, d1, d2 */, 0x4c40_7000 /* ld1 {v0.16b}, [x0] */, 0x4e28_4820 /* aese v0.16b, v1.16b */, 0x0e21_1c20 /* and v0.8b, v1.8b, v1.8b */] {
            let i = Insn(w);
            assert!(if i.bits(27, 25) == 0b111 { data_allocated(i) } else { load_store_allocated(i) }, "{w:#010x}");
        }
        // fmov h0, w0 (FP16), sha512h (SHA512), ldr q0 with size 0b01.
        for w in [0x1ee7_0000, 0xce60_8000, 0x7cc0_0000] {
            let i = Insn(w);
            assert!(!if i.bits(27, 25) == 0b111 { data_allocated(i) } else { load_store_allocated(i) }, "{w:#010x}");
        }
    }
}
