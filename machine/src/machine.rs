//! A running board: one value that owns the CPU, the JIT, memory and devices.

use crate::cpu::{BoardCpu, Stop};
use crate::memory::SystemMemory;
use crate::trace::Tracer;
use chimera_jit::{Jit, JitStats};
use std::time::Duration;

/// Input from the user's console, polled between runs of guest code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConsoleEvent {
    /// A byte for the guest's serial port.
    Byte(u8),
    /// The user asked to quit (Ctrl-A x).
    Quit,
}

/// Where the serial input of a board comes from.
pub trait ConsoleInput {
    /// The next pending event, if any, without blocking.
    fn poll(&mut self) -> Option<ConsoleEvent>;
}

/// No console input.
pub struct NoInput;

impl ConsoleInput for NoInput {
    fn poll(&mut self) -> Option<ConsoleEvent> {
        None
    }
}

/// Guest instructions run between two looks at the console and the devices.
const SLICE: i64 = 200_000;

/// One board.
pub struct Machine {
    /// Board name, as in `chimera machines`.
    pub board: &'static str,
    pub(crate) cpu: Box<dyn BoardCpu>,
    pub(crate) jit: Jit,
    pub(crate) mem: SystemMemory,
    /// Pushes a console byte into the board's UART; false if its FIFO is full.
    pub(crate) serial_rx: fn(&mut SystemMemory, u8) -> bool,
    pub(crate) tracer: Tracer,
    pending_input: Option<u8>,
}

impl Machine {
    pub(crate) fn new(
        board: &'static str,
        cpu: Box<dyn BoardCpu>,
        jit: Jit,
        mem: SystemMemory,
        serial_rx: fn(&mut SystemMemory, u8) -> bool,
        tracer: Tracer,
    ) -> Machine {
        Machine { board, cpu, jit, mem, serial_rx, tracer, pending_input: None }
    }

    /// Run until the guest stops the board or the user quits.
    pub fn run(&mut self, input: &mut dyn ConsoleInput) -> Stop {
        loop {
            if let Some(stop) = self.poll_input(input) {
                return stop;
            }
            let exit = self.jit.run(&mut *self.cpu, &mut self.mem, SLICE);
            self.jit.env().exit_request = 0;
            if let Some(stop) = self.cpu.deliver(exit) {
                return stop;
            }
            if self.cpu.halted() {
                // WFI with no interrupt controller yet: nothing can wake the CPU
                // but console input, so wait a little instead of spinning.
                std::thread::sleep(Duration::from_millis(1));
            }
        }
    }

    fn poll_input(&mut self, input: &mut dyn ConsoleInput) -> Option<Stop> {
        loop {
            let b = match self.pending_input.take() {
                Some(b) => b,
                None => match input.poll() {
                    None => return None,
                    Some(ConsoleEvent::Quit) => return Some(Stop::Quit),
                    Some(ConsoleEvent::Byte(b)) => b,
                },
            };
            if !(self.serial_rx)(&mut self.mem, b) {
                self.pending_input = Some(b);
                return None;
            }
        }
    }

    /// The CPU registers, for crash reports.
    pub fn dump_registers(&self) -> String {
        self.cpu.dump()
    }

    /// JIT counters.
    pub fn jit_stats(&self) -> &JitStats {
        self.jit.stats()
    }

    /// The trace handle.
    pub fn tracer(&self) -> &Tracer {
        &self.tracer
    }
}
