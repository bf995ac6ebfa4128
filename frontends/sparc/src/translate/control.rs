//! Control transfers and traps: Bicc, CALL, JMPL, RETT, Ticc, SAVE/RESTORE,
//! FLUSH, UNIMP (SPARC V8 manual B.21 to B.32).

use super::{helpers, Loc, Step, Successor, Translator};
use crate::decode::Insn;
use crate::trap::tt;
use crate::state::{self, NWINDOWS};
use chimera_ir::{BinOp, Cmp, Type};

/// UNIMP (B.31): illegal instruction.
pub(super) fn unimp(t: &mut Translator, _insn: Insn) -> Step {
    t.trap(tt::ILLEGAL)
}

/// Bicc (B.21): PC <- nPC; nPC <- target if taken. With a=1 the delay slot is
/// annulled when not taken, and always for BA and BN.
pub(super) fn bicc(t: &mut Translator, insn: Insn) -> Step {
    let holds = t.cond_holds(insn.cond());
    branch(t, insn, holds)
}

/// A conditional branch (Bicc, FBfcc) whose condition `holds` (`None`:
/// always; a constant 0: never).
pub(super) fn branch(t: &mut Translator, insn: Insn, holds: Option<chimera_ir::Value>) -> Step {
    let target = (t.pc as u32).wrapping_add((insn.disp22() as u32) << 2);
    let target = u64::from(target);
    let npc = t.npc;
    let after = t.add4(npc);
    t.next = Some(match holds {
        None if insn.a() => Successor { pc: Loc::Const(target), npc: Loc::Const(target.wrapping_add(4) & 0xffff_ffff), seq: true },
        None => Successor { pc: npc, npc: Loc::Const(target), seq: false },
        Some(c) if t.b.const_value(c) == Some(0) => {
            if insn.a() {
                let after2 = t.add4(after);
                Successor { pc: after, npc: after2, seq: true }
            } else {
                Successor { pc: npc, npc: after, seq: true }
            }
        }
        Some(c) => {
            if insn.a() {
                // Taken: the delay slot runs, then the target. Not taken: skip it.
                let after2 = t.add4(after);
                let pc = choose(t, c, npc, after);
                let npc = choose(t, c, Loc::Const(target), after2);
                Successor { pc, npc, seq: false }
            } else {
                let npc2 = choose(t, c, Loc::Const(target), after);
                Successor { pc: npc, npc: npc2, seq: false }
            }
        }
    });
    Step::Next
}

/// `c ? a : b` over program counters.
fn choose(t: &mut Translator, c: chimera_ir::Value, a: Loc, b: Loc) -> Loc {
    match (a, b) {
        (Loc::Const(x), Loc::Const(y)) => Loc::Cond { cond: c, t: x, f: y },
        (a, b) => {
            let av = t.loc32(a);
            let bv = t.loc32(b);
            Loc::Dyn(t.b.select(c, av, bv))
        }
    }
}

/// CALL (B.22): %o7 <- PC; PC <- nPC; nPC <- PC + disp30*4.
pub(super) fn call(t: &mut Translator, insn: Insn) -> Step {
    let target = u64::from((t.pc as u32).wrapping_add(insn.disp30() << 2));
    let here = t.c32(t.pc);
    t.set_reg(15, here);
    t.next = Some(Successor { pc: t.npc, npc: Loc::Const(target), seq: false });
    Step::Next
}

/// JMPL (B.23): rd <- PC; PC <- nPC; nPC <- rs1 + operand2. A misaligned
/// target traps when it is reached (as a misaligned PC), not at the JMPL.
pub(super) fn jmpl(t: &mut Translator, insn: Insn) -> Step {
    let target = t.rs1_plus_op2(insn);
    // A target that is not word aligned is a mem_address_not_aligned trap
    // at the JMPL itself, which then changes nothing (B.25: "If either of
    // the low-order two bits of the jump address is nonzero, a
    // mem_address_not_aligned trap occurs").
    let low = t.b.bin_imm(BinOp::And, target, 3);
    if let Some(l) = t.b.const_value(low) {
        if l != 0 {
            return t.trap(tt::UNALIGNED);
        }
    } else {
        let misaligned = t.b.icmp_imm(Cmp::Ne, low, 0);
        t.trap_when_const(misaligned, tt::UNALIGNED);
    }
    let here = t.c32(t.pc);
    t.set_reg(insn.rd(), here);
    let npc = match t.b.const_value(target) {
        Some(c) => Loc::Const(c),
        None => Loc::Dyn(target),
    };
    t.next = Some(Successor { pc: t.npc, npc, seq: false });
    Step::Next
}

/// RETT (B.24): privileged, traps disabled; CWP+1 (window underflow if
/// invalid), S <- PS, ET <- 1, then like JMPL without rd.
pub(super) fn rett(t: &mut Translator, insn: Insn) -> Step {
    if t.traps_enabled() {
        return t.trap(if t.supervisor() { tt::ILLEGAL } else { tt::PRIVILEGED });
    }
    if !t.supervisor() {
        return t.trap(tt::PRIVILEGED);
    }
    let target = t.rs1_plus_op2(insn);
    let target64 = t.b.zext(Type::I64, target);
    let r = t.b.call(helpers::RETT, &[target64]);
    t.trap_if_helper_raised(r);
    t.exit = true;
    t.next = Some(Successor { pc: t.npc, npc: Loc::Dyn(target), seq: false });
    Step::Next
}

/// Ticc (B.27): trap 0x80 + ((rs1 + operand2) & 0x7f) if the condition holds.
pub(super) fn ticc(t: &mut Translator, insn: Insn) -> Step {
    let cond = match t.cond_holds(insn.cond()) {
        Some(c) => c,
        None => t.b.iconst(Type::I8, 1),
    };
    if t.b.const_value(cond) == Some(0) {
        return Step::Next;
    }
    let n = t.rs1_plus_op2(insn);
    let n = t.bin_imm(BinOp::And, n, 0x7f);
    let tt_v = t.bin_imm(BinOp::Add, n, u64::from(tt::TRAP_INSN));
    if let (Some(1), Some(tt)) = (t.b.const_value(cond), t.b.const_value(tt_v)) {
        return t.trap(tt as u32);
    }
    t.trap_when(cond, tt_v);
    Step::Next
}

/// FLUSH (B.32): the block ends so that stores to code take effect (the
/// softmmu has already invalidated translations of written code).
pub(super) fn flush(t: &mut Translator, _insn: Insn) -> Step {
    t.exit = true;
    Step::Next
}

/// SAVE/RESTORE (B.20): the sum is computed in the old window and written to
/// rd in the new one; window overflow/underflow if the new window is invalid
/// (its WIM bit set). The new window is a constant given the block's CWP, so
/// the block goes on in it (see the module comment).
pub(super) fn save_restore(t: &mut Translator, insn: Insn) -> Step {
    let sum = t.rs1_plus_op2(insn);
    let restore = insn.op3() == 0x3d;
    let new = if restore { (t.cwp + 1) % NWINDOWS } else { (t.cwp + NWINDOWS - 1) % NWINDOWS };
    let wim = t.b.get(state::WIM);
    let bit = t.bin_imm(BinOp::And, wim, 1 << new);
    let invalid = t.nonzero(bit);
    t.trap_when_const(invalid, if restore { tt::WINDOW_UNDERFLOW } else { tt::WINDOW_OVERFLOW });
    let cwp = t.b.iconst(Type::I8, new as u64);
    t.b.set(state::CWP, cwp);
    t.set_window(new);
    t.set_reg(insn.rd(), sum);
    Step::Next
}
