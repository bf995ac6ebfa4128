//! The AArch64 CPU on the `virt` board: execution-loop glue, PSCI firmware
//! calls over `hvc #0` (QEMU's virt conduit without EL2/EL3), exception and
//! interrupt delivery, WFI, the generic timer, and crash detection.
//!
//! Interrupts (ARM ARM D1.13): the interrupt controller drives the CPU's IRQ
//! and FIQ lines ([`CpuInterruptLines`]). While a line is asserted and
//! PSTATE does not mask it, [`A64Cpu`]'s `tb_flags` carry [`TB_BOARD`], under
//! which a "block" is only an exit ([`EXC_BOARD`]) to [`BoardCpu::deliver`],
//! which takes the interrupt (FIQ first). The controller kicks the execution
//! loop when a line rises, so the loop comes back at the next block entry;
//! instructions that can unmask (MSR DAIF*, ERET) end their block, so an
//! unmask is seen before the next block. A pending interrupt is therefore
//! taken after at most one more block (256 guest instructions) of the code
//! that was running when it was raised.
//!
//! WFI (ARM ARM D1.17.2): the CPU sleeps until a line is asserted, masked or
//! not; the machine idles until the next event meanwhile. A halted CPU's
//! flags carry [`TB_BOARD`] too, so the loop returns to the machine at once.

use crate::cpu::{trace_exception, BoardCpu, Stop};
use crate::generic_timer::GenericTimer;
use crate::irq::CpuInterruptLines;
use crate::memory::SystemMemory;
use crate::trace::Tracer;
use chimera_aarch64::{translate_block, A64State, CpuModel, EXC_AT, EXC_HVC, EXC_ISR, EXC_TIMER, EXC_UNDEF};
use chimera_ir::{AccessKind, Block, Builder, GuestMemory, MemFault, Terminal};
use chimera_jit::{GuestCpu, RunExit};

/// `tb_flags` bit (unused by the frontend): the CPU has an interrupt to
/// take, so the next "block" is an exit to the board.
pub const TB_BOARD: u32 = 1 << 31;
/// Exception kind of the block under [`TB_BOARD`] (the frontend's kinds are
/// small numbers).
pub const EXC_BOARD: u32 = 0x100;

/// The interrupt an A64 CPU would take now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Interrupt {
    Irq,
    Fiq,
}

/// PSCI function IDs (ARM DEN 0022, "Arm Power State Coordination Interface",
/// table 5.1, SMC32 calling convention).
mod psci {
    pub const VERSION: u64 = 0x8400_0000;
    pub const CPU_SUSPEND_32: u64 = 0x8400_0001;
    pub const CPU_SUSPEND_64: u64 = 0xC400_0001;
    pub const CPU_OFF: u64 = 0x8400_0002;
    /// PSCI 0.1's function IDs, which QEMU's device tree once advertised
    /// (CPU_SUSPEND, CPU_OFF, CPU_ON, MIGRATE from this base).
    pub const V0_1_BASE: u64 = 0x95c1_ba5e;
    pub const MIGRATE_INFO_TYPE: u64 = 0x8400_0006;
    pub const SYSTEM_OFF: u64 = 0x8400_0008;
    pub const SYSTEM_RESET: u64 = 0x8400_0009;
    pub const FEATURES: u64 = 0x8400_000A;
    pub const CPU_ON_32: u64 = 0x8400_0003;
    pub const CPU_ON_64: u64 = 0xC400_0003;
    pub const AFFINITY_INFO_32: u64 = 0x8400_0004;
    pub const AFFINITY_INFO_64: u64 = 0xC400_0004;
    /// PSCI 1.1, as QEMU 7.2 reports.
    pub const VERSION_1_1: u64 = 0x0001_0001;
    pub const NOT_SUPPORTED: u64 = -1i64 as u64;
    pub const INVALID_PARAMETERS: u64 = -2i64 as u64;
    pub const ALREADY_ON: u64 = -4i64 as u64;
    /// MIGRATE_INFO_TYPE: "Trusted OS is not present or does not require migration".
    pub const TOS_NOT_PRESENT_MP: u64 = 2;
}

/// The CPU of the `virt` board.
pub struct A64Cpu {
    /// Architectural state.
    pub state: A64State,
    tracer: Tracer,
    /// The vector the last exception went to: a fetch fault there means the
    /// guest has no usable vector table and can never make progress.
    last_vector: Option<u64>,
    /// The IRQ and FIQ lines from the interrupt controller, if the board has one.
    lines: Option<Box<dyn CpuInterruptLines>>,
    /// The generic timer, if the board wires its outputs.
    timer: Option<GenericTimer>,
}

