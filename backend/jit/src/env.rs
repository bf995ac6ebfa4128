//! The runtime environment shared by translated code and the execution loop:
//! the softmmu TLB, the jump cache, the exit request and the instruction budget.
//! Its layout is part of the contract with generated code (`#[repr(C)]`, fixed
//! offsets).

use chimera_ir::{GuestMemory, MemFault};
use std::mem::offset_of;

/// Guest page size used by the softmmu TLB (4 KiB, the smallest page of both
/// AArch64 and SPARC).
pub const PAGE_BITS: u32 = 12;
/// Guest page size in bytes.
pub const PAGE_SIZE: u64 = 1 << PAGE_BITS;
/// Mask of the page-number bits of an address.
pub const PAGE_MASK: u64 = !(PAGE_SIZE - 1);
/// Number of direct-mapped TLB entries per MMU index.
pub const TLB_ENTRIES: usize = 1024;
/// Number of jump-cache entries.
pub const JMP_CACHE_ENTRIES: usize = 4096;
pub use chimera_ir::MMU_INDICES;

/// Bits \[55:0\] of an address: what remains when a top byte of tags is
/// ignored.
const TOP_BYTE_OFF: u64 = (1 << 56) - 1;

/// A tag that never matches an address: bit 0 is set, and the fast-path compare
/// keeps bit 0 of the address only for misaligned accesses (which take the slow
/// path anyway).
pub const TLB_INVALID: u64 = u64::MAX;

/// One softmmu TLB entry: the page tags that may take the inline fast path for
/// reads, writes and instruction fetches, and the addend that turns a guest
/// virtual address into a host address.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct TlbEntry {
    /// Virtual page address if reads may use the fast path, else [`TLB_INVALID`].
    pub addr_read: u64,
    /// Virtual page address if writes may use the fast path, else [`TLB_INVALID`].
    pub addr_write: u64,
    /// Virtual page address if instruction fetches may use it, else [`TLB_INVALID`].
    pub addr_code: u64,
    /// `host address - guest virtual address` for this page.
    pub addend: u64,
}

impl TlbEntry {
    const EMPTY: TlbEntry = TlbEntry { addr_read: TLB_INVALID, addr_write: TLB_INVALID, addr_code: TLB_INVALID, addend: 0 };

    /// True if any tag holds the page `page`, whatever the top byte of
    /// either (an architecture that ignores it, AArch64 with TBI, caches
    /// each tagged alias of a page in its own entry, and a flush of the page
    /// must drop them all).
    fn holds(&self, page: u64) -> bool {
        let untag = |a: u64| a & TOP_BYTE_OFF;
        [self.addr_read, self.addr_write, self.addr_code].iter().any(|&t| untag(t) == untag(page))
    }
}

/// What the slow path keeps beside a TLB entry (generated code never reads it).
#[derive(Clone, Copy, Debug)]
pub(crate) struct TlbPhys {
    /// Guest physical page address (for code-page write protection and the
    /// execution loop's physical PC).
    pub paddr: u64,
    /// Unaligned data accesses fault ([`chimera_ir::PageTranslation::aligned_only`]).
    pub aligned_only: bool,
}

/// The TLB of one MMU index, and the range its large mappings cover.
#[repr(C)]
pub struct Tlb {
    /// The entries generated code probes, indexed by [`JitEnv::tlb_index`].
    pub entries: [TlbEntry; TLB_ENTRIES],
    pub(crate) phys: [TlbPhys; TLB_ENTRIES],
    /// Virtual base and mask of a range holding every mapping larger than a
    /// TLB page this index has cached (QEMU's `large_page_addr`/`mask`): a
    /// flush of one page inside it must flush the whole index. `None`: no
    /// large mapping; a mask of 0 covers every address (large mappings in
    /// both halves of the address space).
    pub(crate) large: Option<(u64, u64)>,
}

impl Tlb {
    fn flush(&mut self) {
        self.entries.fill(TlbEntry::EMPTY);
        self.large = None;
    }

