//! The machine's clock and its timed device events.
//!
//! Guest time is nanoseconds since the machine was built. Without `--icount`
//! it follows the host's monotonic clock (`std::time::Instant`); device tests
//! use a manual clock they move themselves. A device keeps a [`Clock`] handle
//! to read the time and to schedule its own events (timer expiries) in the
//! machine's one [`Scheduler`]; the machine runs the events that are due
//! between runs of guest code and bounds those runs by the next deadline (see
//! `Machine::run`).

use crate::scheduler::Scheduler;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Instant;

/// A timed event of a device: `tag` (the device's own numbering, such as a
/// timer index) of the device mapped at bus address `device`. The machine
/// delivers it with [`Device::event`](crate::device::Device::event).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Event {
    /// Base address of the device on the MMIO bus.
    pub device: u64,
    /// Which of the device's events.
    pub tag: u32,
}

/// The `device` of the CPU's own events (the generic timer's deadlines): no
/// device is mapped at this address, and the machine hands them to its CPU.
pub const CPU_EVENTS: u64 = u64::MAX;

enum Source {
    Host(Instant),
    Manual(Cell<u64>),
}

struct Shared {
    source: Source,
    events: RefCell<Scheduler<Event>>,
}

/// A handle on the machine's clock and event scheduler; clones share them.
#[derive(Clone)]
pub struct Clock {
    shared: Rc<Shared>,
}

impl Clock {
    fn with(source: Source) -> Clock {
        Clock { shared: Rc::new(Shared { source, events: RefCell::new(Scheduler::new()) }) }
    }

    /// A clock that follows the host's monotonic clock from now.
    pub fn host() -> Clock {
        Clock::with(Source::Host(Instant::now()))
    }

    /// A clock at 0 that only moves with [`Clock::set`] (for tests).
    pub fn manual() -> Clock {
        Clock::with(Source::Manual(Cell::new(0)))
    }

    /// Moves a manual clock to `ns`.
    ///
    /// # Panics
    ///
    /// On a host clock, which nobody may move.
    pub fn set(&self, ns: u64) {
        match &self.shared.source {
            Source::Manual(t) => t.set(ns),
            Source::Host(_) => panic!("the host clock cannot be set"),
        }
    }

    /// Nanoseconds since the machine was built.
    pub fn now(&self) -> u64 {
        match &self.shared.source {
            Source::Host(origin) => origin.elapsed().as_nanos() as u64,
            Source::Manual(t) => t.get(),
        }
    }

    /// Schedules `event` at `at` ns, replacing an earlier scheduling of it.
    pub fn schedule(&self, event: Event, at: u64) {
        self.shared.events.borrow_mut().schedule(event, at);
    }

    /// Cancels `event` if it is pending.
    pub fn cancel(&self, event: Event) {
        self.shared.events.borrow_mut().cancel(event);
    }

    /// When `event` is due, if it is pending.
    pub fn deadline_of(&self, event: Event) -> Option<u64> {
        self.shared.events.borrow().deadline_of(event)
    }

    /// When the earliest pending event is due.
    pub fn next_deadline(&self) -> Option<u64> {
        self.shared.events.borrow().next_deadline()
    }

    /// Removes and returns the earliest event due at or before `now`.
    pub fn pop_due(&self, now: u64) -> Option<Event> {
        self.shared.events.borrow_mut().pop_due(now).map(|(e, _)| e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_clock_and_events() {
        let c = Clock::manual();
        let a = Event { device: 0x100, tag: 0 };
        let b = Event { device: 0x100, tag: 1 };
        c.clone().schedule(b, 50);
        c.schedule(a, 20);
        assert_eq!(c.next_deadline(), Some(20));
        assert_eq!(c.pop_due(c.now()), None);
        c.set(60);
        assert_eq!(c.pop_due(c.now()), Some(a));
        assert_eq!(c.pop_due(c.now()), Some(b));
        assert_eq!(c.next_deadline(), None);
    }

    #[test]
    fn host_clock_moves_forward() {
        let c = Clock::host();
        let t0 = c.now();
        std::thread::sleep(std::time::Duration::from_millis(2));
        assert!(c.now() >= t0 + 2_000_000);
    }
}
