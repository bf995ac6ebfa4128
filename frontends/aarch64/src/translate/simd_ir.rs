//! The AdvSIMD integer instructions that map onto the IR's 128-bit vector
//! operations one to one (and so onto host SSE through Cranelift): vector
//! ADD/SUB/MUL, the bitwise group (AND, BIC, ORR, ORN, EOR, BSL, BIT, BIF),
//! the integer compares, SMAX/SMIN/UMAX/UMIN, SHL/SSHR/USHR/SSRA/USRA, the
//! modified-immediate group and DUP (element). Everything else (and the lane
//! layouts the IR has no direct operation for) runs in the executor of
//! `chimera_aarch64_simd`, whose results these must equal bit for bit.

use super::Translator;
use crate::decode::Insn;
use crate::state::{vlane, vreg_offset};
use chimera_ir::{BinOp, Cmp, FLanes, Lanes, Reg, Type, Value, VecFOp, VecOp, VecShift};
use crate::state;
use chimera_aarch64_simd::perm::adv_simd_expand_imm;

fn vreg(n: usize) -> Reg {
    Reg { offset: vreg_offset(n as u32), ty: Type::V128 }
}

impl Translator {
    fn vget(&mut self, n: usize) -> Value {
        self.b.get(vreg(n))
    }

    /// Write a vector result; a 64-bit arrangement (Q = 0) clears bits 127:64.
    fn vset(&mut self, n: usize, v: Value, q: bool) {
        let v = if q {
            v
        } else {
            let lo = self.b.vhalf(v, false);
            let zero = self.c64(0);
            self.b.vconcat(lo, zero)
        };
        self.b.set(vreg(n), v);
    }

    fn vconst(&mut self, lo: u64, hi: u64) -> Value {
        let (lo, hi) = (self.c64(lo), self.c64(hi));
        self.b.vconcat(lo, hi)
    }
}

/// Translate `i` here if it is one of this module's instructions
/// (`simd_fp::data_allocated` has accepted it); false: leave it to the executor.
pub(super) fn translate(t: &mut Translator, i: Insn) -> bool {
    let q = i.bit(30);
    // Vector (not scalar) groups only: bits 31 and 28 clear.
    if i.bit(31) || i.bit(28) {
        return false;
    }
    if i.0 & 0x9f20_0400 == 0x0e20_0400 {
        return three_same(t, i, q);
    }
    if i.0 & 0x9ff8_0400 == 0x0f00_0400 {
        return modified_immediate(t, i, q);
    }
    if i.0 & 0x9f80_0400 == 0x0f00_0400 {
        return shift_immediate(t, i, q);
    }
    if i.0 & 0xbfe0_fc00 == 0x0e00_0400 {
        return dup_element(t, i, q);
    }
    if i.0 & 0x9f00_0400 == 0x0f00_0000 {
        return fp_by_element(t, i, q);
    }
    false
}

/// AdvSIMD three same (ARM ARM C4.1.6): the integer subset.
fn three_same(t: &mut Translator, i: Insn, q: bool) -> bool {
    let (u, size, opcode) = (i.bit(29), i.bits(23, 22), i.bits(15, 11));
    if opcode >= 0x18 {
        return fp_three_same(t, i, q);
    }
    let lanes = Lanes::of_bytes(1 << size);
    let (rd, rn, rm) = (i.rd(), i.rn(), i.rm());
    let op = match (opcode, u) {
        (0x10, false) => VecOp::Add,
        (0x10, true) => VecOp::Sub,
        (0x13, false) => VecOp::Mul,
        (0x11, true) => VecOp::Eq,
        (0x06, false) => VecOp::GtS,
        (0x06, true) => VecOp::GtU,
        (0x07, false) => VecOp::GeS,
        (0x07, true) => VecOp::GeU,
        (0x0c, false) => VecOp::MaxS,
        (0x0c, true) => VecOp::MaxU,
        (0x0d, false) => VecOp::MinS,
        (0x0d, true) => VecOp::MinU,
        (0x11, false) => {
            // CMTST: lanes where a & b != 0.
            let (a, b) = (t.vget(rn), t.vget(rm));
            let and = t.b.vbin(VecOp::And, lanes, a, b);
            let zero = t.vconst(0, 0);
            let eq = t.b.vbin(VecOp::Eq, lanes, and, zero);
            let ones = t.vconst(u64::MAX, u64::MAX);
            let r = t.b.vbin(VecOp::Xor, lanes, eq, ones);
            t.vset(rd, r, q);
            return true;
        }
        (0x03, _) => return logic(t, i, q),
        _ => return false,
    };
    if !op.supports(lanes) {
        return false;
    }
    let (a, b) = (t.vget(rn), t.vget(rm));
    let r = t.b.vbin(op, lanes, a, b);
    t.vset(rd, r, q);
    true
}

