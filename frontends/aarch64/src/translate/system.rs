//! Exception generation and system instructions (ARM ARM C4.1.3): SVC/HVC/
//! SMC/BRK/HLT, hints, barriers, MSR (immediate), SYS (cache maintenance),
//! MRS/MSR (register) and ERET.

use super::{Step, Translator};
use crate::decode::Insn;
use crate::exception::{EXC_AT, EXC_BRK, EXC_HLT, EXC_HVC, EXC_ISR, EXC_SMC, EXC_SVC, EXC_TIMER};
use crate::state::{self, A64State, EXCL_NONE, OSLSR_RESET, TB_DZE, TB_FP, TB_UCI, TB_UMA};
use crate::sysreg::{self, Access, El0Access, ModelField, Storage, DC_ZVA_BYTES, DCZID_BS};
use chimera_ir::{BinOp, Cmp, FlushScope, Helper, MemOp, Terminal, TlbFlush, Type, Value};

extern "C" fn eret_helper(cpu: *mut u8, _env: *mut u8, _a: u64, _b: u64, _c: u64) -> u64 {
    // SAFETY: translated A64 code is always run with its `A64State` as `cpu`.
    let s = unsafe { &mut *cpu.cast::<A64State>() };
    s.exception_return()
}

extern "C" fn set_spsel_helper(cpu: *mut u8, _env: *mut u8, spsel: u64, _b: u64, _c: u64) -> u64 {
    // SAFETY: as for `eret_helper`.
    let s = unsafe { &mut *cpu.cast::<A64State>() };
    s.set_spsel(spsel as u8);
    0
}

/// ERET: `A64State::exception_return`, returning the new PC.
pub const ERET_HELPER: Helper = Helper::new("a64_eret", eret_helper);
/// MSR SPSel: `A64State::set_spsel(a)`, rebanking the stack pointer.
pub const SET_SPSEL_HELPER: Helper = Helper::new("a64_set_spsel", set_spsel_helper);

/// SVC/HVC/SMC/BRK/HLT (ARM ARM C6.2.365, C6.2.105, C6.2.248, C6.2.38, C6.2.104).
/// HVC and SMC are UNDEFINED at EL0.
pub(super) fn exception_gen(t: &mut Translator, i: Insn) -> Step {
    let kind = match (i.bits(23, 21), i.bits(1, 0)) {
        (0, 1) => EXC_SVC,
        (0, 2) if t.el > 0 => EXC_HVC,
        (0, 3) if t.el > 0 => EXC_SMC,
        (1, 0) => EXC_BRK,
        (2, 0) => EXC_HLT,
        _ => return t.undef(i),
    };
    Step::End(Terminal::Exception { pc: t.pc, kind, arg: u64::from(i.imm16()) })
}

/// The HINT space (ARM ARM C6.2.103): NOP, and everything unallocated in it,
/// is a NOP; YIELD/WFE/WFI/SEV/SEVL return to the loop (WFI also sets `halted`).
pub(super) fn hint(t: &mut Translator, i: Insn) -> Step {
    match i.bits(11, 5) {
        3 => {
            let one = t.iconst(Type::I8, 1);
            t.b.set(state::HALTED, one);
            t.exit_next()
        }
        1..=5 => t.exit_next(),
        _ => Step::Next,
    }
}

/// CLREX, DSB, DMB, ISB (ARM ARM C6.2.52, C6.2.80, C6.2.78, C6.2.110). On one
/// PE the barriers order nothing; ISB ends the block so that a preceding
/// context change is seen.
pub(super) fn barrier(t: &mut Translator, i: Insn) -> Step {
    match i.bits(7, 5) {
        0b010 => {
            let none = t.c64(EXCL_NONE);
            t.b.set(state::EXCL_ADDR, none);
            Step::Next
        }
        0b110 => t.exit_next(),
        _ => Step::Next,
    }
}

/// MSR (immediate) to SPSel, DAIFSet, DAIFClr (ARM ARM C6.2.195); other PSTATE
/// fields are not in ARMv8.0.
pub(super) fn pstate(t: &mut Translator, i: Insn) -> Step {
    let imm = u64::from(i.bits(11, 8));
    match (i.bits(18, 16), i.bits(7, 5)) {
        (0, 5) if t.el > 0 => {
            let v = t.c64(imm & 1);
            t.b.call(SET_SPSEL_HELPER, &[v]);
            t.exit_next()
        }
        (3, op2 @ (6 | 7)) if t.el > 0 || t.flags & TB_UMA != 0 => {
            let daif = t.b.get(state::DAIF);
            let v = if op2 == 6 { t.bin_imm(BinOp::Or, daif, imm) } else { t.bin_imm(BinOp::And, daif, !imm) };
            t.b.set(state::DAIF, v);
            t.exit_next()
        }
        (3, 6 | 7) => t.sysreg_trap(i),
        _ => t.undef(i),
    }
}