impl A64Cpu {
    /// A CPU of the model `model` in the reset state, starting at `entry`,
    /// without interrupt lines or timer outputs.
    pub fn new(entry: u64, model: &CpuModel, tracer: Tracer) -> A64Cpu {
        A64Cpu {
            state: A64State { pc: entry, features: model.features, model_ids: model.ids, ..Default::default() },
            tracer,
            last_vector: None,
            lines: None,
            timer: None,
        }
    }

    /// Connect the interrupt controller's IRQ/FIQ outputs and the generic
    /// timer.
    pub fn with_interrupts(mut self, lines: Box<dyn CpuInterruptLines>, timer: GenericTimer) -> A64Cpu {
        self.lines = Some(lines);
        self.timer = Some(timer);
        self
    }

    /// The interrupt PSTATE lets the CPU take now, FIQ first.
    fn interrupt(&self) -> Option<Interrupt> {
        let lines = self.lines.as_ref()?;
        if lines.fiq() && !self.state.fiq_masked() {
            Some(Interrupt::Fiq)
        } else if lines.irq() && !self.state.irq_masked() {
            Some(Interrupt::Irq)
        } else {
            None
        }
    }

    /// Whether either line is asserted, masked or not (what wakes WFI).
    fn line_asserted(&self) -> bool {
        self.lines.as_ref().is_some_and(|l| l.irq() || l.fiq())
    }

    fn update_timer(&self) {
        if let Some(t) = &self.timer {
            t.update(&self.state);
        }
    }

    fn psci_call(&mut self) -> Option<Stop> {
        let fid = self.state.x[0];
        self.tracer.int(format_args!("PSCI call {fid:#x} at pc {:#x}", self.state.pc));
        let ret = match fid {
            psci::VERSION => psci::VERSION_1_1,
            psci::SYSTEM_OFF => return Some(Stop::PowerOff),
            psci::SYSTEM_RESET => return Some(Stop::Reset),
            psci::MIGRATE_INFO_TYPE => psci::TOS_NOT_PRESENT_MP,
            // The functions QEMU 7.2 implements (PSCI 1.0 section 5.1.14:
            // 0 for an implemented function); not MIGRATE.
            psci::FEATURES => match self.state.x[1] {
                psci::VERSION
                | psci::MIGRATE_INFO_TYPE
                | psci::AFFINITY_INFO_32
                | psci::AFFINITY_INFO_64
                | psci::SYSTEM_RESET
                | psci::SYSTEM_OFF
                | psci::CPU_ON_32
                | psci::CPU_ON_64
                | psci::CPU_OFF
                | psci::CPU_SUSPEND_32
                | psci::CPU_SUSPEND_64
                | psci::FEATURES => 0,
                f if (psci::V0_1_BASE..psci::V0_1_BASE + 3).contains(&f) => 0,
                _ => psci::NOT_SUPPORTED,
            },
            // CPU_SUSPEND: no affinity levels; power-down states are not
            // modelled, so the CPU waits for an interrupt as WFI does.
            psci::CPU_SUSPEND_32 | psci::CPU_SUSPEND_64 | psci::V0_1_BASE if self.state.x[1] & 0xfffe_0000 != 0 => psci::INVALID_PARAMETERS,
            psci::CPU_SUSPEND_32 | psci::CPU_SUSPEND_64 | psci::V0_1_BASE => {
                self.state.halted = 1;
                0
            }
            // One CPU: it is on already, every other MPIDR names no CPU.
            psci::CPU_ON_32 | psci::CPU_ON_64 if self.state.x[1] & 0xff_00ff_ffff == 0 => psci::ALREADY_ON,
            psci::CPU_ON_32 | psci::CPU_ON_64 => psci::INVALID_PARAMETERS,
            psci::AFFINITY_INFO_32 | psci::AFFINITY_INFO_64 => {
                if self.state.x[1] & 0xff_00ff_ffff == 0 {
                    0
                } else {
                    psci::INVALID_PARAMETERS
                }
            }
            psci::CPU_OFF => return Some(Stop::PowerOff),
            _ => psci::NOT_SUPPORTED,
        };
        self.state.x[0] = ret;
        // The exception terminal reports the HVC itself; the call returns past it.
        self.state.pc += 4;
        None
    }

    fn check_progress(&mut self, what: &str) -> Option<Stop> {
        self.last_vector = Some(self.state.pc);
        trace_exception(&self.tracer, what, self.state.elr_el1, self.state.pc);
        None
    }
}

impl GuestCpu for A64Cpu {
    fn state_ptr(&mut self) -> *mut u8 {
        &mut self.state as *mut A64State as *mut u8
    }

    fn pc(&self) -> u64 {
        self.state.pc
    }

