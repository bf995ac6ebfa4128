//! Chimera's JIT: IR -> Cranelift lowering, the translation-block cache with
//! chaining and self-modifying-code invalidation, the softmmu fast and slow
//! paths, and the execution loop.
//!
//! Translated regions are Cranelift functions `(cpu, env, pc) -> exit code`
//! in the tail calling convention, entered at the member block whose guest PC
//! they are given. A block whose successor is a constant PC in the same guest
//! page jumps to it through a per-block exit slot (`return_call_indirect`);
//! the loop fills the slot the first time the block returns through it.
//! Indirect branches probe the jump cache inline. Every guest load and store
//! probes the softmmu TLB inline and calls the slow path on a miss. With
//! `JitConfig::background`, Cranelift runs on a compile thread
//! (`worker.rs`) while the guest runs on.

mod engine;
mod env;
mod lower;
mod softmmu;
mod worker;

pub use engine::{GuestCpu, GuestInfo, Jit, JitConfig, JitError, JitStats, RunExit, Tier};
pub use env::{exit_code, JitEnv, JmpEntry, PageMapping, PhysMemory, Tlb, TlbEntry, Unmapped, MMU_INDICES, PAGE_BITS, PAGE_MASK, PAGE_SIZE, TLB_ENTRIES};