/// SYS: the cache maintenance instructions (ARM ARM C5.3 "A64 system
/// instructions for cache maintenance") are no-ops, since Chimera models no
/// caches and detects self-modifying code itself; DC ZVA zeroes its block.
/// The EL1 TLB maintenance instructions (C5.5) invalidate the softmmu's
/// translations of the EL1&0 regime ([`tlbi`]) and end the block; the EL1
/// address translation instructions (C5.4) end the block with [`EXC_AT`].
pub(super) fn sys(t: &mut Translator, i: Insn) -> Step {
    let (_, op1, crn, crm, op2) = i.sys_fields();
    let el0_ok = |flag: u32| t.el > 0 || t.flags & flag != 0;
    match (op1, crn, crm, op2) {
        // IC IALLUIS, IC IALLU, DC IVAC, DC ISW, DC CSW, DC CISW.
        (0, 7, 1 | 5, 0) | (0, 7, 6, 1 | 2) | (0, 7, 10 | 14, 2) if t.el > 0 => Step::Next,
        // IC IVAU, DC CVAC, DC CVAU, DC CIVAC.
        (3, 7, 5 | 10 | 11 | 14, 1) if el0_ok(TB_UCI) => Step::Next,
        (3, 7, 5 | 10 | 11 | 14, 1) => t.sysreg_trap(i),
        // DC ZVA.
        (3, 7, 4, 1) if el0_ok(TB_DZE) => {
            let x = t.x(i.rt());
            let base = t.bin_imm(BinOp::And, x, !(DC_ZVA_BYTES - 1));
            let zero = t.c64(0);
            // A fault reports the address in Xt (ARM ARM D17.2.40, FAR_EL1
            // for DC ZVA), not the block's: the first access is at Xt. The
            // block lies in one page, so if that byte can be written, so can
            // the rest.
            let z8 = t.iconst(Type::I8, 0);
            t.store(MemOp::write(1), x, z8);
            for k in 0..DC_ZVA_BYTES / 8 {
                let a = t.bin_imm(BinOp::Add, base, 8 * k);
                t.store(MemOp::write(8), a, zero);
            }
            Step::Next
        }
        (3, 7, 4, 1) => t.sysreg_trap(i),
        // TLBI VMALLE1(IS), VAE1(IS), ASIDE1(IS), VAAE1(IS), VALE1(IS), VAALE1(IS).
        (0, 8, 3 | 7, op2 @ (0 | 1 | 2 | 3 | 5 | 7)) if t.el > 0 => tlbi(t, op2, i.rt()),
        // AT S1E1R, S1E1W, S1E0R, S1E0W: the walk needs the board's
        // physical memory, so the CPU's owner does it
        // (`A64State::address_translate`).
        (0, 7, 8, op2 @ 0..=3) if t.el > 0 => {
            Step::End(Terminal::Exception { pc: t.pc, kind: EXC_AT, arg: u64::from(op2) | (i.rt() as u64) << 8 })
        }
        _ => t.undef(i),
    }
}

/// TLBI (ARM ARM C5.5, D5.10.2) of the EL1&0 regime; the Inner Shareable
/// forms (CRm 3) are the same on one PE. `op2` selects the form: 0 VMALLE1
/// (everything), 1 VAE1 and 5 VALE1 (one VA for one ASID, and the global
/// entries), 2 ASIDE1 (one ASID), 3 VAAE1 and 7 VAALE1 (one VA, every ASID).
/// Xt holds ASID \[63:48\] and VA\[55:12\] in \[43:0\]; the last-level
/// forms invalidate at least what the others do. The next instruction must
/// see the invalidation (after the DSB and ISB software issues), so the block
/// ends.
fn tlbi(t: &mut Translator, op2: u32, rt: usize) -> Step {
    let scope = match op2 {
        0 => FlushScope::All,
        1 | 5 => FlushScope::PageAsid,
        2 => FlushScope::Asid,
        _ => FlushScope::Page,
    };
    let (va, asid) = if scope == FlushScope::All {
        let z = t.c64(0);
        (z, z)
    } else {
        let x = t.x(rt);
        // VA[55:12], sign-extended from bit 55 (ARM ARM D5.10.2: the VA
        // argument of a TLBI of a regime with two VA ranges).
        let va = t.bin_imm(BinOp::Shl, x, 20);
        let va = t.bin_imm(BinOp::Ashr, va, 8);
        let asid = t.bin_imm(BinOp::Lshr, x, 48);
        (va, asid)
    };
    t.b.tlb_flush(TlbFlush { scope, mmu_mask: state::MMU_MASK_EL10 }, va, asid);
    t.exit_next()
}

