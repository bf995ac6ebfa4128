//! The integer lanes of the AdvSIMD groups (ARM ARM C4.1.6), vector and
//! scalar: three same, three different, two-register miscellaneous, across
//! lanes, scalar pairwise, by element, and shift by immediate. The
//! floating-point opcodes of these groups are passed on to [`crate::fp`].
//!
//! Elements are computed as the pseudocode computes them, on unbounded
//! integers (`Int()`, `SInt()`, `UInt()`; here `i128`, wide enough for every
//! intermediate value once shift amounts are clamped), then truncated or
//! saturated (`SatQ()`).

use crate::{bit, bits, elem, fp, int_of, ones, sat_q, set_elem, Fields, SimdState};

/// The integer shifted by a signed amount as the pseudocode of SSHL, SRSHL,
/// SQSHL and SQRSHL computes it (C7.2, "(Int(element, unsigned) +
/// round_const) << shift"): a negative `shift` shifts right, rounding if
/// `rounding`. `x` is an element of at most 64 bits; a left shift of a
/// nonzero value by 64 or more returns a value beyond every element range
/// whose low 64 bits are zero.
fn shift_int(x: i128, shift: i32, rounding: bool) -> i128 {
    if shift >= 0 {
        if x == 0 {
            0
        } else if shift >= 64 {
            if x > 0 {
                1i128 << 100
            } else {
                -(1i128 << 100)
            }
        } else {
            x << shift
        }
    } else {
        let n = -shift;
        if rounding {
            // For n >= 66 the rounded result is 0 for every 64-bit element.
            let n = n.min(66);
            (x + (1i128 << (n - 1))) >> n
        } else {
            x >> n.min(127)
        }
    }
}

/// SSHL/USHL (opcode 0x08), SQSHL/UQSHL (0x09), SRSHL/URSHL (0x0a),
/// SQRSHL/UQRSHL (0x0b) on one element: `b<7:0>` is the signed shift.
fn shift_by_reg(opcode: u32, unsigned: bool, es: u32, a: u64, b: u64, sat: &mut bool) -> u64 {
    let shift = i32::from(b as u8 as i8);
    let r = shift_int(int_of(a, es, unsigned), shift, opcode & 2 != 0);
    if opcode & 1 != 0 {
        let (v, s) = sat_q(r, es, unsigned);
        *sat |= s;
        v
    } else {
        r as u64 & ones(es)
    }
}

/// Polynomial multiplication over GF(2) of two values of at most 64 bits
/// (`PolynomialMult`, shared/functions/crypto).
pub(crate) fn poly_mul(a: u64, b: u64) -> u128 {
    let mut r = 0u128;
    for i in 0..64 {
        if (b >> i) & 1 != 0 {
            r ^= u128::from(a) << i;
        }
    }
    r
}

/// SQDMULH / SQRDMULH on one element (C7.2.306, C7.2.324):
/// `SatQ((2 * a * b + round_const) >> esize)`.
fn sqdmulh(es: u32, a: u64, b: u64, round: bool, sat: &mut bool) -> u64 {
    let p = 2 * int_of(a, es, false) * int_of(b, es, false) + if round { 1i128 << (es - 1) } else { 0 };
    let (v, s) = sat_q(p >> es, es, false);
    *sat |= s;
    v
}

