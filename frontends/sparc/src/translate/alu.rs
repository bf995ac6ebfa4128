//! Integer arithmetic, logic, shifts, SETHI, multiply and divide (SPARC V8
//! manual B.11 to B.20).

use super::{Step, Translator};
use crate::decode::Insn;
use crate::state;
use crate::trap::tt;
use chimera_ir::{BinOp, Cmp, Flags, Type};

/// SETHI: rd = imm22 << 10 (rd = 0, imm22 = 0 is NOP).
pub(super) fn sethi(t: &mut Translator, insn: Insn) -> Step {
    if insn.rd() != 0 {
        let v = t.c32(u64::from(insn.imm22() << 10));
        t.set_reg(insn.rd(), v);
    }
    Step::Next
}

/// SPARC's C after a subtraction is the borrow: the complement of the
/// AArch64-style carry the builder computes.
fn borrow_flags(t: &mut Translator, f: Flags) -> Flags {
    let c = t.bin_imm(BinOp::Xor, f.c, 1);
    Flags { c, ..f }
}

/// The logical, add/subtract, multiply, MULScc and tagged instructions.
pub(super) fn arith(t: &mut Translator, insn: Insn) -> Step {
    let op3 = insn.op3();
    let a = t.reg(insn.rs1());
    let b = t.operand2(insn);
    // The tagged forms and MULScc (op3 0x20-0x24) always set icc.
    let cc = op3 & 0x10 != 0 || (0x20..=0x24).contains(&op3);
    let (r, flags) = match op3 {
        0x20..=0x23 => {
            // TADDcc/TSUBcc(TV): V also when either operand's tag (bits 1:0) is set.
            let (r, f) = if op3 & 1 == 0 { t.b.add_with_carry(a, b, None) } else { sub(t, a, b, None) };
            let ab = t.bin(BinOp::Or, a, b);
            let tag = t.bin_imm(BinOp::And, ab, 3);
            let tagged = t.nonzero(tag);
            let v = t.bin(BinOp::Or, f.v, tagged);
            let f = Flags { v, ..f };
            if op3 & 2 != 0 {
                // The TV forms trap instead of writing anything.
                t.trap_when_const(v, tt::TAG_OVERFLOW);
                t.set_icc(f);
                t.set_reg(insn.rd(), r);
                return Step::Next;
            }
            (r, Some(f))
        }
        0x24 => {
            // MULScc (B.17): one step of the shift-and-add multiply.
            let n = t.b.get(state::ICC_N);
            let v = t.b.get(state::ICC_V);
            let nv = t.bin(BinOp::Xor, n, v);
            let nv32 = t.b.zext(Type::I32, nv);
            let top = t.bin_imm(BinOp::Shl, nv32, 31);
            let half = t.bin_imm(BinOp::Lshr, a, 1);
            let op1 = t.bin(BinOp::Or, top, half);
            let y = t.b.get(state::Y);
            let y0 = t.bin_imm(BinOp::And, y, 1);
            let use_b = t.nonzero(y0);
            let zero = t.c32(0);
            let op2 = t.b.select(use_b, b, zero);
            let (r, f) = t.b.add_with_carry(op1, op2, None);
            let a0 = t.bin_imm(BinOp::Shl, a, 31);
            let y_half = t.bin_imm(BinOp::Lshr, y, 1);
            let new_y = t.bin(BinOp::Or, a0, y_half);
            t.b.set(state::Y, new_y);
            (r, Some(f))
        }
        _ => match op3 & 0xf {
            0x0 => {
                let (r, f) = t.b.add_with_carry(a, b, None);
                (r, Some(f))
            }
            0x8 => {
                let c = t.b.get(state::ICC_C);
                let (r, f) = t.b.add_with_carry(a, b, Some(c));
                (r, Some(f))
            }
            0x4 => {
                let (r, f) = sub(t, a, b, None);
                (r, Some(f))
            }
            0xc => {
                let c = t.b.get(state::ICC_C);
                let (r, f) = sub(t, a, b, Some(c));
                (r, Some(f))
            }
            0x1 | 0x2 | 0x3 | 0x5 | 0x6 | 0x7 => {
                let b = if op3 & 4 != 0 { t.b.not(b) } else { b };
                let op = match op3 & 3 {
                    1 => BinOp::And,
                    2 => BinOp::Or,
                    _ => BinOp::Xor,
                };
                let r = t.bin(op, a, b);
                let f = if cc { Some(t.b.logic_flags(r)) } else { None };
                (r, f)
            }
            _ => {
                // UMUL/SMUL (B.18): the high word goes to Y.
                let signed = op3 & 0xf == 0xb;
                let (a64, b64) =
                    if signed { (t.b.sext(Type::I64, a), t.b.sext(Type::I64, b)) } else { (t.b.zext(Type::I64, a), t.b.zext(Type::I64, b)) };
                let p = t.bin(BinOp::Mul, a64, b64);
                let hi64 = t.bin_imm(BinOp::Lshr, p, 32);
                let hi = t.b.trunc(Type::I32, hi64);
                let r = t.b.trunc(Type::I32, p);
                t.b.set(state::Y, hi);
                let f = if cc { Some(t.b.logic_flags(r)) } else { None };
                (r, f)
            }
        },
    };
    if cc {
        if let Some(f) = flags {
            t.set_icc(f);
        }
    }
    t.set_reg(insn.rd(), r);
    Step::Next
}

