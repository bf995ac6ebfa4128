//! Loads and stores (ARM ARM C4.1.4): single registers in every addressing
//! mode, pairs, literals, exclusives and acquire/release.
//!
//! Order within one instruction: compute addresses, read the registers to
//! store, do every memory access, then write Rt (Rt2), then the base register.
//! So a fault leaves the registers untouched. Where the architecture leaves
//! the result CONSTRAINED UNPREDICTABLE, it matches QEMU 7.2 (checked by
//! running it): a load with writeback and Rt == Rn leaves the written-back
//! address in the base register, a store with writeback stores the register's
//! old value, and LDP with Rt == Rt2 leaves the first loaded value.

use super::{Step, Translator};
use crate::decode::Insn;
use crate::state::{self, EXCL_NONE};
use chimera_ir::{BinOp, Cmp, MemOp, Type, Value};

/// What a load/store register encoding does (ARM ARM C6.2.131 LDR (immediate)
/// shared decode of `size:opc`).
#[derive(Clone, Copy)]
enum Access {
    Store { bytes: u8 },
    /// Load `bytes`, sign-extended if `signed`, into a 64-bit (`x`) or 32-bit register.
    Load { bytes: u8, signed: bool, x: bool },
    Prefetch,
}

fn classify(i: Insn) -> Option<Access> {
    let size = i.size();
    let bytes = 1u8 << size;
    let opc = i.opc();
    Some(match opc {
        0 => Access::Store { bytes },
        1 => Access::Load { bytes, signed: false, x: size == 3 },
        _ if size == 3 => {
            if opc == 2 {
                Access::Prefetch
            } else {
                return None;
            }
        }
        _ if size == 2 && opc == 3 => return None,
        _ => Access::Load { bytes, signed: true, x: opc == 2 },
    })
}

impl Translator {
    /// Memory operation descriptor for a data access at the current EL
    /// (`unpriv`: LDTR/STTR, which access with EL0's permissions, ARM ARM
    /// C6.2.153: the EL0 MMU index, or the flat map while stage 1 is off).
    fn memop(&self, bytes: u8, signed: bool, write: bool, unpriv: bool) -> MemOp {
        let op = if write { MemOp::write(bytes) } else { MemOp::read(bytes, signed) };
        op.with_mmu(if unpriv { state::mmu_index(self.flags, 0) } else { self.mmu })
    }

    /// Do `access` at `addr` and return what must be written to Rt afterwards.
    fn access(&mut self, access: Access, rt: usize, addr: Value, unpriv: bool) -> Option<Value> {
        match access {
            Access::Store { bytes } => {
                let v = self.x(rt);
                let op = self.memop(bytes, false, true, unpriv);
                self.b.store(op, addr, v);
                None
            }
            Access::Load { bytes, signed, x } => {
                let op = self.memop(bytes, signed, false, unpriv);
                let ty = if x { Type::I64 } else { Type::I32 };
                Some(self.b.load(op, ty, addr))
            }
            Access::Prefetch => None,
        }
    }

    fn write_loaded(&mut self, rt: usize, loaded: Option<Value>) {
        if let Some(v) = loaded {
            self.set_x(rt, v);
        }
    }
}

/// LDR/STR/LDRS*/PRFM (unsigned immediate) (ARM ARM C6.2.131 and relatives).
pub(super) fn load_store_uimm(t: &mut Translator, i: Insn) -> Step {
    let Some(access) = classify(i) else { return t.undef(i) };
    if let Access::Prefetch = access {
        return Step::Next;
    }
    let base = t.x_sp(i.rn());
    let addr = t.bin_imm(BinOp::Add, base, u64::from(i.imm12()) << i.size());
    let loaded = t.access(access, i.rt(), addr, false);
    t.write_loaded(i.rt(), loaded);
    Step::Next
}

/// LDUR/STUR/PRFUM, post-indexed, unprivileged (LDTR/STTR) and pre-indexed
/// forms with a signed 9-bit offset (bits \[11:10\] = 00, 01, 10, 11).
pub(super) fn load_store_imm9(t: &mut Translator, i: Insn) -> Step {
    let Some(access) = classify(i) else { return t.undef(i) };
    let mode = i.bits(11, 10);
    if let Access::Prefetch = access {
        // PRFUM exists only in the unscaled form.
        return if mode == 0 { Step::Next } else { t.undef(i) };
    }
    let offset = i.imm9() as u64;
    let base = t.x_sp(i.rn());
    let (addr, wb) = t.indexed(base, offset, mode);
    let loaded = t.access(access, i.rt(), addr, mode == 2);
    t.write_loaded(i.rt(), loaded);
    if let Some(wb) = wb {
        t.set_x_sp(i.rn(), wb);
    }
    Step::Next
}