/// AND, BIC, ORR, ORN, EOR, BSL, BIT, BIF (vector) (C7.2.11 and relatives).
fn logic(t: &mut Translator, i: Insn, q: bool) -> bool {
    let (rd, rn, rm) = (i.rd(), i.rn(), i.rm());
    let l = Lanes::D2;
    let (n, m) = (t.vget(rn), t.vget(rm));
    let r = match (i.bit(29), i.bits(23, 22)) {
        (false, 0) => t.b.vbin(VecOp::And, l, n, m),
        (false, 1) => t.b.vbin(VecOp::AndNot, l, n, m),
        (false, 2) => t.b.vbin(VecOp::Or, l, n, m),
        (false, _) => {
            let ones = t.vconst(u64::MAX, u64::MAX);
            let nm = t.b.vbin(VecOp::Xor, l, m, ones);
            t.b.vbin(VecOp::Or, l, n, nm)
        }
        (true, 0) => t.b.vbin(VecOp::Xor, l, n, m),
        (true, sel) => {
            let d = t.vget(rd);
            match sel {
                // BSL: Vd selects between Vn (1) and Vm (0).
                1 => t.b.vselect(d, n, m),
                // BIT: insert Vn where Vm is 1.
                2 => t.b.vselect(m, n, d),
                // BIF: insert Vn where Vm is 0.
                _ => t.b.vselect(m, d, n),
            }
        }
    };
    t.vset(rd, r, q);
    true
}

/// MOVI, MVNI, ORR, BIC, FMOV (vector, immediate) (C7.2.204 and relatives).
fn modified_immediate(t: &mut Translator, i: Insn, q: bool) -> bool {
    let op = i.bit(29);
    let cmode = i.bits(15, 12);
    let imm8 = u64::from(i.bits(18, 16) << 5 | i.bits(9, 5));
    let imm = adv_simd_expand_imm(op, cmode, imm8);
    let rd = i.rd();
    // ORR/BIC for the shifted 32-bit (cmode 0xx1) and 16-bit (10x1) forms.
    let logical = cmode < 12 && cmode & 1 == 1;
    let r = if logical {
        let d = t.vget(rd);
        if op {
            let c = t.vconst(imm, imm);
            t.b.vbin(VecOp::AndNot, Lanes::D2, d, c)
        } else {
            let c = t.vconst(imm, imm);
            t.b.vbin(VecOp::Or, Lanes::D2, d, c)
        }
    } else {
        // MOVI and FMOV, or MVNI (op = 1 with cmode 0xx0, 10x0, 110x).
        let imm = if op && cmode < 14 { !imm } else { imm };
        t.vconst(imm, imm)
    };
    t.vset(rd, r, q);
    true
}

/// SSHR, USHR, SSRA, USRA, SHL (C7.2.297 and relatives).
fn shift_immediate(t: &mut Translator, i: Insn, q: bool) -> bool {
    let immh = i.bits(22, 19);
    if immh == 0 {
        return false;
    }
    let esize = 8u32 << (31 - immh.leading_zeros());
    let lanes = Lanes::of_bytes(esize / 8);
    let immhb = i.bits(22, 16);
    let (u, opcode) = (i.bit(29), i.bits(15, 11));
    let (rd, rn) = (i.rd(), i.rn());
    let right = 2 * esize - immhb;
    let r = match (opcode, u) {
        (0x0a, false) => {
            let a = t.vget(rn);
            t.b.vshift(VecShift::Shl, lanes, a, immhb - esize)
        }
        (0x00 | 0x02, _) => {
            let a = t.vget(rn);
            let shifted = match (u, right == esize) {
                // USHR by the element size gives zero; SSHR by it the sign copies.
                (true, true) => t.vconst(0, 0),
                (true, false) => t.b.vshift(VecShift::Lshr, lanes, a, right),
                (false, _) => t.b.vshift(VecShift::Ashr, lanes, a, right.min(esize - 1)),
            };
            if opcode == 0x02 {
                let d = t.vget(rd);
                t.b.vbin(VecOp::Add, lanes, d, shifted)
            } else {
                shifted
            }
        }
        _ => return false,
    };
    t.vset(rd, r, q);
    true
}

/// DUP (element) (C7.2.38): one lane of Vn in every lane of Vd.
fn dup_element(t: &mut Translator, i: Insn, q: bool) -> bool {
    let imm5 = i.bits(20, 16);
    let size = imm5.trailing_zeros();
    if size > 3 {
        return false;
    }
    let bytes = 1u32 << size;
    let index = imm5 >> (size + 1);
    let ty = Lanes::of_bytes(bytes).lane_type();
    let x = t.b.get(vlane(i.rn() as u32, ty, index));
    let r = t.b.vsplat(Lanes::of_bytes(bytes), x);
    t.vset(i.rd(), r, q);
    true
}

