//! Traps: SPARC V8 manual chapter 7, "Traps".
//!
//! Translated code reports a trap as `Terminal::Exception { pc, kind, arg }`
//! or a taken `Inst::TrapIf`: [`EXC_TRAP`] with the trap type in `arg` when
//! the translated code knows it, or [`EXC_PENDING`] when a helper decided it
//! (the trap type is in [`SparcState::trap`]). Memory faults arrive as `BlockExit::Fault` and become
//! a trap type with [`fault_trap_type`]. In each case the state's PC and nPC are
//! those of the trapping instruction; the execution loop calls
//! [`SparcState::take_trap`].

use crate::state::{SparcState, NWINDOWS};
use chimera_ir::{AccessKind, FaultCause, MemFault};

/// A trap whose type the translator knew: `arg` is the trap type.
pub const EXC_TRAP: u32 = 1;
/// A trap a helper raised: the type is in [`SparcState::trap`].
pub const EXC_PENDING: u32 = 2;

/// Trap types (SPARC V8 manual table 7-1).
pub mod tt {
    /// instruction_access_exception.
    pub const INSN_ACCESS: u32 = 0x01;
    /// illegal_instruction.
    pub const ILLEGAL: u32 = 0x02;
    /// privileged_instruction.
    pub const PRIVILEGED: u32 = 0x03;
    /// fp_disabled.
    pub const FP_DISABLED: u32 = 0x04;
    /// window_overflow.
    pub const WINDOW_OVERFLOW: u32 = 0x05;
    /// window_underflow.
    pub const WINDOW_UNDERFLOW: u32 = 0x06;
    /// mem_address_not_aligned.
    pub const UNALIGNED: u32 = 0x07;
    /// fp_exception (FSR.ftt says which).
    pub const FP_EXCEPTION: u32 = 0x08;
    /// data_access_exception.
    pub const DATA_ACCESS: u32 = 0x09;
    /// tag_overflow.
    pub const TAG_OVERFLOW: u32 = 0x0a;
    /// interrupt_level_n is 0x10 + n.
    pub const INTERRUPT: u32 = 0x10;
    /// instruction_access_error.
    pub const INSN_ACCESS_ERROR: u32 = 0x21;
    /// cp_disabled.
    pub const CP_DISABLED: u32 = 0x24;
    /// data_access_error.
    pub const DATA_ACCESS_ERROR: u32 = 0x29;
    /// division_by_zero.
    pub const DIV_ZERO: u32 = 0x2a;
    /// trap_instruction: 0x80 + the software trap number.
    pub const TRAP_INSN: u32 = 0x80;
}

/// The processor entered error mode: a trap arrived while traps were
/// disabled (SPARC V8 manual 7.3.1). The state is unchanged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ErrorMode {
    /// The trap type that could not be taken.
    pub tt: u32,
}

/// The trap type of a memory fault.
pub fn fault_trap_type(f: &MemFault) -> u32 {
    match (f.cause, f.kind) {
        (FaultCause::Alignment, _) => tt::UNALIGNED,
        (FaultCause::Unmapped, AccessKind::Fetch) => tt::INSN_ACCESS_ERROR,
        (FaultCause::Unmapped, _) => tt::DATA_ACCESS_ERROR,
        (_, AccessKind::Fetch) => tt::INSN_ACCESS,
        _ => tt::DATA_ACCESS,
    }
}

impl SparcState {
    /// Trap entry (SPARC V8 manual 7.4): ET=0, PS=S, S=1, CWP-1 (no WIM
    /// check), %l1=PC, %l2=nPC in the new window, TBR.tt=tt, PC=TBR, nPC=PC+4.
    /// With ET=0 the processor enters error mode instead.
    pub fn take_trap(&mut self, tt: u32) -> Result<(), ErrorMode> {
        if self.et == 0 {
            return Err(ErrorMode { tt });
        }
        self.trap = 0;
        self.et = 0;
        self.ps = self.s;
        self.s = 1;
        self.cwp = ((usize::from(self.cwp) + NWINDOWS - 1) % NWINDOWS) as u8;
        let (pc, npc) = (self.pc as u32, self.npc as u32);
        self.set_reg(17, pc);
        self.set_reg(18, npc);
        self.tbr = (self.tbr & 0xffff_f000) | (tt & 0xff) << 4;
        self.halted = 0;
        self.pc = u64::from(self.tbr);
        self.npc = u64::from(self.tbr.wrapping_add(4));
        Ok(())
    }

    /// True if an interrupt request of `level` (1..=15) is taken now (SPARC
    /// V8 manual 7.3.2: above PIL, or level 15, with traps enabled).
    pub fn interrupt_enabled(&self, level: u32) -> bool {
        self.et != 0 && (level == 15 || level > u32::from(self.pil))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trap_entry() {
        let mut s = SparcState { pc: 0x4000_0100, npc: 0x4000_0104, et: 1, s: 0, cwp: 0, tbr: 0x4000_0000, ..Default::default() };
        s.take_trap(0x85).unwrap();
        assert_eq!((s.cwp, s.et, s.s, s.ps), (7, 0, 1, 0));
        assert_eq!((s.reg(17), s.reg(18)), (0x4000_0100, 0x4000_0104));
        assert_eq!((s.pc, s.npc, s.tbr), (0x4000_0850, 0x4000_0854, 0x4000_0850));
        assert_eq!(s.take_trap(2), Err(ErrorMode { tt: 2 }));
    }
}
