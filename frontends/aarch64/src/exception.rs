//! Synchronous exceptions, interrupts and exception return: ARM ARM D1.10
//! "Exception entry" and D1.11 "Exception return", for a PE with EL0 and EL1
//! only (all exceptions are taken to EL1 in AArch64).
//!
//! Translated code reports an exception as `Terminal::Exception { pc, kind, arg }`
//! with one of the `EXC_*` kinds below; the execution loop (with the state's PC
//! already set to `pc`) calls [`A64State::take_exception`]. A memory fault from a
//! load or store arrives as `BlockExit::Fault` and is taken with
//! [`A64State::take_fault`].

use crate::state::{A64State, EXCL_NONE};
use chimera_ir::{AccessKind, FaultCause, MemFault};

/// Undefined or unimplemented instruction. `arg`: the instruction word.
pub const EXC_UNDEF: u32 = 1;
/// SVC. `arg`: imm16.
pub const EXC_SVC: u32 = 2;
/// HVC. `arg`: imm16. With no EL2 this is UNDEFINED unless the machine handles
/// it first (PSCI conduit).
pub const EXC_HVC: u32 = 3;
/// SMC. `arg`: imm16. With no EL3 this is UNDEFINED unless the machine handles it.
pub const EXC_SMC: u32 = 4;
/// BRK. `arg`: imm16.
pub const EXC_BRK: u32 = 5;
/// HLT. `arg`: imm16. UNDEFINED (halting debug is disabled) unless the machine
/// handles it first (semihosting uses `HLT #0xF000`).
pub const EXC_HLT: u32 = 6;
/// Instruction fetch fault at the PC. `arg`: [`encode_fetch_fault`] of the fault
/// (cause in bits \[63:56\], the low 56 bits of the address below).
pub const EXC_INSN_ABORT: u32 = 7;
/// Misaligned PC. `arg`: the PC.
pub const EXC_PC_ALIGN: u32 = 8;
/// Misaligned SP. `arg`: the SP. (Not generated: like QEMU, Chimera does not
/// check SP alignment.)
pub const EXC_SP_ALIGN: u32 = 9;
/// Execution with PSTATE.IL set (after an illegal exception return). `arg`: 0.
pub const EXC_ILLEGAL_STATE: u32 = 10;

/// Access to FP/AdvSIMD (an instruction, or MRS/MSR of FPCR/FPSR) while
/// CPACR_EL1.FPEN disables it at the current EL. `arg`: 0.
pub const EXC_FP_TRAP: u32 = 11;
/// An EL0 access to a system register or system instruction that SCTLR_EL1
/// traps (UMA, UCT, DZE, UCI): ESR EC 0x18; `arg` is the ISS (ARM ARM D17.2.37,
/// "ISS encoding for an exception from MSR, MRS, or System instruction").
pub const EXC_SYSREG_TRAP: u32 = 12;
/// Not an exception: an AT S1E* instruction for the CPU's owner to carry out
/// with [`A64State::address_translate`] (the walk reads physical memory).
/// `arg`: op2 in bits \[1:0\] (S1E1R, S1E1W, S1E0R, S1E0W), Rt in \[12:8\].
pub const EXC_AT: u32 = 13;
/// Not an exception: a write to a generic timer register has been done and
/// the block ended after it (the PC is the next instruction's), so that the
/// CPU's owner updates the timer's interrupt output and its event.
pub const EXC_TIMER: u32 = 14;
/// Not an exception: MRS of ISR_EL1, which the CPU's owner answers from its
/// interrupt lines ([`A64State::read_isr`]). `arg`: Rt.
pub const EXC_ISR: u32 = 15;

/// Exception classes, ESR_ELx.EC (ARM ARM D17.2.37).
mod ec {
    pub const UNKNOWN: u32 = 0x00;
    pub const FP_ACCESS: u32 = 0x07;
    pub const SYSREG: u32 = 0x18;
    pub const ILLEGAL_STATE: u32 = 0x0e;
    pub const SVC64: u32 = 0x15;
    pub const INSN_ABORT_LOWER: u32 = 0x20;
    pub const INSN_ABORT_SAME: u32 = 0x21;
    pub const PC_ALIGN: u32 = 0x22;
    pub const DATA_ABORT_LOWER: u32 = 0x24;
    pub const DATA_ABORT_SAME: u32 = 0x25;
    pub const SP_ALIGN: u32 = 0x26;
    pub const BRK64: u32 = 0x3c;
}

