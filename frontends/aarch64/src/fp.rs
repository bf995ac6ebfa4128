//! The scalar floating-point instructions (ARM ARM C4.1.6, "Floating-point
//! data-processing" groups, bit 28 = 1 and bit 30 = 0), executed on the
//! register file by the helpers of [`crate::translate`]: arithmetic through
//! chimera-softfloat with the FPCR of the moment, flags OR-ed into FPSR.
//!
//! Only encodings that `simd_fp::data_allocated` accepts reach these
//! functions, so their reserved fields need no second check.

use chimera_aarch64_simd::SimdState;
use chimera_softfloat::{Cmp, Fmt, Fpu, Round};

/// The format of a `ftype` field (bits \[23:22\]): 00 single, 01 double, 11 half.
fn fmt_of(ftype: u32) -> Fmt {
    match ftype {
        0 => Fmt::S,
        1 => Fmt::D,
        _ => Fmt::H,
    }
}

/// Width of a format in bits.
fn width(f: Fmt) -> u32 {
    match f {
        Fmt::H => 16,
        Fmt::S => 32,
        Fmt::D => 64,
    }
}

fn mask(f: Fmt) -> u64 {
    match f {
        Fmt::H => 0xffff,
        Fmt::S => 0xffff_ffff,
        Fmt::D => u64::MAX,
    }
}

/// The sign bit of a format.
fn sign(f: Fmt) -> u64 {
    1 << (width(f) - 1)
}

fn field(insn: u32, hi: u32, lo: u32) -> u32 {
    (insn >> lo) & ((1 << (hi - lo + 1)) - 1)
}

/// The scalar in the low bits of V`n`.
fn read(s: &SimdState, n: u32, f: Fmt) -> u64 {
    s.v[n as usize][0] & mask(f)
}

/// Write a scalar to V`n`, clearing the rest of the register.
fn write(s: &mut SimdState, n: u32, f: Fmt, v: u64) {
    s.v[n as usize] = [v & mask(f), 0];
}

/// The rounding mode of FPCR.RMode (ARM ARM C5.2.7).
fn fpcr_round(fpcr: u32) -> Round {
    match (fpcr >> 22) & 3 {
        0 => Round::NearestEven,
        1 => Round::PlusInf,
        2 => Round::MinusInf,
        _ => Round::Zero,
    }
}

/// `VFPExpandImm()` (ARM ARM J1 shared/functions/float): the FMOV immediate
/// `imm8` as a `bytes`-byte value.
pub(crate) fn expand_imm(imm8: u32, bytes: u32) -> u64 {
    let (e, f) = match bytes {
        2 => (5, 10),
        4 => (8, 23),
        _ => (11, 52),
    };
    let imm8 = u64::from(imm8);
    let sign = imm8 >> 7;
    let b6 = (imm8 >> 6) & 1;
    // exp = NOT(b6) : Replicate(b6, E-3) : imm8<5:4>
    let rep = if b6 == 1 { (1u64 << (e - 3)) - 1 } else { 0 };
    let exp = ((b6 ^ 1) << (e - 1)) | (rep << 2) | ((imm8 >> 4) & 3);
    let frac = (imm8 & 0xf) << (f - 4);
    (sign << (e + f)) | (exp << f) | frac
}

/// Run `op` with the FPCR's controls and OR its flags into FPSR.
fn with_fpu<T>(s: &mut SimdState, op: impl FnOnce(&mut Fpu) -> T) -> T {
    let mut fpu = Fpu::arm_with_flags(s.fpcr, s.fpsr);
    let r = op(&mut fpu);
    s.fpsr |= fpu.flags;
    r
}

