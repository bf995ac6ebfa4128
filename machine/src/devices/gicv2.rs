//! ARM Generic Interrupt Controller, architecture version 2 (ARM IHI 0048B,
//! "ARM Generic Interrupt Controller Architecture Specification, versions 1.0
//! and 2.0"), as QEMU 7.2's `virt` board has it with TCG: 288 interrupts,
//! one CPU interface, no Security Extensions, no Virtualization Extensions,
//! with the register behaviour of QEMU's `hw/intc/arm_gic.c`.
//!
//! The distributor and the CPU interface are two bus devices sharing one
//! state ([`Gicv2::distributor`], [`Gicv2::cpu_interface`]). Devices drive
//! the SPIs and PPIs through [`IrqLine`]s ([`Gicv2::spi_line`],
//! [`Gicv2::ppi_line`]); the processor reads its IRQ and FIQ lines from
//! [`Gicv2::cpu_outputs`], and is kicked when one of them rises.
//!
//! What is modelled: the distributor registers (control, type,
//! identification, groups, enables, pending, active, priorities, targets,
//! configuration, SGI generation and SGI pending) and the CPU interface
//! registers (control, priority mask, binary points, acknowledge, end of
//! interrupt, running priority, highest pending, active priorities,
//! identification, deactivate); level-sensitive and edge-triggered inputs,
//! the pending/active state machine, priority masking, preemption by group
//! priority, and the stack of active priorities.
//!
//! IMPLEMENTATION DEFINED choices, as QEMU 7.2 makes them: all 8 priority
//! bits are implemented (256 priority levels, 128 preemption levels, a
//! minimum binary point of 0); SGIs are always enabled and edge-triggered;
//! the configuration of PPIs is programmable; interrupt grouping is
//! implemented (a GICv2 has it without the Security Extensions, IHI 0048B
//! 3.4.1); interrupt signal bypass is not (GICC_CTLR bits 8:5 are RAZ/WI).
//!
//! As in QEMU: enabling a level-sensitive interrupt whose input is high
//! latches it pending (so it stays pending if the input then falls before
//! it is acknowledged); a GICD_SGIR target filter of 0b11 (reserved) sends
//! the SGI to every CPU; GICC_AIAR, GICC_AEOIR and GICC_AHPPIR are not
//! implemented (reported, read 0); GICC_EOIR and GICC_DIR ignore an
//! interrupt ID that does not exist, and GICC_EOIR does nothing when no
//! interrupt is active. Unlike QEMU, GICC_HPPIR reports the source CPU of an
//! SGI as GICC_IAR does (IHI 0048B 4.4.7), a GICD_SPENDSGIR write of 0 has
//! no effect, and GICD_ISPENDR and GICD_ICPENDR reach only the writing
//! CPU's copy of a PPI (QEMU 7.2 uses the target byte and every CPU; on a
//! uniprocessor GIC these are the same).
//!
//! The per-CPU (banked) state lives in one `CpuIface` per CPU interface
//! and the distributor keeps per-interrupt state as CPU bitmasks, so more
//! CPU interfaces can follow; [`Gicv2::new`] builds the one of `virt`.

use std::any::Any;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use crate::device::Device;
use crate::irq::{CpuInterruptLines, CpuKick, IrqLine, IrqSink};

/// Shared Peripheral Interrupts (INTIDs 32 and up) of QEMU's `virt` board.
pub const SPIS: u32 = 256;

/// Interrupt IDs the distributor implements: 16 SGIs, 16 PPIs, the SPIs.
pub const IRQS: usize = INTERNAL + SPIS as usize;

/// Size of the distributor's register window (IHI 0048B 4.1.2, Table 4-1).
/// QEMU's `virt` reserves 0x1_0000 bytes at 0x0800_0000 for it, of which the
/// registers take this much; an access to the rest is a bus error.
pub const DIST_SIZE: u64 = 0x1000;

/// Size of the CPU interface's register window (IHI 0048B 4.1.3, Table 4-2:
/// GICC_DIR is at 0x1000). QEMU's `virt` reserves 0x1_0000 bytes at
/// 0x0801_0000 for it.
pub const CPU_SIZE: u64 = 0x2000;

/// The interrupt ID GICC_IAR and GICC_HPPIR give when there is no interrupt
/// to report (IHI 0048B 3.2.5, "Special interrupt numbers").
pub const SPURIOUS: u32 = 1023;

/// The interrupt ID GICC_IAR and GICC_HPPIR give when the highest priority
/// pending interrupt is in Group 1 and GICC_CTLR.AckCtl is 0 (IHI 0048B
/// 3.2.5, 4.4.4).
pub const GROUP1_SPURIOUS: u32 = 1022;

/// SGIs and PPIs: the interrupts banked per CPU interface (IHI 0048B 2.2.1).
const INTERNAL: usize = 32;

/// SGIs: INTIDs 0..16 (IHI 0048B 2.2.1).
const SGIS: usize = 16;

/// Interrupt IDs 1020..1023 are special (IHI 0048B 3.2.5).
const FIRST_SPECIAL: u32 = 1020;

/// The running priority while no interrupt is active: lower than any
/// priority (IHI 0048B 4.4.6, GICC_RPR reads it as 0xff).
const IDLE: u32 = 0x100;

/// Active Priorities registers: one bit per preemption level, 128 levels
/// with the minimum binary point of 0 (IHI 0048B 4.4.12).
const APRS: usize = 4;

/// CPU interfaces a GICv2 can have (IHI 0048B 4.3.2, CPUNumber).
const MAX_CPUS: usize = 8;

/// Most unreported guest-error messages kept per bus device.
const MAX_GUEST_ERRORS: usize = 16;

/// Distributor register offsets (IHI 0048B 4.1.2, Table 4-1).
mod dist {
    pub const CTLR: u64 = 0x000;
    pub const TYPER: u64 = 0x004;
    pub const IIDR: u64 = 0x008;
    pub const IGROUPR: u64 = 0x080;
    pub const ISENABLER: u64 = 0x100;
    pub const ICENABLER: u64 = 0x180;
    pub const ISPENDR: u64 = 0x200;
    pub const ICPENDR: u64 = 0x280;
    pub const ISACTIVER: u64 = 0x300;
    pub const ICACTIVER: u64 = 0x380;
    pub const IPRIORITYR: u64 = 0x400;
    pub const ITARGETSR: u64 = 0x800;
    pub const ICFGR: u64 = 0xc00;
    pub const SGIR: u64 = 0xf00;
    pub const CPENDSGIR: u64 = 0xf10;
    pub const SPENDSGIR: u64 = 0xf20;
    /// Identification registers ICPIDR4..ICCIDR3 (IHI 0048B 4.3.18).
    pub const ID: u64 = 0xfd0;
}

/// CPU interface register offsets (IHI 0048B 4.1.3, Table 4-2).
mod cpu {
    pub const CTLR: u64 = 0x00;
    pub const PMR: u64 = 0x04;
    pub const BPR: u64 = 0x08;
    pub const IAR: u64 = 0x0c;
    pub const EOIR: u64 = 0x10;
    pub const RPR: u64 = 0x14;
    pub const HPPIR: u64 = 0x18;
    pub const ABPR: u64 = 0x1c;
    pub const APR: u64 = 0xd0;
    pub const NSAPR: u64 = 0xe0;
    pub const IIDR: u64 = 0xfc;
    pub const DIR: u64 = 0x1000;
}

/// GICD_CTLR and GICC_CTLR bits (IHI 0048B 4.3.1, 4.4.1).
mod ctlr {
    /// Group 0 interrupts are forwarded (distributor) or signalled (CPU
    /// interface).
    pub const ENABLE_GRP0: u32 = 1 << 0;
    /// Same for Group 1.
    pub const ENABLE_GRP1: u32 = 1 << 1;
    /// GICC_CTLR.AckCtl: a read of GICC_IAR can acknowledge a Group 1
    /// interrupt.
    pub const ACK_CTL: u32 = 1 << 2;
    /// GICC_CTLR.FIQEn: Group 0 interrupts are signalled as FIQ.
    pub const FIQ_EN: u32 = 1 << 3;
    /// GICC_CTLR.CBPR: GICC_BPR controls Group 1 preemption too.
    pub const CBPR: u32 = 1 << 4;
    /// GICC_CTLR.EOImodeS: GICC_EOIR only drops the priority, GICC_DIR
    /// deactivates.
    pub const EOI_MODE: u32 = 1 << 9;
    /// The GICC_CTLR bits a GIC without the Security Extensions and without
    /// interrupt signal bypass holds.
    pub const CPU_WRITABLE: u32 = ENABLE_GRP0 | ENABLE_GRP1 | ACK_CTL | FIQ_EN | CBPR | EOI_MODE;
}

/// GICD_IIDR: implementer ARM (JEP106 0x43b), product, variant and revision
/// 0 (IHI 0048B 4.3.3).
const DIST_IIDR: u32 = 0x0000_043b;

/// GICC_IIDR: architecture version 2 in bits 19:16, implementer ARM
/// (IHI 0048B 4.4.14).
const CPU_IIDR: u32 = 0x0002_043b;

/// ICPIDR4..7, ICPIDR0..3, ICCIDR0..3 at 0xfd0..0xffc, one byte per word
/// (IHI 0048B 4.3.18). ICPIDR2 bits 7:4 give the architecture revision, 2;
/// the rest are IMPLEMENTATION DEFINED, here those of ARM's GIC-400.
const ID_BYTES: [u8; 12] = [
    0x04, 0x00, 0x00, 0x00, 0x90, 0xb4, 0x2b, 0x00, 0x0d, 0xf0, 0x05, 0xb1,
];

