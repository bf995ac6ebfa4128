//! The engine's memory-path contracts that the JIT-vs-interpreter tests
//! cannot see (their reference has no translation cache and no QEMU
//! conventions): self-modifying code is detected on the inline store path
//! too, and faults of misaligned or page-crossing accesses report the
//! address and size QEMU 7.2 reports, in both tiers.

use chimera_ir::{
    AccessKind, BinOp, Block, Builder, Endian, FaultCause, GuestMemory, MemFault, MemOp, PageTranslation, PhysMemory, PhysPage,
    Reg, Terminal, Type, Unmapped,
};
use chimera_jit::{GuestCpu, GuestInfo, Jit, JitConfig, RunExit, Tier, PAGE_MASK};

/// One RAM page at `RAM`; everything else is unmapped.
const RAM: u64 = 0x1000;

#[repr(C)]
#[derive(Clone, Debug, Default, PartialEq)]
struct State {
    r0: u64,
    pc: u64,
}

const R0: Reg = Reg { offset: 0, ty: Type::I64 };
const PC: Reg = Reg { offset: 8, ty: Type::I64 };
/// An MMU that is off: every index is the identity.
unsafe fn flat(_state: *mut u8, vaddr: u64, _kind: AccessKind, _mmu: u8, _phys: &mut dyn PhysMemory) -> Result<PageTranslation, MemFault> {
    Ok(PageTranslation::identity(vaddr))
}

const INFO: GuestInfo = GuestInfo { pc: PC, state_size: std::mem::size_of::<State>() as u32, walk: flat };

struct Mem(Vec<u8>);