    fn tb_flags(&self) -> u32 {
        let flags = self.state.tb_flags();
        debug_assert_eq!(flags & TB_BOARD, 0, "the frontend took the board's tb_flags bit");
        // After WFI the board must see the halt before more code runs.
        if self.state.halted != 0 || self.interrupt().is_some() {
            flags | TB_BOARD
        } else {
            flags
        }
    }

    fn fetch_mmu_index(&self) -> u8 {
        self.state.mmu_index()
    }

    fn tlb_context(&self) -> u64 {
        self.state.asid()
    }

    fn translate(&mut self, pc: u64, flags: u32, mem: &mut dyn GuestMemory, max_insns: u32) -> Block {
        if flags & TB_BOARD != 0 {
            return Builder::new(pc).finish(Terminal::Exception { pc, kind: EXC_BOARD, arg: 0 }, 0, 0);
        }
        translate_block(flags, pc, mem, max_insns)
    }

    crate::cpu::trace_hooks!(|c: &A64Cpu| c.state.mmu_index());
}

impl BoardCpu for A64Cpu {
    fn deliver(&mut self, exit: RunExit, mem: &mut SystemMemory) -> Option<Stop> {
        match exit {
            RunExit::Yield => None,
            RunExit::Exception { kind: EXC_AT, arg } => {
                self.state.address_translate(arg, mem);
                None
            }
            RunExit::Exception { kind: EXC_ISR, arg } => {
                let (irq, fiq) = self.lines.as_ref().map_or((false, false), |l| (l.irq(), l.fiq()));
                self.state.read_isr(arg, irq, fiq);
                None
            }
            RunExit::Exception { kind: EXC_TIMER, .. } => {
                self.update_timer();
                None
            }
            RunExit::Exception { kind: EXC_BOARD, .. } => {
                let pc = self.state.pc;
                match self.interrupt() {
                    Some(Interrupt::Fiq) => self.state.take_fiq(),
                    Some(Interrupt::Irq) => self.state.take_irq(),
                    // Masked or withdrawn since the flags were read: go on.
                    None => return None,
                }
                trace_exception(&self.tracer, "interrupt", pc, self.state.pc);
                None
            }
            // QEMU's virt conduit: without EL2, every HVC is a PSCI call
            // (unknown functions answer NOT_SUPPORTED), whatever its immediate.
            RunExit::Exception { kind: EXC_HVC, .. } => self.psci_call(),
            RunExit::Exception { kind, arg } => {
                if let Some(stop) = self.stuck() {
                    return Some(stop);
                }
                if kind == EXC_UNDEF {
                    self.tracer.unimp(format_args!("undefined instruction {:#010x} at pc {:#x}", arg as u32, self.state.pc));
                }
                self.state.take_exception(kind, arg);
                self.check_progress("exception")
            }
            RunExit::Fault(f) => self.fault(f),
        }
    }

    fn dump(&self) -> String {
        let s = &self.state;
        let mut out = String::new();
        for i in 0..31 {
            out.push_str(&format!("x{i:<2} {:016x}{}", s.x[i], if i % 4 == 3 { "\n" } else { "  " }));
        }
        out.push_str(&format!(
            "sp  {:016x}\npc {:016x}  nzcv {}{}{}{}  EL{}  ELR_EL1 {:016x}  ESR_EL1 {:016x}  FAR_EL1 {:016x}  VBAR_EL1 {:016x}",
            s.sp,
            s.pc,
            if s.nf != 0 { 'N' } else { '-' },
            if s.zf != 0 { 'Z' } else { '-' },
            if s.cf != 0 { 'C' } else { '-' },
            if s.vf != 0 { 'V' } else { '-' },
            s.current_el,
            s.elr_el1,
            s.esr_el1,
            s.far_el1,
            s.vbar_el1
        ));
        // The vector registers when FP/SIMD is enabled at EL1 (CPACR_EL1.FPEN bit 20).
        if s.cpacr_el1 & (1 << 20) != 0 {
            for (n, v) in s.simd.v.iter().enumerate() {
                out.push_str(&format!("{}v{n:<2} {:016x}{:016x}", if n % 2 == 0 { "\n" } else { "  " }, v[1], v[0]));
            }
            out.push_str(&format!("\nfpcr {:08x}  fpsr {:08x}", s.simd.fpcr, s.simd.fpsr));
        }
        out
    }

    fn arch_name(&self) -> &'static str {
        "aarch64"
    }

    fn halted(&mut self) -> bool {
        if self.state.halted != 0 && self.line_asserted() {
            self.state.halted = 0;
        }
        self.state.halted != 0
    }

    fn event(&mut self, _tag: u32) {
        self.update_timer();
    }
}