/// All-ones lanes where the result `r` is not a finite normal number above
/// the lowest binade: a NaN or an infinity (an invalid operation, an
/// overflow, or a NaN or infinite operand), zero or a value in the lowest
/// binade (an underflow may have happened, or a flush under FZ). Lanes whose
/// exponent field E (of width w) has (E + 1) mod 2^w < 3.
fn fp_unsafe_lanes(t: &mut Translator, r: Value, fl: FLanes) -> Value {
    let (lanes, mbits, emax) = match fl {
        FLanes::F32x4 => (Lanes::S4, 23, 0xff_u64),
        FLanes::F64x2 => (Lanes::D2, 52, 0x7ff_u64),
    };
    let splat = |t: &mut Translator, c: u64| -> Value {
        let c = t.b.iconst(lanes.lane_type(), c);
        t.b.vsplat(lanes, c)
    };
    let se = t.b.vshift(VecShift::Lshr, lanes, r, mbits);
    let one = splat(t, 1);
    let e1 = t.b.vbin(VecOp::Add, lanes, se, one);
    let m = splat(t, emax);
    let e1 = t.b.vbin(VecOp::And, lanes, e1, m);
    let three = splat(t, 3);
    t.b.vbin(VecOp::GtS, lanes, three, e1)
}

/// What the host computes in [`hardfloat`].
enum HostOp {
    Bin(VecFOp),
    /// acc + a * b, fused.
    Fma,
}

/// Run an FP operation on the host's vector unit where that is bit-exact
/// with the architecture, otherwise call `slow` with the instruction word,
/// which does it in software (QEMU's "hardfloat" idea, per vector). Exact
/// when (ARM ARM FPAdd/FPSub/FPMul/FPMulAdd and FPRound): RMode is round to
/// nearest and FZ is off (so denormal operands are used as they are, as
/// IEEE 754 does, and raise nothing but IXC); FPSR.IXC is already set (the
/// only flag an operation with a normal result can raise); and every result
/// lane that matters is finite, nonzero and above the lowest binade (so no
/// NaN processing, overflow, underflow or flush happened).
/// `check` selects the lanes that matter (bits 63:0 and 127:64), `keep` the
/// bits of the result that are written (the rest of Vd is zeroed).
#[allow(clippy::too_many_arguments)]
fn hardfloat(
    t: &mut Translator,
    i: Insn,
    fl: FLanes,
    op: HostOp,
    (a, b, acc): (Value, Value, Value),
    rd: usize,
    check: (u64, u64),
    keep: (u64, u64),
    slow: chimera_ir::Helper,
) {
    let old = t.vget(rd);
    let r = match op {
        HostOp::Bin(op) => t.b.vfbin(op, fl, a, b),
        HostOp::Fma => t.b.vfma(fl, acc, a, b),
    };
    let bad = fp_unsafe_lanes(t, r, fl);
    let lo = t.b.vhalf(bad, false);
    let lo = t.b.bin_imm(BinOp::And, lo, check.0);
    let hi = t.b.vhalf(bad, true);
    let hi = t.b.bin_imm(BinOp::And, hi, check.1);
    let any = t.b.bin(BinOp::Or, lo, hi);
    let fpcr = t.b.get(state::FPCR);
    let rmode = t.b.bin_imm(BinOp::And, fpcr, 7 << 22);
    let fpsr = t.b.get(state::FPSR);
    let ixc = t.b.bin_imm(BinOp::And, fpsr, 1 << 4);
    let ixc = t.b.bin_imm(BinOp::Xor, ixc, 1 << 4);
    let ctl = t.b.bin(BinOp::Or, rmode, ixc);
    let ctl = t.b.zext(Type::I64, ctl);
    let any = t.b.bin(BinOp::Or, any, ctl);
    let slow_path = t.b.icmp_imm(Cmp::Ne, any, 0);
    let fast = t.b.icmp_imm(Cmp::Eq, any, 0);
    let r = if keep == (u64::MAX, u64::MAX) {
        r
    } else {
        let k = t.vconst(keep.0, keep.1);
        t.b.vbin(VecOp::And, Lanes::D2, r, k)
    };
    let v = t.b.select(fast, r, old);
    t.b.set(vreg(rd), v);
    let w = t.c64(u64::from(i.0));
    t.b.call_if(slow_path, slow, &[w]);
}

/// `FPNeg()` of every lane: flip the sign bits.
fn negate(t: &mut Translator, v: Value, fl: FLanes) -> Value {
    let s = match fl {
        FLanes::F32x4 => 0x8000_0000_8000_0000,
        FLanes::F64x2 => 1 << 63,
    };
    let s = t.vconst(s, s);
    t.b.vbin(VecOp::Xor, Lanes::D2, v, s)
}

