//! Test harness: a flat little-endian memory and a loop that translates,
//! verifies and runs blocks. Every block runs in both tiers, the IR
//! interpreter and Cranelift's host code, from the same state and memory, and
//! both must leave the same state, memory and exit: a test's assertions hold
//! for the interpreter's result, which the compiled one equals.

#![allow(dead_code)]

use chimera_aarch64::{translate_block, A64State, PC, STATE_SIZE};
use chimera_ir::{verify, Block, BlockExit, FaultCause, GuestMemory, MemFault, MemOp, PhysMemory, PhysPage, Unmapped};
use chimera_jit::{GuestInfo, Jit, JitConfig, Tier, PAGE_MASK};
use std::cell::RefCell;

/// Where test code is placed.
pub const CODE: u64 = 0x1000;
/// A data area.
pub const DATA: u64 = 0x8000;
/// Memory size from address 0.
pub const MEM_SIZE: usize = 0x10000;

/// `size` bytes of RAM at `base`; anything else faults as unmapped.
#[derive(Clone)]
pub struct FlatMem {
    pub base: u64,
    pub bytes: Vec<u8>,
}

impl FlatMem {
    fn range(&self, vaddr: u64, op: MemOp) -> Result<usize, MemFault> {
        if op.misaligned(vaddr) {
            return Err(MemFault { vaddr, kind: op.kind, size: op.size, cause: FaultCause::Alignment });
        }
        let fault = MemFault { vaddr, kind: op.kind, size: op.size, cause: FaultCause::Unmapped };
        let off = vaddr.checked_sub(self.base).ok_or(fault)?;
        let end = off.checked_add(u64::from(op.size)).ok_or(fault)?;
        if end > self.bytes.len() as u64 {
            return Err(fault);
        }
        Ok(off as usize)
    }

    pub fn read(&self, addr: u64, size: usize) -> u64 {
        let off = (addr - self.base) as usize;
        let mut v = 0u64;
        for k in (0..size).rev() {
            v = (v << 8) | u64::from(self.bytes[off + k]);
        }
        v
    }

    pub fn write(&mut self, addr: u64, size: usize, v: u64) {
        let off = (addr - self.base) as usize;
        for k in 0..size {
            self.bytes[off + k] = (v >> (8 * k)) as u8;
        }
    }
}

impl GuestMemory for FlatMem {
    fn load(&mut self, vaddr: u64, op: MemOp) -> Result<u64, MemFault> {
        let off = self.range(vaddr, op)?;
        let mut v = 0u64;
        for k in (0..usize::from(op.size)).rev() {
            v = (v << 8) | u64::from(self.bytes[off + k]);
        }
        Ok(v)
    }

    fn store(&mut self, vaddr: u64, value: u64, op: MemOp) -> Result<(), MemFault> {
        let off = self.range(vaddr, op)?;
        for k in 0..usize::from(op.size) {
            self.bytes[off + k] = (value >> (8 * k)) as u8;
        }
        Ok(())
    }
}

/// The physical view of the same bytes: RAM pages, nothing else.
impl PhysMemory for FlatMem {
    fn page(&mut self, paddr: u64) -> PhysPage {
        let page = paddr & PAGE_MASK;
        match page.checked_sub(self.base) {
            Some(off) if off + chimera_jit::PAGE_SIZE <= self.bytes.len() as u64 => {
                PhysPage::Ram { host: self.bytes.as_mut_ptr().wrapping_add(off as usize), writable: true }
            }
            _ => PhysPage::Nothing,
        }
    }
    fn io_read(&mut self, _paddr: u64, _size: u8) -> Result<u64, Unmapped> {
        Err(Unmapped)
    }
    fn io_write(&mut self, _paddr: u64, _size: u8, _value: u64) -> Result<(), Unmapped> {
        Err(Unmapped)
    }
}

thread_local! {
    /// The guest time (ns) the JIT's clock reads ([`set_guest_time`]).
    static GUEST_TIME: std::rc::Rc<std::cell::Cell<u64>> = std::rc::Rc::new(std::cell::Cell::new(0));
    /// One JIT per test thread, reused for every block.
    static JIT: RefCell<Jit> = RefCell::new({
        let mut jit = Jit::new(GuestInfo { pc: PC, state_size: STATE_SIZE, walk: chimera_aarch64::vmsa::walk }, JitConfig::default())
            .expect("JIT for the host");
        let time = GUEST_TIME.with(std::rc::Rc::clone);
        jit.env().set_clock(Box::new(move || time.get()));
        jit
    });
}

/// Set the machine's guest time that the blocks of this thread read.
pub fn set_guest_time(ns: u64) {
    GUEST_TIME.with(|t| t.set(ns));
}