impl A64Cpu {
    /// An exception at the first instruction of the vector just entered would
    /// be taken again at the same vector forever: the guest has no usable
    /// vector table (QEMU spins; Chimera stops and says why).
    fn stuck(&self) -> Option<Stop> {
        (self.last_vector == Some(self.state.pc)).then(|| {
            Stop::Crash(format!(
                "exception at exception vector {:#x} (VBAR_EL1 = {:#x}); the exception before it: ESR_EL1 = {:#x}, \
                 ELR_EL1 = {:#x}: no usable vector table",
                self.state.pc, self.state.vbar_el1, self.state.esr_el1, self.state.elr_el1
            ))
        })
    }

    fn fault(&mut self, f: MemFault) -> Option<Stop> {
        if let Some(stop) = self.stuck() {
            return Some(stop);
        }
        let fetch = f.kind == AccessKind::Fetch;
        self.state.take_fault(f, fetch);
        self.check_progress(if fetch { "instruction abort" } else { "data abort" })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::Clock;
    use crate::irq::IrqLine;
    use std::cell::Cell;
    use std::rc::Rc;

    /// IRQ and FIQ lines the test drives.
    #[derive(Clone, Default)]
    struct Lines(Rc<Cell<(bool, bool)>>);

    impl CpuInterruptLines for Lines {
        fn irq(&self) -> bool {
            self.0.get().0
        }
        fn fiq(&self) -> bool {
            self.0.get().1
        }
    }

    fn memory() -> SystemMemory {
        let ram = crate::ram::Ram::new(0x4000_0000, 0x1000).expect("RAM");
        SystemMemory { ram, roms: Vec::new(), bus: crate::bus::MmioBus::new(), tracer: Tracer::off() }
    }

    fn cpu() -> (A64Cpu, Lines, Clock, IrqLine) {
        let lines = Lines::default();
        let clock = Clock::manual();
        let vtimer = IrqLine::disconnected();
        let timer = GenericTimer::new(clock.clone(), vtimer.clone(), IrqLine::disconnected());
        let mut c = A64Cpu::new(0x4000_1000, &chimera_aarch64::CPU_MODELS[0], Tracer::off()).with_interrupts(Box::new(lines.clone()), timer);
        c.state.vbar_el1 = 0x4000_0000;
        (c, lines, clock, vtimer)
    }

    #[test]
    fn an_unmasked_irq_is_taken_at_the_irq_vector() {
        let (mut c, lines, _, _) = cpu();
        lines.0.set((true, false));
        // Reset state: DAIF all masked.
        assert_eq!(c.tb_flags() & TB_BOARD, 0);
        c.state.daif = 0;
        assert_ne!(c.tb_flags() & TB_BOARD, 0);
        assert_eq!(c.deliver(RunExit::Exception { kind: EXC_BOARD, arg: 0 }, &mut memory()), None);
        // Current EL with SP_ELx: VBAR + 0x280; ELR is the interrupted PC.
        assert_eq!((c.state.pc, c.state.elr_el1, c.state.daif), (0x4000_0280, 0x4000_1000, 0xf));
        assert_eq!(c.tb_flags() & TB_BOARD, 0);
    }

    #[test]
    fn fiq_comes_first() {
        let (mut c, lines, _, _) = cpu();
        c.state.daif = 0;
        lines.0.set((true, true));
        c.deliver(RunExit::Exception { kind: EXC_BOARD, arg: 0 }, &mut memory());
        assert_eq!(c.state.pc, 0x4000_0300);
    }

    #[test]
    fn wfi_sleeps_until_a_line_rises_even_when_masked() {
        let (mut c, lines, _, _) = cpu();
        c.state.halted = 1;
        // The loop must come back to the board at once.
        assert_ne!(c.tb_flags() & TB_BOARD, 0);
        assert!(c.halted());
        assert!(c.halted());
        lines.0.set((true, false));
        // Masked (DAIF.I): the CPU wakes and goes on without taking it.
        assert!(!c.halted());
        assert_eq!((c.state.halted, c.tb_flags() & TB_BOARD), (0, 0));
    }

    #[test]
    fn timer_writes_and_events_drive_the_timer_output() {
        let (mut c, _, clock, vtimer) = cpu();
        c.state.cntv_ctl_el0 = 1;
        c.state.cntv_cval_el0 = 10;
        c.deliver(RunExit::Exception { kind: EXC_TIMER, arg: 0 }, &mut memory());
        assert!(!vtimer.level());
        assert_eq!(clock.next_deadline(), Some(160));
        clock.set(160);
        c.event(0);
        assert!(vtimer.level());
    }

    #[test]
    fn isr_el1_reads_the_lines() {
        let (mut c, lines, _, _) = cpu();
        lines.0.set((true, true));
        c.deliver(RunExit::Exception { kind: EXC_ISR, arg: 3 }, &mut memory());
        assert_eq!((c.state.x[3], c.state.pc), (0xc0, 0x4000_1004));
    }
}
