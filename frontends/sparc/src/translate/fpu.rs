//! The FPU and coprocessor instructions (SPARC V8 manual chapter 4 and B.2,
//! B.4, B.12 to B.16, B.22): FBfcc, FPop1/FPop2, LDF, LDDF, LDFSR, STF,
//! STDF, STFSR, STDFQ; CBccc, CPops and coprocessor loads and stores are
//! cp_disabled (the LEON3 has no coprocessor).
//!
//! With PSR.EF = 0 (a block flag) every FPU instruction is fp_disabled.
//! FPops run in a helper ([`crate::fpu`]); they can trap at run time only
//! when FSR.TEM enables an IEEE trap, which is a block flag too, so with
//! TEM = 0 they do not end the block. Loads and stores are plain IR
//! accesses of the f registers.

use super::{control, helpers, Step, Translator};
use crate::decode::Insn;
use crate::fpu::{fpop_kind, FpopKind};
use crate::state::{self, freg, fsr};
use crate::trap::tt;
use chimera_ir::{AccessKind, BinOp, Endian, MemOp, Type};

/// FBfcc, FPop, FP loads/stores; CBccc, CPop, coprocessor loads/stores.
pub(super) fn coproc(t: &mut Translator, insn: Insn) -> Step {
    let coprocessor = match insn.op() {
        0 => insn.op2() == 7,
        2 => matches!(insn.op3(), 0x36 | 0x37),
        _ => insn.op3() >= 0x30,
    };
    if coprocessor {
        return t.trap(tt::CP_DISABLED);
    }
    if !t.fpu_enabled() {
        return t.trap(tt::FP_DISABLED);
    }
    match insn.op() {
        0 => fbfcc(t, insn),
        2 => fpop(t, insn),
        _ => mem(t, insn),
    }
}

/// For each FBfcc condition (SPARC V8 manual B.22, table F-7), the set of
/// fcc values (bit 0 =, 1 <, 2 >, 3 unordered) for which it branches.
const FBFCC_TAKEN: [u32; 16] = [
    0b0000, // FBN
    0b1110, // FBNE: U L G
    0b0110, // FBLG: L G
    0b1010, // FBUL: U L
    0b0010, // FBL
    0b1100, // FBUG: U G
    0b0100, // FBG
    0b1000, // FBU
    0b1111, // FBA
    0b0001, // FBE
    0b1001, // FBUE: U E
    0b0101, // FBGE: G E
    0b1101, // FBUGE: U G E
    0b0011, // FBLE: L E
    0b1011, // FBULE: U L E
    0b0111, // FBO: E L G
];

/// FBfcc (B.22): a branch on FSR.fcc, with the delay slot and annulment of
/// Bicc.
fn fbfcc(t: &mut Translator, insn: Insn) -> Step {
    let holds = match insn.cond() {
        8 => None,
        0 => Some(t.b.iconst(Type::I8, 0)),
        c => {
            let fsr_v = t.b.get(state::FSR);
            let fcc = t.bin_imm(BinOp::Lshr, fsr_v, u64::from(fsr::FCC_SHIFT));
            let fcc = t.bin_imm(BinOp::And, fcc, 3);
            let set = t.c32(u64::from(FBFCC_TAKEN[c as usize]));
            let bit = t.bin(BinOp::Lshr, set, fcc);
            let bit = t.bin_imm(BinOp::And, bit, 1);
            Some(t.nonzero(bit))
        }
    };
    control::branch(t, insn, holds)
}

/// Set FSR.ftt to `ftt` (clearing cexc too when `clear_cexc`) and end the
/// block with fp_exception.
fn fp_exception(t: &mut Translator, ftt: u32, clear_cexc: bool) -> Step {
    let old = t.b.get(state::FSR);
    let keep = !(fsr::FTT | if clear_cexc { fsr::CEXC } else { 0 });
    let v = t.bin_imm(BinOp::And, old, u64::from(keep));
    let v = t.bin_imm(BinOp::Or, v, u64::from(ftt << fsr::FTT_SHIFT));
    t.b.set(state::FSR, v);
    t.trap(tt::FP_EXCEPTION)
}

