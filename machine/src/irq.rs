//! Interrupt lines into an interrupt controller, and from a controller to
//! the processor.
//!
//! A controller's inputs can be one bitmask of levels shared with the devices
//! that drive them: a device holds an [`IrqLine`] for its input and sets the
//! level, the controller reads [`IrqLevels::pending`] when it evaluates its
//! state. Everything lives on the machine's one thread, so a `Cell` is
//! enough.
//!
//! The processor sees its controller as an [`InterruptController`]; a
//! controller whose request changes makes the execution loop come back to the
//! machine with a [`CpuKick`], so the processor looks at the request at the
//! next block boundary (QEMU's `cpu_interrupt`).

use chimera_jit::Jit;
use std::cell::Cell;
use std::rc::Rc;

/// A processor's view of its interrupt controller.
pub trait InterruptController {
    /// The interrupt level requested of the processor: 0 for none, else the
    /// level (SPARC: 1..=15, the IRL of SPARC V8 manual 7.3.2).
    fn level(&self) -> u32;
    /// The processor took the interrupt of `level` (the controller's
    /// acknowledge, QEMU's `qemu_irq_ack`).
    fn acknowledge(&self, level: u32);
}

/// Makes the execution loop return to the machine at the next block entry.
///
/// Clones share one target: the board hands clones to its devices before the
/// JIT exists, and the machine attaches the JIT once it owns both. Until then
/// (and in device tests) a kick does nothing.
#[derive(Clone, Default)]
pub struct CpuKick {
    target: Rc<Cell<*mut u32>>,
}

impl std::fmt::Debug for CpuKick {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CpuKick").field("attached", &!self.target.get().is_null()).finish()
    }
}

impl CpuKick {
    /// A kick attached to nothing yet.
    pub fn new() -> CpuKick {
        CpuKick { target: Rc::new(Cell::new(std::ptr::null_mut())) }
    }

    /// Aim every clone at the exit request of `jit`. The machine that owns
    /// `jit` and every device holding a clone calls this once, and
    /// [`CpuKick::detach`] before `jit` goes away.
    pub(crate) fn attach(&self, jit: &mut Jit) {
        self.target.set(&mut jit.env().exit_request);
    }

    /// Aim every clone at nothing again.
    pub(crate) fn detach(&self) {
        self.target.set(std::ptr::null_mut());
    }

    /// Request the exit.
    pub fn kick(&self) {
        let p = self.target.get();
        if !p.is_null() {
            // SAFETY: `attach` took the address of the exit request in the
            // JIT's boxed environment, which does not move and lives until the
            // machine drops the JIT after `detach`. Kicks come from devices
            // the machine owns, on its thread: from MMIO accesses of running
            // guest code (which only reads the flag at block entries) or from
            // the machine loop itself. A volatile write, because generated
            // code reads the flag behind the compiler's back.
            unsafe { p.write_volatile(1) };
        }
    }
}

/// The input levels of one interrupt controller (up to 64 inputs).
#[derive(Debug, Default)]
pub struct IrqLevels {
    levels: Rc<Cell<u64>>,
}

impl IrqLevels {
    /// A controller with every input low.
    pub fn new() -> IrqLevels {
        IrqLevels::default()
    }

    /// The line that drives input `n`.
    ///
    /// # Panics
    ///
    /// If `n` is 64 or more: board wiring is fixed by Chimera's code, so a
    /// bad input number is a bug in a board, not a guest or user error.
    pub fn line(&self, n: u32) -> IrqLine {
        assert!(n < 64, "interrupt input {n} does not exist (0..64)");
        IrqLine::new(Rc::clone(&self.levels), n)
    }

    /// Bit `n` set for every input `n` whose level is high.
    pub fn pending(&self) -> u64 {
        self.levels.get()
    }
}

/// A device's handle on one interrupt controller input.
///
/// Clones drive the same input. Level-triggered: the device holds the level
/// high for as long as its interrupt condition lasts.
#[derive(Clone, Debug)]
pub struct IrqLine {
    levels: Rc<Cell<u64>>,
    mask: u64,
}

impl IrqLine {
    /// The line for input `n` of the controller whose levels are `shared`;
    /// an `n` of 64 or more gives a line that is never high.
    pub fn new(shared: Rc<Cell<u64>>, n: u32) -> IrqLine {
        IrqLine {
            levels: shared,
            mask: 1u64.checked_shl(n).unwrap_or(0),
        }
    }

    /// A line connected to nothing but itself: its level can be set and read
    /// back, which is what device tests need.
    pub fn disconnected() -> IrqLine {
        IrqLine::new(Rc::new(Cell::new(0)), 0)
    }

    /// Drives the line high (`true`) or low (`false`).
    pub fn set_level(&self, high: bool) {
        let levels = self.levels.get();
        self.levels.set(if high {
            levels | self.mask
        } else {
            levels & !self.mask
        });
    }

    /// Whether the line is high.
    pub fn level(&self) -> bool {
        self.levels.get() & self.mask != 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_drive_their_own_bit() {
        let levels = IrqLevels::new();
        let uart = levels.line(1);
        let timer = levels.line(33);
        uart.set_level(true);
        assert_eq!(levels.pending(), 1 << 1);
        timer.clone().set_level(true);
        assert_eq!(levels.pending(), (1 << 1) | (1 << 33));
        uart.set_level(false);
        uart.set_level(false);
        assert_eq!(levels.pending(), 1 << 33);
        assert!(timer.level());
        assert!(!uart.level());
    }

    #[test]
    fn disconnected_lines_are_independent() {
        let a = IrqLine::disconnected();
        let b = IrqLine::disconnected();
        a.set_level(true);
        assert!(a.level());
        assert!(!b.level());
    }

    #[test]
    fn out_of_range_input_is_never_high() {
        let line = IrqLine::new(Rc::new(Cell::new(0)), 64);
        line.set_level(true);
        assert!(!line.level());
    }
}