/// One element of an integer three-same operation (opcodes 0x00..0x17 but
/// the logical 0x03), from its operands `a` (Vn), `b` (Vm) and the old
/// destination element `acc`.
fn three_same_elem(opcode: u32, u: bool, es: u32, a: u64, b: u64, acc: u64, sat: &mut bool) -> u64 {
    let x = int_of(a, es, u);
    let y = int_of(b, es, u);
    let sq = |i: i128, sat: &mut bool| {
        let (v, s) = sat_q(i, es, u);
        *sat |= s;
        v
    };
    let all = ones(es);
    let r = match opcode {
        // SHADD/UHADD, SRHADD/URHADD, SHSUB/UHSUB.
        0x00 => ((x + y) >> 1) as u64,
        0x02 => ((x + y + 1) >> 1) as u64,
        0x04 => ((x - y) >> 1) as u64,
        // SQADD/UQADD, SQSUB/UQSUB.
        0x01 => sq(x + y, sat),
        0x05 => sq(x - y, sat),
        // CMGT/CMHI, CMGE/CMHS.
        0x06 => all * u64::from(x > y),
        0x07 => all * u64::from(x >= y),
        0x08..=0x0b => shift_by_reg(opcode, u, es, a, b, sat),
        // SMAX/UMAX, SMIN/UMIN and their pairwise forms.
        0x0c | 0x14 => x.max(y) as u64,
        0x0d | 0x15 => x.min(y) as u64,
        // SABD/UABD, SABA/UABA.
        0x0e => (x - y).unsigned_abs() as u64,
        0x0f => acc.wrapping_add((x - y).unsigned_abs() as u64),
        // ADD/SUB.
        0x10 => {
            if u {
                a.wrapping_sub(b)
            } else {
                a.wrapping_add(b)
            }
        }
        // CMTST/CMEQ.
        0x11 => all * u64::from(if u { (a ^ b) & all == 0 } else { a & b & all != 0 }),
        // MLA/MLS.
        0x12 => {
            let p = a.wrapping_mul(b);
            if u {
                acc.wrapping_sub(p)
            } else {
                acc.wrapping_add(p)
            }
        }
        // MUL/PMUL.
        0x13 => {
            if u {
                poly_mul(a, b) as u64
            } else {
                a.wrapping_mul(b)
            }
        }
        // SQDMULH/SQRDMULH.
        0x16 => sqdmulh(es, a, b, u, sat),
        // ADDP.
        _ => a.wrapping_add(b),
    };
    r & all
}

/// AdvSIMD (scalar) three same (C4.1.6; pseudocode C7.2 per instruction).
pub(crate) fn three_same(s: &mut SimdState, insn: u32, scalar: bool) -> bool {
    let f = Fields::of(insn);
    let opcode = bits(insn, 15, 11);
    if opcode >= 0x18 {
        return fp::three_same(s, insn, scalar);
    }
    let (u, size, q) = (f.u, f.size, f.q);
    let allocated = if scalar {
        match opcode {
            0x01 | 0x05 | 0x09 | 0x0b => true,
            0x06 | 0x07 | 0x08 | 0x0a | 0x10 | 0x11 => size == 3,
            0x16 => size == 1 || size == 2,
            _ => false,
        }
    } else {
        match opcode {
            0x03 => true,
            0x17 => !u && (size != 3 || q),
            0x14 | 0x15 => size != 3,
            0x13 if u && size != 0 => false,
            0x00 | 0x02 | 0x04 | 0x0c..=0x0f | 0x12 | 0x13 => size != 3,
            0x16 => size == 1 || size == 2,
            _ => size != 3 || q,
        }
    };
    if !allocated {
        return false;
    }
    let datasize = f.datasize();
    let (vn, vm, vd) = (s.vreg(f.n), s.vreg(f.m), s.vreg(f.d));
    if opcode == 0x03 {
        // AND, BIC, ORR, ORN; EOR, BSL, BIT, BIF (C7.2.9 etc., VBitOps).
        let r = match (u, size) {
            (false, 0) => vn & vm,
            (false, 1) => vn & !vm,
            (false, 2) => vn | vm,
            (false, _) => vn | !vm,
            (true, 0) => vn ^ vm,
            (true, 1) => vm ^ ((vm ^ vn) & vd),
            (true, 2) => vd ^ ((vd ^ vn) & vm),
            (true, _) => vd ^ ((vd ^ vn) & !vm),
        };
        s.set_vreg(f.d, r, datasize);
        return true;
    }
    let es = 8 << size;
    let (width, elements) = if scalar { (es, 1) } else { (datasize, datasize / es) };
    let pairwise = matches!(opcode, 0x14 | 0x15 | 0x17);
    // Pairwise operations read the concatenation Vm:Vn.
    let pair = |k: u32| if k < elements { elem(vn, k, es) } else { elem(vm, k - elements, es) };
    let mut r = 0u128;
    let mut sat = false;
    for e in 0..elements {
        let (a, b) = if pairwise { (pair(2 * e), pair(2 * e + 1)) } else { (elem(vn, e, es), elem(vm, e, es)) };
        let v = three_same_elem(opcode, u, es, a, b, elem(vd, e, es), &mut sat);
        set_elem(&mut r, e, es, v);
    }
    s.set_vreg(f.d, r, width);
    s.qc(sat);
    true
}

