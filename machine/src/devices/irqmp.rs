//! GRLIB IRQMP multiprocessor interrupt controller with one processor (GRLIB
//! IP Core User's Manual, "IRQMP": "Operation" and "Registers"), with the
//! register behaviour of QEMU 7.2's `hw/intc/grlib_irqmp.c`.
//!
//! Inputs 1..=15 are latched into the pending register when a device raises
//! them (an input can also be broadcast, which sets the processor's force bit
//! instead). The request to the processor is the highest-numbered input
//! pending or forced and unmasked among those of priority level 1 (level
//! register bit set), else among those of level 0. When the processor takes
//! the interrupt it acknowledges it, which clears its pending and force bits.
//!
//! As in QEMU: the request is recomputed when an input is raised, on an
//! acknowledge, and on writes to the mask, force and clear registers (not on a
//! write to the level register, which takes effect at the next of those), the
//! pending register is read-only, a write to the clear
//! register clears force bits as well as pending ones, the multiprocessor
//! status register reads 0 and ignores writes, extended interrupts are not
//! implemented (their acknowledge registers only store 4 bits), and the
//! mask, force and extended registers of all 16 processors read back what was
//! written although only processor 0 exists.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use crate::device::Device;
use crate::irq::{CpuKick, InterruptController};

/// Register offsets.
mod reg {
    pub const LEVEL: u64 = 0x00;
    pub const PENDING: u64 = 0x04;
    pub const FORCE: u64 = 0x08;
    pub const CLEAR: u64 = 0x0c;
    pub const MP_STATUS: u64 = 0x10;
    pub const BROADCAST: u64 = 0x14;
    /// Processor n's mask at `MASK + 4n`.
    pub const MASK: u64 = 0x40;
    /// Processor n's force at `CPU_FORCE + 4n`.
    pub const CPU_FORCE: u64 = 0x80;
    /// Processor n's extended interrupt acknowledge at `EXT_ACK + 4n`.
    pub const EXT_ACK: u64 = 0xc0;
}

/// Processor register slots (QEMU's `IRQMP_MAX_CPU`).
const CPUS: usize = 16;

/// Interrupts 1..=15 (bit 0 does not exist).
const IRQS: u32 = 0xfffe;

#[derive(Default)]
struct Regs {
    level: u32,
    pending: u32,
    broadcast: u32,
    mask: [u32; CPUS],
    force: [u32; CPUS],
    extended: [u32; CPUS],
}

impl Regs {
    /// The level requested of processor 0: the highest interrupt number
    /// among the unmasked pending or forced ones of level 1, else of level 0.
    fn request(&self) -> u32 {
        let pend = (self.pending | self.force[0]) & self.mask[0] & IRQS;
        let level1 = pend & self.level;
        let chosen = if level1 != 0 { level1 } else { pend };
        match chosen {
            0 => 0,
            c => 31 - c.leading_zeros(),
        }
    }
}

struct Shared {
    regs: RefCell<Regs>,
    /// The request to the processor, kept current by [`Shared::update`].
    output: Cell<u32>,
    kick: CpuKick,
}

impl Shared {
    /// Recompute the processor's request; a new non-zero request kicks the
    /// processor so that it looks at it at the next block boundary.
    fn update(&self) {
        let new = self.regs.borrow().request();
        let old = self.output.replace(new);
        if new != 0 && new != old {
            self.kick.kick();
        }
    }

    fn acknowledge(&self, irqs: u32) {
        {
            let mut r = self.regs.borrow_mut();
            r.pending &= !irqs;
            r.force[0] &= !irqs;
        }
        self.update();
    }
}

/// The controller's MMIO registers (the bus device).
pub struct IrqMp {
    shared: Rc<Shared>,
}

/// An input of the controller, held by the device that drives it.
#[derive(Clone)]
pub struct IrqMpInput {
    shared: Rc<Shared>,
    irq: u32,
}

/// The processor's side of the controller.
pub struct IrqMpCpu {
    shared: Rc<Shared>,
}

