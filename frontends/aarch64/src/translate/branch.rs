//! Branches (ARM ARM C4.1.3): immediate, compare-and-branch, test-and-branch,
//! conditional and register branches. Every branch ends the block.

use super::{Step, Translator};
use crate::decode::Insn;
use crate::state;
use chimera_ir::{BinOp, Cmp, Terminal};

fn target(t: &Translator, offset_words: i64) -> u64 {
    t.pc.wrapping_add((offset_words << 2) as u64)
}

/// B, BL (ARM ARM C6.2.26, C6.2.34).
pub(super) fn branch_imm(t: &mut Translator, i: Insn) -> Step {
    let dest = target(t, i.imm26());
    if i.bit(31) {
        let link = t.c64(t.next_pc());
        t.set_x(30, link);
    }
    Step::End(Terminal::Jump(dest))
}

/// CBZ, CBNZ (ARM ARM C6.2.47, C6.2.46).
pub(super) fn compare_branch(t: &mut Translator, i: Insn) -> Step {
    let v = t.reg(i.sf(), i.rt());
    let cond = t.b.icmp_imm(if i.bit(24) { Cmp::Ne } else { Cmp::Eq }, v, 0);
    Step::End(Terminal::Branch { cond, taken: target(t, i.imm19()), not_taken: t.next_pc() })
}

/// TBZ, TBNZ (ARM ARM C6.2.375, C6.2.374).
pub(super) fn test_branch(t: &mut Translator, i: Insn) -> Step {
    let bit = (i.bits(31, 31) << 5) | i.bits(23, 19);
    let v = t.x(i.rt());
    let masked = t.bin_imm(BinOp::And, v, 1 << bit);
    let cond = t.b.icmp_imm(if i.bit(24) { Cmp::Ne } else { Cmp::Eq }, masked, 0);
    Step::End(Terminal::Branch { cond, taken: target(t, i.imm14()), not_taken: t.next_pc() })
}

/// B.cond (ARM ARM C6.2.27).
pub(super) fn cond_branch(t: &mut Translator, i: Insn) -> Step {
    let taken = target(t, i.imm19());
    match t.cond_holds(i.bits(3, 0)) {
        Some(cond) => Step::End(Terminal::Branch { cond, taken, not_taken: t.next_pc() }),
        None => Step::End(Terminal::Jump(taken)),
    }
}

/// BR, BLR, RET (ARM ARM C6.2.37, C6.2.35, C6.2.231). The target is read
/// before X30 is written, so `BLR X30` branches to the old X30.
pub(super) fn branch_reg(t: &mut Translator, i: Insn) -> Step {
    let dest = t.x(i.rn());
    if i.bits(22, 21) == 1 {
        let link = t.c64(t.next_pc());
        t.b.set(state::xreg(30), link);
    }
    Step::End(Terminal::Indirect(dest))
}
