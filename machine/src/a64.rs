//! The AArch64 CPU on the `virt` board: execution-loop glue, PSCI firmware
//! calls over `hvc #0` (QEMU's virt conduit without EL2/EL3), exception
//! delivery and crash detection.

use crate::cpu::{impl_guest_cpu, trace_exception, BoardCpu, Stop};
use crate::trace::Tracer;
use crate::memory::SystemMemory;
use chimera_aarch64::{translate_block, A64State, CpuModel, EXC_AT, EXC_HVC, EXC_UNDEF};
use chimera_ir::{AccessKind, MemFault};
use chimera_jit::RunExit;

/// PSCI function IDs (ARM DEN 0022, "Arm Power State Coordination Interface",
/// table 5.1, SMC32 calling convention).
mod psci {
    pub const VERSION: u64 = 0x8400_0000;
    pub const CPU_OFF: u64 = 0x8400_0002;
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
}

impl A64Cpu {
    /// A CPU of the model `model` in the reset state, starting at `entry`.
    pub fn new(entry: u64, model: &CpuModel, tracer: Tracer) -> A64Cpu {
        A64Cpu { state: A64State { pc: entry, features: model.features, ..Default::default() }, tracer, last_vector: None }
    }

    fn psci_call(&mut self) -> Option<Stop> {
        let fid = self.state.x[0];
        self.tracer.int(format_args!("PSCI call {fid:#x} at pc {:#x}", self.state.pc));
        let ret = match fid {
            psci::VERSION => psci::VERSION_1_1,
            psci::SYSTEM_OFF => return Some(Stop::PowerOff),
            psci::SYSTEM_RESET => return Some(Stop::Reset),
            psci::MIGRATE_INFO_TYPE => psci::TOS_NOT_PRESENT_MP,
            psci::FEATURES => match self.state.x[1] {
                psci::VERSION | psci::SYSTEM_OFF | psci::SYSTEM_RESET | psci::MIGRATE_INFO_TYPE | psci::FEATURES => 0,
                _ => psci::NOT_SUPPORTED,
            },
            // One CPU: every other CPU is an invalid target, this one is on.
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

impl_guest_cpu!(A64Cpu, A64State, translate_block);

impl BoardCpu for A64Cpu {
    fn deliver(&mut self, exit: RunExit, mem: &mut SystemMemory) -> Option<Stop> {
        match exit {
            RunExit::Yield => None,
            RunExit::Exception { kind: EXC_AT, arg } => {
                self.state.address_translate(arg, mem);
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
        std::mem::take(&mut self.state.halted) != 0
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