/// MRS and MSR (register) (ARM ARM C6.2.194, C6.2.196) for the registers of
/// [`sysreg::lookup`]; any other register, or one the current EL may not
/// access, is UNDEFINED. FPCR and FPSR take the FP access trap while
/// CPACR_EL1.FPEN disables FP.
pub(super) fn sysreg(t: &mut Translator, i: Insn) -> Step {
    let (op0, op1, crn, crm, op2) = i.sys_fields();
    let read = i.bit(21);
    let Some(reg) = sysreg::lookup((op0, op1, crn, crm, op2)) else { return t.undef(i) };
    let direction_ok = match reg.access {
        Access::ReadOnly => read,
        Access::WriteOnly => !read,
        Access::ReadWrite => true,
    };
    let allowed = direction_ok
        && (t.el > 0
            || match reg.el0 {
                El0Access::None => false,
                El0Access::Read => read,
                El0Access::ReadWrite => true,
                El0Access::Gated { write, .. } if !read && !write => false,
                // Accessible at EL0 unless an EL1 control traps it (SCTLR_EL1:
                // ARM ARM D13.2.125; CNTKCTL_EL1: D11.2.4).
                El0Access::Gated { any_of, .. } if t.flags & any_of == 0 => return t.sysreg_trap(i),
                El0Access::Gated { .. } => true,
            });
    // SP_EL0 is only accessible while it is not the live stack pointer.
    if !allowed || (reg.storage == Storage::SpEl0 && t.spsel == 0) {
        return t.undef(i);
    }
    if reg.fp && t.flags & TB_FP == 0 {
        return t.fp_trap();
    }
    if read && reg.storage == Storage::Isr {
        return Step::End(Terminal::Exception { pc: t.pc, kind: EXC_ISR, arg: i.rt() as u64 });
    }
    if read {
        let v = mrs(t, reg.storage);
        t.set_x(i.rt(), v);
        return Step::Next;
    }
    let v = t.x(i.rt());
    msr(t, reg.storage, v);
    if reg.flushes_tlb {
        // SCTLR_EL1 and TCR_EL1 change how every address of the EL1&0
        // regime translates; TLB entries cached under the old values would
        // keep their permissions (QEMU flushes on these writes too).
        let z = t.c64(0);
        t.b.tlb_flush(TlbFlush { scope: FlushScope::All, mmu_mask: state::MMU_MASK_EL10 }, z, z);
    }
    if reg.timer {
        return Step::End(Terminal::Exception { pc: t.next_pc(), kind: EXC_TIMER, arg: 0 });
    }
    if reg.ends_block {
        t.exit_next()
    } else {
        Step::Next
    }
}

/// PMCR_EL0's stored bits as QEMU 7.2 keeps them: E, D, X, DP, LC, LP.
const PMCR_WRITABLE: u64 = 0xf9;

/// PMSELR_EL0.SEL.
fn pmselr(t: &mut Translator) -> Value {
    let v = t.b.get(state::PMSELR);
    t.bin_imm(BinOp::And, v, 0x1f)
}

/// Element `sel` of the six-counter array at state offset `base`, or
/// `otherwise` when `sel` names none.
fn pmu_select(t: &mut Translator, sel: Value, base: usize, otherwise: Value) -> Value {
    let mut v = otherwise;
    for k in 0..6 {
        let e = t.b.get(state::u64_at(base + 8 * k));
        let hit = t.b.icmp_imm(Cmp::Eq, sel, k as u64);
        v = t.b.select(hit, e, v);
    }
    v
}

/// Write `v` to element `sel` of the six-counter array at `base` (nothing
/// when `sel` names none).
fn pmu_store(t: &mut Translator, sel: Value, base: usize, v: Value) {
    for k in 0..6 {
        let r = state::u64_at(base + 8 * k);
        let cur = t.b.get(r);
        let hit = t.b.icmp_imm(Cmp::Eq, sel, k as u64);
        let new = t.b.select(hit, v, cur);
        t.b.set(r, new);
    }
}

/// The system counter (ARM ARM D11.1.2) at 62.5 MHz (QEMU's CNTFRQ_EL0):
/// one tick per 16 ns of the machine's guest time.
fn counter(t: &mut Translator) -> Value {
    let ns = t.b.guest_time();
    t.bin_imm(BinOp::Lshr, ns, 4)
}