impl PhysMemory for Mem {
    fn page(&mut self, paddr: u64) -> PhysPage {
        if paddr & PAGE_MASK == RAM {
            PhysPage::Ram { host: self.0.as_mut_ptr(), writable: true }
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

fn byte_op(kind: AccessKind) -> MemOp {
    MemOp { size: 1, signed: false, endian: Endian::Little, kind, align: 0, mmu: 0 }
}

/// A guest whose one-instruction blocks are made from the code byte `c` at
/// their PC: `r0 += c; [pc] = c + 1; loop`. Each run of the block rewrites
/// its own code, so each must be translated afresh.
struct Rewriter {
    state: State,
}

impl GuestCpu for Rewriter {
    fn state_ptr(&mut self) -> *mut u8 {
        &mut self.state as *mut State as *mut u8
    }
    fn pc(&self) -> u64 {
        self.state.pc
    }
    fn tb_flags(&self) -> u32 {
        0
    }
    fn fetch_mmu_index(&self) -> u8 {
        0
    }
    fn tlb_context(&self) -> u64 {
        0
    }
    fn translate(&mut self, pc: u64, _flags: u32, mem: &mut dyn GuestMemory, _max: u32) -> Block {
        let c = mem.load(pc, byte_op(AccessKind::Fetch)).expect("code in RAM");
        let mut b = Builder::new(pc);
        b.insn_start(pc);
        let r = b.get(R0);
        let k = b.iconst(Type::I64, c);
        let sum = b.bin(BinOp::Add, r, k);
        b.set(R0, sum);
        let a = b.iconst(Type::I64, pc);
        let next = b.iconst(Type::I8, (c + 1) & 0xff);
        b.store(byte_op(AccessKind::Write), a, next);
        b.finish(Terminal::Jump(pc), 1, 4)
    }
}

/// The block rewrites itself 40 times; every run must see the code the
/// previous one wrote, whether the store took the slow path (the first,
/// which fills the TLB) or could have taken the inline one (the rest).
#[test]
fn self_modifying_code_is_seen_on_every_store() {
    const RUNS: u64 = 40;
    let code = RAM + 0x124;
    let first = 0xf0u64;
    for (hot, promote, background) in [(0u32, 0u32, false), (0, 5, false), (3, 0, false), (3, 100_000, false), (50, 0, false), (1, 0, true)] {
        let mut mem = Mem(vec![0; 0x1000]);
        mem.0[(code - RAM) as usize] = first as u8;
        let mut cpu = Rewriter { state: State { r0: 0, pc: code } };
        let cfg = JitConfig { hot_threshold: hot, promote_threshold: promote, background, ..JitConfig::default() };
        let mut jit = Jit::new(INFO, cfg).unwrap();
        for _ in 0..RUNS {
            // The board's loop: clear the kick, run one block's worth.
            jit.env().exit_request = 0;
            assert_eq!(jit.run(&mut cpu, &mut mem, 1), RunExit::Yield);
        }
        let want: u64 = (0..RUNS).map(|k| (first + k) & 0xff).sum();
        assert_eq!(cpu.state.r0, want, "hot threshold {hot}: a run used stale code");
        assert_eq!(jit.stats().invalidated, RUNS, "hot threshold {hot}");
    }
}

/// One block: load or store of `size` bytes at `addr`.
fn access(addr: u64, size: u8, store: bool) -> Block {
    let mut b = Builder::new(RAM);
    b.insn_start(RAM);
    let a = b.iconst(Type::I64, addr);
    let kind = if store { AccessKind::Write } else { AccessKind::Read };
    let op = MemOp { size, signed: false, endian: Endian::Little, kind, align: 0, mmu: 0 };
    if store {
        let v = b.iconst(Type::int_of_bytes(u32::from(size)).unwrap(), u64::MAX);
        b.store(op, a, v);
    } else {
        let v = b.load(op, Type::I64, a);
        b.set(R0, v);
    }
    b.finish(Terminal::Exit(RAM + 4), 1, 4)
}

/// QEMU 7.2 performs a misaligned access to device or unmapped memory as
/// two aligned accesses of the access size, so FAR is the aligned half that
/// faulted (ARM ARM D17.2.40 allows any address of the access); the fault
/// carries the size of the whole access. A page-crossing store that faults
/// on its second page writes nothing.
#[test]
fn misaligned_and_page_crossing_faults_report_qemus_address() {
    // (address, size, expected FAR)
    let cases = [
        (0x3002u64, 4u8, 0x3000u64), // unmapped, misaligned: its aligned half
        (0x3003, 2, 0x3002),
        (0x3005, 8, 0x3000),
        (0x3004, 4, 0x3004), // aligned: itself
        (0x1ffe, 4, 0x2000), // from RAM into unmapped: the second half
        (0x1ffc, 8, 0x2000),
        (0x1fff, 2, 0x2000),
    ];
    let mut jit = Jit::new(INFO, JitConfig::default()).unwrap();
    for (addr, size, far) in cases {
        for store in [false, true] {
            for tier in [Tier::Interpreter, Tier::Compiled] {
                let block = access(addr, size, store);
                let mut mem = Mem(vec![0x5a; 0x1000]);
                let mut s = State { r0: 7, pc: RAM };
                // SAFETY: the block addresses only `State`'s fields.
                let e = unsafe { jit.run_block(&block, tier, &mut s as *mut State as *mut u8, &mut mem) }.unwrap();
                let kind = if store { AccessKind::Write } else { AccessKind::Read };
                let want = MemFault { vaddr: far, kind, size, cause: FaultCause::Unmapped };
                assert_eq!(e, RunExit::Fault(want), "{tier:?} {} {size} at {addr:#x}", if store { "store" } else { "load" });
                assert_eq!(s, State { r0: 7, pc: RAM }, "{tier:?}: a faulting access changed registers");
                assert!(mem.0.iter().all(|&b| b == 0x5a), "{tier:?}: a faulting store at {addr:#x} wrote memory");
            }
        }
    }
}

/// A guest of two modes (its `tb_flags`) whose block at `X` branches to the
/// one PC `Y` under a different mode at each target, as a SPARC annulling
/// branch does: `r0 += 1; mode = r0 odd; if odd goto Y (mode 1) else goto
/// Y (mode 0)`. `Y` in mode 0 counts in r1, in mode 1 in r2 and returns to
/// mode 0; both go back to `X`.
struct TwoModes {
    state: [u64; 5],
}

const X: u64 = RAM + 0x100;
const Y: u64 = RAM + 0x200;

impl GuestCpu for TwoModes {
    fn state_ptr(&mut self) -> *mut u8 {
        self.state.as_mut_ptr() as *mut u8
    }
    fn pc(&self) -> u64 {
        self.state[4]
    }
    fn tb_flags(&self) -> u32 {
        self.state[3] as u32
    }
    fn fetch_mmu_index(&self) -> u8 {
        0
    }
    fn tlb_context(&self) -> u64 {
        0
    }
    fn translate(&mut self, pc: u64, flags: u32, _mem: &mut dyn GuestMemory, _max: u32) -> Block {
        let r = |i: u32| Reg { offset: 8 * i, ty: Type::I64 };
        let mut b = Builder::new(pc);
        b.insn_start(pc);
        let term = if pc == X {
            let n = b.get(r(0));
            let n = b.bin_imm(BinOp::Add, n, 1);
            b.set(r(0), n);
            let odd = b.bin_imm(BinOp::And, n, 1);
            b.set(r(3), odd);
            let cond = b.trunc(Type::I8, odd);
            b.set_branch_exit_flags(1, 0);
            Terminal::Branch { cond, taken: Y, not_taken: Y }
        } else {
            let k = if flags == 0 { 1 } else { 2 };
            let c = b.get(r(k));
            let c = b.bin_imm(BinOp::Add, c, 1);
            b.set(r(k), c);
            if flags != 0 {
                let zero = b.iconst(Type::I64, 0);
                b.set(r(3), zero);
                b.set_exit_flags(0);
            }
            Terminal::Jump(X)
        };
        b.finish(term, 1, 4)
    }
}

/// A branch whose targets continue under different flags reaches the block
/// of each target's flags: chained through exit slots, as host jumps inside
/// a region, in every tier.
#[test]
fn branch_targets_continue_under_their_own_flags() {
    const ROUNDS: u64 = 5000;
    for (hot, promote) in [(0u32, 0u32), (0, 3), (5, 100_000), (1_000_000, 0)] {
        let mut mem = Mem(vec![0; 0x1000]);
        let mut cpu = TwoModes { state: [0, 0, 0, 0, X] };
        let mut jit = Jit::new(INFO5, JitConfig { hot_threshold: hot, promote_threshold: promote, ..JitConfig::default() }).unwrap();
        let mut left = 2 * ROUNDS as i64;
        while left > 0 {
            jit.env().exit_request = 0;
            assert_eq!(jit.run(&mut cpu, &mut mem, left), RunExit::Yield);
            left = jit.env().budget;
        }
        assert_eq!(cpu.state[..3], [ROUNDS, ROUNDS / 2, ROUNDS / 2], "hot {hot}, promote {promote}");
        if hot == 0 {
            assert!(jit.stats().loop_entries < 100, "hot {hot}, promote {promote}: {} loop entries", jit.stats().loop_entries);
        }
    }
}

/// With the compile thread, the guest runs on in the interpreter and in
/// quick-tier code while regions compile, and the code installed when they
/// arrive computes the same: runs in slices until the thread's regions of
/// both tiers are in use, checking the state after each slice.
#[test]
fn compiled_in_the_background_runs_the_same() {
    let mut mem = Mem(vec![0; 0x1000]);
    let mut cpu = TwoModes { state: [0, 0, 0, 0, X] };
    let cfg = JitConfig { hot_threshold: 5, promote_threshold: 50, background: true, ..JitConfig::default() };
    let mut jit = Jit::new(INFO5, cfg).unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let mut n = 0;
    loop {
        jit.env().exit_request = 0;
        assert_eq!(jit.run(&mut cpu, &mut mem, 1000), RunExit::Yield);
        n += 500;
        assert_eq!(cpu.state[..3], [n, n / 2, n / 2], "after {n} rounds");
        let st = jit.stats();
        if st.compiled >= 2 && st.promoted >= 1 && st.interpreted > 0 {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "no code arrived from the compile thread: {st:?}");
    }
}

const INFO5: GuestInfo = GuestInfo { pc: Reg { offset: 32, ty: Type::I64 }, state_size: 40, walk: flat };