/// The distributor's state of one interrupt; each field but `edge` has one
/// bit per CPU interface (for an SPI every CPU's bit moves together, except
/// `pending` and `active`, which are per target).
#[derive(Clone, Copy, Default)]
struct IrqState {
    enabled: u8,
    /// Latched pending state: an edge seen, an ISPENDR write, an SGI sent.
    /// A level-sensitive interrupt is also pending while its input is high.
    pending: u8,
    active: u8,
    /// The input level.
    level: u8,
    /// Group 1 (IHI 0048B 4.3.4).
    group: u8,
    /// Edge-triggered rather than level-sensitive (IHI 0048B 4.3.13).
    edge: bool,
}

/// The banked state of one CPU interface, and the SGI and PPI state the
/// distributor banks for it.
struct CpuIface {
    ctlr: u32,
    /// GICC_PMR: only interrupts of a higher priority (lower value) are
    /// signalled (IHI 0048B 3.3.2).
    pmr: u32,
    /// GICC_BPR, and GICC_ABPR (the Group 1 binary point) (IHI 0048B 3.3.3).
    bpr: u32,
    abpr: u32,
    /// Group priority of the highest priority active interrupt, or
    /// [`IDLE`] (IHI 0048B 4.4.6).
    running: u32,
    /// The highest priority pending interrupt that the priority mask lets
    /// through, or [`SPURIOUS`]; kept by [`GicState::update`].
    best: u32,
    /// GICC_APRn and GICC_NSAPRn: preemption levels of the active Group 0
    /// and Group 1 interrupts (IHI 0048B 4.4.12, 4.4.13).
    apr: [u32; APRS],
    nsapr: [u32; APRS],
    /// Banked priorities of the SGIs and PPIs (IHI 0048B 4.3.11).
    priority: [u8; INTERNAL],
    /// For each SGI, the CPUs it is pending from (IHI 0048B 4.3.16).
    sgi_sources: [u8; SGIS],
    /// The lines to the processor.
    irq: bool,
    fiq: bool,
    kick: CpuKick,
}

impl CpuIface {
    fn new(kick: CpuKick) -> CpuIface {
        CpuIface {
            ctlr: 0,
            pmr: 0,
            bpr: 0,
            abpr: 1,
            running: IDLE,
            best: SPURIOUS,
            apr: [0; APRS],
            nsapr: [0; APRS],
            priority: [0; INTERNAL],
            sgi_sources: [0; SGIS],
            irq: false,
            fiq: false,
            kick,
        }
    }

    /// The running priority the active priorities registers give: that of
    /// the highest preemption level with a bit set.
    fn running_from_aprs(&self) -> u32 {
        for i in 0..APRS {
            let active = self.apr[i] | self.nsapr[i];
            if active != 0 {
                return (i as u32 * 32 + active.trailing_zeros()) << 1;
            }
        }
        IDLE
    }
}

/// The whole controller.
struct GicState {
    /// GICD_CTLR.
    ctlr: u32,
    irqs: Vec<IrqState>,
    /// Priorities of the SPIs (INTID 32 at index 0).
    spi_priority: Vec<u8>,
    /// CPU targets of the SPIs (IHI 0048B 4.3.12).
    spi_targets: Vec<u8>,
    cpus: Vec<CpuIface>,
}

impl GicState {
    /// A GIC at reset with one CPU interface per kick (IHI 0048B 4.3 and
    /// 4.4 give the reset values).
    fn new(kicks: Vec<CpuKick>) -> GicState {
        assert!(
            (1..=MAX_CPUS).contains(&kicks.len()),
            "a GICv2 has 1 to 8 CPU interfaces"
        );
        let uniprocessor = kicks.len() == 1;
        let mut gic = GicState {
            ctlr: 0,
            irqs: vec![IrqState::default(); IRQS],
            spi_priority: vec![0; SPIS as usize],
            // A uniprocessor GIC sends every interrupt to its one CPU.
            spi_targets: vec![u8::from(uniprocessor); SPIS as usize],
            cpus: kicks.into_iter().map(CpuIface::new).collect(),
        };
        let all = gic.all_cpus();
        for sgi in &mut gic.irqs[..SGIS] {
            sgi.enabled = all;
            sgi.edge = true;
        }
        gic
    }

    /// One bit for each CPU interface.
    fn all_cpus(&self) -> u8 {
        ((1u16 << self.cpus.len()) - 1) as u8
    }

    /// The CPUs an access by `cpu` to the state of `irq` applies to: the
    /// banked copy of `cpu` for SGIs and PPIs, every CPU for an SPI.
    fn bank(&self, irq: usize, cpu: usize) -> u8 {
        if irq < INTERNAL {
            1 << cpu
        } else {
            self.all_cpus()
        }
    }

    fn priority(&self, irq: usize, cpu: usize) -> u8 {
        if irq < INTERNAL {
            self.cpus[cpu].priority[irq]
        } else {
            self.spi_priority[irq - INTERNAL]
        }
    }

    fn set_priority(&mut self, irq: usize, cpu: usize, value: u8) {
        if irq < INTERNAL {
            self.cpus[cpu].priority[irq] = value;
        } else {
            self.spi_priority[irq - INTERNAL] = value;
        }
    }

    /// Whether `irq` is in Group 1 for `cpu`.
    fn is_group1(&self, irq: usize, cpu: usize) -> bool {
        self.irqs[irq].group & (1 << cpu) != 0
    }

    /// Whether `irq` is pending for one of the CPUs in `cpus`: latched, or
    /// level-sensitive with its input high (IHI 0048B 3.2.4).
    fn is_pending(&self, irq: usize, cpus: u8) -> bool {
        let s = &self.irqs[irq];
        s.pending & cpus != 0 || !s.edge && s.level & cpus != 0
    }

    /// The group priority of `irq` on `cpu`: its priority without the
    /// subpriority bits the binary point selects (IHI 0048B 3.3.3). Group 1
    /// interrupts use GICC_ABPR unless GICC_CTLR.CBPR is set, and GICC_ABPR
    /// counts one more subpriority bit (IHI 0048B 4.4.8).
    fn group_priority(&self, irq: usize, cpu: usize) -> u32 {
        let c = &self.cpus[cpu];
        let bpr = if c.ctlr & ctlr::CBPR == 0 && self.is_group1(irq, cpu) {
            c.abpr - 1
        } else {
            c.bpr
        };
        u32::from(self.priority(irq, cpu)) & (!0u32 << (bpr + 1))
    }

    /// The highest priority interrupt that can be signalled to `cpu`:
    /// enabled, pending, not active, targeting it; lowest INTID among equal
    /// priorities (IHI 0048B 3.3, "Interrupt prioritization").
    fn highest_pending(&self, cpu: usize) -> Option<(usize, u32)> {
        let me = 1u8 << cpu;
        let mut best: Option<(usize, u32)> = None;
        for (irq, s) in self.irqs.iter().enumerate() {
            let targets_me = irq < INTERNAL || self.spi_targets[irq - INTERNAL] & me != 0;
            if s.enabled & me != 0 && s.active & me == 0 && targets_me && self.is_pending(irq, me) {
                let prio = u32::from(self.priority(irq, cpu));
                if best.is_none_or(|(_, p)| prio < p) {
                    best = Some((irq, prio));
                }
            }
        }
        best
    }

    /// Recompute what every CPU interface signals, and kick a processor
    /// whose IRQ or FIQ line rises.
    fn update(&mut self) {
        let both = ctlr::ENABLE_GRP0 | ctlr::ENABLE_GRP1;
        for cpu in 0..self.cpus.len() {
            let (mut best, mut irq, mut fiq) = (SPURIOUS, false, false);
            let c = &self.cpus[cpu];
            let enabled = self.ctlr & both != 0 && c.ctlr & both != 0;
            if let Some((n, prio)) = self.highest_pending(cpu).filter(|_| enabled) {
                // Priority masking (IHI 0048B 3.3.2): only a priority higher
                // than GICC_PMR reaches the CPU interface at all.
                if prio < c.pmr {
                    best = n as u32;
                    // Preemption (IHI 0048B 3.3.1): signalled only if higher
                    // than the running priority. The running priority is a
                    // group priority, so comparing the full priority with it
                    // compares group priorities (as QEMU does, with the
                    // binary point of the acknowledge).
                    let group1 = self.is_group1(n, cpu);
                    let grp = if group1 {
                        ctlr::ENABLE_GRP1
                    } else {
                        ctlr::ENABLE_GRP0
                    };
                    if prio < c.running && self.ctlr & grp != 0 && c.ctlr & grp != 0 {
                        // GICC_CTLR.FIQEn (IHI 0048B 4.4.1) signals Group 0
                        // as FIQ; Group 1 is always IRQ.
                        if !group1 && c.ctlr & ctlr::FIQ_EN != 0 {
                            fiq = true;
                        } else {
                            irq = true;
                        }
                    }
                }
            }
            let c = &mut self.cpus[cpu];
            let rising = irq && !c.irq || fiq && !c.fiq;
            c.best = best;
            c.irq = irq;
            c.fiq = fiq;
            if rising {
                c.kick.kick();
            }
        }
    }

    /// The interrupt input `n`: SPI `n` (INTID 32 + n) for `n` below
    /// [`SPIS`], then 32 inputs per CPU interface whose last 16 are its PPIs
    /// (INTID 16..32). Gives the INTID, the CPUs whose level it drives and
    /// the CPUs an edge makes it pending on.
    fn input(&self, n: u32) -> Option<(usize, u8, u8)> {
        if n < SPIS {
            let irq = INTERNAL + n as usize;
            return Some((irq, self.all_cpus(), self.spi_targets[n as usize]));
        }
        let n = (n - SPIS) as usize;
        let (cpu, irq) = (n / INTERNAL, n % INTERNAL);
        (cpu < self.cpus.len() && irq >= SGIS).then_some((irq, 1 << cpu, 1 << cpu))
    }

