//! GRLIB IRQMP multiprocessor interrupt controller (GRLIB IP Core User's
//! Manual, "IRQMP"), one CPU: the registers are stored; interrupt delivery to
//! the CPU is not wired yet.

use std::any::Any;

use crate::device::Device;

/// Register offsets.
mod reg {
    pub const LEVEL: u64 = 0x00;
    pub const PENDING: u64 = 0x04;
    pub const FORCE: u64 = 0x08;
    pub const CLEAR: u64 = 0x0c;
    pub const MP_STATUS: u64 = 0x10;
    pub const BROADCAST: u64 = 0x14;
    pub const MASK0: u64 = 0x40;
    pub const FORCE0: u64 = 0x80;
    pub const EXT_ACK0: u64 = 0xc0;
}

/// The interrupt controller's registers.
#[derive(Default)]
pub struct IrqMp {
    level: u32,
    pending: u32,
    force: u32,
    mask: u32,
    broadcast: u32,
}

impl IrqMp {
    /// A controller at reset: everything masked and clear.
    pub fn new() -> IrqMp {
        IrqMp::default()
    }
}

impl Device for IrqMp {
    fn name(&self) -> &'static str {
        "irqmp"
    }

    fn read(&mut self, offset: u64, _size: u8) -> u64 {
        u64::from(match offset & 0xfc {
            reg::LEVEL => self.level,
            reg::PENDING => self.pending,
            reg::FORCE | reg::FORCE0 => self.force,
            // One CPU (NCPU-1 = 0 in bits 31:28), not powered down.
            reg::MP_STATUS => 0,
            reg::BROADCAST => self.broadcast,
            reg::MASK0 => self.mask,
            _ => 0,
        })
    }

    fn write(&mut self, offset: u64, _size: u8, value: u64) {
        let v = value as u32;
        match offset & 0xfc {
            reg::LEVEL => self.level = v & 0xfffe,
            reg::PENDING => self.pending = v & 0xfffe,
            reg::FORCE | reg::FORCE0 => self.force = v & 0xfffe,
            reg::CLEAR => self.pending &= !v,
            reg::BROADCAST => self.broadcast = v & 0xfffe,
            reg::MASK0 => self.mask = v & 0xfffe,
            reg::MP_STATUS | reg::EXT_ACK0 => {}
            _ => {}
        }
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}
