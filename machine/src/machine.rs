//! A running board: one value that owns the CPU, the JIT, memory and devices.

use crate::clock::Clock;
use crate::cpu::{BoardCpu, Stop};
use crate::irq::CpuKick;
use crate::memory::SystemMemory;
use crate::trace::Tracer;
use chimera_jit::{Jit, JitStats, RunExit};
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
/// The fewest guest instructions run at a time, however near a deadline.
const MIN_SLICE: i64 = 1_000;
/// The longest a halted CPU sleeps between two looks at the console.
const IDLE_POLL: Duration = Duration::from_millis(1);
/// Runs shorter than this (ns) say too little about the guest's speed.
const MIN_MEASURE_NS: u64 = 20_000;

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
    clock: Clock,
    kick: CpuKick,
    /// Guest instructions per nanosecond, as last measured: turns the time to
    /// the next deadline into an instruction budget.
    insns_per_ns: f64,
    pending_input: Option<u8>,
    /// The device tree the board gave the guest, if it boots Linux.
    dtb: Option<Vec<u8>>,
    /// Guest instructions executed (budget spent by runs of guest code).
    executed: u64,
}

impl Machine {
    /// A machine of these parts. `clock` is the one the devices schedule
    /// their events on, and the guest time translated code reads; `kick` is
    /// the one the devices were given, and is attached to `jit` here.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        board: &'static str,
        cpu: Box<dyn BoardCpu>,
        mut jit: Jit,
        mem: SystemMemory,
        serial_rx: fn(&mut SystemMemory, u8) -> bool,
        tracer: Tracer,
        clock: Clock,
        kick: CpuKick,
    ) -> Machine {
        kick.attach(&mut jit);
        let time = clock.clone();
        jit.env().set_clock(Box::new(move || time.now()));
        Machine { board, cpu, jit, mem, serial_rx, tracer, clock, kick, insns_per_ns: 1.0, pending_input: None, dtb: None, executed: 0 }
    }

    /// Run until the guest stops the board or the user quits.
    ///
    /// Between runs of guest code the machine reads the console, runs the
    /// device events that are due, and idles while the CPU waits for an
    /// interrupt (until the next event or console poll). A run is bounded
    /// by the time to the next event, turned into instructions at the
    /// guest's measured speed, so timers fire promptly; with no event near,
    /// runs are [`SLICE`] instructions long.
    pub fn run(&mut self, input: &mut dyn ConsoleInput) -> Stop {
        loop {
            if let Some(stop) = self.poll_input(input) {
                return stop;
            }
            let now = self.clock.now();
            self.run_events(now);
            if self.cpu.halted() {
                let wait = self.clock.next_deadline().map_or(IDLE_POLL, |d| Duration::from_nanos(d.saturating_sub(now)).min(IDLE_POLL));
                std::thread::sleep(wait);
                continue;
            }
            let budget = self.budget(now);
            // Kicks from the events just run are seen by the CPU's flags.
            self.jit.env().exit_request = 0;
            let mut left = budget;
            let stop = loop {
                let exit = self.jit.run(&mut *self.cpu, &mut self.mem, left);
                left = self.jit.env().budget;
                let yielded = exit == RunExit::Yield;
                let deadline = self.clock.next_deadline();
                if let Some(stop) = self.cpu.deliver(exit, &mut self.mem) {
                    break Some(stop);
                }
                // An exception the CPU took (a system call, a window trap)
                // goes on within the same budget when nothing the board
                // must see has happened: no exit requested (a device that
                // needs the board's turn requests one), no timer programmed
                // (the budget ends at the next deadline), the CPU not
                // waiting for an interrupt. The console and the clock wait.
                if yielded
                    || left <= 0
                    || self.jit.env().exit_request != 0
                    || self.clock.next_deadline() != deadline
                    || self.cpu.halted()
                {
                    break None;
                }
            };
            self.measure(budget - left, now);
            if let Some(stop) = stop {
                return stop;
            }
        }
    }

    /// Deliver the device events due at `now`.
    fn run_events(&mut self, now: u64) {
        while let Some(e) = self.clock.pop_due(now) {
            if e.device == crate::clock::CPU_EVENTS {
                self.cpu.event(e.tag);
            } else if let Some((_, device)) = self.mem.bus.device_at(e.device) {
                device.event(e.tag);
            }
        }
    }

    /// Guest instructions to run from `now`: up to the next deadline.
    fn budget(&self, now: u64) -> i64 {
        match self.clock.next_deadline() {
            None => SLICE,
            Some(d) => {
                let insns = (d.saturating_sub(now) as f64 * self.insns_per_ns) as i64;
                insns.clamp(MIN_SLICE, SLICE)
            }
        }
    }

    /// Learn the guest's speed from a run of `insns` instructions started at `start`.
    fn measure(&mut self, insns: i64, start: u64) {
        self.executed += insns.max(0) as u64;
        let ns = self.clock.now().saturating_sub(start);
        if ns >= MIN_MEASURE_NS && insns > 0 {
            self.insns_per_ns = insns as f64 / ns as f64;
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

    /// Record the device tree the board placed in guest memory.
    pub(crate) fn with_dtb(mut self, dtb: Vec<u8>) -> Machine {
        self.dtb = Some(dtb);
        self
    }

    /// The device tree the board gave the guest (`--dump-dtb`), if any.
    pub fn dtb(&self) -> Option<&[u8]> {
        self.dtb.as_deref()
    }

    /// The CPU registers, for crash reports.
    pub fn dump_registers(&self) -> String {
        self.cpu.dump()
    }

    /// Guest instructions executed so far (whole blocks: a block that
    /// faults part way counts in full).
    pub fn guest_instructions(&self) -> u64 {
        self.executed
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

impl Drop for Machine {
    fn drop(&mut self) {
        // The devices may outlive the JIT while the fields drop.
        self.kick.detach();
    }
}