    /// A device drove input `n` to `level` (IHI 0048B 3.2.4: a rising edge
    /// makes an edge-triggered interrupt pending; a level-sensitive one is
    /// pending while the level is high).
    fn set_input(&mut self, n: u32, level: bool) {
        let Some((irq, cpus, targets)) = self.input(n) else {
            return;
        };
        let s = &mut self.irqs[irq];
        if level == (s.level & cpus != 0) {
            return;
        }
        if level {
            s.level |= cpus;
            if s.edge {
                s.pending |= targets;
            }
        } else {
            s.level &= !cpus;
        }
        self.update();
    }

    fn input_level(&self, n: u32) -> bool {
        self.input(n)
            .is_some_and(|(irq, cpus, _)| self.irqs[irq].level & cpus != 0)
    }

    /// What GICC_HPPIR, and GICC_IAR before its checks, report: the highest
    /// priority pending interrupt, or 1022 for a Group 1 one when
    /// GICC_CTLR.AckCtl is 0 (IHI 0048B 4.4.4, 4.4.7).
    fn visible_pending(&self, cpu: usize) -> u32 {
        let c = &self.cpus[cpu];
        if c.best < FIRST_SPECIAL
            && self.is_group1(c.best as usize, cpu)
            && c.ctlr & ctlr::ACK_CTL == 0
        {
            GROUP1_SPURIOUS
        } else {
            c.best
        }
    }

    /// GICC_HPPIR: as GICC_IAR would read, with the source CPU of an SGI in
    /// bits 12:10 (IHI 0048B 4.4.7), without acknowledging.
    fn hppir(&self, cpu: usize) -> u32 {
        let irq = self.visible_pending(cpu);
        if (irq as usize) < SGIS {
            let sources = self.cpus[cpu].sgi_sources[irq as usize];
            irq | (sources.trailing_zeros() & 7) << 10
        } else {
            irq
        }
    }

    /// A read of GICC_IAR: acknowledge the highest priority pending
    /// interrupt if it can preempt, making it active (and still pending if
    /// it is level-sensitive with its input high), and raise the running
    /// priority to its group priority (IHI 0048B 4.4.4, 3.2.4).
    fn acknowledge(&mut self, cpu: usize) -> u32 {
        let irq = self.visible_pending(cpu);
        if irq >= FIRST_SPECIAL {
            return irq;
        }
        let irq = irq as usize;
        if u32::from(self.priority(irq, cpu)) >= self.cpus[cpu].running {
            return SPURIOUS;
        }
        self.activate(irq, cpu);
        let me = 1u8 << cpu;
        let id = if irq < SGIS {
            // One source at a time, lowest CPU first; the SGI stays pending
            // while other CPUs have sent it (IHI 0048B 3.2.4, SGIs).
            let sources = &mut self.cpus[cpu].sgi_sources[irq];
            let source = sources.trailing_zeros() & 7;
            *sources &= !(1 << source);
            if *sources == 0 {
                self.irqs[irq].pending &= !me;
            }
            irq as u32 | source << 10
        } else {
            self.irqs[irq].pending &= !me;
            irq as u32
        };
        self.update();
        id
    }

    /// Make `irq` active on `cpu` and push its preemption level on the
    /// active priorities (IHI 0048B 4.4.12: bit n of GICC_APRn is
    /// preemption level n, the group priority without its bit 0 since the
    /// minimum binary point is 0).
    fn activate(&mut self, irq: usize, cpu: usize) {
        let prio = self.group_priority(irq, cpu);
        let level = prio >> 1;
        let (reg, bit) = ((level / 32) as usize, level % 32);
        let group1 = self.is_group1(irq, cpu);
        let c = &mut self.cpus[cpu];
        if group1 {
            c.nsapr[reg] |= 1 << bit;
        } else {
            c.apr[reg] |= 1 << bit;
        }
        c.running = prio;
        self.irqs[irq].active |= 1 << cpu;
    }

    /// Priority drop: clear the highest active preemption level of the
    /// group (IHI 0048B 3.2.1).
    fn drop_priority(&mut self, cpu: usize, group1: bool) {
        let c = &mut self.cpus[cpu];
        let aprs = if group1 { &mut c.nsapr } else { &mut c.apr };
        if let Some(apr) = aprs.iter_mut().find(|a| **a != 0) {
            *apr &= *apr - 1;
        }
        c.running = c.running_from_aprs();
    }

    fn deactivate(&mut self, irq: usize, cpu: usize) {
        self.irqs[irq].active &= !self.bank(irq, cpu);
    }

    /// A write of GICC_EOIR: priority drop, and deactivation unless
    /// GICC_CTLR.EOImodeS splits it off to GICC_DIR (IHI 0048B 4.4.5, 3.2.1).
    fn end_of_interrupt(&mut self, cpu: usize, value: u32) {
        let irq = (value & 0x3ff) as usize;
        if irq >= IRQS || self.cpus[cpu].running == IDLE {
            // A spurious ID, or nothing to complete: UNPREDICTABLE, ignored.
            return;
        }
        self.drop_priority(cpu, self.is_group1(irq, cpu));
        if self.cpus[cpu].ctlr & ctlr::EOI_MODE == 0 {
            self.deactivate(irq, cpu);
        }
        self.update();
    }

    /// A write of GICC_DIR (IHI 0048B 4.4.15); false if GICC_CTLR.EOImodeS
    /// is 0, which makes the write UNPREDICTABLE (ignored).
    fn deactivate_interrupt(&mut self, cpu: usize, value: u32) -> bool {
        let irq = (value & 0x3ff) as usize;
        if irq >= IRQS {
            return true;
        }
        if self.cpus[cpu].ctlr & ctlr::EOI_MODE == 0 {
            return false;
        }
        self.deactivate(irq, cpu);
        true
    }

    /// A write of GICD_SGIR by `cpu` (IHI 0048B 4.3.15, Table 4-21).
    fn send_sgi(&mut self, cpu: usize, value: u32) {
        let sgi = (value & 0xf) as usize;
        let me = 1u8 << cpu;
        let all = self.all_cpus();
        let targets = match (value >> 24) & 3 {
            0 => (value >> 16) as u8 & all,
            1 => all & !me,
            2 => me,
            // Reserved; every CPU, as QEMU 7.2 does.
            _ => all,
        };
        self.irqs[sgi].pending |= targets;
        for (target, c) in self.cpus.iter_mut().enumerate() {
            if targets & (1 << target) != 0 {
                c.sgi_sources[sgi] |= me;
            }
        }
    }

    /// One byte of the distributor as `cpu` reads it; `None` for a register
    /// that does not exist.
    fn dist_readb(&self, cpu: usize, offset: u64) -> Option<u8> {
        let me = 1u8 << cpu;
        // The INTID of bit 0 of the byte at `offset` of a register array
        // with `per_byte` interrupts in a byte.
        let first = |base: u64, per_byte: u64| -> Option<usize> {
            let irq = ((offset - base) * per_byte) as usize;
            (irq < IRQS).then_some(irq)
        };
        // One bit per interrupt from `bit(irq)`.
        let bits = |base: u64, bit: &dyn Fn(usize) -> bool| -> Option<u8> {
            let irq = first(base, 8)?;
            Some(
                (0..8)
                    .filter(|&i| bit(irq + i))
                    .fold(0, |acc, i| acc | 1 << i),
            )
        };
        let byte = |word: u32| (word >> (8 * (offset & 3))) as u8;
        let cpus = self.cpus.len() as u32;
        match offset {
            // IHI 0048B 4.3.1: EnableGrp0 and EnableGrp1.
            dist::CTLR..=0x003 => Some(byte(self.ctlr)),
            // IHI 0048B 4.3.2: ITLinesNumber, CPUNumber, no SecurityExtn.
            dist::TYPER..=0x007 => Some(byte((IRQS as u32 / 32 - 1) | (cpus - 1) << 5)),
            dist::IIDR..=0x00b => Some(byte(DIST_IIDR)),
            dist::IGROUPR..=0x0ff => bits(dist::IGROUPR, &|irq| self.irqs[irq].group & me != 0),
            dist::ISENABLER..=0x1ff => {
                bits(offset & !0x7f, &|irq| self.irqs[irq].enabled & me != 0)
            }
            dist::ISPENDR..=0x2ff => bits(offset & !0x7f, &|irq| {
                self.is_pending(irq, self.bank(irq, cpu))
            }),
            dist::ISACTIVER..=0x3ff => bits(offset & !0x7f, &|irq| {
                self.irqs[irq].active & self.bank(irq, cpu) != 0
            }),
            dist::IPRIORITYR..=0x7ff => {
                first(dist::IPRIORITYR, 1).map(|irq| self.priority(irq, cpu))
            }
            dist::ITARGETSR..=0xbff => {
                // IHI 0048B 4.3.12: RAZ/WI in a uniprocessor implementation;
                // else the SGI and PPI bytes read as the reading CPU.
                if cpus == 1 {
                    return Some(0);
                }
                let irq = first(dist::ITARGETSR, 1)?;
                Some(if irq < INTERNAL {
                    me
                } else {
                    self.spi_targets[irq - INTERNAL]
                })
            }
            dist::ICFGR..=0xeff => {
                // Int_config bit 1 of each 2-bit field: edge-triggered; bit 0
                // is reserved in GICv2 (IHI 0048B 4.3.13).
                let irq = first(dist::ICFGR, 4)?;
                Some(
                    (0..4)
                        .filter(|&i| self.irqs[irq + i].edge)
                        .fold(0, |acc, i| acc | 2 << (2 * i)),
                )
            }
            // IHI 0048B 4.3.16, 4.3.17: one byte per SGI, a bit per source.
            dist::CPENDSGIR..=0xf2f => Some(self.cpus[cpu].sgi_sources[(offset & 0xf) as usize]),
            dist::ID..=0xfff if offset & 3 == 0 => {
                Some(ID_BYTES[((offset - dist::ID) / 4) as usize])
            }
            dist::ID..=0xfff => Some(0),
            _ => None,
        }
    }

