//! GRLIB GPTIMER general-purpose timer unit (GRLIB IP Core User's Manual,
//! "GPTIMER"): a prescaler and two timers whose registers are stored; the
//! counters do not run yet.

use std::any::Any;

use crate::device::Device;

/// Register offsets.
mod reg {
    pub const SCALER: u64 = 0x00;
    pub const SCALER_RELOAD: u64 = 0x04;
    pub const CONFIG: u64 = 0x08;
    pub const TIMER0: u64 = 0x10;
}

/// Timers in the unit (QEMU leon3_generic: 2).
pub const TIMERS: usize = 2;

#[derive(Clone, Copy, Default)]
struct Timer {
    counter: u32,
    reload: u32,
    control: u32,
}

/// The timer unit's registers.
pub struct GpTimer {
    irq: u32,
    scaler: u32,
    scaler_reload: u32,
    timers: [Timer; TIMERS],
}

impl GpTimer {
    /// A unit whose first timer interrupts on line `irq` (the next on `irq`+1).
    pub fn new(irq: u32) -> GpTimer {
        GpTimer { irq, scaler: 0, scaler_reload: 0, timers: [Timer::default(); TIMERS] }
    }
}

impl Device for GpTimer {
    fn name(&self) -> &'static str {
        "gptimer"
    }

    fn read(&mut self, offset: u64, _size: u8) -> u64 {
        let off = offset & 0xfc;
        u64::from(match off {
            reg::SCALER => self.scaler,
            reg::SCALER_RELOAD => self.scaler_reload,
            // Separate interrupts (bit 8), first irq, number of timers.
            reg::CONFIG => 1 << 8 | self.irq << 3 | TIMERS as u32,
            _ if off >= reg::TIMER0 => match self.timers.get(((off - reg::TIMER0) / 0x10) as usize) {
                Some(t) => match off & 0xc {
                    0x0 => t.counter,
                    0x4 => t.reload,
                    0x8 => t.control,
                    _ => 0,
                },
                None => 0,
            },
            _ => 0,
        })
    }

    fn write(&mut self, offset: u64, _size: u8, value: u64) {
        let off = offset & 0xfc;
        let v = value as u32;
        match off {
            reg::SCALER => self.scaler = v & 0xffff,
            reg::SCALER_RELOAD => self.scaler_reload = v & 0xffff,
            _ if off >= reg::TIMER0 => {
                if let Some(t) = self.timers.get_mut(((off - reg::TIMER0) / 0x10) as usize) {
                    match off & 0xc {
                        0x0 => t.counter = v,
                        0x4 => t.reload = v,
                        0x8 => {
                            // LD (bit 2) loads the counter from the reload value.
                            if v & 4 != 0 {
                                t.counter = t.reload;
                            }
                            t.control = v & !4;
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}
