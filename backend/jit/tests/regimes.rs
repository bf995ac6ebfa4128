//! The translation-regime contract between a CPU, the softmmu and the JIT's
//! caches (docs/architecture.md, "Translation regimes"), shown on a small
//! guest whose page table is one register:
//!
//! - a translation stays cached until an explicit flush (or a change of the
//!   CPU's translation context) drops it, in both tiers, and each scope of
//!   flush drops what it names and only under the MMU indices it names;
//! - code is found through the current translation: after a remap and a
//!   flush the same virtual PC runs the other physical page's code;
//! - a change of privilege selects another TLB instead of flushing one;
//! - a store through a second virtual alias of a code page invalidates the
//!   code (translated code is keyed by physical address).

use chimera_ir::{
    AccessKind, Block, Builder, Endian, FlushScope, GuestMemory, MemFault, MemOp, PageTranslation, PhysMemory, PhysPage, Reg,
    Terminal, TlbFlush, Type, Unmapped,
};
use chimera_jit::{GuestCpu, GuestInfo, Jit, JitConfig, RunExit, PAGE_MASK, PAGE_SIZE, TLB_ENTRIES};

/// Physical RAM: four pages from 0.
const RAM_PAGES: u64 = 4;
/// The virtual page whose physical page the `map` register selects.
const V: u64 = 0x10_0000;
/// A second virtual view of physical page 1 (always mapped, writable).
const ALIAS: u64 = 0x20_0000;
/// A view of physical page 2 as device memory: unaligned accesses fault.
const DEVICE: u64 = 0x30_0000;
/// MMU indices of the test CPU: user and kernel see the same map, except that
/// the user one may not read physical page 3.
const USER: u8 = 0;
const KERNEL: u8 = 1;

#[repr(C)]
#[derive(Clone, Debug, Default, PartialEq)]
struct State {
    r0: u64,
    pc: u64,
    /// The page table: virtual page [`V`] maps to physical page `map`.
    map: u64,
    /// The translation context (ASID).
    asid: u64,
    /// 0: kernel mode, 1: user mode.
    user: u64,
}

const R0: Reg = Reg { offset: 0, ty: Type::I64 };
const PC: Reg = Reg { offset: 8, ty: Type::I64 };

/// The test CPU's translation: [`V`] through `map`, [`ALIAS`] to page 1,
/// physical pages as themselves; user accesses to page 3 fault.
unsafe fn walk(state: *mut u8, vaddr: u64, kind: AccessKind, mmu: u8, _phys: &mut dyn PhysMemory) -> Result<PageTranslation, MemFault> {
    let s = unsafe { &*state.cast::<State>() };
    // The top byte is ignored (AArch64 TBI): tagged aliases of a page.
    let page = vaddr & PAGE_MASK & ((1 << 56) - 1);
    let paddr = match page {
        V => s.map * PAGE_SIZE,
        ALIAS => PAGE_SIZE,
        DEVICE => 2 * PAGE_SIZE,
        p => p,
    };
    if mmu == USER && paddr == 3 * PAGE_SIZE {
        return Err(MemFault { vaddr, kind, size: 0, cause: chimera_ir::FaultCause::Permission(3) });
    }
    Ok(PageTranslation { aligned_only: page == DEVICE, ..PageTranslation::identity(paddr) })
}

const INFO: GuestInfo = GuestInfo { pc: PC, state_size: std::mem::size_of::<State>() as u32, walk };

struct Mem(Vec<u8>);

impl Mem {
    /// Each physical page filled with its own number, so a load tells which
    /// page it read.
    fn new() -> Mem {
        Mem((0..RAM_PAGES * PAGE_SIZE).map(|a| (a / PAGE_SIZE) as u8).collect())
    }
}

impl PhysMemory for Mem {
    fn page(&mut self, paddr: u64) -> PhysPage {
        if paddr < RAM_PAGES * PAGE_SIZE {
            PhysPage::Ram { host: self.0.as_mut_ptr().wrapping_add((paddr & PAGE_MASK) as usize), writable: true }
        } else {
            PhysPage::Nothing
        }
    }
    fn io_read(&mut self, _paddr: u64, _size: u8) -> Result<u64, Unmapped> {
        Err(Unmapped)
    }
    fn io_write(&mut self, _paddr: u64, _size: u8, _value: u64) -> Result<(), Unmapped> {
        Err(Unmapped)
    }
}