/// `2 * a * b` saturated to `2 * es` bits, accumulated into `acc` with
/// saturation if `op` is 1 (add) or 2 (subtract): SQDMULL, SQDMLAL, SQDMLSL
/// (C7.2.302 etc.).
fn sqdmull_acc(es: u32, a: u64, b: u64, acc: u64, op: u32, sat: &mut bool) -> u64 {
    let (p, s1) = sat_q(2 * int_of(a, es, false) * int_of(b, es, false), 2 * es, false);
    *sat |= s1;
    if op == 0 {
        return p;
    }
    let p = int_of(p, 2 * es, false);
    let a = int_of(acc, 2 * es, false);
    let (r, s2) = sat_q(if op == 2 { a - p } else { a + p }, 2 * es, false);
    *sat |= s2;
    r
}

/// One element of a widening three-different or by-element operation:
/// opcode 0/2 ADDL/SUBL, 5 ABAL, 7 ABDL, 8 MLAL, 10 MLSL, 12 MULL, 9 SQDMLAL,
/// 11 SQDMLSL, 13 SQDMULL; `x` and `y` are `es`-bit elements, `acc` and
/// the result `2 * es` bits.
fn long_elem(opcode: u32, u: bool, es: u32, x: u64, y: u64, acc: u64, sat: &mut bool) -> u64 {
    let (a, b) = (int_of(x, es, u), int_of(y, es, u));
    let r = match opcode {
        0 => (a + b) as u64,
        2 => (a - b) as u64,
        5 => acc.wrapping_add((a - b).unsigned_abs() as u64),
        7 => (a - b).unsigned_abs() as u64,
        8 => acc.wrapping_add((a * b) as u64),
        10 => acc.wrapping_sub((a * b) as u64),
        12 => (a * b) as u64,
        9 => sqdmull_acc(es, x, y, acc, 1, sat),
        11 => sqdmull_acc(es, x, y, acc, 2, sat),
        _ => sqdmull_acc(es, x, y, acc, 0, sat),
    };
    r & ones(2 * es)
}

/// AdvSIMD (scalar) three different: the long, wide and narrow forms and
/// PMULL (C4.1.6; e.g. C7.2.253 SADDL, C7.2.3 ADDHN, C7.2.214 PMULL).
pub(crate) fn three_different(s: &mut SimdState, insn: u32, scalar: bool) -> bool {
    let f = Fields::of(insn);
    let opcode = bits(insn, 15, 12);
    let (u, size) = (f.u, f.size);
    let allocated = if scalar {
        !u && matches!(opcode, 9 | 11 | 13) && (size == 1 || size == 2)
    } else {
        match opcode {
            14 => !u && (size == 0 || size == 3),
            9 | 11 | 13 => !u && size != 0 && size != 3,
            15 => false,
            _ => size != 3,
        }
    };
    if !allocated {
        return false;
    }
    let part = f.q && !scalar;
    let (vn, vm, vd) = (s.vreg(f.n), s.vreg(f.m), s.vreg(f.d));
    // Vpart[x, part]: the low or high 64 bits.
    let half = |v: u128| if part { v >> 64 } else { v & u128::from(u64::MAX) };
    if opcode == 14 {
        // PMULL/PMULL2: 8 x 8 -> 16-bit lanes, or one 64 x 64 -> 128.
        let r = if size == 3 {
            poly_mul(half(vn) as u64, half(vm) as u64)
        } else {
            let mut r = 0u128;
            for e in 0..8 {
                set_elem(&mut r, e, 16, poly_mul(elem(half(vn), e, 8), elem(half(vm), e, 8)) as u64);
            }
            r
        };
        s.set_vreg(f.d, r, 128);
        return true;
    }
    let es = 8 << size;
    let elements = if scalar { 1 } else { 64 / es };
    let mut sat = false;
    let mut r = 0u128;
    match opcode {
        // SADDW/UADDW, SSUBW/USUBW.
        1 | 3 => {
            for e in 0..elements {
                let a = int_of(elem(vn, e, 2 * es), 2 * es, u);
                let b = int_of(elem(half(vm), e, es), es, u);
                set_elem(&mut r, e, 2 * es, if opcode == 1 { a + b } else { a - b } as u64);
            }
            s.set_vreg(f.d, r, 128);
        }
        // ADDHN/RADDHN, SUBHN/RSUBHN.
        4 | 6 => {
            let round = if u { 1u64 << (es - 1) } else { 0 };
            for e in 0..elements {
                let (a, b) = (elem(vn, e, 2 * es), elem(vm, e, 2 * es));
                let v = if opcode == 4 { a.wrapping_add(b) } else { a.wrapping_sub(b) };
                let v = (v.wrapping_add(round) & ones(2 * es)) >> es;
                set_elem(&mut r, e, es, v);
            }
            s.set_vpart(f.d, part, r as u64);
        }
        _ => {
            for e in 0..elements {
                let v = long_elem(opcode, u, es, elem(half(vn), e, es), elem(half(vm), e, es), elem(vd, e, 2 * es), &mut sat);
                set_elem(&mut r, e, 2 * es, v);
            }
            s.set_vreg(f.d, r, if scalar { 2 * es } else { 128 });
        }
    }
    s.qc(sat);
    true
}