impl IrqMp {
    /// A controller at reset (everything masked and clear) that kicks the
    /// processor with `kick`.
    pub fn new(kick: CpuKick) -> IrqMp {
        IrqMp { shared: Rc::new(Shared { regs: RefCell::default(), output: Cell::new(0), kick }) }
    }

    /// The handle of input `irq` (1..=15).
    ///
    /// # Panics
    ///
    /// If `irq` is not 1..=15: board wiring is Chimera's code.
    pub fn input(&self, irq: u32) -> IrqMpInput {
        assert!((1..16).contains(&irq), "IRQMP input {irq} does not exist (1..=15)");
        IrqMpInput { shared: Rc::clone(&self.shared), irq }
    }

    /// The processor's side.
    pub fn cpu(&self) -> IrqMpCpu {
        IrqMpCpu { shared: Rc::clone(&self.shared) }
    }
}

impl IrqMpInput {
    /// The device raises the input: the interrupt becomes pending (or forced
    /// on every processor if it is broadcast). Lowering it does nothing, so a
    /// pulse is a raise.
    pub fn raise(&self) {
        {
            let mut r = self.shared.regs.borrow_mut();
            let bit = 1 << self.irq;
            if r.broadcast & bit != 0 {
                for f in &mut r.force {
                    *f |= bit;
                }
            } else {
                r.pending |= bit;
            }
        }
        self.shared.update();
    }
}

impl InterruptController for IrqMpCpu {
    fn level(&self) -> u32 {
        self.shared.output.get()
    }

    fn acknowledge(&self, level: u32) {
        self.shared.acknowledge(1 << (level & 15));
    }
}

