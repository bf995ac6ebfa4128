//! GRLIB GPTIMER general-purpose timer unit (GRLIB IP Core User's Manual,
//! "GPTIMER": "Operation" and "Registers"), with the behaviour of QEMU 7.2's
//! `hw/timer/grlib_gptimer.c`.
//!
//! A prescaler divides the system clock by (scaler reload + 1); each timer
//! counts its counter down at that rate and underflows one tick after 0.
//! On underflow, with IE set, the timer sets IP and raises its interrupt
//! (timer n on line irq + n); with RS set it reloads the counter from the
//! reload register and goes on, else it stops with the counter at 0. Counter
//! reads reflect the time elapsed on the machine's [`Clock`].
//!
//! As in QEMU: the prescaler register only stores its value (the division
//! takes effect when the scaler reload register is written); writing the
//! counter, or the control register with EN (or LD) set, restarts the
//! countdown from the counter register (the last value written or
//! reloaded); a control write with EN and LD clear does not stop a running
//! countdown (its underflow still sets IP and raises the interrupt, and
//! then it stops); LD reads back as written; IP is cleared by writing it as
//! 1; chaining (CH) and the unit's freeze are not implemented; a stopped
//! timer's counter reads the count it was stopped at.
//!
//! Unlike QEMU, which reloads when its host timer callback runs, a periodic
//! timer reloads at the exact underflow time, so its ticks do not drift.

use std::any::Any;

use crate::clock::{Clock, Event};
use crate::device::Device;
use crate::devices::irqmp::{IrqMp, IrqMpInput};

/// Register offsets.
mod reg {
    pub const SCALER: u64 = 0x00;
    pub const SCALER_RELOAD: u64 = 0x04;
    pub const CONFIG: u64 = 0x08;
    /// Timer n's registers at `TIMER + 0x10 * n`.
    pub const TIMER: u64 = 0x10;
    pub const COUNTER: u64 = 0x0;
    pub const RELOAD: u64 = 0x4;
    pub const CONTROL: u64 = 0x8;
}

/// Timer control register bits.
mod ctrl {
    /// Enable.
    pub const EN: u32 = 1 << 0;
    /// Restart: reload at underflow.
    pub const RS: u32 = 1 << 1;
    /// Load the counter from the reload register.
    pub const LD: u32 = 1 << 2;
    /// Interrupt enable.
    pub const IE: u32 = 1 << 3;
    /// Interrupt pending.
    pub const IP: u32 = 1 << 4;
}

/// Timers in the unit (QEMU leon3_generic: 2).
pub const TIMERS: usize = 2;

const NS_PER_S: u128 = 1_000_000_000;

#[derive(Clone, Copy, Default)]
struct Timer {
    /// The counter register: the last value written or reloaded.
    counter: u32,
    reload: u32,
    control: u32,
    /// While counting: when the count reaches 0, the underflow (ns).
    deadline: Option<u64>,
    /// While stopped: the count the counter register reads.
    stopped: u64,
}

/// The timer unit.
pub struct GpTimer {
    clock: Clock,
    base: u64,
    system_hz: u32,
    irq: u32,
    outputs: [IrqMpInput; TIMERS],
    scaler: u32,
    scaler_reload: u32,
    timers: [Timer; TIMERS],
}

impl GpTimer {
    /// A unit at reset mapped at bus address `base` (the identity of its
    /// clock events), clocked at `system_hz`, whose timer n raises input
    /// `irq + n` of `irqmp`.
    pub fn new(clock: Clock, base: u64, system_hz: u32, irq: u32, irqmp: &IrqMp) -> GpTimer {
        GpTimer {
            clock,
            base,
            system_hz,
            irq,
            outputs: std::array::from_fn(|n| irqmp.input(irq + n as u32)),
            scaler: 0,
            scaler_reload: 0,
            timers: [Timer::default(); TIMERS],
        }
    }

    /// Ticks per second after the prescaler (QEMU rounds it down to Hz).
    fn tick_hz(&self) -> u128 {
        u128::from(self.system_hz / (self.scaler_reload + 1)).max(1)
    }

