//! Loads, stores, LDSTUB and SWAP, and their alternate-space forms (SPARC V8
//! manual B.1 to B.10). All accesses are big-endian and naturally aligned
//! (mem_address_not_aligned otherwise).

use super::{Step, Translator};
use crate::decode::Insn;
use crate::state;
use crate::trap::tt;
use chimera_ir::{AccessKind, BinOp, Endian, MemOp, Type};

fn op(size: u8, signed: bool, kind: AccessKind, mmu: u8) -> MemOp {
    MemOp { size, signed, endian: Endian::Big, kind, align: 0, mmu }.aligned_to(size)
}

/// The MMU index of an alternate space that reaches memory: the user and
/// supervisor spaces (SPARC V8 manual 2.5, table 2-1: 8/0xa user, 9/0xb
/// supervisor) and the MMU bypass spaces.
fn asi_mmu(asi: u32) -> u8 {
    match asi {
        0x08 | 0x0a => state::MMU_USER,
        0x09 | 0x0b => state::MMU_SUPER,
        _ => state::MMU_BYPASS,
    }
}

/// Alternate spaces that reach memory: user/supervisor instruction and data
/// (8-0xb), LEON MMU bypass (0x1c) and sun4m bypass (0x20-0x2f). Others (cache
/// and MMU control) read as zero and ignore writes for now.
fn asi_is_memory(asi: u32) -> bool {
    matches!(asi, 0x08..=0x0b | 0x1c | 0x20..=0x2f)
}

pub(super) fn mem(t: &mut Translator, insn: Insn) -> Step {
    let op3 = insn.op3();
    let alt = op3 & 0x10 != 0;
    if alt {
        if !t.supervisor() {
            return t.trap(tt::PRIVILEGED);
        }
        if insn.i() {
            return t.trap(tt::ILLEGAL);
        }
    }
    let rd = insn.rd();
    if matches!(op3 & 0xf, 0x3 | 0x7) && rd & 1 != 0 {
        return t.trap(tt::ILLEGAL);
    }
    let addr32 = t.rs1_plus_op2(insn);
    let addr = t.b.zext(Type::I64, addr32);
    if alt && !asi_is_memory(insn.asi()) {
        if op3 & 0xf < 4 || op3 & 0xf == 9 || op3 & 0xf == 0xa {
            let z = t.c32(0);
            t.set_reg(rd, z);
            if op3 & 0xf == 3 {
                t.set_reg(rd | 1, z);
            }
        }
        return Step::Next;
    }
    let (r, w) = (AccessKind::Read, AccessKind::Write);
    let mmu = if alt { asi_mmu(insn.asi()) } else { t.mmu() };
    match op3 & 0xf {
        0x0 | 0x1 | 0x2 | 0x9 | 0xa => {
            let (size, signed) = match op3 & 0xf {
                0x0 => (4, false),
                0x1 => (1, false),
                0x2 => (2, false),
                0x9 => (1, true),
                _ => (2, true),
            };
            let v = t.b.load(op(size, signed, r, mmu), Type::I32, addr);
            t.set_reg(rd, v);
        }
        0x3 => {
            let v = t.b.load(op(8, false, r, mmu), Type::I64, addr);
            let hi64 = t.bin_imm(BinOp::Lshr, v, 32);
            let hi = t.b.trunc(Type::I32, hi64);
            let lo = t.b.trunc(Type::I32, v);
            t.set_reg(rd, hi);
            t.set_reg(rd + 1, lo);
        }
        0x4..=0x6 => {
            let size = match op3 & 0xf {
                0x4 => 4,
                0x5 => 1,
                _ => 2,
            };
            let v = t.reg(rd);
            t.b.store(op(size, false, w, mmu), addr, v);
        }
        0x7 => {
            let hi = t.reg(rd);
            let lo = t.reg(rd + 1);
            let hi64 = t.b.zext(Type::I64, hi);
            let lo64 = t.b.zext(Type::I64, lo);
            let hi64 = t.bin_imm(BinOp::Shl, hi64, 32);
            let v = t.bin(BinOp::Or, hi64, lo64);
            t.b.store(op(8, false, w, mmu), addr, v);
        }
        0xd => {
            // LDSTUB: the byte is read, then set to 0xff.
            let v = t.b.load(op(1, false, r, mmu), Type::I32, addr);
            let ff = t.c32(0xff);
            t.b.store(op(1, false, w, mmu), addr, ff);
            t.set_reg(rd, v);
        }
        0xf => {
            // SWAP: the word is read, then replaced by rd.
            let v = t.b.load(op(4, false, r, mmu), Type::I32, addr);
            let new = t.reg(rd);
            t.b.store(op(4, false, w, mmu), addr, new);
            t.set_reg(rd, v);
        }
        _ => return t.trap(tt::ILLEGAL),
    }
    Step::Next
}
