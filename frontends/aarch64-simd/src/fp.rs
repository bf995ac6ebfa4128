//! The floating-point lanes of the AdvSIMD groups (ARM ARM C4.1.6), vector
//! and scalar, on `chimera-softfloat`: one [`Fpu`] per instruction built
//! from FPCR, its operations applied per lane in element order, and the
//! flags it collected OR-ed into FPSR at the end (the pseudocode's
//! `FPProcessException` accumulating into FPSR).
//!
//! The FP opcodes of a group are identified as QEMU and the ARM ARM encoding
//! tables do, by `fpopcode = opcode | size<1> << 5 | U << 6` with `size<0>`
//! (sz) selecting single or double precision.

use crate::{bit, bits, elem, set_elem, Fields, SimdState};
use chimera_softfloat::{unsigned_recip_estimate, unsigned_rsqrt_estimate, Fmt, Fpu, Round};

/// The format of `es`-bit lanes.
fn fmt(es: u32) -> Fmt {
    match es {
        16 => Fmt::H,
        32 => Fmt::S,
        _ => Fmt::D,
    }
}

/// `FPNeg()`: flips the sign bit (of NaNs too).
fn neg(es: u32, x: u64) -> u64 {
    x ^ (1 << (es - 1))
}

/// `FPAbs()`: clears the sign bit.
fn abs(es: u32, x: u64) -> u64 {
    x & !(1 << (es - 1))
}

/// All ones in an `es`-bit lane if `b` (the compare results).
fn mask(es: u32, b: bool) -> u64 {
    if b {
        crate::ones(es)
    } else {
        0
    }
}

/// The pairwise/reduction operation of fpopcode `op` (FMAXNMP/FMAXNMV 0x58
/// or 0x0c, FMINNMP 0x78 or 0x2c, FADDP 0x5a or 0x0d, FMAXP/FMAXV 0x5e or
/// 0x0f, FMINP/FMINV 0x7e or 0x2f).
fn reduce_op(fpu: &mut Fpu, op: u32, f: Fmt, a: u64, b: u64) -> u64 {
    match op & 0x3f {
        0x18 | 0x0c => fpu.max_num(f, a, b),
        0x38 | 0x2c => fpu.min_num(f, a, b),
        0x1a | 0x0d => fpu.add(f, a, b),
        0x1e | 0x0f => fpu.max(f, a, b),
        _ => fpu.min(f, a, b),
    }
}

/// One lane of a non-pairwise FP three-same operation: `a` from Vn, `b`
/// from Vm, `acc` the old destination lane.
fn three_same_lane(fpu: &mut Fpu, op: u32, es: u32, a: u64, b: u64, acc: u64) -> u64 {
    let f = fmt(es);
    match op {
        0x18 => fpu.max_num(f, a, b),
        0x38 => fpu.min_num(f, a, b),
        0x19 => fpu.mul_add(f, acc, a, b),
        0x39 => fpu.mul_add(f, acc, neg(es, a), b),
        0x1a => fpu.add(f, a, b),
        0x3a => fpu.sub(f, a, b),
        0x1b => fpu.mulx(f, a, b),
        0x1c => mask(es, fpu.compare_eq(f, a, b)),
        0x1e => fpu.max(f, a, b),
        0x3e => fpu.min(f, a, b),
        0x1f => fpu.recip_step(f, a, b),
        0x3f => fpu.rsqrt_step(f, a, b),
        0x5b => fpu.mul(f, a, b),
        0x5f => fpu.div(f, a, b),
        0x5c => mask(es, fpu.compare_ge(f, a, b)),
        0x7c => mask(es, fpu.compare_gt(f, a, b)),
        0x5d => mask(es, fpu.compare_ge(f, abs(es, a), abs(es, b))),
        0x7d => mask(es, fpu.compare_gt(f, abs(es, a), abs(es, b))),
        // FABD.
        _ => abs(es, fpu.sub(f, a, b)),
    }
}

