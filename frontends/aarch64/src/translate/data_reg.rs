//! Data processing - register (ARM ARM C4.1.5): logical and add/subtract with
//! shifted or extended registers, with carry, conditional compare and select,
//! and the 1-, 2- and 3-source operations.

use super::{ty_of, Step, Translator};
use crate::decode::Insn;
use crate::state;
use chimera_ir::{BinOp, Type, UnOp};

/// AND/BIC/ORR/ORN/EOR/EON/ANDS/BICS (shifted register) (ARM ARM C6.2.13 ...).
pub(super) fn logical_shifted(t: &mut Translator, i: Insn) -> Step {
    let sf = i.sf();
    if !sf && i.imm6() >= 32 {
        return t.undef(i);
    }
    let opc = i.bits(30, 29);
    let m = t.reg(sf, i.rm());
    let m = t.shift_imm(m, i.shift(), i.imm6());
    let m = if i.bit(21) { t.b.not(m) } else { m };
    let n = t.reg(sf, i.rn());
    let op = super::logical_op(opc);
    let r = t.bin(op, n, m);
    if opc == 3 {
        let f = t.b.logic_flags(r);
        t.set_flags(f);
    }
    t.set_x(i.rd(), r);
    Step::Next
}

/// Shared tail of the add/subtract forms: `n op m`, flags if S, result to Rd
/// (`rd_sp`: register 31 is SP, only for the non-flag-setting extended forms).
fn add_sub(t: &mut Translator, i: Insn, n: chimera_ir::Value, m: chimera_ir::Value, rd_sp: bool) {
    if i.s() {
        let (r, f) = if i.op() { t.b.sub_with_carry(n, m, None) } else { t.b.add_with_carry(n, m, None) };
        t.set_flags(f);
        t.set_x(i.rd(), r);
    } else {
        let r = t.bin(if i.op() { BinOp::Sub } else { BinOp::Add }, n, m);
        if rd_sp {
            t.set_x_sp(i.rd(), r);
        } else {
            t.set_x(i.rd(), r);
        }
    }
}

/// ADD/ADDS/SUB/SUBS (shifted register) (ARM ARM C6.2.5, C6.2.9, C6.2.358, C6.2.364).
pub(super) fn add_sub_shifted(t: &mut Translator, i: Insn) -> Step {
    let sf = i.sf();
    if i.shift() == 3 || (!sf && i.imm6() >= 32) {
        return t.undef(i);
    }
    let n = t.reg(sf, i.rn());
    let m = t.reg(sf, i.rm());
    let m = t.shift_imm(m, i.shift(), i.imm6());
    add_sub(t, i, n, m, false);
    Step::Next
}

/// ADD/ADDS/SUB/SUBS (extended register) (ARM ARM C6.2.3, C6.2.7, C6.2.356,
/// C6.2.362): Rn is SP-capable, and so is Rd unless flags are set.
pub(super) fn add_sub_extended(t: &mut Translator, i: Insn) -> Step {
    let sf = i.sf();
    if i.imm3() > 4 {
        return t.undef(i);
    }
    let m = t.extend_reg(i.rm(), i.option(), i.imm3(), ty_of(sf));
    let n = t.reg_sp(sf, i.rn());
    add_sub(t, i, n, m, !i.s());
    Step::Next
}

/// ADC/ADCS/SBC/SBCS (ARM ARM C6.2.1, C6.2.2, C6.2.258, C6.2.259).
pub(super) fn add_sub_carry(t: &mut Translator, i: Insn) -> Step {
    let sf = i.sf();
    let n = t.reg(sf, i.rn());
    let m = t.reg(sf, i.rm());
    let c = t.b.get(state::CF);
    let (r, f) = if i.op() { t.b.sub_with_carry(n, m, Some(c)) } else { t.b.add_with_carry(n, m, Some(c)) };
    if i.s() {
        t.set_flags(f);
    }
    t.set_x(i.rd(), r);
    Step::Next
}

/// CCMN/CCMP (register and immediate) (ARM ARM C6.2.46-C6.2.49): the flags of
/// the comparison if the condition holds, else the immediate NZCV.
pub(super) fn cond_compare(t: &mut Translator, i: Insn) -> Step {
    let sf = i.sf();
    let n = t.reg(sf, i.rn());
    let m = if i.bit(11) { t.iconst(ty_of(sf), u64::from(i.bits(20, 16))) } else { t.reg(sf, i.rm()) };
    let (_, f) = if i.op() { t.b.sub_with_carry(n, m, None) } else { t.b.add_with_carry(n, m, None) };
    let Some(cond) = t.cond_holds(i.cond()) else {
        t.set_flags(f);
        return Step::Next;
    };
    let k = t.flags_const(i.bits(3, 0));
    let n = t.b.select(cond, f.n, k.n);
    let z = t.b.select(cond, f.z, k.z);
    let c = t.b.select(cond, f.c, k.c);
    let v = t.b.select(cond, f.v, k.v);
    t.set_flags(chimera_ir::Flags { n, z, c, v });
    Step::Next
}

