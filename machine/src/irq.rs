//! Interrupt lines into an interrupt controller, and from a controller to
//! the processor.
//!
//! A controller's inputs can be one bitmask of levels shared with the devices
//! that drive them: a device holds an [`IrqLine`] for its input and sets the
//! level, the controller reads [`IrqLevels::pending`] when it evaluates its
//! state. Everything lives on the machine's one thread, so a `Cell` is
//! enough.
//!
//! A controller with more inputs than a bitmask holds, or that must act when
//! an input changes (an ARM GIC latches edges and re-evaluates its output),
//! is an [`IrqSink`] instead: its lines call it on every level change.
//!
//! The processor sees its controller as an [`InterruptController`] (a
//! numbered request level, SPARC) or as [`CpuInterruptLines`] (separate IRQ
//! and FIQ lines, ARM); a controller whose request changes makes the
//! execution loop come back to the machine with a [`CpuKick`], so the
//! processor looks at the request at the next block boundary (QEMU's
//! `cpu_interrupt`).

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

/// A processor's IRQ and FIQ inputs, as driven by its interrupt controller
/// (an ARM GIC CPU interface).
pub trait CpuInterruptLines {
    /// Whether the controller asserts the IRQ line.
    fn irq(&self) -> bool;
    /// Whether the controller asserts the FIQ line.
    fn fiq(&self) -> bool;
}

/// An interrupt controller whose inputs tell it when their level changes.
///
/// The controller numbers its inputs itself; an [`IrqLine`] made with
/// [`IrqLine::with_sink`] drives one of them.
pub trait IrqSink {
    /// Input `n` is now at `level` (high is `true`). Called on every
    /// [`IrqLine::set_level`], also when the level does not change.
    fn set_input(&self, n: u32, level: bool);
    /// The level input `n` is at, as the controller last saw it.
    fn input_level(&self, n: u32) -> bool;
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

    /// Aim every clone at `flag` (device tests observe kicks with it).
    #[cfg(test)]
    pub(crate) fn attach_flag(&self, flag: &'static Cell<u32>) {
        self.target.set(flag.as_ptr());
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
/// high for as long as its interrupt condition lasts (a controller input
/// configured for edges reacts to the rising edge).
#[derive(Clone)]
pub struct IrqLine {
    target: Target,
}

/// What an [`IrqLine`] drives.
#[derive(Clone)]
enum Target {
    /// Bit `mask` of a bitmask of levels the controller reads when it wants.
    Levels { levels: Rc<Cell<u64>>, mask: u64 },
    /// Input `n` of a controller that is told of every change.
    Sink { sink: Rc<dyn IrqSink>, n: u32 },
}

impl std::fmt::Debug for IrqLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.target {
            Target::Levels { levels, mask } => f
                .debug_struct("IrqLine")
                .field("levels", levels)
                .field("mask", mask)
                .finish(),
            Target::Sink { n, .. } => f
                .debug_struct("IrqLine")
                .field("input", n)
                .field("level", &self.level())
                .finish(),
        }
    }
}

impl IrqLine {
    /// The line for input `n` of the controller whose levels are `shared`;
    /// an `n` of 64 or more gives a line that is never high.
    pub fn new(shared: Rc<Cell<u64>>, n: u32) -> IrqLine {
        IrqLine {
            target: Target::Levels {
                levels: shared,
                mask: 1u64.checked_shl(n).unwrap_or(0),
            },
        }
    }

    /// The line for input `n` of the controller `sink`, in the controller's
    /// own numbering of its inputs.
    pub fn with_sink(sink: Rc<dyn IrqSink>, n: u32) -> IrqLine {
        IrqLine { target: Target::Sink { sink, n } }
    }

    /// A line connected to nothing but itself: its level can be set and read
    /// back, which is what device tests need.
    pub fn disconnected() -> IrqLine {
        IrqLine::new(Rc::new(Cell::new(0)), 0)
    }

    /// Drives the line high (`true`) or low (`false`).
    pub fn set_level(&self, high: bool) {
        match &self.target {
            Target::Levels { levels, mask } => {
                let now = levels.get();
                levels.set(if high { now | mask } else { now & !mask });
            }
            Target::Sink { sink, n } => sink.set_input(*n, high),
        }
    }

    /// Whether the line is high.
    pub fn level(&self) -> bool {
        match &self.target {
            Target::Levels { levels, mask } => levels.get() & mask != 0,
            Target::Sink { sink, n } => sink.input_level(*n),
        }
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

    /// A controller that records every call.
    #[derive(Default)]
    struct Recorder {
        calls: std::cell::RefCell<Vec<(u32, bool)>>,
        levels: Cell<u64>,
    }

    impl IrqSink for Recorder {
        fn set_input(&self, n: u32, level: bool) {
            self.calls.borrow_mut().push((n, level));
            let bit = 1u64 << n;
            self.levels.set(if level { self.levels.get() | bit } else { self.levels.get() & !bit });
        }
        fn input_level(&self, n: u32) -> bool {
            self.levels.get() & (1 << n) != 0
        }
    }

    #[test]
    fn sink_lines_call_their_controller() {
        let rec = Rc::new(Recorder::default());
        let line = IrqLine::with_sink(rec.clone(), 5);
        let other = IrqLine::with_sink(rec.clone(), 7);
        line.set_level(true);
        line.clone().set_level(true);
        assert!(line.level());
        assert!(!other.level());
        other.set_level(false);
        line.set_level(false);
        assert!(!line.level());
        assert_eq!(*rec.calls.borrow(), [(5, true), (5, true), (7, false), (5, false)]);
        assert!(format!("{line:?}").contains("input: 5"));
    }

    #[test]
    fn kicks_reach_an_attached_flag() {
        let flag: &'static Cell<u32> = Box::leak(Box::new(Cell::new(0)));
        let kick = CpuKick::new();
        kick.clone().kick();
        kick.attach_flag(flag);
        assert_eq!(flag.get(), 0);
        kick.clone().kick();
        assert_eq!(flag.get(), 1);
        kick.detach();
        flag.set(0);
        kick.kick();
        assert_eq!(flag.get(), 0);
    }
}