    /// One byte written to the distributor by `cpu`; false for a register
    /// that does not exist or cannot be written.
    fn dist_writeb(&mut self, cpu: usize, offset: u64, value: u8) -> bool {
        let first = |base: u64, per_byte: u64| -> Option<usize> {
            let irq = ((offset - base) * per_byte) as usize;
            (irq < IRQS).then_some(irq)
        };
        // The interrupts of the set bits of `value` in a one-bit-per-
        // interrupt array at `base`, SGIs left out if `sgis` is false.
        let set_bits = |base: u64, sgis: bool| -> Option<Vec<usize>> {
            let irq = first(base, 8)?;
            Some(
                (0..8)
                    .filter(|&i| value & (1 << i) != 0 && (sgis || irq + i >= SGIS))
                    .map(|i| irq + i)
                    .collect(),
            )
        };
        match offset {
            dist::CTLR => self.ctlr = u32::from(value) & (ctlr::ENABLE_GRP0 | ctlr::ENABLE_GRP1),
            0x001..=0x003 => {}
            dist::IGROUPR..=0x0ff => {
                let Some(irq) = first(dist::IGROUPR, 8) else {
                    return false;
                };
                for i in 0..8 {
                    let cpus = self.bank(irq + i, cpu);
                    let s = &mut self.irqs[irq + i];
                    if value & (1 << i) != 0 {
                        s.group |= cpus;
                    } else {
                        s.group &= !cpus;
                    }
                }
            }
            // SGIs cannot be disabled (IHI 0048B 4.3.5: IMPLEMENTATION
            // DEFINED; they are always enabled here).
            dist::ISENABLER..=0x17f => {
                let Some(irqs) = set_bits(dist::ISENABLER, false) else {
                    return false;
                };
                for irq in irqs {
                    let cpus = self.bank(irq, cpu);
                    let targets = if irq < INTERNAL {
                        cpus
                    } else {
                        self.spi_targets[irq - INTERNAL]
                    };
                    let s = &mut self.irqs[irq];
                    s.enabled |= cpus;
                    // As QEMU 7.2: a level-sensitive interrupt enabled with
                    // its input high is latched pending.
                    if !s.edge && s.level & targets != 0 {
                        s.pending |= targets;
                    }
                }
            }
            dist::ICENABLER..=0x1ff => {
                let Some(irqs) = set_bits(dist::ICENABLER, false) else {
                    return false;
                };
                for irq in irqs {
                    self.irqs[irq].enabled &= !self.bank(irq, cpu);
                }
            }
            // SGIs are pended through GICD_SPENDSGIR instead (IHI 0048B
            // 4.3.7, 4.3.8).
            dist::ISPENDR..=0x27f => {
                let Some(irqs) = set_bits(dist::ISPENDR, false) else {
                    return false;
                };
                for irq in irqs {
                    let targets = if irq < INTERNAL {
                        1 << cpu
                    } else {
                        self.spi_targets[irq - INTERNAL]
                    };
                    self.irqs[irq].pending |= targets;
                }
            }
            dist::ICPENDR..=0x2ff => {
                // Clears the latch only: a level-sensitive interrupt whose
                // input is high stays pending (IHI 0048B 4.3.8).
                let Some(irqs) = set_bits(dist::ICPENDR, false) else {
                    return false;
                };
                for irq in irqs {
                    self.irqs[irq].pending &= !self.bank(irq, cpu);
                }
            }
            dist::ISACTIVER..=0x37f => {
                let Some(irqs) = set_bits(dist::ISACTIVER, true) else {
                    return false;
                };
                for irq in irqs {
                    self.irqs[irq].active |= self.bank(irq, cpu);
                }
            }
            dist::ICACTIVER..=0x3ff => {
                let Some(irqs) = set_bits(dist::ICACTIVER, true) else {
                    return false;
                };
                for irq in irqs {
                    self.irqs[irq].active &= !self.bank(irq, cpu);
                }
            }
            // All 8 priority bits are implemented (IHI 0048B 4.3.11, 3.3).
            dist::IPRIORITYR..=0x7ff => {
                let Some(irq) = first(dist::IPRIORITYR, 1) else {
                    return false;
                };
                self.set_priority(irq, cpu, value);
            }
            dist::ITARGETSR..=0xbff => {
                // RAZ/WI on a uniprocessor GIC; the SGI and PPI bytes are
                // read-only (IHI 0048B 4.3.12).
                if self.cpus.len() > 1 {
                    let Some(irq) = first(dist::ITARGETSR, 1) else {
                        return false;
                    };
                    if irq >= INTERNAL {
                        self.spi_targets[irq - INTERNAL] = value & self.all_cpus();
                    }
                }
            }
            dist::ICFGR..=0xeff => {
                let Some(irq) = first(dist::ICFGR, 4) else {
                    return false;
                };
                // SGIs are always edge-triggered (IHI 0048B 4.3.13).
                let value = if irq < SGIS { value | 0xaa } else { value };
                for i in 0..4 {
                    self.irqs[irq + i].edge = value & (2 << (2 * i)) != 0;
                }
            }
            dist::CPENDSGIR..=0xf1f => {
                let sgi = (offset - dist::CPENDSGIR) as usize;
                let sources = &mut self.cpus[cpu].sgi_sources[sgi];
                *sources &= !value;
                if *sources == 0 {
                    self.irqs[sgi].pending &= !(1 << cpu);
                }
            }
            dist::SPENDSGIR..=0xf2f => {
                let sgi = (offset - dist::SPENDSGIR) as usize;
                if value != 0 {
                    self.cpus[cpu].sgi_sources[sgi] |= value;
                    self.irqs[sgi].pending |= 1 << cpu;
                }
            }
            // Read-only (TYPER, IIDR, ID registers), reserved, or GICD_SGIR
            // written with less than a word.
            _ => return false,
        }
        true
    }

    /// A CPU interface register as `cpu` reads it; `None` for a register
    /// that does not exist or cannot be read.
    fn cpu_read(&mut self, cpu: usize, offset: u64) -> Option<u32> {
        let c = &self.cpus[cpu];
        Some(match offset {
            cpu::CTLR => c.ctlr,
            cpu::PMR => c.pmr,
            cpu::BPR => c.bpr,
            cpu::IAR => self.acknowledge(cpu),
            // IHI 0048B 4.4.6: 0xff when idle.
            cpu::RPR => c.running.min(0xff),
            cpu::HPPIR => self.hppir(cpu),
            cpu::ABPR => c.abpr,
            cpu::APR | 0xd4 | 0xd8 | 0xdc => c.apr[((offset - cpu::APR) / 4) as usize],
            cpu::NSAPR | 0xe4 | 0xe8 | 0xec => c.nsapr[((offset - cpu::NSAPR) / 4) as usize],
            cpu::IIDR => CPU_IIDR,
            _ => return None,
        })
    }

    /// A CPU interface register written by `cpu`; false for a register that
    /// does not exist or cannot be written, `Err` for a write the
    /// architecture makes UNPREDICTABLE.
    fn cpu_write(&mut self, cpu: usize, offset: u64, value: u32) -> Result<bool, &'static str> {
        let c = &mut self.cpus[cpu];
        match offset {
            cpu::CTLR => c.ctlr = value & ctlr::CPU_WRITABLE,
            cpu::PMR => c.pmr = value & 0xff,
            // IHI 0048B 4.4.3, 4.4.8: the minimum binary point is 0, the
            // minimum of GICC_ABPR one more.
            cpu::BPR => c.bpr = value & 7,
            cpu::ABPR => c.abpr = (value & 7).max(1),
            cpu::EOIR => {
                self.end_of_interrupt(cpu, value);
                return Ok(true);
            }
            cpu::APR | 0xd4 | 0xd8 | 0xdc => {
                c.apr[((offset - cpu::APR) / 4) as usize] = value;
                c.running = c.running_from_aprs();
            }
            cpu::NSAPR | 0xe4 | 0xe8 | 0xec => {
                c.nsapr[((offset - cpu::NSAPR) / 4) as usize] = value;
                c.running = c.running_from_aprs();
            }
            cpu::DIR => {
                if !self.deactivate_interrupt(cpu, value) {
                    return Err("GICC_DIR written with GICC_CTLR.EOImodeS clear (ignored)");
                }
            }
            _ => return Ok(false),
        }
        self.update();
        Ok(true)
    }
}

/// The state shared by the bus devices and the handles.
struct Shared {
    state: RefCell<GicState>,
}

impl IrqSink for Shared {
    fn set_input(&self, n: u32, level: bool) {
        self.state.borrow_mut().set_input(n, level);
    }

    fn input_level(&self, n: u32) -> bool {
        self.state.borrow().input_level(n)
    }
}

/// A GICv2: the handle a board builds the bus devices, the interrupt lines
/// and the processor's lines from.
pub struct Gicv2 {
    shared: Rc<Shared>,
}

impl Gicv2 {
    /// A GIC at reset with one CPU interface, whose processor is kicked with
    /// `kick` when its IRQ or FIQ line rises.
    pub fn new(kick: CpuKick) -> Gicv2 {
        Gicv2::with_cpus(vec![kick])
    }

    /// A GIC with one CPU interface per kick; the bus devices are the
    /// views of CPU 0.
    fn with_cpus(kicks: Vec<CpuKick>) -> Gicv2 {
        Gicv2 {
            shared: Rc::new(Shared {
                state: RefCell::new(GicState::new(kicks)),
            }),
        }
    }

