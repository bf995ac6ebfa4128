//! ARM PrimeCell Real Time Clock (PL031), after the PL031 Technical
//! Reference Manual (ARM DDI 0224), chapter 3 "Programmer's Model", with the
//! register behaviour of QEMU 7.2's `hw/rtc/pl031.c`.
//!
//! The counter counts seconds. It starts at the host's wall-clock time
//! given at construction and advances with the machine's [`Clock`], one
//! count each time the clock passes a whole second; writing `RTCLR` loads
//! it. When the counter reaches the match register the raw interrupt is
//! set, and `RTCINTR` (raw and mask) drives the interrupt line.
//!
//! As in QEMU: the RTC is always running, so `RTCCR` reads 1 and ignores
//! writes; `RTCLR` reads back the last value written; a write of `RTCMR` or
//! `RTCLR` that makes the counter equal to the match register sets the raw
//! interrupt at once. Unlike QEMU, which fires its match timer a whole
//! number of seconds after the write, the match is raised at the clock time
//! the counter takes the match value.

use std::any::Any;
use std::collections::VecDeque;

use crate::clock::{Clock, Event};
use crate::device::Device;
use crate::irq::IrqLine;

/// Register offsets (TRM 3.2, "Summary of RTC registers").
mod reg {
    pub const DR: u64 = 0x00;
    pub const MR: u64 = 0x04;
    pub const LR: u64 = 0x08;
    pub const CR: u64 = 0x0c;
    pub const IMSC: u64 = 0x10;
    pub const RIS: u64 = 0x14;
    pub const MIS: u64 = 0x18;
    pub const ICR: u64 = 0x1c;
    pub const PERIPH_ID0: u64 = 0xfe0;
    /// The last byte of the identification registers.
    pub const ID_END: u64 = 0xfff;
}

/// `RTCPeriphID0-3` then `RTCPCellID0-3` (TRM 3.3.9, 3.3.10).
const ID_BYTES: [u8; 8] = [0x31, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1];

/// The one interrupt bit of `RTCIMSC`, `RTCRIS`, `RTCMIS` and `RTCICR`
/// (TRM 3.3.5 to 3.3.8).
const INT: u32 = 1;

/// `RTCCR.RTCStart` (TRM 3.3.4): the counter is enabled.
const CR_START: u32 = 1;

/// The event tag of the match.
const MATCH: u32 = 0;

const NS_PER_S: u64 = 1_000_000_000;

/// Most unreported guest-error messages kept.
const MAX_GUEST_ERRORS: usize = 16;

/// An ARM PL031 real time clock.
pub struct Pl031 {
    clock: Clock,
    base: u64,
    irq: IrqLine,
    /// The counter is `offset` plus the whole seconds of the clock
    /// (wrapping at 32 bits, as the counter does).
    offset: u32,
    mr: u32,
    lr: u32,
    imsc: u32,
    ris: u32,
    guest_errors: VecDeque<String>,
}

impl Pl031 {
    /// An RTC mapped at bus address `base` (the identity of its clock
    /// events), counting from `wall_clock_secs` (the host's time, in seconds
    /// since the Unix epoch; its low 32 bits) from now on `clock`, and
    /// driving `irq`.
    pub fn new(clock: Clock, base: u64, wall_clock_secs: u64, irq: IrqLine) -> Pl031 {
        let offset = (wall_clock_secs as u32).wrapping_sub(seconds(clock.now()));
        let rtc = Pl031 {
            clock,
            base,
            irq,
            offset,
            mr: 0,
            lr: 0,
            imsc: 0,
            ris: 0,
            guest_errors: VecDeque::new(),
        };
        rtc.update_irq();
        rtc
    }

    /// The next unreported guest programming error (an access to a register
    /// that does not exist or cannot be accessed that way), for
    /// `--log guest_errors`.
    pub fn take_guest_error(&mut self) -> Option<String> {
        self.guest_errors.pop_front()
    }

