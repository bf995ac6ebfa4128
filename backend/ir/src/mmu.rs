//! The contract between a CPU's translation regime, the physical memory of a
//! board and the softmmu (docs/architecture.md, "Translation regimes").
//!
//! - Every memory operation carries an **MMU index** ([`MemOp::mmu`]): the
//!   architecture's name for one way of translating an address (AArch64: EL0,
//!   EL1, stage 1 off; SPARC: user, supervisor, MMU bypass). The softmmu keeps
//!   one TLB per index, so a change of privilege selects a TLB instead of
//!   flushing one, and an unprivileged access (LDTR at EL1) simply names the
//!   EL0 index.
//! - The page-table walk is the architecture's: a [`WalkFn`] reads the CPU
//!   state and the board's [`PhysMemory`] (RAM, ROM and devices by physical
//!   address, the same path devices and DMA use) and returns one
//!   [`PageTranslation`] or the guest fault.
//! - Cached translations are dropped only when the architecture says so: a
//!   [`TlbFlush`] (TLBI, an SRMMU flush, a write to a translation-control
//!   register), or a change of the CPU's translation context (its ASID).
//!
//! [`MemOp::mmu`]: crate::MemOp::mmu

use crate::types::{AccessKind, MemFault};

/// Number of MMU indices the softmmu provides (one TLB each).
pub const MMU_INDICES: usize = 4;

/// Nothing answers at a physical address: the guest gets an external abort
/// (or its architecture's bus error).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unmapped;

/// What is at a guest physical address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PhysPage {
    /// RAM or ROM: `host` is the host address of the 4 KiB page holding the
    /// address; writes go straight to it only if `writable` (a ROM's owner
    /// sees them through [`PhysMemory::io_write`] and ignores them).
    Ram {
        /// Host address of the page.
        host: *mut u8,
        /// Plain stores may write the page.
        writable: bool,
    },
    /// A device register: accesses go through [`PhysMemory::io_read`] and
    /// [`PhysMemory::io_write`].
    Io,
    /// Nothing.
    Nothing,
}

/// A board's physical address space: RAM, ROM and devices, without any
/// translation. Page-table walks read descriptors through it.
pub trait PhysMemory {
    /// What answers at `paddr`.
    fn page(&mut self, paddr: u64) -> PhysPage;
    /// Read `size` bytes of device memory at `paddr` (the register's value).
    fn io_read(&mut self, paddr: u64, size: u8) -> Result<u64, Unmapped>;
    /// Write `size` bytes of device memory at `paddr` (ROM: ignored).
    fn io_write(&mut self, paddr: u64, size: u8, value: u64) -> Result<(), Unmapped>;

    /// Read `size` (1, 2, 4 or 8) bytes at `paddr` as a little-endian value,
    /// whatever is there; the access must not cross a 4 KiB page.
    fn read_le(&mut self, paddr: u64, size: u8) -> Result<u64, Unmapped> {
        match self.page(paddr) {
            PhysPage::Ram { host, .. } => {
                let off = (paddr & 0xfff) as usize;
                assert!(off + usize::from(size) <= 4096, "physical access crosses a page");
                let mut b = [0u8; 8];
                // SAFETY: `host` maps the whole 4 KiB page and the bytes stay inside it.
                unsafe { std::ptr::copy_nonoverlapping(host.add(off), b.as_mut_ptr(), usize::from(size)) };
                Ok(u64::from_le_bytes(b))
            }
            PhysPage::Io => self.io_read(paddr, size),
            PhysPage::Nothing => Err(Unmapped),
        }
    }

    /// Write the low `size` bytes of `value` at `paddr`, little-endian; the
    /// access must not cross a 4 KiB page.
    fn write_le(&mut self, paddr: u64, size: u8, value: u64) -> Result<(), Unmapped> {
        match self.page(paddr) {
            PhysPage::Ram { host, writable: true } => {
                let off = (paddr & 0xfff) as usize;
                assert!(off + usize::from(size) <= 4096, "physical access crosses a page");
                // SAFETY: as in `read_le`.
                unsafe { std::ptr::copy_nonoverlapping(value.to_le_bytes().as_ptr(), host.add(off), usize::from(size)) };
                Ok(())
            }
            PhysPage::Ram { writable: false, .. } | PhysPage::Io => self.io_write(paddr, size, value),
            PhysPage::Nothing => Err(Unmapped),
        }
    }
}

/// The result of an architecture's walk for one access: the physical page
/// and what the MMU index may do with it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageTranslation {
    /// Physical address of the 4 KiB page holding the address.
    pub paddr: u64,
    /// Data reads are allowed.
    pub read: bool,
    /// Data writes are allowed (an architecture that must see the first
    /// write, to set a Modified bit, leaves it clear until then).
    pub write: bool,
    /// Instruction fetches are allowed.
    pub exec: bool,
    /// log2 of the size of the mapping (12 for a 4 KiB page; more for a
    /// block or a large page): a flush of one address in it flushes it all.
    pub size_log2: u8,
    /// Every data access must be aligned to its size, or it faults with
    /// [`FaultCause::Alignment`](crate::FaultCause::Alignment) (AArch64
    /// Device memory, ARM ARM B2.5.2).
    pub aligned_only: bool,
}

impl PageTranslation {
    /// The identity translation of the page of `addr`, with every permission
    /// (an MMU that is off).
    pub fn identity(addr: u64) -> PageTranslation {
        PageTranslation { paddr: addr & !0xfff, read: true, write: true, exec: true, size_log2: 12, aligned_only: false }
    }
}

/// An architecture's translation: the CPU state (the frontend's `#[repr(C)]`
/// state), the virtual address, the access and its MMU index, the board's
/// physical memory. A fault is the guest's (translation, permission, access
/// flag, address size, or an external abort on the walk).
///
/// # Safety
/// `state` points to the CPU state of the architecture that provides the
/// function, valid for reads (and writes, for an MMU that updates its own
/// registers) for the duration of the call.
pub type WalkFn = unsafe fn(state: *mut u8, vaddr: u64, kind: AccessKind, mmu: u8, phys: &mut dyn PhysMemory) -> Result<PageTranslation, MemFault>;

/// What a [`TlbFlush`] removes. The operands of
/// [`Inst::TlbFlush`](crate::Inst::TlbFlush) are a virtual address and an
/// ASID; each scope uses the ones it names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FlushScope {
    /// Every translation.
    All,
    /// The translations of the page holding the address, of every ASID.
    Page,
    /// The translations of the page holding the address for the ASID, and
    /// the global ones of that page.
    PageAsid,
    /// The non-global translations of the ASID.
    Asid,
}

/// An explicit invalidation of cached translations (TLBI, an SRMMU flush, a
/// write to SCTLR/TCR): [`Inst::TlbFlush`](crate::Inst::TlbFlush) carries it;
/// the softmmu drops the TLB entries and every virtually-keyed structure of
/// the JIT (jump cache, pending chain link) that could run stale code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TlbFlush {
    /// What to remove.
    pub scope: FlushScope,
    /// The MMU indices concerned, bit `i` for index `i`.
    pub mmu_mask: u16,
}