    /// The time `ticks` ticks take, rounded up to a nanosecond.
    fn ticks_ns(&self, ticks: u64) -> u64 {
        (u128::from(ticks) * NS_PER_S).div_ceil(self.tick_hz()) as u64
    }

    /// Whole ticks left in `ns`.
    fn ns_ticks(&self, ns: u64) -> u64 {
        (u128::from(ns) * self.tick_hz() / NS_PER_S) as u64
    }

    fn event_of(&self, n: usize) -> Event {
        Event { device: self.base, tag: n as u32 }
    }

    /// What the counter of timer `n` reads at `now`.
    fn count(&self, n: usize, now: u64) -> u64 {
        match self.timers[n].deadline {
            Some(d) => self.ns_ticks(d.saturating_sub(now)),
            None => self.timers[n].stopped,
        }
    }

    fn stop(&mut self, n: usize, now: u64) {
        if self.timers[n].deadline.is_some() {
            self.timers[n].stopped = self.count(n, now);
            self.timers[n].deadline = None;
            self.clock.cancel(self.event_of(n));
        }
    }

    /// Count `ticks` from `from` (ns) to the underflow.
    fn start(&mut self, n: usize, from: u64, ticks: u64) {
        let d = from + self.ticks_ns(ticks);
        self.timers[n].deadline = Some(d);
        self.clock.schedule(self.event_of(n), d);
    }

    /// QEMU's `grlib_gptimer_enable`: restart the countdown from the counter
    /// register if EN is set, else stop it.
    fn enable(&mut self, n: usize, now: u64) {
        self.stop(n, now);
        if self.timers[n].control & ctrl::EN != 0 {
            self.start(n, now, u64::from(self.timers[n].counter) + 1);
        }
    }

    /// Load the counter from the reload register and enable.
    fn restart(&mut self, n: usize, now: u64) {
        self.timers[n].counter = self.timers[n].reload;
        self.enable(n, now);
    }

    /// Timer `n` underflowed at its deadline `at` (<= `now`).
    fn underflow(&mut self, n: usize, at: u64, now: u64) {
        let t = &mut self.timers[n];
        t.deadline = None;
        t.stopped = 0;
        if t.control & ctrl::IE != 0 {
            t.control |= ctrl::IP;
            self.outputs[n].raise();
        }
        let t = &mut self.timers[n];
        if t.control & ctrl::RS != 0 {
            t.counter = t.reload;
            if t.control & ctrl::EN != 0 {
                // Reload at the underflow itself; underflows missed since
                // (the machine was busy) merge into this one, as a pending
                // interrupt cannot be raised twice.
                let period = self.ticks_ns(u64::from(self.timers[n].reload) + 1).max(1);
                let behind = (now - at) / period;
                self.start(n, at + behind * period, u64::from(self.timers[n].reload) + 1);
            }
        }
    }

    /// Bring every timer up to `now`.
    fn sync(&mut self, now: u64) {
        for n in 0..TIMERS {
            while let Some(at) = self.timers[n].deadline.filter(|&d| d <= now) {
                self.underflow(n, at, now);
            }
        }
    }

    fn set_scaler_reload(&mut self, v: u32, now: u64) {
        let counts: [Option<u64>; TIMERS] =
            std::array::from_fn(|n| self.timers[n].deadline.map(|_| self.count(n, now)));
        self.scaler_reload = v;
        for (n, count) in counts.into_iter().enumerate() {
            if let Some(c) = count {
                // The count left goes on at the new rate.
                self.start(n, now, c);
            }
        }
    }

    fn write_control(&mut self, n: usize, v: u32, now: u64) {
        let t = &mut self.timers[n];
        t.control = if v & ctrl::IP != 0 { v & !ctrl::IP } else { v | t.control & ctrl::IP };
        if v & ctrl::LD != 0 {
            self.restart(n, now);
        } else if v & ctrl::EN != 0 {
            self.enable(n, now);
        }
    }
}