    fn guest_error(&mut self, message: String) {
        if self.guest_errors.len() < MAX_GUEST_ERRORS {
            self.guest_errors.push_back(message);
        }
    }

    fn match_event(&self) -> Event {
        Event {
            device: self.base,
            tag: MATCH,
        }
    }

    /// The counter (`RTCDR`, TRM 3.3.1) at clock time `now`.
    fn count(&self, now: u64) -> u32 {
        self.offset.wrapping_add(seconds(now))
    }

    /// `RTCINTR`: the raw interrupt when unmasked.
    fn update_irq(&self) {
        self.irq.set_level(self.ris & self.imsc != 0);
    }

    fn raise_match(&mut self) {
        self.ris |= INT;
        self.update_irq();
    }

    /// Schedule the match for when the counter next equals the match
    /// register (TRM chapter 2, "Functional Overview": the interrupt is
    /// raised when the counter equals the match register), or raise it now
    /// if it already does.
    fn set_alarm(&mut self) {
        let now = self.clock.now();
        // The counter wraps, and so does this difference.
        let counts = self.mr.wrapping_sub(self.count(now));
        if counts == 0 {
            self.clock.cancel(self.match_event());
            self.raise_match();
        } else {
            let at = (now / NS_PER_S + u64::from(counts)) * NS_PER_S;
            self.clock.schedule(self.match_event(), at);
        }
    }
}

/// Whole seconds in `ns`, as the 32-bit counter sees them.
fn seconds(ns: u64) -> u32 {
    (ns / NS_PER_S) as u32
}

