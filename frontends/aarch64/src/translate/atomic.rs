//! The ARMv8.1 Large System Extensions atomics (FEAT_LSE, ARM ARM C3.2.12):
//! LD\<op\> and their ST\<op\> aliases, SWP, CAS and CASP. They exist only on
//! CPU models with the feature ([`TB_LSE`]); elsewhere they are UNDEFINED,
//! as on the Cortex-A57.
//!
//! One PE, so an atomic read-modify-write is a load, the operation and a
//! store in straight-line IR, like the store-exclusives in `loadstore.rs`.
//! CAS and CASP store unconditionally: the new value when the comparison
//! holds, the old one otherwise (the architecture allows the write either
//! way; QEMU does the same without MTTCG). The acquire/release bits order
//! memory between PEs and change nothing here.
//!
//! The address must be aligned to the access size (to both registers of a
//! CASP), else an Alignment fault is taken (ARM ARM B2.5.2). The check sits
//! on the load, which comes first, so the fault reports a read (WnR = 0), as
//! QEMU 7.2 reports it; a fault on the store (a read-only page) reports a
//! write. Every access happens before any register is written, so a fault
//! leaves the registers as they were.

use super::{int_type, Step, Translator};
use crate::decode::Insn;
use crate::state::TB_LSE;
use chimera_ir::{BinOp, Cmp, MemOp, Type, Value};

impl Translator {
    /// The low `bytes` of `v` (an `I64`), zero- or sign-extended back to 64 bits.
    fn extend_from(&mut self, v: Value, bytes: u8, signed: bool) -> Value {
        let part = self.b.trunc(int_type(u32::from(bytes)), v);
        if signed {
            self.b.sext(Type::I64, part)
        } else {
            self.b.zext(Type::I64, part)
        }
    }
}

/// LDADD, LDCLR, LDEOR, LDSET, LDSMAX, LDSMIN, LDUMAX, LDUMIN, SWP with their
/// A/L and B/H variants (ARM ARM C6.2 "LDADD, LDADDA, LDADDAL, LDADDL" and
/// relatives, "SWP, SWPA, SWPAL, SWPL"):
/// `old = Mem[X[n]]; Mem[X[n]] = old <op> X[s]; X[t] = ZeroExtend(old)`.
/// With Rt = XZR these are ST\<op\>.
pub(super) fn atomic_memory(t: &mut Translator, i: Insn) -> Step {
    if t.flags & TB_LSE == 0 {
        return t.undef(i);
    }
    let bytes = 1u8 << i.size();
    let op = i.bits(15, 12);
    let addr = t.x_sp(i.rn());
    let s = t.x(i.rs());
    let old = t.load(MemOp::read(bytes, false).aligned_to(bytes), Type::I64, addr);
    let new = match op {
        0b0000 => t.bin(BinOp::Add, old, s),
        0b0001 => {
            let ns = t.b.not(s);
            t.bin(BinOp::And, old, ns)
        }
        0b0010 => t.bin(BinOp::Xor, old, s),
        0b0011 => t.bin(BinOp::Or, old, s),
        0b0100..=0b0111 => {
            // Compare the operands as `bytes`-wide signed or unsigned integers.
            let signed = op < 0b0110;
            let a = t.extend_from(old, bytes, signed);
            let b = t.extend_from(s, bytes, signed);
            let max = op & 1 == 0;
            let cc = match (signed, max) {
                (true, true) => Cmp::Sgt,
                (true, false) => Cmp::Slt,
                (false, true) => Cmp::Ugt,
                (false, false) => Cmp::Ult,
            };
            let keep = t.b.icmp(cc, a, b);
            t.b.select(keep, old, s)
        }
        0b1000 => s,
        _ => return t.undef(i),
    };
    t.store(MemOp::write(bytes), addr, new);
    t.set_x(i.rt(), old);
    Step::Next
}

/// CAS, CASA, CASL, CASAL and their B/H forms (ARM ARM C6.2 "CAS, CASA,
/// CASAL, CASL", "CASB...", "CASH..."):
/// `old = Mem[X[n]]; if old == X[s] then Mem[X[n]] = X[t]; X[s] = old`,
/// compared and written back `size` bytes wide.
pub(super) fn compare_swap(t: &mut Translator, i: Insn) -> Step {
    if t.flags & TB_LSE == 0 {
        return t.undef(i);
    }
    let bytes = 1u8 << i.size();
    let addr = t.x_sp(i.rn());
    let expect = t.x(i.rs());
    let expect = t.extend_from(expect, bytes, false);
    let swap = t.x(i.rt());
    let old = t.load(MemOp::read(bytes, false).aligned_to(bytes), Type::I64, addr);
    let same = t.b.icmp(Cmp::Eq, old, expect);
    let new = t.b.select(same, swap, old);
    t.store(MemOp::write(bytes), addr, new);
    t.set_x(i.rs(), old);
    Step::Next
}

/// CASP, CASPA, CASPL, CASPAL, W and X pairs (ARM ARM C6.2 "CASP, CASPA,
/// CASPAL, CASPL"): compare the
/// two words at X[n] with X[s], X[s+1]; if both match store X[t], X[t+1];
/// X[s], X[s+1] receive the old words. Rs and Rt must be even.
pub(super) fn compare_swap_pair(t: &mut Translator, i: Insn) -> Step {
    if t.flags & TB_LSE == 0 || i.rs() & 1 != 0 || i.rt() & 1 != 0 {
        return t.undef(i);
    }
    let bytes: u8 = if i.bit(30) { 8 } else { 4 };
    let (rs, rt) = (i.rs(), i.rt());
    let addr = t.x_sp(i.rn());
    let addr2 = t.bin_imm(BinOp::Add, addr, u64::from(bytes));
    let mut expect = [rs, rs + 1].map(|r| t.x(r));
    for e in &mut expect {
        *e = t.extend_from(*e, bytes, false);
    }
    let swap = [rt, rt + 1].map(|r| t.x(r));
    let rd = MemOp::read(bytes, false);
    let old1 = t.load(rd.aligned_to(2 * bytes), Type::I64, addr);
    let old2 = t.load(rd, Type::I64, addr2);
    let same1 = t.b.icmp(Cmp::Eq, old1, expect[0]);
    let same2 = t.b.icmp(Cmp::Eq, old2, expect[1]);
    let same = t.bin(BinOp::And, same1, same2);
    let new1 = t.b.select(same, swap[0], old1);
    let new2 = t.b.select(same, swap[1], old2);
    t.store(MemOp::write(bytes), addr, new1);
    t.store(MemOp::write(bytes), addr2, new2);
    t.set_x(rs, old1);
    t.set_x(rs + 1, old2);
    Step::Next
}