/// Run a verified `block` in the interpreter and in compiled code, from the
/// same `state` and memory; panics if the two tiers disagree. Leaves the
/// interpreter's result in `state` and `mem`.
pub fn run_both_tiers<M: PhysMemory + Clone>(block: &Block, state: &mut A64State, mem: &mut M, same: impl Fn(&M, &M) -> bool) -> BlockExit {
    JIT.with(|jit| {
        // SAFETY: the block was verified against `A64State`.
        let e = unsafe { jit.borrow_mut().run_both_tiers(block, state, mem, same) };
        e.unwrap_or_else(|why| panic!("{why}\n{block}")).into()
    })
}

/// Run a verified `block` in one tier only (for code whose result is not a
/// function of the state, such as the host-clock counters).
pub fn run_one_tier<M: PhysMemory>(block: &Block, tier: Tier, state: &mut A64State, mem: &mut M) -> BlockExit {
    JIT.with(|jit| {
        // SAFETY: the block was verified against `A64State`.
        let e = unsafe { jit.borrow_mut().run_block(block, tier, (state as *mut A64State).cast(), mem) };
        e.unwrap_or_else(|e| panic!("compiling {block}: {e}")).into()
    })
}

/// A CPU with its memory.
pub struct Cpu {
    pub s: A64State,
    pub mem: FlatMem,
    /// End of the code: running stops when the PC gets there.
    pub end: u64,
    /// `None`: every block runs in both tiers, which must agree; `Some`: in
    /// that tier only.
    pub tier: Option<Tier>,
}

impl Cpu {
    /// `code` at [`CODE`], PC there, EL1h, everything else reset.
    pub fn new(code: &[u32]) -> Cpu {
        let mut mem = FlatMem { base: 0, bytes: vec![0; MEM_SIZE] };
        for (k, w) in code.iter().enumerate() {
            mem.write(CODE + 4 * k as u64, 4, u64::from(*w));
        }
        let s = A64State { pc: CODE, ..Default::default() };
        Cpu { s, mem, end: CODE + 4 * code.len() as u64, tier: None }
    }

    /// Translate and verify one block, and run it in both tiers.
    pub fn step_block(&mut self, max_insns: u32) -> BlockExit {
        let block = translate_block(self.s.tb_flags(), self.s.pc, &mut self.mem, max_insns);
        if let Err(e) = verify(&block, STATE_SIZE) {
            panic!("{e}\n{block}");
        }
        match self.tier {
            None => run_both_tiers(&block, &mut self.s, &mut self.mem, |a, b| a.bytes == b.bytes),
            Some(t) => run_one_tier(&block, t, &mut self.s, &mut self.mem),
        }
    }

    /// Run blocks until the PC leaves the code or something other than
    /// `Next` happens (at most 1000 blocks).
    pub fn run(&mut self) -> BlockExit {
        for _ in 0..1000 {
            if self.s.pc < CODE || self.s.pc >= self.end {
                return BlockExit::Next;
            }
            // Never translate past the end of the code (memory there is zero,
            // an UNDEFINED encoding).
            let left = ((self.end - self.s.pc) / 4) as u32;
            match self.step_block(left.min(64)) {
                BlockExit::Next => {}
                // An AT instruction: the walk is the board's job, done here
                // as the `virt` board does it.
                BlockExit::Exception { kind: chimera_aarch64::EXC_AT, arg } => self.s.address_translate(arg, &mut self.mem),
                // ISR_EL1: no interrupt controller here, nothing pending.
                BlockExit::Exception { kind: chimera_aarch64::EXC_ISR, arg } => self.s.read_isr(arg, false, false),
                // A timer register was written: no timer here to reprogram.
                BlockExit::Exception { kind: chimera_aarch64::EXC_TIMER, .. } => {}
                exit => return exit,
            }
        }
        panic!("did not finish");
    }

    /// Run and expect to fall off the end of the code.
    pub fn run_ok(&mut self) {
        let exit = self.run();
        assert_eq!(exit, BlockExit::Next, "pc {:#x}", self.s.pc);
    }

    pub fn flags(&self) -> (u8, u8, u8, u8) {
        (self.s.nf, self.s.zf, self.s.cf, self.s.vf)
    }
}

/// Run `code` with X registers preset by `setup`, expecting a clean finish.
pub fn run(code: &[u32], setup: impl FnOnce(&mut A64State)) -> Cpu {
    run_in(None, code, setup)
}

/// [`run`] in one tier (`Some`) or both (`None`).
pub fn run_in(tier: Option<Tier>, code: &[u32], setup: impl FnOnce(&mut A64State)) -> Cpu {
    let mut cpu = Cpu::new(code);
    cpu.tier = tier;
    setup(&mut cpu.s);
    cpu.run_ok();
    cpu
}

/// xorshift64: deterministic pseudo-random words.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// Uniform-ish in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}