/// What a block does, by its code byte (read through the fetch translation
/// when the block is translated, so a block shows which physical page it
/// came from).
#[derive(Clone, Copy)]
enum Op {
    /// `r0 = code byte; r0 += load8 [addr]` under an MMU index.
    Load(u64, u8),
    /// A flush, then `r0 = code byte; r0 += load8 [addr]`.
    FlushLoad(TlbFlush, u64, u64, u64),
    /// `store8 [addr] = value`.
    Store(u64, u8),
    /// `r0 = load32 [addr]` (kernel).
    Load32(u64),
}

/// A guest whose blocks at each PC are given by the test.
struct Guest {
    state: State,
    ops: Vec<(u64, Op)>,
}

impl GuestCpu for Guest {
    fn state_ptr(&mut self) -> *mut u8 {
        &mut self.state as *mut State as *mut u8
    }
    fn pc(&self) -> u64 {
        self.state.pc
    }
    fn tb_flags(&self) -> u32 {
        self.state.user as u32
    }
    fn fetch_mmu_index(&self) -> u8 {
        if self.state.user != 0 {
            USER
        } else {
            KERNEL
        }
    }
    fn tlb_context(&self) -> u64 {
        self.state.asid
    }
    fn translate(&mut self, pc: u64, flags: u32, mem: &mut dyn GuestMemory, _max: u32) -> Block {
        let mmu = if flags != 0 { USER } else { KERNEL };
        let code = mem.load(pc, MemOp::fetch(1, Endian::Little, mmu)).expect("code is mapped");
        let op = self.ops.iter().find(|(p, _)| *p == pc).map(|(_, o)| *o).expect("a block for the PC");
        let mut b = Builder::new(pc);
        b.insn_start(pc);
        let load = |b: &mut Builder, addr: u64, mmu: u8| {
            let a = b.iconst(Type::I64, addr);
            let v = b.load(MemOp::read(1, false).with_mmu(mmu), Type::I64, a);
            let c = b.iconst(Type::I64, code);
            let sum = b.bin(chimera_ir::BinOp::Add, c, v);
            b.set(R0, sum);
        };
        match op {
            Op::Load(addr, mmu) => load(&mut b, addr, mmu),
            Op::FlushLoad(f, va, asid, addr) => {
                let (va, asid) = (b.iconst(Type::I64, va), b.iconst(Type::I64, asid));
                b.tlb_flush(f, va, asid);
                load(&mut b, addr, mmu);
            }
            Op::Load32(addr) => {
                let a = b.iconst(Type::I64, addr);
                let v = b.load(MemOp::read(4, false).with_mmu(KERNEL), Type::I64, a);
                b.set(R0, v);
            }
            Op::Store(addr, v) => {
                let a = b.iconst(Type::I64, addr);
                let v = b.iconst(Type::I8, u64::from(v));
                b.store(MemOp::write(1).with_mmu(mmu), a, v);
            }
        }
        // Back to the loop after every block, so the test can change the
        // CPU's registers between blocks, as a frontend ends a block after
        // an instruction that changes them.
        b.finish(Terminal::Exit(pc), 1, 1)
    }
}

/// Run the block at `pc` once (it exits to the loop at its own PC).
fn step(jit: &mut Jit, g: &mut Guest, mem: &mut Mem, pc: u64) -> RunExit {
    g.state.pc = pc;
    jit.run(g, mem, 1)
}

/// Code at physical page 0, offset by block; data in the pages under test.
const CODE: u64 = 0x100;

/// Run `f` with a JIT configuration per tier: the quick compiled tier, the
/// optimising one (promotion off), and the interpreter.
fn each_tier(f: impl Fn(JitConfig)) {
    for (hot, promote) in [(0u32, JitConfig::default().promote_threshold), (0, 0), (1000, 0)] {
        f(JitConfig { hot_threshold: hot, promote_threshold: promote, ..JitConfig::default() });
    }
}