fn mrs(t: &mut Translator, storage: Storage) -> Value {
    match storage {
        Storage::Field(r) | Storage::Masked(r, _) => {
            let v = t.b.get(r);
            if r.ty == Type::I64 {
                v
            } else {
                t.b.zext(Type::I64, v)
            }
        }
        Storage::Oslar => unreachable!("OSLAR_EL1 is write-only"),
        Storage::Const(c) => t.c64(c),
        Storage::IdFeature { base, flag, with } => t.c64(if t.flags & flag != 0 { base | with } else { base }),
        Storage::Counter => counter(t),
        Storage::SetBits(r, _) | Storage::ClearBits(r, _) => t.b.get(r),
        Storage::Model(f) => {
            let ids = t.id_values();
            t.c64(match f {
                ModelField::Midr => ids.midr,
                ModelField::Ctr => ids.ctr,
                ModelField::Aa64Mmfr0 => ids.aa64mmfr0,
            })
        }
        Storage::Pmcr => {
            let v = t.b.get(state::PMCR);
            let id = t.id_values().pmcr_id;
            t.bin_imm(BinOp::Or, v, id)
        }
        Storage::PmxEvtyper => {
            let sel = pmselr(t);
            let z = t.c64(0);
            let v = pmu_select(t, sel, state::PMEVTYPER, z);
            let cf = t.b.get(state::PMCCFILTR);
            let is_cycle = t.b.icmp_imm(Cmp::Eq, sel, 31);
            t.b.select(is_cycle, cf, v)
        }
        Storage::PmxEvcntr => {
            let sel = pmselr(t);
            let z = t.c64(0);
            pmu_select(t, sel, state::PMEVCNTR, z)
        }
        Storage::Isr => unreachable!("ISR_EL1 reads end the block"),
        Storage::TimerCtl(ctl, cval) => {
            let c = t.b.get(ctl);
            let cnt = counter(t);
            let cv = t.b.get(cval);
            let met = t.b.icmp(Cmp::Uge, cnt, cv);
            let met = t.b.zext(Type::I64, met);
            let istatus = t.bin(BinOp::And, met, c);
            let istatus = t.bin_imm(BinOp::Shl, istatus, 2);
            t.bin(BinOp::Or, c, istatus)
        }
        Storage::TimerTval(cval) => {
            let cv = t.b.get(cval);
            let cnt = counter(t);
            let d = t.bin(BinOp::Sub, cv, cnt);
            t.bin_imm(BinOp::And, d, 0xffff_ffff)
        }
        Storage::Ccsidr => {
            let sel = t.b.get(state::CSSELR_EL1);
            let mut v = t.c64(0);
            for (k, &c) in t.id_values().ccsidr.iter().enumerate().rev() {
                let hit = t.b.icmp_imm(Cmp::Eq, sel, k as u64);
                let c = t.c64(c);
                v = t.b.select(hit, c, v);
            }
            v
        }
        Storage::SpEl0 => t.b.get(state::SP_EL0),
        Storage::CurrentEl => t.c64(u64::from(t.el) << 2),
        Storage::SpSel => t.c64(u64::from(t.spsel)),
        Storage::Dczid => {
            let dzp = t.el == 0 && t.flags & TB_DZE == 0;
            t.c64(DCZID_BS | if dzp { 1 << 4 } else { 0 })
        }
        Storage::Daif => {
            let d = t.b.get(state::DAIF);
            let d = t.b.zext(Type::I64, d);
            t.bin_imm(BinOp::Shl, d, 6)
        }
        Storage::Nzcv => {
            let mut acc = t.c64(0);
            for (reg, bit) in [(state::NF, 31), (state::ZF, 30), (state::CF, 29), (state::VF, 28)] {
                let f = t.b.get(reg);
                let f = t.b.zext(Type::I64, f);
                let f = t.bin_imm(BinOp::Shl, f, bit);
                acc = t.bin(BinOp::Or, acc, f);
            }
            acc
        }
    }
}

