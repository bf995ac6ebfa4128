//! The board's physical address space: RAM, read-only memory and the MMIO
//! bus, as the softmmu and the architectures' page-table walks see it
//! ([`PhysMemory`]). Virtual addresses never reach it: translation is the
//! CPU's (its `WalkFn`).

use crate::bus::MmioBus;
use crate::ram::Ram;
use crate::trace::Tracer;
use chimera_ir::{PhysMemory, PhysPage, Unmapped};
use chimera_jit::{PAGE_MASK, PAGE_SIZE};

/// RAM plus devices.
pub struct SystemMemory {
    /// Guest RAM.
    pub ram: Ram,
    /// Read-only memory (flash, ROM): readable and executable; writes go to
    /// [`SystemMemory::io_write`], which ignores them.
    pub roms: Vec<Ram>,
    /// Memory-mapped devices.
    pub bus: MmioBus,
    /// Trace sink for `guest_errors`.
    pub tracer: Tracer,
}

impl PhysMemory for SystemMemory {
    fn page(&mut self, paddr: u64) -> PhysPage {
        let page = paddr & PAGE_MASK;
        if self.ram.contains(page, PAGE_SIZE) {
            return PhysPage::Ram { host: self.ram.host_ptr(page).expect("RAM page"), writable: true };
        }
        if let Some(rom) = self.roms.iter().find(|r| r.contains(page, PAGE_SIZE)) {
            return PhysPage::Ram { host: rom.host_ptr(page).expect("ROM page"), writable: false };
        }
        if self.bus.is_mapped(paddr) {
            return PhysPage::Io;
        }
        self.tracer.guest_error(format_args!("access to unmapped physical address {paddr:#x}"));
        PhysPage::Nothing
    }
    fn io_read(&mut self, paddr: u64, size: u8) -> Result<u64, Unmapped> {
        match self.bus.read(paddr, size) {
            Some(v) => Ok(v),
            None => {
                self.tracer.guest_error(format_args!("read of unmapped physical address {paddr:#x}"));
                Err(Unmapped)
            }
        }
    }

    fn io_write(&mut self, paddr: u64, size: u8, value: u64) -> Result<(), Unmapped> {
        if self.roms.iter().any(|r| r.contains(paddr, u64::from(size))) {
            self.tracer.guest_error(format_args!("write of {value:#x} to read-only memory at {paddr:#x} ignored"));
            return Ok(());
        }
        match self.bus.write(paddr, size, value) {
            Some(()) => Ok(()),
            None => {
                self.tracer.guest_error(format_args!("write of unmapped physical address {paddr:#x}"));
                Err(Unmapped)
            }
        }
    }
}