/// AdvSIMD (scalar) three same, FP opcodes 0x18..0x1f (C4.1.6): FMAXNM,
/// FMLA, FADD, FMULX, FCMEQ, FMAX, FRECPS, FMINNM, FMLS, FSUB, FMIN,
/// FRSQRTS, FMAXNMP, FADDP, FMUL, FCMGE, FACGE, FMAXP, FDIV, FMINNMP, FABD,
/// FCMGT, FACGT, FMINP.
pub(crate) fn three_same(s: &mut SimdState, insn: u32, scalar: bool) -> bool {
    let f = Fields::of(insn);
    let op = bits(insn, 15, 11) | ((f.size >> 1) << 5) | (u32::from(f.u) << 6);
    let double = f.size & 1 != 0;
    let allocated = if scalar {
        matches!(op, 0x1b | 0x1f | 0x3f | 0x5d | 0x7d | 0x1c | 0x5c | 0x7c | 0x7a)
    } else {
        (!double || f.q)
            && matches!(
                op,
                0x58 | 0x5a | 0x5e | 0x78 | 0x7e | 0x1b | 0x1f | 0x3f | 0x5d | 0x7d | 0x19 | 0x39 | 0x18 | 0x1a | 0x1c | 0x1e | 0x38 | 0x3a | 0x3e | 0x5b | 0x5c | 0x5f | 0x7a | 0x7c
            )
    };
    if !allocated {
        return false;
    }
    let es = if double { 64 } else { 32 };
    let datasize = f.datasize();
    let (width, elements) = if scalar { (es, 1) } else { (datasize, datasize / es) };
    let (vn, vm, vd) = (s.vreg(f.n), s.vreg(f.m), s.vreg(f.d));
    let mut fpu = Fpu::arm_with_flags(s.fpcr, s.fpsr);
    let mut r = 0u128;
    let pairwise = matches!(op, 0x58 | 0x5a | 0x5e | 0x78 | 0x7e);
    // Pairwise operations read the concatenation Vm:Vn.
    let pair = |k: u32| if k < elements { elem(vn, k, es) } else { elem(vm, k - elements, es) };
    for e in 0..elements {
        let v = if pairwise {
            reduce_op(&mut fpu, op, fmt(es), pair(2 * e), pair(2 * e + 1))
        } else {
            three_same_lane(&mut fpu, op, es, elem(vn, e, es), elem(vm, e, es), elem(vd, e, es))
        };
        set_elem(&mut r, e, es, v);
    }
    s.set_vreg(f.d, r, width);
    s.fpsr |= fpu.flags;
    true
}

/// The rounding of an FCVT{N,M,P,Z,A}{S,U} / FRINT{N,M,P,Z,A} fpopcode.
fn rounding_of(op: u32) -> Round {
    match op {
        0x18 | 0x1a | 0x5a => Round::NearestEven,
        0x19 | 0x1b | 0x5b => Round::MinusInf,
        0x38 | 0x3a | 0x7a => Round::PlusInf,
        0x39 | 0x3b | 0x7b => Round::Zero,
        // FRINTA (0x58), FCVTAS (0x1c), FCVTAU (0x5c).
        _ => Round::NearestAway,
    }
}