    /// Record a mapping of `2^size_log2` bytes holding `vaddr` (its top
    /// byte ignored, as in [`TlbEntry::holds`]).
    pub(crate) fn note_large(&mut self, vaddr: u64, size_log2: u8) {
        if size_log2 <= PAGE_BITS as u8 {
            return;
        }
        let vaddr = vaddr & TOP_BYTE_OFF;
        let mut mask = !((1u64 << size_log2) - 1);
        if let Some((base, old)) = self.large {
            mask &= old;
            // Widen until one aligned range holds the old range and the new
            // mapping (down to a mask of 0, every address).
            while (base ^ vaddr) & mask != 0 {
                mask <<= 1;
            }
        }
        self.large = Some((vaddr & mask, mask));
    }
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

/// How a guest virtual page is reached, once translated.
#[derive(Clone, Copy, Debug)]
pub struct PageMapping {
    /// Guest physical address of the page (page aligned).
    pub paddr: u64,
    /// Host address of the page if it is RAM or ROM; null for MMIO.
    pub host: *mut u8,
    /// Plain stores may write the host page.
    pub writable: bool,
}

pub use chimera_ir::{PhysMemory, Unmapped};

/// What a block returned to the loop (`JitEnv::status` codes and block return values).
pub mod exit_code {
    /// Continue at the PC in the CPU state.
    pub const NEXT: u64 = 0;
    /// An exception terminal: see [`super::JitEnv::exc_kind`].
    pub const EXCEPTION: u64 = 1;
    /// A memory fault: see [`super::JitEnv::fault`].
    pub const FAULT: u64 = 2;
    /// Quick-tier code ran often enough to be compiled again: see
    /// [`super::JitEnv::promote`]; go on at the PC in the state.
    pub const PROMOTE: u64 = 3;
}

/// The runtime environment passed to translated code.
#[repr(C)]
pub struct JitEnv {
    /// The softmmu TLBs, one per MMU index (at offset 0).
    pub tlb: [Tlb; MMU_INDICES],
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
    /// The CPU mode flags the block behind `link_slot` continues under: the
    /// loop chains the slot only to a block of these flags.
    pub link_flags: u64,
    /// The execution counter of the quick-tier code that asked for
    /// promotion.
    pub promote: u64,
    /// Kind of the exception a block raised.
    pub exc_kind: u64,
    /// Argument of the exception a block raised.
    pub exc_arg: u64,
    /// The memory fault the slow path saw.
    pub fault: Option<MemFault>,
    /// The board's physical memory, valid while the loop runs.
    pub(crate) phys: Option<*mut dyn PhysMemory>,
    /// The CPU state of the running guest, valid while the loop runs (the
    /// architecture's page-table walk reads it).
    pub(crate) state: *mut u8,
    /// The architecture's translation.
    pub(crate) walk: chimera_ir::WalkFn,
    /// The CPU's translation context (ASID) the TLBs were filled under.
    pub(crate) context: Option<u64>,
    /// The machine's guest time in nanoseconds ([`chimera_ir::Inst::GuestTime`]).
    pub(crate) clock: Option<Box<dyn Fn() -> u64>>,
    /// Physical ranges (address, length) written by the slow path over translated code.
    pub(crate) dirty_code: Vec<(u64, u64)>,
    /// Physical pages that hold translated code, with a bitmap of the 4-byte
    /// granules covered by blocks: writes elsewhere in the page (data next to
    /// code) invalidate nothing.
    pub(crate) code_pages: std::collections::HashMap<u64, CodeBitmap>,
    /// The IR interpreter's value buffer, reused from block to block.
    pub(crate) interp_values: Vec<u128>,
}

/// Byte offsets of the fields generated code touches.
pub(crate) mod off {
    use super::*;
    pub const EXIT_REQUEST: i32 = offset_of!(JitEnv, exit_request) as i32;
    pub const STATUS: i32 = offset_of!(JitEnv, status) as i32;
    pub const BUDGET: i32 = offset_of!(JitEnv, budget) as i32;
    pub const LINK_SLOT: i32 = offset_of!(JitEnv, link_slot) as i32;
    pub const LINK_FLAGS: i32 = offset_of!(JitEnv, link_flags) as i32;
    pub const PROMOTE: i32 = offset_of!(JitEnv, promote) as i32;
    pub const EXC_KIND: i32 = offset_of!(JitEnv, exc_kind) as i32;
    pub const EXC_ARG: i32 = offset_of!(JitEnv, exc_arg) as i32;
    pub const JMP_CACHE: i32 = offset_of!(JitEnv, jmp_cache) as i32;
    pub const TLB_STRIDE: i32 = std::mem::size_of::<Tlb>() as i32;
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
    pub fn new(walk: chimera_ir::WalkFn) -> Box<JitEnv> {
        const EMPTY_TLB: Tlb = Tlb { entries: [TlbEntry::EMPTY; TLB_ENTRIES], phys: [TlbPhys { paddr: 0, aligned_only: false }; TLB_ENTRIES], large: None };
        Box::new(JitEnv {
            tlb: [EMPTY_TLB; MMU_INDICES],
            jmp_cache: [JmpEntry::EMPTY; JMP_CACHE_ENTRIES],
            exit_request: 0,
            status: 0,
            budget: 0,
            link_slot: 0,
            link_flags: 0,
            promote: 0,
            exc_kind: 0,
            exc_arg: 0,
            fault: None,
            phys: None,
            state: std::ptr::null_mut(),
            walk,
            context: None,
            clock: None,
            dirty_code: Vec::new(),
            code_pages: Default::default(),
            interp_values: Vec::new(),
        })
    }