fn msr(t: &mut Translator, storage: Storage, v: Value) {
    match storage {
        Storage::Field(r) => t.b.set(r, v),
        Storage::Masked(r, mask) => {
            let mut v = t.bin_imm(BinOp::And, v, mask);
            if r.ty != Type::I64 {
                v = t.b.trunc(r.ty, v);
            }
            t.b.set(r, v);
        }
        Storage::Oslar => {
            let lk = t.bin_imm(BinOp::And, v, 1);
            let lk = t.bin_imm(BinOp::Shl, lk, 1);
            let v = t.bin_imm(BinOp::Or, lk, OSLSR_RESET & !0b10);
            t.b.set(state::OSLSR_EL1, v);
        }
        Storage::SpEl0 => t.b.set(state::SP_EL0, v),
        Storage::SpSel => {
            let bit = t.bin_imm(BinOp::And, v, 1);
            t.b.call(SET_SPSEL_HELPER, &[bit]);
        }
        Storage::Daif => {
            let d = t.bin_imm(BinOp::Lshr, v, 6);
            let d = t.b.trunc(Type::I8, d);
            let d = t.bin_imm(BinOp::And, d, 0xf);
            t.b.set(state::DAIF, d);
        }
        Storage::Nzcv => {
            for (reg, bit) in [(state::NF, 31), (state::ZF, 30), (state::CF, 29), (state::VF, 28)] {
                let f = t.bin_imm(BinOp::Lshr, v, bit);
                let f = t.b.trunc(Type::I8, f);
                let f = t.bin_imm(BinOp::And, f, 1);
                t.b.set(reg, f);
            }
        }
        Storage::TimerCtl(ctl, _) => {
            let v = t.bin_imm(BinOp::And, v, 0b11);
            t.b.set(ctl, v);
        }
        Storage::SetBits(r, mask) => {
            let cur = t.b.get(r);
            let bits = t.bin_imm(BinOp::And, v, mask);
            let new = t.bin(BinOp::Or, cur, bits);
            t.b.set(r, new);
        }
        Storage::ClearBits(r, mask) => {
            let cur = t.b.get(r);
            let bits = t.bin_imm(BinOp::And, v, mask);
            let keep = t.b.un(chimera_ir::UnOp::Not, bits);
            let new = t.bin(BinOp::And, cur, keep);
            t.b.set(r, new);
        }
        Storage::Pmcr => {
            // E, D, X, DP, LC, LP are kept (ARM ARM D17.5.8); C (bit 2) zeroes
            // the cycle counter, P (bit 1) the event counters.
            let keep = t.bin_imm(BinOp::And, v, PMCR_WRITABLE);
            t.b.set(state::PMCR, keep);
            let z = t.c64(0);
            let c = t.bin_imm(BinOp::And, v, 1 << 2);
            let c = t.b.icmp_imm(Cmp::Ne, c, 0);
            let cc = t.b.get(state::PMCCNTR);
            let cc = t.b.select(c, z, cc);
            t.b.set(state::PMCCNTR, cc);
            let p = t.bin_imm(BinOp::And, v, 1 << 1);
            let p = t.b.icmp_imm(Cmp::Ne, p, 0);
            for k in 0..6 {
                let r = state::u64_at(state::PMEVCNTR + 8 * k);
                let cur = t.b.get(r);
                let new = t.b.select(p, z, cur);
                t.b.set(r, new);
            }
        }
        Storage::PmxEvtyper => {
            let sel = pmselr(t);
            let ev = t.bin_imm(BinOp::And, v, sysreg::PMEVTYPER_BITS);
            pmu_store(t, sel, state::PMEVTYPER, ev);
            let cf = t.bin_imm(BinOp::And, v, sysreg::PMCCFILTR_BITS);
            let is_cycle = t.b.icmp_imm(Cmp::Eq, sel, 31);
            let cur = t.b.get(state::PMCCFILTR);
            let new = t.b.select(is_cycle, cf, cur);
            t.b.set(state::PMCCFILTR, new);
        }
        Storage::PmxEvcntr => {
            let sel = pmselr(t);
            pmu_store(t, sel, state::PMEVCNTR, v);
        }
        Storage::Isr => unreachable!("ISR_EL1 is read-only"),
        Storage::TimerTval(cval) => {
            let lo = t.b.trunc(Type::I32, v);
            let lo = t.b.sext(Type::I64, lo);
            let cnt = counter(t);
            let cv = t.bin(BinOp::Add, cnt, lo);
            t.b.set(cval, cv);
        }
        Storage::Const(_) | Storage::IdFeature { .. } | Storage::Counter | Storage::CurrentEl | Storage::Dczid | Storage::Ccsidr | Storage::Model(_) => {}
    }
}

/// ERET (ARM ARM C6.2.84): UNDEFINED at EL0; otherwise restore PSTATE from
/// SPSR_EL1, rebank SP, and continue at ELR_EL1 through the execution loop.
pub(super) fn eret(t: &mut Translator, i: Insn) -> Step {
    if t.el == 0 {
        return t.undef(i);
    }
    let target = t.b.call(ERET_HELPER, &[]);
    Step::End(Terminal::ExitIndirect(target))
}