impl Device for IrqMp {
    fn name(&self) -> &'static str {
        "irqmp"
    }

    fn read(&mut self, offset: u64, _size: u8) -> u64 {
        let r = self.shared.regs.borrow();
        let off = offset & 0xfc;
        let cpu = ((off & 0x3f) / 4) as usize;
        u64::from(match off {
            reg::LEVEL => r.level,
            reg::PENDING => r.pending,
            reg::FORCE => r.force[0],
            reg::BROADCAST => r.broadcast,
            // CLEAR reads 0; MP status reads 0 in QEMU 7.2 (no SMP support).
            reg::CLEAR | reg::MP_STATUS => 0,
            reg::MASK..=0x7c => r.mask[cpu],
            reg::CPU_FORCE..=0xbc => r.force[cpu],
            reg::EXT_ACK..=0xfc => r.extended[cpu],
            _ => 0,
        })
    }

    fn write(&mut self, offset: u64, _size: u8, value: u64) {
        let v = value as u32;
        let off = offset & 0xfc;
        let cpu = ((off & 0x3f) / 4) as usize;
        match off {
            reg::CLEAR => return self.shared.acknowledge(v & !1),
            reg::LEVEL => {
                // QEMU keeps bits 16:1.
                self.shared.regs.borrow_mut().level = v & 0x1_fffe;
                return;
            }
            reg::BROADCAST => {
                self.shared.regs.borrow_mut().broadcast = v & IRQS;
                return;
            }
            reg::EXT_ACK..=0xfc => {
                self.shared.regs.borrow_mut().extended[cpu] = v & 0xf;
                return;
            }
            reg::FORCE => self.shared.regs.borrow_mut().force[0] = v & IRQS,
            // Bits 31:16 (extended interrupts) are kept, as QEMU does.
            reg::MASK..=0x7c => self.shared.regs.borrow_mut().mask[cpu] = v & !1,
            reg::CPU_FORCE..=0xbc => {
                // Bits 15:1 force, bits 31:17 clear a force bit.
                let mut r = self.shared.regs.borrow_mut();
                r.force[cpu] = (r.force[cpu] | v & IRQS) & !(v >> 16 & IRQS);
            }
            // The pending register is read-only; MP status writes would start
            // other processors, of which there are none.
            _ => return,
        }
        self.shared.update();
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn irqmp() -> (IrqMp, IrqMpCpu) {
        let c = IrqMp::new(CpuKick::new());
        let cpu = c.cpu();
        (c, cpu)
    }

    #[test]
    fn masked_inputs_stay_pending() {
        let (mut c, cpu) = irqmp();
        c.input(7).raise();
        assert_eq!(c.read(reg::PENDING, 4), 1 << 7);
        assert_eq!(cpu.level(), 0);
        c.write(reg::MASK, 4, 1 << 7);
        assert_eq!(cpu.level(), 7);
        cpu.acknowledge(7);
        assert_eq!(c.read(reg::PENDING, 4), 0);
        assert_eq!(cpu.level(), 0);
    }

    #[test]
    fn level_one_first_then_highest_number() {
        let (mut c, cpu) = irqmp();
        c.write(reg::MASK, 4, 0xfffe);
        c.input(12).raise();
        assert_eq!(cpu.level(), 12);
        // As in QEMU, a level change is seen at the next evaluation.
        c.write(reg::LEVEL, 4, 1 << 3);
        assert_eq!(cpu.level(), 12);
        c.input(5).raise();
        c.input(3).raise();
        assert_eq!(cpu.level(), 3);
        let mut taken = vec![];
        while cpu.level() != 0 {
            taken.push(cpu.level());
            cpu.acknowledge(cpu.level());
        }
        assert_eq!(taken, [3, 12, 5]);
    }

    #[test]
    fn force_and_clear() {
        let (mut c, cpu) = irqmp();
        c.write(reg::MASK, 4, 0xffff_ffff);
        assert_eq!(c.read(reg::MASK, 4), 0xffff_fffe);
        c.write(reg::FORCE, 4, 0xffff_0201);
        assert_eq!(c.read(reg::FORCE, 4), 0x0200);
        assert_eq!(c.read(reg::CPU_FORCE, 4), 0x0200);
        assert_eq!(cpu.level(), 9);
        // Processor force register: set 4, clear 9.
        c.write(reg::CPU_FORCE, 4, 1 << (16 + 9) | 1 << 4);
        assert_eq!(c.read(reg::FORCE, 4), 1 << 4);
        assert_eq!(cpu.level(), 4);
        // Acknowledge clears force bits too.
        cpu.acknowledge(4);
        assert_eq!((c.read(reg::FORCE, 4), cpu.level()), (0, 0));
        // So does the clear register, next to pending bits.
        c.input(2).raise();
        c.write(reg::FORCE, 4, 1 << 6);
        c.write(reg::CLEAR, 4, 1 << 2 | 1 << 6);
        assert_eq!((c.read(reg::PENDING, 4), c.read(reg::FORCE, 4), cpu.level()), (0, 0, 0));
    }

    #[test]
    fn read_only_and_quirky_registers() {
        let (mut c, _) = irqmp();
        c.write(reg::PENDING, 4, 0xffff);
        c.write(reg::MP_STATUS, 4, 0xffff_ffff);
        c.write(reg::LEVEL, 4, 0xffff_ffff);
        c.write(reg::EXT_ACK, 4, 0xff);
        c.write(reg::MASK + 4, 4, 0x30);
        assert_eq!(c.read(reg::PENDING, 4), 0);
        assert_eq!(c.read(reg::MP_STATUS, 4), 0);
        assert_eq!(c.read(reg::CLEAR, 4), 0);
        assert_eq!(c.read(reg::LEVEL, 4), 0x1_fffe);
        assert_eq!(c.read(reg::EXT_ACK, 4), 0xf);
        assert_eq!(c.read(reg::MASK + 4, 4), 0x30);
    }

    #[test]
    fn broadcast_inputs_force() {
        let (mut c, cpu) = irqmp();
        c.write(reg::BROADCAST, 4, 1 << 6);
        c.write(reg::MASK, 4, 1 << 6);
        c.input(6).raise();
        assert_eq!((c.read(reg::PENDING, 4), c.read(reg::FORCE, 4)), (0, 1 << 6));
        assert_eq!(cpu.level(), 6);
    }
}
