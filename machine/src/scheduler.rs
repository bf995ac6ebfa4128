//! The machine's event scheduler, after mGBA's `mTiming`.
//!
//! Every timed thing in a machine (timer expiry, a device's deferred work)
//! is an event of one machine-wide type `E`, due at an absolute tick of the
//! machine clock. The execution loop runs guest code until
//! [`Scheduler::next_deadline`], then takes each due event with
//! [`Scheduler::pop_due`] and handles it.

/// One scheduled event.
#[derive(Clone, Copy, Debug)]
struct Entry<E> {
    event: E,
    at: u64,
}

/// Pending events ordered by due tick.
///
/// An event is scheduled at most once: scheduling it again moves it. Events
/// due on the same tick come out in the order they were scheduled.
#[derive(Clone, Debug)]
pub struct Scheduler<E: Copy + Eq> {
    /// Sorted by descending `at`, and among equal `at` by descending
    /// scheduling order, so the next event to run is the last element.
    entries: Vec<Entry<E>>,
}

impl<E: Copy + Eq> Default for Scheduler<E> {
    fn default() -> Self {
        Scheduler {
            entries: Vec::new(),
        }
    }
}

impl<E: Copy + Eq> Scheduler<E> {
    /// A scheduler with nothing pending.
    pub fn new() -> Scheduler<E> {
        Scheduler::default()
    }

    /// Schedules `event` at tick `at_tick`, replacing an earlier scheduling
    /// of the same event.
    pub fn schedule(&mut self, event: E, at_tick: u64) {
        self.cancel(event);
        // Before (nearer the front than) every entry due at the same tick,
        // so that the ones scheduled earlier are popped first.
        let index = self.entries.partition_point(|e| e.at > at_tick);
        self.entries.insert(index, Entry { event, at: at_tick });
    }

    /// Removes `event` if it is pending.
    pub fn cancel(&mut self, event: E) {
        self.entries.retain(|e| e.event != event);
    }

    /// The tick `event` is due at, if it is pending.
    pub fn deadline_of(&self, event: E) -> Option<u64> {
        self.entries.iter().find(|e| e.event == event).map(|e| e.at)
    }

    /// The tick of the earliest pending event.
    pub fn next_deadline(&self) -> Option<u64> {
        self.entries.last().map(|e| e.at)
    }

    /// Removes and returns the earliest event due at or before `now`, with
    /// the tick it was due at.
    pub fn pop_due(&mut self, now: u64) -> Option<(E, u64)> {
        let next = self.entries.last()?;
        if next.at > now {
            return None;
        }
        self.entries.pop().map(|e| (e.event, e.at))
    }

    /// Number of pending events.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether nothing is pending.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    enum Ev {
        Timer,
        Uart,
        Rtc,
    }

    #[test]
    fn earliest_first() {
        let mut s = Scheduler::new();
        s.schedule(Ev::Rtc, 300);
        s.schedule(Ev::Timer, 100);
        s.schedule(Ev::Uart, 200);
        assert_eq!(s.next_deadline(), Some(100));
        assert_eq!(s.pop_due(99), None);
        assert_eq!(s.pop_due(250), Some((Ev::Timer, 100)));
        assert_eq!(s.pop_due(250), Some((Ev::Uart, 200)));
        assert_eq!(s.pop_due(250), None);
        assert_eq!(s.next_deadline(), Some(300));
        assert_eq!(s.pop_due(u64::MAX), Some((Ev::Rtc, 300)));
        assert!(s.is_empty());
        assert_eq!(s.next_deadline(), None);
    }

    #[test]
    fn ties_in_scheduling_order() {
        let mut s = Scheduler::new();
        s.schedule(Ev::Uart, 50);
        s.schedule(Ev::Rtc, 50);
        s.schedule(Ev::Timer, 50);
        let order: Vec<_> = std::iter::from_fn(|| s.pop_due(50)).collect();
        assert_eq!(order, vec![(Ev::Uart, 50), (Ev::Rtc, 50), (Ev::Timer, 50)]);
    }

    #[test]
    fn rescheduling_replaces() {
        let mut s = Scheduler::new();
        s.schedule(Ev::Timer, 10);
        s.schedule(Ev::Uart, 20);
        s.schedule(Ev::Timer, 30);
        assert_eq!(s.len(), 2);
        assert_eq!(s.deadline_of(Ev::Timer), Some(30));
        // Rescheduled at an equal tick, it now comes after the one already there.
        s.schedule(Ev::Timer, 20);
        s.schedule(Ev::Uart, 20);
        assert_eq!(s.pop_due(100), Some((Ev::Timer, 20)));
        assert_eq!(s.pop_due(100), Some((Ev::Uart, 20)));
    }

    #[test]
    fn cancel() {
        let mut s = Scheduler::new();
        s.schedule(Ev::Timer, 10);
        s.schedule(Ev::Uart, 20);
        s.cancel(Ev::Timer);
        s.cancel(Ev::Rtc);
        assert_eq!(s.deadline_of(Ev::Timer), None);
        assert_eq!(s.next_deadline(), Some(20));
        assert_eq!(s.pop_due(100), Some((Ev::Uart, 20)));
        assert_eq!(s.pop_due(100), None);
    }
}
