//! The CPU of a board as the machine drives it: the execution loop's
//! [`GuestCpu`] plus delivery of what the loop reports (exceptions, faults,
//! firmware calls) and a register dump for crash reports.

use crate::trace::Tracer;
use chimera_ir::{Block, GuestMemory, MemOp};
use chimera_jit::{GuestCpu, RunExit};

/// Why a machine stopped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stop {
    /// The guest powered the board off (PSCI SYSTEM_OFF): exit status 0.
    PowerOff,
    /// The guest asked for a reset (PSCI SYSTEM_RESET); Chimera stops like
    /// QEMU with `-no-reboot`: exit status 0.
    Reset,
    /// The user quit from the console (Ctrl-A x).
    Quit,
    /// The guest can make no progress (an exception whose vector cannot be
    /// fetched, error mode): the message says why.
    Crash(String),
}

/// A board's CPU.
pub trait BoardCpu: GuestCpu {
    /// Deliver a loop exit; `mem` is the board's physical memory (for what
    /// the CPU does outside translated code, such as an AArch64 AT
    /// instruction's walk). `Some` ends the run.
    fn deliver(&mut self, exit: RunExit, mem: &mut crate::memory::SystemMemory) -> Option<Stop>;
    /// The registers, one or more lines, for crash reports.
    fn dump(&self) -> String;
    /// The instruction-set name for `in_asm` traces.
    fn arch_name(&self) -> &'static str;
    /// True while the CPU waits for an interrupt (WFI); the machine idles.
    fn halted(&mut self) -> bool;
    /// One of the CPU's own timed events is due (scheduled with
    /// [`CPU_EVENTS`](crate::clock::CPU_EVENTS) as the device).
    fn event(&mut self, _tag: u32) {}
}

/// Read the guest code of a block for `in_asm`, in memory order (the fetch is
/// little-endian, so `to_le_bytes` gives the bytes back as they are stored,
/// whatever the guest's byte order).
pub(crate) fn block_bytes(block: &Block, mem: &mut dyn GuestMemory, mmu: u8) -> Vec<u8> {
    let mut out = Vec::with_capacity(block.guest_bytes as usize);
    let mut a = block.pc;
    while a < block.pc + u64::from(block.guest_bytes) {
        let op = MemOp::fetch(4, chimera_ir::Endian::Little, mmu);
        match mem.load(a, op) {
            Ok(w) => {
                let w = w as u32;
                out.extend_from_slice(&w.to_le_bytes());
            }
            Err(_) => break,
        }
        a += 4;
    }
    out
}

/// Shared by the boards: trace an exception delivery.
pub(crate) fn trace_exception(t: &Tracer, what: &str, pc: u64, target: u64) {
    t.int(format_args!("{what} at pc {pc:#x} -> vector {target:#x}"));
}

/// The trace hooks of [`GuestCpu`](chimera_jit::GuestCpu) (`in_asm`, `exec`,
/// `out_asm`) for a board CPU with a `tracer` field; `$mmu` (an expression
/// over `self`) is the MMU index the block's code is read under.
macro_rules! trace_hooks {
    ($mmu:expr) => {
        fn on_translate(&mut self, block: &chimera_ir::Block, mem: &mut dyn chimera_ir::GuestMemory) {
            if self.tracer.flags.in_asm && block.guest_insns != 0 {
                let mmu = { $mmu(&*self) };
                let bytes = $crate::cpu::block_bytes(block, mem, mmu);
                self.tracer.in_asm(block.pc, &bytes);
            }
        }

        fn on_exec(&mut self, pc: u64) {
            self.tracer.exec(pc);
        }

        fn wants_host_asm(&self) -> bool {
            self.tracer.flags.out_asm
        }

        fn on_compile(&mut self, block: &chimera_ir::Block, host_asm: &str) {
            self.tracer.out_asm(block, host_asm);
        }
    };
}
pub(crate) use trace_hooks;
