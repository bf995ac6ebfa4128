//! The SPARC V8 CPU of the LEON3 board: execution-loop glue, trap and
//! interrupt delivery, power-down and error mode. A trap while traps are
//! disabled stops the processor (SPARC V8 manual 7.3.1); QEMU's LEON3 turns
//! the one from `ta 0` into a power-off (its `CPU_FEATURE_TA0_SHUTDOWN`) and
//! aborts on any other.
//!
//! Interrupts (SPARC V8 manual 7.3.2, 7.4): the interrupt controller
//! presents one level; the CPU takes it at a block boundary when ET = 1 and
//! the level is above PIL or is 15, as trap 0x10 + level, and acknowledges it
//! to the controller, as QEMU's `sparc_cpu_exec_interrupt` and
//! `leon3_irq_ack` do. Blocks only check the JIT's exit request, so the CPU
//! makes the execution loop come back whenever it has something to do: while
//! an interrupt can be taken or the CPU is powered down, [`SparcCpu`]'s
//! `tb_flags` carry [`TB_BOARD`], under which a "block" is only an exit
//! ([`EXC_BOARD`]) to [`BoardCpu::deliver`]. Every instruction that can let an
//! interrupt in (WRPSR lowering PIL or setting ET, RETT) or powers down
//! (`wr %asr19`) ends its block and returns to the loop, which reads the
//! flags again; a controller whose request changes kicks the loop out of
//! chained blocks.
//!
//! Power-down (`wr %asr19`, GRLIB IP Core User's Manual, "LEON3", power-down
//! mode): the CPU waits, without running guest code, until an interrupt
//! request arrives with ET = 1 (QEMU's `sparc_cpu_has_work`, which does not
//! look at PIL); it then goes on after the `wr`, taking the interrupt if PIL
//! lets it.

use crate::cpu::{BoardCpu, Stop};
use crate::irq::InterruptController;
use crate::trace::Tracer;
use chimera_ir::{Block, Builder, GuestMemory, Terminal};
use chimera_jit::RunExit;
use chimera_sparc::{fault_trap_type, translate_block, tt, ErrorMode, SparcState, EXC_PENDING, EXC_TRAP};

/// `tb_flags` bit (unused by the frontend): the CPU needs the board (an
/// interrupt can be taken, or the CPU is powered down).
pub const TB_BOARD: u32 = 1 << 31;
/// Exception kind of the block under [`TB_BOARD`] (the frontend's kinds are
/// small numbers).
pub const EXC_BOARD: u32 = 0x100;

/// The CPU of the `leon3` board.
pub struct SparcCpu {
    /// Architectural state.
    pub state: SparcState,
    tracer: Tracer,
    irq: Box<dyn InterruptController>,
}

impl SparcCpu {
    /// A CPU in the reset state whose interrupts come from `irq`.
    pub fn new(state: SparcState, tracer: Tracer, irq: Box<dyn InterruptController>) -> SparcCpu {
        SparcCpu { state, tracer, irq }
    }

    fn trap(&mut self, trap_type: u32) -> Option<Stop> {
        if trap_type == tt::ILLEGAL {
            let pc = self.state.pc;
            self.tracer.unimp(format_args!("illegal instruction at pc {pc:#x}"));
        }
        let pc = self.state.pc;
        match self.state.take_trap(trap_type) {
            Ok(()) => {
                let target = self.state.pc;
                self.tracer.int(format_args!("trap {trap_type:#04x} at pc {pc:#x} -> vector {target:#x}"));
                None
            }
            Err(ErrorMode { tt: tt::TRAP_INSN }) => Some(Stop::PowerOff),
            Err(ErrorMode { tt }) => Some(Stop::Crash(format!("trap {tt:#04x} at pc {pc:#x} while traps are disabled: error mode"))),
        }
    }

    /// The interrupt level the CPU would take now, if any.
    fn interrupt(&self) -> Option<u32> {
        let level = self.irq.level();
        (level != 0 && self.state.interrupt_enabled(level)).then_some(level)
    }

    /// Whether a powered-down CPU wakes: an interrupt request with ET = 1.
    fn wakes(&self) -> bool {
        self.state.et != 0 && self.irq.level() != 0
    }

    /// Take the interrupt the controller presents if PIL and ET let it in.
    fn take_interrupt(&mut self) -> Option<Stop> {
        if self.state.halted != 0 {
            if !self.wakes() {
                return None;
            }
            self.state.halted = 0;
        }
        let level = self.interrupt()?;
        let stop = self.trap(tt::INTERRUPT + level);
        self.irq.acknowledge(level);
        stop
    }
}

impl chimera_jit::GuestCpu for SparcCpu {
    fn state_ptr(&mut self) -> *mut u8 {
        &mut self.state as *mut SparcState as *mut u8
    }

    fn pc(&self) -> u64 {
        self.state.pc
    }

    fn tb_flags(&self) -> u32 {
        let flags = self.state.tb_flags();
        debug_assert_eq!(flags & TB_BOARD, 0, "the frontend took the board's tb_flags bit");
        if self.state.halted != 0 || self.interrupt().is_some() {
            flags | TB_BOARD
        } else {
            flags
        }
    }

    fn fetch_mmu_index(&self) -> u8 {
        chimera_sparc::mmu_index(self.state.tb_flags())
    }

    // No SRMMU yet: one context.
    fn tlb_context(&self) -> u64 {
        0
    }