    /// Drop cached translations as `flush` says, with its operands (see
    /// [`chimera_ir::FlushScope`]), and every virtually-keyed structure that
    /// could run code of a dropped translation: the jump-cache entries of the
    /// pages concerned, and the chain link the loop would make next. Chain
    /// links already made stay: they only join blocks of one virtual page,
    /// and a block is only entered through a translation that is current.
    ///
    /// TLB entries are not tagged by ASID: the loop flushes every TLB when the
    /// CPU's translation context changes ([`JitEnv::set_context`]), so the
    /// TLBs only hold the current ASID's translations and the global ones.
    /// An ASID-specific flush therefore drops the page (or the indices) in
    /// full when the ASID is the current one, and nothing otherwise, except
    /// for `PageAsid`, which also covers global entries of the page.
    pub fn tlb_flush(&mut self, flush: chimera_ir::TlbFlush, vaddr: u64, asid: u64) {
        use chimera_ir::FlushScope;
        let current = self.context == Some(asid);
        let indices = (0..MMU_INDICES).filter(|i| flush.mmu_mask >> i & 1 != 0);
        match flush.scope {
            FlushScope::All => self.flush_indices(flush.mmu_mask),
            FlushScope::Asid if current => self.flush_indices(flush.mmu_mask),
            FlushScope::Asid => {}
            FlushScope::Page | FlushScope::PageAsid => {
                let page = vaddr & PAGE_MASK;
                let mut whole = 0u16;
                for i in indices {
                    let tlb = &mut self.tlb[i];
                    if tlb.large.is_some_and(|(base, mask)| vaddr & TOP_BYTE_OFF & mask == base) {
                        whole |= 1 << i;
                        continue;
                    }
                    let e = &mut tlb.entries[JitEnv::tlb_index(vaddr)];
                    if e.holds(page) {
                        *e = TlbEntry::EMPTY;
                    }
                }
                if whole != 0 {
                    self.flush_indices(whole);
                } else {
                    // The PCs of one page fill a contiguous run of the jump cache.
                    let first = JitEnv::jmp_index(page);
                    let per_page = (PAGE_SIZE >> 2) as usize;
                    for e in &mut self.jmp_cache[first..first + per_page] {
                        if e.pc & PAGE_MASK & TOP_BYTE_OFF == page & TOP_BYTE_OFF {
                            *e = JmpEntry::EMPTY;
                        }
                    }
                    self.link_slot = 0;
                }
            }
        }
    }

    /// Flush the TLBs of the indices in `mask`, the jump cache and the next link.
    fn flush_indices(&mut self, mask: u16) {
        for (i, tlb) in self.tlb.iter_mut().enumerate() {
            if mask >> i & 1 != 0 {
                tlb.flush();
            }
        }
        self.flush_jmp_cache();
        self.link_slot = 0;
    }

    /// Forget every TLB entry of every index.
    pub fn flush_tlb(&mut self) {
        self.flush_indices(u16::MAX);
    }

    /// Tell the softmmu the CPU's translation context (its ASID): when it
    /// differs from the one the TLBs were filled under, they are flushed.
    pub fn set_context(&mut self, context: u64) {
        if self.context != Some(context) {
            self.flush_tlb();
            self.context = Some(context);
        }
    }

    /// Forget every jump-cache entry.
    pub fn flush_jmp_cache(&mut self) {
        self.jmp_cache.fill(JmpEntry::EMPTY);
    }

    /// The machine's guest time, or 0 without a clock (a JIT outside a machine).
    pub(crate) fn guest_time_ns(&self) -> u64 {
        self.clock.as_ref().map_or(0, |c| c())
    }

    /// Give translated code the machine's guest time (nanoseconds).
    pub fn set_clock(&mut self, clock: Box<dyn Fn() -> u64>) {
        self.clock = Some(clock);
    }

    /// The TLB entries of MMU index `mmu` (for `info tlb`-style reports and tests).
    pub fn tlb_entries(&self, mmu: usize) -> &[TlbEntry; TLB_ENTRIES] {
        &self.tlb[mmu].entries
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
    fn tlb_flush(&mut self, flush: chimera_ir::TlbFlush, vaddr: u64, asid: u64) {
        self.env.tlb_flush(flush, vaddr, asid);
    }
    fn guest_time_ns(&mut self) -> u64 {
        self.env.guest_time_ns()
    }
}
