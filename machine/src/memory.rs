//! The board's physical address space as the softmmu sees it: RAM and the MMIO
//! bus. With the guest MMU off (all the boards so far run that way until the
//! system-level work lands) translation is the identity; the path is the same.

use crate::bus::MmioBus;
use crate::ram::Ram;
use crate::trace::Tracer;
use chimera_ir::{AccessKind, FaultCause, MemFault};
use chimera_jit::{PageMapping, SoftMmu, Unmapped, PAGE_MASK, PAGE_SIZE};

/// RAM plus devices.
pub struct SystemMemory {
    /// Guest RAM.
    pub ram: Ram,
    /// Read-only memory (flash, ROM): readable and executable; writes go to
    /// [`SystemMemory::io_write`], which ignores them.
    pub roms: Vec<Ram>,
    /// Physical address size in bits: an access beyond it is an address size
    /// fault (ARM ARM D8.1.8 for the MMU-off case).
    pub pa_bits: u32,
    /// Memory-mapped devices.
    pub bus: MmioBus,
    /// Trace sink for `guest_errors`.
    pub tracer: Tracer,
}

impl SoftMmu for SystemMemory {
    fn translate(&mut self, vaddr: u64, kind: AccessKind) -> Result<PageMapping, MemFault> {
        let page = vaddr & PAGE_MASK;
        if vaddr >> self.pa_bits != 0 {
            return Err(MemFault { vaddr, kind, size: 0, cause: FaultCause::AddressSize(0) });
        }
        if self.ram.contains(page, PAGE_SIZE) {
            let host = self.ram.host_ptr(page).expect("RAM page");
            return Ok(PageMapping { paddr: page, host, writable: true });
        }
        if let Some(rom) = self.roms.iter().find(|r| r.contains(page, PAGE_SIZE)) {
            let host = rom.host_ptr(page).expect("ROM page");
            return Ok(PageMapping { paddr: page, host, writable: false });
        }
        if self.bus.is_mapped(vaddr) && kind != AccessKind::Fetch {
            return Ok(PageMapping { paddr: page, host: std::ptr::null_mut(), writable: true });
        }
        self.tracer.guest_error(format_args!("access to unmapped physical address {vaddr:#x} ({kind:?})"));
        Err(MemFault { vaddr, kind, size: 0, cause: FaultCause::Unmapped })
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