/// Reverses the bits of a byte.
fn rbit8(x: u64) -> u64 {
    u64::from((x as u8).reverse_bits())
}

/// AdvSIMD (scalar) two-register miscellaneous, integer opcodes (C4.1.6):
/// REV*, [SU]ADDLP, [SU]ADALP, SUQADD/USQADD, CLS/CLZ, CNT/NOT/RBIT,
/// SQABS/SQNEG, compares with zero, ABS/NEG, XTN/SQXTN/UQXTN/SQXTUN, SHLL.
pub(crate) fn two_reg_misc(s: &mut SimdState, insn: u32, scalar: bool) -> bool {
    let f = Fields::of(insn);
    let opcode = bits(insn, 16, 12);
    if matches!(opcode, 0x0c..=0x0f | 0x16..=0x1f) {
        return fp::two_reg_misc(s, insn, scalar);
    }
    let (q, u, size) = (f.q, f.u, f.size);
    let not_1d = size != 3 || q;
    let allocated = if scalar {
        match opcode {
            0x3 | 0x7 => true,
            0xa => !u && size == 3,
            0x8 | 0x9 | 0xb => size == 3,
            0x12 => u && size != 3,
            0x14 => size != 3,
            _ => false,
        }
    } else {
        match opcode {
            0x0 | 0x1 => ((opcode << 1) | u32::from(u)) + size < 3,
            0x5 => matches!((u, size), (false, 0) | (true, 0) | (true, 1)),
            0x2 | 0x4 | 0x6 | 0x12 | 0x14 => size != 3,
            0x13 => u && size != 3,
            0xa => !u && not_1d,
            0x3 | 0x7 | 0x8 | 0x9 | 0xb => not_1d,
            _ => false,
        }
    };
    if !allocated {
        return false;
    }
    let es = 8 << size;
    let datasize = f.datasize();
    let (width, elements) = if scalar { (es, 1) } else { (datasize, datasize / es) };
    let (vn, vd) = (s.vreg(f.n), s.vreg(f.d));
    let mut r = 0u128;
    let mut sat = false;
    let all = ones(es);
    match opcode {
        // REV64, REV32, REV16: reverse the elements within each container.
        0x0 | 0x1 => {
            let per = (64 >> ((opcode << 1) | u32::from(u))) / es;
            for e in 0..elements {
                let src = (e / per) * per + (per - 1 - e % per);
                set_elem(&mut r, e, es, elem(vn, src, es));
            }
        }
        // SADDLP/UADDLP, SADALP/UADALP.
        0x2 | 0x6 => {
            for e in 0..datasize / (2 * es) {
                let sum = int_of(elem(vn, 2 * e, es), es, u) + int_of(elem(vn, 2 * e + 1, es), es, u);
                let acc = if opcode == 0x6 { elem(vd, e, 2 * es) } else { 0 };
                set_elem(&mut r, e, 2 * es, acc.wrapping_add(sum as u64));
            }
        }
        // SUQADD (U = 0): signed Vd + unsigned Vn; USQADD: unsigned Vd + signed Vn.
        0x3 => {
            for e in 0..elements {
                let sum = int_of(elem(vn, e, es), es, !u) + int_of(elem(vd, e, es), es, u);
                let (v, st) = sat_q(sum, es, u);
                sat |= st;
                set_elem(&mut r, e, es, v);
            }
        }
        // CLS, CLZ.
        0x4 => {
            for e in 0..elements {
                let x = elem(vn, e, es);
                let v = if u {
                    (x << (64 - es)).leading_zeros().min(es)
                } else {
                    let t = (x ^ (x >> 1)) & (all >> 1);
                    (t << (64 - es + 1)).leading_zeros().min(es - 1)
                };
                set_elem(&mut r, e, es, u64::from(v));
            }
        }
        // CNT, NOT, RBIT.
        0x5 => {
            for e in 0..datasize / 8 {
                let x = elem(vn, e, 8);
                let v = match (u, size) {
                    (false, _) => u64::from(x.count_ones()),
                    (true, 0) => !x,
                    _ => rbit8(x),
                };
                set_elem(&mut r, e, 8, v);
            }
        }
        // SQABS/SQNEG, compares with zero, ABS/NEG.
        0x7..=0xb => {
            for e in 0..elements {
                let x = int_of(elem(vn, e, es), es, false);
                let v = match (opcode, u) {
                    (0x7, _) => {
                        let (v, st) = sat_q(if u { -x } else { x.abs() }, es, false);
                        sat |= st;
                        v
                    }
                    (0x8, false) => all * u64::from(x > 0),
                    (0x8, true) => all * u64::from(x >= 0),
                    (0x9, false) => all * u64::from(x == 0),
                    (0x9, true) => all * u64::from(x <= 0),
                    (0xa, _) => all * u64::from(x < 0),
                    (_, false) => x.unsigned_abs() as u64,
                    (_, true) => (-x) as u64,
                };
                set_elem(&mut r, e, es, v & all);
            }
        }
        // SHLL/SHLL2.
        0x13 => {
            let src = if q { vn >> 64 } else { vn };
            for e in 0..64 / es {
                set_elem(&mut r, e, 2 * es, elem(src, e, es) << es);
            }
            s.set_vreg(f.d, r, 128);
            return true;
        }
        // XTN/SQXTUN (0x12), SQXTN/UQXTN (0x14): narrow 2*es-bit elements.
        _ => {
            let count = if scalar { 1 } else { 64 / es };
            for e in 0..count {
                let x = elem(vn, e, 2 * es);
                let v = if opcode == 0x12 && !u {
                    x
                } else {
                    // SQXTUN reads signed and saturates unsigned.
                    let (src_unsigned, dst_unsigned) = if opcode == 0x12 { (false, true) } else { (u, u) };
                    let (v, st) = sat_q(int_of(x, 2 * es, src_unsigned), es, dst_unsigned);
                    sat |= st;
                    v
                };
                set_elem(&mut r, e, es, v);
            }
            if scalar {
                s.set_vreg(f.d, r, es);
            } else {
                s.set_vpart(f.d, q, r as u64);
            }
            s.qc(sat);
            return true;
        }
    }
    s.set_vreg(f.d, r, width);
    s.qc(sat);
    true
}