/// LDR/STR/LDRS*/PRFM (register offset) (ARM ARM C6.2.133 and relatives):
/// offset = ExtendReg(Rm, option, S ? size : 0), option must be UXTW, LSL, SXTW
/// or SXTX.
pub(super) fn load_store_reg(t: &mut Translator, i: Insn) -> Step {
    let Some(access) = classify(i) else { return t.undef(i) };
    if i.option() & 0b010 == 0 {
        return t.undef(i);
    }
    if let Access::Prefetch = access {
        return Step::Next;
    }
    let shift = if i.bit(12) { i.size() } else { 0 };
    let off = t.extend_reg(i.rm(), i.option(), shift, Type::I64);
    let base = t.x_sp(i.rn());
    let addr = t.bin(BinOp::Add, base, off);
    let loaded = t.access(access, i.rt(), addr, false);
    t.write_loaded(i.rt(), loaded);
    Step::Next
}

/// LDR (literal), LDRSW (literal), PRFM (literal) (ARM ARM C6.2.132, C6.2.151, C6.2.219).
pub(super) fn load_literal(t: &mut Translator, i: Insn) -> Step {
    let addr = t.pc.wrapping_add((i.imm19() << 2) as u64);
    let (bytes, signed, ty) = match i.bits(31, 30) {
        0 => (4, false, Type::I32),
        1 => (8, false, Type::I64),
        2 => (4, true, Type::I64),
        _ => return Step::Next,
    };
    let a = t.c64(addr);
    let v = t.load(MemOp::read(bytes, signed), ty, a);
    t.set_x(i.rt(), v);
    Step::Next
}

/// LDP/STP/LDPSW (post-indexed, signed offset, pre-indexed) and LDNP/STNP
/// (ARM ARM C6.2.129, C6.2.130, C6.2.130, C6.2.319, C6.2.318).
pub(super) fn load_store_pair(t: &mut Translator, i: Insn) -> Step {
    let opc = i.bits(31, 30);
    let load = i.bit(22);
    let mode = i.bits(25, 23);
    if opc == 3 || (opc == 1 && (!load || mode == 0)) {
        return t.undef(i);
    }
    let signed = opc == 1;
    let bytes: u8 = if opc == 2 { 8 } else { 4 };
    let offset = (i.imm7() * i64::from(bytes)) as u64;
    let base = t.x_sp(i.rn());
    let (addr, wb) = t.indexed(base, offset, mode);
    let addr2 = t.bin_imm(BinOp::Add, addr, u64::from(bytes));
    if load {
        let ty = if bytes == 8 || signed { Type::I64 } else { Type::I32 };
        let op = MemOp::read(bytes, signed);
        let v1 = t.load(op, ty, addr);
        let v2 = t.load(op, ty, addr2);
        // Rt == Rt2 is CONSTRAINED UNPREDICTABLE; QEMU leaves the first value.
        t.set_x(i.rt2(), v2);
        t.set_x(i.rt(), v1);
    } else {
        let v1 = t.x(i.rt());
        let v2 = t.x(i.rt2());
        t.store(MemOp::write(bytes), addr, v1);
        t.store(MemOp::write(bytes), addr2, v2);
    }
    if let Some(wb) = wb {
        t.set_x_sp(i.rn(), wb);
    }
    Step::Next
}