/// `a - b` (- C when given) with SPARC flags (C is the borrow).
fn sub(t: &mut Translator, a: chimera_ir::Value, b: chimera_ir::Value, borrow: Option<chimera_ir::Value>) -> (chimera_ir::Value, Flags) {
    let (r, f) = match borrow {
        None => t.b.sub_with_carry(a, b, None),
        Some(c) => {
            let carry = t.bin_imm(BinOp::Xor, c, 1);
            t.b.sub_with_carry(a, b, Some(carry))
        }
    };
    let f = borrow_flags(t, f);
    (r, f)
}

/// UDIV/SDIV(cc) (B.19): the 64-bit dividend Y:rs1 divided by the 32-bit
/// operand 2, division by zero trapping; a quotient that does not fit in 32
/// bits saturates and sets V (as QEMU does). All inline: the trap leaves
/// compiled code on a cold path.
pub(super) fn divide(t: &mut Translator, insn: Insn) -> Step {
    let a = t.reg(insn.rs1());
    let b = t.operand2(insn);
    match t.b.const_value(b) {
        Some(0) => return t.trap(tt::DIV_ZERO),
        Some(_) => {}
        None => {
            let zero = t.b.icmp_imm(Cmp::Eq, b, 0);
            t.trap_when_const(zero, tt::DIV_ZERO);
        }
    }
    let y = t.b.get(state::Y);
    let hi = t.b.zext(Type::I64, y);
    let hi = t.b.bin_imm(BinOp::Shl, hi, 32);
    let lo = t.b.zext(Type::I64, a);
    let dividend = t.b.or(hi, lo);
    let signed = insn.op3() & 1 != 0;
    let (q32, overflow) = if signed {
        let d = t.b.sext(Type::I64, b);
        // The IR's MIN / -1 is MIN, which does not fit either; its true
        // quotient is positive, as the sign of dividend ^ divisor says of
        // every quotient that overflows.
        let q = t.b.bin(BinOp::SDiv, dividend, d);
        let q32 = t.b.trunc(Type::I32, q);
        let back = t.b.sext(Type::I64, q32);
        let overflow = t.b.icmp(Cmp::Ne, q, back);
        let signs = t.b.xor(dividend, d);
        let negative = t.b.icmp_imm(Cmp::Slt, signs, 0);
        let min = t.c32(0x8000_0000);
        let max = t.c32(0x7fff_ffff);
        let sat = t.b.select(negative, min, max);
        (t.b.select(overflow, sat, q32), overflow)
    } else {
        let d = t.b.zext(Type::I64, b);
        let q = t.b.bin(BinOp::UDiv, dividend, d);
        let overflow = t.b.icmp_imm(Cmp::Ugt, q, 0xffff_ffff);
        let q32 = t.b.trunc(Type::I32, q);
        let max = t.c32(0xffff_ffff);
        (t.b.select(overflow, max, q32), overflow)
    };
    if insn.op3() & 0x10 != 0 {
        let n = t.b.icmp_imm(Cmp::Slt, q32, 0);
        let z = t.b.icmp_imm(Cmp::Eq, q32, 0);
        let c = t.b.iconst(Type::I8, 0);
        t.set_icc(Flags { n, z, v: overflow, c });
    }
    t.set_reg(insn.rd(), q32);
    Step::Next
}

/// SLL, SRL, SRA (B.12): the count is the low 5 bits of operand 2.
pub(super) fn shift(t: &mut Translator, insn: Insn) -> Step {
    let a = t.reg(insn.rs1());
    let b = t.operand2(insn);
    let n = t.bin_imm(BinOp::And, b, 31);
    let op = match insn.op3() {
        0x25 => BinOp::Shl,
        0x26 => BinOp::Lshr,
        _ => BinOp::Ashr,
    };
    let r = t.bin(op, a, n);
    t.set_reg(insn.rd(), r);
    Step::Next
}
