//! Data processing - immediate (ARM ARM C4.1.2): PC-relative addressing,
//! add/subtract, logical and move-wide immediates.

use super::{ty_of, Step, Translator};
use crate::decode::{decode_bit_masks, Insn};
use chimera_ir::BinOp;

/// ADR / ADRP (ARM ARM C6.2.10, C6.2.11).
pub(super) fn pc_rel(t: &mut Translator, i: Insn) -> Step {
    let imm = (i.sbits(23, 5) << 2) | i64::from(i.bits(30, 29));
    let target = if i.bit(31) {
        (t.pc & !0xfff).wrapping_add((imm << 12) as u64)
    } else {
        t.pc.wrapping_add(imm as u64)
    };
    let v = t.c64(target);
    t.set_x(i.rd(), v);
    Step::Next
}

/// ADD/ADDS/SUB/SUBS (immediate) (ARM ARM C6.2.4, C6.2.8, C6.2.357, C6.2.363):
/// Rn is SP-capable, Rd is SP for the non-flag-setting forms.
pub(super) fn add_sub_imm(t: &mut Translator, i: Insn) -> Step {
    let sf = i.sf();
    let imm = u64::from(i.imm12()) << if i.bit(22) { 12 } else { 0 };
    let n = t.reg_sp(sf, i.rn());
    let m = t.iconst(ty_of(sf), imm);
    if i.s() {
        let (r, f) = if i.op() { t.b.sub_with_carry(n, m, None) } else { t.b.add_with_carry(n, m, None) };
        t.set_flags(f);
        t.set_x(i.rd(), r);
    } else {
        let r = t.bin(if i.op() { BinOp::Sub } else { BinOp::Add }, n, m);
        t.set_x_sp(i.rd(), r);
    }
    Step::Next
}

/// AND/ORR/EOR/ANDS (immediate) (ARM ARM C6.2.12, C6.2.205, C6.2.85, C6.2.14).
pub(super) fn logical_imm(t: &mut Translator, i: Insn) -> Step {
    let sf = i.sf();
    if !sf && i.n() {
        return t.undef(i);
    }
    let Some((imm, _)) = decode_bit_masks(i.n(), i.imms(), i.immr(), true, if sf { 64 } else { 32 }) else {
        return t.undef(i);
    };
    let opc = i.bits(30, 29);
    let n = t.reg(sf, i.rn());
    let m = t.iconst(ty_of(sf), imm);
    let op = super::logical_op(opc);
    let r = t.bin(op, n, m);
    if opc == 3 {
        let f = t.b.logic_flags(r);
        t.set_flags(f);
        t.set_x(i.rd(), r);
    } else {
        t.set_x_sp(i.rd(), r);
    }
    Step::Next
}

/// MOVN/MOVZ/MOVK (ARM ARM C6.2.191, C6.2.192, C6.2.190).
pub(super) fn move_wide(t: &mut Translator, i: Insn) -> Step {
    let sf = i.sf();
    if !sf && i.hw() >= 2 {
        return t.undef(i);
    }
    let ty = ty_of(sf);
    let pos = i.hw() * 16;
    let imm = u64::from(i.imm16()) << pos;
    let r = match i.bits(30, 29) {
        0 => t.iconst(ty, !imm),
        2 => t.iconst(ty, imm),
        _ => {
            let old = t.reg(sf, i.rd());
            let kept = t.bin_imm(BinOp::And, old, !(0xffffu64 << pos));
            t.bin_imm(BinOp::Or, kept, imm)
        }
    };
    t.set_x(i.rd(), r);
    Step::Next
}