/// CSEL/CSINC/CSINV/CSNEG (ARM ARM C6.2.69, C6.2.71, C6.2.72, C6.2.73).
pub(super) fn cond_select(t: &mut Translator, i: Insn) -> Step {
    let sf = i.sf();
    let n = t.reg(sf, i.rn());
    let r = match t.cond_holds(i.cond()) {
        Some(c) => {
            let m = t.reg(sf, i.rm());
            let m = match (i.op(), i.bit(10)) {
                (false, false) => m,
                (false, true) => t.bin_imm(BinOp::Add, m, 1),
                (true, false) => t.b.not(m),
                (true, true) => t.b.un(UnOp::Neg, m),
            };
            t.b.select(c, n, m)
        }
        // AL/NV: always Rn.
        None => n,
    };
    t.set_x(i.rd(), r);
    Step::Next
}

/// UDIV/SDIV/LSLV/LSRV/ASRV/RORV (ARM ARM C6.2.388, C6.2.268, C6.2.178 ...).
/// The IR's division already gives x/0 = 0 and MIN/-1 = MIN, and its shifts take
/// the amount modulo the width, as the A64 pseudocode does.
pub(super) fn data_proc_2src(t: &mut Translator, i: Insn) -> Step {
    let sf = i.sf();
    let op = match i.bits(15, 10) {
        0b000010 => BinOp::UDiv,
        0b000011 => BinOp::SDiv,
        0b001000 => BinOp::Shl,
        0b001001 => BinOp::Lshr,
        0b001010 => BinOp::Ashr,
        _ => BinOp::Rotr,
    };
    let n = t.reg(sf, i.rn());
    let m = t.reg(sf, i.rm());
    let r = t.bin(op, n, m);
    t.set_x(i.rd(), r);
    Step::Next
}

/// RBIT/REV16/REV32/REV/CLZ/CLS (ARM ARM C6.2.232, C6.2.239-C6.2.241, C6.2.56, C6.2.55).
pub(super) fn data_proc_1src(t: &mut Translator, i: Insn) -> Step {
    let sf = i.sf();
    let n = t.reg(sf, i.rn());
    let r = match i.bits(15, 10) {
        0 => t.b.un(UnOp::Bitrev, n),
        1 => {
            // Swap the bytes of each halfword.
            let mask = if sf { 0x00ff_00ff_00ff_00ff } else { 0x00ff_00ff };
            let lo = t.bin_imm(BinOp::Lshr, n, 8);
            let lo = t.bin_imm(BinOp::And, lo, mask);
            let hi = t.bin_imm(BinOp::And, n, mask);
            let hi = t.bin_imm(BinOp::Shl, hi, 8);
            t.bin(BinOp::Or, hi, lo)
        }
        2 if sf => {
            // REV32: swap the bytes of each word.
            let sw = t.b.un(UnOp::Bswap, n);
            t.bin_imm(BinOp::Rotr, sw, 32)
        }
        2 | 3 => t.b.un(UnOp::Bswap, n),
        4 => t.b.un(UnOp::Clz, n),
        _ => t.b.un(UnOp::Cls, n),
    };
    t.set_x(i.rd(), r);
    Step::Next
}

/// MADD/MSUB/SMADDL/SMSUBL/UMADDL/UMSUBL/SMULH/UMULH (ARM ARM C6.2.183,
/// C6.2.199, C6.2.280, C6.2.288, C6.2.283, C6.2.399, C6.2.401, C6.2.400).
pub(super) fn data_proc_3src(t: &mut Translator, i: Insn) -> Step {
    let sf = i.sf();
    let sub = i.bit(15);
    let r = match i.bits(23, 21) {
        0 => {
            let n = t.reg(sf, i.rn());
            let m = t.reg(sf, i.rm());
            let p = t.bin(BinOp::Mul, n, m);
            let a = t.reg(sf, i.ra());
            t.bin(if sub { BinOp::Sub } else { BinOp::Add }, a, p)
        }
        op @ (1 | 5) => {
            let n = t.reg(false, i.rn());
            let m = t.reg(false, i.rm());
            let (n, m) = if op == 1 {
                (t.b.sext(Type::I64, n), t.b.sext(Type::I64, m))
            } else {
                (t.b.zext(Type::I64, n), t.b.zext(Type::I64, m))
            };
            let p = t.bin(BinOp::Mul, n, m);
            let a = t.x(i.ra());
            t.bin(if sub { BinOp::Sub } else { BinOp::Add }, a, p)
        }
        op => {
            let n = t.x(i.rn());
            let m = t.x(i.rm());
            t.bin(if op == 2 { BinOp::MulHiS } else { BinOp::MulHiU }, n, m)
        }
    };
    t.set_x(i.rd(), r);
    Step::Next
}