/// FP data-processing with 1, 2 or 3 sources (FMOV/FABS/FNEG are IR).
pub fn data(s: &mut SimdState, insn: u32) {
    let f = fmt_of(field(insn, 23, 22));
    let (rd, rn, rm, ra) = (field(insn, 4, 0), field(insn, 9, 5), field(insn, 20, 16), field(insn, 14, 10));
    if insn & (1 << 24) != 0 {
        // FMADD/FMSUB/FNMADD/FNMSUB (C7.2.107 and relatives): the negations are
        // `FPNeg()` of the operands, NaNs included.
        let (o1, o0) = (insn >> 21 & 1, insn >> 15 & 1);
        let mut a = read(s, ra, f);
        let mut n = read(s, rn, f);
        let m = read(s, rm, f);
        if o1 == 1 {
            a ^= sign(f);
        }
        if o0 != o1 {
            n ^= sign(f);
        }
        let r = with_fpu(s, |u| u.mul_add(f, a, n, m));
        write(s, rd, f, r);
        return;
    }
    if field(insn, 11, 10) == 2 {
        // 2-source (C7.2.*): FMUL FDIV FADD FSUB FMAX FMIN FMAXNM FMINNM FNMUL.
        let (a, b) = (read(s, rn, f), read(s, rm, f));
        let op = field(insn, 15, 12);
        let r = with_fpu(s, |u| match op {
            0 => u.mul(f, a, b),
            1 => u.div(f, a, b),
            2 => u.add(f, a, b),
            3 => u.sub(f, a, b),
            4 => u.max(f, a, b),
            5 => u.min(f, a, b),
            6 => u.max_num(f, a, b),
            7 => u.min_num(f, a, b),
            _ => u.mul(f, a, b) ^ sign(f),
        });
        write(s, rd, f, r);
        return;
    }
    // 1-source: FSQRT, FCVT, FRINT*.
    let a = read(s, rn, f);
    let fpcr = s.fpcr;
    match field(insn, 20, 15) {
        3 => {
            let r = with_fpu(s, |u| u.sqrt(f, a));
            write(s, rd, f, r);
        }
        op @ 4..=7 => {
            let to = fmt_of(op & 3);
            let r = with_fpu(s, |u| u.convert(f, to, a));
            write(s, rd, to, r);
        }
        op => {
            let (round, exact) = match op {
                8 => (Round::NearestEven, false),
                9 => (Round::PlusInf, false),
                10 => (Round::MinusInf, false),
                11 => (Round::Zero, false),
                12 => (Round::NearestAway, false),
                14 => (fpcr_round(fpcr), true),
                _ => (fpcr_round(fpcr), false),
            };
            let r = with_fpu(s, |u| u.round_to_int(f, a, round, exact));
            write(s, rd, f, r);
        }
    }
}

/// FCMP/FCMPE/FCCMP/FCCMPE (C7.2.66 and relatives): the new NZCV in bits
/// \[3:0\]. `holds` is FCCMP's condition (true for FCMP).
pub(crate) fn compare(s: &mut SimdState, insn: u32, holds: bool) -> u32 {
    let f = fmt_of(field(insn, 23, 22));
    let a = read(s, field(insn, 9, 5), f);
    let ccmp = field(insn, 11, 10) == 1;
    if ccmp && !holds {
        return field(insn, 3, 0);
    }
    // FCMP with zero (opc<0>, bit 3) compares with +0.0; E is bit 4.
    let b = if !ccmp && insn & (1 << 3) != 0 { 0 } else { read(s, field(insn, 20, 16), f) };
    let signaling = insn & (1 << 4) != 0;
    match with_fpu(s, |u| u.compare(f, a, b, signaling)) {
        Cmp::Less => 0b1000,
        Cmp::Equal => 0b0110,
        Cmp::Greater => 0b0010,
        Cmp::Unordered => 0b0011,
    }
}

/// FCVT{N,P,M,Z,A}{S,U} (integer) and FCVTZ{S,U} (fixed point) (C7.2.73
/// and relatives): the integer, zero-extended from 32 bits for a W register.
pub(crate) fn to_int(s: &mut SimdState, insn: u32) -> u64 {
    let f = fmt_of(field(insn, 23, 22));
    let a = read(s, field(insn, 9, 5), f);
    let bits = if insn >> 31 != 0 { 64 } else { 32 };
    let (rmode, opcode) = (field(insn, 20, 19), field(insn, 18, 16));
    let fixed = insn & (1 << 21) == 0;
    let fbits = if fixed { 64 - field(insn, 15, 10) } else { 0 };
    let round = if opcode & 4 != 0 {
        Round::NearestAway
    } else {
        match rmode {
            0 => Round::NearestEven,
            1 => Round::PlusInf,
            2 => Round::MinusInf,
            _ => Round::Zero,
        }
    };
    let signed = opcode & 1 == 0;
    with_fpu(s, |u| u.to_int(f, a, round, signed, bits, fbits))
}

/// SCVTF/UCVTF (integer and fixed point) (C7.2.236 and relatives): write Vd.
pub(crate) fn from_int(s: &mut SimdState, insn: u32, x: u64) {
    let f = fmt_of(field(insn, 23, 22));
    let bits = if insn >> 31 != 0 { 64 } else { 32 };
    let x = if bits == 32 { x & 0xffff_ffff } else { x };
    let fixed = insn & (1 << 21) == 0;
    let fbits = if fixed { 64 - field(insn, 15, 10) } else { 0 };
    let signed = field(insn, 18, 16) & 1 == 0;
    let r = with_fpu(s, |u| u.from_int(f, x, signed, bits, fbits));
    write(s, field(insn, 4, 0), f, r);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fmov_immediates() {
        // FMOV d0, #1.0 is imm8 0x70; #-2.0 is 0x80; #0.125 is 0x40; #31.0 is 0x3f.
        assert_eq!(expand_imm(0x70, 8), 1.0f64.to_bits());
        assert_eq!(expand_imm(0x80, 8), (-2.0f64).to_bits());
        assert_eq!(expand_imm(0x40, 4), u64::from(0.125f32.to_bits()));
        assert_eq!(expand_imm(0x3f, 4), u64::from(31.0f32.to_bits()));
        assert_eq!(expand_imm(0x70, 2), 0x3c00);
    }
}
