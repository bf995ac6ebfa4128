//! The SPARC V8 CPU of the LEON3 board: execution-loop glue, trap delivery and
//! error mode. A trap while traps are disabled stops the processor (SPARC V8
//! manual 7.3.1); QEMU's LEON3 turns the one from `ta 0` into a power-off
//! (its `CPU_FEATURE_TA0_SHUTDOWN`) and aborts on any other.

use crate::cpu::{impl_guest_cpu, trace_exception, BoardCpu, Stop};
use crate::trace::Tracer;
use chimera_jit::RunExit;
use chimera_sparc::{fault_trap_type, translate_block, tt, ErrorMode, SparcState, EXC_PENDING, EXC_TRAP};

/// The CPU of the `leon3` board.
pub struct SparcCpu {
    /// Architectural state.
    pub state: SparcState,
    tracer: Tracer,
}

impl SparcCpu {
    /// A CPU in the reset state.
    pub fn new(state: SparcState, tracer: Tracer) -> SparcCpu {
        SparcCpu { state, tracer }
    }

    fn trap(&mut self, trap_type: u32) -> Option<Stop> {
        if trap_type == tt::ILLEGAL {
            let pc = self.state.pc;
            self.tracer.unimp(format_args!("illegal instruction at pc {pc:#x}"));
        }
        let pc = self.state.pc;
        match self.state.take_trap(trap_type) {
            Ok(()) => {
                trace_exception(&self.tracer, &format!("trap {trap_type:#04x}"), pc, self.state.pc);
                None
            }
            Err(ErrorMode { tt: tt::TRAP_INSN }) => Some(Stop::PowerOff),
            Err(ErrorMode { tt }) => Some(Stop::Crash(format!("trap {tt:#04x} at pc {pc:#x} while traps are disabled: error mode"))),
        }
    }
}

// No SRMMU yet: only supervisor mode decides permissions.
impl_guest_cpu!(SparcCpu, SparcState, translate_block, chimera_sparc::TB_S);

impl BoardCpu for SparcCpu {
    fn deliver(&mut self, exit: RunExit) -> Option<Stop> {
        match exit {
            RunExit::Yield => None,
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
        out
    }

    fn arch_name(&self) -> &'static str {
        "sparc"
    }

    fn halted(&mut self) -> bool {
        std::mem::take(&mut self.state.halted) != 0
    }
}
