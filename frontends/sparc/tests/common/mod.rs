//! Test harness: a flat big-endian memory and a loop that translates,
//! verifies and runs blocks, taking traps like the leon3 board does. Every
//! block runs in both tiers, the IR interpreter and Cranelift's host code,
//! from the same state and memory, and both must leave the same state, memory
//! and exit: a test's assertions hold for the interpreter's result, which the
//! compiled one equals.

#![allow(dead_code)]

use chimera_ir::{verify, Block, BlockExit, FaultCause, GuestMemory, MemFault, MemOp, PhysMemory, PhysPage, Unmapped};
use chimera_jit::{GuestInfo, Jit, JitConfig, PAGE_MASK, PAGE_SIZE};
use std::cell::RefCell;
use chimera_sparc::{fault_trap_type, translate_block, SparcState, EXC_PENDING, EXC_TRAP, PC, STATE_SIZE};

/// Where test code is placed.
pub const CODE: u64 = 0x1000;
/// The trap table (TBR).
pub const TRAPS: u64 = 0x4000;
/// A data area.
pub const DATA: u64 = 0x8000;
/// Memory size from address 0.
pub const MEM_SIZE: usize = 0x10000;

/// RAM from address 0; anything beyond faults as unmapped.
#[derive(Clone)]
pub struct FlatMem(pub Vec<u8>);

impl FlatMem {
    fn range(&self, vaddr: u64, op: MemOp) -> Result<usize, MemFault> {
        if op.misaligned(vaddr) {
            return Err(MemFault { vaddr, kind: op.kind, size: op.size, cause: FaultCause::Alignment });
        }
        if vaddr + u64::from(op.size) > self.0.len() as u64 {
            return Err(MemFault { vaddr, kind: op.kind, size: op.size, cause: FaultCause::Unmapped });
        }
        Ok(vaddr as usize)
    }

    /// Big-endian word at `addr`.
    pub fn word(&self, addr: u64) -> u32 {
        let a = addr as usize;
        u32::from_be_bytes(self.0[a..a + 4].try_into().unwrap())
    }
}

impl GuestMemory for FlatMem {
    fn load(&mut self, vaddr: u64, op: MemOp) -> Result<u64, MemFault> {
        let off = self.range(vaddr, op)?;
        Ok(self.0[off..off + usize::from(op.size)].iter().fold(0u64, |v, &b| v << 8 | u64::from(b)))
    }

    fn store(&mut self, vaddr: u64, value: u64, op: MemOp) -> Result<(), MemFault> {
        let off = self.range(vaddr, op)?;
        let n = usize::from(op.size);
        for k in 0..n {
            self.0[off + k] = (value >> (8 * (n - 1 - k))) as u8;
        }
        Ok(())
    }
}

/// The physical view of the same bytes: RAM pages, nothing else.
impl PhysMemory for FlatMem {
    fn page(&mut self, paddr: u64) -> PhysPage {
        let page = paddr & PAGE_MASK;
        if page + PAGE_SIZE > self.0.len() as u64 {
            return PhysPage::Nothing;
        }
        PhysPage::Ram { host: self.0.as_mut_ptr().wrapping_add(page as usize), writable: true }
    }
    fn io_read(&mut self, _paddr: u64, _size: u8) -> Result<u64, Unmapped> {
        Err(Unmapped)
    }
    fn io_write(&mut self, _paddr: u64, _size: u8, _value: u64) -> Result<(), Unmapped> {
        Err(Unmapped)
    }
}

thread_local! {
    /// One JIT per test thread, reused for every block.
    static JIT: RefCell<Jit> = RefCell::new(
        Jit::new(GuestInfo { pc: PC, state_size: STATE_SIZE, walk: chimera_sparc::mmu::walk }, JitConfig::default()).expect("JIT for the host"),
    );
}

/// Run a verified `block` in the interpreter and in compiled code, from the
/// same state and memory; panics if the two tiers disagree. Leaves the
/// interpreter's result in `state` and `mem`.
pub fn run_both_tiers(block: &Block, state: &mut SparcState, mem: &mut FlatMem) -> BlockExit {
    JIT.with(|jit| {
        // SAFETY: the block was verified against `SparcState`.
        let e = unsafe { jit.borrow_mut().run_both_tiers(block, state, mem, |a, b| a.0 == b.0) };
        e.unwrap_or_else(|why| panic!("{why}\n{block}")).into()
    })
}

/// A CPU with its memory.
pub struct Cpu {
    pub s: SparcState,
    pub mem: FlatMem,
    /// The trap types taken, in order.
    pub traps: Vec<u32>,
}

impl Cpu {
    /// `code` at [`CODE`], supervisor with traps enabled, CWP 0, WIM 0b10,
    /// TBR at [`TRAPS`] (whose entries are all `unimp`: a test stops at the
    /// first trap unless it says otherwise).
    pub fn new(code: &[u32]) -> Cpu {
        let mut mem = FlatMem(vec![0; MEM_SIZE]);
        for (i, w) in code.iter().enumerate() {
            mem.0[CODE as usize + 4 * i..][..4].copy_from_slice(&w.to_be_bytes());
        }
        let s = SparcState { pc: CODE, npc: CODE + 4, et: 1, wim: 2, tbr: TRAPS as u32, ..Default::default() };
        Cpu { s, mem, traps: Vec::new() }
    }

    /// Run until `ta 0` (which is recorded, not taken) or, with
    /// `stop_at_trap`, the first trap; at most `max_blocks` blocks.
    pub fn run(&mut self, stop_at_trap: bool, max_blocks: usize) {
        for _ in 0..max_blocks {
            let block = translate_block(self.s.tb_flags(), self.s.pc, &mut self.mem, 64);
            verify(&block, STATE_SIZE).unwrap_or_else(|e| panic!("{e}\n{block}"));
            let exit = run_both_tiers(&block, &mut self.s, &mut self.mem);
            let tt = match exit {
                BlockExit::Next => continue,
                BlockExit::Exception { kind: EXC_TRAP, arg } => arg as u32,
                BlockExit::Exception { kind: EXC_PENDING, .. } => std::mem::take(&mut self.s.trap),
                BlockExit::Exception { kind, .. } => panic!("unknown exception kind {kind}"),
                BlockExit::Fault(f) => fault_trap_type(&f),
            };
            self.traps.push(tt);
            if stop_at_trap || tt == 0x80 {
                return;
            }
            self.s.take_trap(tt).expect("trap in error mode");
        }
        panic!("did not reach `ta 0`: pc {:#x}", self.s.pc);
    }
}
