//! The runtime environment shared by translated code and the execution loop:
//! the softmmu TLB, the jump cache, the exit request and the instruction budget.
//! Its layout is part of the contract with generated code (`#[repr(C)]`, fixed
//! offsets).

use chimera_ir::{AccessKind, GuestMemory, MemFault};
use std::mem::offset_of;

/// Guest page size used by the softmmu TLB (4 KiB, the smallest page of both
/// AArch64 and SPARC).
pub const PAGE_BITS: u32 = 12;
/// Guest page size in bytes.
pub const PAGE_SIZE: u64 = 1 << PAGE_BITS;
/// Mask of the page-number bits of an address.
pub const PAGE_MASK: u64 = !(PAGE_SIZE - 1);
/// Number of direct-mapped TLB entries.
pub const TLB_ENTRIES: usize = 1024;
/// Number of jump-cache entries.
pub const JMP_CACHE_ENTRIES: usize = 4096;

/// A tag that never matches an address: bit 0 is set, and the fast-path compare
/// keeps bit 0 of the address only for misaligned accesses (which take the slow
/// path anyway).
pub const TLB_INVALID: u64 = u64::MAX;

/// One softmmu TLB entry: the page tags that may take the inline fast path for
/// reads and writes, and the addend that turns a guest virtual address into a
/// host address.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct TlbEntry {
    /// Virtual page address if reads may use the fast path, else [`TLB_INVALID`].
    pub addr_read: u64,
    /// Virtual page address if writes may use the fast path, else [`TLB_INVALID`].
    pub addr_write: u64,
    /// `host address - guest virtual address` for this page.
    pub addend: u64,
    /// Guest physical page address (for code-page write protection).
    pub paddr: u64,
}

impl TlbEntry {
    const EMPTY: TlbEntry = TlbEntry { addr_read: TLB_INVALID, addr_write: TLB_INVALID, addend: 0, paddr: 0 };
}

/// One jump-cache entry: guest virtual PC and CPU mode flags to host code.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct JmpEntry {
    /// Guest virtual PC ([`u64::MAX`] when empty).
    pub pc: u64,
    /// CPU mode flags of the block.
    pub flags: u64,
    /// Host code of the block.
    pub code: u64,
    /// Padding to a power-of-two size.
    pub _pad: u64,
}

impl JmpEntry {
    const EMPTY: JmpEntry = JmpEntry { pc: u64::MAX, flags: u64::MAX, code: 0, _pad: 0 };
}

/// How a guest physical page is reached, as the board's memory system reports it.
#[derive(Clone, Copy, Debug)]
pub struct PageMapping {
    /// Guest physical address of the page (page aligned).
    pub paddr: u64,
    /// Host address of the page if it is RAM; null for MMIO.
    pub host: *mut u8,
    /// Writes are allowed (a read-only mapping still faults through `translate`).
    pub writable: bool,
}

/// Nothing answers at a physical address: the guest gets an external abort
/// (or its architecture's bus error).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unmapped;

/// The board's memory system, as the softmmu needs it: translate a virtual page
/// (walking the guest page tables when the guest MMU is on) and access device
/// memory.
pub trait SoftMmu {
    /// Translate the page holding `vaddr` for an access of kind `kind`, or report
    /// the guest fault (translation, permission, or no memory at the physical address).
    fn translate(&mut self, vaddr: u64, kind: AccessKind) -> Result<PageMapping, MemFault>;
    /// Read `size` bytes of device memory at physical `paddr` (little-endian value
    /// of the device register).
    fn io_read(&mut self, paddr: u64, size: u8) -> Result<u64, Unmapped>;
    /// Write device memory at physical `paddr`.
    fn io_write(&mut self, paddr: u64, size: u8, value: u64) -> Result<(), Unmapped>;
}

/// What a block returned to the loop (`JitEnv::status` codes and block return values).
pub mod exit_code {
    /// Continue at the PC in the CPU state.
    pub const NEXT: u64 = 0;
    /// An exception terminal: see [`super::JitEnv::exc_kind`].
    pub const EXCEPTION: u64 = 1;
    /// A memory fault: see [`super::JitEnv::fault`].
    pub const FAULT: u64 = 2;
}

/// The runtime environment passed to translated code.
#[repr(C)]
pub struct JitEnv {
    /// The softmmu TLB (at offset 0).
    pub tlb: [TlbEntry; TLB_ENTRIES],
    /// The jump cache for indirect and cross-page branches.
    pub jmp_cache: [JmpEntry; JMP_CACHE_ENTRIES],
    /// Non-zero: blocks return to the loop at their next entry.
    pub exit_request: u32,
    /// Set by the memory slow path when an access faulted.
    pub status: u32,
    /// Guest instructions left before the loop regains control.
    pub budget: i64,
    /// Exit slot of the block that last returned to the loop, for chaining (0: none).
    pub link_slot: u64,
    /// Kind of the exception a block raised.
    pub exc_kind: u64,
    /// Argument of the exception a block raised.
    pub exc_arg: u64,
    /// The memory fault the slow path saw.
    pub fault: Option<MemFault>,
    /// Opaque pointer handed to helpers (the board's context).
    pub user: *mut u8,
    /// The board's memory system, valid while the loop runs.
    pub(crate) mmu: Option<*mut dyn SoftMmu>,
    /// Physical ranges (address, length) written by the slow path over translated code.
    pub(crate) dirty_code: Vec<(u64, u64)>,
    /// Physical pages that hold translated code, with a bitmap of the 4-byte
    /// granules covered by blocks: writes elsewhere in the page (data next to
    /// code) invalidate nothing.
    pub(crate) code_pages: std::collections::HashMap<u64, CodeBitmap>,
}