impl Device for GpTimer {
    fn name(&self) -> &'static str {
        "gptimer"
    }

    fn read(&mut self, offset: u64, _size: u8) -> u64 {
        let now = self.clock.now();
        self.sync(now);
        let off = offset & 0xfc;
        u64::from(match off {
            reg::SCALER => self.scaler,
            reg::SCALER_RELOAD => self.scaler_reload,
            // Timers, first interrupt, separate interrupts (bit 8), timer
            // freeze not supported (bit 9: "disable freeze").
            reg::CONFIG => 1 << 9 | 1 << 8 | self.irq << 3 | TIMERS as u32,
            _ => match timer_at(off) {
                Some((n, reg::COUNTER)) => self.count(n, now) as u32,
                Some((n, reg::RELOAD)) => self.timers[n].reload,
                Some((n, reg::CONTROL)) => self.timers[n].control,
                _ => 0,
            },
        })
    }

    fn write(&mut self, offset: u64, _size: u8, value: u64) {
        let now = self.clock.now();
        self.sync(now);
        let off = offset & 0xfc;
        let v = value as u32;
        match off {
            reg::SCALER => self.scaler = v & 0xffff,
            reg::SCALER_RELOAD => self.set_scaler_reload(v & 0xffff, now),
            reg::CONFIG => {}
            _ => match timer_at(off) {
                Some((n, reg::COUNTER)) => {
                    self.timers[n].counter = v;
                    self.enable(n, now);
                }
                Some((n, reg::RELOAD)) => self.timers[n].reload = v,
                Some((n, reg::CONTROL)) => self.write_control(n, v, now),
                _ => {}
            },
        }
    }

    fn event(&mut self, _tag: u32) {
        let now = self.clock.now();
        self.sync(now);
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// The timer and register offset of a timer register.
fn timer_at(off: u64) -> Option<(usize, u64)> {
    let n = off.checked_sub(reg::TIMER)? / 0x10;
    (n < TIMERS as u64).then_some((n as usize, off & 0xc))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::irq::{CpuKick, InterruptController};

    const BASE: u64 = 0x8000_0300;
    const T0: u64 = 0x10;
    const T1: u64 = 0x20;

    fn unit() -> (GpTimer, IrqMp, Clock) {
        let clock = Clock::manual();
        let irqmp = IrqMp::new(CpuKick::new());
        let t = GpTimer::new(clock.clone(), BASE, 40_000_000, 6, &irqmp);
        (t, irqmp, clock)
    }

    /// Run the due events as the machine does.
    fn advance(t: &mut GpTimer, clock: &Clock, ns: u64) {
        clock.set(ns);
        while let Some(e) = clock.pop_due(ns) {
            assert_eq!(e.device, BASE);
            t.event(e.tag);
        }
    }

    #[test]
    fn config_register() {
        let (mut t, _, _) = unit();
        assert_eq!(t.read(reg::CONFIG, 4), 0x332);
    }

    #[test]
    fn counts_down_and_reloads() {
        let (mut t, mut irqmp, clock) = unit();
        let cpu = irqmp.cpu();
        irqmp.write(0x40, 4, 1 << 7);
        t.write(reg::SCALER_RELOAD, 4, 39); // 1 MHz
        t.write(T1 + reg::RELOAD, 4, 999); // 1 ms period
        t.write(T1 + reg::CONTROL, 4, u64::from(ctrl::EN | ctrl::RS | ctrl::LD | ctrl::IE));
        assert_eq!(t.read(T1 + reg::COUNTER, 4), 1000);
        advance(&mut t, &clock, 400_500);
        assert_eq!(t.read(T1 + reg::COUNTER, 4), 599);
        assert_eq!(cpu.level(), 0);
        assert_eq!(t.read(T1 + reg::CONTROL, 4) & u64::from(ctrl::IP), 0);
        // The underflow is one tick after 0.
        advance(&mut t, &clock, 999_999);
        assert_eq!((t.read(T1 + reg::COUNTER, 4), cpu.level()), (0, 0));
        advance(&mut t, &clock, 1_000_000);
        assert_eq!(cpu.level(), 7);
        assert_eq!(t.read(T1 + reg::COUNTER, 4), 1000);
        assert_ne!(t.read(T1 + reg::CONTROL, 4) & u64::from(ctrl::IP), 0);
        cpu.acknowledge(7);
        // Periodic without drift: the next underflow is at 2 ms.
        assert_eq!(clock.deadline_of(Event { device: BASE, tag: 1 }), Some(2_000_000));
        // IP stays until written as 1; writing 0 keeps it.
        t.write(T1 + reg::CONTROL, 4, u64::from(ctrl::EN | ctrl::RS | ctrl::IE));
        assert_ne!(t.read(T1 + reg::CONTROL, 4) & u64::from(ctrl::IP), 0);
        t.write(T1 + reg::CONTROL, 4, u64::from(ctrl::EN | ctrl::RS | ctrl::IE | ctrl::IP));
        assert_eq!(t.read(T1 + reg::CONTROL, 4) & u64::from(ctrl::IP), 0);
    }

    #[test]
    fn one_shot_stops_at_zero() {
        let (mut t, mut irqmp, clock) = unit();
        t.write(reg::SCALER_RELOAD, 4, 3); // 10 MHz
        t.write(T0 + reg::COUNTER, 4, 9);
        // Not enabled: the counter reads the count it stopped at (0).
        assert_eq!(t.read(T0 + reg::COUNTER, 4), 0);
        t.write(T0 + reg::CONTROL, 4, u64::from(ctrl::EN | ctrl::IE));
        advance(&mut t, &clock, 500);
        assert_eq!(t.read(T0 + reg::COUNTER, 4), 5);
        advance(&mut t, &clock, 1_000);
        assert_eq!(t.read(T0 + reg::COUNTER, 4), 0);
        assert_eq!(irqmp.read(0x04, 4), 1 << 6);
        assert_eq!(clock.next_deadline(), None);
    }

    #[test]
    fn late_processing_merges_underflows() {
        let (mut t, _, clock) = unit();
        t.write(T0 + reg::RELOAD, 4, 39); // 1 us at 40 MHz
        t.write(T0 + reg::CONTROL, 4, u64::from(ctrl::EN | ctrl::RS | ctrl::LD));
        advance(&mut t, &clock, 10_000_250);
        assert_eq!(t.read(T0 + reg::COUNTER, 4), 30);
        assert_eq!(clock.next_deadline(), Some(10_001_000));
    }

    #[test]
    fn prescaler_change_keeps_the_count() {
        let (mut t, _, clock) = unit();
        t.write(reg::SCALER_RELOAD, 4, 39);
        t.write(T0 + reg::RELOAD, 4, 99);
        t.write(T0 + reg::CONTROL, 4, u64::from(ctrl::EN | ctrl::LD));
        advance(&mut t, &clock, 50_000);
        t.write(reg::SCALER_RELOAD, 4, 79); // 500 kHz
        assert_eq!(t.read(T0 + reg::COUNTER, 4), 50);
        assert_eq!(clock.next_deadline(), Some(150_000));
        assert_eq!(t.read(reg::SCALER_RELOAD, 4), 79);
    }

    #[test]
    fn disabling_does_not_stop_the_countdown() {
        let (mut t, mut irqmp, clock) = unit();
        t.write(reg::SCALER_RELOAD, 4, 39);
        t.write(T0 + reg::RELOAD, 4, 9);
        t.write(T0 + reg::CONTROL, 4, u64::from(ctrl::EN | ctrl::RS | ctrl::LD | ctrl::IE));
        assert_eq!(t.read(T0 + reg::CONTROL, 4), 0xf);
        t.write(T0 + reg::CONTROL, 4, u64::from(ctrl::IE));
        advance(&mut t, &clock, 10_000);
        assert_eq!(irqmp.read(0x04, 4), 1 << 6);
        assert_eq!(clock.next_deadline(), None);
    }
}