/// FADD, FSUB, FMUL, FMLA, FMLS (vector) through [`hardfloat`].
fn fp_three_same(t: &mut Translator, i: Insn, q: bool) -> bool {
    let (u, hi, sz, opcode) = (i.bit(29), i.bit(23), i.bit(22), i.bits(15, 11));
    let fl = if sz { FLanes::F64x2 } else { FLanes::F32x4 };
    let op = match (u, hi, opcode) {
        (false, false, 0x1a) => HostOp::Bin(VecFOp::Add),
        (false, true, 0x1a) => HostOp::Bin(VecFOp::Sub),
        (true, false, 0x1b) => HostOp::Bin(VecFOp::Mul),
        (false, _, 0x19) if chimera_ir::host_has_fma() => HostOp::Fma,
        _ => return false,
    };
    let (a, b) = (t.vget(i.rn()), t.vget(i.rm()));
    let acc = t.vget(i.rd());
    // FMLS negates the first multiplicand (FPNeg: exact, and a NaN operand
    // goes to the slow path anyway).
    let a = if matches!(op, HostOp::Fma) && hi { negate(t, a, fl) } else { a };
    let half = if q { u64::MAX } else { 0 };
    hardfloat(t, i, fl, op, (a, b, acc), i.rd(), (u64::MAX, half), (u64::MAX, half), super::simd_fp::SIMD_EXEC);
    true
}

/// Scalar FADD, FSUB, FMUL (2-source) and FMADD, FMSUB, FNMADD, FNMSUB
/// (3-source) of single or double precision through [`hardfloat`], lane 0
/// of the vector operation; `slow` runs the scalar FP group in software.
pub(super) fn scalar_fp(t: &mut Translator, i: Insn, slow: chimera_ir::Helper) -> bool {
    let fl = match i.bits(23, 22) {
        0 => FLanes::F32x4,
        1 => FLanes::F64x2,
        _ => return false,
    };
    let lane0 = match fl {
        FLanes::F32x4 => 0xffff_ffff,
        FLanes::F64x2 => u64::MAX,
    };
    let (rn, rm) = (i.rn(), i.rm());
    let (mut a, b) = (t.vget(rn), t.vget(rm));
    let (op, acc) = if i.bit(24) {
        if !chimera_ir::host_has_fma() {
            return false;
        }
        // FMADD: a + n*m; FMSUB: a - n*m; FNMADD: -a - n*m; FNMSUB: -a + n*m.
        let (o1, o0) = (i.bit(21), i.bit(15));
        let mut acc = t.vget(i.ra());
        if o1 {
            acc = negate(t, acc, fl);
        }
        if o0 != o1 {
            a = negate(t, a, fl);
        }
        (HostOp::Fma, acc)
    } else {
        let op = match i.bits(15, 12) {
            0 => VecFOp::Mul,
            2 => VecFOp::Add,
            3 => VecFOp::Sub,
            _ => return false,
        };
        (HostOp::Bin(op), a)
    };
    hardfloat(t, i, fl, op, (a, b, acc), i.rd(), (lane0, 0), (lane0, 0), slow);
    true
}

/// FMUL, FMLA, FMLS (by element) (C7.2.104 and relatives) through
/// [`hardfloat`]: Vm\[index\] in every lane, then as the vector forms.
fn fp_by_element(t: &mut Translator, i: Insn, q: bool) -> bool {
    let (u, sz, opcode) = (i.bit(29), i.bit(22), i.bits(15, 12));
    // size = 1:sz (size 00 is the FP16 form).
    if !i.bit(23) {
        return false;
    }
    let op = match (u, opcode) {
        (false, 0b1001) => HostOp::Bin(VecFOp::Mul),
        (false, 0b0001 | 0b0101) if chimera_ir::host_has_fma() => HostOp::Fma,
        _ => return false,
    };
    let (h, l, m) = (i.bits(11, 11), i.bits(21, 21), i.bits(20, 16));
    let (fl, lanes, ty, index) = if sz {
        (FLanes::F64x2, Lanes::D2, Type::I64, h)
    } else {
        (FLanes::F32x4, Lanes::S4, Type::I32, h << 1 | l)
    };
    let x = t.b.get(vlane(m, ty, index));
    let b = t.b.vsplat(lanes, x);
    let a = t.vget(i.rn());
    let acc = t.vget(i.rd());
    let a = if opcode == 0b0101 { negate(t, a, fl) } else { a };
    let half = if q { u64::MAX } else { 0 };
    hardfloat(t, i, fl, op, (a, b, acc), i.rd(), (u64::MAX, half), (u64::MAX, half), super::simd_fp::SIMD_EXEC);
    true
}