#[test]
fn a_stale_translation_is_used_until_it_is_flushed() {
    each_tier(|cfg| {
        let hot = format!("{}/{}", cfg.hot_threshold, cfg.promote_threshold);
        let page = |f: FlushScope, mask: u16| TlbFlush { scope: f, mmu_mask: mask };
        let kernel = 1 << KERNEL;
        let mut g = Guest {
            state: State { map: 1, ..State::default() },
            ops: vec![
                (CODE, Op::Load(V + 8, KERNEL)),
                // Flushes of V in the kernel's TLB: by page, by page and ASID, all.
                (CODE + 4, Op::FlushLoad(page(FlushScope::Page, kernel), V + 0x10, 0, V + 8)),
                (CODE + 8, Op::FlushLoad(page(FlushScope::PageAsid, kernel), V, 0, V + 8)),
                (CODE + 12, Op::FlushLoad(page(FlushScope::All, kernel), 0, 0, V + 8)),
                // Flushes that do not reach it: another page, another index,
                // another ASID.
                (CODE + 16, Op::FlushLoad(page(FlushScope::Page, kernel), V + PAGE_SIZE, 0, V + 8)),
                (CODE + 20, Op::FlushLoad(page(FlushScope::All, 1 << USER), 0, 0, V + 8)),
                (CODE + 24, Op::FlushLoad(page(FlushScope::Asid, kernel), 0, 7, V + 8)),
                (CODE + 28, Op::FlushLoad(page(FlushScope::Asid, kernel), 0, 0, V + 8)),
            ],
        };
        let mut mem = Mem::new();
        let mut jit = Jit::new(INFO, cfg.clone()).unwrap();
        let mut load_via = |g: &mut Guest, map: u64, pc: u64| {
            g.state.map = map;
            assert_eq!(step(&mut jit, g, &mut mem, pc), RunExit::Yield);
            g.state.r0
        };
        // The code byte is 0 (physical page 0), so r0 is the page V maps to.
        assert_eq!(load_via(&mut g, 1, CODE), 1, "hot {hot}");
        // Remapped without a flush: the cached translation stays in use.
        assert_eq!(load_via(&mut g, 2, CODE), 1, "hot {hot}: a translation vanished without a flush");
        for (pc, map, what) in [(CODE + 4, 2, "page"), (CODE + 8, 3, "page and ASID"), (CODE + 12, 1, "all")] {
            // Each of these flushes V's translation, so the load sees the new map.
            assert_eq!(load_via(&mut g, map, pc), map, "hot {hot}: a flush of {what} kept V's translation");
        }
        // V maps to page 1 in the TLB now; remapped to 2, flushes that do
        // not reach it leave page 1 in use.
        for (pc, what) in [(CODE + 16, "another page"), (CODE + 20, "another MMU index"), (CODE + 24, "another ASID")] {
            assert_eq!(load_via(&mut g, 2, pc), 1, "hot {hot}: a flush of {what} dropped V's translation");
        }
        assert_eq!(load_via(&mut g, 2, CODE + 28), 2, "hot {hot}: a flush of the current ASID kept V's translation");
        // A new ASID (the CPU's translation context) flushes without an instruction.
        assert_eq!(load_via(&mut g, 3, CODE), 2, "hot {hot}");
        g.state.asid = 5;
        assert_eq!(load_via(&mut g, 3, CODE), 3, "hot {hot}: a new ASID kept the old translations");
    });
}

#[test]
fn code_is_found_through_the_current_translation() {
    each_tier(|cfg| {
        let hot = format!("{}/{}", cfg.hot_threshold, cfg.promote_threshold);
        let mut mem = Mem::new();
        // The same block (a load of physical page 3's byte, kernel) at V + 0x40
        // whether V maps to page 1 or page 2; its code byte tells them apart.
        let mut g = Guest { state: State { map: 1, ..State::default() }, ops: vec![(V + 0x40, Op::Load(3 * PAGE_SIZE, KERNEL))] };
        let mut jit = Jit::new(INFO, cfg.clone()).unwrap();
        for _ in 0..3 {
            assert_eq!(step(&mut jit, &mut g, &mut mem, V + 0x40), RunExit::Yield);
            assert_eq!(g.state.r0, 1 + 3, "hot {hot}: page 1's code");
        }
        g.state.map = 2;
        jit.env().tlb_flush(TlbFlush { scope: FlushScope::Page, mmu_mask: 1 << KERNEL }, V, 0);
        for _ in 0..3 {
            assert_eq!(step(&mut jit, &mut g, &mut mem, V + 0x40), RunExit::Yield);
            assert_eq!(g.state.r0, 2 + 3, "hot {hot}: the old page's code ran after a remap and a flush");
        }
    });
}