    /// The distributor, a bus device of [`DIST_SIZE`] bytes (at
    /// 0x0800_0000 on `virt`).
    pub fn distributor(&self) -> Gicv2Distributor {
        Gicv2Distributor {
            shared: Rc::clone(&self.shared),
            cpu: 0,
            guest_errors: VecDeque::new(),
        }
    }

    /// The CPU interface of the processor, a bus device of [`CPU_SIZE`]
    /// bytes (at 0x0801_0000 on `virt`).
    pub fn cpu_interface(&self) -> Gicv2CpuInterface {
        Gicv2CpuInterface {
            shared: Rc::clone(&self.shared),
            cpu: 0,
            guest_errors: VecDeque::new(),
        }
    }

    /// The processor's IRQ and FIQ lines.
    pub fn cpu_outputs(&self) -> Gicv2CpuOutputs {
        Gicv2CpuOutputs {
            shared: Rc::clone(&self.shared),
            cpu: 0,
        }
    }

    /// The line of SPI `n`, interrupt ID 32 + `n`.
    ///
    /// # Panics
    ///
    /// If `n` is [`SPIS`] or more: board wiring is Chimera's code.
    pub fn spi_line(&self, n: u32) -> IrqLine {
        assert!(n < SPIS, "SPI {n} does not exist (0..{SPIS})");
        IrqLine::with_sink(self.shared.clone(), n)
    }

    /// The line of the processor's PPI with interrupt ID `intid` (16..32;
    /// the ARM generic timers' are 26, 27, 29 and 30).
    ///
    /// # Panics
    ///
    /// If `intid` is not 16..32: board wiring is Chimera's code.
    pub fn ppi_line(&self, intid: u32) -> IrqLine {
        assert!(
            (16..32).contains(&intid),
            "INTID {intid} is not a PPI (16..32)"
        );
        IrqLine::with_sink(self.shared.clone(), SPIS + intid)
    }
}

/// The IRQ and FIQ lines from a GIC CPU interface to its processor.
///
/// Without the Security Extensions, Group 0 interrupts are signalled as FIQ
/// when GICC_CTLR.FIQEn is set and as IRQ otherwise; Group 1 interrupts are
/// always IRQ (IHI 0048B 4.4.1, 3.4).
#[derive(Clone)]
pub struct Gicv2CpuOutputs {
    shared: Rc<Shared>,
    cpu: usize,
}

impl CpuInterruptLines for Gicv2CpuOutputs {
    fn irq(&self) -> bool {
        self.shared.state.borrow().cpus[self.cpu].irq
    }

    fn fiq(&self) -> bool {
        self.shared.state.borrow().cpus[self.cpu].fiq
    }
}

/// Keep a guest-error message unless too many are waiting.
fn push_error(errors: &mut VecDeque<String>, message: String) {
    if errors.len() < MAX_GUEST_ERRORS {
        errors.push_back(message);
    }
}

/// The distributor's registers (the bus device).
pub struct Gicv2Distributor {
    shared: Rc<Shared>,
    /// The CPU whose banked registers the accesses see.
    cpu: usize,
    guest_errors: VecDeque<String>,
}

impl Gicv2Distributor {
    /// The next unreported guest programming error (an access to a register
    /// that does not exist or with a bad size), for `--log guest_errors`.
    pub fn take_guest_error(&mut self) -> Option<String> {
        self.guest_errors.pop_front()
    }
}