/// ESR_ELx.IL: the trapped instruction was 32 bits (always, in AArch64).
const ESR_IL: u64 = 1 << 25;
/// ISS of a trapped FP/AdvSIMD access from AArch64 (ARM ARM D17.2.37, EC
/// 0x07): CV = 1, COND = 0b1110, as for every trap from an A64 instruction.
const ISS_FP_ACCESS: u64 = (1 << 24) | (0b1110 << 20);
/// ESR_ELx.ISS.WnR of a data abort.
const ISS_WNR: u64 = 1 << 6;

/// Vector offsets from VBAR_EL1 (ARM ARM D1.10.2 table "Vector offsets").
const VECTOR_CURRENT_SP0: u64 = 0x000;
const VECTOR_CURRENT_SPX: u64 = 0x200;
const VECTOR_LOWER_A64: u64 = 0x400;
const VECTOR_IRQ: u64 = 0x080;
const VECTOR_FIQ: u64 = 0x100;

/// Pack a fetch fault's cause into the `arg` of an `EXC_INSN_ABORT` terminal:
/// bits \[63:60\] the cause (0 external abort, 1 alignment, 2 translation,
/// 3 permission, 4 access flag), bits \[59:56\] the table level, bits \[55:0\] the
/// faulting address. The full address is the exception's PC.
pub fn encode_fetch_fault(fault: &MemFault) -> u64 {
    let (code, level) = match fault.cause {
        FaultCause::Unmapped => (0u64, 0u8),
        FaultCause::Alignment => (1, 0),
        FaultCause::Translation(l) => (2, l),
        FaultCause::Permission(l) => (3, l),
        FaultCause::AccessFlag(l) => (4, l),
        FaultCause::AddressSize(l) => (5, l),
        FaultCause::TableWalk(l) => (6, l),
    };
    (code << 60) | (u64::from(level & 0xf) << 56) | (fault.vaddr & ((1 << 56) - 1))
}

/// The fetch fault of an `EXC_INSN_ABORT` at `pc`, from its `arg`.
pub fn decode_fetch_fault(pc: u64, arg: u64) -> MemFault {
    let level = ((arg >> 56) & 0xf) as u8;
    let cause = match arg >> 60 {
        1 => FaultCause::Alignment,
        2 => FaultCause::Translation(level),
        3 => FaultCause::Permission(level),
        4 => FaultCause::AccessFlag(level),
        5 => FaultCause::AddressSize(level),
        6 => FaultCause::TableWalk(level),
        _ => FaultCause::Unmapped,
    };
    MemFault { vaddr: pc, kind: AccessKind::Fetch, size: 4, cause }
}

/// The fault status code (DFSC/IFSC) of a fault cause (ARM ARM D17.2.37, ISS
/// encoding for an exception from a Data/Instruction Abort).
pub fn fault_status_code(cause: FaultCause) -> u32 {
    match cause {
        FaultCause::Unmapped => 0x10,
        FaultCause::Alignment => 0x21,
        FaultCause::Translation(l) => 0x04 | u32::from(l & 3),
        FaultCause::AccessFlag(l) => 0x08 | u32::from(l & 3),
        FaultCause::Permission(l) => 0x0c | u32::from(l & 3),
        FaultCause::AddressSize(l) => u32::from(l & 3),
        // Synchronous external abort on a translation table walk.
        FaultCause::TableWalk(l) => 0x14 | u32::from(l & 3),
    }
}

impl A64State {
    /// Carry out the AT instruction of an [`EXC_AT`] exit with `arg`: write
    /// PAR_EL1 ([`crate::vmsa::at_par`]) and go on after the instruction.
    pub fn address_translate(&mut self, arg: u64, phys: &mut dyn chimera_ir::PhysMemory) {
        let op2 = arg & 3;
        let va = self.xzr((arg >> 8 & 0x1f) as usize);
        self.par_el1 = crate::vmsa::at_par(self, va, op2 & 1 != 0, op2 >= 2, phys);
        self.pc = self.pc.wrapping_add(4);
    }

    /// Carry out the MRS ISR_EL1 of an [`EXC_ISR`] exit with `arg`: Xt gets
    /// ISR_EL1 (ARM ARM D17.2.79: I bit 7, F bit 6) from the levels of the
    /// IRQ and FIQ lines, and execution goes on after the instruction.
    pub fn read_isr(&mut self, arg: u64, irq: bool, fiq: bool) {
        let rt = (arg & 0x1f) as usize;
        if rt < 31 {
            self.x[rt] = u64::from(irq) << 7 | u64::from(fiq) << 6;
        }
        self.pc = self.pc.wrapping_add(4);
    }