#[test]
fn a_change_of_privilege_selects_a_tlb() {
    let mut mem = Mem::new();
    let mut g = Guest {
        state: State { map: 1, ..State::default() },
        ops: vec![(CODE, Op::Load(V, KERNEL)), (CODE + 4, Op::Load(2 * PAGE_SIZE, USER)), (CODE + 8, Op::Load(3 * PAGE_SIZE, USER))],
    };
    let mut jit = Jit::new(INFO, JitConfig { hot_threshold: 0, ..JitConfig::default() }).unwrap();
    assert_eq!(step(&mut jit, &mut g, &mut mem, CODE), RunExit::Yield);
    let slot = V as usize >> 12 & (TLB_ENTRIES - 1);
    assert_eq!(jit.env().tlb_entries(KERNEL.into())[slot].addr_read, V);
    // To user mode and back: the kernel's entry is still there.
    g.state.user = 1;
    assert_eq!(step(&mut jit, &mut g, &mut mem, CODE + 4), RunExit::Yield);
    assert_eq!(g.state.r0, 2);
    g.state.user = 0;
    assert_eq!(jit.env().tlb_entries(KERNEL.into())[slot].addr_read, V, "a change of privilege flushed the kernel's TLB");
    // A user-index access from kernel mode (AArch64 LDTR) has the user's
    // permissions, though the kernel's TLB maps the page.
    assert_eq!(step(&mut jit, &mut g, &mut mem, CODE + 8), RunExit::Fault(MemFault {
        vaddr: 3 * PAGE_SIZE,
        kind: AccessKind::Read,
        size: 1,
        cause: chimera_ir::FaultCause::Permission(3),
    }));
}

/// Code at physical page 1 runs through [`V`]; a store through [`ALIAS`]
/// rewrites it, and the next run of the same virtual PC runs the new code.
#[test]
fn a_store_through_an_alias_invalidates_the_code() {
    each_tier(|cfg| {
        let hot = format!("{}/{}", cfg.hot_threshold, cfg.promote_threshold);
        let mut mem = Mem::new();
        let mut g = Guest {
            state: State { map: 1, ..State::default() },
            ops: vec![(V + 0x40, Op::Load(3 * PAGE_SIZE, KERNEL)), (CODE, Op::Store(ALIAS + 0x40, 9))],
        };
        let mut jit = Jit::new(INFO, cfg.clone()).unwrap();
        for _ in 0..2 {
            assert_eq!(step(&mut jit, &mut g, &mut mem, V + 0x40), RunExit::Yield);
            assert_eq!(g.state.r0, 1 + 3);
        }
        // Twice: the first store takes the slow path and fills the TLB.
        for k in 0..2 {
            jit.env().exit_request = 0;
            assert_eq!(step(&mut jit, &mut g, &mut mem, CODE), RunExit::Yield);
            jit.env().exit_request = 0;
            assert_eq!(step(&mut jit, &mut g, &mut mem, V + 0x40), RunExit::Yield);
            assert_eq!(g.state.r0, 9 + 3, "hot {hot}, store {k}: stale code after a store through an alias");
            mem.0[(PAGE_SIZE + 0x40) as usize] = 1;
            jit.invalidate(PAGE_SIZE + 0x40, 1);
        }
        assert!(jit.stats().invalidated >= 2, "hot {hot}");
    });
}

/// A page the walk marks `aligned_only` (AArch64 Device memory): an
/// unaligned access faults with an alignment fault, also one that crosses
/// into the next page, in both tiers, before and after the TLB holds the
/// page; aligned accesses work.
#[test]
fn unaligned_accesses_to_an_aligned_only_page_fault() {
    each_tier(|cfg| {
        let hot = format!("{}/{}", cfg.hot_threshold, cfg.promote_threshold);
        let mut mem = Mem::new();
        let ops = vec![(CODE, Op::Load32(DEVICE + 8)), (CODE + 4, Op::Load32(DEVICE + 6)), (CODE + 8, Op::Load32(DEVICE + 0xffe))];
        let mut g = Guest { state: State::default(), ops };
        let mut jit = Jit::new(INFO, cfg.clone()).unwrap();
        let align = |vaddr| RunExit::Fault(MemFault { vaddr, kind: AccessKind::Read, size: 4, cause: chimera_ir::FaultCause::Alignment });
        for _ in 0..3 {
            assert_eq!(step(&mut jit, &mut g, &mut mem, CODE), RunExit::Yield);
            assert_eq!(g.state.r0, 0x0202_0202, "hot {hot}");
            assert_eq!(step(&mut jit, &mut g, &mut mem, CODE + 4), align(DEVICE + 6), "hot {hot}");
            assert_eq!(step(&mut jit, &mut g, &mut mem, CODE + 8), align(DEVICE + 0xffe), "hot {hot}");
        }
    });
}