/// AdvSIMD (scalar) two-register miscellaneous, FP opcodes (C4.1.6):
/// FCVTN/FCVTXN/FCVTL, FRINT*, FCVT{N,M,P,Z,A}{S,U}, SCVTF/UCVTF, FP
/// compares with zero, FABS/FNEG, FSQRT, FRECPE/FRSQRTE/FRECPX and the
/// integer estimates URECPE/URSQRTE.
pub(crate) fn two_reg_misc(s: &mut SimdState, insn: u32, scalar: bool) -> bool {
    let f = Fields::of(insn);
    let op = bits(insn, 16, 12) | ((f.size >> 1) << 5) | (u32::from(f.u) << 6);
    let double = f.size & 1 != 0;
    let fp_1d = double && !f.q;
    let allocated = if scalar {
        match op {
            0x2c | 0x2d | 0x2e | 0x6c | 0x6d | 0x1d | 0x5d | 0x3d | 0x3f | 0x7d | 0x1a | 0x1b | 0x3a | 0x3b | 0x5a | 0x5b | 0x7a | 0x7b | 0x1c | 0x5c => true,
            0x56 => double,
            _ => false,
        }
    } else {
        match op {
            0x16 | 0x17 => true,
            0x56 => double,
            0x3c | 0x7c => !double,
            0x2f | 0x6f | 0x1d | 0x5d | 0x2c | 0x2d | 0x2e | 0x6c | 0x6d | 0x7f | 0x1a | 0x1b | 0x3a | 0x3b | 0x5a | 0x5b | 0x7a | 0x7b | 0x5c | 0x1c | 0x3d | 0x7d | 0x18 | 0x19 | 0x38 | 0x39 | 0x59 | 0x79 | 0x58 => !fp_1d,
            _ => false,
        }
    };
    if !allocated {
        return false;
    }
    let vn = s.vreg(f.n);
    let mut fpu = Fpu::arm_with_flags(s.fpcr, s.fpsr);
    let mut r = 0u128;
    match op {
        // FCVTN/FCVTN2 (single to half, double to single), FCVTXN/FCVTXN2.
        0x16 | 0x56 => {
            let es = if double { 32 } else { 16 };
            let elements = if scalar { 1 } else { 64 / es };
            for e in 0..elements {
                let x = elem(vn, e, 2 * es);
                let v = if op == 0x56 { fpu.convert_odd(Fmt::D, Fmt::S, x) } else { fpu.convert(fmt(2 * es), fmt(es), x) };
                set_elem(&mut r, e, es, v);
            }
            if scalar {
                s.set_vreg(f.d, r, es);
            } else {
                s.set_vpart(f.d, f.q, r as u64);
            }
        }
        // FCVTL/FCVTL2 (half to single, single to double).
        0x17 => {
            let es = if double { 32 } else { 16 };
            let src = if f.q { vn >> 64 } else { vn };
            for e in 0..64 / es {
                set_elem(&mut r, e, 2 * es, fpu.convert(fmt(es), fmt(2 * es), elem(src, e, es)));
            }
            s.set_vreg(f.d, r, 128);
        }
        _ => {
            let es = if double { 64 } else { 32 };
            let ff = fmt(es);
            let datasize = f.datasize();
            let (width, elements) = if scalar { (es, 1) } else { (datasize, datasize / es) };
            for e in 0..elements {
                let x = elem(vn, e, es);
                let v = match op {
                    0x18 | 0x19 | 0x38 | 0x39 | 0x58 => fpu.round_to_int(ff, x, rounding_of(op), false),
                    0x59 => fpu.round_to_int(ff, x, fpu.round, true),
                    0x79 => fpu.round_to_int(ff, x, fpu.round, false),
                    0x1a | 0x1b | 0x3a | 0x3b | 0x1c => fpu.to_int(ff, x, rounding_of(op), true, es, 0),
                    0x5a | 0x5b | 0x7a | 0x7b | 0x5c => fpu.to_int(ff, x, rounding_of(op), false, es, 0),
                    0x1d => fpu.from_int(ff, x, true, es, 0),
                    0x5d => fpu.from_int(ff, x, false, es, 0),
                    // FCMGT, FCMEQ, FCMLT, FCMGE, FCMLE (zero).
                    0x2c => mask(es, fpu.compare_gt(ff, x, 0)),
                    0x2d => mask(es, fpu.compare_eq(ff, x, 0)),
                    0x2e => mask(es, fpu.compare_gt(ff, 0, x)),
                    0x6c => mask(es, fpu.compare_ge(ff, x, 0)),
                    0x6d => mask(es, fpu.compare_ge(ff, 0, x)),
                    0x2f => abs(es, x),
                    0x6f => neg(es, x),
                    0x7f => fpu.sqrt(ff, x),
                    0x3c => u64::from(unsigned_recip_estimate(x as u32)),
                    0x7c => u64::from(unsigned_rsqrt_estimate(x as u32)),
                    0x3d => fpu.recip_estimate(ff, x),
                    0x7d => fpu.rsqrt_estimate(ff, x),
                    // FRECPX.
                    _ => fpu.recip_exponent(ff, x),
                };
                set_elem(&mut r, e, es, v);
            }
            s.set_vreg(f.d, r, width);
        }
    }
    s.fpsr |= fpu.flags;
    true
}

/// AdvSIMD across lanes, FP: FMAXNMV, FMINNMV, FMAXV, FMINV (single
/// precision, 128-bit only): `Reduce()` (shared/functions/vector), which
/// combines halves recursively: op(op(e0, e1), op(e2, e3)).
pub(crate) fn across_lanes(s: &mut SimdState, insn: u32) -> bool {
    let f = Fields::of(insn);
    if !(f.u && f.q && f.size & 1 == 0) {
        return false;
    }
    let op = bits(insn, 16, 12) | ((f.size >> 1) << 5);
    let vn = s.vreg(f.n);
    let mut fpu = Fpu::arm_with_flags(s.fpcr, s.fpsr);
    let lo = reduce_op(&mut fpu, op, Fmt::S, elem(vn, 0, 32), elem(vn, 1, 32));
    let hi = reduce_op(&mut fpu, op, Fmt::S, elem(vn, 2, 32), elem(vn, 3, 32));
    let v = reduce_op(&mut fpu, op, Fmt::S, lo, hi);
    s.set_vreg(f.d, u128::from(v), 32);
    s.fpsr |= fpu.flags;
    true
}