/// Byte offsets of the fields generated code touches.
pub(crate) mod off {
    use super::*;
    pub const EXIT_REQUEST: i32 = offset_of!(JitEnv, exit_request) as i32;
    pub const STATUS: i32 = offset_of!(JitEnv, status) as i32;
    pub const BUDGET: i32 = offset_of!(JitEnv, budget) as i32;
    pub const LINK_SLOT: i32 = offset_of!(JitEnv, link_slot) as i32;
    pub const EXC_KIND: i32 = offset_of!(JitEnv, exc_kind) as i32;
    pub const EXC_ARG: i32 = offset_of!(JitEnv, exc_arg) as i32;
    pub const JMP_CACHE: i32 = offset_of!(JitEnv, jmp_cache) as i32;
    pub const TLB_READ: i32 = offset_of!(TlbEntry, addr_read) as i32;
    pub const TLB_WRITE: i32 = offset_of!(TlbEntry, addr_write) as i32;
    pub const TLB_ADDEND: i32 = offset_of!(TlbEntry, addend) as i32;
    pub const JC_PC: i32 = offset_of!(JmpEntry, pc) as i32;
    pub const JC_FLAGS: i32 = offset_of!(JmpEntry, flags) as i32;
    pub const JC_CODE: i32 = offset_of!(JmpEntry, code) as i32;
}

/// One bit per 4-byte granule of a 4 KiB page.
pub(crate) type CodeBitmap = Box<[u64; 16]>;

/// Set or test the granules of `[off, off + len)` (offsets inside one page).
pub(crate) fn granules(off: u64, len: u64) -> impl Iterator<Item = (usize, u64)> {
    let first = off / 4;
    let last = (off + len.max(1) - 1).min(PAGE_SIZE - 1) / 4;
    (first..=last).map(|g| ((g / 64) as usize, 1u64 << (g % 64)))
}

impl JitEnv {
    /// A fresh environment with an empty TLB and jump cache, on the heap (it is
    /// large and must not move while code runs).
    pub fn new() -> Box<JitEnv> {
        Box::new(JitEnv {
            tlb: [TlbEntry::EMPTY; TLB_ENTRIES],
            jmp_cache: [JmpEntry::EMPTY; JMP_CACHE_ENTRIES],
            exit_request: 0,
            status: 0,
            budget: 0,
            link_slot: 0,
            exc_kind: 0,
            exc_arg: 0,
            fault: None,
            user: std::ptr::null_mut(),
            mmu: None,
            dirty_code: Vec::new(),
            code_pages: Default::default(),
        })
    }

    /// Forget every TLB entry (after a change of guest translation or privilege).
    pub fn flush_tlb(&mut self) {
        self.tlb.fill(TlbEntry::EMPTY);
        self.flush_jmp_cache();
    }

    /// Forget every jump-cache entry.
    pub fn flush_jmp_cache(&mut self) {
        self.jmp_cache.fill(JmpEntry::EMPTY);
    }

    /// Jump-cache index of a guest PC.
    pub fn jmp_index(pc: u64) -> usize {
        ((pc >> 2) as usize) & (JMP_CACHE_ENTRIES - 1)
    }

    /// TLB index of a guest virtual address.
    pub fn tlb_index(vaddr: u64) -> usize {
        ((vaddr >> PAGE_BITS) as usize) & (TLB_ENTRIES - 1)
    }

    /// Ask the loop to regain control at the next block entry.
    pub fn request_exit(&mut self) {
        self.exit_request = 1;
    }

    /// A [`GuestMemory`] view of the softmmu, for the interpreter and the frontends'
    /// instruction fetch.
    ///
    /// # Safety
    /// The memory system given to the loop must still be alive (only call it while
    /// the loop runs, i.e. from helpers or the loop itself).
    pub(crate) fn memory(&mut self) -> EnvMemory<'_> {
        EnvMemory { env: self }
    }
}

/// The softmmu seen as [`GuestMemory`].
pub struct EnvMemory<'a> {
    pub(crate) env: &'a mut JitEnv,
}

impl GuestMemory for EnvMemory<'_> {
    fn load(&mut self, vaddr: u64, op: chimera_ir::MemOp) -> Result<u64, MemFault> {
        crate::softmmu::load(self.env, vaddr, op)
    }
    fn store(&mut self, vaddr: u64, value: u64, op: chimera_ir::MemOp) -> Result<(), MemFault> {
        crate::softmmu::store(self.env, vaddr, value, op)
    }
}