    /// Take the synchronous exception a block reported with
    /// `Terminal::Exception { pc, kind, arg }`; `self.pc` is that `pc`.
    pub fn take_exception(&mut self, kind: u32, arg: u64) {
        let pc = self.pc;
        let imm16 = arg & 0xffff;
        match kind {
            EXC_SVC => self.enter_sync(ec::SVC64, imm16, pc.wrapping_add(4), None),
            EXC_BRK => self.enter_sync(ec::BRK64, imm16, pc, None),
            EXC_INSN_ABORT => self.take_fault(decode_fetch_fault(pc, arg), true),
            EXC_PC_ALIGN => self.enter_sync(ec::PC_ALIGN, 0, pc, Some(arg)),
            EXC_SP_ALIGN => self.enter_sync(ec::SP_ALIGN, 0, pc, None),
            EXC_ILLEGAL_STATE => self.enter_sync(ec::ILLEGAL_STATE, 0, pc, None),
            EXC_FP_TRAP => self.enter_sync(ec::FP_ACCESS, ISS_FP_ACCESS, pc, None),
            EXC_SYSREG_TRAP => self.enter_sync(ec::SYSREG, arg & 0x1ff_ffff, pc, None),
            // HVC/SMC without EL2/EL3 and HLT without halting debug are
            // UNDEFINED (ARM ARM C6.2.105 HVC, C6.2.248 SMC, C6.2.104 HLT).
            _ => self.enter_sync(ec::UNKNOWN, 0, pc, None),
        }
    }

    /// Take a memory fault as an Instruction Abort (`fetch`) or a Data Abort;
    /// `self.pc` is the faulting instruction.
    pub fn take_fault(&mut self, fault: MemFault, fetch: bool) {
        let lower = self.current_el == 0;
        let fsc = u64::from(fault_status_code(fault.cause));
        let (class, iss) = if fetch {
            (if lower { ec::INSN_ABORT_LOWER } else { ec::INSN_ABORT_SAME }, fsc)
        } else {
            let wnr = if fault.kind.is_write() { ISS_WNR } else { 0 };
            (if lower { ec::DATA_ABORT_LOWER } else { ec::DATA_ABORT_SAME }, fsc | wnr)
        };
        let pc = self.pc;
        self.enter_sync(class, iss, pc, Some(fault.vaddr));
    }

    /// Take an IRQ (PSTATE.I permitting is the caller's check): ELR is the PC.
    pub fn take_irq(&mut self) {
        let pc = self.pc;
        self.enter(VECTOR_IRQ, pc);
    }

    /// Take an FIQ: ELR is the PC.
    pub fn take_fiq(&mut self) {
        let pc = self.pc;
        self.enter(VECTOR_FIQ, pc);
    }

    /// True if PSTATE.I masks IRQs.
    pub fn irq_masked(&self) -> bool {
        self.daif & 0b0010 != 0
    }

    /// True if PSTATE.F masks FIQs.
    pub fn fiq_masked(&self) -> bool {
        self.daif & 0b0001 != 0
    }

    fn enter_sync(&mut self, class: u32, iss: u64, ret: u64, far: Option<u64>) {
        self.esr_el1 = (u64::from(class) << 26) | ESR_IL | (iss & 0x1ff_ffff);
        if let Some(far) = far {
            self.far_el1 = far;
        }
        self.enter(0, ret);
    }

    /// `AArch64.TakeException()` to EL1: save PSTATE and the return address,
    /// bank the SP, mask DAIF, jump to the vector.
    fn enter(&mut self, kind_offset: u64, ret: u64) {
        let base = if self.current_el == 0 {
            VECTOR_LOWER_A64
        } else if self.spsel == 0 {
            VECTOR_CURRENT_SP0
        } else {
            VECTOR_CURRENT_SPX
        };
        self.spsr_el1 = self.pstate();
        self.elr_el1 = ret;
        self.save_sp();
        self.current_el = 1;
        self.spsel = 1;
        self.load_sp();
        self.daif = 0xf;
        self.il = 0;
        self.halted = 0;
        self.pc = (self.vbar_el1 & !0x7ff).wrapping_add(base + kind_offset);
    }