/// LDXR/LDAXR/STXR/STLXR and LDXP/LDAXP/STXP/STLXP (ARM ARM C6.2.143, C6.2.107,
/// C6.2.336, C6.2.325 and the pair forms), with a single-PE exclusive monitor:
/// a load-exclusive records the address and the value(s) read; a
/// store-exclusive succeeds if the address matches and memory still holds those
/// values. The store is done as a read-modify-write of the same location so the
/// block stays straight-line code: on failure memory is rewritten with what it
/// holds. The monitor is cleared in both cases.
///
/// The address must be aligned to the whole access (both registers of a pair),
/// else an Alignment fault is taken whether or not the monitor matches
/// (AArch64.ExclusiveMonitorsPass, ARM ARM J1.2.3). A store-exclusive reports
/// it as a write (WnR = 1), so the check sits on the store, not on the read
/// of the read-modify-write.
pub(super) fn exclusive(t: &mut Translator, i: Insn) -> Step {
    let pair = i.bit(21);
    let load = i.bit(22);
    let bytes: u8 = if pair { 4 << i.bits(30, 30) } else { 1 << i.size() };
    let ty = if bytes == 8 || !pair { Type::I64 } else { Type::I32 };
    let total = if pair { 2 * bytes } else { bytes };
    let addr = t.x_sp(i.rn());
    let addr2 = t.bin_imm(BinOp::Add, addr, u64::from(bytes));
    let rd = MemOp::read(bytes, false);
    if load {
        let v1 = t.load(rd.aligned_to(total), ty, addr);
        let v2 = if pair { Some(t.load(rd, ty, addr2)) } else { None };
        t.set_x(i.rt(), v1);
        let e1 = t.b.zext(Type::I64, v1);
        t.b.set(state::EXCL_VAL, e1);
        if let Some(v2) = v2 {
            t.set_x(i.rt2(), v2);
            let e2 = t.b.zext(Type::I64, v2);
            t.b.set(state::EXCL_VAL_HI, e2);
        }
        t.b.set(state::EXCL_ADDR, addr);
        return Step::Next;
    }
    let d1 = t.x(i.rt());
    let d2 = if pair { Some(t.x(i.rt2())) } else { None };
    let monitor = t.b.get(state::EXCL_ADDR);
    let mut ok = t.b.icmp(Cmp::Eq, addr, monitor);
    let cur1 = t.load(rd, Type::I64, addr);
    let expect1 = t.b.get(state::EXCL_VAL);
    let same1 = t.b.icmp(Cmp::Eq, cur1, expect1);
    ok = t.bin(BinOp::And, ok, same1);
    let cur2 = if pair {
        let cur2 = t.load(rd, Type::I64, addr2);
        let expect2 = t.b.get(state::EXCL_VAL_HI);
        let same2 = t.b.icmp(Cmp::Eq, cur2, expect2);
        ok = t.bin(BinOp::And, ok, same2);
        Some(cur2)
    } else {
        None
    };
    let new1 = t.b.select(ok, d1, cur1);
    t.store(MemOp::write(bytes).aligned_to(total), addr, new1);
    if let (Some(d2), Some(cur2)) = (d2, cur2) {
        let new2 = t.b.select(ok, d2, cur2);
        t.store(MemOp::write(bytes), addr2, new2);
    }
    let failed = t.bin_imm(BinOp::Xor, ok, 1);
    let status = t.b.zext(Type::I64, failed);
    t.set_x(i.rs(), status);
    let none = t.c64(EXCL_NONE);
    t.b.set(state::EXCL_ADDR, none);
    Step::Next
}

/// LDAR, STLR (ARM ARM C6.2.104, C6.2.316): ordinary accesses on one PE,
/// except that a misaligned address takes an Alignment fault (ARM ARM B2.5.2:
/// load-acquire/store-release check alignment whatever SCTLR_ELx.A says).
/// LDAPR{B,H} (ARM ARM C6.2.119-121, FEAT_LRCPC): a load-acquire that, on one
/// PE, is an ordinary zero-extending load. As on QEMU 7.2 it has no alignment
/// requirement beyond that of normal loads.
pub(super) fn load_acquire_pc(t: &mut Translator, i: Insn) -> Step {
    if t.flags & state::TB_LRCPC == 0 {
        return t.undef(i);
    }
    let bytes = 1u8 << i.size();
    let addr = t.x_sp(i.rn());
    let v = t.load(MemOp::read(bytes, false), Type::I64, addr);
    t.set_x(i.rt(), v);
    Step::Next
}

pub(super) fn acquire_release(t: &mut Translator, i: Insn) -> Step {
    let bytes = 1u8 << i.size();
    let addr = t.x_sp(i.rn());
    if i.bit(22) {
        let v = t.load(MemOp::read(bytes, false).aligned_to(bytes), Type::I64, addr);
        t.set_x(i.rt(), v);
    } else {
        let v = t.x(i.rt());
        t.store(MemOp::write(bytes).aligned_to(bytes), addr, v);
    }
    Step::Next
}