/// AdvSIMD across lanes (C4.1.6): ADDV, SADDLV/UADDLV, SMAXV/UMAXV,
/// SMINV/UMINV (C7.2.5 etc.); the FP reductions go to [`crate::fp`].
pub(crate) fn across_lanes(s: &mut SimdState, insn: u32) -> bool {
    let f = Fields::of(insn);
    let opcode = bits(insn, 16, 12);
    if matches!(opcode, 0x0c | 0x0f) {
        return fp::across_lanes(s, insn);
    }
    let (q, u, size) = (f.q, f.u, f.size);
    let size_ok = size < 2 || size == 2 && q;
    let allocated = match opcode {
        0x1b => !u && size_ok,
        0x03 | 0x0a | 0x1a => size_ok,
        _ => false,
    };
    if !allocated {
        return false;
    }
    let es = 8 << size;
    let elements = f.datasize() / es;
    let vn = s.vreg(f.n);
    let mut acc = int_of(elem(vn, 0, es), es, u);
    for e in 1..elements {
        let x = int_of(elem(vn, e, es), es, u);
        acc = match opcode {
            0x0a => acc.max(x),
            0x1a => acc.min(x),
            _ => acc + x,
        };
    }
    let width = if opcode == 0x03 { 2 * es } else { es };
    s.set_vreg(f.d, (acc as u128) & crate::ones128(width), width);
    true
}

/// AdvSIMD scalar pairwise (C4.1.6): ADDP (scalar); the FP forms go to
/// [`crate::fp`].
pub(crate) fn scalar_pairwise(s: &mut SimdState, insn: u32) -> bool {
    let f = Fields::of(insn);
    let opcode = bits(insn, 16, 12);
    if opcode == 0x1b {
        if f.u || f.size != 3 {
            return false;
        }
        let vn = s.vreg(f.n);
        s.set_vreg(f.d, u128::from((vn as u64).wrapping_add((vn >> 64) as u64)), 64);
        return true;
    }
    fp::scalar_pairwise(s, insn)
}