    /// `AArch64.ExceptionReturn()` (ARM ARM D1.11): restore PSTATE from SPSR_EL1
    /// and return the new PC (ELR_EL1). An illegal return (to AArch32, to an
    /// unimplemented EL, to a reserved mode) keeps EL and SP and sets PSTATE.IL.
    pub fn exception_return(&mut self) -> u64 {
        let spsr = self.spsr_el1;
        let m = (spsr & 0x1f) as u8;
        let target_el = (m >> 2) & 3;
        let illegal = m & 0x10 != 0 || m & 0b10 != 0 || target_el > self.current_el || (target_el == 0 && m & 1 != 0);
        self.set_nzcv(spsr as u32);
        self.daif = ((spsr >> 6) & 0xf) as u8;
        if illegal {
            self.il = 1;
        } else {
            self.il = ((spsr >> 20) & 1) as u8;
            self.save_sp();
            self.current_el = target_el;
            self.spsel = m & 1;
            self.load_sp();
        }
        self.excl_addr = EXCL_NONE;
        self.elr_el1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svc_from_el0() {
        let mut s = A64State { current_el: 0, spsel: 0, daif: 0, sp: 0x1000, sp_el1: 0x8000, pc: 0x400, ..Default::default() };
        s.vbar_el1 = 0xffff_0000_0008_0000;
        s.set_nzcv(0x6000_0000);
        s.take_exception(EXC_SVC, 0x1234);
        assert_eq!(s.esr_el1, 0x5600_1234);
        assert_eq!(s.elr_el1, 0x404);
        assert_eq!(s.spsr_el1, 0x6000_0000);
        assert_eq!(s.pc, 0xffff_0000_0008_0400);
        assert_eq!((s.sp, s.sp_el0, s.current_el, s.spsel, s.daif), (0x8000, 0x1000, 1, 1, 0xf));
        // ...and back.
        assert_eq!(s.exception_return(), 0x404);
        assert_eq!((s.sp, s.sp_el1, s.current_el, s.spsel, s.daif, s.nzcv()), (0x1000, 0x8000, 0, 0, 0, 0x6000_0000));
    }

    #[test]
    fn data_abort_same_el() {
        let mut s = A64State { pc: 0x4000_0010, sp: 0x77, ..Default::default() };
        s.take_fault(MemFault { vaddr: 0xdead, kind: AccessKind::Write, size: 8, cause: FaultCause::Translation(3) }, false);
        assert_eq!(s.esr_el1, (0x25 << 26) | (1 << 25) | (1 << 6) | 0x07);
        assert_eq!((s.far_el1, s.elr_el1, s.pc, s.spsr_el1), (0xdead, 0x4000_0010, 0x200, 0x3c5));
        assert_eq!(s.sp, 0x77);
    }

    #[test]
    fn fetch_fault_round_trip() {
        let f = MemFault { vaddr: 0xffff_0000_1234_5000, kind: AccessKind::Fetch, size: 4, cause: FaultCause::Permission(2) };
        assert_eq!(decode_fetch_fault(f.vaddr, encode_fetch_fault(&f)), f);
        let mut s = A64State { pc: f.vaddr, spsel: 0, ..Default::default() };
        s.take_exception(EXC_INSN_ABORT, encode_fetch_fault(&f));
        assert_eq!(s.esr_el1, (0x21 << 26) | (1 << 25) | 0x0e);
        assert_eq!((s.far_el1, s.pc), (f.vaddr, 0));
    }

    #[test]
    fn fp_access_trap() {
        let mut s = A64State { pc: 0x4000_0100, ..Default::default() };
        s.take_exception(EXC_FP_TRAP, 0);
        assert_eq!((s.esr_el1, s.elr_el1, s.pc), (0x1fe0_0000, 0x4000_0100, 0x200));
    }

    #[test]
    fn illegal_return_sets_il() {
        let mut s = A64State { current_el: 0, spsel: 0, ..Default::default() };
        s.spsr_el1 = 0b0101; // EL1h from EL0: not reachable, but from EL1 it is.
        s.current_el = 1;
        s.exception_return();
        assert_eq!((s.current_el, s.spsel, s.il), (1, 1, 0));
        s.spsr_el1 = 0b1001; // EL2: not implemented.
        s.exception_return();
        assert_eq!((s.current_el, s.il), (1, 1));
    }
}