/// AdvSIMD scalar pairwise, FP: FMAXNMP, FADDP, FMAXP, FMINNMP, FMINP
/// (scalar): the operation on the two lanes of Vn.2S or Vn.2D.
pub(crate) fn scalar_pairwise(s: &mut SimdState, insn: u32) -> bool {
    let f = Fields::of(insn);
    let op = bits(insn, 16, 12) | ((f.size >> 1) << 5);
    if !f.u || !matches!(op, 0x0c | 0x0d | 0x0f | 0x2c | 0x2f) {
        return false;
    }
    let es = if f.size & 1 != 0 { 64 } else { 32 };
    let vn = s.vreg(f.n);
    let mut fpu = Fpu::arm_with_flags(s.fpcr, s.fpsr);
    let v = reduce_op(&mut fpu, op, fmt(es), elem(vn, 0, es), elem(vn, 1, es));
    s.set_vreg(f.d, u128::from(v), es);
    s.fpsr |= fpu.flags;
    true
}

/// AdvSIMD (scalar) x indexed element, FP: FMLA, FMLS, FMUL, FMULX (by
/// element). Single precision: index H:L, Rm = M:Rm; double: index H (L = 0,
/// vector Q = 1).
pub(crate) fn indexed(s: &mut SimdState, insn: u32, scalar: bool) -> bool {
    let f = Fields::of(insn);
    let l = bit(insn, 21);
    let double = match f.size {
        2 => false,
        3 if !l && f.q => true,
        _ => return false,
    };
    let index = if double { u32::from(bit(insn, 11)) } else { (u32::from(bit(insn, 11)) << 1) | u32::from(l) };
    let es = if double { 64 } else { 32 };
    let ff = fmt(es);
    let opcode = bits(insn, 15, 12);
    let b = elem(s.vreg(f.m), index, es);
    let (vn, vd) = (s.vreg(f.n), s.vreg(f.d));
    let datasize = f.datasize();
    let (width, elements) = if scalar { (es, 1) } else { (datasize, datasize / es) };
    let mut fpu = Fpu::arm_with_flags(s.fpcr, s.fpsr);
    let mut r = 0u128;
    for e in 0..elements {
        let a = elem(vn, e, es);
        let v = match (f.u, opcode) {
            (false, 1) => fpu.mul_add(ff, elem(vd, e, es), a, b),
            (false, 5) => fpu.mul_add(ff, elem(vd, e, es), neg(es, a), b),
            (false, _) => fpu.mul(ff, a, b),
            (true, _) => fpu.mulx(ff, a, b),
        };
        set_elem(&mut r, e, es, v);
    }
    s.set_vreg(f.d, r, width);
    s.fpsr |= fpu.flags;
    true
}

/// AdvSIMD (scalar) shift by immediate, fixed-point conversions: SCVTF,
/// UCVTF (opcode 0x1c) and FCVTZS, FCVTZU (0x1f) with `fracbits = 2 *
/// esize - immh:immb`; single (immh = 01xx) or double (1xxx) precision.
pub(crate) fn shift_immediate(s: &mut SimdState, insn: u32, scalar: bool) -> bool {
    let f = Fields::of(insn);
    let immh = bits(insn, 22, 19);
    let es = if immh & 8 != 0 {
        if !scalar && !f.q {
            return false;
        }
        64
    } else if immh & 4 != 0 {
        32
    } else {
        return false;
    };
    let fracbits = 2 * es - bits(insn, 22, 16);
    let to_fixed = bits(insn, 15, 11) == 0x1f;
    let ff = fmt(es);
    let vn = s.vreg(f.n);
    let datasize = f.datasize();
    let (width, elements) = if scalar { (es, 1) } else { (datasize, datasize / es) };
    let mut fpu = Fpu::arm_with_flags(s.fpcr, s.fpsr);
    let mut r = 0u128;
    for e in 0..elements {
        let x = elem(vn, e, es);
        let v = if to_fixed { fpu.to_int(ff, x, Round::Zero, !f.u, es, fracbits) } else { fpu.from_int(ff, x, !f.u, es, fracbits) };
        set_elem(&mut r, e, es, v);
    }
    s.set_vreg(f.d, r, width);
    s.fpsr |= fpu.flags;
    true
}