/// FPop1 and FPop2 (B.12 to B.16). QEMU clears cexc and ftt before it even
/// looks at opf, so an illegal FPop does that too.
fn fpop(t: &mut Translator, insn: Insn) -> Step {
    match fpop_kind(insn.op3(), insn.bits(13, 5)) {
        FpopKind::Illegal => {
            let old = t.b.get(state::FSR);
            let v = t.bin_imm(BinOp::And, old, u64::from(!(fsr::FTT | fsr::CEXC)));
            t.b.set(state::FSR, v);
            t.trap(tt::ILLEGAL)
        }
        FpopKind::Quad => fp_exception(t, fsr::ftt::UNIMPLEMENTED, true),
        FpopKind::Implemented => {
            let word = t.b.iconst(Type::I64, u64::from(insn.0));
            let r = t.b.call(helpers::FPOP, &[word]);
            if t.ieee_traps_enabled() {
                t.trap_if_helper_raised(r);
            }
            Step::Next
        }
    }
}

fn op(size: u8, kind: AccessKind, align: u8, mmu: u8) -> MemOp {
    MemOp { size, signed: false, endian: Endian::Big, kind, align: 0, mmu }.aligned_to(align)
}

/// LDF, LDDF, LDFSR, STF, STDF, STFSR (B.2, B.4), STDFQ, and V9's LDQF
/// (op3 0x22), which QEMU's LEON3 treats as an unimplemented quad FPop.
/// LDDF and STDF need only word alignment on QEMU 7.2 (`MO_ALIGN_4`; the
/// manual asks for doubleword alignment) and use the register pair at
/// rd & 0x1e.
fn mem(t: &mut Translator, insn: Insn) -> Step {
    let (r, w) = (AccessKind::Read, AccessKind::Write);
    let mmu = t.mmu();
    let rd = insn.rd();
    match insn.op3() {
        0x22 => return fp_exception(t, fsr::ftt::UNIMPLEMENTED, false),
        0x26 => {
            // STDFQ: the FP queue is always empty (QEMU has no deferred
            // traps), so reading it is a sequence error.
            if !t.supervisor() {
                return t.trap(tt::PRIVILEGED);
            }
            return fp_exception(t, fsr::ftt::SEQUENCE_ERROR, false);
        }
        _ => {}
    }
    let addr32 = t.rs1_plus_op2(insn);
    let addr = t.b.zext(Type::I64, addr32);
    match insn.op3() {
        0x20 => {
            let v = t.b.load(op(4, r, 4, mmu), Type::I32, addr);
            t.b.set(freg(rd), v);
        }
        0x21 => {
            // LDFSR: ver, ftt and qne are kept. TEM is a block flag.
            let v = t.b.load(op(4, r, 4, mmu), Type::I32, addr);
            let new = t.bin_imm(BinOp::And, v, u64::from(fsr::LDFSR_MASK));
            let old = t.b.get(state::FSR);
            let kept = t.bin_imm(BinOp::And, old, u64::from(!fsr::LDFSR_MASK));
            let v = t.bin(BinOp::Or, new, kept);
            t.b.set(state::FSR, v);
            t.exit = true;
        }
        0x23 => {
            let v = t.b.load(op(8, r, 4, mmu), Type::I64, addr);
            let hi = t.bin_imm(BinOp::Lshr, v, 32);
            let hi = t.b.trunc(Type::I32, hi);
            let lo = t.b.trunc(Type::I32, v);
            t.b.set(freg(rd & 0x1e), hi);
            t.b.set(freg((rd & 0x1e) + 1), lo);
        }
        0x24 => {
            let v = t.b.get(freg(rd));
            t.b.store(op(4, w, 4, mmu), addr, v);
        }
        0x25 => {
            let v = t.b.get(state::FSR);
            t.b.store(op(4, w, 4, mmu), addr, v);
        }
        0x27 => {
            let hi = t.b.get(freg(rd & 0x1e));
            let lo = t.b.get(freg((rd & 0x1e) + 1));
            let hi = t.b.zext(Type::I64, hi);
            let lo = t.b.zext(Type::I64, lo);
            let hi = t.bin_imm(BinOp::Shl, hi, 32);
            let v = t.bin(BinOp::Or, hi, lo);
            t.b.store(op(8, w, 4, mmu), addr, v);
        }
        _ => return t.trap(tt::ILLEGAL),
    }
    Step::Next
}