/// A flush of one page inside a mapping larger than a page drops the whole
/// mapping, also once the TLB holds large mappings in both halves of the
/// address space (whose covering range is every address).
#[test]
fn a_page_flush_inside_a_large_mapping_drops_all_of_it() {
    unsafe fn big(state: *mut u8, vaddr: u64, kind: AccessKind, mmu: u8, phys: &mut dyn PhysMemory) -> Result<PageTranslation, MemFault> {
        // 64 KiB mappings at the bottom and the top of the address space:
        // V maps by `map`, the top one to physical page 0.
        let s = unsafe { &*state.cast::<State>() };
        match vaddr {
            a if (V..V + 0x1_0000).contains(&a) => Ok(PageTranslation {
                size_log2: 16,
                ..PageTranslation::identity(s.map * PAGE_SIZE + (a & !0xf000 & 0xfff))
            }),
            a if a >= 0xffff_0000_0000_0000 => Ok(PageTranslation { size_log2: 16, ..PageTranslation::identity(a & 0xfff) }),
            a => unsafe { walk(state, a, kind, mmu, phys) },
        }
    }
    let info = GuestInfo { walk: big, ..INFO };
    each_tier(|cfg| {
        let top = 0xffff_0000_0000_0000u64;
        let mut g = Guest {
            state: State { map: 1, ..State::default() },
            ops: vec![
                (CODE, Op::Load(V + 0x3000, KERNEL)),
                (CODE + 4, Op::Load(top, KERNEL)),
                (CODE + 8, Op::FlushLoad(TlbFlush { scope: FlushScope::Page, mmu_mask: 1 << KERNEL }, V + 0x5000, 0, V + 0x3000)),
            ],
        };
        let mut mem = Mem::new();
        let mut jit = Jit::new(info, cfg.clone()).unwrap();
        for pc in [CODE, CODE + 4] {
            assert_eq!(step(&mut jit, &mut g, &mut mem, pc), RunExit::Yield);
        }
        assert_eq!(g.state.r0, 0, "the top mapping reads page 0");
        // Remap V; flush another 4 KiB page of the same 64 KiB mapping.
        g.state.map = 2;
        assert_eq!(step(&mut jit, &mut g, &mut mem, CODE + 8), RunExit::Yield);
        assert_eq!(g.state.r0, 2, "a stale part of a large mapping survived a page flush");
    });
}

/// A translation cached through a tagged address (the top byte ignored, as
/// with AArch64 TBI) is dropped by a flush of the untagged page.
#[test]
fn a_page_flush_drops_tagged_aliases() {
    each_tier(|cfg| {
        let tagged = 0x4c00_0000_0000_0000 | (V + 8);
        let kernel = 1 << KERNEL;
        let mut g = Guest {
            state: State { map: 1, ..State::default() },
            ops: vec![
                (CODE, Op::Load(tagged, KERNEL)),
                (CODE + 4, Op::FlushLoad(TlbFlush { scope: FlushScope::Page, mmu_mask: kernel }, V, 0, tagged)),
            ],
        };
        let mut mem = Mem::new();
        let mut jit = Jit::new(INFO, cfg.clone()).unwrap();
        assert_eq!(step(&mut jit, &mut g, &mut mem, CODE), RunExit::Yield);
        assert_eq!(g.state.r0, 1);
        g.state.map = 2;
        assert_eq!(step(&mut jit, &mut g, &mut mem, CODE + 4), RunExit::Yield);
        assert_eq!(g.state.r0, 2, "a tagged alias kept its translation after a flush of the page");
    });
}
