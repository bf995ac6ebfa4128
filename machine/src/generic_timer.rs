//! The generic timer of the AArch64 PE (ARM ARM D11): the EL1 virtual and
//! physical timers, whose registers (CNTx_CTL_EL0, CNTx_CVAL_EL0) live in the
//! CPU state, compared with the system counter, which is the machine's guest
//! time at 62.5 MHz (16 ns a tick; the virtual offset is 0 without EL2).
//!
//! Each timer's output is a level interrupt (ARM ARM D11.2.4: asserted while
//! ENABLE is set, IMASK is clear and the counter has reached CVAL), a PPI of
//! the interrupt controller (INTID 27 virtual, 30 physical on `virt`). The
//! output is recomputed when the guest writes a timer register (the CPU
//! returns to the board with `EXC_TIMER`) and when the counter reaches a
//! compare value: the deadline is an event on the machine's scheduler, so
//! nothing is polled.

use crate::clock::{Clock, Event, CPU_EVENTS};
use crate::irq::IrqLine;
use chimera_aarch64::A64State;

/// Nanoseconds per tick of the system counter (62.5 MHz, QEMU's CNTFRQ_EL0).
pub const NS_PER_TICK: u64 = 16;

/// The two EL1 timers' outputs and events.
pub struct GenericTimer {
    clock: Clock,
    /// The virtual and the physical timer's interrupt outputs.
    outputs: [IrqLine; 2],
}

impl GenericTimer {
    /// Timers counting on `clock`, driving `virt` and `phys`.
    pub fn new(clock: Clock, virt: IrqLine, phys: IrqLine) -> GenericTimer {
        GenericTimer { clock, outputs: [virt, phys] }
    }

    /// The event of timer `k` (0 virtual, 1 physical): the CPU's event `k`.
    fn event(k: usize) -> Event {
        Event { device: CPU_EVENTS, tag: k as u32 }
    }

    /// Bring both outputs and their deadlines up to date with the timer
    /// registers of `s` and the counter now.
    pub fn update(&self, s: &A64State) {
        let count = self.clock.now() / NS_PER_TICK;
        let timers = [(s.cntv_ctl_el0, s.cntv_cval_el0), (s.cntp_ctl_el0, s.cntp_cval_el0)];
        for (k, (ctl, cval)) in timers.into_iter().enumerate() {
            let enabled = ctl & 1 != 0;
            let met = enabled && count >= cval;
            self.outputs[k].set_level(met && ctl & 2 == 0);
            if enabled && !met {
                self.clock.schedule(Self::event(k), cval.saturating_mul(NS_PER_TICK));
            } else {
                self.clock.cancel(Self::event(k));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn timer() -> (GenericTimer, Clock, IrqLine, IrqLine) {
        let clock = Clock::manual();
        let (v, p) = (IrqLine::disconnected(), IrqLine::disconnected());
        (GenericTimer::new(clock.clone(), v.clone(), p.clone()), clock, v, p)
    }

    #[test]
    fn output_follows_enable_mask_and_compare() {
        let (t, clock, v, p) = timer();
        let mut s = A64State { cntv_ctl_el0: 1, cntv_cval_el0: 100, ..A64State::default() };
        t.update(&s);
        assert!(!v.level());
        // Due when the counter reaches CVAL: 100 ticks of 16 ns.
        assert_eq!(clock.next_deadline(), Some(1600));
        clock.set(1599);
        t.update(&s);
        assert!(!v.level());
        clock.set(1600);
        t.update(&s);
        assert!(v.level() && !p.level());
        assert_eq!(clock.next_deadline(), None);
        // IMASK lowers the output, disabling lowers it too.
        s.cntv_ctl_el0 = 0b11;
        t.update(&s);
        assert!(!v.level());
        s.cntv_ctl_el0 = 0;
        t.update(&s);
        assert!(!v.level());
    }

    #[test]
    fn physical_timer_and_a_moved_compare_value() {
        let (t, clock, v, p) = timer();
        let mut s = A64State { cntp_ctl_el0: 1, cntp_cval_el0: 10, ..A64State::default() };
        clock.set(160);
        t.update(&s);
        assert!(p.level() && !v.level());
        // A later compare value lowers the output and schedules it again.
        s.cntp_cval_el0 = 20;
        t.update(&s);
        assert!(!p.level());
        assert_eq!(clock.next_deadline(), Some(320));
        // A compare value beyond the counter's reach never comes due.
        s.cntp_cval_el0 = u64::MAX;
        t.update(&s);
        assert_eq!(clock.next_deadline(), Some(u64::MAX));
    }
}