/// AdvSIMD (scalar) x indexed element, integer forms (C4.1.6): MUL, MLA,
/// MLS, [SU]MULL, [SU]MLAL, [SU]MLSL, SQDMULL, SQDMLAL, SQDMLSL, SQDMULH,
/// SQRDMULH (by element); the FP forms go to [`crate::fp`].
pub(crate) fn indexed(s: &mut SimdState, insn: u32, scalar: bool) -> bool {
    let f = Fields::of(insn);
    let opcode = bits(insn, 15, 12);
    let key = (u32::from(f.u) << 4) | opcode;
    let long = match key {
        0x01 | 0x05 | 0x09 | 0x19 => return fp::indexed(s, insn, scalar),
        0x08 | 0x10 | 0x14 if !scalar => false,
        0x02 | 0x12 | 0x06 | 0x16 | 0x0a | 0x1a if !scalar => true,
        0x03 | 0x07 | 0x0b => true,
        0x0c | 0x0d => false,
        _ => return false,
    };
    let size = f.size;
    if size != 1 && size != 2 {
        return false;
    }
    let (h, l, mbit) = (bit(insn, 11), bit(insn, 21), bit(insn, 20));
    let (index, m) = if size == 1 {
        ((u32::from(h) << 2) | (u32::from(l) << 1) | u32::from(mbit), f.m & 15)
    } else {
        ((u32::from(h) << 1) | u32::from(l), f.m)
    };
    let es = 8 << size;
    let (vn, vd) = (s.vreg(f.n), s.vreg(f.d));
    let b = elem(s.vreg(m), index, es);
    let mut r = 0u128;
    let mut sat = false;
    if long {
        let part = f.q && !scalar;
        let src = if part { vn >> 64 } else { vn };
        // The by-element opcode maps onto the three-different one.
        let op3 = match opcode {
            0x2 => 8,
            0x6 => 10,
            0xa => 12,
            0x3 => 9,
            0x7 => 11,
            _ => 13,
        };
        let elements = if scalar { 1 } else { 64 / es };
        for e in 0..elements {
            let v = long_elem(op3, f.u, es, elem(src, e, es), b, elem(vd, e, 2 * es), &mut sat);
            set_elem(&mut r, e, 2 * es, v);
        }
        s.set_vreg(f.d, r, if scalar { 2 * es } else { 128 });
    } else {
        let datasize = f.datasize();
        let (width, elements) = if scalar { (es, 1) } else { (datasize, datasize / es) };
        for e in 0..elements {
            let a = elem(vn, e, es);
            let acc = elem(vd, e, es);
            let v = match key {
                0x08 => a.wrapping_mul(b),
                0x10 => acc.wrapping_add(a.wrapping_mul(b)),
                0x14 => acc.wrapping_sub(a.wrapping_mul(b)),
                0x0c => sqdmulh(es, a, b, false, &mut sat),
                _ => sqdmulh(es, a, b, true, &mut sat),
            };
            set_elem(&mut r, e, es, v);
        }
        s.set_vreg(f.d, r, width);
    }
    s.qc(sat);
    true
}