impl Device for Pl031 {
    fn name(&self) -> &'static str {
        "pl031"
    }

    fn read(&mut self, offset: u64, size: u8) -> u64 {
        let value = match offset {
            reg::DR => self.count(self.clock.now()),
            reg::MR => self.mr,
            reg::LR => self.lr,
            reg::CR => CR_START,
            reg::IMSC => self.imsc,
            reg::RIS => self.ris,
            reg::MIS => self.ris & self.imsc,
            // Any byte of an identification register reads the whole
            // register, as in QEMU.
            reg::PERIPH_ID0..=reg::ID_END => {
                u32::from(ID_BYTES[((offset - reg::PERIPH_ID0) / 4) as usize])
            }
            reg::ICR => {
                self.guest_error(format!(
                    "pl031: read of write-only register {offset:#x} (size {size})"
                ));
                0
            }
            _ => {
                self.guest_error(format!(
                    "pl031: read of unknown register {offset:#x} (size {size})"
                ));
                0
            }
        };
        u64::from(value)
    }

    fn write(&mut self, offset: u64, size: u8, value: u64) {
        let value = value as u32;
        match offset {
            // TRM 3.3.3: the counter takes the value written; its phase
            // within the second stays that of the clock.
            reg::LR => {
                self.lr = value;
                let now = self.clock.now();
                self.offset = self.offset.wrapping_add(value.wrapping_sub(self.count(now)));
                self.set_alarm();
            }
            reg::MR => {
                self.mr = value;
                self.set_alarm();
            }
            reg::CR => {}
            reg::IMSC => {
                self.imsc = value & INT;
                self.update_irq();
            }
            reg::ICR => {
                self.ris &= !value;
                self.update_irq();
            }
            _ => self.guest_error(format!(
                "pl031: write of {value:#x} to unknown or read-only register {offset:#x} (size {size})"
            )),
        }
    }

    /// The counter has reached the match register.
    fn event(&mut self, _tag: u32) {
        self.raise_match();
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: u64 = 0x0901_0000;
    /// 2023-01-01T00:00:00Z.
    const WALL: u64 = 1_672_531_200;

    fn rtc() -> (Pl031, Clock, IrqLine) {
        let clock = Clock::manual();
        let irq = IrqLine::disconnected();
        (
            Pl031::new(clock.clone(), BASE, WALL, irq.clone()),
            clock,
            irq,
        )
    }

    /// Run the due events as the machine does.
    fn advance(rtc: &mut Pl031, clock: &Clock, ns: u64) {
        clock.set(ns);
        while let Some(e) = clock.pop_due(ns) {
            assert_eq!(
                e,
                Event {
                    device: BASE,
                    tag: MATCH
                }
            );
            Device::event(rtc, e.tag);
        }
    }

    #[test]
    fn reset_values_and_ids() {
        let (mut r, clock, irq) = rtc();
        assert_eq!(r.read(reg::DR, 4), WALL);
        assert_eq!(r.read(reg::MR, 4), 0);
        assert_eq!(r.read(reg::LR, 4), 0);
        assert_eq!(r.read(reg::CR, 4), 1);
        assert_eq!(r.read(reg::IMSC, 4), 0);
        assert_eq!(r.read(reg::RIS, 4), 0);
        assert_eq!(r.read(reg::MIS, 4), 0);
        assert!(!irq.level());
        assert_eq!(clock.next_deadline(), None);
        let ids: Vec<u64> = (0..8).map(|i| r.read(0xfe0 + 4 * i, 4)).collect();
        assert_eq!(ids, [0x31, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1]);
        assert_eq!(r.take_guest_error(), None);
    }

    #[test]
    fn counts_seconds_of_the_machine_clock() {
        let clock = Clock::manual();
        clock.set(7_300_000_000);
        // Built when the machine had run 7.3 s: reads the wall clock now,
        // and counts when the clock passes whole seconds.
        let mut r = Pl031::new(clock.clone(), BASE, WALL, IrqLine::disconnected());
        assert_eq!(r.read(reg::DR, 4), WALL);
        clock.set(7_999_999_999);
        assert_eq!(r.read(reg::DR, 4), WALL);
        clock.set(8_000_000_000);
        assert_eq!(r.read(reg::DR, 4), WALL + 1);
        clock.set(20_500_000_000);
        assert_eq!(r.read(reg::DR, 4), WALL + 13);
    }

    #[test]
    fn load_register_sets_the_counter() {
        let (mut r, clock, _) = rtc();
        clock.set(2_600_000_000);
        r.write(reg::LR, 4, 1000);
        assert_eq!(r.read(reg::LR, 4), 1000);
        assert_eq!(r.read(reg::DR, 4), 1000);
        clock.set(3_000_000_000);
        assert_eq!(r.read(reg::DR, 4), 1001);
        // The counter wraps at 32 bits.
        r.write(reg::LR, 4, 0xffff_ffff);
        clock.set(4_000_000_000);
        assert_eq!(r.read(reg::DR, 4), 0);
        // Writes to the data register are not loads.
        r.write(reg::DR, 4, 5);
        assert_eq!(r.read(reg::DR, 4), 0);
        assert!(r
            .take_guest_error()
            .unwrap()
            .contains("read-only register 0x0"));
    }

    #[test]
    fn match_raises_the_interrupt_when_the_counter_gets_there() {
        let (mut r, clock, irq) = rtc();
        r.write(reg::IMSC, 4, 0xffff_ffff);
        assert_eq!(r.read(reg::IMSC, 4), 1);
        clock.set(500_000_000);
        r.write(reg::MR, 4, WALL + 3);
        assert_eq!(r.read(reg::MR, 4), WALL + 3);
        assert_eq!(
            clock.deadline_of(Event {
                device: BASE,
                tag: MATCH
            }),
            Some(3_000_000_000)
        );
        advance(&mut r, &clock, 2_999_999_999);
        assert_eq!((r.read(reg::RIS, 4), irq.level()), (0, false));
        advance(&mut r, &clock, 3_000_000_000);
        assert_eq!(r.read(reg::DR, 4), WALL + 3);
        assert_eq!(r.read(reg::RIS, 4), 1);
        assert_eq!(r.read(reg::MIS, 4), 1);
        assert!(irq.level());
        // Only the clear register clears it.
        advance(&mut r, &clock, 9_000_000_000);
        assert!(irq.level());
        r.write(reg::ICR, 4, 1);
        assert_eq!((r.read(reg::RIS, 4), irq.level()), (0, false));
        assert_eq!(clock.next_deadline(), None);
    }

    #[test]
    fn match_equal_to_the_counter_raises_at_once() {
        let (mut r, clock, irq) = rtc();
        r.write(reg::MR, 4, WALL + 100);
        assert!(clock.next_deadline().is_some());
        r.write(reg::MR, 4, WALL);
        assert_eq!(
            clock.next_deadline(),
            None,
            "the earlier match is cancelled"
        );
        assert_eq!(r.read(reg::RIS, 4), 1);
        // Masked: the line stays low until unmasked.
        assert!(!irq.level());
        assert_eq!(r.read(reg::MIS, 4), 0);
        r.write(reg::IMSC, 4, 1);
        assert!(irq.level());
        r.write(reg::IMSC, 4, 0);
        assert!(!irq.level());
        // Loading the counter with the match value raises it too.
        r.write(reg::ICR, 4, 1);
        r.write(reg::MR, 4, 77);
        r.write(reg::LR, 4, 77);
        assert_eq!(r.read(reg::RIS, 4), 1);
    }

    #[test]
    fn match_across_the_wrap() {
        let (mut r, clock, _) = rtc();
        r.write(reg::LR, 4, 0xffff_fffe);
        r.write(reg::MR, 4, 1);
        assert_eq!(clock.next_deadline(), Some(3_000_000_000));
        advance(&mut r, &clock, 3_000_000_000);
        assert_eq!((r.read(reg::DR, 4), r.read(reg::RIS, 4)), (1, 1));
    }

    #[test]
    fn control_register_ignores_writes() {
        let (mut r, _, _) = rtc();
        r.write(reg::CR, 4, 0);
        assert_eq!(r.read(reg::CR, 4), 1);
        assert_eq!(r.take_guest_error(), None);
    }

    #[test]
    fn unknown_and_write_only_registers_are_reported() {
        let (mut r, _, _) = rtc();
        assert_eq!(r.read(reg::ICR, 4), 0);
        assert_eq!(r.read(0x20, 4), 0);
        assert_eq!(r.read(0xfe5, 1), 0x10);
        assert_eq!(r.read(0x1000, 4), 0);
        r.write(reg::RIS, 4, 1);
        r.write(reg::MIS, 4, 1);
        r.write(0x800, 4, 1);
        assert_eq!(
            r.take_guest_error().unwrap(),
            "pl031: read of write-only register 0x1c (size 4)"
        );
        assert_eq!(
            r.take_guest_error().unwrap(),
            "pl031: read of unknown register 0x20 (size 4)"
        );
        assert!(r.take_guest_error().unwrap().contains("0x1000"));
        assert!(r
            .take_guest_error()
            .unwrap()
            .contains("read-only register 0x14"));
        assert!(r
            .take_guest_error()
            .unwrap()
            .contains("read-only register 0x18"));
        assert!(r.take_guest_error().unwrap().contains("register 0x800"));
        assert_eq!(r.take_guest_error(), None);
        for _ in 0..100 {
            r.read(0x100, 4);
        }
        assert_eq!(
            std::iter::from_fn(|| r.take_guest_error()).count(),
            MAX_GUEST_ERRORS
        );
    }

    #[test]
    fn found_by_type_on_a_bus() {
        let (r, _, _) = rtc();
        let mut bus = crate::bus::MmioBus::new();
        bus.add(BASE, 0x1000, Box::new(r)).unwrap();
        assert!(bus.device_mut::<Pl031>("pl031").is_some());
        assert_eq!(bus.read(BASE, 4), Some(WALL));
    }
}