impl Device for Gicv2Distributor {
    fn name(&self) -> &'static str {
        "gicv2_dist"
    }

    /// The distributor's registers are byte-accessible where the
    /// architecture allows it and word-accessible everywhere (IHI 0048B
    /// 4.1.4); an access of 1, 2 or 4 bytes reads each byte.
    fn read(&mut self, offset: u64, size: u8) -> u64 {
        if !matches!(size, 1 | 2 | 4) {
            push_error(
                &mut self.guest_errors,
                format!("gicv2_dist: read of {offset:#x} with bad size {size}"),
            );
            return 0;
        }
        let state = self.shared.state.borrow();
        let mut value = 0u64;
        let mut bad = false;
        for i in 0..u64::from(size) {
            match state.dist_readb(self.cpu, offset + i) {
                Some(b) => value |= u64::from(b) << (8 * i),
                None => bad = true,
            }
        }
        drop(state);
        if bad {
            push_error(
                &mut self.guest_errors,
                format!("gicv2_dist: read of unknown register {offset:#x} (size {size})"),
            );
        }
        value
    }

    fn write(&mut self, offset: u64, size: u8, value: u64) {
        let mut state = self.shared.state.borrow_mut();
        let ok = match size {
            // GICD_SGIR is word-accessible only (IHI 0048B 4.3.15).
            4 if offset == dist::SGIR => {
                state.send_sgi(self.cpu, value as u32);
                true
            }
            1 | 2 | 4 => {
                let mut ok = true;
                for i in 0..u64::from(size) {
                    ok &= state.dist_writeb(self.cpu, offset + i, (value >> (8 * i)) as u8);
                }
                ok
            }
            _ => false,
        };
        state.update();
        drop(state);
        if !ok {
            push_error(
                &mut self.guest_errors,
                format!("gicv2_dist: write of {value:#x} to unknown or read-only register {offset:#x} (size {size})"),
            );
        }
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// The CPU interface's registers (the bus device).
pub struct Gicv2CpuInterface {
    shared: Rc<Shared>,
    /// The CPU interface the accesses reach.
    cpu: usize,
    guest_errors: VecDeque<String>,
}

impl Gicv2CpuInterface {
    /// The next unreported guest programming error (an access to a register
    /// that does not exist, with a bad size, or UNPREDICTABLE), for
    /// `--log guest_errors`.
    pub fn take_guest_error(&mut self) -> Option<String> {
        self.guest_errors.pop_front()
    }
}

impl Device for Gicv2CpuInterface {
    fn name(&self) -> &'static str {
        "gicv2_cpu"
    }

    /// The registers are words (IHI 0048B 4.1.4); a narrower read gives the
    /// low bytes of the register at `offset`.
    fn read(&mut self, offset: u64, size: u8) -> u64 {
        if !matches!(size, 1 | 2 | 4) {
            push_error(
                &mut self.guest_errors,
                format!("gicv2_cpu: read of {offset:#x} with bad size {size}"),
            );
            return 0;
        }
        let value = self.shared.state.borrow_mut().cpu_read(self.cpu, offset);
        match value {
            Some(v) => u64::from(v) & (u64::MAX >> (64 - 8 * u32::from(size))),
            None => {
                push_error(
                    &mut self.guest_errors,
                    format!("gicv2_cpu: read of unknown register {offset:#x} (size {size})"),
                );
                0
            }
        }
    }

    fn write(&mut self, offset: u64, size: u8, value: u64) {
        let result = if matches!(size, 1 | 2 | 4) {
            let value = value as u32 & (u32::MAX >> (32 - 8 * u32::from(size)));
            self.shared
                .state
                .borrow_mut()
                .cpu_write(self.cpu, offset, value)
        } else {
            Ok(false)
        };
        match result {
            Ok(true) => {}
            Ok(false) => push_error(
                &mut self.guest_errors,
                format!("gicv2_cpu: write of {value:#x} to unknown or read-only register {offset:#x} (size {size})"),
            ),
            Err(why) => push_error(&mut self.guest_errors, format!("gicv2_cpu: {why}")),
        }
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    /// A GIC with its bus devices, its processor's lines and a count of the
    /// kicks it gave.
    struct Rig {
        gic: Gicv2,
        d: Gicv2Distributor,
        c: Gicv2CpuInterface,
        out: Gicv2CpuOutputs,
        kicked: &'static Cell<u32>,
    }

    impl Rig {
        /// Distributor and CPU interface enabled for Group 0, priority mask
        /// open.
        fn enabled() -> Rig {
            let mut r = rig();
            r.d.write(dist::CTLR, 4, 1);
            r.c.write(cpu::CTLR, 4, 1);
            r.c.write(cpu::PMR, 4, 0xff);
            r
        }

        fn enable(&mut self, intid: u64) {
            self.d
                .write(dist::ISENABLER + intid / 32 * 4, 4, 1 << (intid % 32));
        }

        fn pend(&mut self, intid: u64) {
            self.d
                .write(dist::ISPENDR + intid / 32 * 4, 4, 1 << (intid % 32));
        }

        /// Enable `intid` at `priority` and make it pending.
        fn raise(&mut self, intid: u64, priority: u64) {
            self.d.write(dist::IPRIORITYR + intid, 1, priority);
            self.enable(intid);
            self.pend(intid);
        }

        fn set_edge(&mut self, intid: u64) {
            let reg = dist::ICFGR + intid / 16 * 4;
            let cfg = self.d.read(reg, 4);
            self.d.write(reg, 4, cfg | 2 << (2 * (intid % 16)));
        }

        fn is(&mut self, base: u64, intid: u64) -> bool {
            self.d.read(base + intid / 32 * 4, 4) & (1 << (intid % 32)) != 0
        }

        fn iar(&mut self) -> u64 {
            self.c.read(cpu::IAR, 4)
        }

        fn eoi(&mut self, id: u64) {
            self.c.write(cpu::EOIR, 4, id);
        }

        fn rpr(&mut self) -> u64 {
            self.c.read(cpu::RPR, 4)
        }

        /// Whether a kick came since the last call.
        fn take_kick(&self) -> bool {
            self.kicked.replace(0) != 0
        }
    }

    fn rig() -> Rig {
        let kick = CpuKick::new();
        let kicked: &'static Cell<u32> = Box::leak(Box::new(Cell::new(0)));
        kick.attach_flag(kicked);
        let gic = Gicv2::new(kick);
        let (d, c, out) = (gic.distributor(), gic.cpu_interface(), gic.cpu_outputs());
        Rig {
            gic,
            d,
            c,
            out,
            kicked,
        }
    }

    #[test]
    fn reset_values_and_ids() {
        let mut r = rig();
        let d = &mut r.d;
        assert_eq!(d.read(dist::CTLR, 4), 0);
        assert_eq!(
            d.read(dist::TYPER, 4),
            8,
            "288 interrupts, one CPU, no Security Extensions"
        );
        assert_eq!(d.read(dist::IIDR, 4), 0x43b);
        assert_eq!(d.read(dist::IGROUPR, 4), 0);
        assert_eq!(
            d.read(dist::ISENABLER, 4),
            0xffff,
            "SGIs are always enabled"
        );
        assert_eq!(d.read(dist::ICENABLER, 4), 0xffff);
        assert_eq!(d.read(dist::ISENABLER + 4, 4), 0);
        assert_eq!(d.read(dist::ISPENDR, 4), 0);
        assert_eq!(d.read(dist::ISACTIVER + 0x20, 4), 0);
        assert_eq!(d.read(dist::IPRIORITYR, 4), 0);
        assert_eq!(d.read(dist::IPRIORITYR + 284, 4), 0);
        assert_eq!(d.read(dist::ITARGETSR, 4), 0, "RAZ on a uniprocessor GIC");
        assert_eq!(d.read(dist::ITARGETSR + 32, 4), 0);
        assert_eq!(
            d.read(dist::ICFGR, 4),
            0xaaaa_aaaa,
            "SGIs are edge-triggered"
        );
        assert_eq!(d.read(dist::ICFGR + 4, 4), 0, "PPIs reset level-sensitive");
        assert_eq!(d.read(dist::ICFGR + 0x44, 4), 0);
        assert_eq!(d.read(dist::CPENDSGIR, 4), 0);
        assert_eq!(d.read(dist::SPENDSGIR + 12, 4), 0);
        let ids: Vec<u64> = (0..12).map(|i| d.read(dist::ID + 4 * i, 4)).collect();
        assert_eq!(
            ids,
            [0x04, 0, 0, 0, 0x90, 0xb4, 0x2b, 0, 0x0d, 0xf0, 0x05, 0xb1]
        );
        assert_eq!(d.read(0xfe9, 1), 0);
        assert_eq!(d.take_guest_error(), None);

        let c = &mut r.c;
        assert_eq!(c.read(cpu::CTLR, 4), 0);
        assert_eq!(c.read(cpu::PMR, 4), 0);
        assert_eq!(c.read(cpu::BPR, 4), 0);
        assert_eq!(c.read(cpu::ABPR, 4), 1);
        assert_eq!(c.read(cpu::RPR, 4), 0xff);
        assert_eq!(c.read(cpu::HPPIR, 4), 1023);
        assert_eq!(c.read(cpu::IAR, 4), 1023);
        for n in 0..4 {
            assert_eq!(c.read(cpu::APR + 4 * n, 4), 0);
            assert_eq!(c.read(cpu::NSAPR + 4 * n, 4), 0);
        }
        assert_eq!(c.read(cpu::IIDR, 4), 0x0002_043b);
        assert_eq!(c.take_guest_error(), None);
        assert!(!r.out.irq() && !r.out.fiq());
        assert!(!r.take_kick());
    }

    #[test]
    fn spi_line_raises_irq_and_kicks() {
        let mut r = Rig::enabled();
        let line = r.gic.spi_line(1);
        line.set_level(true);
        assert!(line.level());
        // Pending (the level is high) but not enabled.
        assert!(r.is(dist::ISPENDR, 33));
        assert!(!r.out.irq());
        assert!(!r.take_kick());
        r.enable(33);
        assert!(r.out.irq());
        assert!(!r.out.fiq());
        assert!(r.take_kick());
        assert_eq!(r.c.read(cpu::HPPIR, 4), 33);
        // No new kick while the line stays up.
        line.set_level(true);
        r.d.write(dist::IPRIORITYR + 33, 1, 0x10);
        assert!(r.out.irq());
        assert!(!r.take_kick());
        // Masking it lowers the output; unmasking kicks again.
        r.d.write(dist::ICENABLER + 4, 4, 1 << 1);
        assert!(!r.out.irq());
        r.enable(33);
        assert!(r.out.irq());
        assert!(r.take_kick());
    }

    #[test]
    fn acknowledge_then_end_of_interrupt() {
        let mut r = Rig::enabled();
        r.set_edge(33);
        r.d.write(dist::IPRIORITYR + 33, 1, 0x40);
        r.enable(33);
        r.gic.spi_line(1).set_level(true);
        assert!(r.out.irq());
        assert_eq!(r.iar(), 33);
        assert!(!r.out.irq());
        assert!(r.is(dist::ISACTIVER, 33));
        assert!(!r.is(dist::ISPENDR, 33));
        assert_eq!(r.rpr(), 0x40);
        assert_eq!(r.c.read(cpu::HPPIR, 4), 1023);
        r.eoi(33);
        assert!(!r.is(dist::ISACTIVER, 33));
        assert_eq!(r.rpr(), 0xff);
        assert!(!r.out.irq());
        assert_eq!(r.iar(), 1023);
        // An EOI with nothing active, or of the spurious ID, does nothing.
        r.eoi(33);
        r.eoi(1023);
        assert_eq!(r.rpr(), 0xff);
        assert_eq!(r.c.take_guest_error(), None);
    }

    #[test]
    fn spurious_when_nothing_can_be_signalled() {
        let mut r = rig();
        assert_eq!(r.iar(), 1023);
        r.raise(40, 0);
        // Distributor disabled.
        assert_eq!((r.iar(), r.out.irq()), (1023, false));
        r.d.write(dist::CTLR, 4, 1);
        // CPU interface disabled.
        assert_eq!((r.iar(), r.out.irq()), (1023, false));
        r.c.write(cpu::CTLR, 4, 1);
        // Priority mask 0 masks every priority.
        assert_eq!((r.iar(), r.out.irq()), (1023, false));
        r.c.write(cpu::PMR, 4, 0xff);
        assert!(r.out.irq());
        assert_eq!(r.iar(), 40);
        r.eoi(40);
        assert_eq!(r.iar(), 1023);
    }

    #[test]
    fn priority_mask() {
        let mut r = Rig::enabled();
        r.c.write(cpu::PMR, 4, 0x1ff);
        assert_eq!(r.c.read(cpu::PMR, 4), 0xff, "8 priority bits");
        r.raise(40, 0x80);
        r.c.write(cpu::PMR, 4, 0x80);
        assert!(!r.out.irq());
        assert_eq!(r.c.read(cpu::HPPIR, 4), 1023);
        assert_eq!(r.iar(), 1023);
        assert!(r.is(dist::ISPENDR, 40));
        r.c.write(cpu::PMR, 4, 0x81);
        assert!(r.out.irq());
        assert!(r.take_kick());
        assert_eq!(r.iar(), 40);
    }

    #[test]
    fn higher_priority_first_then_lower_intid() {
        let mut r = Rig::enabled();
        r.raise(40, 0x80);
        r.raise(50, 0xc0);
        r.raise(42, 0x40);
        r.raise(41, 0x40);
        r.raise(27, 0x60);
        let mut taken = vec![];
        loop {
            let id = r.iar();
            if id == 1023 {
                break;
            }
            taken.push(id);
            r.eoi(id);
        }
        assert_eq!(taken, [41, 42, 27, 40, 50]);
    }

    #[test]
    fn preemption_and_the_active_priorities() {
        let mut r = Rig::enabled();
        r.raise(40, 0x80);
        assert_eq!(r.iar(), 40);
        assert_eq!(r.rpr(), 0x80);
        // Lower priority: reported as highest pending, not signalled.
        r.raise(41, 0x90);
        assert!(!r.out.irq());
        assert_eq!(r.c.read(cpu::HPPIR, 4), 41);
        assert_eq!(r.iar(), 1023);
        assert!(r.is(dist::ISPENDR, 41));
        // Equal priority does not preempt either.
        r.raise(43, 0x80);
        assert!(!r.out.irq());
        // Higher priority preempts.
        r.take_kick();
        r.raise(42, 0x40);
        assert!(r.out.irq());
        assert!(r.take_kick());
        assert_eq!(r.iar(), 42);
        assert_eq!(r.rpr(), 0x40);
        // Preemption levels 0x40 >> 1 = 32 and 0x80 >> 1 = 64.
        assert_eq!(r.c.read(cpu::APR, 4), 0);
        assert_eq!(r.c.read(cpu::APR + 4, 4), 1);
        assert_eq!(r.c.read(cpu::APR + 8, 4), 1);
        r.eoi(42);
        assert_eq!(r.rpr(), 0x80, "back to the preempted interrupt's priority");
        assert!(!r.out.irq());
        r.eoi(40);
        assert_eq!(r.rpr(), 0xff);
        assert!(r.out.irq());
        assert_eq!(r.iar(), 43);
    }

    #[test]
    fn binary_point_sets_the_group_priority() {
        let mut r = Rig::enabled();
        r.c.write(cpu::BPR, 4, 0xff);
        assert_eq!(r.c.read(cpu::BPR, 4), 7);
        // Group priority in bits 7:4.
        r.c.write(cpu::BPR, 4, 3);
        r.raise(40, 0x85);
        assert_eq!(r.iar(), 40);
        assert_eq!(r.rpr(), 0x80);
        // Same group priority, better subpriority: no preemption.
        r.raise(41, 0x81);
        assert!(!r.out.irq());
        assert_eq!(r.iar(), 1023);
        r.raise(42, 0x7f);
        assert!(r.out.irq());
        assert_eq!(r.iar(), 42);
        assert_eq!(r.rpr(), 0x70);
        r.eoi(42);
        r.eoi(40);
        assert_eq!(r.iar(), 41);
    }

    #[test]
    fn level_input_pends_again_after_eoi() {
        let mut r = Rig::enabled();
        let line = r.gic.spi_line(5);
        r.enable(37);
        line.set_level(true);
        assert!(r.take_kick());
        assert_eq!(r.iar(), 37);
        // Active and pending while the input stays high, but not signalled.
        assert!(r.is(dist::ISACTIVER, 37));
        assert!(r.is(dist::ISPENDR, 37));
        assert!(!r.out.irq());
        r.eoi(37);
        assert!(r.out.irq());
        assert!(r.take_kick());
        assert_eq!(r.iar(), 37);
        line.set_level(false);
        r.eoi(37);
        assert!(!r.out.irq());
        assert_eq!(r.iar(), 1023);
        // Clearing the pending state does not hide a high input.
        line.set_level(true);
        r.d.write(dist::ICPENDR + 4, 4, 1 << 5);
        assert!(r.is(dist::ISPENDR, 37));
        line.set_level(false);
        assert!(!r.is(dist::ISPENDR, 37));
    }

    #[test]
    fn level_input_enabled_while_high_is_latched() {
        let mut r = Rig::enabled();
        let line = r.gic.spi_line(5);
        line.set_level(true);
        r.enable(37);
        line.set_level(false);
        assert!(r.is(dist::ISPENDR, 37));
        assert_eq!(r.iar(), 37);
        r.eoi(37);
        assert_eq!(r.iar(), 1023);
    }

    #[test]
    fn edge_input_pends_once_per_rising_edge() {
        let mut r = Rig::enabled();
        let line = r.gic.spi_line(5);
        r.set_edge(37);
        assert_eq!(r.d.read(dist::ICFGR + 8, 4), 2 << 10);
        r.enable(37);
        line.set_level(true);
        line.set_level(true);
        assert_eq!(r.iar(), 37);
        // Still high, but no new edge.
        assert!(!r.is(dist::ISPENDR, 37));
        r.eoi(37);
        assert_eq!(r.iar(), 1023);
        // Two edges before the acknowledge: one interrupt.
        line.set_level(false);
        line.set_level(true);
        line.set_level(false);
        line.set_level(true);
        assert_eq!(r.iar(), 37);
        r.eoi(37);
        assert_eq!(r.iar(), 1023);
        // An edge while active pends it again.
        line.set_level(false);
        line.set_level(true);
        assert_eq!(r.iar(), 37);
        line.set_level(false);
        line.set_level(true);
        assert!(r.is(dist::ISACTIVER, 37) && r.is(dist::ISPENDR, 37));
        r.eoi(37);
        assert_eq!(r.iar(), 37);
    }

    #[test]
    fn sgis_carry_their_source_cpu() {
        let mut r = Rig::enabled();
        // Filter 0b10: this CPU.
        r.d.write(dist::SGIR, 4, 0x0200_0005);
        assert!(r.out.irq());
        assert_eq!(r.c.read(cpu::HPPIR, 4), 5);
        assert_eq!(r.iar(), 5);
        r.eoi(5);
        // Filter 0b00 with CPU 0 in the target list.
        r.d.write(dist::SGIR, 4, 0x0001_0003);
        assert_eq!(r.iar(), 3);
        r.eoi(3);
        // Targets that do not exist, or every CPU but this one.
        r.d.write(dist::SGIR, 4, 0x00fe_0003);
        r.d.write(dist::SGIR, 4, 0x0100_0004);
        assert_eq!(r.iar(), 1023);
        // Pending from CPUs 0 and 2 at once: one acknowledge each.
        r.d.write(dist::SPENDSGIR + 7, 1, 0b101);
        assert_eq!(r.d.read(dist::CPENDSGIR + 4, 4), 0b101 << 24);
        assert!(r.is(dist::ISPENDR, 7));
        assert_eq!(r.iar(), 7);
        r.eoi(7);
        assert_eq!(r.c.read(cpu::HPPIR, 4), 7 | 2 << 10);
        assert_eq!(r.iar(), 7 | 2 << 10);
        r.eoi(7 | 2 << 10);
        assert_eq!(r.iar(), 1023);
        assert!(!r.is(dist::ISPENDR, 7));
        // Clearing the last source clears the pending state.
        r.d.write(dist::SPENDSGIR + 9, 1, 1);
        r.d.write(dist::CPENDSGIR + 9, 1, 1);
        assert!(!r.is(dist::ISPENDR, 9));
        // Writing no source sets nothing.
        r.d.write(dist::SPENDSGIR + 9, 1, 0);
        assert!(!r.is(dist::ISPENDR, 9));
        // GICD_ISPENDR and GICD_ICPENDR do not reach SGIs.
        r.d.write(dist::ISPENDR, 4, 0xffff);
        assert_eq!(r.iar(), 1023);
        // GICD_SGIR is only written as a word.
        r.d.write(dist::SGIR, 1, 5);
        assert_eq!(r.iar(), 1023);
        assert!(r
            .d
            .take_guest_error()
            .unwrap()
            .contains("register 0xf00 (size 1)"));
        assert_eq!(r.d.take_guest_error(), None);
    }

    #[test]
    fn pending_enable_and_active_registers() {
        let mut r = rig();
        r.d.write(dist::ISPENDR + 4, 4, 0b11);
        assert_eq!(r.d.read(dist::ISPENDR + 4, 4), 0b11);
        assert_eq!(r.d.read(dist::ICPENDR + 4, 4), 0b11);
        r.d.write(dist::ICPENDR + 4, 4, 0b01);
        assert_eq!(r.d.read(dist::ISPENDR + 4, 4), 0b10);
        r.d.write(dist::ISPENDR, 4, 0xffff_ffff);
        assert_eq!(r.d.read(dist::ISPENDR, 4), 0xffff_0000, "PPIs only");
        r.d.write(dist::ICPENDR, 4, 0xffff_ffff);
        assert_eq!(r.d.read(dist::ISPENDR, 4), 0);

        r.d.write(dist::ISENABLER + 4, 4, 0xf);
        assert_eq!(r.d.read(dist::ICENABLER + 4, 4), 0xf);
        r.d.write(dist::ICENABLER + 4, 4, 0x1);
        assert_eq!(r.d.read(dist::ISENABLER + 4, 4), 0xe);
        r.d.write(dist::ICENABLER, 4, 0xffff_ffff);
        assert_eq!(r.d.read(dist::ISENABLER, 4), 0xffff);

        r.d.write(dist::ISACTIVER + 4, 4, 0x10);
        r.d.write(dist::ISACTIVER, 4, 0x2);
        assert_eq!(r.d.read(dist::ICACTIVER + 4, 4), 0x10);
        assert_eq!(r.d.read(dist::ISACTIVER, 4), 0x2);
        r.d.write(dist::ICACTIVER + 4, 4, 0x10);
        r.d.write(dist::ICACTIVER, 4, 0x2);
        assert_eq!(r.d.read(dist::ISACTIVER + 4, 4), 0);
        assert_eq!(r.d.read(dist::ISACTIVER, 4), 0);

        // An active interrupt is not signalled until it is deactivated.
        let mut r = Rig::enabled();
        r.d.write(dist::ISACTIVER + 4, 4, 1 << 13);
        r.raise(45, 0);
        assert!(!r.out.irq());
        r.d.write(dist::ICACTIVER + 4, 4, 1 << 13);
        assert!(r.out.irq());
        assert_eq!(r.iar(), 45);
        assert_eq!(r.d.take_guest_error(), None);
    }

    #[test]
    fn byte_and_halfword_accesses() {
        let mut r = rig();
        r.d.write(dist::IPRIORITYR + 33, 1, 0xa0);
        assert_eq!(r.d.read(dist::IPRIORITYR + 32, 4), 0x0000_a000);
        r.d.write(dist::IPRIORITYR + 34, 2, 0x1234);
        assert_eq!(r.d.read(dist::IPRIORITYR + 32, 4), 0x1234_a000);
        assert_eq!(r.d.read(dist::IPRIORITYR + 35, 1), 0x12);
        assert_eq!(r.d.read(dist::IPRIORITYR + 33, 2), 0x34a0);
        r.d.write(dist::IPRIORITYR + 27, 1, 0xf8);
        assert_eq!(r.d.read(dist::IPRIORITYR + 24, 4), 0xf800_0000);
        // Targets: RAZ/WI on a uniprocessor GIC, without a complaint.
        r.d.write(dist::ITARGETSR + 33, 1, 1);
        r.d.write(dist::ITARGETSR + 40, 4, 0x0101_0101);
        assert_eq!(r.d.read(dist::ITARGETSR + 33, 1), 0);
        assert_eq!(r.d.read(dist::ITARGETSR + 40, 4), 0);
        // Byte writes elsewhere.
        r.d.write(dist::ICFGR, 1, 0);
        assert_eq!(r.d.read(dist::ICFGR, 4), 0xaaaa_aaaa);
        r.d.write(dist::IGROUPR + 5, 1, 0x80);
        assert_eq!(r.d.read(dist::IGROUPR + 4, 4), 0x8000);
        r.d.write(dist::ISENABLER + 6, 1, 0x01);
        assert!(r.is(dist::ISENABLER, 48));
        assert_eq!(r.d.read(dist::TYPER, 1), 8);
        assert_eq!(r.d.read(dist::IIDR + 1, 1), 0x04);
        assert_eq!(r.c.read(cpu::IIDR, 2), 0x043b);
        assert_eq!(r.d.take_guest_error(), None);
    }

    #[test]
    fn groups_fiq_and_ack_control() {
        let mut r = Rig::enabled();
        r.d.write(dist::IGROUPR + 4, 4, 1 << 1);
        assert_eq!(r.d.read(dist::IGROUPR + 4, 4), 2);
        r.raise(33, 0);
        // Group 1 is not enabled.
        assert!(!r.out.irq());
        assert_eq!(r.c.read(cpu::HPPIR, 4), 1022);
        r.d.write(dist::CTLR, 4, 3);
        r.c.write(cpu::CTLR, 4, 3);
        assert!(r.out.irq() && !r.out.fiq());
        // Without AckCtl a Group 1 interrupt is not acknowledged.
        assert_eq!(r.iar(), 1022);
        assert!(r.is(dist::ISPENDR, 33));
        r.c.write(cpu::CTLR, 4, 3 | ctlr::ACK_CTL as u64);
        assert_eq!(r.c.read(cpu::HPPIR, 4), 33);
        assert_eq!(r.iar(), 33);
        // Group 1 priority 0, binary point GICC_ABPR - 1 = 0: level 0.
        assert_eq!(r.c.read(cpu::NSAPR, 4), 1);
        assert_eq!(r.c.read(cpu::APR, 4), 0);
        r.eoi(33);
        assert_eq!(r.c.read(cpu::NSAPR, 4), 0);
        assert_eq!(r.rpr(), 0xff);
        // Group 0 goes to FIQ with FIQEn.
        r.c.write(cpu::CTLR, 4, 3 | ctlr::FIQ_EN as u64);
        r.take_kick();
        r.raise(34, 0);
        assert!(r.out.fiq() && !r.out.irq());
        assert!(r.take_kick());
        assert_eq!(r.iar(), 34);
        assert!(!r.out.fiq());
        r.eoi(34);
        // GICC_CTLR keeps only the bits without bypass or Security
        // Extensions; GICC_ABPR has a minimum of 1.
        r.c.write(cpu::CTLR, 4, 0xffff_ffff);
        assert_eq!(r.c.read(cpu::CTLR, 4), 0x21f);
        r.c.write(cpu::ABPR, 4, 0);
        assert_eq!(r.c.read(cpu::ABPR, 4), 1);
        r.c.write(cpu::ABPR, 4, 5);
        assert_eq!(r.c.read(cpu::ABPR, 4), 5);
    }

    #[test]
    fn eoi_mode_splits_priority_drop_and_deactivation() {
        let mut r = Rig::enabled();
        r.c.write(cpu::CTLR, 4, 1 | ctlr::EOI_MODE as u64);
        r.raise(40, 0x80);
        assert_eq!(r.iar(), 40);
        r.eoi(40);
        assert_eq!(r.rpr(), 0xff);
        assert!(r.is(dist::ISACTIVER, 40));
        r.pend(40);
        assert!(!r.out.irq(), "still active");
        r.c.write(cpu::DIR, 4, 40);
        assert!(!r.is(dist::ISACTIVER, 40));
        assert!(r.out.irq());
        assert_eq!(r.c.take_guest_error(), None);
        // Without EOImodeS, GICC_DIR is UNPREDICTABLE: ignored, reported.
        r.c.write(cpu::CTLR, 4, 1);
        assert_eq!(r.iar(), 40);
        r.c.write(cpu::DIR, 4, 40);
        assert!(r.is(dist::ISACTIVER, 40));
        assert!(r.c.take_guest_error().unwrap().contains("EOImodeS"));
    }

    #[test]
    fn active_priorities_are_writable() {
        let mut r = Rig::enabled();
        r.c.write(cpu::APR + 4, 4, 1);
        assert_eq!(r.rpr(), 0x40);
        r.raise(40, 0x40);
        assert!(!r.out.irq());
        r.c.write(cpu::APR + 4, 4, 0);
        assert_eq!(r.rpr(), 0xff);
        assert!(r.out.irq());
    }

    #[test]
    fn ppi_line_drives_the_processors_ppi() {
        let mut r = Rig::enabled();
        let timer = r.gic.ppi_line(27);
        timer.set_level(true);
        assert!(timer.level());
        assert!(!r.out.irq());
        r.enable(27);
        assert!(r.out.irq());
        assert_eq!(r.iar(), 27);
        timer.set_level(false);
        r.eoi(27);
        assert!(!r.out.irq());
        // PPIs can be made edge-triggered.
        r.set_edge(27);
        assert_eq!(r.d.read(dist::ICFGR + 4, 4), 2 << 22);
        timer.set_level(true);
        assert_eq!(r.iar(), 27);
        r.eoi(27);
        assert_eq!(r.iar(), 1023);
        assert!(!r.gic.spi_line(0).level());
    }

    #[test]
    #[should_panic(expected = "not a PPI")]
    fn sgis_have_no_line() {
        rig().gic.ppi_line(15);
    }

    #[test]
    #[should_panic(expected = "SPI 256 does not exist")]
    fn spis_stop_at_256() {
        rig().gic.spi_line(256);
    }

    #[test]
    fn unknown_registers_read_zero_and_are_reported() {
        let mut r = rig();
        assert_eq!(r.d.read(0x0c, 4), 0);
        assert_eq!(r.d.read(dist::SGIR, 4), 0);
        assert_eq!(r.d.read(dist::IPRIORITYR + 288, 4), 0);
        assert_eq!(r.d.read(dist::ISENABLER + 0x24, 4), 0);
        assert_eq!(r.d.read(0x1000, 4), 0);
        assert_eq!(r.d.read(dist::CTLR, 8), 0);
        r.d.write(dist::TYPER, 4, 0);
        r.d.write(dist::ICFGR + 0x48, 4, 0);
        assert_eq!(
            r.d.take_guest_error().unwrap(),
            "gicv2_dist: read of unknown register 0xc (size 4)"
        );
        for what in [
            "0xf00",
            "0x520",
            "0x124",
            "0x1000",
            "bad size 8",
            "read-only register 0x4",
            "0xc48",
        ] {
            assert!(r.d.take_guest_error().unwrap().contains(what), "{what}");
        }
        assert_eq!(r.d.take_guest_error(), None);

        // GICC_AIAR, GICC_AEOIR, GICC_AHPPIR are not implemented; GICC_EOIR
        // and GICC_DIR are write-only, GICC_IIDR read-only.
        assert_eq!(r.c.read(0x20, 4), 0);
        assert_eq!(r.c.read(cpu::EOIR, 4), 0);
        assert_eq!(r.c.read(cpu::DIR, 4), 0);
        r.c.write(0x24, 4, 1);
        r.c.write(cpu::IIDR, 4, 1);
        assert_eq!(r.c.read(cpu::CTLR, 8), 0);
        assert_eq!(
            r.c.take_guest_error().unwrap(),
            "gicv2_cpu: read of unknown register 0x20 (size 4)"
        );
        for what in [
            "0x10",
            "0x1000",
            "register 0x24",
            "register 0xfc",
            "bad size 8",
        ] {
            assert!(r.c.take_guest_error().unwrap().contains(what), "{what}");
        }
        assert_eq!(r.c.take_guest_error(), None);
        for _ in 0..100 {
            r.c.read(0x40, 4);
        }
        assert_eq!(
            std::iter::from_fn(|| r.c.take_guest_error()).count(),
            MAX_GUEST_ERRORS
        );
    }

    #[test]
    fn banked_state_for_more_cpus() {
        let gic = Gicv2::with_cpus(vec![CpuKick::new(), CpuKick::new()]);
        let mut d = gic.distributor();
        assert_eq!(d.read(dist::TYPER, 4), 8 | 1 << 5);
        // SGI and PPI targets read as the reading CPU; SPI targets hold the
        // implemented CPUs.
        assert_eq!(d.read(dist::ITARGETSR, 4), 0x0101_0101);
        assert_eq!(d.read(dist::ITARGETSR + 32, 4), 0);
        d.write(dist::ITARGETSR + 32, 1, 0xff);
        d.write(dist::ITARGETSR + 28, 4, 0xffff_ffff);
        assert_eq!(d.read(dist::ITARGETSR + 32, 4), 3);
        assert_eq!(d.read(dist::ITARGETSR + 28, 4), 0x0101_0101);
        // An SGI to CPU 1 only, from CPU 0.
        d.write(dist::SGIR, 4, 0x0002_0006);
        {
            let s = gic.shared.state.borrow();
            assert_eq!(s.irqs[6].pending, 0b10);
            assert_eq!((s.cpus[0].sgi_sources[6], s.cpus[1].sgi_sources[6]), (0, 1));
        }
        // An SPI that targets CPU 1 is not signalled to CPU 0.
        let mut c = gic.cpu_interface();
        d.write(dist::CTLR, 4, 1);
        c.write(cpu::CTLR, 4, 1);
        c.write(cpu::PMR, 4, 0xff);
        {
            // CPU 1 has no bus device here: enable its interface directly.
            let mut s = gic.shared.state.borrow_mut();
            s.cpus[1].ctlr = 1;
            s.cpus[1].pmr = 0xff;
        }
        d.write(dist::ITARGETSR + 33, 1, 0b10);
        d.write(dist::ISENABLER + 4, 4, 0b10);
        gic.spi_line(1).set_level(true);
        assert_eq!(c.read(cpu::IAR, 4), 1023);
        assert!(gic.shared.state.borrow().cpus[1].irq);
        assert!(!gic.cpu_outputs().irq());
    }

    #[test]
    fn found_by_type_on_a_bus() {
        let r = rig();
        let mut bus = crate::bus::MmioBus::new();
        bus.add(0x0800_0000, DIST_SIZE, Box::new(r.gic.distributor()))
            .unwrap();
        bus.add(0x0801_0000, CPU_SIZE, Box::new(r.gic.cpu_interface()))
            .unwrap();
        assert!(bus.device_mut::<Gicv2Distributor>("gicv2_dist").is_some());
        assert!(bus.device_mut::<Gicv2CpuInterface>("gicv2_cpu").is_some());
        assert_eq!(bus.read(0x0800_0004, 4), Some(8));
        assert_eq!(bus.read(0x0801_00fc, 4), Some(0x0002_043b));
    }
}