/// AdvSIMD (scalar) shift by immediate (C4.1.6): SSHR .. USHLL, SRI/SLI,
/// the saturating and narrowing shifts; the fixed-point conversions go to
/// [`crate::fp`]. `immh:immb` encodes the element size (the highest set bit
/// of immh) and the shift: `2 * esize - immh:immb` right, `immh:immb -
/// esize` left.
pub(crate) fn shift_immediate(s: &mut SimdState, insn: u32, scalar: bool) -> bool {
    let f = Fields::of(insn);
    let opcode = bits(insn, 15, 11);
    let immh = bits(insn, 22, 19);
    let immhb = bits(insn, 22, 16);
    let (q, u) = (f.q, f.u);
    let wide = immh & 8 != 0;
    if immh == 0 {
        return false;
    }
    if opcode == 0x1c || opcode == 0x1f {
        return fp::shift_immediate(s, insn, scalar);
    }
    let allocated = if scalar {
        match opcode {
            0x08 => u && wide,
            0x00 | 0x02 | 0x04 | 0x06 | 0x0a => wide,
            0x10 | 0x11 => u && !wide,
            0x12 | 0x13 => !wide,
            0x0c => u,
            0x0e => true,
            _ => false,
        }
    } else {
        match opcode {
            0x08 | 0x0c => u && (!wide || q),
            0x00 | 0x02 | 0x04 | 0x06 | 0x0a | 0x0e => !wide || q,
            0x10..=0x14 => !wide,
            _ => false,
        }
    };
    if !allocated {
        return false;
    }
    let es = 8 << (31 - immh.leading_zeros());
    let datasize = f.datasize();
    let (vn, vd) = (s.vreg(f.n), s.vreg(f.d));
    let mut r = 0u128;
    let mut sat = false;
    match opcode {
        // Narrowing right shifts: the source elements are 2 * es bits.
        0x10..=0x13 => {
            let shift = (2 * es - immhb) as i32;
            let round = opcode & 1 != 0;
            let elements = if scalar { 1 } else { 64 / es };
            for e in 0..elements {
                let x = elem(vn, e, 2 * es);
                let v = match (opcode, u) {
                    // SHRN, RSHRN.
                    (0x10 | 0x11, false) => shift_int(i128::from(x), -shift, round) as u64 & ones(es),
                    _ => {
                        // SQSHRUN/SQRSHRUN (signed to unsigned), SQ/UQ[R]SHRN.
                        let (src_unsigned, dst_unsigned) = if opcode <= 0x11 { (false, true) } else { (u, u) };
                        let (v, st) = sat_q(shift_int(int_of(x, 2 * es, src_unsigned), -shift, round), es, dst_unsigned);
                        sat |= st;
                        v
                    }
                };
                set_elem(&mut r, e, es, v);
            }
            if scalar {
                s.set_vreg(f.d, r, es);
            } else {
                s.set_vpart(f.d, q, r as u64);
            }
        }
        // SSHLL/USHLL.
        0x14 => {
            let shift = immhb - es;
            let src = if q { vn >> 64 } else { vn };
            for e in 0..64 / es {
                let x = int_of(elem(src, e, es), es, u);
                set_elem(&mut r, e, 2 * es, (x << shift) as u64);
            }
            s.set_vreg(f.d, r, 128);
        }
        _ => {
            let (width, elements) = if scalar { (es, 1) } else { (datasize, datasize / es) };
            let right = (2 * es - immhb) as i32;
            let left = immhb.wrapping_sub(es);
            for e in 0..elements {
                let x = elem(vn, e, es);
                let acc = elem(vd, e, es);
                let v = match opcode {
                    // SSHR/USHR, SSRA/USRA, SRSHR/URSHR, SRSRA/URSRA.
                    0x00..=0x06 => {
                        let v = shift_int(int_of(x, es, u), -right, opcode & 4 != 0) as u64;
                        if opcode & 2 != 0 {
                            acc.wrapping_add(v)
                        } else {
                            v
                        }
                    }
                    // SRI.
                    0x08 => {
                        let mask = if right as u32 >= es { 0 } else { ones(es) >> right };
                        (acc & !mask) | ((x >> right.min(63)) & mask)
                    }
                    // SHL, SLI.
                    0x0a => {
                        let v = x << left;
                        if u {
                            (acc & !(ones(es) << left)) | v
                        } else {
                            v
                        }
                    }
                    // SQSHLU (signed in, unsigned out); SQSHL/UQSHL (immediate).
                    _ => {
                        let (src_unsigned, dst_unsigned) = if opcode == 0x0c { (false, true) } else { (u, u) };
                        let (v, st) = sat_q(int_of(x, es, src_unsigned) << left, es, dst_unsigned);
                        sat |= st;
                        v
                    }
                };
                set_elem(&mut r, e, es, v & ones(es));
            }
            s.set_vreg(f.d, r, width);
        }
    }
    s.qc(sat);
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sext;

    #[test]
    fn shifts() {
        assert_eq!(shift_int(5, -1, true), 3);
        assert_eq!(shift_int(-5, -1, true), -2);
        assert_eq!(shift_int(i128::from(u64::MAX), -64, true), 1);
        assert_eq!(shift_int(i128::from(u64::MAX), -65, true), 0);
        assert_eq!(shift_int(-1, -127, false), -1);
        assert_eq!(sext(0x80, 8), -128);
    }
}