    fn translate(&mut self, pc: u64, flags: u32, mem: &mut dyn GuestMemory, max_insns: u32) -> Block {
        if flags & TB_BOARD != 0 {
            return Builder::new(pc).finish(Terminal::Exception { pc, kind: EXC_BOARD, arg: 0 }, 0, 0);
        }
        translate_block(flags, pc, mem, max_insns)
    }

    crate::cpu::trace_hooks!(|c: &SparcCpu| chimera_sparc::mmu_index(c.state.tb_flags()));
}

impl BoardCpu for SparcCpu {
    fn deliver(&mut self, exit: RunExit, _mem: &mut crate::memory::SystemMemory) -> Option<Stop> {
        match exit {
            RunExit::Yield | RunExit::Exception { kind: EXC_BOARD, .. } => self.take_interrupt(),
            RunExit::Exception { kind: EXC_TRAP, arg } => self.trap(arg as u32),
            RunExit::Exception { kind: EXC_PENDING, .. } => {
                let t = std::mem::take(&mut self.state.trap);
                self.trap(t)
            }
            RunExit::Exception { kind, arg } => {
                Some(Stop::Crash(format!("unknown SPARC exception kind {kind} ({arg:#x}) at pc {:#x}", self.state.pc)))
            }
            RunExit::Fault(f) => self.trap(fault_trap_type(&f)),
        }
    }

    fn dump(&self) -> String {
        let s = &self.state;
        let mut out = String::new();
        for (name, base) in [("g", 0), ("o", 8), ("l", 16), ("i", 24)] {
            for k in 0..8 {
                out.push_str(&format!("%{name}{k} {:08x}{}", s.reg(base + k), if k == 7 { "\n" } else { "  " }));
            }
        }
        out.push_str(&format!("pc {:08x}  npc {:08x}  psr {:08x}  wim {:08x}  tbr {:08x}  y {:08x}", s.pc, s.npc, s.psr(), s.wim, s.tbr, s.y));
        // The FPU when it is enabled (PSR.EF).
        if s.psr() & (1 << 12) != 0 {
            for (k, f) in s.f.iter().enumerate() {
                out.push_str(&format!("{}%f{k:<2} {f:08x}", if k % 8 == 0 { "\n" } else { "  " }));
            }
            out.push_str(&format!("\nfsr {:08x}", s.fsr));
        }
        out
    }

    fn arch_name(&self) -> &'static str {
        "sparc"
    }

    fn halted(&mut self) -> bool {
        self.state.halted != 0 && !self.wakes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chimera_jit::GuestCpu;
    use std::cell::Cell;
    use std::rc::Rc;

    /// A controller presenting one level; acknowledges are recorded.
    #[derive(Clone, Default)]
    struct Line {
        level: Rc<Cell<u32>>,
        acked: Rc<Cell<u32>>,
    }

    impl InterruptController for Line {
        fn level(&self) -> u32 {
            self.level.get()
        }
        fn acknowledge(&self, level: u32) {
            self.acked.set(level);
            self.level.set(0);
        }
    }

    /// A board memory the deliveries below never touch.
    fn memory() -> crate::memory::SystemMemory {
        let ram = crate::ram::Ram::new(0x4000_0000, 0x1000).expect("RAM");
        crate::memory::SystemMemory { ram, roms: Vec::new(), bus: crate::bus::MmioBus::new(), tracer: Tracer::off() }
    }

    fn cpu(pil: u8, et: u8) -> (SparcCpu, Line) {
        let line = Line::default();
        let state = SparcState { pc: 0x4000_1000, npc: 0x4000_1004, tbr: 0x4000_0000, pil, et, ..Default::default() };
        (SparcCpu::new(state, Tracer::off(), Box::new(line.clone())), line)
    }

    #[test]
    fn interrupt_above_pil_is_taken_and_acknowledged() {
        let (mut c, line) = cpu(5, 1);
        line.level.set(5);
        assert_eq!(c.tb_flags() & TB_BOARD, 0);
        line.level.set(6);
        assert_ne!(c.tb_flags() & TB_BOARD, 0);
        assert_eq!(c.deliver(RunExit::Exception { kind: EXC_BOARD, arg: 0 }, &mut memory()), None);
        assert_eq!(line.acked.get(), 6);
        assert_eq!((c.state.pc, c.state.tbr, c.state.et), (0x4000_0160, 0x4000_0160, 0));
        assert_eq!((c.state.reg(17), c.state.reg(18)), (0x4000_1000, 0x4000_1004));
    }

    #[test]
    fn level_15_ignores_pil_but_not_et() {
        let (c, line) = cpu(15, 1);
        line.level.set(15);
        assert_ne!(c.tb_flags() & TB_BOARD, 0);
        let (c, line) = cpu(0, 0);
        line.level.set(15);
        assert_eq!(c.tb_flags() & TB_BOARD, 0);
    }

    #[test]
    fn power_down_waits_for_a_request_with_et() {
        let (mut c, line) = cpu(15, 1);
        c.state.halted = 1;
        assert_ne!(c.tb_flags() & TB_BOARD, 0);
        assert!(c.halted());
        // A request PIL masks still wakes the CPU, which goes on untrapped.
        line.level.set(3);
        assert!(!c.halted());
        assert_eq!(c.deliver(RunExit::Exception { kind: EXC_BOARD, arg: 0 }, &mut memory()), None);
        assert_eq!((c.state.halted, c.state.pc, line.acked.get()), (0, 0x4000_1000, 0));
        assert_eq!(c.tb_flags() & TB_BOARD, 0);
    }
}
